'use strict';
// Hostile files and paths: truncated and corrupt safetensors, checkpoints, .npy, .npz and IDX files;
// FIFOs, devices, folders, links and odd paths given to every loader; and saves to places that
// cannot hold a regular file. Every file is made by the case itself, in its own folder.
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { refuse, ok, either } = require('./kinds');

const NAMED = (file) => new RegExp(path.basename(file).replace(/[.]/g, '\\.'));

/** A version 1.0 .npy file with the given header dictionary text and data bytes. */
function npy(dict, data = Buffer.alloc(0)) {
  let header = dict;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const pre = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0, 0]);
  pre.writeUInt16LE(header.length, 8);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), data]);
}

function safetensorsCases() {
  const out = [];
  const load = (c, bytes) => c.g.load(c.write('m.safetensors', bytes));
  const named = /m\.safetensors/;
  // Truncations, from nothing to one byte short.
  for (const cut of [0, 7, 9, 'half-header', 'header-1', 'header+5', 'end-1']) {
    out.push(refuse('files', `load(a model file cut at ${cut})`, (c) => {
      const b = c.savedModel('orig.safetensors').bytes;
      const hl = Number(b.readBigUInt64LE(0));
      const at = { 'half-header': 8 + (hl >> 1), 'header-1': 7 + hl, header: 8 + hl, 'header+5': 13 + hl, 'end-1': b.length - 1 }[cut] ?? cut;
      return load(c, b.subarray(0, at));
    }, named));
  }
  for (const [what, value] of [['2^63 - 1', (1n << 63n) - 1n], ['0', 0n], ['the file size', null]]) {
    out.push(refuse('files', `load(a header length of ${what})`, (c) => {
      const b = Buffer.from(c.savedModel('orig.safetensors').bytes);
      b.writeBigUInt64LE(value === null ? BigInt(b.length) : value, 0);
      return load(c, b);
    }, named));
  }
  for (const [what, text] of [['not JSON', 'not json at all'], ['an array', '[1, 2, 3]'], ['a tensor that is a number', '{"a": 1}'],
    ['metadata of numbers', '{"__metadata__": {"format": 5}}'], ['nothing but metadata', '{"__metadata__": {}}']]) {
    out.push(refuse('files', `load(a header that is ${what})`, (c) => {
      const t = Buffer.from(text);
      const len = Buffer.alloc(8);
      len.writeBigUInt64LE(BigInt(t.length));
      return load(c, Buffer.concat([len, t]));
    }, named));
  }
  const tensorEdits = [
    ['dtype F64 over F32 bytes', (h) => { h.W_h.dtype = 'F64'; }],
    ['an unknown dtype', (h) => { h.W_h.dtype = 'Q8'; }],
    ['a negative dimension', (h) => { h.W_h.shape = [-1, 3]; }],
    ['a dimension of 1e20', (h) => { h.W_h.shape = [1e20]; }],
    ['offsets past the end', (h) => { h.W_h.data_offsets = [0, 2 ** 53]; }],
    ['two tensors on the same bytes', (h) => { h.b_h.data_offsets = h.W_h.data_offsets.slice(); h.b_h.shape = h.W_h.shape.slice(); }],
    ['a gap between tensors', (h) => { h.b_o.data_offsets = [h.b_o.data_offsets[0] + 4, h.b_o.data_offsets[1]]; h.b_o.shape = [1]; }],
    ['shape and offsets that disagree', (h) => { h.W_o.shape = [3, 3]; }],
    ['no tensor W_o', (h) => { delete h.W_o; }],
    ['an extra tensor W_x', (h) => { h.W_x = { ...h.b_o }; }],
    ['a state tensor', (h) => { h['state.layer0.running_mean'] = { ...h.b_o }; }],
  ];
  for (const [what, edit] of tensorEdits) {
    out.push(refuse('files', `load(a file with ${what})`, (c) => load(c, c.editHeader(c.savedModel('orig.safetensors').bytes, edit)), named));
  }
  out.push(refuse('files', 'load(a header naming one tensor twice)', (c) => {
    const b = c.savedModel('orig.safetensors').bytes;
    const hl = Number(b.readBigUInt64LE(0));
    const text = b.subarray(8, 8 + hl).toString().replace('"b_h"', '"W_h"');
    return load(c, Buffer.concat([b.subarray(0, 8), Buffer.from(text), b.subarray(8 + hl)]));
  }, named));
  const metaEdits = [
    ['kind "rnn"', (m) => { m.kind = 'rnn'; }],
    ['kind "__proto__"', (m) => { m.kind = '__proto__'; }],
    ['options that are not JSON', (m) => { m.options = '{inputs: 4'; }],
    ['options with inputs -4', (m) => { m.options = JSON.stringify({ inputs: -4, hidden: 3, classes: 2, seed: 1 }); }],
    ['options claiming a million hidden units', (m) => { m.options = JSON.stringify({ inputs: 4, hidden: 1e6, classes: 2, seed: 1 }); }],
    ['options of another kind', (m) => { m.kind = 'cnn'; }],
    ['version 99', (m) => { m.version = '99'; }],
    ['format "other"', (m) => { m.format = 'other'; }],
    ['meta that is not JSON', (m) => { m.meta = '{'; }],
    ['an optimizer of an unknown name', (m) => { m.optimizer = JSON.stringify({ name: 'sgd', config: {}, step: 0 }); }],
  ];
  for (const [what, edit] of metaEdits) {
    out.push(refuse('files', `load(a model file with ${what})`, (c) => load(c, c.editHeader(c.savedModel('orig.safetensors').bytes, (h) => edit(h.__metadata__))), named));
  }
  out.push(refuse('files', 'loadSafetensors(a file cut inside its data)', (c) => {
    const b = c.savedModel('orig.safetensors').bytes;
    return c.g.loadSafetensors(c.write('m.safetensors', b.subarray(0, b.length - 9)));
  }, named));
  out.push(ok('files', 'load(a model file) gives the same weights back', (c) => c.g.load(c.savedModel().path).getWeights(),
    (w) => JSON.stringify(Object.values(w).map((a) => Array.from(a))) === JSON.stringify(Object.values(c0().getWeights()).map((a) => Array.from(a))) || 'differs'));
  return out;
}

// The tiny MLP as built afresh (the checks run in the case's process, where the package is loaded).
let c0Model = null;
function c0() {
  if (!c0Model) c0Model = require(path.resolve(__dirname, '..', '..', '..')).mlp({ inputs: 4, hidden: 3, classes: 2, seed: 1 });
  return c0Model;
}

function checkpointCases() {
  const out = [];
  const resume = async (c, edit, data) => {
    const p = await c.checkpoint();
    if (edit) fs.writeFileSync(p, edit(c, fs.readFileSync(p)));
    return c.g.train(c.tinyMlp(), data || c.tinyData(), { epochs: 3, batchSize: 4, resumeFrom: p });
  };
  const meta = (f) => (c, b) => c.editHeader(b, (h) => {
    const m = JSON.parse(h.__metadata__.meta);
    f(m.training);
    h.__metadata__.meta = JSON.stringify(m);
  });
  const tensorBytes = (name, f) => (c, b) => {
    const hl = Number(b.readBigUInt64LE(0));
    const h = JSON.parse(b.subarray(8, 8 + hl).toString());
    const [s, e] = h[name].data_offsets;
    const copy = Buffer.from(b);
    f(copy.subarray(8 + hl + s, 8 + hl + e));
    return copy;
  };
  const named = /ckpt\.safetensors/;
  for (const [what, edit] of [
    ['epoch "1"', meta((t) => { t.epoch = '1'; })],
    ['epoch -1', meta((t) => { t.epoch = -1; })],
    ['epoch 1e20', meta((t) => { t.epoch = 1e20; })],
    ['a history shorter than its epoch', meta((t) => { t.epoch = 2; })],
    ['sinceBest "x"', meta((t) => { t.sinceBest = 'x'; })],
    ['no rng', meta((t) => { delete t.rng; })],
    ['counters "x"', meta((t) => { t.counters = 'x'; })],
    ['an order that is not a permutation', tensorBytes('extra.order', (d) => { d.writeInt32LE(3, 0); d.writeInt32LE(3, 4); })],
    ['an order holding -5', tensorBytes('extra.order', (d) => d.writeInt32LE(-5, 0))],
    ['an optimizer step of -1', (c, b) => c.editHeader(b, (h) => { const o = JSON.parse(h.__metadata__.optimizer); o.step = -1; h.__metadata__.optimizer = JSON.stringify(o); })],
    ['an optimizer buffer of the wrong length', (c, b) => c.editHeader(b, (h) => { h['optim.v'].shape = [4]; h['optim.v'].data_offsets = [h['optim.v'].data_offsets[0], h['optim.v'].data_offsets[0] + 16]; })],
    ['a shuffle key of the wrong type', (c, b) => c.editHeader(b, (h) => { h['extra.rng_key'].dtype = 'I32'; })],
  ]) {
    const c = refuse('files', `resumeFrom a checkpoint with ${what}`, (c) => resume(c, edit), named);
    out.push(c);
  }
  out.push(refuse('files', 'resumeFrom a checkpoint on other data', (c) => resume(c, null, c.tinyData(12)), /samples/));
  out.push(refuse('files', 'resumeFrom a plain saved model', (c) => c.g.train(c.tinyMlp(), c.tinyData(), { epochs: 2, resumeFrom: c.savedModel().path }), /not a training checkpoint/));
  out.push(refuse('files', 'resumeFrom a checkpoint of another model', async (c) => {
    const p = await c.checkpoint();
    return c.g.train(c.g.mlp({ inputs: 4, hidden: 5, classes: 2 }), c.tinyData(), { epochs: 2, resumeFrom: p });
  }, /was written for/));
  out.push(ok('files', 'resumeFrom an intact checkpoint continues to the same weights', async (c) => {
    const p = await c.checkpoint();
    const a = c.tinyMlp();
    await c.g.train(a, c.tinyData(), { epochs: 2, batchSize: 4 });
    const b = c.tinyMlp();
    await c.g.train(b, c.tinyData(), { epochs: 2, batchSize: 4, resumeFrom: p });
    return [a.getWeights().W_h, b.getWeights().W_h];
  }, ([a, b]) => a.every((v, i) => Object.is(v, b[i])) || 'differs'));
  return out;
}

function arrayFileCases() {
  const out = [];
  const f4 = Buffer.alloc(16);
  for (let i = 0; i < 4; i++) f4.writeFloatLE(i + 0.5, 4 * i);
  const npyCases = [
    ['a bad magic', () => Buffer.concat([Buffer.from('NOTNPY'), f4])],
    ['version 3', () => { const b = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", f4); b[6] = 3; return b; }],
    ['a header length past the file', () => { const b = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", f4); b.writeUInt16LE(0xffff, 8); return b; }],
    ['a header of garbage', () => npy('}{ garbage', f4)],
    ['a shape of 10^11', () => npy("{'descr': '<f4', 'fortran_order': False, 'shape': (100000000000,), }", f4)],
    ['a negative shape', () => npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", f4)],
    ['a shape whose product overflows', () => npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }", f4)],
    ['an object dtype', () => npy("{'descr': '|O', 'fortran_order': False, 'shape': (4,), }", f4)],
    ['too few data bytes', () => npy("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }", f4)],
    ['a deeply nested header', () => npy(`{'descr': '<f4', 'fortran_order': False, 'shape': ${'('.repeat(5000)}4${',)'.repeat(5000)}, }`, f4)],
  ];
  for (const [what, make] of npyCases) out.push(refuse('files', `loadNpy(${what})`, (c) => c.g.loadNpy(c.write('a.npy', make())), /a\.npy/));
  out.push(either('files', 'loadNpy(big-endian float32) reads the values or says it does not', (c) => c.g.loadNpy(c.write('a.npy', npy("{'descr': '>f4', 'fortran_order': False, 'shape': (4,), }", Buffer.from(f4).swap32()))),
    (a) => Array.from(a.data).join() === '0.5,1.5,2.5,3.5' || `${Array.from(a.data)}`));
  const npz = (c, compress) => c.g.encodeNpz({ a: { data: c.rand(100), shape: [100] } }, { compress });
  for (const compress of [false, true]) {
    const tag = compress ? 'deflated' : 'stored';
    for (const cut of [40, 'end-10']) {
      out.push(refuse('files', `loadNpz(a ${tag} archive cut at ${cut})`, (c) => {
        const b = npz(c, compress);
        return c.g.loadNpz(c.write('a.npz', b.subarray(0, cut === 'half' ? b.length >> 1 : cut === 'end-10' ? b.length - 10 : cut)));
      }, /a\.npz/));
    }
    out.push(refuse('files', `loadNpz(a ${tag} archive with a wrong CRC)`, (c) => {
      const b = Buffer.from(npz(c, compress));
      b[14] ^= 0xff; // the local header's CRC-32
      const cd = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      b[cd + 16] ^= 0xff;
      return c.g.loadNpz(c.write('a.npz', b));
    }, /a\.npz/));
    out.push(refuse('files', `loadNpz(a ${tag} archive claiming a 4 GiB member)`, (c) => {
      const b = Buffer.from(npz(c, compress));
      b.writeUInt32LE(0xffffffff, 22);
      const cd = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      b.writeUInt32LE(0xffffffff, cd + 24);
      return c.g.loadNpz(c.write('a.npz', b));
    }, /a\.npz/));
  }
  out.push(refuse('files', 'loadNpz(a text file)', (c) => c.g.loadNpz(c.write('a.npz', 'just text\n')), /a\.npz/));
  out.push(either('files', 'loadNpz(an empty archive)', (c) => c.g.loadNpz(c.write('a.npz', Buffer.from([0x50, 0x4b, 0x05, 0x06, ...Array(18).fill(0)]))),
    (a) => Object.keys(a).length === 0 || 'entries from nothing'));
  out.push(refuse('files', 'loadNotMnist(an archive without images)', (c) => c.g.loadNotMnist(c.write('a.npz', npz(c, false))), /images/));
  out.push(refuse('files', 'loadNotMnist(images of float32 noise)', (c) => c.g.loadNotMnist(c.write('a.npz', c.g.encodeNpz({
    images: { data: c.rand(2 * 28 * 28), shape: [2, 28, 28] }, labels: { data: new Uint8Array([0, 1]) } }))), /images/));
  const idx = () => { const b = Buffer.alloc(4 + 8 + 4); b.writeUInt32BE(0x00000802, 0); b.writeUInt32BE(2, 4); b.writeUInt32BE(2, 8); return b; };
  const idxCases = [
    ['a bad magic', () => { const b = idx(); b[0] = 1; return b; }],
    ['type code 0x07', () => { const b = idx(); b[2] = 7; return b; }],
    ['255 dimensions', () => { const b = idx(); b[3] = 255; return b; }],
    ['a dimension of 2^32 - 1', () => { const b = idx(); b.writeUInt32BE(0xffffffff, 4); return b; }],
    ['too few data bytes', () => idx().subarray(0, 14)],
    ['a gzip stream cut short', () => zlib.gzipSync(idx()).subarray(0, 12)],
    ['a gzip stream of 64 MiB claiming 2^31 values', () => { const b = Buffer.alloc(8 + (64 << 20)); b.writeUInt32BE(0x00000801, 0); b.writeUInt32BE(0x80000000, 4); return zlib.gzipSync(b); }],
  ];
  out.push(either('files', 'loadIdx(a gzip stream inflating to 64 MiB past its 16 values)', (c) => {
    const b = Buffer.alloc(8 + 16 + (64 << 20));
    b.writeUInt32BE(0x00000801, 0);
    b.writeUInt32BE(16, 4);
    return c.g.loadIdx(c.write('a.idx.gz', zlib.gzipSync(b)));
  }, (a) => a.data.length === 16 || `${a.data.length} values`));
  for (const [what, make] of idxCases) out.push(refuse('files', `loadIdx(${what})`, (c) => c.g.loadIdx(c.write(what.includes('gzip') ? 'a.idx.gz' : 'a.idx', make())), /a\.idx/));
  return out;
}

function specialPathCases() {
  const out = [];
  const loaders = ['load', 'loadNpy', 'loadNpz', 'loadIdx', 'loadDataset', 'readCheckpoint', 'loadNotMnist', 'loadSafetensors'];
  for (const fn of loaders) out.push(refuse('files', `${fn}(a FIFO)`, (c) => c.g[fn](c.mkfifo(fn === 'loadDataset' || fn === 'loadNotMnist' ? 'p.npz' : 'p.bin')), /FIFO/));
  for (const fn of ['load', 'loadNpy', 'loadIdx']) out.push(refuse('files', `${fn}(/dev/zero)`, (c) => c.g[fn]('/dev/zero'), /device/));
  for (const fn of ['loadNpz']) out.push(refuse('files', `${fn}(/dev/null)`, (c) => c.g[fn]('/dev/null'), /device/));
  for (const fn of ['load']) out.push(refuse('files', `${fn}(a folder)`, (c) => c.g[fn](c.tmp), /directory/));
  out.push(refuse('files', 'load(a link to itself)', (c) => { const p = c.file('loop'); fs.symlinkSync(p, p); return c.g.load(p); }, /loop/));
  out.push(refuse('files', 'load(a dangling link)', (c) => { const p = c.file('dangling'); fs.symlinkSync(c.file('nowhere'), p); return c.g.load(p); }, /dangling/));
  out.push(refuse('files', 'load(a link to a FIFO)', (c) => { const p = c.file('l'); fs.symlinkSync(c.mkfifo('f'), p); return c.g.load(p); }, /FIFO/));
  for (const [what, p] of [['""', ''], ['a path holding NUL', 'a\0b']]) out.push(refuse('files', `load(${what})`, (c) => c.g.load(p), /path|load/));
  for (const fn of ['load']) out.push(refuse('files', `${fn}(/proc/self/status, a file of size 0 that is not empty)`, (c) => c.g[fn]('/proc/self/status'), /status/));
  out.push(refuse('files', 'loadNpy(/proc/self/mem)', (c) => c.g.loadNpy('/proc/self/mem'), /mem/));
  out.push(refuse('files', 'loadDataset(a folder holding a FIFO named .npz)', (c) => { c.mkfifo('x.npz'); return c.g.loadDataset(c.tmp); }, /FIFO/));
  return out;
}

function saveCases() {
  const out = [];
  const save = (c, p) => c.tinyMlp().save(p);
  const targets = [
    ['a folder', (c) => c.tmp, /directory/],
    ['a path under /proc', () => '/proc/gemmnet.safetensors', /proc/],
    ['a missing folder', (c) => c.file('no/such/m.safetensors'), /no\/such/],
    ['a path through a file', (c) => c.write('plain', 'x') + '/child.safetensors', /child/],
    ['a name of 256 bytes', (c) => c.file('m'.repeat(256)), /mmmm/],
    ['a path holding NUL', (c) => c.file('a\0b'), /path|save/],
    ['""', () => '', /path/],
    ['5', () => 5, /path/],
    ['a FIFO', (c) => c.mkfifo('out.safetensors'), /FIFO/],
    ['/dev/full', () => '/dev/full', /device/],
    ['a link to a folder', (c) => { const p = c.file('dirlink'); fs.symlinkSync(c.tmp, p); return p; }, /directory/],
    ['a link to itself', (c) => { const p = c.file('loop'); fs.symlinkSync(p, p); return p; }, /symbolic links|loop/],
  ];
  for (const [what, target, re] of targets) out.push(refuse('saves', `save(${what})`, (c) => save(c, target(c)), re));
  out.push(refuse('saves', 'save(a device node of its own)', (c) => {
    const p = c.file('null-device');
    if (require('child_process').spawnSync('mknod', ['-m', '666', p, 'c', '1', '3']).status !== 0) throw new Error('setup: cannot mknod (null-device)');
    return save(c, p);
  }, /device/));
  out.push(ok('saves', 'save(a name of 255 bytes) loads back', (c) => {
    const p = c.file('m'.repeat(255 - 12) + '.safetensors');
    save(c, p);
    return { w: c.g.load(p).getWeights().W_h, left: fs.readdirSync(c.tmp).filter((f) => f !== path.basename(p)) };
  }, ({ w, left }) => (w.length === 12 && left.length === 0) || `left ${left}`));
  out.push(either('saves', 'save(in a read-only folder)', (c) => {
    const d = c.file('ro');
    fs.mkdirSync(d, { mode: 0o500 });
    save(c, path.join(d, 'm.safetensors'));
    return c.g.load(path.join(d, 'm.safetensors')).parameterCount;
  }, (n) => n === 23 || `${n}`));
  for (const [what, extra, re] of [['meta holding a BigInt', { meta: { a: 1n } }, /meta/], ['circular meta', (() => { const m = {}; m.m = m; return { meta: m }; })(), /meta/],
    ['meta that is an array', { meta: [] }, /meta/], ['tensors holding an Array', { tensors: { a: [1, 2] } }, /\ba\b|tensor/], ['a bogus optimizer', { optimizer: { name: 'adam' } }, /optimizer/],
    ['an unknown extra', { typo: 1 }, /typo/]]) {
    out.push(refuse('saves', `save(..., ${what})`, (c) => c.tinyMlp().save(c.file('m.safetensors'), extra), re));
  }
  for (const [what, target, re] of [['a folder', (c) => c.tmp, /directory/], ['a path under /proc', () => '/proc/gemmnet.onnx', /proc/], ['""', () => '', /path/],
    ['a FIFO', (c) => c.mkfifo('m.onnx'), /FIFO/]]) {
    out.push(refuse('saves', `exportOnnx(${what})`, (c) => c.g.exportOnnx(c.tinyMlp(), target(c)), re));
  }
  out.push(ok('saves', 'exportOnnx writes a protobuf with the graph', (c) => { const p = c.file('m.onnx'); c.g.exportOnnx(c.tinyMlp(), p); return fs.readFileSync(p); },
    (b) => (b.length > 100 && b.includes(Buffer.from('probabilities'))) || 'no graph'));
  out.push(refuse('saves', 'saveNpy(a folder)', (c) => c.g.saveNpy(c.tmp, { data: new Float32Array(2) }), /directory/));
  out.push(refuse('saves', 'saveNpz(arrays holding an Array)', (c) => c.g.saveNpz(c.file('a.npz'), { a: { data: [1, 2] } }), /\ba\b|data/));
  out.push(refuse('saves', 'saveIdx(a shape that does not match)', (c) => c.g.saveIdx(c.file('a.idx'), { data: new Uint8Array(4), shape: [3] }), /shape/));
  out.push(refuse('saves', 'saveSafetensors(a tensor holding an Array)', (c) => c.g.saveSafetensors(c.file('a.safetensors'), { a: { data: [1] } }), /\ba\b|data/));
  out.push(either('saves', 'saveSafetensors(a tensor named "") reads back as written', (c) => {
    c.g.saveSafetensors(c.file('a.safetensors'), { '': Float32Array.from([7]) });
    return c.g.loadSafetensors(c.file('a.safetensors')).tensors;
  }, (t) => (Object.keys(t).join() === '' && t[''].data[0] === 7) || `${Object.keys(t)}`));
  out.push(refuse('saves', 'saveSafetensors(a shape that does not match)', (c) => c.g.saveSafetensors(c.file('a.safetensors'), { a: { data: new Float32Array(4), shape: [3] } }), /shape/));
  out.push(refuse('saves', 'train({ checkpoint: a FIFO })', (c) => c.g.train(c.tinyMlp(), c.tinyData(), { epochs: 1, checkpoint: c.mkfifo('c.safetensors') }), /checkpoint|FIFO/));
  return out;
}

module.exports = () => [...safetensorsCases(), ...checkpointCases(), ...arrayFileCases(), ...specialPathCases(), ...saveCases()];
