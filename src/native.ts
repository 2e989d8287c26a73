// Loads the native addon: a local build (build/Release) when there is one, else the committed prebuild
// for this platform (prebuilds/<platform>-<arch>/). No install script is needed for either.
import * as fs from 'fs';
import * as path from 'path';

/** An optimizer's update of one tensor, in the form the fused kernels take; state buffers are views
 * laid out like the tensor. */
export type UpdateRule =
  | { kind: 'momentum'; v: Float32Array; lr: number; gamma: number }
  | { kind: 'adam'; m: Float32Array; v: Float32Array; lr: number; beta1: number; beta2: number; eps: number; t: number };

export interface BuildInfo {
  /** Hash of the native sources the binary was built from. */
  sourceHash: string;
  /** OpenBLAS core type in use (picked at run time) and its build configuration. */
  blasCore: string;
  blasConfig: string;
  /** SIMD level chosen at run time for gemmnet's own kernels: avx512, avx2 or scalar (x64), neon (arm64). */
  simd: 'avx512' | 'avx2' | 'neon' | 'scalar';
  /** The processor architecture the binary was built for. */
  arch: 'x64' | 'arm64';
  /** Version of the OpenBLAS linked in, as it reports itself. */
  blasVersion: string;
  /** Threads of gemmnet's own pool (setThreads, GEMMNET_THREADS; one per core by default). */
  threads: number;
  /** Threads of OpenBLAS itself: 1, since it runs inside gemmnet's pool. */
  blasThreads: number;
  napiVersion: number;
  sanitizers: boolean;
}

/** The raw native surface. Private: the public API validates arguments before calling these. */
export interface NativeAddon {
  // Dense layers and gemm (row-major, batch-major).
  denseForward(x: Float32Array, W: Float32Array, b: Float32Array | null, y: Float32Array,
    N: number, I: number, O: number, relu: boolean): void;
  denseBackward(x: Float32Array, W: Float32Array, dy: Float32Array, dW: Float32Array | null,
    db: Float32Array | null, dx: Float32Array | null, N: number, I: number, O: number, accumulate?: boolean): void;
  /** Dense backward fused with the update of W; returns sum W^2 before the update (0 when l2 is 0). */
  denseBackwardUpdate(x: Float32Array, W: Float32Array, dy: Float32Array, db: Float32Array | null,
    dx: Float32Array | null, N: number, I: number, O: number, l2: number, rule: UpdateRule): number;
  gemm(transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
    A: Float32Array, B: Float32Array, beta: number, C: Float32Array): void;
  denseForwardReference: NativeAddon['denseForward'];
  denseBackwardReference: NativeAddon['denseBackward'];
  gemmReference: NativeAddon['gemm'];
  // Activations and loss.
  reluForward(x: Float32Array, y: Float32Array): void;
  reluBackward(y: Float32Array, dy: Float32Array, dx: Float32Array, accumulate?: boolean): void;
  softmaxForward(z: Float32Array, p: Float32Array, N: number, C: number): void;
  softmaxCEForward(z: Float32Array, labels: Int32Array, p: Float32Array, N: number, C: number): [number, number];
  softmaxCEForwardReference: NativeAddon['softmaxCEForward'];
  softmaxCEBackward(p: Float32Array, labels: Int32Array, dz: Float32Array, N: number, C: number, scale: number): void;
  // Optimizers and flat-buffer helpers.
  momentumUpdate(w: Float32Array, g: Float32Array, v: Float32Array, lr: number, gamma: number): void;
  adamUpdate(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, lr: number,
    beta1: number, beta2: number, eps: number, t: number): void;
  sumSquares(x: Float32Array): number;
  axpy(a: number, x: Float32Array, y: Float32Array): void;
  gatherRows(src: Float32Array, idx: Int32Array, dst: Float32Array, rowLength: number): void;
  // Build information and threads.
  buildInfo(): BuildInfo;
  setThreads(n: number): void;
  /** For the calling thread: every thread on its parallel loops yields its core after each chunk
   * (a training worker sets it, so that the main thread gets a core within a chunk's time). */
  setYielding(on: boolean): void;
  yielding(): boolean;
  // Convolution (NHWC x, HWIO W) as im2col + sgemm. dims = [N, H, W, C, KH, KW, F, strideH, strideW,
  // padTop, padLeft, OH, OW] with TF-style padding; col holds >= N*OH*OW*KH*KW*C floats and must not
  // overlap the other arrays. Backward recomputes im2col(x) into col and accumulates the gradients.
  conv2dForward(x: Float32Array, W: Float32Array, b: Float32Array | null, y: Float32Array,
    col: Float32Array, dims: Int32Array, relu: boolean): void;
  /** reluY: the forward's output after its ReLU; then dz = reluY > 0 ? dy : 0 stands for dy. */
  conv2dBackward(x: Float32Array, W: Float32Array, dy: Float32Array, dW: Float32Array | null,
    db: Float32Array | null, dx: Float32Array | null, col: Float32Array, dims: Int32Array,
    reluY?: Float32Array | null): void;
  conv2dForwardReference: NativeAddon['conv2dForward'];
  /** Inference of conv (+ bias, ReLU) -> batch norm at running statistics (and its scale and shift;
   * each pair null to skip) -> max pooling, in one pass (kernels/conv_pool.h): convDims as
   * conv2dForward's, poolDims as maxPoolForward's over the convolution's output. */
  convPoolInference(x: Float32Array, y: Float32Array, W: Float32Array, b: Float32Array | null,
    mean: Float32Array | null, variance: Float32Array | null, gamma: Float32Array | null, beta: Float32Array | null,
    convDims: Int32Array, poolDims: Int32Array, eps: number, relu: boolean): void;
  /** Whether this CPU has a SIMD kernel for convPoolInference. */
  convPoolAvailable(): boolean;
  conv2dBackwardReference: NativeAddon['conv2dBackward'];
  // Max pooling over VALID windows. dims = [N, H, W, C, PH, PW, SH, SW, OH, OW]; argmax holds flat
  // indices into x (first maximum of each window). Backward: dx[argmax[i]] += dy[i], i < dy.length.
  maxPoolForward(x: Float32Array, y: Float32Array, argmax: Int32Array, dims: Int32Array): void;
  maxPoolForwardReference: NativeAddon['maxPoolForward'];
  /** samples: dy and dx hold that many equal samples (windows never cross them), run in parallel. */
  maxPoolBackward(dy: Float32Array, argmax: Int32Array, dx: Float32Array, accumulate?: boolean, samples?: number): void;
  // For windows that do not overlap (strides at least the window): dx (N,H,W,C) written whole, from
  // an argmax that maxPoolForward filled with the same dims.
  maxPoolBackwardWindows(dy: Float32Array, argmax: Int32Array, dx: Float32Array, dims: Int32Array): void;
  // Batch norm (no scale/shift) of each column of an (R, K) row-major matrix over its R rows; y may
  // be x; eps > 0. Backward accumulates into dx.
  batchNormForward(x: Float32Array, y: Float32Array, mean: Float32Array, invStd: Float32Array,
    R: number, K: number, eps: number): void;
  batchNormBackward(y: Float32Array, invStd: Float32Array, dy: Float32Array, dx: Float32Array,
    R: number, K: number, accumulate?: boolean): void;
  batchNormInference(x: Float32Array, y: Float32Array, mean: Float32Array, variance: Float32Array,
    R: number, K: number, eps: number): void;
  batchNormForwardReference: NativeAddon['batchNormForward'];
  batchNormBackwardReference: NativeAddon['batchNormBackward'];
  batchNormInferenceReference: NativeAddon['batchNormInference'];
  // Inverted dropout over x.length elements; the mask is a function of (seed, counter, index) only.
  // keepProb in (0, 1]; seedLo/seedHi are 32-bit halves of the seed; counter an integer in [0, 2^53].
  dropoutForward(x: Float32Array, y: Float32Array, mask: Float32Array, keepProb: number,
    seedLo: number, seedHi: number, counter: number): void;
  dropoutBackward(dy: Float32Array, mask: Float32Array, dx: Float32Array, accumulate?: boolean): void;
  [name: string]: unknown;
}

const root = path.resolve(__dirname, '..');

function load(): NativeAddon {
  const override = process.env.GEMMNET_NATIVE;
  if (override) return require(path.resolve(override)) as NativeAddon;
  try {
    // node-gyp-build tries build/Release, build/Debug, then prebuilds/<platform>-<arch>/.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require('node-gyp-build')(root) as NativeAddon;
  } catch (err) {
    throw new Error(loadFailure(err as Error));
  }
}

/** What was tried, what exists, and the command that builds the addon here. */
function loadFailure(e: Error): string {
  const platform = `${process.platform}-${process.arch}`;
  let shipped: string[] = [];
  try {
    shipped = fs.readdirSync(path.join(root, 'prebuilds')).sort();
  } catch {
    // No prebuilds folder: nothing ships prebuilt.
  }
  const tried = [
    path.join(root, 'build', 'Release', 'gemmnet.node'),
    path.join(root, 'prebuilds', platform, '*.node'),
  ];
  const cause = e.message.split('\n')[0];
  return `gemmnet: no native addon loads on ${platform} (Node ${process.version}, N-API ${process.versions.napi}` +
    `${process.platform === 'linux' ? `, ${libc()}` : ''}).\n` +
    `Tried:\n  ${tried.join('\n  ')}\n` +
    `Cause: ${cause}\n` +
    `Prebuilt binaries ship for: ${shipped.length ? shipped.join(', ') : 'none'} (Linux with glibc 2.28 or newer).\n` +
    'To build from source, install a C++17 compiler, cmake and OpenBLAS (Debian/Ubuntu: ' +
    'apt-get install g++ cmake libopenblas-dev; macOS: brew install cmake openblas), then run:\n' +
    `  cd ${JSON.stringify(root)} && npm run build:source`;
}

function libc(): string {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  const glibc = report?.header?.glibcVersionRuntime;
  return glibc ? `glibc ${glibc}` : 'not glibc (musl?)';
}

export const native: NativeAddon = load();
