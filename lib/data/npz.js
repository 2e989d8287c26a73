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
exports.parseNpz = parseNpz;
exports.loadNpz = loadNpz;
exports.encodeNpz = encodeNpz;
exports.saveNpz = saveNpz;
// NumPy .npz archives: a ZIP of .npy files, as np.savez (stored) and np.savez_compressed (deflated)
// write them.
const fs = __importStar(require("fs"));
const common_1 = require("./common");
const npy_1 = require("./npy");
const zip_1 = require("./zip");
const DEFAULT_MAX_ENTRY = 4 * 1024 ** 3;
function maxEntry(who, options) {
    if (options === undefined)
        return DEFAULT_MAX_ENTRY;
    if (options === null || typeof options !== 'object')
        throw new TypeError(`${who}: options must be an object, got ${(0, common_1.describe)(options)}`);
    const m = options.maxEntryBytes ?? DEFAULT_MAX_ENTRY;
    if (typeof m !== 'number' || !Number.isSafeInteger(m) || m < 0) {
        throw new RangeError(`${who}: options.maxEntryBytes must be a non-negative integer, got ${(0, common_1.describe)(m)}`);
    }
    return m;
}
/**
 * Parses an .npz archive held in memory. Members whose names do not end in `.npy` are skipped, as
 * they are not arrays. The result has no prototype, so any member name is a safe key.
 */
function parseNpz(buf, name = 'parseNpz', options) {
    const bytes = (0, common_1.asBytes)(name, buf);
    const limit = maxEntry(name, options);
    const out = Object.create(null);
    for (const entry of (0, zip_1.readZipEntries)(name, bytes)) {
        if (!entry.name.endsWith('.npy'))
            continue;
        const key = entry.name.slice(0, -4);
        if (key in out)
            throw new Error(`${name}: the archive holds '${entry.name}' twice`);
        out[key] = (0, npy_1.parseNpy)((0, zip_1.readZipEntry)(name, bytes, entry, limit), `${name}: entry '${entry.name}'`);
    }
    return out;
}
/** Reads an .npz file written by np.savez or np.savez_compressed. */
function loadNpz(path, options) {
    const buf = (0, common_1.readInput)('loadNpz', path);
    return parseNpz(buf, `loadNpz: ${path}`, options);
}
/** Encodes named arrays as .npz bytes that np.load reads back. */
function encodeNpz(arrays, options = {}, who = 'encodeNpz') {
    if (arrays === null || typeof arrays !== 'object') {
        throw new TypeError(`${who}: arrays must be an object of { data, shape } by name, got ${(0, common_1.describe)(arrays)}`);
    }
    if (options === null || typeof options !== 'object')
        throw new TypeError(`${who}: options must be an object`);
    const files = Object.entries(arrays).map(([key, a]) => {
        if (key.length === 0)
            throw new RangeError(`${who}: array names must be non-empty`);
        return { name: `${key}.npy`, data: (0, npy_1.encodeNpy)(a, `${who}: '${key}'`) };
    });
    return (0, zip_1.writeZip)(files, Boolean(options.compress));
}
/** Writes named arrays as an .npz file (deflated with `{ compress: true }`). */
function saveNpz(path, arrays, options = {}) {
    (0, common_1.checkPath)('saveNpz', path);
    fs.writeFileSync(path, encodeNpz(arrays, options, `saveNpz: ${path}`));
}
