import { DType, NdArray, TypedData } from './common';
/**
 * Parses a .npy file held in memory. The data is copied into a new typed array of the matching kind
 * (BigInt64Array / BigUint64Array for 64-bit integers, 0/1 bytes in a Uint8Array for bool).
 * `name` labels error messages (a file name, say).
 */
export declare function parseNpy(buf: Buffer | Uint8Array, name?: string): NdArray;
/** Reads a .npy file (versions 1.0-3.0, little-endian numeric dtypes). */
export declare function loadNpy(path: string): NdArray;
/** What encodeNpy / saveNpy accept: a typed array, its shape (default 1-D) and optionally 'bool'. */
export interface NpyInput {
    data: TypedData | Uint8ClampedArray;
    shape?: readonly number[];
    /** Only needed to store a Uint8Array as NumPy bool; otherwise taken from the typed array. */
    dtype?: DType;
}
/** Encodes an array as .npy bytes (version 1.0, or 2.0 if the header needs it), as np.save writes. */
export declare function encodeNpy(array: NpyInput, name?: string): Buffer;
/** Writes an array as a .npy file that np.load reads back. */
export declare function saveNpy(path: string, array: NpyInput): void;
