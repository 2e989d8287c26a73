export interface Matrix {
    data: Float32Array;
    /** [rows, columns] */
    shape: [number, number];
}
/** max(0, x), element-wise. Accepts a Float32Array or a Matrix and returns the same kind. */
export declare function relu(x: Float32Array): Float32Array;
export declare function relu(x: Matrix): Matrix;
/** Row-wise softmax, shifted by each row's maximum so large logits cannot overflow. */
export declare function softmax(x: Matrix): Matrix;
/** X W + b: X (N, I), W (I, O), b (O) -> (N, O). */
export declare function computeLayer(X: Matrix, W: Matrix, b: Float32Array): Matrix;
/**
 * Average cross-entropy of softmax outputs against targets (one-hot Matrix or class labels):
 * mean over rows of -log prediction[label].
 */
export declare function averageCE(target: Matrix | ArrayLike<number>, prediction: Matrix): number;
/**
 * Gradient of averageCE with respect to the softmax's inputs (the logits), given its outputs:
 * (prediction - target) / N.
 */
export declare function gradCE(target: Matrix | ArrayLike<number>, prediction: Matrix): Matrix;
