// The worker side of train(..., { worker: true }): rebuilds the model and optimizer from their
// snapshots, runs the ordinary train() on them, and reports batches, epochs and the result.
import { parentPort, workerData } from 'worker_threads';
import { MODEL_BUILDERS } from '../io/registry';
import { native } from '../native';
import { buildUninitialized } from '../network';
import { adam, momentum, Optimizer } from '../optim';
import { BatchInfo, EpochRecord, train } from '../train';
import type { FromWorker, ToWorker, WorkerStart } from './protocol';
import { restoreModel, snapshotModel, snapshotOptimizer } from './snapshot';

function run(start: WorkerStart): void {
  const port = parentPort!;
  // This thread's kernels give up their cores between chunks: the main thread, waking for its event
  // loop while both cores train, then gets one within a chunk (about 0.1-1 ms) rather than at the
  // scheduler's next tick.
  native.setYielding(true);
  const send = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  // Every parameter comes from the snapshot: no random initialization to draw first.
  const model = buildUninitialized(() => MODEL_BUILDERS[start.model.kind](start.model.options));
  restoreModel(model, start.model);
  let optimizer: Optimizer | undefined;
  if (start.optimizer) {
    optimizer = start.optimizer.name === 'adam' ? adam(start.optimizer.config) : momentum(start.optimizer.config);
    optimizer.setState({ step: start.optimizer.step, buffers: start.optimizer.buffers });
  }
  // The weights of the last epoch message, to leave them out of the final one when they are the same
  // (the main thread then copies 20 MB once less for the CNN).
  let lastSent: Float32Array | null = null;
  const abort = new AbortController();
  let verdict: ((stop: boolean) => void) | null = null;
  port.on('message', (m: ToWorker) => {
    if (m.type === 'abort') abort.abort();
    else if (m.type === 'verdict' && verdict) verdict(m.stop);
  });
  train(model, start.data, {
    ...start.options,
    ...(start.validation ? { validation: start.validation } : {}),
    ...(start.test ? { test: start.test } : {}),
    ...(optimizer ? { optimizer } : {}),
    signal: abort.signal,
    onBatch: start.hasOnBatch ? (info: BatchInfo) => send({ type: 'batch', info }) : undefined,
    onEpoch: async (record: EpochRecord) => {
      const snap = snapshotModel(model);
      lastSent = snap.params.slice();
      send({ type: 'epoch', record, model: snap }, [snap.params, ...Object.values(snap.state)].map((v) => v.buffer as ArrayBuffer));
      if (!start.hasOnEpoch) return true;
      const stop = await new Promise<boolean>((resolve) => { verdict = resolve; });
      verdict = null;
      return !stop;
    },
  } as unknown as Parameters<typeof train>[2]).then(
    (history) => {
      // Everything sent back is moved, not cloned: the worker is done with its model and optimizer.
      const snap = snapshotModel(model);
      const same = lastSent !== null && lastSent.length === snap.params.length &&
        Buffer.compare(Buffer.from(lastSent.buffer, lastSent.byteOffset, lastSent.byteLength),
          Buffer.from(snap.params.buffer, snap.params.byteOffset, snap.params.byteLength)) === 0;
      lastSent = null;
      const opt = optimizer ? snapshotOptimizer(optimizer) : null;
      const params = same ? null : snap.params;
      const transfer = [...(params ? [params] : []), ...Object.values(snap.state), ...Object.values(opt?.buffers ?? {})]
        .map((v) => v.buffer as ArrayBuffer);
      send({ type: 'done', history, model: { ...snap, params }, optimizer: opt }, [...new Set(transfer)]);
      port.close();
    },
    (e: Error & { code?: string }) => {
      send({ type: 'error', name: e.constructor?.name ?? 'Error', message: e.message, code: e.code });
      port.close();
    },
  );
}

if (parentPort && workerData && (workerData as { gemmnetTrain?: WorkerStart }).gemmnetTrain) {
  run((workerData as { gemmnetTrain: WorkerStart }).gemmnetTrain);
}
