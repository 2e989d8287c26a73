'use strict';
const assert = require('assert');
const gemmnet = require('../..');
const { standardSplit } = require('../helpers/data');
const { assertResponsive } = require('../helpers/util');

describe('train() with the MLP on real data', () => {
  let data;
  before(() => {
    data = standardSplit();
  });

  it('784-1000-10, momentum 0.01/0.9, batch 100, 10 epochs reaches test accuracy >= 0.88', async () => {
    const model = gemmnet.mlp({ inputs: 784, hidden: 1000, classes: 10, seed: 521 });
    const seen = [];
    const history = await gemmnet.train(model, { x: data.train.x, y: data.train.y }, {
      epochs: 10,
      batchSize: 100,
      optimizer: gemmnet.momentum({ lr: 0.01, gamma: 0.9 }),
      validation: data.valid,
      test: data.test,
      onEpoch: (r) => seen.push(r.epoch),
    });
    assert.deepStrictEqual(seen, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.strictEqual(history.epochs.length, 10);
    for (const r of history.epochs) {
      assert.ok(r.seconds > 0);
      for (const set of ['train', 'valid', 'test']) {
        assert.ok(Number.isFinite(r[set].loss) && r[set].accuracy >= 0 && r[set].accuracy <= 1);
      }
    }
    const first = history.epochs[0];
    const last = history.epochs[9];
    assert.ok(last.train.loss < first.train.loss, 'training loss goes down');
    console.log(`      ${data.name}: ` + history.epochs.map((r) => `${r.epoch}: ${r.test.accuracy.toFixed(4)}`).join(', '));
    assert.ok(last.test.accuracy >= 0.88, `test accuracy ${last.test.accuracy}`);
    // The model's own evaluate agrees with the history.
    const ev = model.evaluate(data.test.x, data.test.y);
    assert.ok(Math.abs(ev.accuracy - last.test.accuracy) < 1e-9);
  });

  it('the same seeds give bit-identical weights run after run', async () => {
    const run = async () => {
      const m = gemmnet.mlp({ hidden: 64, seed: 1 });
      await gemmnet.train(m, { x: data.train.x.subarray(0, 784 * 1000), y: data.train.y.subarray(0, 1000) }, { epochs: 2, seed: 9 });
      return m.getWeights();
    };
    const a = await run();
    const b = await run();
    for (const k of Object.keys(a)) assert.ok(Buffer.from(a[k].buffer).equals(Buffer.from(b[k].buffer)), k);
  });

  it('early stopping watches validation loss, stops after `patience` and restores the best epoch', async () => {
    const model = gemmnet.mlp({ hidden: 100, seed: 2 });
    const small = { x: data.train.x.subarray(0, 784 * 500), y: data.train.y.subarray(0, 500) };
    let bestWeights = null;
    let bestLoss = Infinity;
    const history = await gemmnet.train(model, small, {
      epochs: 60,
      batchSize: 50,
      optimizer: gemmnet.momentum({ lr: 0.05, gamma: 0.9 }),
      validation: data.valid,
      earlyStopping: { patience: 2 },
      onEpoch: (r, m) => {
        if (r.valid.loss < bestLoss) {
          bestLoss = r.valid.loss;
          bestWeights = m.getWeights();
        }
      },
    });
    assert.strictEqual(history.stopReason, 'early-stopping');
    const n = history.epochs.length;
    assert.ok(n < 60);
    assert.strictEqual(history.bestEpoch, n - 3);
    const losses = history.epochs.map((r) => r.valid.loss);
    assert.strictEqual(Math.min(...losses), losses[history.bestEpoch - 1]);
    assert.deepStrictEqual(model.getWeights().W_o, bestWeights.W_o);
  });

  it('onEpoch returning false and an AbortSignal both stop training', async () => {
    const model = gemmnet.mlp({ hidden: 16 });
    const small = { x: data.train.x.subarray(0, 784 * 200), y: data.train.y.subarray(0, 200) };
    const h1 = await gemmnet.train(model, small, { epochs: 5, onEpoch: (r) => r.epoch < 2 });
    assert.strictEqual(h1.epochs.length, 2);
    assert.strictEqual(h1.stopReason, 'callback');
    const ac = new AbortController();
    const h2 = await gemmnet.train(model, small, { epochs: 5, batchSize: 10, signal: ac.signal, onBatch: (b) => b.batch === 3 && b.epoch === 2 && ac.abort() });
    assert.strictEqual(h2.epochs.length, 1);
    assert.strictEqual(h2.stopReason, 'aborted');
  });

  it('keeps the event loop responsive while training', async () => {
    const model = gemmnet.mlp({ hidden: 1000 });
    await assertResponsive(() => gemmnet.train(model, { x: data.train.x, y: data.train.y }, { epochs: 1, validation: data.valid }));
  });

  it('a diverging run stops with an error naming the epoch and batch', async () => {
    const model = gemmnet.mlp({ hidden: 32 });
    const small = { x: data.train.x.subarray(0, 784 * 300), y: data.train.y.subarray(0, 300) };
    await assert.rejects(
      gemmnet.train(model, small, { epochs: 5, optimizer: gemmnet.momentum({ lr: 1e20 }) }),
      /loss became (NaN|Infinity) at epoch \d+, batch \d+ of 3/,
    );
  });

  it('rejects bad arguments', async () => {
    const model = gemmnet.mlp({ hidden: 8 });
    const d = { x: data.train.x.subarray(0, 784 * 10), y: data.train.y.subarray(0, 10) };
    await assert.rejects(gemmnet.train(model, d, { epochs: 0 }), RangeError);
    await assert.rejects(gemmnet.train(model, d, { epochs: 1, batchSize: 0 }), /batchSize/);
    await assert.rejects(gemmnet.train(model, d, { epochs: 1, optimizer: {} }), TypeError);
    await assert.rejects(gemmnet.train(model, { x: d.x, y: d.y.subarray(0, 9) }, { epochs: 1 }), /9 labels but x has 10 samples/);
    await assert.rejects(gemmnet.train(model, d, { epochs: 1, earlyStopping: { patience: 1 } , epoch: 3 }), /unknown option "epoch"/);
    await assert.rejects(gemmnet.train(model, d, { epochs: 1, earlyStopping: { patience: 1, monitor: 'valid.loss' } }), /needs validation data/);
    await assert.rejects(gemmnet.train({}, d, { epochs: 1 }), TypeError);
    assert.throws(() => gemmnet.momentum({ lr: NaN }), /lr must be a finite number/);
    assert.throws(() => gemmnet.momentum({ lr: -1 }), RangeError);
    assert.throws(() => gemmnet.adam({ lr: 0 }), RangeError);
  });
});
