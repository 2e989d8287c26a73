'use strict';
// The kernels only stacks use: average pooling against its naive reference, the activations and
// the affine scale-shift against formulas in double, and their refusals of bad sizes.
const assert = require('assert');
const path = require('path');
const { rand, maxRelErr } = require('../helpers/util');

const { kernels } = require(path.join(__dirname, '..', '..', 'lib', 'layers', 'kernels'));

describe('stack kernels', () => {
  it('avgPoolForward matches its naive reference; backward spreads each window evenly', () => {
    for (const [N, H, W, C, P, S] of [[2, 6, 5, 3, 2, 2], [3, 7, 7, 8, 3, 2], [1, 5, 6, 5, 2, 1], [4, 4, 4, 17, 4, 1]]) {
      const OH = Math.floor((H - P) / S) + 1;
      const OW = Math.floor((W - P) / S) + 1;
      const dims = Int32Array.from([N, H, W, C, P, P, S, S, OH, OW]);
      const x = rand(N * H * W * C, N + H);
      const y = new Float32Array(N * OH * OW * C);
      const r = new Float32Array(y.length);
      kernels.avgPoolForward(x, y, dims);
      kernels.avgPoolForwardReference(x, r, dims);
      assert.ok(maxRelErr(y, r) < 1e-5);
      // <dy, pool(x)> = <unpool(dy), x>: the backward is the forward's adjoint.
      const dy = rand(y.length, 3);
      const dx = new Float32Array(x.length);
      kernels.avgPoolBackward(dy, dx, dims, false);
      let a = 0;
      let b = 0;
      for (let i = 0; i < y.length; i++) a += dy[i] * y[i];
      for (let i = 0; i < x.length; i++) b += dx[i] * x[i];
      assert.ok(Math.abs(a - b) < 1e-4 * Math.max(1, Math.abs(a)), `${a} vs ${b}`);
    }
    assert.throws(() => kernels.avgPoolForward(new Float32Array(10), new Float32Array(4), Int32Array.from([1, 4, 4, 1, 2, 2, 2, 2, 2, 2])), RangeError);
    assert.throws(() => kernels.avgPoolBackward(new Float32Array(4), new Float32Array(15), Int32Array.from([1, 4, 4, 1, 2, 2, 2, 2, 2, 2])), RangeError);
  });

  it('leaky ReLU, tanh and sigmoid and their derivatives match the formulas (sigmoid without overflow)', () => {
    const x = rand(5000, 9).map((v) => v * 30);
    x[0] = 1e30; x[1] = -1e30; x[2] = 0;
    const F = [
      [0, (v) => (v > 0 ? v : 0.1 * v), (v, y) => (v > 0 ? 1 : 0.1)],
      [1, Math.tanh, (v, y) => 1 - y * y],
      [2, (v) => 1 / (1 + Math.exp(-v)), (v, y) => y * (1 - y)],
    ];
    for (const [f, fn, df] of F) {
      const y = new Float32Array(x.length);
      kernels.activationForward(f, x, y, 0.1);
      assert.ok(y.every(Number.isFinite));
      assert.ok(maxRelErr(y, Float32Array.from(x, fn), 1e-6) < 1e-5, `activation ${f}`);
      const dy = rand(x.length, 4);
      const dx = new Float32Array(x.length).fill(1);
      kernels.activationBackward(f, x, y, dy, dx, 0.1, true);
      const want = Float32Array.from(x, (v, i) => 1 + dy[i] * df(v, y[i]));
      assert.ok(maxRelErr(dx, want, 1e-6) < 1e-5, `activation ${f} backward`);
    }
    assert.throws(() => kernels.activationForward(3, x, new Float32Array(x.length), 0), RangeError);
    assert.throws(() => kernels.activationForward(0, x, new Float32Array(3), 0), RangeError);
    assert.throws(() => kernels.activationBackward(1, x, x, x, x, 0), RangeError);
  });

  it('scaleShift forward and backward match the formulas', () => {
    const R = 37;
    const K = 11;
    const xhat = rand(R * K, 1);
    const g = rand(K, 2);
    const b = rand(K, 3);
    const y = new Float32Array(R * K);
    kernels.scaleShiftForward(xhat, g, b, y, R, K);
    assert.ok(maxRelErr(y, Float32Array.from(xhat, (v, i) => v * g[i % K] + b[i % K])) < 1e-5);
    const dy = rand(R * K, 4);
    const dg = new Float32Array(K).fill(0.5);
    const db = new Float32Array(K);
    const dxhat = new Float32Array(R * K);
    kernels.scaleShiftBackward(xhat, g, dy, dg, db, dxhat, R, K);
    const wantG = new Float64Array(K).fill(0.5);
    const wantB = new Float64Array(K);
    for (let i = 0; i < R * K; i++) { wantG[i % K] += dy[i] * xhat[i]; wantB[i % K] += dy[i]; }
    assert.ok(maxRelErr(dg, wantG) < 1e-5 && maxRelErr(db, wantB) < 1e-5);
    assert.ok(maxRelErr(dxhat, Float32Array.from(dy, (v, i) => v * g[i % K])) < 1e-5);
    assert.throws(() => kernels.scaleShiftForward(xhat, g, b, xhat, R, K), RangeError);
    assert.throws(() => kernels.scaleShiftForward(xhat, g.subarray(1), b, y, R, K), RangeError);
  });
});
