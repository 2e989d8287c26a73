'use strict';
// Bad inputs across the public API and malformed data files: each must throw the documented error
// class with a message that names the argument (or the file), and never crash or allocate wildly.
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');
const gemmnet = require('../..');
const { standardSplit } = require('../helpers/data');
const { throwsLike, rejectsLike } = require('../helpers/util');



const BAD_SIZES = [
  [0, RangeError], [1.5, RangeError], [1e12, RangeError], ['100', TypeError], [NaN, RangeError],
  [-3, RangeError], [Infinity, RangeError],
];
const BAD_PROBS = [[0, RangeError], [1.5, RangeError], [-0.1, RangeError], [NaN, RangeError], ['0.5', TypeError]];

describe('robustness: model hyperparameters', () => {
  it('mlp refuses bad sizes, naming the option', () => {
    for (const key of ['inputs', 'hidden', 'classes']) {
      for (const [v, Cls] of BAD_SIZES) throwsLike(() => gemmnet.mlp({ [key]: v }), Cls, new RegExp(`^${key} must be`));
    }
    throwsLike(() => gemmnet.mlp({ classes: 1 }), RangeError, /^classes must be an integer in \[2,/);
    throwsLike(() => gemmnet.mlp({ seed: -1 }), RangeError, /^seed/);
    throwsLike(() => gemmnet.mlp({ hiden: 100 }), TypeError, /unknown option "hiden"/);
    throwsLike(() => gemmnet.mlp(null), TypeError, /mlp options must be an object/);
    throwsLike(() => gemmnet.mlp('big'), TypeError, /mlp options must be an object/);
    // Each size is allowed alone, but the product would need more than 2^30 weights.
    throwsLike(() => gemmnet.mlp({ inputs: 1 << 20, hidden: 1 << 20 }), RangeError, /2\^30 weights/);
  });

  it('cnn refuses bad sizes, keep probabilities and L2, naming the option', () => {
    for (const key of ['filters', 'fc', 'kernel', 'height', 'classes']) {
      for (const [v, Cls] of BAD_SIZES) throwsLike(() => gemmnet.cnn({ [key]: v }), Cls, new RegExp(`^${key} must be`));
    }
    for (const [v, Cls] of BAD_PROBS) throwsLike(() => gemmnet.cnn({ keepProb: v }), Cls, /^keepProb must be/);
    for (const [v, Cls] of [[-0.1, RangeError], [NaN, RangeError], [-Infinity, RangeError], ['0.1', TypeError]]) {
      throwsLike(() => gemmnet.cnn({ l2: v }), Cls, /^l2 must be/);
    }
    throwsLike(() => gemmnet.cnn({ batchNorm: { momentum: 1.5 } }), RangeError, /^batchNorm\.momentum/);
    throwsLike(() => gemmnet.cnn({ batchNorm: { eps: NaN } }), RangeError, /^batchNorm\.eps/);
    throwsLike(() => gemmnet.cnn({ batchNorm: { mode: 'layer' } }), RangeError, /^batchNorm\.mode must be one of/);
    throwsLike(() => gemmnet.cnn({ batchNorm: { evaluation: 1 } }), TypeError, /^batchNorm\.evaluation/);
    throwsLike(() => gemmnet.cnn({ keep_prob: 0.5 }), TypeError, /unknown option "keep_prob"/);
    throwsLike(() => gemmnet.cnn({ height: 1, width: 1 }), RangeError, /too small/);
  });

  it('optimizers refuse NaN, negative and non-number learning rates', () => {
    for (const make of [gemmnet.momentum, gemmnet.adam]) {
      for (const [v, Cls] of [[NaN, RangeError], [-0.01, RangeError], [0, RangeError], [Infinity, RangeError], ['0.1', TypeError]]) {
        throwsLike(() => make({ lr: v }), Cls, /^lr must be/);
      }
      throwsLike(() => make({ learningRate: 0.1 }), TypeError, /unknown option "learningRate"/);
    }
    throwsLike(() => gemmnet.momentum({ gamma: 1.5 }), RangeError, /^gamma/);
    throwsLike(() => gemmnet.adam({ beta1: NaN }), RangeError, /^beta1/);
    throwsLike(() => gemmnet.adam({ beta2: 1 }), RangeError, /beta2/);
    throwsLike(() => gemmnet.adam({ eps: -1 }), RangeError, /^eps/);
  });
});

describe('robustness: model inputs', () => {
  const model = gemmnet.mlp({ hidden: 8, seed: 1 });
  const x = new Float32Array(784 * 3).fill(0.5);
  const y = new Uint8Array([0, 1, 2]);

  it('x must be a Float32Array holding whole rows', () => {
    for (const call of [(v) => model.predict(v), (v) => model.evaluate(v, y), (v) => model.lossAndGradients(v, y)]) {
      throwsLike(() => call(null), TypeError, /^x must be a Float32Array/);
      throwsLike(() => call('pixels'), TypeError, /^x must be a Float32Array/);
      throwsLike(() => call(42), TypeError, /^x must be a Float32Array/);
      throwsLike(() => call(Array.from(x)), TypeError, /^x must be a Float32Array.*Float32Array\.from/);
      throwsLike(() => call(new Float64Array(x)), TypeError, /^x must be a Float32Array.*Float64Array/);
      throwsLike(() => call(x.subarray(1)), RangeError, /^x has 2351 values, which is not a positive multiple of the input size 784/);
      throwsLike(() => call(new Float32Array(0)), RangeError, /^x has 0 values/);
    }
  });

  it('labels must match x in count and lie in the class range', () => {
    for (const call of [(v) => model.evaluate(x, v), (v) => model.lossAndGradients(x, v)]) {
      throwsLike(() => call(new Uint8Array([0, 1])), RangeError, /^labels has 2 labels but x has 3 samples/);
      throwsLike(() => call(new Uint8Array([0, 1, 2, 3])), RangeError, /^labels has 4 labels but x has 3 samples/);
      throwsLike(() => call(new Uint8Array([0, 10, 1])), RangeError, /^labels\[1\] = 10 is outside the class range \[0, 9\]/);
      throwsLike(() => call(new Int32Array([0, 1, -1])), RangeError, /^labels\[2\] = -1 is outside/);
      throwsLike(() => call(new Int8Array([-5, 1, 1])), RangeError, /^labels\[0\] = -5 is outside/);
      throwsLike(() => call([0, 1.5, 2]), RangeError, /^labels must hold integers/);
      throwsLike(() => call(null), TypeError, /^labels must be class indices/);
      throwsLike(() => call('012'), TypeError, /^labels must be class indices/);
      throwsLike(() => call(new Float32Array([0, 1, 2])), TypeError, /^labels must be class indices.*Float32Array/);
      throwsLike(() => call([0, '1', 2]), TypeError, /^labels must be class indices/);
    }
    // Plain integer arrays are accepted.
    assert.ok(Number.isFinite(model.evaluate(x, [0, 1, 2]).loss));
  });

  it('predict and evaluate refuse bad batch sizes', () => {
    for (const [v, Cls] of [[0, RangeError], [1.5, RangeError], [NaN, RangeError], ['10', TypeError]]) {
      throwsLike(() => model.predict(x, v), Cls, /^batchSize must be/);
      throwsLike(() => model.evaluate(x, y, v), Cls, /^batchSize must be/);
    }
  });

  it('setWeights refuses unknown names, wrong types and short arrays, changing nothing', () => {
    const before = model.getWeights();
    throwsLike(() => model.setWeights({ W_x: new Float32Array(8) }), TypeError, /setWeights: unknown weight "W_x"; this mlp has W_h, b_h, W_o, b_o/);
    throwsLike(() => model.setWeights({ b_h: new Float32Array(7) }), RangeError, /setWeights: b_h has 7 values, expected 8/);
    throwsLike(() => model.setWeights({ b_h: new Float32Array(9) }), RangeError, /setWeights: b_h has 9 values, expected 8/);
    throwsLike(() => model.setWeights({ b_h: Array(8).fill(0) }), TypeError, /setWeights: b_h must be a Float32Array/);
    throwsLike(() => model.setWeights({ b_h: null }), TypeError, /setWeights: b_h must be a Float32Array, got null/);
    throwsLike(() => model.setWeights(null), TypeError, /^weights must be an object/);
    throwsLike(() => model.setWeights('W_h'), TypeError, /^weights must be an object/);
    // A valid entry next to a bad one is not applied either.
    throwsLike(() => model.setWeights({ b_o: new Float32Array(10).fill(7), W_o: new Float32Array(3) }), RangeError, /W_o has 3 values/);
    const after = model.getWeights();
    for (const k of Object.keys(before)) assert.deepStrictEqual(after[k], before[k], k);
  });

  it('setState refuses non-Float32Array values and a null state, naming the argument', () => {
    const net = gemmnet.cnn({ filters: 2, fc: 8, height: 8, width: 8 });
    const [name] = Object.keys(net.getState());
    throwsLike(() => net.setState(null), TypeError, /^state must be an object/);
    throwsLike(() => net.setState({ [name]: 'ab' }), TypeError, new RegExp(`setState: ${name} must be a Float32Array`));
    throwsLike(() => net.setState({ [name]: null }), TypeError, new RegExp(`setState: ${name} must be a Float32Array`));
  });
});

describe('robustness: train() arguments', () => {
  let data;
  let small;
  before(() => {
    data = standardSplit();
    small = { x: data.train.x.subarray(0, 784 * 20), y: data.train.y.subarray(0, 20) };
  });

  it('refuses a bad model, data set, labels and options, naming each', async () => {
    const model = gemmnet.mlp({ hidden: 8 });
    const run = (d, o = {}) => gemmnet.train(model, d, { epochs: 1, ...o });
    await rejectsLike(gemmnet.train({}, small, { epochs: 1 }), TypeError, /model must be a model made by mlp\(\) or cnn\(\)/);
    await rejectsLike(run(null), TypeError, /^data must be an object/);
    await rejectsLike(run([small.x, small.y]), TypeError, /^data must be an object/);
    await rejectsLike(run({ x: null, y: small.y }), TypeError, /^data\.x must be a Float32Array/);
    await rejectsLike(run({ x: 'pixels', y: small.y }), TypeError, /^data\.x must be a Float32Array/);
    await rejectsLike(run({ x: Array.from(small.x), y: small.y }), TypeError, /^data\.x must be a Float32Array/);
    await rejectsLike(run({ x: small.x.subarray(5), y: small.y }), RangeError, /^data\.x has \d+ values, which is not a positive multiple of the input size 784/);
    await rejectsLike(run({ x: small.x, y: small.y.subarray(1) }), RangeError, /^data\.y has 19 labels but x has 20 samples/);
    await rejectsLike(run({ x: small.x, y: new Uint8Array(20).fill(10) }), RangeError, /^data\.y\[0\] = 10 is outside the class range/);
    await rejectsLike(run({ x: small.x, y: new Int32Array(20).fill(-1) }), RangeError, /^data\.y\[0\] = -1 is outside/);
    await rejectsLike(run({ x: small.x, y: null }), TypeError, /^data\.y must be class indices/);
    await rejectsLike(run(small, { validation: { x: small.x, y: small.y.subarray(2) } }), RangeError, /^validation\.y has 18 labels/);
    await rejectsLike(run(small, { test: { x: small.x.subarray(1), y: small.y } }), RangeError, /^test\.x has/);
    for (const [v, Cls] of [[0, RangeError], [1.5, RangeError], [NaN, RangeError], ['32', TypeError], [-1, RangeError]]) {
      await rejectsLike(run(small, { batchSize: v }), Cls, /^batchSize must be/);
      await rejectsLike(run(small, { epochs: v }), Cls, /^epochs must be/);
    }
    await rejectsLike(gemmnet.train(model, small, null), TypeError, /^train options must be an object/);
    await rejectsLike(run(small, { optimizer: {} }), TypeError, /optimizer must be made by momentum\(\) or adam\(\)/);
    await rejectsLike(run(small, { optimzer: gemmnet.adam() }), TypeError, /unknown option "optimzer"/);
    await rejectsLike(run(small, { onEpoch: 'log' }), TypeError, /^onEpoch must be a function/);
    await rejectsLike(run(small, { seed: -1 }), RangeError, /^seed must be/);
    await rejectsLike(run(small, { threads: 0 }), RangeError, /^threads must be/);
    await rejectsLike(run(small, { earlyStopping: { patience: 2 }, validation: undefined, earlyStopping2: 1 }), TypeError, /unknown option "earlyStopping2"/);
    await rejectsLike(run(small, { earlyStopping: { patience: 1, monitor: 'valid.loss' } }), TypeError, /needs validation data/);
    await rejectsLike(run(small, { earlyStopping: { patience: -1 } }), RangeError, /^earlyStopping\.patience/);
  });

  it('a CNN refuses rows of the wrong size', async () => {
    const net = gemmnet.cnn({ filters: 2, fc: 8, height: 8, width: 8 });
    const x = small.x.subarray(0, 100);
    await rejectsLike(gemmnet.train(net, { x, y: small.y.subarray(0, 1) }, { epochs: 1 }), RangeError, /^data\.x has 100 values, which is not a positive multiple of the input size 64/);
    await rejectsLike(gemmnet.train(net, small, { epochs: 1 }), RangeError, /^data\.y has 20 labels but x has 245 samples/);
  });

  it('NaN or infinite inputs are refused before training, naming the sample', async () => {
    const model = gemmnet.mlp({ hidden: 8 });
    const before = model.getWeights();
    const x = small.x.slice();
    x[784 * 3 + 10] = NaN;
    await rejectsLike(gemmnet.train(model, { x, y: small.y }, { epochs: 1 }), RangeError, /^data\.x\[2362\] \(sample 3\) is NaN/);
    x[784 * 3 + 10] = Infinity;
    await rejectsLike(gemmnet.train(model, small, { epochs: 1, validation: { x, y: small.y } }), RangeError, /^validation\.x\[2362\] \(sample 3\) is Infinity/);
    assert.deepStrictEqual(model.getWeights().W_h, before.W_h);
  });

  it('a NaN reaching the network (here through the weights) stops training with an error naming the epoch and batch', async () => {
    const model = gemmnet.mlp({ hidden: 8 });
    const W_h = model.getWeights().W_h;
    W_h[5] = NaN;
    model.setWeights({ W_h });
    await rejectsLike(gemmnet.train(model, small, { epochs: 1, batchSize: 10 }), Error, /loss became NaN at epoch 1, batch 1 of 2/);
  });
});

// ---- Data files ----------------------------------------------------------------------------------

/** A version 1.0 .npy file with the given header dict text and body. */
function npyWith(header, body = Buffer.alloc(0)) {
  const h = Buffer.from(header + ' '.repeat(63 - ((10 + header.length) % 64)) + '\n', 'latin1');
  const pre = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0, 0]);
  pre.writeUInt16LE(h.length, 8);
  return Buffer.concat([pre, h, body]);
}

/** A one-entry ZIP whose headers declare the given sizes and CRC, whatever the body really is. */
function zipWith(name, body, { method = 8, uncompressedSize, crc = 0 }) {
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(method, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(uncompressedSize, 22);
  local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  local.copy(central, 6, 4, 30);
  const cdOffset = 30 + n.length + body.length;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(46 + n.length, 12);
  eocd.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, n, body, central, n, eocd]);
}

describe('robustness: data files', () => {
  let tmp;
  before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gemmnet-robust-')); });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const file = (name, bytes) => {
    const p = path.join(tmp, name);
    fs.writeFileSync(p, bytes);
    return p;
  };
  const esc = (p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  it('a missing file or a directory is an Error naming the path, with the system code', () => {
    for (const load of [gemmnet.loadNpy, gemmnet.loadNpz, gemmnet.loadIdx]) {
      const p = path.join(tmp, 'nope.bin');
      assert.throws(() => load(p), (e) => e.code === 'ENOENT' && e.message.includes(`'${p}'`) && /no such file/.test(e.message));
      assert.throws(() => load(tmp), (e) => e.code === 'EISDIR' && e.message.includes(tmp));
      throwsLike(() => load(''), TypeError, /path must be a non-empty string/);
      throwsLike(() => load(null), TypeError, /path must be a non-empty string, got null/);
    }
  });

  it('.npy: truncated, random bytes, bad header, size mismatch, complex, object and Fortran order', () => {
    const good = gemmnet.encodeNpy({ data: new Float32Array(12).fill(1.5), shape: [3, 4] });
    let p = file('truncated.npy', good.subarray(0, good.length - 5));
    throwsLike(() => gemmnet.loadNpy(p), Error, new RegExp(`^loadNpy: ${esc(p)}: shape \\(3, 4\\) of float32 needs 48 data bytes, but the file has 43 \\(truncated\\?\\)`));
    p = file('header-cut.npy', good.subarray(0, 30));
    throwsLike(() => gemmnet.loadNpy(p), Error, new RegExp(`^loadNpy: ${esc(p)}: truncated \\.npy header`));
    const random = Buffer.alloc(4096);
    for (let i = 0, s = 7; i < random.length; i++) random[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
    p = file('random.npy', random);
    throwsLike(() => gemmnet.loadNpy(p), Error, new RegExp(`^loadNpy: ${esc(p)}: not a \\.npy file: bad magic bytes`));
    p = file('bad-header.npy', npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), "));
    throwsLike(() => gemmnet.loadNpy(p), Error, new RegExp(`^loadNpy: ${esc(p)}: cannot parse the \\.npy header`));
    p = file('not-dict.npy', npyWith('[1, 2, 3]'));
    throwsLike(() => gemmnet.loadNpy(p), Error, /the \.npy header is not a dict/);
    p = file('mismatch.npy', npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (10,), }", Buffer.alloc(8)));
    throwsLike(() => gemmnet.loadNpy(p), Error, new RegExp(`^loadNpy: ${esc(p)}: shape \\(10\\) of float32 needs 40 data bytes, but the file has 8`));
    p = file('huge.npy', npyWith("{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000, 100000000000), }", Buffer.alloc(8)));
    throwsLike(() => gemmnet.loadNpy(p), RangeError, /more elements than can be addressed/);
    p = file('complex.npy', npyWith("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", Buffer.alloc(16)));
    throwsLike(() => gemmnet.loadNpy(p), TypeError, new RegExp(`^loadNpy: ${esc(p)}: complex dtype '<c8' is not supported`));
    p = file('object.npy', npyWith("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", Buffer.alloc(16)));
    throwsLike(() => gemmnet.loadNpy(p), TypeError, new RegExp(`^loadNpy: ${esc(p)}: dtype '\\|O' is an object array`));
    p = file('fortran.npy', npyWith("{'descr': '<f4', 'fortran_order': True, 'shape': (3, 4), }", Buffer.alloc(48)));
    throwsLike(() => gemmnet.loadNpy(p), Error, new RegExp(`^loadNpy: ${esc(p)}: the array is stored in Fortran \\(column-major\\) order`));
    p = file('negative.npy', npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }"));
    throwsLike(() => gemmnet.loadNpy(p), RangeError, /invalid dimension -1/);
  });

  it('.npz: truncated archives, random bytes and bad members name the file and entry', () => {
    const good = gemmnet.encodeNpz({ images: { data: new Uint8Array(16), shape: [4, 4] } }, { compress: true });
    let p = file('truncated.npz', good.subarray(0, good.length - 30));
    throwsLike(() => gemmnet.loadNpz(p), Error, new RegExp(`^loadNpz: ${esc(p)}: not a ZIP/\\.npz archive.*truncated`));
    p = file('random.npz', Buffer.alloc(1000, 0x5a));
    throwsLike(() => gemmnet.loadNpz(p), Error, new RegExp(`^loadNpz: ${esc(p)}: not a ZIP/\\.npz archive`));
    const member = npyWith("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", Buffer.alloc(16));
    p = file('complex.npz', zipWith('z.npy', member, { method: 0, uncompressedSize: member.length, crc: zlib.crc32 ? zlib.crc32(member) : 0 }));
    if (zlib.crc32) throwsLike(() => gemmnet.loadNpz(p), TypeError, new RegExp(`^loadNpz: ${esc(p)}: entry 'z\\.npy': complex dtype`));
    p = file('bad-crc.npz', zipWith('z.npy', member, { method: 0, uncompressedSize: member.length, crc: 1 }));
    throwsLike(() => gemmnet.loadNpz(p), Error, new RegExp(`^loadNpz: ${esc(p)}: entry 'z\\.npy': CRC-32 mismatch`));
  });

  it('.npz decompression bombs: inflating stops at the declared size, absurd sizes are refused before inflating', () => {
    // 64 MiB of zeros deflate to about 64 KiB; the entry claims 1000 bytes.
    const bomb = zlib.deflateRawSync(Buffer.alloc(64 << 20), { level: 9 });
    assert.ok(bomb.length < 200000);
    const rss0 = process.memoryUsage().rss;
    let p = file('bomb-small-claim.npz', zipWith('x.npy', bomb, { uncompressedSize: 1000 }));
    throwsLike(() => gemmnet.loadNpz(p), Error, new RegExp(`^loadNpz: ${esc(p)}: entry 'x\\.npy': corrupt deflate data: inflates to more than the declared 1000 bytes`));
    // Claims 4 GiB - 1 from 64 KiB: more than deflate can produce, refused without inflating.
    p = file('bomb-absurd-claim.npz', zipWith('x.npy', bomb, { uncompressedSize: 0xfffffffe }));
    throwsLike(() => gemmnet.loadNpz(p), Error, new RegExp(`^loadNpz: ${esc(p)}: entry 'x\\.npy': corrupt ZIP archive \\(declares 4294967294 bytes from ${bomb.length} compressed bytes, beyond what deflate can produce\\)`));
    // A claim within deflate's ratio but over the caller's limit.
    p = file('bomb-over-limit.npz', zipWith('x.npy', bomb, { uncompressedSize: 64 << 20 }));
    throwsLike(() => gemmnet.loadNpz(p, { maxEntryBytes: 1 << 20 }), RangeError, new RegExp(`^loadNpz: ${esc(p)}: entry 'x\\.npy' declares 67108864 bytes, more than the 1048576-byte limit`));
    const grown = process.memoryUsage().rss - rss0;
    assert.ok(grown < 48 << 20, `RSS grew by ${(grown / 2 ** 20).toFixed(1)} MiB while refusing bombs`);
  });

  it('IDX: bad magic, truncated data, truncated header and corrupt gzip', () => {
    const good = gemmnet.encodeIdx({ data: new Uint8Array(10 * 4 * 4), shape: [10, 4, 4] });
    let p = file('bad-magic.idx', Buffer.concat([Buffer.from([0x01, 0x02, 0x08, 0x03]), good.subarray(4)]));
    throwsLike(() => gemmnet.loadIdx(p), Error, new RegExp(`^loadIdx: ${esc(p)}: not an IDX file: bad magic \\[01 02 08 03\\]`));
    p = file('bad-type.idx', Buffer.concat([Buffer.from([0, 0, 0x0a, 0x03]), good.subarray(4)]));
    throwsLike(() => gemmnet.loadIdx(p), Error, /not an IDX file: bad magic \[00 00 0a 03\]/);
    p = file('truncated.idx', good.subarray(0, good.length - 7));
    throwsLike(() => gemmnet.loadIdx(p), Error, new RegExp(`^loadIdx: ${esc(p)}: IDX shape \\(10, 4, 4\\) of uint8 needs 160 data bytes, but the file has 153 \\(truncated\\?\\)`));
    p = file('header-cut.idx', good.subarray(0, 9));
    throwsLike(() => gemmnet.loadIdx(p), Error, /truncated IDX header: 3 dimensions need 16 bytes, the file has 9/);
    p = file('tiny.idx', Buffer.from([0, 0]));
    throwsLike(() => gemmnet.loadIdx(p), Error, /truncated IDX file \(2 bytes/);
    const gz = zlib.gzipSync(good);
    p = file('truncated.idx.gz', gz.subarray(0, gz.length - 12));
    throwsLike(() => gemmnet.loadIdx(p), Error, new RegExp(`^loadIdx: ${esc(p)}: corrupt or truncated gzip data`));
    // Huge dimensions with no data behind them are refused before allocating.
    const huge = Buffer.from([0, 0, 0x0e, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    p = file('huge.idx', huge);
    throwsLike(() => gemmnet.loadIdx(p), RangeError, new RegExp(`^loadIdx: ${esc(p)}: shape \\(4294967295, 4294967295\\) has more elements than can be addressed`));
    const big = Buffer.from([0, 0, 0x0e, 1, 0x10, 0, 0, 0]);
    p = file('big.idx', big);
    throwsLike(() => gemmnet.loadIdx(p), Error, /IDX shape \(268435456\) of float64 needs 2147483648 data bytes, but the file has 0 \(truncated\?\)/);
  });

  it('dataset loaders name the file and what is missing', () => {
    const p = file('no-images.npz', gemmnet.encodeNpz({ labels: { data: new Uint8Array(3) } }));
    assert.throws(() => gemmnet.loadNotMnist(p), (e) => e instanceof Error && e.message.includes(p) && /images/.test(e.message));
  });
});
