/** A short description of a value for error messages ("null", "a Float32Array of length 3", ...). */
export declare function describe(v: unknown): string;
/** An integer in [min, max]. */
export declare function integer(name: string, v: unknown, min?: number, max?: number): number;
export interface NumberRange {
    min?: number;
    max?: number;
    /** Exclude min itself (e.g. a learning rate must be > 0). */
    minExclusive?: boolean;
}
/** A finite number within an optional range. */
export declare function finite(name: string, v: unknown, range?: NumberRange): number;
export declare function object(name: string, v: unknown): Record<string, unknown>;
/** Rejects keys that are not in `known`, catching typos such as `{ hiden: 100 }`. */
export declare function knownKeys(name: string, v: Record<string, unknown>, known: readonly string[]): void;
/** A Float32Array holding a whole number of rows of `rowLength`; returns the row count. */
export declare function rows(name: string, v: unknown, rowLength: number): number;
/** Class labels as an Int32Array of length n, each an integer in [0, classes). */
export declare function labels(name: string, v: unknown, n: number, classes: number): Int32Array;
export declare function oneOf<T extends string>(name: string, v: unknown, options: readonly T[]): T;
