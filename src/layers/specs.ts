// The layers of a stack in the words of the API and of a --model JSON file: plain objects with a
// `type` and the layer's options. layers.conv2d({ filters: 32 }) returns { type: 'conv2d', filters: 32 };
// normalizeLayer() checks one and fills in every default, so a normalized stack rebuilds exactly.
import * as check from '../validate';

export type Padding = 'same' | 'valid';

export interface DenseSpec { type: 'dense'; units: number; name?: string }
export interface Conv2dSpec {
  type: 'conv2d'; filters: number;
  /** Kernel height and width (a number for a square kernel; default 3). */
  kernel?: number | [number, number];
  /** Step between windows, both axes (default 1). */
  stride?: number;
  /** 'same' (default): output ceil(input / stride), zero padding as TensorFlow; 'valid': no padding. */
  padding?: Padding;
  name?: string;
}
export interface Pool2dSpec {
  type: 'maxPool2d' | 'avgPool2d';
  /** Window height and width (default 2). */
  size?: number;
  /** Default: size. */
  stride?: number;
  name?: string;
}
export interface BatchNormSpec {
  type: 'batchNorm';
  /** 'channel' (default): each channel over batch, height and width. 'activation': each activation over
   * the batch only, as the course's tf.nn.moments(h, axes=[0]). */
  mode?: 'channel' | 'activation';
  /** Added to the variance (default 1e-9, the course's). */
  eps?: number;
  /** Running-average momentum for evaluation statistics (default 0.99). */
  momentum?: number;
  /** A learned scale (gamma, from 1) and shift (beta, from 0) per normalized column (default false). */
  affine?: boolean;
  /** Statistics at evaluation: 'running' (default) or 'batch' (each evaluation chunk's own). */
  evaluation?: 'running' | 'batch';
  name?: string;
}
export interface DropoutSpec { type: 'dropout'; keepProb: number; name?: string }
export interface LeakyReluSpec { type: 'leakyRelu'; alpha?: number; name?: string }
export interface PlainSpec { type: 'relu' | 'tanh' | 'sigmoid' | 'flatten'; name?: string }

export type LayerSpec = DenseSpec | Conv2dSpec | Pool2dSpec | BatchNormSpec | DropoutSpec | LeakyReluSpec | PlainSpec;
export type LayerType = LayerSpec['type'];

/** A layer with every option filled in (kernel as [kh, kw]) and its name. */
export type NormalizedLayer =
  | { type: 'dense'; name: string; units: number }
  | { type: 'conv2d'; name: string; filters: number; kernel: [number, number]; stride: number; padding: Padding }
  | { type: 'maxPool2d' | 'avgPool2d'; name: string; size: number; stride: number }
  | { type: 'batchNorm'; name: string; mode: 'channel' | 'activation'; eps: number; momentum: number; affine: boolean;
      evaluation: 'running' | 'batch' }
  | { type: 'dropout'; name: string; keepProb: number }
  | { type: 'leakyRelu'; name: string; alpha: number }
  | { type: 'relu' | 'tanh' | 'sigmoid' | 'flatten'; name: string };

const KEYS: Record<LayerType, readonly string[]> = {
  dense: ['units'],
  conv2d: ['filters', 'kernel', 'stride', 'padding'],
  maxPool2d: ['size', 'stride'],
  avgPool2d: ['size', 'stride'],
  batchNorm: ['mode', 'eps', 'momentum', 'affine', 'evaluation'],
  dropout: ['keepProb'],
  leakyRelu: ['alpha'],
  relu: [], tanh: [], sigmoid: [], flatten: [],
};
export const LAYER_TYPES = Object.keys(KEYS) as LayerType[];
const MAX_UNITS = 1 << 20;
const MAX_SIDE = 4096;

/** Checks one layer (where: "layers[3]") and fills in its defaults; position is 1-based. */
export function normalizeLayer(spec: unknown, position: number, where = `layers[${position - 1}]`): NormalizedLayer {
  const o = check.object(where, spec);
  const type = o.type;
  if (typeof type !== 'string' || !(LAYER_TYPES as string[]).includes(type)) {
    throw new TypeError(`${where}: type must be one of ${LAYER_TYPES.join(', ')}, got ${check.describe(type)}`);
  }
  const t = type as LayerType;
  check.knownKeys(`${where} (${t})`, o, ['type', 'name', ...KEYS[t]]);
  const name = o.name === undefined ? `${t}${position}` : o.name;
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new TypeError(`${where}: name must be letters, digits and _ (not starting with a digit), got ${check.describe(name)}`);
  }
  const at = (key: string) => `${name}.${key}`;
  switch (t) {
    case 'dense':
      return { type: t, name, units: check.integer(at('units'), o.units, 1, MAX_UNITS) };
    case 'conv2d': {
      const k = o.kernel ?? 3;
      const kernel: [number, number] = Array.isArray(k) && k.length === 2
        ? [check.integer(at('kernel[0]'), k[0], 1, 64), check.integer(at('kernel[1]'), k[1], 1, 64)]
        : typeof k === 'number' ? [check.integer(at('kernel'), k, 1, 64), check.integer(at('kernel'), k, 1, 64)]
          : (() => { throw new TypeError(`${at('kernel')} must be a number or [height, width], got ${check.describe(k)}`); })();
      return {
        type: t, name, filters: check.integer(at('filters'), o.filters, 1, MAX_SIDE), kernel,
        stride: check.integer(at('stride'), o.stride ?? 1, 1, 64),
        padding: check.oneOf(at('padding'), o.padding ?? 'same', ['same', 'valid'] as const),
      };
    }
    case 'maxPool2d':
    case 'avgPool2d': {
      const size = check.integer(at('size'), o.size ?? 2, 1, MAX_SIDE);
      return { type: t, name, size, stride: check.integer(at('stride'), o.stride ?? size, 1, MAX_SIDE) };
    }
    case 'batchNorm':
      if (o.affine !== undefined && typeof o.affine !== 'boolean') {
        throw new TypeError(`${at('affine')} must be true or false, got ${check.describe(o.affine)}`);
      }
      return {
        type: t, name,
        mode: check.oneOf(at('mode'), o.mode ?? 'channel', ['channel', 'activation'] as const),
        // The kernels divide by sqrt(var + eps) with eps in float32: eps must stay above 0 there, so
        // that this stays finite for a constant column.
        eps: check.positiveFloat32(at('eps'), o.eps ?? 1e-9),
        momentum: check.finite(at('momentum'), o.momentum ?? 0.99, { min: 0, max: 1 }),
        affine: (o.affine as boolean | undefined) ?? false,
        evaluation: check.oneOf(at('evaluation'), o.evaluation ?? 'running', ['running', 'batch'] as const),
      };
    case 'dropout':
      // Kept units are scaled by 1/keepProb, which must stay a sane float32.
      return { type: t, name, keepProb: check.finite(at('keepProb'), o.keepProb, { min: 1e-6, max: 1 }) };
    case 'leakyRelu':
      return { type: t, name, alpha: check.finite(at('alpha'), o.alpha ?? 0.01, { min: 0, max: 1 }) };
    default:
      return { type: t, name } as NormalizedLayer;
  }
}

function factory<S extends LayerSpec>(type: S['type']) {
  return (options: Omit<S, 'type'> = {} as Omit<S, 'type'>): S => {
    const spec = { type, ...check.object(`layers.${type} options`, options) } as unknown as S;
    if ('type' in options) throw new TypeError(`layers.${type}: the options must not hold a type`);
    normalizeLayer(spec, 1, `layers.${type}`);
    return Object.freeze(spec);
  };
}

/** Layer constructors for sequential(): each returns the layer's description, checked. */
export const layers = Object.freeze({
  /** Fully connected: y = x W + b, W [in, units] (Xavier), b [units] (zeros). */
  dense: factory<DenseSpec>('dense'),
  /** 2-D convolution of NHWC images: W [kh, kw, in, filters] (HWIO, Xavier), b [filters]. */
  conv2d: factory<Conv2dSpec>('conv2d'),
  maxPool2d: factory<Pool2dSpec>('maxPool2d'),
  avgPool2d: factory<Pool2dSpec>('avgPool2d'),
  batchNorm: factory<BatchNormSpec>('batchNorm'),
  /** Inverted dropout during training; the identity in evaluation. */
  dropout: factory<DropoutSpec>('dropout'),
  relu: factory<PlainSpec>('relu'),
  leakyRelu: factory<LeakyReluSpec>('leakyRelu'),
  tanh: factory<PlainSpec>('tanh'),
  sigmoid: factory<PlainSpec>('sigmoid'),
  /** [height, width, channels] -> [height * width * channels], in that (NHWC) order. */
  flatten: factory<PlainSpec>('flatten'),
});
