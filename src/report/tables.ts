// Result tables as Markdown, CSV and HTML from one description: CSV keeps raw numbers (fractions,
// seconds), Markdown and HTML show them as people read them (percentages).
import type { EpochRecord, History } from '../train';
import { escapeXml } from './svg';

export type Cell = string | number | null;

export interface Column {
  /** Header for people (Markdown, HTML). */
  title: string;
  /** Header for machines (CSV). */
  key: string;
  kind?: 'text' | 'percent' | 'integer' | 'seconds' | 'number';
}

export interface Table {
  title: string;
  columns: Column[];
  rows: Cell[][];
}

function display(v: Cell, kind: Column['kind']): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'string') return v;
  switch (kind) {
    case 'percent': return `${(v * 100).toFixed(2)}%`;
    case 'integer': return String(Math.round(v));
    case 'seconds': return v.toFixed(1);
    case 'number': return String(Number(v.toPrecision(6)));
    default: return String(v);
  }
}

const numeric = (c: Column) => c.kind !== undefined && c.kind !== 'text';

export function markdownTable(t: Table): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    `| ${t.columns.map((c) => esc(c.title)).join(' | ')} |`,
    `| ${t.columns.map((c) => (numeric(c) ? '---:' : '---')).join(' | ')} |`,
    ...t.rows.map((r) => `| ${r.map((v, i) => esc(display(v, t.columns[i].kind))).join(' | ')} |`),
  ];
  return `**${t.title}**\n\n${lines.join('\n')}\n`;
}

export function csvTable(t: Table): string {
  const quote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const cell = (v: Cell) => (v === null || v === undefined ? '' : quote(String(v)));
  return [t.columns.map((c) => quote(c.key)).join(','), ...t.rows.map((r) => r.map(cell).join(','))].join('\n') + '\n';
}

export function htmlTable(t: Table): string {
  const cls = (c: Column) => (numeric(c) ? ' class="num"' : '');
  return `<table>\n<caption>${escapeXml(t.title)}</caption>\n` +
    `<thead><tr>${t.columns.map((c) => `<th${cls(c)}>${escapeXml(c.title)}</th>`).join('')}</tr></thead>\n<tbody>\n` +
    t.rows.map((r) => `<tr>${r.map((v, i) => `<td${cls(t.columns[i])}>${escapeXml(display(v, t.columns[i].kind))}</td>`).join('')}</tr>`).join('\n') +
    '\n</tbody>\n</table>\n';
}

/** Whether an interruption stopped the run before its planned epochs. */
export function cutShort(history: History, plannedEpochs: number): boolean {
  return history.stopReason === 'aborted' && history.epochs.length < plannedEpochs;
}

/** How a run ended, in words. */
export function runStatus(history: History | undefined, plannedEpochs: number): string {
  if (!history) return 'not run (interrupted)';
  const done = history.epochs.length;
  switch (history.stopReason) {
    case 'aborted': return cutShort(history, plannedEpochs) ? `interrupted after ${done} of ${plannedEpochs} epochs` : 'completed';
    case 'early-stopping': return `early stopping after ${done} epochs`;
    case 'callback': return `stopped after ${done} epochs`;
    default: return 'completed';
  }
}

export interface SweepRow {
  /** The swept value as shown (e.g. "500", "0.1"). */
  value: string;
  history?: History;
  plannedEpochs: number;
  seconds?: number;
}

const acc = (r: EpochRecord | undefined, set: 'train' | 'valid' | 'test') => r?.[set]?.accuracy ?? null;

/** Final and best-epoch (lowest validation loss) accuracies of each run of a sweep. */
export function sweepTable(title: string, parameter: { title: string; key: string }, rows: SweepRow[]): Table {
  return {
    title,
    columns: [
      { title: parameter.title, key: parameter.key },
      { title: 'epochs', key: 'epochs', kind: 'integer' },
      { title: 'final train', key: 'final_train_accuracy', kind: 'percent' },
      { title: 'final validation', key: 'final_valid_accuracy', kind: 'percent' },
      { title: 'final test', key: 'final_test_accuracy', kind: 'percent' },
      { title: 'best epoch', key: 'best_epoch', kind: 'integer' },
      { title: 'best-epoch train', key: 'best_train_accuracy', kind: 'percent' },
      { title: 'best-epoch validation', key: 'best_valid_accuracy', kind: 'percent' },
      { title: 'best-epoch test', key: 'best_test_accuracy', kind: 'percent' },
      { title: 'wall time (s)', key: 'seconds', kind: 'seconds' },
      { title: 'status', key: 'status' },
    ],
    rows: rows.map((r) => {
      const h = r.history;
      const last = h?.epochs[h.epochs.length - 1];
      const best = h && h.bestEpoch > 0 ? h.epochs[h.bestEpoch - 1] : undefined;
      return [r.value, h ? h.epochs.length : null, acc(last, 'train'), acc(last, 'valid'), acc(last, 'test'),
        best ? best.epoch : null, acc(best, 'train'), acc(best, 'valid'), acc(best, 'test'),
        r.seconds ?? null, runStatus(h, r.plannedEpochs)];
    }),
  };
}

/**
 * The epoch early stopping picks (history.bestEpoch: lowest validation loss), the one the highest
 * validation accuracy would pick, and the last.
 */
export function earlyStoppingTable(title: string, history: History): Table {
  const rows: Cell[][] = [];
  const byLoss = history.bestEpoch > 0 ? history.epochs[history.bestEpoch - 1] : undefined;
  const byAcc = history.epochs.reduce<EpochRecord | undefined>((b, r) => (r.valid && (!b || r.valid.accuracy > b.valid!.accuracy) ? r : b), undefined);
  const last = history.epochs[history.epochs.length - 1];
  const row = (name: string, r: EpochRecord | undefined): Cell[] =>
    [name, r ? r.epoch : null, r?.valid?.loss ?? null, acc(r, 'train'), acc(r, 'valid'), acc(r, 'test')];
  rows.push(row('lowest validation loss (chosen)', byLoss));
  rows.push(row('highest validation accuracy', byAcc));
  rows.push(row('last epoch (no early stopping)', last));
  return {
    title,
    columns: [
      { title: 'criterion', key: 'criterion' },
      { title: 'epoch', key: 'epoch', kind: 'integer' },
      { title: 'validation loss', key: 'valid_loss', kind: 'number' },
      { title: 'train', key: 'train_accuracy', kind: 'percent' },
      { title: 'validation', key: 'valid_accuracy', kind: 'percent' },
      { title: 'test', key: 'test_accuracy', kind: 'percent' },
    ],
    rows,
  };
}
