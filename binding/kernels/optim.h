// Optimizer updates and vector helpers over one flat parameter buffer.
#pragma once
#include <cstddef>
#include <cstdint>

namespace gn {

// Momentum, as the seed writes it: v = gamma * v + lr * g; w -= v. All (n).
void momentum_update(float* w, const float* g, float* v, size_t n, float lr, float gamma);
// Adam with bias correction at step t (1-based): m, v first and second moments (n).
void adam_update(float* w, const float* g, float* m, float* v, size_t n, float lr, float beta1,
                 float beta2, float eps, double t);

// Returns sum x^2 (n), accumulated in double.
double sum_squares(const float* x, size_t n);
// y (n) += a * x (n).
void axpy(float a, const float* x, float* y, size_t n);
// dst (count, row) = src[idx[i]] rows; src has rows rows of length row. Indices are checked by callers.
void gather_rows(const float* src, const int32_t* idx, float* dst, size_t count, size_t row);

}  // namespace gn
