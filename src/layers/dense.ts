import { native, UpdateRule } from '../native';
import { Layer, Mode, ParamSpec, Workspace } from './layer';

/** y = x W + b, optionally fused with ReLU. x (N,I), W (I,O), b (O), y (N,O). */
export class Dense extends Layer {
  readonly overwritesGrads = true;
  readonly fusedParam = 0;
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
    const dz = this.preActivationGrad(dy, n);
    // Overwrites dW, db and dx: no zeroing pass over what can be the largest buffers of the model.
    const dx = needDx ? this.dx.get(n * this.inSize) : null;
    native.denseBackward(this.x, this.W, dz, this.dW, this.db, dx, n, this.inSize, this.outSize, false);
    return dx;
  }

  backwardUpdate(dy: Float32Array, n: number, needDx: boolean, rule: UpdateRule, l2: number):
    { dx: Float32Array | null; squares: number } {
    const dz = this.preActivationGrad(dy, n);
    const dx = needDx ? this.dx.get(n * this.inSize) : null;
    const squares = native.denseBackwardUpdate(this.x, this.W, dz, this.db, dx, n, this.inSize, this.outSize, l2, rule);
    return { dx, squares };
  }

  /** The gradient before the ReLU, when the layer has one. */
  private preActivationGrad(dy: Float32Array, n: number): Float32Array {
    if (!this.relu) return dy;
    const dz = this.dz.get(n * this.outSize);
    native.reluBackward(this.y.get(n * this.outSize), dy, dz, false);
    return dz;
  }
}
