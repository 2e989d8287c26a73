'use strict';
// .npy, .npz and IDX: NumPy-written fixtures load with the right dtype, shape and bits; our writers
// round-trip (and NumPy reads them, when python3 + numpy are installed); each malformed input
// throws the documented error class with a message naming the problem.
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');
const { spawnSync } = require('child_process');
const data = require('../../lib/data');

const FIX = path.join(__dirname, '..', 'fixtures');
const expected = require('../fixtures/expected.json');
const { throwsLike } = require('../helpers/util');
const CTORS = {
  uint8: Uint8Array, int8: Int8Array, bool: Uint8Array, uint16: Uint16Array, int16: Int16Array, uint32: Uint32Array,
  int32: Int32Array, float32: Float32Array, float64: Float64Array, int64: BigInt64Array, uint64: BigUint64Array,
};

function fromB64(b64, Ctor) {
  const buf = Buffer.from(b64, 'base64');
  const out = new Ctor(buf.length / Ctor.BYTES_PER_ELEMENT);
  new Uint8Array(out.buffer).set(buf);
  return out;
}
const bytesOf = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

let numpyOk;
function python(code) {
  if (numpyOk === undefined) numpyOk = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
  if (!numpyOk) return null;
  const r = spawnSync('python3', ['-c', code], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** A version 1.0 .npy with the given header text and body. */
function npyWith(header, body = Buffer.alloc(0)) {
  const h = Buffer.from(header + ' '.repeat(63 - ((10 + header.length) % 64)) + '\n', 'latin1');
  const pre = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0, 0]);
  pre.writeUInt16LE(h.length, 8);
  return Buffer.concat([pre, h, body]);
}


let tmp;
before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gemmnet-formats-')); });
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('data: .npy', () => {
  it('loads every supported dtype NumPy writes, with its extremes', () => {
    for (const [code, e] of Object.entries(expected.npy)) {
      const a = data.loadNpy(path.join(FIX, 'npy', `${code}.npy`));
      assert.strictEqual(a.dtype, e.dtype, code);
      assert.deepStrictEqual(a.shape, e.shape, code);
      assert.ok(a.data instanceof CTORS[e.dtype], `${code} -> ${a.data.constructor.name}`);
      assert.strictEqual(a.data.byteOffset, 0);
      assert.ok(bytesOf(a.data).equals(Buffer.from(e.b64, 'base64')), `${code} bits`);
    }
    assert.strictEqual(data.loadNpy(path.join(FIX, 'npy', 'i8.npy')).data[0], -(2n ** 63n));
    assert.strictEqual(data.loadNpy(path.join(FIX, 'npy', 'u8.npy')).data[5], 2n ** 64n - 1n);
  });

  it('reads format versions 1.0, 2.0 and 3.0, scalars, empty arrays and trivially-Fortran arrays', () => {
    const want = fromB64(expected.f4_3x4, Float32Array);
    for (const v of [1, 2, 3]) {
      const a = data.loadNpy(path.join(FIX, 'npy', `v${v}.npy`));
      assert.deepStrictEqual(a.shape, [3, 4]);
      assert.deepStrictEqual([...a.data], [...want]);
    }
    assert.deepStrictEqual(data.loadNpy(path.join(FIX, 'npy', 'scalar.npy')), { data: new Float64Array([2.5]), shape: [], dtype: 'float64' });
    assert.deepStrictEqual(data.loadNpy(path.join(FIX, 'npy', 'empty.npy')), { data: new Int32Array(0), shape: [0, 3], dtype: 'int32' });
    const f = data.loadNpy(path.join(FIX, 'npy', 'fortran-1d.npy'));
    assert.deepStrictEqual([f.shape, [...f.data]], [[3, 1], [want[0], want[4], want[8]]]);
  });

  it('round-trips every typed array through encodeNpy / saveNpy, copying into aligned arrays', () => {
    const samples = [
      new Uint8Array([0, 255]), new Int8Array([-128, 127]), new Uint16Array([65535]), new Int16Array([-32768, 5]),
      new Uint32Array([4294967295]), new Int32Array([-2147483648, 1, 2, 3, 4, 5]), new Float32Array([-0, NaN, 1e-45]),
      new Float64Array([Math.PI, -Infinity]), new BigInt64Array([-(2n ** 63n)]), new BigUint64Array([2n ** 64n - 1n]),
      new Float32Array(0),
    ];
    for (const s of samples) {
      const back = data.parseNpy(data.encodeNpy({ data: s }));
      assert.deepStrictEqual(back.shape, [s.length]);
      assert.strictEqual(back.data.constructor, s.constructor);
      assert.ok(bytesOf(back.data).equals(bytesOf(s)));
    }
    const m = { data: new Float32Array(24).map((_, i) => i / 3), shape: [2, 3, 4] };
    const enc = data.encodeNpy(m);
    assert.strictEqual(enc.indexOf(0x0a) + 1, 128, 'data starts on a 64-byte boundary');
    // An odd offset into a larger buffer still yields an aligned Float32Array.
    const shifted = Buffer.concat([Buffer.alloc(1), enc]).subarray(1);
    const back = data.parseNpy(new Uint8Array(shifted.buffer, shifted.byteOffset, shifted.length));
    assert.deepStrictEqual(back, { data: m.data, shape: [2, 3, 4], dtype: 'float32' });
    data.saveNpy(path.join(tmp, 'b.npy'), { data: new Uint8Array([1, 0, 1]), dtype: 'bool' });
    assert.deepStrictEqual(data.loadNpy(path.join(tmp, 'b.npy')), { data: new Uint8Array([1, 0, 1]), shape: [3], dtype: 'bool' });
    data.saveNpy(path.join(tmp, 's.npy'), { data: new Float64Array([7]), shape: [] });
    assert.deepStrictEqual(data.loadNpy(path.join(tmp, 's.npy')).shape, []);
    throwsLike(() => data.encodeNpy({ data: new Float32Array(5), shape: [2, 3] }), RangeError, /has 6 elements but data has 5/);
    throwsLike(() => data.encodeNpy({ data: [1, 2] }), TypeError, /typed array/);
    throwsLike(() => data.encodeNpy({ data: new Int32Array(1), dtype: 'bool' }), TypeError, /does not match/);
  });

  it('writes files NumPy reads back (live NumPy)', function () {
    const files = {
      f4: { data: new Float32Array([1.5, -2, 3e-8, 4, 5, 6]), shape: [2, 3] }, f8: { data: new Float64Array([Math.E]) },
      u1: { data: new Uint8Array([0, 9, 255]) }, i4: { data: new Int32Array([-7, 2 ** 31 - 1]), shape: [1, 2] },
      b1: { data: new Uint8Array([1, 0]), dtype: 'bool' }, i8: { data: new BigInt64Array([-5n]) },
    };
    for (const [k, v] of Object.entries(files)) data.saveNpy(path.join(tmp, `${k}.npy`), v);
    const py = python(`
import numpy as np, json
out = {}
for k in ${JSON.stringify(Object.keys(files))}:
    a = np.load(${JSON.stringify(tmp)} + '/' + k + '.npy')
    out[k] = [a.dtype.name, list(a.shape), [float(v) for v in a.ravel()]]
print(json.dumps(out))`);
    if (!py) this.skip();
    for (const [k, v] of Object.entries(files)) {
      assert.deepStrictEqual(py[k], [v.dtype ?? data.parseNpy(data.encodeNpy(v)).dtype, v.shape ?? [v.data.length], [...v.data].map(Number)]);
    }
  });

  it('refuses malformed and unsupported files with errors that say what is wrong', () => {
    const good = fs.readFileSync(path.join(FIX, 'npy', 'f4.npy'));
    const e = (name) => path.join(FIX, 'npy', name);
    assert.throws(() => data.loadNpy(e('missing.npy')), (err) => err.constructor === Error && err.code === 'ENOENT' &&
      err.message.includes('missing.npy') && /no such file/.test(err.message));
    throwsLike(() => data.loadNpy(FIX), Error, /is a directory/);
    throwsLike(() => data.parseNpy(Buffer.from('hello world, not numpy')), Error, /bad magic/);
    throwsLike(() => data.loadNpy(path.join(FIX, 'npz', 'stored.npz')), Error, /stored\.npz.*bad magic.*use loadNpz/);
    throwsLike(() => data.parseNpy(good.subarray(0, 9)), Error, /truncated \.npy header/);
    throwsLike(() => data.parseNpy(good.subarray(0, 60)), Error, /truncated \.npy header: it claims 118 bytes but only 50 follow/);
    const v9 = Buffer.from(good); v9[6] = 9;
    throwsLike(() => data.parseNpy(v9), Error, /format version 9\.0/);
    throwsLike(() => data.parseNpy(npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2,) ")), Error, /cannot parse the \.npy header dict/);
    throwsLike(() => data.parseNpy(npyWith("{'descr': '<f4', 'fortran_order': Fals, 'shape': (2,), }")), Error, /cannot parse/);
    throwsLike(() => data.parseNpy(npyWith("[1, 2]")), Error, /not a dict/);
    throwsLike(() => data.parseNpy(npyWith("{'descr': '<f4', 'shape': (2,), }")), Error, /keys descr, fortran_order and shape/);
    throwsLike(() => data.parseNpy(npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': [2], }")), Error, /tuple of integers/);
    throwsLike(() => data.parseNpy(npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }")), RangeError, /invalid dimension -2/);
    throwsLike(() => data.loadNpy(e('bigendian.npy')), TypeError, /bigendian\.npy.*big-endian dtype '>f4'/);
    throwsLike(() => data.loadNpy(e('complex.npy')), TypeError, /complex dtype '<c8'/);
    throwsLike(() => data.loadNpy(e('object.npy')), TypeError, /object\.npy.*'\|O' is an object array/);
    throwsLike(() => data.loadNpy(e('structured.npy')), TypeError, /structured dtypes/);
    throwsLike(() => data.loadNpy(e('float16.npy')), TypeError, /unsupported dtype '<f2'/);
    throwsLike(() => data.loadNpy(e('fortran.npy')), Error, /Fortran \(column-major\) order.*np\.ascontiguousarray/);
    throwsLike(() => data.parseNpy(npyWith("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }")),
      RangeError, /more elements than can be addressed/);
    throwsLike(() => data.parseNpy(npyWith("{'descr': '<f8', 'fortran_order': False, 'shape': (67108864, 33554432), }")),
      RangeError, /more bytes than can be addressed/);
    throwsLike(() => data.parseNpy(npyWith("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000,), }")),
      Error, /needs 8000000000 data bytes, but the file has 0 \(truncated\?\)/);
    throwsLike(() => data.parseNpy(good.subarray(0, good.length - 1)), Error, /needs 24 data bytes, but the file has 23/);
    throwsLike(() => data.parseNpy(Buffer.concat([good, Buffer.alloc(4)])), Error, /needs 24 data bytes, but the file has 28/);
    throwsLike(() => data.parseNpy('not a buffer'), TypeError, /Buffer or Uint8Array/);
    throwsLike(() => data.loadNpy(42), TypeError, /path must be/);
  });
});

/** Offsets of every central-directory record in a ZIP buffer. */
function centralRecords(buf) {
  const out = [];
  for (let i = 0; i + 4 <= buf.length; i++) if (buf.readUInt32LE(i) === 0x02014b50) out.push(i);
  return out;
}

describe('data: .npz', () => {
  const tinyImages = fromB64(expected.tiny.images, Uint8Array);
  const tinyLabels = fromB64(expected.tiny.labels, Uint8Array);

  it('loads np.savez and np.savez_compressed archives, positional names, ZIP64 records', () => {
    for (const f of ['stored.npz', 'deflated.npz']) {
      const z = data.loadNpz(path.join(FIX, 'npz', f));
      assert.deepStrictEqual(Object.keys(z), ['images', 'labels', 'f8']);
      assert.deepStrictEqual([z.images.shape, z.images.dtype], [[20, 28, 28], 'uint8']);
      assert.ok(bytesOf(z.images.data).equals(bytesOf(tinyImages)));
      assert.ok(bytesOf(z.labels.data).equals(bytesOf(tinyLabels)));
      assert.ok(bytesOf(z.f8.data).equals(Buffer.from(expected.npy.f8.b64, 'base64')));
      assert.strictEqual(Object.getPrototypeOf(z), null);
    }
    const p = data.loadNpz(path.join(FIX, 'npz', 'positional.npz'));
    assert.deepStrictEqual(Object.keys(p), ['arr_0', 'arr_1']);
    assert.deepStrictEqual([...p.arr_0.data], [0, 1, 2]);
    const z64 = data.loadNpz(path.join(FIX, 'npz', 'zip64.npz'));
    assert.ok(bytesOf(z64.images.data).equals(bytesOf(tinyImages.subarray(0, 2 * 784))));
    assert.deepStrictEqual([...z64.labels.data], [0, 0]);
    assert.deepStrictEqual(Object.keys(data.loadNpz(path.join(FIX, 'npz', 'extra-member.npz'))), ['a'], 'non-.npy members are skipped');
  });

  it('round-trips through encodeNpz / saveNpz, stored and deflated, and NumPy reads them', function () {
    const arrays = {
      images: { data: tinyImages, shape: [20, 28, 28] }, labels: { data: tinyLabels },
      w: { data: new Float32Array([0.25, -1]), shape: [1, 2] }, 'odd name': { data: new BigUint64Array([3n]) },
    };
    for (const compress of [false, true]) {
      const file = path.join(tmp, `rt-${compress}.npz`);
      data.saveNpz(file, arrays, { compress });
      const back = data.loadNpz(file);
      assert.deepStrictEqual(Object.keys(back), Object.keys(arrays));
      for (const [k, v] of Object.entries(arrays)) {
        assert.deepStrictEqual(back[k].shape, v.shape ?? [v.data.length]);
        assert.ok(bytesOf(back[k].data).equals(bytesOf(v.data)), k);
      }
    }
    assert.ok(fs.statSync(path.join(tmp, 'rt-true.npz')).size < fs.statSync(path.join(tmp, 'rt-false.npz')).size);
    const py = python(`
import numpy as np, json, zipfile
out = []
for c in ['false', 'true']:
    f = ${JSON.stringify(tmp)} + '/rt-' + c + '.npz'
    assert zipfile.ZipFile(f).testzip() is None
    d = np.load(f)
    out.append([sorted(d.files), int(d['images'].astype(np.int64).sum()), d['w'].tolist(), int(d['odd name'][0])])
print(json.dumps(out))`);
    if (!py) this.skip();
    let sum = 0;
    for (const v of tinyImages) sum += v;
    const want = [['images', 'labels', 'odd name', 'w'], sum, [[0.25, -1]], 3];
    assert.deepStrictEqual(py, [want, want]);
  });

  it('refuses corrupt, truncated and unsupported archives with clear errors', () => {
    const stored = fs.readFileSync(path.join(FIX, 'npz', 'stored.npz'));
    const deflated = fs.readFileSync(path.join(FIX, 'npz', 'deflated.npz'));
    throwsLike(() => data.loadNpz(path.join(FIX, 'npz', 'missing.npz')), Error, /missing\.npz': no such file/);
    throwsLike(() => data.parseNpz(Buffer.from('short')), Error, /not a ZIP\/\.npz archive: only 5 bytes/);
    const noise = Buffer.alloc(5000);
    for (let i = 0, s = 1; i < noise.length; i++) noise[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
    throwsLike(() => data.parseNpz(noise), Error, /no end-of-central-directory record/);
    throwsLike(() => data.loadNpz(path.join(FIX, 'npy', 'f4.npy')), Error, /f4\.npy.*this is a \.npy file: use loadNpy/);
    throwsLike(() => data.parseNpz(stored.subarray(0, stored.length - 30)), Error, /no end-of-central-directory.*truncated ZIP archive/);
    // Cut the front off: the directory's offsets now point past what is left.
    throwsLike(() => data.parseNpz(stored.subarray(8000)), Error, /corrupt or truncated ZIP archive/);
    // Flip a byte of stored image data: CRC-32 catches it.
    const crcBad = Buffer.from(stored); crcBad[1000] ^= 0x10;
    throwsLike(() => data.parseNpz(crcBad), Error, /entry 'images\.npy': CRC-32 mismatch/);
    const deflBad = Buffer.from(deflated); for (let i = 200; i < 260; i++) deflBad[i] ^= 0xa5;
    throwsLike(() => data.parseNpz(deflBad), Error, /entry 'images\.npy': (corrupt deflate data|CRC-32 mismatch)/);
    throwsLike(() => data.loadNpz(path.join(FIX, 'npz', 'bzip2.npz')), Error, /compression method 12 \(bzip2\), which is not supported/);
    const enc = Buffer.from(stored); enc[centralRecords(enc)[0] + 8] |= 1;
    throwsLike(() => data.parseNpz(enc), Error, /is encrypted/);
    throwsLike(() => data.parseNpz(stored, 'x', { maxEntryBytes: 1000 }), RangeError, /declares 15808 bytes, more than the 1000-byte limit/);
    throwsLike(() => data.parseNpz(stored, 'x', { maxEntryBytes: -1 }), RangeError, /maxEntryBytes/);
  });

  it('is decompression-bomb safe: inflating stops at the declared size', () => {
    // 16 MiB of zeros deflates to ~16 KiB; declare 100 bytes and the inflater must stop there.
    const zeros = new Uint8Array(16 << 20);
    const bomb = data.encodeNpz({ z: { data: zeros } }, { compress: true });
    const c = centralRecords(bomb)[0];
    const small = Buffer.from(bomb); small.writeUInt32LE(100, c + 24);
    throwsLike(() => data.parseNpz(small), Error, /inflates to more than the declared 100 bytes/);
    const huge = Buffer.from(bomb); huge.writeUInt32LE(0xfffffff0, c + 24);
    throwsLike(() => data.parseNpz(huge), Error, /beyond what deflate can produce/);
    const short = Buffer.from(bomb); short.writeUInt32LE((16 << 20) + 1000, c + 24);
    throwsLike(() => data.parseNpz(short), Error, /inflated to 16777344 bytes, declared 16778216/);
    assert.strictEqual(data.parseNpz(bomb).z.data.length, 16 << 20);
  });
});

describe('data: IDX', () => {
  it('loads each IDX type, raw and gzipped', () => {
    for (const [code, e] of Object.entries(expected.idx)) {
      for (const f of [`${code}.idx`, `${code}.idx.gz`]) {
        const a = data.loadIdx(path.join(FIX, 'idx', f));
        assert.deepStrictEqual([a.dtype, a.shape], [e.dtype, e.shape], f);
        assert.ok(bytesOf(a.data).equals(Buffer.from(e.b64, 'base64')), `${f} bits`);
      }
    }
  });

  it('round-trips through encodeIdx / saveIdx', () => {
    const samples = [
      { data: new Uint8Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] }, { data: new Int8Array([-1, 1]) },
      { data: new Int16Array([-300, 300]) }, { data: new Int32Array([-(2 ** 31), 2 ** 31 - 1]) },
      { data: new Float32Array([1.5, NaN, -0]), shape: [3, 1, 1] }, { data: new Float64Array([Math.PI]), shape: [] },
    ];
    for (const s of samples) {
      for (const gzip of [false, true]) {
        const file = path.join(tmp, `x-${gzip}.idx`);
        data.saveIdx(file, s, { gzip });
        const back = data.loadIdx(file);
        assert.deepStrictEqual(back.shape, s.shape ?? [s.data.length]);
        assert.ok(bytesOf(back.data).equals(bytesOf(s.data)));
      }
    }
    throwsLike(() => data.encodeIdx({ data: new Uint16Array(2) }), TypeError, /IDX stores/);
  });

  it('refuses bad magic, truncation and size mismatches', () => {
    const raw = fs.readFileSync(path.join(FIX, 'idx', 'u1.idx'));
    const gz = fs.readFileSync(path.join(FIX, 'idx', 'u1.idx.gz'));
    throwsLike(() => data.loadIdx(path.join(FIX, 'idx', 'missing')), Error, /missing': no such file/);
    throwsLike(() => data.parseIdx(Buffer.from([0, 0, 8])), Error, /truncated IDX file/);
    throwsLike(() => data.parseIdx(Buffer.from([1, 0, 8, 1, 0, 0, 0, 0])), Error, /bad magic \[01 00 08 01\]/);
    throwsLike(() => data.parseIdx(Buffer.from([0, 0, 0x0a, 1, 0, 0, 0, 0])), Error, /not an IDX file/);
    throwsLike(() => data.parseIdx(raw.subarray(0, 10)), Error, /truncated IDX header: 3 dimensions need 16 bytes/);
    throwsLike(() => data.parseIdx(raw.subarray(0, raw.length - 1)), Error, /needs 2352 data bytes, but the file has 2351 \(truncated\?\)/);
    throwsLike(() => data.parseIdx(Buffer.concat([raw, Buffer.alloc(1)])), Error, /the file has 2353/);
    throwsLike(() => data.parseIdx(gz.subarray(0, gz.length - 8)), Error, /corrupt or truncated gzip data/);
    const gzBad = Buffer.from(gz); gzBad[40] ^= 0xff;
    throwsLike(() => data.parseIdx(gzBad), Error, /corrupt or truncated gzip data/);
    throwsLike(() => data.parseIdx(gz, 'x', { maxBytes: 100 }), RangeError, /inflates to more than 100 bytes/);
    const huge = Buffer.from(raw); huge.writeUInt32BE(0xffffffff, 4);
    throwsLike(() => data.parseIdx(huge), Error, /shape \(4294967295, 28, 28\) of uint8 needs 3367254359280 data bytes, but the file has 2352/);
    huge.writeUInt32BE(0xffffffff, 8);
    throwsLike(() => data.parseIdx(huge), RangeError, /more elements than can be addressed/);
    // A gzip bomb stops at options.maxBytes instead of filling memory.
    const bomb = zlib.gzipSync(Buffer.concat([Buffer.from([0, 0, 8, 1, 0x02, 0, 0, 0]), Buffer.alloc(1 << 25)]));
    throwsLike(() => data.parseIdx(bomb, 'bomb', { maxBytes: 1 << 20 }), RangeError, /bomb: gzip data inflates to more than 1048576 bytes/);
  });
});
