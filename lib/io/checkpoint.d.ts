import { TypedData } from '../data/common';
import { Network, Weights } from '../network';
import { Optimizer } from '../optim';
import { TensorInput } from './safetensors';
export declare const CHECKPOINT_FORMAT = "gemmnet";
/** Bumped when a checkpoint could no longer be read by older versions. */
export declare const CHECKPOINT_VERSION = 1;
export interface SaveModelExtra {
    /** Its buffers are stored as `optim.<name>`; its name, hyperparameters and step count in the metadata. */
    optimizer?: Optimizer;
    /** More tensors to keep, stored as `extra.<name>` and returned by readCheckpoint as `extra`. */
    tensors?: Record<string, TensorInput>;
    /** JSON-serializable values (training progress, say), returned by readCheckpoint as `meta`. */
    meta?: Record<string, unknown>;
}
export interface OptimizerCheckpoint {
    name: 'momentum' | 'adam';
    config: Record<string, number>;
    step: number;
    buffers: Record<string, Float32Array>;
}
export interface Checkpoint {
    kind: 'mlp' | 'cnn';
    /** The options the model was built with: mlp(options) or cnn(options) rebuilds it. */
    options: Record<string, unknown>;
    weights: Weights;
    /** Non-trainable state as model.getState() names it (batch norm's running averages). */
    state: Record<string, Float32Array>;
    optimizer?: OptimizerCheckpoint;
    extra: Record<string, TypedData>;
    meta: Record<string, unknown>;
    /** Shapes of the weights as stored. */
    shapes: Record<string, number[]>;
    version: number;
}
/**
 * Saves a model made by mlp() or cnn() (and optionally its optimizer, more tensors and JSON
 * metadata) to path, atomically: path holds the old file or the new one, never a partial write.
 */
export declare function saveModel(model: Network, path: string, extra?: SaveModelExtra): void;
/** Reads a checkpoint written by saveModel without building the model (e.g. to resume training). */
export declare function readCheckpoint(path: string): Checkpoint;
/**
 * Builds the model a checkpoint describes and puts its weights and state back exactly. Every weight
 * and state tensor the model has must be present, with its shape, and nothing else.
 */
export declare function modelFromCheckpoint(checkpoint: Checkpoint, where?: string): Network;
/** Loads a model saved by saveModel: the same kind, options, weights and state, bit for bit. */
export declare function loadModel(path: string): Network;
/** A fresh optimizer of the checkpoint's kind, hyperparameters, step count and buffers. */
export declare function optimizerFromCheckpoint(checkpoint: Checkpoint): Optimizer;
