import type { BatchInfo, EpochRecord } from '../train';
export declare function formatEpoch(r: EpochRecord, epochs: number): string;
export declare class Progress {
    private readonly label;
    private readonly epochs;
    private readonly out;
    private readonly tty;
    private readonly start;
    private lastDraw;
    private drawn;
    constructor(label: string, epochs: number, out?: NodeJS.WriteStream);
    batch(b: BatchInfo): void;
    epoch(r: EpochRecord): void;
    /** Removes the bar (after the last epoch, or when training stopped part-way through one). */
    clear(): void;
}
