#!/usr/bin/env node
// The gemmnet command line: train one experiment, sweep a hyperparameter, reproduce the study,
// run the benchmarks, print build information.
//
// Exit codes: 0 done, 1 a failure to act on (a file, the data, the machine), 2 a usage mistake,
// 130 interrupted by Ctrl-C.
import * as fs from 'fs';
import * as path from 'path';
import { DEMO_OPTIONS, EXPORT_OPTIONS, formatOptions, interruptible, parseOptions, prepareOutDir, REPRODUCE_OPTIONS, suggest, TRAIN_OPTIONS,
  trainArgs, UsageError } from './cli/args';

interface Command {
  summary: string;
  /** Help text: usage line(s), options, notes. */
  help: () => string;
  run: (argv: string[]) => Promise<number>;
}

// Each command's module is loaded when it runs, so --help and --version work even where the native
// addon does not load.
const COMMANDS: Record<string, Command> = {
  train: {
    summary: 'Train a model and print per-epoch loss and accuracy',
    help: () => `Usage: gemmnet train [options]\n\nTrain a model and print per-epoch loss and accuracy.\n\n` +
      `Options:\n${formatOptions(TRAIN_OPTIONS)}\n`,
    run: train,
  },
  sweep: {
    summary: 'One run per value of --hidden (mlp), --l2 or --keep-prob (cnn)',
    help: () => 'Usage: gemmnet sweep --model mlp --hidden 100,500,1000,2000 --out DIR [options]\n\n' +
      'One run per value of --hidden (mlp), --l2 or --keep-prob (cnn), given as a comma-separated list.\n' +
      'Writes overlaid curves (curves.svg, curves.png), a table of final and best-epoch accuracies\n' +
      '(table.md, table.csv) and each run\'s history to DIR.\n\n' +
      `Options (those of train):\n${formatOptions(TRAIN_OPTIONS)}\n`,
    run: async (argv) => {
      const { sweepCommand } = await import('./cli/sweep-command');
      return interruptible((signal) => sweepCommand(argv, signal));
    },
  },
  reproduce: {
    summary: 'Every experiment of the study, as figures, tables and index.html',
    help: () => 'Usage: gemmnet reproduce --out DIR [options]\n\n' +
      'Every experiment of the study with its settings (MLP: Figures 2 and 3, early stopping; CNN: Figure 4,\n' +
      'Table 1 and Figure 5, Figure 6), as figures, tables and index.html, a self-contained report.\n\n' +
      `Options:\n${formatOptions(REPRODUCE_OPTIONS)}\n`,
    run: async (argv) => {
      const { reproduceCommand } = await import('./cli/reproduce-command');
      return interruptible((signal) => reproduceCommand(argv, signal));
    },
  },
  bench: {
    summary: 'Time training against NumPy, PyTorch and this machine\'s sgemm (in a clone)',
    help: () => 'Usage: gemmnet bench [arguments]\n\n' +
      'Runs the benchmark of a source checkout (bench/run.js); the arguments go to it.\n',
    run: async (argv) => (await import('./cli/bench-command')).benchCommand(argv),
  },
  export: {
    summary: 'Write a saved model as ONNX',
    help: () => 'Usage: gemmnet export --model FILE.safetensors --onnx FILE.onnx [--classes A,B,...]\n\n' +
      'Writes a saved model as an ONNX file (input `input` [N, H, W, C] or [N, features], output\n' +
      '`probabilities` [N, classes]) for onnxruntime and other runtimes.\n\n' +
      `Options:\n${formatOptions(EXPORT_OPTIONS)}\n`,
    run: async (argv) => (await import('./cli/export-command')).exportCommand(argv),
  },
  demo: {
    summary: 'Serve a page to draw on and see the model\'s prediction',
    help: () => 'Usage: gemmnet demo [--model FILE.safetensors] [--port 8080]\n\n' +
      'Serves, on 127.0.0.1, a page where you draw with the mouse, a pen or a finger and see the model\'s\n' +
      'prediction and the probability of every class as you draw.\n\n' +
      `Options:\n${formatOptions(DEMO_OPTIONS)}\n`,
    run: async (argv) => (await import('./cli/demo-command')).demoCommand(argv),
  },
  info: {
    summary: 'Print what the native binary is and what it chose on this CPU',
    help: () => 'Usage: gemmnet info\n\nPrints what the native binary is and what it chose on this CPU, as JSON.\n',
    run: async (argv) => {
      parseOptions('info', argv, {});
      const { buildInfo } = await import('./index');
      process.stdout.write(JSON.stringify(buildInfo(), null, 2) + '\n');
      return 0;
    },
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length)) + 2;
  return 'Usage: gemmnet <command> [options]\n\nCommands:\n' +
    Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`).join('\n') +
    '\n\nRun `gemmnet <command> --help` for the options of a command; `gemmnet --version` prints the version.\n' +
    'Ctrl-C stops after the current batch and still writes what was done.\n' +
    'Exit codes: 0 done, 1 a failure (file, data, machine), 2 a usage mistake, 130 interrupted.\n';
}

function version(): string {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

async function train(argv: string[]): Promise<number> {
  const args = trainArgs(parseOptions('train', argv, TRAIN_OPTIONS));
  if (args.out) prepareOutDir(args.out);
  const { runTraining, writeTrainOutputs } = await import('./cli/train-command');
  return interruptible(async (signal) => {
    const e = await runTraining(args, signal);
    const written = args.out ? await writeTrainOutputs(args.out, e) : [];
    const last = e.history.epochs[e.history.epochs.length - 1];
    const best = e.history.epochs[e.history.bestEpoch - 1];
    if (last) {
      process.stdout.write(`final: test accuracy ${(last.test!.accuracy * 100).toFixed(2)}%` +
        (best && best !== last ? `; best epoch ${best.epoch}: test accuracy ${(best.test!.accuracy * 100).toFixed(2)}%` : '') + '\n');
    }
    if (written.length) process.stdout.write(`wrote ${written.map((f) => path.basename(f)).join(', ')} to ${args.out}\n`);
    return e.history.stopReason === 'aborted' ? 130 : 0;
  });
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(usage());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    process.stdout.write(topic && COMMANDS[topic] ? COMMANDS[topic].help() : usage());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const command = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    const hint = suggest(name.replace(/^-+/, ''), Object.keys(COMMANDS));
    throw new UsageError(`unknown command "${name}"${hint ? `; did you mean ${hint}?` : ''}`);
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help());
    return 0;
  }
  return command.run(rest);
}

const commandName = process.argv[2];
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: Error) => {
    const debug = Boolean(process.env.GEMMNET_DEBUG);
    if (err instanceof UsageError) {
      const help = commandName && COMMANDS[commandName] ? `gemmnet ${commandName} --help` : 'gemmnet --help';
      process.stderr.write(`gemmnet: ${err.message}\nRun \`${help}\` for usage.\n`);
      process.exitCode = 2;
      return;
    }
    // Files, data and the machine: one line a user can act on; the stack only when asked for.
    process.stderr.write(`gemmnet: ${String(err?.message ?? err).replace(/^gemmnet: /, '')}\n`);
    if (debug) process.stderr.write(`${err?.stack ?? err}\n`);
    process.exitCode = 1;
  },
);
