// Argument checks for the public API. Every message names the argument and what was expected, so a
// user can fix the call; the native glue repeats cheap size checks as a last line of defence.

/** A short description of a value for error messages ("null", "a Float32Array of length 3", ...). */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing (the option is missing)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) {
    const length = (v as { length?: number }).length;
    return `a ${v.constructor.name}${length === undefined ? '' : ` of length ${length}`}`;
  }
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'object') return `a ${(v as object).constructor?.name ?? 'object'}`;
  return `${typeof v} ${String(v)}`;
}

/** An integer in [min, max]. */
export function integer(name: string, v: unknown, min = 0, max = 2 ** 31 - 1): number {
  if (typeof v !== 'number') throw new TypeError(`${name} must be an integer, got ${describe(v)}`);
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${v}`);
  }
  return v;
}

export interface NumberRange {
  min?: number;
  max?: number;
  /** Exclude min itself (e.g. a learning rate must be > 0). */
  minExclusive?: boolean;
}

/** A finite number within an optional range. */
export function finite(name: string, v: unknown, range: NumberRange = {}): number {
  if (typeof v !== 'number') throw new TypeError(`${name} must be a number, got ${describe(v)}`);
  if (!Number.isFinite(v)) throw new RangeError(`${name} must be a finite number, got ${v}`);
  const { min, max, minExclusive } = range;
  if (min !== undefined && (minExclusive ? v <= min : v < min)) {
    throw new RangeError(`${name} must be ${minExclusive ? '>' : '>='} ${min}, got ${v}`);
  }
  if (max !== undefined && v > max) throw new RangeError(`${name} must be <= ${max}, got ${v}`);
  return v;
}

export function object(name: string, v: unknown): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new TypeError(`${name} must be an object, got ${describe(v)}`);
  }
  return v as Record<string, unknown>;
}

/** Rejects keys that are not in `known`, catching typos such as `{ hiden: 100 }`. */
export function knownKeys(name: string, v: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(v)) {
    if (!known.includes(key)) {
      throw new TypeError(`${name} has an unknown option "${key}"; known options: ${known.join(', ')}`);
    }
    // null would otherwise read as "use the default" (a ?? default), hiding a mistake.
    if (v[key] === null) throw new TypeError(`${key} is null; leave it out to use its default`);
  }
}

/** A Float32Array holding a whole number of rows of `rowLength`; returns the row count. */
export function rows(name: string, v: unknown, rowLength: number): number {
  if (!(v instanceof Float32Array)) {
    throw new TypeError(
      `${name} must be a Float32Array of samples × ${rowLength} values, got ${describe(v)}` +
        (Array.isArray(v) || ArrayBuffer.isView(v) ? ' (convert with Float32Array.from(...))' : ''),
    );
  }
  if (v.length === 0 || v.length % rowLength !== 0) {
    throw new RangeError(
      `${name} has ${v.length} values, which is not a positive multiple of the input size ${rowLength}`,
    );
  }
  return v.length / rowLength;
}

const LABEL_TYPES = [Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array];

/** Class labels as an Int32Array of length n, each an integer in [0, classes). */
export function labels(name: string, v: unknown, n: number, classes: number): Int32Array {
  let out: Int32Array;
  if (v instanceof Int32Array) out = v;
  else if (LABEL_TYPES.some((T) => v instanceof T)) out = Int32Array.from(v as ArrayLike<number>);
  else if (Array.isArray(v) && v.every((e) => typeof e === 'number')) out = Int32Array.from(v);
  else {
    throw new TypeError(
      `${name} must be class indices in a Uint8Array or Int32Array, got ${describe(v)}`,
    );
  }
  if (Array.isArray(v) && v.some((e) => !Number.isInteger(e))) {
    throw new RangeError(`${name} must hold integers`);
  }
  if (out.length !== n) {
    throw new RangeError(`${name} has ${out.length} labels but x has ${n} samples`);
  }
  for (let i = 0; i < out.length; i++) {
    const c = out[i];
    if (c < 0 || c >= classes) {
      throw new RangeError(`${name}[${i}] = ${c} is outside the class range [0, ${classes - 1}]`);
    }
  }
  return out;
}

export function oneOf<T extends string>(name: string, v: unknown, options: readonly T[]): T {
  if (typeof v !== 'string' || !options.includes(v as T)) {
    throw new (typeof v === 'string' ? RangeError : TypeError)(
      `${name} must be one of ${options.map((o) => JSON.stringify(o)).join(', ')}, got ${describe(v)}`,
    );
  }
  return v as T;
}
