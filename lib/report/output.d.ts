import type { Scene } from './scene';
/** PNG device pixels per CSS pixel: a 640 px chart becomes 1280 px wide, sharp on high-DPI screens. */
export declare const PNG_SCALE = 2;
/** Writes a file atomically, creating its directory. */
export declare function writeFileAtomic(file: string, data: string | Uint8Array): void;
export declare function renderPng(scene: Scene, scale?: number): Buffer;
/** Writes `<base>.svg` and `<base>.png`; returns their paths. */
export declare function writeFigure(base: string, scene: Scene): string[];
