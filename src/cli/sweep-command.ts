// `gemmnet sweep`: one run per value of a hyperparameter; overlaid curves and a table of accuracies.
import * as path from 'path';
import { sweepFigure } from '../report/curves';
import { writeFigure, writeReportFile } from '../report/output';
import { csvTable, markdownTable, sweepTable, Table } from '../report/tables';
import { numList, parseOptions, prepareOutDir, TRAIN_OPTIONS, trainArgs, UsageError } from './args';
import { interruptionNotes, PlannedRun, RunOutcome, runAll } from './runs';
import { describeRun, loadSplit, TrainArgs } from './train-command';

export type SweepOption = 'hidden' | 'l2' | 'keep-prob';

export const SWEEPS: Record<SweepOption, { model: 'mlp' | 'cnn'; arg: 'hidden' | 'l2' | 'keepProb'; title: string; label: (v: number) => string }> = {
  hidden: { model: 'mlp', arg: 'hidden', title: 'hidden units', label: (v) => `${v} hidden` },
  l2: { model: 'cnn', arg: 'l2', title: 'L2 weight', label: (v) => `L2 ${v}` },
  'keep-prob': { model: 'cnn', arg: 'keepProb', title: 'keep probability', label: (v) => `keep ${v}` },
};

export interface Sweep {
  option: SweepOption;
  values: number[];
}

/** The swept option: the one given a comma-separated list (or the only one of the three given). */
export function pickSweep(values: Record<string, string | undefined>): Sweep {
  const given = (Object.keys(SWEEPS) as SweepOption[]).filter((o) => values[o] !== undefined);
  const lists = given.filter((o) => values[o]!.includes(','));
  if (lists.length > 1) throw new UsageError(`sweep one option at a time: got lists for ${lists.map((o) => '--' + o).join(' and ')}`);
  const option = lists[0] ?? (given.length === 1 ? given[0] : undefined);
  if (!option) {
    throw new UsageError('sweep needs the values to try: --hidden 100,500,1000,2000 (mlp), ' +
      '--l2 0.01,0.1,0.5 or --keep-prob 0.9,0.75,0.5 (cnn)');
  }
  return { option, values: numList(option, values[option]!) };
}

export function sweepRuns(base: TrainArgs, sweep: Sweep, idPrefix = ''): PlannedRun[] {
  const s = SWEEPS[sweep.option];
  return sweep.values.map((v) => {
    const args = { ...base, [s.arg]: v };
    return { id: `${idPrefix}${sweep.option}-${v}`, title: `${s.label(v)}: ${describeRun(args)}`, args };
  });
}

/** The table of a finished (or interrupted) sweep, and its overlaid figure when any run was done. */
export function sweepResults(title: string, option: SweepOption, outcomes: RunOutcome[]) {
  const s = SWEEPS[option];
  const done = outcomes.filter((o) => o.experiment?.history.epochs.length);
  const scene = done.length ? sweepFigure(title, done.map((o) => ({
    label: s.label(o.run.args[s.arg] as number), history: o.experiment!.history,
  }))) : null;
  const table: Table = sweepTable(`${title}: final and best-epoch (lowest validation loss) accuracies`,
    { title: s.title, key: option }, outcomes.map((o) => ({
      value: String(o.run.args[s.arg]), history: o.experiment?.history, plannedEpochs: o.plannedEpochs,
      seconds: o.experiment?.wallSeconds,
    })));
  return { scene, table };
}

export function writeTable(base: string, table: Table): string[] {
  writeReportFile(`${base}.md`, markdownTable(table));
  writeReportFile(`${base}.csv`, csvTable(table));
  return [`${base}.md`, `${base}.csv`];
}

export async function sweepCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const values = parseOptions('sweep', argv, TRAIN_OPTIONS);
  const sweep = pickSweep(values);
  const s = SWEEPS[sweep.option];
  if (values.model !== s.model) throw new UsageError(`--${sweep.option} sweeps need --model ${s.model}`);
  if (!values.out) throw new UsageError('sweep needs --out DIR for its curves, table and runs');
  const base = trainArgs({ ...values, [sweep.option]: undefined });
  const out = values.out;
  prepareOutDir(out);
  // The data once, up front: a file that cannot be used is refused before the first run starts.
  loadSplit(base.data, base.split, base.limit);
  const outcomes = await runAll(sweepRuns(base, sweep), out, signal);
  const title = `${s.model.toUpperCase()} sweep over ${s.title}`;
  const r = sweepResults(title, sweep.option, outcomes);
  const files = writeTable(path.join(out, 'table'), r.table);
  if (r.scene) files.push(...writeFigure(path.join(out, 'curves'), r.scene));
  process.stdout.write(markdownTable(r.table));
  for (const note of interruptionNotes(outcomes)) process.stderr.write(`gemmnet: ${note}\n`);
  process.stdout.write(`wrote ${files.join(', ')} and ${outcomes.filter((o) => o.experiment).length} run folders in ${out}\n`);
  return signal.aborted ? 130 : 0;
}
