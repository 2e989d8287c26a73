#!/usr/bin/env node
'use strict';
// Hash of the native sources (binding/**, CMakeLists.txt): baked into the binary at build time and
// recomputed by the tests, so a prebuilt binary that no longer matches its sources is caught.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const root = path.resolve(__dirname, '..');

function listFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (/\.(c|cc|h)$/.test(entry.name)) out.push(full);
  }
  return out;
}

function sourceHash() {
  const files = [...listFiles(path.join(root, 'binding')), path.join(root, 'CMakeLists.txt')]
    .map((f) => path.relative(root, f).split(path.sep).join('/'))
    .sort();
  const h = crypto.createHash('sha256');
  for (const rel of files) {
    h.update(rel + '\0');
    h.update(fs.readFileSync(path.join(root, rel), 'utf8').replace(/\r\n/g, '\n'));
    h.update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

module.exports = { sourceHash };

if (require.main === module) {
  const i = process.argv.indexOf('--header');
  const hash = sourceHash();
  if (i < 0) {
    process.stdout.write(hash + '\n');
  } else {
    const out = process.argv[i + 1];
    const text = `#pragma once\n#define GEMMNET_SOURCE_HASH "${hash}"\n`;
    fs.mkdirSync(path.dirname(out), { recursive: true });
    if (!fs.existsSync(out) || fs.readFileSync(out, 'utf8') !== text) fs.writeFileSync(out, text);
  }
}
