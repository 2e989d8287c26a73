'use strict';
// The hostile pass: several hundred hostile cases over the API, files, saves, the command line and
// training in a worker (test/8-robustness/hostile/), each in a process of its own with a time limit
// and a memory cap, two at a time. A case passes when its process ends by itself, in time and within
// memory, and either returns a result its check verifies or throws a TypeError, RangeError or Error
// whose message names what was wrong (the CLI: exits 1 or 2 with one line and the pointer to help).
// Never a crash signal, a hang, an internal error leaking out, or bad input silently accepted.
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { allCases } = require('./hostile/cases');
const { makeContext, ROOT } = require('./hostile/context');

const RUNNER = path.join(__dirname, 'hostile', 'runner.js');
const CLI = path.join(ROOT, 'lib', 'cli.js');
const TIME_LIMIT_MS = 20000;
const HEAP_MB = 256;
/** Resident memory a case may reach before it is stopped and failed. */
const RSS_LIMIT = 1.5 * 2 ** 30;
const CONCURRENCY = 2;
const CLASSES = ['TypeError', 'RangeError', 'Error'];
/** Messages of the engine's own, reaching the user without saying which argument was wrong. */
const INTERNAL = /^(Cannot read propert|Cannot set propert|\S+ is not a function|\S+ is not iterable|Invalid typed array length|Array buffer allocation failed|Maximum call stack|Invalid array length|Unexpected token|Unexpected end of JSON|Offset is outside|Start offset|offset is out of bounds|Cannot convert|Cannot mix BigInt|Do not know how to serialize)/;

function rssOf(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs one process; resolves with how it ended, its output, and whether it was stopped. */
function runProcess(args) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, ...args], {
      env: { ...process.env, CI: 'true', GEMMNET_DEBUG: '', GEMMNET_THREADS: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let stopped = null;
    let peak = 0;
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { if (stderr.length < 20000) stderr += d; });
    const watch = setInterval(() => {
      peak = Math.max(peak, rssOf(child.pid));
      if (peak > RSS_LIMIT && !stopped) { stopped = `memory (RSS ${(peak / 2 ** 20).toFixed(0)} MiB)`; child.kill('SIGKILL'); }
    }, 50);
    const timer = setTimeout(() => { stopped = `timeout (${TIME_LIMIT_MS} ms)`; child.kill('SIGKILL'); }, TIME_LIMIT_MS);
    child.on('close', (code, signal) => {
      clearInterval(watch);
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, stopped, peak, ms: performance.now() - t0 });
    });
  });
}

const tail = (s) => s.trim().split('\n').slice(-4).join(' | ').slice(0, 600);

/** What is wrong with how an API case ended, or null. */
function judgeApi(c, r) {
  if (r.stopped) return r.stopped;
  if (r.signal) return `killed by ${r.signal}: ${tail(r.stderr)}`;
  const line = r.stdout.split('\n').filter((l) => l.startsWith('@@RESULT ')).pop();
  if (!line) return `exited (code ${r.code}) without a result: ${tail(r.stderr)}`;
  const out = JSON.parse(line.slice('@@RESULT '.length));
  if (out.status === 'returned') {
    if (c.expect === 'refuse') return 'accepted what it should refuse';
    return out.verdict === true ? null : `returned a wrong result: ${out.verdict}`;
  }
  const what = `${out.ctor}: ${out.message}`;
  if (/^setup: /.test(out.message)) return { skipped: out.message };
  if (c.expect === 'ok') return `threw ${what}`;
  if (!out.isError || !CLASSES.includes(out.ctor)) return `threw a ${out.ctor} (not TypeError, RangeError or Error): ${out.message}`;
  if (!out.message.trim()) return `threw ${out.ctor} with no message`;
  if (INTERNAL.test(out.message)) return `an internal error leaked out: ${what}`;
  if (c.names && !c.names.test(out.message)) return `the message does not name ${c.names}: ${what}`;
  return null;
}

/** What is wrong with how a CLI case ended, or null. */
function judgeCli(c, r, ctx) {
  if (r.stopped) return r.stopped;
  if (r.signal) return `killed by ${r.signal}: ${tail(r.stderr)}`;
  if (r.code !== c.exit) return `exit code ${r.code}, expected ${c.exit}: ${tail(r.stderr)}`;
  if (c.exit === 0) {
    let verdict;
    try {
      verdict = c.check ? c.check(ctx, r) : true;
    } catch (e) {
      verdict = `its check threw: ${e.message}`;
    }
    return verdict === true ? null : `wrong result: ${verdict}`;
  }
  const lines = r.stderr.trimEnd().split('\n');
  if (lines.length !== (c.exit === 2 ? 2 : 1)) return `${lines.length} lines on stderr: ${tail(r.stderr)}`;
  if (/\n\s+at .*:\d+:\d+/.test(r.stderr)) return 'a stack trace was printed';
  if (!c.stderr.test(lines[0])) return `the message does not match ${c.stderr}: ${lines[0]}`;
  if (INTERNAL.test(lines[0].replace(/^gemmnet: /, ''))) return `an internal error leaked out: ${lines[0]}`;
  return null;
}

describe('hostile pass: each case in its own bounded process', function () {
  this.timeout(600000);
  const cases = allCases();
  const results = new Map();
  let root;
  let seconds = 0;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gemmnet-hostile-'));
    const t0 = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const i = next++;
        const c = cases[i];
        const tmp = path.join(root, `case-${i}`);
        fs.mkdirSync(tmp);
        let r;
        let problem;
        if (c.group === 'cli') {
          const ctx = makeContext(tmp);
          if (c.needsData && !fs.existsSync(ctx.NOTMNIST)) {
            results.set(i, { skipped: 'no notMNIST sample beside the checkout' });
            continue;
          }
          try {
            if (c.setup) c.setup(ctx);
            r = await runProcess([CLI, ...c.cli(ctx)]);
            problem = judgeCli(c, r, ctx);
          } catch (e) {
            problem = /^setup: /.test(e.message) ? { skipped: e.message } : `could not set up: ${e.message}`;
          }
        } else {
          r = await runProcess([RUNNER, String(i), tmp]);
          problem = judgeApi(c, r);
        }
        if (problem && problem.skipped) results.set(i, { skipped: problem.skipped, ms: r ? r.ms : 0 });
        else results.set(i, { problem, ms: r ? r.ms : 0, peak: r ? r.peak : 0 });
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    seconds = (performance.now() - t0) / 1000;
  });
  after(() => { if (root) fs.rmSync(root, { recursive: true, force: true }); });

  it('has at least 300 distinct cases over the API, files, saves, the CLI and workers', () => {
    const names = new Set(cases.map((c) => `${c.group}: ${c.name}`));
    assert.strictEqual(names.size, cases.length, 'two cases share a name');
    const groups = {};
    for (const c of cases) groups[c.group] = (groups[c.group] || 0) + 1;
    console.log(`      ${cases.length} cases in ${seconds.toFixed(1)} s (${Object.entries(groups).map(([g, n]) => `${g} ${n}`).join(', ')})`);
    const slow = [...results.entries()].filter(([, r]) => r.ms).sort((a, b) => b[1].ms - a[1].ms).slice(0, 3);
    const busy = {};
    for (const [i, r] of results) busy[cases[i].group] = (busy[cases[i].group] || 0) + (r.ms || 0) / 1000;
    console.log(`      process seconds by group: ${Object.entries(busy).map(([g, t]) => `${g} ${t.toFixed(1)}`).join(', ')}`);
    const skipped = [...results.entries()].filter(([, r]) => r.skipped);
    if (skipped.length) console.log(`      skipped here: ${skipped.map(([i, r]) => `${cases[i].name} (${r.skipped})`).join('; ')}`);
    console.log(`      slowest: ${slow.map(([i, r]) => `${cases[i].name} ${(r.ms / 1000).toFixed(1)} s`).join('; ')}`);
    assert.ok(cases.length >= 300, `${cases.length} cases`);
    for (const g of ['api', 'files', 'saves', 'cli', 'worker']) assert.ok(groups[g] >= 10, `${g}: ${groups[g]} cases`);
  });

  for (const group of ['api', 'files', 'saves', 'cli', 'worker']) {
    it(`${group}: no crash, hang, leaked internal error or silently accepted bad input`, () => {
      const failures = [];
      cases.forEach((c, i) => {
        if (c.group !== group) return;
        const r = results.get(i);
        if (r && r.problem && !c.outside) failures.push(`  #${i} ${c.name}: ${r.problem}`);
      });
      assert.deepStrictEqual(failures, [], `${failures.length} case(s) failed:\n${failures.join('\n')}`);
    });
  }

  // Cases whose fix belongs to code outside the pass's reach are listed on every run, not hidden:
  // each still fails here until its fix lands, and then says so.
  it('lists the cases that fail because of a known problem elsewhere', () => {
    for (const [i, c] of cases.entries()) {
      if (!c.outside) continue;
      const r = results.get(i);
      console.log(r && r.problem ? `      KNOWN FAILURE #${i} ${c.name}: ${r.problem}\n        (${c.outside})`
        : `      #${i} ${c.name} now passes: its "outside" mark can go (${c.outside})`);
    }
  });
});
