// Training histories as figures: loss and accuracy per epoch for train, validation and test.
import type { EpochRecord, History } from '../train';
import { figure, Guide, LegendEntry, Panel, Series } from './chart';
import type { Dash, MarkerShape, Scene } from './scene';

type SetName = 'train' | 'valid' | 'test';

const SETS: { key: SetName; label: string; colour: string; dash: Dash; marker: MarkerShape }[] = [
  { key: 'train', label: 'train', colour: '#1f77b4', dash: 'solid', marker: 'circle' },
  { key: 'valid', label: 'validation', colour: '#e8710a', dash: 'dashed', marker: 'square' },
  { key: 'test', label: 'test', colour: '#2a9d3a', dash: 'dotted', marker: 'triangle' },
];

/** Colours for the runs of a sweep: distinct hues that stay apart in greyscale too. */
const RUN_COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
const LEGEND_INK = '#444444';

function points(epochs: EpochRecord[], set: SetName, metric: 'loss' | 'accuracy'): number[] {
  const out: number[] = [];
  for (const r of epochs) {
    const m = r[set];
    if (m) out.push(r.epoch, m[metric]);
  }
  return out;
}

function panels(title: string, series: (metric: 'loss' | 'accuracy') => Series[], legend: LegendEntry[][],
  guides: Guide[] = []): Panel[] {
  return [
    { title: `${title}: loss`, xLabel: 'epoch', yLabel: 'loss', series: series('loss'), legend,
      guides: guides.map((g) => ({ ...g, labelAt: 'top' })), yLimits: [0, Infinity], logWhenSquashed: true },
    { title: `${title}: accuracy`, xLabel: 'epoch', yLabel: 'accuracy', series: series('accuracy'), legend,
      guides: guides.map((g) => ({ ...g, labelAt: 'bottom' })), percent: true, yLimits: [0, 1] },
  ];
}

/** One run: train, validation and test in distinct colours and dash styles. */
export function runFigure(title: string, history: History, guides?: Guide[]): Scene {
  const present = SETS.filter((s) => history.epochs.some((r) => r[s.key]));
  const series = (metric: 'loss' | 'accuracy') =>
    present.map((s) => ({ colour: s.colour, dash: s.dash, marker: s.marker, points: points(history.epochs, s.key, metric) }));
  const legend = [present.map((s) => ({ label: s.label, colour: s.colour, dash: s.dash, marker: s.marker }))];
  return figure(title, panels(title, series, legend, guides));
}

/** Several runs overlaid: a colour per run, a dash style per data set. */
export function sweepFigure(title: string, runs: { label: string; history: History }[]): Scene {
  const present = SETS.filter((s) => runs.some((run) => run.history.epochs.some((r) => r[s.key])));
  const series = (metric: 'loss' | 'accuracy') =>
    runs.flatMap((run, i) => present.map((s) => ({
      colour: RUN_COLOURS[i % RUN_COLOURS.length], dash: s.dash, marker: s.marker, width: 1.75,
      points: points(run.history.epochs, s.key, metric),
    })));
  const legend: LegendEntry[][] = [
    runs.map((run, i) => ({ label: run.label, colour: RUN_COLOURS[i % RUN_COLOURS.length], dash: 'solid' as Dash })),
    present.map((s) => ({ label: s.label, colour: LEGEND_INK, dash: s.dash, marker: s.marker })),
  ];
  return figure(title, panels(title, series, legend));
}
