// conv_pool_inference's samples for AVX2 with FMA (compiled with those flags; called only when
// simd_level() says the CPU has them).
#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <vector>

#include "kernels/conv_pool.h"

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
  static type set1(float v) { return _mm256_set1_ps(v); }
  static type fma(type a, type b, type c) { return _mm256_fmadd_ps(a, b, c); }
  static type add(type a, type b) { return _mm256_add_ps(a, b); }
  static type sub(type a, type b) { return _mm256_sub_ps(a, b); }
  static type mul(type a, type b) { return _mm256_mul_ps(a, b); }
  static type relu(type v) { return _mm256_blendv_ps(v, zero(), _mm256_cmp_ps(v, zero(), _CMP_LT_OQ)); }
  static type first_max(type best, type y) { return _mm256_blendv_ps(best, y, _mm256_cmp_ps(y, best, _CMP_GT_OQ)); }
};

#include "kernels/conv_pool_impl.h"

}  // namespace
}  // namespace avx2

void conv_pool_samples_avx2(const float* x, float* y, const ConvShape& conv, const PoolShape& pool,
                            const ConvPoolParts& p, int n0, int n1) {
  avx2::samples(x, y, conv, pool, p, n0, n1);
}

}  // namespace gn
