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
exports.MLP = void 0;
exports.mlp = mlp;
// The seed's MLP: inputs -> hidden (ReLU) -> classes (softmax), cross-entropy, Xavier init.
const dense_1 = require("./layers/dense");
const network_1 = require("./network");
const check = __importStar(require("./validate"));
const KEYS = ['inputs', 'hidden', 'classes', 'seed'];
const MAX_UNITS = 1 << 20;
class MLP extends network_1.Network {
    kind = 'mlp';
    options;
    constructor(options = {}) {
        const o = check.object('mlp options', options);
        check.knownKeys('mlp options', o, KEYS);
        const inputs = check.integer('inputs', o.inputs ?? 784, 1, MAX_UNITS);
        const hidden = check.integer('hidden', o.hidden ?? 1000, 1, MAX_UNITS);
        const classes = check.integer('classes', o.classes ?? 10, 2, MAX_UNITS);
        const seed = check.integer('seed', o.seed ?? 521, 0, 2 ** 32 - 1);
        if (inputs * hidden + hidden * classes > 2 ** 30) {
            throw new RangeError(`mlp: ${inputs}x${hidden}x${classes} needs more than 2^30 weights; use fewer units`);
        }
        super(inputs, classes, [
            new dense_1.Dense(inputs, hidden, true, ['W_h', 'b_h']),
            new dense_1.Dense(hidden, classes, false, ['W_o', 'b_o']),
        ], 0, seed, false);
        this.options = Object.freeze({ inputs, hidden, classes, seed });
    }
}
exports.MLP = MLP;
/** Builds the seed's MLP: `inputs` -> `hidden` ReLU -> `classes` softmax. */
function mlp(options = {}) {
    return new MLP(options);
}
