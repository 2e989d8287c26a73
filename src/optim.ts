// Optimizers update the whole flat parameter buffer in one native call (or, for train(), in a few
// slices with the event loop free in between).
import { native, UpdateRule } from './native';
import * as check from './validate';

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
  getState(): { step: number; buffers: Record<string, Float32Array> };
  setState(state: { step: number; buffers: Record<string, Float32Array> }): void;
}

/**
 * Internal: sets an optimizer's state taking the buffers as they are, without copying them, for a
 * caller that owns them outright (the training worker's state, transferred back to the main thread).
 * setState() copies, since its caller may keep using what it passed.
 */
export const ADOPT_STATE = Symbol('gemmnet.adoptState');

type Adopting = { [ADOPT_STATE](state: { step: number; buffers: Record<string, Float32Array> }): void };

export interface MomentumOptions {
  /** Learning rate (default 0.01). */
  lr?: number;
  /** Momentum (default 0.9). */
  gamma?: number;
  /** Initial velocity (default 1e-5, as the course). */
  v0?: number;
}

/** The course's momentum: v = gamma * v + lr * dL/dW; W -= v, with v starting at 1e-5. */
export function momentum(options: MomentumOptions = {}): Optimizer & Adopting {
  const o = check.object('momentum options', options);
  check.knownKeys('momentum options', o, ['lr', 'gamma', 'v0']);
  const lr = check.finite('lr', o.lr ?? 0.01, { min: 0, minExclusive: true });
  const gamma = check.finite('gamma', o.gamma ?? 0.9, { min: 0, max: 1 });
  const v0 = check.finite('v0', o.v0 ?? 1e-5);
  let v: Float32Array | null = null;
  let steps = 0;
  const prepare = (length: number): void => {
    if (!v || v.length !== length) v = new Float32Array(length).fill(v0);
  };
  return {
    name: 'momentum',
    config: Object.freeze({ lr, gamma, v0 }),
    prepare,
    beginStep(length) {
      prepare(length);
      steps++;
    },
    update(params, grads, offset) {
      native.momentumUpdate(params, grads, v!.subarray(offset, offset + params.length), lr, gamma);
    },
    step(params, grads) {
      this.beginStep(params.length);
      this.update(params, grads, 0);
    },
    rule: (offset, length) => ({ kind: 'momentum', v: v!.subarray(offset, offset + length), lr, gamma }),
    getState: () => ({ step: steps, buffers: v ? { v } : ({} as Record<string, Float32Array>) }),
    setState(state) {
      steps = state.step;
      v = state.buffers.v ? state.buffers.v.slice() : null;
    },
    [ADOPT_STATE](state) {
      steps = state.step;
      v = state.buffers.v ?? null;
    },
  };
}

export interface AdamOptions {
  /** Learning rate (default 1e-4, the course's). */
  lr?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

/** Adam (TensorFlow's formulation, the course's optimizer). */
export function adam(options: AdamOptions = {}): Optimizer & Adopting {
  const o = check.object('adam options', options);
  check.knownKeys('adam options', o, ['lr', 'beta1', 'beta2', 'eps']);
  const lr = check.finite('lr', o.lr ?? 1e-4, { min: 0, minExclusive: true });
  const beta1 = check.finite('beta1', o.beta1 ?? 0.9, { min: 0, max: 1 });
  const beta2 = check.finite('beta2', o.beta2 ?? 0.999, { min: 0, max: 1 });
  const eps = check.positiveFloat32('eps', o.eps ?? 1e-8);
  if (beta1 === 1 || beta2 === 1) throw new RangeError('adam: beta1 and beta2 must be < 1');
  let m: Float32Array | null = null;
  let v: Float32Array | null = null;
  let t = 0;
  const prepare = (length: number): void => {
    if (!m || !v || m.length !== length) {
      m = new Float32Array(length);
      v = new Float32Array(length);
    }
  };
  return {
    name: 'adam',
    config: Object.freeze({ lr, beta1, beta2, eps }),
    prepare,
    beginStep(length) {
      prepare(length);
      t++;
    },
    update(params, grads, offset) {
      const end = offset + params.length;
      native.adamUpdate(params, grads, m!.subarray(offset, end), v!.subarray(offset, end), lr, beta1, beta2, eps, t);
    },
    step(params, grads) {
      this.beginStep(params.length);
      this.update(params, grads, 0);
    },
    rule: (offset, length) => ({
      kind: 'adam', m: m!.subarray(offset, offset + length), v: v!.subarray(offset, offset + length),
      lr, beta1, beta2, eps, t,
    }),
    getState: () => ({ step: t, buffers: m && v ? { m, v } : ({} as Record<string, Float32Array>) }),
    setState(state) {
      t = state.step;
      m = state.buffers.m ? state.buffers.m.slice() : null;
      v = state.buffers.v ? state.buffers.v.slice() : null;
    },
    [ADOPT_STATE](state) {
      t = state.step;
      m = state.buffers.m ?? null;
      v = state.buffers.v ?? null;
    },
  };
}

export function isOptimizer(v: unknown): v is Optimizer {
  const o = v as Optimizer;
  return !!v && typeof o.step === 'function' && typeof o.beginStep === 'function' && typeof o.update === 'function' &&
    typeof o.getState === 'function';
}
