// 2-D convolution (NHWC images, HWIO weights) as im2col + one sgemm, forward beside backward,
// and naive direct-loop references with the same contracts.
#pragma once

#include "kernels/im2col.h"

namespace gn {

// The forward pass runs in blocks of a power of two samples, at most this many, counted from the
// first sample: a sample's output is the same bits in any batch that starts at a multiple of
// kSampleBlockMax samples of the same one (a batch run in parts of 32 gives the whole's bits).
constexpr size_t kSampleBlockMax = 32;

// x (N,H,W,C), W (KH,KW,C,F), b (F) or null -> y (N,OH,OW,F) = conv(x, W) + b; relu applies max(0, .)
// in the same pass. col is a workspace of s.rows() x s.taps() floats, left holding im2col(x).
void conv2d_forward(const float* x, const float* W, const float* b, float* y, float* col,
                    const ConvShape& s, bool relu);
// x (N,H,W,C), W (KH,KW,C,F), dy (N,OH,OW,F). Accumulates dW (KH,KW,C,F) += col^T dz,
// db (F) += colsum(dz), dx (N,H,W,C) += col2im(dz W^T); any of them may be null to skip it.
// dz = dy, or, when reluY (the forward's output after its ReLU, (N,OH,OW,F)) is given, the ReLU's
// backward pass reluY > 0 ? dy : +0 (the bits of relu_backward).
// col (s.rows() x s.taps()) is scratch: im2col(x) is recomputed here (the forward's col is not
// trusted), then overwritten with dz W^T for dx. Its contents on entry and exit are unspecified.
// With few taps (conv_dw_direct_ok) dW and db are summed directly (kernels/conv_dw.h), in fixed
// parts of the batch added in order, so the result does not depend on the thread count.
void conv2d_backward(const float* x, const float* W, const float* dy, float* dW, float* db, float* dx,
                     float* col, const ConvShape& s, const float* reluY = nullptr);

// Naive references: direct loops accumulating in double, col unused.
void conv2d_forward_naive(const float* x, const float* W, const float* b, float* y, float* col,
                          const ConvShape& s, bool relu);
void conv2d_backward_naive(const float* x, const float* W, const float* dy, float* dW, float* db,
                           float* dx, float* col, const ConvShape& s, const float* reluY = nullptr);

}  // namespace gn
