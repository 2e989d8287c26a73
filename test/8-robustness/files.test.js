'use strict';
// Hostile files: every loader refuses a FIFO, a device or a directory with an Error naming the path
// (never blocking in open() on a FIFO, never reading /dev/zero until memory runs out); archives
// whose entries overlap or that inflate past a total bound are refused; saves write only regular
// files. Anything that could hang runs in a child process with a time limit.
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..', '..');

// Runs `expr` (an expression using `g`, gemmnet) in a child; returns what it threw, or fails when it
// returns, crashes or takes more than `limit` ms.
function refusedInChild(expr, limit = 20000) {
  const src = `
    const g = require(${JSON.stringify(ROOT)});
    Promise.resolve().then(() => ${expr}).then(
      () => { console.log(JSON.stringify({ ok: true })); process.exit(0); },
      (e) => { console.log(JSON.stringify({ ok: false, message: String(e && e.message) })); process.exit(0); });`;
  const r = spawnSync(process.execPath, ['--max-old-space-size=512', '-e', src], { encoding: 'utf8', timeout: limit });
  assert.notStrictEqual(r.error && r.error.code, 'ETIMEDOUT', `${expr} was still running after ${limit} ms (blocked?)`);
  assert.strictEqual(r.signal, null, `${expr}: child killed by ${r.signal}\n${r.stderr}`);
  assert.strictEqual(r.status, 0, `${expr}: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  assert.strictEqual(out.ok, false, `${expr} did not throw`);
  return out.message;
}

let tmp;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gemmnet-files-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('files: loaders on a FIFO, a device or a directory', function () {
  this.timeout(60000);
  let fifo;
  before(function () {
    fifo = path.join(tmp, 'pipe.npz');
    const r = spawnSync('mkfifo', [fifo]);
    if (r.status !== 0) this.skip();
  });

  const loaders = {
    load: (p) => `g.load(${JSON.stringify(p)})`,
    loadModel: (p) => `g.loadModel(${JSON.stringify(p)})`,
    loadSafetensors: (p) => `g.loadSafetensors(${JSON.stringify(p)})`,
    readCheckpoint: (p) => `g.readCheckpoint(${JSON.stringify(p)})`,
    loadNpy: (p) => `g.loadNpy(${JSON.stringify(p)})`,
    loadNpz: (p) => `g.loadNpz(${JSON.stringify(p)})`,
    loadIdx: (p) => `g.loadIdx(${JSON.stringify(p)})`,
    loadDataset: (p) => `g.loadDataset(${JSON.stringify(p)})`,
    resumeFrom: (p) => `g.train(g.mlp({ inputs: 2, hidden: 2, classes: 2 }),
      { x: new Float32Array(4), y: new Int32Array(2) }, { epochs: 1, resumeFrom: ${JSON.stringify(p)} })`,
  };

  for (const [name, call] of Object.entries(loaders)) {
    it(`${name} refuses a FIFO without waiting for a writer`, () => {
      const msg = refusedInChild(call(fifo));
      assert.match(msg, /FIFO/);
      assert.ok(msg.includes(fifo), msg);
    });
  }

  for (const name of ['loadNpy', 'loadNpz', 'loadIdx', 'loadSafetensors', 'load']) {
    it(`${name} refuses /dev/zero instead of reading it until memory runs out`, function () {
      if (!fs.existsSync('/dev/zero')) this.skip();
      const msg = refusedInChild(loaders[name]('/dev/zero'));
      assert.match(msg, /device/);
      assert.match(msg, /\/dev\/zero/);
    });
  }

  it('a directory is named as one', () => {
    const msg = refusedInChild(loaders.loadNpy(tmp));
    assert.match(msg, /directory/);
  });
});

// An .npz whose central directory lists `copies` names, all pointing at the one member of `zip`.
function aliasedNpz(zip, copies) {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const cdSize = zip.readUInt32LE(eocd + 12);
  const cdOffset = zip.readUInt32LE(eocd + 16);
  const entry = zip.subarray(cdOffset, cdOffset + cdSize);
  const nameLen = entry.readUInt16LE(28);
  const parts = [];
  for (let k = 0; k < copies; k++) {
    const name = Buffer.from(`a${String(k).padStart(5, '0')}.npy`);
    const e = Buffer.concat([entry.subarray(0, 46), name, entry.subarray(46 + nameLen)]);
    e.writeUInt16LE(name.length, 28);
    parts.push(e);
  }
  const cd = Buffer.concat(parts);
  const end = Buffer.from(zip.subarray(eocd, eocd + 22));
  end.writeUInt16LE(copies, 8);
  end.writeUInt16LE(copies, 10);
  end.writeUInt32LE(cd.length, 12);
  return Buffer.concat([zip.subarray(0, cdOffset), cd, end]);
}

describe('files: .npz archives that inflate past their size', () => {
  const g = require('../..');
  const zeros = { data: new Float32Array(1 << 20), shape: [1 << 20] }; // 4 MiB, deflates to ~4 KB

  it('refuses a central directory listing many names for one deflated member', () => {
    const one = g.encodeNpz({ a: zeros }, { compress: true });
    const bomb = aliasedNpz(one, 100);
    assert.ok(bomb.length < 20000, `${bomb.length} bytes`);
    const file = path.join(tmp, 'aliased.npz');
    fs.writeFileSync(file, bomb);
    assert.throws(() => g.loadNpz(file), (e) => {
      assert.match(e.message, /share bytes/);
      assert.ok(e.message.includes(file), e.message);
      return true;
    });
    assert.throws(() => g.parseNpz(bomb), /share bytes/);
  });

  it('still reads the archive it was made from', () => {
    const one = g.encodeNpz({ a: zeros }, { compress: true });
    assert.strictEqual(g.parseNpz(one).a.data.length, 1 << 20);
  });

  it('bounds the total of all entries (options.maxBytes), not only each one', () => {
    const two = g.encodeNpz({ a: zeros, b: zeros }, { compress: true });
    assert.throws(() => g.parseNpz(two, 'two', { maxBytes: 6 << 20, maxEntryBytes: 5 << 20 }),
      (e) => e instanceof RangeError && /options\.maxBytes/.test(e.message));
    assert.strictEqual(Object.keys(g.parseNpz(two, 'two', { maxBytes: 9 << 20 })).length, 2);
  });
});

describe('files: saves write regular files only', () => {
  const g = require('../..');
  const model = () => g.mlp({ inputs: 4, hidden: 3, classes: 2, seed: 1 });

  it('refuses a FIFO at the path, leaving it a FIFO, without blocking', function () {
    const fifo = path.join(tmp, 'out.fifo');
    if (spawnSync('mkfifo', [fifo]).status !== 0) this.skip();
    const msg = refusedInChild(`g.saveModel(g.mlp({ inputs: 4, hidden: 3, classes: 2 }), ${JSON.stringify(fifo)})`);
    assert.match(msg, /FIFO/);
    assert.ok(fs.lstatSync(fifo).isFIFO(), 'the FIFO was replaced');
  });

  it('refuses a device at the path (such as /dev/null)', function () {
    // Never the real /dev/null: as root, a writer that renames over it would replace the device.
    // Root makes a null device of its own; others cannot replace /dev/null, so a link to it is used.
    let dev = path.join(tmp, 'null-device');
    if (!(process.getuid && process.getuid() === 0 && spawnSync('mknod', ['-m', '666', dev, 'c', '1', '3']).status === 0)) {
      if (!fs.existsSync('/dev/null')) this.skip();
      dev = '/dev/null';
    }
    const link = path.join(tmp, 'null-link');
    fs.symlinkSync(dev, link);
    for (const p of dev === '/dev/null' ? [link] : [dev, link]) {
      assert.throws(() => g.saveModel(model(), p), (e) => /device/.test(e.message) && e.message.includes(p));
      assert.ok(fs.statSync(p).isCharacterDevice(), `${p} no longer leads to a device`);
    }
    assert.ok(fs.lstatSync(link).isSymbolicLink());
  });

  it('writes through a symbolic link to its target, which stays a link', () => {
    const target = path.join(tmp, 'real.safetensors');
    const link = path.join(tmp, 'link.safetensors');
    fs.writeFileSync(target, 'old');
    fs.symlinkSync(target, link);
    g.saveModel(model(), link);
    assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the link was replaced by a file');
    assert.deepStrictEqual(g.load(target).getWeights().W_h, model().getWeights().W_h);
    // A dangling link creates its target.
    const dangling = path.join(tmp, 'dangling.safetensors');
    fs.symlinkSync(path.join(tmp, 'made-through-link.safetensors'), dangling);
    g.saveModel(model(), dangling);
    assert.ok(fs.lstatSync(dangling).isSymbolicLink());
    assert.ok(fs.statSync(path.join(tmp, 'made-through-link.safetensors')).isFile());
  });

  it('saves under a file name of 255 bytes (NAME_MAX)', () => {
    for (const len of [229, 240, 255]) {
      const name = 'm'.repeat(len - '.safetensors'.length) + '.safetensors';
      const p = path.join(tmp, name);
      g.saveModel(model(), p);
      assert.ok(fs.statSync(p).isFile());
      fs.unlinkSync(p);
    }
    assert.deepStrictEqual(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp')), []);
  });
});

describe('files: a small model file that claims a huge model', () => {
  /** A saved model whose metadata kind and options are replaced, its tensors left as they are. */
  function forge(file, kind, options) {
    const g = require(ROOT);
    (kind === 'cnn' ? g.cnn({ filters: 1, fc: 2 }) : g.mlp({ inputs: 4, hidden: 4, classes: 2 })).save(file);
    const b = fs.readFileSync(file);
    const hl = Number(b.readBigUInt64LE(0));
    const header = JSON.parse(b.subarray(8, 8 + hl).toString());
    header.__metadata__.kind = kind;
    header.__metadata__.options = JSON.stringify(options);
    // Tensor offsets are relative to the data, so a header of another length keeps them valid.
    const json = JSON.stringify(header);
    const text = Buffer.from(json.padEnd(Math.ceil(json.length / 8) * 8, ' '));
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(text.length));
    fs.writeFileSync(file, Buffer.concat([len, text, b.subarray(8 + hl)]));
  }

  /** Loads file in a child with a 256 MB heap; returns what it threw, how long it took and its RSS. */
  function loadInChild(file) {
    const src = `const g = require(${JSON.stringify(ROOT)}); const t = performance.now();
      try { g.load(${JSON.stringify(file)}); console.log('loaded'); }
      catch (e) { console.log(JSON.stringify({ message: e.message, ms: performance.now() - t, rss: process.memoryUsage().rss })); }`;
    const r = spawnSync(process.execPath, ['--max-old-space-size=256', '-e', src], { encoding: 'utf8', timeout: 30000 });
    assert.strictEqual(r.signal, null, `killed by ${r.signal}`);
    assert.strictEqual(r.status, 0, r.stderr);
    assert.notStrictEqual(r.stdout.trim(), 'loaded', 'the forged file was loaded');
    return JSON.parse(r.stdout.trim());
  }

  const stack = (input, layers) => ({ input, layers, l2: 0, seed: 1 });
  const dense = (units, name) => ({ type: 'dense', name, units });
  const cases = [
    ['an mlp of 238 M weights', 'mlp', { inputs: 784, hidden: 300000, classes: 10, seed: 1 }, /its mlp options need \d+ weight values but the file holds \d+/],
    ['a cnn of 51 M weights', 'cnn', { filters: 64, fc: 4096, classes: 10, seed: 1 }, /its cnn options need \d+ weight values but the file holds \d+/],
    // 235 M weights: under the 2^30 cap, so only the size check stands between the file and 1.9 GB.
    ['a dense stack of 238 M weights', 'sequential', stack([784], [dense(300000, 'd1'), { type: 'relu', name: 'r' }, dense(10, 'd2')]),
      /its sequential options need 238500010 weight values but the file holds \d+/],
    ['a conv stack of 210 M weights', 'sequential', stack([64, 64, 3], [
      { type: 'conv2d', name: 'c', filters: 256, kernel: [3, 3], stride: 1, padding: 'same' },
      { type: 'flatten', name: 'f' }, dense(200, 'd1'), dense(10, 'd2')]), /its sequential options need \d+ weight values/],
    // Few weights, but 2^27 values of running averages (batch norm over each of 2^26 activations).
    ['a stack of 2^27 batch-norm state values', 'sequential', stack([2048, 2048, 16], [
      { type: 'batchNorm', name: 'bn', mode: 'activation', eps: 1e-3, momentum: 0.99, affine: false, evaluation: 'running' },
      { type: 'conv2d', name: 'c', filters: 1, kernel: [1, 1], stride: 1, padding: 'same' },
      { type: 'maxPool2d', name: 'p', size: 2048, stride: 2048 }, { type: 'flatten', name: 'f' }, dense(2, 'd')]),
    /need 134217728 values of batch-norm state but the file holds \d+/],
    // Past 2^30 weights: refused by the stack's own shape walk, before any layer exists.
    ['a stack past 2^30 weights', 'sequential', stack([1 << 20], [dense(1 << 20, 'd1'), dense(2, 'd2')]), /stored sequential options are invalid: d1 \(dense\) brings the stack past 2\^30/],
  ];
  for (const [what, kind, options, re] of cases) {
    it(`refuses a small ${kind} file claiming ${what}, at once and before building it`, () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gemmnet-forged-'));
      try {
        const file = path.join(dir, 'm.safetensors');
        forge(file, kind, options);
        assert.ok(fs.statSync(file).size < 8192, 'a small file');
        const out = loadInChild(file);
        assert.match(out.message, re);
        assert.ok(out.message.includes(file), `the message names the file: ${out.message}`);
        assert.ok(out.ms < 500, `refused in ${out.ms.toFixed(0)} ms`);
        assert.ok(out.rss < 300e6, `refused before allocating the model (rss ${out.rss})`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('the count a file is checked against is what sequential() builds, for every kind of layer', () => {
    const g = require(ROOT);
    const { stackValues } = require(path.join(ROOT, 'lib', 'sequential'));
    const L = g.layers;
    const stacks = [
      { input: [28, 28, 1], layers: [L.conv2d({ filters: 8, kernel: 5 }), L.relu(), L.batchNorm({ affine: true }), L.maxPool2d(), L.flatten(),
        L.dense({ units: 20 }), L.dropout({ keepProb: 0.5 }), L.relu(), L.batchNorm({ mode: 'activation', affine: true }), L.dense({ units: 10 })] },
      { input: [10], layers: [L.batchNorm({ affine: true }), L.dense({ units: 3 }), L.tanh(), L.leakyRelu(), L.sigmoid(), L.dense({ units: 2 })] },
      { input: [9, 7, 3], layers: [L.conv2d({ filters: 4, kernel: [3, 2], stride: 2, padding: 'valid' }), L.batchNorm({ mode: 'activation' }),
        L.avgPool2d({ size: 2, stride: 1 }), L.flatten(), L.dense({ units: 2 })] },
      g.mlp({ hidden: [5, 6] }).stack,
      g.cnn({ filters: 3, fc: 7 }).stack,
    ];
    for (const s of stacks) {
      const net = g.sequential(s);
      const state = Object.values(net.getState()).reduce((n, v) => n + v.length, 0);
      assert.deepStrictEqual(stackValues(s), { parameters: net.parameterCount, state });
    }
  });

  it('a genuine sequential file of more than 2^20 weights still loads', () => {
    const g = require(ROOT);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gemmnet-genuine-'));
    try {
      const file = path.join(dir, 'm.safetensors');
      const net = g.sequential({ input: [1200], layers: [g.layers.dense({ units: 1000 }), g.layers.batchNorm({ mode: 'activation' }), g.layers.dense({ units: 3 })] });
      net.save(file);
      const back = g.load(file);
      assert.strictEqual(back.parameterCount, net.parameterCount);
      assert.ok(net.parameterCount > 1 << 20);
      assert.deepStrictEqual(back.getWeights()['dense1.W'], net.getWeights()['dense1.W']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
