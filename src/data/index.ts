// Data loading: NumPy .npy/.npz, MNIST IDX, the course's notMNIST and MNIST sets, and the seeded split.
export type { DType, NdArray, TypedData } from './common';
export { parseNpy, loadNpy, encodeNpy, saveNpy } from './npy';
export type { NpyInput } from './npy';
export { parseNpz, loadNpz, encodeNpz, saveNpz } from './npz';
export type { NpzArrays, NpzOptions, SaveNpzOptions } from './npz';
export { parseIdx, loadIdx, encodeIdx, saveIdx } from './idx';
export type { IdxInput, IdxOptions } from './idx';
export { seedSplit } from './split';
export { loadNotMnist, loadIdxDataset, loadMnist, loadDataset, splitDataset } from './datasets';
export type { ImageSet, DatasetSplit, DatasetOptions } from './datasets';
