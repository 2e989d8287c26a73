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
exports.describe = exports.DTYPES = void 0;
exports.asBytes = asBytes;
exports.checkPath = checkPath;
exports.readInput = readInput;
exports.shapeSize = shapeSize;
exports.copyElements = copyElements;
exports.elementBytes = elementBytes;
exports.dtypeOf = dtypeOf;
// Pieces the .npy, .npz and IDX readers share: the dtype table, input checks, file reading with
// errors a user can act on, and copying file bytes into fresh, aligned typed arrays.
const fs = __importStar(require("fs"));
const os = __importStar(require("os"));
const validate_1 = require("../validate");
Object.defineProperty(exports, "describe", { enumerable: true, get: function () { return validate_1.describe; } });
exports.DTYPES = {
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
/** A Buffer view (no copy) of a Buffer or Uint8Array argument. */
function asBytes(who, buf) {
    if (Buffer.isBuffer(buf))
        return buf;
    if (buf instanceof Uint8Array)
        return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    throw new TypeError(`${who}: expected a Buffer or Uint8Array, got ${(0, validate_1.describe)(buf)}`);
}
function checkPath(who, file) {
    if (typeof file !== 'string' || file.length === 0) {
        throw new TypeError(`${who}: path must be a non-empty string, got ${(0, validate_1.describe)(file)}`);
    }
    return file;
}
/** Reads a whole file; a missing or unreadable file becomes an Error naming it, keeping `code`. */
function readInput(who, file) {
    const p = checkPath(who, file);
    try {
        return fs.readFileSync(p);
    }
    catch (e) {
        const err = e;
        const why = err.code === 'ENOENT' ? 'no such file'
            : err.code === 'EISDIR' ? 'it is a directory'
                : err.code === 'EACCES' ? 'permission denied'
                    : err.message;
        const out = new Error(`${who}: cannot read '${p}': ${why}`, { cause: e });
        out.code = err.code;
        throw out;
    }
}
/** Element count of a shape, with the byte size; RangeError when either passes 2^53. */
function shapeSize(where, shape, itemSize) {
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
function swapInPlace(bytes, size) {
    if (size === 2) {
        for (let i = 0; i < bytes.length; i += 2) {
            const t = bytes[i];
            bytes[i] = bytes[i + 1];
            bytes[i + 1] = t;
        }
    }
    else if (size === 4) {
        for (let i = 0; i < bytes.length; i += 4) {
            let t = bytes[i];
            bytes[i] = bytes[i + 3];
            bytes[i + 3] = t;
            t = bytes[i + 1];
            bytes[i + 1] = bytes[i + 2];
            bytes[i + 2] = t;
        }
    }
    else if (size === 8) {
        for (let i = 0; i < bytes.length; i += 8) {
            for (let a = i, b = i + 7; a < b; a++, b--) {
                const t = bytes[a];
                bytes[a] = bytes[b];
                bytes[b] = t;
            }
        }
    }
}
/**
 * Copies `count` elements stored at src[offset...] in the given byte order into a new typed array
 * (its own, aligned buffer). The caller has checked that the bytes are there.
 */
function copyElements(src, offset, count, dtype, littleEndian) {
    const { size, ctor } = exports.DTYPES[dtype];
    const out = new ctor(count);
    const bytes = new Uint8Array(out.buffer, out.byteOffset, count * size);
    bytes.set(src.subarray(offset, offset + count * size));
    if (size > 1 && littleEndian !== HOST_LE)
        swapInPlace(bytes, size);
    return out;
}
/** The raw bytes of a typed array in the given byte order (a view when no swap is needed). */
function elementBytes(data, littleEndian) {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const size = data.BYTES_PER_ELEMENT;
    if (size === 1 || littleEndian === HOST_LE)
        return bytes;
    const copy = bytes.slice();
    swapInPlace(copy, size);
    return copy;
}
/** The dtype name of a typed array, or undefined when no loader dtype stores it. */
function dtypeOf(data) {
    if (data instanceof Uint8Array || data instanceof Uint8ClampedArray)
        return 'uint8';
    if (data instanceof Int8Array)
        return 'int8';
    if (data instanceof Uint16Array)
        return 'uint16';
    if (data instanceof Int16Array)
        return 'int16';
    if (data instanceof Uint32Array)
        return 'uint32';
    if (data instanceof Int32Array)
        return 'int32';
    if (data instanceof Float32Array)
        return 'float32';
    if (data instanceof Float64Array)
        return 'float64';
    if (data instanceof BigInt64Array)
        return 'int64';
    if (data instanceof BigUint64Array)
        return 'uint64';
    return undefined;
}
