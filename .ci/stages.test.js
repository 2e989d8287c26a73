// The closing check of .ci/run, under Node's own test runner: every stage's log (CI_LOGS, one file
// per stage) shows mocha counting tests and none of them failing, and the sanitizer stage ends
// without a report.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');

const dir = process.env.CI_LOGS;
if (!dir) throw new Error('CI_LOGS must name the folder of the stage logs');
const logs = fs.readdirSync(dir).filter((f) => f.endsWith('.log')).sort();

/** What mocha counted in one log (a log can hold several mocha runs). */
function counts(text) {
  const sum = (word) => [...text.matchAll(new RegExp(`^\\s+(\\d+) ${word}\\b`, 'gm'))]
    .reduce((n, m) => n + Number(m[1]), 0);
  return { runs: [...text.matchAll(/^\s+\d+ passing\b/gm)].length, passing: sum('passing'), failing: sum('failing'), pending: sum('pending') };
}

test('there are stage logs to check', () => {
  assert.ok(logs.length >= 4, `expected the logs of at least four stages in ${dir}, found ${logs.join(', ') || 'none'}`);
});

for (const file of logs) {
  const text = fs.readFileSync(path.join(dir, file), 'utf8');
  const c = counts(text);
  test(`${path.basename(file, '.log')}: ${c.passing} passing, ${c.failing} failing, ${c.pending} pending in ${c.runs} mocha run(s)`, () => {
    assert.ok(c.runs > 0, `${file}: no mocha run finished`);
    assert.ok(c.passing > 0, `${file}: no test passed`);
    assert.strictEqual(c.failing, 0, `${file}: ${c.failing} test(s) failed`);
    if (file.startsWith('asan')) assert.match(text, /passed with no sanitizer reports/, `${file}: the sanitizer stage did not end clean`);
  });
}
