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
exports.runAll = runAll;
exports.interruptionNotes = interruptionNotes;
// Several training runs in a row (a sweep, the study): one loaded data set, progress naming which
// run of how many, and after Ctrl-C the current run stops after its batch and the rest are skipped.
const path = __importStar(require("path"));
const tables_1 = require("../report/tables");
const train_command_1 = require("./train-command");
async function runAll(runs, dir, signal) {
    const outcomes = [];
    for (const [i, run] of runs.entries()) {
        const outcome = { run, plannedEpochs: (0, train_command_1.plannedEpochs)(run.args) };
        outcomes.push(outcome);
        if (signal.aborted)
            continue;
        const tag = `[${i + 1}/${runs.length} ${run.id}]`;
        process.stderr.write(`gemmnet: ${tag} ${run.title}\n`);
        outcome.experiment = await (0, train_command_1.runTraining)({ ...run.args, label: tag }, signal);
        (0, train_command_1.writeExperiment)(path.join(dir, run.id), outcome.experiment);
    }
    return outcomes;
}
/** A note for each run that was cut short or never started; none when every run finished. */
function interruptionNotes(outcomes) {
    const notes = [];
    for (const o of outcomes) {
        const h = o.experiment?.history;
        if (!h)
            notes.push(`${o.run.title} (${o.run.id}): not run, the work was interrupted before it started.`);
        else if ((0, tables_1.cutShort)(h, o.plannedEpochs)) {
            notes.push(`${o.run.title} (${o.run.id}): interrupted after ${h.epochs.length} of ${o.plannedEpochs} epochs; ` +
                'its curves and numbers stop there.');
        }
    }
    return notes;
}
