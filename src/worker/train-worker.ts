// The worker side of train(..., { worker: true }): rebuilds the model and optimizer from their
// snapshots, runs the ordinary train() on them, and reports batches, epochs and the result.
import { parentPort, workerData } from 'worker_threads';
import { MODEL_BUILDERS } from '../io/registry';
import { adam, momentum, Optimizer } from '../optim';
import { BatchInfo, EpochRecord, train } from '../train';
import type { FromWorker, ToWorker, WorkerStart } from './protocol';
import { restoreModel, snapshotModel, snapshotOptimizer } from './snapshot';

function run(start: WorkerStart): void {
  const port = parentPort!;
  const send = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  const model = MODEL_BUILDERS[start.model.kind](start.model.options);
  restoreModel(model, start.model);
  let optimizer: Optimizer | undefined;
  if (start.optimizer) {
    optimizer = start.optimizer.name === 'adam' ? adam(start.optimizer.config) : momentum(start.optimizer.config);
    optimizer.setState({ step: start.optimizer.step, buffers: start.optimizer.buffers });
  }
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
      const opt = optimizer ? snapshotOptimizer(optimizer) : null;
      const transfer = [snap.params, ...Object.values(snap.state), ...Object.values(opt?.buffers ?? {})].map((v) => v.buffer as ArrayBuffer);
      send({ type: 'done', history, model: snap, optimizer: opt }, [...new Set(transfer)]);
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
