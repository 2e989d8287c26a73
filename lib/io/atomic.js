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
exports.writeFileAtomic = writeFileAtomic;
// Replacing a file so that, whatever happens (an exception, a crash, SIGKILL, power loss after the
// call returns), its path holds either the old complete file or the new complete one: write a
// temporary file beside it, flush it to disk, rename it over the path, then flush the directory.
const fs = __importStar(require("fs"));
const nodePath = __importStar(require("path"));
const crypto_1 = require("crypto");
/** Node refuses writes of more than 2 GiB per call. */
const IO_CHUNK = 1 << 30;
function writeAll(fd, bytes) {
    for (let done = 0; done < bytes.length;) {
        done += fs.writeSync(fd, bytes, done, Math.min(bytes.length - done, IO_CHUNK));
    }
}
/** Directory entries (the rename) only survive a power loss once the directory itself is flushed. */
function syncDirectory(dir) {
    let fd;
    try {
        fd = fs.openSync(dir, 'r');
        fs.fsyncSync(fd);
    }
    catch (e) {
        // Some file systems cannot fsync a directory; the rename itself has still happened.
        const code = e.code;
        if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'EACCES')
            throw e;
    }
    finally {
        if (fd !== undefined)
            fs.closeSync(fd);
    }
}
function quietly(f) {
    try {
        f();
    }
    catch {
        // Cleanup after a failure: the first error is the one to report.
    }
}
/**
 * Writes parts, in order, as the new content of path, atomically. On failure the temporary file is
 * removed, path is untouched, and the Error names path (keeping the system error's `code`).
 */
function writeFileAtomic(who, path, parts) {
    const tmp = `${path}.tmp-${process.pid}-${(0, crypto_1.randomBytes)(6).toString('hex')}`;
    let fd;
    try {
        fd = fs.openSync(tmp, 'wx', 0o644);
        for (const p of parts)
            writeAll(fd, p);
        fs.fsyncSync(fd);
        fs.closeSync(fd);
        fd = undefined;
        fs.renameSync(tmp, path);
    }
    catch (e) {
        if (fd !== undefined)
            quietly(() => fs.closeSync(fd));
        quietly(() => fs.unlinkSync(tmp)); // fails when never created: nothing to remove
        const err = e;
        const out = new Error(`${who}: cannot write '${path}': ${err.message}`, { cause: e });
        out.code = err.code;
        throw out;
    }
    syncDirectory(nodePath.dirname(nodePath.resolve(path)));
}
