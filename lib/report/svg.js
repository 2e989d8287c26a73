"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.escapeXml = escapeXml;
exports.renderSvg = renderSvg;
// Renders a Scene to a standalone SVG document (also inlined as-is into the HTML report).
const font_1 = require("./font");
const scene_1 = require("./scene");
function escapeXml(s) {
    return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
const r2 = (v) => String(Math.round(v * 100) / 100);
function itemSvg(item) {
    switch (item.kind) {
        case 'rect':
            return `<rect x="${r2(item.x)}" y="${r2(item.y)}" width="${r2(item.w)}" height="${r2(item.h)}" fill="${item.fill}"/>`;
        case 'polyline': {
            const pts = [];
            for (let i = 0; i < item.points.length; i += 2)
                pts.push(`${r2(item.points[i])},${r2(item.points[i + 1])}`);
            const dash = scene_1.DASHES[item.dash ?? 'solid'];
            return `<polyline points="${pts.join(' ')}" fill="none" stroke="${item.stroke}" stroke-width="${r2(item.width)}"` +
                ` stroke-linecap="round" stroke-linejoin="round"${dash.length ? ` stroke-dasharray="${dash.join(' ')}"` : ''}/>`;
        }
        case 'marker':
            if (item.shape === 'circle')
                return `<circle cx="${r2(item.x)}" cy="${r2(item.y)}" r="${r2(item.r)}" fill="${item.fill}"/>`;
            return `<polygon points="${(0, scene_1.markerCorners)(item.shape, item.x, item.y, item.r).map(r2).join(' ')}" fill="${item.fill}"/>`;
        case 'text': {
            const anchor = item.anchor && item.anchor !== 'start' ? ` text-anchor="${item.anchor}"` : '';
            const weight = item.bold ? ' font-weight="bold"' : '';
            const rotate = item.vertical ? ` transform="rotate(-90 ${r2(item.x)} ${r2(item.y)})"` : '';
            return `<text x="${r2(item.x)}" y="${r2(item.y)}" font-size="${r2(item.size)}" fill="${item.colour}"${anchor}${weight}${rotate}>` +
                `${escapeXml(item.text)}</text>`;
        }
    }
}
/** The SVG markup; `standalone` adds the XML declaration for a .svg file. */
function renderSvg(scene, standalone = true) {
    const head = standalone ? '<?xml version="1.0" encoding="UTF-8"?>\n' : '';
    return head +
        `<svg xmlns="http://www.w3.org/2000/svg" width="${scene.width}" height="${scene.height}" ` +
        `viewBox="0 0 ${scene.width} ${scene.height}" role="img" font-family="${escapeXml(font_1.FONT_FAMILY)}">\n` +
        `<title>${escapeXml(scene.title)}</title>\n` +
        `<rect width="100%" height="100%" fill="${scene.background}"/>\n` +
        scene.items.map(itemSvg).join('\n') + '\n</svg>\n';
}
