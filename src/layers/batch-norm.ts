import { native } from '../native';
import { kernels } from './kernels';
import { Layer, Mode, ParamSpec, Workspace } from './layer';

export type BatchNormMode = 'channel' | 'batch';

export interface BatchNormExtras {
  /** A learned scale and shift per normalized column: y = gamma * xhat + beta (names of gamma, beta). */
  affine?: [string, string];
  /** Normalize evaluation batches by their own statistics (the course's behaviour). */
  batchStatsInEval?: boolean;
}

/**
 * Batch normalization, without learned scale or shift as in the course, or affine.
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
  private readonly names?: [string, string];
  /** Evaluation normalizes by the batch's own statistics instead of the running averages. */
  readonly batchStatsInEval: boolean;
  private gamma: Float32Array = new Float32Array(0);
  private beta: Float32Array = new Float32Array(0);
  private dgamma: Float32Array = new Float32Array(0);
  private dbeta: Float32Array = new Float32Array(0);
  private readonly out = new Workspace();
  private readonly outEval = new Workspace();
  private readonly dxhat = new Workspace();

  constructor(
    H: number, W: number, C: number,
    readonly mode: BatchNormMode,
    readonly eps: number,
    readonly momentum: number,
    extras: BatchNormExtras = {},
  ) {
    super();
    this.names = extras.affine;
    this.batchStatsInEval = extras.batchStatsInEval ?? false;
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

  params(): ParamSpec[] {
    if (!this.names) return [];
    const K = this.K;
    return [
      { name: this.names[0], shape: [K], init: 'ones', fanIn: K, fanOut: K, decay: false },
      { name: this.names[1], shape: [K], init: 'zeros', fanIn: K, fanOut: K, decay: false },
    ];
  }

  bind(params: Float32Array[], grads: Float32Array[]): void {
    if (!this.names) return;
    [this.gamma, this.beta] = params;
    [this.dgamma, this.dbeta] = grads;
  }

  state(): Record<string, Float32Array> {
    return { running_mean: this.runningMean, running_var: this.runningVar };
  }

  // x (N, inSize) seen as (R, K) -> xhat (R, K), then gamma * xhat + beta when affine.
  sampleWise(mode: Mode): boolean {
    return !mode.training && !mode.batchStatsInEval && !this.batchStatsInEval;
  }

  /** In `mode`, when it normalizes each channel by its running statistics (what an inference pass
   * fused with the convolution before it can do): those statistics, eps, and gamma and beta when
   * affine; otherwise null. */
  inferenceParts(mode: Mode): { mean: Float32Array; variance: Float32Array; gamma: Float32Array | null;
    beta: Float32Array | null; eps: number; channels: number } | null {
    if (this.mode !== 'channel' || !this.sampleWise(mode)) return null;
    return {
      mean: this.runningMean, variance: this.runningVar, eps: this.eps, channels: this.K,
      gamma: this.names ? this.gamma : null, beta: this.names ? this.beta : null,
    };
  }

  forward(x: Float32Array, n: number, mode: Mode): Float32Array {
    const R = n * this.rowsPerSample;
    if (mode.training) {
      const y = this.y.get(n * this.outSize);
      native.batchNormForward(x, y, this.mean, this.invStd, R, this.K, this.eps);
      this.updateRunning(R);
      return this.scaleShift(y, this.out, R);
    }
    const y = this.yEval.get(n * this.outSize);
    if (mode.batchStatsInEval || this.batchStatsInEval) {
      native.batchNormForward(x, y, this.meanEval, this.invStdEval, R, this.K, this.eps);
    } else {
      native.batchNormInference(x, y, this.runningMean, this.runningVar, R, this.K, this.eps);
    }
    return this.scaleShift(y, this.outEval, R);
  }

  private scaleShift(xhat: Float32Array, out: Workspace, R: number): Float32Array {
    if (!this.names) return xhat;
    const y = out.get(xhat.length);
    kernels.scaleShiftForward(xhat, this.gamma, this.beta, y, R, this.K);
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

  // dy (R, K): accumulates dgamma, dbeta when affine; dx (R, K) from the gradient of xhat.
  backward(dy: Float32Array, n: number, needDx: boolean): Float32Array | null {
    const R = n * this.rowsPerSample;
    const xhat = this.y.get(n * this.outSize);
    let dxhat = dy;
    if (this.names) {
      dxhat = this.dxhat.get(n * this.outSize);
      kernels.scaleShiftBackward(xhat, this.gamma, dy, this.dgamma, this.dbeta, dxhat, R, this.K);
    }
    if (!needDx) return null;
    const dx = this.dx.get(n * this.inSize);
    native.batchNormBackward(xhat, this.invStd, dxhat, dx, R, this.K, false);
    return dx;
  }
}
