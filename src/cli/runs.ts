// Several training runs in a row (a sweep, the study): one loaded data set, progress naming which
// run of how many, and after Ctrl-C the current run stops after its batch and the rest are skipped.
import * as path from 'path';
import { cutShort } from '../report/tables';
import { Experiment, plannedEpochs, runTraining, TrainArgs, writeExperiment } from './train-command';

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

export async function runAll(runs: PlannedRun[], dir: string, signal: AbortSignal): Promise<RunOutcome[]> {
  const outcomes: RunOutcome[] = [];
  for (const [i, run] of runs.entries()) {
    const outcome: RunOutcome = { run, plannedEpochs: plannedEpochs(run.args) };
    outcomes.push(outcome);
    if (signal.aborted) continue;
    const tag = `[${i + 1}/${runs.length} ${run.id}]`;
    process.stderr.write(`gemmnet: ${tag} ${run.title}\n`);
    outcome.experiment = await runTraining({ ...run.args, label: tag }, signal);
    writeExperiment(path.join(dir, run.id), outcome.experiment);
  }
  return outcomes;
}

/** A note for each run that was cut short or never started; none when every run finished. */
export function interruptionNotes(outcomes: RunOutcome[]): string[] {
  const notes: string[] = [];
  for (const o of outcomes) {
    const h = o.experiment?.history;
    if (!h) notes.push(`${o.run.title} (${o.run.id}): not run, the work was interrupted before it started.`);
    else if (cutShort(h, o.plannedEpochs)) {
      notes.push(`${o.run.title} (${o.run.id}): interrupted after ${h.epochs.length} of ${o.plannedEpochs} epochs; ` +
        'its curves and numbers stop there.');
    }
  }
  return notes;
}
