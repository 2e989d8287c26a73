export interface FontData {
    unitsPerEm: number;
    ascender: number;
    descender: number;
    /** Character -> [advance width, outline as M/L/Q/Z commands]. */
    glyphs: Record<string, [number, string]>;
}
export declare const SANS: FontData;
export declare const SANS_BOLD: FontData;
