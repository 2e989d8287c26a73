'use strict';
const assert = require('assert');
const path = require('path');
const { spawnSync } = require('child_process');
const { native } = require('../../lib/native');
const { rand, maxRelErr, relNormErr } = require('../helpers/util');

describe('dense kernels against their naive references', () => {
  for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]]) {
    it(`gemm transA=${tA} transB=${tB} at odd sizes`, () => {
      const [M, N, K] = [37, 13, 29];
      const A = rand(M * K, 1);
      const B = rand(K * N, 2);
      const C1 = rand(M * N, 3);
      const C2 = C1.slice();
      native.gemm(tA, tB, M, N, K, 0.5, A, B, 0.25, C1);
      native.gemmReference(tA, tB, M, N, K, 0.5, A, B, 0.25, C2);
      assert.ok(relNormErr(C1, C2) < 1e-6, `relative error ${relNormErr(C1, C2)}`);
    });
  }

  // The last seven take the small-batch kernel (up to 48 rows): whole and partial tiles of rows and
  // columns, one row, and the CNN's FC1; the last three, and FC1, have a W over 4 MB, whose k-blocks
  // are summed apart (over all columns, strips ending in partial vectors) and then added in order.
  for (const [N, I, O, relu] of [[1, 784, 13, true], [37, 50, 10, false], [100, 784, 1000, true],
    [32, 6272, 784, true], [7, 2000, 300, false], [1, 5000, 1000, true], [48, 1000, 100, false],
    [17, 5000, 1000, false], [48, 2048, 530, true], [5, 1100, 1001, false]]) {
    it(`denseForward/denseBackward N=${N} I=${I} O=${O} relu=${relu}`, () => {
      const x = rand(N * I, 4);
      const W = rand(I * O, 5);
      const b = rand(O, 6);
      const y1 = new Float32Array(N * O);
      const y2 = new Float32Array(N * O);
      native.denseForward(x, W, b, y1, N, I, O, relu);
      native.denseForwardReference(x, W, b, y2, N, I, O, relu);
      assert.ok(relNormErr(y1, y2) < 1e-6, `relative error ${relNormErr(y1, y2)}`);
      if (relu) assert.ok(y1.every((v) => v >= 0));
      const dy = rand(N * O, 7);
      const g1 = [new Float32Array(I * O).fill(1), new Float32Array(O).fill(1), new Float32Array(N * I).fill(1)];
      const g2 = g1.map((g) => g.slice());
      native.denseBackward(x, W, dy, ...g1, N, I, O);
      native.denseBackwardReference(x, W, dy, ...g2, N, I, O);
      for (let i = 0; i < 3; i++) assert.ok(relNormErr(g1[i], g2[i]) < 1e-6, `gradient ${i}: ${relNormErr(g1[i], g2[i])}`);
      // Accumulation: the gradients started at 1, so they are not simply overwritten.
      const fresh = [new Float32Array(I * O), new Float32Array(O), new Float32Array(N * I)];
      native.denseBackward(x, W, dy, ...fresh, N, I, O);
      assert.ok(Math.abs(g1[1][0] - fresh[1][0] - 1) < 1e-5);
    });
  }

  it('one sample through the small-batch kernel (its columns and k-blocks split over threads) gives the bits of its row in a batch', () => {
    const { setThreads, buildInfo } = require('../../lib');
    const before = buildInfo().threads;
    // Shapes whose batch (rows * I * O of at least 4e6) and single row (I * O of at least 2.5e5) both
    // take the small-batch kernel: a partial last k-block (4100 = 16 * 256 + 4, 784 = 3 * 256 + 16),
    // a partial last vector of columns (2050), a width that is not a whole number of 16-column
    // groups per part (1000), and a single row of 1 MB of W (784 x 1000, the MLP's first layer).
    for (const [I, O, rows] of [[6272, 784, 3], [5000, 1000, 3], [4100, 1000, 3], [2000, 2050, 3], [784, 1000, 6], [320, 1000, 13]]) {
      const x = rand(rows * I, 11);
      const W = rand(I * O, 12);
      const b = rand(O, 13);
      const batch = new Float32Array(rows * O);
      native.denseForward(x, W, b, batch, rows, I, O, true);
      for (const threads of [1, 2, 3]) {
        setThreads(threads);
        for (let row = 0; row < rows; row++) {
          const one = new Float32Array(O);
          native.denseForward(x.subarray(row * I, (row + 1) * I), W, b, one, 1, I, O, true);
          one.forEach((v, o) => assert.ok(Object.is(v, batch[row * O + o]),
            `I=${I} O=${O} row ${row} column ${o}, ${threads} threads: ${v} alone, ${batch[row * O + o]} in the batch`));
        }
      }
    }
    setThreads(before);
  });

  it('the small-batch forward kernel gives the same bits with AVX2 as with AVX-512, and close with OpenBLAS', function () {
    this.timeout(60000);
    const script = `const { native } = require(${JSON.stringify(path.resolve(__dirname, '..', '..', 'lib', 'native'))});
      const { rand } = require(${JSON.stringify(path.resolve(__dirname, '..', 'helpers', 'util'))});
      const out = [];
      for (const [N, I, O] of [[32, 6272, 784], [7, 2000, 300], [1, 5000, 1000], [1, 784, 1000], [1, 784, 1030],
        [17, 5000, 1000], [48, 2048, 530], [5, 1100, 1001]]) {
        const y = new Float32Array(N * O);
        native.denseForward(rand(N * I, 1), rand(I * O, 2), rand(O, 3), y, N, I, O, false);
        out.push(...y);
      }
      process.stdout.write(JSON.stringify({ simd: native.buildInfo().simd, out }));`;
    const runs = ['scalar', 'avx2', ''].map((simd) => {
      const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, GEMMNET_SIMD: simd }, encoding: 'utf8', maxBuffer: 1 << 26 });
      assert.strictEqual(r.status, 0, r.stderr);
      return JSON.parse(r.stdout);
    });
    const [scalar, avx2, best] = runs;
    if (best.simd !== 'scalar' && avx2.simd === 'avx2') {
      best.out.forEach((v, i) => assert.ok(Object.is(v, avx2.out[i]), `output ${i}: ${v} (${best.simd}) vs ${avx2.out[i]} (avx2)`));
    }
    assert.ok(relNormErr(Float32Array.from(scalar.out), Float32Array.from(best.out)) < 1e-6);
  });

  it('the small-batch backward kernel (batch <= 32) gives the same bits with AVX2 as with AVX-512, close to the float64 reference, and to OpenBLAS at the scalar level', function () {
    this.timeout(120000);
    const script = `const { native } = require(${JSON.stringify(path.resolve(__dirname, '..', '..', 'lib', 'native'))});
      const { rand } = require(${JSON.stringify(path.resolve(__dirname, '..', 'helpers', 'util'))});
      const crypto = require('crypto');
      // Each output as a digest of its bits and a sample of its values (every 97th).
      const hashes = [], sample = [];
      const out = { push: (...arrays) => arrays.forEach((a) => {
        const f = typeof a === 'number' ? Float64Array.of(a) : a;
        hashes.push(crypto.createHash('sha256').update(Buffer.from(f.buffer, f.byteOffset, f.byteLength)).digest('hex'));
        for (let i = 0; i < f.length; i += 97) sample.push(f[i]);
      }) };
      for (const [N, I, O] of [[32, 6272, 784], [20, 700, 301], [1, 5000, 1000], [17, 1003, 333]]) {
        const x = rand(N * I, 1), dy = rand(N * O, 2), W = rand(I * O, 3);
        const dW = rand(I * O, 4), dx = rand(N * I, 5);
        native.denseBackward(x, W, dy, dW, null, dx, N, I, O, true);  // accumulating
        out.push(dW, dx);
        native.denseBackward(x, W, dy, dW, null, dx, N, I, O, false);
        out.push(dW, dx);
        native.denseBackward(x, W, dy, null, null, dx, N, I, O, false);  // dx alone
        out.push(dx);
        const m = rand(I * O, 6).map(Math.abs), v = rand(I * O, 7).map(Math.abs);
        const sq = native.denseBackwardUpdate(x, W, dy, null, dx, N, I, O, 0.1,
          { kind: 'adam', m, v, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, t: 3 });
        out.push(W, m, v, dx, sq);
      }
      process.stdout.write(JSON.stringify({ simd: native.buildInfo().simd, hashes, sample }));`;
    const runs = ['scalar', 'avx2', ''].map((simd) => {
      const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, GEMMNET_SIMD: simd }, encoding: 'utf8', maxBuffer: 1 << 30 });
      assert.strictEqual(r.status, 0, r.stderr);
      return JSON.parse(r.stdout);
    });
    const [scalar, avx2, best] = runs;
    if (best.simd !== 'scalar' && avx2.simd === 'avx2') {
      const at = best.hashes.findIndex((h, i) => h !== avx2.hashes[i]);
      assert.strictEqual(at, -1, `output ${at} differs between ${best.simd} and avx2`);
    }
    assert.strictEqual(scalar.simd, 'scalar');
    assert.ok(relNormErr(Float64Array.from(scalar.sample), Float64Array.from(best.sample)) < 1e-5,
      `scalar (OpenBLAS) against ${best.simd}: ${relNormErr(Float64Array.from(scalar.sample), Float64Array.from(best.sample))}`);
  });

  for (const [N, I, O] of [[32, 6272, 784], [20, 700, 301], [9, 1003, 600]]) {
    it(`the small-batch backward kernel matches the float64 reference at N=${N} I=${I} O=${O}`, () => {
      const x = rand(N * I, 11), dy = rand(N * O, 12), W = rand(I * O, 13);
      const dW = new Float32Array(I * O), dx = new Float32Array(N * I), db = new Float32Array(O);
      const dWr = new Float32Array(I * O), dxr = new Float32Array(N * I), dbr = new Float32Array(O);
      native.denseBackward(x, W, dy, dW, db, dx, N, I, O, false);
      native.denseBackwardReference(x, W, dy, dWr, dbr, dxr, N, I, O);
      // As close as OpenBLAS's blocked products were (about 1.4e-7 here; one chain of fused
      // multiply-adds over all of O for dx would give about 5e-7).
      assert.ok(relNormErr(dW, dWr) < 3e-7, `dW: ${relNormErr(dW, dWr)}`);
      assert.ok(relNormErr(dx, dxr) < 3e-7, `dx: ${relNormErr(dx, dxr)}`);
      assert.ok(relNormErr(db, dbr) < 3e-7, `db: ${relNormErr(db, dbr)}`);
    });
  }

  it('with yielding on (as in a training worker) the parallel kernels give the same bits', () => {
    const { setThreads, buildInfo } = require('../../lib');
    const before = buildInfo().threads;
    const [N, I, O] = [100, 784, 1000];
    const x = rand(N * I, 21);
    const W = rand(I * O, 22);
    const b = rand(O, 23);
    const dy = rand(N * O, 24);
    const run = () => {
      const y = new Float32Array(N * O);
      native.denseForward(x, W, b, y, N, I, O, true);
      const g = [new Float32Array(I * O), new Float32Array(O), new Float32Array(N * I)];
      native.denseBackward(x, W, dy, ...g, N, I, O);
      return [y, ...g].map((a) => Buffer.from(a.buffer));
    };
    try {
      for (const threads of [1, 2, 3]) {
        setThreads(threads);
        const plain = run();
        native.setYielding(true);
        try {
          assert.strictEqual(native.yielding(), true);
          const yielded = run();
          for (let i = 0; i < plain.length; i++) assert.ok(plain[i].equals(yielded[i]), `output ${i} at ${threads} threads`);
        } finally {
          native.setYielding(false);
        }
      }
    } finally {
      setThreads(before);
    }
    assert.strictEqual(native.yielding(), false);
  });

  it('a parallel kernel right after setThreads() neither hangs nor returns early (new threads join the next job only), spinning or not', () => {
    // Changing the thread count starts new pool threads; one that started while the first job after
    // it was being handed out used to count itself out of it twice: the caller then waited forever,
    // or returned while a block was still being computed. A child process, so a hang is a timeout;
    // once with the pool's threads blocking at once between jobs, once watching for the next job.
    // Each round also runs one row through the one-row kernel (its columns split over the threads).
    const script = `
      const { native } = require(${JSON.stringify(path.resolve(__dirname, '..', '..', 'lib', 'native'))});
      const K = 2000, N = 1000, W = new Float32Array(K * N).fill(0.001), x = new Float32Array(3 * K).fill(1);
      const b = new Float32Array(N), y = new Float32Array(3 * N), want = new Float32Array(3 * N);
      const W1 = Float32Array.from({ length: 784 * 1000 }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
      const x1 = Float32Array.from({ length: 784 }, (_, i) => (i % 13) / 13), y1 = new Float32Array(1000), want1 = new Float32Array(1000);
      native.denseForward(x, W, b, want, 3, K, N, false);
      native.denseForward(x1, W1, b, want1, 1, 784, 1000, false);
      const t0 = Date.now();
      let i = 0;
      for (; Date.now() - t0 < 1500 || i < 20; i++) {
        native.setThreads(1 + (i % 4));
        y.fill(NaN);
        native.denseForward(x, W, b, y, 3, K, N, false);
        const at = y.findIndex((v, j) => v !== want[j]);
        if (at >= 0) { console.log('round ' + i + ': output ' + at + ' is ' + y[at]); process.exit(2); }
        y1.fill(NaN);
        native.denseForward(x1, W1, b, y1, 1, 784, 1000, false);
        const at1 = y1.findIndex((v, j) => !Object.is(v, want1[j]));
        if (at1 >= 0) { console.log('round ' + i + ': one-row output ' + at1 + ' is ' + y1[at1]); process.exit(2); }
      }
      console.log(i);`;
    // 1.5 s of rounds each (at least 20, under an emulator too); the old pool hung within 300 to 10,000.
    for (const spin of ['0', '200']) {
      const env = { ...process.env, GEMMNET_SPIN_US: spin };
      const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 120000, env });
      assert.strictEqual(r.error, undefined, `the child did not finish (GEMMNET_SPIN_US=${spin}): ${r.error && r.error.message}`);
      assert.strictEqual(r.status, 0, `GEMMNET_SPIN_US=${spin}: ${r.stdout}${r.stderr}`);
      console.log(`      GEMMNET_SPIN_US=${spin}: ${r.stdout.trim()} rounds`);
    }
  });

  it('softmaxCEForward matches the reference, including huge logits', () => {
    const [N, C] = [37, 10];
    const z = rand(N * C, 8).map((v) => v * 50);
    z[3] = 1e30;
    const labels = Int32Array.from({ length: N }, (_, i) => (i * 7) % C);
    const p1 = new Float32Array(N * C);
    const p2 = new Float32Array(N * C);
    const [l1, c1] = native.softmaxCEForward(z, labels, p1, N, C);
    const [l2, c2] = native.softmaxCEForwardReference(z, labels, p2, N, C);
    assert.ok(Number.isFinite(l1));
    assert.ok(Math.abs(l1 - l2) / Math.abs(l2) < 1e-5, `${l1} vs ${l2}`);
    assert.strictEqual(c1, c2);
    assert.ok(maxRelErr(p1, p2) < 1e-5);
  });

  it('rejects wrong types and too-small buffers without touching memory', () => {
    const x = new Float32Array(6);
    assert.throws(() => native.denseForward([1, 2], x, null, x, 1, 2, 3, false), TypeError);
    assert.throws(() => native.denseForward(x, x, null, x, 10, 2, 3, false), RangeError);
    assert.throws(() => native.denseForward(x, x, null, x, 1.5, 2, 3, false), RangeError);
    assert.throws(() => native.softmaxCEForward(x, Int32Array.of(0, 7), x, 2, 3), /outside \[0, 3\)/);
    assert.throws(() => native.gatherRows(x, Int32Array.of(3), x, 2), RangeError);
    assert.throws(() => native.denseForward(x), TypeError);
  });
});
