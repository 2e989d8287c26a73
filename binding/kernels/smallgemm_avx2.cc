// small_gemm for AVX2 + FMA (compiled with those flags; called only when simd_level() says the CPU
// has them): tiles of 4 rows x 24 columns, 12 accumulators in ymm registers.
#include <immintrin.h>

#include <cstddef>

#include "kernels/smallgemm.h"

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
  static type add(type a, type b) { return _mm256_add_ps(a, b); }
  static type bcast(const float* p) { return _mm256_broadcast_ss(p); }
  static type fma(type a, type b, type c) { return _mm256_fmadd_ps(a, b, c); }
};
constexpr int kRows = 4, kStrip = 3, kKc = 256, kSub = 256, kMaxRows = 48, kRowStrip = 12;

#include "kernels/smallgemm_impl.h"

}  // namespace
}  // namespace avx2

void small_gemm_avx2(int M, int n0, int n1, int K, const float* A, int lda, const float* B, int ldb, float* C,
                     int ldc) {
  avx2::run(M, n0, n1, K, A, lda, B, ldb, C, ldc);
}

void small_gemm_row_avx2(int b0, int b1, int n0, int n1, int N, int K, const float* A, const float* B, float* S,
                          bool stream) {
  avx2::row_blocks(b0, b1, n0, n1, N, K, A, B, S, stream);
}

void small_gemm_block_avx2(int M, int N, int k0, int kc, const float* A, int lda, const float* B, int ldb, float* Sb) {
  avx2::block_sums(M, N, k0, kc, A, lda, B, ldb, Sb);
}

}  // namespace gn
