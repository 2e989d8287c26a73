// The table of stall.js's summary rows, for stall.js itself (full) and for the bench report (short:
// without the worst round's max, the main thread's longest run and the other jobs' load).
'use strict';

const COLUMNS = [
  ['training', (r) => r.mode],
  ['threads', (r) => r.threads],
  ['start-up stall ms', (r) => r.startupMs],
  ['p50 ms', (r) => r.p50],
  ['p99 ms', (r) => r.p99],
  ['max ms', (r) => r.max, 'max ms (worst round)', (r) => `${r.max} (${r.worstMax})`],
  ['longest main-thread run, ms', (r) => r.ranMs, null],
  ['hand-back stall ms', (r) => r.handbackMs],
  ['gaps > 5 ms per run (waiting for a core)', (r) => `${+r.over5.toFixed(1)} (${+r.over5Waited.toFixed(1)})`,
    'gaps > 5 ms per run (of them waiting for a core)'],
  ['run s', (r) => r.seconds],
  ['other jobs, cores', (r) => r.otherCores, null],
];

/** Markdown lines of the table; full adds the columns that stall.js alone prints. */
function stallTable(rows, { full = false } = {}) {
  const cols = COLUMNS.flatMap(([head, cell, fullHead, fullCell]) => {
    if (!full) return fullHead === null ? [] : [[head, cell]];
    return [[fullHead || head, fullCell || cell]];
  });
  return [
    `| ${cols.map(([h]) => h).join(' | ')} |`,
    `| ${cols.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${cols.map(([, c]) => c(r)).join(' | ')} |`),
  ];
}

module.exports = { stallTable };
