// `gemmnet reproduce`: every experiment of the study with the course's settings, its figures and
// tables, and index.html, a self-contained report of them all.
import * as os from 'os';
import * as path from 'path';
import { buildInfo } from '../index';
import { runFigure } from '../report/curves';
import { renderReport, ReportFigure, ReportSection, ReportTable } from '../report/html';
import { writeFigure, writeReportFile } from '../report/output';
import type { Scene } from '../report/scene';
import { cutShort, earlyStoppingTable, runStatus, Table } from '../report/tables';
import { int, parseOptions, prepareOutDir, REPRODUCE_OPTIONS, UsageError } from './args';
import { interruptionNotes, PlannedRun, RunOutcome, runAll } from './runs';
import { Sweep, sweepResults, sweepRuns, writeTable } from './sweep-command';
import { loadSplit, TrainArgs } from './train-command';


const HIDDEN: Sweep = { option: 'hidden', values: [100, 500, 2000] };
const L2: Sweep = { option: 'l2', values: [0.01, 0.1, 0.5] };
const KEEP: Sweep = { option: 'keep-prob', values: [0.9, 0.75, 0.5] };

const MLP_TEXT = 'A 784-1000-10 network (ReLU hidden layer, softmax output, Xavier initialization) trained with ' +
  'momentum on minibatches of 100.';
const CNN_TEXT = 'Convolution 3×3×32 (stride 1, SAME) → ReLU → batch norm → 2×2 max pool → fully connected 784 → ' +
  'dropout → ReLU → fully connected 10 → softmax, trained with Adam on minibatches of 32.';
const CURVES_TEXT = 'Train curves are the means over each epoch\'s minibatches; validation and test curves are full ' +
  'passes after each epoch.';

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m < 60 ? `${m} min ${s} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

const pct = (v: number | undefined) => (v === undefined ? '–' : `${(v * 100).toFixed(2)}%`);

function settings(args: TrainArgs, varied?: [string, string]): [string, string][] {
  const rows: [string, string][] = [];
  if (args.model === 'mlp') {
    rows.push(['hidden units', String(args.hidden)]);
    rows.push(['optimizer', `momentum, lr ${args.lr}, γ ${args.momentum}, v₀ 1e-5`]);
  } else {
    rows.push(['L2 weight', String(args.l2)], ['dropout keep probability', String(args.keepProb)]);
    rows.push(['optimizer', `Adam, lr ${args.lr}, β₁ 0.9, β₂ 0.999, ε 1e-8`]);
    rows.push(['batch norm', 'per channel, ε 1e-9, running averages (momentum 0.99) at evaluation']);
  }
  if (varied) {
    const i = rows.findIndex(([k]) => k === varied[0]);
    rows[i] = [varied[0], varied[1]];
  }
  rows.push(['epochs', String(args.epochs)], ['batch size', String(args.batch)],
    ['seed (initialization and shuffling)', String(args.seed ?? 521)], ['early stopping', 'none (epochs chosen afterwards)']);
  return rows;
}

function wall(outcomes: RunOutcome[]): [string, string] {
  const total = outcomes.reduce((s, o) => s + (o.experiment?.wallSeconds ?? 0), 0);
  return ['wall time', formatDuration(total) + (outcomes.length > 1 ? ` (${outcomes.length} runs)` : '')];
}

export async function reproduceCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const started = new Date();
  const t0 = performance.now();
  const values = parseOptions('reproduce', argv, REPRODUCE_OPTIONS);
  if (!values.out) throw new UsageError('reproduce needs --out DIR for its figures, tables and index.html');
  const out = values.out;
  const epochs = int('epochs', values.epochs, 1, 1e6);
  const limit = int('limit', values.limit, 1, 1e9);
  const seed = int('seed', values.seed, 0, 2 ** 32 - 1) ?? 521;
  const threads = int('threads', values.threads, 1, 256);
  prepareOutDir(out);
  const data = loadSplit(values.data, undefined, limit);
  const common: Partial<TrainArgs> = {
    data: values.data, seed, threads, limit,
  };
  const mlpBase: TrainArgs = { model: 'mlp', ...common, hidden: 1000, epochs: epochs ?? 200, batch: 100, lr: 0.01, momentum: 0.9 };
  const cnnBase: TrainArgs = { model: 'cnn', ...common, l2: 0, keepProb: 1, epochs: epochs ?? 50, batch: 32, lr: 1e-4 };
  const mlpRun: PlannedRun = { id: 'mlp', title: 'MLP 784-1000-10, momentum (Figure 2)', args: mlpBase };
  const cnnRun: PlannedRun = { id: 'cnn', title: 'CNN, Adam (Figure 4)', args: cnnBase };
  const hiddenRuns = sweepRuns(mlpBase, HIDDEN, 'mlp-');
  const l2Runs = sweepRuns(cnnBase, L2, 'cnn-');
  const keepRuns = sweepRuns(cnnBase, KEEP, 'cnn-');
  const plan = [mlpRun, ...hiddenRuns, cnnRun, ...l2Runs, ...keepRuns];

  process.stderr.write(`gemmnet: reproducing the study on ${data.name} (${data.train.n}/${data.valid.n}/${data.test.n}): ` +
    `${plan.length} runs, MLP ${mlpBase.epochs} epochs, CNN ${cnnBase.epochs} epochs, into ${out}\n`);
  const outcomes = await runAll(plan, path.join(out, 'runs'), signal);
  const byId = new Map(outcomes.map((o) => [o.run.id, o]));
  const pick = (runs: PlannedRun[]) => runs.map((r) => byId.get(r.id)!);
  const mlp = byId.get('mlp')!;
  const cnn = byId.get('cnn')!;
  const hidden = pick([...hiddenRuns, mlpRun]).sort((a, b) => a.run.args.hidden! - b.run.args.hidden!);
  const l2 = pick(l2Runs);
  const keep = pick(keepRuns);

  const written: string[] = [];
  /** Writes a figure and lists it for the report; a figure without any run (interrupted) is left out. */
  const figureOf = (name: string, caption: string, scene: Scene | null): ReportFigure[] => {
    if (!scene) return [];
    const files = writeFigure(path.join(out, name), scene);
    written.push(...files);
    return [{ caption, scene, files: files.map((f) => path.basename(f)) }];
  };
  const tableOf = (name: string, table: Table): ReportTable => {
    const files = writeTable(path.join(out, name), table);
    written.push(...files);
    return { table, files: files.map((f) => path.basename(f)) };
  };

  const sections: ReportSection[] = [];
  const mlpHistory = mlp.experiment?.history;
  const best = mlpHistory && mlpHistory.bestEpoch > 0 ? mlpHistory.epochs[mlpHistory.bestEpoch - 1] : undefined;
  const last = mlpHistory?.epochs[mlpHistory.epochs.length - 1];
  sections.push({
    id: 'figure-2', heading: 'Figure 2 — MLP: loss and accuracy per epoch',
    text: [MLP_TEXT, CURVES_TEXT], warnings: interruptionNotes([mlp]), settings: [...settings(mlpBase), wall([mlp])],
    figures: figureOf('figure-2', 'Figure 2. MLP 784-1000-10 with momentum: cross-entropy loss (top) and accuracy (bottom) ' +
      'on the train, validation and test sets; the dashed line marks the epoch early stopping picks.',
    mlpHistory?.epochs.length ? runFigure('Figure 2: MLP 784-1000-10, momentum', mlpHistory,
      best ? [{ x: best.epoch, label: `early stopping: epoch ${best.epoch}` }] : []) : null),
    tables: [],
  });
  sections.push({
    id: 'early-stopping', heading: 'Early stopping',
    text: best && last ? [
      `Early stopping keeps the weights of the epoch with the lowest validation loss: epoch ${best.epoch} of ` +
      `${mlpHistory!.epochs.length}, with ${pct(best.train.accuracy)} train, ${pct(best.valid?.accuracy)} validation and ` +
      `${pct(best.test?.accuracy)} test accuracy (after the last epoch: ${pct(last.train.accuracy)}, ` +
      `${pct(last.valid?.accuracy)} and ${pct(last.test?.accuracy)}).`,
    ] : ['The MLP run of Figure 2 has no finished epoch, so there is nothing to choose from.'],
    warnings: interruptionNotes([mlp]), settings: [],
    figures: [],
    tables: mlpHistory ? [tableOf('table-early-stopping', earlyStoppingTable('Early stopping on the MLP of Figure 2', mlpHistory))] : [],
  });
  const hiddenResult = sweepResults('Figure 3: MLP, number of hidden units', 'hidden', hidden);
  sections.push({
    id: 'figure-3', heading: 'Figure 3 — MLP: number of hidden units',
    text: ['The MLP of Figure 2 with 100, 500, 1000 (the Figure 2 run) and 2000 hidden units, otherwise the same. ' + CURVES_TEXT],
    warnings: interruptionNotes(hidden), settings: [...settings(mlpBase, ['hidden units', '100, 500, 1000, 2000']), wall(hidden)],
    figures: figureOf('figure-3', 'Figure 3. MLP with 100 to 2000 hidden units: a colour per size, a dash style per data set.',
      hiddenResult.scene),
    tables: [tableOf('table-hidden-units', hiddenResult.table)],
  });
  const cnnHistory = cnn.experiment?.history;
  sections.push({
    id: 'figure-4', heading: 'Figure 4 — CNN: loss and accuracy per epoch',
    text: [CNN_TEXT, CURVES_TEXT], warnings: interruptionNotes([cnn]), settings: [...settings(cnnBase), wall([cnn])],
    figures: figureOf('figure-4', 'Figure 4. The CNN with Adam, no L2 and no dropout: loss (top) and accuracy (bottom).',
      cnnHistory?.epochs.length ? runFigure('Figure 4: CNN, Adam', cnnHistory) : null),
    tables: [],
  });
  const l2Result = sweepResults('Figure 5: CNN, L2 regularization', 'l2', l2);
  l2Result.table.title = 'Table 1: CNN accuracy for each L2 weight (final and at the lowest validation loss)';
  sections.push({
    id: 'table-1-figure-5', heading: 'Table 1 and Figure 5 — CNN: L2 regularization',
    text: ['The CNN of Figure 4 with an L2 penalty λ/2·Σw² on its three weight tensors (not the biases), for ' +
      'λ = 0.01, 0.1 and 0.5. The train loss includes the penalty; validation and test losses are the cross-entropy alone.'],
    warnings: interruptionNotes(l2), settings: [...settings(cnnBase, ['L2 weight', '0.01, 0.1, 0.5']), wall(l2)],
    tables: [tableOf('table-1', l2Result.table)],
    figures: figureOf('figure-5', 'Figure 5. The CNN with L2 weights 0.01, 0.1 and 0.5.', l2Result.scene),
  });
  const keepResult = sweepResults('Figure 6: CNN, dropout', 'keep-prob', keep);
  sections.push({
    id: 'figure-6', heading: 'Figure 6 — CNN: dropout',
    text: ['The CNN of Figure 4 with dropout after the first fully connected layer, keeping each unit with probability ' +
      '0.9, 0.75 and 0.5 during training (inverted dropout: no scaling at evaluation).'],
    warnings: interruptionNotes(keep), settings: [...settings(cnnBase, ['dropout keep probability', '0.9, 0.75, 0.5']), wall(keep)],
    figures: figureOf('figure-6', 'Figure 6. The CNN with dropout keep probabilities 0.9, 0.75 and 0.5.', keepResult.scene),
    tables: [tableOf('table-dropout', keepResult.table)],
  });

  const finished = outcomes.filter((o) => o.experiment && !cutShort(o.experiment.history, o.plannedEpochs)).length;
  const info = buildInfo();
  const cpus = os.cpus();
  const totalSeconds = (performance.now() - t0) / 1000;
  const html = renderReport({
    title: 'gemmnet: the notMNIST study',
    banner: finished < plan.length ? `Interrupted: ${finished} of ${plan.length} runs finished; the runs cut short or not run are ` +
      'marked in their sections and in the table of all runs.' : undefined,
    overview: [
      ['data', `${data.name}: ${data.train.n} train, ${data.valid.n} validation, ${data.test.n} test images ` +
        '(shuffled with seed 521)'],
      ['epochs', `MLP ${mlpBase.epochs}, CNN ${cnnBase.epochs}` + (epochs !== undefined ? ' (set with --epochs)' : ' (the study\'s)')],
      ['runs', `${finished} of ${plan.length} finished`],
      ['wall time', formatDuration(totalSeconds)],
      ['started', started.toISOString()],
      ['command', ['gemmnet', 'reproduce', ...argv].join(' ')],
      ['build', `SIMD ${info.simd}, OpenBLAS core ${info.blasCore}, ${info.threads} BLAS threads, source ${info.sourceHash}`],
      ['machine', `${cpus[0]?.model ?? 'unknown CPU'} (${cpus.length} logical CPUs), ${os.platform()} ${os.arch()}, Node.js ${process.version}`],
    ],
    sections,
    appendix: [tableOf('runs', runsTable(outcomes))],
  });
  writeReportFile(path.join(out, 'index.html'), html);
  written.push(path.join(out, 'index.html'));
  process.stdout.write(`wrote ${written.length} files and ${outcomes.filter((o) => o.experiment).length} run folders to ${out} ` +
    `in ${formatDuration((performance.now() - t0) / 1000)}; open ${path.join(out, 'index.html')}\n`);
  return signal.aborted ? 130 : 0;
}

function runsTable(outcomes: RunOutcome[]): Table {
  return {
    title: 'Every run of the study',
    columns: [
      { title: 'run', key: 'run' }, { title: 'what', key: 'what' },
      { title: 'epochs', key: 'epochs', kind: 'integer' }, { title: 'planned', key: 'planned_epochs', kind: 'integer' },
      { title: 'final test', key: 'final_test_accuracy', kind: 'percent' },
      { title: 'wall time (s)', key: 'seconds', kind: 'seconds' }, { title: 'status', key: 'status' },
    ],
    rows: outcomes.map((o) => {
      const h = o.experiment?.history;
      return [o.run.id, o.run.title, h ? h.epochs.length : null, o.plannedEpochs,
        h?.epochs[h.epochs.length - 1]?.test?.accuracy ?? null, o.experiment?.wallSeconds ?? null, runStatus(h, o.plannedEpochs)];
    }),
  };
}
