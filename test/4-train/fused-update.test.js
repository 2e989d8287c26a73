'use strict';
// A dense layer's backward pass fused with the optimizer's update of its weights must give what the
// separate steps give (backward, g += l2 * W, update), bit for bit; train() uses it for every dense
// layer when the optimizer is momentum() or adam().
const assert = require('assert');
const gemmnet = require('../..');
const { native } = require('../../lib/native');
const { rand, throwsLike } = require('../helpers/util');
const { standardSplit } = require('../helpers/data');

function same(a, b, what) {
  assert.strictEqual(a.length, b.length, `${what}: length`);
  const A = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const B = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (!A.equals(B)) {
    let i = 0;
    while (a[i] === b[i] || (Number.isNaN(a[i]) && Number.isNaN(b[i]))) i++;
    assert.fail(`${what}: element ${i} differs: ${a[i]} vs ${b[i]}`);
  }
}

function sumSquares64(w) {
  let s = 0;
  for (const v of w) s += v * v;
  return s;
}

describe('dense backward fused with the optimizer update', () => {
  // Shapes: one block on the calling thread, many blocks over the pool (batch 32 and 100), a batch
  // of one, and an empty batch.
  const shapes = [[5, 7, 3], [32, 700, 300], [100, 784, 120], [1, 300, 200], [0, 40, 30]];
  for (const kind of ['momentum', 'adam']) {
    for (const [N, I, O] of shapes) {
      for (const l2 of [0, 0.1]) {
        for (const withDx of [true, false]) {
          it(`${kind}, N=${N} I=${I} O=${O}, l2=${l2}${withDx ? '' : ', no dx'}: equal to the separate steps`, () => {
            const x = rand(N * I, 1), dy = rand(N * O, 2), W0 = rand(I * O, 3).map((v) => v * 0.1);
            const s1 = rand(I * O, 4).map((v) => Math.abs(v) * 1e-3), s2 = rand(I * O, 5).map((v) => Math.abs(v) * 1e-4);
            // Separate: backward, decay, update.
            const W = W0.slice(), dW = new Float32Array(I * O), db = new Float32Array(O), dx = withDx ? new Float32Array(N * I) : null;
            const a1 = s1.slice(), a2 = s2.slice();
            native.denseBackward(x, W, dy, dW, db, dx, N, I, O, false);
            const squares = l2 > 0 ? native.sumSquares(W) : 0;
            if (l2 > 0) native.axpy(l2, W, dW);
            if (kind === 'momentum') native.momentumUpdate(W, dW, a1, 0.01, 0.9);
            else native.adamUpdate(W, dW, a1, a2, 1e-3, 0.9, 0.999, 1e-8, 7);
            // Fused.
            const Wf = W0.slice(), dbf = new Float32Array(O).fill(NaN), dxf = withDx ? new Float32Array(N * I).fill(NaN) : null;
            const b1 = s1.slice(), b2 = s2.slice();
            const rule = kind === 'momentum' ? { kind, v: b1, lr: 0.01, gamma: 0.9 }
              : { kind, m: b1, v: b2, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, t: 7 };
            const sq = native.denseBackwardUpdate(x, Wf, dy, dbf, dxf, N, I, O, l2, rule);
            same(Wf, W, 'W');
            same(b1, a1, kind === 'momentum' ? 'v' : 'm');
            if (kind === 'adam') same(b2, a2, 'v');
            same(dbf, db, 'db');
            if (withDx) same(dxf, dx, 'dx');
            if (l2 > 0) assert.ok(Math.abs(sq - squares) <= 1e-6 * squares, `sum of squares ${sq} vs ${squares}`);
            else assert.strictEqual(sq, 0);
            assert.ok(Math.abs(sumSquares64(W0) - (l2 > 0 ? sq : sumSquares64(W0))) <= 1e-5 * sumSquares64(W0));
          });
        }
      }
    }
  }

  it('refuses malformed rules and short buffers with errors a caller can act on', () => {
    const [N, I, O] = [2, 3, 4];
    const args = () => [rand(N * I), rand(I * O), rand(N * O), new Float32Array(O), new Float32Array(N * I), N, I, O, 0];
    throwsLike(() => native.denseBackwardUpdate(...args(), null), TypeError, /rule must be an object/);
    throwsLike(() => native.denseBackwardUpdate(...args(), { kind: 'sgd' }), TypeError, /rule.kind must be 'momentum' or 'adam'/);
    throwsLike(() => native.denseBackwardUpdate(...args(), { kind: 'momentum', v: new Float32Array(11), lr: 1, gamma: 0 }),
      RangeError, /rule.v has 11 elements, needs 12/);
    throwsLike(() => native.denseBackwardUpdate(...args(), { kind: 'momentum', v: new Float64Array(12), lr: 1, gamma: 0 }),
      TypeError, /rule.v must be a Float32Array/);
    throwsLike(() => native.denseBackwardUpdate(...args(), { kind: 'momentum', v: new Float32Array(12), lr: NaN, gamma: 0 }),
      RangeError, /rule.lr must be finite/);
    throwsLike(() => native.denseBackwardUpdate(...args(),
      { kind: 'adam', m: new Float32Array(12), v: new Float32Array(12), lr: 1, beta1: 0.9, beta2: 0.9, eps: 0, t: 0 }),
    RangeError, /rule.t must be at least 1/);
    const a = args();
    a[1] = rand(I * O - 1);
    throwsLike(() => native.denseBackwardUpdate(...a, { kind: 'momentum', v: new Float32Array(12), lr: 1, gamma: 0 }),
      RangeError, /W has 11 elements, needs 12/);
  });

  describe('train() with fused updates equals train() with separate ones', () => {
    let data;
    before(() => {
      data = standardSplit();
    });
    // The same optimizer without its fused rule: train() then updates every weight after backward.
    const separate = (o) => ({ name: o.name, config: o.config, step: o.step, beginStep: o.beginStep, update: o.update,
      getState: o.getState, setState: o.setState });

    for (const [name, make, opt, rows, batchSize] of [
      ['MLP with momentum', () => gemmnet.mlp({ hidden: 300, seed: 3 }), () => gemmnet.momentum(), 1000, 100],
      ['CNN with Adam, L2 and dropout', () => gemmnet.cnn({ l2: 0.1, keepProb: 0.75, fc: 200, seed: 4 }),
        () => gemmnet.adam({ lr: 1e-3 }), 256, 32],
    ]) {
      it(`${name}: the same weights bit for bit, the same losses`, async () => {
        const set = { x: data.train.x.subarray(0, rows * 784), y: data.train.y.subarray(0, rows) };
        const run = async (fused) => {
          const model = make();
          const o = opt();
          const h = await gemmnet.train(model, set, { epochs: 2, batchSize, seed: 5, optimizer: fused ? o : separate(o) });
          return { weights: model.getWeights(), state: o.getState(), losses: h.epochs.map((e) => e.train.loss) };
        };
        const a = await run(true);
        const b = await run(false);
        for (const k of Object.keys(b.weights)) same(a.weights[k], b.weights[k], k);
        for (const k of Object.keys(b.state.buffers)) same(a.state.buffers[k], b.state.buffers[k], `optimizer ${k}`);
        assert.strictEqual(a.state.step, b.state.step);
        a.losses.forEach((l, i) => assert.ok(Math.abs(l - b.losses[i]) <= 1e-6 * b.losses[i], `loss ${l} vs ${b.losses[i]}`));
      });
    }
  });
});
