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
exports.CNN = void 0;
exports.cnn = cnn;
// The seed's CNN: conv 3x3 (SAME) + bias -> ReLU -> batch norm -> 2x2 max pool -> flatten ->
// FC -> dropout -> ReLU -> FC -> softmax cross-entropy, with optional L2 on the three weight tensors.
const conv_1 = require("./layers/conv");
const dense_1 = require("./layers/dense");
const norm_1 = require("./layers/norm");
const network_1 = require("./network");
const check = __importStar(require("./validate"));
const KEYS = ['height', 'width', 'channels', 'filters', 'kernel', 'fc', 'classes', 'keepProb', 'l2', 'batchNorm', 'seed'];
const BN_KEYS = ['mode', 'eps', 'momentum', 'evaluation'];
function normalize(options) {
    const o = check.object('cnn options', options);
    check.knownKeys('cnn options', o, KEYS);
    const bn = check.object('batchNorm', o.batchNorm ?? {});
    check.knownKeys('batchNorm', bn, BN_KEYS);
    return {
        height: check.integer('height', o.height ?? 28, 1, 4096),
        width: check.integer('width', o.width ?? 28, 1, 4096),
        channels: check.integer('channels', o.channels ?? 1, 1, 4096),
        filters: check.integer('filters', o.filters ?? 32, 1, 4096),
        kernel: check.integer('kernel', o.kernel ?? 3, 1, 64),
        fc: check.integer('fc', o.fc ?? 784, 1, 1 << 16),
        classes: check.integer('classes', o.classes ?? 10, 2, 1 << 16),
        // Kept units are scaled by 1/keepProb, which must stay a sane float32.
        keepProb: check.finite('keepProb', o.keepProb ?? 1, { min: 1e-6, max: 1 }),
        l2: check.finite('l2', o.l2 ?? 0, { min: 0 }),
        seed: check.integer('seed', o.seed ?? 521, 0, 2 ** 32 - 1),
        batchNorm: {
            mode: check.oneOf('batchNorm.mode', bn.mode ?? 'channel', ['channel', 'batch']),
            eps: check.finite('batchNorm.eps', bn.eps ?? 1e-9, { min: 0 }),
            momentum: check.finite('batchNorm.momentum', bn.momentum ?? 0.99, { min: 0, max: 1 }),
            evaluation: check.oneOf('batchNorm.evaluation', bn.evaluation ?? 'running', ['running', 'batch']),
        },
    };
}
class CNN extends network_1.Network {
    kind = 'cnn';
    options;
    constructor(options = {}) {
        const o = normalize(options);
        const conv = new conv_1.Conv2d({ H: o.height, W: o.width, C: o.channels, KH: o.kernel, KW: o.kernel, F: o.filters, stride: 1, padding: 'same' }, true, ['W_conv', 'b_conv']);
        if (conv.OH < 2 || conv.OW < 2)
            throw new RangeError('cnn: the input is too small for 2x2 max pooling');
        const bn = new norm_1.BatchNorm(conv.OH, conv.OW, o.filters, o.batchNorm.mode, o.batchNorm.eps, o.batchNorm.momentum);
        const pool = new conv_1.MaxPool2d(conv.OH, conv.OW, o.filters, 2, 2);
        if (pool.outSize * o.fc > 2 ** 30)
            throw new RangeError(`cnn: W_fc1 would need ${pool.outSize * o.fc} weights; use a smaller fc`);
        const layers = [
            conv, bn, pool,
            // ReLU commutes with dropout's non-negative scaling, so FC1's ReLU is fused into the layer.
            new dense_1.Dense(pool.outSize, o.fc, true, ['W_fc1', 'b_fc1']),
            new norm_1.Dropout(o.fc, o.keepProb, o.seed ^ 0x5eed),
            new dense_1.Dense(o.fc, o.classes, false, ['W_fc2', 'b_fc2']),
        ];
        super(o.height * o.width * o.channels, o.classes, layers, o.l2, o.seed, o.batchNorm.evaluation === 'batch');
        this.options = Object.freeze(o);
    }
}
exports.CNN = CNN;
/** Builds the seed's CNN (see CnnOptions for the defaults). */
function cnn(options = {}) {
    return new CNN(options);
}
