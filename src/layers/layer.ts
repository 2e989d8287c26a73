// The layer contract the network composes. Layers own their workspaces (sized once per batch size)
// and keep what backward needs from forward; parameters are views into the network's one buffer.
import type { UpdateRule } from '../native';

export interface ParamSpec {
  /** Public name, e.g. `W_h` (the course's names). */
  name: string;
  shape: number[];
  init: 'xavier' | 'zeros' | 'ones';
  /** Xavier's fan-in and fan-out (variance 2 / (fanIn + fanOut)). */
  fanIn: number;
  fanOut: number;
  /** Included in the L2 penalty (weights are, biases are not). */
  decay: boolean;
}

export interface Mode {
  /** Training: batch statistics for batch norm, dropout active. */
  training: boolean;
  /** Evaluation with batch statistics instead of running averages (the course's behaviour). */
  batchStatsInEval: boolean;
}

/** A growable Float32Array workspace that hands out exact-length views, reusing them per length. */
export class Workspace {
  private data: Float32Array = new Float32Array(0);
  private view: Float32Array = this.data;

  get(length: number): Float32Array {
    if (this.data.length < length) {
      this.data = new Float32Array(length);
      this.view = this.data.subarray(0, length);
    } else if (this.view.length !== length || this.view.buffer !== this.data.buffer) {
      this.view = this.data.subarray(0, length);
    }
    return this.view;
  }

  /** As get(), zero-filled: backward kernels accumulate into their outputs. */
  zeroed(length: number): Float32Array {
    const v = this.get(length);
    v.fill(0);
    return v;
  }

  get bytes(): number {
    return this.data.byteLength;
  }
}

export abstract class Layer {
  /** Values per sample in and out. */
  abstract readonly inSize: number;
  abstract readonly outSize: number;

  params(): ParamSpec[] {
    return [];
  }

  /** Receives views of the parameters and gradients, in the order of params(). */
  bind(_params: Float32Array[], _grads: Float32Array[]): void {}

  /** True when backward() overwrites its parameter gradients rather than accumulating into them, so
   * the network need not zero them first. */
  readonly overwritesGrads: boolean = false;

  /** The index in params() of a parameter that backwardUpdate() can update itself, or -1. */
  readonly fusedParam: number = -1;

  /**
   * backward(), fused with the optimizer's update of params()[fusedParam]: its gradient (plus l2
   * times the parameter) goes straight into `rule` and is not written to the gradient buffer. Returns
   * dx (when needDx) and the parameter's sum of squares before the update (0 when l2 is 0).
   */
  backwardUpdate(_dy: Float32Array, _n: number, _needDx: boolean, _rule: UpdateRule, _l2: number):
    { dx: Float32Array | null; squares: number } {
    throw new Error(`${this.constructor.name} has no fused update`);
  }

  /** Prefix of this layer's state() names in the network's getState() (default: `layer<index>`). */
  stateKey?: string;

  /** Non-trainable state saved with the model (e.g. batch norm's running averages). */
  state(): Record<string, Float32Array> {
    return {};
  }

  /** Whether forward() in this mode computes each sample from that sample alone (so a batch may be
   * run in parts): convolutions, pooling, activations, and normalization by fixed statistics. */
  sampleWise(_mode: Mode): boolean {
    return false;
  }

  /** x holds n samples (exactly n * inSize values); returns n * outSize values. */
  abstract forward(x: Float32Array, n: number, mode: Mode): Float32Array;

  /** dy holds n * outSize values; fills or accumulates parameter gradients (see overwritesGrads);
   * returns dx when needDx. */
  abstract backward(dy: Float32Array, n: number, needDx: boolean): Float32Array | null;
}
