// Fully connected layer y = x W + b (optionally fused with ReLU), forward beside backward.
#pragma once

namespace gn {

// x (N,I), W (I,O), b (O) -> y (N,O) = x W + b; relu != 0 applies max(0, .) in the same pass.
void dense_forward(const float* x, const float* W, const float* b, float* y, int N, int I, int O,
                   bool relu);
// x (N,I), W (I,O), dy (N,O). Accumulates dW (I,O) += x^T dy, db (O) += colsum(dy),
// dx (N,I) += dy W^T; with accumulate = false it overwrites them instead (no zeroing pass, and
// sgemm need not read the old values: for big layers that is most of the memory traffic).
// dW, db or dx may be null to skip that gradient.
void dense_backward(const float* x, const float* W, const float* dy, float* dW, float* db, float* dx,
                    int N, int I, int O, bool accumulate = true);

// Naive references (the same contracts), kept as oracles for the tests.
void dense_forward_naive(const float* x, const float* W, const float* b, float* y, int N, int I, int O,
                         bool relu);
void dense_backward_naive(const float* x, const float* W, const float* dy, float* dW, float* db,
                          float* dx, int N, int I, int O);

}  // namespace gn
