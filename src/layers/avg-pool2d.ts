import { kernels } from './kernels';
import { Layer, Mode, Workspace } from './layer';

/** Average pooling over VALID windows. x (N,H,W,C) -> y (N,OH,OW,C). */
export class AvgPool2d extends Layer {
  readonly inSize: number;
  readonly outSize: number;
  readonly OH: number;
  readonly OW: number;
  private readonly dims: Int32Array;
  private readonly dimsEval: Int32Array;
  private readonly y = new Workspace();
  private readonly yEval = new Workspace();
  private readonly dx = new Workspace();

  constructor(H: number, W: number, C: number, size: number, stride = size) {
    super();
    this.OH = Math.floor((H - size) / stride) + 1;
    this.OW = Math.floor((W - size) / stride) + 1;
    this.inSize = H * W * C;
    this.outSize = this.OH * this.OW * C;
    this.dims = Int32Array.from([0, H, W, C, size, size, stride, stride, this.OH, this.OW]);
    this.dimsEval = this.dims.slice();
  }

  sampleWise(_mode: Mode): boolean {
    return true;
  }

  forward(x: Float32Array, n: number, mode: Mode): Float32Array {
    const dims = mode.training ? this.dims : this.dimsEval;
    dims[0] = n;
    const y = (mode.training ? this.y : this.yEval).get(n * this.outSize);
    kernels.avgPoolForward(x, y, dims);
    return y;
  }

  backward(dy: Float32Array, n: number, needDx: boolean): Float32Array | null {
    if (!needDx) return null;
    this.dims[0] = n;
    const dx = this.dx.get(n * this.inSize);
    kernels.avgPoolBackward(dy, dx, this.dims, false);
    return dx;
  }
}
