import { Metrics, Network } from './network';
import { Optimizer } from './optim';
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
    /** Minibatch size (default 100 for an MLP, 32 for a CNN, the seed's). */
    batchSize?: number;
    /** Default: momentum({ lr: 0.01, gamma: 0.9 }) for an MLP, adam({ lr: 1e-4 }) for a CNN. */
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
    /** Rows per evaluation pass (default 1000 for an MLP, 200 for a CNN: short enough that the event
     * loop is never held for long). */
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
/** Trains model on data; resolves with the per-epoch history. */
export declare function train(model: Network, data: Dataset, options: TrainOptions): Promise<History>;
