#include "kernels/im2col.h"

#include "kernels/cpu.h"
#include "kernels/im2col_impl.h"

namespace gn {
namespace {

struct ScalarRuns {
  static void copy_rows(float* d, size_t dStride, const float* src, size_t sStride, size_t n, size_t count) {
    for (size_t r = 0; r < count; r++, d += dStride, src += sStride)
      for (size_t i = 0; i < n; i++) d[i] = src[i];
  }
  static void zero_rows(float* d, size_t dStride, size_t n, size_t count) {
    for (size_t r = 0; r < count; r++, d += dStride)
      for (size_t i = 0; i < n; i++) d[i] = 0.f;
  }
  static void padded(float* d, const float* src, size_t left, size_t mid, size_t n) {
    size_t i = 0;
    for (; i < left; i++) d[i] = 0.f;
    for (; i < left + mid; i++) d[i] = src[i - left];
    for (; i < n; i++) d[i] = 0.f;
  }
};

}  // namespace

void im2col_scalar(const float* x, float* col, const ConvShape& s) { im2col_runs<ScalarRuns>(x, col, s); }

void im2col(const float* x, float* col, const ConvShape& s) {
  switch (simd_level()) {
#if defined(__x86_64__)
    case Simd::Avx512: im2col_avx512(x, col, s); break;
    case Simd::Avx2: im2col_avx2(x, col, s); break;
#endif
    // arm64: the scalar runs, which the compiler vectorizes with NEON (part of the baseline).
    default: im2col_scalar(x, col, s); break;
  }
}

void col2im(const float* col, float* dx, const ConvShape& s) {
  // Output pixel by output pixel, so consecutive runs go to different rows of dx: walking one
  // kernel row across ow instead (as im2col does) makes each run wait on the previous run's
  // stores whenever SW < KW, and measured twice as slow.
  const size_t C = (size_t)s.C;
  const size_t run = (size_t)s.KW * C;
  const size_t rowLen = (size_t)s.KH * run;
  const float* src = col;
  for (int n = 0; n < s.N; n++) {
    float* dn = dx + (size_t)n * s.H * s.W * C;
    for (int oh = 0; oh < s.OH; oh++) {
      const int ih0 = oh * s.SH - s.PT;
      for (int ow = 0; ow < s.OW; ow++, src += rowLen) {
        const int iw0 = ow * s.SW - s.PL;
        int kw0 = iw0 < 0 ? -iw0 : 0;
        int kw1 = s.W - iw0 < s.KW ? s.W - iw0 : s.KW;
        if (kw1 <= kw0) continue;
        const size_t left = (size_t)kw0 * C, mid = (size_t)(kw1 - kw0) * C;
        for (int kh = 0; kh < s.KH; kh++) {
          const int ih = ih0 + kh;
          if (ih < 0 || ih >= s.H) continue;
          const float* c = src + (size_t)kh * run + left;
          float* d = dn + ((size_t)ih * s.W + (size_t)(iw0 + kw0)) * C;
          for (size_t i = 0; i < mid; i++) d[i] += c[i];
        }
      }
    }
  }
}

}  // namespace gn
