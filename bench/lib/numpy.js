// Runs numpy_mlp.py / numpy_cnn.py in child processes with a given OpenBLAS thread count.
'use strict';
const path = require('path');
const { spawnSync } = require('child_process');
const { phase } = require('./load');

const PYTHON = process.env.PYTHON || 'python3';
// Set on some machines for older OpenBLAS builds. run.js already runs without them (lib/env.js); they
// are removed here too so that these functions measure the same when called on their own.
const { CORE_OVERRIDES } = require('./env');

function childEnv(threads, extra = {}) {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), ...extra };
  const unset = CORE_OVERRIDES.filter((k) => k in env);
  if (unset.length) for (const k of CORE_OVERRIDES) delete env[k];
  return { env, unset };
}

/** Whether python3 with NumPy is there; a reason when not. */
function numpyMissing() {
  const r = spawnSync(PYTHON, ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} not found (${r.error.code})`;
  if (r.status !== 0) return `NumPy is not importable by ${PYTHON}: ${r.stderr.trim().split('\n').pop()}`;
  return null;
}

/**
 * One NumPy run: `epochs` epochs of model ('mlp' | 'cnn') in dtype with `threads` OpenBLAS threads.
 * The first `warmup` epochs are dropped from `seconds`. Returns the script's JSON report plus the
 * load during the run, or { error }.
 */
function runNumpy({ model, dtype, threads, epochs, warmup = 1, limit, busy = null, env: extra = {}, extraArgs = [],
  timeoutSeconds = 300 }) {
  const script = path.join(__dirname, '..', `numpy_${model}.py`);
  const args = [script, '--json', '--dtype', dtype, '--epochs', String(epochs + warmup), '--threads', String(threads)];
  if (limit) args.push('--limit', String(limit));
  args.push(...extraArgs);
  const { env, unset } = childEnv(threads, extra);
  const stop = phase(busy);
  const r = spawnSync(PYTHON, args, { env, encoding: 'utf8', timeout: timeoutSeconds * 1000 });
  const load = stop();
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : (r.stderr || '').trim().split('\n').slice(-3).join(' | ');
    return { error: `numpy_${model}.py ${dtype} ${threads} thread(s) failed: ${why}` };
  }
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  const report = JSON.parse(line);
  const seconds = report.epoch_seconds.slice(warmup);
  const cpuSeconds = (report.epoch_cpu_seconds || []).slice(warmup);
  const scale = 8000 / report.samples_per_epoch;
  return {
    ...report,
    unsetEnv: unset,
    seconds,
    cpuSeconds,
    best: Math.min(...seconds),
    bestPer8000: Math.min(...seconds) * scale,
    extrapolated: report.samples_per_epoch !== 8000,
    gflopPerEpoch: report.gflop_per_epoch * scale,
    load,
  };
}

/**
 * The MLP epoch in one NumPy process, alternating after a warm-up epoch: quiet, then with a busy
 * process (node spinning) competing, `rounds` times each. Returns { quiet, contended } with the
 * seconds, CPU seconds and other processes' load of each, or { error }.
 */
function numpyContention({ threads, rounds, env = {} }) {
  const busy = [process.execPath, '-e', 'for (;;) {}'];
  const r = runNumpy({
    model: 'mlp', dtype: 'float32', threads, epochs: 2 * rounds, warmup: 1, env,
    extraArgs: ['--alternate-busy', JSON.stringify(busy)],
  });
  if (r.error) return { error: r.error };
  const pick = (flag) => {
    const idx = r.epoch_busy.map((b, i) => (i > 0 && b === flag ? i : -1)).filter((i) => i >= 0);
    const seconds = idx.map((i) => r.epoch_seconds[i]);
    const others = idx.map((i) => r.epoch_other_cores[i]);
    const wall = seconds.reduce((a, b) => a + b, 0);
    const otherCores = others.every((o) => o != null) ? others.reduce((a, o, k) => a + o * seconds[k], 0) / wall : null;
    return { seconds, cpuSeconds: idx.map((i) => r.epoch_cpu_seconds[i]), load: { seconds: wall, otherCores } };
  };
  return { quiet: pick(false), contended: pick(true), report: r };
}

/**
 * CPU used while Python sleeps right after a float32 matmul of the MLP's biggest shape (see
 * gemmnet.js idleSpin): NumPy's OpenBLAS workers spinning before they go to sleep.
 */
function numpyIdleSpin({ threads = 2, windowsMs = [10, 50, 200, 1000], env: extra = {} } = {}) {
  const code = `
import json, time, numpy as np
a = np.random.rand(100, 784).astype(np.float32); b = np.random.rand(784, 1000).astype(np.float32)
out = []
time.sleep(0.5)  # OpenBLAS's workers also spin for a while after the library starts them
for ms in ${JSON.stringify(windowsMs)}:
    for _ in range(3):
        a @ b
    c0, t0 = time.process_time(), time.perf_counter()
    time.sleep(ms / 1000)
    out.append({"ms": ms, "cores": (time.process_time() - c0) / (time.perf_counter() - t0)})
print(json.dumps(out))`;
  const { env } = childEnv(threads, extra);
  const r = spawnSync(PYTHON, ['-c', code], { env, encoding: 'utf8', timeout: 60000 });
  if (r.error || r.status !== 0) return { error: (r.stderr || String(r.error)).trim().split('\n').pop() };
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

module.exports = { runNumpy, numpyContention, numpyMissing, numpyIdleSpin };
