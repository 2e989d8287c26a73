'use strict';
// Mutation fuzzing of the .npy, .npz and IDX parsers. Each case mutates a valid file (bit flips,
// byte overwrites, truncation, insertion, header-text edits, edits of length and offset fields, and
// edits behind a valid deflate/gzip layer) and must either return well-formed data or throw an Error
// raised by the parser itself (its message names the input) - never crash, hang, throw a non-Error or
// return more data than the input could hold. Seeded, so every run tests the same cases.
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const data = require('../../lib/data');
const { writeZip } = require('../../lib/data/zip');

const FIX = path.join(__dirname, '..', 'fixtures');
const NAME = 'fuzz-input';
/** FUZZ_SCALE=10 runs ten times the cases (different ones after the first share). */
const SCALE = Math.max(1, Number(process.env.FUZZ_SCALE) || 1);

/** mulberry32: a small seeded generator independent of the code under test. */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (n) => Math.floor(next() * n);
  next.pick = (arr) => arr[next.int(arr.length)];
  return next;
}

const INTERESTING_U32 = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

function writeInteresting(r, buf, at, size, base) {
  if (at < 0 || at + size > buf.length) return;
  const max = size === 2 ? 0xffff : 0xffffffff;
  let v = r.pick([...INTERESTING_U32, base + 1, base - 1, base * 2, r.int(max + 1), buf.length, buf.length - at]);
  v = ((v % (max + 1)) + max + 1) % (max + 1);
  if (size === 2) buf.writeUInt16LE(v, at);
  else buf.writeUInt32LE(v, at);
}

/** Generic byte-level mutations, one to three per case. */
function mutateBytes(r, input) {
  let buf = Buffer.from(input);
  const rounds = 1 + r.int(3);
  for (let k = 0; k < rounds; k++) {
    const op = r.int(7);
    if (buf.length === 0) buf = Buffer.from([r.int(256)]);
    if (op === 0) { // bit flips
      for (let n = 1 + r.int(4); n > 0; n--) buf[r.int(buf.length)] ^= 1 << r.int(8);
    } else if (op === 1) { // byte overwrites
      for (let n = 1 + r.int(4); n > 0; n--) buf[r.int(buf.length)] = r.pick([0, 1, 0x7f, 0x80, 0xff, r.int(256)]);
    } else if (op === 2) { // truncation, often near the start or the end
      const cut = r() < 0.5 ? r.int(Math.min(buf.length, 160)) : buf.length - 1 - r.int(Math.min(buf.length, 64));
      buf = buf.subarray(0, Math.max(0, cut));
    } else if (op === 3) { // append junk
      buf = Buffer.concat([buf, Buffer.from(Array.from({ length: 1 + r.int(64) }, () => r.int(256)))]);
    } else if (op === 4) { // delete a range
      const a = r.int(buf.length);
      const b = Math.min(buf.length, a + 1 + r.int(32));
      buf = Buffer.concat([buf.subarray(0, a), buf.subarray(b)]);
    } else if (op === 5) { // insert random bytes
      const a = r.int(buf.length + 1);
      buf = Buffer.concat([buf.subarray(0, a), Buffer.from(Array.from({ length: 1 + r.int(16) }, () => r.int(256))), buf.subarray(a)]);
    } else { // 32-bit or 16-bit field overwrite at a random aligned-ish spot
      writeInteresting(r, buf, r.int(Math.max(1, buf.length - 4)), r() < 0.5 ? 2 : 4, 0);
    }
  }
  return buf;
}

const DESCRS = ["'<f4'", "'<f8'", "'|u1'", "'>i4'", "'|O'", "'<c16'", "'<U3'", "'|b1'", "'<i8'", "'x'", "''", "[('a', '<f4')]", '3', 'None'];
const SHAPES = ['()', '(0,)', '(1,)', '(3, 4)', '(2, 3)', '(-1,)', '(4294967296, 4294967296)', '(99999999999999999999,)', '(2,3', '(2, (3,))', '[6]', '(6L,)', "('a',)", '(1.5,)'];

/** Edits the text of a .npy header (keys, descr, shape, fortran_order, syntax), fixing its length field or not. */
function mutateNpyHeader(r, input) {
  const major = input[6];
  const lenBytes = major === 1 ? 2 : 4;
  const hlen = major === 1 ? input.readUInt16LE(8) : input.readUInt32LE(8);
  const start = 8 + lenBytes;
  let text = input.toString('latin1', start, start + hlen);
  const body = input.subarray(start + hlen);
  const op = r.int(6);
  if (op === 0) text = text.replace(/'descr': [^,]*(\]|)/, `'descr': ${r.pick(DESCRS)}`);
  else if (op === 1) text = text.replace(/'shape': \([^)]*\)/, `'shape': ${r.pick(SHAPES)}`);
  else if (op === 2) text = text.replace(/False|True/, r.pick(['True', 'False', '0', 'None', "'no'"]));
  else if (op === 3) text = text.replace(r.pick(["'descr'", "'shape'", "'fortran_order'"]), r.pick(["'extra'", "'descr'", '1', "'shape'"]));
  else if (op === 4) { // syntax damage
    const at = r.int(text.length);
    text = text.slice(0, at) + r.pick(['{', '}', '(', ')', "'", '"', ',', ':', '\\', '\n', '[', ']', 'L', '']) + text.slice(at + r.int(2));
  } else text = '{' .repeat(r.int(40)) + text; // deep nesting
  const h = Buffer.from(text, 'latin1');
  const head = Buffer.from(input.subarray(0, start));
  const fix = r() < 0.85;
  const len = fix ? h.length : hlen;
  if (major === 1) head.writeUInt16LE(Math.min(len, 0xffff), 8);
  else head.writeUInt32LE(len, 8);
  return Buffer.concat([head, h, body]);
}

/** Offsets of ZIP records of one signature. */
function records(buf, sig) {
  const out = [];
  for (let i = 0; i + 4 <= buf.length; i++) if (buf.readUInt32LE(i) === sig) out.push(i);
  return out;
}

/** Overwrites a length, size, offset, count or method field of a ZIP record. */
function mutateZipFields(r, input) {
  const buf = Buffer.from(input);
  const eocd = records(buf, 0x06054b50);
  const central = records(buf, 0x02014b50);
  const local = records(buf, 0x04034b50);
  const eocd64 = records(buf, 0x06064b50);
  const locator = records(buf, 0x07064b50);
  const choices = [];
  for (const e of eocd) for (const [o, s] of [[4, 2], [6, 2], [8, 2], [10, 2], [12, 4], [16, 4], [20, 2]]) choices.push([e + o, s]);
  for (const c of central) for (const [o, s] of [[8, 2], [10, 2], [16, 4], [20, 4], [24, 4], [28, 2], [30, 2], [32, 2], [42, 4], [46 + 4, 4], [46 + 8, 4]]) choices.push([c + o, s]);
  for (const l of local) for (const [o, s] of [[8, 2], [18, 4], [22, 4], [26, 2], [28, 2]]) choices.push([l + o, s]);
  for (const z of eocd64) for (const o of [24, 28, 32, 36, 40, 44, 48, 52]) choices.push([z + o, 4]);
  for (const l of locator) for (const o of [8, 12, 16]) choices.push([l + o, 4]);
  for (let n = 1 + r.int(2); n > 0 && choices.length; n--) {
    const [at, size] = r.pick(choices);
    if (at + size > buf.length) continue;
    writeInteresting(r, buf, at, size, size === 2 ? buf.readUInt16LE(at) : buf.readUInt32LE(at));
  }
  return buf;
}

/** Overwrites the IDX type byte, dimension count or a dimension. */
function mutateIdxFields(r, input) {
  const buf = Buffer.from(input);
  const op = r.int(3);
  if (op === 0) buf[2] = r.pick([0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e, 0x0a, 0x00, 0xff]);
  else if (op === 1) buf[3] = r.pick([0, 1, 2, 3, 4, 200, 255]);
  else {
    const at = 4 + 4 * r.int(Math.max(1, buf[3]));
    if (at + 4 <= buf.length) buf.writeUInt32BE(r.pick([...INTERESTING_U32, buf.readUInt32BE(at) + 1, buf.readUInt32BE(at) - 1 >>> 0]), at);
  }
  return buf;
}

const stats = { cases: 0, ok: 0, errors: 0, slowestMs: 0 };
const histogram = new Map();

/** Runs one case: parse must return sane data or throw its own Error. */
function runCase(parse, input, maxOutBytes, label) {
  stats.cases++;
  const t = process.hrtime.bigint();
  let result;
  try {
    result = parse(input);
  } catch (e) {
    if (!(e instanceof Error)) assert.fail(`${label}: threw a non-Error: ${String(e)}`);
    if (process.env.FUZZ_HISTOGRAM) {
      const key = e.message.replace(/\d+/g, 'N').replace(/'[^']*'/g, "'X'").replace(/"[^"]*"/g, '"X"').slice(0, 110);
      histogram.set(key, (histogram.get(key) ?? 0) + 1);
    }
    if (!e.message.includes(NAME)) assert.fail(`${label}: an error escaped without naming the input: ${e.stack}`);
    stats.errors++;
    return;
  } finally {
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (ms > stats.slowestMs) stats.slowestMs = ms;
    if (ms > 2000) assert.fail(`${label}: took ${ms.toFixed(0)} ms`);
  }
  stats.ok++;
  const arrays = 'data' in result && ArrayBuffer.isView(result.data) ? [result] : Object.values(result);
  let total = 0;
  for (const a of arrays) {
    assert.ok(ArrayBuffer.isView(a.data) && Array.isArray(a.shape) && typeof a.dtype === 'string', `${label}: malformed result`);
    assert.strictEqual(a.data.length, a.shape.reduce((x, y) => x * y, 1), `${label}: data length != shape product`);
    total += a.data.byteLength;
  }
  assert.ok(total <= maxOutBytes, `${label}: returned ${total} bytes from a ${input.length}-byte input`);
}

const read = (...p) => fs.readFileSync(path.join(FIX, ...p));

describe('fuzz: mutated files either load or throw a clean Error', function () {
  this.timeout(120000);
  const parseNpy = (b) => data.parseNpy(b, NAME);
  const parseNpz = (b) => data.parseNpz(b, NAME);
  const parseIdx = (b) => data.parseIdx(b, NAME);

  after(() => {
    console.log(`      fuzz: ${stats.cases} cases, ${stats.ok} loaded, ${stats.errors} clean errors, slowest ${stats.slowestMs.toFixed(1)} ms, ` +
      `rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
    assert.ok(process.memoryUsage().rss < 3 * 2 ** 30, 'memory stayed bounded');
    if (process.env.FUZZ_HISTOGRAM) for (const [k, v] of [...histogram].sort((a, b) => b[1] - a[1])) console.log(`${v}\t${k}`);
  });

  it(`.npy: ${SCALE * 30000} cases of byte mutations and header-text edits`, () => {
    const bases = ['u1', 'i1', 'b1', 'u2', 'i2', 'u4', 'i4', 'f4', 'f8', 'i8', 'u8', 'v1', 'v2', 'v3', 'scalar', 'empty', 'fortran', 'bigendian', 'object']
      .map((f) => read('npy', `${f}.npy`));
    bases.push(data.encodeNpy({ data: new Float32Array(60).map((_, i) => i), shape: [3, 4, 5] }));
    const r = rng(20240521);
    for (let i = 0; i < SCALE * 30000; i++) {
      const base = r.pick(bases);
      const input = r() < 0.4 ? mutateNpyHeader(r, base) : mutateBytes(r, base);
      runCase(parseNpy, input, input.length, `npy case ${i}`);
    }
  });

  const npzBases = (compress) => {
    const arrays = {
      a: { data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] }, labels: { data: new Uint8Array(40).map((_, i) => i % 10) },
    };
    const own = data.encodeNpz(arrays, { compress });
    return compress ? [own, read('npz', 'zip64.npz')] : [own, read('npz', 'positional.npz'), read('npz', 'extra-member.npz')];
  };

  /** Mutates a member's .npy bytes and re-wraps it in a valid ZIP, so the damage reaches the npy parser. */
  function innerNpz(r, compress) {
    const npy = data.encodeNpy({ data: new Int32Array(12).map((_, i) => i * 7), shape: [3, 4] });
    const member = r() < 0.5 ? mutateNpyHeader(r, npy) : mutateBytes(r, npy);
    return writeZip([{ name: 'x.npy', data: member }, { name: 'y.npy', data: npy }], compress);
  }

  for (const compress of [false, true]) {
    it(`.npz (${compress ? 'deflated' : 'stored'}): ${SCALE * 18000} cases of byte, field and member mutations`, () => {
      const bases = npzBases(compress);
      const r = rng(compress ? 77 : 78);
      for (let i = 0; i < SCALE * 18000; i++) {
        const kind = r.int(10);
        const input = kind < 4 ? mutateBytes(r, r.pick(bases)) : kind < 8 ? mutateZipFields(r, r.pick(bases)) : innerNpz(r, compress);
        runCase(parseNpz, input, input.length * 1032 + 1024, `npz ${compress ? 'deflated' : 'stored'} case ${i}`);
      }
    });
  }

  for (const gz of [false, true]) {
    it(`IDX (${gz ? 'gzip' : 'raw'}): ${SCALE * 12000} cases of byte and header-field mutations${gz ? ', outside and inside the gzip layer' : ''}`, () => {
      const raws = ['u1', 'i1', 'i2', 'i4', 'f4', 'f8'].map((c) => read('idx', `${c}.idx`));
      const bases = gz ? raws.map((b) => zlib.gzipSync(b)) : raws;
      const r = rng(gz ? 1001 : 1002);
      for (let i = 0; i < SCALE * 12000; i++) {
        let input;
        if (gz && r() < 0.5) {
          const inner = r.pick(raws);
          input = zlib.gzipSync(r() < 0.5 ? mutateIdxFields(r, inner) : mutateBytes(r, inner));
        } else {
          const base = r.pick(bases);
          input = !gz && r() < 0.4 ? mutateIdxFields(r, base) : mutateBytes(r, base);
        }
        runCase(parseIdx, input, gz ? input.length * 1032 + 1024 : input.length, `idx ${gz ? 'gz' : 'raw'} case ${i}`);
      }
    });
  }

  it('ran at least 20,000 cases', () => {
    assert.ok(stats.cases >= 20000, `${stats.cases} cases`);
  });
});
