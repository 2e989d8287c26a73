// Renders the results of run.js as Markdown tables.
'use strict';
const { stallTable } = require('./stall-table');

const s3 = (x) => (x == null || !Number.isFinite(x) ? '–' : x < 10 ? x.toFixed(3) : x < 100 ? x.toFixed(2) : x.toFixed(1));
const f1 = (x) => (x == null || !Number.isFinite(x) ? '–' : x.toFixed(1));
const f2 = (x) => (x == null || !Number.isFinite(x) ? '–' : x.toFixed(2));
const pct = (x) => (x == null || !Number.isFinite(x) ? '–' : `${(100 * x).toFixed(0)}%`);
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const spread = (a) => (a && a.length ? Math.max(...a) / Math.min(...a) : NaN);
const bg = (load) => (load && load.otherCores != null ? f2(load.otherCores) : '–');

function table(head, rows) {
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const r of rows) lines.push(`| ${r.join(' | ')} |`);
  return lines.join('\n');
}

/** One epoch table (MLP, CNN or LeNet): gemmnet, NumPy f64 and f32, tfjs-cpu and tfjs-wasm. */
function epochTable(section, ceiling) {
  const base = section.gemmnet && !section.gemmnet.error ? section.gemmnet.bestPer8000 : null;
  const rows = section.rows.map((r) => {
    if (r.error || r.skipped) return [r.name, '–', '–', '–', '–', '–', '–', r.error || r.skipped];
    const gflops = section.gflopPerEpoch / r.bestPer8000;
    const speedup = base && r.name !== 'gemmnet' ? `${f2(r.bestPer8000 / base)}×` : '';
    return [r.name, String(r.threads), s3(r.bestPer8000), speedup, f1(gflops), pct(gflops / ceiling), bg(r.load), r.note || ''];
  });
  return table(['implementation', 'threads', 's / 8000-sample epoch', 'gemmnet speedup', 'GFLOP/s', 'of sgemm ceiling',
    'background cores', 'how measured'], rows);
}

function contentionTable(c) {
  const rows = c.rows.map((r) => {
    if (r.error) return [r.name, '–', '–', '–', '–', '–', '–', '–', r.error];
    const q = r.quiet;
    const k = r.contended;
    const ratio = q && k ? median(k.seconds) / median(q.seconds) : NaN;
    const cpu = (x) => (x && x.cpuSeconds && x.cpuSeconds.length ? f2(median(x.cpuSeconds) / median(x.seconds)) : '–');
    return [r.name, q ? s3(median(q.seconds)) : '–', k ? s3(median(k.seconds)) : '–', q && k ? `${f2(ratio)}×` : '–',
      q ? f2(spread(q.seconds)) : '–', k ? f2(spread(k.seconds)) : '–', `${cpu(q)} / ${cpu(k)}`,
      `${bg(q && q.load)} / ${bg(k && k.load)}`, r.note || ''];
  });
  return table(['MLP epoch', 'quiet median s', 'contended median s', 'contended / quiet', 'spread quiet (max/min)',
    'spread contended', 'CPU / wall (quiet / contended)', 'background cores (quiet / contended)', 'note'], rows);
}

function spinTable(spin) {
  const windows = (spin.find((s) => Array.isArray(s.samples)) || { samples: [] }).samples.map((w) => w.ms);
  if (!windows.length) return '';
  const cell = (w) => (w.systemCores != null ? `${f2(w.cores)} (${f2(w.systemCores)} sys)` : f2(w.cores));
  const rows = spin.map((s) => [s.name, ...(Array.isArray(s.samples) ? s.samples.map(cell) : windows.map(() => s.samples.error || '–'))]);
  return table(['cores busy while the caller sleeps after an sgemm, for', ...windows.map((ms) => `${ms} ms`)], rows) +
    '\n\n"sys": of which in the kernel, i.e. the workers\' sched_yield() calls while they poll for work.';
}

// One breakdown cell group: seconds, share of the train() epoch, GFLOP/s, and that over the ceiling
// at the same thread count (– for steps without matmul work).
function parts(seconds, flops, epoch, ceiling) {
  const gflops = flops ? flops / seconds / 1e9 : null;
  return [s3(seconds), pct(epoch ? seconds / epoch : null), gflops ? f1(gflops) : '–', gflops ? pct(gflops / ceiling) : '–'];
}
const heads = (t) => [`${t} thr: s`, 'share of epoch', 'GFLOP/s', `of ${t}-thread ceiling`];
const ceilingAt = (ceiling, t) => (ceiling.threads[t] ? ceiling.threads[t].gflops : ceiling.best);

function breakdownTable(b, epochSeconds, ceiling, gflopPerEpoch) {
  const names = b[0].steps.map((s) => s.name);
  const cells = (x, seconds, flops) => parts(seconds, flops, epochSeconds[x.threads], ceilingAt(ceiling, x.threads));
  const rows = names.map((name, i) => [name, ...b.flatMap((x) => cells(x, x.steps[i].seconds, x.steps[i].flops))]);
  const sum = (x) => x.steps.reduce((a, s) => a + s.seconds, 0);
  const work = gflopPerEpoch * 1e9;
  rows.push(['**sum of the steps timed apart**', ...b.flatMap((x) => cells(x, sum(x), work))]);
  rows.push(['**the batch\'s native calls back to back**', ...b.flatMap((x) => cells(x, x.nativeBatchSeconds, work))]);
  rows.push(['**train() epoch, as measured above**', ...b.flatMap((x) => cells(x, epochSeconds[x.threads], work))]);
  rows.push(['JavaScript and the rest (epoch minus the calls back to back)',
    ...b.flatMap((x) => cells(x, epochSeconds[x.threads] - x.nativeBatchSeconds, 0))]);
  const gemm = (x) => x.gemms.reduce((a, g) => a + g.seconds, 0);
  rows.push(['the five bare sgemm calls NumPy counts', ...b.flatMap((x) => cells(x, gemm(x), work))]);
  for (let i = 0; i < b[0].gemms.length; i++) {
    rows.push([`  sgemm ${b[0].gemms[i].name.replace(/\s+/g, ' ')}`,
      ...b.flatMap((x) => cells(x, x.gemms[i].seconds, (x.gemms[i].gflops * 1e9 * x.gemms[i].seconds)))]);
  }
  return table(['per epoch (80 batches)', ...b.flatMap((x) => heads(x.threads))], rows);
}

function cnnBreakdownTable(b, epochSeconds, ceiling, gflopPerEpoch) {
  const c = ceilingAt(ceiling, b.threads);
  const epoch = epochSeconds != null ? epochSeconds : b.batchSeconds;
  const rows = b.steps.map((st) => [st.name, ...parts(st.seconds, st.flops, epoch, c)]);
  const work = gflopPerEpoch * 1e9;
  rows.push(['**sum of the steps timed apart**', ...parts(b.steps.reduce((a, st) => a + st.seconds, 0), work, epoch, c)]);
  rows.push(['**whole batches, as train() runs them (minus its JavaScript)**', ...parts(b.batchSeconds, work, epoch, c)]);
  if (epochSeconds != null) {
    rows.push(['**train() epoch, as measured above**', ...parts(epochSeconds, work, epoch, c)]);
    rows.push(['JavaScript and the rest (epoch minus whole batches)', ...parts(epochSeconds - b.batchSeconds, 0, epoch, c)]);
  }
  return table(['per 8000-sample epoch (250 batches)', ...heads(b.threads)], rows) +
    `\n\nMedians over ${b.batches} batches of 32 random images, times 250.` +
    (epochSeconds == null ? ' Shares are of the whole batches (no train() epoch was measured).' : '');
}

function kernelsTable(res) {
  const gi = res.gemmnet;
  const rows = [['gemmnet (benchmark, variables removed)', `${gi.blasConfig || '–'}`, gi.blasCore, `SIMD kernels: ${gi.simd}`]];
  const a = res.agreement;
  if (a && !a.error) {
    rows.push([`gemmnet at the CI setting (${Object.entries(a.ciEnv).map(([k, v]) => `${k}=${v}`).join(' ')})`, 'the same library', a.ciCore,
      'only in the agreement check below']);
  }
  if (res.numpyBlas) rows.push(['NumPy', res.numpyBlas.config || '–', res.numpyBlas.core || '–', '']);
  else rows.push(['NumPy', '–', '–', res.skipped.numpy || 'not run']);
  const t = res.torch && res.torch.combos.find((c) => !c.error);
  if (t) {
    const cap = ((t.config || '').match(/CPU capability usage: (\S+)/) || [])[1];
    const dnn = ((t.config || '').match(/MKL-DNN (v[\d.]+)/) || [])[1];
    rows.push([`PyTorch ${t.torch}`, `${t.blas.config || '–'} (${t.blas.library || '?'})`, t.blas.core || '–',
      `ATen CPU capability ${cap || '?'}; oneDNN ${dnn || '?'} ${t.mkldnn ? '(convolutions)' : '(not available)'}`]);
  } else rows.push(['PyTorch', '–', '–', res.skipped.torch || 'failed (see notes)']);
  if (res.predict) {
    rows.push(['onnxruntime-node', res.predict.onnx ? `${res.predict.onnx.version || ''} (MLAS, its own kernels)` : '–', '–',
      res.predict.onnxSkipped || '']);
  }
  return table(['party', 'BLAS', 'kernel (core)', 'other'], rows);
}

function agreementText(a) {
  if (!a) return null;
  if (a.error) return `The check did not run: ${a.error}`;
  const env = Object.entries(a.ciEnv).map(([k, v]) => `${k}=${v}`).join(' ');
  const rows = a.parts.map((p) => [p.model.toUpperCase(), p.losses.own.map((l) => l.toFixed(6)).join(', '),
    p.losses.ci.map((l) => l.toFixed(6)).join(', '), p.lossRel.toExponential(1), p.relL2.toExponential(1), p.relMax.toExponential(1)]);
  return `The same deterministic training run (MLP: 2 epochs on 1000 samples; CNN: 1 epoch on 320; seeded shuffle, ${a.threads} ` +
    `threads) in two processes: at gemmnet's own kernels (${a.ownCore}) and at the CI setting ${env} (${a.ciCore}; ${a.ciSource}). ` +
    `Relative tolerance ${a.tolerance}: **${a.ok ? 'agree' : 'DO NOT AGREE'}**` +
    (a.ownCore === a.ciCore ? ' (but both runs took the same kernel, so this compares nothing)' : '') + '.\n\n' +
    table(['model', 'losses, own kernels', 'losses, CI setting', 'max relative loss difference', 'weights: ‖Δ‖ / ‖W‖',
      'weights: max |Δ| / max |W|'], rows);
}

function predictTable(res) {
  const p = res.predict;
  const { bestOver, BATCHES } = require('./predict');
  const rows = [];
  const thr = (b) => (b ? ` (${b.threads})` : '');
  for (const model of ['mlp', 'cnn']) {
    const ours = bestOver(p.gemmnet[model]);
    const onnx = p.onnx ? bestOver(p.onnx[model]) : null;
    let torch = null;
    if (res.torch) {
      torch = {};
      for (const b of BATCHES) {
        for (const c of res.torch.combos) {
          const r = c.predict && c.predict[model] && c.predict[model][b];
          if (r != null && (!torch[b] || r > torch[b].rate)) torch[b] = { rate: r, threads: `${c.threads}/${c.blasThreads}` };
        }
      }
    }
    for (const b of BATCHES) {
      const o = ours[b];
      const t = torch && torch[b];
      const x = onnx && onnx[b];
      rows.push([model.toUpperCase(), String(b), o ? `${f1(o.rate)}${thr(o)}` : '–', t ? `${f1(t.rate)}${thr(t)}` : '–',
        t ? `${f2(o.rate / t.rate)}×` : '–', x ? `${f1(x.rate)}${thr(x)}` : '–', x ? `${f2(o.rate / x.rate)}×` : '–']);
    }
  }
  let text = table(['model', 'batch', 'gemmnet images/s (threads)', 'PyTorch images/s (torch/OpenBLAS threads)', 'gemmnet / PyTorch',
    'onnxruntime-node images/s (intra-op threads)', 'gemmnet / onnxruntime'], rows);
  if (p.onnxSkipped) text += `\n\nonnxruntime-node: ${p.onnxSkipped}.`;
  if (p.onnx) {
    text += `\n\nonnxruntime-node's output against predict()'s on 32 images, largest difference: MLP ${p.onnx.mlp.maxAbsDiff.toExponential(1)}, ` +
      `CNN ${p.onnx.cnn.maxAbsDiff.toExponential(1)}.`;
  }
  return text;
}

function goalsTable(list) {
  const rows = list.map((g) => [g.goal, g.met == null ? 'not measured' : g.met ? '**met**' : '**not met**', g.how || '']);
  return table(['goal', 'status', 'numbers (this run)'], rows);
}

function markdown(res) {
  const out = [];
  const m = res.machine;
  out.push(`# gemmnet benchmark, ${res.date}`);
  out.push('');
  const gi = res.gemmnet;
  const pool = gi.blasThreads != null ? `, ${gi.threads} pool threads with OpenBLAS at ${gi.blasThreads} inside` : `, ${gi.threads} threads`;
  out.push(`${m.cpu}, ${m.cores} cores; Node ${m.node}; gemmnet ${gi.sourceHash}: ${gi.blasConfig || ''} (core ${gi.blasCore}, ` +
    `SIMD ${gi.simd}${pool}); NumPy ${res.numpyBlas ? `${res.numpyBlas.config} (core ${res.numpyBlas.core})` : 'not run'}; ` +
    `PyTorch ${res.torchVersion || 'not run'}. Data: ${res.data}. Load average at the start: ${m.loadavg}.`);
  if (res.goals && res.goals.length) {
    out.push('');
    out.push('## Goals (ratios measured in this run)');
    out.push('');
    out.push(goalsTable(res.goals));
    if (res.backgroundCores != null && res.backgroundCores >= 0.25) {
      out.push('');
      out.push(`Measured while other processes kept ${f2(res.backgroundCores)} of ${m.cores} cores busy on average: ` +
        'the ceiling and 2-thread runs suffer most, so these ratios are not what a quiet machine gives (see the notes).');
    }
  }
  out.push('');
  out.push('## BLAS kernels in use');
  out.push('');
  out.push(kernelsTable(res));
  const agree = agreementText(res.agreement);
  if (agree) {
    out.push('');
    out.push('## gemmnet at its own kernels against the CI setting');
    out.push('');
    out.push(agree);
  }
  out.push('');
  out.push('"background cores": cores kept busy by processes other than the benchmark\'s own during that measurement ' +
    `(the machine has ${m.cores}); anything well above 0 makes the numbers slower and noisier than the hardware allows.`);
  const c = res.ceiling;
  out.push('');
  out.push(`## sgemm ceiling: gemmnet's native.gemm at its own kernels (${gi.blasCore}), ${c.size}³, best of ${c.reps}`);
  out.push('');
  out.push(table(['threads', 'GFLOP/s', 'at the start', 'at the end', 'background cores (of the better)'],
    Object.entries(c.threads).sort((a, b) => b[0] - a[0]).map(([t, r]) => [t, f1(r.gflops), f1(r.start), f1(r.end), bg(r.load)])));
  out.push('');
  out.push(`Ceiling used below: ${f1(c.best)} GFLOP/s (the best of the four); the breakdowns compare with the ceiling at ` +
    'their own thread count.');
  if (res.secondCore && res.secondCore.length) {
    out.push('');
    out.push('Second-core check, 1024³ sgemm, 2 threads over 1: ' +
      res.secondCore.map((p) => `${f2(p.speedup)}× ${p.when} (background cores ${bg(p.load)})`).join(', ') +
      '. Near 2 the second core was there; near 1 something else was taking it (another process, or, on a virtual ' +
      'machine, something outside it that /proc/stat does not show), and 2-thread numbers from that stretch are slow.');
  }
  for (const key of ['mlp', 'cnn', 'lenet']) {
    const sec = res[key];
    if (!sec) continue;
    out.push('');
    out.push(`## ${sec.title}`);
    out.push('');
    out.push(`${sec.description} ${f1(sec.gflopPerEpoch)} GFLOP per 8000-sample epoch (2·M·N·K of every matmul, as the NumPy scripts count).`);
    out.push('');
    out.push(epochTable(sec, c.best));
    if (sec.breakdown) {
      out.push('');
      out.push('### Where gemmnet\'s MLP epoch goes');
      out.push('');
      out.push(breakdownTable(sec.breakdown, sec.breakdownEpochs, c, sec.gflopPerEpoch));
    }
    if (sec.cnnBreakdown) {
      out.push('');
      out.push('### Where gemmnet\'s CNN epoch goes');
      out.push('');
      out.push(cnnBreakdownTable(sec.cnnBreakdown, sec.gemmnet && sec.gemmnet.bestPer8000, c, sec.gflopPerEpoch));
    }
  }
  if (res.predict) {
    out.push('');
    out.push('## predict() throughput');
    out.push('');
    out.push('Untrained models (the speed does not depend on the weights); softmax probabilities out; best of 1 and 2 threads ' +
      'for gemmnet and onnxruntime-node, of the four torch/OpenBLAS thread combinations for PyTorch (under torch.inference_mode()).');
    out.push('');
    out.push(predictTable(res));
  }
  if (res.stall && res.stall.rows) {
    const st = res.stall;
    out.push('');
    out.push('## The main thread while the CNN trains (stall.js --quick)');
    out.push('');
    out.push(`Gaps between the ticks of a 1 ms timer on the main thread while gemmnet.cnn() trains ${st.epochs} epochs of ` +
      `${st.batches} batches of ${st.batchSize} (Adam), in a worker (train(..., { worker: true })) and in-thread, and with ` +
      'nothing training for as long (the floor: how late this machine wakes an idle main thread for its timer); ' +
      `${st.rounds} round(s); p50/p99/max over the training phase; \`npm run bench:stall\` for three full rounds.`);
    out.push('');
    out.push(...stallTable(st.rows));
  }
  if (res.contention) {
    out.push('');
    out.push('## Contention: the MLP epoch with one busy process competing for a core');
    out.push('');
    out.push(`${res.contention.description}`);
    out.push('');
    out.push(contentionTable(res.contention));
    if (res.contention.spin) {
      out.push('');
      out.push('### BLAS worker threads between calls');
      out.push('');
      out.push(spinTable(res.contention.spin));
    }
  }
  if (res.notes.length) {
    out.push('');
    out.push('## Notes');
    out.push('');
    for (const n of res.notes) out.push(`- ${n}`);
  }
  return out.join('\n') + '\n';
}

module.exports = { markdown, median, spread };
