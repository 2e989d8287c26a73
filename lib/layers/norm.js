"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Dropout = exports.BatchNorm = void 0;
const native_1 = require("../native");
const layer_1 = require("./layer");
/**
 * Batch normalization without learned scale or shift, as in the seed.
 * `channel`: each channel over batch, height and width (rows N*H*W, columns C).
 * `batch`: each activation over the batch only, like tf.nn.moments(h, axes=[0]) (rows N, columns H*W*C).
 * Training normalizes with batch statistics and updates running averages; evaluation uses the
 * running averages unless batch statistics are asked for.
 */
class BatchNorm extends layer_1.Layer {
    mode;
    eps;
    momentum;
    inSize;
    outSize;
    rowsPerSample;
    K;
    runningMean;
    runningVar;
    mean;
    invStd;
    meanEval;
    invStdEval;
    y = new layer_1.Workspace();
    yEval = new layer_1.Workspace();
    dx = new layer_1.Workspace();
    constructor(H, W, C, mode, eps, momentum) {
        super();
        this.mode = mode;
        this.eps = eps;
        this.momentum = momentum;
        this.inSize = this.outSize = H * W * C;
        this.rowsPerSample = mode === 'channel' ? H * W : 1;
        this.K = mode === 'channel' ? C : H * W * C;
        this.runningMean = new Float32Array(this.K);
        this.runningVar = new Float32Array(this.K).fill(1);
        this.mean = new Float32Array(this.K);
        this.invStd = new Float32Array(this.K);
        this.meanEval = new Float32Array(this.K);
        this.invStdEval = new Float32Array(this.K);
    }
    state() {
        return { running_mean: this.runningMean, running_var: this.runningVar };
    }
    forward(x, n, mode) {
        const R = n * this.rowsPerSample;
        if (mode.training) {
            const y = this.y.get(n * this.outSize);
            native_1.native.batchNormForward(x, y, this.mean, this.invStd, R, this.K, this.eps);
            this.updateRunning(R);
            return y;
        }
        const y = this.yEval.get(n * this.outSize);
        if (mode.batchStatsInEval) {
            native_1.native.batchNormForward(x, y, this.meanEval, this.invStdEval, R, this.K, this.eps);
        }
        else {
            native_1.native.batchNormInference(x, y, this.runningMean, this.runningVar, R, this.K, this.eps);
        }
        return y;
    }
    updateRunning(R) {
        const m = this.momentum;
        const unbias = R > 1 ? R / (R - 1) : 1;
        for (let k = 0; k < this.K; k++) {
            const inv = this.invStd[k];
            const variance = Math.max(1 / (inv * inv) - this.eps, 0) * unbias;
            this.runningMean[k] = m * this.runningMean[k] + (1 - m) * this.mean[k];
            this.runningVar[k] = m * this.runningVar[k] + (1 - m) * variance;
        }
    }
    backward(dy, n, needDx) {
        if (!needDx)
            return null;
        const dx = this.dx.get(n * this.inSize);
        native_1.native.batchNormBackward(this.y.get(n * this.outSize), this.invStd, dy, dx, n * this.rowsPerSample, this.K, false);
        return dx;
    }
}
exports.BatchNorm = BatchNorm;
/** Inverted dropout: keeps each activation with probability keepProb and scales it by 1/keepProb. */
class Dropout extends layer_1.Layer {
    keepProb;
    seed;
    inSize;
    outSize;
    y = new layer_1.Workspace();
    mask = new layer_1.Workspace();
    dx = new layer_1.Workspace();
    active = false;
    /** Advances once per training forward pass, so every batch draws a fresh mask. */
    counter = 0;
    constructor(size, keepProb, seed) {
        super();
        this.keepProb = keepProb;
        this.seed = seed;
        this.inSize = this.outSize = size;
    }
    forward(x, n, mode) {
        if (!mode.training)
            return x;
        this.active = this.keepProb < 1;
        if (!this.active)
            return x;
        const len = n * this.outSize;
        const y = this.y.get(len);
        native_1.native.dropoutForward(x, y, this.mask.get(len), this.keepProb, this.seed >>> 0, 0, this.counter++);
        return y;
    }
    backward(dy, n, needDx) {
        if (!needDx)
            return null;
        if (!this.active)
            return dy;
        const len = n * this.inSize;
        const dx = this.dx.get(len);
        native_1.native.dropoutBackward(dy, this.mask.get(len), dx, false);
        return dx;
    }
}
exports.Dropout = Dropout;
