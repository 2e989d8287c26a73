// Inference throughput: gemmnet's predict() on batches of 1, 32 and 1000 images for the MLP and the
// CNN, at 1 and 2 threads, and, where the model can be exported (model.toOnnx()) and
// onnxruntime-node is installed in bench/, the same model in onnxruntime-node, the two measured in
// alternation in one process.
'use strict';
const path = require('path');
const { native } = require('./gemmnet');
const { loadTrainSet } = require('./data');

const BATCHES = [1, 32, 1000];

/** Images per second of fn() (batch images a call) over one stretch of `seconds`. */
async function stretch(fn, batch, seconds) {
  let n = 0;
  const t0 = performance.now();
  let dt;
  do {
    await fn();
    n += batch;
    dt = (performance.now() - t0) / 1000;
  } while (dt < seconds);
  return n / dt;
}

const pauseMs = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Best images/s of each contestant ({ key, batch, run(), before() }): three warm-up calls each, then
 * three rounds in which every contestant runs one stretch of budget / 3 s, the order reversed every
 * other round and 20 ms of idling between stretches (onnxruntime's threads spin for a while after a
 * run), so that a drift in the machine's speed touches every party alike. Returns { key: rate }.
 */
async function interleaved(contestants, budget) {
  const best = new Map(contestants.map((c) => [c.key, 0]));
  for (const c of contestants) {
    c.before();
    for (let i = 0; i < 3; i++) await c.run();
  }
  for (let r = 0; r < 3; r++) {
    const order = r % 2 ? contestants.slice().reverse() : contestants;
    for (const c of order) {
      c.before();
      await pauseMs(20);
      best.set(c.key, Math.max(best.get(c.key), await stretch(c.run, c.batch, budget / 3)));
    }
  }
  return best;
}

function models(gemmnet) {
  return { mlp: gemmnet.mlp({ inputs: 784, hidden: 1000, classes: 10 }), cnn: gemmnet.cnn() };
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

/** An InferenceSession on the model's toOnnx() bytes, and the input shape (after the batch) it accepts. */
async function onnxSession(ort, model, threads, x, name) {
  const session = await ort.InferenceSession.create(await model.toOnnx(), {
    intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
  });
  const input = session.inputNames[0];
  // The exported input may be flat rows or images; take the first shape the session accepts.
  for (const s of [[784], [28, 28, 1], [1, 28, 28]]) {
    try {
      await session.run({ [input]: new ort.Tensor('float32', x.slice(0, 784), [1, ...s]) });
      return { session, input, shape: s };
    } catch {
      // try the next layout
    }
  }
  throw new Error(`onnxruntime-node accepts none of the input shapes tried for the ${name}`);
}

/**
 * predict() throughput of gemmnet and, with `onnx`, of onnxruntime-node on the same models exported
 * with toOnnx(), at 1 and 2 threads each, measured in alternation (see interleaved). Returns
 * { gemmnet: { mlp: { threads: { batch: images/s } }, cnn }, onnx: { version, mlp: { threads: ..., maxAbsDiff }, cnn } }.
 */
async function predictThroughput({ budget = 1.5, threads = [1, 2], onnx = false } = {}) {
  const gemmnet = require('../..');
  const ort = onnx ? require(require.resolve('onnxruntime-node', { paths: [path.join(__dirname, '..')] })) : null;
  const x = loadTrainSet().x.subarray(0, 1000 * 784);
  const out = { gemmnet: {} };
  if (ort) out.onnx = { version: ort.env && ort.env.versions ? ort.env.versions.node || ort.env.versions.common : undefined };
  const before = native.buildInfo().threads;
  try {
    for (const [name, model] of Object.entries(models(gemmnet))) {
      out.gemmnet[name] = Object.fromEntries(threads.map((t) => [t, {}]));
      const sessions = {};
      if (ort) {
        out.onnx[name] = Object.fromEntries(threads.map((t) => [t, {}]));
        for (const t of threads) sessions[t] = await onnxSession(ort, model, t, x, name);
        // How far its output is from predict()'s on the same 32 images (softmax or logits, whichever it gives).
        const s = sessions[threads[0]];
        const got = await s.session.run({ [s.input]: new ort.Tensor('float32', x.slice(0, 32 * 784), [32, ...s.shape]) });
        const y = got[s.session.outputNames[0]].data;
        const p = model.predict(x.subarray(0, 32 * 784));
        let d = 0;
        for (let i = 0; i < p.length; i++) d = Math.max(d, Math.abs(p[i] - y[i]));
        out.onnx[name].maxAbsDiff = d;
      }
      for (const b of BATCHES) {
        const xb = x.subarray(0, b * 784);
        const contestants = threads.map((t) => ({
          key: `gemmnet ${t}`, batch: b, before: () => native.setThreads(t), run: () => model.predict(xb, b),
        }));
        for (const t of threads) {
          if (!sessions[t]) continue;
          const { session, input, shape } = sessions[t];
          const feeds = { [input]: new ort.Tensor('float32', x.slice(0, b * 784), [b, ...shape]) };
          contestants.push({ key: `onnx ${t}`, batch: b, before: () => {}, run: () => session.run(feeds) });
        }
        const best = await interleaved(contestants, budget);
        for (const t of threads) {
          out.gemmnet[name][t][b] = best.get(`gemmnet ${t}`);
          if (sessions[t]) out.onnx[name][t][b] = best.get(`onnx ${t}`);
        }
      }
    }
  } finally {
    native.setThreads(before);
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

module.exports = { BATCHES, predictThroughput, onnxMissing, bestOver };
