// Fully connected layer y = x W + b (optionally fused with ReLU), forward beside backward.
#pragma once

#include "kernels/optim.h"

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

// The backward pass of a dense layer fused with the optimizer's update of W: W is cut into blocks
// of rows, and for each block (in parallel) dx's columns are computed from the block as it was,
// then the block's gradient x^T dy (+ l2 * W) in a per-thread scratch that stays in cache, then the
// update. The gradient of W is never written to memory, and W and the optimizer state are streamed
// once: for a big layer that halves the step's memory traffic. Overwrites db (O) and dx (N,I) (dx
// may be null). Returns sum W^2 as it was before the update (for the L2 term of the loss) when
// l2 > 0, else 0. The result equals dense_backward(accumulate = false), g += l2 * W, then the
// update, bit for bit.
double dense_backward_update(const float* x, float* W, const float* dy, float* db, float* dx, int N, int I,
                             int O, float l2, const UpdateRule& rule);

// Naive references (the same contracts), kept as oracles for the tests.
void dense_forward_naive(const float* x, const float* W, const float* b, float* y, int N, int I, int O,
                         bool relu);
void dense_backward_naive(const float* x, const float* W, const float* dy, float* dW, float* db,
                          float* dx, int N, int I, int O);

}  // namespace gn
