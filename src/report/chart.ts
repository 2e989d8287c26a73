// Line charts: title, legend, gridlines, labelled axes with ticks; panels stack into a figure.
import { textWidth } from './font';
import { Dash, Item, MarkerShape, Scene } from './scene';

export interface Series {
  colour: string;
  dash: Dash;
  /** Drawn at the points of short series, where dash styles are hard to tell apart. */
  marker: MarkerShape;
  /** x0, y0, x1, y1, ... */
  points: number[];
  width?: number;
}

export interface LegendEntry {
  label: string;
  colour: string;
  dash: Dash;
  marker?: MarkerShape;
}

/** A labelled vertical line (the epoch early stopping picks, say). */
export interface Guide {
  x: number;
  label: string;
  /** Where the label goes: where the curves are unlikely to be (default top). */
  labelAt?: 'top' | 'bottom';
}

export interface Panel {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Groups of legend entries; each group starts on a row of its own. */
  legend: LegendEntry[][];
  /** Tick labels as percentages of 1. */
  percent?: boolean;
  /** Hard limits for the y range (loss: [0, Infinity], accuracy: [0, 1]). */
  yLimits?: [number, number];
  /**
   * Switch to a log scale when a linear one would squash most values into its bottom 5% (a train
   * loss with a large L2 term beside validation losses).
   */
  logWhenSquashed?: boolean;
  guides?: Guide[];
}

const PANEL_WIDTH = 640;
const PANEL_HEIGHT = 390;
const INK = '#222222';
const MUTED = '#555555';
const GRID = '#e3e3e3';
const TITLE_SIZE = 15;
const LABEL_SIZE = 13;
const TICK_SIZE = 12;
const LEGEND_SIZE = 12.5;
const LEGEND_ROW = 19;
const SWATCH = 30;
const MARKER_R = 3.5;
/** Series with at most this many points get markers. */
const MARKER_MAX_POINTS = 15;

/** Ticks at 1, 2 or 5 times a power of ten, covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, target = 5): { ticks: number[]; step: number } {
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toPrecision(12)));
  return { ticks, step };
}

function formatTick(v: number, step: number, percent: boolean): string {
  const value = percent ? v * 100 : v;
  const s = percent ? step * 100 : step;
  const decimals = Math.max(0, -Math.floor(Math.log10(s) + 1e-9));
  return value.toFixed(decimals) + (percent ? '%' : '');
}

function dataRange(panel: Panel, positive: boolean): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of panel.series) {
    for (let i = 1; i < s.points.length; i += 2) {
      const v = s.points[i];
      if (Number.isFinite(v) && (!positive || v > 0)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  return Number.isFinite(lo) ? [lo, hi] : null;
}

interface Axis {
  log: boolean;
  ticks: { v: number; label: string }[];
  /** Value -> 0 (bottom) .. 1 (top). */
  frac: (v: number) => number;
}

function logAxis(lo: number, hi: number): Axis {
  const d0 = Math.floor(Math.log10(lo));
  const d1 = Math.max(d0 + 1, Math.ceil(Math.log10(hi)));
  const steps = d1 - d0 <= 2 ? [1, 2, 5] : [1];
  const ticks: Axis['ticks'] = [];
  for (let d = d0; d <= d1; d++) {
    for (const m of steps) {
      const v = Number((m * 10 ** d).toPrecision(6));
      if (v <= 10 ** d1 * (1 + 1e-9)) ticks.push({ v, label: String(v) });
    }
  }
  return { log: true, ticks, frac: (v) => (Math.log10(v) - d0) / (d1 - d0) };
}

function squashed(panel: Panel, max: number): boolean {
  const values = panel.series.flatMap((s) => s.points.filter((_, i) => i % 2 === 1 && Number.isFinite(s.points[i])));
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)] < 0.05 * max;
}

function yAxis(panel: Panel): Axis {
  const positive = dataRange(panel, true);
  if (panel.logWhenSquashed && positive && positive[1] / positive[0] > 30 && squashed(panel, positive[1])) {
    return logAxis(positive[0], positive[1]);
  }
  const range = dataRange(panel, false);
  let [lo, hi] = range ?? [0, 1];
  const pad = hi > lo ? (hi - lo) * 0.04 : Math.max(Math.abs(hi) * 0.05, 0.01);
  lo -= pad;
  hi += pad;
  const [minY, maxY] = panel.yLimits ?? [-Infinity, Infinity];
  lo = Math.max(lo, minY);
  hi = Math.min(hi, maxY);
  const t = niceTicks(lo, hi, 5);
  const y0 = Math.max(Math.min(lo, t.ticks[0]), minY);
  const y1 = Math.min(Math.max(hi, t.ticks[t.ticks.length - 1]), maxY);
  return {
    log: false,
    ticks: t.ticks.filter((v) => v >= y0 - 1e-9 && v <= y1 + 1e-9)
      .map((v) => ({ v, label: formatTick(v, t.step, Boolean(panel.percent)) })),
    frac: (v) => (v - y0) / (y1 - y0 || 1),
  };
}

/** Legend groups flowed into centred rows that fit `width`. */
function legendRows(groups: LegendEntry[][], width: number): LegendEntry[][] {
  const rows: LegendEntry[][] = [];
  for (const entries of groups) {
    let row: LegendEntry[] = [];
    let used = 0;
    for (const e of entries) {
      const w = entryWidth(e);
      if (row.length && used + w > width) {
        rows.push(row);
        row = [];
        used = 0;
      }
      row.push(e);
      used += w;
    }
    if (row.length) rows.push(row);
  }
  return rows;
}

function entryWidth(e: LegendEntry): number {
  return SWATCH + 6 + textWidth(e.label, LEGEND_SIZE) + 18;
}

function panelItems(panel: Panel, top: number): { items: Item[]; height: number } {
  const items: Item[] = [];
  const W = PANEL_WIDTH;
  items.push({ kind: 'text', x: W / 2, y: top + 24, text: panel.title, size: TITLE_SIZE, colour: INK, anchor: 'middle', bold: true });

  const longest = Math.max(0, ...panel.series.map((s) => s.points.length / 2));
  const markers = longest <= MARKER_MAX_POINTS;
  const rows = legendRows(panel.legend, W - 40);
  let ly = top + 46;
  for (const row of rows) {
    const total = row.reduce((s, e) => s + entryWidth(e), 0) - 18;
    let lx = (W - total) / 2;
    for (const e of row) {
      items.push({ kind: 'polyline', points: [lx, ly - 4, lx + SWATCH, ly - 4], stroke: e.colour, width: 2.25, dash: e.dash });
      if (markers && e.marker) items.push({ kind: 'marker', shape: e.marker, x: lx + SWATCH / 2, y: ly - 4, r: MARKER_R, fill: e.colour });
      items.push({ kind: 'text', x: lx + SWATCH + 6, y: ly, text: e.label, size: LEGEND_SIZE, colour: INK });
      lx += entryWidth(e);
    }
    ly += LEGEND_ROW;
  }

  const left = 74;
  const right = W - 22;
  const plotTop = ly + 2;
  const height = PANEL_HEIGHT + Math.max(0, rows.length - 1) * LEGEND_ROW;
  const bottom = top + height - 52;

  // Room on both sides of a single epoch's points.
  let xMax = 2;
  for (const s of panel.series) for (let i = 0; i < s.points.length; i += 2) xMax = Math.max(xMax, s.points[i]);
  const xt = niceTicks(0, xMax, 6);
  const xStep = Math.max(1, xt.step);
  const xTicks: number[] = [];
  for (let v = 0; v <= xMax + 1e-9; v += xStep) xTicks.push(v);
  const sx = (v: number) => left + (v / xMax) * (right - left);

  const axis = yAxis(panel);
  const sy = (v: number) => bottom - axis.frac(v) * (bottom - plotTop);

  for (const t of axis.ticks) {
    const y = sy(t.v);
    items.push({ kind: 'polyline', points: [left, y, right, y], stroke: GRID, width: 1 });
    items.push({ kind: 'polyline', points: [left - 5, y, left, y], stroke: INK, width: 1 });
    items.push({ kind: 'text', x: left - 8, y: y + 4, text: t.label, size: TICK_SIZE, colour: INK, anchor: 'end' });
  }
  for (const v of xTicks) {
    const x = sx(v);
    items.push({ kind: 'polyline', points: [x, plotTop, x, bottom], stroke: GRID, width: 1 });
    items.push({ kind: 'polyline', points: [x, bottom, x, bottom + 5], stroke: INK, width: 1 });
    items.push({ kind: 'text', x, y: bottom + 19, text: String(v), size: TICK_SIZE, colour: INK, anchor: 'middle' });
  }

  for (const m of panel.guides ?? []) {
    const x = sx(m.x);
    items.push({ kind: 'polyline', points: [x, plotTop, x, bottom], stroke: MUTED, width: 1.25, dash: 'dashed' });
    const nearRight = x > (left + right) / 2;
    const w = textWidth(m.label, TICK_SIZE);
    const tx = nearRight ? x - 6 - w : x + 6;
    const ty = m.labelAt === 'bottom' ? bottom - 10 : plotTop + 16;
    items.push({ kind: 'rect', x: tx - 3, y: ty - 13, w: w + 6, h: 18, fill: '#ffffff' });
    items.push({ kind: 'text', x: tx, y: ty, text: m.label, size: TICK_SIZE, colour: MUTED });
  }

  for (const s of panel.series) {
    const pts: number[] = [];
    for (let i = 0; i < s.points.length; i += 2) {
      const y = sy(s.points[i + 1]);
      if (Number.isFinite(y)) pts.push(sx(s.points[i]), y);
    }
    if (pts.length > 2) items.push({ kind: 'polyline', points: pts, stroke: s.colour, width: s.width ?? 2, dash: s.dash });
    if (markers) {
      for (let i = 0; i < pts.length; i += 2) items.push({ kind: 'marker', shape: s.marker, x: pts[i], y: pts[i + 1], r: MARKER_R, fill: s.colour });
    }
  }

  items.push({ kind: 'polyline', points: [left, plotTop, left, bottom, right, bottom], stroke: INK, width: 1.25 });
  items.push({ kind: 'text', x: (left + right) / 2, y: top + height - 14, text: panel.xLabel, size: LABEL_SIZE, colour: INK, anchor: 'middle' });
  items.push({ kind: 'text', x: 20, y: (plotTop + bottom) / 2, text: panel.yLabel + (axis.log ? ' (log scale)' : ''), size: LABEL_SIZE, colour: INK, anchor: 'middle', vertical: true });
  return { items, height };
}

/** Panels stacked top to bottom in one picture. */
export function figure(title: string, panels: Panel[]): Scene {
  const items: Item[] = [];
  let top = 0;
  for (const p of panels) {
    const r = panelItems(p, top);
    items.push(...r.items);
    top += r.height;
  }
  return { width: PANEL_WIDTH, height: Math.ceil(top), background: '#ffffff', title, items };
}
