// The study's report as one self-contained HTML page: figures as inline SVG, tables as HTML, no
// external requests, so it can be mailed or archived as a single file.
import type { Scene } from './scene';
import { escapeXml, renderSvg } from './svg';
import { htmlTable, Table } from './tables';

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

const CSS = `
body { font-family: 'DejaVu Sans', Verdana, sans-serif; color: #222; margin: 0 auto; padding: 1.5em; max-width: 980px; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 0.15em 1em; margin: 0.6em 0; }
dl.kv dt { color: #555; }
dl.kv dd { margin: 0; font-family: 'DejaVu Sans Mono', monospace; font-size: 0.9em; overflow-wrap: anywhere; }
figure { margin: 1em 0; }
figure svg { max-width: 100%; height: auto; display: block; border: 1px solid #eee; }
figcaption { color: #444; font-size: 0.92em; margin-top: 0.3em; }
.files { font-size: 0.85em; color: #666; }
.files a { color: #1f5fa8; margin-right: 0.8em; }
.warning { background: #fff4d6; border-left: 4px solid #e0a000; padding: 0.4em 0.8em; margin: 0.6em 0; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3em; }
th, td { padding: 0.25em 0.6em; border-bottom: 1px solid #e4e4e4; text-align: left; }
th { border-bottom: 2px solid #bbb; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; }
nav ol { padding-left: 1.4em; }
`;

function kv(pairs: [string, string][]): string {
  return `<dl class="kv">${pairs.map(([k, v]) => `<dt>${escapeXml(k)}</dt><dd>${escapeXml(v)}</dd>`).join('')}</dl>\n`;
}

function files(list: string[]): string {
  if (!list.length) return '';
  return `<div class="files">files: ${list.map((f) => `<a href="${escapeXml(encodeURI(f))}">${escapeXml(f)}</a>`).join('')}</div>\n`;
}

function tableBlock(t: ReportTable): string {
  return `<div class="table-wrap">\n${htmlTable(t.table)}</div>\n${files(t.files)}`;
}

function section(s: ReportSection): string {
  let out = `<section id="${escapeXml(s.id)}">\n<h2>${escapeXml(s.heading)}</h2>\n`;
  for (const w of s.warnings) out += `<p class="warning">${escapeXml(w)}</p>\n`;
  for (const p of s.text) out += `<p>${escapeXml(p)}</p>\n`;
  if (s.settings.length) out += kv(s.settings);
  for (const t of s.tables) out += tableBlock(t);
  for (const f of s.figures) {
    out += `<figure>\n${renderSvg(f.scene, false)}<figcaption>${escapeXml(f.caption)}</figcaption>\n${files(f.files)}</figure>\n`;
  }
  return out + '</section>\n';
}

export function renderReport(doc: ReportDoc): string {
  return '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<title>${escapeXml(doc.title)}</title>\n<style>${CSS}</style>\n</head>\n<body>\n` +
    `<h1>${escapeXml(doc.title)}</h1>\n` +
    (doc.banner ? `<p class="warning">${escapeXml(doc.banner)}</p>\n` : '') +
    kv(doc.overview) +
    `<nav><ol>${doc.sections.map((s) => `<li><a href="#${escapeXml(s.id)}">${escapeXml(s.heading)}</a></li>`).join('')}</ol></nav>\n` +
    doc.sections.map(section).join('') +
    (doc.appendix.length ? `<section id="runs">\n<h2>All runs</h2>\n${doc.appendix.map(tableBlock).join('')}</section>\n` : '') +
    '</body>\n</html>\n';
}
