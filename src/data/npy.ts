// NumPy .npy files (format versions 1.0, 2.0 and 3.0): read the numeric dtypes a network needs,
// write the common typed arrays. Every size in the header is checked against the bytes actually
// present before anything is allocated, so a corrupt or hostile file cannot ask for gigabytes.
import * as fs from 'fs';
import {
  DType, NdArray, TypedData, DTYPES, asBytes, checkPath, copyElements, describe, dtypeOf, elementBytes,
  readInput, shapeSize,
} from './common';
import { PyDict, PySyntaxError, PyTuple, PyValue, parsePyLiteral } from './pyliteral';

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY
/** NumPy refuses longer headers by default too (np.load's max_header_size). */
const MAX_HEADER = 100000;

// descr type code (after the byte-order character) -> dtype
const CODES: Record<string, DType> = {
  u1: 'uint8', i1: 'int8', b1: 'bool', u2: 'uint16', i2: 'int16', u4: 'uint32', i4: 'int32',
  f4: 'float32', f8: 'float64', i8: 'int64', u8: 'uint64',
};
const DESCRS: Record<DType, string> = {
  uint8: '|u1', int8: '|i1', bool: '|b1', uint16: '<u2', int16: '<i2', uint32: '<u4', int32: '<i4',
  float32: '<f4', float64: '<f8', int64: '<i8', uint64: '<u8',
};

function dtypeFromDescr(where: string, descr: PyValue): DType {
  if (typeof descr !== 'string') {
    throw new TypeError(`${where}: structured dtypes (descr ${describeHeaderValue(descr)}) are not supported; ` +
      'save a plain numeric array');
  }
  const order = descr[0];
  const code = descr.slice(1);
  if (code === 'O') {
    throw new TypeError(`${where}: dtype '${descr}' is an object array (pickled Python objects), which cannot be ` +
      'loaded safely; convert it to a numeric dtype, e.g. arr.astype(np.float32)');
  }
  if (/^c(8|16|32)$/.test(code)) {
    throw new TypeError(`${where}: complex dtype '${descr}' is not supported; save the real part (arr.real) instead`);
  }
  const dtype = CODES[code];
  if (!dtype || !'<>|='.includes(order) || order === '') {
    throw new TypeError(`${where}: unsupported dtype '${descr}'; supported: ${Object.values(DESCRS).join(' ')}`);
  }
  if (order === '>' && DTYPES[dtype].size > 1) {
    throw new TypeError(`${where}: big-endian dtype '${descr}' is not supported; save it little-endian, ` +
      `e.g. arr.astype('<${code}')`);
  }
  return dtype;
}

function describeHeaderValue(v: PyValue): string {
  const s = JSON.stringify(v instanceof PyTuple ? v.items : v instanceof Map ? Object.fromEntries(v) : v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 60) + '...' : s;
}

interface Header {
  dtype: DType;
  shape: number[];
  dataOffset: number;
}

function parseHeader(where: string, buf: Buffer): Header {
  if (buf.length < MAGIC.length || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    const head = [...buf.subarray(0, 6)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const hint = buf[0] === 0x50 && buf[1] === 0x4b ? ' (this looks like a ZIP/.npz archive: use loadNpz)' : '';
    throw new Error(`${where}: not a .npy file: bad magic bytes [${head}], expected \\x93NUMPY${hint}`);
  }
  if (buf.length < 10) throw new Error(`${where}: truncated .npy header (${buf.length} bytes)`);
  const major = buf[6];
  const minor = buf[7];
  if (major < 1 || major > 3 || minor !== 0) {
    throw new Error(`${where}: unsupported .npy format version ${major}.${minor} (supported: 1.0, 2.0, 3.0)`);
  }
  const lenBytes = major === 1 ? 2 : 4;
  if (buf.length < 8 + lenBytes) throw new Error(`${where}: truncated .npy header (${buf.length} bytes)`);
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = 8 + lenBytes;
  if (headerLen > MAX_HEADER) {
    throw new Error(`${where}: .npy header claims ${headerLen} bytes, more than the ${MAX_HEADER} allowed`);
  }
  if (start + headerLen > buf.length) {
    throw new Error(`${where}: truncated .npy header: it claims ${headerLen} bytes but only ` +
      `${buf.length - start} follow`);
  }
  const text = buf.toString(major === 3 ? 'utf8' : 'latin1', start, start + headerLen);
  let dict: PyValue;
  try {
    dict = parsePyLiteral(text);
  } catch (e) {
    if (!(e instanceof PySyntaxError)) throw e;
    throw new Error(`${where}: cannot parse the .npy header dict (${e.message}): ${JSON.stringify(text.slice(0, 120))}`);
  }
  if (!(dict instanceof Map)) throw new Error(`${where}: the .npy header is not a dict: ${JSON.stringify(text.slice(0, 120))}`);
  const keys = [...dict.keys()].map(String).sort().join(', ');
  if (keys !== 'descr, fortran_order, shape') {
    throw new Error(`${where}: the .npy header must have the keys descr, fortran_order and shape, found: ${keys}`);
  }
  const dtype = dtypeFromDescr(where, (dict as PyDict).get('descr')!);
  const shapeValue = dict.get('shape')!;
  if (!(shapeValue instanceof PyTuple) || !shapeValue.items.every((d) => typeof d === 'number')) {
    throw new Error(`${where}: the .npy shape must be a tuple of integers, got ${describeHeaderValue(shapeValue)}`);
  }
  const shape = shapeValue.items as number[];
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new RangeError(`${where}: invalid dimension ${d} in shape (${shape.join(', ')})`);
    }
  }
  const fortran = dict.get('fortran_order');
  if (typeof fortran !== 'boolean') {
    throw new Error(`${where}: fortran_order must be True or False, got ${describeHeaderValue(fortran!)}`);
  }
  // Column-major only differs from row-major when two or more dimensions exceed 1.
  if (fortran && shape.filter((d) => d > 1).length > 1) {
    throw new Error(`${where}: the array is stored in Fortran (column-major) order, which is not supported; ` +
      'save it with np.save(path, np.ascontiguousarray(arr))');
  }
  return { dtype, shape, dataOffset: start + headerLen };
}

/**
 * Parses a .npy file held in memory. The data is copied into a new typed array of the matching kind
 * (BigInt64Array / BigUint64Array for 64-bit integers, 0/1 bytes in a Uint8Array for bool).
 * `name` labels error messages (a file name, say).
 */
export function parseNpy(buf: Buffer | Uint8Array, name = 'parseNpy'): NdArray {
  const bytes = asBytes(name, buf);
  const { dtype, shape, dataOffset } = parseHeader(name, bytes);
  const { count, bytes: need } = shapeSize(name, shape, DTYPES[dtype].size);
  const have = bytes.length - dataOffset;
  if (need !== have) {
    throw new Error(`${name}: shape (${shape.join(', ')}) of ${dtype} needs ${need} data bytes, but the file has ` +
      `${have}${need > have ? ' (truncated?)' : ''}`);
  }
  return { data: copyElements(bytes, dataOffset, count, dtype, true), shape, dtype };
}

/** Reads a .npy file (versions 1.0-3.0, little-endian numeric dtypes). */
export function loadNpy(path: string): NdArray {
  const buf = readInput('loadNpy', path);
  return parseNpy(buf, `loadNpy: ${path}`);
}

/** What encodeNpy / saveNpy accept: a typed array, its shape (default 1-D) and optionally 'bool'. */
export interface NpyInput {
  data: TypedData | Uint8ClampedArray;
  shape?: readonly number[];
  /** Only needed to store a Uint8Array as NumPy bool; otherwise taken from the typed array. */
  dtype?: DType;
}

/** Encodes an array as .npy bytes (version 1.0, or 2.0 if the header needs it), as np.save writes. */
export function encodeNpy(array: NpyInput, name = 'encodeNpy'): Buffer {
  if (array === null || typeof array !== 'object') {
    throw new TypeError(`${name}: expected { data, shape }, got ${describe(array)}`);
  }
  let dtype = dtypeOf(array.data);
  if (!dtype) throw new TypeError(`${name}: data must be a typed array, got ${describe(array.data)}`);
  if (array.dtype !== undefined && array.dtype !== dtype) {
    if (array.dtype === 'bool' && dtype === 'uint8') dtype = 'bool';
    else throw new TypeError(`${name}: dtype '${array.dtype}' does not match the ${array.data.constructor.name}`);
  }
  const shape = array.shape === undefined ? [array.data.length] : Array.isArray(array.shape) ? [...array.shape] : null;
  if (!shape || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new TypeError(`${name}: shape must be an array of non-negative integers, got ${describe(array.shape)}`);
  }
  const { count } = shapeSize(name, shape, 1);
  if (count !== array.data.length) {
    throw new RangeError(`${name}: shape (${shape.join(', ')}) has ${count} elements but data has ${array.data.length}`);
  }
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${DESCRS[dtype]}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  let major = 1;
  let prefix = 10;
  if (header.length + 1 + prefix > 65535) {
    major = 2;
    prefix = 12;
  }
  // Pad with spaces so the data starts on a 64-byte boundary, then end with a newline.
  header += ' '.repeat(63 - ((prefix + header.length) % 64)) + '\n';
  const body = elementBytes(array.data as TypedData, true);
  const out = Buffer.alloc(prefix + header.length + body.length);
  MAGIC.copy(out, 0);
  out[6] = major;
  out[7] = 0;
  if (major === 1) out.writeUInt16LE(header.length, 8);
  else out.writeUInt32LE(header.length, 8);
  out.write(header, prefix, 'latin1');
  out.set(body, prefix + header.length);
  return out;
}

/** Writes an array as a .npy file that np.load reads back. */
export function saveNpy(path: string, array: NpyInput): void {
  checkPath('saveNpy', path);
  fs.writeFileSync(path, encodeNpy(array, `saveNpy: ${path}`));
}
