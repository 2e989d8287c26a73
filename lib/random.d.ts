/** Checks a NumPy-style seed: an integer in [0, 2^32 - 1]. */
export declare function checkSeed(seed: unknown, name?: string): number;
/** fma(a, b, c) with one rounding (Boldo & Melquiond's emulation: exact product, round-to-odd sum). */
export declare function fma(a: number, b: number, c: number): number;
/** Natural log, bit-identical to glibc's log() on x86-64 with FMA (what NumPy calls on Linux). */
export declare function glibcLog(x: number): number;
/** MT19937's full state: the 624-word key, the position in it, and the cached second normal. */
export interface MT19937State {
    key: Uint32Array;
    pos: number;
    hasGauss: boolean;
    gauss: number;
}
/** Any indexable array `shuffle` can permute in place. */
export interface Shuffleable {
    length: number;
    [index: number]: unknown;
}
/**
 * Mersenne Twister MT19937 with NumPy's legacy `RandomState` semantics: `new MT19937(s)` is
 * `np.random.seed(s)`, and the methods draw what the matching NumPy calls draw, in the same order.
 */
export declare class MT19937 {
    #private;
    constructor(seed: number);
    /** The generator's whole state (as NumPy's get_state()), to continue the stream later. */
    getState(): MT19937State;
    /** Continues from a state returned by getState(). */
    setState(state: MT19937State): void;
    /** Next raw 32-bit output, as an unsigned integer. */
    nextUint32(): number;
    /** Uniform double in [0, 1) with 53 random bits: `np.random.random_sample()`. */
    randomSample(): number;
    /** Standard normal draw: NumPy's legacy_gauss (Marsaglia polar, second value cached). */
    gauss(): number;
    /**
     * `np.random.normal(0, std, n)`. Returns a new Float64Array of n draws, or fills `out` (its first n
     * entries; a Float32Array receives each draw rounded to float32) and returns it.
     */
    normal(n: number, std?: number): Float64Array;
    normal<T extends Float32Array | Float64Array>(n: number, std: number, out: T): T;
    /** `np.random.uniform(low, high)` for one draw: low + (high - low) * random_sample(). */
    uniform(low?: number, high?: number): number;
    /**
     * Uniform integer in [0, max] by NumPy's masked rejection (random_interval): draws are masked to
     * the smallest all-ones bit pattern covering max and redrawn while above it. max may be any safe
     * integer; above 2^32 - 1 each try takes two outputs (high word first), as NumPy's next_uint64.
     */
    randomInterval(max: number): number;
    /** In-place Fisher-Yates shuffle of a 1-D array, as legacy `np.random.shuffle` does it. */
    shuffle<T extends Shuffleable>(array: T): T;
}
