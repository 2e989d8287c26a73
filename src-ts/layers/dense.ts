import { native } from '../native';
import { Layer, Mode, ParamSpec, Workspace } from './layer';

/** y = x W + b, optionally fused with ReLU. x (N,I), W (I,O), b (O), y (N,O). */
export class Dense extends Layer {
  readonly overwritesGrads = true;
  private W: Float32Array = new Float32Array(0);
  private b: Float32Array = new Float32Array(0);
  private dW: Float32Array = new Float32Array(0);
  private db: Float32Array = new Float32Array(0);
  private x: Float32Array = new Float32Array(0);
  private readonly y = new Workspace();
  private readonly yEval = new Workspace();
  private readonly dz = new Workspace();
  private readonly dx = new Workspace();

  constructor(
    readonly inSize: number,
    readonly outSize: number,
    readonly relu: boolean,
    private readonly names: [string, string],
  ) {
    super();
  }

  params(): ParamSpec[] {
    const [I, O] = [this.inSize, this.outSize];
    return [
      { name: this.names[0], shape: [I, O], init: 'xavier', fanIn: I, fanOut: O, decay: true },
      { name: this.names[1], shape: [O], init: 'zeros', fanIn: I, fanOut: O, decay: false },
    ];
  }

  bind(params: Float32Array[], grads: Float32Array[]): void {
    [this.W, this.b] = params;
    [this.dW, this.db] = grads;
  }

  forward(x: Float32Array, n: number, mode: Mode): Float32Array {
    if (mode.training) this.x = x;
    const y = (mode.training ? this.y : this.yEval).get(n * this.outSize);
    native.denseForward(x, this.W, this.b, y, n, this.inSize, this.outSize, this.relu);
    return y;
  }

  backward(dy: Float32Array, n: number, needDx: boolean): Float32Array | null {
    let dz = dy;
    if (this.relu) {
      dz = this.dz.zeroed(n * this.outSize);
      native.reluBackward(this.y.get(n * this.outSize), dy, dz);
    }
    // Overwrites dW, db and dx: no zeroing pass over what can be the largest buffers of the model.
    const dx = needDx ? this.dx.get(n * this.inSize) : null;
    native.denseBackward(this.x, this.W, dz, this.dW, this.db, dx, n, this.inSize, this.outSize, false);
    return dx;
  }
}
