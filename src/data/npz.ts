// NumPy .npz archives: a ZIP of .npy files, as np.savez (stored) and np.savez_compressed (deflated)
// write them.
import * as fs from 'fs';
import { NdArray, asBytes, checkPath, describe, readInput } from './common';
import { NpyInput, encodeNpy, parseNpy } from './npy';
import { readZipEntries, readZipEntry, writeZip } from './zip';

export interface NpzOptions {
  /**
   * Largest uncompressed entry accepted, in bytes (default 4 GiB, also Node's Buffer limit). Entries
   * declaring more are refused before anything is inflated.
   */
  maxEntryBytes?: number;
  /**
   * Largest total of the uncompressed entries, in bytes (default 8 GiB). Checked on the sizes the
   * archive declares, before anything is inflated.
   */
  maxBytes?: number;
}

const DEFAULT_MAX_ENTRY = 4 * 1024 ** 3;
const DEFAULT_MAX_TOTAL = 8 * 1024 ** 3;

/** Arrays of an .npz by name (the member name without `.npy`), in archive order. */
export type NpzArrays = Record<string, NdArray>;

function limits(who: string, options: NpzOptions | undefined): { entry: number; total: number } {
  if (options === undefined) return { entry: DEFAULT_MAX_ENTRY, total: DEFAULT_MAX_TOTAL };
  if (options === null || typeof options !== 'object') throw new TypeError(`${who}: options must be an object, got ${describe(options)}`);
  const get = (key: 'maxEntryBytes' | 'maxBytes', fallback: number): number => {
    const m = options[key] ?? fallback;
    if (typeof m !== 'number' || !Number.isSafeInteger(m) || m < 0) {
      throw new RangeError(`${who}: options.${key} must be a non-negative integer, got ${describe(m)}`);
    }
    return m;
  };
  return { entry: get('maxEntryBytes', DEFAULT_MAX_ENTRY), total: get('maxBytes', DEFAULT_MAX_TOTAL) };
}

/**
 * Parses an .npz archive held in memory. Members whose names do not end in `.npy` are skipped, as
 * they are not arrays. The result has no prototype, so any member name is a safe key.
 */
export function parseNpz(buf: Buffer | Uint8Array, name = 'parseNpz', options?: NpzOptions): NpzArrays {
  const bytes = asBytes(name, buf);
  const limit = limits(name, options);
  const entries = readZipEntries(name, bytes).filter((e) => e.name.endsWith('.npy'));
  const total = entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
  if (total > limit.total) {
    throw new RangeError(`${name}: the arrays declare ${total} bytes in all, more than the ${limit.total}-byte limit ` +
      '(options.maxBytes)');
  }
  const out: NpzArrays = Object.create(null);
  for (const entry of entries) {
    const key = entry.name.slice(0, -4);
    if (key in out) throw new Error(`${name}: the archive holds '${entry.name}' twice`);
    out[key] = parseNpy(readZipEntry(name, bytes, entry, limit.entry), `${name}: entry '${entry.name}'`);
  }
  return out;
}

/** Reads an .npz file written by np.savez or np.savez_compressed. */
export function loadNpz(path: string, options?: NpzOptions): NpzArrays {
  const buf = readInput('loadNpz', path);
  return parseNpz(buf, `loadNpz: ${path}`, options);
}

export interface SaveNpzOptions {
  /** Deflate each member, as np.savez_compressed does (default false, as np.savez). */
  compress?: boolean;
}

/** Encodes named arrays as .npz bytes that np.load reads back. */
export function encodeNpz(arrays: Record<string, NpyInput>, options: SaveNpzOptions = {}, who = 'encodeNpz'): Buffer {
  if (arrays === null || typeof arrays !== 'object') {
    throw new TypeError(`${who}: arrays must be an object of { data, shape } by name, got ${describe(arrays)}`);
  }
  if (options === null || typeof options !== 'object') throw new TypeError(`${who}: options must be an object`);
  const files = Object.entries(arrays).map(([key, a]) => {
    if (key.length === 0) throw new RangeError(`${who}: array names must be non-empty`);
    return { name: `${key}.npy`, data: encodeNpy(a, `${who}: '${key}'`) };
  });
  return writeZip(files, Boolean(options.compress));
}

/** Writes named arrays as an .npz file (deflated with `{ compress: true }`). */
export function saveNpz(path: string, arrays: Record<string, NpyInput>, options: SaveNpzOptions = {}): void {
  checkPath('saveNpz', path);
  fs.writeFileSync(path, encodeNpz(arrays, options, `saveNpz: ${path}`));
}
