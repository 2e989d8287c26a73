#!/usr/bin/env node
// How long the main thread's event loop waits while the course's CNN (gemmnet.cnn(), Adam, batch 32)
// trains: in a worker thread (train(..., { worker: true })) and in-thread, for comparison, and with nothing
// training for as long (the floor the machine sets: how late it wakes an idle thread). A 1 ms
// timer on the main thread records every gap between its ticks; a gap is the longest the event loop
// could not answer (a request, a frame, a timer). Reported per phase: start-up (from the train()
// call to the first batch), training (first batch to the last), and the hand-back (last batch to the
// promise resolving: the final weights and the optimizer's state coming back to the main thread).
//
//   node bench/stall.js [--quick] [--rounds N] [--batches N] [--only worker|in-thread|nothing] [--out FILE]
//
// Prints a Markdown table and writes bench/results/stall.json, or FILE (every run, its phases, its
// largest gaps and the garbage collections the main thread did during them). `npm run bench` runs it
// with --quick and puts its table in the report.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { PerformanceObserver } = require('perf_hooks');

require('./lib/env').reexecClean(__filename, process.argv.slice(2));

const gemmnet = require('..');
const { loadTrainSet, head } = require('./lib/data');
const load = require('./lib/load');
const { stallTable } = require('./lib/stall-table');

const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const QUICK = argv.includes('--quick');
const ROUNDS = arg('--rounds', QUICK ? 1 : 3);
/** Batches of 32 per epoch; two epochs per run, so that the epoch hand-over is measured too. */
const BATCHES = arg('--batches', QUICK ? 40 : 120);
const EPOCHS = 2;
const BATCH = 32;
const VALID = 256;

const ONLY = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : null;
const MODES = [
  { name: 'worker', worker: true, threads: os.cpus().length },
  { name: 'worker', worker: true, threads: Math.max(1, os.cpus().length - 1) },
  { name: 'in-thread', worker: false, threads: os.cpus().length },
  // The floor: the same timer for as long as a worker run, with nothing training. On a virtual
  // machine an idle core can take milliseconds to wake for a timer; what this row shows, no
  // training mode can beat.
  { name: 'nothing (idle baseline)', idle: true, threads: '–' },
].filter((m, i, all) => (!ONLY || m.name.split(' ')[0] === ONLY) && all.findIndex((o) => o.name === m.name && o.threads === m.threads) === i);

/**
 * The main thread's time on a core and time waiting for one (ns, cumulative), from Linux's
 * schedstat: whether a gap was the main thread's own work or the scheduler giving its core to
 * another thread. Null where the file is not there.
 */
function schedReader() {
  let fd;
  try {
    fd = fs.openSync(`/proc/${process.pid}/task/${process.pid}/schedstat`, 'r');
  } catch {
    return () => null;
  }
  const buf = Buffer.alloc(128);
  return () => {
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const [run, wait] = buf.toString('latin1', 0, n).split(' ').map(Number);
    return [run, wait];
  };
}
const sched = schedReader();

function quantile(sorted, q) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** One training run with the main thread's gaps recorded; returns its phases and statistics. */
async function measure(mode, set, valid, idleSeconds) {
  const gaps = []; // [end time, gap ms]
  const gcs = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push({ at: e.startTime, ms: e.duration, kind: e.detail ? e.detail.kind : e.kind });
  });
  obs.observe({ entryTypes: ['gc'] });
  const model = mode.idle ? null : gemmnet.cnn();
  let last = performance.now();
  let lastSched = sched();
  const timer = setInterval(() => {
    const now = performance.now();
    const st = sched();
    // [end, gap ms, ms the main thread ran in the gap, ms it waited for a core]
    gaps.push([now, now - last, st && lastSched ? (st[0] - lastSched[0]) / 1e6 : NaN, st && lastSched ? (st[1] - lastSched[1]) / 1e6 : NaN]);
    last = now;
    lastSched = st;
  }, 1);
  const events = { call: 0, firstBatch: null, lastBatch: null, epochs: [], done: null };
  let batches = 0;
  await new Promise((resolve) => setTimeout(resolve, 50)); // the timer settles before the run starts
  gaps.length = 0;
  gcs.length = 0;
  const accounting = load.phase();
  events.call = performance.now();
  if (mode.idle) {
    // As long as a worker run took, every tick in the "training" phase.
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
    events.firstBatch = events.call;
    events.lastBatch = performance.now();
  }
  const history = mode.idle ? { epochs: [] } : await gemmnet.train(model, set, {
    epochs: EPOCHS, batchSize: BATCH, validation: valid, worker: mode.worker, threads: mode.threads, seed: 1, optimizer: gemmnet.adam(),
    onBatch: () => {
      const now = performance.now();
      if (events.firstBatch === null) events.firstBatch = now;
      events.lastBatch = now;
      batches++;
    },
    onEpoch: () => { events.epochs.push(performance.now()); },
  });
  const cpu = accounting();
  clearInterval(timer);
  obs.disconnect();
  // The last gap ends after the promise resolved: it holds the end of the hand-back.
  const now = performance.now();
  const st = sched();
  gaps.push([now, now - last, st && lastSched ? (st[0] - lastSched[0]) / 1e6 : NaN, st && lastSched ? (st[1] - lastSched[1]) / 1e6 : NaN]);
  events.done = now;

  const within = (from, to) => gaps.filter(([t]) => t > from && t <= to).map(([, g]) => g);
  const ranWithin = (from, to) => Math.max(0, ...gaps.filter(([t]) => t > from && t <= to).map(([, , ran]) => ran).filter(Number.isFinite));
  const startup = within(events.call, events.firstBatch);
  const training = within(events.firstBatch, events.lastBatch);
  const handback = within(events.lastBatch, events.done);
  const sorted = training.slice().sort((a, b) => a - b);
  const worst = gaps.slice().sort((a, b) => b[1] - a[1]).slice(0, 5).map(([t, g, ran, waited]) => {
    const startedAt = t - g - events.call;
    const inGc = gcs.filter((e) => e.at + e.ms >= t - g && e.at <= t && e.ms >= 0.5).map((e) => `${e.ms.toFixed(1)} ms GC`);
    const where = t <= events.firstBatch ? 'start-up' : t <= events.lastBatch ? 'training' : 'hand-back';
    const nearEpoch = events.epochs.some((e) => e >= t - g - 1 && e <= t + 1) ? ', at an epoch hand-over' : '';
    return { ms: +g.toFixed(2), ranMs: Number.isFinite(ran) ? +ran.toFixed(2) : null, waitedMs: Number.isFinite(waited) ? +waited.toFixed(2) : null, at: +(startedAt / 1000).toFixed(3), phase: where + nearEpoch, gc: inGc };
  });
  return {
    mode: mode.name, threads: mode.threads, batches, epochs: history.epochs.length,
    otherCores: cpu.otherCores === undefined ? null : +cpu.otherCores.toFixed(2), ownCores: cpu.ownCores === undefined ? null : +cpu.ownCores.toFixed(2),
    seconds: +((events.done - events.call) / 1000).toFixed(3),
    startupMs: +(Math.max(0, ...startup)).toFixed(2),
    startupSeconds: +((events.firstBatch - events.call) / 1000).toFixed(3),
    p50: +quantile(sorted, 0.5).toFixed(2), p99: +quantile(sorted, 0.99).toFixed(2), max: +(sorted[sorted.length - 1] || 0).toFixed(2),
    handbackMs: +(Math.max(0, ...handback)).toFixed(2),
    // The most the main thread itself ran within one gap, per phase (the rest of a gap it slept or waited for a core).
    ranMs: { startup: +ranWithin(events.call, events.firstBatch).toFixed(2), training: +ranWithin(events.firstBatch, events.lastBatch).toFixed(2),
      handback: +ranWithin(events.lastBatch, events.done).toFixed(2) },
    ticks: training.length,
    // Gaps of more than 5 ms over the whole run (start-up, training and hand-back), and of those, how
    // many the main thread spent mostly waiting for a core or mostly running.
    over5: (() => {
      const long = gaps.filter(([, g]) => g > 5);
      return { n: long.length, waited: long.filter(([, g, , w]) => w > g / 2).length, ran: long.filter(([, g, r]) => r > g / 2).length };
    })(),
    gcMs: +gcs.reduce((s, e) => s + e.ms, 0).toFixed(1), gcMax: +(Math.max(0, ...gcs.map((e) => e.ms))).toFixed(2),
    worst,
  };
}

async function main() {
  const data = loadTrainSet();
  const set = head(data, BATCHES * BATCH);
  const validStart = BATCHES * BATCH;
  const valid = { x: data.x.subarray(validStart * 784, (validStart + VALID) * 784), y: data.y.subarray(validStart, validStart + VALID) };
  const info = gemmnet.buildInfo();
  const load1 = os.loadavg()[0];
  process.stderr.write(`stall: ${data.name}, ${BATCHES} batches of ${BATCH} x ${EPOCHS} epochs, validation ${VALID}, ` +
    `${ROUNDS} round(s); ${os.cpus().length} cores (${os.cpus()[0].model}), load ${load1.toFixed(2)}\n`);
  const runs = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const mode of MODES) {
      // Other jobs on the machine compete with the main thread for a core: wait for a quiet spell.
      load.waitQuiet(QUICK ? 5 : 10);
      // The idle baseline lasts as long as this round's first worker run.
      const worker = runs.find((run) => run.round === r + 1 && run.mode === 'worker');
      const res = await measure(mode, set, valid, worker ? worker.seconds : QUICK ? 2 : 4);
      runs.push({ round: r + 1, ...res });
      process.stderr.write(`  round ${r + 1} ${mode.name} threads ${mode.threads}: start-up ${res.startupMs} ms, ` +
        `p50 ${res.p50} p99 ${res.p99} max ${res.max} ms, hand-back ${res.handbackMs} ms, ${res.over5.n} gaps > 5 ms (${res.seconds} s; other jobs ${res.otherCores} cores)\n`);
    }
  }
  const median = (v) => v.slice().sort((a, b) => a - b)[Math.floor(v.length / 2)];
  const rows = MODES.map((m) => {
    const rs = runs.filter((r) => r.mode === m.name && r.threads === m.threads);
    return {
      mode: m.name, threads: m.threads, rounds: rs.length,
      startupMs: median(rs.map((r) => r.startupMs)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)),
      max: median(rs.map((r) => r.max)), worstMax: Math.max(...rs.map((r) => r.max)), handbackMs: median(rs.map((r) => r.handbackMs)),
      seconds: median(rs.map((r) => r.seconds)), otherCores: median(rs.map((r) => r.otherCores)),
      // Of the longest gaps, how much the main thread itself ran (the rest it slept or waited for a core).
      ranMs: Math.max(...rs.map((r) => Math.max(r.ranMs.startup, r.ranMs.training, r.ranMs.handback))),
      over5: rs.reduce((s, r) => s + r.over5.n, 0) / rs.length,
      over5Waited: rs.reduce((s, r) => s + r.over5.waited, 0) / rs.length,
    };
  });
  const table = stallTable(rows, { full: true }).join('\n');
  console.log(`\nMain thread's event-loop gaps (1 ms timer) while the CNN trains, ${BATCHES * EPOCHS} batches of ${BATCH}; ` +
    `medians of ${ROUNDS} round(s); p50/p99/max over the training phase:\n\n${table}\n`);
  const out = argv.includes('--out') ? path.resolve(argv[argv.indexOf('--out') + 1]) : path.join(__dirname, 'results', 'stall.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({
    date: new Date().toISOString(), quick: QUICK, data: data.name, batches: BATCHES, epochs: EPOCHS, batchSize: BATCH, valid: VALID,
    machine: { cpus: os.cpus().length, model: os.cpus()[0].model, load1, node: process.version, simd: info.simd, blasCore: info.blasCore },
    summary: rows, runs,
  }, null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
