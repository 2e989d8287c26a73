// im2col with AVX2 run copies (compiled with -mavx2 -mfma; called only when simd_level() says the
// CPU has them). A run of n floats is copied with whole vectors, the last one overlapping the one
// before it (8-wide for n >= 8, then 4-, 2- and 1-wide for shorter runs): every store is exact,
// nothing is read or written outside the run, and no masked stores are needed (they are slow on
// some AVX2 CPUs). Within a batch n is fixed, so the size branches predict perfectly.
#include <immintrin.h>

#include "kernels/im2col_impl.h"

namespace gn {
namespace {

inline void copy_run(float* d, const float* s, size_t n) {
  if (n >= 8) {
    size_t j = 0;
    for (; j + 8 <= n; j += 8) _mm256_storeu_ps(d + j, _mm256_loadu_ps(s + j));
    if (j < n) _mm256_storeu_ps(d + n - 8, _mm256_loadu_ps(s + n - 8));
  } else if (n >= 4) {
    const __m128 a = _mm_loadu_ps(s), b = _mm_loadu_ps(s + n - 4);
    _mm_storeu_ps(d, a);
    _mm_storeu_ps(d + n - 4, b);
  } else if (n >= 2) {
    const __m128i a = _mm_loadl_epi64((const __m128i*)s), b = _mm_loadl_epi64((const __m128i*)(s + n - 2));
    _mm_storel_epi64((__m128i*)d, a);
    _mm_storel_epi64((__m128i*)(d + n - 2), b);
  } else if (n == 1) {
    d[0] = s[0];
  }
}

inline void zero_run(float* d, size_t n) {
  if (n >= 8) {
    const __m256 z = _mm256_setzero_ps();
    size_t j = 0;
    for (; j + 8 <= n; j += 8) _mm256_storeu_ps(d + j, z);
    if (j < n) _mm256_storeu_ps(d + n - 8, z);
  } else if (n >= 4) {
    _mm_storeu_ps(d, _mm_setzero_ps());
    _mm_storeu_ps(d + n - 4, _mm_setzero_ps());
  } else {
    for (size_t j = 0; j < n; j++) d[j] = 0.f;
  }
}

struct Avx2Runs {
  static void copy_rows(float* d, size_t dStride, const float* src, size_t sStride, size_t n, size_t count) {
    for (size_t r = 0; r < count; r++, d += dStride, src += sStride) copy_run(d, src, n);
  }
  static void zero_rows(float* d, size_t dStride, size_t n, size_t count) {
    for (size_t r = 0; r < count; r++, d += dStride) zero_run(d, n);
  }
  static void padded(float* d, const float* src, size_t left, size_t mid, size_t n) {
    zero_run(d, n);
    copy_run(d + left, src, mid);
  }
};

}  // namespace

void im2col_avx2(const float* x, float* col, const ConvShape& s) { im2col_runs<Avx2Runs>(x, col, s); }

}  // namespace gn
