// Where an MLP epoch goes: the native calls one training batch makes (as Dense, Network and the
// momentum optimizer make them), each timed on its own over one epoch's 80 batches, and the five
// bare sgemm calls NumPy's count is made of. Compared with the epoch train() times, the remainder
// is the JavaScript around the calls (the loop, validation, yielding to the event loop).
'use strict';
// Alone (node bench/lib/breakdown.js), it too runs without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE: the
// addon's OpenBLAS reads them when it loads, so this comes before requiring it.
if (require.main === module) require('./env').reexecClean(__filename, process.argv.slice(2));
const { performance } = require('perf_hooks');
const { native } = require('./gemmnet');

const [B, I, H, C] = [100, 784, 1000, 10];
const BATCHES = 80;

function rand(n, scale = 0.05) {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (Math.random() - 0.5) * scale;
  return a;
}

/** Seconds per epoch of each step, best of `reps` epochs, with `threads` BLAS threads. */
function mlpBreakdown({ threads = 2, reps = 3 } = {}) {
  const X = rand(8000 * I, 2);
  const idx = new Int32Array(B).map((_, i) => (i * 79) % 8000);
  const labels = new Int32Array(B).map((_, i) => i % C);
  const params = rand(I * H + H + H * C + C);
  const grads = new Float32Array(params.length);
  const v = new Float32Array(params.length).fill(1e-5);
  let o = 0;
  const view = (a, n) => a.subarray(o, o + n);
  const [Wh, dWh] = [view(params, I * H), view(grads, I * H)]; o += I * H;
  const [bh, dbh] = [view(params, H), view(grads, H)]; o += H;
  const [Wo, dWo] = [view(params, H * C), view(grads, H * C)]; o += H * C;
  const [bo, dbo] = [view(params, C), view(grads, C)];
  const xb = new Float32Array(B * I);
  const h = new Float32Array(B * H);
  const z = new Float32Array(B * C);
  const p = new Float32Array(B * C);
  const dz = new Float32Array(B * C);
  const dh = new Float32Array(B * H);
  const dzh = new Float32Array(B * H);

  // What train() does per batch: each dense layer's backward pass applies momentum to its weights as
  // it computes their gradient (denseBackwardUpdate); the optimizer then updates the biases.
  const rule = (offset, length) => ({ kind: 'momentum', v: v.subarray(offset, offset + length), lr: 0.01, gamma: 0.9 });
  const [ruleWh, ruleWo] = [rule(0, I * H), rule(I * H + H, H * C)];
  const steps = [
    ['gather batch rows', 0, () => native.gatherRows(X, idx, xb, I)],
    ['dense 1 forward (sgemm 100x1000x784, bias, ReLU)', 2 * B * H * I, () => native.denseForward(xb, Wh, bh, h, B, I, H, true)],
    ['dense 2 forward (sgemm 100x10x1000)', 2 * B * C * H, () => native.denseForward(h, Wo, bo, z, B, H, C, false)],
    ['softmax + cross-entropy, forward and backward', 0, () => {
      native.softmaxCEForward(z, labels, p, B, C);
      dz.fill(0);
      native.softmaxCEBackward(p, labels, dz, B, C, 1 / B);
    }],
    ['dense 2 backward + momentum on W_o (dW 1000x10x100, dx 100x1000x10)', 4 * B * H * C, () =>
      native.denseBackwardUpdate(h, Wo, dz, dbo, dh, B, H, C, 0, ruleWo)],
    ['ReLU backward', 0, () => {
      dzh.fill(0);
      native.reluBackward(h, dh, dzh);
    }],
    ['dense 1 backward + momentum on W_h (dW 784x1000x100, db)', 2 * I * H * B, () =>
      native.denseBackwardUpdate(xb, Wh, dzh, dbh, null, B, I, H, 0, ruleWh)],
    ['momentum update of the biases (1,010 values)', 0, () => {
      native.momentumUpdate(bh, dbh, v.subarray(I * H, I * H + H), 0.01, 0.9);
      native.momentumUpdate(bo, dbo, v.subarray(I * H + H + H * C), 0.01, 0.9);
    }],
  ];
  const A1 = rand(B * I); const W1 = rand(I * H); const Y1 = new Float32Array(B * H);
  const G1 = rand(B * H); const W2 = rand(H * C); const Y2 = new Float32Array(B * C); const G2 = rand(B * C);
  const dW1 = new Float32Array(I * H); const dW2 = new Float32Array(H * C); const dX2 = new Float32Array(B * H);
  const gemms = [
    ['x W_h        100x1000x784', () => native.gemm(false, false, B, H, I, 1, A1, W1, 0, Y1)],
    ['h W_o        100x10x1000', () => native.gemm(false, false, B, C, H, 1, Y1, W2, 0, Y2)],
    ['h^T dz       1000x10x100', () => native.gemm(true, false, H, C, B, 1, Y1, G2, 0, dW2)],
    ['dz W_o^T     100x1000x10', () => native.gemm(false, true, B, H, C, 1, G2, W2, 0, dX2)],
    ['x^T dh       784x1000x100', () => native.gemm(true, false, I, H, B, 1, A1, G1, 0, dW1)],
  ];
  const flops = [2 * B * H * I, 2 * B * C * H, 2 * H * C * B, 2 * B * H * C, 2 * I * H * B];

  const before = native.buildInfo().threads;
  native.setThreads(threads);
  try {
    const time = (fn) => {
      for (let b = 0; b < 5; b++) fn();
      let best = Infinity;
      for (let r = 0; r < reps; r++) {
        const t0 = performance.now();
        for (let b = 0; b < BATCHES; b++) fn();
        best = Math.min(best, (performance.now() - t0) / 1000);
      }
      return best;
    };
    // The whole batch back to back, as train() runs it (minus the JavaScript around it).
    const batch = time(() => {
      for (const [, , fn] of steps) fn();
    });
    return {
      threads,
      batches: BATCHES,
      // flops: the step's matmul work per epoch (2·M·N·K, as flops.js counts), 0 for elementwise steps.
      steps: steps.map(([name, flop, fn]) => ({ name, flops: flop * BATCHES, seconds: time(fn) })),
      nativeBatchSeconds: batch,
      gemms: gemms.map(([name, fn], i) => {
        const seconds = time(fn);
        return { name, seconds, gflops: (flops[i] * BATCHES) / seconds / 1e9 };
      }),
    };
  } finally {
    native.setThreads(before);
  }
}

/**
 * Where a CNN epoch goes: a cnn() with the bench's settings (defaults, Adam, batch 32) trains on
 * random images while each layer's forward and backward pass (the dense layers' backward fused with
 * Adam, as in train()) and the optimizer's pass over the remaining parameters are timed; medians
 * over `batches` batches after a warm-up, times 250 batches per 8000-sample epoch.
 */
async function cnnBreakdown({ batches = 60 } = {}) {
  const gemmnet = require('../..');
  const N = 32;
  const model = gemmnet.cnn();
  const opt = gemmnet.adam();
  const x = rand(N * 784, 2);
  const y = new Int32Array(N).map((_, i) => i % 10);
  const names = { Conv2d: 'conv 3x3x32 + ReLU', BatchNorm: 'batch norm', MaxPool2d: 'max pool 2x2',
    Dropout: 'dropout (keep probability 1: passes through)' };
  const dense = ['FC1 6272x784', 'FC2 784x10'];
  const samples = new Map();
  const record = (name, ms) => {
    if (!samples.has(name)) samples.set(name, []);
    samples.get(name).push(ms);
  };
  let d = 0;
  const layers = model.layers;
  const labels = layers.map((l) => (l.constructor.name === 'Dense' ? dense[d++] : names[l.constructor.name] || l.constructor.name));
  const timing = { on: false };
  layers.forEach((layer, i) => {
    for (const [method, what] of [['forward', 'forward'], ['backward', 'backward'], ['backwardUpdate', 'backward + Adam on W']]) {
      const f = layer[method].bind(layer);
      layer[method] = (...a) => {
        const t = performance.now();
        const r = f(...a);
        if (timing.on) record(`${labels[i]} ${what}`, performance.now() - t);
        return r;
      };
    }
  });
  const pause = async () => {};
  for (let b = 0; b < batches + 10; b++) {
    timing.on = b >= 10;
    const t0 = performance.now();
    opt.beginStep(model.params.length);
    await model.trainBatchAsync(x, y, N, pause, opt);
    const t1 = performance.now();
    for (const [s0, e0] of model.unfusedRanges) opt.update(model.params.subarray(s0, e0), model.grads.subarray(s0, e0), s0);
    const t2 = performance.now();
    if (timing.on) {
      record('Adam on the other parameters', t2 - t1);
      record('whole batch', t2 - t0);
    }
  }
  const median = (a) => a.slice().sort((p, q) => p - q)[a.length >> 1];
  const perEpoch = (name) => (median(samples.get(name)) * 250) / 1000;
  // Matmul work per epoch of each step (2·M·N·K, as flops.js counts; 0 for elementwise steps).
  const F = 32;
  const work = {
    // forward: im2col + sgemm, bias and ReLU; backward: the ReLU's mask, dW and db summed directly.
    'conv 3x3x32 + ReLU forward': 2 * 784 * 9 * F * N,
    'conv 3x3x32 + ReLU backward': 2 * 784 * 9 * F * N,
    'FC1 6272x784 forward': 2 * N * 6272 * 784,
    'FC1 6272x784 backward + Adam on W': 4 * N * 6272 * 784,
    'FC2 784x10 forward': 2 * N * 784 * 10,
    'FC2 784x10 backward + Adam on W': 4 * N * 784 * 10,
  };
  const steps = [...samples.keys()].filter((k) => k !== 'whole batch')
    .map((name) => ({ name, flops: (work[name] || 0) * 250, seconds: perEpoch(name) }));
  return { batches, steps, batchSeconds: perEpoch('whole batch') };
}

module.exports = { mlpBreakdown, cnnBreakdown };

if (require.main === module) {
  if (process.argv[2] === 'cnn') cnnBreakdown().then((r) => console.log(JSON.stringify(r, null, 2)));
  else console.log(JSON.stringify(mlpBreakdown({ threads: Number(process.argv[2] || 2) }), null, 2));
}
