// Renders a Scene to RGB pixels: anti-aliased polygon filling by exact per-pixel area coverage
// (signed-area accumulation), strokes as unions of quads and discs, text from embedded outlines.
import { textOutline } from './font';
import { DASHES, Dash, Item, markerCorners, parseColour, Scene } from './scene';

type Polygon = Float64Array;

export class Raster {
  /** RGB, row-major. */
  readonly data: Uint8ClampedArray;

  constructor(readonly width: number, readonly height: number, background: string) {
    this.data = new Uint8ClampedArray(width * height * 3);
    const [r, g, b] = parseColour(background);
    for (let i = 0; i < this.data.length; i += 3) {
      this.data[i] = r;
      this.data[i + 1] = g;
      this.data[i + 2] = b;
    }
  }

  /**
   * Fills the union of polygons. Every polygon must wind the same way as the others (holes the
   * other way), as glyph contours and the stroke pieces below do: coverage is the clamped sum.
   */
  fill(polygons: Polygon[], colour: string): void {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const p of polygons) {
      for (let i = 0; i < p.length; i += 2) {
        if (p[i] < minX) minX = p[i];
        if (p[i] > maxX) maxX = p[i];
        if (p[i + 1] < minY) minY = p[i + 1];
        if (p[i + 1] > maxY) maxY = p[i + 1];
      }
    }
    const x0 = Math.max(0, Math.floor(minX));
    const y0 = Math.max(0, Math.floor(minY));
    const x1 = Math.min(this.width, Math.ceil(maxX));
    const y1 = Math.min(this.height, Math.ceil(maxY));
    if (x1 <= x0 || y1 <= y0) return;
    const w = x1 - x0;
    const h = y1 - y0;
    const stride = w + 2;
    const acc = new Float32Array(stride * h);
    for (const p of polygons) {
      const n = p.length;
      for (let i = 0; i < n; i += 2) {
        const j = (i + 2) % n;
        // Points left or right of the box are moved onto its edge: coverage inside is unchanged.
        accumulateEdge(acc, stride, h,
          clamp(p[i] - x0, 0, w), p[i + 1] - y0, clamp(p[j] - x0, 0, w), p[j + 1] - y0);
      }
    }
    const [r, g, b] = parseColour(colour);
    for (let y = 0; y < h; y++) {
      let a = 0;
      let o = ((y0 + y) * this.width + x0) * 3;
      for (let x = 0; x < w; x++, o += 3) {
        a += acc[y * stride + x];
        const c = Math.min(1, Math.abs(a));
        if (c > 1 / 512) {
          this.data[o] += (r - this.data[o]) * c;
          this.data[o + 1] += (g - this.data[o + 1]) * c;
          this.data[o + 2] += (b - this.data[o + 2]) * c;
        }
      }
    }
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * Adds the signed area that the edge (xa, ya) -> (xb, yb) contributes to each cell of its rows;
 * a running sum along a row then gives each pixel's coverage.
 */
function accumulateEdge(acc: Float32Array, stride: number, rows: number,
  xa: number, ya: number, xb: number, yb: number): void {
  if (ya === yb) return;
  let dir = 1;
  if (ya > yb) {
    dir = -1;
    [xa, ya, xb, yb] = [xb, yb, xa, ya];
  }
  const dxdy = (xb - xa) / (yb - ya);
  let x = xa;
  let yTop = ya;
  if (ya < 0) {
    x -= ya * dxdy;
    yTop = 0;
  }
  const yEnd = Math.min(rows, Math.ceil(yb));
  for (let y = Math.floor(yTop); y < yEnd; y++) {
    const line = y * stride;
    const dy = Math.min(y + 1, yb) - Math.max(y, ya);
    const xNext = x + dxdy * dy;
    const d = dy * dir;
    const lo = Math.min(x, xNext);
    const hi = Math.max(x, xNext);
    const loI = Math.floor(lo);
    const hiI = Math.ceil(hi);
    if (hiI <= loI + 1) {
      const mid = 0.5 * (x + xNext) - loI;
      acc[line + loI] += d - d * mid;
      acc[line + loI + 1] += d * mid;
    } else {
      const s = 1 / (hi - lo);
      const loFrac = lo - loI;
      const a0 = 0.5 * s * (1 - loFrac) * (1 - loFrac);
      const hiFrac = hi - hiI + 1;
      const am = 0.5 * s * hiFrac * hiFrac;
      acc[line + loI] += d * a0;
      if (hiI === loI + 2) {
        acc[line + loI + 1] += d * (1 - a0 - am);
      } else {
        const a1 = s * (1.5 - loFrac);
        acc[line + loI + 1] += d * (a1 - a0);
        for (let xi = loI + 2; xi < hiI - 1; xi++) acc[line + xi] += d * s;
        const a2 = a1 + (hiI - loI - 3) * s;
        acc[line + hiI - 1] += d * (1 - a2 - am);
      }
      acc[line + hiI] += d * am;
    }
    x = xNext;
  }
}

/** A disc as a polygon, wound like strokeQuad's quads. */
function disc(cx: number, cy: number, r: number): Polygon {
  const n = Math.max(8, Math.min(64, Math.ceil((2 * Math.PI * r) / 1.5)));
  const p = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const t = (-2 * Math.PI * i) / n;
    p[2 * i] = cx + r * Math.cos(t);
    p[2 * i + 1] = cy + r * Math.sin(t);
  }
  return p;
}

function strokeQuad(ax: number, ay: number, bx: number, by: number, hw: number): Polygon | null {
  const len = Math.hypot(bx - ax, by - ay);
  if (len === 0) return null;
  const nx = (-(by - ay) / len) * hw;
  const ny = ((bx - ax) / len) * hw;
  return Float64Array.of(ax + nx, ay + ny, bx + nx, by + ny, bx - nx, by - ny, ax - nx, ay - ny);
}

/** Splits a polyline into its "on" pieces for a dash pattern (lengths already scaled). */
export function dashPieces(points: number[], pattern: number[]): number[][] {
  if (pattern.length === 0) return [points];
  const pieces: number[][] = [];
  let k = 0;
  let left = pattern[0];
  let on = true;
  let cur: number[] = [points[0], points[1]];
  for (let i = 2; i < points.length; i += 2) {
    let ax = points[i - 2], ay = points[i - 1];
    const bx = points[i], by = points[i + 1];
    let seg = Math.hypot(bx - ax, by - ay);
    while (seg > left) {
      const t = left / seg;
      ax += (bx - ax) * t;
      ay += (by - ay) * t;
      seg -= left;
      if (on) {
        cur.push(ax, ay);
        pieces.push(cur);
      } else {
        cur = [ax, ay];
      }
      on = !on;
      k = (k + 1) % pattern.length;
      left = pattern[k];
    }
    left -= seg;
    if (on) cur.push(bx, by);
  }
  if (on && cur.length >= 4) pieces.push(cur);
  return pieces;
}

/** A stroked polyline with round joins and caps, as polygons. */
export function strokePolygons(points: number[], width: number, dash: Dash | undefined, scale: number): Polygon[] {
  const hw = width / 2;
  const pattern = DASHES[dash ?? 'solid'].map((v) => v * scale);
  const out: Polygon[] = [];
  for (const piece of dashPieces(points, pattern)) {
    for (let i = 0; i < piece.length; i += 2) {
      out.push(disc(piece[i], piece[i + 1], hw));
      if (i + 3 < piece.length) {
        const q = strokeQuad(piece[i], piece[i + 1], piece[i + 2], piece[i + 3], hw);
        if (q) out.push(q);
      }
    }
  }
  return out;
}

/** Draws a Scene at `scale` device pixels per CSS pixel. */
export function rasterize(scene: Scene, scale: number): Raster {
  const r = new Raster(Math.round(scene.width * scale), Math.round(scene.height * scale), scene.background);
  for (const item of scene.items) drawItem(r, item, scale);
  return r;
}

function drawItem(r: Raster, item: Item, k: number): void {
  switch (item.kind) {
    case 'rect':
      r.fill([Float64Array.of(item.x * k, item.y * k, item.x * k, (item.y + item.h) * k,
        (item.x + item.w) * k, (item.y + item.h) * k, (item.x + item.w) * k, item.y * k)], item.fill);
      break;
    case 'polyline':
      r.fill(strokePolygons(item.points.map((v) => v * k), item.width * k, item.dash, k), item.stroke);
      break;
    case 'marker':
      r.fill([item.shape === 'circle' ? disc(item.x * k, item.y * k, item.r * k)
        : Float64Array.from(markerCorners(item.shape, item.x * k, item.y * k, item.r * k))], item.fill);
      break;
    case 'text':
      r.fill(textOutline(item.text, item.x * k, item.y * k, item.size * k,
        { anchor: item.anchor, bold: item.bold, vertical: item.vertical }), item.colour);
      break;
  }
}
