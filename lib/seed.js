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
exports.relu = relu;
exports.softmax = softmax;
exports.computeLayer = computeLayer;
exports.averageCE = averageCE;
exports.gradCE = gradCE;
// The seed's helper functions, vectorized and native. Matrices are row-major Float32Arrays with an
// explicit shape, the same `{ data, shape }` form the loaders return.
const native_1 = require("./native");
const check = __importStar(require("./validate"));
function matrix(name, m) {
    const o = check.object(name, m);
    if (!(o.data instanceof Float32Array))
        throw new TypeError(`${name}.data must be a Float32Array`);
    if (!Array.isArray(o.shape) || o.shape.length !== 2)
        throw new TypeError(`${name}.shape must be [rows, columns]`);
    const rows = check.integer(`${name}.shape[0]`, o.shape[0], 0);
    const cols = check.integer(`${name}.shape[1]`, o.shape[1], 1);
    if (o.data.length !== rows * cols) {
        throw new RangeError(`${name}.data has ${o.data.length} values, but shape [${rows}, ${cols}] needs ${rows * cols}`);
    }
    return { data: o.data, shape: [rows, cols] };
}
function relu(x) {
    if (x instanceof Float32Array) {
        const y = new Float32Array(x.length);
        native_1.native.reluForward(x, y);
        return y;
    }
    const m = matrix('x', x);
    return { data: relu(m.data), shape: [...m.shape] };
}
/** Row-wise softmax, shifted by each row's maximum so large logits cannot overflow. */
function softmax(x) {
    const m = matrix('x', x);
    const out = new Float32Array(m.data.length);
    native_1.native.softmaxForward(m.data, out, m.shape[0], m.shape[1]);
    return { data: out, shape: [...m.shape] };
}
/** X W + b: X (N, I), W (I, O), b (O) -> (N, O). */
function computeLayer(X, W, b) {
    const x = matrix('X', X);
    const w = matrix('W', W);
    if (w.shape[0] !== x.shape[1]) {
        throw new RangeError(`computeLayer: X has ${x.shape[1]} columns but W has ${w.shape[0]} rows`);
    }
    if (!(b instanceof Float32Array) || b.length !== w.shape[1]) {
        throw new TypeError(`computeLayer: b must be a Float32Array of length ${w.shape[1]}`);
    }
    const out = new Float32Array(x.shape[0] * w.shape[1]);
    native_1.native.denseForward(x.data, w.data, b, out, x.shape[0], x.shape[1], w.shape[1], false);
    return { data: out, shape: [x.shape[0], w.shape[1]] };
}
/** Targets as class indices: labels, or one-hot rows (argmax taken). */
function targetLabels(target, rows, classes) {
    if (target && typeof target === 'object' && !ArrayBuffer.isView(target) && !Array.isArray(target)) {
        const t = matrix('target', target);
        if (t.shape[0] !== rows || t.shape[1] !== classes) {
            throw new RangeError(`target has shape [${t.shape}], prediction has [${rows}, ${classes}]`);
        }
        const out = new Int32Array(rows);
        for (let r = 0; r < rows; r++) {
            let best = 0;
            for (let c = 1; c < classes; c++)
                if (t.data[r * classes + c] > t.data[r * classes + best])
                    best = c;
            if (t.data[r * classes + best] !== 1)
                throw new RangeError(`target row ${r} is not one-hot`);
            out[r] = best;
        }
        return out;
    }
    return check.labels('target', target, rows, classes);
}
/**
 * Average cross-entropy of softmax outputs against targets (one-hot Matrix or class labels):
 * mean over rows of -log prediction[label].
 */
function averageCE(target, prediction) {
    const p = matrix('prediction', prediction);
    const [N, C] = p.shape;
    const y = targetLabels(target, N, C);
    let loss = 0;
    for (let n = 0; n < N; n++)
        loss -= Math.log(Math.max(p.data[n * C + y[n]], Number.MIN_VALUE));
    return N ? loss / N : 0;
}
/**
 * Gradient of averageCE with respect to the softmax's inputs (the logits), given its outputs:
 * (prediction - target) / N.
 */
function gradCE(target, prediction) {
    const p = matrix('prediction', prediction);
    const [N, C] = p.shape;
    const y = targetLabels(target, N, C);
    const out = new Float32Array(N * C);
    native_1.native.softmaxCEBackward(p.data, y, out, N, C, N ? 1 / N : 0);
    return { data: out, shape: [N, C] };
}
