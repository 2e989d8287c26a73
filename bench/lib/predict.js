// Inference throughput: gemmnet's predict() on batches of 1, 32 and 1000 images for the MLP and the
// CNN, at 1 and 2 threads, and, where the model can be exported (model.toOnnx()) and
// onnxruntime-node is installed in bench/, the same model in onnxruntime-node.
'use strict';
const path = require('path');
const { native } = require('./gemmnet');
const { loadTrainSet } = require('./data');

const BATCHES = [1, 32, 1000];

/** Images per second of fn(batch): three warm-up calls, then the best of three stretches of budget / 3 s. */
async function rate(fn, batch, budget) {
  for (let i = 0; i < 3; i++) await fn();
  let best = 0;
  for (let r = 0; r < 3; r++) {
    let n = 0;
    const t0 = performance.now();
    let dt;
    do {
      await fn();
      n += batch;
      dt = (performance.now() - t0) / 1000;
    } while (dt < budget / 3);
    best = Math.max(best, n / dt);
  }
  return best;
}

function models(gemmnet) {
  return { mlp: gemmnet.mlp({ inputs: 784, hidden: 1000, classes: 10 }), cnn: gemmnet.cnn() };
}

/** gemmnet's predict() throughput; { mlp: { threads: { batch: images/s } }, cnn: ... }. */
async function gemmnetPredict({ budget = 1.5, threads = [1, 2] } = {}) {
  const gemmnet = require('../..');
  const x = loadTrainSet().x.subarray(0, 1000 * 784);
  const out = {};
  const before = native.buildInfo().threads;
  try {
    for (const [name, model] of Object.entries(models(gemmnet))) {
      out[name] = {};
      for (const t of threads) {
        native.setThreads(t);
        out[name][t] = {};
        for (const b of BATCHES) {
          const xb = x.subarray(0, b * 784);
          out[name][t][b] = await rate(() => model.predict(xb, b), b, budget);
        }
      }
    }
  } finally {
    native.setThreads(before);
  }
  return out;
}

/** Why the onnxruntime-node part cannot run, or null. */
function onnxMissing() {
  const gemmnet = require('../..');
  const probe = gemmnet.mlp({ inputs: 784, hidden: 8, classes: 10 });
  if (typeof probe.toOnnx !== 'function') return 'skipped: this build of gemmnet has no model.toOnnx()';
  try {
    require.resolve('onnxruntime-node', { paths: [path.join(__dirname, '..')] });
  } catch {
    return 'skipped: onnxruntime-node is not installed (ONNXRUNTIME_NODE_INSTALL=skip npm install --prefix bench)';
  }
  return null;
}

/** The same models exported with toOnnx() and run by onnxruntime-node, at 1 and 2 intra-op threads. */
async function onnxPredict({ budget = 1.5, threads = [1, 2] } = {}) {
  const gemmnet = require('../..');
  const ort = require(require.resolve('onnxruntime-node', { paths: [path.join(__dirname, '..')] }));
  const x = loadTrainSet().x.subarray(0, 1000 * 784);
  const out = { version: ort.env && ort.env.versions ? ort.env.versions.node || ort.env.versions.common : undefined };
  for (const [name, model] of Object.entries(models(gemmnet))) {
    const bytes = await model.toOnnx();
    out[name] = {};
    for (const t of threads) {
      const session = await ort.InferenceSession.create(bytes, {
        intraOpNumThreads: t, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
      });
      const input = session.inputNames[0];
      // The exported input may be flat rows or images; take the first shape the session accepts.
      let shape = null;
      for (const s of [[784], [28, 28, 1], [1, 28, 28]]) {
        try {
          await session.run({ [input]: new ort.Tensor('float32', x.slice(0, 784), [1, ...s]) });
          shape = s;
          break;
        } catch {
          // try the next layout
        }
      }
      if (!shape) throw new Error(`onnxruntime-node accepts none of the input shapes tried for the ${name}`);
      out[name][t] = {};
      for (const b of BATCHES) {
        const feeds = { [input]: new ort.Tensor('float32', x.slice(0, b * 784), [b, ...shape]) };
        out[name][t][b] = await rate(() => session.run(feeds), b, budget);
      }
      if (t === threads[0]) {
        // How far its output is from predict()'s on the same 32 images (softmax or logits, whichever it gives).
        const got = (await session.run({ [input]: new ort.Tensor('float32', x.slice(0, 32 * 784), [32, ...shape]) }));
        const y = got[session.outputNames[0]].data;
        const p = model.predict(x.subarray(0, 32 * 784));
        let d = 0;
        for (let i = 0; i < p.length; i++) d = Math.max(d, Math.abs(p[i] - y[i]));
        out[name].maxAbsDiff = d;
      }
    }
  }
  return out;
}

/** Best images/s over thread settings, per batch. */
function bestOver(byThreads) {
  const out = {};
  for (const b of BATCHES) {
    let best = null;
    for (const [t, r] of Object.entries(byThreads)) {
      if (r && r[b] != null && (!best || r[b] > best.rate)) best = { rate: r[b], threads: Number(t) };
    }
    out[b] = best;
  }
  return out;
}

module.exports = { BATCHES, gemmnetPredict, onnxMissing, onnxPredict, bestOver };
