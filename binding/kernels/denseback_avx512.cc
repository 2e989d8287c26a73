// dense_back_rows for AVX-512 (compiled with AVX-512 flags; called only when simd_level() says the
// CPU has it): tiles of 4 rows of W by 32 columns, dx for up to 32 samples in 2 vectors per row.
#include <immintrin.h>

// GCC 12's AVX-512 headers start some intrinsics (sqrt, div, conversions) from _mm512_undefined_*,
// which -Wmaybe-uninitialized then reports at every call site.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <algorithm>
#include <cstddef>

#include "kernels/denseback.h"

namespace gn {
namespace avx512 {
namespace {

struct V {
  static constexpr int kLanes = 16;
  using type = __m512;
  using mask_t = __mmask16;
  static mask_t mask(int lanes) { return (mask_t)((1u << lanes) - 1u); }
  static type load(const float* p) { return _mm512_loadu_ps(p); }
  static type load(const float* p, mask_t m) { return _mm512_maskz_loadu_ps(m, p); }
  static void store(float* p, type v) { _mm512_storeu_ps(p, v); }
  static void store(float* p, type v, mask_t m) { _mm512_mask_storeu_ps(p, m, v); }
  static type zero() { return _mm512_setzero_ps(); }
  static type set1(float f) { return _mm512_set1_ps(f); }
  static type add(type a, type b) { return _mm512_add_ps(a, b); }
  static type sub(type a, type b) { return _mm512_sub_ps(a, b); }
  static type mul(type a, type b) { return _mm512_mul_ps(a, b); }
  static type div(type a, type b) { return _mm512_div_ps(a, b); }
  static type sqrt(type a) { return _mm512_sqrt_ps(a); }
  static type bcast(const float* p) { return _mm512_set1_ps(*p); }
  static type fma(type a, type b, type c) { return _mm512_fmadd_ps(a, b, c); }
  static void square_into(double* p, type w) {
    const __m512d lo = _mm512_cvtps_pd(_mm512_castps512_ps256(w)), hi = _mm512_cvtps_pd(_mm512_extractf32x8_ps(w, 1));
    _mm512_storeu_pd(p, _mm512_add_pd(_mm512_loadu_pd(p), _mm512_mul_pd(lo, lo)));
    _mm512_storeu_pd(p + 8, _mm512_add_pd(_mm512_loadu_pd(p + 8), _mm512_mul_pd(hi, hi)));
  }
};
constexpr int kR = 8, kOV = 2, kMaxNV = 2;

#include "kernels/denseback_impl.h"

}  // namespace
}  // namespace avx512

double dense_back_rows_avx512(const DenseBackArgs& a, int i0, int i1) { return avx512::run(a, i0, i1); }

}  // namespace gn
