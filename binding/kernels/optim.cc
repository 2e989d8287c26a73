#include "kernels/optim.h"

#include <cmath>
#include <algorithm>
#include <cstring>

#include "kernels/cpu.h"
#include "kernels/optim_simd.h"
#include "kernels/parallel.h"

namespace gn {

namespace optim_scalar {
#include "kernels/optim_impl.h"
}  // namespace optim_scalar

// The AVX levels where they exist; elsewhere (arm64) the scalar loops, which the compiler vectorizes
// with NEON (part of the baseline).
#if defined(__x86_64__)
#define GN_AVX(level, call) \
  if (level == Simd::Avx512) optim_avx512::call; \
  else if (level == Simd::Avx2) optim_avx2::call; \
  else optim_scalar::call
#define GN_AVX_RETURN(level, call) \
  if (level == Simd::Avx512) return optim_avx512::call; \
  if (level == Simd::Avx2) return optim_avx2::call; \
  return optim_scalar::call
#else
#define GN_AVX(level, call) ((void)level, optim_scalar::call)
#define GN_AVX_RETURN(level, call) return ((void)level, optim_scalar::call)
#endif

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
  const Simd level = simd_level();
  blocks(n, [=](size_t begin, size_t end) {
    GN_AVX(level, momentum_block(w, g, v, begin, end, lr, gamma));
  });
}

float adam_step_size(float lr, float beta1, float beta2, double t) {
  // TensorFlow's formulation (the seed's optimizer): lr_t = lr * sqrt(1 - b2^t) / (1 - b1^t),
  // w -= lr_t * m / (sqrt(v) + eps).
  return (float)(lr * std::sqrt(1.0 - std::pow((double)beta2, t)) / (1.0 - std::pow((double)beta1, t)));
}

void adam_update(float* w, const float* g, float* m, float* v, size_t n, float lr, float beta1,
                 float beta2, float eps, double t) {
  const float lr_t = adam_step_size(lr, beta1, beta2, t);
  const Simd level = simd_level();
  blocks(n, [=](size_t begin, size_t end) {
    GN_AVX(level, adam_block(w, g, m, v, begin, end, lr_t, beta1, beta2, eps));
  });
}

void apply_update(const UpdateRule& r, float* w, const float* g, size_t begin, size_t end) {
  // The block functions index all buffers from one origin: move it to begin.
  const size_t n = end - begin;
  float* wb = w + begin;
  float* s1 = r.s1 + begin;
  const Simd level = simd_level();
  if (r.kind == UpdateRule::Adam) {
    float* s2 = r.s2 + begin;
    GN_AVX(level, adam_block(wb, g, s1, s2, 0, n, r.lr, r.p1, r.p2, r.eps));
  } else {
    GN_AVX(level, momentum_block(wb, g, s1, 0, n, r.lr, r.p1));
  }
}

double decay(const float* w, float* g, size_t n, float l2) {
  const Simd level = simd_level();
  GN_AVX_RETURN(level, decay_block(w, g, n, l2));
}

double sum_squares(const float* x, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; i++) s += (double)x[i] * x[i];
  return s;
}

void axpy(float a, const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; i++) y[i] += a * x[i];
}

void gather_rows(const float* src, size_t srcLength, const int32_t* idx, float* dst, size_t count, size_t row) {
  // A training batch (100 x 784 floats, say) is copied on the calling thread: waking the pool costs
  // more than the copy (measured: 50 us on two threads against 12 us on one). Only batches of
  // megabytes are gathered over the pool.
  const auto copy = [&](size_t i0, size_t i1) {
    for (size_t i = i0; i < i1; i++) std::memcpy(dst + i * row, src + (size_t)idx[i] * row, row * sizeof(float));
  };
  // Over the pool only when dst and src are apart: threads copying between overlapping ranges would
  // race (one thread's rows read while another writes them).
  const bool apart = dst + count * row <= src || src + srcLength <= dst;
  if (count * row < ((size_t)1 << 20) || !apart) copy(0, count);
  else parallel_ranges(count, std::max<size_t>(1, ((size_t)1 << 18) / row), copy);
}

}  // namespace gn
