// conv_dw for AVX-512 (compiled with AVX-512 flags; called only when simd_level() says the CPU has
// it): strips of 32 filters (2 vectors) and up to 12 taps, 24 accumulators in zmm registers.
#include <immintrin.h>

#include <algorithm>
#include <cstddef>

#include "kernels/conv_dw.h"

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
  static type add(type a, type b) { return _mm512_add_ps(a, b); }
  static type bcast(const float* p) { return _mm512_set1_ps(*p); }
  static type fma(type a, type b, type c) { return _mm512_fmadd_ps(a, b, c); }
  static type pass(type y, type d) { return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(y, zero(), _CMP_GT_OQ), d); }
};
constexpr int kVn = 2, kAccRegs = 24;

#include "kernels/conv_dw_impl.h"

}  // namespace
}  // namespace avx512

void conv_dw_avx512(const ConvDwArgs& a) { avx512::run(a); }

}  // namespace gn
