import { native } from '../native';
import { Layer, Mode, Workspace } from './layer';

export type BatchNormMode = 'channel' | 'batch';

/**
 * Batch normalization without learned scale or shift, as in the course.
 * `channel`: each channel over batch, height and width (rows N*H*W, columns C).
 * `batch`: each activation over the batch only, like tf.nn.moments(h, axes=[0]) (rows N, columns H*W*C).
 * Training normalizes with batch statistics and updates running averages; evaluation uses the
 * running averages unless batch statistics are asked for.
 */
export class BatchNorm extends Layer {
  readonly inSize: number;
  readonly outSize: number;
  private readonly rowsPerSample: number;
  private readonly K: number;
  readonly runningMean: Float32Array;
  readonly runningVar: Float32Array;
  private readonly mean: Float32Array;
  private readonly invStd: Float32Array;
  private readonly meanEval: Float32Array;
  private readonly invStdEval: Float32Array;
  private readonly y = new Workspace();
  private readonly yEval = new Workspace();
  private readonly dx = new Workspace();

  constructor(
    H: number, W: number, C: number,
    readonly mode: BatchNormMode,
    readonly eps: number,
    readonly momentum: number,
  ) {
    super();
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

  state(): Record<string, Float32Array> {
    return { running_mean: this.runningMean, running_var: this.runningVar };
  }

  forward(x: Float32Array, n: number, mode: Mode): Float32Array {
    const R = n * this.rowsPerSample;
    if (mode.training) {
      const y = this.y.get(n * this.outSize);
      native.batchNormForward(x, y, this.mean, this.invStd, R, this.K, this.eps);
      this.updateRunning(R);
      return y;
    }
    const y = this.yEval.get(n * this.outSize);
    if (mode.batchStatsInEval) {
      native.batchNormForward(x, y, this.meanEval, this.invStdEval, R, this.K, this.eps);
    } else {
      native.batchNormInference(x, y, this.runningMean, this.runningVar, R, this.K, this.eps);
    }
    return y;
  }

  private updateRunning(R: number): void {
    const m = this.momentum;
    const unbias = R > 1 ? R / (R - 1) : 1;
    for (let k = 0; k < this.K; k++) {
      const inv = this.invStd[k];
      const variance = Math.max(1 / (inv * inv) - this.eps, 0) * unbias;
      this.runningMean[k] = m * this.runningMean[k] + (1 - m) * this.mean[k];
      this.runningVar[k] = m * this.runningVar[k] + (1 - m) * variance;
    }
  }

  backward(dy: Float32Array, n: number, needDx: boolean): Float32Array | null {
    if (!needDx) return null;
    const dx = this.dx.get(n * this.inSize);
    native.batchNormBackward(this.y.get(n * this.outSize), this.invStd, dy, dx, n * this.rowsPerSample, this.K, false);
    return dx;
  }
}
