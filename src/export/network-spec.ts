// gemmnet's layers as LayerSpecs: a walk over the network's layer list, one case per layer class.
import { BatchNorm } from '../layers/batch-norm';
import { Conv2d } from '../layers/conv2d';
import { Dense } from '../layers/dense';
import { Dropout } from '../layers/dropout';
import { Layer } from '../layers/layer';
import { MaxPool2d } from '../layers/max-pool2d';
import type { Weights } from '../network';
import { LayerSpec, NetworkSpec, outputShape } from './specs';

function layerSpecs(layer: Layer, shape: number[], weights: Weights): LayerSpec[] {
  const named = () => layer.params().map((p) => weights[p.name]);
  if (layer instanceof Dense) {
    const [W, b] = named();
    return [{ type: 'dense', units: layer.outSize, W, b }, ...(layer.relu ? [{ type: 'relu' } as const] : [])];
  }
  if (layer instanceof Conv2d) {
    const [W, b] = named();
    const { KH, KW, F, stride, padding } = layer.g;
    return [{ type: 'conv2d', kernel: [KH, KW], filters: F, stride, padding, W, b }, ...(layer.relu ? [{ type: 'relu' } as const] : [])];
  }
  if (layer instanceof BatchNorm) {
    return [{
      type: 'batchNorm', mode: layer.mode === 'batch' ? 'activation' : 'channel', eps: layer.eps,
      mean: layer.runningMean.slice(), variance: layer.runningVar.slice(),
    }];
  }
  if (layer instanceof MaxPool2d) {
    // dims: [n, H, W, C, size, size, stride, stride, OH, OW]; pooling windows are VALID.
    const dims = (layer as unknown as { dims: Int32Array }).dims;
    return [{ type: 'maxPool2d', size: dims[4], stride: dims[6], padding: 'valid' }];
  }
  if (layer instanceof Dropout) return [{ type: 'dropout' }];
  throw new TypeError(`onnx export: no emitter for a ${layer.constructor.name} layer (input shape [${shape}])`);
}

/** The network's layers in evaluation mode, from a per-sample input shape. */
export function networkSpec(input: number[], layers: readonly Layer[], weights: Weights, classes?: string[]): NetworkSpec {
  const specs: LayerSpec[] = [];
  let shape = input;
  for (const layer of layers) {
    for (const s of layerSpecs(layer, shape, weights)) {
      shape = outputShape(s, shape);
      specs.push(s);
    }
  }
  return { input, layers: specs, classes };
}
