// The safetensors layout: an 8-byte little-endian header length N, N bytes of JSON giving each
// tensor's dtype, shape and [begin, end) byte range in the data that follows (plus an optional
// "__metadata__" map of strings), then the data. Decoding checks every claim of the header against
// the bytes actually present before allocating anything, so a corrupt or hostile file fails with an
// Error naming it rather than asking for gigabytes.
import * as fs from 'fs';
import * as os from 'os';
import { DType, TypedData, DTYPES, asBytes, checkPath, copyElements, openRegular, readExact, describe, dtypeOf, elementBytes, shapeSize } from '../data/common';
import { writeFileAtomic } from './atomic';

/** Element types gemmnet reads and writes, by their safetensors names. */
export type SafeDType = 'F64' | 'F32' | 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';

const KINDS: Record<SafeDType, DType> = {
  F64: 'float64', F32: 'float32', I64: 'int64', I32: 'int32', I16: 'int16', I8: 'int8',
  U64: 'uint64', U32: 'uint32', U16: 'uint16', U8: 'uint8', BOOL: 'bool',
};
const NAMES: Partial<Record<DType, SafeDType>> = Object.fromEntries(
  Object.entries(KINDS).filter(([k]) => k !== 'BOOL').map(([k, v]) => [v, k]),
) as Partial<Record<DType, SafeDType>>;
/** Valid safetensors dtypes without a typed array to hold them. */
const UNSUPPORTED = ['F16', 'BF16', 'F8_E4M3', 'F8_E5M2', 'F8_E8M0', 'F6_E2M3', 'F6_E3M2', 'F4', 'C64'];

/** The reference implementation refuses longer headers too. */
export const MAX_HEADER_BYTES = 100_000_000;
const HOST_LE = os.endianness() === 'LE';

export interface Tensor {
  dtype: SafeDType;
  shape: number[];
  /** Row-major values in a typed array of the dtype's kind (BOOL as 0/1 bytes in a Uint8Array). */
  data: TypedData;
}

/** A tensor to encode: a typed array (1-D), or its data with a shape and optionally 'BOOL'. */
export type TensorInput = TypedData | Uint8ClampedArray | { data: TypedData | Uint8ClampedArray; shape?: readonly number[]; dtype?: SafeDType };

export interface SafeTensors {
  /** Tensors by name, in header order; the object has no prototype, so any name is a safe key. */
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

interface Entry {
  name: string;
  dtype: SafeDType;
  shape: number[];
  count: number;
  begin: number;
  end: number;
}

// ---- Encoding -------------------------------------------------------------------------------------

/** A file's bytes as pieces: the length prefix and header, then each tensor's data (views, no copy). */
export interface EncodedParts {
  parts: Uint8Array[];
  byteLength: number;
}

function tensorInput(who: string, name: string, v: unknown): { data: TypedData; shape: number[]; dtype: SafeDType } {
  const where = `${who}: tensor '${name}'`;
  const t = ArrayBuffer.isView(v) ? { data: v } : v;
  if (t === null || typeof t !== 'object') throw new TypeError(`${where} must be a typed array or { data, shape }, got ${describe(v)}`);
  const { data, shape: shapeIn, dtype: dtypeIn } = t as { data: unknown; shape?: unknown; dtype?: unknown };
  const kind = dtypeOf(data);
  if (!kind) throw new TypeError(`${where}: data must be a typed array, got ${describe(data)}`);
  let dtype = NAMES[kind]!;
  if (dtypeIn !== undefined && dtypeIn !== dtype) {
    if (dtypeIn === 'BOOL' && dtype === 'U8') dtype = 'BOOL';
    else throw new TypeError(`${where}: dtype ${describe(dtypeIn)} does not match its ${(data as TypedData).constructor.name}`);
  }
  const length = (data as TypedData).length;
  const shape = shapeIn === undefined ? [length] : Array.isArray(shapeIn) ? [...shapeIn] : null;
  if (!shape || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new TypeError(`${where}: shape must be an array of non-negative integers, got ${describe(shapeIn)}`);
  }
  const { count } = shapeSize(where, shape, 1);
  if (count !== length) throw new RangeError(`${where}: shape [${shape.join(', ')}] has ${count} elements but data has ${length}`);
  return { data: data as TypedData, shape, dtype };
}

/**
 * Lays out tensors and metadata as safetensors pieces. Tensors with wider elements come first and
 * the header is padded with spaces to a multiple of 8 bytes, so every tensor starts aligned to its
 * element size and a reader may view the file's bytes in place.
 */
export function encodeSafetensorsParts(
  tensors: Record<string, TensorInput>, metadata: Record<string, string> = {}, who = 'encodeSafetensors',
): EncodedParts {
  if (tensors === null || typeof tensors !== 'object' || ArrayBuffer.isView(tensors)) {
    throw new TypeError(`${who}: tensors must be an object of typed arrays by name, got ${describe(tensors)}`);
  }
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new TypeError(`${who}: metadata must be an object of strings, got ${describe(metadata)}`);
  }
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new TypeError(`${who}: metadata '${k}' must be a string, got ${describe(v)}`);
  }
  const items = Object.entries(tensors).map(([name, v]) => {
    if (name === '__metadata__') throw new RangeError(`${who}: '__metadata__' is reserved and cannot name a tensor`);
    return { name, ...tensorInput(who, name, v) };
  });
  items.sort((a, b) => b.data.BYTES_PER_ELEMENT - a.data.BYTES_PER_ELEMENT); // stable: same-size keep their order
  // No prototype, so a tensor named '__proto__' is an ordinary key.
  const header: Record<string, unknown> = Object.create(null);
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  const bodies: Uint8Array[] = [];
  let offset = 0;
  for (const t of items) {
    const bytes = elementBytes(t.data, true);
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    bodies.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const head = Buffer.alloc(8 + Buffer.byteLength(json));
  head.writeBigUInt64LE(BigInt(head.length - 8), 0);
  head.write(json, 8, 'utf8');
  return { parts: [head, ...bodies], byteLength: head.length + offset };
}

/** Encodes tensors (and string metadata) as the bytes of a .safetensors file. */
export function encodeSafetensors(tensors: Record<string, TensorInput>, metadata: Record<string, string> = {}): Buffer {
  const { parts, byteLength } = encodeSafetensorsParts(tensors, metadata);
  return Buffer.concat(parts, byteLength);
}

// ---- Decoding -------------------------------------------------------------------------------------

/** The header length from the first 8 bytes, checked against the file size. */
function headerLength(where: string, first: Buffer, fileSize: number): number {
  if (fileSize < 8) {
    throw new Error(`${where}: not a safetensors file: ${fileSize} bytes, fewer than the 8 of the header length`);
  }
  const n = first.readBigUInt64LE(0);
  const hint = first[0] === 0x50 && first[1] === 0x4b ? ' (this looks like a ZIP/.npz archive)'
    : first[0] === 0x93 && first.toString('latin1', 1, 6) === 'NUMPY' ? ' (this looks like a .npy file)' : '';
  if (n > BigInt(MAX_HEADER_BYTES)) {
    throw new RangeError(`${where}: not a safetensors file: its header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit${hint}`);
  }
  if (Number(n) + 8 > fileSize) {
    throw new Error(`${where}: truncated or not a safetensors file: the header claims ${n} bytes but only ` +
      `${fileSize - 8} follow${hint}`);
  }
  if (n < 2n) throw new Error(`${where}: not a safetensors file: a header of ${n} bytes cannot hold a JSON object`);
  return Number(n);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function nonNegativeInts(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((d) => Number.isSafeInteger(d) && d >= 0);
}

/** Parses and checks the JSON header against the data size; returns the entries in header order. */
/**
 * The first top-level key that a JSON object text (already parsed) holds twice, if any: JSON.parse
 * keeps the last silently, and the tensor it drops would then be reported as a gap in the data.
 */
function duplicateKey(text: string): string | undefined {
  const seen = new Set<string>();
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (depth === 1) {
        let k = j + 1;
        while (k < text.length && /\s/.test(text[k])) k++;
        if (text[k] === ':') {
          const key = JSON.parse(text.slice(i, j + 1)) as string;
          if (seen.has(key)) return key;
          seen.add(key);
        }
      }
      i = j;
    } else if (ch === '{' || ch === '[') {
      depth++;
    } else if (ch === '}' || ch === ']') {
      depth--;
    }
  }
  return undefined;
}

function parseHeader(where: string, header: Uint8Array, dataBytes: number): { entries: Entry[]; metadata: Record<string, string> } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(header);
  } catch {
    throw new Error(`${where}: the safetensors header is not valid UTF-8`);
  }
  if (text[0] !== '{') {
    throw new Error(`${where}: not a safetensors file: the header does not start with '{' (${JSON.stringify(text.slice(0, 40))})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: the safetensors header is not valid JSON (${(e as Error).message})`);
  }
  if (!isPlainObject(json)) throw new Error(`${where}: the safetensors header must be a JSON object`);
  const twice = duplicateKey(text);
  if (twice !== undefined) throw new Error(`${where}: the safetensors header names ${JSON.stringify(twice)} twice`);
  const metadata: Record<string, string> = Object.create(null);
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(json)) {
    if (name === '__metadata__') {
      if (info === null) continue;
      if (!isPlainObject(info)) throw new Error(`${where}: __metadata__ must be an object of strings, got ${describe(info)}`);
      for (const [k, v] of Object.entries(info)) {
        if (typeof v !== 'string') throw new Error(`${where}: __metadata__ '${k}' must be a string, got ${describe(v)}`);
        metadata[k] = v;
      }
      continue;
    }
    entries.push(parseEntry(`${where}: tensor '${name}'`, name, info, dataBytes));
  }
  checkCoverage(where, entries, dataBytes);
  return { entries, metadata };
}

function parseEntry(where: string, name: string, info: unknown, dataBytes: number): Entry {
  if (!isPlainObject(info)) throw new Error(`${where}: expected { dtype, shape, data_offsets }, got ${describe(info)}`);
  const keys = Object.keys(info).sort().join(', ');
  if (keys !== 'data_offsets, dtype, shape') {
    throw new Error(`${where}: expected exactly the keys data_offsets, dtype and shape, found: ${keys}`);
  }
  const { dtype, shape, data_offsets: offsets } = info as { dtype: unknown; shape: unknown; data_offsets: unknown };
  if (typeof dtype !== 'string' || !(dtype in KINDS)) {
    if (typeof dtype === 'string' && UNSUPPORTED.includes(dtype)) {
      throw new TypeError(`${where}: dtype ${dtype} is not supported; supported: ${Object.keys(KINDS).join(' ')}`);
    }
    throw new Error(`${where}: unknown dtype ${describe(dtype)}`);
  }
  if (!nonNegativeInts(shape)) throw new Error(`${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  if (!nonNegativeInts(offsets) || offsets.length !== 2 || offsets[0] > offsets[1]) {
    throw new Error(`${where}: data_offsets must be [begin, end] with 0 <= begin <= end, got ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets;
  if (end > dataBytes) {
    throw new Error(`${where}: data_offsets [${begin}, ${end}] run past the ${dataBytes} data bytes of the file (truncated?)`);
  }
  const { count, bytes } = shapeSize(where, shape, DTYPES[KINDS[dtype as SafeDType]].size);
  if (bytes !== end - begin) {
    throw new Error(`${where}: shape [${shape.join(', ')}] of ${dtype} needs ${bytes} bytes, but data_offsets ` +
      `[${begin}, ${end}] hold ${end - begin}`);
  }
  return { name, dtype: dtype as SafeDType, shape, count, begin, end };
}

/** The tensors must tile the data exactly: no overlap, no gap, nothing left over. */
function checkCoverage(where: string, entries: Entry[], dataBytes: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  let prev: Entry | undefined;
  for (const e of sorted) {
    if (e.begin < at) {
      throw new Error(`${where}: tensors '${prev!.name}' and '${e.name}' overlap (bytes [${prev!.begin}, ${prev!.end}] and [${e.begin}, ${e.end}])`);
    }
    if (e.begin > at) throw new Error(`${where}: the data has a gap: bytes [${at}, ${e.begin}) belong to no tensor`);
    at = e.end;
    prev = e;
  }
  if (at !== dataBytes) {
    throw new Error(`${where}: the data has ${dataBytes - at} trailing bytes after the last tensor (at ${at} of ${dataBytes})`);
  }
}

/** Decodes a .safetensors file held in memory; `name` labels error messages (a file name, say). */
export function decodeSafetensors(buf: Buffer | Uint8Array, name = 'decodeSafetensors'): SafeTensors {
  const bytes = asBytes(name, buf);
  const n = headerLength(name, bytes, bytes.length);
  const { entries, metadata } = parseHeader(name, bytes.subarray(8, 8 + n), bytes.length - 8 - n);
  const tensors: Record<string, Tensor> = Object.create(null);
  for (const e of entries) {
    tensors[e.name] = { dtype: e.dtype, shape: e.shape, data: copyElements(bytes, 8 + n + e.begin, e.count, KINDS[e.dtype], true) };
  }
  return { tensors, metadata };
}

// ---- Files ----------------------------------------------------------------------------------------

/**
 * Reads a .safetensors file. The header is read and checked first; each tensor is then read straight
 * into its own typed array, so the file is never held in memory twice.
 */
export function loadSafetensors(path: string, who = 'loadSafetensors'): SafeTensors {
  checkPath(who, path);
  const where = `${who}: ${path}`;
  const { fd, size: fileSize } = openRegular(who, path);
  try {
    const first = Buffer.alloc(8);
    if (fileSize >= 8) readExact(where, fd, first, 0);
    const n = headerLength(where, first, fileSize);
    const header = Buffer.alloc(n);
    readExact(where, fd, header, 8);
    const { entries, metadata } = parseHeader(where, header, fileSize - 8 - n);
    const tensors: Record<string, Tensor> = Object.create(null);
    for (const e of entries) {
      const kind = KINDS[e.dtype];
      const { size, ctor } = DTYPES[kind];
      let data: TypedData;
      if (HOST_LE || size === 1) {
        data = new ctor(e.count);
        readExact(where, fd, new Uint8Array(data.buffer, 0, e.end - e.begin), 8 + n + e.begin);
      } else {
        const raw = Buffer.alloc(e.end - e.begin);
        readExact(where, fd, raw, 8 + n + e.begin);
        data = copyElements(raw, 0, e.count, kind, true);
      }
      tensors[e.name] = { dtype: e.dtype, shape: e.shape, data };
    }
    return { tensors, metadata };
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes a .safetensors file atomically (see writeFileAtomic). */
export function saveSafetensors(path: string, tensors: Record<string, TensorInput>, metadata: Record<string, string> = {}): void {
  checkPath('saveSafetensors', path);
  const { parts } = encodeSafetensorsParts(tensors, metadata, `saveSafetensors: ${path}`);
  writeFileAtomic('saveSafetensors', path, parts);
}

