'use strict';
// sequential() stacks end to end: the presets built on them compute bit for bit what they did
// before, stacks are refused with actionable messages, and any stack trains (checkpoints and exact
// resume, early stopping, abort), predicts, saves and loads, and runs from the CLI. A LeNet-style
// network learns MNIST on a subset.
const assert = require('assert');
const { execFile } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const gemmnet = require('../..');
const { presetDigests } = require('../fixtures/preset-digests');
const { standardSplit } = require('../helpers/data');
const { throwsLike } = require('../helpers/util');

const { sequential, layers: L } = gemmnet;
const EXPECTED = require('../fixtures/preset-digests.json');

function tmpDir(name) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `gemmnet-${name}-`));
}

function realBatch(n) {
  const { train } = standardSplit();
  return { x: train.x.slice(0, n * 784), y: Int32Array.from(train.y.subarray(0, n)) };
}

/** A small stack with every kind of state: affine batch norm, dropout, both pools, a strided conv. */
function smallStack(seed = 5) {
  return sequential({
    input: [28, 28, 1],
    layers: [
      L.conv2d({ filters: 4, kernel: 3, stride: 2 }),
      L.leakyRelu({ alpha: 0.1 }),
      L.batchNorm({ affine: true }),
      L.maxPool2d({ size: 2 }),
      L.conv2d({ filters: 6, kernel: [3, 2], padding: 'valid' }),
      L.tanh(),
      L.avgPool2d({ size: 2, stride: 1 }),
      L.flatten(),
      L.dense({ units: 24 }),
      L.dropout({ keepProb: 0.8 }),
      L.relu(),
      L.batchNorm({ mode: 'activation' }),
      L.dense({ units: 10 }),
    ],
    l2: 1e-3,
    seed,
  });
}

describe('sequential stacks', () => {
  it('mlp() and cnn(), built on stacks, give the weights, steps and predictions they gave before, bit for bit', async function () {
    // sgemm's bits depend on the OpenBLAS kernels in use (OPENBLAS_CORETYPE picks them), so the
    // digests are kept per core; the data they were recorded on is the shared notMNIST sample.
    const core = gemmnet.buildInfo().blasCore;
    const expected = EXPECTED.byCore[core];
    if (!expected || standardSplit().name !== expected.data) {
      console.log(`      no digests recorded for OpenBLAS core ${core} on ${standardSplit().name}`);
      this.skip();
    }
    const got = await presetDigests();
    assert.deepStrictEqual(got, expected);
  });

  it('names weights <name>.W / .b / .gamma / .beta by type and position, or by the name option', () => {
    const net = sequential({
      input: [8, 8, 2],
      layers: [L.conv2d({ filters: 3 }), L.batchNorm({ affine: true, name: 'bn' }), L.flatten(), L.dense({ units: 4, name: 'logits' })],
    });
    assert.deepStrictEqual(net.shapes, {
      'conv2d1.W': [3, 3, 2, 3], 'conv2d1.b': [3], 'bn.gamma': [3], 'bn.beta': [3], 'logits.W': [192, 4], 'logits.b': [4],
    });
    assert.deepStrictEqual(Object.keys(net.getState()), ['bn.running_mean', 'bn.running_var']);
    assert.ok(net.getWeights()['bn.gamma'].every((v) => v === 1));
    assert.strictEqual(net.kind, 'sequential');
  });

  it('mlp({ hidden: [a, b] }) stacks hidden layers under W_h1, W_h2, ...', () => {
    const m = gemmnet.mlp({ hidden: [32, 16], seed: 3 });
    assert.deepStrictEqual(m.shapes, { W_h1: [784, 32], b_h1: [32], W_h2: [32, 16], b_h2: [16], W_o: [16, 10], b_o: [10] });
    const { x, y } = realBatch(20);
    assert.ok(Number.isFinite(m.lossAndGradients(x, y).loss));
    assert.deepStrictEqual(m.options.hidden, [32, 16]);
  });

  it('describes itself: summary() and architecture (types, options, shapes, tensor names)', () => {
    const net = smallStack();
    const text = net.summary(false);
    assert.match(text, /conv2d1 \(conv2d\)\s+\[14, 14, 4\]\s+40/);
    assert.match(text, new RegExp(`total parameters: ${net.parameterCount}`));
    const a = net.architecture;
    assert.deepStrictEqual(a.input, [28, 28, 1]);
    assert.strictEqual(a.classes, 10);
    assert.deepStrictEqual(a.layers.map((l) => l.type), [
      'conv2d', 'leakyRelu', 'batchNorm', 'maxPool2d', 'conv2d', 'tanh', 'avgPool2d', 'flatten', 'dense', 'dropout', 'relu', 'batchNorm', 'dense']);
    assert.deepStrictEqual(a.layers[4].outputShape, [5, 6, 6]);
    assert.deepStrictEqual(a.layers[2].weights, { gamma: 'batchNorm3.gamma', beta: 'batchNorm3.beta' });
    assert.deepStrictEqual(a.layers[11].state, { running_mean: 'batchNorm12.running_mean', running_var: 'batchNorm12.running_var' });
    assert.deepStrictEqual(a.layers[0].config, { type: 'conv2d', name: 'conv2d1', filters: 4, kernel: [3, 3], stride: 2, padding: 'same' });
    const cnnArch = gemmnet.cnn().architecture;
    assert.deepStrictEqual(cnnArch.layers[0].weights, { W: 'W_conv', b: 'b_conv' });
    assert.deepStrictEqual(cnnArch.layers[2].state, { running_mean: 'layer1.running_mean', running_var: 'layer1.running_var' });
  });

  it('refuses stacks whose shapes do not fit, naming the layer, its input shape and the fix', () => {
    throwsLike(() => sequential({ input: [4, 4, 1], layers: [L.maxPool2d({ size: 5 }), L.flatten(), L.dense({ units: 3 })] }),
      RangeError, /maxPool2d1 \(maxPool2d\): its 5x5 window is larger than its input \[4, 4, 1\]; use a smaller size/);
    throwsLike(() => sequential({ input: [8, 8, 1], layers: [L.conv2d({ filters: 2 }), L.dense({ units: 3 })] }),
      RangeError, /dense2 \(dense\) takes a vector, but its input has shape \[8, 8, 2\].*put layers.flatten\(\) before it/);
    throwsLike(() => sequential({ input: [64], layers: [L.conv2d({ filters: 2 })] }), RangeError, /conv2d1 \(conv2d\) needs an image input/);
    throwsLike(() => sequential({ input: [5, 5, 1], layers: [L.conv2d({ filters: 2, kernel: 7, padding: 'valid' })] }),
      RangeError, /conv2d1 \(conv2d\): its 7x7 kernel is larger than its input \[5, 5, 1\]/);
    throwsLike(() => sequential({ input: [5, 5, 1], layers: [L.conv2d({ filters: 2 })] }),
      RangeError, /the last layer, conv2d1 \(conv2d\), gives \[5, 5, 2\].*layers.dense/);
    throwsLike(() => L.conv2d({ filters: 2, padding: 'full' }), RangeError, /padding must be one of "same", "valid"/);
    throwsLike(() => L.dense({ unit: 3 }), TypeError, /unknown option "unit"/);
    throwsLike(() => sequential({ input: [4], layers: [{ type: 'lstm' }] }), TypeError, /type must be one of dense, conv2d/);
    throwsLike(() => sequential({ input: [4], layers: [L.dense({ units: 3, name: 'a' }), L.dense({ units: 3, name: 'a' })] }),
      TypeError, /two layers are named "a"/);
    // Labels the last layer cannot score are refused before training starts.
    const net = sequential({ input: [784], layers: [L.dense({ units: 4 })] });
    const { x, y } = realBatch(30);
    return assert.rejects(gemmnet.train(net, { x, y }, { epochs: 1 }),
      /data\.y\[\d+\] = \d+ is outside the class range \[0, 3\]: the last layer, dense1 \(dense\), gives 4 scores/);
  });

  it('saves and loads a stack exactly: architecture, weights, state, predictions', async () => {
    const net = smallStack();
    const { x, y } = realBatch(200);
    await gemmnet.train(net, { x, y }, { epochs: 1 });
    const file = path.join(tmpDir('stack-save'), 'net.safetensors');
    net.save(file);
    const back = gemmnet.load(file);
    assert.ok(back instanceof gemmnet.Sequential);
    assert.deepStrictEqual(back.architecture, net.architecture);
    assert.deepStrictEqual(back.getWeights(), net.getWeights());
    assert.deepStrictEqual(back.getState(), net.getState());
    assert.deepStrictEqual(back.predict(x), net.predict(x));
    assert.strictEqual(gemmnet.readCheckpoint(file).kind, 'sequential');
  });

  it('resumes training of a stack exactly (dropout masks, batch norm, Adam, shuffle) and stops early or on abort', async () => {
    const { x, y } = realBatch(300);
    const straight = smallStack(9);
    await gemmnet.train(straight, { x, y }, { epochs: 3 });
    const file = path.join(tmpDir('stack-resume'), 'ckpt.safetensors');
    const first = smallStack(9);
    await gemmnet.train(first, { x, y }, { epochs: 2, checkpoint: file });
    const resumed = smallStack(9);
    await gemmnet.train(resumed, { x, y }, { epochs: 3, resumeFrom: file });
    assert.deepStrictEqual(resumed.getWeights(), straight.getWeights());
    assert.deepStrictEqual(resumed.getState(), straight.getState());

    const es = await gemmnet.train(smallStack(), { x, y }, {
      epochs: 50, validation: realBatch(50), earlyStopping: { patience: 0, monitor: 'train.accuracy', minDelta: 1 },
    });
    assert.strictEqual(es.stopReason, 'early-stopping');
    const ac = new AbortController();
    const ab = await gemmnet.train(smallStack(), { x, y }, { epochs: 5, signal: ac.signal, onBatch: () => ac.abort() });
    assert.strictEqual(ab.stopReason, 'aborted');
  });

  it('updates its dense weights inside the backward pass (fused) with the same result as unfused', async () => {
    const { x, y } = realBatch(200);
    const make = () => sequential({ input: [784], layers: [L.dense({ units: 64 }), L.relu(), L.dense({ units: 10 })], seed: 4 });
    const fused = make();
    assert.strictEqual(fused.unfusedRanges.reduce((s, [a, b]) => s + b - a, 0), 64 + 10);
    await gemmnet.train(fused, { x, y }, { epochs: 2, optimizer: gemmnet.momentum() });
    const plain = make();
    // An optimizer without the fused rule takes every gradient through memory.
    const m = gemmnet.momentum();
    const unfused = Object.create(m, { rule: { value: undefined } });
    await gemmnet.train(plain, { x, y }, { epochs: 2, optimizer: unfused });
    const a = fused.getWeights();
    const b = plain.getWeights();
    for (const k of Object.keys(a)) {
      let worst = 0;
      for (let i = 0; i < a[k].length; i++) worst = Math.max(worst, Math.abs(a[k][i] - b[k][i]));
      assert.ok(worst < 1e-5, `${k} differs by ${worst}`);
    }
  });

  it('trains a LeNet-style network (two conv blocks) on 4,000 MNIST images to over 93% on 2,000 test images', async function () {
    const all = gemmnet.loadMnist({ subset: 'train' });
    const test = gemmnet.loadMnist({ subset: 'test' });
    const net = sequential({
      input: [28, 28, 1],
      layers: [
        L.conv2d({ filters: 8, kernel: 5 }), L.relu(), L.maxPool2d({ size: 2 }),
        L.conv2d({ filters: 16, kernel: 5, padding: 'valid' }), L.relu(), L.maxPool2d({ size: 2 }),
        L.flatten(), L.dense({ units: 120 }), L.relu(), L.dense({ units: 84 }), L.relu(), L.dense({ units: 10 }),
      ],
      seed: 521,
    });
    const t0 = performance.now();
    const h = await gemmnet.train(net, { x: all.x.subarray(0, 4000 * 784), y: all.y.subarray(0, 4000) }, {
      epochs: 5, test: { x: test.x.subarray(0, 2000 * 784), y: test.y.subarray(0, 2000) },
    });
    const acc = h.epochs[h.epochs.length - 1].test.accuracy;
    this.test.title += ` (got ${(100 * acc).toFixed(1)}% in ${((performance.now() - t0) / 1000).toFixed(1)} s)`;
    assert.ok(acc > 0.93, `test accuracy ${acc}`);
  });

  it('gemmnet train --model net.json trains the stack the file describes and saves it', async () => {
    const dir = tmpDir('stack-cli');
    const spec = {
      input: [28, 28, 1],
      layers: [
        { type: 'conv2d', filters: 4, kernel: 3, stride: 2 }, { type: 'relu' }, { type: 'maxPool2d', size: 2 },
        { type: 'flatten' }, { type: 'dense', units: 10 },
      ],
    };
    fs.writeFileSync(path.join(dir, 'net.json'), JSON.stringify(spec));
    const NOTMNIST = path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'notmnist', 'notMNIST-10k.npz');
    const data = fs.existsSync(NOTMNIST) ? ['--data', NOTMNIST] : [];
    const cli = path.resolve(__dirname, '..', '..', 'lib', 'cli.js');
    const run = (args) => new Promise((resolve) => execFile(process.execPath, [cli, ...args], { env: { ...process.env, CI: 'true' } },
      (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr })));
    const r = await run(['train', '--model', path.join(dir, 'net.json'), ...data, '--epochs', '1', '--limit', '400', '--out', dir]);
    assert.strictEqual(r.code, 0, r.stderr);
    const net = gemmnet.load(path.join(dir, 'model.safetensors'));
    assert.deepStrictEqual(net.architecture.layers.map((l) => l.type), ['conv2d', 'relu', 'maxPool2d', 'flatten', 'dense']);
    const settings = JSON.parse(fs.readFileSync(path.join(dir, 'history.json'), 'utf8')).settings;
    assert.strictEqual(settings.batchSize, 32);

    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ input: [28, 28, 1], layers: [{ type: 'dense', units: 10 }] }));
    const bad = await run(['train', '--model', path.join(dir, 'bad.json'), ...data, '--epochs', '1', '--limit', '50']);
    assert.notStrictEqual(bad.code, 0);
    assert.match(bad.stderr, /dense1 \(dense\) takes a vector.*flatten/);
    const foreign = await run(['train', '--model', path.join(dir, 'net.json'), '--hidden', '10']);
    assert.match(foreign.stderr, /--hidden does not apply/);
  });
});
