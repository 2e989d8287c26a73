// train(model, data, { worker: true, ... }): the same training, run on a worker thread so that the
// main thread's event loop never waits for a kernel. The model and optimizer go over as snapshots;
// batches and epochs come back as messages, on which the callbacks run on the main thread; the
// model's weights are brought up to date after every epoch and when training ends.
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { Network } from '../network';
import type { Optimizer } from '../optim';
import type { Dataset, History, TrainOptions } from '../train';
import * as check from '../validate';
import type { FromWorker, ToWorker, WorkerStart } from './protocol';
import { restoreModel, snapshotModel, snapshotOptimizer } from './snapshot';

/** Float32Array x as is (shared memory is not copied), labels as a fresh Int32Array. */
function dataset(name: string, v: unknown, model: Network): { x: Float32Array; y: Int32Array } {
  const d = check.object(name, v);
  const n = check.rows(`${name}.x`, d.x, model.inputSize);
  return { x: d.x as Float32Array, y: check.labels(`${name}.y`, d.y, n, model.classes) };
}

export function trainInWorker(model: Network, data: Dataset, o: Record<string, unknown>): Promise<History> {
  const { worker: _worker, onBatch, onEpoch, signal, optimizer, validation, test, ...rest } = o;
  for (const [fn, v] of [['onEpoch', onEpoch], ['onBatch', onBatch]] as const) {
    if (v !== undefined && typeof v !== 'function') throw new TypeError(`${fn} must be a function`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`signal must be an AbortSignal (from new AbortController().signal), got ${check.describe(signal)}`);
  }
  const opt = optimizer as Optimizer | undefined;
  if (opt !== undefined && (typeof opt !== 'object' || typeof opt.getState !== 'function')) {
    throw new TypeError('optimizer must be made by momentum() or adam()');
  }
  const start: WorkerStart = {
    model: snapshotModel(model),
    optimizer: opt ? snapshotOptimizer(opt) : null,
    data: dataset('data', data, model),
    ...(validation !== undefined ? { validation: dataset('validation', validation, model) } : {}),
    ...(test !== undefined ? { test: dataset('test', test, model) } : {}),
    options: rest,
    hasOnBatch: typeof onBatch === 'function',
    hasOnEpoch: typeof onEpoch === 'function',
  };
  return new Promise<History>((resolve, reject) => {
    // The model's snapshot is a fresh copy: moved, not copied again. (The data and the optimizer's
    // buffers stay the caller's; x in a SharedArrayBuffer is shared, not copied.)
    const transferList = [start.model.params.buffer as ArrayBuffer, ...Object.values(start.model.state).map((v) => v.buffer as ArrayBuffer)];
    const w = new Worker(path.join(__dirname, 'train-worker.js'), { workerData: { gemmnetTrain: start }, transferList });
    const send = (m: ToWorker) => w.postMessage(m);
    const onAbort = () => send({ type: 'abort' });
    if (signal) {
      if ((signal as AbortSignal).aborted) onAbort();
      else (signal as AbortSignal).addEventListener('abort', onAbort, { once: true });
    }
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      (signal as AbortSignal | undefined)?.removeEventListener('abort', onAbort);
      f();
    };
    w.on('message', async (m: FromWorker) => {
      try {
        if (m.type === 'batch') {
          (onBatch as TrainOptions['onBatch'])?.(m.info);
        } else if (m.type === 'epoch') {
          restoreModel(model, m.model);
          if (onEpoch) {
            const verdict = await (onEpoch as NonNullable<TrainOptions['onEpoch']>)(m.record, model);
            send({ type: 'verdict', stop: verdict === false });
          }
        } else if (m.type === 'done') {
          restoreModel(model, m.model);
          if (opt && m.optimizer) opt.setState({ step: m.optimizer.step, buffers: m.optimizer.buffers });
          finish(() => resolve(m.history));
        } else if (m.type === 'error') {
          const Ctor = m.name === 'RangeError' ? RangeError : m.name === 'TypeError' ? TypeError : Error;
          finish(() => reject(Object.assign(new Ctor(m.message), m.code ? { code: m.code } : {})));
        }
      } catch (e) {
        // A callback threw: stop the worker and reject with the callback's error, as in-thread.
        finish(() => reject(e));
        void w.terminate();
      }
    });
    w.on('error', (e) => finish(() => reject(e)));
    w.on('exit', (code) => finish(() => reject(new Error(`train: the training worker exited (code ${code}) before it finished`))));
  });
}
