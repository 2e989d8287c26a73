'use strict';
// CNN kernels: convolution (im2col + sgemm, SIMD im2col variants), max pooling, batch norm and
// dropout. Optimized kernels against their naive references, finite-difference gradient checks
// with double-precision JS losses, and argument validation.
const assert = require('assert');
const path = require('path');
const { spawnSync } = require('child_process');

// The addon the package itself loads (a local build, else the prebuild; GEMMNET_NATIVE overrides).
const NATIVE = path.resolve(__dirname, '..', '..', 'lib', 'native');
const { native } = require(NATIVE);
const { throwsLike } = require('../helpers/util');

// ---- Helpers (the first three are also sent, as source, to child processes) -------------------

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomF32(n, rnd, scale = 1) {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (rnd() * 2 - 1) * scale;
  return a;
}

// TF-style geometry, as the TypeScript model computes it.
function convGeom(N, H, W, C, KH, KW, F, SH, SW, padding) {
  const out = (n, k, s) => (padding === 'SAME' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1);
  const OH = out(H, KH, SH), OW = out(W, KW, SW);
  const PT = Math.floor(Math.max((OH - 1) * SH + KH - H, 0) / 2);
  const PL = Math.floor(Math.max((OW - 1) * SW + KW - W, 0) / 2);
  const g = { N, H, W, C, KH, KW, F, SH, SW, PT, PL, OH, OW };
  g.dims = Int32Array.from([N, H, W, C, KH, KW, F, SH, SW, PT, PL, OH, OW]);
  g.xLen = N * H * W * C;
  g.wLen = KH * KW * C * F;
  g.yLen = N * OH * OW * F;
  g.colLen = N * OH * OW * KH * KW * C;
  return g;
}

// Runs conv forward + backward on fixed inputs; returns every output as base64 bytes.
function simdProbe(nat) {
  const shapes = [
    [2, 9, 7, 1, 3, 3, 4, 1, 1, 'SAME'], [3, 11, 8, 3, 5, 5, 2, 2, 2, 'VALID'],
    [2, 7, 9, 20, 3, 3, 5, 2, 2, 'SAME'], [1, 5, 4, 2, 5, 5, 3, 3, 3, 'SAME'],
    [2, 6, 6, 16, 1, 1, 4, 1, 1, 'VALID'], [1, 13, 10, 1, 5, 3, 3, 2, 1, 'SAME'],
    [3, 9, 8, 3, 3, 3, 20, 1, 1, 'SAME'], [2, 12, 11, 1, 3, 3, 37, 2, 1, 'VALID'],
  ];
  const rnd = mulberry32(7);
  const out = [];
  const b64 = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
  for (const s of shapes) {
    const g = convGeom(...s);
    const x = randomF32(g.xLen, rnd), W = randomF32(g.wLen, rnd), b = randomF32(g.F, rnd);
    // col starts as NaN so that an entry im2col fails to write shows up.
    const dy = randomF32(g.yLen, rnd), col = new Float32Array(g.colLen).fill(NaN), y = new Float32Array(g.yLen);
    const dW = new Float32Array(g.wLen), db = new Float32Array(g.F), dx = new Float32Array(g.xLen);
    nat.conv2dForward(x, W, b, y, col, g.dims, true);
    out.push(b64(col), b64(y));
    nat.conv2dBackward(x, W, dy, dW, db, dx, col, g.dims);
    out.push(b64(dW), b64(db), b64(dx));
    // With the ReLU's backward pass folded in (no dx: dW and db summed directly where the taps are few).
    const dWr = new Float32Array(g.wLen), dbr = new Float32Array(g.F);
    nat.conv2dBackward(x, W, dy, dWr, dbr, null, col, g.dims, y);
    out.push(b64(dWr), b64(dbr));
  }
  return { simd: nat.buildInfo().simd, out };
}

function assertClose(actual, expected, tol, what) {
  assert.strictEqual(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i], a = actual[i];
    if (!(Math.abs(a - e) <= tol * (1 + Math.abs(e))))
      assert.fail(`${what}[${i}] = ${a}, expected ${e} (tol ${tol})`);
  }
}

const copy = (a) => a.slice();

// ---- Convolution ------------------------------------------------------------------------------

function jsIm2col(x, g) {
  const K = g.KH * g.KW * g.C, col = new Float32Array(g.colLen);
  let r = 0;
  for (let n = 0; n < g.N; n++)
    for (let oh = 0; oh < g.OH; oh++)
      for (let ow = 0; ow < g.OW; ow++, r++)
        for (let kh = 0; kh < g.KH; kh++)
          for (let kw = 0; kw < g.KW; kw++)
            for (let c = 0; c < g.C; c++) {
              const ih = oh * g.SH - g.PT + kh, iw = ow * g.SW - g.PL + kw;
              const inside = ih >= 0 && ih < g.H && iw >= 0 && iw < g.W;
              col[r * K + (kh * g.KW + kw) * g.C + c] = inside ? x[((n * g.H + ih) * g.W + iw) * g.C + c] : 0;
            }
  return col;
}

// Double-precision forward, for finite differences.
function jsConvForward(x, W, b, g) {
  const y = new Float64Array(g.yLen);
  for (let n = 0; n < g.N; n++)
    for (let oh = 0; oh < g.OH; oh++)
      for (let ow = 0; ow < g.OW; ow++)
        for (let f = 0; f < g.F; f++) {
          let acc = b[f];
          for (let kh = 0; kh < g.KH; kh++)
            for (let kw = 0; kw < g.KW; kw++) {
              const ih = oh * g.SH - g.PT + kh, iw = ow * g.SW - g.PL + kw;
              if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W) continue;
              for (let c = 0; c < g.C; c++)
                acc += x[((n * g.H + ih) * g.W + iw) * g.C + c] * W[((kh * g.KW + kw) * g.C + c) * g.F + f];
            }
          y[((n * g.OH + oh) * g.OW + ow) * g.F + f] = acc;
        }
  return y;
}

const dot = (a, b) => a.reduce((s, v, i) => s + v * b[i], 0);

// Central differences of loss(p) over the chosen indices of p (a Float64Array, restored after).
function numericGrad(p, indices, loss, h) {
  return indices.map((i) => {
    const v = p[i];
    p[i] = v + h;
    const up = loss();
    p[i] = v - h;
    const down = loss();
    p[i] = v;
    return (up - down) / (2 * h);
  });
}

function pickIndices(n, count, rnd) {
  if (n <= count) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: count }, () => Math.floor(rnd() * n));
}

describe('conv2d (im2col + sgemm)', () => {
  // OpenBLAS's bits for a row can depend on how many rows its call has (at some cores for every
  // shape, here for one of 784 taps at every core), so the forward pass runs in fixed blocks of
  // samples from the first: predict() runs its convolutions on parts of 32 samples.
  for (const s of [[77, 8, 8, 16, 7, 7, 64, 1, 1, 'SAME'], [77, 7, 7, 16, 7, 7, 64, 1, 1, 'VALID'], [45, 4, 4, 49, 4, 4, 40, 1, 1, 'VALID'], [77, 28, 28, 1, 3, 3, 32, 1, 1, 'SAME'], [70, 9, 7, 3, 5, 5, 6, 2, 2, 'VALID']]) {
    it(`gives a sample the same bits in any batch that starts at a multiple of 32 samples: ${JSON.stringify(s)}`, () => {
      const g = convGeom(...s);
      const rnd = mulberry32(1203);
      const x = randomF32(g.xLen, rnd), W = randomF32(g.wLen, rnd), b = randomF32(g.F, rnd);
      const per = g.yLen / g.N, inPer = g.xLen / g.N;
      const run = (n0, n1) => {
        const sub = convGeom(n1 - n0, ...s.slice(1));
        const y = new Float32Array(sub.yLen);
        native.conv2dForward(x.subarray(n0 * inPer, n1 * inPer), W, b, y, new Float32Array(sub.colLen), sub.dims, true);
        return y;
      };
      const whole = run(0, g.N);
      const batches = [[0, 32], [32, g.N]].concat(g.N > 64 ? [[32, 64], [64, g.N], [0, 64]] : []);
      for (const [n0, n1] of batches) {
        const part = run(n0, n1);
        const want = whole.subarray(n0 * per, n1 * per);
        const at = part.findIndex((v, i) => !Object.is(v, want[i]));
        assert.strictEqual(at, -1, `samples [${n0}, ${n1}): output ${at} is ${part[at]} alone, ${want[at]} in the whole batch`);
      }
    });
  }

  const shapes = [];
  for (const N of [1, 5])
    for (const C of [1, 3])
      for (const K of [3, 5])
        for (const S of [1, 2])
          for (const pad of ['SAME', 'VALID']) shapes.push([N, 9, 7, C, K, K, 4, S, S, pad]);
  shapes.push([2, 10, 13, 20, 3, 5, 6, 2, 1, 'SAME'], [3, 4, 5, 2, 5, 5, 3, 3, 2, 'SAME'],
    [2, 8, 8, 16, 1, 1, 7, 1, 1, 'VALID'], [1, 1, 1, 3, 1, 1, 2, 1, 1, 'SAME']);

  for (const s of shapes) {
    it(`matches the reference for [N,H,W,C,KH,KW,F,S,S,pad] = ${JSON.stringify(s)}`, () => {
      const g = convGeom(...s);
      const rnd = mulberry32([...s.join()].reduce((h, ch) => Math.imul(h, 31) + ch.charCodeAt(0), 7));
      const x = randomF32(g.xLen, rnd), W = randomF32(g.wLen, rnd), b = randomF32(g.F, rnd);
      const col = new Float32Array(g.colLen);
      for (const relu of [false, true])
        for (const bias of [b, null]) {
          col.fill(NaN);  // every entry must be written, padding included
          const y = new Float32Array(g.yLen).fill(NaN), yRef = new Float32Array(g.yLen).fill(NaN);
          native.conv2dForward(x, W, bias, y, col, g.dims, relu);
          native.conv2dForwardReference(x, W, bias, yRef, new Float32Array(g.colLen), g.dims, relu);
          assertClose(y, yRef, 1e-5, `y (relu ${relu}, bias ${!!bias})`);
        }
      assert.deepStrictEqual(col, jsIm2col(x, g), 'col holds im2col(x) after the forward');

      // Backward accumulates: start every gradient from the same non-zero values. The workspace is
      // poisoned first to show the backward does not rely on what the forward left there.
      const dy = randomF32(g.yLen, rnd);
      const dW0 = randomF32(g.wLen, rnd), db0 = randomF32(g.F, rnd), dx0 = randomF32(g.xLen, rnd);
      const [dW, db, dx] = [copy(dW0), copy(db0), copy(dx0)];
      const [dWr, dbr, dxr] = [copy(dW0), copy(db0), copy(dx0)];
      col.fill(NaN);
      native.conv2dBackward(x, W, dy, dW, db, dx, col, g.dims);
      native.conv2dBackwardReference(x, W, dy, dWr, dbr, dxr, new Float32Array(g.colLen), g.dims);
      assertClose(dW, dWr, 1e-5, 'dW');
      assertClose(db, dbr, 1e-5, 'db');
      assertClose(dx, dxr, 1e-5, 'dx');

      // Each gradient alone (others null), including dx alone from a poisoned workspace.
      const dxOnly = copy(dx0);
      col.fill(NaN);
      native.conv2dBackward(x, W, dy, null, null, dxOnly, col, g.dims);
      assertClose(dxOnly, dxr, 1e-5, 'dx alone');
      const dWOnly = copy(dW0);
      native.conv2dBackward(x, W, dy, dWOnly, null, null, col, g.dims);
      assertClose(dWOnly, dWr, 1e-5, 'dW alone');
    });
  }

  // reluY: the ReLU's backward pass in the call. Shapes of few taps (at most 27: dW and db summed
  // directly) with filters in one, two and more vector strips and masked tails, and more taps.
  const reluShapes = [[32, 28, 28, 1, 3, 3, 32, 1, 1, 'SAME'], [5, 9, 7, 1, 3, 3, 5, 1, 1, 'SAME'],
    [3, 11, 10, 3, 3, 3, 20, 2, 2, 'SAME'], [4, 12, 9, 1, 5, 5, 8, 1, 1, 'SAME'], [2, 9, 9, 1, 3, 3, 40, 2, 1, 'VALID'],
    [9, 6, 7, 3, 3, 3, 17, 1, 1, 'VALID'], [2, 7, 6, 4, 3, 3, 6, 1, 1, 'SAME'], [1, 1, 1, 1, 1, 1, 3, 1, 1, 'SAME']];
  for (const s of reluShapes) {
    it(`with reluY gives the bits of reluBackward then conv2dBackward, and the reference's values, for ${JSON.stringify(s)}`, () => {
      const g = convGeom(...s);
      const rnd = mulberry32([...s.join()].reduce((h, ch) => Math.imul(h, 31) + ch.charCodeAt(0), 11));
      const x = randomF32(g.xLen, rnd), W = randomF32(g.wLen, rnd), b = randomF32(g.F, rnd);
      const y = new Float32Array(g.yLen), col = new Float32Array(g.colLen);
      native.conv2dForward(x, W, b, y, col, g.dims, true);
      y[0] = 0; y[g.yLen - 1] = -0;  // zeros (and -0) block the gradient as well as negatives
      const dy = randomF32(g.yLen, rnd), dz = new Float32Array(g.yLen);
      native.reluBackward(y, dy, dz, false);
      const dW0 = randomF32(g.wLen, rnd), db0 = randomF32(g.F, rnd), dx0 = randomF32(g.xLen, rnd);
      const bitsOf = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      for (const withDx of [false, true])
        for (const withDb of [true, false]) {
          const want = [dW0.slice(), withDb ? db0.slice() : null, withDx ? dx0.slice() : null];
          native.conv2dBackward(x, W, dz, want[0], want[1], want[2], col, g.dims);
          for (const threads of [1, 2, 3]) {
            const before = native.buildInfo().threads;
            native.setThreads(threads);
            const got = [dW0.slice(), withDb ? db0.slice() : null, withDx ? dx0.slice() : null];
            const dyCopy = dy.slice();
            native.conv2dBackward(x, W, dy, got[0], got[1], got[2], col.fill(NaN), g.dims, y);
            native.setThreads(before);
            assert.ok(bitsOf(dy).equals(bitsOf(dyCopy)), 'dy is left as it was');
            ['dW', 'db', 'dx'].forEach((name, i) => {
              if (want[i]) assert.ok(bitsOf(got[i]).equals(bitsOf(want[i])), `${name} (dx ${withDx}, db ${withDb}, ${threads} threads)`);
            });
          }
          const ref = [dW0.slice(), withDb ? db0.slice() : null, withDx ? dx0.slice() : null];
          native.conv2dBackwardReference(x, W, dy, ref[0], ref[1], ref[2], new Float32Array(g.colLen), g.dims, y);
          assertClose(want[0], ref[0], 1e-5, 'dW against the reference');
          if (withDb) assertClose(want[1], ref[1], 1e-5, 'db against the reference');
          if (withDx) assertClose(want[2], ref[2], 1e-5, 'dx against the reference');
        }
    });
  }

  it('sums dW directly at float accuracy over a batch of 64 28x28 images (first layer of the course CNN)', () => {
    // One chain of fused multiply-adds per (tap, filter) and part of the batch: against float64.
    const g = convGeom(64, 28, 28, 1, 3, 3, 32, 1, 1, 'SAME');
    const rnd = mulberry32(3);
    const x = randomF32(g.xLen, rnd), W = randomF32(g.wLen, rnd), dy = randomF32(g.yLen, rnd);
    const dW = new Float32Array(g.wLen), db = new Float32Array(g.F), dWr = new Float32Array(g.wLen), dbr = new Float32Array(g.F);
    native.conv2dBackward(x, W, dy, dW, db, null, new Float32Array(g.colLen), g.dims);
    native.conv2dBackwardReference(x, W, dy, dWr, dbr, null, new Float32Array(g.colLen), g.dims);
    let err = 0, norm = 0;
    for (let i = 0; i < g.wLen; i++) { err += (dW[i] - dWr[i]) ** 2; norm += dWr[i] ** 2; }
    assert.ok(Math.sqrt(err / norm) < 1e-6, `relative error ${Math.sqrt(err / norm)}`);
    assertClose(db, dbr, 1e-5, 'db');
  });

  for (const s of [[2, 6, 5, 3, 3, 3, 4, 2, 2, 'SAME'], [3, 7, 6, 1, 5, 5, 2, 1, 1, 'VALID'],
    [1, 5, 7, 2, 3, 5, 3, 1, 2, 'SAME']]) {
    it(`passes finite-difference checks of dx, dW, db for ${JSON.stringify(s)}`, () => {
      const g = convGeom(...s);
      const rnd = mulberry32(99 + s[3]);
      const x = randomF32(g.xLen, rnd), W = randomF32(g.wLen, rnd), b = randomF32(g.F, rnd);
      const R = Float64Array.from(randomF32(g.yLen, rnd));
      const dy = Float32Array.from(R);
      const dW = new Float32Array(g.wLen), db = new Float32Array(g.F), dx = new Float32Array(g.xLen);
      native.conv2dBackward(x, W, dy, dW, db, dx, new Float32Array(g.colLen), g.dims);
      const [xd, Wd, bd] = [Float64Array.from(x), Float64Array.from(W), Float64Array.from(b)];
      const loss = () => dot(jsConvForward(xd, Wd, bd, g), R);
      for (const [p, grad, name] of [[xd, dx, 'dx'], [Wd, dW, 'dW'], [bd, db, 'db']]) {
        const idx = pickIndices(p.length, 40, rnd);
        const fd = numericGrad(p, idx, loss, 1e-3);
        assertClose(idx.map((i) => grad[i]), fd, 1e-4, name);
      }
    });
  }

  for (const level of ['scalar', 'avx2']) {
    it(`gives bit-identical results with GEMMNET_SIMD=${level} (child process)`, function () {
      this.timeout(60000);
      const src = [mulberry32, randomF32, convGeom, simdProbe].map(String).join('\n') +
        `\nprocess.stdout.write(JSON.stringify(simdProbe(require(${JSON.stringify(NATIVE)}).native)));`;
      const child = spawnSync(process.execPath, ['-e', src], {
        env: { ...process.env, GEMMNET_SIMD: level }, encoding: 'utf8', maxBuffer: 1 << 26,
      });
      assert.strictEqual(child.status, 0, child.stderr);
      const theirs = JSON.parse(child.stdout), ours = simdProbe(native);
      const order = ['scalar', 'neon', 'avx2', 'avx512'];
      assert.ok(order.indexOf(theirs.simd) <= order.indexOf(level), `the child runs ${theirs.simd}`);
      if (!process.env.GEMMNET_SIMD) {  // then ours is the CPU's best, and the child gets level or less
        const expected = order[Math.min(order.indexOf(level), order.indexOf(ours.simd))];
        assert.strictEqual(theirs.simd, expected, 'the child runs the requested SIMD level');
      }
      assert.strictEqual(theirs.out.length, ours.out.length);
      theirs.out.forEach((t, i) => assert.ok(t === ours.out[i], `output ${i} differs from ${ours.simd}`));
    });
  }
});

// ---- Max pooling ------------------------------------------------------------------------------

function poolGeom(N, H, W, C, PH, PW, SH, SW) {
  const OH = Math.floor((H - PH) / SH) + 1, OW = Math.floor((W - PW) / SW) + 1;
  return { N, H, W, C, PH, PW, SH, SW, OH, OW, dims: Int32Array.from([N, H, W, C, PH, PW, SH, SW, OH, OW]),
    xLen: N * H * W * C, yLen: N * OH * OW * C };
}

function jsMaxPool(x, g) {
  const y = new Float64Array(g.yLen);
  for (let n = 0; n < g.N; n++)
    for (let oh = 0; oh < g.OH; oh++)
      for (let ow = 0; ow < g.OW; ow++)
        for (let c = 0; c < g.C; c++) {
          let m = -Infinity;
          for (let ph = 0; ph < g.PH; ph++)
            for (let pw = 0; pw < g.PW; pw++)
              m = Math.max(m, x[((n * g.H + oh * g.SH + ph) * g.W + ow * g.SW + pw) * g.C + c]);
          y[((n * g.OH + oh) * g.OW + ow) * g.C + c] = m;
        }
  return y;
}

describe('maxPool (VALID windows)', () => {
  const shapes = [[1, 7, 9, 1, 2, 2, 2, 2], [5, 9, 7, 3, 3, 3, 2, 2], [2, 8, 8, 3, 2, 2, 1, 1],
    [3, 11, 5, 1, 3, 2, 3, 1], [2, 6, 6, 17, 2, 3, 2, 3], [1, 4, 4, 2, 4, 4, 1, 1]];
  for (const s of shapes) {
    it(`matches the reference for [N,H,W,C,PH,PW,SH,SW] = ${JSON.stringify(s)}`, () => {
      const g = poolGeom(...s);
      // Coarse values so that ties occur and the first-maximum rule is exercised.
      const rnd = mulberry32(s[1] * 13 + s[3]);
      const x = new Float32Array(g.xLen).map(() => Math.floor(rnd() * 4));
      const y = new Float32Array(g.yLen), yr = new Float32Array(g.yLen);
      const a = new Int32Array(g.yLen), ar = new Int32Array(g.yLen);
      native.maxPoolForward(x, y, a, g.dims);
      native.maxPoolForwardReference(x, yr, ar, g.dims);
      assert.deepStrictEqual(y, yr);
      assert.deepStrictEqual(a, ar);
      assert.deepStrictEqual(Float64Array.from(y), jsMaxPool(x, g));
      for (let i = 0; i < a.length; i++) assert.strictEqual(x[a[i]], y[i]);
    });
  }

  it('points argmax at the first maximum in row-major window order', () => {
    const g = poolGeom(1, 3, 3, 1, 2, 2, 1, 1);
    const x = Float32Array.from([0, 5, 5, 5, 5, 1, 2, 5, 5]);
    const y = new Float32Array(4), a = new Int32Array(4);
    native.maxPoolForward(x, y, a, g.dims);
    assert.deepStrictEqual(Array.from(a), [1, 1, 3, 4]);
    native.maxPoolForward(new Float32Array(9), y, a, g.dims);
    assert.deepStrictEqual(Array.from(a), [0, 1, 3, 4], 'all ties: the top-left tap');
  });

  for (const s of [[2, 7, 9, 3, 2, 2, 2, 2], [2, 7, 7, 2, 3, 3, 2, 2]]) {
    it(`passes a finite-difference check of dx for ${JSON.stringify(s)}`, () => {
      const g = poolGeom(...s);
      const rnd = mulberry32(5);
      // Distinct values 0.01 apart, so a perturbation of 1e-3 never changes a window's winner.
      const perm = Array.from({ length: g.xLen }, (_, i) => i).sort(() => rnd() - 0.5);
      const x = Float32Array.from(perm, (v) => v * 0.01);
      const y = new Float32Array(g.yLen), a = new Int32Array(g.yLen);
      native.maxPoolForward(x, y, a, g.dims);
      const R = Float64Array.from(randomF32(g.yLen, rnd));
      const dx = new Float32Array(g.xLen);
      native.maxPoolBackward(Float32Array.from(R), a, dx);
      const xd = Float64Array.from(x);
      const all = Array.from({ length: g.xLen }, (_, i) => i);
      const fd = numericGrad(xd, all, () => dot(jsMaxPool(xd, g), R), 1e-3);
      assertClose(dx, fd, 1e-5, 'dx');
    });
  }

  it('backward by samples in parallel gives the bits of the serial pass, overlapping windows included', () => {
    const { setThreads, buildInfo } = require('../../lib');
    const before = buildInfo().threads;
    for (const s of [[32, 28, 28, 32, 2, 2, 2, 2], [5, 9, 9, 3, 3, 3, 2, 2]]) {
      const g = poolGeom(...s);
      const rnd = mulberry32(9);
      const x = Float32Array.from(randomF32(g.xLen, rnd));
      const y = new Float32Array(g.yLen), a = new Int32Array(g.yLen);
      native.maxPoolForward(x, y, a, g.dims);
      const dy = Float32Array.from(randomF32(g.yLen, rnd));
      const serial = Float32Array.from(randomF32(g.xLen, rnd));
      const start = serial.slice();
      native.maxPoolBackward(dy, a, serial, true);
      for (const threads of [1, 2, 3]) {
        setThreads(threads);
        const par = start.slice();
        native.maxPoolBackward(dy, a, par, true, s[0]);
        par.forEach((v, i) => assert.ok(Object.is(v, serial[i]), `${JSON.stringify(s)}, ${threads} threads, dx[${i}]: ${v} vs ${serial[i]}`));
        const fresh = new Float32Array(g.xLen).fill(7);
        native.maxPoolBackward(dy, a, fresh, false, s[0]);
        const ref = new Float32Array(g.xLen);
        native.maxPoolBackward(dy, a, ref, false);
        assert.deepStrictEqual(fresh, ref);
      }
    }
    setThreads(before);
  });

  it('backward over windows that do not overlap gives the bits of the scatter, writing all of dx, at any thread count', () => {
    const { setThreads, buildInfo } = require('../../lib');
    const before = buildInfo().threads;
    // The course's 2x2, 3x3 windows, sizes that leave rows and columns in no window, strides above the
    // window (gaps between windows), more channels than one pass takes (64) and a count not a multiple
    // of 4, one window per sample, and ties and NaN in x.
    const shapes = [[32, 28, 28, 32, 2, 2, 2, 2], [3, 9, 9, 5, 3, 3, 3, 3], [2, 7, 9, 70, 2, 2, 2, 2],
      [2, 10, 11, 3, 2, 2, 3, 4], [1, 5, 5, 1, 5, 5, 5, 5], [4, 6, 6, 7, 1, 2, 1, 2]];
    try {
      for (const s of shapes) {
        const g = poolGeom(...s);
        const rnd = mulberry32(13);
        const x = Float32Array.from(randomF32(g.xLen, rnd), (v, i) => (i % 11 === 0 ? NaN : i % 5 === 0 ? 0.25 : v));
        const y = new Float32Array(g.yLen), a = new Int32Array(g.yLen);
        native.maxPoolForward(x, y, a, g.dims);
        const dy = Float32Array.from(randomF32(g.yLen, rnd), (v, i) => (i % 7 === 0 ? -0 : v));
        const ref = new Float32Array(g.xLen);
        native.maxPoolBackward(dy, a, ref, false);
        for (const threads of [1, 2, 3]) {
          setThreads(threads);
          const got = new Float32Array(g.xLen).fill(NaN);
          native.maxPoolBackwardWindows(dy, a, got, g.dims);
          got.forEach((v, i) => assert.ok(Object.is(v, ref[i]), `${JSON.stringify(s)}, ${threads} threads, dx[${i}]: ${v} vs ${ref[i]}`));
        }
      }
    } finally {
      setThreads(before);
    }
  });

  it('backward over windows refuses overlapping windows, wrong sizes, and an argmax not from its window', () => {
    const g = poolGeom(2, 4, 4, 3, 2, 2, 2, 2);
    const x = Float32Array.from(randomF32(g.xLen, mulberry32(5)));
    const y = new Float32Array(g.yLen), a = new Int32Array(g.yLen);
    native.maxPoolForward(x, y, a, g.dims);
    const dy = Float32Array.from(randomF32(g.yLen, mulberry32(6)));
    const dx = () => new Float32Array(g.xLen);
    throwsLike(() => native.maxPoolBackwardWindows(dy, a, dx(), poolGeom(2, 5, 5, 3, 2, 2, 1, 1).dims), RangeError,
      /windows overlap \(stride 1x1 below window 2x2\); use maxPoolBackward/);
    throwsLike(() => native.maxPoolBackwardWindows(dy.subarray(1), a, dx(), g.dims), RangeError, /dy/);
    throwsLike(() => native.maxPoolBackwardWindows(dy, a.subarray(1), dx(), g.dims), RangeError, /argmax/);
    throwsLike(() => native.maxPoolBackwardWindows(dy, a, new Float32Array(g.xLen - 1), g.dims), RangeError, /dx/);
    throwsLike(() => native.maxPoolBackwardWindows(dy, a, new Int32Array(g.xLen), g.dims), TypeError, /dx/);
    throwsLike(() => native.maxPoolBackwardWindows(dy, Float32Array.from(a), dx(), g.dims), TypeError, /argmax/);
    const same = new Float32Array(g.xLen + g.yLen);
    throwsLike(() => native.maxPoolBackwardWindows(same.subarray(0, g.yLen), a, same.subarray(0, g.xLen), g.dims), RangeError,
      /dx overlaps dy/);
    throwsLike(() => native.maxPoolBackwardWindows(same.subarray(g.xLen - 1, g.xLen - 1 + g.yLen), a, same.subarray(0, g.xLen),
      g.dims), RangeError, /dx overlaps dy/);
    const shared = new ArrayBuffer(4 * (g.xLen + g.yLen));
    const a2 = new Int32Array(shared, 4 * (g.xLen - 1), g.yLen);
    a2.set(a);
    throwsLike(() => native.maxPoolBackwardWindows(dy, a2, new Float32Array(shared, 0, g.xLen), g.dims), RangeError,
      /dx overlaps argmax/);
    // Beside each other in one buffer is fine.
    const side = new ArrayBuffer(4 * (g.xLen + g.yLen));
    const a3 = new Int32Array(side, 4 * g.xLen, g.yLen);
    a3.set(a);
    native.maxPoolBackwardWindows(dy, a3, new Float32Array(side, 0, g.xLen), g.dims);
    // Output 1's argmax moved into output 0's window, and output 5's past the end of x: neither is used
    // as an index; the call says which output was first and how many more there are.
    const bad = a.slice();
    bad[1] = a[0];
    bad[5] = 2 ** 31 - 1;
    throwsLike(() => native.maxPoolBackwardWindows(dy, bad, dx(), g.dims), RangeError,
      /argmax\[1\] \(and 1 more\) names none of its window's inputs; argmax must come from maxPoolForward/);
  });

  it('backward by samples refuses an argmax that points into another sample, and samples that do not divide', () => {
    const dx = new Float32Array(8);
    assert.throws(() => native.maxPoolBackward(Float32Array.from([1, 2]), Int32Array.from([0, 1]), dx, false, 2),
      (e) => e instanceof RangeError && /argmax\[1\] = 1 points outside its own sample 1 of dx \(\[4, 8\)\)/.test(e.message));
    assert.throws(() => native.maxPoolBackward(Float32Array.from([1, 2, 3]), Int32Array.from([0, 1, 2]), dx, false, 2),
      (e) => e instanceof RangeError && /samples = 2 does not divide/.test(e.message));
    assert.throws(() => native.maxPoolBackward(Float32Array.from([1, 2]), Int32Array.from([0, 4]), dx, false, 0), RangeError);
    assert.deepStrictEqual(Array.from(dx), [0, 0, 0, 0, 0, 0, 0, 0], 'nothing written before the check');
    // Empty arrays with any number of samples: nothing to do, at once.
    const t0 = Date.now();
    native.maxPoolBackward(new Float32Array(0), new Int32Array(0), new Float32Array(0), false, 2);
    native.maxPoolBackward(new Float32Array(0), new Int32Array(0), new Float32Array(0), false, 2 ** 31 - 1);
    const cleared = Float32Array.from([5, 5, 5, 5]);
    native.maxPoolBackward(new Float32Array(0), new Int32Array(0), cleared, false, 2);
    assert.deepStrictEqual(Array.from(cleared), [0, 0, 0, 0], 'dx is zeroed when accumulate is false');
    assert.ok(Date.now() - t0 < 1000);
  });

  it('backward accumulates into dx', () => {
    const dx = Float32Array.from([1, 1, 1]);
    native.maxPoolBackward(Float32Array.from([2, 3, 4]), Int32Array.from([2, 0, 2]), dx);
    assert.deepStrictEqual(Array.from(dx), [4, 1, 7]);
  });
});

// ---- Batch norm -------------------------------------------------------------------------------

function jsBatchNorm(x, R, K, eps) {
  const y = new Float64Array(R * K);
  for (let k = 0; k < K; k++) {
    let m = 0, v = 0;
    for (let r = 0; r < R; r++) m += x[r * K + k];
    m /= R;
    for (let r = 0; r < R; r++) v += (x[r * K + k] - m) ** 2;
    v /= R;
    for (let r = 0; r < R; r++) y[r * K + k] = (x[r * K + k] - m) / Math.sqrt(v + eps);
  }
  return y;
}

describe('batchNorm (per column of an (R, K) matrix)', () => {
  const eps = 1e-3;
  // [R, K]: per-channel (N*H*W, C) and per-activation (N, H*W*C) layouts of odd-sized batches.
  // The last two are the CNN's: 32 filters over 8 images of 28x28, per channel and per activation.
  const shapes = [[5 * 7 * 9, 3], [1 * 7 * 9, 1], [5, 7 * 9 * 3], [1 * 3 * 3, 17], [3, 2], [2, 1], [8 * 28 * 28, 32], [8, 28 * 28 * 32]];
  for (const [R, K] of shapes) {
    it(`matches the reference for R=${R}, K=${K}`, () => {
      const rnd = mulberry32(R * 7 + K);
      // Column offsets, up to 100 times the spread (float32 holds the centered values to ~1e-5 then).
      const x = randomF32(R * K, rnd, 3).map((v, i) => v + ((i % K) % 101));
      const [y, mean, inv] = [new Float32Array(R * K), new Float32Array(K), new Float32Array(K)];
      const [yr, meanr, invr] = [new Float32Array(R * K), new Float32Array(K), new Float32Array(K)];
      native.batchNormForward(x, y, mean, inv, R, K, eps);
      native.batchNormForwardReference(x, yr, meanr, invr, R, K, eps);
      assertClose(y, yr, 1e-5, 'y');
      assertClose(mean, meanr, 1e-6, 'mean');
      assertClose(inv, invr, 1e-5, 'invStd');
      assertClose(y, jsBatchNorm(x, R, K, eps), 1e-5, 'y vs JS');

      const aliased = copy(x);
      native.batchNormForward(aliased, aliased, mean, inv, R, K, eps);
      assert.deepStrictEqual(aliased, y, 'y may alias x');

      const dy = randomF32(R * K, rnd), dx0 = randomF32(R * K, rnd);
      const [dx, dxr] = [copy(dx0), copy(dx0)];
      native.batchNormBackward(y, inv, dy, dx, R, K);
      native.batchNormBackwardReference(y, inv, dy, dxr, R, K);
      assertClose(dx, dxr, 1e-5, 'dx');

      const variance = randomF32(K, rnd).map((v) => v * v + 0.1);
      const [yi, yir] = [new Float32Array(R * K), new Float32Array(R * K)];
      native.batchNormInference(x, yi, mean, variance, R, K, eps);
      native.batchNormInferenceReference(x, yir, mean, variance, R, K, eps);
      assertClose(yi, yir, 1e-5, 'inference');
      assertClose(yi, Float64Array.from(x, (v, i) => (v - mean[i % K]) / Math.sqrt(variance[i % K] + eps)),
        1e-5, 'inference vs JS');
    });
  }

  // N=4 images of 3x3x2: per-channel (R = N*H*W, K = C) and per-activation (R = N, K = H*W*C).
  for (const [R, K, mode] of [[4 * 3 * 3, 2, 'per-channel'], [4, 3 * 3 * 2, 'per-activation'],
    [6, 5, 'small batch']]) {
    it(`passes a finite-difference check of dx (${mode}, R=${R}, K=${K})`, () => {
      const rnd = mulberry32(R + 100 * K);
      const x = randomF32(R * K, rnd, 2);
      const [y, mean, inv] = [new Float32Array(R * K), new Float32Array(K), new Float32Array(K)];
      native.batchNormForward(x, y, mean, inv, R, K, eps);
      const Rw = Float64Array.from(randomF32(R * K, rnd));
      const dx = new Float32Array(R * K);
      native.batchNormBackward(y, inv, Float32Array.from(Rw), dx, R, K);
      const xd = Float64Array.from(x);
      const all = Array.from({ length: R * K }, (_, i) => i);
      const fd = numericGrad(xd, all, () => dot(jsBatchNorm(xd, R, K, eps), Rw), 1e-4);
      const scale = Math.max(...fd.map(Math.abs));
      for (let i = 0; i < fd.length; i++)
        assert.ok(Math.abs(dx[i] - fd[i]) <= 2e-3 * scale, `dx[${i}] = ${dx[i]}, finite difference ${fd[i]}`);
    });
  }
});

// ---- Dropout ----------------------------------------------------------------------------------

describe('dropout (inverted, counter-based)', () => {
  const n = 1 << 20;
  const x = randomF32(n, mulberry32(3));
  const run = (keep, lo, hi, counter, len = n) => {
    const y = new Float32Array(len), mask = new Float32Array(len);
    native.dropoutForward(x.subarray(0, len), y, mask, keep, lo, hi, counter);
    return { y, mask };
  };

  it('keeps a keepProb fraction, scaled by 1/keepProb, and y = x * mask', () => {
    for (const keep of [0.5, 0.7, 0.9]) {
      const { y, mask } = run(keep, 12345, 678, 0);
      const scale = Math.fround(1 / keep);
      let kept = 0, sum = 0;
      for (let i = 0; i < n; i++) {
        assert.ok(mask[i] === 0 || mask[i] === scale, `mask[${i}] = ${mask[i]}`);
        if (mask[i]) kept++;
        sum += mask[i];
        if (y[i] !== Math.fround(x[i] * mask[i])) assert.fail(`y[${i}]`);
      }
      const sd = Math.sqrt(keep * (1 - keep) / n);
      assert.ok(Math.abs(kept / n - keep) < 5 * sd, `kept fraction ${kept / n} for keepProb ${keep}`);
      assert.ok(Math.abs(sum / n - 1) < 5 * sd / keep, `mean mask ${sum / n}`);
    }
    assert.ok(run(1, 1, 2, 3).mask.every((m) => m === 1), 'keepProb 1 keeps everything');
  });

  it('is a function of (seed, counter, index) only', () => {
    const a = run(0.6, 42, 7, 5), b = run(0.6, 42, 7, 5);
    assert.deepStrictEqual(a.mask, b.mask);
    assert.deepStrictEqual(run(0.6, 42, 7, 5, 1000).mask, a.mask.subarray(0, 1000), 'prefix of a longer call');
    assert.deepStrictEqual(run(0.6, -1, 7, 5).mask, run(0.6, 0xffffffff, 7, 5).mask, 'seed halves mod 2^32');
    // Other counters and seeds give independent masks: P(both kept) ~ keep^2.
    for (const other of [run(0.6, 42, 7, 6), run(0.6, 43, 7, 5), run(0.6, 42, 8, 5), run(0.6, 42, 7, 2 ** 40)]) {
      let both = 0;
      for (let i = 0; i < n; i++) if (a.mask[i] && other.mask[i]) both++;
      assert.ok(Math.abs(both / n - 0.36) < 0.003, `joint keep rate ${both / n}`);
    }
  });

  it('backward accumulates dy * mask into dx', () => {
    const { mask } = run(0.5, 1, 1, 1, 64);
    const dy = randomF32(64, mulberry32(8)), dx = new Float32Array(64).fill(1);
    native.dropoutBackward(dy, mask, dx);
    assertClose(dx, Float64Array.from(dy, (v, i) => 1 + Math.fround(v * mask[i])), 1e-7, 'dx');
  });
});

// ---- Bad arguments ----------------------------------------------------------------------------

describe('CNN kernels reject bad arguments', () => {
  const g = convGeom(2, 5, 5, 3, 3, 3, 4, 1, 1, 'SAME');
  const f = (n) => new Float32Array(n);
  const conv = () => ({ x: f(g.xLen), W: f(g.wLen), b: f(g.F), y: f(g.yLen), col: f(g.colLen), dims: g.dims.slice() });
  // Buffers far larger than needed, so that only the dims themselves can be at fault.
  const withDims = (changes) => {
    const d = g.dims.slice();
    for (const [i, v] of Object.entries(changes)) d[i] = v;
    return () => native.conv2dForward(f(16 * g.xLen), f(16 * g.wLen), f(16 * g.F), f(64 * g.yLen),
      f(64 * g.colLen), d, false);
  };
  const fwd = (o) => () => native.conv2dForward(o.x, o.W, o.b, o.y, o.col, o.dims, false);
  const pg = poolGeom(2, 5, 5, 3, 2, 2, 2, 2);

  const typeErrors = {
    'conv x as Array': () => { const o = conv(); o.x = Array.from(o.x); fwd(o)(); },
    'conv W as Float64Array': () => { const o = conv(); o.W = new Float64Array(g.wLen); fwd(o)(); },
    'conv dims as Float32Array': () => { const o = conv(); o.dims = Float32Array.from(g.dims); fwd(o)(); },
    'conv too few arguments': () => native.conv2dForward(f(g.xLen), f(g.wLen)),
    'convBackward dW as Float64Array': () => { const o = conv();
      native.conv2dBackward(o.x, o.W, o.y, new Float64Array(g.wLen), null, null, o.col, o.dims); },
    'convBackward reluY as Uint8Array': () => { const o = conv();
      native.conv2dBackward(o.x, o.W, o.y, o.W.slice(), null, null, o.col, o.dims, new Uint8Array(4 * g.yLen)); },
    'pool argmax as Float32Array': () => native.maxPoolForward(f(pg.xLen), f(pg.yLen), f(pg.yLen), pg.dims),
    'pool backward dx as Int32Array': () => native.maxPoolBackward(f(3), new Int32Array(3), new Int32Array(3)),
    'batchNorm R as string': () => native.batchNormForward(f(6), f(6), f(2), f(2), '3', 2, 1e-3),
    'batchNorm mean as null': () => native.batchNormForward(f(6), f(6), null, f(2), 3, 2, 1e-3),
    'dropout x as string': () => native.dropoutForward('x', f(4), f(4), 0.5, 1, 2, 3),
    'dropout keepProb as string': () => native.dropoutForward(f(4), f(4), f(4), '0.5', 1, 2, 3),
  };
  for (const [name, call] of Object.entries(typeErrors))
    it(`TypeError: ${name}`, () => assert.throws(call, TypeError));

  const rangeErrors = {
    'conv dims of length 12': () => { const o = conv(); o.dims = g.dims.slice(0, 12); fwd(o)(); },
    'conv OH wrong for the padding': withDims({ 11: g.OH + 1, 9: 0 }),
    'conv OH below the VALID size': withDims({ 11: 1, 9: 0 }),
    'conv a window wholly in bottom padding': withDims({ 11: 8, 9: 2 }),
    'conv padTop >= KH': withDims({ 11: 8, 9: 3 }),
    'conv padLeft beyond the total padding': withDims({ 10: 3 }),
    'conv zero stride': withDims({ 7: 0 }),
    'conv negative padTop': withDims({ 9: -1 }),
    'conv zero filters': withDims({ 6: 0 }),
    'conv zero batch': withDims({ 0: 0 }),
    'conv y too small': () => { const o = conv(); o.y = f(g.yLen - 1); fwd(o)(); },
    'conv x too small': () => { const o = conv(); o.x = f(g.xLen - 1); fwd(o)(); },
    'conv bias too small': () => { const o = conv(); o.b = f(g.F - 1); fwd(o)(); },
    'conv col too small': () => { const o = conv(); o.col = f(g.colLen - 1); fwd(o)(); },
    'conv col overlapping y': () => { const o = conv(); const big = f(g.colLen + g.yLen);
      o.col = big.subarray(0, g.colLen); o.y = big.subarray(g.colLen - 1); fwd(o)(); },
    'conv dims whose products overflow': () => { const o = conv();
      o.dims = Int32Array.from([2 ** 30, 2 ** 30, 2 ** 30, 2 ** 30, 1, 1, 1, 1, 1, 0, 0, 2 ** 30, 2 ** 30]); fwd(o)(); },
    'conv window larger than a huge image': () => { const o = conv();
      o.dims = Int32Array.from([1, 2 ** 31 - 2, 1, 1, 3, 1, 1, 1, 1, 1, 0, 2 ** 31 - 2, 1]); fwd(o)(); },
    'convBackward dx too small': () => { const o = conv();
      native.conv2dBackward(o.x, o.W, o.y, null, null, f(g.xLen - 1), o.col, o.dims); },
    'convBackward dy too small': () => { const o = conv();
      native.conv2dBackward(o.x, o.W, f(g.yLen - 1), o.W.slice(), null, null, o.col, o.dims); },
    'convBackward reluY too small': () => { const o = conv();
      native.conv2dBackward(o.x, o.W, o.y, o.W.slice(), null, null, o.col, o.dims, f(g.yLen - 1)); },
    'convBackward reluY overlapping col': () => { const o = conv(); const big = f(g.colLen + g.yLen);
      native.conv2dBackward(o.x, o.W, o.y, o.W.slice(), null, null, big.subarray(0, g.colLen), o.dims, big.subarray(g.colLen - 1)); },
    'pool wrong OW': () => { const d = pg.dims.slice(); d[9]++; native.maxPoolForward(f(pg.xLen), f(1e3), new Int32Array(1e3), d); },
    'pool window larger than the image': () => native.maxPoolForward(f(9), f(9), new Int32Array(9),
      Int32Array.from([1, 3, 3, 1, 4, 4, 1, 1, 1, 1])),
    'pool argmax too small': () => native.maxPoolForward(f(pg.xLen), f(pg.yLen), new Int32Array(pg.yLen - 1), pg.dims),
    'pool backward argmax == dx.length': () => native.maxPoolBackward(f(2), Int32Array.from([0, 5]), f(5)),
    'pool backward negative argmax': () => native.maxPoolBackward(f(2), Int32Array.from([-1, 0]), f(5)),
    'pool backward argmax shorter than dy': () => native.maxPoolBackward(f(3), new Int32Array(2), f(5)),
    'batchNorm R = 0': () => native.batchNormForward(f(6), f(6), f(2), f(2), 0, 2, 1e-3),
    'batchNorm negative K': () => native.batchNormForward(f(6), f(6), f(2), f(2), 3, -2, 1e-3),
    'batchNorm fractional R': () => native.batchNormForward(f(6), f(6), f(2), f(2), 1.5, 2, 1e-3),
    'batchNorm invStd too small': () => native.batchNormForward(f(6), f(6), f(2), f(1), 3, 2, 1e-3),
    'batchNorm eps = 0': () => native.batchNormForward(f(6), f(6), f(2), f(2), 3, 2, 0),
    'batchNorm backward dx too small': () => native.batchNormBackward(f(6), f(2), f(6), f(5), 3, 2),
    'batchNorm inference variance too small': () => native.batchNormInference(f(6), f(6), f(2), f(1), 3, 2, 1e-3),
    'dropout keepProb = 0': () => native.dropoutForward(f(4), f(4), f(4), 0, 1, 2, 3),
    'dropout keepProb > 1': () => native.dropoutForward(f(4), f(4), f(4), 1.5, 1, 2, 3),
    'dropout keepProb NaN': () => native.dropoutForward(f(4), f(4), f(4), NaN, 1, 2, 3),
    'dropout mask too small': () => native.dropoutForward(f(4), f(4), f(3), 0.5, 1, 2, 3),
    'dropout seedLo = 2^32': () => native.dropoutForward(f(4), f(4), f(4), 0.5, 2 ** 32, 2, 3),
    'dropout negative counter': () => native.dropoutForward(f(4), f(4), f(4), 0.5, 1, 2, -1),
    'dropout backward dx too small': () => native.dropoutBackward(f(4), f(4), f(3)),
  };
  for (const [name, call] of Object.entries(rangeErrors))
    it(`RangeError: ${name}`, () => assert.throws(call, RangeError));

  it('leaves the process working after the errors', () => {
    const o = conv();
    o.x.fill(1);
    o.W.fill(1);
    fwd(o)();
    assert.strictEqual(o.y[((0 * g.OH + 2) * g.OW + 2) * g.F], 27, 'interior pixel: 3x3x3 ones');
  });
});
