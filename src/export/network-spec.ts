// A network as LayerSpecs, read from its architecture (types, options, tensor names): one case per
// layer type, so every layer sequential() can build is exported the same way.
import type { LayerInfo } from '../sequential';
import { LayerSpec, NetworkSpec, outputShape } from './specs';

interface Described {
  readonly kind: string;
  readonly architecture: { input: number[]; layers: LayerInfo[] };
  getWeights(): Record<string, Float32Array>;
  getState(): Record<string, Float32Array>;
}

function layerSpec(l: LayerInfo, weights: Record<string, Float32Array>, state: Record<string, Float32Array>): LayerSpec {
  const w = (role: string) => weights[l.weights[role]];
  const c = l.config;
  switch (c.type) {
    case 'dense':
      return { type: 'dense', units: c.units, W: w('W'), b: w('b') };
    case 'conv2d':
      return { type: 'conv2d', kernel: c.kernel, filters: c.filters, stride: c.stride, padding: c.padding, W: w('W'), b: w('b') };
    case 'batchNorm':
      return {
        type: 'batchNorm', mode: c.mode, eps: c.eps,
        mean: state[l.state.running_mean].slice(), variance: state[l.state.running_var].slice(),
        ...(c.affine ? { gamma: w('gamma'), beta: w('beta') } : {}),
      };
    case 'maxPool2d': case 'avgPool2d':
      // Pooling windows are VALID.
      return { type: c.type, size: c.size, stride: c.stride, padding: 'valid' };
    case 'leakyRelu':
      return { type: 'leakyRelu', alpha: c.alpha };
    default:
      return { type: c.type };
  }
}

/** The network's layers in evaluation mode, as plain descriptions. */
export function networkSpec(model: Described, classes?: string[], batchStatsInEval = false): NetworkSpec {
  const arch = model.architecture;
  const batchStats = arch.layers.find((l) => l.config.type === 'batchNorm' && (batchStatsInEval || l.config.evaluation === 'batch'));
  if (batchStats) {
    throw new Error(`export: this ${model.kind}'s ${batchStats.name} normalizes each evaluation batch by its own ` +
      "statistics (batchNorm evaluation: 'batch'), which no static graph reproduces; train it with evaluation: " +
      "'running' (the default) to export it");
  }
  const weights = model.getWeights();
  const state = model.getState();
  const specs: LayerSpec[] = [];
  let shape = arch.input;
  for (const l of arch.layers) {
    const s = layerSpec(l, weights, state);
    shape = outputShape(s, shape);
    specs.push(s);
  }
  return { input: [...arch.input], layers: specs, classes };
}
