'use strict';
const assert = require('assert');
const gemmnet = require('../..');
const { rand, relNormErr } = require('../helpers/util');
const { hasNumpy, numpyGradients } = require('../helpers/numpy');

/** The MLP's mean cross-entropy in float64, straight from the derivation. */
function mlpLoss64(w, x, labels, I, H, C) {
  const N = labels.length;
  let loss = 0;
  const h = new Float64Array(H);
  const z = new Float64Array(C);
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < H; j++) {
      let s = w.b_h[j];
      for (let i = 0; i < I; i++) s += x[n * I + i] * w.W_h[i * H + j];
      h[j] = s > 0 ? s : 0;
    }
    let m = -Infinity;
    for (let c = 0; c < C; c++) {
      let s = w.b_o[c];
      for (let j = 0; j < H; j++) s += h[j] * w.W_o[j * C + c];
      z[c] = s;
      m = Math.max(m, s);
    }
    let se = 0;
    for (let c = 0; c < C; c++) se += Math.exp(z[c] - m);
    loss += Math.log(se) - (z[labels[n]] - m);
  }
  return loss / N;
}

/** Central differences of mlpLoss64 at `count` entries of every weight; returns [analytic, numeric]. */
function finiteDifferences(model, grads, x, labels, count) {
  const { inputs: I, hidden: H, classes: C } = model.options;
  const w = Object.fromEntries(Object.entries(model.getWeights()).map(([k, v]) => [k, Float64Array.from(v)]));
  const analytic = [];
  const numeric = [];
  const eps = 1e-5;
  for (const name of Object.keys(w)) {
    const t = w[name];
    const step = Math.max(1, Math.floor(t.length / count));
    for (let i = 0; i < t.length; i += step) {
      const keep = t[i];
      t[i] = keep + eps;
      const up = mlpLoss64(w, x, labels, I, H, C);
      t[i] = keep - eps;
      const down = mlpLoss64(w, x, labels, I, H, C);
      t[i] = keep;
      numeric.push((up - down) / (2 * eps));
      analytic.push(grads[name][i]);
    }
  }
  return [Float64Array.from(analytic), Float64Array.from(numeric)];
}

function labelsFor(N, C, seed) {
  return Int32Array.from(rand(N, seed), (v) => Math.floor(((v + 1) / 2) * C) % C);
}

describe('MLP', () => {
  it('builds the course network with named weights in the documented layouts', () => {
    const m = gemmnet.mlp({ inputs: 784, hidden: 1000, classes: 10, seed: 3 });
    assert.deepStrictEqual(m.shapes, { W_h: [784, 1000], b_h: [1000], W_o: [1000, 10], b_o: [10] });
    const w = m.getWeights();
    assert.strictEqual(w.W_h.length, 784000);
    assert.ok(w.b_h.every((v) => v === 0));
    // Xavier: zero-mean Gaussian with variance 2 / (fan_in + fan_out).
    let s = 0;
    let s2 = 0;
    for (const v of w.W_h) {
      s += v;
      s2 += v * v;
    }
    const mean = s / w.W_h.length;
    const variance = s2 / w.W_h.length - mean * mean;
    assert.ok(Math.abs(mean) < 1e-3, `mean ${mean}`);
    assert.ok(Math.abs(variance / (2 / 1784) - 1) < 0.02, `variance ${variance}`);
  });

  it('is reproducible: the same seed gives the same weights, another seed different ones', () => {
    const a = gemmnet.mlp({ hidden: 20, seed: 7 }).getWeights();
    const b = gemmnet.mlp({ hidden: 20, seed: 7 }).getWeights();
    const c = gemmnet.mlp({ hidden: 20, seed: 8 }).getWeights();
    assert.deepStrictEqual(a.W_h, b.W_h);
    assert.notDeepStrictEqual(a.W_h, c.W_h);
  });

  it('draws its initial weights as NumPy would: np.random.seed(s); np.random.normal(0, std, shape)', function () {
    if (!hasNumpy()) this.skip();
    const { execFileSync } = require('child_process');
    const out = execFileSync('python3', ['-c',
      'import numpy as np; np.random.seed(11); a = np.random.normal(0, np.sqrt(2/(5+4)), (5,4)); print(" ".join(repr(float(v)) for v in a.ravel()))']);
    const expected = out.toString().trim().split(' ').map(Number);
    const W_h = gemmnet.mlp({ inputs: 5, hidden: 4, classes: 3, seed: 11 }).getWeights().W_h;
    for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(W_h[i] - expected[i]) < 1e-6);
  });

  it('setWeights copies in and checks names and lengths', () => {
    const m = gemmnet.mlp({ inputs: 4, hidden: 3, classes: 2 });
    const b = Float32Array.of(1, 2, 3);
    m.setWeights({ b_h: b });
    b[0] = 99;
    assert.deepStrictEqual(Array.from(m.getWeights().b_h), [1, 2, 3]);
    assert.throws(() => m.setWeights({ W_x: b }), /unknown weight "W_x".*W_h, b_h, W_o, b_o/);
    assert.throws(() => m.setWeights({ b_h: new Float32Array(2) }), RangeError);
    assert.throws(() => m.setWeights({ b_h: [1, 2, 3] }), TypeError);
    assert.throws(() => m.setWeights(null), TypeError);
  });

  for (const [N, I, H, C, count] of [[1, 784, 13, 10, 60], [37, 784, 13, 10, 60], [37, 20, 13, 7, 60], [3, 784, 1000, 10, 25]]) {
    it(`gradients match finite differences (N=${N}, ${I}-${H}-${C})`, () => {
      const m = gemmnet.mlp({ inputs: I, hidden: H, classes: C, seed: N });
      m.setWeights({ b_h: rand(H, 9).map((v) => v * 0.1), b_o: rand(C, 10).map((v) => v * 0.1) });
      const x = rand(N * I, 11).map((v) => (v + 1) / 2);
      const labels = labelsFor(N, C, 12);
      const { loss, grads } = m.lossAndGradients(x, labels);
      const w64 = Object.fromEntries(Object.entries(m.getWeights()).map(([k, v]) => [k, Float64Array.from(v)]));
      assert.ok(Math.abs(loss - mlpLoss64(w64, x, labels, I, H, C)) < 1e-4);
      const [analytic, numeric] = finiteDifferences(m, grads, x, labels, count);
      const err = relNormErr(analytic, numeric);
      assert.ok(err < 1e-3, `relative error ${err}`);
    });
  }

  describe('against a NumPy float64 implementation of the derivation', () => {
    before(function () {
      if (!hasNumpy()) {
        // NumPy is installed by .ci/run; without it these comparisons cannot run.
        this.skip();
      }
    });
    for (const [N, I, H, C] of [[1, 784, 13, 10], [37, 784, 13, 10], [100, 784, 1000, 10]]) {
      it(`loss and every gradient agree (N=${N}, ${I}-${H}-${C})`, () => {
        const m = gemmnet.mlp({ inputs: I, hidden: H, classes: C, seed: 5 });
        m.setWeights({ b_h: rand(H, 1).map((v) => v * 0.1), b_o: rand(C, 2).map((v) => v * 0.1) });
        const x = rand(N * I, 3).map((v) => (v + 1) / 2);
        const labels = labelsFor(N, C, 4);
        const { loss, grads } = m.lossAndGradients(x, labels);
        const weights = Object.fromEntries(Object.entries(m.getWeights()).map(([k, v]) => [k, { data: v, shape: m.shapes[k] }]));
        const ref = numpyGradients({ model: 'mlp', options: {}, weights, x: { data: x, shape: [N, I] }, labels });
        assert.ok(Math.abs(loss - ref.loss) / ref.loss < 1e-5, `loss ${loss} vs ${ref.loss}`);
        for (const name of Object.keys(grads)) {
          const err = relNormErr(grads[name], ref.grads[name]);
          assert.ok(err <= 1e-3, `${name}: relative error ${err}`);
        }
      });
    }
  });

  it('predict gives softmax rows; evaluate gives loss and accuracy', () => {
    const m = gemmnet.mlp({ inputs: 6, hidden: 5, classes: 3 });
    const x = rand(4 * 6, 1);
    const p = m.predict(x);
    assert.strictEqual(p.length, 12);
    for (let r = 0; r < 4; r++) {
      const s = p[r * 3] + p[r * 3 + 1] + p[r * 3 + 2];
      assert.ok(Math.abs(s - 1) < 1e-5);
    }
    const labels = Uint8Array.of(0, 1, 2, 0);
    const { loss, accuracy } = m.evaluate(x, labels);
    let expected = 0;
    let hits = 0;
    for (let r = 0; r < 4; r++) {
      expected -= Math.log(p[r * 3 + labels[r]]);
      const row = Array.from(p.subarray(r * 3, r * 3 + 3));
      hits += row.indexOf(Math.max(...row)) === labels[r] ? 1 : 0;
    }
    assert.ok(Math.abs(loss - expected / 4) < 1e-5);
    assert.strictEqual(accuracy, hits / 4);
    // Evaluation in chunks gives the same answer as one pass.
    assert.ok(Math.abs(m.evaluate(x, labels, 3).loss - loss) < 1e-6);
  });

  it('rejects bad arguments with errors that name them', () => {
    assert.throws(() => gemmnet.mlp({ hidden: 0 }), /hidden must be an integer in \[1,/);
    assert.throws(() => gemmnet.mlp({ hidden: 1.5 }), RangeError);
    assert.throws(() => gemmnet.mlp({ hidden: 1e12 }), RangeError);
    assert.throws(() => gemmnet.mlp({ hidden: '100' }), TypeError);
    assert.throws(() => gemmnet.mlp({ hiden: 100 }), /unknown option "hiden"/);
    assert.throws(() => gemmnet.mlp({ hidden: null }), /hidden is null; leave it out to use its default/);
    assert.throws(() => gemmnet.mlp({ seed: -1 }), RangeError);
    const m = gemmnet.mlp({ inputs: 4, hidden: 3, classes: 2 });
    assert.throws(() => m.predict(new Float32Array(6)), /not a positive multiple of the input size 4/);
    assert.throws(() => m.predict(null), TypeError);
    assert.throws(() => m.predict('abc'), TypeError);
    assert.throws(() => m.predict([1, 2, 3, 4]), /Float32Array/);
    assert.throws(() => m.evaluate(new Float32Array(8), Uint8Array.of(0)), /1 labels but x has 2 samples/);
    assert.throws(() => m.evaluate(new Float32Array(8), Uint8Array.of(0, 2)), /labels\[1\] = 2 is outside/);
    assert.throws(() => m.lossAndGradients(new Float32Array(4), Float32Array.of(0.5)), TypeError);
  });
});
