export interface ZipEntry {
    name: string;
    method: number;
    flags: number;
    crc: number;
    compressedSize: number;
    uncompressedSize: number;
    localOffset: number;
}
/** CRC-32 (ISO-HDLC, as ZIP and gzip use); zlib's native one where Node has it. */
export declare function crc32(data: Uint8Array): number;
/** Lists the entries of a ZIP archive held in memory, from its central directory. */
export declare function readZipEntries(where: string, buf: Buffer): ZipEntry[];
/** The uncompressed bytes of one entry, verified against its declared size and CRC-32. */
export declare function readZipEntry(where: string, buf: Buffer, e: ZipEntry, maxBytes: number): Buffer;
export interface ZipInput {
    name: string;
    data: Uint8Array;
}
/** Builds a ZIP archive (stored or deflated entries), with ZIP64 records only where sizes need them. */
export declare function writeZip(files: ZipInput[], compress: boolean): Buffer;
