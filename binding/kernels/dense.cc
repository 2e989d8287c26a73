#include "kernels/dense.h"

#include <cstddef>

#include "kernels/gemm.h"

namespace gn {

void dense_forward(const float* x, const float* W, const float* b, float* y, int N, int I, int O,
                   bool relu) {
  // Broadcast the bias into y, then accumulate x W on top of it (beta = 1).
  for (int n = 0; n < N; n++) {
    float* row = y + (size_t)n * O;
    for (int o = 0; o < O; o++) row[o] = b ? b[o] : 0.f;
  }
  gemm(false, false, N, O, I, 1.f, x, I, W, O, 1.f, y, O);
  if (relu) {
    const size_t total = (size_t)N * O;
    for (size_t i = 0; i < total; i++) y[i] = y[i] < 0.f ? 0.f : y[i];  // NaN passes through, so divergence is seen
  }
}

void dense_backward(const float* x, const float* W, const float* dy, float* dW, float* db, float* dx,
                    int N, int I, int O, bool accumulate) {
  const float beta = accumulate ? 1.f : 0.f;
  if (dW) gemm(true, false, I, O, N, 1.f, x, I, dy, O, beta, dW, O);
  if (db) {
    if (!accumulate)
      for (int o = 0; o < O; o++) db[o] = 0.f;
    for (int n = 0; n < N; n++) {
      const float* row = dy + (size_t)n * O;
      for (int o = 0; o < O; o++) db[o] += row[o];
    }
  }
  if (dx) gemm(false, true, N, I, O, 1.f, dy, O, W, O, beta, dx, I);
}

void dense_forward_naive(const float* x, const float* W, const float* b, float* y, int N, int I, int O,
                         bool relu) {
  for (int n = 0; n < N; n++) {
    for (int o = 0; o < O; o++) {
      double acc = b ? b[o] : 0.0;
      for (int i = 0; i < I; i++) acc += (double)x[(size_t)n * I + i] * W[(size_t)i * O + o];
      float v = (float)acc;
      y[(size_t)n * O + o] = relu && v < 0.f ? 0.f : v;
    }
  }
}

void dense_backward_naive(const float* x, const float* W, const float* dy, float* dW, float* db,
                          float* dx, int N, int I, int O) {
  if (dW) gemm_naive(true, false, I, O, N, 1.f, x, I, dy, O, 1.f, dW, O);
  if (db) {
    for (int o = 0; o < O; o++) {
      double acc = 0;
      for (int n = 0; n < N; n++) acc += dy[(size_t)n * O + o];
      db[o] += (float)acc;
    }
  }
  if (dx) gemm_naive(false, true, N, I, O, 1.f, dy, O, W, O, 1.f, dx, I);
}

}  // namespace gn
