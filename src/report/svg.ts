// Renders a Scene to a standalone SVG document (also inlined as-is into the HTML report).
import { FONT_FAMILY } from './font';
import { DASHES, Item, markerCorners, Scene } from './scene';

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const r2 = (v: number) => String(Math.round(v * 100) / 100);

function itemSvg(item: Item): string {
  switch (item.kind) {
    case 'rect':
      return `<rect x="${r2(item.x)}" y="${r2(item.y)}" width="${r2(item.w)}" height="${r2(item.h)}" fill="${item.fill}"/>`;
    case 'polyline': {
      const pts: string[] = [];
      for (let i = 0; i < item.points.length; i += 2) pts.push(`${r2(item.points[i])},${r2(item.points[i + 1])}`);
      const dash = DASHES[item.dash ?? 'solid'];
      return `<polyline points="${pts.join(' ')}" fill="none" stroke="${item.stroke}" stroke-width="${r2(item.width)}"` +
        ` stroke-linecap="round" stroke-linejoin="round"${dash.length ? ` stroke-dasharray="${dash.join(' ')}"` : ''}/>`;
    }
    case 'marker':
      if (item.shape === 'circle') return `<circle cx="${r2(item.x)}" cy="${r2(item.y)}" r="${r2(item.r)}" fill="${item.fill}"/>`;
      return `<polygon points="${markerCorners(item.shape, item.x, item.y, item.r).map(r2).join(' ')}" fill="${item.fill}"/>`;
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
export function renderSvg(scene: Scene, standalone = true): string {
  const head = standalone ? '<?xml version="1.0" encoding="UTF-8"?>\n' : '';
  return head +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${scene.width}" height="${scene.height}" ` +
    `viewBox="0 0 ${scene.width} ${scene.height}" role="img" font-family="${escapeXml(FONT_FAMILY)}">\n` +
    `<title>${escapeXml(scene.title)}</title>\n` +
    `<rect width="100%" height="100%" fill="${scene.background}"/>\n` +
    scene.items.map(itemSvg).join('\n') + '\n</svg>\n';
}
