#include "kernels/dropout.h"

namespace gn {
namespace {

constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ull;

inline uint64_t mix64(uint64_t z) {  // splitmix64's output function
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

inline uint64_t stream_key(uint64_t seed, uint64_t counter) { return mix64(seed ^ mix64(counter + kGolden)); }

inline double uniform_at(uint64_t key, uint64_t i) {
  return (double)(mix64(key + (i + 1) * kGolden) >> 11) * 0x1.0p-53;
}

}  // namespace

void dropout_forward(const float* x, float* y, float* mask, size_t n, double keepProb, uint64_t seed,
                     uint64_t counter) {
  const uint64_t key = stream_key(seed, counter);
  const float scale = (float)(1.0 / keepProb);
  for (size_t i = 0; i < n; i++) {
    const float m = uniform_at(key, i) < keepProb ? scale : 0.f;
    mask[i] = m;
    y[i] = x[i] * m;
  }
}

void dropout_backward(const float* dy, const float* mask, float* dx, size_t n, bool accumulate) {
  if (accumulate)
    for (size_t i = 0; i < n; i++) dx[i] += dy[i] * mask[i];
  else
    for (size_t i = 0; i < n; i++) dx[i] = dy[i] * mask[i];
}

}  // namespace gn
