"use strict";
// A chart as a flat list of drawing items in CSS pixels, rendered to SVG (svg.ts) or PNG (raster.ts).
Object.defineProperty(exports, "__esModule", { value: true });
exports.DASHES = void 0;
exports.markerCorners = markerCorners;
exports.parseColour = parseColour;
/** On/off lengths in pixels, drawn with round caps (so a 1 px "on" is a dot). */
exports.DASHES = {
    solid: [],
    dashed: [7, 4.5],
    dotted: [0.5, 4],
    dashdot: [9, 4, 0.5, 4],
};
/** Corners of a non-circle marker of "radius" r centred on (x, y), with areas close to the circle's. */
function markerCorners(shape, x, y, r) {
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
function parseColour(c) {
    const m = /^#([0-9a-f]{6})$/i.exec(c);
    if (!m)
        throw new RangeError(`colour must be #rrggbb, got "${c}"`);
    const v = parseInt(m[1], 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}
