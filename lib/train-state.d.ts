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
    bestWeights: {
        params: Float32Array;
        state: Record<string, Float32Array>;
    } | null;
}
export declare function saveTrainingCheckpoint(path: string, model: Network, optimizer: Optimizer, p: TrainingProgress): void;
/** Reads a training checkpoint into model and optimizer; returns the progress to continue from. */
export declare function loadTrainingCheckpoint(path: string, model: Network, optimizer: Optimizer): TrainingProgress;
