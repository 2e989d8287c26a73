// A feed-forward network over one flat parameter buffer, with a fused softmax + cross-entropy head.
// Every model is a Network (sequential() stacks, and the mlp() and cnn() presets built on them);
// train() drives any of them through the same methods.
import { native } from './native';
import { Layer, Mode, ParamSpec, Workspace } from './layers/layer';
import { ConvBlock } from './layers/conv-block';
import { MT19937 } from './random';
import type { SaveModelExtra } from './io/checkpoint';
import type { Optimizer } from './optim';
import * as check from './validate';

export type Weights = Record<string, Float32Array>;

export interface BatchResult {
  /** Mean cross-entropy over the batch, plus the L2 term when the model has one. */
  loss: number;
  /** Samples whose most probable class is the label. */
  correct: number;
}

/** What a model chooses when train() or the CLI is not told otherwise. */
export interface ModelDefaults {
  /** Minibatch size. */
  batchSize: number;
  /** Rows per evaluation pass: short enough that one pass does not hold the event loop for long. */
  evalBatchSize: number;
  /** A fresh optimizer for a training run. */
  optimizer(): Optimizer;
}

export interface Metrics {
  loss: number;
  accuracy: number;
}

const TRAINING: Mode = { training: true, batchStatsInEval: false };
/** Samples per part when an evaluation pass runs its leading sample-wise layers part by part: a
 * convolution's activations (100 KB per 28x28x32 image) then stay in cache between layers, and a
 * paused pass yields between parts. A multiple of the convolution's sample block (kSampleBlockMax in
 * binding/kernels/conv.h), so a part's outputs are the bits of the whole batch's. */
const SAMPLE_PART = 32;

/** Set while buildUninitialized runs: models built then skip their random initialization. */
let skipInitialization = false;

/**
 * Internal: runs build() with models built inside it left at zero instead of drawn at random, for a
 * caller that overwrites every parameter next (the training worker restoring a snapshot: the CNN's
 * 4.9 M Gaussian draws take about half a second).
 */
export function buildUninitialized<T>(build: () => T): T {
  const was = skipInitialization;
  skipInitialization = true;
  try {
    return build();
  } finally {
    skipInitialization = was;
  }
}

/** Network[ADOPT_PARAMS](p): p becomes the model's parameters, without a copy (internal). */
export const ADOPT_PARAMS = Symbol('gemmnet.adoptParams');

export abstract class Network {
  /** Every parameter, contiguous; the named weights are views into it. */
  readonly params: Float32Array;
  /** Gradients, laid out like params. */
  readonly grads: Float32Array;
  readonly specs: readonly ParamSpec[];
  /** Per weight name: its views into params and grads, and where they start. */
  private readonly views = new Map<string, { param: Float32Array; grad: Float32Array; spec: ParamSpec; offset: number }>();
  private readonly probs = new Workspace();
  private readonly evalProbs = new Workspace();
  /** The gathered outputs of the sample-wise layers run in parts (forwardInParts). */
  private readonly partsOut = new Workspace();
  /** Activations of a paused evaluation pass (evalRangeAsync), out of reach of predict(). */
  private readonly evalHold = [new Workspace(), new Workspace()];
  private stepping = false;
  private readonly dlogits = new Workspace();
  private readonly xBatch = new Workspace();
  /** Gradients of the layers that accumulate into them, zeroed before each backward pass. */
  private readonly accumulated: Float32Array[] = [];
  /** Per layer, the parameter its backward pass can update itself (see Layer.backwardUpdate). */
  private readonly fusedAt: ({ offset: number; length: number; decay: boolean } | undefined)[] = [];
  private readonly fusedNames = new Set<string>();
  /** Per layer, the convolution block starting there that evaluation can run in one pass (ConvBlock). */
  private readonly blocks: (ConvBlock | null)[];
  protected readonly evalMode: Mode;

  /** What built the model ('mlp', 'cnn', 'sequential'): the key of the save/load registry. */
  abstract readonly kind: string;
  abstract readonly defaults: ModelDefaults;
  /** The options the model was built with (normalized), enough to rebuild it. */
  abstract readonly options: Readonly<Record<string, unknown>>;

  protected constructor(
    readonly inputSize: number,
    readonly classes: number,
    protected readonly layers: Layer[],
    readonly l2: number,
    seed: number,
    batchStatsInEval: boolean,
  ) {
    this.evalMode = { training: false, batchStatsInEval };
    this.blocks = layers.map((_, i) => ConvBlock.at(layers, i));
    this.specs = layers.flatMap((l) => l.params());
    const total = this.specs.reduce((s, p) => s + size(p.shape), 0);
    this.params = new Float32Array(total);
    this.grads = new Float32Array(total);
    let offset = 0;
    for (const [li, layer] of layers.entries()) {
      for (const [k, spec] of layer.params().entries()) {
        const n = size(spec.shape);
        const grad = this.grads.subarray(offset, offset + n);
        this.views.set(spec.name, { param: this.params.subarray(offset, offset + n), grad, spec, offset });
        if (!layer.overwritesGrads) this.accumulated.push(grad);
        if (k === layer.fusedParam) {
          this.fusedAt[li] = { offset, length: n, decay: spec.decay };
          this.fusedNames.add(spec.name);
        }
        offset += n;
      }
    }
    this.bindLayers();
    if (!skipInitialization) this.initialize(seed);
  }

  /**
   * Takes p (the model's length, nothing else holding it) as the model's parameters in place of a
   * copy: the named weights and every layer then view p. Internal: the training worker's weights
   * arrive in a transferred buffer, and copying 20 MB into params would hold the event loop for
   * milliseconds. In the middle of a training step it copies instead. Returns whether p was taken.
   */
  [ADOPT_PARAMS](p: Float32Array): boolean {
    if (!(p instanceof Float32Array) || p.length !== this.params.length) {
      throw new RangeError(`the parameters to adopt must be a Float32Array of ${this.params.length} values`);
    }
    if (this.stepping) {
      this.params.set(p);
      return false;
    }
    (this as { params: Float32Array }).params = p;
    for (const view of this.views.values()) view.param = p.subarray(view.offset, view.offset + view.param.length);
    this.bindLayers();
    return true;
  }

  /** Gives every layer its weights' and gradients' current views. */
  private bindLayers(): void {
    for (const layer of this.layers) {
      const vs = layer.params().map((spec) => this.views.get(spec.name)!);
      layer.bind(vs.map((v) => v.param), vs.map((v) => v.grad));
    }
  }

  /** Xavier (Glorot) normal init: zero-mean Gaussian with variance 2 / (fanIn + fanOut); zero biases. */
  private initialize(seed: number): void {
    const rng = new MT19937(seed);
    for (const { param, spec } of this.views.values()) {
      if (spec.init === 'xavier') param.set(rng.normal(param.length, Math.sqrt(2 / (spec.fanIn + spec.fanOut))));
      else param.fill(spec.init === 'ones' ? 1 : 0);
    }
  }

  /** Shapes of the named weights. */
  get shapes(): Record<string, number[]> {
    return Object.fromEntries([...this.views].map(([k, v]) => [k, [...v.spec.shape]]));
  }

  /** Copies of the named weights (row-major, layouts as in `shapes`). */
  getWeights(): Weights {
    return Object.fromEntries([...this.views].map(([k, v]) => [k, v.param.slice()]));
  }

  /** Copies in any subset of the named weights; names and lengths are checked first. */
  setWeights(weights: Partial<Weights>): void {
    const w = check.object('weights', weights);
    // Object.entries reads each property (a getter included) once; the values checked are the ones copied.
    const entries = Object.entries(w);
    for (const [name, value] of entries) {
      const view = this.views.get(name);
      if (!view) {
        throw new TypeError(`setWeights: unknown weight "${name}"; this ${this.kind} has ${[...this.views.keys()].join(', ')}`);
      }
      if (!(value instanceof Float32Array)) {
        throw new TypeError(`setWeights: ${name} must be a Float32Array, got ${value === null ? 'null' : typeof value}`);
      }
      if (value.length !== view.param.length) {
        throw new RangeError(
          `setWeights: ${name} has ${value.length} values, expected ${view.param.length} (shape [${view.spec.shape}])`,
        );
      }
    }
    for (const [name, value] of entries) this.views.get(name)!.param.set(value as Float32Array);
  }

  /** Non-trainable state (batch norm's running averages), by layer index and name. */
  getState(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    this.layers.forEach((layer, i) => {
      for (const [k, v] of Object.entries(layer.state())) out[`${layer.stateKey ?? `layer${i}`}.${k}`] = v;
    });
    return out;
  }

  setState(state: Record<string, Float32Array>): void {
    const given = check.object('state', state);
    const own = this.getState();
    const entries = Object.entries(given);
    for (const [k, v] of entries) {
      if (!own[k]) throw new RangeError(`setState: unknown state "${k}"; this ${this.kind} has ${Object.keys(own).join(', ') || 'none'}`);
      if (!(v instanceof Float32Array)) throw new TypeError(`setState: ${k} must be a Float32Array`);
      if (v.length !== own[k].length) throw new RangeError(`setState: ${k} has ${v.length} values, expected ${own[k].length}`);
    }
    for (const [k, v] of entries) own[k].set(v as Float32Array);
  }

  /** Draw counters of the layers that use randomness (dropout), so a resumed run draws what an
   * uninterrupted one would. */
  getCounters(): number[] {
    return this.layers.filter(hasCounter).map((l) => l.counter);
  }

  setCounters(counters: readonly number[]): void {
    const layers = this.layers.filter(hasCounter);
    if (!Array.isArray(counters) || counters.length !== layers.length || !counters.every((c) => Number.isSafeInteger(c) && c >= 0)) {
      throw new RangeError(`setCounters: expected ${layers.length} non-negative integers`);
    }
    layers.forEach((l, i) => (l.counter = counters[i]));
  }

  /**
   * Saves the model (kind, options, weights, batch-norm state) to a .safetensors file, atomically;
   * `gemmnet.load(path)` rebuilds it exactly.
   */
  save(path: string, extra?: SaveModelExtra): void {
    // Loaded on use: the checkpoint module builds models, so it depends on this one.
    (require('./io/checkpoint') as typeof import('./io/checkpoint')).saveModel(this, path, extra);
  }

  /**
   * The model as ONNX bytes (opset 13): input `input` ([N, H, W, C] or [N, features]), output
   * `probabilities` ([N, classes]). See exportOnnx.
   */
  toOnnx(options: { classes?: string[] } = {}): Uint8Array {
    // Loaded on use, as save(): the exporter reads the layer classes.
    return (require('./export') as typeof import('./export')).specToOnnx(this.toSpec(options.classes));
  }

  /** The layers in evaluation mode as plain descriptions: what toOnnx encodes and the demo page runs. */
  toSpec(classes?: string[]): import('./export').NetworkSpec {
    return (require('./export') as typeof import('./export')).networkSpec(this as never, classes,
      this.evalMode.batchStatsInEval || this.layers.some((l) => (l as { batchStatsInEval?: boolean }).batchStatsInEval === true));
  }

  /** Forward pass; returns the logits (n * classes) held in the last layer's workspace. */
  protected forward(x: Float32Array, n: number, mode: Mode): Float32Array {
    let h = x;
    const first = this.sampleWisePrefix(n, mode);
    if (first > 0) h = runSteps(this.partSteps(x, n, first, mode, this.partsOut));
    for (let i = first; i < this.layers.length;) [h, i] = this.step(i, h, n, mode);
    return h;
  }

  /**
   * How many leading layers an evaluation pass over n samples runs part by part: the layers that
   * compute each sample alone (convolutions, pooling, ...), when n is more than a part. The dense
   * layers after them take the whole batch at once.
   */
  private sampleWisePrefix(n: number, mode: Mode): number {
    if (mode.training || n <= SAMPLE_PART) return 0;
    let first = 0;
    while (first < this.layers.length && this.layers[first].sampleWise(mode)) first++;
    return first;
  }

  /**
   * Layer i's forward pass, or in evaluation the convolution block starting at i in one pass when
   * it ends by `end` and runs fused here (same bits: see ConvBlock). Returns the output and the index
   * of the next layer to run.
   */
  private step(i: number, h: Float32Array, n: number, mode: Mode, end = this.layers.length): [Float32Array, number] {
    const block = mode.training ? null : this.blocks[i];
    if (block && i + block.span <= end && block.applies(mode)) return [block.forward(h, n, mode), i + block.span];
    return [this.layers[i].forward(h, n, mode), i + 1];
  }

  /**
   * Layers [0, count) on parts of SAMPLE_PART samples, their outputs gathered in `into` (n samples
   * of the last one's output), yielding after each part. A part's output is copied out before the
   * yield, so nothing is held in the layers' workspaces in between.
   */
  private *partSteps(x: Float32Array, n: number, count: number, mode: Mode, into: Workspace): Generator<void, Float32Array> {
    const outSize = this.layers[count - 1].outSize;
    const out = into.get(n * outSize);
    for (let start = 0; start < n; start += SAMPLE_PART) {
      const m = Math.min(SAMPLE_PART, n - start);
      let h = x.subarray(start * this.inputSize, (start + m) * this.inputSize);
      for (let i = 0; i < count;) [h, i] = this.step(i, h, m, mode, count);
      out.set(h, start * outSize);
      yield;
    }
    return out;
  }

  /**
   * One training-mode forward and backward pass on a batch (x: exactly n rows, labels: n). Zeroes
   * and fills `grads` (including l2 * W); returns the loss (including the L2 term) and hit count.
   * Arguments are trusted: the public methods validate first.
   */
  trainBatch(x: Float32Array, labels: Int32Array, n: number): BatchResult {
    return runSteps(this.trainSteps(x, labels, n));
  }

  /**
   * The ranges [start, end) of `params` that a training step given an optimizer with a fused rule
   * leaves to the optimizer: all but the weights the layers update during their backward pass.
   */
  get unfusedRanges(): [number, number][] {
    const out: [number, number][] = [];
    let start = 0;
    for (const f of this.fusedAt) {
      if (!f) continue;
      if (f.offset > start) out.push([start, f.offset]);
      start = f.offset + f.length;
    }
    if (start < this.params.length) out.push([start, this.params.length]);
    return out;
  }

  /**
   * trainBatch, awaiting `pause()` between layers: train() lets the event loop run there. Evaluation
   * uses workspaces of its own, so predict() or evaluate() in those gaps leaves the step intact.
   */
  async trainBatchAsync(x: Float32Array, labels: Int32Array, n: number, pause: () => Promise<void>,
    optimizer?: Optimizer): Promise<BatchResult> {
    return runStepsPausing(this.trainSteps(x, labels, n, optimizer), pause);
  }

  /**
   * The training step, yielding after each layer's forward and backward pass. Given an optimizer
   * that has a fused rule (and whose beginStep() has run for this step), the layers that can update
   * their weights during the backward pass do so: those weights are then updated, and their
   * gradients not stored; the caller updates the unfusedRanges.
   */
  private *trainSteps(x: Float32Array, labels: Int32Array, n: number, optimizer?: Optimizer): Generator<void, BatchResult> {
    if (this.stepping) {
      throw new Error(`this ${this.kind} is in the middle of a training step (a train() call is using it); ` +
        'train one model with one train() call at a time');
    }
    this.stepping = true;
    try {
      const C = this.classes;
      for (const g of this.accumulated) g.fill(0);
      let h = x;
      for (const layer of this.layers) {
        h = layer.forward(h, n, TRAINING);
        yield;
      }
      const p = this.probs.get(n * C);
      const [ce, correct] = native.softmaxCEForward(h, labels, p, n, C);
      let dy: Float32Array | null = this.dlogits.zeroed(n * C);
      native.softmaxCEBackward(p, labels, dy, n, C, 1 / n);
      const rule = optimizer?.rule?.bind(optimizer);
      let loss = ce;
      for (let i = this.layers.length - 1; i >= 0 && dy; i--) {
        const f = rule && this.fusedAt[i];
        if (f) {
          const r = this.layers[i].backwardUpdate(dy, n, i > 0, rule(f.offset, f.length), f.decay ? this.l2 : 0);
          dy = r.dx;
          if (f.decay) loss += (this.l2 / 2) * r.squares;
        } else {
          dy = this.layers[i].backward(dy, n, i > 0);
        }
        if (i > 0) yield;
      }
      if (this.l2 > 0) {
        for (const { param, grad, spec } of this.views.values()) {
          if (!spec.decay || (rule && this.fusedNames.has(spec.name))) continue;
          loss += (this.l2 / 2) * native.sumSquares(param);
          native.axpy(this.l2, param, grad);
        }
      }
      return { loss, correct };
    } finally {
      this.stepping = false;
    }
  }

  /** Evaluation-mode loss sum and hits over rows [start, end) of x, in one pass. */
  evalRange(x: Float32Array, labels: Int32Array, start: number, end: number): { lossSum: number; correct: number } {
    return runSteps(this.evalSteps(x, labels, start, end, false));
  }

  /** evalRange, awaiting `pause()` between layers. */
  async evalRangeAsync(x: Float32Array, labels: Int32Array, start: number, end: number,
    pause: () => Promise<void>): Promise<{ lossSum: number; correct: number }> {
    return runStepsPausing(this.evalSteps(x, labels, start, end, true), pause);
  }

  /**
   * The evaluation pass over rows [start, end), as forward() computes it (the same bits), yielding
   * after each part of the sample-wise layers and after each later layer. Paused, every output that
   * outlives a yield is held in evalHold, out of reach of the layers' workspaces that predict() or
   * evaluate() in the pause reuse.
   */
  private *evalSteps(x: Float32Array, labels: Int32Array, start: number, end: number, paused: boolean):
    Generator<void, { lossSum: number; correct: number }> {
    const n = end - start;
    const mode = this.evalMode;
    let h = x.subarray(start * this.inputSize, end * this.inputSize);
    const first = this.sampleWisePrefix(n, mode);
    if (first > 0) h = yield* this.partSteps(h, n, first, mode, paused ? this.evalHold[0] : this.partsOut);
    for (let i = first, k = 1; i < this.layers.length; k++) {
      [h, i] = this.step(i, h, n, mode);
      if (paused) {
        const hold = this.evalHold[k & 1].get(h.length);
        hold.set(h);
        h = hold;
      }
      yield;
    }
    const [ce, correct] = native.softmaxCEForward(h, labels.subarray(start, end), this.evalProbs.get(n * this.classes), n, this.classes);
    return { lossSum: ce * n, correct };
  }

  /** Mean cross-entropy and gradients of every named weight on a batch, in training mode. */
  lossAndGradients(x: Float32Array, labels: ArrayLike<number>): { loss: number; grads: Weights } {
    const n = check.rows('x', x, this.inputSize);
    const y = this.checkLabels('labels', labels, n);
    const { loss } = this.trainBatch(x, y, n);
    const grads = Object.fromEntries([...this.views].map(([k, v]) => [k, v.grad.slice()]));
    return { loss, grads };
  }

  /** Softmax probabilities, n * classes, computed in evaluation mode in chunks of batchSize rows. */
  predict(x: Float32Array, batchSize = this.evalBatchSize): Float32Array {
    const n = check.rows('x', x, this.inputSize);
    check.integer('batchSize', batchSize, 1);
    const out = new Float32Array(n * this.classes);
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      const logits = this.forward(x.subarray(start * this.inputSize, end * this.inputSize), end - start, this.evalMode);
      native.softmaxForward(logits, out.subarray(start * this.classes, end * this.classes), end - start, this.classes);
    }
    return out;
  }

  /** Mean cross-entropy (without the L2 term) and accuracy in evaluation mode. */
  evaluate(x: Float32Array, labels: ArrayLike<number>, batchSize = this.evalBatchSize): Metrics {
    const n = check.rows('x', x, this.inputSize);
    const y = this.checkLabels('labels', labels, n);
    check.integer('batchSize', batchSize, 1);
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < n; start += batchSize) {
      const r = this.evalRange(x, y, start, Math.min(n, start + batchSize));
      lossSum += r.lossSum;
      correct += r.correct;
    }
    return { loss: lossSum / n, accuracy: correct / n };
  }

  /** Gathers rows idx of x into a batch workspace (shuffled minibatches without copying all of x). */
  gatherBatch(x: Float32Array, idx: Int32Array): Float32Array {
    const xb = this.xBatch.get(idx.length * this.inputSize);
    native.gatherRows(x, idx, xb, this.inputSize);
    return xb;
  }

  /** Rows per evaluation pass by default (the model's defaults.evalBatchSize). */
  get evalBatchSize(): number {
    return this.defaults.evalBatchSize;
  }

  /** Class labels for n samples, checked against the model's classes; an out-of-range label's
   * message says what the last layer gives and how to fix it. */
  checkLabels(name: string, labels: unknown, n: number): Int32Array {
    try {
      return check.labels(name, labels, n, this.classes);
    } catch (e) {
      if (e instanceof RangeError && /outside the class range/.test(e.message)) throw new RangeError(`${e.message}: ${this.describeOutput()}`);
      throw e;
    }
  }

  /** The model's output, for messages about labels it cannot predict. */
  protected describeOutput(): string {
    return `this ${this.kind} has ${this.classes} classes`;
  }

  /** Number of trainable values. */
  get parameterCount(): number {
    return this.params.length;
  }
}

/** Runs a stepwise computation to the end. */
function runSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Runs a stepwise computation, awaiting pause() between steps. */
async function runStepsPausing<T>(steps: Generator<void, T>, pause: () => Promise<void>): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await pause();
  }
}

function hasCounter(l: Layer): l is Layer & { counter: number } {
  return typeof (l as { counter?: unknown }).counter === 'number';
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
