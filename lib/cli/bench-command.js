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
exports.BENCH_SCRIPT = void 0;
exports.benchCommand = benchCommand;
// `gemmnet bench`: runs the benchmark script of a source checkout, passing the arguments through.
const child_process_1 = require("child_process");
const fs = __importStar(require("fs"));
const path = __importStar(require("path"));
const args_1 = require("./args");
exports.BENCH_SCRIPT = path.resolve(__dirname, '..', '..', 'bench', 'run.js');
function benchCommand(argv) {
    if (!fs.existsSync(exports.BENCH_SCRIPT)) {
        throw new args_1.CliError(`the benchmarks are not here: ${exports.BENCH_SCRIPT} does not exist. They ship with the source, ` +
            'not the npm package: run `npx gemmnet bench` (or `npm run bench`) in a clone of the gemmnet repository.');
    }
    return new Promise((resolve, reject) => {
        const child = (0, child_process_1.spawn)(process.execPath, [exports.BENCH_SCRIPT, ...argv], { stdio: 'inherit' });
        // Ctrl-C reaches the child through the terminal; this process waits for it to finish.
        const ignore = () => { };
        process.on('SIGINT', ignore);
        child.on('error', (err) => {
            process.off('SIGINT', ignore);
            reject(err);
        });
        child.on('exit', (code, sig) => {
            process.off('SIGINT', ignore);
            resolve(code ?? (sig ? 128 + (sig === 'SIGINT' ? 2 : 1) : 1));
        });
    });
}
