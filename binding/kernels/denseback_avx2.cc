// dense_back_rows for AVX2 + FMA (called only when simd_level() says the CPU has them): tiles of 2
// rows of W by 16 columns, dx for up to 32 samples in 4 vectors per row.
#include <immintrin.h>

#include <algorithm>
#include <cstddef>

#include "kernels/denseback.h"

namespace gn {
namespace avx2 {
namespace {

struct V {
  static constexpr int kLanes = 8;
  using type = __m256;
  using mask_t = __m256i;
  static mask_t mask(int lanes) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(lanes), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  static type load(const float* p) { return _mm256_loadu_ps(p); }
  static type load(const float* p, mask_t m) { return _mm256_maskload_ps(p, m); }
  static void store(float* p, type v) { _mm256_storeu_ps(p, v); }
  static void store(float* p, type v, mask_t m) { _mm256_maskstore_ps(p, m, v); }
  static type zero() { return _mm256_setzero_ps(); }
  static type set1(float f) { return _mm256_set1_ps(f); }
  static type add(type a, type b) { return _mm256_add_ps(a, b); }
  static type sub(type a, type b) { return _mm256_sub_ps(a, b); }
  static type mul(type a, type b) { return _mm256_mul_ps(a, b); }
  static type div(type a, type b) { return _mm256_div_ps(a, b); }
  static type sqrt(type a) { return _mm256_sqrt_ps(a); }
  static type bcast(const float* p) { return _mm256_broadcast_ss(p); }
  static type fma(type a, type b, type c) { return _mm256_fmadd_ps(a, b, c); }
  static void square_into(double* p, type w) {
    const __m256d lo = _mm256_cvtps_pd(_mm256_castps256_ps128(w)), hi = _mm256_cvtps_pd(_mm256_extractf128_ps(w, 1));
    _mm256_storeu_pd(p, _mm256_add_pd(_mm256_loadu_pd(p), _mm256_mul_pd(lo, lo)));
    _mm256_storeu_pd(p + 4, _mm256_add_pd(_mm256_loadu_pd(p + 4), _mm256_mul_pd(hi, hi)));
  }
};
constexpr int kR = 2, kOV = 2, kMaxNV = 4;

#include "kernels/denseback_impl.h"

}  // namespace
}  // namespace avx2

double dense_back_rows_avx2(const DenseBackArgs& a, int i0, int i1) { return avx2::run(a, i0, i1); }

}  // namespace gn
