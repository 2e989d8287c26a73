import { Table } from '../report/tables';
import { PlannedRun, RunOutcome } from './runs';
import { TrainArgs } from './train-command';
export type SweepOption = 'hidden' | 'l2' | 'keep-prob';
export declare const SWEEPS: Record<SweepOption, {
    model: 'mlp' | 'cnn';
    arg: 'hidden' | 'l2' | 'keepProb';
    title: string;
    label: (v: number) => string;
}>;
export interface Sweep {
    option: SweepOption;
    values: number[];
}
/** The swept option: the one given a comma-separated list (or the only one of the three given). */
export declare function pickSweep(values: Record<string, string | undefined>): Sweep;
export declare function sweepRuns(base: TrainArgs, sweep: Sweep, idPrefix?: string): PlannedRun[];
/** The table of a finished (or interrupted) sweep, and its overlaid figure when any run was done. */
export declare function sweepResults(title: string, option: SweepOption, outcomes: RunOutcome[]): {
    scene: import("../report/scene").Scene | null;
    table: Table;
};
export declare function writeTable(base: string, table: Table): string[];
export declare function sweepCommand(argv: string[], signal: AbortSignal): Promise<number>;
