// PyTorch as a peer: torch_bench.py in child processes (without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE,
// as every party), at every combination of torch's own threads and its OpenBLAS's threads.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { phase } = require('./load');
const { cleanEnv } = require('./env');

// Debian's python3-torch is installed for the system Python, which may not be the first python3
// on PATH.
const PYTHON = process.env.TORCH_PYTHON || (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const APT = 'apt-get install -y python3-torch';

function importable() {
  const r = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', env: cleanEnv() });
  if (r.error) return { error: `${PYTHON} not found (${r.error.code})` };
  if (r.status !== 0) return { error: `torch is not importable by ${PYTHON}: ${(r.stderr || '').trim().split('\n').pop()}` };
  return { version: r.stdout.trim() };
}

/**
 * Whether torch can be imported; if not and `install`, installs Debian's python3-torch with apt-get
 * (as root, where apt-get exists) and says so. Returns { version, installed } or { error }.
 */
function ensureTorch({ install = true, say = () => {} } = {}) {
  const first = importable();
  if (!first.error) return first;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = fs.existsSync('/usr/bin/apt-get');
  if (!install || !root || !hasApt) {
    const why = !install ? 'not installing (--no-install)' : !hasApt ? 'no apt-get here' : 'not root, cannot apt-get';
    return { error: `${first.error}; ${why}; to include PyTorch: ${APT}` };
  }
  say(`PyTorch is missing: running ${APT}`);
  const r = spawnSync('apt-get', ['install', '-y', 'python3-torch'], {
    encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 900000,
  });
  if (r.status !== 0) return { error: `${first.error}; ${APT} failed: ${(r.stderr || r.error || '').toString().trim().split('\n').pop()}` };
  const again = importable();
  return again.error ? again : { ...again, installed: `installed by the benchmark (${APT})` };
}

/** One torch_bench.py process: torch threads `threads`, OpenBLAS threads `blasThreads`. */
function runTorch({ threads, blasThreads: blas, parts, mlpEpochs, cnnEpochs, cnnLimit, lenetEpochs = 1, lenetLimit = cnnLimit,
  predictBudget, timeoutSeconds = 600 }) {
  const args = [path.join(__dirname, '..', 'torch_bench.py'), '--json', '--threads', String(threads), '--parts', parts.join(','),
    '--mlp-epochs', String(mlpEpochs), '--cnn-epochs', String(cnnEpochs), '--cnn-limit', String(cnnLimit),
    '--lenet-epochs', String(lenetEpochs), '--lenet-limit', String(lenetLimit), '--predict-budget', String(predictBudget)];
  const env = cleanEnv(process.env, { OPENBLAS_NUM_THREADS: String(blas), OMP_NUM_THREADS: String(threads) });
  const stop = phase();
  const r = spawnSync(PYTHON, args, { env, encoding: 'utf8', timeout: timeoutSeconds * 1000 });
  const load = stop();
  const name = `torch ${threads} / OpenBLAS ${blas}`;
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : (r.stderr || '').trim().split('\n').slice(-2).join(' | ');
    return { threads, blasThreads: blas, error: `torch_bench.py (${name}) failed: ${why}` };
  }
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  const out = JSON.parse(line);
  for (const model of ['mlp', 'cnn', 'lenet']) {
    const m = out[model];
    if (!m) continue;
    m.best = Math.min(...m.epoch_seconds);
    m.bestPer8000 = m.best * (8000 / m.samples);
    m.extrapolated = m.samples !== 8000;
  }
  return { ...out, threads, blasThreads: blas, name, load };
}

/** Every combination of torch threads and OpenBLAS threads; the best of each measurement. */
function torchRuns(opts) {
  const combos = [];
  for (const threads of [1, 2]) for (const blas of [1, 2]) combos.push(runTorch({ threads, blasThreads: blas, ...opts }));
  const ok = combos.filter((c) => !c.error);
  const bestBy = (score) => (ok.length ? ok.reduce((a, b) => (score(b) < score(a) ? b : a)) : null);
  const best = {};
  for (const model of ['mlp', 'cnn', 'lenet']) {
    if (ok.some((c) => c[model])) best[model] = bestBy((c) => (c[model] ? c[model].bestPer8000 : Infinity));
  }
  return { combos, best };
}

module.exports = { ensureTorch, runTorch, torchRuns, PYTHON, APT };
