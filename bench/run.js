#!/usr/bin/env node
// gemmnet's benchmark: training epochs of the course's MLP and CNN and of a LeNet-style net against PyTorch, NumPy and
// TensorFlow.js on the same data, predict() throughput against PyTorch and onnxruntime-node, all
// against this machine's sgemm ceiling measured in the same run, where each epoch goes, and the
// epoch with a busy process competing for a core. Every party runs without OPENBLAS_CORETYPE /
// OPENBLAS_L2_SIZE (see lib/env.js). Prints Markdown tables; writes bench/results/latest.{json,md}.
//
//   npm run bench [-- --quick] [--only mlp|cnn|lenet] [--skip-torch] [--skip-numpy] [--skip-tfjs] ...   (--help lists all)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const HELP = `usage: node bench/run.js [options]
  --quick              fewer repetitions and shorter samples (about half the time of a full run)
  --only mlp|cnn|lenet run one model's epochs (the sgemm ceiling is always measured; contention goes with mlp)
  --skip-lenet         no LeNet-style epochs
  --skip-torch         no PyTorch runs
  --no-install         do not apt-get install python3-torch when PyTorch is missing (skip it instead)
  --skip-predict       no predict() throughput runs
  --skip-agree         no check of gemmnet's results at its own kernels against the CI setting
  --skip-numpy         no NumPy runs
  --skip-tfjs          no TensorFlow.js runs (they need \`ONNXRUNTIME_NODE_INSTALL=skip npm install --prefix bench\`)
  --skip-contention    no contention runs
  --skip-stall         no main-thread stall runs (stall.js --quick: the CNN in a worker and in-thread)
  --cnn-limit N        gemmnet's CNN epoch on the first N training samples, extrapolated to 8000 (default 8000; --quick 2000)
  --numpy-cnn-limit N  the same for NumPy's CNN (default 2000; --quick 1000)
  --torch-cnn-limit N  the same for PyTorch's CNN (default 2000; --quick 640)
  --lenet-limit N      gemmnet's LeNet-style epoch on the first N samples (default 8000; --quick 2000); NumPy's
                       and PyTorch's LeNet epochs use --numpy-cnn-limit and --torch-cnn-limit
  --predict-budget S   seconds per predict() throughput measurement (default 1.5; --quick 0.5)
  --tfjs-budget S      seconds of training per TensorFlow.js run before extrapolating (default 15; --quick 6)
  --wait-quiet S       before each measurement, wait up to S seconds for other processes to go idle (default 5; --quick 0)
  --out DIR            where latest.json and latest.md go (default bench/results)`;

function parseArgs(argv) {
  const o = { quick: false, only: null, skipNumpy: false, skipTfjs: false, skipContention: false, cnnLimit: null,
    numpyCnnLimit: null, tfjsBudget: null, waitQuiet: null, out: path.join(__dirname, 'results'), skipTorch: false,
    install: true, skipPredict: false, skipAgree: false, torchCnnLimit: null, predictBudget: null, skipLenet: false,
    lenetLimit: null, skipStall: false };
  const value = (i, name) => {
    if (i >= argv.length) throw new Error(`${name} needs a value`);
    return argv[i];
  };
  const count = (v, name) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      console.log(HELP);
      process.exit(0);
    } else if (a === '--quick') o.quick = true;
    else if (a === '--skip-numpy') o.skipNumpy = true;
    else if (a === '--skip-tfjs') o.skipTfjs = true;
    else if (a === '--skip-contention') o.skipContention = true;
    else if (a === '--skip-stall') o.skipStall = true;
    else if (a === '--skip-torch') o.skipTorch = true;
    else if (a === '--no-install') o.install = false;
    else if (a === '--skip-predict') o.skipPredict = true;
    else if (a === '--skip-agree') o.skipAgree = true;
    else if (a === '--skip-lenet') o.skipLenet = true;
    else if (a === '--lenet-limit') o.lenetLimit = Math.max(64, Math.round(count(value(++i, a), a)));
    else if (a === '--torch-cnn-limit') o.torchCnnLimit = Math.max(32, Math.round(count(value(++i, a), a)));
    else if (a === '--predict-budget') o.predictBudget = count(value(++i, a), a);
    else if (a === '--only') {
      o.only = value(++i, a);
      if (!['mlp', 'cnn', 'lenet'].includes(o.only)) throw new Error(`--only takes mlp, cnn or lenet, got ${o.only}`);
    } else if (a === '--cnn-limit') o.cnnLimit = Math.max(32, Math.round(count(value(++i, a), a)));
    else if (a === '--numpy-cnn-limit') o.numpyCnnLimit = Math.max(32, Math.round(count(value(++i, a), a)));
    else if (a === '--tfjs-budget') o.tfjsBudget = count(value(++i, a), a);
    else if (a === '--wait-quiet') o.waitQuiet = count(value(++i, a), a);
    else if (a === '--out') o.out = path.resolve(value(++i, a));
    else throw new Error(`unknown option ${a}\n${HELP}`);
  }
  const q = o.quick;
  o.cnnLimit = Math.min(8000, o.cnnLimit ?? (q ? 2000 : 8000));
  o.lenetLimit = Math.min(8000, o.lenetLimit ?? (q ? 2000 : 8000));
  o.numpyCnnLimit = Math.min(8000, o.numpyCnnLimit ?? (q ? 1000 : 2000));
  o.torchCnnLimit = Math.min(8000, o.torchCnnLimit ?? (q ? 640 : 2000));
  o.predictBudget = o.predictBudget ?? (q ? 0.5 : 1.5);
  o.tfjsBudget = o.tfjsBudget ?? (q ? 6 : 15);
  o.waitQuiet = o.waitQuiet ?? (q ? 0 : 5);
  o.reps = { ceiling: q ? 2 : 5, mlp: q ? 2 : 3, numpyMlp: q ? 1 : 3, cnn: q ? 1 : 3, numpyCnn: q ? 1 : 2, contention: q ? 3 : 5,
    torchMlp: q ? 1 : 3, torchCnn: 1, lenet: q ? 1 : 2, numpyLenet: q ? 1 : 2, torchLenet: 1 };
  return o;
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error(`bench: ${e.message}`);
  process.exit(2);
}

// Everything below runs in a process without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (lib/env.js).
const { reexecClean, removed, CORE_OVERRIDES } = require('./lib/env');
reexecClean(__filename, process.argv.slice(2));

const g = require('./lib/gemmnet');
const { phase, waitQuiet } = require('./lib/load');
const { runNumpy, numpyMissing } = require('./lib/numpy');
const { gemmnetChild } = require('./lib/child');
const { contentionSection } = require('./lib/contention');
const { runTfjs, tfjsMissing, INSTALL } = require('./lib/tfjs');
const { mlpBreakdown, cnnBreakdown } = require('./lib/breakdown');
const { markdown, median } = require('./lib/report');
const { ensureTorch, torchRuns } = require('./lib/torch');
const { agreement } = require('./lib/agree');
const { onnxMissing, predictThroughput } = require('./lib/predict');
const { goals } = require('./lib/goals');
const { mlpFlopsPerSample, cnnFlopsPerSample, lenetFlopsPerSample } = require('./lib/flops');
const FLOPS = { mlp: mlpFlopsPerSample, cnn: cnnFlopsPerSample, lenet: lenetFlopsPerSample };

const say = (msg) => process.stderr.write(`${msg}\n`);
// Waiting for quiet is capped over the whole run too: on a machine that stays busy it only costs time.
let quietBudget = 60;
const quiet = () => {
  const w = waitQuiet(Math.min(opts.waitQuiet, quietBudget));
  quietBudget -= w.waited;
  if (w.otherCores != null && w.otherCores >= 0.25) {
    say(`  (other processes are keeping ${w.otherCores.toFixed(2)} cores busy; measuring anyway)`);
  }
};
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
// Which models' epochs this run times.
const wants = (model) => (!opts.only || opts.only === model) && !(model === 'lenet' && opts.skipLenet);
const loss = (x) => (x == null || !Number.isFinite(x) ? String(x) : x.toFixed(3));

function numpyRows(res, model, { limit, epochs, warmup }) {
  const rows = [];
  const runs = {};
  for (const dtype of ['float64', 'float32']) {
    runs[dtype] = {};
    for (const threads of [1, 2]) {
      quiet();
      say(`NumPy ${model} ${dtype}, ${plural(threads, 'thread')}`);
      const r = runNumpy({ model, dtype, threads, epochs, warmup, limit });
      runs[dtype][threads] = r;
      if (!r.error && !res.numpyBlas) res.numpyBlas = r.blas;
      if (r.error) res.notes.push(r.error);
      const counted = FLOPS[model]() * 8000 / 1e9;
      if (!r.error && Math.abs(r.gflopPerEpoch / counted - 1) > 0.01) {
        res.notes.push(`numpy_${model}.py counted ${r.gflopPerEpoch.toFixed(2)} GFLOP per epoch, this table ${counted.toFixed(2)}`);
      }
    }
    const ok = [1, 2].filter((t) => !runs[dtype][t].error);
    const name = `NumPy ${dtype === 'float64' ? 'f64' : 'f32'}`;
    if (!ok.length) {
      rows.push({ name, error: 'failed (see notes)' });
      continue;
    }
    const best = ok.reduce((a, b) => (runs[dtype][a].bestPer8000 <= runs[dtype][b].bestPer8000 ? a : b));
    const other = ok.find((t) => t !== best);
    const r = runs[dtype][best];
    const measured = r.extrapolated ? `on ${r.samples_per_epoch} samples, extrapolated; ` : '';
    const alt = other ? `; ${plural(other, 'thread')}: ${runs[dtype][other].bestPer8000.toFixed(3)} s` : '';
    const after = warmup ? ` after ${warmup} warm-up` : '';
    const losses = model === 'lenet' ? `; mean training loss per epoch ${r.train_loss.map(loss).join(', ')}` : '';
    rows.push({
      name, threads: best, bestPer8000: r.bestPer8000, load: r.load, losses: r.train_loss,
      note: `${measured}best of ${plural(r.seconds.length, 'epoch')}${after}${alt}${losses}`,
    });
  }
  return { rows, runs };
}

function tfjsRows(res, model, limit) {
  const rows = [];
  const runs = {};
  for (const backend of ['cpu', 'wasm']) {
    quiet();
    say(`TensorFlow.js ${backend} ${model} (up to ${opts.tfjsBudget} s)`);
    const r = runTfjs({ backend, model, limit, budget: opts.tfjsBudget });
    runs[backend] = r;
    if (r.error) {
      res.notes.push(r.error);
      rows.push({ name: `tfjs-${backend}`, error: 'failed (see notes)' });
      continue;
    }
    const how = r.extrapolated ? `${r.samples} samples in ${r.seconds.toFixed(1)} s, extrapolated to 8000` : 'one full epoch';
    const conv = r.conv === 'im2col' ? '; conv as im2col + matMul (the backend has no Conv2DBackpropFilter)' : '';
    rows.push({ name: `tfjs-${backend}`, threads: 1, bestPer8000: r.bestPer8000, load: r.load, note: `${how}${conv}` });
  }
  return { rows, runs };
}

// PyTorch's row of an epoch table: the fastest of the four thread combinations, naming the others.
function torchRow(res, model) {
  const t = res.torch;
  const best = t.best[model];
  if (!best) return { name: 'PyTorch', error: 'failed (see notes)' };
  const m = best[model];
  const others = t.combos.filter((c) => c !== best && !c.error && c[model])
    .map((c) => `${c.threads}/${c.blasThreads}: ${c[model].bestPer8000.toFixed(3)} s`).join(', ');
  const measured = m.extrapolated ? `on ${m.samples} samples, extrapolated; ` : '';
  const losses = model === 'lenet'
    ? `; mean training loss ${loss(m.warmup_loss)} in the warm-up, then ${m.train_loss.map(loss).join(', ')}` : '';
  return {
    name: `PyTorch ${best.torch}`, threads: `${best.threads} (OpenBLAS ${best.blasThreads})`, bestPer8000: m.bestPer8000, load: best.load,
    losses: m.train_loss, warmupLoss: m.warmup_loss,
    note: `${measured}best of ${plural(m.epoch_seconds.length, 'epoch')} after a warm-up; the other torch/OpenBLAS threads: ${others}${losses}`,
  };
}

/** The gemmnet row of an epoch table from a child run (gemmnetChild): its result, or why it failed
 * (also a note). True when it ran. */
function childRow(res, sec, r, what, more, extra = {}) {
  if (r.error) {
    const why = `${what} does not train in this build: ${r.error}`;
    sec.gemmnet = { error: why };
    sec.rows.push({ name: 'gemmnet', error: why });
    res.notes.push(why);
    return false;
  }
  sec.gemmnet = r;
  const how = r.extrapolated ? `on ${r.samples} samples, extrapolated; ` : '';
  sec.rows.push({ name: 'gemmnet', threads: r.threads, bestPer8000: r.bestPer8000, load: r.load, ...extra,
    note: `${how}best of ${plural(r.seconds.length, 'epoch')} after a warm-up on 320 samples${more()}` });
  return true;
}

async function mlpSection(res) {
  const sec = {
    title: 'MLP epoch',
    description: '784-1000-10, ReLU, softmax cross-entropy, batch 100, momentum (lr 0.01, gamma 0.9), 8000 training samples.',
    rows: [],
  };
  quiet();
  say('gemmnet MLP epochs');
  const r = await g.mlpEpochs({ epochs: opts.reps.mlp, warmup: 1 });
  sec.gflopPerEpoch = r.gflopPerEpoch;
  sec.gemmnet = { ...r, bestPer8000: r.best };
  sec.rows.push({ name: 'gemmnet', threads: r.threads, bestPer8000: r.best, load: r.load,
    note: `best of ${plural(r.seconds.length, 'epoch')} after 1 warm-up (train() record.seconds)` });
  say('gemmnet MLP breakdown');
  sec.breakdown = [2, 1].map((threads) => mlpBreakdown({ threads, reps: opts.quick ? 2 : 3 }));
  sec.breakdownEpochs = { [r.threads]: r.best };
  const one = await g.mlpEpochs({ epochs: opts.reps.mlp, warmup: 1, threads: 1 });
  sec.breakdownEpochs[1] = one.best;
  sec.gemmnetOneThread = one;
  sec.rows[0].note += `; 1 thread: ${one.best.toFixed(3)} s`;
  if (res.torch) sec.rows.push(torchRow(res, 'mlp'));
  if (!opts.skipNumpy && !res.skipped.numpy) {
    const n = numpyRows(res, 'mlp', { epochs: opts.reps.numpyMlp, warmup: 1 });
    sec.rows.push(...n.rows);
    sec.numpy = n.runs;
  }
  if (!opts.skipTfjs && !res.skipped.tfjs) {
    const t = tfjsRows(res, 'mlp', 8000);
    sec.rows.push(...t.rows);
    sec.tfjs = t.runs;
  }
  return sec;
}

async function cnnSection(res) {
  const sec = {
    title: 'CNN epoch',
    description: 'conv 3×3×32 SAME → ReLU → batch norm → 2×2 max pool → FC 784 → ReLU → FC 10 (cnn() defaults: no ' +
      'dropout, no L2), batch 32, Adam (lr 1e-4), 8000 training samples.',
    rows: [],
    gflopPerEpoch: cnnFlopsPerSample() * 8000 / 1e9,
  };
  quiet();
  say(`gemmnet CNN epochs on ${opts.cnnLimit} samples`);
  // In a child process: the convolution kernels are young, and a crash must not lose the other results.
  const r = gemmnetChild('cnn', { epochs: opts.reps.cnn, limit: opts.cnnLimit });
  if (childRow(res, sec, r, 'gemmnet.cnn()', () => '')) {
    say('gemmnet CNN breakdown');
    sec.cnnBreakdown = { ...(await cnnBreakdown({ batches: opts.quick ? 30 : 80 })), threads: r.threads };
  }
  if (res.torch) sec.rows.push(torchRow(res, 'cnn'));
  if (!opts.skipNumpy && !res.skipped.numpy) {
    const n = numpyRows(res, 'cnn', { limit: opts.numpyCnnLimit, epochs: opts.reps.numpyCnn, warmup: 0 });
    sec.rows.push(...n.rows);
    sec.numpy = n.runs;
  }
  if (!opts.skipTfjs && !res.skipped.tfjs) {
    const t = tfjsRows(res, 'cnn', 8000);
    sec.rows.push(...t.rows);
    sec.tfjs = t.runs;
  }
  return sec;
}

async function lenetSection(res) {
  const sec = {
    title: 'LeNet-style epoch',
    description: 'sequential(): conv 5×5×8 SAME → ReLU → 2×2 max pool → conv 5×5×16 VALID → ReLU → 2×2 max pool → ' +
      'flatten (5×5×16 = 400, NHWC) → dense 120 → ReLU → dense 84 → ReLU → dense 10, softmax cross-entropy, batch 64, ' +
      'Adam (lr 1e-3), 8000 training samples (the CNN\'s). Each party initialises its own way (gemmnet: sequential() ' +
      'with seed 521; NumPy and PyTorch: Xavier normal, zero biases), so the losses agree only roughly; ln 10 = 2.303 is ' +
      'the loss of a uniform guess.',
    rows: [],
    gflopPerEpoch: lenetFlopsPerSample() * 8000 / 1e9,
  };
  quiet();
  say(`gemmnet LeNet-style epochs on ${opts.lenetLimit} samples`);
  const r = gemmnetChild('lenet', { epochs: opts.reps.lenet, limit: opts.lenetLimit });
  childRow(res, sec, r, "gemmnet's LeNet-style sequential()", () => `; mean training loss ${loss(r.warmupLoss)} in the ` +
    `warm-up, then ${r.losses.map(loss).join(', ')}`, { losses: r.losses, warmupLoss: r.warmupLoss });
  if (res.torch) sec.rows.push(torchRow(res, 'lenet'));
  if (!opts.skipNumpy && !res.skipped.numpy) {
    const n = numpyRows(res, 'lenet', { limit: opts.numpyCnnLimit, epochs: opts.reps.numpyLenet, warmup: 0 });
    sec.rows.push(...n.rows);
    sec.numpy = n.runs;
  }
  for (const row of sec.rows) {
    const all = [row.warmupLoss, ...(row.losses || [])].filter((x) => x != null);
    if (all.some((x) => !Number.isFinite(x))) res.notes.push(`LeNet-style epoch, ${row.name}: a loss is not finite (${all.join(', ')})`);
  }
  return sec;
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0] ? cpus[0].model.trim() : 'unknown CPU',
    cores: cpus.length,
    node: process.versions.node,
    loadavg: os.loadavg().map((x) => x.toFixed(2)).join(' '),
  };
}

/** bench/stall.js --quick in a child process (this environment, so without the two variables): its summary rows. */
function stallSection() {
  const { spawnSync } = require('child_process');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gemmnet-stall-'));
  try {
    const r = spawnSync(process.execPath, [path.join(__dirname, 'stall.js'), '--quick', '--out', path.join(out, 'stall.json')],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300000 });
    if (r.status !== 0) return { skipped: `failed (${r.error ? r.error.message : `exit ${r.status}`}): ${(r.stderr || '').trim().split('\n').pop()}` };
    const j = JSON.parse(fs.readFileSync(path.join(out, 'stall.json'), 'utf8'));
    return { batches: j.batches, epochs: j.epochs, batchSize: j.batchSize, rounds: j.summary[0] ? j.summary[0].rounds : 0, rows: j.summary };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

async function main() {
  const t0 = performance.now();
  const res = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    machine: machine(),
    gemmnet: g.gemmnet.buildInfo(),
    options: opts,
    data: g.data().name,
    skipped: {},
    notes: [],
  };
  const had = removed();
  res.removedEnv = had;
  res.notes.push(Object.keys(had).length
    ? `${Object.entries(had).map(([k, v]) => `${k}=${v}`).join(', ')} removed for everything the benchmark runs ` +
      '(gemmnet, PyTorch, NumPy, TensorFlow.js, onnxruntime-node): each OpenBLAS picks its kernels by itself.'
    : `${CORE_OVERRIDES.join(' / ')} were not set; every party picks its kernels by itself.`);
  const envBlas = Object.keys(process.env).filter((k) => k.startsWith('OPENBLAS'));
  if (envBlas.length) res.notes.push(`OpenBLAS variables left in the environment: ${envBlas.map((k) => `${k}=${process.env[k]}`).join(', ')}`);
  if (opts.skipTorch) res.skipped.torch = 'skipped (--skip-torch)';
  else {
    const t = ensureTorch({ install: opts.install, say });
    if (t.error) res.skipped.torch = t.error;
    else {
      res.torchVersion = t.version;
      if (t.installed) res.notes.push(`PyTorch ${t.version}: ${t.installed}.`);
    }
  }
  if (opts.skipNumpy) res.skipped.numpy = 'skipped (--skip-numpy)';
  else {
    const why = numpyMissing();
    if (why) res.skipped.numpy = why;
  }
  if (opts.skipTfjs) res.skipped.tfjs = `skipped (--skip-tfjs); to include TensorFlow.js: ${INSTALL}`;
  else {
    const why = tfjsMissing();
    if (why) res.skipped.tfjs = why;
  }
  const partyName = { tfjs: 'TensorFlow.js', numpy: 'NumPy', torch: 'PyTorch' };
  for (const [what, why] of Object.entries(res.skipped)) {
    say(`${what}: ${why}`);
    res.notes.push(`${partyName[what]}: ${why}`);
  }

  const runPhase = phase();
  let runLoad = {};
  quiet();
  say('sgemm ceiling');
  res.ceiling = g.sgemmCeiling({ reps: opts.reps.ceiling });
  res.ceiling.best = Math.max(...Object.values(res.ceiling.threads).map((t) => t.gflops));

  res.secondCore = [];
  const probe = (when) => res.secondCore.push({ when, ...g.secondCoreProbe() });
  probe('start');
  if (!opts.skipAgree) {
    say('agreement: a short training run at gemmnet\'s own kernels and at the CI setting');
    res.agreement = agreement();
    if (res.agreement.error) res.notes.push(`agreement check failed to run: ${res.agreement.error}`);
  }
  if (!res.skipped.torch) {
    const parts = ['mlp', 'cnn', 'lenet'].filter(wants).concat(opts.skipPredict ? [] : ['predict']);
    quiet();
    say(`PyTorch (${parts.join(', ')}) at torch threads 1 and 2 × OpenBLAS threads 1 and 2`);
    res.torch = torchRuns({ parts, mlpEpochs: opts.reps.torchMlp, cnnEpochs: opts.reps.torchCnn, cnnLimit: opts.torchCnnLimit,
      lenetEpochs: opts.reps.torchLenet, lenetLimit: opts.torchCnnLimit, predictBudget: opts.predictBudget });
    for (const c of res.torch.combos) if (c.error) res.notes.push(c.error);
    probe('after the PyTorch runs');
  }
  if (wants('mlp')) {
    res.mlp = await mlpSection(res);
    probe('after the MLP epochs');
  }
  if (wants('mlp') && !opts.skipContention) {
    res.contention = await contentionSection(res, { opts, quiet, say, plural });
    probe('after the contention runs');
  }
  if (wants('cnn')) {
    res.cnn = await cnnSection(res);
    probe('after the CNN epochs');
  }
  if (wants('lenet')) {
    res.lenet = await lenetSection(res);
    probe('after the LeNet-style epochs');
  }
  if (!opts.skipPredict) {
    quiet();
    say('predict() throughput');
    const why = onnxMissing();
    try {
      res.predict = await predictThroughput({ budget: opts.predictBudget, onnx: !why });
      if (why) res.predict.onnxSkipped = why;
    } catch (e) {
      if (why) throw e;
      // onnxruntime-node failed: gemmnet alone, with the reason.
      res.predict = await predictThroughput({ budget: opts.predictBudget });
      res.predict.onnxSkipped = `skipped: onnxruntime-node failed: ${e.message.split('\n')[0]}`;
    }
    if (res.predict.onnxSkipped) res.notes.push(`onnxruntime-node: ${res.predict.onnxSkipped}`);
  }
  if (!opts.skipStall && wants('cnn')) {
    quiet();
    say('main-thread stalls while the CNN trains (stall.js --quick)');
    res.stall = stallSection();
    if (res.stall.skipped) res.notes.push(`stall.js: ${res.stall.skipped}`);
  }
  runLoad = runPhase();

  // The ceiling again at the end: on a shared machine one measurement may fall in a busy stretch.
  // Each thread count keeps the better of the two.
  quiet();
  say('sgemm ceiling again');
  const end = g.sgemmCeiling({ reps: opts.reps.ceiling });
  for (const [t, r] of Object.entries(end.threads)) {
    const first = res.ceiling.threads[t];
    res.ceiling.threads[t] = { ...(r.gflops > first.gflops ? r : first), start: first.gflops, end: r.gflops };
  }
  res.ceiling.best = Math.max(...Object.values(res.ceiling.threads).map((t) => t.gflops));
  res.goals = goals(res);
  res.seconds = (performance.now() - t0) / 1000;
  res.backgroundCores = runLoad.otherCores;
  if (runLoad.otherCores != null && runLoad.otherCores >= 0.25) {
    res.notes.unshift(`The machine was not quiet: other processes kept ${runLoad.otherCores.toFixed(2)} of ` +
      `${res.machine.cores} cores busy on average during the run. Every number here is slower and noisier than the ` +
      'hardware allows; 2-thread runs (the sgemm ceiling included) suffer most, so fractions of the ceiling can ' +
      'exceed 100%. Compare rows measured under similar background load, or rerun on a quiet machine.');
  }
  const md = markdown(res);
  fs.mkdirSync(opts.out, { recursive: true });
  fs.writeFileSync(path.join(opts.out, 'latest.json'), JSON.stringify(res, null, 2) + '\n');
  fs.writeFileSync(path.join(opts.out, 'latest.md'), md);
  process.stdout.write(md);
  say(`\n(${res.seconds.toFixed(0)} s; written to ${path.relative(process.cwd(), path.join(opts.out, 'latest.{json,md}'))})`);
  if (res.contention) summarizeContention(res.contention);
}

// A few plain sentences on the contention runs, printed after the tables.
function summarizeContention(c) {
  for (const r of c.rows) {
    if (r.error) continue;
    const ratio = median(r.contended.seconds) / median(r.quiet.seconds);
    say(`  ${r.name}: ${ratio.toFixed(2)}× slower with a busy process`);
  }
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
