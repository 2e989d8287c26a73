'use strict';
// Options and arguments that used to be accepted and fail later (or never): epsilons that are 0 in
// float32, a CNN too large to allocate, getters read twice, a missing option's message, and a
// safetensors header naming one tensor twice.
const assert = require('assert');
const g = require('../..');
const io = require('../../lib/io');
const { throwsLike } = require('../helpers/util');

describe('options: refused at construction, with the argument named', () => {
  it('batchNorm.eps of 0, 1e-50 (0 in float32) or 1e-40 (a denormal, flushed to 0 by the kernels) is refused', () => {
    throwsLike(() => g.cnn({ filters: 2, fc: 8, batchNorm: { eps: 0 } }), RangeError, /batchNorm\.eps must be > 0/);
    for (const eps of [1e-50, 1e-40]) {
      throwsLike(() => g.cnn({ filters: 2, fc: 8, batchNorm: { eps } }), RangeError, /batchNorm\.eps must be at least .*smallest normal float32/);
      throwsLike(() => g.layers.batchNorm({ eps }), RangeError, /eps must be at least .*smallest normal float32/);
    }
    throwsLike(() => g.layers.batchNorm({ eps: 1e39 }), RangeError, /eps must be at most .*largest float32/);
    assert.ok(g.cnn({ filters: 2, fc: 8, batchNorm: { eps: 1e-30 } }));
    // The kernels' own check, for callers of the addon.
    const { native } = require('../../lib/native');
    const f = (n) => new Float32Array(n);
    throwsLike(() => native.batchNormForward(f(6), f(6), f(2), f(2), 3, 2, 1e-40), RangeError, /eps must be a normal float32/);
  });

  it('adam eps of 0 is refused at construction, not reported later as a diverged loss', () => {
    throwsLike(() => g.adam({ eps: 0 }), RangeError, /eps must be > 0/);
    for (const eps of [1e-50, 1e-40]) throwsLike(() => g.adam({ eps }), RangeError, /eps must be at least .*smallest normal float32/);
  });

  it('a CNN whose weights cannot be allocated is refused naming its options, quickly', () => {
    const t0 = Date.now();
    throwsLike(() => g.cnn({ kernel: 64, channels: 4096, filters: 4096 }), RangeError, /W_conv 64x64x4096x4096.*more than 2\^30/);
    throwsLike(() => g.cnn({ height: 4096, width: 4096, filters: 4096, fc: 1 }), RangeError, /more than 2\^30/);
    assert.ok(Date.now() - t0 < 1000);
  });

  it('a missing option is named as missing, not "undefined undefined"', async () => {
    const m = g.mlp({ inputs: 2, hidden: 2, classes: 2 });
    await assert.rejects(g.train(m, { x: new Float32Array(4), y: new Int32Array(2) }, {}), (e) => {
      assert.match(e.message, /epochs must be an integer, got nothing \(the option is missing\)/);
      assert.doesNotMatch(e.message, /undefined undefined/);
      return true;
    });
  });
});

describe('options: values read once', () => {
  it('setWeights copies the value it checked (a getter is read once)', () => {
    const m = g.mlp({ inputs: 2, hidden: 2, classes: 2, seed: 1 });
    const good = new Float32Array(4).fill(0.5);
    let reads = 0;
    const w = {};
    Object.defineProperty(w, 'W_h', { enumerable: true, get: () => (reads++ === 0 ? good : new Float32Array(4).fill(9)) });
    m.setWeights(w);
    assert.strictEqual(reads, 1);
    assert.deepStrictEqual(m.getWeights().W_h, good);
  });

  it('setState copies the value it checked', () => {
    const m = g.cnn({ height: 4, width: 4, filters: 1, fc: 2, classes: 2 });
    const [name] = Object.keys(m.getState());
    const good = new Float32Array(m.getState()[name].length).fill(0.25);
    let reads = 0;
    const s = {};
    Object.defineProperty(s, name, { enumerable: true, get: () => (reads++ === 0 ? good : new Float32Array(1)) });
    m.setState(s);
    assert.strictEqual(reads, 1);
    assert.deepStrictEqual(m.getState()[name], good);
  });
});

describe('safetensors: a header naming a tensor twice', () => {
  it('is reported as a duplicate name, not as a gap in the data', () => {
    const header = '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}, "a" :{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}';
    const h = Buffer.from(header);
    const buf = Buffer.alloc(8 + h.length + 8);
    buf.writeBigUInt64LE(BigInt(h.length), 0);
    h.copy(buf, 8);
    assert.throws(() => io.decodeSafetensors(buf, 'dup'), /names "a" twice/);
  });

  it('a name that only looks repeated inside a string or a nested object is fine', () => {
    const header = '{"__metadata__":{"a":"\\"a\\":"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}';
    const h = Buffer.from(header);
    const buf = Buffer.alloc(8 + h.length + 4);
    buf.writeBigUInt64LE(BigInt(h.length), 0);
    h.copy(buf, 8);
    assert.strictEqual(io.decodeSafetensors(buf, 'ok').tensors.a.data.length, 1);
  });
});
