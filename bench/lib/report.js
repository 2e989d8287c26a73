// Renders the results of run.js as Markdown tables.
'use strict';

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

/** One epoch table (MLP or CNN): gemmnet, NumPy f64 and f32, tfjs-cpu and tfjs-wasm. */
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

function breakdownTable(b, epochSeconds) {
  const names = b[0].steps.map((s) => s.name);
  const rows = names.map((name, i) => [name, ...b.map((x) => s3(x.steps[i].seconds))]);
  const sum = (x) => x.steps.reduce((a, s) => a + s.seconds, 0);
  rows.push(['**sum of the steps timed apart**', ...b.map((x) => s3(sum(x)))]);
  rows.push(['**the batch\'s native calls back to back**', ...b.map((x) => s3(x.nativeBatchSeconds))]);
  rows.push(['**train() epoch, as measured above**', ...b.map((x) => s3(epochSeconds[x.threads]))]);
  const gemm = (x) => x.gemms.reduce((a, g) => a + g.seconds, 0);
  rows.push(['the five bare sgemm calls NumPy counts', ...b.map((x) => s3(gemm(x)))]);
  for (let i = 0; i < b[0].gemms.length; i++) {
    rows.push([`  sgemm ${b[0].gemms[i].name.replace(/\s+/g, ' ')} (GFLOP/s)`, ...b.map((x) => `${s3(x.gemms[i].seconds)} (${f1(x.gemms[i].gflops)})`)]);
  }
  return table(['seconds per epoch (80 batches)', ...b.map((x) => `${x.threads} thread${x.threads > 1 ? 's' : ''}`)], rows);
}

function cnnBreakdownTable(b, epochSeconds) {
  const rows = b.steps.map((st) => [st.name, s3(st.seconds)]);
  rows.push(['**sum of the steps timed apart**', s3(b.steps.reduce((a, st) => a + st.seconds, 0))]);
  rows.push(['**whole batches, as train() runs them (minus its JavaScript)**', s3(b.batchSeconds)]);
  if (epochSeconds != null) rows.push(['**train() epoch, as measured above**', s3(epochSeconds)]);
  return table(['seconds per 8000-sample epoch (250 batches)', `${b.threads} threads`], rows) +
    `\n\nMedians over ${b.batches} batches of 32 random images, times 250.`;
}

function markdown(res) {
  const out = [];
  const m = res.machine;
  out.push(`# gemmnet benchmark, ${res.date}`);
  out.push('');
  const gi = res.gemmnet;
  const pool = gi.blasThreads != null ? `, ${gi.threads} pool threads with OpenBLAS at ${gi.blasThreads} inside` : `, ${gi.threads} threads`;
  out.push(`${m.cpu}, ${m.cores} cores; Node ${m.node}; gemmnet ${gi.sourceHash}: ${gi.blasConfig || ''} (core ${gi.blasCore}, ` +
    `SIMD ${gi.simd}${pool}); NumPy ${res.numpyBlas ? `${res.numpyBlas.config} (core ${res.numpyBlas.core})` : 'not run'}. ` +
    `Data: ${res.data}. Load average at the start: ${m.loadavg}.`);
  out.push('');
  out.push('"background cores": cores kept busy by processes other than the benchmark\'s own during that measurement ' +
    `(the machine has ${m.cores}); anything well above 0 makes the numbers slower and noisier than the hardware allows.`);
  const c = res.ceiling;
  out.push('');
  out.push(`## sgemm ceiling (${c.size}³, best of ${c.reps})`);
  out.push('');
  out.push(table(['threads', 'GFLOP/s', 'background cores'],
    Object.entries(c.threads).sort((a, b) => b[0] - a[0]).map(([t, r]) => [t, f1(r.gflops), bg(r.load)])));
  out.push('');
  out.push(`Ceiling used below: ${f1(c.best)} GFLOP/s (the better of the two).`);
  if (res.secondCore && res.secondCore.length) {
    out.push('');
    out.push('Second-core check, 1024³ sgemm, 2 threads over 1: ' +
      res.secondCore.map((p) => `${f2(p.speedup)}× ${p.when} (background cores ${bg(p.load)})`).join(', ') +
      '. Near 2 the second core was there; near 1 something else was taking it (another process, or, on a virtual ' +
      'machine, something outside it that /proc/stat does not show), and 2-thread numbers from that stretch are slow.');
  }
  for (const key of ['mlp', 'cnn']) {
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
      out.push(breakdownTable(sec.breakdown, sec.breakdownEpochs));
    }
    if (sec.cnnBreakdown) {
      out.push('');
      out.push('### Where gemmnet\'s CNN epoch goes');
      out.push('');
      out.push(cnnBreakdownTable(sec.cnnBreakdown, sec.gemmnet && sec.gemmnet.bestPer8000));
    }
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
