// conv_dw for AVX2 + FMA (called only when simd_level() says the CPU has them): strips of 16
// filters (2 vectors) and up to 5 taps, 10 accumulators in ymm registers.
#include <immintrin.h>

#include <algorithm>
#include <cstddef>

#include "kernels/conv_dw.h"

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
  static type load(const float* p, mask_t m) { return _mm256_maskload_ps(p, m); }
  static void store(float* p, type v, mask_t m) { _mm256_maskstore_ps(p, m, v); }
  static type zero() { return _mm256_setzero_ps(); }
  static type add(type a, type b) { return _mm256_add_ps(a, b); }
  static type bcast(const float* p) { return _mm256_broadcast_ss(p); }
  static type fma(type a, type b, type c) { return _mm256_fmadd_ps(a, b, c); }
  static type pass(type y, type d) { return _mm256_and_ps(_mm256_cmp_ps(y, zero(), _CMP_GT_OQ), d); }
};
constexpr int kVn = 2, kAccRegs = 10;

#include "kernels/conv_dw_impl.h"

}  // namespace
}  // namespace avx2

void conv_dw_avx2(const ConvDwArgs& a) { avx2::run(a); }

}  // namespace gn
