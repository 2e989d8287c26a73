// Writing report files: atomically, so an interrupted run never leaves half a file behind.
import { writeFileAtomic } from '../io/atomic';
import { encodePng } from './png';
import { rasterize } from './raster';
import type { Scene } from './scene';
import { renderSvg } from './svg';

/** PNG device pixels per CSS pixel: a 640 px chart becomes 1280 px wide, sharp on high-DPI screens. */
export const PNG_SCALE = 2;

/** Writes a report file atomically, creating its directory. */
export function writeReportFile(file: string, data: string | Uint8Array): void {
  writeFileAtomic('gemmnet', file, data, { createDir: true });
}

export function renderPng(scene: Scene, scale = PNG_SCALE): Buffer {
  const r = rasterize(scene, scale);
  return encodePng(r.width, r.height, r.data);
}

/** Writes `<base>.svg` and `<base>.png`; returns their paths. */
export function writeFigure(base: string, scene: Scene): string[] {
  writeReportFile(`${base}.svg`, renderSvg(scene));
  writeReportFile(`${base}.png`, renderPng(scene));
  return [`${base}.svg`, `${base}.png`];
}
