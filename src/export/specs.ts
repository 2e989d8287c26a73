// A network as a list of plain layer descriptions: what the ONNX emitters and the page's JavaScript
// forward pass both read. Images are NHWC per sample; weights keep gemmnet's layouts (dense W (I,O),
// conv W (KH,KW,C,F)); batch-norm statistics are per channel or per activation (H*W*C, NHWC order).

export type Padding = 'same' | 'valid';

export type LayerSpec =
  | { type: 'dense'; units: number; W: Float32Array; b: Float32Array }
  | { type: 'conv2d'; kernel: [number, number]; filters: number; stride: number; padding: Padding; W: Float32Array; b: Float32Array }
  | { type: 'batchNorm'; mode: 'channel' | 'activation'; eps: number; mean: Float32Array; variance: Float32Array;
      gamma?: Float32Array; beta?: Float32Array }
  | { type: 'maxPool2d' | 'avgPool2d'; size: number; stride: number; padding: Padding }
  | { type: 'relu' | 'tanh' | 'sigmoid' | 'flatten' | 'dropout' }
  | { type: 'leakyRelu'; alpha: number };

export interface NetworkSpec {
  /** Per-sample input shape: [H, W, C] for images, [features] otherwise. */
  input: number[];
  layers: LayerSpec[];
  /** Class names, when known. */
  classes?: string[];
}

/** Output size and TensorFlow's padding split: the extra row or column goes to the bottom or right. */
export function windowOutput(inp: number, k: number, stride: number, padding: Padding): { out: number; before: number; after: number } {
  const out = padding === 'same' ? Math.ceil(inp / stride) : Math.floor((inp - k) / stride) + 1;
  const total = padding === 'same' ? Math.max((out - 1) * stride + k - inp, 0) : 0;
  const before = Math.floor(total / 2);
  return { out, before, after: total - before };
}

/** Per-sample output shape of a layer given its input shape (throws on a mismatch). */
export function outputShape(spec: LayerSpec, shape: number[]): number[] {
  const flat = shape.reduce((a, b) => a * b, 1);
  switch (spec.type) {
    case 'dense':
      if (spec.W.length !== flat * spec.units) throw new RangeError(`dense: W has ${spec.W.length} values, expected ${flat}x${spec.units}`);
      return [spec.units];
    case 'conv2d': case 'maxPool2d': case 'avgPool2d': {
      if (shape.length !== 3) throw new RangeError(`${spec.type} needs an image input [H, W, C], got [${shape}]`);
      const [kh, kw] = spec.type === 'conv2d' ? spec.kernel : [spec.size, spec.size];
      const h = windowOutput(shape[0], kh, spec.stride, spec.padding).out;
      const w = windowOutput(shape[1], kw, spec.stride, spec.padding).out;
      return [h, w, spec.type === 'conv2d' ? spec.filters : shape[2]];
    }
    case 'flatten':
      return [flat];
    default:
      return shape;
  }
}
