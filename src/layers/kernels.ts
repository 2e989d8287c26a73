// The native kernels of the layers that only stacks use, typed. Private, like the rest of the raw
// surface: the layers call them with sizes they have already checked.
import { native, NativeAddon } from '../native';

/** Codes of activationForward/activationBackward. */
export const ACTIVATION = { leakyRelu: 0, tanh: 1, sigmoid: 2 } as const;

export interface StackKernels {
  // f: ACTIVATION code; y may be x. Backward takes the forward's input and output; dx must be neither.
  activationForward(f: number, x: Float32Array, y: Float32Array, alpha: number): void;
  activationBackward(f: number, x: Float32Array, y: Float32Array, dy: Float32Array, dx: Float32Array,
    alpha: number, accumulate?: boolean): void;
  // Average pooling over VALID windows; dims as maxPoolForward's [N, H, W, C, PH, PW, SH, SW, OH, OW].
  avgPoolForward(x: Float32Array, y: Float32Array, dims: Int32Array): void;
  avgPoolForwardReference(x: Float32Array, y: Float32Array, dims: Int32Array): void;
  avgPoolBackward(dy: Float32Array, dx: Float32Array, dims: Int32Array, accumulate?: boolean): void;
  // Affine batch norm's scale and shift per column of (R, K): y = xhat * gamma + beta. Backward
  // accumulates dgamma and dbeta and writes dxhat = dy * gamma.
  scaleShiftForward(xhat: Float32Array, gamma: Float32Array, beta: Float32Array, y: Float32Array, R: number, K: number): void;
  scaleShiftBackward(xhat: Float32Array, gamma: Float32Array, dy: Float32Array, dgamma: Float32Array,
    dbeta: Float32Array, dxhat: Float32Array, R: number, K: number): void;
}

export const kernels = native as NativeAddon & StackKernels;
