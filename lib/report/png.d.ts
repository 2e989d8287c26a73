/** rgb: width * height * 3 bytes, row-major. */
export declare function encodePng(width: number, height: number, rgb: Uint8Array | Uint8ClampedArray): Buffer;
