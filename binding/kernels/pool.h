// Max pooling over VALID windows (NHWC), forward beside backward, and a naive reference.
#pragma once
#include <cstddef>
#include <cstdint>

namespace gn {

// Window PH x PW, strides SH/SW, no padding: OH = (H - PH) / SH + 1, OW likewise.
struct PoolShape {
  int N, H, W, C, PH, PW, SH, SW, OH, OW;
};

// x (N,H,W,C) -> y (N,OH,OW,C), argmax (N,OH,OW,C) = flat index into x of each window's FIRST
// maximum in row-major (h, then w) order, as TensorFlow. x must have fewer than 2^31 elements.
void max_pool_forward(const float* x, float* y, int32_t* argmax, const PoolShape& s);
// dy (n), argmax (n): accumulates dx[argmax[i]] += dy[i]; when accumulate is false, dx (dxLength)
// is zeroed first. Indices are checked by callers.
void max_pool_backward(const float* dy, const int32_t* argmax, float* dx, size_t n, size_t dxLength,
                       bool accumulate = true);
// The same for `samples` samples of equal size, in parallel: sample s's dy (n / samples values) goes to
// its own part of dx (dxLength / samples values), which every argmax of that sample must point into
// (the glue checks it). Each value of dx gets its terms in the order of the serial version.
void max_pool_backward_samples(const float* dy, const int32_t* argmax, float* dx, size_t n, size_t dxLength,
                               size_t samples, bool accumulate);

// The same for windows that do not overlap (SH >= PH, SW >= PW), as max_pool_forward left argmax:
// dx (N,H,W,C) is written whole, window by window (a tap gets dy where argmax names it, else 0; a
// value in no window gets 0), with no zeroing pass first and no scatter. Each argmax is read once
// and only compared with its window's taps, so no index is ever formed from it. Returns the number
// of outputs whose argmax named none of their window's taps (their gradient is dropped; 0 for an
// argmax from max_pool_forward), and the first of them in *firstBad.
size_t max_pool_backward_windows(const float* dy, const int32_t* argmax, float* dx, const PoolShape& s,
                                 size_t* firstBad);

// x (N,H,W,C) -> y (N,OH,OW,C) = mean of each VALID window.
void avg_pool_forward(const float* x, float* y, const PoolShape& s);
// dy (N,OH,OW,C): dx (N,H,W,C) += dy / (PH*PW) over each window's taps; dx is zeroed first when
// accumulate is false.
void avg_pool_backward(const float* dy, float* dx, const PoolShape& s, bool accumulate = true);
void avg_pool_forward_naive(const float* x, float* y, const PoolShape& s);

// Naive reference (channel-outermost window scan), same contract.
void max_pool_forward_naive(const float* x, float* y, int32_t* argmax, const PoolShape& s);

}  // namespace gn
