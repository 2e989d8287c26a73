#!/usr/bin/env node
'use strict';
// Builds the native addon from source into build/Release, which the loader prefers over a prebuilt
// binary. Works in a clone and in an installed package (`cd node_modules/gemmnet && npm run
// build:source`): the build tools (cmake-js, node-addon-api) are fetched into build/tools when they
// are not installed, at the versions the package's own devDependencies name.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

function has(cmd, args = ['--version']) {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

function resolvable(name, paths) {
  try {
    return require.resolve(`${name}/package.json`, { paths });
  } catch {
    return null;
  }
}

const missing = [];
if (!has('cmake')) missing.push('cmake (Debian/Ubuntu: apt-get install cmake; macOS: brew install cmake)');
if (!has('c++') && !has('g++') && !has('clang++')) missing.push('a C++17 compiler (apt-get install g++)');
if (missing.length) {
  process.stderr.write(`gemmnet: cannot build from source; missing:\n  - ${missing.join('\n  - ')}\n` +
    'Install them and run this again.\n');
  process.exit(1);
}

const tools = path.join(root, 'build', 'tools');
const toolPaths = [root, path.join(tools, 'node_modules')];
const wanted = ['cmake-js', 'node-addon-api'].filter((name) => !resolvable(name, toolPaths));
if (wanted.length) {
  const specs = wanted.map((name) => `${name}@${pkg.devDependencies[name]}`);
  process.stderr.write(`gemmnet: fetching the build tools ${specs.join(', ')} into ${tools}\n`);
  fs.mkdirSync(tools, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--prefix', tools, '--no-save', '--no-package-lock', '--no-audit', '--no-fund',
    '--loglevel=error', ...specs], { stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('gemmnet: npm could not fetch the build tools; see the messages above.\n');
    process.exit(1);
  }
}

const cmakeJs = path.join(path.dirname(resolvable('cmake-js', toolPaths)), 'bin', 'cmake-js');
// CMakeLists.txt asks node for node-addon-api's include folder: NODE_PATH lets it find the fetched one.
const env = { ...process.env, NODE_PATH: [path.join(tools, 'node_modules'), process.env.NODE_PATH].filter(Boolean).join(path.delimiter) };
const build = spawnSync(process.execPath, [cmakeJs, 'compile', '--log-level', 'warn'], { cwd: root, stdio: 'inherit', env });
if (build.status !== 0) {
  process.stderr.write('gemmnet: the build from source failed; see the messages above (OpenBLAS missing? ' +
    'Debian/Ubuntu: apt-get install libopenblas-dev).\n');
  process.exit(1);
}
const check = spawnSync(process.execPath, ['-e', 'console.log(JSON.stringify(require(process.argv[1]).buildInfo()))', path.join(root, 'lib', 'index.js')],
  { encoding: 'utf8' });
if (check.status !== 0) {
  process.stderr.write(`gemmnet: built, but the addon does not load:\n${check.stderr}`);
  process.exit(1);
}
process.stdout.write(`gemmnet: built ${path.join(root, 'build', 'Release', 'gemmnet.node')}: ${check.stdout}`);
