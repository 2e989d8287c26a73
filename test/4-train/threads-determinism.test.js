'use strict';
// The same seed gives the same bits for any `threads` setting (at a given SIMD level): every kernel
// cuts its work by the problem's shape, never by the thread count, and adds partial sums in a fixed
// order. Checked on the parallel gemm (whose OpenBLAS result depends on the shape of each block)
// and on whole training runs of both models with 1, 2, 3 and 4 threads.
const assert = require('assert');
const path = require('path');
const { spawnSync } = require('child_process');
const g = require('../..');
const { native } = require('../../lib/native');
const { rand } = require('../helpers/util');
const { standardSplit } = require('../helpers/data');

const THREADS = [1, 2, 3, 4];
const ROOT = path.resolve(__dirname, '..', '..');
const bits = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function differing(a, b) {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) n++;
  return n;
}

describe('threads: results independent of the thread count', function () {
  this.timeout(300000);
  let saved;
  before(() => { saved = g.buildInfo().threads; });
  after(() => g.setThreads(saved));

  it('gemm gives the same bits on 1, 2, 3 and 4 threads', () => {
    // Shapes at which cutting C per thread changed OpenBLAS's results.
    for (const [M, N, K] of [[1000, 10, 784], [1000, 8, 784], [200, 64, 1568], [6272, 32, 72], [100, 784, 1568]]) {
      const A = rand(M * K, 1);
      const B = rand(K * N, 2);
      for (const [ta, tb] of [[false, false], [true, false], [false, true]]) {
        let ref = null;
        for (const t of THREADS) {
          g.setThreads(t);
          const C = new Float32Array(M * N);
          native.gemm(ta, tb, M, N, K, 1, A, B, 0, C);
          if (!ref) ref = C;
          else assert.strictEqual(differing(C, ref), 0, `gemm ${M}x${N}x${K} (transA ${ta}, transB ${tb}) on ${t} threads`);
        }
      }
    }
  });

  const runs = {
    'CNN (filters 8, fc 16)': () => g.cnn({ filters: 8, fc: 16, seed: 7 }),
    'CNN with batch-statistics batch norm, dropout and L2': () =>
      g.cnn({ filters: 16, fc: 64, seed: 9, keepProb: 0.75, l2: 1e-4, batchNorm: { mode: 'batch' } }),
    'MLP (hidden 256)': () => g.mlp({ hidden: 256, seed: 5 }),
  };
  for (const [name, make] of Object.entries(runs)) {
    it(`${name}: trained weights and history are bit-identical on 1, 2, 3 and 4 threads`, async () => {
      const s = standardSplit();
      const data = { x: s.train.x.subarray(0, 1500 * 784), y: s.train.y.subarray(0, 1500) };
      const valid = { x: s.valid.x.subarray(0, 300 * 784), y: s.valid.y.subarray(0, 300) };
      let ref = null;
      for (const t of THREADS) {
        const model = make();
        const h = await g.train(model, data, { epochs: 1, batchSize: 100, validation: valid, threads: t });
        const out = { weights: model.getWeights(), state: model.getState(), valid: h.epochs[0].valid, loss: h.epochs[0].train.loss };
        if (!ref) {
          ref = out;
          continue;
        }
        for (const k of Object.keys(ref.weights)) {
          assert.strictEqual(differing(out.weights[k], ref.weights[k]), 0, `${k} on ${t} threads`);
        }
        for (const k of Object.keys(ref.state)) assert.ok(bits(out.state[k]).equals(bits(ref.state[k])), `state ${k} on ${t} threads`);
        assert.deepStrictEqual(out.valid, ref.valid, `validation metrics on ${t} threads`);
        assert.strictEqual(out.loss, ref.loss, `training loss on ${t} threads`);
      }
    });
  }

  it('holds at the other SIMD levels too (a child per level)', function () {
    const levels = g.buildInfo().simd === 'avx512' ? ['avx2', 'scalar'] : g.buildInfo().simd === 'avx2' ? ['scalar'] : [];
    if (!levels.length) this.skip();
    const src = `
      const g = require(${JSON.stringify(ROOT)});
      const { native } = require(${JSON.stringify(path.join(ROOT, 'lib', 'native'))});
      const { rand } = require(${JSON.stringify(path.join(__dirname, '..', 'helpers', 'util'))});
      const { standardSplit } = require(${JSON.stringify(path.join(__dirname, '..', 'helpers', 'data'))});
      (async () => {
        const s = standardSplit();
        const data = { x: s.train.x.subarray(0, 600 * 784), y: s.train.y.subarray(0, 600) };
        const seen = new Set();
        for (const t of [1, 2, 3, 4]) {
          const m = g.cnn({ filters: 8, fc: 16, seed: 7 });
          await g.train(m, data, { epochs: 1, batchSize: 50, threads: t });
          const A = rand(1000 * 784, 1), B = rand(784 * 10, 2), C = new Float32Array(1000 * 10);
          native.gemm(false, false, 1000, 10, 784, 1, A, B, 0, C);
          const w = Object.values(m.getWeights()).map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')).join();
          seen.add(w + Buffer.from(C.buffer).toString('base64'));
        }
        console.log(g.buildInfo().simd, seen.size);
      })();`;
    for (const level of levels) {
      const r = spawnSync(process.execPath, ['-e', src], { encoding: 'utf8', timeout: 120000, env: { ...process.env, GEMMNET_SIMD: level } });
      assert.strictEqual(r.status, 0, r.stderr);
      assert.strictEqual(r.stdout.trim(), `${level} 1`, `at ${level}: ${r.stdout}`);
    }
  });
});
