'use strict';
// The fused inference pass of a convolution block (convPoolInference: conv + bias + ReLU, batch norm
// at running statistics with its scale and shift, max pooling): against a float64 reference, bit
// for bit against the layer-by-layer kernels where the BLAS sums a gemm's products in order, the
// same bits on any thread count, argument checks; and predict() through it against the layers.
const assert = require('assert');
const path = require('path');
const { native } = require(path.resolve(__dirname, '..', '..', 'lib', 'native'));
const g = require('../..');
const { rand } = require('../helpers/util');

const bits = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
// The BLAS kernels whose sgemm sums each product in order with one fused multiply-add (seen so on
// this kind of machine); at others the model keeps the layer-by-layer path.
const IN_ORDER = new Set(['SkylakeX', 'Cooperlake']);

/** A block's geometry and random tensors. */
function block({ N, H, W, C, KH, KW, F, S = 1, padding = 'same', P = 2, PS = P, relu = true, norm = true, affine = true, bias = true, seed = 1 }) {
  let tensor = 0;  // each tensor its own seed
  const r = (n, scale = 1, shift = 0) => rand(n, seed * 16 + tensor++).map((v) => v * scale + shift);
  const out = (n, k) => (padding === 'same' ? Math.ceil(n / S) : Math.floor((n - k) / S) + 1);
  const OH = out(H, KH), OW = out(W, KW);
  const PT = padding === 'same' ? Math.floor(Math.max((OH - 1) * S + KH - H, 0) / 2) : 0;
  const PL = padding === 'same' ? Math.floor(Math.max((OW - 1) * S + KW - W, 0) / 2) : 0;
  const POH = Math.floor((OH - P) / PS) + 1, POW = Math.floor((OW - P) / PS) + 1;
  return {
    N, H, W, C, KH, KW, F, S, PT, PL, OH, OW, P, PS, POH, POW, relu,
    convDims: Int32Array.from([N, H, W, C, KH, KW, F, S, S, PT, PL, OH, OW]),
    poolDims: Int32Array.from([N, OH, OW, F, P, P, PS, PS, POH, POW]),
    x: r(N * H * W * C), Wt: r(KH * KW * C * F, 0.5), b: bias ? r(F, 0.5) : null,
    mean: norm ? r(F, 0.5) : null, variance: norm ? r(F, 0.4, 0.6) : null,
    gamma: norm && affine ? r(F, 0.5, 1) : null, beta: norm && affine ? r(F, 0.5) : null, eps: 1e-3,
  };
}

function fused(k, x = k.x) {
  const y = new Float32Array(k.N * k.POH * k.POW * k.F);
  native.convPoolInference(x, y, k.Wt, k.b, k.mean, k.variance, k.gamma, k.beta, k.convDims, k.poolDims, k.eps, k.relu);
  return y;
}

/** The layers' kernels one after the other. */
function layered(k) {
  const R = k.N * k.OH * k.OW;
  let h = new Float32Array(R * k.F);
  native.conv2dForward(k.x, k.Wt, k.b, h, new Float32Array(R * k.KH * k.KW * k.C), k.convDims, k.relu);
  if (k.mean) {
    const t = new Float32Array(h.length);
    native.batchNormInference(h, t, k.mean, k.variance, R, k.F, k.eps);
    h = t;
    if (k.gamma) {
      const u = new Float32Array(h.length);
      native.scaleShiftForward(h, k.gamma, k.beta, u, R, k.F);
      h = u;
    }
  }
  const y = new Float32Array(k.N * k.POH * k.POW * k.F);
  native.maxPoolForward(h, y, new Int32Array(y.length), k.poolDims);
  return y;
}

/** In double: direct convolution, ReLU, normalization, scale and shift, then the window maxima. */
function reference(k) {
  const conv = new Float64Array(k.N * k.OH * k.OW * k.F);
  for (let n = 0; n < k.N; n++)
    for (let oh = 0; oh < k.OH; oh++)
      for (let ow = 0; ow < k.OW; ow++)
        for (let f = 0; f < k.F; f++) {
          let s = k.b ? k.b[f] : 0;
          for (let kh = 0; kh < k.KH; kh++)
            for (let kw = 0; kw < k.KW; kw++) {
              const ih = oh * k.S - k.PT + kh, iw = ow * k.S - k.PL + kw;
              if (ih < 0 || iw < 0 || ih >= k.H || iw >= k.W) continue;
              for (let c = 0; c < k.C; c++) s += k.x[((n * k.H + ih) * k.W + iw) * k.C + c] * k.Wt[((kh * k.KW + kw) * k.C + c) * k.F + f];
            }
          if (k.relu && s < 0) s = 0;
          if (k.mean) s = (s - k.mean[f]) / Math.sqrt(k.variance[f] + k.eps);
          if (k.gamma) s = s * k.gamma[f] + k.beta[f];
          conv[((n * k.OH + oh) * k.OW + ow) * k.F + f] = s;
        }
  const y = new Float64Array(k.N * k.POH * k.POW * k.F);
  for (let n = 0; n < k.N; n++)
    for (let py = 0; py < k.POH; py++)
      for (let px = 0; px < k.POW; px++)
        for (let f = 0; f < k.F; f++) {
          let m = -Infinity;
          for (let a = 0; a < k.P; a++)
            for (let b = 0; b < k.P; b++) m = Math.max(m, conv[((n * k.OH + py * k.PS + a) * k.OW + px * k.PS + b) * k.F + f]);
          y[((n * k.POH + py) * k.POW + px) * k.F + f] = m;
        }
  return y;
}

const CASES = [
  { name: "the course's block (28x28x1, 3x3x32 SAME, ReLU, norm, 2x2 pool)", N: 3, H: 28, W: 28, C: 1, KH: 3, KW: 3, F: 32 },
  { name: '3 channels in, 20 filters (a masked tail), norm without scale and shift', N: 2, H: 12, W: 10, C: 3, KH: 3, KW: 3, F: 20, affine: false },
  { name: 'VALID 5x5, 6 channels, no norm (LeNet-style)', N: 2, H: 14, W: 14, C: 6, KH: 5, KW: 5, F: 16, padding: 'valid', norm: false },
  { name: 'stride 2, 3x2 kernel, 3x3 pool of stride 2, no ReLU, 40 filters', N: 2, H: 13, W: 11, C: 2, KH: 3, KW: 2, F: 40, S: 2, P: 3, PS: 2, relu: false },
  { name: '1x1 pool, no bias, 7 filters', N: 1, H: 9, W: 9, C: 2, KH: 3, KW: 3, F: 7, P: 1, bias: false },
];

describe('kernels: convolution block inference in one pass (convPoolInference)', () => {
  before(function () {
    if (!native.convPoolAvailable()) this.skip();  // the scalar level has no fused kernel
  });

  for (const c of CASES) {
    it(`${c.name}: matches a float64 reference`, () => {
      const k = block(c);
      const got = fused(k);
      const want = reference(k);
      let worst = 0;
      for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i])));
      assert.ok(worst < 2e-5, `worst relative error ${worst}`);
      assert.ok(got.some((v) => v !== 0), 'all zeros');
    });

    it(`${c.name}: the bits of the layers' kernels one by one where the BLAS sums in order`, function () {
      const core = native.buildInfo().blasCore;
      if (!IN_ORDER.has(core)) this.skip();
      const k = block(c);
      assert.ok(bits(fused(k)).equals(bits(layered(k))));
    });
  }

  it('gives the same bits on 1, 2 and 3 threads', () => {
    const before = native.buildInfo().threads;
    try {
      const k = block({ N: 70, H: 28, W: 28, C: 1, KH: 3, KW: 3, F: 32, seed: 5 });
      const runs = [1, 2, 3].map((t) => { native.setThreads(t); return bits(fused(k)); });
      assert.ok(runs[1].equals(runs[0]) && runs[2].equals(runs[0]));
    } finally {
      native.setThreads(before);
    }
  });

  it('NaN inputs pass through the ReLU and the pooling as in the layers', function () {
    const k = block({ N: 1, H: 6, W: 6, C: 1, KH: 3, KW: 3, F: 16, norm: false });
    k.x[7] = NaN;
    const got = fused(k);
    assert.ok(got.some(Number.isNaN), 'the NaN was lost');
    if (IN_ORDER.has(native.buildInfo().blasCore)) assert.ok(bits(got).equals(bits(layered(k))));
  });

  it('refuses inconsistent geometry, unsupported windows, short or overlapping arrays and half pairs', () => {
    const k = block({ N: 2, H: 8, W: 8, C: 1, KH: 3, KW: 3, F: 16 });
    const y = new Float32Array(k.N * k.POH * k.POW * k.F);
    const call = (o = {}) => native.convPoolInference(o.x ?? k.x, o.y ?? y, o.Wt ?? k.Wt, 'b' in o ? o.b : k.b,
      'mean' in o ? o.mean : k.mean, 'variance' in o ? o.variance : k.variance, 'gamma' in o ? o.gamma : k.gamma,
      'beta' in o ? o.beta : k.beta, o.convDims ?? k.convDims, o.poolDims ?? k.poolDims, o.eps ?? k.eps, true);
    call();
    const pd = k.poolDims.slice();
    pd[3] = 8;
    assert.throws(() => call({ poolDims: pd }), (e) => e instanceof RangeError && /poolDims' N, H, W, C must be convDims'/.test(e.message));
    const p4 = Int32Array.from([2, 8, 8, 16, 4, 4, 4, 4, 2, 2]);
    assert.throws(() => call({ poolDims: p4, y: new Float32Array(2 * 2 * 2 * 16) }), (e) => e instanceof RangeError && /16 taps is not supported/.test(e.message));
    assert.throws(() => call({ x: k.x.subarray(1) }), (e) => e instanceof RangeError && /^x has/.test(e.message));
    assert.throws(() => call({ y: y.subarray(1) }), (e) => e instanceof RangeError && /^y has/.test(e.message));
    assert.throws(() => call({ mean: k.mean.subarray(1) }), (e) => e instanceof RangeError && /^mean has/.test(e.message));
    assert.throws(() => call({ variance: null }), (e) => e instanceof TypeError && /mean and variance go together/.test(e.message));
    assert.throws(() => call({ beta: null }), (e) => e instanceof TypeError && /gamma and beta go together/.test(e.message));
    assert.throws(() => call({ mean: null, variance: null }), (e) => e instanceof TypeError && /need mean and variance/.test(e.message));
    const both = new Float32Array(k.x.length + y.length);
    assert.throws(() => call({ x: both.subarray(0, k.x.length), y: both.subarray(k.x.length - 1, k.x.length - 1 + y.length) }),
      (e) => e instanceof RangeError && /y overlaps x/.test(e.message));
    assert.throws(() => call({ eps: 0 }), (e) => e instanceof RangeError && /eps/.test(e.message));
    const cd = k.convDims.slice();
    cd[11] = 7;
    assert.throws(() => call({ convDims: cd }), RangeError);
  });
});

describe('models: evaluation through the fused convolution block', () => {
  it('predict() and evaluate() give the bits of the layers run one by one, and use the fused pass where it agrees', () => {
    const m = g.cnn({ filters: 8, fc: 16, seed: 3 });
    const x = rand(70 * 784, 9).map((v) => (v + 1) / 2);
    let calls = 0;
    const orig = native.convPoolInference;
    native.convPoolInference = (...a) => { calls++; return orig(...a); };
    let p;
    try {
      p = m.predict(x);
    } finally {
      native.convPoolInference = orig;
    }
    let h = x;
    for (const layer of m.layers) h = layer.forward(h, 70, m.evalMode);
    const q = new Float32Array(70 * 10);
    native.softmaxForward(h, q, 70, 10);
    assert.ok(bits(p).equals(bits(q)), 'predict() differs from the layers one by one');
    if (native.convPoolAvailable() && IN_ORDER.has(native.buildInfo().blasCore)) assert.ok(calls >= 3, `the fused pass ran ${calls} times`);
  });

  it('a LeNet-style stack (conv, pool, conv, pool) predicts as its layers do, on 1 and 2 threads', () => {
    const net = g.sequential({
      input: [28, 28, 1],
      seed: 4,
      layers: [
        g.layers.conv2d({ filters: 6, kernel: 5, padding: 'same' }), g.layers.relu(), g.layers.maxPool2d({ size: 2 }),
        g.layers.conv2d({ filters: 16, kernel: 5, padding: 'valid' }), g.layers.relu(), g.layers.maxPool2d({ size: 2 }),
        g.layers.flatten(), g.layers.dense({ units: 10 }),
      ],
    });
    const x = rand(24 * 784, 2).map((v) => (v + 1) / 2);
    let h = x;
    for (const layer of net.layers) h = layer.forward(h, 24, net.evalMode);
    const q = new Float32Array(24 * 10);
    native.softmaxForward(h, q, 24, 10);
    const before = native.buildInfo().threads;
    try {
      for (const t of [1, 2]) {
        native.setThreads(t);
        assert.ok(bits(net.predict(x)).equals(bits(q)), `threads ${t}`);
      }
    } finally {
      native.setThreads(before);
    }
  });
});
