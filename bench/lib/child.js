// Child processes of the benchmark: lib/gemmnet.js run with another environment, or where a crash
// must not end the whole run.
'use strict';
const path = require('path');
const { spawnSync } = require('child_process');
const { phase } = require('./load');

/** The last JSON line of a child's output. */
function parseLast(stdout) {
  const line = (stdout || '').trim().split('\n').filter((l) => l.startsWith('{') || l.startsWith('[')).pop();
  return line ? JSON.parse(line) : { error: 'no output' };
}

/** Epochs timed by lib/gemmnet.js in a child process; { error } when it fails or crashes. */
function gemmnetChild(model, { epochs, threads, limit, busy = null, env = {} }) {
  const args = [path.join(__dirname, 'gemmnet.js'), model, '--epochs', String(epochs)];
  if (threads) args.push('--threads', String(threads));
  if (limit) args.push('--limit', String(limit));
  const stop = phase(busy);
  const r = spawnSync(process.execPath, args, { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 600000 });
  const load = stop();
  if (r.error) return { error: r.error.message };
  if (r.signal) return { error: `the process was killed by ${r.signal}` };
  if (r.status !== 0) return { error: firstError(r.stderr) };
  return { ...parseLast(r.stdout), load };
}

/** The line of a child's stderr that says what went wrong. */
function firstError(stderr) {
  const lines = (stderr || '').trim().split('\n');
  return lines.find((l) => /^\w*Error\b|Error:/.test(l)) || lines.pop() || 'no output';
}

/** Idle-spin probe (see gemmnet.js idleSpin) in a fresh process. */
function spinChild(threads, env = {}) {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'gemmnet.js'), 'spin', '--threads', String(threads)],
    { env: { ...process.env, ...env }, encoding: 'utf8' });
  return r.status === 0 ? parseLast(r.stdout) : { error: r.signal ? `killed by ${r.signal}` : firstError(r.stderr) };
}

module.exports = { parseLast, firstError, gemmnetChild, spinChild };
