"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TRAIN_OPTIONS = exports.CliError = void 0;
exports.parseOptions = parseOptions;
exports.num = num;
exports.numList = numList;
exports.checkModelOptions = checkModelOptions;
exports.trainArgs = trainArgs;
exports.interruptible = interruptible;
// Command-line options shared by train, sweep and reproduce, checked into TrainArgs.
const util_1 = require("util");
/** A mistake in how the command was called: printed as its message alone. */
class CliError extends Error {
}
exports.CliError = CliError;
/** Options of `train`; sweep takes the same, with lists for the swept one. */
exports.TRAIN_OPTIONS = {
    model: { type: 'string', default: 'mlp' }, data: { type: 'string' }, hidden: { type: 'string' },
    epochs: { type: 'string' }, batch: { type: 'string' }, lr: { type: 'string' }, momentum: { type: 'string' },
    l2: { type: 'string' }, 'keep-prob': { type: 'string' }, seed: { type: 'string' },
    'early-stopping': { type: 'string' }, split: { type: 'string' }, threads: { type: 'string' },
    out: { type: 'string' },
    // Uses at most N samples of each of train, validation and test (quick checks).
    limit: { type: 'string' },
};
function parseOptions(args, options) {
    const { values, positionals } = (0, util_1.parseArgs)({ args, options, allowPositionals: true });
    if (positionals.length)
        throw new RangeError(`unexpected argument "${positionals[0]}"`);
    return values;
}
function num(name, v) {
    if (v === undefined)
        return undefined;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n))
        throw new RangeError(`--${name} must be a number, got "${v}"`);
    return n;
}
/** "100,500,1000" -> [100, 500, 1000]. */
function numList(name, v) {
    const parts = v.split(',').map((s) => s.trim());
    if (parts.some((s) => s === ''))
        throw new RangeError(`--${name} takes comma-separated numbers, got "${v}"`);
    return parts.map((s) => num(name, s));
}
function model(v) {
    if (v !== 'mlp' && v !== 'cnn')
        throw new RangeError(`--model must be mlp or cnn, got "${v}"`);
    return v;
}
/** Checks that options meant for one model are not given to the other. */
function checkModelOptions(m, values) {
    const foreign = m === 'mlp' ? ['l2', 'keep-prob'] : ['hidden', 'momentum'];
    for (const name of foreign) {
        if (values[name] !== undefined)
            throw new RangeError(`--${name} does not apply to --model ${m}`);
    }
}
function trainArgs(values) {
    const m = model(values.model);
    checkModelOptions(m, values);
    let split;
    if (values.split) {
        const parts = numList('split', values.split);
        if (parts.length !== 3)
            throw new RangeError('--split takes three sizes: train,validation,test');
        split = parts;
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
async function interruptible(work) {
    const ac = new AbortController();
    const onSigint = () => {
        if (ac.signal.aborted)
            process.exit(130);
        process.stderr.write('\ngemmnet: stopping after the current batch and writing what was done (Ctrl-C again to quit now)\n');
        ac.abort();
    };
    process.on('SIGINT', onSigint);
    try {
        return await work(ac.signal);
    }
    finally {
        process.off('SIGINT', onSigint);
    }
}
