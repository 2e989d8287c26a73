'use strict';
// What a hostile case gets to work with: the package (loaded on first use), a folder of its own, and
// small valid models and data sets to start from, all made the same way on every run.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { rand } = require('../../helpers/util');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const NOTMNIST = path.resolve(ROOT, '..', 'shared', 'data', 'notmnist', 'notMNIST-10k.npz');

function makeContext(tmp) {
  let g;
  const ctx = {
    ROOT, FIXTURES, NOTMNIST, tmp, rand,
    get g() {
      if (!g) g = require(ROOT);
      return g;
    },
    file: (name) => path.join(tmp, name),
    /** mlp 4-3-2, seed 1: 23 weights. */
    tinyMlp: (seed = 1) => ctx.g.mlp({ inputs: 4, hidden: 3, classes: 2, seed }),
    /** n samples of `inputs` values and labels in [0, classes). */
    tinyData: (n = 8, inputs = 4, classes = 2, seed = 1) => {
      const x = rand(n * inputs, seed);
      const y = new Int32Array(n);
      for (let i = 0; i < n; i++) y[i] = i % classes;
      return { x, y };
    },
    /** A saved tiny MLP; returns its path and bytes. */
    savedModel: (name = 'model.safetensors') => {
      const p = ctx.file(name);
      ctx.tinyMlp().save(p);
      return { path: p, bytes: fs.readFileSync(p) };
    },
    /** A training checkpoint of the tiny MLP after one epoch. */
    checkpoint: async (name = 'ckpt.safetensors') => {
      const p = ctx.file(name);
      await ctx.g.train(ctx.tinyMlp(), ctx.tinyData(), { epochs: 1, batchSize: 4, checkpoint: p });
      return p;
    },
    /** Rewrites a safetensors file's header with edit(header); the data is kept. */
    editHeader: (bytes, edit) => {
      const hl = Number(bytes.readBigUInt64LE(0));
      const header = JSON.parse(bytes.subarray(8, 8 + hl).toString());
      edit(header);
      const text = Buffer.from(JSON.stringify(header));
      const len = Buffer.alloc(8);
      len.writeBigUInt64LE(BigInt(text.length));
      return Buffer.concat([len, text, bytes.subarray(8 + hl)]);
    },
    write: (name, bytes) => {
      const p = ctx.file(name);
      fs.writeFileSync(p, bytes);
      return p;
    },
    mkfifo: (name) => {
      const p = ctx.file(name);
      const r = spawnSync('mkfifo', [p]);
      if (r.status !== 0) throw new Error(`setup: mkfifo ${p} failed`);
      return p;
    },
    /** Resolves when fn() has thrown or returned; a tiny wait for timers to run. */
    tick: (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  return ctx;
}

module.exports = { makeContext, rand, ROOT, NOTMNIST };
