// MNIST's IDX files (yann.lecun.com/exdb/mnist): 0x00 0x00, a type byte, the number of dimensions,
// then big-endian uint32 dimensions and big-endian data. Raw or gzipped (detected by 1f 8b).
import * as fs from 'fs';
import * as zlib from 'zlib';
import { constants as bufferConstants } from 'buffer';
import { DType, NdArray, TypedData, DTYPES, asBytes, checkPath, copyElements, describe, dtypeOf, elementBytes, readInput, shapeSize } from './common';

const TYPES: Record<number, DType> = { 0x08: 'uint8', 0x09: 'int8', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64' };
const CODES: Partial<Record<DType, number>> = { uint8: 0x08, int8: 0x09, int16: 0x0b, int32: 0x0c, float32: 0x0d, float64: 0x0e };
const DEFAULT_MAX_BYTES = 4 * 1024 ** 3;
/** Deflate cannot expand data by more than about 1032:1: a tighter cap than any size limit. */
const MAX_DEFLATE_RATIO = 1032;

export interface IdxOptions {
  /** Largest decompressed file accepted, in bytes (default 4 GiB, also Node's Buffer limit). */
  maxBytes?: number;
}

function gunzip(where: string, buf: Buffer, maxBytes: number): Buffer {
  const cap = Math.min(maxBytes, bufferConstants.MAX_LENGTH, buf.length * MAX_DEFLATE_RATIO + 1024);
  try {
    return zlib.gunzipSync(buf, { maxOutputLength: Math.max(1, cap) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new RangeError(`${where}: gzip data inflates to more than ${cap} bytes (options.maxBytes)`, { cause: e });
    }
    throw new Error(`${where}: corrupt or truncated gzip data: ${(e as Error).message}`, { cause: e });
  }
}

/** Parses an IDX file held in memory (gzipped or not) into native-endian typed data. */
export function parseIdx(buf: Buffer | Uint8Array, name = 'parseIdx', options: IdxOptions = {}): NdArray {
  let bytes = asBytes(name, buf);
  if (options === null || typeof options !== 'object') throw new TypeError(`${name}: options must be an object`);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (typeof maxBytes !== 'number' || !Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new RangeError(`${name}: options.maxBytes must be a non-negative integer, got ${describe(maxBytes)}`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzip(name, bytes, maxBytes);
  if (bytes.length < 4) throw new Error(`${name}: truncated IDX file (${bytes.length} bytes, the header alone needs 4)`);
  const dtype = TYPES[bytes[2]];
  if (bytes[0] !== 0 || bytes[1] !== 0 || !dtype) {
    const head = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new Error(`${name}: not an IDX file: bad magic [${head}], expected 00 00 then a type byte ` +
      '(08 u8, 09 i8, 0b i16, 0c i32, 0d f32, 0e f64)');
  }
  const ndim = bytes[3];
  const dataOffset = 4 + 4 * ndim;
  if (bytes.length < dataOffset) {
    throw new Error(`${name}: truncated IDX header: ${ndim} dimensions need ${dataOffset} bytes, the file has ${bytes.length}`);
  }
  const shape: number[] = [];
  for (let i = 0; i < ndim; i++) shape.push(bytes.readUInt32BE(4 + 4 * i));
  const { count, bytes: need } = shapeSize(name, shape, DTYPES[dtype].size);
  const have = bytes.length - dataOffset;
  if (need !== have) {
    throw new Error(`${name}: IDX shape (${shape.join(', ')}) of ${dtype} needs ${need} data bytes, but the file has ` +
      `${have}${need > have ? ' (truncated?)' : ''}`);
  }
  return { data: copyElements(bytes, dataOffset, count, dtype, false), shape, dtype };
}

/** Reads an IDX file such as train-images-idx3-ubyte or t10k-labels-idx1-ubyte.gz. */
export function loadIdx(path: string, options?: IdxOptions): NdArray {
  const buf = readInput('loadIdx', path);
  return parseIdx(buf, `loadIdx: ${path}`, options);
}

export interface IdxInput {
  data: TypedData | Uint8ClampedArray;
  shape?: readonly number[];
}

/** Encodes an array (u8, i8, i16, i32, f32 or f64) as IDX bytes, gzipped with `{ gzip: true }`. */
export function encodeIdx(array: IdxInput, options: { gzip?: boolean } = {}, who = 'encodeIdx'): Buffer {
  if (array === null || typeof array !== 'object') throw new TypeError(`${who}: expected { data, shape }, got ${describe(array)}`);
  const dtype = dtypeOf(array.data);
  const code = dtype === undefined ? undefined : CODES[dtype];
  if (code === undefined) {
    throw new TypeError(`${who}: IDX stores Uint8Array, Int8Array, Int16Array, Int32Array, Float32Array or ` +
      `Float64Array data, got ${describe(array.data)}`);
  }
  const shape = array.shape === undefined ? [array.data.length] : Array.isArray(array.shape) ? [...array.shape] : null;
  if (!shape || shape.length > 255 || shape.some((d) => !Number.isInteger(d) || d < 0 || d > 0xffffffff)) {
    throw new TypeError(`${who}: shape must be an array of at most 255 integers in [0, 2^32 - 1], got ${describe(array.shape)}`);
  }
  const { count } = shapeSize(who, shape, 1);
  if (count !== array.data.length) {
    throw new RangeError(`${who}: shape (${shape.join(', ')}) has ${count} elements but data has ${array.data.length}`);
  }
  const header = Buffer.alloc(4 + 4 * shape.length);
  header[2] = code;
  header[3] = shape.length;
  shape.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  const raw = Buffer.concat([header, elementBytes(array.data as TypedData, false)]);
  return options.gzip ? zlib.gzipSync(raw) : raw;
}

/** Writes an array as an IDX file (gzipped with `{ gzip: true }`). */
export function saveIdx(path: string, array: IdxInput, options: { gzip?: boolean } = {}): void {
  checkPath('saveIdx', path);
  fs.writeFileSync(path, encodeIdx(array, options, `saveIdx: ${path}`));
}
