// The speed goals, as ratios measured in one run (not timed tests): each met or not, with its numbers.
'use strict';

const BATCHES = [1000, 1];

function goals(res) {
  const out = [];
  const ceiling = res.ceiling && res.ceiling.best;
  const add = (goal, value, target, how, missing) => out.push(value == null || !Number.isFinite(value)
    ? { goal, met: null, how: missing }
    : { goal, met: value >= target, value, target, how });
  for (const [key, share, faster] of [['mlp', 0.75, 1.4], ['cnn', 0.4, 6]]) {
    const sec = res[key];
    if (!sec) continue;
    const name = key.toUpperCase();
    const ours = sec.gemmnet && !sec.gemmnet.error ? sec.gemmnet.bestPer8000 : null;
    const gflops = ours ? sec.gflopPerEpoch / ours : null;
    add(`${name} epoch ≥ ${share * 100}% of the sgemm ceiling`, gflops / ceiling, share,
      ours && `${gflops.toFixed(1)} GFLOP/s over ${ceiling.toFixed(1)} = ${(100 * gflops / ceiling).toFixed(1)}%`,
      `not measured (gemmnet's ${name} epoch is missing)`);
    const best = res.torch && res.torch.best[key];
    const theirs = best ? best[key].bestPer8000 : null;
    add(`${name} epoch ≥ ${faster}× faster than PyTorch`, ours && theirs ? theirs / ours : null, faster,
      ours && theirs && `PyTorch ${theirs.toFixed(3)} s (torch ${best.threads} / OpenBLAS ${best.blasThreads} threads) over gemmnet ${ours.toFixed(3)} s = ${(theirs / ours).toFixed(2)}×`,
      `not measured (${!ours ? `gemmnet's ${name} epoch is missing` : res.skipped && res.skipped.torch ? `PyTorch: ${res.skipped.torch}` : `PyTorch's ${name} epoch is missing`})`);
  }
  const a = res.agreement;
  if (a) {
    out.push(a.error ? { goal: 'gemmnet at its own kernels agrees with the CI setting', met: null, how: `not measured (${a.error})` }
      : { goal: 'gemmnet at its own kernels agrees with the CI setting', met: a.ok && a.ownCore !== a.ciCore,
        how: `${a.ownCore} against ${a.ciCore}: losses within ${Math.max(...a.parts.map((q) => q.lossRel)).toExponential(1)}, ` +
          `weights within ${Math.max(...a.parts.map((q) => q.relL2)).toExponential(1)} (tolerance ${a.tolerance})` +
          (a.ownCore === a.ciCore ? '; the same kernel in both runs, so nothing was compared' : '') });
  }
  const p = res.predict;
  if (p) {
    const { bestOver } = require('./predict');
    for (const model of ['mlp', 'cnn']) {
      const ours = bestOver(p.gemmnet[model]);
      const theirs = p.onnx ? bestOver(p.onnx[model]) : null;
      for (const b of BATCHES) {
        const o = ours[b];
        const t = theirs && theirs[b];
        add(`${model.toUpperCase()} predict() faster than onnxruntime-node at batch ${b}`, o && t ? o.rate / t.rate : null, 1.0000001,
          o && t && `${o.rate.toFixed(0)} images/s (${o.threads} thread${o.threads > 1 ? 's' : ''}) against ${t.rate.toFixed(0)} (${t.threads}) = ${(o.rate / t.rate).toFixed(2)}×`,
          `not measured (${p.onnxSkipped || 'onnxruntime-node did not run'})`);
      }
    }
  }
  return out;
}

module.exports = { goals };
