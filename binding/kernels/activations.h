// Element-wise activations and the fused softmax + cross-entropy, forward beside backward.
#pragma once
#include <cstddef>
#include <cstdint>

namespace gn {

// x (n) -> y (n) = max(0, x). y may alias x.
void relu_forward(const float* x, float* y, size_t n);
// y (n) is the forward output (or input: same sign pattern). Accumulates dx += dy * (y > 0), or
// overwrites dx = dy * (y > 0) when accumulate is false.
void relu_backward(const float* y, const float* dy, float* dx, size_t n, bool accumulate = true);

// Point-wise activations other than ReLU. x (n) -> y (n); y may alias x.
//   leaky ReLU: y = x > 0 ? x : alpha * x;  tanh;  sigmoid: y = 1 / (1 + exp(-x)), without overflow.
enum class Activation : int { LeakyRelu = 0, Tanh = 1, Sigmoid = 2 };
void activation_forward(Activation f, const float* x, float* y, size_t n, float alpha);
// x (n) the forward input, y (n) its output, dy (n). Accumulates dx += dy * f'(x) (f' from y for
// tanh and sigmoid), or overwrites dx when accumulate is false. dx must not alias x or y.
void activation_backward(Activation f, const float* x, const float* y, const float* dy, float* dx, size_t n,
                         float alpha, bool accumulate = true);

// Row-wise max-shifted softmax: z (N,C) -> p (N,C). p may alias z.
void softmax_forward(const float* z, float* p, int N, int C);

// Fused softmax + mean cross-entropy over the batch. z (N,C) logits, labels (N) in [0, C).
// Writes p (N,C) = softmax(z); returns mean -log p[label] (computed from log-sum-exp, so finite
// even when p underflows). correct (optional) receives the number of rows whose argmax is the label.
double softmax_ce_forward(const float* z, const int32_t* labels, float* p, int N, int C, int* correct);
// Accumulates dz (N,C) += scale * (p - onehot(labels)); the mean's gradient uses scale = 1/N.
void softmax_ce_backward(const float* p, const int32_t* labels, float* dz, int N, int C, float scale);

// Naive references.
double softmax_ce_forward_naive(const float* z, const int32_t* labels, float* p, int N, int C,
                                int* correct);

}  // namespace gn
