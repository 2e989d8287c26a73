'use strict';
// Indices in a SharedArrayBuffer that another thread rewrites while native code runs: labels,
// gather indices, pooling's argmax and the dims arrays are read once into memory of the addon's own
// and checked there, so a value that changes after the check can never be used as an index. Each
// case runs in a child process (a crash there is a failed test, not a dead mocha) with a time limit.
const assert = require('assert');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..', '..');

// Runs `body` in a child while a worker flips y[at] between `bad` and `good` as fast as it can.
// The body sees `g` (gemmnet), `native`, `y` (the shared Int32Array) and `N`; it runs its call in a
// loop for about `ms` milliseconds and the child prints "survived" if it is not killed.
function raced({ N, at, bad, good = 0, body, ms = 700, fill = 0 }) {
  const src = `
    const g = require(${JSON.stringify(ROOT)});
    const { native } = require(${JSON.stringify(path.join(ROOT, 'lib', 'native'))});
    const { Worker } = require('worker_threads');
    const N = ${N};
    const y = new Int32Array(new SharedArrayBuffer(4 * N)).fill(${fill});
    const w = new Worker(\`const y = new Int32Array(require('worker_threads').workerData);
      for (;;) { Atomics.store(y, ${at}, ${bad}); for (let i = 0; i < 3; i++) Atomics.store(y, ${at}, ${good}); }\`,
      { eval: true, workerData: y.buffer });
    const call = (${body});
    setTimeout(() => {
      const end = Date.now() + ${ms};
      let calls = 0, refused = 0;
      while (Date.now() < end) {
        try { call(); } catch (e) { if (!(e instanceof RangeError)) throw e; refused++; }
        calls++;
      }
      console.log('survived', calls, refused);
      process.exit(0);
    }, 100);`;
  const r = spawnSync(process.execPath, ['-e', src], { encoding: 'utf8', timeout: 60000 });
  assert.strictEqual(r.signal, null, `the child was killed by ${r.signal}\n${r.stderr}`);
  assert.strictEqual(r.status, 0, r.stderr);
  assert.match(r.stdout, /^survived \d+ \d+/);
  return r.stdout;
}

describe('races: indices rewritten by another thread during a native call', function () {
  this.timeout(120000);

  it('lossAndGradients with shared labels (the reported reproducer)', () => {
    raced({
      N: 200000, at: 199999, bad: 0x3fffffff,
      body: `(() => { const m = g.mlp({ inputs: 4, hidden: 8 }), x = new Float32Array(N * 4);
        return () => m.lossAndGradients(x, y); })()`,
    });
  });

  it('evaluate with shared labels', () => {
    raced({
      N: 4096, at: 4095, bad: 0x3fffffff, ms: 1500,
      body: `(() => { const m = g.mlp({ inputs: 4, hidden: 8 }), x = new Float32Array(N * 4);
        return () => m.evaluate(x, y, 4096); })()`,
    });
  });

  it('gradCE with shared labels', () => {
    raced({
      N: 200000, at: 199999, bad: 0x3fffffff,
      body: `(() => { const p = { data: new Float32Array(N * 3).fill(1 / 3), shape: [N, 3] };
        return () => g.gradCE(y, p); })()`,
    });
  });

  it('softmaxCEForward / softmaxCEBackward called directly', () => {
    raced({
      N: 100000, at: 99999, bad: 0x3fffffff,
      body: `(() => { const z = new Float32Array(N * 2), p = new Float32Array(N * 2);
        return () => { native.softmaxCEForward(z, y, p, N, 2); native.softmaxCEBackward(p, y, z, N, 2, 1); }; })()`,
    });
  });

  it('maxPoolBackward with a shared argmax', () => {
    raced({
      N: 100000, at: 99999, bad: 0x3fffffff,
      body: `(() => { const dy = new Float32Array(N), dx = new Float32Array(N);
        return () => native.maxPoolBackward(dy, y, dx); })()`,
    });
  });

  it('maxPoolBackwardWindows with a shared argmax', () => {
    // One pixel of N channels, 1x1 windows: output c's argmax must be c; the last one flips to a huge
    // value and back.
    raced({
      N: 100000, at: 99999, bad: 0x3fffffff, good: 99999,
      body: `(() => { for (let i = 0; i < N - 1; i++) y[i] = i;
        const dy = new Float32Array(N).fill(1), dx = new Float32Array(N), dims = Int32Array.from([1, 1, 1, N, 1, 1, 1, 1, 1, 1]);
        return () => native.maxPoolBackwardWindows(dy, y, dx, dims); })()`,
    });
  });

  it('gatherRows with shared indices', () => {
    raced({
      N: 100000, at: 99999, bad: 0x3fffffff,
      body: `(() => { const src = new Float32Array(N * 4), dst = new Float32Array(N * 4);
        return () => native.gatherRows(src, y, dst, 4); })()`,
    });
  });

  it('maxPoolForward with shared dims', () => {
    // dims = [N,H,W,C,PH,PW,SH,SW,OH,OW]; N flips between 1 and 1e9 after the size checks.
    raced({
      N: 10, at: 0, bad: 1e9, good: 1, fill: 1,
      body: `(() => { y.set([1, 64, 64, 4, 2, 2, 2, 2, 32, 32]);
        const x = new Float32Array(64 * 64 * 4), out = new Float32Array(32 * 32 * 4), am = new Int32Array(32 * 32 * 4);
        return () => native.maxPoolForward(x, out, am, y); })()`,
    });
  });

  it('conv2dForward with shared dims', () => {
    // dims = [N,H,W,C,KH,KW,F,strideH,strideW,padTop,padLeft,OH,OW]; N flips between 1 and 1e6.
    raced({
      N: 13, at: 0, bad: 1e6, good: 1, fill: 1,
      body: `(() => { y.set([1, 32, 32, 2, 3, 3, 4, 1, 1, 0, 0, 30, 30]);
        const x = new Float32Array(32 * 32 * 2), W = new Float32Array(3 * 3 * 2 * 4), out = new Float32Array(30 * 30 * 4);
        const col = new Float32Array(30 * 30 * 3 * 3 * 2);
        return () => native.conv2dForward(x, W, null, out, col, y, false); })()`,
    });
  });
});
