'use strict';
const assert = require('assert');
const gemmnet = require('../..');

// The course's helper functions on { data, shape } matrices.
describe('course helpers', () => {
  const X = { data: Float32Array.of(1, -2, 3, 0.5, 0, -1), shape: [2, 3] };
  it('relu', () => {
    assert.deepStrictEqual(Array.from(gemmnet.relu(X).data), [1, 0, 3, 0.5, 0, 0]);
    assert.deepStrictEqual(Array.from(gemmnet.relu(Float32Array.of(-1, 2))), [0, 2]);
  });
  it('softmax is max-shifted (no overflow for large logits)', () => {
    const s = gemmnet.softmax({ data: Float32Array.of(1000, 1001, 1002), shape: [1, 3] });
    const e = [Math.exp(-2), Math.exp(-1), 1];
    const t = e[0] + e[1] + e[2];
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(s.data[i] - e[i] / t) < 1e-6);
  });
  it('computeLayer = X W + b', () => {
    const W = { data: Float32Array.of(1, 2, 3, 4, 5, 6), shape: [3, 2] };
    const y = gemmnet.computeLayer(X, W, Float32Array.of(0.5, -0.5));
    assert.deepStrictEqual(Array.from(y.data), [1 - 6 + 15 + 0.5, 2 - 8 + 18 - 0.5, 0.5 + 0 - 5 + 0.5, 1 + 0 - 6 - 0.5]);
    assert.throws(() => gemmnet.computeLayer(X, { data: new Float32Array(4), shape: [2, 2] }, new Float32Array(2)), RangeError);
  });
  it('averageCE and gradCE, with one-hot or label targets', () => {
    const P = gemmnet.softmax(X);
    const onehot = { data: Float32Array.of(0, 0, 1, 1, 0, 0), shape: [2, 3] };
    const ce = -(Math.log(P.data[2]) + Math.log(P.data[3])) / 2;
    assert.ok(Math.abs(gemmnet.averageCE(onehot, P) - ce) < 1e-6);
    assert.ok(Math.abs(gemmnet.averageCE(Uint8Array.of(2, 0), P) - ce) < 1e-6);
    const g = gemmnet.gradCE(onehot, P);
    for (let i = 0; i < 6; i++) assert.ok(Math.abs(g.data[i] - (P.data[i] - onehot.data[i]) / 2) < 1e-7);
    assert.deepStrictEqual(gemmnet.gradCE(Int32Array.of(2, 0), P).data, g.data);
  });
});
