import type { Anchor } from './scene';
/** The family SVG text asks for first; its metrics are the embedded ones. */
export declare const FONT_FAMILY = "'DejaVu Sans', Verdana, 'Bitstream Vera Sans', sans-serif";
/** Width of text in pixels at `size` px. */
export declare function textWidth(text: string, size: number, bold?: boolean): number;
/**
 * Outlines of text as closed polygons in pixels, with the baseline's anchor point at (x, y);
 * `vertical` runs the text bottom to top.
 */
export declare function textOutline(text: string, x: number, y: number, size: number, opts?: {
    anchor?: Anchor;
    bold?: boolean;
    vertical?: boolean;
}): Float64Array[];
