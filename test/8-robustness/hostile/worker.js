'use strict';
// Hostile calls of train(..., { worker: true }): what in-thread training refuses is refused the same
// way; detached, shared and odd data; callbacks that throw; aborts at every moment; and runs whose
// weights must equal in-thread training, bit for bit.
const { refuse, ok } = require('./kinds');

const same = (a, b) => Object.keys(a).every((k) => a[k].length === b[k].length && a[k].every((v, i) => Object.is(v, b[k][i])));

function detached(n) {
  const a = new Float32Array(n);
  structuredClone(a.buffer, { transfer: [a.buffer] });
  return a;
}

module.exports = () => {
  const out = [];
  const w = (c, options, data) => c.g.train(c.tinyMlp(), data === undefined ? c.tinyData() : data, { epochs: 1, batchSize: 4, worker: true, ...options });
  for (const [what, options, re] of [
    ['epochs 0', { epochs: 0 }, /epochs/],
    ['batchSize "4"', { batchSize: '4' }, /batchSize/],
    ['shuffle "no"', { shuffle: 'no' }, /shuffle/],
    ['an unknown option', { typo: 1 }, /typo/],
    ['threads 0', { threads: 0 }, /threads/],
    ['onEpoch 5', { onEpoch: 5 }, /onEpoch/],
    ['a signal that is not one', { signal: {} }, /signal/],
    ['an optimizer that is not one', { optimizer: { getState: 5 } }, /optimizer/],
    ['a checkpoint in a missing folder', { checkpoint: '/nonexistent-gemmnet/c.safetensors' }, /checkpoint/],
    ['a missing resumeFrom', { resumeFrom: '/nonexistent-gemmnet/c.safetensors' }, /resumeFrom|nonexistent/],
    ['an onEpoch that throws', { onEpoch: () => { throw new RangeError('from onEpoch'); } }, /from onEpoch/],
    ['an onBatch that throws', { onBatch: () => { throw new TypeError('from onBatch'); } }, /from onBatch/],
    ['validation of the wrong width', { validation: { x: new Float32Array(6), y: [0, 1] } }, /validation/],
  ]) out.push(refuse('worker', `train({ worker: true, ${what} })`, (c) => w(c, options), re));
  for (const [what, data, re] of [
    ['x holding NaN', (c) => { const d = c.tinyData(); d.x[0] = NaN; return d; }, /data\.x\[0\]/],
    ['a detached x', () => ({ x: detached(32), y: new Int32Array(8) }), /data\.x/],
    ['labels out of range', (c) => ({ x: c.tinyData().x, y: new Int32Array(8).fill(5) }), /data\.y/],
    ['x of a Float64Array', () => ({ x: new Float64Array(32), y: new Int32Array(8) }), /data\.x/],
    ['no data', () => null, /data/],
  ]) out.push(refuse('worker', `train({ worker: true }) on ${what}`, (c) => w(c, {}, data(c)), re));
  out.push(refuse('worker', 'train({ worker: true }) of something not a model', (c) => c.g.train({ kind: 'mlp' }, c.tinyData(), { epochs: 1, worker: true }), /model/));
  for (const [what, make] of [
    ['plain arrays', (c) => c.tinyData(64)],
    ['x in a SharedArrayBuffer', (c) => {
      const d = c.tinyData(64);
      const x = new Float32Array(new SharedArrayBuffer(d.x.byteLength));
      x.set(d.x);
      return { x, y: d.y };
    }],
    ['x a subarray at an odd offset', (c) => {
      const d = c.tinyData(64);
      const big = new Float32Array(d.x.length + 1);
      big.set(d.x, 1);
      return { x: big.subarray(1), y: d.y };
    }],
  ]) {
    out.push(ok('worker', `train({ worker: true }) on ${what} gives in-thread's weights`, async (c) => {
      const a = c.tinyMlp();
      const b = c.tinyMlp();
      const d = make(c);
      await c.g.train(a, { x: d.x.slice(), y: d.y }, { epochs: 2, batchSize: 8 });
      await c.g.train(b, d, { epochs: 2, batchSize: 8, worker: true });
      return [a.getWeights(), b.getWeights()];
    }, ([a, b]) => same(a, b) || 'weights differ'));
  }
  for (const when of [0, 1, 5, 20]) {
    out.push(ok('worker', `an abort ${when} ms after a worker starts ends it with stopReason "aborted" or "completed"`, async (c) => {
      const ac = new AbortController();
      setTimeout(() => ac.abort(), when);
      return c.g.train(c.tinyMlp(), c.tinyData(256), { epochs: 200, batchSize: 4, worker: true, signal: ac.signal });
    }, (h) => ((h.stopReason === 'aborted' || h.stopReason === 'completed') && h.epochs.every((e, i) => e.epoch === i + 1)) || h.stopReason));
  }
  out.push(ok('worker', 'two workers training at once give what each gives alone', async (c) => {
    const d = c.tinyData(64);
    const [a, b, a1, b1] = [c.tinyMlp(1), c.tinyMlp(2), c.tinyMlp(1), c.tinyMlp(2)];
    await Promise.all([c.g.train(a, d, { epochs: 2, worker: true }), c.g.train(b, d, { epochs: 2, worker: true })]);
    await c.g.train(a1, d, { epochs: 2 });
    await c.g.train(b1, d, { epochs: 2 });
    return [a, b, a1, b1].map((m) => m.getWeights());
  }, ([a, b, a1, b1]) => (same(a, a1) && same(b, b1)) || 'weights differ'));
  out.push(ok('worker', 'exiting the process while a worker trains ends it without a crash', (c) => {
    c.g.train(c.tinyMlp(), c.tinyData(256), { epochs: 1e5, worker: true }).catch(() => {});
    return c.tick(200).then(() => 'started');
  }, (v) => v === 'started' || v));
  return out;
};
