'use strict';
// Checkpoints: save/load round trips are bit-exact for both models; resuming with the saved
// optimizer continues exactly; the safetensors reader refuses every malformed layout with an Error
// naming the file; and writes are atomic, even when the write fails midway or the writer is killed.
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const gemmnet = require('../..');
const io = require('../../lib/io');
const { standardSplit } = require('../helpers/data');
const { throwsLike } = require('../helpers/util');

const ROOT = path.resolve(__dirname, '..', '..');
const bytes = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const esc = (p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function sameBits(a, b, what) {
  assert.strictEqual(a.constructor, b.constructor, what);
  assert.ok(bytes(a).equals(bytes(b)), `${what} differs`);
}

function sameModel(a, b, x) {
  assert.strictEqual(b.kind, a.kind);
  assert.deepStrictEqual(b.options, a.options);
  const wa = a.getWeights();
  const wb = b.getWeights();
  assert.deepStrictEqual(Object.keys(wb), Object.keys(wa));
  for (const k of Object.keys(wa)) sameBits(wa[k], wb[k], k);
  const sa = a.getState();
  const sb = b.getState();
  assert.deepStrictEqual(Object.keys(sb), Object.keys(sa));
  for (const k of Object.keys(sa)) sameBits(sa[k], sb[k], k);
  sameBits(a.predict(x), b.predict(x), 'predict');
}


let tmp;
let data;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gemmnet-ckpt-'));
  data = standardSplit();
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const subset = (set, n) => ({ x: set.x.subarray(0, 784 * n), y: set.y.subarray(0, n) });

describe('checkpoints: round trips', () => {
  it('an MLP with non-default options comes back bit for bit', async () => {
    const model = gemmnet.mlp({ hidden: 48, seed: 7 });
    await gemmnet.train(model, subset(data.train, 1000), { epochs: 1, optimizer: gemmnet.momentum({ lr: 0.05, gamma: 0.5 }) });
    const p = path.join(tmp, 'mlp.safetensors');
    io.saveModel(model, p, { meta: { epoch: 1, note: 'é ✓' } });
    const back = io.loadModel(p);
    assert.ok(back instanceof gemmnet.MLP);
    sameModel(model, back, data.test.x);
    const ckpt = io.readCheckpoint(p);
    assert.deepStrictEqual(ckpt.meta, { epoch: 1, note: 'é ✓' });
    assert.deepStrictEqual({ ...ckpt.shapes }, model.shapes);
    assert.strictEqual(ckpt.version, io.CHECKPOINT_VERSION);
  });

  for (const evaluation of ['running', 'batch']) {
    it(`a CNN with dropout, L2 and batch norm (evaluation '${evaluation}') comes back bit for bit`, async () => {
      const options = {
        filters: 6, fc: 40, keepProb: 0.75, l2: 0.01, seed: 11,
        batchNorm: { mode: evaluation === 'batch' ? 'batch' : 'channel', eps: 1e-5, momentum: 0.9, evaluation },
      };
      const net = gemmnet.cnn(options);
      await gemmnet.train(net, subset(data.train, 300), { epochs: 1, batchSize: 50, optimizer: gemmnet.adam({ lr: 1e-3 }) });
      const p = path.join(tmp, `cnn-${evaluation}.safetensors`);
      io.saveModel(net, p);
      const back = io.loadModel(p);
      assert.ok(back instanceof gemmnet.CNN);
      sameModel(net, back, data.test.x.subarray(0, 784 * 200));
      // The running averages really were trained, so the state round trip is meaningful.
      assert.ok(Object.values(net.getState()).some((s) => s.some((v) => v !== 0 && v !== 1)));
    });
  }

  it('NaN payloads, infinities and signed zeros survive', () => {
    const model = gemmnet.mlp({ inputs: 4, hidden: 3, classes: 2 });
    const b = new Float32Array([NaN, -0, Infinity]);
    new Uint32Array(b.buffer)[0] = 0x7fc01234;
    model.setWeights({ b_h: b });
    const p = path.join(tmp, 'special.safetensors');
    io.saveModel(model, p);
    sameBits(io.loadModel(p).getWeights().b_h, b, 'b_h');
  });

  it('resuming with the saved optimizer continues exactly as an uninterrupted run', async () => {
    const set = subset(data.train, 600);
    for (const makeOpt of [() => gemmnet.momentum({ lr: 0.02 }), () => gemmnet.adam({ lr: 1e-3 })]) {
      const straight = gemmnet.mlp({ hidden: 32, seed: 3 });
      const opt = makeOpt();
      await gemmnet.train(straight, set, { epochs: 1, optimizer: opt });
      const p = path.join(tmp, `resume-${opt.name}.safetensors`);
      io.saveModel(straight, p, { optimizer: opt, tensors: { order: new Int32Array([3, 1, 2]) }, meta: { epoch: 1 } });
      await gemmnet.train(straight, set, { epochs: 1, optimizer: opt, seed: 2 });

      const ckpt = io.readCheckpoint(p);
      assert.strictEqual(ckpt.optimizer.name, opt.name);
      assert.deepStrictEqual(ckpt.optimizer.config, opt.config);
      assert.strictEqual(ckpt.optimizer.step, 6);
      sameBits(ckpt.extra.order, new Int32Array([3, 1, 2]), 'extra.order');
      const resumed = io.modelFromCheckpoint(ckpt);
      await gemmnet.train(resumed, set, { epochs: 1, optimizer: io.optimizerFromCheckpoint(ckpt), seed: 2 });
      sameModel(straight, resumed, data.test.x.subarray(0, 784 * 100));
    }
  });

  it('the file is plain safetensors: F32 weights with their shapes, state. and optim. prefixes, string metadata', () => {
    const model = gemmnet.cnn({ filters: 2, fc: 8, height: 8, width: 8, classes: 3 });
    const opt = gemmnet.adam();
    opt.step(model.params, model.grads);
    const p = path.join(tmp, 'layout.safetensors');
    io.saveModel(model, p, { optimizer: opt });
    const buf = fs.readFileSync(p);
    const n = Number(buf.readBigUInt64LE(0));
    assert.strictEqual((8 + n) % 8, 0, 'data starts 8-byte aligned');
    const header = JSON.parse(buf.toString('utf8', 8, 8 + n));
    assert.deepStrictEqual(header.W_conv, { dtype: 'F32', shape: [3, 3, 1, 2], data_offsets: [0, 72] });
    assert.deepStrictEqual(Object.keys(header).filter((k) => k.startsWith('state.')), ['state.layer1.running_mean', 'state.layer1.running_var']);
    assert.deepStrictEqual(Object.keys(header).filter((k) => k.startsWith('optim.')), ['optim.m', 'optim.v']);
    const meta = header.__metadata__;
    assert.strictEqual(meta.format, 'gemmnet');
    assert.strictEqual(meta.kind, 'cnn');
    assert.deepStrictEqual(JSON.parse(meta.options), JSON.parse(JSON.stringify(model.options)));
    assert.ok(Object.values(meta).every((v) => typeof v === 'string'));
    // The generic reader sees the same tensors.
    const st = io.decodeSafetensors(buf);
    sameBits(st.tensors.W_conv.data, model.getWeights().W_conv, 'W_conv');
  });
});

// ---- Malformed files -----------------------------------------------------------------------------

/** A safetensors file from a header object (or raw header text) and a data section. */
function stFile(header, data = Buffer.alloc(0)) {
  const text = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(text.length));
  return Buffer.concat([len, text, data]);
}

describe('checkpoints: malformed safetensors files', () => {
  const write = (name, buf) => {
    const p = path.join(tmp, name);
    fs.writeFileSync(p, buf);
    return p;
  };
  const f32 = (begin, end, shape) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });

  const CASES = [
    ['empty', Buffer.alloc(0), Error, /not a safetensors file: 0 bytes/],
    ['short', Buffer.alloc(5), Error, /not a safetensors file: 5 bytes/],
    ['header past end', (() => { const b = stFile({}); b.writeBigUInt64LE(1000n); return b; })(), Error, /truncated or not a safetensors file: the header claims 1000 bytes but only 2 follow/],
    ['absurd header length', (() => { const b = stFile({}); b.writeBigUInt64LE(2n ** 63n); return b; })(), RangeError, /not a safetensors file: its header length 9223372036854775808 exceeds the 100000000-byte limit/],
    ['npz given', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(60)]), Error, /truncated or not a safetensors file: .*looks like a ZIP/],
    ['not JSON', stFile('{"a": [1, 2'), Error, /the safetensors header is not valid JSON \(/],
    ['not an object', stFile('[1, 2, 3]  '), Error, /not a safetensors file: the header does not start with '\{'/],
    ['JSON null', stFile('{"a": null}'), Error, /tensor 'a': expected \{ dtype, shape, data_offsets \}, got null/],
    ['bad UTF-8', stFile(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('latin1')).fill(0xff, 9, 11), Error, /the safetensors header is not valid UTF-8/],
    ['missing key', stFile({ a: { dtype: 'F32', shape: [1] } }), Error, /tensor 'a': expected exactly the keys data_offsets, dtype and shape, found: dtype, shape/],
    ['extra key', stFile({ a: { ...f32(0, 4, [1]), strides: [1] } }, Buffer.alloc(4)), Error, /tensor 'a': expected exactly the keys data_offsets, dtype and shape, found: data_offsets, dtype, shape, strides/],
    ['unknown dtype', stFile({ a: { dtype: 'F31', shape: [1], data_offsets: [0, 4] } }, Buffer.alloc(4)), Error, /tensor 'a': unknown dtype the string "F31"/],
    ['F16', stFile({ a: { dtype: 'F16', shape: [2], data_offsets: [0, 4] } }, Buffer.alloc(4)), TypeError, /tensor 'a': dtype F16 is not supported/],
    ['negative dim', stFile({ a: f32(0, 4, [-1]) }, Buffer.alloc(4)), Error, /tensor 'a': shape must be an array of non-negative integers, got \[-1\]/],
    ['fractional dim', stFile({ a: f32(0, 4, [1.5]) }, Buffer.alloc(4)), Error, /tensor 'a': shape must be an array of non-negative integers/],
    ['offsets reversed', stFile({ a: f32(4, 0, [1]) }, Buffer.alloc(4)), Error, /tensor 'a': data_offsets must be \[begin, end\] with 0 <= begin <= end, got \[4,0\]/],
    ['offsets not a pair', stFile({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4, 8] } }, Buffer.alloc(4)), Error, /tensor 'a': data_offsets must be \[begin, end\]/],
    ['offsets past end', stFile({ a: f32(0, 400, [100]) }, Buffer.alloc(4)), Error, /tensor 'a': data_offsets \[0, 400\] run past the 4 data bytes of the file \(truncated\?\)/],
    ['huge shape', stFile({ a: f32(0, 4, [1e15, 1e15]) }, Buffer.alloc(4)), RangeError, /tensor 'a': shape \(1000000000000000, 1000000000000000\) has more elements than can be addressed/],
    ['huge offsets', stFile({ a: f32(0, 4e15, [1e15]) }, Buffer.alloc(4)), Error, /tensor 'a': data_offsets \[0, 4000000000000000\] run past the 4 data bytes/],
    ['shape/bytes mismatch', stFile({ a: f32(0, 8, [3]) }, Buffer.alloc(8)), Error, /tensor 'a': shape \[3\] of F32 needs 12 bytes, but data_offsets \[0, 8\] hold 8/],
    ['overlap', stFile({ a: f32(0, 8, [2]), b: f32(4, 12, [2]) }, Buffer.alloc(12)), Error, /tensors 'a' and 'b' overlap \(bytes \[0, 8\] and \[4, 12\]\)/],
    ['gap', stFile({ a: f32(0, 4, [1]), b: f32(8, 12, [1]) }, Buffer.alloc(12)), Error, /the data has a gap: bytes \[4, 8\) belong to no tensor/],
    ['trailing', stFile({ a: f32(0, 4, [1]) }, Buffer.alloc(10)), Error, /the data has 6 trailing bytes after the last tensor/],
    ['metadata not strings', stFile({ __metadata__: { epoch: 3 } }), Error, /__metadata__ 'epoch' must be a string/],
    ['metadata array', stFile({ __metadata__: ['a'] }), Error, /__metadata__ must be an object of strings/],
  ];

  it('each malformed layout is refused with an Error naming the file and the problem', () => {
    for (const [name, buf, Cls, re] of CASES) {
      const p = write(`${name.replace(/\W+/g, '-')}.safetensors`, buf);
      throwsLike(() => io.loadSafetensors(p), Cls, new RegExp(`^loadSafetensors: ${esc(p)}: ${re.source}`));
      throwsLike(() => io.loadModel(p), Cls, new RegExp(`^loadModel: ${esc(p)}: ${re.source}`));
      throwsLike(() => io.decodeSafetensors(buf, 'mem'), Cls, new RegExp(`^mem: ${re.source}`));
    }
  });

  it('refuses files that are valid safetensors but not a loadable gemmnet model', () => {
    const model = gemmnet.mlp({ inputs: 4, hidden: 3, classes: 2 });
    const shapes = model.shapes;
    const w = Object.fromEntries(Object.entries(model.getWeights()).map(([k, v]) => [k, { data: v, shape: shapes[k] }]));
    const meta = { format: 'gemmnet', version: '1', kind: 'mlp', options: JSON.stringify(model.options) };
    const save = (name, tensors, metadata) => {
      const p = path.join(tmp, name);
      io.saveSafetensors(p, tensors, metadata);
      return p;
    };
    const cases = [
      ['plain', w, {}, Error, /not a gemmnet checkpoint/],
      ['newer', w, { ...meta, version: '99' }, Error, /checkpoint version 99 was written by a newer gemmnet/],
      ['bad version', w, { ...meta, version: 'one' }, Error, /invalid checkpoint version/],
      ['bad kind', w, { ...meta, kind: 'rnn' }, Error, /unknown model kind the string "rnn"/],
      ['bad options JSON', w, { ...meta, options: '{inputs: 4' }, Error, /__metadata__ 'options' is not valid JSON/],
      ['bad options', w, { ...meta, options: '{"inputs": 4, "hidden": 0}' }, RangeError, /the stored mlp options are invalid: hidden must be an integer/],
      ['missing weight', { W_h: w.W_h, b_h: w.b_h, W_o: w.W_o }, meta, Error, /weight 'b_o' is missing/],
      ['unknown weight', { ...w, W_x: new Float32Array(1) }, meta, Error, /unexpected weight 'W_x'; a mlp has W_h, b_h, W_o, b_o/],
      ['wrong shape', { ...w, W_h: { data: w.W_h.data, shape: [3, 4] } }, meta, Error, /weight 'W_h' has shape \[3,4\], the model expects \[4,3\]/],
      ['F64 weight', { ...w, b_o: new Float64Array(2) }, meta, Error, /tensor 'b_o' must be F32, got F64/],
      ['unknown state', { ...w, 'state.layer9.mean': new Float32Array(1) }, meta, Error, /unexpected state 'layer9\.mean'/],
      ['optimizer buffers alone', { ...w, 'optim.v': new Float32Array(1) }, meta, Error, /the file holds optimizer tensors \(v\) but no 'optimizer' metadata/],
    ];
    for (const [name, tensors, metadata, Cls, re] of cases) {
      const p = save(`${name.replace(/\W+/g, '-')}.safetensors`, tensors, metadata);
      throwsLike(() => io.loadModel(p), Cls, new RegExp(`^loadModel: ${esc(p)}: ${re.source}`));
    }
    const cnn = gemmnet.cnn({ filters: 2, fc: 8, height: 8, width: 8 });
    const cw = Object.fromEntries(Object.entries(cnn.getWeights()).map(([k, v]) => [k, { data: v, shape: cnn.shapes[k] }]));
    const p = save('cnn-no-state.safetensors', cw, { ...meta, kind: 'cnn', options: JSON.stringify(cnn.options) });
    throwsLike(() => io.loadModel(p), Error, /state 'layer1\.running_mean' is missing/);
  });

  it('refuses bad arguments to saveModel and the encoder, naming them', () => {
    const model = gemmnet.mlp({ inputs: 4, hidden: 3, classes: 2 });
    const p = path.join(tmp, 'args.safetensors');
    throwsLike(() => io.saveModel({}, p), TypeError, /^saveModel: model must be a model made by mlp\(\) or cnn\(\)/);
    throwsLike(() => io.saveModel(model, ''), TypeError, /^saveModel: path must be a non-empty string/);
    throwsLike(() => io.saveModel(model, p, { optimiser: 1 }), TypeError, /^saveModel: extra has an unknown option "optimiser"/);
    throwsLike(() => io.saveModel(model, p, { optimizer: {} }), TypeError, /extra\.optimizer must be made by momentum\(\) or adam\(\)/);
    throwsLike(() => io.saveModel(model, p, { tensors: { a: [1, 2] } }), TypeError, /tensor 'extra\.a': data must be a typed array/);
    throwsLike(() => io.saveModel(model, p, { tensors: { a: { data: new Float32Array(6), shape: [4, 2] } } }), RangeError, /tensor 'extra\.a': shape \[4, 2\] has 8 elements but data has 6/);
    throwsLike(() => io.saveModel(model, p, { meta: { n: 1n } }), TypeError, /extra\.meta cannot be stored as JSON/);
    throwsLike(() => io.saveModel(model, p, { meta: 'epoch 3' }), TypeError, /extra\.meta must be an object/);
    throwsLike(() => io.encodeSafetensors({ __metadata__: new Float32Array(1) }), RangeError, /'__metadata__' is reserved/);
    throwsLike(() => io.encodeSafetensors({ a: new Float32Array(1) }, { epoch: 3 }), TypeError, /metadata 'epoch' must be a string/);
    throwsLike(() => io.encodeSafetensors({ a: { data: new Int32Array(1), dtype: 'F32' } }), TypeError, /tensor 'a': dtype the string "F32" does not match its Int32Array/);
    assert.ok(!fs.existsSync(p));
  });

  it('round-trips every dtype, empty and scalar tensors, and odd names through the generic codec', () => {
    const tensors = {
      f64: new Float64Array([Math.PI, -0]), i64: new BigInt64Array([-(2n ** 63n)]), u64: new BigUint64Array([2n ** 64n - 1n]),
      i32: new Int32Array([-5]), u32: new Uint32Array([4e9]), i16: new Int16Array([-3]), u16: new Uint16Array([65535]),
      i8: new Int8Array([-128]), u8: new Uint8Array([255]), flags: { data: new Uint8Array([0, 1]), dtype: 'BOOL' },
      empty: { data: new Float32Array(0), shape: [0, 5] }, scalar: { data: new Float32Array([2.5]), shape: [] },
      ['__proto__']: new Float32Array([1]), 'ünï.cödé': new Float32Array([2]), '': new Float32Array([3]),
    };
    const back = io.decodeSafetensors(io.encodeSafetensors(tensors, { a: 'b' }));
    assert.deepStrictEqual({ ...back.metadata }, { a: 'b' });
    assert.strictEqual(Object.getPrototypeOf(back.tensors), null);
    for (const [k, v] of Object.entries(tensors)) {
      const data = ArrayBuffer.isView(v) ? v : v.data;
      sameBits(back.tensors[k].data, data, k);
      assert.deepStrictEqual(back.tensors[k].shape, v.shape ?? [data.length], k);
    }
    assert.strictEqual(back.tensors.flags.dtype, 'BOOL');
    assert.deepStrictEqual(Object.keys(back.tensors).sort(), Object.keys(tensors).sort());
  });
});

// ---- Atomic writes -------------------------------------------------------------------------------

describe('checkpoints: atomic writes', () => {
  const leftovers = (dir) => fs.readdirSync(dir).filter((f) => /^\.gn-[0-9a-f]+\.tmp$/.test(f));

  it('a failing save leaves the existing file intact and no temporary file behind', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'atomic-'));
    const p = path.join(dir, 'model.safetensors');
    const model = gemmnet.mlp({ hidden: 16, seed: 1 });
    io.saveModel(model, p);
    const before = fs.readFileSync(p);
    // Encoding fails on the last tensor.
    const other = gemmnet.mlp({ hidden: 16, seed: 2 });
    throwsLike(() => io.saveModel(other, p, { tensors: { ok: new Float32Array(4), bad: { data: new Float32Array(3), shape: [2, 2] } } }), RangeError, /tensor 'extra\.bad'/);
    assert.ok(fs.readFileSync(p).equals(before));
    // Writing fails: the target is a directory.
    const asDir = path.join(dir, 'taken');
    fs.mkdirSync(asDir);
    assert.throws(() => io.saveModel(other, asDir), (e) => e.code === 'EISDIR' && e.message.startsWith(`saveModel: cannot write '${asDir}'`));
    // Writing fails: the directory does not exist.
    assert.throws(() => io.saveModel(other, path.join(dir, 'no', 'such.safetensors')), (e) => e.code === 'ENOENT');
    assert.deepStrictEqual(leftovers(dir), []);
    assert.ok(fs.readFileSync(p).equals(before));
  });

  it('a write that fails midway (file size limit) leaves the existing file intact', function () {
    if (spawnSync('bash', ['-c', 'true']).status !== 0) this.skip();
    const dir = fs.mkdtempSync(path.join(tmp, 'efbig-'));
    const p = path.join(dir, 'model.safetensors');
    io.saveModel(gemmnet.mlp({ hidden: 8, seed: 1 }), p);
    const before = fs.readFileSync(p);
    // A 784x256 model needs about 800 KB; the child may write 256 KB per file. SIGXFSZ is ignored,
    // so the write fails with EFBIG instead of killing the process.
    const src = `
      const io = require(${JSON.stringify(path.join(ROOT, 'lib', 'io'))});
      const gemmnet = require(${JSON.stringify(ROOT)});
      try { io.saveModel(gemmnet.mlp({ hidden: 256 }), ${JSON.stringify(p)}); console.log('saved'); }
      catch (e) { console.log(e.code + ' ' + e.message); }`;
    const r = spawnSync('bash', ['-c', 'trap "" XFSZ; ulimit -f 256; exec "$0" -e "$1"', process.execPath, src], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^EFBIG saveModel: cannot write '${esc(p)}'`));
    assert.ok(fs.readFileSync(p).equals(before));
    assert.deepStrictEqual(leftovers(dir), []);
    assert.strictEqual(io.loadModel(p).options.hidden, 8);
  });

  it('a writer killed at random moments never leaves an unloadable file', async function () {
    const dir = fs.mkdtempSync(path.join(tmp, 'kill-'));
    const p = path.join(dir, 'model.safetensors');
    // The child alternates two models of different sizes, so a torn write could not pass for either.
    const src = `
      const io = require(${JSON.stringify(path.join(ROOT, 'lib', 'io'))});
      const gemmnet = require(${JSON.stringify(ROOT)});
      const models = [gemmnet.mlp({ hidden: 64, seed: 1 }), gemmnet.mlp({ hidden: 200, seed: 2 })];
      for (let i = 0; ; i++) {
        io.saveModel(models[i % 2], ${JSON.stringify(p)}, { meta: { i } });
        if (i === 1) process.stdout.write('saving\\n');
      }`;
    const expected = [gemmnet.mlp({ hidden: 64, seed: 1 }), gemmnet.mlp({ hidden: 200, seed: 2 })].map((m) => m.getWeights());
    let seed = 12345;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const seen = new Set();
    for (let round = 0; round < 20; round++) {
      const child = spawn(process.execPath, ['-e', src], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise((resolve, reject) => {
        child.stdout.once('data', resolve);
        child.once('exit', (code) => reject(new Error(`the saving child exited early (${code})`)));
      });
      await new Promise((resolve) => setTimeout(resolve, 2 + random() * 60));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const model = io.loadModel(p);
      const w = model.getWeights();
      const which = model.options.hidden === 64 ? 0 : 1;
      for (const k of Object.keys(w)) sameBits(w[k], expected[which][k], `round ${round}: ${k}`);
      seen.add(which);
    }
    assert.strictEqual(seen.size, 2, 'both models were seen at path');
  });
});
