import { NdArray } from './common';
import { NpyInput } from './npy';
export interface NpzOptions {
    /**
     * Largest uncompressed entry accepted, in bytes (default 4 GiB, also Node's Buffer limit). Entries
     * declaring more are refused before anything is inflated.
     */
    maxEntryBytes?: number;
}
/** Arrays of an .npz by name (the member name without `.npy`), in archive order. */
export type NpzArrays = Record<string, NdArray>;
/**
 * Parses an .npz archive held in memory. Members whose names do not end in `.npy` are skipped, as
 * they are not arrays. The result has no prototype, so any member name is a safe key.
 */
export declare function parseNpz(buf: Buffer | Uint8Array, name?: string, options?: NpzOptions): NpzArrays;
/** Reads an .npz file written by np.savez or np.savez_compressed. */
export declare function loadNpz(path: string, options?: NpzOptions): NpzArrays;
export interface SaveNpzOptions {
    /** Deflate each member, as np.savez_compressed does (default false, as np.savez). */
    compress?: boolean;
}
/** Encodes named arrays as .npz bytes that np.load reads back. */
export declare function encodeNpz(arrays: Record<string, NpyInput>, options?: SaveNpzOptions, who?: string): Buffer;
/** Writes named arrays as an .npz file (deflated with `{ compress: true }`). */
export declare function saveNpz(path: string, arrays: Record<string, NpyInput>, options?: SaveNpzOptions): void;
