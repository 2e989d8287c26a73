"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.momentum = momentum;
exports.adam = adam;
exports.isOptimizer = isOptimizer;
// Optimizers update the whole flat parameter buffer in one native call (or, for train(), in a few
// slices with the event loop free in between).
const native_1 = require("./native");
const check = __importStar(require("./validate"));
/** The seed's momentum: v = gamma * v + lr * dL/dW; W -= v, with v starting at 1e-5. */
function momentum(options = {}) {
    const o = check.object('momentum options', options);
    check.knownKeys('momentum options', o, ['lr', 'gamma', 'v0']);
    const lr = check.finite('lr', o.lr ?? 0.01, { min: 0, minExclusive: true });
    const gamma = check.finite('gamma', o.gamma ?? 0.9, { min: 0, max: 1 });
    const v0 = check.finite('v0', o.v0 ?? 1e-5);
    let v = null;
    let steps = 0;
    const prepare = (length) => {
        if (!v || v.length !== length)
            v = new Float32Array(length).fill(v0);
    };
    return {
        name: 'momentum',
        config: Object.freeze({ lr, gamma, v0 }),
        prepare,
        beginStep(length) {
            prepare(length);
            steps++;
        },
        update(params, grads, offset) {
            native_1.native.momentumUpdate(params, grads, v.subarray(offset, offset + params.length), lr, gamma);
        },
        step(params, grads) {
            this.beginStep(params.length);
            this.update(params, grads, 0);
        },
        rule: (offset, length) => ({ kind: 'momentum', v: v.subarray(offset, offset + length), lr, gamma }),
        getState: () => ({ step: steps, buffers: v ? { v } : {} }),
        setState(state) {
            steps = state.step;
            v = state.buffers.v ? state.buffers.v.slice() : null;
        },
    };
}
/** Adam (TensorFlow's formulation, the seed's optimizer). */
function adam(options = {}) {
    const o = check.object('adam options', options);
    check.knownKeys('adam options', o, ['lr', 'beta1', 'beta2', 'eps']);
    const lr = check.finite('lr', o.lr ?? 1e-4, { min: 0, minExclusive: true });
    const beta1 = check.finite('beta1', o.beta1 ?? 0.9, { min: 0, max: 1 });
    const beta2 = check.finite('beta2', o.beta2 ?? 0.999, { min: 0, max: 1 });
    const eps = check.finite('eps', o.eps ?? 1e-8, { min: 0 });
    if (beta1 === 1 || beta2 === 1)
        throw new RangeError('adam: beta1 and beta2 must be < 1');
    let m = null;
    let v = null;
    let t = 0;
    const prepare = (length) => {
        if (!m || !v || m.length !== length) {
            m = new Float32Array(length);
            v = new Float32Array(length);
        }
    };
    return {
        name: 'adam',
        config: Object.freeze({ lr, beta1, beta2, eps }),
        prepare,
        beginStep(length) {
            prepare(length);
            t++;
        },
        update(params, grads, offset) {
            const end = offset + params.length;
            native_1.native.adamUpdate(params, grads, m.subarray(offset, end), v.subarray(offset, end), lr, beta1, beta2, eps, t);
        },
        step(params, grads) {
            this.beginStep(params.length);
            this.update(params, grads, 0);
        },
        rule: (offset, length) => ({
            kind: 'adam', m: m.subarray(offset, offset + length), v: v.subarray(offset, offset + length),
            lr, beta1, beta2, eps, t,
        }),
        getState: () => ({ step: t, buffers: m && v ? { m, v } : {} }),
        setState(state) {
            t = state.step;
            m = state.buffers.m ? state.buffers.m.slice() : null;
            v = state.buffers.v ? state.buffers.v.slice() : null;
        },
    };
}
function isOptimizer(v) {
    const o = v;
    return !!v && typeof o.step === 'function' && typeof o.beginStep === 'function' && typeof o.update === 'function' &&
        typeof o.getState === 'function';
}
