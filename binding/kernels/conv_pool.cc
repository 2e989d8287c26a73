#include "kernels/conv_pool.h"

#include "kernels/cpu.h"
#include "kernels/parallel.h"

namespace gn {

bool conv_pool_available() {
#if defined(__x86_64__)
  return simd_level() == Simd::Avx512 || simd_level() == Simd::Avx2;
#elif defined(__aarch64__)
  return true;
#else
  return false;
#endif
}

bool conv_pool_window_ok(int PH, int PW) {
  const int t = PH * PW;
  return PH >= 1 && PW >= 1 && (t == 1 || t == 2 || t == 3 || t == 4 || t == 6 || t == 9);
}

void conv_pool_inference(const float* x, float* y, const ConvShape& conv, const PoolShape& pool,
                         const ConvPoolParts& p) {
  // Samples are independent; a block of them per chunk, so that one sample (about a million
  // multiply-adds at most for the course's CNN) stays on the calling thread.
  const size_t work = (size_t)pool.OH * pool.OW * pool.PH * pool.PW * conv.KH * conv.KW * conv.C * conv.F;
  const size_t grain = work >= (1u << 20) ? 1 : (1u << 20) / (work + 1) + 1;
  parallel_ranges((size_t)conv.N, grain, [&](size_t n0, size_t n1) {
#if defined(__x86_64__)
    if (simd_level() == Simd::Avx512) conv_pool_samples_avx512(x, y, conv, pool, p, (int)n0, (int)n1);
    else conv_pool_samples_avx2(x, y, conv, pool, p, (int)n0, (int)n1);
#elif defined(__aarch64__)
    conv_pool_samples_neon(x, y, conv, pool, p, (int)n0, (int)n1);
#endif
  });
}

}  // namespace gn
