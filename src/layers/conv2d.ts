import { native } from '../native';
import { Layer, Mode, ParamSpec, Workspace } from './layer';

export type Padding = 'same' | 'valid';

export interface ConvGeometry {
  H: number; W: number; C: number; // input (NHWC, per sample)
  KH: number; KW: number; F: number; // kernel (HWIO) and filters
  stride: number;
  padding: Padding;
}

/** Output size and TensorFlow's padding split (the extra row/column goes to the bottom/right). */
export function convOutput(g: ConvGeometry): { OH: number; OW: number; padTop: number; padLeft: number } {
  const out = (inp: number, k: number) =>
    g.padding === 'same' ? Math.ceil(inp / g.stride) : Math.floor((inp - k) / g.stride) + 1;
  const OH = out(g.H, g.KH);
  const OW = out(g.W, g.KW);
  const pad = (o: number, k: number, inp: number) =>
    g.padding === 'same' ? Math.floor(Math.max((o - 1) * g.stride + k - inp, 0) / 2) : 0;
  return { OH, OW, padTop: pad(OH, g.KH, g.H), padLeft: pad(OW, g.KW, g.W) };
}

/**
 * 2-D convolution as im2col + sgemm, optionally fused with ReLU.
 * x (N,H,W,C), W_conv (KH,KW,C,F), b (F) -> y (N,OH,OW,F).
 */
export class Conv2d extends Layer {
  readonly inSize: number;
  readonly outSize: number;
  readonly OH: number;
  readonly OW: number;
  private readonly dims: Int32Array;
  private readonly dimsEval: Int32Array;
  private Wt: Float32Array = new Float32Array(0);
  private b: Float32Array = new Float32Array(0);
  private dW: Float32Array = new Float32Array(0);
  private db: Float32Array = new Float32Array(0);
  private x: Float32Array = new Float32Array(0);
  private readonly y = new Workspace();
  private readonly col = new Workspace();
  private readonly yEval = new Workspace();
  private readonly colEval = new Workspace();
  private readonly dx = new Workspace();

  constructor(
    readonly g: ConvGeometry,
    readonly relu: boolean,
    private readonly names: [string, string],
  ) {
    super();
    const { OH, OW, padTop, padLeft } = convOutput(g);
    this.OH = OH;
    this.OW = OW;
    this.inSize = g.H * g.W * g.C;
    this.outSize = OH * OW * g.F;
    this.dims = Int32Array.from([0, g.H, g.W, g.C, g.KH, g.KW, g.F, g.stride, g.stride, padTop, padLeft, OH, OW]);
    this.dimsEval = this.dims.slice();
  }

  params(): ParamSpec[] {
    const { KH, KW, C, F } = this.g;
    return [
      { name: this.names[0], shape: [KH, KW, C, F], init: 'xavier', fanIn: KH * KW * C, fanOut: KH * KW * F, decay: true },
      { name: this.names[1], shape: [F], init: 'zeros', fanIn: KH * KW * C, fanOut: KH * KW * F, decay: false },
    ];
  }

  bind(params: Float32Array[], grads: Float32Array[]): void {
    [this.Wt, this.b] = params;
    [this.dW, this.db] = grads;
  }

  private colSize(n: number): number {
    return n * this.OH * this.OW * this.g.KH * this.g.KW * this.g.C;
  }

  sampleWise(_mode: Mode): boolean {
    return true;
  }

  /** What an inference pass fused with the layers after it needs: the weights, bias, ReLU flag and
   * a copy of the geometry (dims[0], the sample count, is the caller's to set). */
  inferenceParts(): { W: Float32Array; b: Float32Array; relu: boolean; dims: Int32Array } {
    return { W: this.Wt, b: this.b, relu: this.relu, dims: this.dims.slice() };
  }

  forward(x: Float32Array, n: number, mode: Mode): Float32Array {
    const t = mode.training;
    if (t) this.x = x;
    const dims = t ? this.dims : this.dimsEval;
    dims[0] = n;
    const y = (t ? this.y : this.yEval).get(n * this.outSize);
    native.conv2dForward(x, this.Wt, this.b, y, (t ? this.col : this.colEval).get(this.colSize(n)), dims, this.relu);
    return y;
  }

  backward(dy: Float32Array, n: number, needDx: boolean): Float32Array | null {
    this.dims[0] = n;
    const dx = needDx ? this.dx.zeroed(n * this.inSize) : null;
    // The ReLU's backward pass goes into the native call: with few taps (a first layer) it is folded
    // into the sums of dW and db, with no pass of its own.
    const reluY = this.relu ? this.y.get(n * this.outSize) : null;
    native.conv2dBackward(this.x, this.Wt, dy, this.dW, this.db, dx, this.col.get(this.colSize(n)), this.dims, reluY);
    return dx;
  }
}
