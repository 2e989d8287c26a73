"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.runFigure = runFigure;
exports.sweepFigure = sweepFigure;
const chart_1 = require("./chart");
const SETS = [
    { key: 'train', label: 'train', colour: '#1f77b4', dash: 'solid', marker: 'circle' },
    { key: 'valid', label: 'validation', colour: '#e8710a', dash: 'dashed', marker: 'square' },
    { key: 'test', label: 'test', colour: '#2a9d3a', dash: 'dotted', marker: 'triangle' },
];
/** Colours for the runs of a sweep: distinct hues that stay apart in greyscale too. */
const RUN_COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
const LEGEND_INK = '#444444';
function points(epochs, set, metric) {
    const out = [];
    for (const r of epochs) {
        const m = r[set];
        if (m)
            out.push(r.epoch, m[metric]);
    }
    return out;
}
function panels(title, series, legend, guides = []) {
    return [
        { title: `${title}: loss`, xLabel: 'epoch', yLabel: 'loss', series: series('loss'), legend,
            guides: guides.map((g) => ({ ...g, labelAt: 'top' })), yLimits: [0, Infinity], logWhenSquashed: true },
        { title: `${title}: accuracy`, xLabel: 'epoch', yLabel: 'accuracy', series: series('accuracy'), legend,
            guides: guides.map((g) => ({ ...g, labelAt: 'bottom' })), percent: true, yLimits: [0, 1] },
    ];
}
/** One run: train, validation and test in distinct colours and dash styles. */
function runFigure(title, history, guides) {
    const present = SETS.filter((s) => history.epochs.some((r) => r[s.key]));
    const series = (metric) => present.map((s) => ({ colour: s.colour, dash: s.dash, marker: s.marker, points: points(history.epochs, s.key, metric) }));
    const legend = [present.map((s) => ({ label: s.label, colour: s.colour, dash: s.dash, marker: s.marker }))];
    return (0, chart_1.figure)(title, panels(title, series, legend, guides));
}
/** Several runs overlaid: a colour per run, a dash style per data set. */
function sweepFigure(title, runs) {
    const present = SETS.filter((s) => runs.some((run) => run.history.epochs.some((r) => r[s.key])));
    const series = (metric) => runs.flatMap((run, i) => present.map((s) => ({
        colour: RUN_COLOURS[i % RUN_COLOURS.length], dash: s.dash, marker: s.marker, width: 1.75,
        points: points(run.history.epochs, s.key, metric),
    })));
    const legend = [
        runs.map((run, i) => ({ label: run.label, colour: RUN_COLOURS[i % RUN_COLOURS.length], dash: 'solid' })),
        present.map((s) => ({ label: s.label, colour: LEGEND_INK, dash: s.dash, marker: s.marker })),
    ];
    return (0, chart_1.figure)(title, panels(title, series, legend));
}
