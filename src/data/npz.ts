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
}

const DEFAULT_MAX_ENTRY = 4 * 1024 ** 3;

/** Arrays of an .npz by name (the member name without `.npy`), in archive order. */
export type NpzArrays = Record<string, NdArray>;

function maxEntry(who: string, options: NpzOptions | undefined): number {
  if (options === undefined) return DEFAULT_MAX_ENTRY;
  if (options === null || typeof options !== 'object') throw new TypeError(`${who}: options must be an object, got ${describe(options)}`);
  const m = options.maxEntryBytes ?? DEFAULT_MAX_ENTRY;
  if (typeof m !== 'number' || !Number.isSafeInteger(m) || m < 0) {
    throw new RangeError(`${who}: options.maxEntryBytes must be a non-negative integer, got ${describe(m)}`);
  }
  return m;
}

/**
 * Parses an .npz archive held in memory. Members whose names do not end in `.npy` are skipped, as
 * they are not arrays. The result has no prototype, so any member name is a safe key.
 */
export function parseNpz(buf: Buffer | Uint8Array, name = 'parseNpz', options?: NpzOptions): NpzArrays {
  const bytes = asBytes(name, buf);
  const limit = maxEntry(name, options);
  const out: NpzArrays = Object.create(null);
  for (const entry of readZipEntries(name, bytes)) {
    if (!entry.name.endsWith('.npy')) continue;
    const key = entry.name.slice(0, -4);
    if (key in out) throw new Error(`${name}: the archive holds '${entry.name}' twice`);
    out[key] = parseNpy(readZipEntry(name, bytes, entry, limit), `${name}: entry '${entry.name}'`);
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
