// CPU accounting for the benchmark's phases, and the busy process of the contention runs.
//
// This machine may be shared, so each phase records how many cores were busy with work other than
// the benchmark's own (its process, the children it has waited for, and the busy process).
'use strict';
const fs = require('fs');
const { spawn } = require('child_process');

const TICKS = 100; // USER_HZ: /proc/stat and /proc/self/stat count in 1/100 s on Linux

function readMachine() {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = f;
    return { busy: user + nice + system + irq + softirq + (steal || 0), idle: idle + (iowait || 0), steal: steal || 0 };
  } catch {
    return null;
  }
}

// utime + stime (+ cutime + cstime with children) of a process: fields 14-17 after the command name.
function readTicks(pid = 'self', children = true) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ').map(Number);
    return f[11] + f[12] + (children ? f[13] + f[14] : 0);
  } catch {
    return null;
  }
}

/**
 * Starts measuring; the returned function gives { seconds, machineCores, ownCores, busyCores,
 * otherCores, stealCores }. Own time covers this process and the children it has waited for; a busy
 * process still running is counted apart (pass it here, and end the phase before stopping it).
 */
function phase(busy = null) {
  const t0 = performance.now();
  const m0 = readMachine();
  const o0 = readTicks();
  const b0 = busy ? readTicks(busy.pid, false) : 0;
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const m1 = readMachine();
    const o1 = readTicks();
    const b1 = busy ? readTicks(busy.pid, false) : 0;
    if (!m0 || !m1 || o0 === null || o1 === null || b0 === null || b1 === null || seconds <= 0) return { seconds };
    const cores = (ticks) => ticks / TICKS / seconds;
    const machineCores = cores(m1.busy - m0.busy);
    const ownCores = cores(o1 - o0);
    const busyCores = cores(b1 - b0);
    return {
      seconds,
      machineCores,
      ownCores,
      busyCores,
      otherCores: Math.max(0, machineCores - ownCores - busyCores),
      stealCores: cores(m1.steal - m0.steal),
    };
  };
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** One process spinning on whatever core the scheduler gives it (not pinned). Returns stop(). */
function startBusy() {
  const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  sleep(300); // let it start spinning before anything is timed
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', stop);
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.on('exit', stop);
  return { pid: child.pid, stop };
}

/** Runs fn(busy) with a busy process alongside; the process is stopped however fn ends. */
async function withBusy(fn) {
  const busy = startBusy();
  try {
    return await fn(busy);
  } finally {
    busy.stop();
  }
}

module.exports = { phase, sleep, startBusy, withBusy };

/**
 * Waits up to maxSeconds for other processes to leave the machine (under `threshold` busy cores
 * over half a second). Returns { waited, otherCores } of the last half second.
 */
function waitQuiet(maxSeconds, threshold = 0.25) {
  const t0 = performance.now();
  let last = null;
  if (!(maxSeconds > 0)) return { waited: 0, otherCores: null };
  for (;;) {
    const stop = phase();
    sleep(500);
    last = stop().otherCores;
    const waited = (performance.now() - t0) / 1000;
    if (last === undefined || last < threshold || waited >= maxSeconds) return { waited, otherCores: last };
  }
}

module.exports.waitQuiet = waitQuiet;
