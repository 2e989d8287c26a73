import { Experiment, TrainArgs } from './train-command';
export interface PlannedRun {
    /** File-safe name: its history goes to `<dir>/<id>/`. */
    id: string;
    /** A few words for people. */
    title: string;
    args: TrainArgs;
}
export interface RunOutcome {
    run: PlannedRun;
    plannedEpochs: number;
    /** Absent when the run was never started (interrupted before it). */
    experiment?: Experiment;
}
export declare function runAll(runs: PlannedRun[], dir: string, signal: AbortSignal): Promise<RunOutcome[]>;
/** A note for each run that was cut short or never started; none when every run finished. */
export declare function interruptionNotes(outcomes: RunOutcome[]): string[];
