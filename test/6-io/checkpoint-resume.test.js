'use strict';
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const gemmnet = require('../..');
const { standardSplit } = require('../helpers/data');

function same(a, b) {
  for (const k of Object.keys(a)) assert.ok(Buffer.from(a[k].buffer, a[k].byteOffset, a[k].byteLength).equals(Buffer.from(b[k].buffer, b[k].byteOffset, b[k].byteLength)), k);
}

function stripTimes(h) {
  return h.epochs.map(({ seconds, ...rest }) => rest);
}

describe('train() checkpoints and resumption', () => {
  let data;
  let dir;
  before(() => {
    data = standardSplit();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gemmnet-ckpt-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const cases = {
    'MLP with momentum': {
      make: () => gemmnet.mlp({ hidden: 48, seed: 4 }),
      opt: () => gemmnet.momentum({ lr: 0.02, gamma: 0.9 }),
      n: 1200,
      batchSize: 50,
    },
    'CNN with dropout, L2, batch norm and Adam': {
      make: () => gemmnet.cnn({ filters: 3, fc: 16, keepProb: 0.6, l2: 0.01, seed: 4 }),
      opt: () => gemmnet.adam({ lr: 1e-3 }),
      n: 240,
      batchSize: 32,
    },
  };

  for (const [name, c] of Object.entries(cases)) {
    it(`${name}: an interrupted run resumed from its checkpoint ends bit-identical to an uninterrupted one`, async () => {
      const train = { x: data.train.x.subarray(0, 784 * c.n), y: data.train.y.subarray(0, c.n) };
      const common = { batchSize: c.batchSize, validation: data.valid, seed: 11, earlyStopping: { patience: 10 } };
      const full = c.make();
      const h1 = await gemmnet.train(full, train, { ...common, epochs: 4, optimizer: c.opt() });

      const file = path.join(dir, `${name.split(' ')[0]}.safetensors`);
      const first = c.make();
      await gemmnet.train(first, train, { ...common, epochs: 2, optimizer: c.opt(), checkpoint: file });
      assert.ok(fs.existsSync(file));
      const resumed = c.make();
      const h2 = await gemmnet.train(resumed, train, { ...common, epochs: 4, optimizer: c.opt(), resumeFrom: file, checkpoint: file });
      same(full.getWeights(), resumed.getWeights());
      assert.deepStrictEqual(stripTimes(h2), stripTimes(h1));
      assert.strictEqual(h2.bestEpoch, h1.bestEpoch);
      // The checkpoint is also a saved model.
      const loaded = gemmnet.load(file);
      same(loaded.getWeights(), resumed.getWeights());
      assert.deepStrictEqual(loaded.predict(data.test.x.subarray(0, 784 * 20)), resumed.predict(data.test.x.subarray(0, 784 * 20)));
    });
  }

  it('a diverging run stops with a clear error and leaves the last good checkpoint', async () => {
    const train = { x: data.train.x.subarray(0, 784 * 300), y: data.train.y.subarray(0, 300) };
    const file = path.join(dir, 'diverge.safetensors');
    const model = gemmnet.mlp({ hidden: 32 });
    await gemmnet.train(model, train, { epochs: 1, checkpoint: file });
    const good = model.getWeights();
    await assert.rejects(
      gemmnet.train(gemmnet.mlp({ hidden: 32 }), train, {
        epochs: 3, checkpoint: file, resumeFrom: file, optimizer: gemmnet.momentum({ lr: 1e20 }),
      }),
      /loss became (NaN|Infinity) at epoch 2, batch \d+/,
    );
    same(gemmnet.load(file).getWeights(), good);
  });

  it('refuses a checkpoint of another model, optimizer or data set', async () => {
    const train = { x: data.train.x.subarray(0, 784 * 100), y: data.train.y.subarray(0, 100) };
    const file = path.join(dir, 'other.safetensors');
    await gemmnet.train(gemmnet.mlp({ hidden: 8 }), train, { epochs: 1, checkpoint: file });
    await assert.rejects(gemmnet.train(gemmnet.mlp({ hidden: 9 }), train, { epochs: 2, resumeFrom: file }), /written for a mlp with options/);
    await assert.rejects(gemmnet.train(gemmnet.mlp({ hidden: 8 }), train, { epochs: 2, resumeFrom: file, optimizer: gemmnet.adam() }), /trained with momentum/);
    const fewer = { x: train.x.subarray(0, 784 * 50), y: train.y.subarray(0, 50) };
    await assert.rejects(gemmnet.train(gemmnet.mlp({ hidden: 8 }), fewer, { epochs: 2, resumeFrom: file }), /trained on 100 samples/);
    await assert.rejects(gemmnet.train(gemmnet.mlp({ hidden: 8 }), train, { epochs: 2, resumeFrom: path.join(dir, 'missing') }), /ENOENT|no such file|does not exist/i);
    await assert.rejects(gemmnet.train(gemmnet.mlp({ hidden: 8 }), train, { epochs: 2, checkpoint: 42 }), TypeError);
  });
});
