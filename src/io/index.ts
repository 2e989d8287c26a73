// Saving and loading: the safetensors layout, and model checkpoints built on it.
export { encodeSafetensors, encodeSafetensorsParts, decodeSafetensors, loadSafetensors, saveSafetensors, MAX_HEADER_BYTES } from './safetensors';
export type { SafeDType, SafeTensors, Tensor, TensorInput, EncodedParts } from './safetensors';
export { saveModel, loadModel, readCheckpoint, modelFromCheckpoint, optimizerFromCheckpoint, CHECKPOINT_FORMAT, CHECKPOINT_VERSION } from './checkpoint';
export type { Checkpoint, OptimizerCheckpoint, SaveModelExtra } from './checkpoint';
export { writeFileAtomic } from './atomic';
