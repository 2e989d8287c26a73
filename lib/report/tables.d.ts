import type { History } from '../train';
export type Cell = string | number | null;
export interface Column {
    /** Header for people (Markdown, HTML). */
    title: string;
    /** Header for machines (CSV). */
    key: string;
    kind?: 'text' | 'percent' | 'integer' | 'seconds' | 'number';
}
export interface Table {
    title: string;
    columns: Column[];
    rows: Cell[][];
}
export declare function markdownTable(t: Table): string;
export declare function csvTable(t: Table): string;
export declare function htmlTable(t: Table): string;
/** Whether an interruption stopped the run before its planned epochs. */
export declare function cutShort(history: History, plannedEpochs: number): boolean;
/** How a run ended, in words. */
export declare function runStatus(history: History | undefined, plannedEpochs: number): string;
export interface SweepRow {
    /** The swept value as shown (e.g. "500", "0.1"). */
    value: string;
    history?: History;
    plannedEpochs: number;
    seconds?: number;
}
/** Final and best-epoch (lowest validation loss) accuracies of each run of a sweep. */
export declare function sweepTable(title: string, parameter: {
    title: string;
    key: string;
}, rows: SweepRow[]): Table;
/**
 * The epoch early stopping picks (history.bestEpoch: lowest validation loss), the one the highest
 * validation accuracy would pick, and the last.
 */
export declare function earlyStoppingTable(title: string, history: History): Table;
