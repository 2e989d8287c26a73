'use strict';
// Gradients of every layer type and of random stacks, from the network's hand-derived backward
// passes, checked against central finite differences of its own loss and against the float64 NumPy
// reference (test/reference/stack.py), which walks model.architecture.
const assert = require('assert');
const gemmnet = require('../..');
const { rand } = require('../helpers/util');
const { hasNumpy, numpyGradients } = require('../helpers/numpy');

const { sequential, layers: L } = gemmnet;

/** Non-zero biases, gammas around 1 and betas around 0, so every gradient path carries signal. */
function perturb(model, seed) {
  const w = model.getWeights();
  const arch = model.architecture;
  const set = {};
  let s = seed;
  for (const layer of arch.layers) {
    const { b, gamma, beta } = layer.weights;
    if (b) set[b] = rand(w[b].length, s++).map((v) => v * 0.2);
    if (gamma) set[gamma] = rand(w[gamma].length, s++).map((v) => 1 + v * 0.3);
    if (beta) set[beta] = rand(w[beta].length, s++).map((v) => v * 0.2);
  }
  model.setWeights(set);
}

function batch(model, N, seed) {
  const x = rand(N * model.inputSize, seed);
  const labels = Int32Array.from(rand(N, seed + 1), (v) => Math.floor(((v + 1) / 2) * model.classes) % model.classes);
  return { x, labels };
}

/** Central differences of the loss at a few coordinates of every weight tensor. */
function finiteDifferences(model, x, labels, grads, h = 5e-3, per = 8) {
  const worst = {};
  const w = model.getWeights();
  for (const [name, values] of Object.entries(w)) {
    const fd = [];
    const an = [];
    for (let k = 0; k < Math.min(per, values.length); k++) {
      const i = Math.floor((k * 7919 + 13) % values.length);
      const orig = values[i];
      const probe = (v) => {
        const copy = values.slice();
        copy[i] = v;
        model.setWeights({ [name]: copy });
        return model.lossAndGradients(x, labels).loss;
      };
      fd.push((probe(orig + h) - probe(orig - h)) / (2 * h));
      an.push(grads[name][i]);
      model.setWeights({ [name]: values });
    }
    // ||an - fd|| / ||fd|| over the probed coordinates, with an absolute floor (a bias right before a
    // batch norm has a zero gradient). A probe of +-h can cross a kink (a ReLU, a max pool's winner)
    // that the analytic gradient does not see: the coordinate that differs most is let off.
    const off = an.length > 2 ? an.reduce((m, a, k) => (Math.abs(a - fd[k]) > Math.abs(an[m] - fd[m]) ? k : m), 0) : -1;
    let num = 0;
    let den = 0;
    an.forEach((a, k) => { if (k !== off) { num += (a - fd[k]) ** 2; den += fd[k] ** 2; } });
    worst[name] = Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-3);
  }
  return worst;
}

const report = [];

function check(name, options, { N = 6, fdTol = 2e-2, refTol = 2e-4 } = {}) {
  it(name, function () {
    const model = sequential(options);
    perturb(model, 7);
    const { x, labels } = batch(model, N, 11);
    const { loss, grads } = model.lossAndGradients(x, labels);
    assert.ok(Number.isFinite(loss));
    let worstRef = NaN;
    if (hasNumpy()) worstRef = compareWithNumpy(model, x, labels, loss, grads, N, refTol);
    const fd = finiteDifferences(model, x, labels, grads);
    report.push([name, worstRef, Math.max(...Object.values(fd))]);
    for (const [k, e] of Object.entries(fd)) assert.ok(e < fdTol, `${k}: finite differences differ by ${e}`);
  });
}

function compareWithNumpy(model, x, labels, loss, grads, N, refTol) {
  {
    let worstRef = 0;
    const shapes = model.shapes;
    const weights = model.getWeights();
    const ref = numpyGradients({
      model: 'sequential',
      options: { architecture: model.architecture, l2: model.stack.l2 },
      weights: Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, { data: v, shape: shapes[k] }])),
      x: { data: x, shape: [N, ...model.stack.input] },
      labels,
    });
    assert.ok(Math.abs(ref.loss - loss) < 1e-5 * Math.max(1, Math.abs(ref.loss)), `loss ${loss} vs NumPy ${ref.loss}`);
    // Relative to the tensor, with a floor of 1% of the largest gradient: a bias right before a batch
    // norm has a gradient of exactly zero, which float32 only approximates.
    const norm = (a) => Math.sqrt(a.reduce((t, v) => t + v * v, 0));
    const floor = 1e-2 * Math.max(...Object.values(ref.grads).map(norm));
    for (const k of Object.keys(weights)) {
      const diff = norm(grads[k].map((v, i) => v - ref.grads[k][i]));
      const e = diff / Math.max(norm(ref.grads[k]), floor);
      assert.ok(e < refTol, `${k}: ${e} from NumPy`);
      worstRef = Math.max(worstRef, e);
    }
    return worstRef;
  }
}

describe('stack gradients (finite differences and the NumPy float64 reference)', () => {
  after(() => {
    if (process.env.GEMMNET_GRAD_REPORT) for (const r of report) console.log(r.join('\t'));
  });
  const head = (units = 4) => [L.flatten(), L.dense({ units })];
  describe('each layer type', () => {
    check('dense + relu', { input: [7], layers: [L.dense({ units: 5 }), L.relu(), L.dense({ units: 3 })] });
    check('dense + leakyRelu, l2', { input: [7], layers: [L.dense({ units: 5 }), L.leakyRelu({ alpha: 0.1 }), L.dense({ units: 3 })], l2: 0.3 });
    check('dense + tanh', { input: [7], layers: [L.dense({ units: 5 }), L.tanh(), L.dense({ units: 3 })] });
    check('dense + sigmoid', { input: [7], layers: [L.dense({ units: 5 }), L.sigmoid(), L.dense({ units: 3 })] });
    check('conv2d, 3 input channels, same, stride 1', { input: [6, 5, 3], layers: [L.conv2d({ filters: 2, kernel: 3 }), L.relu(), ...head()] });
    check('conv2d stride 2, same, [2, 3] kernel', { input: [7, 6, 2], layers: [L.conv2d({ filters: 3, kernel: [2, 3], stride: 2 }), L.tanh(), ...head()] });
    check('conv2d valid, stride 2', { input: [7, 7, 3], layers: [L.conv2d({ filters: 2, kernel: 3, stride: 2, padding: 'valid' }), ...head()] });
    check('maxPool2d 2, stride 1 (overlapping)', { input: [5, 5, 2], layers: [L.conv2d({ filters: 2 }), L.maxPool2d({ size: 2, stride: 1 }), ...head()] });
    check('maxPool2d 3, stride 2', { input: [7, 7, 1], layers: [L.conv2d({ filters: 2 }), L.maxPool2d({ size: 3, stride: 2 }), ...head()] });
    check('avgPool2d 2', { input: [6, 6, 2], layers: [L.conv2d({ filters: 3 }), L.avgPool2d({ size: 2 }), ...head()] });
    check('avgPool2d 3, stride 1', { input: [5, 6, 2], layers: [L.conv2d({ filters: 2 }), L.sigmoid(), L.avgPool2d({ size: 3, stride: 1 }), ...head()] });
    check('batchNorm channel', { input: [4, 4, 2], layers: [L.conv2d({ filters: 3 }), L.batchNorm(), ...head()] });
    check('batchNorm channel, affine', { input: [4, 4, 2], layers: [L.conv2d({ filters: 3 }), L.batchNorm({ affine: true }), ...head()] });
    check('batchNorm activation, affine', { input: [4, 4, 2], layers: [L.conv2d({ filters: 2 }), L.batchNorm({ mode: 'activation', affine: true, eps: 1e-5 }), ...head()] }, { N: 8 });
    check('batchNorm on vectors, affine', { input: [6], layers: [L.dense({ units: 5 }), L.batchNorm({ affine: true }), L.tanh(), L.dense({ units: 3 })] });
    check('dropout keepProb 1 and a fused dense-dropout-relu', { input: [6], layers: [L.dense({ units: 5 }), L.dropout({ keepProb: 1 }), L.relu(), L.dense({ units: 3 })] });
  });

  describe('random stacks: 3 channels, stride 2, valid padding, two conv blocks, pools, affine norm, activations', () => {
    // A tiny generator so the stacks are the same on every run.
    let s = 12345;
    const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const pick = (a) => a[Math.floor(next() * a.length)];
    const ACTS = [() => L.relu(), () => L.leakyRelu({ alpha: 0.2 }), () => L.tanh(), () => L.sigmoid()];
    for (let t = 0; t < 8; t++) {
      const input = [8 + Math.floor(next() * 4), 8 + Math.floor(next() * 4), 3];
      let [H, W] = input;
      const layers = [];
      const blocks = t % 4 === 0 ? 1 : 2;
      for (let b = 0; b < blocks; b++) {
        const kernel = pick([1, 2, 3, [3, 2]]);
        const stride = pick([1, 2]);
        const [kh, kw] = Array.isArray(kernel) ? kernel : [kernel, kernel];
        const padding = kh <= H && kw <= W ? pick(['same', 'valid']) : 'same';
        layers.push(L.conv2d({ filters: 2 + Math.floor(next() * 3), kernel, stride, padding }));
        H = padding === 'same' ? Math.ceil(H / stride) : Math.floor((H - kh) / stride) + 1;
        W = padding === 'same' ? Math.ceil(W / stride) : Math.floor((W - kw) / stride) + 1;
        layers.push(pick(ACTS)());
        if (next() < 0.6) layers.push(L.batchNorm({ mode: pick(['channel', 'activation']), affine: next() < 0.6, eps: 1e-5 }));
        if (Math.min(H, W) >= 2 && next() < 0.8) {
          const size = 2;
          const stride2 = pick([1, 2]);
          layers.push(pick([L.maxPool2d, L.avgPool2d])({ size, stride: stride2 }));
          H = Math.floor((H - size) / stride2) + 1;
          W = Math.floor((W - size) / stride2) + 1;
        }
      }
      layers.push(L.flatten(), L.dense({ units: 6 }), pick(ACTS)(), L.dense({ units: 3 + Math.floor(next() * 3) }));
      const options = { input, layers, l2: pick([0, 0.05]), seed: t + 1 };
      const desc = layers.map((l) => l.type + (l.stride > 1 ? '/2' : '') + (l.padding === 'valid' ? 'v' : '') + (l.affine ? '+a' : '')).join(' ');
      // Float32 finite differences through two batch norms and pools are good to a few percent; the
      // NumPy float64 reference is the tight check.
      check(`#${t + 1}: ${desc}`, options, { N: 12, fdTol: 5e-2 });
    }
  });
});
