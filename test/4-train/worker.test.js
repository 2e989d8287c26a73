'use strict';
// train(model, data, { worker: true }): the same run as in-thread training, bit for bit (weights,
// history, optimizer state), with the callbacks on the main thread, the abort signal, early
// stopping and checkpoints working as they do in-thread, and errors arriving as the same classes.
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { isMainThread } = require('worker_threads');
const g = require('../..');
const { standardSplit } = require('../helpers/data');
const { rejectsLike } = require('../helpers/util');

const bits = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
function sameWeights(a, b) {
  const wa = a.getWeights();
  const wb = b.getWeights();
  for (const k of Object.keys(wa)) assert.ok(bits(wa[k]).equals(bits(wb[k])), `${k} differs`);
  const sa = a.getState();
  const sb = b.getState();
  for (const k of Object.keys(sa)) assert.ok(bits(sa[k]).equals(bits(sb[k])), `state ${k} differs`);
}

describe('train({ worker: true })', function () {
  this.timeout(300000);
  let d;
  let tmp;
  before(() => {
    const s = standardSplit();
    d = {
      train: { x: s.train.x.subarray(0, 800 * 784), y: s.train.y.subarray(0, 800) },
      valid: { x: s.valid.x.subarray(0, 200 * 784), y: s.valid.y.subarray(0, 200) },
    };
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gemmnet-worker-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  for (const [name, make, opt] of [
    ['MLP with momentum', () => g.mlp({ hidden: 64, seed: 2 }), () => g.momentum({ lr: 0.05 })],
    ['CNN with adam, dropout and batch norm', () => g.cnn({ filters: 4, fc: 16, seed: 2, keepProb: 0.8 }), () => g.adam({ lr: 1e-3 })],
  ]) {
    it(`${name}: the same weights, history and optimizer state as in-thread training`, async () => {
      const a = make();
      const b = make();
      const oa = opt();
      const ob = opt();
      const options = { epochs: 2, batchSize: 50, validation: d.valid };
      const ha = await g.train(a, d.train, { ...options, optimizer: oa });
      const hb = await g.train(b, d.train, { ...options, optimizer: ob, worker: true });
      assert.deepStrictEqual(hb.epochs.map(({ seconds, ...r }) => r), ha.epochs.map(({ seconds, ...r }) => r));
      assert.strictEqual(hb.stopReason, ha.stopReason);
      sameWeights(a, b);
      const sa = oa.getState();
      const sb = ob.getState();
      assert.strictEqual(sb.step, sa.step);
      for (const k of Object.keys(sa.buffers)) assert.ok(bits(sa.buffers[k]).equals(bits(sb.buffers[k])), `optimizer ${k}`);
      assert.deepStrictEqual(a.getCounters(), b.getCounters());
    });
  }

  it('delivers onBatch and onEpoch on the main thread, with the model up to date in onEpoch', async () => {
    const m = g.mlp({ hidden: 32, seed: 4 });
    const batches = [];
    const epochs = [];
    await g.train(m, d.train, {
      epochs: 2, batchSize: 100, worker: true,
      onBatch: (info) => { assert.ok(isMainThread); batches.push(`${info.epoch}.${info.batch}`); },
      onEpoch: (record, model) => {
        assert.ok(isMainThread);
        assert.strictEqual(model, m);
        epochs.push(record.epoch);
        // The weights the record was computed with are the model's now.
        assert.strictEqual(model.evaluate(d.train.x, d.train.y).loss > 0, true);
      },
    });
    assert.strictEqual(batches.length, 16);
    assert.deepStrictEqual(epochs, [1, 2]);
  });

  it('onEpoch returning false stops training, as in-thread', async () => {
    const h = await g.train(g.mlp({ hidden: 16, seed: 1 }), d.train, { epochs: 5, worker: true, onEpoch: (r) => r.epoch < 2 });
    assert.strictEqual(h.stopReason, 'callback');
    assert.strictEqual(h.epochs.length, 2);
  });

  it('the abort signal stops the worker', async () => {
    const ac = new AbortController();
    const h = await g.train(g.mlp({ hidden: 16, seed: 1 }), d.train, {
      epochs: 50, batchSize: 20, worker: true, signal: ac.signal, onEpoch: (r) => { if (r.epoch === 1) ac.abort(); },
    });
    assert.strictEqual(h.stopReason, 'aborted');
    assert.ok(h.epochs.length < 50);
  });

  it('early stopping with restoreBest and checkpoints work, and the checkpoint resumes in-thread', async () => {
    const ckpt = path.join(tmp, 'w.safetensors');
    const a = g.mlp({ hidden: 16, seed: 8 });
    const b = g.mlp({ hidden: 16, seed: 8 });
    const options = { epochs: 6, batchSize: 50, validation: d.valid, earlyStopping: { patience: 0, monitor: 'valid.accuracy' } };
    const ha = await g.train(a, d.train, options);
    const hb = await g.train(b, d.train, { ...options, worker: true, checkpoint: ckpt });
    assert.strictEqual(hb.stopReason, ha.stopReason);
    assert.strictEqual(hb.bestEpoch, ha.bestEpoch);
    sameWeights(a, b);
    assert.strictEqual(g.readCheckpoint(ckpt).meta.training.epoch, hb.epochs.length);
  });

  it('weights that early stopping takes back to an earlier epoch come back from the worker, not the last epoch\'s', async () => {
    // Validation labels shifted by one class: the better the model learns, the worse its validation
    // loss, so the best epoch is an early one and the final weights are not the last epoch's.
    const valid = { x: d.train.x.subarray(0, 200 * 784), y: Int32Array.from(d.train.y.subarray(0, 200), (v) => (v + 1) % 10) };
    const options = { epochs: 4, batchSize: 50, validation: valid, earlyStopping: { patience: 1, monitor: 'valid.loss' } };
    const a = g.mlp({ hidden: 16, seed: 8 });
    const b = g.mlp({ hidden: 16, seed: 8 });
    const ha = await g.train(a, d.train, options);
    const hb = await g.train(b, d.train, { ...options, worker: true });
    assert.strictEqual(hb.bestEpoch, ha.bestEpoch);
    assert.ok(hb.bestEpoch < hb.epochs.length, `best epoch ${hb.bestEpoch} of ${hb.epochs.length}`);
    sameWeights(a, b);
  });

  it('refused options and data reject with the same error classes and messages', async () => {
    const m = g.mlp({ hidden: 8, seed: 1 });
    await rejectsLike(g.train(m, d.train, { epochs: 1, worker: true, shuffle: 'no' }), TypeError, /shuffle must be true or false/);
    await rejectsLike(g.train(m, { x: d.train.x, y: [1, 2] }, { epochs: 1, worker: true }), RangeError, /data\.y has 2 labels/);
    await rejectsLike(g.train(m, d.train, { epochs: 1, worker: 'yes' }), TypeError, /worker must be true or false/);
    await rejectsLike(g.train(m, d.train, { epochs: 1, worker: true, onBatch: 3 }), TypeError, /onBatch must be a function/);
  });

  it('refuses bad options up front, on the calling thread, before any worker starts', async () => {
    const wt = require('worker_threads');
    const { Worker } = wt;
    const m = g.mlp({ hidden: 8, seed: 1 });
    let started = 0;
    // Counts the workers started (src/worker reads worker_threads.Worker when it starts one).
    wt.Worker = new Proxy(Worker, { construct(T, args) { started++; return Reflect.construct(T, args); } });
    try {
      for (const [opts, cls, re] of [[{ epochs: 0 }, RangeError, /epochs/], [{ epochs: 1, batchSize: -1 }, RangeError, /batchSize/],
        [{ epochs: 1, earlyStopping: { patience: 1, monitor: 'valid.loss' } }, TypeError, /needs validation data/],
        [{ epochs: 1, checkpoint: path.join(tmp, 'no-such-dir', 'c.safetensors') }, Error, /does not exist/],
        [{ epochs: 1, threads: 0 }, RangeError, /threads/]]) {
        await rejectsLike(g.train(m, d.train, { ...opts, worker: true }), cls, re);
      }
      assert.strictEqual(started, 0, 'a worker was started for refused options');
      // The spy sees a worker when one is started.
      await g.train(m, { x: d.train.x.subarray(0, 20 * 784), y: d.train.y.subarray(0, 20) }, { epochs: 1, worker: true });
      assert.strictEqual(started, 1);
    } finally {
      wt.Worker = Worker;
    }
  });

  it('an error thrown by a callback rejects the call and stops the worker', async () => {
    await assert.rejects(g.train(g.mlp({ hidden: 8, seed: 1 }), d.train, {
      epochs: 3, worker: true, onEpoch: () => { throw new Error('from the callback'); },
    }), /from the callback/);
  });

  it('an optimizer with state continues in the worker as it would in-thread', async () => {
    const run = async (secondInWorker) => {
      const m = g.mlp({ hidden: 24, seed: 5 });
      const o = g.adam({ lr: 1e-3 });
      await g.train(m, d.train, { epochs: 1, batchSize: 50, optimizer: o });
      await g.train(m, d.train, { epochs: 1, batchSize: 50, optimizer: o, seed: 7, worker: secondInWorker });
      return { m, o };
    };
    const a = await run(false);
    const b = await run(true);
    sameWeights(a.m, b.m);
    assert.strictEqual(b.o.getState().step, a.o.getState().step);
    for (const k of ['m', 'v']) assert.ok(bits(b.o.getState().buffers[k]).equals(bits(a.o.getState().buffers[k])), `optimizer ${k}`);
  });

  for (const [name, make] of [
    ['MLP', () => g.mlp({ hidden: 32, seed: 4 })],
    ['CNN', () => g.cnn({ filters: 4, fc: 16, seed: 4 })],
  ]) {
    it(`${name}: the worker's weights become the model's without a copy, and it trains on in-thread from them`, async () => {
      const a = make();
      const b = make();
      const before = b.params;
      const options = { epochs: 2, batchSize: 100 };
      await g.train(a, d.train, options);
      await g.train(b, d.train, { ...options, worker: true });
      assert.notStrictEqual(b.params, before, 'the weights were copied into the old array');
      sameWeights(a, b);
      // The named weights and every layer compute with the adopted array: one more epoch in-thread,
      // with the fused updates of the dense layers, gives the bits of training in-thread throughout.
      for (const [k, w] of Object.entries(b.getWeights())) {
        assert.ok(bits(w).equals(bits(a.getWeights()[k])), k);
      }
      await g.train(a, d.train, { epochs: 1, batchSize: 100, seed: 3 });
      await g.train(b, d.train, { epochs: 1, batchSize: 100, seed: 3 });
      sameWeights(a, b);
      const probe = d.valid.x.subarray(0, 784 * 8);
      assert.ok(bits(b.predict(probe)).equals(bits(a.predict(probe))));
    });
  }

  it('predict() while the worker trains sees the weights of one epoch, never a mix', async () => {
    const m = g.mlp({ hidden: 256, seed: 6 });
    const probe = d.valid.x.subarray(0, 784 * 4);
    const key = (p) => bits(p).toString('base64');
    const valid = new Set([key(m.predict(probe))]);
    const seen = new Set();
    const timer = setInterval(() => seen.add(key(m.predict(probe))), 1);
    try {
      await g.train(m, d.train, {
        epochs: 4, batchSize: 5, worker: true,
        onEpoch: (r, model) => { valid.add(key(model.predict(probe))); },
      });
    } finally {
      clearInterval(timer);
    }
    valid.add(key(m.predict(probe)));
    assert.ok(seen.size >= 2, `predict() saw ${seen.size} distinct weights`);
    for (const s of seen) assert.ok(valid.has(s), 'predict() saw weights that were no epoch\'s');
  });

  it('x detached while it is handed to the worker is refused, not read as zeros', async () => {
    const x = new Float32Array(d.train.x.length * 4);
    for (let k = 0; k < 4; k++) x.set(d.train.x, k * d.train.x.length);
    const y = new Uint8Array(d.train.y.length * 4);
    for (let k = 0; k < 4; k++) y.set(d.train.y, k * d.train.y.length);
    const p = g.train(g.mlp({ hidden: 8, seed: 1 }), { x, y }, { epochs: 1, worker: true });
    setImmediate(() => structuredClone(x.buffer, { transfer: [x.buffer] }));
    await rejectsLike(p, Error, /data\.x was detached/);
  });

  it('the optimizer takes its final state from the worker as its own: a later step changes only it', async () => {
    const m = g.mlp({ hidden: 16, seed: 9 });
    const o = g.adam({ lr: 1e-3 });
    await g.train(m, d.train, { epochs: 1, batchSize: 100, optimizer: o, worker: true });
    const before = o.getState();
    const copy = { m: before.buffers.m.slice(), v: before.buffers.v.slice() };
    // Another model and optimizer trained in a worker meanwhile share nothing with this one.
    const o2 = g.adam({ lr: 1e-3 });
    await g.train(g.mlp({ hidden: 16, seed: 9 }), d.train, { epochs: 1, batchSize: 100, optimizer: o2, worker: true });
    for (const k of ['m', 'v']) {
      assert.notStrictEqual(o2.getState().buffers[k].buffer, o.getState().buffers[k].buffer);
      assert.ok(bits(o.getState().buffers[k]).equals(bits(copy[k])), `optimizer ${k} changed`);
    }
    await g.train(m, d.train, { epochs: 1, batchSize: 100, optimizer: o });
    assert.strictEqual(o.getState().step, 16);
    assert.ok(!bits(o.getState().buffers.m).equals(bits(copy.m)), 'the in-thread step did not move m');
  });

  it('the worker builds its model without drawing random weights first, and leaves later models random', () => {
    const { buildUninitialized } = require('../../lib/network');
    const zero = buildUninitialized(() => g.cnn({ filters: 2, fc: 8, seed: 3 }));
    assert.ok(zero.params.every((v) => v === 0));
    assert.throws(() => buildUninitialized(() => { throw new Error('inside'); }), /inside/);
    const after = g.cnn({ filters: 2, fc: 8, seed: 3 });
    assert.ok(after.params.some((v) => v !== 0), 'the flag outlived its call');
    assert.ok(bits(after.params).equals(bits(g.cnn({ filters: 2, fc: 8, seed: 3 }).params)));
  });

  it('the worker\'s kernels yield their cores between chunks; the calling thread\'s do not', async () => {
    const { native } = require('../../lib/native');
    assert.strictEqual(native.yielding(), false);
    const { Worker } = require('worker_threads');
    const seen = await new Promise((resolve, reject) => {
      const w = new Worker(`
        const { parentPort } = require('worker_threads');
        const { native } = require(${JSON.stringify(path.join(__dirname, '../../lib/native'))});
        const before = native.yielding();
        native.setYielding(true);
        parentPort.postMessage([before, native.yielding()]);`, { eval: true });
      w.once('message', resolve);
      w.once('error', reject);
    });
    assert.deepStrictEqual(seen, [false, true]);
    assert.strictEqual(native.yielding(), false, 'the flag is per thread');
    assert.throws(() => native.setYielding(1), TypeError);
  });

  it('x in a SharedArrayBuffer is used without copying', async () => {
    const x = new Float32Array(new SharedArrayBuffer(d.train.x.byteLength));
    x.set(d.train.x);
    const a = g.mlp({ hidden: 16, seed: 3 });
    const b = g.mlp({ hidden: 16, seed: 3 });
    await g.train(a, d.train, { epochs: 1 });
    await g.train(b, { x, y: d.train.y }, { epochs: 1, worker: true });
    sameWeights(a, b);
  });
});
