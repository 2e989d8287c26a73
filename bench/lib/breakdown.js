// Where an MLP epoch goes: the native calls one training batch makes (as Dense, Network and the
// momentum optimizer make them), each timed on its own over one epoch's 80 batches, and the five
// bare sgemm calls NumPy's count is made of. Compared with the epoch train() times, the remainder
// is the JavaScript around the calls (the loop, validation, yielding to the event loop).
'use strict';
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

  const steps = [
    ['gather batch rows', () => native.gatherRows(X, idx, xb, I)],
    ['zero gradients', () => grads.fill(0)],
    ['dense 1 forward (sgemm 100x1000x784, bias, ReLU)', () => native.denseForward(xb, Wh, bh, h, B, I, H, true)],
    ['dense 2 forward (sgemm 100x10x1000)', () => native.denseForward(h, Wo, bo, z, B, H, C, false)],
    ['softmax + cross-entropy, forward and backward', () => {
      native.softmaxCEForward(z, labels, p, B, C);
      dz.fill(0);
      native.softmaxCEBackward(p, labels, dz, B, C, 1 / B);
    }],
    ['dense 2 backward (dW 1000x10x100, dx 100x1000x10)', () => {
      dh.fill(0);
      native.denseBackward(h, Wo, dz, dWo, dbo, dh, B, H, C);
    }],
    ['ReLU backward', () => {
      dzh.fill(0);
      native.reluBackward(h, dh, dzh);
    }],
    ['dense 1 backward (dW 784x1000x100, db)', () => native.denseBackward(xb, Wh, dzh, dWh, dbh, null, B, I, H)],
    ['momentum update (795,010 weights)', () => native.momentumUpdate(params, grads, v, 0.01, 0.9)],
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
      for (const [, fn] of steps) fn();
    });
    return {
      threads,
      batches: BATCHES,
      steps: steps.map(([name, fn]) => ({ name, seconds: time(fn) })),
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

module.exports = { mlpBreakdown };

if (require.main === module) console.log(JSON.stringify(mlpBreakdown({ threads: Number(process.argv[2] || 2) }), null, 2));
