// Runs tfjs-train.js (TensorFlow.js, CPU or WebAssembly backend) in a child process.
'use strict';
const path = require('path');
const { spawnSync } = require('child_process');
const { phase } = require('./load');

const BENCH = path.join(__dirname, '..');
// onnxruntime-node is in the same package.json; without the variable its install script may fetch CUDA.
const INSTALL = 'ONNXRUNTIME_NODE_INSTALL=skip npm install --prefix bench';

/** A reason when bench/node_modules lacks TensorFlow.js, else null. */
function tfjsMissing() {
  for (const name of ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm']) {
    try {
      require.resolve(`${name}/package.json`, { paths: [BENCH] });
    } catch {
      return `${name} is not installed; run \`${INSTALL}\` from the repository root`;
    }
  }
  return null;
}

/**
 * Trains `model` with tfjs' `backend` for at most `limit` samples or about `budget` seconds; returns
 * the child's report (see tfjs-train.js) with the load during the run, or { error }.
 */
function runTfjs({ backend, model, limit, budget, timeoutSeconds = 600 }) {
  const args = [path.join(BENCH, 'tfjs-train.js'), '--backend', backend, '--model', model, '--budget', String(budget)];
  if (limit) args.push('--limit', String(limit));
  const stop = phase();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: timeoutSeconds * 1000 });
  const load = stop();
  const line = (r.stdout || '').trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (r.error || r.status !== 0 || !line) {
    const why = r.error ? r.error.message : (r.stderr || '').trim().split('\n').slice(0, 2).join(' | ');
    return { error: `tfjs-${backend} ${model}: ${why}` };
  }
  const report = JSON.parse(line);
  return { ...report, bestPer8000: report.epoch_seconds_per_8000, load };
}

module.exports = { runTfjs, tfjsMissing, INSTALL };
