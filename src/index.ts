// gemmnet: neural networks in Node.js on OpenBLAS sgemm and SIMD kernels.
import { native } from './native';
import type { BuildInfo } from './native';
export type { BuildInfo };
import * as check from './validate';

export { relu, softmax, computeLayer, averageCE, gradCE } from './course';
export type { Matrix } from './course';
export { sequential, Sequential } from './sequential';
export type { SequentialOptions, NormalizedStack, LayerInfo } from './sequential';
export { layers } from './layers/specs';
export type {
  LayerSpec, LayerType, NormalizedLayer, DenseSpec, Conv2dSpec, Pool2dSpec, BatchNormSpec, DropoutSpec, LeakyReluSpec, PlainSpec,
} from './layers/specs';
export { mlp, MLP } from './mlp';
export type { MlpOptions } from './mlp';
export { cnn, CNN } from './cnn';
export type { CnnOptions, BatchNormOptions } from './cnn';
export { Network } from './network';
export type { Weights, Metrics, BatchResult, ModelDefaults } from './network';
export { momentum, adam } from './optim';
export type { Optimizer, MomentumOptions, AdamOptions } from './optim';
export { train } from './train';
export type { Dataset, EpochRecord, History, TrainOptions, EarlyStoppingOptions, Monitor, BatchInfo, StopReason } from './train';
export { MT19937 } from './random';
export type { MT19937State } from './random';
export { loadModel as load, loadModel, saveModel, readCheckpoint, loadSafetensors, saveSafetensors } from './io';
export type { Checkpoint, SaveModelExtra } from './io';
export * from './data';
export { exportOnnx, specToOnnx } from './export';
export type { OnnxOptions, LayerSpec as OnnxLayerSpec, NetworkSpec } from './export';


/** What the loaded binary is and what it chose on this CPU. */
export function buildInfo(): BuildInfo {
  return native.buildInfo();
}

/** Sets the number of threads the BLAS uses. */
export function setThreads(n: number): void {
  native.setThreads(check.integer('threads', n, 1, 256));
}
