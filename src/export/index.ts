// ONNX export: a network as a ModelProto with input `input` ([N, H, W, C] or [N, features], float32)
// and output `probabilities` ([N, classes], softmax), opset 13, class names in the metadata.
import { writeFileAtomic } from '../io/atomic';
import { checkPath, describe } from '../data/common';
import type { Network } from '../network';
import { Value, emit, emitSoftmax } from './emitters';
import { Graph } from './onnx-graph';
import { NetworkSpec } from './specs';

export type { LayerSpec, NetworkSpec, Padding } from './specs';
export { networkSpec } from './network-spec';

export interface OnnxOptions {
  /** Class names, stored as JSON in the model's metadata under `classes`. */
  classes?: string[];
}

// Read at run time from the package, whose version tsc does not see from src/.
function version(): string {
  try {
    return String((require('../../package.json') as { version: string }).version);
  } catch {
    return '0';
  }
}

/** Encodes a network spec (see specs.ts) as an ONNX model. */
export function specToOnnx(spec: NetworkSpec): Uint8Array {
  const g = new Graph();
  g.fresh('input');
  g.fresh('probabilities');
  let x: Value = { name: 'input', shape: spec.input, layout: 'nhwc' };
  for (const layer of spec.layers) x = emit(g, x, layer);
  if (x.shape.length !== 1) throw new RangeError(`onnx export: the network ends with shape [${x.shape}], not [classes]`);
  emitSoftmax(g, x, 'probabilities');
  const classes = spec.classes;
  if (classes && (!Array.isArray(classes) || classes.length !== x.shape[0] || classes.some((c) => typeof c !== 'string'))) {
    throw new RangeError(`onnx export: classes must be ${x.shape[0]} strings, got ${describe(classes)}`);
  }
  return g.encode({
    name: 'gemmnet',
    input: { name: 'input', shape: ['N', ...spec.input] },
    output: { name: 'probabilities', shape: ['N', x.shape[0]] },
    producerVersion: version(),
    metadata: classes ? { classes: JSON.stringify(classes) } : {},
  });
}

/** Writes model.toOnnx(options) to path, atomically. */
export function exportOnnx(model: Network, path: string, options: OnnxOptions = {}): void {
  checkPath('exportOnnx', path);
  writeFileAtomic('exportOnnx', path, model.toOnnx(options));
}
