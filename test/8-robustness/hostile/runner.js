'use strict';
// Runs one hostile case in this process: `node runner.js <index> <folder>`. Prints one line,
// `@@RESULT {...}`: what the case returned (and whether its check accepted it) or what it threw.
// A crash, a hang or an uncaught error leaves no such line, and the parent reports that.
const fs = require('fs');
const { allCases } = require('./cases');
const { makeContext } = require('./context');

const [index, tmp] = process.argv.slice(2);
const c = allCases()[Number(index)];
fs.mkdirSync(tmp, { recursive: true });
const ctx = makeContext(tmp);

function report(out) {
  process.stdout.write(`\n@@RESULT ${JSON.stringify(out)}\n`, () => process.exit(0));
}

(async () => {
  let value;
  try {
    value = await c.run(ctx);
  } catch (e) {
    report({
      status: 'threw', isError: e instanceof Error, ctor: e && e.constructor && e.constructor.name,
      message: String(e && e.message !== undefined ? e.message : e), code: e && e.code,
    });
    return;
  }
  let verdict = true;
  if (c.check) {
    try {
      verdict = await c.check(value, ctx);
    } catch (e) {
      verdict = `its check threw: ${e && e.message}`;
    }
  }
  report({ status: 'returned', verdict: verdict === true ? true : String(verdict === undefined ? 'check gave nothing' : verdict) });
})();
