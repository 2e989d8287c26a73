"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.MAX_HEADER_BYTES = void 0;
exports.encodeSafetensorsParts = encodeSafetensorsParts;
exports.encodeSafetensors = encodeSafetensors;
exports.decodeSafetensors = decodeSafetensors;
exports.loadSafetensors = loadSafetensors;
exports.saveSafetensors = saveSafetensors;
// The safetensors layout: an 8-byte little-endian header length N, N bytes of JSON giving each
// tensor's dtype, shape and [begin, end) byte range in the data that follows (plus an optional
// "__metadata__" map of strings), then the data. Decoding checks every claim of the header against
// the bytes actually present before allocating anything, so a corrupt or hostile file fails with an
// Error naming it rather than asking for gigabytes.
const fs = __importStar(require("fs"));
const os = __importStar(require("os"));
const common_1 = require("../data/common");
const atomic_1 = require("./atomic");
const KINDS = {
    F64: 'float64', F32: 'float32', I64: 'int64', I32: 'int32', I16: 'int16', I8: 'int8',
    U64: 'uint64', U32: 'uint32', U16: 'uint16', U8: 'uint8', BOOL: 'bool',
};
const NAMES = Object.fromEntries(Object.entries(KINDS).filter(([k]) => k !== 'BOOL').map(([k, v]) => [v, k]));
/** Valid safetensors dtypes without a typed array to hold them. */
const UNSUPPORTED = ['F16', 'BF16', 'F8_E4M3', 'F8_E5M2', 'F8_E8M0', 'F6_E2M3', 'F6_E3M2', 'F4', 'C64'];
/** The reference implementation refuses longer headers too. */
exports.MAX_HEADER_BYTES = 100_000_000;
const HOST_LE = os.endianness() === 'LE';
/** Largest single read or write: Node refuses more than 2 GiB per call. */
const IO_CHUNK = 1 << 30;
function tensorInput(who, name, v) {
    const where = `${who}: tensor '${name}'`;
    const t = ArrayBuffer.isView(v) ? { data: v } : v;
    if (t === null || typeof t !== 'object')
        throw new TypeError(`${where} must be a typed array or { data, shape }, got ${(0, common_1.describe)(v)}`);
    const { data, shape: shapeIn, dtype: dtypeIn } = t;
    const kind = (0, common_1.dtypeOf)(data);
    if (!kind)
        throw new TypeError(`${where}: data must be a typed array, got ${(0, common_1.describe)(data)}`);
    let dtype = NAMES[kind];
    if (dtypeIn !== undefined && dtypeIn !== dtype) {
        if (dtypeIn === 'BOOL' && dtype === 'U8')
            dtype = 'BOOL';
        else
            throw new TypeError(`${where}: dtype ${(0, common_1.describe)(dtypeIn)} does not match its ${data.constructor.name}`);
    }
    const length = data.length;
    const shape = shapeIn === undefined ? [length] : Array.isArray(shapeIn) ? [...shapeIn] : null;
    if (!shape || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
        throw new TypeError(`${where}: shape must be an array of non-negative integers, got ${(0, common_1.describe)(shapeIn)}`);
    }
    const { count } = (0, common_1.shapeSize)(where, shape, 1);
    if (count !== length)
        throw new RangeError(`${where}: shape [${shape.join(', ')}] has ${count} elements but data has ${length}`);
    return { data: data, shape, dtype };
}
/**
 * Lays out tensors and metadata as safetensors pieces. Tensors with wider elements come first and
 * the header is padded with spaces to a multiple of 8 bytes, so every tensor starts aligned to its
 * element size and a reader may view the file's bytes in place.
 */
function encodeSafetensorsParts(tensors, metadata = {}, who = 'encodeSafetensors') {
    if (tensors === null || typeof tensors !== 'object' || ArrayBuffer.isView(tensors)) {
        throw new TypeError(`${who}: tensors must be an object of typed arrays by name, got ${(0, common_1.describe)(tensors)}`);
    }
    if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
        throw new TypeError(`${who}: metadata must be an object of strings, got ${(0, common_1.describe)(metadata)}`);
    }
    for (const [k, v] of Object.entries(metadata)) {
        if (typeof v !== 'string')
            throw new TypeError(`${who}: metadata '${k}' must be a string, got ${(0, common_1.describe)(v)}`);
    }
    const items = Object.entries(tensors).map(([name, v]) => {
        if (name === '__metadata__')
            throw new RangeError(`${who}: '__metadata__' is reserved and cannot name a tensor`);
        return { name, ...tensorInput(who, name, v) };
    });
    items.sort((a, b) => b.data.BYTES_PER_ELEMENT - a.data.BYTES_PER_ELEMENT); // stable: same-size keep their order
    // No prototype, so a tensor named '__proto__' is an ordinary key.
    const header = Object.create(null);
    if (Object.keys(metadata).length)
        header.__metadata__ = metadata;
    const bodies = [];
    let offset = 0;
    for (const t of items) {
        const bytes = (0, common_1.elementBytes)(t.data, true);
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
function encodeSafetensors(tensors, metadata = {}) {
    const { parts, byteLength } = encodeSafetensorsParts(tensors, metadata);
    return Buffer.concat(parts, byteLength);
}
// ---- Decoding -------------------------------------------------------------------------------------
/** The header length from the first 8 bytes, checked against the file size. */
function headerLength(where, first, fileSize) {
    if (fileSize < 8) {
        throw new Error(`${where}: not a safetensors file: ${fileSize} bytes, fewer than the 8 of the header length`);
    }
    const n = first.readBigUInt64LE(0);
    const hint = first[0] === 0x50 && first[1] === 0x4b ? ' (this looks like a ZIP/.npz archive)'
        : first[0] === 0x93 && first.toString('latin1', 1, 6) === 'NUMPY' ? ' (this looks like a .npy file)' : '';
    if (n > BigInt(exports.MAX_HEADER_BYTES)) {
        throw new RangeError(`${where}: not a safetensors file: its header length ${n} exceeds the ${exports.MAX_HEADER_BYTES}-byte limit${hint}`);
    }
    if (Number(n) + 8 > fileSize) {
        throw new Error(`${where}: truncated or not a safetensors file: the header claims ${n} bytes but only ` +
            `${fileSize - 8} follow${hint}`);
    }
    if (n < 2n)
        throw new Error(`${where}: not a safetensors file: a header of ${n} bytes cannot hold a JSON object`);
    return Number(n);
}
function isPlainObject(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v);
}
function nonNegativeInts(v) {
    return Array.isArray(v) && v.every((d) => Number.isSafeInteger(d) && d >= 0);
}
/** Parses and checks the JSON header against the data size; returns the entries in header order. */
function parseHeader(where, header, dataBytes) {
    let text;
    try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(header);
    }
    catch {
        throw new Error(`${where}: the safetensors header is not valid UTF-8`);
    }
    if (text[0] !== '{') {
        throw new Error(`${where}: not a safetensors file: the header does not start with '{' (${JSON.stringify(text.slice(0, 40))})`);
    }
    let json;
    try {
        json = JSON.parse(text);
    }
    catch (e) {
        throw new Error(`${where}: the safetensors header is not valid JSON (${e.message})`);
    }
    if (!isPlainObject(json))
        throw new Error(`${where}: the safetensors header must be a JSON object`);
    const metadata = Object.create(null);
    const entries = [];
    for (const [name, info] of Object.entries(json)) {
        if (name === '__metadata__') {
            if (info === null)
                continue;
            if (!isPlainObject(info))
                throw new Error(`${where}: __metadata__ must be an object of strings, got ${(0, common_1.describe)(info)}`);
            for (const [k, v] of Object.entries(info)) {
                if (typeof v !== 'string')
                    throw new Error(`${where}: __metadata__ '${k}' must be a string, got ${(0, common_1.describe)(v)}`);
                metadata[k] = v;
            }
            continue;
        }
        entries.push(parseEntry(`${where}: tensor '${name}'`, name, info, dataBytes));
    }
    checkCoverage(where, entries, dataBytes);
    return { entries, metadata };
}
function parseEntry(where, name, info, dataBytes) {
    if (!isPlainObject(info))
        throw new Error(`${where}: expected { dtype, shape, data_offsets }, got ${(0, common_1.describe)(info)}`);
    const keys = Object.keys(info).sort().join(', ');
    if (keys !== 'data_offsets, dtype, shape') {
        throw new Error(`${where}: expected exactly the keys data_offsets, dtype and shape, found: ${keys}`);
    }
    const { dtype, shape, data_offsets: offsets } = info;
    if (typeof dtype !== 'string' || !(dtype in KINDS)) {
        if (typeof dtype === 'string' && UNSUPPORTED.includes(dtype)) {
            throw new TypeError(`${where}: dtype ${dtype} is not supported; supported: ${Object.keys(KINDS).join(' ')}`);
        }
        throw new Error(`${where}: unknown dtype ${(0, common_1.describe)(dtype)}`);
    }
    if (!nonNegativeInts(shape))
        throw new Error(`${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
    if (!nonNegativeInts(offsets) || offsets.length !== 2 || offsets[0] > offsets[1]) {
        throw new Error(`${where}: data_offsets must be [begin, end] with 0 <= begin <= end, got ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets;
    if (end > dataBytes) {
        throw new Error(`${where}: data_offsets [${begin}, ${end}] run past the ${dataBytes} data bytes of the file (truncated?)`);
    }
    const { count, bytes } = (0, common_1.shapeSize)(where, shape, common_1.DTYPES[KINDS[dtype]].size);
    if (bytes !== end - begin) {
        throw new Error(`${where}: shape [${shape.join(', ')}] of ${dtype} needs ${bytes} bytes, but data_offsets ` +
            `[${begin}, ${end}] hold ${end - begin}`);
    }
    return { name, dtype: dtype, shape, count, begin, end };
}
/** The tensors must tile the data exactly: no overlap, no gap, nothing left over. */
function checkCoverage(where, entries, dataBytes) {
    const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
    let at = 0;
    let prev;
    for (const e of sorted) {
        if (e.begin < at) {
            throw new Error(`${where}: tensors '${prev.name}' and '${e.name}' overlap (bytes [${prev.begin}, ${prev.end}] and [${e.begin}, ${e.end}])`);
        }
        if (e.begin > at)
            throw new Error(`${where}: the data has a gap: bytes [${at}, ${e.begin}) belong to no tensor`);
        at = e.end;
        prev = e;
    }
    if (at !== dataBytes) {
        throw new Error(`${where}: the data has ${dataBytes - at} trailing bytes after the last tensor (at ${at} of ${dataBytes})`);
    }
}
/** Decodes a .safetensors file held in memory; `name` labels error messages (a file name, say). */
function decodeSafetensors(buf, name = 'decodeSafetensors') {
    const bytes = (0, common_1.asBytes)(name, buf);
    const n = headerLength(name, bytes, bytes.length);
    const { entries, metadata } = parseHeader(name, bytes.subarray(8, 8 + n), bytes.length - 8 - n);
    const tensors = Object.create(null);
    for (const e of entries) {
        tensors[e.name] = { dtype: e.dtype, shape: e.shape, data: (0, common_1.copyElements)(bytes, 8 + n + e.begin, e.count, KINDS[e.dtype], true) };
    }
    return { tensors, metadata };
}
// ---- Files ----------------------------------------------------------------------------------------
/** Reads exactly target.length bytes at position, or fails naming the file. */
function readExact(where, fd, target, position) {
    for (let done = 0; done < target.length;) {
        const got = fs.readSync(fd, target, done, Math.min(target.length - done, IO_CHUNK), position + done);
        if (got === 0)
            throw new Error(`${where}: the file ended early (was it truncated while being read?)`);
        done += got;
    }
}
/**
 * Reads a .safetensors file. The header is read and checked first; each tensor is then read straight
 * into its own typed array, so the file is never held in memory twice.
 */
function loadSafetensors(path, who = 'loadSafetensors') {
    (0, common_1.checkPath)(who, path);
    const where = `${who}: ${path}`;
    let fd;
    try {
        fd = fs.openSync(path, 'r');
    }
    catch (e) {
        throw inputError(who, path, e);
    }
    try {
        const stat = fs.fstatSync(fd);
        if (!stat.isFile())
            throw new Error(`${who}: cannot read '${path}': it is not a regular file`);
        const first = Buffer.alloc(8);
        if (stat.size >= 8)
            readExact(where, fd, first, 0);
        const n = headerLength(where, first, stat.size);
        const header = Buffer.alloc(n);
        readExact(where, fd, header, 8);
        const { entries, metadata } = parseHeader(where, header, stat.size - 8 - n);
        const tensors = Object.create(null);
        for (const e of entries) {
            const kind = KINDS[e.dtype];
            const { size, ctor } = common_1.DTYPES[kind];
            let data;
            if (HOST_LE || size === 1) {
                data = new ctor(e.count);
                readExact(where, fd, new Uint8Array(data.buffer, 0, e.end - e.begin), 8 + n + e.begin);
            }
            else {
                const raw = Buffer.alloc(e.end - e.begin);
                readExact(where, fd, raw, 8 + n + e.begin);
                data = (0, common_1.copyElements)(raw, 0, e.count, kind, true);
            }
            tensors[e.name] = { dtype: e.dtype, shape: e.shape, data };
        }
        return { tensors, metadata };
    }
    finally {
        fs.closeSync(fd);
    }
}
/** Writes a .safetensors file atomically (see writeFileAtomic). */
function saveSafetensors(path, tensors, metadata = {}) {
    (0, common_1.checkPath)('saveSafetensors', path);
    const { parts } = encodeSafetensorsParts(tensors, metadata, `saveSafetensors: ${path}`);
    (0, atomic_1.writeFileAtomic)('saveSafetensors', path, parts);
}
/** A missing or unreadable file as an Error naming it, keeping `code`. */
function inputError(who, path, e) {
    const err = e;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EACCES' ? 'permission denied' : err.message;
    const out = new Error(`${who}: cannot read '${path}': ${why}`, { cause: e });
    out.code = err.code;
    return out;
}
