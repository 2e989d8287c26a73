import { Scene } from './scene';
export declare function escapeXml(s: string): string;
/** The SVG markup; `standalone` adds the XML declaration for a .svg file. */
export declare function renderSvg(scene: Scene, standalone?: boolean): string;
