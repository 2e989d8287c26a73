// Training checkpoints: everything train() needs to continue a run exactly where it stopped (weights,
// batch-norm state, optimizer buffers, the shuffle generator and permutation, dropout counters,
// the history and the early-stopping bookkeeping), in one atomically written .safetensors file.
import { Checkpoint, readCheckpoint } from './io/checkpoint';
import { describe } from './validate';
import { Network } from './network';
import { Optimizer } from './optim';
import { MT19937State } from './random';
import type { History } from './train';

export interface TrainingProgress {
  /** Epochs completed. */
  epoch: number;
  history: History;
  best: number;
  sinceBest: number;
  rng: MT19937State;
  order: Int32Array;
  counters: number[];
  bestWeights: { params: Float32Array; state: Record<string, Float32Array> } | null;
}

const STATE_PREFIX = 'best_state.';

export function saveTrainingCheckpoint(path: string, model: Network, optimizer: Optimizer, p: TrainingProgress): void {
  const tensors: Record<string, Float32Array | Int32Array | Uint32Array> = { order: p.order, rng_key: p.rng.key };
  if (p.bestWeights) {
    tensors.best_params = p.bestWeights.params;
    for (const [k, v] of Object.entries(p.bestWeights.state)) tensors[STATE_PREFIX + k] = v;
  }
  model.save(path, {
    optimizer,
    tensors,
    meta: {
      training: {
        epoch: p.epoch,
        history: p.history,
        best: Number.isFinite(p.best) ? p.best : null,
        sinceBest: p.sinceBest,
        rng: { pos: p.rng.pos, hasGauss: p.rng.hasGauss, gauss: p.rng.gauss },
        counters: p.counters,
      },
    },
  });
}

const OPTIMIZER_BUFFERS: Record<string, string[]> = { momentum: ['v'], adam: ['m', 'v'] };

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Checks everything a checkpoint says about the run against the model and the data before any of it
 * is used: numbers are numbers of the right range, the order is a permutation of the samples, and
 * every optimizer buffer is there with one value per parameter.
 */
function checkProgress(who: string, c: Checkpoint, t: Record<string, unknown>, model: Network, samples: number): void {
  const bad = (what: string): never => {
    throw new Error(`${who}: corrupt training checkpoint: ${what}`);
  };
  if (!isCount(t.epoch)) bad(`epoch must be a non-negative integer, got ${describe(t.epoch)}`);
  const h = t.history as History | undefined;
  if (!h || typeof h !== 'object' || !Array.isArray(h.epochs) || h.epochs.length !== t.epoch) {
    bad(`its history must list ${t.epoch} epochs`);
  }
  if (!isCount(h!.bestEpoch) || h!.bestEpoch > (t.epoch as number)) bad(`history.bestEpoch ${describe(h!.bestEpoch)} is not an epoch of the run`);
  if (t.best !== null && typeof t.best !== 'number') bad(`best must be a number, got ${describe(t.best)}`);
  if (!isCount(t.sinceBest)) bad(`sinceBest must be a non-negative integer, got ${describe(t.sinceBest)}`);
  const rng = t.rng as Record<string, unknown> | undefined;
  if (!rng || typeof rng !== 'object' || !isCount(rng.pos) || typeof rng.hasGauss !== 'boolean' || typeof rng.gauss !== 'number') {
    bad('rng must be { pos, hasGauss, gauss }');
  }
  const counters = t.counters;
  const layers = model.getCounters().length;
  if (!Array.isArray(counters) || counters.length !== layers || !counters.every((v) => Number.isSafeInteger(v) && v >= 0)) {
    bad(`counters must list ${layers} non-negative integers (one per dropout layer), got ${describe(counters)}`);
  }
  const order = c.extra.order as Int32Array;
  if (order.length !== samples) {
    throw new RangeError(`${who} was trained on ${order.length} samples, this data has ${samples}`);
  }
  const seen = new Uint8Array(samples);
  for (let i = 0; i < samples; i++) {
    const k = order[i];
    if (k < 0 || k >= samples || seen[k]) bad(`order is not a permutation of the ${samples} samples (order[${i}] = ${k})`);
    seen[k] = 1;
  }
  const o = c.optimizer!;
  for (const name of OPTIMIZER_BUFFERS[o.name] ?? []) {
    const b = o.buffers[name];
    if (!b && o.step > 0) bad(`${o.name} buffer '${name}' is missing after ${o.step} steps`);
    if (b && b.length !== model.params.length) {
      bad(`${o.name} buffer '${name}' has ${b.length} values, the model has ${model.params.length} parameters`);
    }
  }
  const bp = c.extra.best_params;
  if (bp !== undefined && (!(bp instanceof Float32Array) || bp.length !== model.params.length)) {
    bad(`best_params must hold ${model.params.length} float32 values`);
  }
}

/** Reads a training checkpoint into model and optimizer; returns the progress to continue from. */
export function loadTrainingCheckpoint(path: string, model: Network, optimizer: Optimizer, samples: number): TrainingProgress {
  const c = readCheckpoint(path);
  const who = `train: resumeFrom ${path}`;
  if (c.kind !== model.kind || JSON.stringify(c.options) !== JSON.stringify(model.options)) {
    throw new Error(`${who} was written for a ${c.kind} with options ${JSON.stringify(c.options)}, ` +
      `not this ${model.kind} with ${JSON.stringify(model.options)}`);
  }
  const t = c.meta.training as Record<string, unknown> | undefined;
  if (!t || !c.optimizer) throw new Error(`${who} is a saved model, not a training checkpoint (no training progress in it)`);
  if (c.optimizer.name !== optimizer.name) {
    throw new Error(`${who} was trained with ${c.optimizer.name}, but this run's optimizer is ${optimizer.name}`);
  }
  const order = c.extra.order;
  const key = c.extra.rng_key;
  if (!(order instanceof Int32Array) || !(key instanceof Uint32Array)) throw new Error(`${who} lacks the shuffle state`);
  checkProgress(who, c, t, model, samples);
  model.setWeights(c.weights);
  model.setState(c.state);
  model.setCounters(t.counters as number[]);
  optimizer.setState({ step: c.optimizer.step, buffers: c.optimizer.buffers });
  const rng = t.rng as { pos: number; hasGauss: boolean; gauss: number };
  let bestWeights: TrainingProgress['bestWeights'] = null;
  if (c.extra.best_params instanceof Float32Array) {
    const state: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries(c.extra)) {
      if (k.startsWith(STATE_PREFIX) && v instanceof Float32Array) state[k.slice(STATE_PREFIX.length)] = v;
    }
    bestWeights = { params: c.extra.best_params, state };
  }
  return {
    epoch: t.epoch as number,
    history: t.history as History,
    best: t.best === null ? Infinity : (t.best as number),
    sinceBest: t.sinceBest as number,
    rng: { key, pos: rng.pos, hasGauss: rng.hasGauss, gauss: rng.gauss },
    order,
    counters: t.counters as number[],
    bestWeights,
  };
}
