"use strict";
// Argument checks for the public API. Every message names the argument and what was expected, so a
// user can fix the call; the native glue repeats cheap size checks as a last line of defence.
Object.defineProperty(exports, "__esModule", { value: true });
exports.describe = describe;
exports.integer = integer;
exports.finite = finite;
exports.object = object;
exports.knownKeys = knownKeys;
exports.rows = rows;
exports.labels = labels;
exports.oneOf = oneOf;
/** A short description of a value for error messages ("null", "a Float32Array of length 3", ...). */
function describe(v) {
    if (v === null)
        return 'null';
    if (Array.isArray(v))
        return `an array of length ${v.length}`;
    if (ArrayBuffer.isView(v)) {
        const length = v.length;
        return `a ${v.constructor.name}${length === undefined ? '' : ` of length ${length}`}`;
    }
    if (typeof v === 'string')
        return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
    if (typeof v === 'object')
        return `a ${v.constructor?.name ?? 'object'}`;
    return `${typeof v} ${String(v)}`;
}
/** An integer in [min, max]. */
function integer(name, v, min = 0, max = 2 ** 31 - 1) {
    if (typeof v !== 'number')
        throw new TypeError(`${name} must be an integer, got ${describe(v)}`);
    if (!Number.isInteger(v) || v < min || v > max) {
        throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${v}`);
    }
    return v;
}
/** A finite number within an optional range. */
function finite(name, v, range = {}) {
    if (typeof v !== 'number')
        throw new TypeError(`${name} must be a number, got ${describe(v)}`);
    if (!Number.isFinite(v))
        throw new RangeError(`${name} must be a finite number, got ${v}`);
    const { min, max, minExclusive } = range;
    if (min !== undefined && (minExclusive ? v <= min : v < min)) {
        throw new RangeError(`${name} must be ${minExclusive ? '>' : '>='} ${min}, got ${v}`);
    }
    if (max !== undefined && v > max)
        throw new RangeError(`${name} must be <= ${max}, got ${v}`);
    return v;
}
function object(name, v) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
        throw new TypeError(`${name} must be an object, got ${describe(v)}`);
    }
    return v;
}
/** Rejects keys that are not in `known`, catching typos such as `{ hiden: 100 }`. */
function knownKeys(name, v, known) {
    for (const key of Object.keys(v)) {
        if (!known.includes(key)) {
            throw new TypeError(`${name} has an unknown option "${key}"; known options: ${known.join(', ')}`);
        }
        // null would otherwise read as "use the default" (a ?? default), hiding a mistake.
        if (v[key] === null)
            throw new TypeError(`${key} is null; leave it out to use its default`);
    }
}
/** A Float32Array holding a whole number of rows of `rowLength`; returns the row count. */
function rows(name, v, rowLength) {
    if (!(v instanceof Float32Array)) {
        throw new TypeError(`${name} must be a Float32Array of samples × ${rowLength} values, got ${describe(v)}` +
            (Array.isArray(v) || ArrayBuffer.isView(v) ? ' (convert with Float32Array.from(...))' : ''));
    }
    if (v.length === 0 || v.length % rowLength !== 0) {
        throw new RangeError(`${name} has ${v.length} values, which is not a positive multiple of the input size ${rowLength}`);
    }
    return v.length / rowLength;
}
const LABEL_TYPES = [Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array];
/** Class labels as an Int32Array of length n, each an integer in [0, classes). */
function labels(name, v, n, classes) {
    let out;
    if (v instanceof Int32Array)
        out = v;
    else if (LABEL_TYPES.some((T) => v instanceof T))
        out = Int32Array.from(v);
    else if (Array.isArray(v) && v.every((e) => typeof e === 'number'))
        out = Int32Array.from(v);
    else {
        throw new TypeError(`${name} must be class indices in a Uint8Array or Int32Array, got ${describe(v)}`);
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
function oneOf(name, v, options) {
    if (typeof v !== 'string' || !options.includes(v)) {
        throw new (typeof v === 'string' ? RangeError : TypeError)(`${name} must be one of ${options.map((o) => JSON.stringify(o)).join(', ')}, got ${describe(v)}`);
    }
    return v;
}
