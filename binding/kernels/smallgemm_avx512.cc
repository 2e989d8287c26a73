// small_gemm for AVX-512 (compiled with AVX-512 flags; called only when simd_level() says the CPU
// has it): tiles of 4 rows x 96 columns, 24 accumulators in zmm registers, k in sub-blocks of 64.
#include <immintrin.h>

#include <cstddef>

#include "kernels/smallgemm.h"

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
  static type add(type a, type b) { return _mm512_add_ps(a, b); }
  static type bcast(const float* p) { return _mm512_set1_ps(*p); }
  static type fma(type a, type b, type c) { return _mm512_fmadd_ps(a, b, c); }
};
constexpr int kRows = 4, kStrip = 6, kKc = 256, kSub = 64, kMaxRows = 48, kRowStrip = 16;

#include "kernels/smallgemm_impl.h"

}  // namespace
}  // namespace avx512

void small_gemm_avx512(int M, int n0, int n1, int K, const float* A, int lda, const float* B, int ldb,
                       float* C, int ldc) {
  avx512::run(M, n0, n1, K, A, lda, B, ldb, C, ldc);
}

void small_gemm_row_avx512(int b0, int b1, int n0, int n1, int N, int K, const float* A, const float* B, float* S,
                          bool stream) {
  avx512::row_blocks(b0, b1, n0, n1, N, K, A, B, S, stream);
}

void small_gemm_block_avx512(int M, int N, int k0, int kc, const float* A, int lda, const float* B, int ldb, float* Sb) {
  avx512::block_sums(M, N, k0, kc, A, lda, B, ldb, Sb);
}

}  // namespace gn
