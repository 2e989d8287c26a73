'use strict';
const assert = require('assert');
const gemmnet = require('../..');
const { rand, relNormErr, assertResponsive } = require('../helpers/util');
const { hasNumpy, numpyGradients } = require('../helpers/numpy');
const { standardSplit } = require('../helpers/data');

function labelsFor(N, C, seed) {
  return Int32Array.from(rand(N, seed), (v) => Math.floor(((v + 1) / 2) * C) % C);
}

/** A small CNN with non-zero biases (so every gradient path is exercised) and a batch of images. */
function smallCase({ filters, fc, N, mode, l2, seed, eps = 1e-9 }) {
  const model = gemmnet.cnn({ filters, fc, l2, batchNorm: { mode, eps }, seed });
  const shapes = model.shapes;
  model.setWeights({
    b_conv: rand(filters, seed + 1).map((v) => v * 0.1),
    b_fc1: rand(fc, seed + 2).map((v) => v * 0.1),
    b_fc2: rand(10, seed + 3).map((v) => v * 0.1),
  });
  const x = rand(N * 784, seed + 4).map((v) => (v + 1) / 2);
  const labels = labelsFor(N, 10, seed + 5);
  return { model, shapes, x, labels };
}

const CASES = [
  { filters: 4, fc: 16, N: 5, mode: 'channel', l2: 0, seed: 1 },
  { filters: 3, fc: 20, N: 9, mode: 'channel', l2: 0.1, seed: 2 },
  { filters: 4, fc: 20, N: 7, mode: 'batch', l2: 0, seed: 3 },
  { filters: 3, fc: 16, N: 8, mode: 'batch', l2: 0.5, seed: 4 },
];

describe('CNN', () => {
  it('builds the course network with named weights in the documented layouts', () => {
    const m = gemmnet.cnn();
    assert.deepStrictEqual(m.shapes, {
      W_conv: [3, 3, 1, 32], b_conv: [32], W_fc1: [6272, 784], b_fc1: [784], W_fc2: [784, 10], b_fc2: [10],
    });
    const w = m.getWeights();
    // Xavier for a convolution: fan_in = 3*3*1, fan_out = 3*3*32.
    let s2 = 0;
    for (const v of w.W_fc1) s2 += v * v;
    assert.ok(Math.abs(s2 / w.W_fc1.length / (2 / (6272 + 784)) - 1) < 0.01);
  });

  describe('gradients against a NumPy float64 implementation of the derivation', () => {
    before(function () {
      if (!hasNumpy()) this.skip();
    });
    for (const c of CASES) {
      it(`agree for filters=${c.filters} fc=${c.fc} N=${c.N} batchNorm=${c.mode} l2=${c.l2}`, () => {
        const { model, shapes, x, labels } = smallCase(c);
        const { loss, grads } = model.lossAndGradients(x, labels);
        const weights = Object.fromEntries(Object.entries(model.getWeights()).map(([k, v]) => [k, { data: v, shape: shapes[k] }]));
        const ref = numpyGradients({
          model: 'cnn',
          options: { filters: c.filters, kernel: 3, fc: c.fc, classes: 10, l2: c.l2, batchNorm: { mode: c.mode, eps: 1e-9 } },
          weights,
          x: { data: x, shape: [c.N, 28, 28, 1] },
          labels,
        });
        assert.ok(Math.abs(loss - ref.loss) / ref.loss < 1e-4, `loss ${loss} vs ${ref.loss}`);
        for (const name of Object.keys(grads)) {
          const err = relNormErr(grads[name], ref.grads[name]);
          assert.ok(err <= 2e-3, `${name}: relative error ${err}`);
        }
      });
    }
  });

  // Per-activation batch norm over a handful of samples is sharply curved where a ReLU switches, so
  // its finite-difference check uses a larger eps; the NumPy comparison above covers eps = 1e-9.
  for (const c of [{ ...CASES[0], tol: 1e-3 }, { ...CASES[3], eps: 1e-3, tol: 3e-2 }]) {
    it(`gradients agree with finite differences along each gradient (batchNorm=${c.mode}, l2=${c.l2})`, () => {
      const { model, x, labels } = smallCase(c);
      const { grads } = model.lossAndGradients(x, labels);
      const base = model.getWeights();
      // A step of 3e-4 along the unit gradient keeps float32 loss differences well above rounding.
      const h = 3e-4;
      for (const name of Object.keys(grads)) {
        const g = grads[name];
        let norm = 0;
        for (const v of g) norm += v * v;
        norm = Math.sqrt(norm);
        if (norm === 0) continue;
        const at = (sign) => {
          const w = base[name].slice();
          for (let i = 0; i < w.length; i++) w[i] += (sign * h * g[i]) / norm;
          model.setWeights({ [name]: w });
          return model.lossAndGradients(x, labels).loss;
        };
        const numeric = (at(1) - at(-1)) / (2 * h);
        model.setWeights({ [name]: base[name] });
        const err = Math.abs(numeric - norm) / norm;
        if (process.env.GEMMNET_TEST_VERBOSE) console.log(`      ${name}: ${err.toExponential(2)}`);
        assert.ok(err < c.tol, `${name}: directional derivative ${numeric} vs |grad| ${norm} (error ${err})`);
      }
    });
  }

  it('dropout is active in training only, seeded, and scales kept units by 1/keepProb', () => {
    const a = gemmnet.cnn({ filters: 3, fc: 16, keepProb: 0.5, seed: 9 });
    const b = gemmnet.cnn({ filters: 3, fc: 16, keepProb: 0.5, seed: 9 });
    const noDrop = gemmnet.cnn({ filters: 3, fc: 16, keepProb: 1, seed: 9 });
    const x = rand(4 * 784, 1).map((v) => (v + 1) / 2);
    const y = Int32Array.of(1, 2, 3, 4);
    const la = a.lossAndGradients(x, y);
    const lb = b.lossAndGradients(x, y);
    assert.strictEqual(la.loss, lb.loss, 'same seed, same masks');
    assert.notStrictEqual(la.loss, noDrop.lossAndGradients(x, y).loss, 'dropout changes the training loss');
    // Evaluation is deterministic and dropout-free: identical to the keepProb = 1 model (same weights).
    assert.deepStrictEqual(a.predict(x), a.predict(x));
  });

  it('batch norm: running averages at evaluation by default, batch statistics on request', async () => {
    const { train } = standardSplit();
    const small = { x: train.x.subarray(0, 784 * 64), y: train.y.subarray(0, 64) };
    const running = gemmnet.cnn({ filters: 4, fc: 16, seed: 3 });
    const batchStats = gemmnet.cnn({ filters: 4, fc: 16, seed: 3, batchNorm: { evaluation: 'batch' } });
    await gemmnet.train(running, small, { epochs: 1, batchSize: 16, seed: 1 });
    await gemmnet.train(batchStats, small, { epochs: 1, batchSize: 16, seed: 1 });
    assert.deepStrictEqual(running.getWeights().W_fc2, batchStats.getWeights().W_fc2, 'training is the same');
    // With batch statistics, the evaluation loss equals the training-mode loss on the same batch.
    const trainingLoss = batchStats.lossAndGradients(small.x, small.y).loss;
    assert.ok(Math.abs(batchStats.evaluate(small.x, small.y, 64).loss - trainingLoss) < 1e-5);
    assert.ok(Math.abs(running.evaluate(small.x, small.y, 64).loss - trainingLoss) > 1e-4);
  });

  it('predict() runs the conv, norm and pool layers on parts of a large batch with the bits of one whole pass', async () => {
    const { native } = require('../../lib/native');
    const { x, y } = standardSplit().train;
    const n = 77;  // parts of 32, 32 and 13
    const xs = x.subarray(0, n * 784);
    for (const model of [gemmnet.cnn({ seed: 4 }), gemmnet.cnn({ seed: 5, batchNorm: { mode: 'batch', evaluation: 'batch' } }),
      gemmnet.sequential({ input: [28, 28, 1], seed: 6, layers: [gemmnet.layers.conv2d({ filters: 6, kernel: 5, padding: 'same' }),
        gemmnet.layers.relu(), gemmnet.layers.maxPool2d({ size: 2 }), gemmnet.layers.batchNorm(), gemmnet.layers.flatten(),
        gemmnet.layers.dense({ units: 10 })] })]) {
      // Running averages away from their start, so the normalization is not the identity.
      await gemmnet.train(model, { x: x.subarray(0, 96 * 784), y: y.subarray(0, 96) }, { epochs: 1, batchSize: 32 });
      let h = xs;
      for (const layer of model.layers) h = layer.forward(h, n, model.evalMode);
      const whole = new Float32Array(n * 10);
      native.softmaxForward(h, whole, n, 10);
      const parts = model.predict(xs);
      parts.forEach((v, i) => assert.ok(Object.is(v, whole[i]), `output ${i}: ${v} in parts, ${whole[i]} whole`));
    }
  });

  it('rejects bad options', () => {
    assert.throws(() => gemmnet.cnn({ keepProb: 0 }), /keepProb must be >= 0.000001/);
    assert.throws(() => gemmnet.cnn({ keepProb: 1e-300 }), /keepProb must be >= 0.000001/);
    assert.throws(() => gemmnet.cnn({ keepProb: 1.5 }), /keepProb must be <= 1/);
    assert.throws(() => gemmnet.cnn({ keepProb: NaN }), RangeError);
    assert.throws(() => gemmnet.cnn({ l2: -0.1 }), /l2 must be >= 0/);
    assert.throws(() => gemmnet.cnn({ filters: 0 }), RangeError);
    assert.throws(() => gemmnet.cnn({ batchNorm: { mode: 'layer' } }), /batchNorm.mode must be one of/);
    assert.throws(() => gemmnet.cnn({ dropout: 0.5 }), /unknown option "dropout"/);
    const m = gemmnet.cnn({ filters: 2, fc: 8 });
    assert.throws(() => m.predict(new Float32Array(100)), /multiple of the input size 784/);
  });

  it('keeps the event loop responsive while training and evaluating', async () => {
    const data = standardSplit();
    const model = gemmnet.cnn({ seed: 1 });
    const small = { x: data.train.x.subarray(0, 784 * 1600), y: data.train.y.subarray(0, 1600) };
    await assertResponsive(() => gemmnet.train(model, small, { epochs: 1, validation: data.valid }));
  });

  it('predict() and evaluate() called while train() is running leave training unchanged', async () => {
    const data = standardSplit();
    const small = { x: data.train.x.subarray(0, 784 * 320), y: data.train.y.subarray(0, 320) };
    const run = async (interfere) => {
      // The course's size: its steps are long enough that train() yields in the middle of them.
      const model = gemmnet.cnn({ keepProb: 0.8, seed: 5 });
      let calls = 0;
      const timer = interfere && setInterval(() => {
        model.predict(data.test.x.subarray(0, 784 * 7));
        model.evaluate(data.test.x.subarray(0, 784 * 9), data.test.y.subarray(0, 9));
        calls++;
      }, 0);
      try {
        await gemmnet.train(model, small, { epochs: 2, batchSize: 32, validation: { x: data.valid.x.subarray(0, 784 * 400), y: data.valid.y.subarray(0, 400) } });
      } finally {
        if (timer) clearInterval(timer);
      }
      return { weights: model.getWeights(), calls };
    };
    const quiet = await run(false);
    const busy = await run(true);
    assert.ok(busy.calls > 5, `only ${busy.calls} interfering calls ran`);
    for (const k of Object.keys(quiet.weights)) assert.deepStrictEqual(busy.weights[k], quiet.weights[k], k);
  });

  it('trains with the course recipe (Adam 1e-4, batch 32, shuffled) to test accuracy >= 0.88 in 3 epochs', async () => {
    const data = standardSplit();
    const model = gemmnet.cnn({ seed: 521 });
    const history = await gemmnet.train(model, data.train, {
      epochs: 3,
      batchSize: 32,
      optimizer: gemmnet.adam({ lr: 1e-4 }),
      validation: data.valid,
      test: data.test,
    });
    for (const r of history.epochs) {
      console.log(`      ${data.name} epoch ${r.epoch}: ${r.seconds.toFixed(2)}s train ${r.train.loss.toFixed(4)}/${r.train.accuracy.toFixed(4)}` +
        ` valid ${r.valid.loss.toFixed(4)}/${r.valid.accuracy.toFixed(4)} test ${r.test.loss.toFixed(4)}/${r.test.accuracy.toFixed(4)}`);
    }
    const last = history.epochs[2];
    assert.ok(last.train.loss < history.epochs[0].train.loss);
    assert.ok(last.test.accuracy >= 0.88, `test accuracy ${last.test.accuracy}`);
  });
});
