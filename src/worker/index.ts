// train(model, data, { worker: true, ... }): the same training, run on a worker thread so that the
// main thread's event loop never waits for a kernel. The model and optimizer go over as snapshots;
// batches and epochs come back as messages, on which the callbacks run on the main thread; the
// model's weights are brought up to date after every epoch and when training ends.
//
// What the main thread still does is kept in small steps: inputs that are not in shared memory,
// the parameters and the optimizer's buffers are copied into SharedArrayBuffers in slices (posting
// shared memory copies nothing), the worker transfers what it sends back (nothing is cloned), and
// the optimizer takes its final state as transferred, without a copy; the worker's kernels yield
// their cores between chunks (native.setYielding), so the main thread waits for a core for at most
// a chunk's time. Only the weights are put back in one step, so
// that a predict() meanwhile sees one epoch's weights, never a mix.
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { Network } from '../network';
import type { Optimizer } from '../optim';
import type { Dataset, History, TrainOptions } from '../train';
import * as check from '../validate';
import type { FromWorker, ToWorker, WorkerStart } from './protocol';
import { restoreModel, restoreOptimizer, sharedCopy, snapshotModelShared, snapshotOptimizerShared } from './snapshot';

interface CheckedData { x: Float32Array; y: Int32Array }

/** Checks a data set as train() does (the worker checks the values); labels become a fresh Int32Array. */
function dataset(name: string, v: unknown, model: Network): CheckedData {
  const d = check.object(name, v);
  const n = check.rows(`${name}.x`, d.x, model.inputSize);
  return { x: d.x as Float32Array, y: check.labels(`${name}.y`, d.y, n, model.classes) };
}

/** x in shared memory: as it is when it already is, else copied there in slices. */
async function shared(name: string, d: CheckedData): Promise<CheckedData> {
  return { x: await sharedCopy(`${name}.x`, d.x), y: d.y };
}

export async function trainInWorker(model: Network, data: Dataset, o: Record<string, unknown>): Promise<History> {
  const { worker: _worker, onBatch, onEpoch, signal, optimizer, validation, test, ...rest } = o;
  for (const [fn, v] of [['onEpoch', onEpoch], ['onBatch', onBatch]] as const) {
    if (v !== undefined && typeof v !== 'function') throw new TypeError(`${fn} must be a function`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`signal must be an AbortSignal (from new AbortController().signal), got ${check.describe(signal)}`);
  }
  const opt = optimizer as Optimizer | undefined;
  if (opt !== undefined && (opt === null || typeof opt !== 'object' || typeof opt.getState !== 'function' ||
    typeof opt.setState !== 'function')) {
    throw new TypeError('optimizer must be made by momentum() or adam()');
  }
  // Every check first, synchronously; the copies after, in slices.
  const sets = {
    data: dataset('data', data, model),
    validation: validation !== undefined ? dataset('validation', validation, model) : undefined,
    test: test !== undefined ? dataset('test', test, model) : undefined,
  };
  const start: WorkerStart = {
    model: await snapshotModelShared(model),
    optimizer: opt ? await snapshotOptimizerShared(opt) : null,
    data: await shared('data', sets.data),
    ...(sets.validation ? { validation: await shared('validation', sets.validation) } : {}),
    ...(sets.test ? { test: await shared('test', sets.test) } : {}),
    options: rest,
    hasOnBatch: typeof onBatch === 'function',
    hasOnEpoch: typeof onEpoch === 'function',
  };
  const sig = signal as AbortSignal | undefined;
  return new Promise<History>((resolve, reject) => {
    // The labels and the state are fresh copies: moved, not copied again.
    const transferList = [start.data.y, start.validation?.y, start.test?.y, ...Object.values(start.model.state)]
      .filter((v): v is Int32Array | Float32Array => v !== undefined).map((v) => v.buffer as ArrayBuffer);
    const w = new Worker(path.join(__dirname, 'train-worker.js'), { workerData: { gemmnetTrain: start }, transferList });
    const send = (m: ToWorker) => w.postMessage(m);
    const onAbort = () => send({ type: 'abort' });
    if (sig) {
      if (sig.aborted) onAbort();
      else sig.addEventListener('abort', onAbort, { once: true });
    }
    // Set once the worker has said how it ended: its exit is then expected, not a failure.
    let ended = false;
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      sig?.removeEventListener('abort', onAbort);
      f();
    };
    w.on('message', async (m: FromWorker) => {
      try {
        if (m.type === 'batch') {
          (onBatch as TrainOptions['onBatch'])?.(m.info);
        } else if (m.type === 'epoch') {
          // The epoch's weights were transferred: they become the model's, with no 20 MB copy.
          restoreModel(model, m.model, true);
          if (onEpoch) {
            const verdict = await (onEpoch as NonNullable<TrainOptions['onEpoch']>)(m.record, model);
            send({ type: 'verdict', stop: verdict === false });
          }
        } else if (m.type === 'done') {
          ended = true;
          // No params: the weights are those of the last epoch message, already in the model.
          restoreModel(model, m.model, true);
          if (opt && m.optimizer) {
            await new Promise<void>((r) => setImmediate(r));
            // Transferred from the worker, which is done with them: taken without a copy.
            await restoreOptimizer(opt, m.optimizer);
          }
          finish(() => resolve(m.history));
        } else if (m.type === 'error') {
          ended = true;
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
    w.on('exit', (code) => {
      if (!ended) finish(() => reject(new Error(`train: the training worker exited (code ${code}) before it finished`)));
    });
  });
}
