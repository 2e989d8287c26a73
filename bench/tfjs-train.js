#!/usr/bin/env node
// Trains the course's MLP or CNN with TensorFlow.js for part of an epoch and prints one JSON line.
//
//   node bench/tfjs-train.js --backend cpu|wasm --model mlp|cnn [--limit N] [--budget SECONDS]
//
// Run by run.js in a child process of its own. The recipe matches numpy_mlp.py / numpy_cnn.py
// (momentum 0.01/0.9 for the MLP, Adam 1e-4 for the CNN; batch norm from the batch's moments). The
// pass is timed batch by batch after a warm-up of a few batches, and stops after `limit` samples or
// once `budget` seconds have gone by; the time per 8,000-sample epoch is then extrapolated linearly.
'use strict';
const path = require('path');
const { loadTrainSet, TRAIN } = require('./lib/data');

function parseArgs(argv) {
  const o = { backend: 'cpu', model: 'mlp', limit: TRAIN, budget: 20, warmup: -1 };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in o)) throw new Error(`tfjs-train.js: unknown option ${argv[i]}`);
    const v = argv[++i];
    o[key] = typeof o[key] === 'number' ? Number(v) : v;
  }
  return o;
}

async function loadTf(backend) {
  // tfjs suggests installing tfjs-node (a different, native backend); not what is measured here.
  console.warn = () => {};
  const tf = require('@tensorflow/tfjs');
  if (backend === 'wasm') {
    const wasm = require('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs: backend ${backend} failed to initialize`);
  await tf.ready();
  return tf;
}

function xavier(tf, shape, fanIn, fanOut) {
  return tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / (fanIn + fanOut)), 'float32', 521));
}

// 784 -> 1000 ReLU -> 10.
function mlp(tf) {
  const v = {
    W_h: xavier(tf, [784, 1000], 784, 1000), b_h: tf.variable(tf.zeros([1000])),
    W_o: xavier(tf, [1000, 10], 1000, 10), b_o: tf.variable(tf.zeros([10])),
  };
  const logits = (x) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, v.W_h), v.b_h)), v.W_o), v.b_o);
  return { logits, batch: 100, optimizer: tf.train.momentum(0.01, 0.9), inputShape: [784] };
}

// conv 3x3x32 SAME + bias -> ReLU -> batch norm per channel (eps 1e-9) -> 2x2 max pool -> 784 ReLU -> 10.
function cnn(tf) {
  const v = {
    W_conv: xavier(tf, [3, 3, 1, 32], 9, 9 * 32), b_conv: tf.variable(tf.zeros([32])),
    W_fc1: xavier(tf, [6272, 784], 6272, 784), b_fc1: tf.variable(tf.zeros([784])),
    W_fc2: xavier(tf, [784, 10], 784, 10), b_fc2: tf.variable(tf.zeros([10])),
  };
  // tfjs-backend-wasm has no Conv2DBackpropFilter kernel: there the convolution is written as
  // im2col (nine shifted slices of the padded images) times W_conv, as numpy_cnn.py does it.
  const im2col = !tf.getKernel('Conv2DBackpropFilter', tf.getBackend());
  const conv = (x) => {
    if (!im2col) return tf.conv2d(x, v.W_conv, 1, 'same');
    const n = x.shape[0];
    const padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]);
    const taps = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) taps.push(tf.slice(padded, [0, i, j, 0], [n, 28, 28, 1]));
    const cols = tf.reshape(tf.concat(taps, 3), [n * 784, 9]);
    return tf.reshape(tf.matMul(cols, tf.reshape(v.W_conv, [9, 32])), [n, 28, 28, 32]);
  };
  const logits = (x) => {
    const a = tf.relu(tf.add(conv(x), v.b_conv));
    const { mean, variance } = tf.moments(a, [0, 1, 2]);
    const normed = tf.mul(tf.sub(a, mean), tf.rsqrt(tf.add(variance, 1e-9)));
    const flat = tf.reshape(tf.maxPool(normed, 2, 2, 'valid'), [-1, 6272]);
    const h1 = tf.relu(tf.add(tf.matMul(flat, v.W_fc1), v.b_fc1));
    return tf.add(tf.matMul(h1, v.W_fc2), v.b_fc2);
  };
  return { logits, batch: 32, optimizer: tf.train.adam(1e-4), inputShape: [28, 28, 1], conv: im2col ? 'im2col' : 'conv2d' };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const tf = await loadTf(o.backend);
  const set = loadTrainSet();
  const net = o.model === 'cnn' ? cnn(tf) : mlp(tf);
  const { batch } = net;
  const step = (start) => {
    const n = Math.min(batch, set.n - start);
    const loss = tf.tidy(() => {
      const x = tf.tensor(set.x.subarray(start * 784, (start + n) * 784), [n, ...net.inputShape]);
      const labels = tf.oneHot(tf.tensor1d(set.y.subarray(start, start + n), 'int32'), 10);
      return net.optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, net.logits(x)), true);
    });
    const value = loss.dataSync()[0];
    loss.dispose();
    return value;
  };
  const warmup = o.warmup >= 0 ? o.warmup : o.model === 'cnn' ? 1 : 3; // a tfjs-cpu CNN batch takes seconds
  for (let b = 0; b < warmup; b++) step(b * batch);
  const limit = Math.min(o.limit, set.n);
  let samples = 0;
  let loss = 0;
  const t0 = performance.now();
  while (samples < limit && (performance.now() - t0) / 1000 < o.budget) {
    loss = step(samples % set.n);
    samples += Math.min(batch, set.n - samples);
  }
  const seconds = (performance.now() - t0) / 1000;
  const info = o.backend === 'wasm' ? { wasmThreads: require('@tensorflow/tfjs-backend-wasm').getThreadsCount?.() } : {};
  console.log(JSON.stringify({
    impl: `tfjs-${o.backend}`, model: o.model, version: tf.version.tfjs, backend: tf.getBackend(), ...info,
    conv: net.conv, data: set.name, batch, samples, seconds, last_loss: loss,
    epoch_seconds_per_8000: (seconds * TRAIN) / samples, extrapolated: samples !== TRAIN,
  }));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
