import { native } from '../native';
import { Layer, Mode, Workspace } from './layer';

/** Inverted dropout: keeps each activation with probability keepProb and scales it by 1/keepProb. */
export class Dropout extends Layer {
  readonly inSize: number;
  readonly outSize: number;
  private readonly y = new Workspace();
  private readonly mask = new Workspace();
  private readonly dx = new Workspace();
  private active = false;
  /** Advances once per training forward pass, so every batch draws a fresh mask. */
  counter = 0;

  /** stream tells apart the masks of several dropout layers built from one seed. */
  constructor(size: number, readonly keepProb: number, private readonly seed: number, private readonly stream = 0) {
    super();
    this.inSize = this.outSize = size;
  }

  sampleWise(mode: Mode): boolean {
    return !mode.training;
  }

  forward(x: Float32Array, n: number, mode: Mode): Float32Array {
    if (!mode.training) return x;
    this.active = this.keepProb < 1;
    if (!this.active) return x;
    const len = n * this.outSize;
    const y = this.y.get(len);
    native.dropoutForward(x, y, this.mask.get(len), this.keepProb, this.seed >>> 0, this.stream >>> 0, this.counter++);
    return y;
  }

  backward(dy: Float32Array, n: number, needDx: boolean): Float32Array | null {
    if (!needDx) return null;
    if (!this.active) return dy;
    const len = n * this.inSize;
    const dx = this.dx.get(len);
    native.dropoutBackward(dy, this.mask.get(len), dx, false);
    return dx;
  }
}
