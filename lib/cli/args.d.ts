import type { TrainArgs } from './train-command';
/** A mistake in how the command was called: printed as its message alone. */
export declare class CliError extends Error {
}
type Spec = {
    type: 'string' | 'boolean';
    default?: string;
};
/** Options of `train`; sweep takes the same, with lists for the swept one. */
export declare const TRAIN_OPTIONS: Record<string, Spec>;
export declare function parseOptions(args: string[], options: Record<string, Spec>): Record<string, string | undefined>;
export declare function num(name: string, v: string | undefined): number | undefined;
/** "100,500,1000" -> [100, 500, 1000]. */
export declare function numList(name: string, v: string): number[];
/** Checks that options meant for one model are not given to the other. */
export declare function checkModelOptions(m: 'mlp' | 'cnn', values: Record<string, unknown>): void;
export declare function trainArgs(values: Record<string, string | undefined>): TrainArgs;
/** Runs `work` with an AbortSignal that the first Ctrl-C aborts (a second one quits at once). */
export declare function interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T>;
export {};
