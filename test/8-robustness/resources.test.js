'use strict';
// Long runs and concurrency: memory stays flat over thousands of training steps, and models trained
// at the same time (overlapped train() calls in one thread, or in worker threads) end with exactly
// the weights they get when trained one after the other.
const assert = require('assert');
const path = require('path');
const { spawnSync } = require('child_process');
const { Worker } = require('worker_threads');
const gemmnet = require('../..');
const { standardSplit } = require('../helpers/data');

const ROOT = path.resolve(__dirname, '..', '..');
const bytes = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('resources: memory over a long run', () => {
  it('an MLP (hidden 256) trained ~3000 steps with predict/getWeights between epochs keeps RSS flat', function () {
    // In a child with --expose-gc, so that garbage is collected before each sample.
    const src = `
      const gemmnet = require(${JSON.stringify(ROOT)});
      const { standardSplit } = require(${JSON.stringify(path.join(__dirname, '..', 'helpers', 'data'))});
      const d = standardSplit();
      const model = gemmnet.mlp({ hidden: 256, seed: 1 });
      const rss = [];
      let steps = 0;
      gemmnet.train(model, d.train, {
        epochs: 38, batchSize: 100, validation: d.valid,
        onBatch: () => { steps++; },
        onEpoch: () => {
          model.predict(d.test.x);
          model.getWeights();
          model.evaluate(d.test.x, d.test.y);
          model.lossAndGradients(d.valid.x.subarray(0, 784 * 50), d.valid.y.subarray(0, 50));
          global.gc();
          rss.push(process.memoryUsage().rss);
        },
      }).then(() => console.log(JSON.stringify({ steps, rss })));`;
    const r = spawnSync(process.execPath, ['--expose-gc', '-e', src], { encoding: 'utf8', env: childEnv() });
    assert.strictEqual(r.status, 0, r.stderr);
    const { steps, rss } = JSON.parse(r.stdout);
    assert.ok(steps >= 3000, `${steps} steps`);
    const WARMUP = 5;
    const base = rss[WARMUP - 1];
    const growth = Math.max(...rss.slice(WARMUP)) - base;
    const mib = (v) => (v / 2 ** 20).toFixed(1);
    console.log(`      ${steps} steps: RSS ${mib(base)} MiB after warm-up, growth ${mib(growth)} MiB (final ${mib(rss[rss.length - 1])} MiB)`);
    assert.ok(growth < 16 * 2 ** 20, `RSS grew by ${mib(growth)} MiB after the warm-up`);
  });
});

/**
 * With sanitizers, freed memory sits in ASan's quarantine and would count as growth; the child runs
 * without it (use-after-free detection is weaker there, the rest of the suite keeps it).
 */
function childEnv() {
  if (!gemmnet.buildInfo().sanitizers) return process.env;
  const asan = [process.env.ASAN_OPTIONS, 'quarantine_size_mb=0', 'thread_local_quarantine_size_kb=0'].filter(Boolean).join(':');
  return { ...process.env, ASAN_OPTIONS: asan };
}

// ---- Concurrency --------------------------------------------------------------------------------

/** Two training jobs of different kinds; each is self-contained so it can run in a worker too. */
const SPECS = [
  { tag: 'A', kind: 'mlp', options: { hidden: 128, seed: 1 }, n: 4000, train: { epochs: 2, batchSize: 100, seed: 5 }, opt: ['momentum', { lr: 0.02 }] },
  { tag: 'B', kind: 'cnn', options: { filters: 4, fc: 32, keepProb: 0.75, l2: 0.01, seed: 2 }, n: 600, train: { epochs: 1, batchSize: 32 }, opt: ['adam', { lr: 1e-3 }] },
];

/** Trains one spec; `log` receives the spec's tag after each batch. Serialized into workers as text. */
async function runSpec(gemmnet, data, spec, log) {
  const model = gemmnet[spec.kind](spec.options);
  const optimizer = gemmnet[spec.opt[0]](spec.opt[1]);
  const set = { x: data.train.x.subarray(0, 784 * spec.n), y: data.train.y.subarray(0, spec.n) };
  await gemmnet.train(model, set, { ...spec.train, optimizer, onBatch: () => log(spec.tag) });
  return model.getWeights();
}

function sameWeights(a, b, what) {
  assert.deepStrictEqual(Object.keys(b), Object.keys(a), what);
  for (const k of Object.keys(a)) assert.ok(bytes(a[k]).equals(bytes(b[k])), `${what}: ${k} differs`);
}

function runInWorker(spec) {
  const src = `
    const { parentPort, workerData } = require('worker_threads');
    const gemmnet = require(${JSON.stringify(ROOT)});
    const { standardSplit } = require(${JSON.stringify(path.join(__dirname, '..', 'helpers', 'data'))});
    const runSpec = ${runSpec.toString()};
    runSpec(gemmnet, standardSplit(), workerData, () => {}).then((w) => {
      parentPort.postMessage(w, Object.values(w).map((a) => a.buffer));
    });`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(src, { eval: true, workerData: spec });
    let result;
    worker.once('message', (w) => { result = w; });
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`worker ${spec.tag} exited with ${code}`))));
  });
}

describe('resources: concurrent training', () => {
  let data;
  let sequential;
  before(async () => {
    data = standardSplit();
    sequential = [];
    for (const spec of SPECS) sequential.push(await runSpec(gemmnet, data, spec, () => {}));
  });

  it('two overlapped train() calls in one thread give the weights of sequential runs, bit for bit', async () => {
    const order = [];
    const results = await Promise.all(SPECS.map((s) => runSpec(gemmnet, data, s, (tag) => order.push(tag))));
    // The runs really did interleave: each has batches before and after some batch of the other.
    const seq = order.join('');
    assert.match(seq, /A.*B.*A/, 'A was not interleaved with B');
    assert.match(seq, /B.*A.*B/, 'B was not interleaved with A');
    results.forEach((w, i) => sameWeights(sequential[i], w, SPECS[i].tag));
  });

  it('two models trained in worker threads at once give the same weights, bit for bit', async () => {
    const results = await Promise.all(SPECS.map(runInWorker));
    results.forEach((w, i) => sameWeights(sequential[i], w, `worker ${SPECS[i].tag}`));
  });

  it('terminating a worker in the middle of training leaves the process and the other threads unharmed', async () => {
    const src = `
      const gemmnet = require(${JSON.stringify(ROOT)});
      const { standardSplit } = require(${JSON.stringify(path.join(__dirname, '..', 'helpers', 'data'))});
      const d = standardSplit();
      require('worker_threads').parentPort.postMessage('training');
      gemmnet.train(gemmnet.mlp({ hidden: 300 }), d.train, { epochs: 100 });`;
    // Many moments: a native call cut off by the termination must not abort the process.
    for (let i = 0; i < 12; i++) {
      const worker = new Worker(src, { eval: true });
      await new Promise((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
      await new Promise((resolve) => setTimeout(resolve, 5 + 11 * i));
      await worker.terminate();
    }
    const again = await runSpec(gemmnet, data, SPECS[0], () => {});
    sameWeights(sequential[0], again, 'after terminated workers');
  });
});
