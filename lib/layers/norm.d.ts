import { Layer, Mode } from './layer';
export type BatchNormMode = 'channel' | 'batch';
/**
 * Batch normalization without learned scale or shift, as in the seed.
 * `channel`: each channel over batch, height and width (rows N*H*W, columns C).
 * `batch`: each activation over the batch only, like tf.nn.moments(h, axes=[0]) (rows N, columns H*W*C).
 * Training normalizes with batch statistics and updates running averages; evaluation uses the
 * running averages unless batch statistics are asked for.
 */
export declare class BatchNorm extends Layer {
    readonly mode: BatchNormMode;
    readonly eps: number;
    readonly momentum: number;
    readonly inSize: number;
    readonly outSize: number;
    private readonly rowsPerSample;
    private readonly K;
    readonly runningMean: Float32Array;
    readonly runningVar: Float32Array;
    private readonly mean;
    private readonly invStd;
    private readonly meanEval;
    private readonly invStdEval;
    private readonly y;
    private readonly yEval;
    private readonly dx;
    constructor(H: number, W: number, C: number, mode: BatchNormMode, eps: number, momentum: number);
    state(): Record<string, Float32Array>;
    forward(x: Float32Array, n: number, mode: Mode): Float32Array;
    private updateRunning;
    backward(dy: Float32Array, n: number, needDx: boolean): Float32Array | null;
}
/** Inverted dropout: keeps each activation with probability keepProb and scales it by 1/keepProb. */
export declare class Dropout extends Layer {
    readonly keepProb: number;
    private readonly seed;
    readonly inSize: number;
    readonly outSize: number;
    private readonly y;
    private readonly mask;
    private readonly dx;
    private active;
    /** Advances once per training forward pass, so every batch draws a fresh mask. */
    counter: number;
    constructor(size: number, keepProb: number, seed: number);
    forward(x: Float32Array, n: number, mode: Mode): Float32Array;
    backward(dy: Float32Array, n: number, needDx: boolean): Float32Array | null;
}
