// One small emitter per layer type: each appends the ONNX nodes computing its layer to the graph.
// Spatial operators want NCHW, gemmnet's images are NHWC: the value carries its layout and is
// transposed only where an operator needs the other one (into Conv or pooling, out to Flatten).
import { Graph } from './onnx-graph';
import { LayerSpec, outputShape, windowOutput } from './specs';

export interface Value {
  name: string;
  /** Per-sample shape in gemmnet's order: [H, W, C] or [features]. */
  shape: number[];
  /** Layout of the tensor in the graph for image shapes. */
  layout: 'nhwc' | 'nchw';
}

type Emitter<S extends LayerSpec = LayerSpec> = (g: Graph, x: Value, spec: S) => Value;

const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];

function nchw(g: Graph, x: Value): Value {
  if (x.layout === 'nchw' || x.shape.length !== 3) return x;
  return { ...x, name: g.op('Transpose', [x.name], { perm: NHWC_TO_NCHW }, 'to_nchw'), layout: 'nchw' };
}

function nhwc(g: Graph, x: Value): Value {
  if (x.layout === 'nhwc' || x.shape.length !== 3) return x;
  return { ...x, name: g.op('Transpose', [x.name], { perm: NCHW_TO_NHWC }, 'to_nhwc'), layout: 'nhwc' };
}

/** [N, features] in NHWC order (what dense weights and per-activation statistics index). */
function flat(g: Graph, x: Value): Value {
  if (x.shape.length === 1) return x;
  const y = nhwc(g, x);
  return { name: g.op('Flatten', [y.name], { axis: 1 }), shape: [x.shape.reduce((a, b) => a * b, 1)], layout: 'nhwc' };
}

function elementwise(op: string, attributes?: Record<string, number | { float: number }>): Emitter {
  return (g, x) => ({ ...x, name: g.op(op, [x.name], attributes) });
}

const dense: Emitter<Extract<LayerSpec, { type: 'dense' }>> = (g, x, s) => {
  const inp = flat(g, x);
  const W = g.constant('W', [inp.shape[0], s.units], s.W);
  const b = g.constant('b', [s.units], s.b);
  return { name: g.op('Gemm', [inp.name, W, b]), shape: [s.units], layout: 'nhwc' };
};

const conv2d: Emitter<Extract<LayerSpec, { type: 'conv2d' }>> = (g, x, s) => {
  const [H, W, C] = x.shape;
  const [KH, KW] = s.kernel;
  const F = s.filters;
  // HWIO -> OIHW.
  const w = new Float32Array(F * C * KH * KW);
  for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) for (let c = 0; c < C; c++) for (let f = 0; f < F; f++) {
    w[((f * C + c) * KH + kh) * KW + kw] = s.W[((kh * KW + kw) * C + c) * F + f];
  }
  const ph = windowOutput(H, KH, s.stride, s.padding);
  const pw = windowOutput(W, KW, s.stride, s.padding);
  const inp = nchw(g, x);
  const y = g.op('Conv', [inp.name, g.constant('W_conv', [F, C, KH, KW], w), g.constant('b_conv', [F], s.b)], {
    kernel_shape: [KH, KW], strides: [s.stride, s.stride], pads: [ph.before, pw.before, ph.after, pw.after],
  });
  return { name: y, shape: outputShape(s, x.shape), layout: 'nchw' };
};

function pool(op: 'MaxPool' | 'AveragePool'): Emitter<Extract<LayerSpec, { type: 'maxPool2d' | 'avgPool2d' }>> {
  return (g, x, s) => {
    const ph = windowOutput(x.shape[0], s.size, s.stride, s.padding);
    const pw = windowOutput(x.shape[1], s.size, s.stride, s.padding);
    // AveragePool leaves padding out of the mean by default, as TensorFlow's 'SAME' pooling does.
    const y = g.op(op, [nchw(g, x).name], {
      kernel_shape: [s.size, s.size], strides: [s.stride, s.stride], pads: [ph.before, pw.before, ph.after, pw.after],
    });
    return { name: y, shape: outputShape(s, x.shape), layout: 'nchw' };
  };
}

/**
 * Running statistics as BatchNormalization (scale 1 and bias 0 without gamma and beta). Per channel:
 * on NCHW images, or per feature on [N, features]. Per activation: the same operator on the
 * flattened [N, H*W*C] tensor with one statistic per activation, reshaped back to [N, H, W, C].
 */
const batchNorm: Emitter<Extract<LayerSpec, { type: 'batchNorm' }>> = (g, x, s) => {
  const perActivation = s.mode === 'activation' && x.shape.length === 3;
  const inp = perActivation ? flat(g, x) : nchw(g, x);
  const K = perActivation || x.shape.length === 1 ? inp.shape.reduce((a, b) => a * b, 1) : x.shape[2];
  if (s.mean.length !== K || s.variance.length !== K) {
    throw new RangeError(`batchNorm (${s.mode}): ${s.mean.length} statistics for ${K} ${perActivation ? 'activations' : 'channels'}`);
  }
  const y = g.op('BatchNormalization', [
    inp.name, g.constant('bn_scale', [K], s.gamma ?? new Float32Array(K).fill(1)),
    g.constant('bn_bias', [K], s.beta ?? new Float32Array(K)), g.constant('bn_mean', [K], s.mean),
    g.constant('bn_var', [K], s.variance),
  ], { epsilon: { float: s.eps } });
  if (!perActivation) return { ...inp, name: y };
  const back = g.op('Reshape', [y, g.int64s('shape', [-1, ...x.shape])], undefined, 'unflatten');
  return { name: back, shape: x.shape, layout: 'nhwc' };
};

const EMITTERS: { [T in LayerSpec['type']]: Emitter<Extract<LayerSpec, { type: T }>> } = {
  dense, conv2d, batchNorm,
  maxPool2d: pool('MaxPool'),
  avgPool2d: pool('AveragePool'),
  relu: elementwise('Relu'),
  leakyRelu: (g, x, s) => elementwise('LeakyRelu', { alpha: { float: s.alpha } })(g, x, s),
  tanh: elementwise('Tanh'),
  sigmoid: elementwise('Sigmoid'),
  flatten: (g, x) => flat(g, x),
  // The identity at inference.
  dropout: (_g, x) => x,
};

export function emit(g: Graph, x: Value, spec: LayerSpec): Value {
  return (EMITTERS[spec.type] as Emitter)(g, x, spec);
}

/** Softmax over the classes of the [N, classes] logits. */
export function emitSoftmax(g: Graph, x: Value, output: string): void {
  const logits = flat(g, x);
  g.node({ op: 'Softmax', inputs: [logits.name], outputs: [output], attributes: { axis: 1 } });
}
