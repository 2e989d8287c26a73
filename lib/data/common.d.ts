import { describe } from '../validate';
/** Element types the loaders return, named as NumPy names them (`arr.dtype.name`). */
export type DType = 'uint8' | 'int8' | 'bool' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64' | 'int64' | 'uint64';
/** The typed array that holds each dtype (bool as 0/1 bytes in a Uint8Array). */
export interface DTypeArrays {
    uint8: Uint8Array;
    int8: Int8Array;
    bool: Uint8Array;
    uint16: Uint16Array;
    int16: Int16Array;
    uint32: Uint32Array;
    int32: Int32Array;
    float32: Float32Array;
    float64: Float64Array;
    int64: BigInt64Array;
    uint64: BigUint64Array;
}
export type TypedData = DTypeArrays[DType];
/** An n-dimensional array as the loaders return it: row-major data, its shape and dtype. */
export interface NdArray<T extends TypedData = TypedData> {
    data: T;
    shape: number[];
    dtype: DType;
}
type Ctor = {
    new (n: number): TypedData;
    BYTES_PER_ELEMENT: number;
};
interface DTypeInfo {
    size: number;
    ctor: Ctor;
}
export declare const DTYPES: Record<DType, DTypeInfo>;
export { describe };
/** A Buffer view (no copy) of a Buffer or Uint8Array argument. */
export declare function asBytes(who: string, buf: unknown): Buffer;
export declare function checkPath(who: string, file: unknown): string;
/** Reads a whole file; a missing or unreadable file becomes an Error naming it, keeping `code`. */
export declare function readInput(who: string, file: unknown): Buffer;
/** Element count of a shape, with the byte size; RangeError when either passes 2^53. */
export declare function shapeSize(where: string, shape: number[], itemSize: number): {
    count: number;
    bytes: number;
};
/**
 * Copies `count` elements stored at src[offset...] in the given byte order into a new typed array
 * (its own, aligned buffer). The caller has checked that the bytes are there.
 */
export declare function copyElements(src: Uint8Array, offset: number, count: number, dtype: DType, littleEndian: boolean): TypedData;
/** The raw bytes of a typed array in the given byte order (a view when no swap is needed). */
export declare function elementBytes(data: TypedData, littleEndian: boolean): Uint8Array;
/** The dtype name of a typed array, or undefined when no loader dtype stores it. */
export declare function dtypeOf(data: unknown): DType | undefined;
