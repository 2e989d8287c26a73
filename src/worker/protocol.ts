// Messages between train(..., { worker: true }) on the main thread and its worker.
import type { BatchInfo, EpochRecord, History } from '../train';

export interface ModelSnapshot {
  /** A kind of the model registry (io/registry): mlp, cnn, sequential. */
  kind: string;
  options: Record<string, unknown>;
  params: Float32Array;
  state: Record<string, Float32Array>;
  counters: number[];
}

export interface OptimizerSnapshot {
  name: 'momentum' | 'adam';
  config: Record<string, number>;
  step: number;
  buffers: Record<string, Float32Array>;
}

/** What the worker is started with (workerData). */
export interface WorkerStart {
  model: ModelSnapshot;
  optimizer: OptimizerSnapshot | null;
  data: { x: Float32Array; y: Int32Array };
  validation?: { x: Float32Array; y: Int32Array };
  test?: { x: Float32Array; y: Int32Array };
  /** The train options that are plain data (callbacks and the signal stay on the main thread). */
  options: Record<string, unknown>;
  hasOnBatch: boolean;
  hasOnEpoch: boolean;
}

export type FromWorker =
  | { type: 'batch'; info: BatchInfo }
  | { type: 'epoch'; record: EpochRecord; model: ModelSnapshot }
  /** model.params is null when the weights are those of the last epoch message, bit for bit. */
  | { type: 'done'; history: History; model: Omit<ModelSnapshot, 'params'> & { params: Float32Array | null }; optimizer: OptimizerSnapshot | null }
  | { type: 'error'; name: string; message: string; code?: string };

export type ToWorker = { type: 'abort' } | { type: 'verdict'; stop: boolean };
