import { UpdateRule } from '../native';
import { Layer, Mode, ParamSpec } from './layer';
/** y = x W + b, optionally fused with ReLU. x (N,I), W (I,O), b (O), y (N,O). */
export declare class Dense extends Layer {
    readonly inSize: number;
    readonly outSize: number;
    readonly relu: boolean;
    private readonly names;
    readonly overwritesGrads = true;
    readonly fusedParam = 0;
    private W;
    private b;
    private dW;
    private db;
    private x;
    private readonly y;
    private readonly yEval;
    private readonly dz;
    private readonly dx;
    constructor(inSize: number, outSize: number, relu: boolean, names: [string, string]);
    params(): ParamSpec[];
    bind(params: Float32Array[], grads: Float32Array[]): void;
    forward(x: Float32Array, n: number, mode: Mode): Float32Array;
    backward(dy: Float32Array, n: number, needDx: boolean): Float32Array | null;
    backwardUpdate(dy: Float32Array, n: number, needDx: boolean, rule: UpdateRule, l2: number): {
        dx: Float32Array | null;
        squares: number;
    };
    /** The gradient before the ReLU, when the layer has one. */
    private preActivationGrad;
}
