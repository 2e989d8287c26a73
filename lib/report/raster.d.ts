import { Dash, Scene } from './scene';
type Polygon = Float64Array;
export declare class Raster {
    readonly width: number;
    readonly height: number;
    /** RGB, row-major. */
    readonly data: Uint8ClampedArray;
    constructor(width: number, height: number, background: string);
    /**
     * Fills the union of polygons. Every polygon must wind the same way as the others (holes the
     * other way), as glyph contours and the stroke pieces below do: coverage is the clamped sum.
     */
    fill(polygons: Polygon[], colour: string): void;
}
/** Splits a polyline into its "on" pieces for a dash pattern (lengths already scaled). */
export declare function dashPieces(points: number[], pattern: number[]): number[][];
/** A stroked polyline with round joins and caps, as polygons. */
export declare function strokePolygons(points: number[], width: number, dash: Dash | undefined, scale: number): Polygon[];
/** Draws a Scene at `scale` device pixels per CSS pixel. */
export declare function rasterize(scene: Scene, scale: number): Raster;
export {};
