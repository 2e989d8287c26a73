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

// An optimizer's update of one parameter tensor, for kernels that apply it block by block as they
// compute the gradient (dense_backward_update). The state buffers are laid out like the tensor.
struct UpdateRule {
  enum Kind { Momentum, Adam } kind = Momentum;
  float* s1 = nullptr;  // momentum: v; Adam: m
  float* s2 = nullptr;  // Adam: v
  float lr = 0;         // momentum: lr; Adam: the bias-corrected step size (adam_step_size)
  float p1 = 0;         // momentum: gamma; Adam: beta1
  float p2 = 0;         // Adam: beta2
  float eps = 0;        // Adam: eps
};
// Adam's step size at step t: lr * sqrt(1 - beta2^t) / (1 - beta1^t).
float adam_step_size(float lr, float beta1, float beta2, double t);
// Applies rule to elements [begin, end) of w (and of the rule's state); g holds their end - begin
// gradients.
void apply_update(const UpdateRule& rule, float* w, const float* g, size_t begin, size_t end);
// g (n) += l2 * w (n); returns sum w^2, at the CPU's SIMD level (the same result at every level).
double decay(const float* w, float* g, size_t n, float l2);

// Returns sum x^2 (n), accumulated in double.
double sum_squares(const float* x, size_t n);
// y (n) += a * x (n).
void axpy(float a, const float* x, float* y, size_t n);
// dst (count, row) = src[idx[i]] rows; src has rows rows of length row. Indices are checked by callers.
void gather_rows(const float* src, size_t srcLength, const int32_t* idx, float* dst, size_t count, size_t row);

}  // namespace gn
