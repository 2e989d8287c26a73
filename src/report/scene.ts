// A chart as a flat list of drawing items in CSS pixels, rendered to SVG (svg.ts) or PNG (raster.ts).

export type Dash = 'solid' | 'dashed' | 'dotted' | 'dashdot';

/** On/off lengths in pixels, drawn with round caps (so a 1 px "on" is a dot). */
export const DASHES: Record<Dash, number[]> = {
  solid: [],
  dashed: [7, 4.5],
  dotted: [0.5, 4],
  dashdot: [9, 4, 0.5, 4],
};

export type Anchor = 'start' | 'middle' | 'end';

export type MarkerShape = 'circle' | 'square' | 'diamond' | 'triangle';

export type Item =
  | { kind: 'rect'; x: number; y: number; w: number; h: number; fill: string }
  | { kind: 'polyline'; points: number[]; stroke: string; width: number; dash?: Dash }
  | { kind: 'marker'; shape: MarkerShape; x: number; y: number; r: number; fill: string }
  | {
      kind: 'text'; x: number; y: number; text: string; size: number; colour: string;
      anchor?: Anchor; bold?: boolean; vertical?: boolean;
    };

export interface Scene {
  width: number;
  height: number;
  background: string;
  /** A description for screen readers and the SVG <title>. */
  title: string;
  items: Item[];
}

/** Corners of a non-circle marker of "radius" r centred on (x, y), with areas close to the circle's. */
export function markerCorners(shape: Exclude<MarkerShape, 'circle'>, x: number, y: number, r: number): number[] {
  switch (shape) {
    case 'square': {
      const h = r * 0.9;
      return [x - h, y - h, x + h, y - h, x + h, y + h, x - h, y + h];
    }
    case 'diamond': {
      const h = r * 1.25;
      return [x, y - h, x + h, y, x, y + h, x - h, y];
    }
    case 'triangle': {
      const h = r * 1.3;
      return [x, y - h, x + h * 0.866, y + h * 0.5, x - h * 0.866, y + h * 0.5];
    }
  }
}

/** '#rrggbb' -> [r, g, b]. */
export function parseColour(c: string): [number, number, number] {
  const m = /^#([0-9a-f]{6})$/i.exec(c);
  if (!m) throw new RangeError(`colour must be #rrggbb, got "${c}"`);
  const v = parseInt(m[1], 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}
