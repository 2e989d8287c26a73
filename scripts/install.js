#!/usr/bin/env node
'use strict';
// npm's install step. The package loads its prebuilt binary at require time, so nothing needs to
// happen here when that binary works on this machine (pnpm and npm may skip this script anyway).
// Otherwise it builds from source with cmake-js, or says exactly what is missing.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.resolve(__dirname, '..');

function loads() {
  const r = spawnSync(process.execPath, ['-e', "require('node-gyp-build')(process.argv[1]).buildInfo()", root], {
    encoding: 'utf8',
  });
  // The loader's own message (what it looked for and where), without the stack trace.
  const lines = (r.stderr || '').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('at ') && !/^Node\.js v/.test(l));
  return { ok: r.status === 0, error: lines.filter((l) => !/^\S+:\d+$|^\^+$|^throw /.test(l)).slice(0, 4).join('\n  ') };
}

function has(cmd, args = ['--version']) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0;
}

const first = loads();
if (first.ok) process.exit(0);

const missing = [];
if (!has('cmake')) missing.push('cmake (Debian/Ubuntu: apt-get install cmake)');
if (!has('c++') && !has('g++') && !has('clang++')) missing.push('a C++17 compiler (apt-get install g++)');
const blas = ['/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.a', '/usr/lib/x86_64-linux-gnu/libopenblas.a',
  '/usr/lib64/libopenblas.a', '/usr/lib/libopenblas.a'];
if (!blas.some((f) => fs.existsSync(f))) missing.push("OpenBLAS's static library (apt-get install libopenblas-dev)");
let cmakeJs = null;
try {
  cmakeJs = require.resolve('cmake-js/bin/cmake-js', { paths: [root] });
  require.resolve('node-addon-api', { paths: [root] });
} catch {
  missing.push('the build tools cmake-js and node-addon-api (npm install cmake-js node-addon-api)');
}

process.stderr.write(`gemmnet: no prebuilt binary loads on ${process.platform}-${process.arch} ` +
  `(Node ${process.version}):\n  ${first.error || 'no binary found'}\n`);
if (missing.length) {
  process.stderr.write(`gemmnet: cannot build from source; missing:\n  - ${missing.join('\n  - ')}\n` +
    'Install them, then run `npm rebuild gemmnet` (or `npm run build:native` in the package folder).\n');
  process.exit(1);
}
process.stderr.write('gemmnet: building from source with cmake-js...\n');
const build = spawnSync(process.execPath, [cmakeJs, 'compile'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0 || !loads().ok) {
  process.stderr.write('gemmnet: the build from source failed; see the messages above.\n');
  process.exit(1);
}
