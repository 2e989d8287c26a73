// The contention part of run.js, and the idle-spin probes of BLAS worker threads.
'use strict';
const g = require('./gemmnet');
const { withBusy } = require('./load');
const { numpyContention, numpyIdleSpin } = require('./numpy');
const { gemmnetChild, spinChild } = require('./child');

// The MLP epoch quiet and with one busy process (not pinned). Quiet and contended measurements
// alternate, round by round, so that a change in the machine's other load touches both alike.
// gemmnet at 2 and 1 threads (one model each, an epoch per round); NumPy f32 at 2 threads, also with
// OPENBLAS_THREAD_TIMEOUT=4 so that its idle OpenBLAS workers sleep at once instead of polling, and
// at 1 thread.
async function contentionSection(res, { opts, quiet, say, plural }) {
  const rounds = opts.reps.contention;
  const rows = [];
  const merge = (parts) => {
    const errors = parts.filter((p) => p.error);
    if (errors.length) return { error: errors[0].error };
    const seconds = parts.flatMap((p) => p.seconds);
    const wall = parts.reduce((a, p) => a + (p.load ? p.load.seconds : 0), 0);
    const avg = (key) => parts.reduce((a, p) => a + (p.load && p.load[key] != null ? p.load[key] * p.load.seconds : 0), 0) / wall;
    return { seconds, cpuSeconds: parts.flatMap((p) => p.cpuSeconds || []), load: { seconds: wall, otherCores: avg('otherCores'), busyCores: avg('busyCores'), ownCores: avg('ownCores') } };
  };
  const alternate = async (name, run, note) => {
    const q = [];
    const k = [];
    for (let i = 0; i < rounds; i++) {
      say(`contention: ${name}, round ${i + 1} of ${rounds}`);
      q.push(await run(null));
      k.push(await withBusy((busy) => run(busy)));
    }
    const quietRuns = merge(q);
    const busyRuns = merge(k);
    const err = quietRuns.error || busyRuns.error;
    rows.push(err ? { name, error: err } : { name, quiet: quietRuns, contended: busyRuns, note });
  };
  quiet();
  for (const threads of [2, 1]) {
    const session = g.mlpSession();
    await alternate(`gemmnet, ${plural(threads, 'thread')}`, (busy) => session.epoch({ threads, busy }));
  }
  // Where gemmnet leaves the threading to OpenBLAS, see what its idle workers' polling costs.
  if (res.gemmnet.blasThreads !== 1) {
    await alternate('gemmnet, 2 threads, OPENBLAS_THREAD_TIMEOUT=4',
      (busy) => gemmnetChild('mlp', { epochs: 1, threads: 2, busy, env: { OPENBLAS_THREAD_TIMEOUT: '4' } }),
      'separate processes; idle OpenBLAS workers sleep after 2^4 cycles instead of polling for work');
  }
  if (!opts.skipNumpy && !res.skipped.numpy) {
    // One process each, alternating quiet and contended epochs itself (numpy_mlp.py --alternate-busy).
    const numpy = (name, threads, env, note) => {
      quiet();
      say(`contention: ${name}`);
      const r = numpyContention({ threads, rounds, env });
      rows.push(r.error ? { name, error: r.error } : { name, quiet: r.quiet, contended: r.contended, note });
    };
    numpy('NumPy f32, 2 threads', 2, {});
    numpy('NumPy f32, 2 threads, OPENBLAS_THREAD_TIMEOUT=4', 2, { OPENBLAS_THREAD_TIMEOUT: '4' },
      'idle OpenBLAS workers sleep after 2^4 cycles instead of polling for work');
    numpy('NumPy f32, 1 thread', 1, {});
  }
  say('idle spin of BLAS workers');
  // Each probe in a fresh process, so that no earlier work (BLAS workers, garbage collection) shows.
  const probe = (threads, env = {}) => {
    quiet();
    return spinChild(threads, env);
  };
  const spin = [
    { name: 'gemmnet, 2 threads', samples: probe(2) },
    { name: 'gemmnet, 2 threads, OPENBLAS_THREAD_TIMEOUT=4', samples: probe(2, { OPENBLAS_THREAD_TIMEOUT: '4' }) },
    { name: 'gemmnet, 1 thread', samples: probe(1) },
  ];
  if (!opts.skipNumpy && !res.skipped.numpy) {
    spin.push({ name: 'NumPy, 2 threads', samples: numpyIdleSpin({ threads: 2 }) });
    spin.push({ name: 'NumPy, 2 threads, OPENBLAS_THREAD_TIMEOUT=4', samples: numpyIdleSpin({ threads: 2, env: { OPENBLAS_THREAD_TIMEOUT: '4' } }) });
  }
  return {
    description: `${rounds} rounds, each one quiet epoch and one contended epoch (quiet and contended alternate, so that ` +
      'a change in the machine\'s other load touches both alike); "contended" runs with one `node -e "for(;;){}"` ' +
      'process started just before, on whichever core the scheduler gives it. Ratios compare medians; spread is the ' +
      'slowest epoch over the fastest. CPU / wall is the process\'s CPU time (all threads) over the epoch\'s wall time.',
    rows,
    spin,
  };
}

module.exports = { contentionSection };
