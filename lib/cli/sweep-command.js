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
exports.SWEEPS = void 0;
exports.pickSweep = pickSweep;
exports.sweepRuns = sweepRuns;
exports.sweepResults = sweepResults;
exports.writeTable = writeTable;
exports.sweepCommand = sweepCommand;
// `gemmnet sweep`: one run per value of a hyperparameter; overlaid curves and a table of accuracies.
const path = __importStar(require("path"));
const curves_1 = require("../report/curves");
const output_1 = require("../report/output");
const tables_1 = require("../report/tables");
const args_1 = require("./args");
const runs_1 = require("./runs");
const train_command_1 = require("./train-command");
exports.SWEEPS = {
    hidden: { model: 'mlp', arg: 'hidden', title: 'hidden units', label: (v) => `${v} hidden` },
    l2: { model: 'cnn', arg: 'l2', title: 'L2 weight', label: (v) => `L2 ${v}` },
    'keep-prob': { model: 'cnn', arg: 'keepProb', title: 'keep probability', label: (v) => `keep ${v}` },
};
/** The swept option: the one given a comma-separated list (or the only one of the three given). */
function pickSweep(values) {
    const given = Object.keys(exports.SWEEPS).filter((o) => values[o] !== undefined);
    const lists = given.filter((o) => values[o].includes(','));
    if (lists.length > 1)
        throw new RangeError(`sweep one option at a time: got lists for ${lists.map((o) => '--' + o).join(' and ')}`);
    const option = lists[0] ?? (given.length === 1 ? given[0] : undefined);
    if (!option) {
        throw new RangeError('sweep needs the values to try: --hidden 100,500,1000,2000 (mlp), ' +
            '--l2 0.01,0.1,0.5 or --keep-prob 0.9,0.75,0.5 (cnn)');
    }
    return { option, values: (0, args_1.numList)(option, values[option]) };
}
function sweepRuns(base, sweep, idPrefix = '') {
    const s = exports.SWEEPS[sweep.option];
    return sweep.values.map((v) => {
        const args = { ...base, [s.arg]: v };
        return { id: `${idPrefix}${sweep.option}-${v}`, title: `${s.label(v)}: ${(0, train_command_1.describeRun)(args)}`, args };
    });
}
/** The table of a finished (or interrupted) sweep, and its overlaid figure when any run was done. */
function sweepResults(title, option, outcomes) {
    const s = exports.SWEEPS[option];
    const done = outcomes.filter((o) => o.experiment?.history.epochs.length);
    const scene = done.length ? (0, curves_1.sweepFigure)(title, done.map((o) => ({
        label: s.label(o.run.args[s.arg]), history: o.experiment.history,
    }))) : null;
    const table = (0, tables_1.sweepTable)(`${title}: final and best-epoch (lowest validation loss) accuracies`, { title: s.title, key: option }, outcomes.map((o) => ({
        value: String(o.run.args[s.arg]), history: o.experiment?.history, plannedEpochs: o.plannedEpochs,
        seconds: o.experiment?.wallSeconds,
    })));
    return { scene, table };
}
function writeTable(base, table) {
    (0, output_1.writeFileAtomic)(`${base}.md`, (0, tables_1.markdownTable)(table));
    (0, output_1.writeFileAtomic)(`${base}.csv`, (0, tables_1.csvTable)(table));
    return [`${base}.md`, `${base}.csv`];
}
async function sweepCommand(argv, signal) {
    const values = (0, args_1.parseOptions)(argv, args_1.TRAIN_OPTIONS);
    const sweep = pickSweep(values);
    const s = exports.SWEEPS[sweep.option];
    if (values.model !== s.model)
        throw new RangeError(`--${sweep.option} sweeps need --model ${s.model}`);
    if (!values.out)
        throw new RangeError('sweep needs --out DIR for its curves, table and runs');
    const base = (0, args_1.trainArgs)({ ...values, [sweep.option]: undefined });
    const out = values.out;
    const outcomes = await (0, runs_1.runAll)(sweepRuns(base, sweep), out, signal);
    const title = `${s.model.toUpperCase()} sweep over ${s.title}`;
    const r = sweepResults(title, sweep.option, outcomes);
    const files = writeTable(path.join(out, 'table'), r.table);
    if (r.scene)
        files.push(...(0, output_1.writeFigure)(path.join(out, 'curves'), r.scene));
    process.stdout.write((0, tables_1.markdownTable)(r.table));
    for (const note of (0, runs_1.interruptionNotes)(outcomes))
        process.stderr.write(`gemmnet: ${note}\n`);
    process.stdout.write(`wrote ${files.join(', ')} and ${outcomes.filter((o) => o.experiment).length} run folders in ${out}\n`);
    return signal.aborted ? 130 : 0;
}
