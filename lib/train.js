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
exports.train = train;
// The training loop: seeded shuffling, minibatches, per-epoch metrics, early stopping, callbacks.
// Kernels run synchronously per batch; the loop yields to the event loop between batches.
const native_1 = require("./native");
const network_1 = require("./network");
const optim_1 = require("./optim");
const random_1 = require("./random");
const train_state_1 = require("./train-state");
const check = __importStar(require("./validate"));
const TRAIN_KEYS = ['epochs', 'batchSize', 'optimizer', 'validation', 'test', 'seed', 'shuffle', 'earlyStopping',
    'onEpoch', 'onBatch', 'signal', 'evaluateTrain', 'evalBatchSize', 'threads', 'checkpoint', 'resumeFrom'];
/** Yields to the event loop when the current slice of work has run longer than this. */
const SLICE_MS = 8;
/** Parameters per optimizer call: a few milliseconds of memory traffic each. */
const UPDATE_SLICE = 1 << 20;
function checkSet(name, v, model) {
    const d = check.object(name, v);
    const n = check.rows(`${name}.x`, d.x, model.inputSize);
    const y = check.labels(`${name}.y`, d.y, n, model.classes);
    const x = d.x;
    for (let i = 0; i < x.length; i++) {
        // One pass before training: a NaN would otherwise surface epochs later as a diverged loss.
        if (!Number.isFinite(x[i])) {
            throw new RangeError(`${name}.x[${i}] (sample ${Math.floor(i / model.inputSize)}) is ${x[i]}; the inputs must be finite`);
        }
    }
    return { x, y, n };
}
class Slicer {
    last = performance.now();
    async maybeYield() {
        if (performance.now() - this.last < SLICE_MS)
            return;
        await new Promise((resolve) => setImmediate(resolve));
        this.last = performance.now();
    }
}
async function evaluateSet(model, set, batch, slicer) {
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < set.n; start += batch) {
        const r = await model.evalRangeAsync(set.x, set.y, start, Math.min(set.n, start + batch), () => slicer.maybeYield());
        lossSum += r.lossSum;
        correct += r.correct;
        await slicer.maybeYield();
    }
    return { loss: lossSum / set.n, accuracy: correct / set.n };
}
function monitorValue(r, monitor) {
    const [set, key] = monitor.split('.');
    const m = r[set];
    if (!m)
        throw new Error(`earlyStopping.monitor is "${monitor}" but no validation data was given`);
    return key === 'loss' ? m.loss : -m.accuracy;
}
/** Trains model on data; resolves with the per-epoch history. */
async function train(model, data, options) {
    if (!(model instanceof network_1.Network))
        throw new TypeError('train: model must be a model made by mlp() or cnn()');
    const o = check.object('train options', options);
    check.knownKeys('train options', o, TRAIN_KEYS);
    const epochs = check.integer('epochs', o.epochs, 1, 1e6);
    const batchSize = check.integer('batchSize', o.batchSize ?? (model.kind === 'cnn' ? 32 : 100), 1, 1 << 20);
    const evalBatch = check.integer('evalBatchSize', o.evalBatchSize ?? model.evalBatchSize, 1, 1 << 20);
    if (o.optimizer !== undefined && !(0, optim_1.isOptimizer)(o.optimizer)) {
        throw new TypeError('optimizer must be made by momentum() or adam()');
    }
    const optimizer = o.optimizer ?? (model.kind === 'cnn' ? (0, optim_1.adam)() : (0, optim_1.momentum)());
    // What the optimizer updates after each step: everything, or what the fused layers leave to it.
    const updateRanges = typeof optimizer.rule === 'function' ? model.unfusedRanges : [[0, model.params.length]];
    const trainSet = checkSet('data', data, model);
    const valid = o.validation === undefined ? undefined : checkSet('validation', o.validation, model);
    const test = o.test === undefined ? undefined : checkSet('test', o.test, model);
    const seed = check.integer('seed', o.seed ?? model.options.seed, 0, 2 ** 32 - 1);
    const shuffle = o.shuffle ?? true;
    for (const fn of ['onEpoch', 'onBatch']) {
        if (o[fn] !== undefined && typeof o[fn] !== 'function')
            throw new TypeError(`${fn} must be a function`);
    }
    const signal = o.signal;
    if (o.threads !== undefined)
        native_1.native.setThreads(check.integer('threads', o.threads, 1, 256));
    let stopping;
    if (o.earlyStopping !== undefined) {
        const es = check.object('earlyStopping', o.earlyStopping);
        check.knownKeys('earlyStopping', es, ['patience', 'monitor', 'minDelta', 'restoreBest']);
        stopping = {
            patience: check.integer('earlyStopping.patience', es.patience, 0, 1e6),
            monitor: check.oneOf('earlyStopping.monitor', es.monitor ?? (valid ? 'valid.loss' : 'train.loss'), ['valid.loss', 'valid.accuracy', 'train.loss', 'train.accuracy']),
            minDelta: check.finite('earlyStopping.minDelta', es.minDelta ?? 0, { min: 0 }),
            restoreBest: es.restoreBest === undefined ? true : Boolean(es.restoreBest),
        };
        if (stopping.monitor.startsWith('valid') && !valid) {
            throw new TypeError(`earlyStopping.monitor "${stopping.monitor}" needs validation data`);
        }
    }
    const monitor = stopping?.monitor ?? (valid ? 'valid.loss' : 'train.loss');
    for (const key of ['checkpoint', 'resumeFrom']) {
        if (o[key] !== undefined && (typeof o[key] !== 'string' || o[key] === '')) {
            throw new TypeError(`${key} must be a file path string`);
        }
    }
    const checkpoint = o.checkpoint;
    const rng = new random_1.MT19937(seed);
    const order = new Int32Array(trainSet.n);
    for (let i = 0; i < order.length; i++)
        order[i] = i;
    const labelBatch = new Int32Array(batchSize);
    const batches = Math.ceil(trainSet.n / batchSize);
    const slicer = new Slicer();
    const pause = () => slicer.maybeYield();
    const history = { epochs: [], bestEpoch: 0, stopReason: 'completed' };
    let best = Infinity;
    let sinceBest = 0;
    let bestWeights = null;
    let firstEpoch = 1;
    if (o.resumeFrom !== undefined) {
        const p = (0, train_state_1.loadTrainingCheckpoint)(o.resumeFrom, model, optimizer);
        if (p.order.length !== order.length) {
            throw new RangeError(`train: resumeFrom ${o.resumeFrom} was trained on ${p.order.length} samples, this data has ${order.length}`);
        }
        order.set(p.order);
        rng.setState(p.rng);
        history.epochs = p.history.epochs;
        history.bestEpoch = p.history.bestEpoch;
        best = p.best;
        sinceBest = p.sinceBest;
        bestWeights = p.bestWeights;
        firstEpoch = p.epoch + 1;
    }
    // A new optimizer state is tens of megabytes the system has not mapped yet. Fault its pages in
    // here, a slice at a time, rather than all inside the first fused update, which would hold the
    // event loop for as long (a write per 4 KiB page, of the value already there).
    if (optimizer.prepare) {
        optimizer.prepare(model.params.length);
        for (const buf of Object.values(optimizer.getState().buffers)) {
            for (let start = 0; start < buf.length; start += UPDATE_SLICE) {
                const end = Math.min(buf.length, start + UPDATE_SLICE);
                for (let i = start; i < end; i += 1024)
                    buf[i] = buf[i];
                await slicer.maybeYield();
            }
        }
    }
    for (let epoch = firstEpoch; epoch <= epochs; epoch++) {
        if (shuffle)
            rng.shuffle(order);
        const t0 = performance.now();
        let lossSum = 0;
        let correct = 0;
        let aborted = false;
        for (let b = 0; b < batches; b++) {
            const start = b * batchSize;
            const idx = order.subarray(start, Math.min(trainSet.n, start + batchSize));
            const n = idx.length;
            const yb = labelBatch.subarray(0, n);
            for (let i = 0; i < n; i++)
                yb[i] = trainSet.y[idx[i]];
            const xb = model.gatherBatch(trainSet.x, idx);
            // The big weights are updated inside the backward pass (fused with their gradient, which then
            // never goes through memory); the optimizer updates the rest below.
            optimizer.beginStep(model.params.length);
            const r = await model.trainBatchAsync(xb, yb, n, pause, optimizer);
            if (!Number.isFinite(r.loss)) {
                throw new Error(`train: the loss became ${r.loss} at epoch ${epoch}, batch ${b + 1} of ${batches}; training diverged ` +
                    '(lower the learning rate, or check the inputs for NaN/Inf)');
            }
            await slicer.maybeYield();
            // The rest of the update, in slices, so a big model does not hold the event loop for the whole pass.
            for (const [from, to] of updateRanges) {
                for (let start = from; start < to; start += UPDATE_SLICE) {
                    const end = Math.min(to, start + UPDATE_SLICE);
                    optimizer.update(model.params.subarray(start, end), model.grads.subarray(start, end), start);
                    await slicer.maybeYield();
                }
            }
            lossSum += r.loss * n;
            correct += r.correct;
            o.onBatch?.({ epoch, batch: b + 1, batches, loss: r.loss });
            if (signal?.aborted) {
                aborted = true;
                break;
            }
            await slicer.maybeYield();
        }
        const seconds = (performance.now() - t0) / 1000;
        if (aborted) {
            // A partial epoch is not recorded: its metrics would not be comparable with the others.
            history.stopReason = 'aborted';
            break;
        }
        const record = {
            epoch,
            seconds,
            train: o.evaluateTrain
                ? await evaluateSet(model, trainSet, evalBatch, slicer)
                : { loss: lossSum / trainSet.n, accuracy: correct / trainSet.n },
        };
        if (valid)
            record.valid = await evaluateSet(model, valid, evalBatch, slicer);
        if (test)
            record.test = await evaluateSet(model, test, evalBatch, slicer);
        history.epochs.push(record);
        const value = monitorValue(record, monitor);
        if (value < best - (stopping?.minDelta ?? 0)) {
            best = value;
            sinceBest = 0;
            history.bestEpoch = epoch;
            if (stopping?.restoreBest)
                bestWeights = { params: model.params.slice(), state: cloneState(model) };
        }
        else {
            sinceBest++;
        }
        if (checkpoint) {
            (0, train_state_1.saveTrainingCheckpoint)(checkpoint, model, optimizer, {
                epoch, history, best, sinceBest, rng: rng.getState(), order, counters: model.getCounters(), bestWeights,
            });
        }
        if (o.onEpoch) {
            const verdict = await o.onEpoch(record, model);
            if (verdict === false) {
                history.stopReason = 'callback';
                break;
            }
        }
        if (stopping && sinceBest > stopping.patience) {
            history.stopReason = 'early-stopping';
            break;
        }
        if (signal?.aborted) {
            history.stopReason = 'aborted';
            break;
        }
    }
    if (history.bestEpoch === 0 && history.epochs.length)
        history.bestEpoch = history.epochs.length;
    if (stopping?.restoreBest && bestWeights && history.bestEpoch !== history.epochs.length) {
        model.params.set(bestWeights.params);
        model.setState(bestWeights.state);
    }
    return history;
}
function cloneState(model) {
    return Object.fromEntries(Object.entries(model.getState()).map(([k, v]) => [k, v.slice()]));
}
