import { Layer, Mode, ParamSpec } from './layers/layer';
import type { SaveModelExtra } from './io/checkpoint';
import type { Optimizer } from './optim';
export type Weights = Record<string, Float32Array>;
export interface BatchResult {
    /** Mean cross-entropy over the batch, plus the L2 term when the model has one. */
    loss: number;
    /** Samples whose most probable class is the label. */
    correct: number;
}
export interface Metrics {
    loss: number;
    accuracy: number;
}
export declare abstract class Network {
    readonly inputSize: number;
    readonly classes: number;
    protected readonly layers: Layer[];
    readonly l2: number;
    /** Every parameter, contiguous; the named weights are views into it. */
    readonly params: Float32Array;
    /** Gradients, laid out like params. */
    readonly grads: Float32Array;
    readonly specs: readonly ParamSpec[];
    private readonly views;
    private readonly probs;
    private readonly evalProbs;
    private stepping;
    private readonly dlogits;
    private readonly xBatch;
    /** Gradients of the layers that accumulate into them, zeroed before each backward pass. */
    private readonly accumulated;
    /** Per layer, the parameter its backward pass can update itself (see Layer.backwardUpdate). */
    private readonly fusedAt;
    private readonly fusedNames;
    protected readonly evalMode: Mode;
    abstract readonly kind: 'mlp' | 'cnn';
    /** The options the model was built with (normalized), enough to rebuild it. */
    abstract readonly options: Readonly<Record<string, unknown>>;
    protected constructor(inputSize: number, classes: number, layers: Layer[], l2: number, seed: number, batchStatsInEval: boolean);
    /** Xavier (Glorot) normal init: zero-mean Gaussian with variance 2 / (fanIn + fanOut); zero biases. */
    private initialize;
    /** Shapes of the named weights. */
    get shapes(): Record<string, number[]>;
    /** Copies of the named weights (row-major, layouts as in `shapes`). */
    getWeights(): Weights;
    /** Copies in any subset of the named weights; names and lengths are checked first. */
    setWeights(weights: Partial<Weights>): void;
    /** Non-trainable state (batch norm's running averages), by layer index and name. */
    getState(): Record<string, Float32Array>;
    setState(state: Record<string, Float32Array>): void;
    /** Draw counters of the layers that use randomness (dropout), so a resumed run draws what an
     * uninterrupted one would. */
    getCounters(): number[];
    setCounters(counters: readonly number[]): void;
    /**
     * Saves the model (kind, options, weights, batch-norm state) to a .safetensors file, atomically;
     * `gemmnet.load(path)` rebuilds it exactly.
     */
    save(path: string, extra?: SaveModelExtra): void;
    /** Forward pass; returns the logits (n * classes) held in the last layer's workspace. */
    protected forward(x: Float32Array, n: number, mode: Mode): Float32Array;
    /**
     * One training-mode forward and backward pass on a batch (x: exactly n rows, labels: n). Zeroes
     * and fills `grads` (including l2 * W); returns the loss (including the L2 term) and hit count.
     * Arguments are trusted: the public methods validate first.
     */
    trainBatch(x: Float32Array, labels: Int32Array, n: number): BatchResult;
    /**
     * The ranges [start, end) of `params` that a training step given an optimizer with a fused rule
     * leaves to the optimizer: all but the weights the layers update during their backward pass.
     */
    get unfusedRanges(): [number, number][];
    /**
     * trainBatch, awaiting `pause()` between layers: train() lets the event loop run there. Evaluation
     * uses workspaces of its own, so predict() or evaluate() in those gaps leaves the step intact.
     */
    trainBatchAsync(x: Float32Array, labels: Int32Array, n: number, pause: () => Promise<void>, optimizer?: Optimizer): Promise<BatchResult>;
    /**
     * The training step, yielding after each layer's forward and backward pass. Given an optimizer
     * that has a fused rule (and whose beginStep() has run for this step), the layers that can update
     * their weights during the backward pass do so: those weights are then updated, and their
     * gradients not stored; the caller updates the unfusedRanges.
     */
    private trainSteps;
    /** Evaluation-mode loss sum and hits over rows [start, end) of x, in one pass. */
    evalRange(x: Float32Array, labels: Int32Array, start: number, end: number): {
        lossSum: number;
        correct: number;
    };
    /** evalRange, awaiting `pause()` between layers. */
    evalRangeAsync(x: Float32Array, labels: Int32Array, start: number, end: number, pause: () => Promise<void>): Promise<{
        lossSum: number;
        correct: number;
    }>;
    private evalSteps;
    /** Mean cross-entropy and gradients of every named weight on a batch, in training mode. */
    lossAndGradients(x: Float32Array, labels: ArrayLike<number>): {
        loss: number;
        grads: Weights;
    };
    /** Softmax probabilities, n * classes, computed in evaluation mode in chunks of batchSize rows. */
    predict(x: Float32Array, batchSize?: number): Float32Array;
    /** Mean cross-entropy (without the L2 term) and accuracy in evaluation mode. */
    evaluate(x: Float32Array, labels: ArrayLike<number>, batchSize?: number): Metrics;
    /** Gathers rows idx of x into a batch workspace (shuffled minibatches without copying all of x). */
    gatherBatch(x: Float32Array, idx: Int32Array): Float32Array;
    /** Rows per evaluation pass by default: 1000 for an MLP, 200 for a CNN (its activations per row
     * are 30 times larger, and a pass should not hold the event loop for long). */
    get evalBatchSize(): number;
    /** Number of trainable values. */
    get parameterCount(): number;
}
