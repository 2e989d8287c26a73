'use strict';
// The committed prebuilt binary: built from exactly these sources, self-contained, and loadable
// with nothing but Node (no install script, no compiler, no system BLAS).
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');
const { sourceHash } = require('../../scripts/source-hash');

const root = path.resolve(__dirname, '..', '..');
const dir = path.join(root, 'prebuilds', 'linux-x64');
const addon = path.join(dir, 'gemmnet.napi.glibc.node');
const blas = path.join(dir, 'libgemmnet_blas.so');

function childInfo(env, cwd = root) {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(require(".").buildInfo()))'], {
    cwd, env: { ...process.env, ...env }, encoding: 'utf8',
  });
  assert.strictEqual(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('prebuilt binary', () => {
  it('is committed for linux-x64 in node-gyp-build naming, beside its BLAS library', () => {
    assert.ok(fs.existsSync(addon), `${addon} is missing: run npm run prebuild`);
    assert.ok(fs.existsSync(blas), `${blas} is missing: run npm run prebuild`);
  });

  it('was built from the sources in this tree (a stale prebuild fails here: run npm run prebuild)', () => {
    const info = childInfo({ GEMMNET_NATIVE: addon });
    assert.strictEqual(info.sourceHash, sourceHash());
  });

  it('links no system BLAS or Fortran runtime, and exports only gemmnet symbols from its BLAS library', () => {
    const needed = (file) => execFileSync('readelf', ['-d', file], { encoding: 'utf8' })
      .split('\n').filter((l) => l.includes('(NEEDED)')).map((l) => l.match(/\[(.*)\]/)[1]);
    const addonNeeds = needed(addon);
    const blasNeeds = needed(blas);
    for (const lib of [...addonNeeds, ...blasNeeds]) assert.ok(!/openblas|libblas|gfortran|quadmath|libstdc\+\+/.test(lib), lib);
    assert.ok(addonNeeds.includes('libgemmnet_blas.so'));
    const ldd = execFileSync('ldd', [addon], { encoding: 'utf8' });
    assert.ok(!/not found|openblas\.so|libblas|gfortran/.test(ldd), ldd);
    const exported = execFileSync('nm', ['-D', '--defined-only', blas], { encoding: 'utf8' })
      .split('\n').filter(Boolean).map((l) => l.split(' ').pop());
    assert.ok(exported.length > 0 && exported.every((s) => s.startsWith('gn_') || s.startsWith('_')), exported.join(' '));
  });

  it('loads from prebuilds/ with no build directory and computes, at every SIMD level', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gemmnet-prebuild-'));
    try {
      for (const f of ['package.json', 'lib', 'prebuilds']) fs.cpSync(path.join(root, f), path.join(tmp, f), { recursive: true });
      fs.symlinkSync(path.join(root, 'node_modules'), path.join(tmp, 'node_modules'));
      const script = 'const g = require("."); const m = g.mlp({ hidden: 16, seed: 1 });' +
        'const p = m.predict(new Float32Array(784 * 2).fill(0.5)); const c = g.cnn({ filters: 2, fc: 8 });' +
        'const q = c.predict(new Float32Array(784).fill(0.5));' +
        'process.stdout.write(JSON.stringify({ info: g.buildInfo(), p: Array.from(p), q: Array.from(q) }))';
      const results = ['', 'avx2', 'scalar'].map((simd) => {
        const r = spawnSync(process.execPath, ['-e', script], { cwd: tmp, env: { ...process.env, GEMMNET_SIMD: simd }, encoding: 'utf8' });
        assert.strictEqual(r.status, 0, r.stderr);
        return JSON.parse(r.stdout);
      });
      for (const r of results) {
        assert.strictEqual(r.info.sourceHash, sourceHash());
        assert.ok(Math.abs(r.p.slice(0, 10).reduce((a, b) => a + b, 0) - 1) < 1e-5);
        assert.deepStrictEqual(r.p, results[0].p);
        assert.deepStrictEqual(r.q, results[0].q);
      }
      assert.strictEqual(results[2].info.simd, 'scalar');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
