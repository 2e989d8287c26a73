// im2col with AVX-512 run copies (compiled with AVX-512 flags; called only when simd_level() says
// the CPU has AVX-512F/BW/DQ/VL). What AVX-512 adds here is cheap exact masking (AVX-512VL): a run
// of up to 4 or 8 floats (all of them when C = 1) is one masked load and one masked store, with a
// mask fixed for the whole batch, and padded runs load only their in-image lanes so the padding
// comes out as zeroed lanes. Masked-off lanes are never read or written. Whole runs use 256-bit
// vectors: col rows are rarely 64-byte aligned, and 512-bit stores that split cache lines measured
// slower than 256-bit ones (Cooper Lake, C = 1..32).
#include <immintrin.h>

#include <cstdint>

#include "kernels/im2col_impl.h"

namespace gn {
namespace {

// Lanes i with lo <= i < hi set (both clamped to [0, 16]).
inline __mmask16 lane_range(long lo, long hi) {
  lo = lo < 0 ? 0 : lo > 16 ? 16 : lo;
  hi = hi < lo ? lo : hi > 16 ? 16 : hi;
  return (__mmask16)(((1u << hi) - 1) & ~((1u << lo) - 1));
}

// Masked copies and zero fills of one vector width.
template <int Width>
struct Vec;
template <>
struct Vec<4> {
  static void copy(float* d, const float* s, __mmask8 m) { _mm_mask_storeu_ps(d, m, _mm_maskz_loadu_ps(m, s)); }
  static void zero(float* d, __mmask8 m) { _mm_mask_storeu_ps(d, m, _mm_setzero_ps()); }
};
template <>
struct Vec<8> {
  static void copy(float* d, const float* s, __mmask8 m) {
    _mm256_mask_storeu_ps(d, m, _mm256_maskz_loadu_ps(m, s));
  }
  static void zero(float* d, __mmask8 m) { _mm256_mask_storeu_ps(d, m, _mm256_setzero_ps()); }
};

struct Avx512Runs {
  static void copy_rows(float* d, size_t dStride, const float* src, size_t sStride, size_t n, size_t count) {
    if (n <= 4) {
      const __mmask8 m = (__mmask8)lane_range(0, (long)n);
      for (size_t r = 0; r < count; r++, d += dStride, src += sStride) Vec<4>::copy(d, src, m);
      return;
    }
    const size_t full = n & ~(size_t)7;
    const __mmask8 tail = (__mmask8)lane_range(0, (long)(n - full));
    for (size_t r = 0; r < count; r++, d += dStride, src += sStride) {
      for (size_t j = 0; j < full; j += 8) _mm256_storeu_ps(d + j, _mm256_loadu_ps(src + j));
      if (tail) Vec<8>::copy(d + full, src + full, tail);
    }
  }
  static void zero_rows(float* d, size_t dStride, size_t n, size_t count) {
    const size_t full = n & ~(size_t)7;
    const __mmask8 tail = (__mmask8)lane_range(0, (long)(n - full));
    for (size_t r = 0; r < count; r++, d += dStride) {
      for (size_t j = 0; j < full; j += 8) _mm256_storeu_ps(d + j, _mm256_setzero_ps());
      if (tail) Vec<8>::zero(d + full, tail);
    }
  }
  static void padded(float* d, const float* src, size_t left, size_t mid, size_t n) {
    // Lane i of chunk j holds src[j + i - left]; only lanes in [left, left + mid) are loaded. The
    // address is formed as an integer since it may point before src (those lanes are off).
    const uintptr_t base = (uintptr_t)src - left * sizeof(float);
    const long lo = (long)left, hi = (long)(left + mid);
    for (size_t j = 0; j < n; j += 16) {
      const __mmask16 load = lane_range(lo - (long)j, hi - (long)j);
      const __mmask16 store = lane_range(0, (long)(n - j));
      _mm512_mask_storeu_ps(d + j, store, _mm512_maskz_loadu_ps(load, (const float*)(base + j * sizeof(float))));
    }
  }
};

}  // namespace

void im2col_avx512(const float* x, float* col, const ConvShape& s) { im2col_runs<Avx512Runs>(x, col, s); }

}  // namespace gn
