import { UpdateRule } from './native';
export interface Optimizer {
    readonly name: 'momentum' | 'adam';
    /** Hyperparameters, as normalized. */
    readonly config: Readonly<Record<string, number>>;
    /** Applies one update of params (in place) from grads. */
    step(params: Float32Array, grads: Float32Array): void;
    /** Allocates the state buffers for a parameter buffer of this length, if not done yet (beginStep
     * does it too); train() calls it first, then touches the new buffers in slices. */
    prepare?(length: number): void;
    /** One update in slices: beginStep(total length), then update() each slice of the buffers, given
     * as views with their offset in the whole. Elementwise, so the result equals step(). */
    beginStep(length: number): void;
    update(params: Float32Array, grads: Float32Array, offset: number): void;
    /** The update of params[offset, offset + length) in the current step (after beginStep), for
     * kernels that apply it as they compute the gradient; the result equals update() on that range. */
    rule?(offset: number, length: number): UpdateRule;
    /** The optimizer's state buffers and step count (for checkpoints). */
    getState(): {
        step: number;
        buffers: Record<string, Float32Array>;
    };
    setState(state: {
        step: number;
        buffers: Record<string, Float32Array>;
    }): void;
}
export interface MomentumOptions {
    /** Learning rate (default 0.01). */
    lr?: number;
    /** Momentum (default 0.9). */
    gamma?: number;
    /** Initial velocity (default 1e-5, as the seed). */
    v0?: number;
}
/** The seed's momentum: v = gamma * v + lr * dL/dW; W -= v, with v starting at 1e-5. */
export declare function momentum(options?: MomentumOptions): Optimizer;
export interface AdamOptions {
    /** Learning rate (default 1e-4, the seed's). */
    lr?: number;
    beta1?: number;
    beta2?: number;
    eps?: number;
}
/** Adam (TensorFlow's formulation, the seed's optimizer). */
export declare function adam(options?: AdamOptions): Optimizer;
export declare function isOptimizer(v: unknown): v is Optimizer;
