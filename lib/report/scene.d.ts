export type Dash = 'solid' | 'dashed' | 'dotted' | 'dashdot';
/** On/off lengths in pixels, drawn with round caps (so a 1 px "on" is a dot). */
export declare const DASHES: Record<Dash, number[]>;
export type Anchor = 'start' | 'middle' | 'end';
export type MarkerShape = 'circle' | 'square' | 'diamond' | 'triangle';
export type Item = {
    kind: 'rect';
    x: number;
    y: number;
    w: number;
    h: number;
    fill: string;
} | {
    kind: 'polyline';
    points: number[];
    stroke: string;
    width: number;
    dash?: Dash;
} | {
    kind: 'marker';
    shape: MarkerShape;
    x: number;
    y: number;
    r: number;
    fill: string;
} | {
    kind: 'text';
    x: number;
    y: number;
    text: string;
    size: number;
    colour: string;
    anchor?: Anchor;
    bold?: boolean;
    vertical?: boolean;
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
export declare function markerCorners(shape: Exclude<MarkerShape, 'circle'>, x: number, y: number, r: number): number[];
/** '#rrggbb' -> [r, g, b]. */
export declare function parseColour(c: string): [number, number, number];
