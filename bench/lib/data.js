// The benchmark's data: the course's notMNIST sample split 8000/1000/1000 with seed 521, or MNIST's
// 10,000 test images split the same way when the notMNIST file is not there.
'use strict';
const fs = require('fs');
const path = require('path');
const gemmnet = require('../..');

const NOTMNIST = path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'notmnist', 'notMNIST-10k.npz');
const TRAIN = 8000;

function loadTrainSet() {
  let data;
  let name;
  if (fs.existsSync(NOTMNIST)) {
    data = gemmnet.loadNotMnist(NOTMNIST);
    name = 'notMNIST-10k';
  } else {
    data = gemmnet.loadMnist({ subset: 'test' });
    name = 'MNIST test (notMNIST-10k.npz not found)';
  }
  const { train } = gemmnet.splitDataset(data, { seed: 521, sizes: [TRAIN, 1000, 1000] });
  return { name, path: fs.existsSync(NOTMNIST) ? NOTMNIST : null, x: train.x, y: train.y, n: TRAIN };
}

/** The first `limit` samples of a set, as views. */
function head(set, limit) {
  const n = Math.min(limit, set.n);
  const features = set.x.length / set.n;
  return { x: set.x.subarray(0, n * features), y: set.y.subarray(0, n), n };
}

module.exports = { loadTrainSet, head, TRAIN, NOTMNIST };
