// The training loop: seeded shuffling, minibatches, per-epoch metrics, early stopping, callbacks.
// Kernels run synchronously per batch; the loop yields to the event loop between batches.
import * as fs from 'fs';
import * as path from 'path';
import { native } from './native';
import { trainInWorker } from './worker';
import { Metrics, Network } from './network';
import { isOptimizer, Optimizer } from './optim';
import { MT19937 } from './random';
import { loadTrainingCheckpoint, saveTrainingCheckpoint } from './train-state';
import * as check from './validate';

export interface Dataset {
  /** Samples, row-major: n * model.inputSize values. */
  x: Float32Array;
  /** Class index per sample. */
  y: ArrayLike<number>;
}

export interface EpochRecord {
  /** 1-based epoch number. */
  epoch: number;
  /** Wall time of the epoch's training pass (evaluation excluded). */
  seconds: number;
  /** Mean of the minibatch losses and accuracies seen during the epoch (or a full evaluation pass
   * with `evaluateTrain`). */
  train: Metrics;
  valid?: Metrics;
  test?: Metrics;
}

export type Monitor = 'valid.loss' | 'valid.accuracy' | 'train.loss' | 'train.accuracy';

export interface EarlyStoppingOptions {
  /** Epochs without improvement before stopping. */
  patience: number;
  /** What to watch (default 'valid.loss' when validation data is given, else 'train.loss'). */
  monitor?: Monitor;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Put back the best epoch's weights when training ends (default true). */
  restoreBest?: boolean;
}

export interface BatchInfo {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
}

export interface TrainOptions {
  epochs: number;
  /** Minibatch size (default: the model's defaults.batchSize; the course's 100 for mlp(), 32 for cnn()). */
  batchSize?: number;
  /** Default: the model's defaults.optimizer(): momentum({ lr: 0.01, gamma: 0.9 }) for mlp(),
   * adam({ lr: 1e-4 }) for cnn(), adam({ lr: 1e-3 }) for a sequential() stack. */
  optimizer?: Optimizer;
  validation?: Dataset;
  test?: Dataset;
  /** Seed of the per-epoch shuffle (default: the model's seed). */
  seed?: number;
  /** Shuffle the training set every epoch (default true). */
  shuffle?: boolean;
  earlyStopping?: EarlyStoppingOptions;
  /** Called after every epoch; returning false (or a Promise of false) stops training. */
  onEpoch?: (record: EpochRecord, model: Network) => unknown;
  /** Called after every batch (keep it cheap). */
  onBatch?: (info: BatchInfo) => void;
  /** Stops training after the current batch when aborted; the history so far is returned. */
  signal?: AbortSignal;
  /** Evaluate the whole training set at the end of each epoch instead of averaging batch metrics. */
  evaluateTrain?: boolean;
  /**
   * Train on a worker thread (default false): the main thread's event loop then never waits for a
   * kernel. Same options, history, callbacks (run on the main thread), signal, checkpoints and early
   * stopping; the model's weights are updated after each epoch and when the promise resolves.
   */
  worker?: boolean;
  /** Rows per evaluation pass (default: the model's defaults.evalBatchSize; 1000 for mlp(), 200 for
   * cnn(): short enough that the event loop is never held for long). */
  evalBatchSize?: number;
  /** Threads for the native kernels (default: as configured, normally the number of cores). */
  threads?: number;
  /** Write a training checkpoint here after every epoch, atomically (temp file, fsync, rename). */
  checkpoint?: string;
  /** Continue from a checkpoint written by `checkpoint`: with the same data, options and seed, the
   * result is identical to a run that was never interrupted. */
  resumeFrom?: string;
}

export type StopReason = 'completed' | 'early-stopping' | 'callback' | 'aborted';

export interface History {
  epochs: EpochRecord[];
  /** The epoch with the best monitored value (1-based), or the last epoch without a monitor. */
  bestEpoch: number;
  stopReason: StopReason;
}

const TRAIN_KEYS = ['epochs', 'batchSize', 'optimizer', 'validation', 'test', 'seed', 'shuffle', 'earlyStopping',
  'onEpoch', 'onBatch', 'signal', 'evaluateTrain', 'evalBatchSize', 'threads', 'checkpoint', 'resumeFrom', 'worker'];

/** Yields to the event loop when the current slice of work has run longer than this. */
const SLICE_MS = 8;
/** Parameters per optimizer call: a few milliseconds of memory traffic each. */
const UPDATE_SLICE = 1 << 20;

interface CheckedSet {
  name: string;
  x: Float32Array;
  y: Int32Array;
  n: number;
}

function checkSet(name: string, v: unknown, model: Network): CheckedSet {
  const d = check.object(name, v);
  const n = check.rows(`${name}.x`, d.x, model.inputSize);
  const y = model.checkLabels(`${name}.y`, d.y, n);
  const x = d.x as Float32Array;
  for (let i = 0; i < x.length; i++) {
    // One pass before training: a NaN would otherwise surface epochs later as a diverged loss.
    if (!Number.isFinite(x[i])) {
      throw new RangeError(`${name}.x[${i}] (sample ${Math.floor(i / model.inputSize)}) is ${x[i]}; the inputs must be finite`);
    }
  }
  return { name, x, y, n };
}

// The labels are copied when training starts; x is not (it can be large), so a buffer transferred
// away meanwhile would read as an empty array.
function requireAttached(name: string, set: CheckedSet, model: Network): void {
  if (set.x.length !== set.n * model.inputSize) {
    throw new Error(`train: ${name}.x was detached (its buffer transferred, to a worker say) during training; ` +
      'keep it attached until train() resolves, or pass a copy');
  }
}

// A checkpoint path is checked before the first epoch, not found wrong after it.
function checkWritable(key: string, file: string): void {
  const dir = path.dirname(path.resolve(file));
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    throw new Error(`train: ${key} '${file}': the directory '${dir}' does not exist; create it first`);
  }
  if (!st.isDirectory()) throw new Error(`train: ${key} '${file}': '${dir}' is not a directory`);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new Error(`train: ${key} '${file}': the directory '${dir}' is not writable`);
  }
  let target: fs.Stats | undefined;
  try {
    target = fs.statSync(file);
  } catch {
    target = undefined;
  }
  if (target && !target.isFile()) throw new Error(`train: ${key} '${file}' exists and is not a regular file`);
}

class Slicer {
  private last = performance.now();
  async maybeYield(): Promise<void> {
    if (performance.now() - this.last < SLICE_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.last = performance.now();
  }
}

async function evaluateSet(model: Network, set: CheckedSet, batch: number, slicer: Slicer): Promise<Metrics> {
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < set.n; start += batch) {
    requireAttached(set.name, set, model);
    const r = await model.evalRangeAsync(set.x, set.y, start, Math.min(set.n, start + batch), () => slicer.maybeYield());
    lossSum += r.lossSum;
    correct += r.correct;
    await slicer.maybeYield();
  }
  return { loss: lossSum / set.n, accuracy: correct / set.n };
}

function monitorValue(r: EpochRecord, monitor: Monitor): number {
  const [set, key] = monitor.split('.') as ['valid' | 'train', 'loss' | 'accuracy'];
  const m = r[set];
  if (!m) throw new Error(`earlyStopping.monitor is "${monitor}" but no validation data was given`);
  return key === 'loss' ? m.loss : -m.accuracy;
}

/** The options other than the data, checked before any work (also before a worker is started). */
function checkOptions(model: Network, o: Record<string, unknown>) {
  const worker = check.boolean('worker', o.worker, false);
  const epochs = check.integer('epochs', o.epochs, 1, 1e6);
  const batchSize = check.integer('batchSize', o.batchSize ?? model.defaults.batchSize, 1, 1 << 20);
  const evalBatch = check.integer('evalBatchSize', o.evalBatchSize ?? model.evalBatchSize, 1, 1 << 20);
  if (o.optimizer !== undefined && !isOptimizer(o.optimizer)) {
    throw new TypeError('optimizer must be made by momentum() or adam()');
  }
  const optimizer = (o.optimizer as Optimizer | undefined) ?? model.defaults.optimizer();
  const seed = check.integer('seed', o.seed ?? (model.options.seed as number), 0, 2 ** 32 - 1);
  const shuffle = check.boolean('shuffle', o.shuffle, true);
  const evaluateTrain = check.boolean('evaluateTrain', o.evaluateTrain, false);
  for (const fn of ['onEpoch', 'onBatch'] as const) {
    if (o[fn] !== undefined && typeof o[fn] !== 'function') throw new TypeError(`${fn} must be a function`);
  }
  const signal = o.signal as AbortSignal | undefined;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`signal must be an AbortSignal (from new AbortController().signal), got ${check.describe(signal)}`);
  }
  if (o.threads !== undefined) check.integer('threads', o.threads, 1, 256);
  const hasValidation = o.validation !== undefined;
  let stopping: Required<EarlyStoppingOptions> | undefined;
  if (o.earlyStopping !== undefined) {
    const es = check.object('earlyStopping', o.earlyStopping);
    check.knownKeys('earlyStopping', es, ['patience', 'monitor', 'minDelta', 'restoreBest']);
    stopping = {
      patience: check.integer('earlyStopping.patience', es.patience, 0, 1e6),
      monitor: check.oneOf('earlyStopping.monitor', es.monitor ?? (hasValidation ? 'valid.loss' : 'train.loss'),
        ['valid.loss', 'valid.accuracy', 'train.loss', 'train.accuracy'] as const),
      minDelta: check.finite('earlyStopping.minDelta', es.minDelta ?? 0, { min: 0 }),
      restoreBest: check.boolean('earlyStopping.restoreBest', es.restoreBest, true),
    };
    if (stopping.monitor.startsWith('valid') && !hasValidation) {
      throw new TypeError(`earlyStopping.monitor "${stopping.monitor}" needs validation data`);
    }
  }
  for (const key of ['checkpoint', 'resumeFrom'] as const) {
    if (o[key] !== undefined && (typeof o[key] !== 'string' || o[key] === '')) {
      throw new TypeError(`${key} must be a file path string`);
    }
  }
  if (o.checkpoint !== undefined) checkWritable('checkpoint', o.checkpoint as string);
  return { worker, epochs, batchSize, evalBatch, optimizer, seed, shuffle, evaluateTrain, signal, stopping };
}

/** Trains model on data; resolves with the per-epoch history. */
export async function train(model: Network, data: Dataset, options: TrainOptions): Promise<History> {
  if (!(model instanceof Network)) throw new TypeError('train: model must be a model made by mlp() or cnn(), or a sequential() stack');
  const o = check.object('train options', options);
  check.knownKeys('train options', o, TRAIN_KEYS);
  const opts = checkOptions(model, o);
  if (opts.worker) return trainInWorker(model, data, o);
  const { epochs, batchSize, evalBatch, optimizer, seed, shuffle, evaluateTrain, signal, stopping } = opts;
  // What the optimizer updates after each step: everything, or what the fused layers leave to it.
  const updateRanges: [number, number][] = typeof optimizer.rule === 'function' ? model.unfusedRanges : [[0, model.params.length]];
  const trainSet = checkSet('data', data, model);
  const valid = o.validation === undefined ? undefined : checkSet('validation', o.validation, model);
  const test = o.test === undefined ? undefined : checkSet('test', o.test, model);
  if (o.threads !== undefined) native.setThreads(o.threads as number);
  const monitor: Monitor = stopping?.monitor ?? (valid ? 'valid.loss' : 'train.loss');
  const checkpoint = o.checkpoint as string | undefined;

  const rng = new MT19937(seed);
  const order = new Int32Array(trainSet.n);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const labelBatch = new Int32Array(batchSize);
  const batches = Math.ceil(trainSet.n / batchSize);
  const slicer = new Slicer();
  const pause = () => slicer.maybeYield();
  const history: History = { epochs: [], bestEpoch: 0, stopReason: 'completed' };
  let best = Infinity;
  let sinceBest = 0;
  let bestWeights: { params: Float32Array; state: Record<string, Float32Array> } | null = null;
  let firstEpoch = 1;
  if (o.resumeFrom !== undefined) {
    const p = loadTrainingCheckpoint(o.resumeFrom as string, model, optimizer, order.length);
    order.set(p.order);
    rng.setState(p.rng);
    history.epochs = p.history.epochs;
    history.bestEpoch = p.history.bestEpoch;
    best = p.best;
    sinceBest = p.sinceBest;
    bestWeights = p.bestWeights;
    firstEpoch = p.epoch + 1;
  }

  // A new optimizer state is tens of megabytes the system has not mapped yet. Fault its pages in
  // here, a slice at a time, rather than all inside the first fused update, which would hold the
  // event loop for as long (a write per 4 KiB page, of the value already there).
  if (optimizer.prepare) {
    optimizer.prepare(model.params.length);
    for (const buf of Object.values(optimizer.getState().buffers)) {
      for (let start = 0; start < buf.length; start += UPDATE_SLICE) {
        const end = Math.min(buf.length, start + UPDATE_SLICE);
        for (let i = start; i < end; i += 1024) buf[i] = buf[i];
        await slicer.maybeYield();
      }
    }
  }

  for (let epoch = firstEpoch; epoch <= epochs; epoch++) {
    if (shuffle) rng.shuffle(order);
    const t0 = performance.now();
    let lossSum = 0;
    let correct = 0;
    let aborted = false;
    for (let b = 0; b < batches; b++) {
      const start = b * batchSize;
      const idx = order.subarray(start, Math.min(trainSet.n, start + batchSize));
      const n = idx.length;
      const yb = labelBatch.subarray(0, n);
      for (let i = 0; i < n; i++) yb[i] = trainSet.y[idx[i]];
      requireAttached('data', trainSet, model);
      const xb = model.gatherBatch(trainSet.x, idx);
      // The big weights are updated inside the backward pass (fused with their gradient, which then
      // never goes through memory); the optimizer updates the rest below.
      optimizer.beginStep(model.params.length);
      const r = await model.trainBatchAsync(xb, yb, n, pause, optimizer);
      if (!Number.isFinite(r.loss)) {
        throw new Error(
          `train: the loss became ${r.loss} at epoch ${epoch}, batch ${b + 1} of ${batches}; training diverged ` +
            '(lower the learning rate, or check the inputs for NaN/Inf)',
        );
      }
      await slicer.maybeYield();
      // The rest of the update, in slices, so a big model does not hold the event loop for the whole pass.
      for (const [from, to] of updateRanges) {
        for (let start = from; start < to; start += UPDATE_SLICE) {
          const end = Math.min(to, start + UPDATE_SLICE);
          optimizer.update(model.params.subarray(start, end), model.grads.subarray(start, end), start);
          await slicer.maybeYield();
        }
      }
      lossSum += r.loss * n;
      correct += r.correct;
      (o.onBatch as TrainOptions['onBatch'])?.({ epoch, batch: b + 1, batches, loss: r.loss });
      // An abort during the last batch comes too late to undo its update: the epoch is complete,
      // and is recorded (and checkpointed) before training stops below.
      if (signal?.aborted && b < batches - 1) {
        aborted = true;
        break;
      }
      await slicer.maybeYield();
    }
    const seconds = (performance.now() - t0) / 1000;
    if (aborted) {
      // A partial epoch is not recorded: its metrics would not be comparable with the others.
      history.stopReason = 'aborted';
      break;
    }
    const record: EpochRecord = {
      epoch,
      seconds,
      train: evaluateTrain
        ? await evaluateSet(model, trainSet, evalBatch, slicer)
        : { loss: lossSum / trainSet.n, accuracy: correct / trainSet.n },
    };
    if (valid) record.valid = await evaluateSet(model, valid, evalBatch, slicer);
    if (test) record.test = await evaluateSet(model, test, evalBatch, slicer);
    history.epochs.push(record);

    const value = monitorValue(record, monitor);
    if (value < best - (stopping?.minDelta ?? 0)) {
      best = value;
      sinceBest = 0;
      history.bestEpoch = epoch;
      if (stopping?.restoreBest) bestWeights = { params: model.params.slice(), state: cloneState(model) };
    } else {
      sinceBest++;
    }
    if (checkpoint) {
      saveTrainingCheckpoint(checkpoint, model, optimizer, {
        epoch, history, best, sinceBest, rng: rng.getState(), order, counters: model.getCounters(), bestWeights,
      });
    }
    if (o.onEpoch) {
      const verdict = await (o.onEpoch as (r: EpochRecord, m: Network) => unknown)(record, model);
      if (verdict === false) {
        history.stopReason = 'callback';
        break;
      }
    }
    if (stopping && sinceBest > stopping.patience) {
      history.stopReason = 'early-stopping';
      break;
    }
    if (signal?.aborted) {
      history.stopReason = 'aborted';
      break;
    }
  }
  if (history.bestEpoch === 0 && history.epochs.length) history.bestEpoch = history.epochs.length;
  if (stopping?.restoreBest && bestWeights && history.bestEpoch !== history.epochs.length) {
    model.params.set(bestWeights.params);
    model.setState(bestWeights.state);
  }
  return history;
}

function cloneState(model: Network): Record<string, Float32Array> {
  return Object.fromEntries(Object.entries(model.getState()).map(([k, v]) => [k, v.slice()]));
}
