// conv_pool_inference's samples for AVX-512 (compiled with AVX-512 flags; called only when
// simd_level() says the CPU has it).
#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <vector>

#include "kernels/conv_pool.h"

namespace gn {
namespace avx512 {
namespace {

struct V {
  static constexpr int kLanes = 16;
  using type = __m512;
  using mask_t = __mmask16;
  static mask_t mask(int lanes) { return (mask_t)((1u << lanes) - 1u); }
  static type load(const float* p, mask_t m) { return _mm512_maskz_loadu_ps(m, p); }
  static void store(float* p, type v, mask_t m) { _mm512_mask_storeu_ps(p, m, v); }
  static type zero() { return _mm512_setzero_ps(); }
  static type set1(float v) { return _mm512_set1_ps(v); }
  static type fma(type a, type b, type c) { return _mm512_fmadd_ps(a, b, c); }
  static type add(type a, type b) { return _mm512_add_ps(a, b); }
  static type sub(type a, type b) { return _mm512_sub_ps(a, b); }
  static type mul(type a, type b) { return _mm512_mul_ps(a, b); }
  // v < 0 ? 0 : v (false for NaN, which passes; -0 stays -0)
  static type relu(type v) { return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(v, zero(), _CMP_LT_OQ), v, zero()); }
  // y > best ? y : best (false for NaN: the earlier tap stays)
  static type first_max(type best, type y) { return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(y, best, _CMP_GT_OQ), best, y); }
};

#include "kernels/conv_pool_impl.h"

}  // namespace
}  // namespace avx512

void conv_pool_samples_avx512(const float* x, float* y, const ConvShape& conv, const PoolShape& pool,
                              const ConvPoolParts& p, int n0, int n1) {
  avx512::samples(x, y, conv, pool, p, n0, n1);
}

}  // namespace gn
