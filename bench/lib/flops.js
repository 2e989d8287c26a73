// Floating-point operations per training sample, counted as NumPy's benchmarks count them: 2*M*N*K
// for every matmul of the forward and backward passes (elementwise work is not counted).
'use strict';

// MLP 784-1000-10: forward x W_h, h W_o; backward h^T dz, dz W_o^T, x^T dh.
function mlpFlopsPerSample(inputs = 784, hidden = 1000, classes = 10) {
  return 2 * (2 * inputs * hidden + 3 * hidden * classes);
}

// CNN: conv 3x3x1x32 as im2col (784 x 9) x (9 x 32) forward and for dW; fc1 6272x784 forward, dW and
// dx; fc2 784x10 forward, dW and dx. The images need no gradient.
function cnnFlopsPerSample(side = 28, kernel = 3, filters = 32, fc = 784, classes = 10) {
  const pixels = side * side;
  const flat = (side / 2) * (side / 2) * filters;
  const conv = 2 * pixels * kernel * kernel * filters;
  return 2 * conv + 3 * 2 * flat * fc + 3 * 2 * fc * classes;
}

// LeNet-style: conv 5x5x1x8 SAME as im2col (784 x 25) x (25 x 8) forward and for dW; conv 5x5x8x16
// VALID as (100 x 200) x (200 x 16) forward, dW and dx; dense 400-120-84-10 forward, dW and dx.
function lenetFlopsPerSample() {
  const conv1 = 2 * 28 * 28 * 25 * 8;
  const conv2 = 2 * 10 * 10 * 200 * 16;
  const dense = 2 * (400 * 120 + 120 * 84 + 84 * 10);
  return 2 * conv1 + 3 * conv2 + 3 * dense;
}

module.exports = { mlpFlopsPerSample, cnnFlopsPerSample, lenetFlopsPerSample };
