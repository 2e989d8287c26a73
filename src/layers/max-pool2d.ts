import { native } from '../native';
import { Layer, Mode, Workspace } from './layer';

/** 2x2-style max pooling over VALID windows. x (N,H,W,C) -> y (N,OH,OW,C). */
export class MaxPool2d extends Layer {
  readonly inSize: number;
  readonly outSize: number;
  private readonly dims: Int32Array;
  private readonly dimsEval: Int32Array;
  private readonly y = new Workspace();
  private readonly yEval = new Workspace();
  private readonly dx = new Workspace();
  private argmax: Int32Array = new Int32Array(0);
  private argmaxEval: Int32Array = new Int32Array(0);
  /** Whether the windows do not overlap (stride at least the window). */
  private readonly apart: boolean;

  constructor(H: number, W: number, C: number, size = 2, stride = size) {
    super();
    const OH = Math.floor((H - size) / stride) + 1;
    const OW = Math.floor((W - size) / stride) + 1;
    this.inSize = H * W * C;
    this.outSize = OH * OW * C;
    this.dims = Int32Array.from([0, H, W, C, size, size, stride, stride, OH, OW]);
    this.dimsEval = this.dims.slice();
    this.apart = stride >= size;
  }

  sampleWise(_mode: Mode): boolean {
    return true;
  }

  /** A copy of the geometry [N, H, W, C, PH, PW, SH, SW, OH, OW] (N is the caller's to set). */
  inferenceDims(): Int32Array {
    return this.dims.slice();
  }

  forward(x: Float32Array, n: number, mode: Mode): Float32Array {
    const len = n * this.outSize;
    if (mode.training) {
      this.dims[0] = n;
      if (this.argmax.length !== len) this.argmax = new Int32Array(len);
      const y = this.y.get(len);
      native.maxPoolForward(x, y, this.argmax, this.dims);
      return y;
    }
    this.dimsEval[0] = n;
    if (this.argmaxEval.length !== len) this.argmaxEval = new Int32Array(len);
    const y = this.yEval.get(len);
    native.maxPoolForward(x, y, this.argmaxEval, this.dimsEval);
    return y;
  }

  backward(dy: Float32Array, n: number, needDx: boolean): Float32Array | null {
    if (!needDx) return null;
    const dx = this.dx.get(n * this.inSize);
    if (this.apart) {
      // Windows that do not overlap: dx written whole, window by window (no zeroing pass, no scatter).
      native.maxPoolBackwardWindows(dy, this.argmax, dx, this.dims);
    } else {
      native.maxPoolBackward(dy, this.argmax, dx, false, n);
    }
    return dx;
  }
}
