// The course's MLP as a preset stack: inputs -> hidden (ReLU) -> classes (softmax), cross-entropy,
// Xavier init, with the course's weight names. Several hidden layers stack as hidden: [512, 256].
import { layers } from './layers/specs';
import { momentum } from './optim';
import { Sequential } from './sequential';
import * as check from './validate';

export interface MlpOptions {
  /** Values per sample (default 784 = 28 x 28). */
  inputs?: number;
  /** Hidden units (default 1000, the course's), or one count per hidden layer. */
  hidden?: number | number[];
  /** Classes (default 10). */
  classes?: number;
  /** Seed of the Xavier initialization (default 521): the same seed gives the same weights. */
  seed?: number;
}

const KEYS = ['inputs', 'hidden', 'classes', 'seed'] as const;
const MAX_UNITS = 1 << 20;

function normalize(options: MlpOptions) {
  const o = check.object('mlp options', options);
  check.knownKeys('mlp options', o, KEYS);
  const inputs = check.integer('inputs', o.inputs ?? 784, 1, MAX_UNITS);
  const h = o.hidden ?? 1000;
  const hidden = Array.isArray(h)
    ? h.map((v, i) => check.integer(`hidden[${i}]`, v, 1, MAX_UNITS))
    : check.integer('hidden', h, 1, MAX_UNITS);
  const classes = check.integer('classes', o.classes ?? 10, 2, MAX_UNITS);
  const seed = check.integer('seed', o.seed ?? 521, 0, 2 ** 32 - 1);
  const sizes = [inputs, ...(Array.isArray(hidden) ? hidden : [hidden]), classes];
  const weights = sizes.slice(1).reduce((s, v, i) => s + sizes[i] * v, 0);
  if (weights > 2 ** 30) throw new RangeError(`mlp: ${sizes.join('x')} needs more than 2^30 weights; use fewer units`);
  return { inputs, hidden, classes, seed };
}

export class MLP extends Sequential {
  declare readonly options: Readonly<{ inputs: number; hidden: number | number[]; classes: number; seed: number }>;

  constructor(options: MlpOptions = {}) {
    const o = normalize(options);
    const hidden = Array.isArray(o.hidden) ? o.hidden : [o.hidden];
    // W_h, b_h for one hidden layer (the course's); W_h1, b_h1, W_h2, ... for several.
    const suffix = (i: number) => (Array.isArray(o.hidden) ? String(i + 1) : '');
    const names: (string[] | undefined)[] = [];
    const stack = hidden.flatMap((units, i) => {
      names.push([`W_h${suffix(i)}`, `b_h${suffix(i)}`], undefined);
      return [layers.dense({ units }), layers.relu()];
    });
    names.push(['W_o', 'b_o']);
    super({ input: [o.inputs], layers: [...stack, layers.dense({ units: o.classes })], l2: 0, seed: o.seed }, {
      kind: 'mlp',
      options: Object.freeze({ ...o, hidden: Array.isArray(o.hidden) ? Object.freeze(o.hidden) : o.hidden }) as MLP['options'],
      defaults: { batchSize: 100, evalBatchSize: 1000, optimizer: () => momentum() },
      names,
      stateByIndex: true,
    });
  }
}

/** Builds the course's MLP: `inputs` -> `hidden` ReLU (one or several layers) -> `classes` softmax. */
export function mlp(options: MlpOptions = {}): MLP {
  return new MLP(options);
}
