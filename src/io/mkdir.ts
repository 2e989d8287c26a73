// Creating a folder and its parents. Node's own `mkdirSync(dir, { recursive: true })` never returns
// under /proc and similar file systems, where mkdir keeps failing with ENOENT: this walks up once to
// the nearest existing ancestor and creates each level below it, so every failure is reported.
import * as fs from 'fs';
import * as nodePath from 'path';

export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let at = nodePath.resolve(dir);
  for (;;) {
    try {
      if (!fs.statSync(at).isDirectory()) {
        throw Object.assign(new Error(`ENOTDIR: '${at}' is not a directory`), { code: 'ENOTDIR' });
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      const parent = nodePath.dirname(at);
      if (parent === at) throw e;
      missing.push(at);
      at = parent;
    }
  }
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !fs.statSync(d).isDirectory()) throw e;
    }
  }
}
