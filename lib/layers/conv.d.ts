import { Layer, Mode, ParamSpec } from './layer';
export type Padding = 'same' | 'valid';
export interface ConvGeometry {
    H: number;
    W: number;
    C: number;
    KH: number;
    KW: number;
    F: number;
    stride: number;
    padding: Padding;
}
/** Output size and TensorFlow's padding split (the extra row/column goes to the bottom/right). */
export declare function convOutput(g: ConvGeometry): {
    OH: number;
    OW: number;
    padTop: number;
    padLeft: number;
};
/**
 * 2-D convolution as im2col + sgemm, optionally fused with ReLU.
 * x (N,H,W,C), W_conv (KH,KW,C,F), b (F) -> y (N,OH,OW,F).
 */
export declare class Conv2d extends Layer {
    readonly g: ConvGeometry;
    readonly relu: boolean;
    private readonly names;
    readonly inSize: number;
    readonly outSize: number;
    readonly OH: number;
    readonly OW: number;
    private readonly dims;
    private readonly dimsEval;
    private Wt;
    private b;
    private dW;
    private db;
    private x;
    private readonly y;
    private readonly col;
    private readonly yEval;
    private readonly colEval;
    private readonly dz;
    private readonly dx;
    constructor(g: ConvGeometry, relu: boolean, names: [string, string]);
    params(): ParamSpec[];
    bind(params: Float32Array[], grads: Float32Array[]): void;
    private colSize;
    forward(x: Float32Array, n: number, mode: Mode): Float32Array;
    backward(dy: Float32Array, n: number, needDx: boolean): Float32Array | null;
}
/** 2x2-style max pooling over VALID windows. x (N,H,W,C) -> y (N,OH,OW,C). */
export declare class MaxPool2d extends Layer {
    readonly inSize: number;
    readonly outSize: number;
    private readonly dims;
    private readonly dimsEval;
    private readonly y;
    private readonly yEval;
    private readonly dx;
    private argmax;
    private argmaxEval;
    constructor(H: number, W: number, C: number, size?: number, stride?: number);
    forward(x: Float32Array, n: number, mode: Mode): Float32Array;
    backward(dy: Float32Array, n: number, needDx: boolean): Float32Array | null;
}
