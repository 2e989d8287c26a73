#!/usr/bin/env node
'use strict';
// A short, deterministic training run for the platform checks (scripts/check-platforms.sh): an MLP
// and a CNN trained on synthetic data made here, so the same run can be compared across C libraries
// and CPUs. Prints one JSON line: buildInfo(), the losses, and SHA-256 of the trained weights.
//   node scripts/platform-probe.js [package root]      (GEMMNET_NATIVE may name the addon to load)
const crypto = require('crypto');
const path = require('path');

const root = path.resolve(process.argv[2] || path.join(__dirname, '..'));
const g = require(root);

function synthetic(n, seed) {
  const rng = new g.MT19937(seed);
  const x = new Float32Array(n * 784);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = rng.nextUint32() % 10;
    y[i] = label;
    for (let j = 0; j < 784; j++) {
      const u = rng.nextUint32() / 4294967296;
      // A class-dependent band plus noise: learnable, so the loss falls.
      x[i * 784 + j] = (Math.floor(j / 78.4) === label ? 0.8 : 0) + 0.2 * u;
    }
  }
  return { x, y };
}

function digest(model) {
  const h = crypto.createHash('sha256');
  const w = model.getWeights();
  for (const name of Object.keys(w).sort()) {
    h.update(name);
    h.update(Buffer.from(w[name].buffer, w[name].byteOffset, w[name].byteLength));
  }
  return h.digest('hex');
}

async function main() {
  g.setThreads(2);
  const t0 = Date.now();
  const data = synthetic(600, 7);
  const mlp = g.mlp({ inputs: 784, hidden: 64, classes: 10, seed: 3 });
  const h1 = await g.train(mlp, data, { epochs: 2, batchSize: 50, optimizer: g.momentum({ lr: 0.05, gamma: 0.9 }) });
  const small = { x: data.x.subarray(0, 784 * 200), y: data.y.subarray(0, 200) };
  const cnn = g.cnn({ filters: 4, fc: 16, seed: 5 });
  const h2 = await g.train(cnn, small, { epochs: 1, batchSize: 20, optimizer: g.adam({ lr: 1e-3 }) });
  const losses = (h) => h.epochs.map((r) => r.train.loss);
  process.stdout.write(JSON.stringify({
    info: g.buildInfo(),
    glibc: process.report.getReport().header.glibcVersionRuntime,
    mlp: { losses: losses(h1), weights: digest(mlp) },
    cnn: { losses: losses(h2), weights: digest(cnn) },
    ms: Date.now() - t0,
  }) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
