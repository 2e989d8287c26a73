'use strict';
// ONNX export checked against a real runtime: onnxruntime-node's probabilities equal model.predict
// (within 1e-5, same argmax) for the MLP and CNN presets, and equal the page's JavaScript forward pass
// for hand-built stacks of every layer the exporter has an emitter for. Where Debian's python3-onnx is
// installed, onnx.checker (full_check) accepts every exported file too.
const assert = require('assert');
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const ort = require('onnxruntime-node');
const gemmnet = require('../..');
const { forwardNetwork } = require('../../lib/demo/forward');
const { rand } = require('../helpers/util');

const CLI = path.resolve(__dirname, '..', '..', 'lib', 'cli.js');
const PYTHON = '/usr/bin/python3';
const HAVE_ONNX = fs.existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import onnx']).status === 0;
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'gemmnet-onnx-'));
const written = [];

async function runOnnx(bytes, x, dims) {
  const session = await ort.InferenceSession.create(bytes);
  assert.deepStrictEqual(session.inputNames, ['input']);
  assert.deepStrictEqual(session.outputNames, ['probabilities']);
  const out = await session.run({ input: new ort.Tensor('float32', x, dims) });
  return out.probabilities;
}

function maxAbsDiff(a, b) {
  assert.strictEqual(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) || (a[i] === b[i] ? 0 : Infinity));
  return worst;
}

function argmaxes(p, classes) {
  const out = [];
  for (let s = 0; s < p.length / classes; s++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (p[s * classes + k] > p[s * classes + best]) best = k;
    out.push(best);
  }
  return out;
}

function save(name, bytes) {
  const file = path.join(DIR, `${name}.onnx`);
  fs.writeFileSync(file, bytes);
  written.push(file);
  return file;
}

/** A few plain gradient steps (which also update batch norm's running statistics), so that no
 * weight or statistic keeps its initial value. */
function trained(model) {
  const n = 16;
  for (let i = 0; i < 5; i++) {
    const x = rand(n * model.inputSize, 11 + i).map((v) => (v + 1) / 2);
    const { grads } = model.lossAndGradients(x, Array.from({ length: n }, (_, j) => (j * 7 + i) % model.classes));
    const w = model.getWeights();
    for (const k of Object.keys(w)) w[k] = w[k].map((v, j) => v - 0.5 * grads[k][j]);
    model.setWeights(w);
  }
  return model;
}

/** A stack of every layer type, drawn from seed: 3 channels, strides, 'valid' padding, two conv blocks,
 * both pools, both batch-norm modes with and without affine, and every activation. */
function randomStack(seed) {
  let s = seed >>> 0;
  const r = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const { layers } = gemmnet;
  const act = () => pick([layers.relu(), layers.leakyRelu({ alpha: 0.1 + 0.2 * r() }), layers.tanh(), layers.sigmoid()]);
  const block = (stride) => [
    layers.conv2d({ filters: 2 + Math.floor(r() * 4), kernel: pick([1, 2, 3, [3, 2]]), stride, padding: pick(['same', 'valid']) }),
    act(),
    layers.batchNorm({ mode: pick(['channel', 'activation']), affine: r() < 0.5 }),
    pick([layers.maxPool2d({ size: 2 }), layers.avgPool2d({ size: 2, stride: pick([1, 2]) })]),
  ];
  return trained(gemmnet.sequential({
    input: [20 + Math.floor(r() * 6), 19 + Math.floor(r() * 6), 3],
    layers: [...block(pick([1, 2])), ...block(1), layers.flatten(), layers.dense({ units: 9 }), layers.dropout({ keepProb: 0.8 }), act(),
      layers.batchNorm({ mode: 'activation', affine: true }), layers.dense({ units: 5 })],
    seed,
  }));
}

describe('ONNX export', function () {
  const presets = [
    ['mlp()', () => gemmnet.mlp({ hidden: 64 }), [784]],
    ['cnn()', () => gemmnet.cnn({ filters: 8, fc: 32 }), [28, 28, 1]],
    ['cnn() with per-activation batch norm and dropout', () => gemmnet.cnn({ filters: 4, fc: 16, keepProb: 0.5, batchNorm: { mode: 'batch' } }), [28, 28, 1]],
    ['cnn() on 9x7x3 images, kernel 4 (uneven SAME padding)', () => gemmnet.cnn({ height: 9, width: 7, channels: 3, kernel: 4, filters: 5, fc: 12, classes: 4 }), [9, 7, 3]],
    ['mlp({ hidden: [32, 16] })', () => gemmnet.mlp({ hidden: [32, 16] }), [784]],
    ...[1, 2, 3, 4, 5, 6].map((seed) => [`a random sequential() stack (seed ${seed})`, () => randomStack(seed), randomStack(seed).architecture.input]),
  ];
  for (const [name, make, shape] of presets) {
    it(`${name}: onnxruntime's probabilities equal model.predict within 1e-5`, async function () {
      const model = trained(make());
      const n = 7;
      const x = rand(n * model.inputSize, 5).map((v) => (v + 1) / 2);
      const bytes = model.toOnnx();
      save(name.replace(/\W+/g, '-'), bytes);
      const out = await runOnnx(bytes, x, [n, ...shape]);
      assert.deepStrictEqual(out.dims, [n, model.classes]);
      const expected = model.predict(x);
      const err = maxAbsDiff(out.data, expected);
      assert.ok(err <= 1e-5, `max |ort - predict| = ${err}`);
      assert.deepStrictEqual(argmaxes(out.data, model.classes), argmaxes(expected, model.classes));
      // The page's forward pass, on the same layer descriptions.
      assert.ok(maxAbsDiff(forwardNetwork(model.toSpec(), x, n), expected) <= 1e-5);
    });
  }

  it('stores the class names in the metadata and writes files with exportOnnx', async function () {
    const model = gemmnet.mlp({ hidden: 8, classes: 3 });
    const file = path.join(DIR, 'labels.onnx');
    gemmnet.exportOnnx(model, file, { classes: ['cat', 'dog', 'émeu'] });
    written.push(file);
    const bytes = fs.readFileSync(file);
    assert.deepStrictEqual(new Uint8Array(bytes), model.toOnnx({ classes: ['cat', 'dog', 'émeu'] }));
    assert.ok(bytes.includes(Buffer.from('classes')) && bytes.includes(Buffer.from('émeu')));
    assert.throws(() => model.toOnnx({ classes: ['a', 'b'] }), /3 strings/);
  });

  it('refuses a model whose batch norm uses each evaluation batch\'s statistics, saying what to use', function () {
    const model = gemmnet.cnn({ filters: 2, fc: 4, batchNorm: { evaluation: 'batch' } });
    assert.throws(() => model.toOnnx(), /its own statistics.*no static graph.*evaluation: 'running'/s);
  });

  describe('emitters on hand-built stacks (against the JavaScript forward pass)', function () {
    const f32 = (n, seed, scale = 0.5) => rand(n, seed).map((v) => v * scale);
    const positive = (n, seed) => rand(n, seed).map((v) => 0.5 + 0.4 * v);
    function conv(C, F, k, stride, padding, seed) {
      return { type: 'conv2d', kernel: k, filters: F, stride, padding, W: f32(k[0] * k[1] * C * F, seed), b: f32(F, seed + 1, 0.1) };
    }
    function dense(I, O, seed) {
      return { type: 'dense', units: O, W: f32(I * O, seed, 0.3), b: f32(O, seed + 1, 0.1) };
    }
    function bn(K, mode, seed, affine) {
      return { type: 'batchNorm', mode, eps: 1e-5, mean: f32(K, seed), variance: positive(K, seed + 1),
        ...(affine ? { gamma: positive(K, seed + 2), beta: f32(K, seed + 3) } : {}) };
    }
    const stacks = {
      'conv stride 2 SAME, leakyRelu, channel batch norm with gamma and beta, avg pool, flatten, dense, tanh, dense': {
        input: [11, 10, 2],
        layers: [conv(2, 6, [3, 3], 2, 'same', 1), { type: 'leakyRelu', alpha: 0.2 }, bn(6, 'channel', 3, true),
          { type: 'avgPool2d', size: 2, stride: 1, padding: 'valid' }, { type: 'flatten' }, dense(5 * 4 * 6, 9, 5),
          { type: 'tanh' }, dense(9, 4, 7)],
      },
      'conv 5x2 VALID stride 3, sigmoid, per-activation batch norm, max pool SAME stride 2, dense': {
        input: [13, 9, 3],
        layers: [conv(3, 4, [5, 2], 3, 'valid', 11), { type: 'sigmoid' }, bn(3 * 3 * 4, 'activation', 13, true),
          { type: 'maxPool2d', size: 2, stride: 2, padding: 'same' }, dense(2 * 2 * 4, 5, 15)],
      },
      'avg pool SAME over the input, relu, conv SAME (even kernel), dropout, per-activation batch norm without affine, dense': {
        input: [6, 7, 2],
        layers: [{ type: 'avgPool2d', size: 3, stride: 2, padding: 'same' }, { type: 'relu' }, conv(2, 3, [2, 4], 1, 'same', 21),
          { type: 'dropout' }, bn(3 * 4 * 3, 'activation', 23, false), dense(3 * 4 * 3, 3, 25)],
      },
      'features: dense, per-feature batch norm, leakyRelu, sigmoid, dense': {
        input: [20],
        layers: [dense(20, 12, 31), bn(12, 'channel', 33, true), { type: 'leakyRelu', alpha: 0.01 }, { type: 'sigmoid' }, dense(12, 6, 35)],
      },
    };
    /** A random stack: image layers (with their geometry drawn so the image stays non-empty), then
     * feature layers, ending with a dense layer to 2-6 classes. */
    function randomStack(seed) {
      let state = seed;
      const pick = (k) => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 8) % k;
      let shape = [5 + pick(8), 5 + pick(8), 1 + pick(3)];
      const input = shape.slice();
      const layers = [];
      const act = () => [{ type: 'relu' }, { type: 'leakyRelu', alpha: 0.1 }, { type: 'tanh' }, { type: 'sigmoid' }, { type: 'dropout' }][pick(5)];
      for (let i = 0, count = 1 + pick(4); i < count && Math.min(shape[0], shape[1]) >= 3; i++) {
        const padding = pick(2) ? 'same' : 'valid';
        const stride = 1 + pick(2);
        const kind = pick(4);
        let layer;
        if (kind < 2) layer = conv(shape[2], 1 + pick(5), [1 + pick(3), 1 + pick(3)], stride, padding, seed + i);
        else if (kind === 2) layer = { type: pick(2) ? 'maxPool2d' : 'avgPool2d', size: 2, stride, padding };
        else layer = pick(2) ? bn(shape[2], 'channel', seed + i, pick(2)) : bn(shape[0] * shape[1] * shape[2], 'activation', seed + i, pick(2));
        layers.push(layer);
        shape = nextShape(layer, shape);
        if (pick(2)) layers.push(act());
      }
      if (pick(2)) layers.push({ type: 'flatten' });
      let features = shape.reduce((a, b) => a * b, 1);
      if (pick(2)) {
        const units = 3 + pick(10);
        layers.push(dense(features, units, seed + 50), act());
        if (pick(2)) layers.push(bn(units, 'channel', seed + 60, true));
        features = units;
      }
      layers.push(dense(features, 2 + pick(5), seed + 70));
      return { input, layers };
    }
    function nextShape(layer, [H, W, C]) {
      const [kh, kw] = layer.type === 'conv2d' ? layer.kernel : layer.type === 'batchNorm' ? [1, 1] : [layer.size, layer.size];
      const stride = layer.stride ?? 1;
      const out = (inp, k) => (layer.padding === 'same' ? Math.ceil(inp / stride) : Math.floor((inp - k) / stride) + 1);
      if (layer.type === 'batchNorm') return [H, W, C];
      return [out(H, kh), out(W, kw), layer.type === 'conv2d' ? layer.filters : C];
    }
    for (let seed = 1; seed <= 12; seed++) {
      const spec = randomStack(seed * 7919);
      stacks[`random stack on [${spec.input}]: ${spec.layers.map((l) => l.padding ? `${l.type}(${l.padding}, ${l.stride})` : l.mode ? `${l.type}(${l.mode})` : l.type).join(', ')}`] = spec;
    }

    for (const [name, spec] of Object.entries(stacks)) {
      it(name, async function () {
        const n = 5;
        const size = spec.input.reduce((a, b) => a * b, 1);
        const x = rand(n * size, 41);
        const bytes = gemmnet.specToOnnx(spec);
        save(`stack-${Object.keys(stacks).indexOf(name)}`, bytes);
        const out = await runOnnx(bytes, x, [n, ...spec.input]);
        const expected = forwardNetwork(spec, x, n);
        const classes = out.dims[1];
        assert.strictEqual(out.data.length, expected.length);
        const err = maxAbsDiff(out.data, expected);
        assert.ok(err <= 1e-5, `max |ort - js| = ${err}`);
        assert.deepStrictEqual(argmaxes(out.data, classes), argmaxes(expected, classes));
      });
    }
  });

  it('gemmnet export writes an ONNX file of a saved model, with its saved class names', async function () {
    const model = trained(gemmnet.cnn({ filters: 3, fc: 8 }));
    const saved = path.join(DIR, 'cnn.safetensors');
    model.save(saved, { meta: { classes: [...'ABCDEFGHIJ'] } });
    const file = path.join(DIR, 'cli.onnx');
    const stdout = execFileSync(process.execPath, [CLI, 'export', '--model', saved, '--onnx', file], { encoding: 'utf8' });
    written.push(file);
    assert.match(stdout, /wrote .*cli\.onnx .*classes A B C D E F G H I J/);
    const x = rand(3 * 784, 9).map((v) => (v + 1) / 2);
    const out = await runOnnx(fs.readFileSync(file), x, [3, 28, 28, 1]);
    assert.ok(maxAbsDiff(out.data, model.predict(x)) <= 1e-5);
    assert.ok(fs.readFileSync(file).includes(Buffer.from('["A","B","C"')));
  });

  it('gemmnet export says what it needs', function () {
    const r = spawnSync(process.execPath, [CLI, 'export', '--onnx', path.join(DIR, 'x.onnx')], { encoding: 'utf8' });
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /^gemmnet: export needs --model FILE.safetensors and --onnx FILE.onnx\nRun `gemmnet export --help` for usage.\n$/);
  });

  // Last: after every test above has written its file.
  describe('onnx.checker', function () {
    it('accepts every exported file (full_check), when python3-onnx is installed', function () {
      if (!HAVE_ONNX) this.skip();
      assert.ok(written.length >= 9, `${written.length} files`);
      const script = 'import sys, onnx\n' +
        'for f in sys.argv[1:]:\n' +
        '    m = onnx.load(f)\n' +
        '    onnx.checker.check_model(m, full_check=True)\n' +
        '    assert m.opset_import[0].version >= 13\n' +
        '    assert [i.name for i in m.graph.input] == ["input"] and [o.name for o in m.graph.output] == ["probabilities"]\n' +
        'print("ok", len(sys.argv) - 1)\n';
      const out = execFileSync(PYTHON, ['-c', script, ...written], { encoding: 'utf8' });
      assert.strictEqual(out.trim(), `ok ${written.length}`);
    });
  });
});
