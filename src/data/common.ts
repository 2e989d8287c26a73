// Pieces the .npy, .npz and IDX readers share: the dtype table, input checks, file reading with
// errors a user can act on, and copying file bytes into fresh, aligned typed arrays.
import * as fs from 'fs';
import * as os from 'os';
import { describe } from '../validate';

/** Element types the loaders return, named as NumPy names them (`arr.dtype.name`). */
export type DType =
  | 'uint8' | 'int8' | 'bool' | 'uint16' | 'int16' | 'uint32' | 'int32'
  | 'float32' | 'float64' | 'int64' | 'uint64';

/** The typed array that holds each dtype (bool as 0/1 bytes in a Uint8Array). */
export interface DTypeArrays {
  uint8: Uint8Array; int8: Int8Array; bool: Uint8Array; uint16: Uint16Array; int16: Int16Array;
  uint32: Uint32Array; int32: Int32Array; float32: Float32Array; float64: Float64Array;
  int64: BigInt64Array; uint64: BigUint64Array;
}

export type TypedData = DTypeArrays[DType];

/** An n-dimensional array as the loaders return it: row-major data, its shape and dtype. */
export interface NdArray<T extends TypedData = TypedData> {
  data: T;
  shape: number[];
  dtype: DType;
}

type Ctor = { new (n: number): TypedData; BYTES_PER_ELEMENT: number };

interface DTypeInfo {
  size: number;
  ctor: Ctor;
}

export const DTYPES: Record<DType, DTypeInfo> = {
  uint8: { size: 1, ctor: Uint8Array },
  int8: { size: 1, ctor: Int8Array },
  bool: { size: 1, ctor: Uint8Array },
  uint16: { size: 2, ctor: Uint16Array },
  int16: { size: 2, ctor: Int16Array },
  uint32: { size: 4, ctor: Uint32Array },
  int32: { size: 4, ctor: Int32Array },
  float32: { size: 4, ctor: Float32Array },
  float64: { size: 8, ctor: Float64Array },
  int64: { size: 8, ctor: BigInt64Array },
  uint64: { size: 8, ctor: BigUint64Array },
};

const HOST_LE = os.endianness() === 'LE';

export { describe };

/** A Buffer view (no copy) of a Buffer or Uint8Array argument. */
export function asBytes(who: string, buf: unknown): Buffer {
  if (Buffer.isBuffer(buf)) return buf;
  if (buf instanceof Uint8Array) return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  throw new TypeError(`${who}: expected a Buffer or Uint8Array, got ${describe(buf)}`);
}

export function checkPath(who: string, file: unknown): string {
  if (typeof file !== 'string' || file.length === 0) {
    throw new TypeError(`${who}: path must be a non-empty string, got ${describe(file)}`);
  }
  return file;
}

/** A missing or unreadable file as an Error naming it, keeping `code`. */
export function inputError(who: string, file: string, e: unknown): NodeJS.ErrnoException {
  const err = e as NodeJS.ErrnoException;
  const why = err.code === 'ENOENT' ? 'no such file'
    : err.code === 'EISDIR' ? 'it is a directory'
    : err.code === 'EACCES' ? 'permission denied'
    : err.message;
  const out = new Error(`${who}: cannot read '${file}': ${why}`, { cause: e }) as NodeJS.ErrnoException;
  out.code = err.code;
  return out;
}

/**
 * Opens a file for reading and returns its descriptor and size, refusing anything that is not a
 * regular file. O_NONBLOCK keeps open() from waiting forever for a writer on a FIFO (it has no
 * effect on regular files); devices such as /dev/zero, which never end, are refused before a read.
 */
export function openRegular(who: string, file: string): { fd: number; size: number } {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw inputError(who, file, e);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) {
      const kind = stat.isDirectory() ? 'a directory' : stat.isFIFO() ? 'a FIFO (named pipe)'
        : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : stat.isSocket() ? 'a socket' : 'not a regular file';
      throw Object.assign(new Error(`${who}: cannot read '${file}': it is ${kind}; pass a regular file`), { code: stat.isDirectory() ? 'EISDIR' : 'EINVAL' });
    }
    return { fd, size: stat.size };
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
}

/** Reads exactly target.length bytes at position, or fails naming the file. */
export function readExact(where: string, fd: number, target: Uint8Array, position: number): void {
  for (let done = 0; done < target.length;) {
    const got = fs.readSync(fd, target, done, Math.min(target.length - done, 1 << 26), position + done);
    if (got === 0) throw new Error(`${where}: the file ended early (was it truncated while being read?)`);
    done += got;
  }
}

/**
 * Reads a whole regular file: as many bytes as its size when it was opened, so that a file that
 * keeps growing cannot make the read unbounded. Errors name the file and keep `code`.
 */
export function readInput(who: string, file: unknown): Buffer {
  const p = checkPath(who, file);
  const { fd, size } = openRegular(who, p);
  try {
    const buf = Buffer.allocUnsafe(size);
    readExact(`${who}: ${p}`, fd, buf, 0);
    return buf;
  } finally {
    fs.closeSync(fd);
  }
}

/** Element count of a shape, with the byte size; RangeError when either passes 2^53. */
export function shapeSize(where: string, shape: number[], itemSize: number): { count: number; bytes: number } {
  let count = 1;
  for (const d of shape) {
    count *= d;
    if (count > Number.MAX_SAFE_INTEGER) {
      throw new RangeError(`${where}: shape (${shape.join(', ')}) has more elements than can be addressed`);
    }
  }
  const bytes = count * itemSize;
  if (bytes > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`${where}: shape (${shape.join(', ')}) needs more bytes than can be addressed`);
  }
  return { count, bytes };
}

function swapInPlace(bytes: Uint8Array, size: number): void {
  if (size === 2) {
    for (let i = 0; i < bytes.length; i += 2) {
      const t = bytes[i]; bytes[i] = bytes[i + 1]; bytes[i + 1] = t;
    }
  } else if (size === 4) {
    for (let i = 0; i < bytes.length; i += 4) {
      let t = bytes[i]; bytes[i] = bytes[i + 3]; bytes[i + 3] = t;
      t = bytes[i + 1]; bytes[i + 1] = bytes[i + 2]; bytes[i + 2] = t;
    }
  } else if (size === 8) {
    for (let i = 0; i < bytes.length; i += 8) {
      for (let a = i, b = i + 7; a < b; a++, b--) {
        const t = bytes[a]; bytes[a] = bytes[b]; bytes[b] = t;
      }
    }
  }
}

/**
 * Copies `count` elements stored at src[offset...] in the given byte order into a new typed array
 * (its own, aligned buffer). The caller has checked that the bytes are there.
 */
export function copyElements(src: Uint8Array, offset: number, count: number, dtype: DType, littleEndian: boolean): TypedData {
  const { size, ctor } = DTYPES[dtype];
  const out = new ctor(count);
  const bytes = new Uint8Array(out.buffer, out.byteOffset, count * size);
  bytes.set(src.subarray(offset, offset + count * size));
  if (size > 1 && littleEndian !== HOST_LE) swapInPlace(bytes, size);
  return out;
}

/** The raw bytes of a typed array in the given byte order (a view when no swap is needed). */
export function elementBytes(data: TypedData, littleEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const size = data.BYTES_PER_ELEMENT;
  if (size === 1 || littleEndian === HOST_LE) return bytes;
  const copy = bytes.slice();
  swapInPlace(copy, size);
  return copy;
}

/** The dtype name of a typed array, or undefined when no loader dtype stores it. */
export function dtypeOf(data: unknown): DType | undefined {
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof BigUint64Array) return 'uint64';
  return undefined;
}
