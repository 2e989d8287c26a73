/**
 * Writes parts, in order, as the new content of path, atomically. On failure the temporary file is
 * removed, path is untouched, and the Error names path (keeping the system error's `code`).
 */
export declare function writeFileAtomic(who: string, path: string, parts: readonly Uint8Array[]): void;
