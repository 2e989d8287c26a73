import type { History } from '../train';
import { Guide } from './chart';
import type { Scene } from './scene';
/** One run: train, validation and test in distinct colours and dash styles. */
export declare function runFigure(title: string, history: History, guides?: Guide[]): Scene;
/** Several runs overlaid: a colour per run, a dash style per data set. */
export declare function sweepFigure(title: string, runs: {
    label: string;
    history: History;
}[]): Scene;
