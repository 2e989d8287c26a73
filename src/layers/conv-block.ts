// Inference of a convolution block in one native pass: Conv2d (with its ReLU), then an optional
// BatchNorm at its running statistics, then MaxPool2d, computed from the input straight to the
// pooled output (native.convPoolInference) instead of three passes over the full-size activations.
//
// It gives the bits of the layers run one by one wherever it is used: the fused kernel sums each
// convolution output in a fixed order, one fused multiply-add per tap, and the layer path's sgemm
// does too at the BLAS kernels that sum that way (OpenBLAS at SkylakeX and Cooperlake, for
// example). For each geometry the two are compared once on random values, and where they differ in
// a single bit (another BLAS kernel), the layers keep running one by one.
import { MT19937 } from '../random';
import { native } from '../native';
import { BatchNorm } from './batch-norm';
import { Conv2d } from './conv2d';
import { kernels } from './kernels';
import { Layer, Mode, Workspace } from './layer';
import { MaxPool2d } from './max-pool2d';

/** Pooling windows the fused kernel takes (taps): as kernels/conv_pool.cc's conv_pool_window_ok. */
const WINDOWS = new Set([1, 2, 3, 4, 6, 9]);

/** Per geometry (and flags), whether the fused pass gives the layers' bits here. */
const agreement = new Map<string, boolean>();

let available: boolean | undefined;

function fusedAvailable(): boolean {
  if (available === undefined) available = native.convPoolAvailable();
  return available;
}

export class ConvBlock {
  /** Layers it stands for: conv, [norm,] pool. */
  readonly span: number;
  private readonly out = new Workspace();
  private readonly convDims: Int32Array;
  private readonly poolDims: Int32Array;

  private constructor(private readonly conv: Conv2d, private readonly norm: BatchNorm | null, private readonly pool: MaxPool2d) {
    this.span = norm ? 3 : 2;
    this.convDims = conv.inferenceParts().dims;
    this.poolDims = pool.inferenceDims();
  }

  /** The block of layers starting at i that can run fused in evaluation, or null. */
  static at(layers: readonly Layer[], i: number): ConvBlock | null {
    const conv = layers[i];
    if (!(conv instanceof Conv2d)) return null;
    const next = layers[i + 1];
    const norm = next instanceof BatchNorm && next.mode === 'channel' ? next : null;
    const pool = layers[i + (norm ? 2 : 1)];
    if (!(pool instanceof MaxPool2d)) return null;
    const pd = pool.inferenceDims();
    if (!WINDOWS.has(pd[4] * pd[5])) return null;
    return new ConvBlock(conv, norm, pool);
  }

  /** Whether, in `mode`, the block runs fused: evaluation with the norm (if any) at running statistics,
   * a SIMD kernel on this CPU, and the layers' bits on the probe. */
  applies(mode: Mode): boolean {
    if (mode.training || !fusedAvailable()) return false;
    if (this.norm && !this.norm.inferenceParts(mode)) return false;
    return this.agrees();
  }

  /** x: n samples of the conv's input; returns n samples of the pool's output (a workspace). */
  forward(x: Float32Array, n: number, mode: Mode): Float32Array {
    const c = this.conv.inferenceParts();
    const bn = this.norm ? this.norm.inferenceParts(mode) : null;
    this.convDims[0] = n;
    this.poolDims[0] = n;
    const y = this.out.get(n * this.pool.outSize);
    native.convPoolInference(x, y, c.W, c.b, bn?.mean ?? null, bn?.variance ?? null, bn?.gamma ?? null,
      bn?.beta ?? null, this.convDims, this.poolDims, bn?.eps ?? 1, c.relu);
    return y;
  }

  /** Compares the fused pass with the layers one by one, once per geometry, on random weights, inputs
   * and statistics (three samples: an odd number of rows for the sgemm). Its own random weights, not
   * the layers': weights that happen to be zeros (or few distinct values) would agree at any order of
   * the sums and leave the answer cached for the model's later weights. */
  private agrees(): boolean {
    const c = this.conv.inferenceParts();
    const bn = this.norm ? this.norm.inferenceParts({ training: false, batchStatsInEval: false }) : null;
    const key = [...this.convDims.subarray(1), ...this.poolDims.subarray(1), c.relu, !!bn, !!bn?.gamma, bn?.eps].join();
    const known = agreement.get(key);
    if (known !== undefined) return known;
    const n = 3;
    const rng = new MT19937(20261202);
    const rand = (len: number, scale = 1, shift = 0) => Float32Array.from(rng.normal(len, scale), (v) => v + shift);
    const cd = this.convDims.slice();
    const pd = this.poolDims.slice();
    cd[0] = n;
    pd[0] = n;
    const [, H, W, C, KH, KW, F, , , , , OH, OW] = cd;
    const x = rand(n * H * W * C);
    const Wt = rand(KH * KW * C * F, 0.5);
    const b = rand(F, 0.5);
    const mean = rand(F, 0.5);
    const variance = Float32Array.from(rand(F), (v) => Math.abs(v) + 0.1);
    const gamma = bn?.gamma ? rand(F, 0.5, 1) : null;
    const beta = bn?.gamma ? rand(F, 0.5) : null;
    const eps = bn?.eps ?? 1;
    // The layers' path: conv2dForward, batchNormInference, scaleShiftForward, maxPoolForward.
    let h = new Float32Array(n * OH * OW * F);
    native.conv2dForward(x, Wt, b, h, new Float32Array(n * OH * OW * KH * KW * C), cd, c.relu);
    if (bn) {
      const t = new Float32Array(h.length);
      native.batchNormInference(h, t, mean, variance, n * OH * OW, F, eps);
      h = t;
      if (gamma && beta) {
        const u = new Float32Array(h.length);
        kernels.scaleShiftForward(h, gamma, beta, u, n * OH * OW, F);
        h = u;
      }
    }
    const want = new Float32Array(n * pd[8] * pd[9] * F);
    native.maxPoolForward(h, want, new Int32Array(want.length), pd);
    const got = new Float32Array(want.length);
    native.convPoolInference(x, got, Wt, b, bn ? mean : null, bn ? variance : null, gamma, beta, cd, pd, eps, c.relu);
    const same = Buffer.from(got.buffer).equals(Buffer.from(want.buffer));
    agreement.set(key, same);
    return same;
  }
}
