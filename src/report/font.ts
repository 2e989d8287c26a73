// Text metrics and outlines from the embedded glyphs: the same widths lay out the SVG and the PNG,
// and the PNG needs no font installed.
import { FontData, SANS, SANS_BOLD } from './font-data';
import type { Anchor } from './scene';

/** The family SVG text asks for first; its metrics are the embedded ones. */
export const FONT_FAMILY = "'DejaVu Sans', Verdana, 'Bitstream Vera Sans', sans-serif";

interface Glyph {
  advance: number;
  /** Closed contours, flattened: x0, y0, x1, y1, ... in font units, y down from the baseline. */
  contours: Float64Array[];
}

const CURVE_STEPS = 6;
const parsed = new Map<FontData, Map<string, Glyph>>();

function parseOutline(d: string): Float64Array[] {
  const contours: Float64Array[] = [];
  let pts: number[] = [];
  const tokens = d.match(/[MLQZ]|-?\d+/g) ?? [];
  let i = 0;
  const next = () => Number(tokens[i++]);
  while (i < tokens.length) {
    const cmd = tokens[i++];
    if (cmd === 'M') {
      if (pts.length) contours.push(Float64Array.from(pts));
      pts = [next(), next()];
    } else if (cmd === 'L') {
      pts.push(next(), next());
    } else if (cmd === 'Q') {
      const x0 = pts[pts.length - 2];
      const y0 = pts[pts.length - 1];
      const cx = next(), cy = next(), x1 = next(), y1 = next();
      for (let s = 1; s <= CURVE_STEPS; s++) {
        const t = s / CURVE_STEPS;
        const u = 1 - t;
        pts.push(u * u * x0 + 2 * u * t * cx + t * t * x1, u * u * y0 + 2 * u * t * cy + t * t * y1);
      }
    } else if (cmd === 'Z') {
      if (pts.length) contours.push(Float64Array.from(pts));
      pts = [];
    }
  }
  if (pts.length) contours.push(Float64Array.from(pts));
  return contours;
}

function glyph(font: FontData, ch: string): Glyph {
  let cache = parsed.get(font);
  if (!cache) parsed.set(font, (cache = new Map()));
  let g = cache.get(ch);
  if (!g) {
    const entry = font.glyphs[ch] ?? font.glyphs['?'];
    g = { advance: entry[0], contours: parseOutline(entry[1]) };
    cache.set(ch, g);
  }
  return g;
}

function fontOf(bold?: boolean): FontData {
  return bold ? SANS_BOLD : SANS;
}

/** Width of text in pixels at `size` px. */
export function textWidth(text: string, size: number, bold?: boolean): number {
  const font = fontOf(bold);
  let w = 0;
  for (const ch of text) w += glyph(font, ch).advance;
  return (w * size) / font.unitsPerEm;
}

/**
 * Outlines of text as closed polygons in pixels, with the baseline's anchor point at (x, y);
 * `vertical` runs the text bottom to top.
 */
export function textOutline(text: string, x: number, y: number, size: number,
  opts: { anchor?: Anchor; bold?: boolean; vertical?: boolean } = {}): Float64Array[] {
  const font = fontOf(opts.bold);
  const k = size / font.unitsPerEm;
  const width = textWidth(text, size, opts.bold);
  let pen = opts.anchor === 'middle' ? -width / 2 : opts.anchor === 'end' ? -width : 0;
  const out: Float64Array[] = [];
  for (const ch of text) {
    const g = glyph(font, ch);
    for (const c of g.contours) {
      const p = new Float64Array(c.length);
      for (let i = 0; i < c.length; i += 2) {
        const gx = pen + c[i] * k;
        const gy = c[i + 1] * k;
        if (opts.vertical) {
          p[i] = x + gy;
          p[i + 1] = y - gx;
        } else {
          p[i] = x + gx;
          p[i + 1] = y + gy;
        }
      }
      out.push(p);
    }
    pen += g.advance * k;
  }
  return out;
}
