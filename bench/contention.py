"""CPU accounting per epoch, and a busy process to compete with, for the NumPy benchmarks.

With --alternate-busy, the epochs after the warm-up alternate: quiet, then with
the given command running (one busy process, not pinned), and so on, so that a
change in the machine's other load touches quiet and contended epochs alike.
Each epoch records how many cores other processes kept busy meanwhile (Linux;
None elsewhere): the machine's busy time from /proc/stat, less this process's
(all threads, and the children it has waited for), less the busy process's.
"""

import os
import subprocess
import time

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _machine_busy():
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq = fields[:7]
    steal = fields[7] if len(fields) > 7 else 0
    return user + nice + system + irq + softirq + steal


def _process_ticks(pid="self", children=True):
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    ticks = int(fields[11]) + int(fields[12])
    return ticks + int(fields[13]) + int(fields[14]) if children else ticks


class Competitor:
    """One busy process running `command` (a list) until stop()."""

    def __init__(self, command):
        self.proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        time.sleep(0.3)  # let it start spinning before anything is timed

    def ticks(self):
        return _process_ticks(self.proc.pid, children=False)

    def stop(self):
        self.proc.kill()
        self.proc.wait()


class Load:
    """Cores kept busy by other processes between construction and stop()."""

    def __init__(self, competitor=None):
        self.competitor = competitor
        self.start = self._read()

    def _read(self):
        busy = self.competitor.ticks() if self.competitor else 0
        return time.perf_counter(), _machine_busy(), _process_ticks(), busy

    def stop(self):
        t0, m0, o0, b0 = self.start
        t1, m1, o1, b1 = self._read()
        if None in (m0, m1, o0, o1, b0, b1) or t1 <= t0:
            return None
        return max(0.0, ((m1 - m0) - (o1 - o0) - (b1 - b0)) / TICKS / (t1 - t0))
