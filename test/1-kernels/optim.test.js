'use strict';
// Optimizer kernels against plain float64 references of their formulas, at every SIMD level.
const assert = require('assert');
const path = require('path');
const { spawnSync } = require('child_process');
const { native } = require('../../lib/native');
const { rand, relNormErr } = require('../helpers/util');

function momentumRef(w, g, v, lr, gamma) {
  for (let i = 0; i < w.length; i++) {
    v[i] = gamma * v[i] + lr * g[i];
    w[i] -= v[i];
  }
}

function adamRef(w, g, m, v, lr, b1, b2, eps, t) {
  const lrT = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
  for (let i = 0; i < w.length; i++) {
    m[i] = b1 * m[i] + (1 - b1) * g[i];
    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
    w[i] -= (lrT * m[i]) / (Math.sqrt(v[i]) + eps);
  }
}

// Long enough to span several of the kernels' parallel blocks, and not a multiple of any vector width.
const N = 200003;

describe('optimizer kernels', () => {
  it('momentumUpdate matches v = gamma v + lr g; w -= v over many steps', () => {
    const w = rand(N, 1);
    const v = new Float32Array(N).fill(1e-5);
    const w64 = Float64Array.from(w);
    const v64 = Float64Array.from(v);
    for (let step = 0; step < 5; step++) {
      const g = rand(N, 10 + step);
      native.momentumUpdate(w, g, v, 0.01, 0.9);
      momentumRef(w64, g, v64, 0.01, 0.9);
    }
    assert.ok(relNormErr(w, w64) < 1e-6);
    assert.ok(relNormErr(v, v64) < 1e-5);
  });

  it('adamUpdate matches TensorFlow\'s Adam (bias-corrected step size) over many steps', () => {
    const w = rand(N, 2);
    const m = new Float32Array(N);
    const v = new Float32Array(N);
    const [w64, m64, v64] = [Float64Array.from(w), new Float64Array(N), new Float64Array(N)];
    for (let t = 1; t <= 5; t++) {
      const g = rand(N, 20 + t).map((x) => x * 1e-2);
      native.adamUpdate(w, g, m, v, 1e-3, 0.9, 0.999, 1e-8, t);
      adamRef(w64, g, m64, v64, 1e-3, 0.9, 0.999, 1e-8, t);
    }
    assert.ok(relNormErr(w, w64) < 1e-6);
    assert.ok(relNormErr(m, m64) < 1e-5);
    assert.ok(relNormErr(v, v64) < 1e-4);
  });

  it('gives bit-identical results at every SIMD level', () => {
    const script = `const { native } = require(${JSON.stringify(path.resolve(__dirname, '..', '..', 'lib', 'native'))});
      const { rand } = require(${JSON.stringify(path.resolve(__dirname, '..', 'helpers', 'util'))});
      const w = rand(${N}, 3), m = new Float32Array(${N}), v = new Float32Array(${N}).fill(1e-5);
      for (let t = 1; t <= 3; t++) { native.adamUpdate(w, rand(${N}, t), m, v, 1e-3, 0.9, 0.999, 1e-8, t); native.momentumUpdate(w, rand(${N}, 9 + t), v, 0.01, 0.9); }
      process.stdout.write(require('crypto').createHash('sha256').update(Buffer.from(w.buffer)).update(Buffer.from(v.buffer)).digest('hex'));`;
    const hashes = ['scalar', 'avx2', ''].map((simd) => {
      const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, GEMMNET_SIMD: simd }, encoding: 'utf8' });
      assert.strictEqual(r.status, 0, r.stderr);
      return r.stdout;
    });
    assert.strictEqual(hashes[1], hashes[0]);
    assert.strictEqual(hashes[2], hashes[0]);
  });

  it('rejects mismatched buffers and a step count below 1', () => {
    const a = new Float32Array(8);
    assert.throws(() => native.adamUpdate(a, new Float32Array(4), a, a, 1e-3, 0.9, 0.999, 1e-8, 1), RangeError);
    assert.throws(() => native.adamUpdate(a, a, a, a, 1e-3, 0.9, 0.999, 1e-8, 0), /t must be at least 1/);
    assert.throws(() => native.momentumUpdate(a, a, new Float32Array(2), 0.1, 0.9), RangeError);
    assert.throws(() => native.momentumUpdate(a, a, a, NaN, 0.9), RangeError);
  });
});
