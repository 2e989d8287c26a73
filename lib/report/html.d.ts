import type { Scene } from './scene';
import { Table } from './tables';
export interface ReportFigure {
    caption: string;
    scene: Scene;
    /** The figure's files beside the report (relative paths), linked under it. */
    files: string[];
}
export interface ReportTable {
    table: Table;
    files: string[];
}
export interface ReportSection {
    id: string;
    heading: string;
    /** Plain text paragraphs. */
    text: string[];
    /** Warnings, shown highlighted (runs cut short, runs not done). */
    warnings: string[];
    /** The settings used, as label/value pairs. */
    settings: [string, string][];
    figures: ReportFigure[];
    tables: ReportTable[];
}
export interface ReportDoc {
    title: string;
    /** Overview rows: data, wall time, build, command. */
    overview: [string, string][];
    /** A banner above everything (e.g. the run was interrupted). */
    banner?: string;
    sections: ReportSection[];
    appendix: ReportTable[];
}
export declare function renderReport(doc: ReportDoc): string;
