// Inverted dropout driven by a counter-based hash, forward beside backward.
#pragma once
#include <cstddef>
#include <cstdint>

namespace gn {

// x (n) -> mask (n) = (u_i < keepProb) ? 1/keepProb : 0, y (n) = x * mask. keepProb in (0, 1].
// y may alias x. u_i in [0,1) (53 bits) is splitmix64's finalizer applied to a key mixed from
// (seed, counter) plus i, so a mask depends only on (seed, counter, i): reproducible however the
// work is split across threads.
void dropout_forward(const float* x, float* y, float* mask, size_t n, double keepProb, uint64_t seed,
                     uint64_t counter);
// dy (n), mask (n): accumulates dx (n) += dy * mask (overwrites dx when accumulate is false).
void dropout_backward(const float* dy, const float* mask, float* dx, size_t n, bool accumulate = true);

}  // namespace gn
