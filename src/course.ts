// The course's helper functions, vectorized and native. Matrices are row-major Float32Arrays with an
// explicit shape, the same `{ data, shape }` form the loaders return.
import { native } from './native';
import * as check from './validate';

export interface Matrix {
  data: Float32Array;
  /** [rows, columns] */
  shape: [number, number];
}

function matrix(name: string, m: unknown): Matrix {
  const o = check.object(name, m);
  if (!(o.data instanceof Float32Array)) throw new TypeError(`${name}.data must be a Float32Array`);
  if (!Array.isArray(o.shape) || o.shape.length !== 2) throw new TypeError(`${name}.shape must be [rows, columns]`);
  const rows = check.integer(`${name}.shape[0]`, o.shape[0], 0);
  const cols = check.integer(`${name}.shape[1]`, o.shape[1], 1);
  if (o.data.length !== rows * cols) {
    throw new RangeError(`${name}.data has ${o.data.length} values, but shape [${rows}, ${cols}] needs ${rows * cols}`);
  }
  return { data: o.data, shape: [rows, cols] };
}

/** max(0, x), element-wise. Accepts a Float32Array or a Matrix and returns the same kind. */
export function relu(x: Float32Array): Float32Array;
export function relu(x: Matrix): Matrix;
export function relu(x: Float32Array | Matrix): Float32Array | Matrix {
  if (x instanceof Float32Array) {
    const y = new Float32Array(x.length);
    native.reluForward(x, y);
    return y;
  }
  const m = matrix('x', x);
  return { data: relu(m.data), shape: [...m.shape] };
}

/** Row-wise softmax, shifted by each row's maximum so large logits cannot overflow. */
export function softmax(x: Matrix): Matrix {
  const m = matrix('x', x);
  const out = new Float32Array(m.data.length);
  native.softmaxForward(m.data, out, m.shape[0], m.shape[1]);
  return { data: out, shape: [...m.shape] };
}

/** X W + b: X (N, I), W (I, O), b (O) -> (N, O). */
export function computeLayer(X: Matrix, W: Matrix, b: Float32Array): Matrix {
  const x = matrix('X', X);
  const w = matrix('W', W);
  if (w.shape[0] !== x.shape[1]) {
    throw new RangeError(`computeLayer: X has ${x.shape[1]} columns but W has ${w.shape[0]} rows`);
  }
  if (!(b instanceof Float32Array) || b.length !== w.shape[1]) {
    throw new TypeError(`computeLayer: b must be a Float32Array of length ${w.shape[1]}`);
  }
  const out = new Float32Array(x.shape[0] * w.shape[1]);
  native.denseForward(x.data, w.data, b, out, x.shape[0], x.shape[1], w.shape[1], false);
  return { data: out, shape: [x.shape[0], w.shape[1]] };
}

/** Targets as class indices: labels, or one-hot rows (argmax taken). */
function targetLabels(target: unknown, rows: number, classes: number): Int32Array {
  if (target && typeof target === 'object' && !ArrayBuffer.isView(target) && !Array.isArray(target)) {
    const t = matrix('target', target);
    if (t.shape[0] !== rows || t.shape[1] !== classes) {
      throw new RangeError(`target has shape [${t.shape}], prediction has [${rows}, ${classes}]`);
    }
    const out = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      let best = 0;
      for (let c = 1; c < classes; c++) if (t.data[r * classes + c] > t.data[r * classes + best]) best = c;
      for (let c = 0; c < classes; c++) {
        const v = t.data[r * classes + c];
        if (v !== (c === best ? 1 : 0)) throw new RangeError(`target row ${r} is not one-hot (a single 1, the rest 0)`);
      }
      out[r] = best;
    }
    return out;
  }
  return check.labels('target', target, rows, classes);
}

/**
 * Average cross-entropy of softmax outputs against targets (one-hot Matrix or class labels):
 * mean over rows of -log prediction[label].
 */
export function averageCE(target: Matrix | ArrayLike<number>, prediction: Matrix): number {
  const p = matrix('prediction', prediction);
  const [N, C] = p.shape;
  const y = targetLabels(target, N, C);
  let loss = 0;
  for (let n = 0; n < N; n++) loss -= Math.log(Math.max(p.data[n * C + y[n]], Number.MIN_VALUE));
  return N ? loss / N : 0;
}

/**
 * Gradient of averageCE with respect to the softmax's inputs (the logits), given its outputs:
 * (prediction - target) / N.
 */
export function gradCE(target: Matrix | ArrayLike<number>, prediction: Matrix): Matrix {
  const p = matrix('prediction', prediction);
  const [N, C] = p.shape;
  const y = targetLabels(target, N, C);
  const out = new Float32Array(N * C);
  native.softmaxCEBackward(p.data, y, out, N, C, N ? 1 / N : 0);
  return { data: out, shape: [N, C] };
}
