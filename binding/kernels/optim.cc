#include "kernels/optim.h"

#include <cmath>
#include <algorithm>
#include <cstring>

#include "kernels/parallel.h"

namespace gn {

namespace {

// Updates stream through memory; big buffers are cut into blocks spread over the pool.
constexpr size_t kBlock = 1 << 16;

template <class F>
void blocks(size_t n, F&& body) {
  const int count = (int)((n + kBlock - 1) / kBlock);
  parallel_for(count, [&](int c) {
    const size_t begin = (size_t)c * kBlock;
    body(begin, std::min(n, begin + kBlock));
  });
}

}  // namespace

void momentum_update(float* w, const float* g, float* v, size_t n, float lr, float gamma) {
  blocks(n, [=](size_t begin, size_t end) {
    for (size_t i = begin; i < end; i++) {
      v[i] = gamma * v[i] + lr * g[i];
      w[i] -= v[i];
    }
  });
}

void adam_update(float* w, const float* g, float* m, float* v, size_t n, float lr, float beta1,
                 float beta2, float eps, double t) {
  // TensorFlow's formulation (the seed's optimizer): lr_t = lr * sqrt(1 - b2^t) / (1 - b1^t),
  // w -= lr_t * m / (sqrt(v) + eps).
  const float lr_t = (float)(lr * std::sqrt(1.0 - std::pow((double)beta2, t)) /
                             (1.0 - std::pow((double)beta1, t)));
  const float c1 = 1.f - beta1, c2 = 1.f - beta2;
  blocks(n, [=](size_t begin, size_t end) {
    for (size_t i = begin; i < end; i++) {
      const float gi = g[i];
      m[i] = beta1 * m[i] + c1 * gi;
      v[i] = beta2 * v[i] + c2 * gi * gi;
      w[i] -= lr_t * m[i] / (std::sqrt(v[i]) + eps);
    }
  });
}

double sum_squares(const float* x, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; i++) s += (double)x[i] * x[i];
  return s;
}

void axpy(float a, const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; i++) y[i] += a * x[i];
}

void gather_rows(const float* src, const int32_t* idx, float* dst, size_t count, size_t row) {
  for (size_t i = 0; i < count; i++) std::memcpy(dst + i * row, src + (size_t)idx[i] * row, row * sizeof(float));
}

}  // namespace gn
