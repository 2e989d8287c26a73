'use strict';
const assert = require('assert');
// Small numeric helpers shared by the tests.

/** Deterministic uniform values in [-1, 1) (a tiny LCG: reproducible, independent of the package). */
function rand(n, seed = 1) {
  const out = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Largest |a - b| / max(|b|, floor) over the elements (floor keeps near-zero entries meaningful). */
function maxRelErr(a, b, floor = 1e-3) {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor);
    if (!(e <= worst)) worst = e; // also catches NaN
  }
  return worst;
}

/** Relative error of whole tensors: ||a - b|| / ||b||. */
function relNormErr(a, b) {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
}

/**
 * Runs work() while a 1 ms timer watches the event loop; resolves with the gaps between its ticks
 * (ms), longest first.
 */
async function stallGaps(work) {
  const gaps = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    gaps.push(now - last);
    last = now;
  }, 1);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  gaps.push(performance.now() - last);
  return gaps.sort((a, b) => b - a);
}

/**
 * Asserts that work() lets the event loop run: every gap between a 1 ms timer's ticks shorter than
 * `bound` ms but one, and that one shorter than 4 bound. A virtual machine can leave a process
 * without its core for tens of milliseconds now and then (an idle Node process here has seen
 * 10 ms), whereas training that holds the loop (a batch, an epoch or an evaluation pass without
 * yielding) does so over and over, or in one gap far longer. Logs the two longest gaps.
 */
async function assertResponsive(work, bound = 50) {
  const [first, second = 0] = await stallGaps(work);
  console.log(`      longest event-loop stalls: ${first.toFixed(1)} and ${second.toFixed(1)} ms`);
  assert.ok(first < 4 * bound, `the event loop stalled for ${first.toFixed(1)} ms`);
  assert.ok(second < bound, `the event loop stalled twice for ${bound} ms or more: ${first.toFixed(1)} and ${second.toFixed(1)} ms`);
}

/** Checks that an error is exactly of class Cls (not a subclass) with a message matching re. */
function errorLike(Cls, re) {
  return (e) => {
    assert.strictEqual(e.constructor, Cls, `expected ${Cls.name}, got ${e.constructor.name}: ${e.message}`);
    assert.match(e.message, re);
    return true;
  };
}

/** Asserts fn throws exactly Cls with a message matching re. */
function throwsLike(fn, Cls, re) {
  assert.throws(fn, errorLike(Cls, re));
}

/** Asserts the promise rejects with exactly Cls and a message matching re. */
async function rejectsLike(promise, Cls, re) {
  await assert.rejects(promise, errorLike(Cls, re));
}

module.exports = { rand, maxRelErr, relNormErr, assertResponsive, throwsLike, rejectsLike };
