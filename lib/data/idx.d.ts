import { NdArray, TypedData } from './common';
export interface IdxOptions {
    /** Largest decompressed file accepted, in bytes (default 4 GiB, also Node's Buffer limit). */
    maxBytes?: number;
}
/** Parses an IDX file held in memory (gzipped or not) into native-endian typed data. */
export declare function parseIdx(buf: Buffer | Uint8Array, name?: string, options?: IdxOptions): NdArray;
/** Reads an IDX file such as train-images-idx3-ubyte or t10k-labels-idx1-ubyte.gz. */
export declare function loadIdx(path: string, options?: IdxOptions): NdArray;
export interface IdxInput {
    data: TypedData | Uint8ClampedArray;
    shape?: readonly number[];
}
/** Encodes an array (u8, i8, i16, i32, f32 or f64) as IDX bytes, gzipped with `{ gzip: true }`. */
export declare function encodeIdx(array: IdxInput, options?: {
    gzip?: boolean;
}, who?: string): Buffer;
/** Writes an array as an IDX file (gzipped with `{ gzip: true }`). */
export declare function saveIdx(path: string, array: IdxInput, options?: {
    gzip?: boolean;
}): void;
