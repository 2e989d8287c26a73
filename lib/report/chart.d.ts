import { Dash, MarkerShape, Scene } from './scene';
export interface Series {
    colour: string;
    dash: Dash;
    /** Drawn at the points of short series, where dash styles are hard to tell apart. */
    marker: MarkerShape;
    /** x0, y0, x1, y1, ... */
    points: number[];
    width?: number;
}
export interface LegendEntry {
    label: string;
    colour: string;
    dash: Dash;
    marker?: MarkerShape;
}
/** A labelled vertical line (the epoch early stopping picks, say). */
export interface Guide {
    x: number;
    label: string;
    /** Where the label goes: where the curves are unlikely to be (default top). */
    labelAt?: 'top' | 'bottom';
}
export interface Panel {
    title: string;
    xLabel: string;
    yLabel: string;
    series: Series[];
    /** Groups of legend entries; each group starts on a row of its own. */
    legend: LegendEntry[][];
    /** Tick labels as percentages of 1. */
    percent?: boolean;
    /** Hard limits for the y range (loss: [0, Infinity], accuracy: [0, 1]). */
    yLimits?: [number, number];
    /**
     * Switch to a log scale when a linear one would squash most values into its bottom 5% (a train
     * loss with a large L2 term beside validation losses).
     */
    logWhenSquashed?: boolean;
    guides?: Guide[];
}
/** Ticks at 1, 2 or 5 times a power of ten, covering [lo, hi]. */
export declare function niceTicks(lo: number, hi: number, target?: number): {
    ticks: number[];
    step: number;
};
/** Panels stacked top to bottom in one picture. */
export declare function figure(title: string, panels: Panel[]): Scene;
