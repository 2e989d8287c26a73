'use strict';
// Bridge from the mocha tests to the float64 NumPy gradient oracle,
// test/reference/grads.py. Tests that need it should skip when hasNumpy()
// is false, so the suite still runs on machines without Python.
//
//   const { hasNumpy, numpyGradients } = require('./helpers/numpy');
//   const { loss, grads } = numpyGradients({
//     model: 'cnn',
//     options: { filters, kernel, fc, classes, l2, batchNorm: { mode, eps } },
//     weights: { W_conv: { data: Float32Array, shape: [k, k, 1, F] }, ... },
//     x: { data: Float32Array, shape: [N, 28, 28, 1] },
//     labels: Uint8Array | Int32Array | number[],
//   });
//   // loss: number, grads.W_conv: Float64Array in the weight's own layout.

const { spawnSync } = require('child_process');
const path = require('path');

const PYTHON = 'python3';
const ORACLE = path.join(__dirname, '..', 'reference', 'grads.py');

let numpyAvailable;

/** True when `python3 -c 'import numpy'` succeeds; checked once per process. */
function hasNumpy() {
  if (numpyAvailable === undefined) {
    const result = spawnSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' });
    numpyAvailable = result.status === 0;
  }
  return numpyAvailable;
}

// { data, shape } -> { data: base64 of little-endian float32, shape }.
// Float32Arrays are sent as they are, so the oracle sees exactly the values
// the native code sees (gemmnet only builds for little-endian x64).
function encodeTensor(tensor, what) {
  if (!tensor || !tensor.data || !Array.isArray(tensor.shape)) {
    throw new TypeError(`${what} must be { data: Float32Array, shape: number[] }`);
  }
  const data = tensor.data instanceof Float32Array ? tensor.data : Float32Array.from(tensor.data);
  const size = tensor.shape.reduce((a, b) => a * b, 1);
  if (data.length !== size) {
    throw new RangeError(`${what} has ${data.length} values but shape [${tensor.shape}] needs ${size}`);
  }
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return { data: bytes.toString('base64'), shape: tensor.shape };
}

// base64 of little-endian float64 -> Float64Array. The decoded Buffer may sit
// at any offset in Node's pool, so the bytes are copied into an aligned array.
function decodeFloat64(base64) {
  const bytes = Buffer.from(base64, 'base64');
  const out = new Float64Array(bytes.length / 8);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/**
 * Mean softmax cross-entropy loss and the gradient of every weight,
 * computed in float64 by test/reference/grads.py.
 * @returns {{ loss: number, grads: Object<string, Float64Array> }}
 */
function numpyGradients(payload) {
  const weights = {};
  for (const [name, tensor] of Object.entries(payload.weights)) {
    weights[name] = encodeTensor(tensor, `weights.${name}`);
  }
  const request = JSON.stringify({
    model: payload.model,
    options: payload.options || {},
    weights,
    x: encodeTensor(payload.x, 'x'),
    labels: Array.from(payload.labels, Number),
  });

  const result = spawnSync(PYTHON, [ORACLE], {
    input: request,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (result.error) {
    throw new Error(`could not run ${PYTHON} ${ORACLE}: ${result.error.message}`);
  }
  if (result.status !== 0) {
    const why = result.stderr.trim() || `exit status ${result.status}, signal ${result.signal}`;
    throw new Error(`${path.relative(process.cwd(), ORACLE)} failed: ${why}`);
  }

  const response = JSON.parse(result.stdout);
  const grads = {};
  for (const [name, tensor] of Object.entries(response.grads)) {
    grads[name] = decodeFloat64(tensor.data);
    if (grads[name].length !== weights[name].shape.reduce((a, b) => a * b, 1)) {
      throw new Error(`gradient of ${name} came back with ${grads[name].length} values`);
    }
  }
  return { loss: response.loss, grads };
}

module.exports = { hasNumpy, numpyGradients };
