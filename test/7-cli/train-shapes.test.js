'use strict';
// gemmnet train on images that are not 28 x 28 x 1: a --data file of that shape and a --model stack
// whose input matches it.
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const gemmnet = require('../..');

const CLI = path.resolve(__dirname, '..', '..', 'lib', 'cli.js');

describe('gemmnet train on other image shapes', function () {
  this.timeout(120000);
  let dir;
  let data;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gemmnet-shapes-'));
    // 600 colour images of 12 x 10 x 3: class k has a bright square in the k-th of 4 positions.
    const n = 600, H = 12, W = 10, C = 3;
    const images = new Uint8Array(n * H * W * C);
    const labels = new Uint8Array(n);
    let s = 7;
    const r = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < n; i++) {
      const k = i % 4;
      labels[i] = k;
      for (let p = 0; p < H * W * C; p++) images[i * H * W * C + p] = Math.floor(r() * 60);
      const [y0, x0] = [[0, 0], [0, 5], [6, 0], [6, 5]][k];
      for (let y = y0; y < y0 + 5; y++) for (let x = x0; x < x0 + 5; x++) images[((i * H + y) * W + x) * C + (k % C)] = 255;
    }
    data = path.join(dir, 'colour.npz');
    gemmnet.saveNpz(data, { images: { data: images, shape: [n, H, W, C] }, labels: { data: labels } });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function stack(input) {
    const file = path.join(dir, `net-${input.join('x')}.json`);
    fs.writeFileSync(file, JSON.stringify({
      input,
      layers: [{ type: 'conv2d', filters: 4, kernel: 3 }, { type: 'relu' }, { type: 'maxPool2d', size: 2 },
        { type: 'flatten' }, { type: 'dense', units: 4 }],
    }));
    return file;
  }

  it('trains a stack whose input is the data\'s shape, and learns it', () => {
    const out = path.join(dir, 'run');
    const r = spawnSync(process.execPath, [CLI, 'train', '--model', stack([12, 10, 3]), '--data', data, '--epochs', '8',
      '--lr', '0.01', '--out', out], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    assert.strictEqual(r.status, 0, r.stderr);
    const h = JSON.parse(fs.readFileSync(path.join(out, 'history.json'), 'utf8'));
    assert.ok(h.epochs.at(-1).test.accuracy > 0.9, `test accuracy ${h.epochs.at(-1).test.accuracy}`);
    const model = gemmnet.load(path.join(out, 'model.safetensors'));
    assert.deepStrictEqual(model.architecture.input, [12, 10, 3]);
  });

  it('says so when the stack\'s input does not match the data, naming both', () => {
    const r = spawnSync(process.execPath, [CLI, 'train', '--model', stack([28, 28, 1]), '--data', data, '--epochs', '1'],
      { encoding: 'utf8' });
    assert.strictEqual(r.status, 1);
    assert.match(r.stderr, /samples of 360 values, but the model takes 784.*\[28,28,1\].*set "input"/);
  });

  it('the presets still take only 28 x 28 data', () => {
    const r = spawnSync(process.execPath, [CLI, 'train', '--model', 'mlp', '--data', data, '--epochs', '1'], { encoding: 'utf8' });
    assert.strictEqual(r.status, 1);
    assert.match(r.stderr, /samples of 360 values, but the model takes 784/);
  });
});
