// sequential(): a network from a list of layers. The stack is checked shape by shape at
// construction (every refusal names the layer, its input shape and the fix), then built into the
// runtime layers of src/layers/, with a ReLU right after a dense or conv layer fused into it.
import { Activation } from './layers/activation';
import { AvgPool2d } from './layers/avg-pool2d';
import { BatchNorm } from './layers/batch-norm';
import { Conv2d, convOutput } from './layers/conv2d';
import { Dense } from './layers/dense';
import { Dropout } from './layers/dropout';
import { Layer } from './layers/layer';
import { MaxPool2d } from './layers/max-pool2d';
import { LayerSpec, NormalizedLayer, normalizeLayer } from './layers/specs';
import { ModelDefaults, Network } from './network';
import { adam } from './optim';
import * as check from './validate';

export interface SequentialOptions {
  /** Per-sample input shape: [height, width, channels] for images (NHWC), or [features]. */
  input: number[];
  /** The layers, first to last; the last gives one score (logit) per class. */
  layers: LayerSpec[];
  /** L2 weight decay: adds l2 * sum(W^2) / 2 over every W (not biases, nor batch norm's gamma, beta). */
  l2?: number;
  /** Seed of the Xavier initialization and of the dropout masks (default 521). */
  seed?: number;
}

/** A stack with every option filled in: sequential(stack) rebuilds the same network. */
export interface NormalizedStack {
  input: number[];
  layers: NormalizedLayer[];
  l2: number;
  seed: number;
}

/** One layer of a built network, as `architecture` describes it. */
export interface LayerInfo {
  /** The layer as normalized: type, name and every option. */
  config: NormalizedLayer;
  type: NormalizedLayer['type'];
  name: string;
  /** Per-sample shapes, [height, width, channels] or [features]. */
  inputShape: number[];
  outputShape: number[];
  /** Its tensors' names in getWeights(), by role: W and b (dense, conv2d), gamma and beta (affine batch norm). */
  weights: Record<string, string>;
  /** Its non-trainable tensors' names in getState(), by role (batch norm: running_mean, running_var). */
  state: Record<string, string>;
  /** Trainable values. */
  parameters: number;
}

/** How a preset (mlp, cnn) builds on a stack: its own kind, options, defaults and weight names. */
export interface Preset {
  kind: string;
  options: Readonly<Record<string, unknown>>;
  defaults: ModelDefaults;
  /** Weight names per layer index (in role order: W, b or gamma, beta) instead of `<name>.W`. */
  names: (string[] | undefined)[];
  /** State named `layer<i>.` by runtime index, as the presets' files have always had it. */
  stateByIndex: boolean;
  /** Normalize evaluation batches by their own statistics in every batch norm. */
  batchStatsInEval?: boolean;
}

const MAX_WEIGHTS = 2 ** 30;
/** Values per sample of any layer's output (256 MiB of float32 per sample). */
const MAX_ACTIVATIONS = 2 ** 26;
/** Activations per evaluation pass that keep one pass short (the CNN's 200 rows of 25,088). */
const EVAL_ACTIVATIONS = 5_000_000;

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

function normalizeStack(options: SequentialOptions): NormalizedStack {
  const o = check.object('sequential options', options);
  check.knownKeys('sequential options', o, ['input', 'layers', 'l2', 'seed']);
  const input = o.input;
  if (!Array.isArray(input) || (input.length !== 1 && input.length !== 3)) {
    throw new TypeError(`input must be [height, width, channels] or [features], got ${check.describe(input)}`);
  }
  input.forEach((d, i) => check.integer(`input[${i}]`, d, 1, i === 0 && input.length === 1 ? 1 << 24 : 4096));
  if (!Array.isArray(o.layers) || o.layers.length === 0) {
    throw new TypeError(`layers must be a non-empty array of layers (layers.dense(...), ...), got ${check.describe(o.layers)}`);
  }
  const layers = o.layers.map((spec, i) => normalizeLayer(spec, i + 1));
  const seen = new Set<string>();
  for (const l of layers) {
    // The kernels add eps in float32: one that rounds to 0 there divides a constant column by 0.
    if (l.type === 'batchNorm') check.positiveFloat32(`${l.name}.eps`, l.eps);
    if (seen.has(l.name)) throw new TypeError(`two layers are named "${l.name}"; give each a name of its own`);
    seen.add(l.name);
  }
  return {
    input: [...input] as number[],
    layers,
    l2: check.finite('l2', o.l2 ?? 0, { min: 0 }),
    seed: check.integer('seed', o.seed ?? 521, 0, 2 ** 32 - 1),
  };
}

interface Built {
  runtime: Layer[];
  infos: LayerInfo[];
  inputSize: number;
  classes: number;
  /** Most activations per sample that one layer outputs. */
  widest: number;
}

/** One layer as the shape walk sees it, before anything is allocated. */
interface Planned {
  l: NormalizedLayer;
  inputShape: number[];
  outputShape: number[];
  /** Trainable values the layer holds. */
  parameters: number;
  /** Non-trainable values it keeps (batch norm's running mean and variance). */
  stateValues: number;
  /** A dense or conv layer applies the ReLU that follows it (directly, or after a dropout). */
  relu: boolean;
  /** An activation that runs fused into the layer before it, so it has no runtime layer. */
  fused: boolean;
}

interface Plan {
  layers: Planned[];
  parameters: number;
  stateValues: number;
  classes: number;
  widest: number;
}

function image(l: NormalizedLayer, shape: number[]): [number, number, number] {
  if (shape.length !== 3) {
    throw new RangeError(`${l.name} (${l.type}) needs an image input [height, width, channels], but its input has ` +
      `shape ${fmt(shape)}; give sequential() input: [height, width, channels], or move it before the flatten`);
  }
  return shape as [number, number, number];
}

/**
 * Walks the stack's shapes and counts its weights without building or allocating anything, so that
 * every refusal (a shape that does not fit, a stack past 2^30 weights or 2^26 activations per
 * sample) comes before any memory is taken.
 */
function plan(stack: NormalizedStack): Plan {
  const specs = stack.layers;
  const out: Planned[] = [];
  const fused = new Set<number>();
  let shape = stack.input;
  let parameters = 0;
  let stateValues = 0;
  let widest = size(shape);
  if (widest > MAX_ACTIVATIONS) {
    throw new RangeError(`input ${fmt(shape)} has ${widest} values per sample, more than 2^26; use smaller images or fewer channels`);
  }
  const nextIsRelu = (i: number) => specs[i]?.type === 'relu';
  specs.forEach((l, i) => {
    const inputShape = shape;
    const p: Planned = { l, inputShape, outputShape: shape, parameters: 0, stateValues: 0, relu: false, fused: fused.has(i) };
    switch (l.type) {
      case 'dense': {
        if (shape.length !== 1) {
          throw new RangeError(`${l.name} (dense) takes a vector, but its input has shape ${fmt(shape)} ` +
            '(height, width, channels); put layers.flatten() before it');
        }
        // ReLU right after, or after a dropout in between (ReLU commutes with dropout's positive scale).
        if (nextIsRelu(i + 1)) { p.relu = true; fused.add(i + 1); }
        else if (specs[i + 1]?.type === 'dropout' && nextIsRelu(i + 2)) { p.relu = true; fused.add(i + 2); }
        p.parameters = shape[0] * l.units + l.units;
        shape = [l.units];
        break;
      }
      case 'conv2d': {
        const [H, W, C] = image(l, shape);
        const [KH, KW] = l.kernel;
        if (l.padding === 'valid' && (KH > H || KW > W)) {
          throw new RangeError(`${l.name} (conv2d): its ${KH}x${KW} kernel is larger than its input ${fmt(shape)} with ` +
            "padding 'valid'; use a smaller kernel, padding 'same', or fewer pools before it");
        }
        const { OH, OW } = convOutput({ H, W, C, KH, KW, F: l.filters, stride: l.stride, padding: l.padding });
        if (nextIsRelu(i + 1)) { p.relu = true; fused.add(i + 1); }
        p.parameters = KH * KW * C * l.filters + l.filters;
        shape = [OH, OW, l.filters];
        break;
      }
      case 'maxPool2d':
      case 'avgPool2d': {
        const [H, W, C] = image(l, shape);
        if (l.size > H || l.size > W) {
          throw new RangeError(`${l.name} (${l.type}): its ${l.size}x${l.size} window is larger than its input ` +
            `${fmt(shape)}; use a smaller size, padding 'same' in the convolutions before it, or fewer pools`);
        }
        shape = [Math.floor((H - l.size) / l.stride) + 1, Math.floor((W - l.size) / l.stride) + 1, C];
        break;
      }
      case 'batchNorm': {
        const columns = l.mode === 'activation' ? size(shape) : shape[shape.length - 1];
        p.parameters = l.affine ? 2 * columns : 0;
        p.stateValues = 2 * columns;
        break;
      }
      case 'flatten':
        shape = [size(shape)];
        break;
      default:
        break;
    }
    p.outputShape = shape;
    const values = size(shape);
    if (values > MAX_ACTIVATIONS) {
      throw new RangeError(`${l.name} (${l.type}) outputs ${fmt(shape)}, ${values} values per sample, more than 2^26; ` +
        'use fewer filters, a stride or a pool first, or smaller inputs');
    }
    widest = Math.max(widest, values);
    parameters += p.parameters;
    stateValues += p.stateValues;
    if (parameters > MAX_WEIGHTS) {
      throw new RangeError(`${l.name} (${l.type}) brings the stack past 2^30 weights; use fewer units or filters, or pool first`);
    }
    out.push(p);
  });
  const last = specs[specs.length - 1];
  if (shape.length !== 1 || shape[0] < 2) {
    throw new RangeError(`the last layer, ${last.name} (${last.type}), gives ${fmt(shape)} per sample; a stack ends ` +
      'in one score per class, at least two: end with layers.dense({ units: <classes> })' +
      (shape.length === 3 ? ' after layers.flatten()' : ''));
  }
  return { layers: out, parameters, stateValues, classes: shape[0], widest };
}

function build(stack: NormalizedStack, preset?: Preset): Built {
  const planned = plan(stack);
  const runtime: Layer[] = [];
  const infos: LayerInfo[] = [];
  let dropouts = 0;
  planned.layers.forEach((p, i) => {
    const l = p.l;
    const shape = p.inputShape;
    const names = (roles: string[]) => Object.fromEntries(roles.map((r, k) => [r, preset?.names[i]?.[k] ?? `${l.name}.${r}`]));
    const info: LayerInfo = {
      config: l, type: l.type, name: l.name, inputShape: shape, outputShape: p.outputShape, weights: {}, state: {}, parameters: 0,
    };
    let layer: Layer | undefined;
    switch (l.type) {
      case 'dense':
        info.weights = names(['W', 'b']);
        layer = new Dense(shape[0], l.units, p.relu, [info.weights.W, info.weights.b]);
        break;
      case 'conv2d': {
        const [H, W, C] = shape;
        const [KH, KW] = l.kernel;
        info.weights = names(['W', 'b']);
        layer = new Conv2d({ H, W, C, KH, KW, F: l.filters, stride: l.stride, padding: l.padding }, p.relu,
          [info.weights.W, info.weights.b]);
        break;
      }
      case 'maxPool2d':
      case 'avgPool2d': {
        const [H, W, C] = shape;
        layer = l.type === 'maxPool2d' ? new MaxPool2d(H, W, C, l.size, l.stride) : new AvgPool2d(H, W, C, l.size, l.stride);
        break;
      }
      case 'batchNorm': {
        const [H, W, C] = shape.length === 3 ? shape : [1, 1, shape[0]];
        if (l.affine) info.weights = names(['gamma', 'beta']);
        layer = new BatchNorm(H, W, C, l.mode === 'activation' ? 'batch' : 'channel', l.eps, l.momentum, {
          affine: l.affine ? [info.weights.gamma, info.weights.beta] : undefined,
          batchStatsInEval: l.evaluation === 'batch' || preset?.batchStatsInEval,
        });
        break;
      }
      case 'dropout':
        layer = new Dropout(size(shape), l.keepProb, stack.seed ^ 0x5eed, dropouts++);
        break;
      case 'relu':
      case 'leakyRelu':
      case 'tanh':
      case 'sigmoid':
        if (!p.fused) layer = new Activation(size(shape), l.type, l.type === 'leakyRelu' ? l.alpha : 0);
        break;
      case 'flatten':
        break;
    }
    if (layer) {
      const key = preset?.stateByIndex ? `layer${runtime.length}` : l.name;
      layer.stateKey = key;
      info.state = Object.fromEntries(Object.keys(layer.state()).map((k) => [k, `${key}.${k}`]));
      info.parameters = layer.params().reduce((s, q) => s + size(q.shape), 0);
      runtime.push(layer);
    }
    infos.push(info);
  });
  return { runtime, infos, inputSize: size(stack.input), classes: planned.classes, widest: planned.widest };
}

/**
 * The trainable values (W, b, gamma, beta) and the non-trainable ones (running averages) that
 * sequential(options) would hold, counted without building it: what a model file claims, checked
 * against what it holds before anything is allocated. Throws as sequential() does for a bad stack.
 */
export function stackValues(options: SequentialOptions): { parameters: number; state: number } {
  const p = plan(normalizeStack(options));
  return { parameters: p.parameters, state: p.stateValues };
}

/** A network built from a stack of layers; see sequential(). */
export class Sequential extends Network {
  readonly kind: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly defaults: ModelDefaults;
  /** The stack, normalized (every default filled in, every layer named). */
  readonly stack: Readonly<NormalizedStack>;
  readonly #infos: LayerInfo[];

  /** `preset` is how mlp() and cnn() build on a stack; sequential() passes none. */
  constructor(options: SequentialOptions, preset?: Preset) {
    const stack = normalizeStack(options);
    const built = build(stack, preset);
    super(built.inputSize, built.classes, built.runtime, stack.l2, stack.seed, false);
    this.stack = deepFreeze(stack);
    this.kind = preset?.kind ?? 'sequential';
    this.options = preset?.options ?? this.stack as unknown as Record<string, unknown>;
    this.defaults = preset?.defaults ?? {
      batchSize: 32,
      evalBatchSize: Math.max(16, Math.min(1000, Math.floor(EVAL_ACTIVATIONS / built.widest))),
      optimizer: () => adam({ lr: 1e-3 }),
    };
    this.#infos = built.infos;
  }

  /**
   * The layers in order, each with its type, name, options, per-sample input and output shapes, and
   * the names of its tensors in getWeights() and getState(): enough to walk the network (to export
   * it, say) without knowing how it was built.
   */
  get architecture(): { input: number[]; classes: number; layers: LayerInfo[] } {
    return {
      input: [...this.stack.input],
      classes: this.classes,
      layers: this.#infos.map((l) => ({
        ...l, inputShape: [...l.inputShape], outputShape: [...l.outputShape], weights: { ...l.weights }, state: { ...l.state },
      })),
    };
  }

  /** A table of the layers (name and type, output shape, parameters) and the totals; printed too when print is true. */
  summary(print = true): string {
    const rows = [['layer', 'output shape', 'parameters'], ...this.#infos.map((l) => [
      `${l.name} (${l.type})`, fmt(l.outputShape), String(l.parameters),
    ])];
    const width = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
    const line = (r: string[]) => `${r[0].padEnd(width[0])}  ${r[1].padEnd(width[1])}  ${r[2].padStart(width[2])}`;
    const rule = '-'.repeat(width[0] + width[1] + width[2] + 4);
    const text = [
      `input ${fmt(this.stack.input)}`, line(rows[0]), rule, ...rows.slice(1).map(line), rule,
      `total parameters: ${this.parameterCount}`,
      `weights under L2: ${this.specs.filter((s) => s.decay).reduce((n, s) => n + size(s.shape), 0)}` +
        (this.stack.l2 > 0 ? ` (l2 ${this.stack.l2})` : ' (l2 0)'),
    ].join('\n');
    if (print) console.log(text);
    return text;
  }

  protected describeOutput(): string {
    if (this.kind !== 'sequential') return `this ${this.kind} has ${this.classes} classes; build it with its classes option set`;
    const last = this.#infos[this.#infos.length - 1];
    return `the last layer, ${last.name} (${last.type}), gives ${this.classes} scores; give it units: <number of classes>`;
  }
}

/** Builds a network from a stack of layers (see SequentialOptions and `layers`). */
export function sequential(options: SequentialOptions): Sequential {
  return new Sequential(options);
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}
