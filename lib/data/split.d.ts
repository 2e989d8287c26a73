/**
 * The permutation NumPy's legacy shuffle produces for `arange(n)` after `np.random.seed(seed)`,
 * element for element. n must be an integer in [0, 2^31 - 1]; seed an integer in [0, 2^32 - 1].
 */
export declare function seedSplit(n: number, seed: number): Int32Array;
