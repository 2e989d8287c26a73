// Replacing a file so that, whatever happens (an exception, a crash, SIGKILL, power loss after the
// call returns), its path holds either the old complete file or the new complete one: write a
// temporary file beside it, flush it to disk, rename it over the path, then flush the directory.
//
// Only regular files are written. A symbolic link is written through: its target is replaced (the
// link stays a link, as with an ordinary write). A device, FIFO, socket or directory at the path is
// refused before anything is written: renaming over it would replace, say, /dev/null itself.
import * as fs from 'fs';
import * as nodePath from 'path';
import { makeDirs } from './mkdir';
import { randomBytes } from 'crypto';

/** Node refuses writes of more than 2 GiB per call. */
const IO_CHUNK = 1 << 30;

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length;) {
    done += fs.writeSync(fd, bytes, done, Math.min(bytes.length - done, IO_CHUNK));
  }
}

/** Directory entries (the rename) only survive a power loss once the directory itself is flushed. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (e) {
    // Some file systems cannot fsync a directory; the rename itself has still happened.
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'EACCES') throw e;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function quietly(f: () => void): void {
  try {
    f();
  } catch {
    // Cleanup after a failure: the first error is the one to report.
  }
}

function kindOf(st: fs.Stats): string {
  return st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a FIFO (named pipe)'
    : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : 'not a regular file';
}

/** The regular file (existing or not) that writing `path` replaces, following symbolic links. */
function resolveTarget(who: string, path: string): string {
  let target = path;
  for (let hops = 0; hops < 40; hops++) {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return target;
      throw e;
    }
    if (st.isFile()) return target;
    if (!st.isSymbolicLink()) {
      throw Object.assign(new Error(`${who}: cannot write '${path}'${target === path ? '' : ` (a link to '${target}')`}: ` +
        `it is ${kindOf(st)}; models and checkpoints are written only to regular files`), { code: st.isDirectory() ? 'EISDIR' : 'EINVAL' });
    }
    target = nodePath.resolve(nodePath.dirname(target), fs.readlinkSync(target));
  }
  throw Object.assign(new Error(`${who}: cannot write '${path}': too many levels of symbolic links`), { code: 'ELOOP' });
}

export interface WriteOptions {
  /** Create the file's directory (and its parents) first. */
  createDir?: boolean;
}

/**
 * Writes data (or parts of it, in order) as the new content of path, atomically. On failure the
 * temporary file is removed, path is untouched, and the Error names path (keeping the system
 * error's `code`).
 */
export function writeFileAtomic(who: string, path: string, data: string | Uint8Array | readonly Uint8Array[],
  options: WriteOptions = {}): void {
  const parts = typeof data === 'string' ? [Buffer.from(data)] : data instanceof Uint8Array ? [data] : data;
  if (options.createDir) makeDirs(nodePath.dirname(path));
  const target = resolveTarget(who, path);
  // A short name of its own, so that a file name near NAME_MAX (255 bytes) can still be saved.
  const tmp = nodePath.join(nodePath.dirname(target), `.gn-${randomBytes(8).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', 0o644);
    for (const p of parts) writeAll(fd, p);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, target);
  } catch (e) {
    if (fd !== undefined) quietly(() => fs.closeSync(fd!));
    quietly(() => fs.unlinkSync(tmp)); // fails when never created: nothing to remove
    const err = e as NodeJS.ErrnoException;
    const out = new Error(`${who}: cannot write '${path}': ${err.message}`, { cause: e }) as NodeJS.ErrnoException;
    out.code = err.code;
    throw out;
  }
  syncDirectory(nodePath.dirname(nodePath.resolve(target)));
}
