import { native } from '../native';
import { ACTIVATION, kernels } from './kernels';
import { Layer, Mode, Workspace } from './layer';

export type ActivationType = 'relu' | 'leakyRelu' | 'tanh' | 'sigmoid';

/**
 * A point-wise activation on its own (a ReLU right after a dense or conv layer is fused into it
 * instead). x (N, size) -> y (N, size). ReLU's backward needs only y; the others keep x and y.
 */
export class Activation extends Layer {
  readonly inSize: number;
  readonly outSize: number;
  private x: Float32Array = new Float32Array(0);
  private readonly y = new Workspace();
  private readonly yEval = new Workspace();
  private readonly dx = new Workspace();

  constructor(size: number, readonly type: ActivationType, readonly alpha = 0) {
    super();
    this.inSize = this.outSize = size;
  }

  sampleWise(_mode: Mode): boolean {
    return true;
  }

  forward(x: Float32Array, n: number, mode: Mode): Float32Array {
    if (mode.training) this.x = x;
    const y = (mode.training ? this.y : this.yEval).get(n * this.outSize);
    if (this.type === 'relu') native.reluForward(x, y);
    else kernels.activationForward(ACTIVATION[this.type], x, y, this.alpha);
    return y;
  }

  backward(dy: Float32Array, n: number, needDx: boolean): Float32Array | null {
    if (!needDx) return null;
    const y = this.y.get(n * this.outSize);
    const dx = this.dx.get(n * this.inSize);
    if (this.type === 'relu') native.reluBackward(y, dy, dx, false);
    else kernels.activationBackward(ACTIVATION[this.type], this.x, y, dy, dx, this.alpha, false);
    return dx;
  }
}
