// Writing report files: atomically, so an interrupted run never leaves half a file behind.
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic as replaceFile } from '../io/atomic';
import { encodePng } from './png';
import { rasterize } from './raster';
import type { Scene } from './scene';
import { renderSvg } from './svg';

/** PNG device pixels per CSS pixel: a 640 px chart becomes 1280 px wide, sharp on high-DPI screens. */
export const PNG_SCALE = 2;

/** Writes a file atomically, creating its directory. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  replaceFile('gemmnet', file, [typeof data === 'string' ? Buffer.from(data) : data]);
}

export function renderPng(scene: Scene, scale = PNG_SCALE): Buffer {
  const r = rasterize(scene, scale);
  return encodePng(r.width, r.height, r.data);
}

/** Writes `<base>.svg` and `<base>.png`; returns their paths. */
export function writeFigure(base: string, scene: Scene): string[] {
  writeFileAtomic(`${base}.svg`, renderSvg(scene));
  writeFileAtomic(`${base}.png`, renderPng(scene));
  return [`${base}.svg`, `${base}.png`];
}
