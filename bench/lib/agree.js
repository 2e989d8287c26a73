// Do gemmnet's results at the kernels its OpenBLAS picks by itself match those at the CI setting
// (OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE as the build and CI machines set them) within float
// rounding? The same short deterministic training run (lib/gemmnet.js agree) in two child
// processes, one in each environment; their losses and final weights are compared.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { parseLast, firstError } = require('./child');
const { cleanEnv, ciSetting } = require('./env');

const TOLERANCE = 1e-3; // relative; sgemm kernels that sum in another order differ by ~1e-6 per call

function run(env, out) {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'gemmnet.js'), 'agree', '--out', out],
    { env, encoding: 'utf8', timeout: 300000 });
  if (r.error) return { error: r.error.message };
  if (r.status !== 0) return { error: r.signal ? `killed by ${r.signal}` : firstError(r.stderr) };
  const res = parseLast(r.stdout);
  const buf = fs.readFileSync(out);
  res.values = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  return res;
}

/** Relative L2 distance of two slices and the largest elementwise difference over the largest value. */
function distance(a, b) {
  let d2 = 0;
  let n2 = 0;
  let dmax = 0;
  let amax = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    d2 += d * d;
    n2 += a[i] * a[i];
    dmax = Math.max(dmax, Math.abs(d));
    amax = Math.max(amax, Math.abs(a[i]));
  }
  return { relL2: Math.sqrt(d2 / n2), relMax: dmax / amax };
}

function agreement() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gemmnet-bench-'));
  try {
    const ci = ciSetting();
    const own = run(cleanEnv(), path.join(dir, 'own.f32'));
    const set = run(cleanEnv(process.env, ci.env), path.join(dir, 'ci.f32'));
    if (own.error || set.error) return { error: own.error || set.error, ciEnv: ci.env };
    const parts = [];
    let o = 0;
    for (const model of ['mlp', 'cnn']) {
      const n = own.params[model];
      const lossRel = Math.max(...own.losses[model].map((l, i) => Math.abs(l - set.losses[model][i]) / Math.abs(l)));
      parts.push({ model, lossRel, ...distance(own.values.subarray(o, o + n), set.values.subarray(o, o + n)),
        losses: { own: own.losses[model], ci: set.losses[model] } });
      o += n;
    }
    const ok = parts.every((p) => p.lossRel <= TOLERANCE && p.relL2 <= TOLERANCE);
    return { ok, tolerance: TOLERANCE, ciEnv: ci.env, ciSource: ci.source, ownCore: own.blasCore, ciCore: set.blasCore,
      threads: own.threads, parts };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { agreement, TOLERANCE };

if (require.main === module) console.log(JSON.stringify(agreement(), null, 2));
