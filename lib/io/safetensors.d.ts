import { TypedData } from '../data/common';
/** Element types gemmnet reads and writes, by their safetensors names. */
export type SafeDType = 'F64' | 'F32' | 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';
/** The reference implementation refuses longer headers too. */
export declare const MAX_HEADER_BYTES = 100000000;
export interface Tensor {
    dtype: SafeDType;
    shape: number[];
    /** Row-major values in a typed array of the dtype's kind (BOOL as 0/1 bytes in a Uint8Array). */
    data: TypedData;
}
/** A tensor to encode: a typed array (1-D), or its data with a shape and optionally 'BOOL'. */
export type TensorInput = TypedData | Uint8ClampedArray | {
    data: TypedData | Uint8ClampedArray;
    shape?: readonly number[];
    dtype?: SafeDType;
};
export interface SafeTensors {
    /** Tensors by name, in header order; the object has no prototype, so any name is a safe key. */
    tensors: Record<string, Tensor>;
    metadata: Record<string, string>;
}
/** A file's bytes as pieces: the length prefix and header, then each tensor's data (views, no copy). */
export interface EncodedParts {
    parts: Uint8Array[];
    byteLength: number;
}
/**
 * Lays out tensors and metadata as safetensors pieces. Tensors with wider elements come first and
 * the header is padded with spaces to a multiple of 8 bytes, so every tensor starts aligned to its
 * element size and a reader may view the file's bytes in place.
 */
export declare function encodeSafetensorsParts(tensors: Record<string, TensorInput>, metadata?: Record<string, string>, who?: string): EncodedParts;
/** Encodes tensors (and string metadata) as the bytes of a .safetensors file. */
export declare function encodeSafetensors(tensors: Record<string, TensorInput>, metadata?: Record<string, string>): Buffer;
/** Decodes a .safetensors file held in memory; `name` labels error messages (a file name, say). */
export declare function decodeSafetensors(buf: Buffer | Uint8Array, name?: string): SafeTensors;
/**
 * Reads a .safetensors file. The header is read and checked first; each tensor is then read straight
 * into its own typed array, so the file is never held in memory twice.
 */
export declare function loadSafetensors(path: string, who?: string): SafeTensors;
/** Writes a .safetensors file atomically (see writeFileAtomic). */
export declare function saveSafetensors(path: string, tensors: Record<string, TensorInput>, metadata?: Record<string, string>): void;
