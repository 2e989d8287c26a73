// The course's MLP: inputs -> hidden (ReLU) -> classes (softmax), cross-entropy, Xavier init.
import { Dense } from './layers/dense';
import { Network } from './network';
import * as check from './validate';

export interface MlpOptions {
  /** Values per sample (default 784 = 28 x 28). */
  inputs?: number;
  /** Hidden units (default 1000, the course's). */
  hidden?: number;
  /** Classes (default 10). */
  classes?: number;
  /** Seed of the Xavier initialization (default 521): the same seed gives the same weights. */
  seed?: number;
}

const KEYS = ['inputs', 'hidden', 'classes', 'seed'] as const;
const MAX_UNITS = 1 << 20;

export class MLP extends Network {
  readonly kind = 'mlp' as const;
  readonly options: Readonly<Required<MlpOptions>>;

  constructor(options: MlpOptions = {}) {
    const o = check.object('mlp options', options);
    check.knownKeys('mlp options', o, KEYS);
    const inputs = check.integer('inputs', o.inputs ?? 784, 1, MAX_UNITS);
    const hidden = check.integer('hidden', o.hidden ?? 1000, 1, MAX_UNITS);
    const classes = check.integer('classes', o.classes ?? 10, 2, MAX_UNITS);
    const seed = check.integer('seed', o.seed ?? 521, 0, 2 ** 32 - 1);
    if (inputs * hidden + hidden * classes > 2 ** 30) {
      throw new RangeError(`mlp: ${inputs}x${hidden}x${classes} needs more than 2^30 weights; use fewer units`);
    }
    super(inputs, classes, [
      new Dense(inputs, hidden, true, ['W_h', 'b_h']),
      new Dense(hidden, classes, false, ['W_o', 'b_o']),
    ], 0, seed, false);
    this.options = Object.freeze({ inputs, hidden, classes, seed });
  }
}

/** Builds the course's MLP: `inputs` -> `hidden` ReLU -> `classes` softmax. */
export function mlp(options: MlpOptions = {}): MLP {
  return new MLP(options);
}
