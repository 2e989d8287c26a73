// The benchmark's environment. Build and CI machines set OPENBLAS_CORETYPE (and OPENBLAS_L2_SIZE) so
// that older OpenBLAS builds take their AVX2 (Haswell) kernels on CPUs whose AVX-512 they mishandle.
// With them every OpenBLAS in the process (gemmnet's, NumPy's, PyTorch's) runs those kernels, which
// on an AVX-512 machine is about half of what its sgemm does. The benchmark measures every party at
// the kernels its OpenBLAS picks by itself: run.js starts itself again without the two variables,
// so that everything it measures, in its own process and in its child processes, runs without them.
// The environment outside (the shell, tests, CI) is left as it is.
'use strict';

const CORE_OVERRIDES = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'];
// The values the build and CI machines use, for the agreement check when the benchmark is started
// without them.
const CI_DEFAULTS = { OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_L2_SIZE: '1048576' };
// Set by run.js in the process it starts: the variables it removed, as JSON.
const MARK = 'GEMMNET_BENCH_REMOVED';

/** A copy of `env` without the two variables, then `extra` (which may put them back). */
function cleanEnv(env = process.env, extra = {}) {
  const out = { ...env };
  for (const k of CORE_OVERRIDES) delete out[k];
  return Object.assign(out, extra);
}

/** The variables the outer process had (empty when none). */
function removed() {
  try {
    return JSON.parse(process.env[MARK] || '{}');
  } catch {
    return {};
  }
}

/** The CI setting: the outer process's values, else CI_DEFAULTS. */
function ciSetting() {
  const r = removed();
  const source = Object.keys(r).length ? 'the environment the benchmark was started in' : 'the CI machines\' values (defaults)';
  return { env: Object.keys(r).length ? r : { ...CI_DEFAULTS }, source };
}

/** True in the process run.js started without the variables. */
function isClean() {
  return MARK in process.env && CORE_OVERRIDES.every((k) => !(k in process.env));
}

/**
 * When the variables are (or may be) set, runs this script again without them and exits with its
 * status; returns only in the clean process.
 */
function reexecClean(script, argv) {
  if (isClean()) return;
  const { spawnSync } = require('child_process');
  const had = Object.fromEntries(CORE_OVERRIDES.filter((k) => k in process.env).map((k) => [k, process.env[k]]));
  const env = cleanEnv(process.env, { [MARK]: JSON.stringify(had) });
  const r = spawnSync(process.execPath, [...process.execArgv, script, ...argv], { env, stdio: 'inherit' });
  if (r.error) throw r.error;
  process.exit(r.status == null ? 1 : r.status);
}

module.exports = { CORE_OVERRIDES, CI_DEFAULTS, cleanEnv, removed, ciSetting, isClean, reexecClean };
