// Models and optimizers as plain data that can cross to a worker thread and back, and the copies
// between them done in slices, so that no single copy holds the main thread's event loop for long.
import { ADOPT_PARAMS, type Network } from '../network';
import { ADOPT_STATE, Optimizer } from '../optim';
import type { ModelSnapshot, OptimizerSnapshot } from './protocol';

/**
 * Values copied between two yields to the event loop: 256 KiB, well under a millisecond even into
 * fresh memory (whose first touch costs a page fault per 4 KiB, several microseconds each in a VM).
 */
const COPY_SLICE = 1 << 16;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Copies src into dst (of the same length) in slices, yielding to the event loop between them.
 * src is the caller's and may be detached (transferred) meanwhile: that is an Error naming `name`.
 */
export async function copyInSlices(src: Float32Array, dst: Float32Array, name = 'the array'): Promise<void> {
  const length = dst.length;
  for (let i = 0; i < length; i += COPY_SLICE) {
    if (i > 0) await yieldToLoop();
    if (src.length !== length) {
      throw new Error(`train: ${name} was detached (its buffer transferred) while it was handed to the training worker; ` +
        'keep it attached until train() resolves, or pass a copy');
    }
    dst.set(src.subarray(i, Math.min(length, i + COPY_SLICE)), i);
  }
}

/**
 * src itself when it is in shared memory (a worker then reads it without a copy), else a copy in a
 * SharedArrayBuffer made in slices: posting it to a worker then copies nothing on the main thread.
 * `name` is for the error when src is detached while it is copied.
 */
export async function sharedCopy(name: string, src: Float32Array): Promise<Float32Array> {
  if (typeof SharedArrayBuffer !== 'undefined' && src.buffer instanceof SharedArrayBuffer) return src;
  const out = new Float32Array(new SharedArrayBuffer(src.length * 4));
  await copyInSlices(src, out, name);
  return out;
}

/** Everything of a snapshot but the parameters: small (options, batch-norm state, counters). */
function modelParts(model: Network): Omit<ModelSnapshot, 'params'> {
  return {
    kind: model.kind,
    options: JSON.parse(JSON.stringify(model.options)) as Record<string, unknown>,
    state: Object.fromEntries(Object.entries(model.getState()).map(([k, v]) => [k, v.slice()])),
    counters: model.getCounters(),
  };
}

/** A snapshot of the model (its own fresh copies), synchronously: what the worker sends back. */
export function snapshotModel(model: Network): ModelSnapshot {
  return { ...modelParts(model), params: model.params.slice() };
}

/** As snapshotModel, with the parameters copied in slices into shared memory (on the main thread). */
export async function snapshotModelShared(model: Network): Promise<ModelSnapshot> {
  const params = await sharedCopy('the model\'s parameters', model.params);
  return { ...modelParts(model), params };
}

/** Puts a snapshot's weights, state and draw counters into model, in one synchronous step (a
 * predict() on the main thread sees the old weights or the new ones, never a mix). A snapshot with
 * no params (null) leaves the weights as they are: they are already the ones it stands for. With
 * `adopt`, the snapshot's params (transferred here, held by nothing else) become the model's own
 * array instead of being copied into it. */
export function restoreModel(model: Network, s: Omit<ModelSnapshot, 'params'> & { params: Float32Array | null },
  adopt = false): void {
  if (s.params && adopt) model[ADOPT_PARAMS](s.params);
  else if (s.params) model.params.set(s.params);
  model.setState(s.state);
  model.setCounters(s.counters);
}

export function snapshotOptimizer(o: Optimizer): OptimizerSnapshot {
  const { step, buffers } = o.getState();
  return { name: o.name, config: { ...o.config }, step, buffers };
}

/** As snapshotOptimizer, with the buffers copied in slices into shared memory. */
export async function snapshotOptimizerShared(o: Optimizer): Promise<OptimizerSnapshot> {
  const s = snapshotOptimizer(o);
  const buffers: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(s.buffers)) buffers[k] = await sharedCopy(`the optimizer's ${k}`, v);
  return { ...s, buffers };
}

/**
 * Puts an optimizer snapshot into o; s's buffers become o's (they were transferred here and nothing
 * else holds them). momentum() and adam() take them as they are: no allocation and no copy.
 * Another optimizer gets the step count with no buffers, allocates fresh ones (prepare), and the
 * values are copied into them in slices, since setState() would copy every buffer in one go.
 */
export async function restoreOptimizer(o: Optimizer, s: OptimizerSnapshot): Promise<void> {
  const adopt = (o as Partial<Record<typeof ADOPT_STATE, (state: { step: number; buffers: Record<string, Float32Array> }) => void>>)[ADOPT_STATE];
  if (typeof adopt === 'function') {
    adopt.call(o, { step: s.step, buffers: s.buffers });
    return;
  }
  const names = Object.keys(s.buffers).sort();
  const length = names.length ? s.buffers[names[0]].length : 0;
  if (!names.length || typeof o.prepare !== 'function' || names.some((k) => s.buffers[k].length !== length)) {
    o.setState({ step: s.step, buffers: s.buffers });
    return;
  }
  o.setState({ step: s.step, buffers: {} });
  // Allocating the buffers can start a garbage collection: a turn of its own.
  await yieldToLoop();
  o.prepare(length);
  await yieldToLoop();
  const live = o.getState().buffers;
  if (Object.keys(live).sort().join() !== names.join() || names.some((k) => live[k].length !== length)) {
    o.setState({ step: s.step, buffers: s.buffers });
    return;
  }
  for (const k of names) await copyInSlices(s.buffers[k], live[k]);
}
