"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.FONT_FAMILY = void 0;
exports.textWidth = textWidth;
exports.textOutline = textOutline;
// Text metrics and outlines from the embedded glyphs: the same widths lay out the SVG and the PNG,
// and the PNG needs no font installed.
const font_data_1 = require("./font-data");
/** The family SVG text asks for first; its metrics are the embedded ones. */
exports.FONT_FAMILY = "'DejaVu Sans', Verdana, 'Bitstream Vera Sans', sans-serif";
const CURVE_STEPS = 6;
const parsed = new Map();
function parseOutline(d) {
    const contours = [];
    let pts = [];
    const tokens = d.match(/[MLQZ]|-?\d+/g) ?? [];
    let i = 0;
    const next = () => Number(tokens[i++]);
    while (i < tokens.length) {
        const cmd = tokens[i++];
        if (cmd === 'M') {
            if (pts.length)
                contours.push(Float64Array.from(pts));
            pts = [next(), next()];
        }
        else if (cmd === 'L') {
            pts.push(next(), next());
        }
        else if (cmd === 'Q') {
            const x0 = pts[pts.length - 2];
            const y0 = pts[pts.length - 1];
            const cx = next(), cy = next(), x1 = next(), y1 = next();
            for (let s = 1; s <= CURVE_STEPS; s++) {
                const t = s / CURVE_STEPS;
                const u = 1 - t;
                pts.push(u * u * x0 + 2 * u * t * cx + t * t * x1, u * u * y0 + 2 * u * t * cy + t * t * y1);
            }
        }
        else if (cmd === 'Z') {
            if (pts.length)
                contours.push(Float64Array.from(pts));
            pts = [];
        }
    }
    if (pts.length)
        contours.push(Float64Array.from(pts));
    return contours;
}
function glyph(font, ch) {
    let cache = parsed.get(font);
    if (!cache)
        parsed.set(font, (cache = new Map()));
    let g = cache.get(ch);
    if (!g) {
        const entry = font.glyphs[ch] ?? font.glyphs['?'];
        g = { advance: entry[0], contours: parseOutline(entry[1]) };
        cache.set(ch, g);
    }
    return g;
}
function fontOf(bold) {
    return bold ? font_data_1.SANS_BOLD : font_data_1.SANS;
}
/** Width of text in pixels at `size` px. */
function textWidth(text, size, bold) {
    const font = fontOf(bold);
    let w = 0;
    for (const ch of text)
        w += glyph(font, ch).advance;
    return (w * size) / font.unitsPerEm;
}
/**
 * Outlines of text as closed polygons in pixels, with the baseline's anchor point at (x, y);
 * `vertical` runs the text bottom to top.
 */
function textOutline(text, x, y, size, opts = {}) {
    const font = fontOf(opts.bold);
    const k = size / font.unitsPerEm;
    const width = textWidth(text, size, opts.bold);
    let pen = opts.anchor === 'middle' ? -width / 2 : opts.anchor === 'end' ? -width : 0;
    const out = [];
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
                }
                else {
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
