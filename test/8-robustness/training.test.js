'use strict';
// Hostile inputs to training: labels that would wrap when converted, data detached mid-run, an
// abort in an epoch's last batch, predict() during the validation pass, option values of the wrong
// type, a checkpoint path that cannot be written and checkpoint metadata that lies.
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const g = require('../..');
const { standardSplit } = require('../helpers/data');
const { throwsLike, rejectsLike } = require('../helpers/util');

const small = (n = 64, seed = 1) => {
  const d = standardSplit().train;
  return { x: d.x.subarray(0, n * 784), y: d.y.subarray(0, n) };
};
const mlp = () => g.mlp({ hidden: 16, seed: 3 });

let tmp;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gemmnet-training-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('training: labels are checked as given, not as converted', () => {
  const x = new Float32Array(2 * 784);

  it('a plain-array 2**32 + 1 is refused, not read as 1', () => {
    throwsLike(() => mlp().evaluate(x, [0, 2 ** 32 + 1]), RangeError, /labels\[1\] = 4294967297 is outside/);
    return rejectsLike(g.train(mlp(), { x, y: [0, 2 ** 32 + 1] }, { epochs: 1 }), RangeError, /data\.y\[1\] = 4294967297/);
  });

  it('a Uint32Array 4294967295 is reported as itself, not as -1', () => {
    throwsLike(() => mlp().lossAndGradients(x, new Uint32Array([0, 4294967295])), RangeError, /labels\[1\] = 4294967295/);
  });

  it('a label that is not a number is named', () => {
    throwsLike(() => mlp().evaluate(x, [0, '1']), TypeError, /labels must be class indices \(numbers\), got labels\[1\] = the string "1"/);
  });

  it('a getter is read once: the value checked is the value used', () => {
    let reads = 0;
    const y = [0, 0];
    Object.defineProperty(y, 1, { get: () => (reads++ === 0 ? 1 : 1e9), enumerable: true });
    const m = mlp().evaluate(x, y);
    assert.ok(Number.isFinite(m.loss));
    assert.strictEqual(reads, 1);
  });

  it('averageCE refuses a target row that is not one-hot ([1, 1, 0])', () => {
    const p = { data: new Float32Array([0.5, 0.25, 0.25]), shape: [1, 3] };
    throwsLike(() => g.averageCE({ data: new Float32Array([1, 1, 0]), shape: [1, 3] }, p), RangeError, /not one-hot/);
    throwsLike(() => g.gradCE({ data: new Float32Array([1, 0, 0.5]), shape: [1, 3] }, p), RangeError, /not one-hot/);
    assert.ok(g.averageCE({ data: new Float32Array([0, 1, 0]), shape: [1, 3] }, p) > 0);
  });
});

describe('training: data detached or aborted mid-run', function () {
  this.timeout(60000);

  it('x detached during training is an error naming it, not zeros', async () => {
    const d = small(256);
    const x = d.x.slice();
    await rejectsLike(g.train(mlp(), { x, y: d.y }, {
      epochs: 2, batchSize: 32,
      onBatch: ({ batch }) => { if (batch === 2) structuredClone(x.buffer, { transfer: [x.buffer] }); },
    }), Error, /data\.x was detached/);
  });

  it('y detached during training does not change the run (the labels were copied)', async () => {
    const d = small(128);
    const y = Int32Array.from(d.y);
    const a = await g.train(mlp(), { x: d.x, y }, {
      epochs: 1, batchSize: 32, onBatch: ({ batch }) => { if (batch === 1) structuredClone(y.buffer, { transfer: [y.buffer] }); },
    });
    const b = await g.train(mlp(), { x: d.x, y: d.y }, { epochs: 1, batchSize: 32 });
    assert.strictEqual(a.epochs[0].train.loss, b.epochs[0].train.loss);
  });

  it('an abort during the last batch of an epoch keeps that epoch (recorded and checkpointed)', async () => {
    const d = small(64);
    const ckpt = path.join(tmp, 'abort-last.safetensors');
    const ac = new AbortController();
    const h = await g.train(mlp(), d, {
      epochs: 5, batchSize: 32, checkpoint: ckpt, signal: ac.signal,
      onBatch: ({ epoch, batch, batches }) => { if (epoch === 2 && batch === batches) ac.abort(); },
    });
    assert.strictEqual(h.stopReason, 'aborted');
    assert.strictEqual(h.epochs.length, 2);
    assert.strictEqual(g.readCheckpoint(ckpt).meta.training.epoch, 2);
  });

  it('an abort before the last batch still drops the partial epoch', async () => {
    const d = small(96);
    const ac = new AbortController();
    const h = await g.train(mlp(), d, {
      epochs: 5, batchSize: 32, signal: ac.signal,
      onBatch: ({ epoch, batch }) => { if (epoch === 2 && batch === 2) ac.abort(); },
    });
    assert.strictEqual(h.stopReason, 'aborted');
    assert.strictEqual(h.epochs.length, 1);
  });
});

describe('training: predict() during the validation pass', function () {
  this.timeout(120000);

  it('leaves the reported validation metrics what evaluate() gives', async () => {
    const s = standardSplit();
    const model = g.mlp({ hidden: 512, seed: 5 });
    const noise = new Float32Array(1000 * 784).fill(3);
    let calls = 0;
    let mismatches = 0;
    const timer = setInterval(() => { model.predict(noise); calls++; }, 0);
    try {
      await g.train(model, { x: s.train.x.subarray(0, 500 * 784), y: s.train.y.subarray(0, 500) }, {
        epochs: 2, batchSize: 100, validation: s.valid,
        onEpoch: (r) => {
          const m = model.evaluate(s.valid.x, s.valid.y);
          if (m.loss !== r.valid.loss || m.accuracy !== r.valid.accuracy) mismatches++;
        },
      });
    } finally {
      clearInterval(timer);
    }
    assert.ok(calls > 0, 'predict() never ran during training');
    assert.strictEqual(mismatches, 0);
  });
});

describe('training: options of the wrong type and paths that cannot be written', () => {
  const d = small(32);

  for (const [key, value] of [['shuffle', 'false'], ['shuffle', 0], ['evaluateTrain', 'yes']]) {
    it(`${key}: ${JSON.stringify(value)} is refused, not taken as ${Boolean(value)}`, () =>
      rejectsLike(g.train(mlp(), d, { epochs: 1, [key]: value }), TypeError, new RegExp(`${key} must be true or false`)));
  }

  it('earlyStopping.restoreBest must be a boolean', () =>
    rejectsLike(g.train(mlp(), d, { epochs: 1, earlyStopping: { patience: 1, restoreBest: 'no' } }), TypeError,
      /restoreBest must be true or false/));

  it('signal must be an AbortSignal', () =>
    rejectsLike(g.train(mlp(), d, { epochs: 1, signal: { aborted: false } }), TypeError, /signal must be an AbortSignal/));

  it('a checkpoint in a missing directory is refused before the first epoch', async () => {
    let batches = 0;
    await rejectsLike(g.train(mlp(), d, {
      epochs: 1, checkpoint: path.join(tmp, 'no', 'such', 'dir', 'c.safetensors'), onBatch: () => { batches++; },
    }), Error, /does not exist/);
    assert.strictEqual(batches, 0);
  });

  it('a checkpoint path that is a directory is refused before the first epoch', () =>
    rejectsLike(g.train(mlp(), d, { epochs: 1, checkpoint: tmp }), Error, /not a regular file/));
});

describe('training: checkpoint metadata is checked before it is used', function () {
  this.timeout(60000);
  const d = small(64);
  let base;
  before(async () => {
    base = path.join(tmp, 'base.safetensors');
    await g.train(mlp(), d, { epochs: 1, batchSize: 32, checkpoint: base });
  });

  // Rewrites the checkpoint with `change` applied to its training metadata, tensors and optimizer.
  function forged(name, change) {
    const c = g.readCheckpoint(base);
    const model = g.load(base);
    const opt = g.momentum(c.optimizer.config);
    const buffers = { ...c.optimizer.buffers };
    const extra = { order: c.extra.order.slice(), rng_key: c.extra.rng_key };
    const meta = JSON.parse(JSON.stringify(c.meta));
    const state = { step: c.optimizer.step, buffers };
    change({ training: meta.training, extra, state });
    opt.setState(state);
    const p = path.join(tmp, name);
    g.saveModel(model, p, { optimizer: opt, tensors: extra, meta });
    return p;
  }
  const resume = (p) => g.train(mlp(), d, { epochs: 3, batchSize: 32, resumeFrom: p });

  it('the unforged checkpoint resumes', async () => {
    const h = await resume(forged('same.safetensors', () => {}));
    assert.strictEqual(h.epochs.length, 3);
  });

  it('epoch "1" (a string) is refused', () =>
    rejectsLike(resume(forged('string-epoch.safetensors', ({ training }) => { training.epoch = '1'; })), Error, /epoch must be a non-negative integer/));

  it('a negative epoch is refused', () =>
    rejectsLike(resume(forged('negative-epoch.safetensors', ({ training }) => { training.epoch = -1; })), Error, /epoch must be a non-negative integer/));

  it('an order that is not a permutation is refused', () =>
    rejectsLike(resume(forged('order.safetensors', ({ extra }) => { extra.order[1] = extra.order[0]; })), Error, /not a permutation/));

  it('an optimizer buffer of the wrong length is refused, not replaced by a fresh state', () =>
    rejectsLike(resume(forged('short-v.safetensors', ({ state }) => { state.buffers.v = state.buffers.v.subarray(0, 10); })), Error,
      /buffer 'v' has 10 values/));

  it('a refused checkpoint leaves the model untouched', async () => {
    const model = mlp();
    const before = model.getWeights().W_h.slice();
    await rejectsLike(g.train(model, d, { epochs: 3, resumeFrom: forged('order2.safetensors', ({ extra }) => { extra.order[0] = -5; }) }),
      Error, /not a permutation/);
    assert.deepStrictEqual(model.getWeights().W_h, before);
  });
});
