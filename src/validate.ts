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

/** A boolean, or `fallback` when undefined: 'false' or 0 are mistakes, not false. */
export function boolean(name: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new TypeError(`${name} must be true or false, got ${describe(v)}`);
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

/** A number that is a normal float32 above 0 when rounded (an epsilon the kernels add in float32,
 * where denormals are flushed to zero while they run). */
export function positiveFloat32(name: string, v: unknown): number {
  const x = finite(name, v, { min: 0, minExclusive: true });
  const f = Math.fround(x);
  if (f < 2 ** -126) {
    throw new RangeError(`${name} must be at least ${2 ** -126} (the smallest normal float32), got ${x}; ` +
      'the kernels flush smaller values to 0');
  }
  if (!Number.isFinite(f)) throw new RangeError(`${name} must be at most ${3.4028234663852886e38} (the largest float32), got ${x}`);
  return x;
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

/**
 * Class labels as an Int32Array of length n, each an integer in [0, classes). Every element is read
 * once and checked as read, before any conversion: a plain-array 2**32 + 1 or a Uint32Array's
 * 4294967295 is refused rather than wrapped to 1 or -1 by Int32Array.
 */
export function labels(name: string, v: unknown, n: number, classes: number): Int32Array {
  const isArray = Array.isArray(v);
  if (!isArray && !LABEL_TYPES.some((T) => v instanceof T)) {
    throw new TypeError(
      `${name} must be class indices in a Uint8Array or Int32Array, got ${describe(v)}`,
    );
  }
  const src = v as ArrayLike<unknown>;
  const length = src.length;
  if (length !== n) {
    const detached = ArrayBuffer.isView(v) && length === 0 && n > 0 && isDetached(v);
    throw new RangeError(detached
      ? `${name} is a typed array whose buffer was detached (transferred); pass labels that stay attached`
      : `${name} has ${length} labels but x has ${n} samples`);
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = src[i];
    if (typeof c !== 'number') throw new TypeError(`${name} must be class indices (numbers), got ${name}[${i}] = ${describe(c)}`);
    if (!Number.isInteger(c)) throw new RangeError(`${name} must hold integers, got ${name}[${i}] = ${c}`);
    if (c < 0 || c >= classes) {
      throw new RangeError(`${name}[${i}] = ${c} is outside the class range [0, ${classes - 1}]`);
    }
    out[i] = c;
  }
  return out;
}

/** Whether a typed array's buffer has been detached (transferred to a worker, say). */
export function isDetached(v: ArrayBufferView): boolean {
  const b = v.buffer as ArrayBuffer & { detached?: boolean };
  if (typeof b.detached === 'boolean') return b.detached;
  return v.byteLength === 0 && v.byteOffset === 0 && b.byteLength === 0;
}

export function oneOf<T extends string>(name: string, v: unknown, options: readonly T[]): T {
  if (typeof v !== 'string' || !options.includes(v as T)) {
    throw new (typeof v === 'string' ? RangeError : TypeError)(
      `${name} must be one of ${options.map((o) => JSON.stringify(o)).join(', ')}, got ${describe(v)}`,
    );
  }
  return v as T;
}
