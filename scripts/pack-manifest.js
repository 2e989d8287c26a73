#!/usr/bin/env node
'use strict';
// The packed package.json carries no `prepare` script. In a clone and in a git install, `prepare`
// compiles the TypeScript; in the tarball the JavaScript is already built, and npm 11 would report
// `prepare` to every user as an install script awaiting approval. `prepack` (strip) removes it from
// package.json for the packing and `postpack` (restore) puts the original file back, byte for byte.
const fs = require('fs');
const path = require('path');

const file = path.resolve(__dirname, '..', 'package.json');
const saved = `${file}.before-pack`;

function writeAtomic(target, text) {
  const tmp = `${target}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, target);
}

const mode = process.argv[2];
if (mode === 'strip') {
  const text = fs.existsSync(saved) ? fs.readFileSync(saved, 'utf8') : fs.readFileSync(file, 'utf8');
  if (!fs.existsSync(saved)) writeAtomic(saved, text);
  const pkg = JSON.parse(text);
  delete pkg.scripts.prepare;
  writeAtomic(file, JSON.stringify(pkg, null, 2) + '\n');
} else if (mode === 'restore') {
  if (fs.existsSync(saved)) {
    writeAtomic(file, fs.readFileSync(saved, 'utf8'));
    fs.unlinkSync(saved);
  }
} else {
  process.stderr.write('usage: pack-manifest.js strip|restore\n');
  process.exit(2);
}
