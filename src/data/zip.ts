// The slice of the ZIP format .npz files use: read the central directory from the end record
// (ZIP64 included, as NumPy writes it for large archives), stored and deflated entries; write the same.
// Every offset and size read from the file is bounds-checked before use, and inflating is capped at
// the declared size so a crafted entry cannot balloon in memory.
import * as zlib from 'zlib';
import { constants as bufferConstants } from 'buffer';
import { crc32 } from '../io/crc32';

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_LOCATOR64 = 0x07064b50;
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;
/** Deflate cannot expand data by more than about 1032:1, so larger declared sizes are corrupt. */
const MAX_DEFLATE_RATIO = 1032;
const METHOD_NAMES: Record<number, string> = { 1: 'shrink', 6: 'implode', 9: 'deflate64', 12: 'bzip2', 14: 'lzma', 93: 'zstd', 95: 'xz', 98: 'ppmd', 99: 'AES encryption' };

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

function u64(where: string, buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`${where}: corrupt ZIP64 record (size ${v} is impossible)`);
  return Number(v);
}

function findEocd(where: string, buf: Buffer): number {
  if (buf.length < 22) throw new Error(`${where}: not a ZIP/.npz archive: only ${buf.length} bytes`);
  const stop = Math.max(0, buf.length - 22 - U16_MAX);
  for (let i = buf.length - 22; i >= stop; i--) {
    if (buf.readUInt32LE(i) === SIG_EOCD && i + 22 + buf.readUInt16LE(i + 20) <= buf.length) return i;
  }
  const npy = buf[0] === 0x93 && buf.toString('latin1', 1, 6) === 'NUMPY' ? ' (this is a .npy file: use loadNpy)' : '';
  const local = buf.length >= 4 && buf.readUInt32LE(0) === SIG_LOCAL ? ' (truncated ZIP archive?)' : '';
  throw new Error(`${where}: not a ZIP/.npz archive: no end-of-central-directory record${npy}${local}`);
}

/** Lists the entries of a ZIP archive held in memory, from its central directory. */
export function readZipEntries(where: string, buf: Buffer): ZipEntry[] {
  const eocd = findEocd(where, buf);
  let count = buf.readUInt16LE(eocd + 10);
  let cdSize = buf.readUInt32LE(eocd + 12);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  let cdEnd = eocd;
  if (buf.readUInt16LE(eocd + 4) !== 0 || buf.readUInt16LE(eocd + 6) !== 0) {
    throw new Error(`${where}: multi-disk ZIP archives are not supported`);
  }
  if (eocd >= 20 && buf.readUInt32LE(eocd - 20) === SIG_LOCATOR64) {
    const at = u64(where, buf, eocd - 12);
    if (at + 56 > eocd - 20 || buf.readUInt32LE(at) !== SIG_EOCD64) {
      throw new Error(`${where}: corrupt ZIP64 end-of-central-directory record`);
    }
    count = u64(where, buf, at + 32);
    cdSize = u64(where, buf, at + 40);
    cdOffset = u64(where, buf, at + 48);
    cdEnd = at;
  }
  if (cdOffset + cdSize > cdEnd) {
    throw new Error(`${where}: corrupt or truncated ZIP archive: central directory at ${cdOffset}+${cdSize} ` +
      `runs past ${cdEnd}`);
  }
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  const end = cdOffset + cdSize;
  for (let k = 0; k < count; k++) {
    if (p + 46 > end || buf.readUInt32LE(p) !== SIG_CENTRAL) {
      throw new Error(`${where}: corrupt ZIP central directory (entry ${k} of ${count})`);
    }
    const flags = buf.readUInt16LE(p + 8);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    if (p + 46 + nameLen + extraLen + commentLen > end) {
      throw new Error(`${where}: corrupt ZIP central directory (entry ${k} runs past its end)`);
    }
    const e: ZipEntry = {
      name: buf.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen),
      method: buf.readUInt16LE(p + 10),
      flags,
      crc: buf.readUInt32LE(p + 16),
      compressedSize: buf.readUInt32LE(p + 20),
      uncompressedSize: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
    };
    readZip64Extra(where, buf, p + 46 + nameLen, extraLen, e);
    entries.push(e);
    p += 46 + nameLen + extraLen + commentLen;
  }
  requireDisjoint(where, buf, entries, cdOffset);
  return entries;
}

/** Where an entry's compressed bytes begin, after its local header; checked against the buffer. */
function dataStart(what: string, buf: Buffer, e: ZipEntry): number {
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== SIG_LOCAL) {
    throw new Error(`${what}: corrupt ZIP archive (no local header at offset ${p})`);
  }
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  if (start + e.compressedSize > buf.length) {
    throw new Error(`${what}: truncated ZIP archive (its ${e.compressedSize} bytes run past the end of the file)`);
  }
  return start;
}

// Each entry must own its bytes: a central directory listing many names for one member would
// otherwise inflate the same compressed bytes again and again (a small file loading as gigabytes).
function requireDisjoint(where: string, buf: Buffer, entries: ZipEntry[], cdOffset: number): void {
  const spans = entries.map((e) => ({ e, begin: e.localOffset, end: dataStart(`${where}: entry '${e.name}'`, buf, e) + e.compressedSize }));
  spans.sort((a, b) => a.begin - b.begin);
  for (let i = 0; i < spans.length; i++) {
    const next = i + 1 < spans.length ? spans[i + 1] : null;
    if (next && spans[i].end > next.begin) {
      throw new Error(`${where}: corrupt ZIP archive: entries '${spans[i].e.name}' and '${next.e.name}' share bytes ` +
        `(${spans[i].begin}-${spans[i].end} and ${next.begin}-${next.end})`);
    }
    if (spans[i].end > cdOffset) {
      throw new Error(`${where}: corrupt ZIP archive: entry '${spans[i].e.name}' runs into the central directory`);
    }
  }
}

// ZIP64 extended information (id 1): 8-byte values for whichever 32-bit fields are all ones, in order.
function readZip64Extra(where: string, buf: Buffer, at: number, len: number, e: ZipEntry): void {
  const end = at + len;
  while (at + 4 <= end) {
    const id = buf.readUInt16LE(at);
    const size = buf.readUInt16LE(at + 2);
    let q = at + 4;
    if (q + size > end) break;
    if (id === 1) {
      const fields = ['uncompressedSize', 'compressedSize', 'localOffset'] as const;
      for (const f of fields) {
        if (e[f] !== U32_MAX) continue;
        if (q + 8 > at + 4 + size) throw new Error(`${where}: corrupt ZIP64 extra field for '${e.name}'`);
        e[f] = u64(where, buf, q);
        q += 8;
      }
    }
    at += 4 + size;
  }
}

/** The uncompressed bytes of one entry, verified against its declared size and CRC-32. */
export function readZipEntry(where: string, buf: Buffer, e: ZipEntry, maxBytes: number): Buffer {
  const what = `${where}: entry '${e.name}'`;
  if (e.flags & 1) throw new Error(`${what} is encrypted, which is not supported`);
  const start = dataStart(what, buf, e);
  const limit = Math.min(maxBytes, bufferConstants.MAX_LENGTH);
  if (e.uncompressedSize > limit) {
    throw new RangeError(`${what} declares ${e.uncompressedSize} bytes, more than the ${limit}-byte limit ` +
      '(options.maxEntryBytes)');
  }
  const raw = buf.subarray(start, start + e.compressedSize);
  let data: Buffer;
  if (e.method === 0) {
    if (e.compressedSize !== e.uncompressedSize) {
      throw new Error(`${what}: corrupt ZIP archive (stored entry with sizes ${e.compressedSize} != ${e.uncompressedSize})`);
    }
    data = raw;
  } else if (e.method === 8) {
    if (e.uncompressedSize > e.compressedSize * MAX_DEFLATE_RATIO + 64) {
      throw new Error(`${what}: corrupt ZIP archive (declares ${e.uncompressedSize} bytes from ${e.compressedSize} ` +
        'compressed bytes, beyond what deflate can produce)');
    }
    try {
      data = zlib.inflateRawSync(raw, { maxOutputLength: Math.max(1, e.uncompressedSize) });
    } catch (err) {
      const msg = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
        ? `inflates to more than the declared ${e.uncompressedSize} bytes`
        : (err as Error).message;
      throw new Error(`${what}: corrupt deflate data: ${msg}`, { cause: err });
    }
    if (data.length !== e.uncompressedSize) {
      throw new Error(`${what}: corrupt ZIP archive (inflated to ${data.length} bytes, declared ${e.uncompressedSize})`);
    }
  } else {
    const known = METHOD_NAMES[e.method] ? ` (${METHOD_NAMES[e.method]})` : '';
    throw new Error(`${what} uses ZIP compression method ${e.method}${known}, which is not supported; ` +
      'save with np.savez or np.savez_compressed');
  }
  const crc = crc32(data);
  if (crc !== e.crc) {
    const hex = (v: number) => v.toString(16).padStart(8, '0');
    throw new Error(`${what}: CRC-32 mismatch (computed ${hex(crc)}, stored ${hex(e.crc)}): corrupt file`);
  }
  return data;
}

export interface ZipInput {
  name: string;
  data: Uint8Array;
}

/** Builds a ZIP archive (stored or deflated entries), with ZIP64 records only where sizes need them. */
export function writeZip(files: ZipInput[], compress: boolean): Buffer {
  const chunks: Uint8Array[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const push = (b: Uint8Array) => {
    chunks.push(b);
    offset += b.length;
  };
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const body = compress ? zlib.deflateRawSync(f.data) : f.data;
    const crc = crc32(f.data);
    const big = f.data.length >= U32_MAX || body.length >= U32_MAX;
    const localOffset = offset;
    const zip64Local = big ? zip64Field([f.data.length, body.length]) : Buffer.alloc(0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(SIG_LOCAL, 0);
    local.writeUInt16LE(big ? 45 : 20, 4);
    local.writeUInt16LE(name.length !== f.name.length ? 0x800 : 0, 6);
    local.writeUInt16LE(compress ? 8 : 0, 8);
    local.writeUInt16LE(0, 10); // 00:00:00
    local.writeUInt16LE(0x21, 12); // 1980-01-01: fixed, so the same arrays give the same bytes
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(big ? U32_MAX : body.length, 18);
    local.writeUInt32LE(big ? U32_MAX : f.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(zip64Local.length, 28);
    push(local);
    push(name);
    push(zip64Local);
    push(body);

    const farOffset = localOffset >= U32_MAX;
    const values = big ? [f.data.length, body.length] : [];
    if (farOffset) values.push(localOffset);
    const extra = values.length ? zip64Field(values) : Buffer.alloc(0);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(SIG_CENTRAL, 0);
    c.writeUInt16LE(big || farOffset ? 45 : 20, 4);
    local.copy(c, 6, 4, 30); // version needed ... extra length mirror the local header
    c.writeUInt16LE(extra.length, 30);
    c.writeUInt32LE(farOffset ? U32_MAX : localOffset, 42);
    central.push(c, name, extra);
  }
  const cd = Buffer.concat(central);
  const cdOffset = offset;
  push(cd);
  if (files.length >= U16_MAX || cd.length >= U32_MAX || cdOffset >= U32_MAX) {
    const eocd64 = Buffer.alloc(56);
    eocd64.writeUInt32LE(SIG_EOCD64, 0);
    eocd64.writeBigUInt64LE(44n, 4);
    eocd64.writeUInt16LE(45, 12);
    eocd64.writeUInt16LE(45, 14);
    eocd64.writeBigUInt64LE(BigInt(files.length), 24);
    eocd64.writeBigUInt64LE(BigInt(files.length), 32);
    eocd64.writeBigUInt64LE(BigInt(cd.length), 40);
    eocd64.writeBigUInt64LE(BigInt(cdOffset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(SIG_LOCATOR64, 0);
    locator.writeBigUInt64LE(BigInt(offset), 8);
    locator.writeUInt32LE(1, 16);
    push(eocd64);
    push(locator);
  }
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(SIG_EOCD, 0);
  eocd.writeUInt16LE(Math.min(files.length, U16_MAX), 8);
  eocd.writeUInt16LE(Math.min(files.length, U16_MAX), 10);
  eocd.writeUInt32LE(Math.min(cd.length, U32_MAX), 12);
  eocd.writeUInt32LE(Math.min(cdOffset, U32_MAX), 16);
  push(eocd);
  return Buffer.concat(chunks);
}

function zip64Field(values: number[]): Buffer {
  const b = Buffer.alloc(4 + 8 * values.length);
  b.writeUInt16LE(1, 0);
  b.writeUInt16LE(8 * values.length, 2);
  values.forEach((v, i) => b.writeBigUInt64LE(BigInt(v), 4 + 8 * i));
  return b;
}
