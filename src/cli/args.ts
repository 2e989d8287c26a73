// Command-line options shared by train, sweep and reproduce, checked into TrainArgs.
import { parseArgs } from 'util';
import type { TrainArgs } from './train-command';

/** A mistake in how the command was called: printed as its message alone. */
export class CliError extends Error {}

type Spec = { type: 'string' | 'boolean'; default?: string };

/** Options of `train`; sweep takes the same, with lists for the swept one. */
export const TRAIN_OPTIONS: Record<string, Spec> = {
  model: { type: 'string', default: 'mlp' }, data: { type: 'string' }, hidden: { type: 'string' },
  epochs: { type: 'string' }, batch: { type: 'string' }, lr: { type: 'string' }, momentum: { type: 'string' },
  l2: { type: 'string' }, 'keep-prob': { type: 'string' }, seed: { type: 'string' },
  'early-stopping': { type: 'string' }, split: { type: 'string' }, threads: { type: 'string' },
  out: { type: 'string' },
  // Uses at most N samples of each of train, validation and test (quick checks).
  limit: { type: 'string' },
};

export function parseOptions(args: string[], options: Record<string, Spec>): Record<string, string | undefined> {
  const { values, positionals } = parseArgs({ args, options, allowPositionals: true });
  if (positionals.length) throw new RangeError(`unexpected argument "${positionals[0]}"`);
  return values as Record<string, string | undefined>;
}

export function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new RangeError(`--${name} must be a number, got "${v}"`);
  return n;
}

/** "100,500,1000" -> [100, 500, 1000]. */
export function numList(name: string, v: string): number[] {
  const parts = v.split(',').map((s) => s.trim());
  if (parts.some((s) => s === '')) throw new RangeError(`--${name} takes comma-separated numbers, got "${v}"`);
  return parts.map((s) => num(name, s)!);
}

/** mlp, cnn, or the path of a JSON stack (`{ "input": [...], "layers": [...] }`). */
function model(v: string | undefined): string {
  if (v !== 'mlp' && v !== 'cnn' && !(v ?? '').toLowerCase().endsWith('.json')) {
    throw new RangeError(`--model must be mlp, cnn or a stack's .json file, got "${v}"`);
  }
  return v!;
}

/** Checks that options meant for one model are not given to another (a JSON stack holds its own l2). */
export function checkModelOptions(m: string, values: Record<string, unknown>): void {
  const foreign = m === 'mlp' ? ['l2', 'keep-prob'] : m === 'cnn' ? ['hidden', 'momentum'] : ['hidden', 'momentum', 'l2', 'keep-prob'];
  for (const name of foreign) {
    if (values[name] !== undefined) throw new RangeError(`--${name} does not apply to --model ${m}`);
  }
}

export function trainArgs(values: Record<string, string | undefined>): TrainArgs {
  const m = model(values.model);
  checkModelOptions(m, values);
  let split: [number, number, number] | undefined;
  if (values.split) {
    const parts = numList('split', values.split);
    if (parts.length !== 3) throw new RangeError('--split takes three sizes: train,validation,test');
    split = parts as [number, number, number];
  }
  return {
    model: m, data: values.data, hidden: num('hidden', values.hidden), epochs: num('epochs', values.epochs),
    batch: num('batch', values.batch), lr: num('lr', values.lr), momentum: num('momentum', values.momentum),
    l2: num('l2', values.l2), keepProb: num('keep-prob', values['keep-prob']), seed: num('seed', values.seed),
    earlyStopping: num('early-stopping', values['early-stopping']), split, threads: num('threads', values.threads),
    out: values.out, limit: num('limit', values.limit),
  };
}

/** Runs `work` with an AbortSignal that the first Ctrl-C aborts (a second one quits at once). */
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
