import { DatasetSplit } from '../data';
import { Network } from '../network';
import { History } from '../train';
export interface TrainArgs {
    model: 'mlp' | 'cnn';
    data?: string;
    hidden?: number;
    epochs?: number;
    batch?: number;
    lr?: number;
    momentum?: number;
    l2?: number;
    keepProb?: number;
    seed?: number;
    earlyStopping?: number;
    split?: [number, number, number];
    threads?: number;
    out?: string;
    /** At most this many samples of each of train, validation and test. */
    limit?: number;
    label?: string;
    quiet?: boolean;
}
export interface Experiment {
    args: TrainArgs;
    settings: Record<string, unknown>;
    model: Network;
    history: History;
    /** Wall time of the whole run, evaluation included. */
    wallSeconds: number;
}
export declare function loadSplit(dataPath: string | undefined, split?: [number, number, number], limit?: number): DatasetSplit & {
    name: string;
};
/** 80 / 10 / 10 percent: 8000 / 1000 / 1000 for the 10,000-image notMNIST sample, as the course. */
export declare function defaultSplit(n: number): [number, number, number];
/** --epochs, or the study's: 200 for the MLP, 50 for the CNN. */
export declare function plannedEpochs(args: TrainArgs): number;
export declare function runTraining(args: TrainArgs, signal?: AbortSignal): Promise<Experiment>;
/** What `gemmnet train --out DIR` leaves: the history, its curves and the final weights. */
export declare function writeTrainOutputs(dir: string, e: Experiment): Promise<string[]>;
/** "MLP 784-1000-10, momentum" or "CNN, L2 0.1, keep-prob 0.75, Adam": a run in a few words. */
export declare function describeRun(args: TrainArgs): string;
export declare function historyCsv(h: History): string;
export declare function writeExperiment(dir: string, e: Experiment): void;
