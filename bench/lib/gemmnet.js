// gemmnet's side of the benchmark: the sgemm ceiling, timed training epochs, and how much CPU
// OpenBLAS's threads burn while they wait for the next call.
//
// Also a small command line, so that epochs can be timed in a child process: with a different
// environment (e.g. OPENBLAS_THREAD_TIMEOUT), or where a crash must not end the whole benchmark:
//   node bench/lib/gemmnet.js mlp --threads 2 --epochs 5 [--busy]
//   node bench/lib/gemmnet.js cnn --epochs 2 --limit 8000
//   node bench/lib/gemmnet.js lenet --epochs 2 --limit 8000
//   node bench/lib/gemmnet.js spin --threads 2
//   node bench/lib/gemmnet.js agree --out params.f32
'use strict';
const { phase, sleep, withBusy } = require('./load');
const { loadTrainSet, head, TRAIN } = require('./data');
const { mlpFlopsPerSample, cnnFlopsPerSample, lenetFlopsPerSample } = require('./flops');

/** The package, retried for a while: the addon in build/Release may be being rebuilt. */
function loadGemmnet(attempts = 15) {
  for (let i = 1; ; i++) {
    try {
      return require('../..');
    } catch (e) {
      if (i >= attempts) throw e;
      process.stderr.write(`gemmnet did not load (${e.message.split('\n')[0]}); retrying in 2 s\n`);
      sleep(2000);
    }
  }
}

const gemmnet = loadGemmnet();
const { native } = require('../../lib/native');

function randomArray(n, seed) {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 32 - 0.5;
  }
  return a;
}

/** Best-of-`reps` GFLOP/s of one M x N x K sgemm, for each thread count in `threads`. */
function sgemmCeiling({ size = 2048, threads = [2, 1], reps = 5 } = {}) {
  const [M, N, K] = [size, size, size];
  const A = randomArray(M * K, 1);
  const B = randomArray(K * N, 2);
  const C = new Float32Array(M * N);
  const before = native.buildInfo().threads;
  const out = {};
  try {
    for (const t of threads) {
      native.setThreads(t);
      native.gemm(false, false, M, N, K, 1, A, B, 0, C); // warm-up: pages, thread start
      const stop = phase();
      const runs = [];
      for (let r = 0; r < reps; r++) {
        const t0 = performance.now();
        native.gemm(false, false, M, N, K, 1, A, B, 0, C);
        runs.push((performance.now() - t0) / 1000);
      }
      const best = Math.min(...runs);
      out[t] = { gflops: (2 * M * N * K) / best / 1e9, seconds: runs, load: stop() };
    }
  } finally {
    native.setThreads(before);
  }
  return { size, reps, threads: out };
}

/**
 * How much a second thread speeds up a 1024^3 sgemm right now (best of 3 each): near 2 when a second
 * core is really there, near 1 when something else is taking it (another process, or, on a virtual
 * machine, something outside it that /proc/stat does not show). About 0.1 s.
 */
function secondCoreProbe() {
  const n = 1024;
  const A = randomArray(n * n, 5);
  const B = randomArray(n * n, 6);
  const C = new Float32Array(n * n);
  const before = native.buildInfo().threads;
  const best = (t) => {
    native.setThreads(t);
    native.gemm(false, false, n, n, n, 1, A, B, 0, C);
    let b = Infinity;
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      native.gemm(false, false, n, n, n, 1, A, B, 0, C);
      b = Math.min(b, performance.now() - t0);
    }
    return b;
  };
  try {
    const stop = phase();
    const one = best(1);
    const two = best(2);
    return { speedup: one / two, gflops1: (2 * n ** 3) / one / 1e6, gflops2: (2 * n ** 3) / two / 1e6, load: stop() };
  } finally {
    native.setThreads(before);
  }
}

/**
 * Times `epochs` training epochs after `warmup` (each a separate train() call with epochs: 1 on the
 * same model and optimizer). Returns the seconds train() reports for each epoch's training pass, the
 * CPU seconds of the whole process over the same call, and the machine's load.
 */
async function timeEpochs({ model, set, batchSize, optimizer, epochs, warmup = 1, threads, warmupSet, busy = null }) {
  const options = { epochs: 1, batchSize, optimizer, ...(threads ? { threads } : {}) };
  for (let i = 0; i < warmup; i++) await gemmnet.train(model, warmupSet || set, options);
  const seconds = [];
  const cpuSeconds = [];
  const losses = [];
  const stop = phase(busy);
  for (let i = 0; i < epochs; i++) {
    const c0 = process.cpuUsage();
    const h = await gemmnet.train(model, set, options);
    const c = process.cpuUsage(c0);
    seconds.push(h.epochs[0].seconds);
    cpuSeconds.push((c.user + c.system) / 1e6);
    losses.push(h.epochs[0].train.loss);
  }
  return { samples: set.y.length, seconds, cpuSeconds, losses, best: Math.min(...seconds), load: stop() };
}

let trainSet = null;
function data() {
  if (!trainSet) trainSet = loadTrainSet();
  return trainSet;
}

/** The course's MLP: 784-1000-10, batch 100, momentum 0.01 / 0.9, 8,000 samples per epoch. */
async function mlpEpochs({ epochs = 3, warmup = 1, threads, busy } = {}) {
  const before = native.buildInfo().threads;
  try {
    const model = gemmnet.mlp({ inputs: 784, hidden: 1000, classes: 10 });
    const optimizer = gemmnet.momentum({ lr: 0.01, gamma: 0.9 });
    const r = await timeEpochs({ model, set: data(), batchSize: 100, optimizer, epochs, warmup, threads, busy });
    return { ...r, threads: threads || before, gflopPerEpoch: (mlpFlopsPerSample() * TRAIN) / 1e9 };
  } finally {
    native.setThreads(before);
  }
}

/**
 * One MLP, trained an epoch at a time by epoch({ threads, busy }), so that quiet and contended
 * epochs can alternate on the same model. The first call also runs a warm-up epoch.
 */
function mlpSession() {
  const model = gemmnet.mlp({ inputs: 784, hidden: 1000, classes: 10 });
  const optimizer = gemmnet.momentum({ lr: 0.01, gamma: 0.9 });
  let warm = false;
  return {
    async epoch({ threads, busy = null }) {
      const before = native.buildInfo().threads;
      try {
        const r = await timeEpochs({ model, set: data(), batchSize: 100, optimizer, epochs: 1, warmup: warm ? 0 : 1, threads, busy });
        warm = true;
        return r;
      } finally {
        native.setThreads(before);
      }
    },
  };
}

/** The course's CNN (cnn() defaults), Adam 1e-4, batch 32, on the first `limit` samples. */
async function cnnEpochs({ epochs = 2, warmup = 1, limit = TRAIN, threads } = {}) {
  const before = native.buildInfo().threads;
  try {
    const model = gemmnet.cnn();
    const optimizer = gemmnet.adam({ lr: 1e-4 });
    const set = head(data(), limit);
    const r = await timeEpochs({
      model, set, batchSize: 32, optimizer, epochs, warmup, threads, warmupSet: head(data(), Math.min(limit, 320)),
    });
    const scale = TRAIN / r.samples;
    return {
      ...r,
      threads: threads || before,
      extrapolated: r.samples !== TRAIN,
      bestPer8000: r.best * scale,
      gflopPerEpoch: (cnnFlopsPerSample() * TRAIN) / 1e9,
    };
  } finally {
    native.setThreads(before);
  }
}

/** The LeNet-style stack of examples/lenet.js (seed 521). */
const { lenet: lenetModel } = require('../../examples/lenet');

/**
 * The LeNet-style epoch: lenetModel(), Adam 1e-3, batch 64, on the first `limit` samples of the
 * CNN's data. The first timed epoch's mean training loss is `losses[0]`; `warmupLoss` is the
 * warm-up's (on the first 320 samples), so that a falling loss can be seen.
 */
async function lenetEpochs({ epochs = 2, warmup = 1, limit = TRAIN, threads } = {}) {
  const before = native.buildInfo().threads;
  try {
    const model = lenetModel();
    const optimizer = gemmnet.adam({ lr: 1e-3 });
    const set = head(data(), limit);
    const warmupSet = head(data(), Math.min(limit, 320));
    const options = { epochs: 1, batchSize: 64, optimizer, ...(threads ? { threads } : {}) };
    let warmupLoss = null;
    for (let i = 0; i < warmup; i++) warmupLoss = (await gemmnet.train(model, warmupSet, options)).epochs[0].train.loss;
    const r = await timeEpochs({ model, set, batchSize: 64, optimizer, epochs, warmup: 0, threads });
    return {
      ...r,
      warmupLoss,
      threads: threads || before,
      extrapolated: r.samples !== TRAIN,
      bestPer8000: r.best * (TRAIN / r.samples),
      gflopPerEpoch: (lenetFlopsPerSample() * TRAIN) / 1e9,
      params: model.params.length,
    };
  } finally {
    native.setThreads(before);
  }
}

/**
 * CPU burnt by the process while its JS thread sleeps right after an sgemm of the MLP's biggest
 * shape (100 x 784 x 1000): with OpenBLAS workers idle-spinning this is about (threads - 1) cores
 * until their timeout sends them to sleep. Returns cores used in each window.
 */
function idleSpin({ threads = 2, windowsMs = [10, 50, 200, 1000] } = {}) {
  const [M, N, K] = [100, 1000, 784];
  const A = randomArray(M * K, 3);
  const B = randomArray(K * N, 4);
  const C = new Float32Array(M * N);
  const before = native.buildInfo().threads;
  native.setThreads(threads);
  sleep(500); // OpenBLAS's workers also spin for a while after the library starts them
  try {
    return windowsMs.map((ms) => {
      for (let i = 0; i < 3; i++) native.gemm(false, false, M, N, K, 1, A, B, 0, C);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      sleep(ms);
      const wall = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      return { ms, cores: (c.user + c.system) / 1e6 / wall, systemCores: c.system / 1e6 / wall };
    });
  } finally {
    native.setThreads(before);
  }
}

/**
 * A short deterministic training run for the agreement check (lib/agree.js): the MLP for 2 epochs on
 * the first 1000 samples and the CNN for one epoch on the first 320, with train()'s seeded shuffle.
 * Writes both models' parameters to `out` (float32, MLP's then CNN's) and returns the losses, the
 * kernel OpenBLAS picked and the parameter counts.
 */
async function agreeRun({ out }) {
  const fs = require('fs');
  const mlp = gemmnet.mlp({ inputs: 784, hidden: 1000, classes: 10 });
  const h1 = await gemmnet.train(mlp, head(data(), 1000), { epochs: 2, batchSize: 100, optimizer: gemmnet.momentum({ lr: 0.01, gamma: 0.9 }), seed: 7 });
  const cnn = gemmnet.cnn();
  const h2 = await gemmnet.train(cnn, head(data(), 320), { epochs: 1, batchSize: 32, optimizer: gemmnet.adam({ lr: 1e-4 }), seed: 7 });
  const bytes = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  fs.writeFileSync(out, Buffer.concat([bytes(mlp.params), bytes(cnn.params)]));
  const info = native.buildInfo();
  return {
    blasCore: info.blasCore,
    threads: info.threads,
    env: Object.fromEntries(['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'].map((k) => [k, process.env[k] ?? null])),
    losses: { mlp: h1.epochs.map((e) => e.train.loss), cnn: h2.epochs.map((e) => e.train.loss) },
    params: { mlp: mlp.params.length, cnn: cnn.params.length },
  };
}

module.exports = { gemmnet, native, agreeRun, sgemmCeiling, secondCoreProbe, mlpEpochs, mlpSession, cnnEpochs, lenetEpochs, lenetModel, idleSpin, data };

if (require.main === module) {
  const argv = process.argv.slice(2);
  const flag = (name, dflt) => {
    const i = argv.indexOf(`--${name}`);
    return i < 0 ? dflt : Number(argv[i + 1]);
  };
  const what = argv[0] || 'mlp';
  const run = async (busy) => {
    if (what === 'spin') return idleSpin({ threads: flag('threads', 2) });
    if (what === 'agree') return agreeRun({ out: argv[argv.indexOf('--out') + 1] });
    if (what === 'lenet') return lenetEpochs({ epochs: flag('epochs', 2), limit: flag('limit', TRAIN), threads: flag('threads', undefined) });
    if (what === 'cnn') return cnnEpochs({ epochs: flag('epochs', 2), limit: flag('limit', TRAIN), threads: flag('threads', undefined) });
    if (what !== 'mlp') {
      throw new Error('usage: node bench/lib/gemmnet.js mlp|cnn|lenet|spin|agree [--threads N] [--epochs N] [--limit N] [--busy]');
    }
    return mlpEpochs({ epochs: flag('epochs', 5), threads: flag('threads', undefined), busy });
  };
  (argv.includes('--busy') ? withBusy(run) : run(null))
    .then((r) => console.log(JSON.stringify(r)))
    .catch((e) => {
      console.error(e.stack || e);
      process.exit(1);
    });
}
