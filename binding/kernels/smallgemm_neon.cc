// small_gemm for arm64 Advanced SIMD (part of every ARMv8-A CPU): tiles of 4 rows x 16 columns,
// 16 accumulators in q registers. Same order of operations as the AVX2/AVX-512 versions (one fused
// multiply-add per k, blocks of kKc), so the same bits.
#include <arm_neon.h>

#include <cstddef>

#include "kernels/smallgemm.h"

namespace gn {
namespace neon {
namespace {

struct V {
  static constexpr int kLanes = 4;
  using type = float32x4_t;
  using mask_t = int;  // the number of leading lanes in use
  static mask_t mask(int lanes) { return lanes; }
  static type load(const float* p) { return vld1q_f32(p); }
  static type load(const float* p, mask_t m) {
    if (m == kLanes) return vld1q_f32(p);
    float t[kLanes] = {0.f, 0.f, 0.f, 0.f};
    for (int i = 0; i < m; i++) t[i] = p[i];
    return vld1q_f32(t);
  }
  static void store(float* p, type v) { vst1q_f32(p, v); }
  static void store(float* p, type v, mask_t m) {
    if (m == kLanes) return vst1q_f32(p, v);
    float t[kLanes];
    vst1q_f32(t, v);
    for (int i = 0; i < m; i++) p[i] = t[i];
  }
  static type zero() { return vdupq_n_f32(0.f); }
  static type add(type a, type b) { return vaddq_f32(a, b); }
  static type bcast(const float* p) { return vld1q_dup_f32(p); }
  static type fma(type a, type b, type c) { return vfmaq_f32(c, a, b); }
};
constexpr int kRows = 4, kStrip = 4, kKc = 256, kSub = 256, kMaxRows = 48, kRowStrip = 24;

#include "kernels/smallgemm_impl.h"

}  // namespace
}  // namespace neon

void small_gemm_neon(int M, int n0, int n1, int K, const float* A, int lda, const float* B, int ldb, float* C,
                     int ldc) {
  neon::run(M, n0, n1, K, A, lda, B, ldb, C, ldc);
}

void small_gemm_row_neon(int b0, int b1, int n0, int n1, int N, int K, const float* A, const float* B, float* S,
                          bool stream) {
  neon::row_blocks(b0, b1, n0, n1, N, K, A, B, S, stream);
}

void small_gemm_block_neon(int M, int N, int k0, int kc, const float* A, int lda, const float* B, int ldb, float* Sb) {
  neon::block_sums(M, N, k0, kc, A, lda, B, ldb, Sb);
}

}  // namespace gn
