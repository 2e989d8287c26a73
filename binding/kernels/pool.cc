#include "kernels/pool.h"

#include <algorithm>
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>  // SSE2: part of every x86-64 CPU
#elif defined(__ARM_NEON)
#include <arm_neon.h>  // Advanced SIMD: part of every ARMv8-A CPU
#endif

#include "kernels/parallel.h"

namespace gn {

namespace {

// Samples [n0, n1) of max_pool_forward; argmax stays a flat index into the whole of x.
void pool_samples(const float* x, float* y, int32_t* argmax, const PoolShape& shape, int n0, int n1) {
  // Channels innermost: each window tap is one contiguous C-vector of x, compared against the
  // running maxima of the output pixel with a strict '>' so the first maximum wins. The shape is
  // copied to locals: the stores through y and argmax could otherwise alias it, which blocks
  // vectorization and reloads every bound in the inner loop.
  const PoolShape s = shape;
  const int C = s.C;
  const size_t rowStride = (size_t)s.W * C;
  for (int n = n0; n < n1; n++)
    for (int oh = 0; oh < s.OH; oh++)
      for (int ow = 0; ow < s.OW; ow++) {
        const size_t o = (((size_t)n * s.OH + oh) * s.OW + ow) * C;
        float* __restrict ym = y + o;
        int32_t* __restrict am = argmax + o;
        const size_t first = (((size_t)n * s.H + (size_t)oh * s.SH) * s.W + (size_t)ow * s.SW) * C;
        const float* __restrict x0 = x + first;
        for (int c = 0; c < C; c++) {
          ym[c] = x0[c];
          am[c] = (int32_t)first + c;
        }
        for (int ph = 0; ph < s.PH; ph++)
          for (int pw = 0; pw < s.PW; pw++) {
            if (ph == 0 && pw == 0) continue;
            const size_t at = first + (size_t)ph * rowStride + (size_t)pw * C;
            const float* __restrict xv = x + at;
            const int32_t base = (int32_t)at;
            // Branch-free select, four channels at a time: data-dependent branches would mispredict
            // half the time, and the compiler does not vectorize the mixed float/int select.
            int c = 0;
#if defined(__SSE2__)
            const __m128i lanes = _mm_setr_epi32(0, 1, 2, 3);
            for (; c + 4 <= C; c += 4) {
              const __m128 v = _mm_loadu_ps(xv + c), cur = _mm_loadu_ps(ym + c);
              const __m128 gt = _mm_cmpgt_ps(v, cur);  // false for NaN: the earlier tap stays
              _mm_storeu_ps(ym + c, _mm_or_ps(_mm_and_ps(gt, v), _mm_andnot_ps(gt, cur)));
              const __m128i idx = _mm_add_epi32(_mm_set1_epi32(base + c), lanes);
              const __m128i g = _mm_castps_si128(gt);
              const __m128i old = _mm_loadu_si128(reinterpret_cast<const __m128i*>(am + c));
              _mm_storeu_si128(reinterpret_cast<__m128i*>(am + c),
                               _mm_or_si128(_mm_and_si128(g, idx), _mm_andnot_si128(g, old)));
            }
#elif defined(__ARM_NEON)
            const int32x4_t lanes = {0, 1, 2, 3};
            for (; c + 4 <= C; c += 4) {
              const float32x4_t v = vld1q_f32(xv + c), cur = vld1q_f32(ym + c);
              const uint32x4_t gt = vcgtq_f32(v, cur);  // false for NaN: the earlier tap stays
              vst1q_f32(ym + c, vbslq_f32(gt, v, cur));
              const int32x4_t idx = vaddq_s32(vdupq_n_s32(base + c), lanes);
              vst1q_s32(am + c, vbslq_s32(gt, idx, vld1q_s32(am + c)));
            }
#endif
            for (; c < C; c++) {
              const float v = xv[c];
              const bool greater = v > ym[c];
              ym[c] = greater ? v : ym[c];
              am[c] = greater ? base + c : am[c];
            }
          }
      }
}

}  // namespace

void max_pool_forward(const float* x, float* y, int32_t* argmax, const PoolShape& s) {
  // Samples are independent: a few per block of the pool.
  const size_t perSample = (size_t)s.OH * s.OW * s.C;
  parallel_ranges((size_t)s.N, perSample >= 16384 ? 1 : 16384 / perSample + 1,
                  [&](size_t n0, size_t n1) { pool_samples(x, y, argmax, s, (int)n0, (int)n1); });
}

void max_pool_backward(const float* dy, const int32_t* argmax, float* dx, size_t n, size_t dxLength,
                       bool accumulate) {
  if (!accumulate && dxLength) std::memset(dx, 0, dxLength * sizeof(float));
  for (size_t i = 0; i < n; i++) dx[argmax[i]] += dy[i];
}

void max_pool_backward_samples(const float* dy, const int32_t* argmax, float* dx, size_t n, size_t dxLength,
                               size_t samples, bool accumulate) {
  if (samples == 0 || n == 0) {
    if (!accumulate && dxLength) std::memset(dx, 0, dxLength * sizeof(float));
    return;
  }
  const size_t out = n / samples, in = dxLength / samples;
  parallel_ranges(samples, in >= 16384 ? 1 : 16384 / (in ? in : 1) + 1, [&](size_t s0, size_t s1) {
    if (!accumulate) std::memset(dx + s0 * in, 0, (s1 - s0) * in * sizeof(float));
    for (size_t i = s0 * out; i < s1 * out; i++) dx[argmax[i]] += dy[i];
  });
}

namespace {

// Samples [n0, n1) of max_pool_backward_windows; returns its count of unmatched outputs and keeps
// the first in *firstBad. A tap's value is dy + 0 (or 0), as the scatter's 0 + dy into a zeroed dx
// gives it: the same bits, -0 becoming +0 included.
size_t pool_back_samples(const float* dy, const int32_t* argmax, float* dx, const PoolShape& shape, size_t n0,
                         size_t n1, size_t* firstBad) {
  const PoolShape s = shape;  // locals: the stores through dx could otherwise alias the shape
  const size_t C = (size_t)s.C, rowStride = (size_t)s.W * C;
  size_t bad = 0;
  // Up to 64 channels of an output pixel at a time: their argmax, read once, and which tap matched.
  constexpr size_t kChunk = 64;
  int32_t a[kChunk];
  int32_t hit[kChunk];
  // Values in no window: the rows below the last window, and the columns right of it.
  const size_t rowsCovered = (size_t)(s.OH - 1) * s.SH + s.PH, colsCovered = (size_t)(s.OW - 1) * s.SW + s.PW;
  for (size_t n = n0; n < n1; n++) {
    float* dxn = dx + n * (size_t)s.H * rowStride;
    for (size_t h = 0; h < (size_t)s.H; h++) {
      const bool inRows = h < rowsCovered && (h % s.SH) < (size_t)s.PH;
      float* row = dxn + h * rowStride;
      if (!inRows) {
        std::memset(row, 0, rowStride * sizeof(float));
        continue;
      }
      for (size_t w = 0; w < (size_t)s.W; w++)
        if (!(w < colsCovered && (w % s.SW) < (size_t)s.PW)) std::memset(row + w * C, 0, C * sizeof(float));
    }
    for (int oh = 0; oh < s.OH; oh++)
      for (int ow = 0; ow < s.OW; ow++) {
        const size_t o = ((n * s.OH + oh) * s.OW + ow) * C;
        const size_t first = ((n * s.H + (size_t)oh * s.SH) * s.W + (size_t)ow * s.SW) * C;
        for (size_t c0 = 0; c0 < C; c0 += kChunk) {
          const size_t len = C - c0 < kChunk ? C - c0 : kChunk;
          std::memcpy(a, argmax + o + c0, len * sizeof(int32_t));  // each read once
          for (size_t c = 0; c < len; c++) hit[c] = 0;
          const float* g = dy + o + c0;
          for (int ph = 0; ph < s.PH; ph++)
            for (int pw = 0; pw < s.PW; pw++) {
              const size_t at = first + (size_t)ph * rowStride + (size_t)pw * C + c0;
              float* d = dx + at;
              size_t c = 0;
#if defined(__SSE2__)
              const __m128i lanes = _mm_setr_epi32(0, 1, 2, 3);
              for (; c + 4 <= len; c += 4) {
                const __m128i idx = _mm_add_epi32(_mm_set1_epi32((int32_t)(at + c)), lanes);
                const __m128i eq = _mm_cmpeq_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + c)), idx);
                _mm_storeu_ps(d + c, _mm_add_ps(_mm_and_ps(_mm_castsi128_ps(eq), _mm_loadu_ps(g + c)), _mm_setzero_ps()));
                __m128i* h = reinterpret_cast<__m128i*>(hit + c);
                _mm_storeu_si128(h, _mm_or_si128(_mm_loadu_si128(h), eq));
              }
#elif defined(__ARM_NEON)
              const int32x4_t lanes = {0, 1, 2, 3};
              for (; c + 4 <= len; c += 4) {
                const int32x4_t idx = vaddq_s32(vdupq_n_s32((int32_t)(at + c)), lanes);
                const uint32x4_t eq = vceqq_s32(vld1q_s32(a + c), idx);
                vst1q_f32(d + c, vaddq_f32(vreinterpretq_f32_u32(vandq_u32(eq, vreinterpretq_u32_f32(vld1q_f32(g + c)))), vdupq_n_f32(0.f)));
                vst1q_s32(hit + c, vorrq_s32(vld1q_s32(hit + c), vreinterpretq_s32_u32(eq)));
              }
#endif
              for (; c < len; c++) {
                const bool is = a[c] == (int32_t)(at + c);
                d[c] = is ? g[c] + 0.f : 0.f;
                hit[c] |= is ? -1 : 0;
              }
            }
          for (size_t c = 0; c < len; c++)
            if (!hit[c]) {
              if (bad == 0) *firstBad = o + c0 + c;
              bad++;
            }
        }
      }
  }
  return bad;
}

}  // namespace

size_t max_pool_backward_windows(const float* dy, const int32_t* argmax, float* dx, const PoolShape& s,
                                 size_t* firstBad) {
  // Samples are independent: a few per part, in a fixed number of parts; each part counts its own
  // unmatched outputs, and the first of the first part that has any is reported.
  const size_t perSample = (size_t)s.H * s.W * s.C;
  const size_t grain = perSample >= 16384 ? 1 : 16384 / perSample + 1;
  const size_t parts = std::max<size_t>(1, std::min<size_t>(64, ((size_t)s.N + grain - 1) / grain));
  std::vector<size_t> bad(parts, 0), first(parts, 0);
  parallel_for((int)parts, [&](int p) {
    const size_t n0 = (size_t)s.N * p / parts, n1 = (size_t)s.N * (p + 1) / parts;
    bad[p] = pool_back_samples(dy, argmax, dx, s, n0, n1, &first[p]);
  });
  size_t total = 0;
  for (size_t p = 0; p < parts; p++) {
    if (bad[p] && total == 0) *firstBad = first[p];
    total += bad[p];
  }
  return total;
}

void avg_pool_forward(const float* x, float* y, const PoolShape& shape) {
  const PoolShape s = shape;
  const size_t perSample = (size_t)s.OH * s.OW * s.C;
  const float scale = 1.f / (float)(s.PH * s.PW);
  parallel_ranges((size_t)s.N, perSample >= 16384 ? 1 : 16384 / perSample + 1, [&](size_t n0, size_t n1) {
    const int C = s.C;
    for (size_t n = n0; n < n1; n++)
      for (int oh = 0; oh < s.OH; oh++)
        for (int ow = 0; ow < s.OW; ow++) {
          float* __restrict ym = y + ((n * s.OH + oh) * s.OW + ow) * C;
          for (int c = 0; c < C; c++) ym[c] = 0.f;
          for (int ph = 0; ph < s.PH; ph++)
            for (int pw = 0; pw < s.PW; pw++) {
              const float* __restrict xv = x + ((n * s.H + (size_t)oh * s.SH + ph) * s.W + (size_t)ow * s.SW + pw) * C;
              for (int c = 0; c < C; c++) ym[c] += xv[c];
            }
          for (int c = 0; c < C; c++) ym[c] *= scale;
        }
  });
}

void avg_pool_backward(const float* dy, float* dx, const PoolShape& shape, bool accumulate) {
  const PoolShape s = shape;
  const size_t inSample = (size_t)s.H * s.W * s.C;
  const float scale = 1.f / (float)(s.PH * s.PW);
  // Windows may overlap within a sample (stride < size), never across samples.
  parallel_ranges((size_t)s.N, inSample >= 16384 ? 1 : 16384 / inSample + 1, [&](size_t n0, size_t n1) {
    const int C = s.C;
    if (!accumulate) std::memset(dx + n0 * inSample, 0, (n1 - n0) * inSample * sizeof(float));
    for (size_t n = n0; n < n1; n++)
      for (int oh = 0; oh < s.OH; oh++)
        for (int ow = 0; ow < s.OW; ow++) {
          const float* __restrict g = dy + ((n * s.OH + oh) * s.OW + ow) * C;
          for (int ph = 0; ph < s.PH; ph++)
            for (int pw = 0; pw < s.PW; pw++) {
              float* __restrict dv = dx + ((n * s.H + (size_t)oh * s.SH + ph) * s.W + (size_t)ow * s.SW + pw) * C;
              for (int c = 0; c < C; c++) dv[c] += g[c] * scale;
            }
        }
  });
}

void avg_pool_forward_naive(const float* x, float* y, const PoolShape& s) {
  for (int n = 0; n < s.N; n++)
    for (int c = 0; c < s.C; c++)
      for (int oh = 0; oh < s.OH; oh++)
        for (int ow = 0; ow < s.OW; ow++) {
          double sum = 0;
          for (int ph = 0; ph < s.PH; ph++)
            for (int pw = 0; pw < s.PW; pw++)
              sum += x[(((size_t)n * s.H + (size_t)oh * s.SH + ph) * s.W + (size_t)ow * s.SW + pw) * s.C + c];
          y[(((size_t)n * s.OH + oh) * s.OW + ow) * s.C + c] = (float)(sum / (s.PH * s.PW));
        }
}

void max_pool_forward_naive(const float* x, float* y, int32_t* argmax, const PoolShape& s) {
  for (int n = 0; n < s.N; n++)
    for (int c = 0; c < s.C; c++)
      for (int oh = 0; oh < s.OH; oh++)
        for (int ow = 0; ow < s.OW; ow++) {
          size_t best = 0;
          bool any = false;
          for (int ph = 0; ph < s.PH; ph++)
            for (int pw = 0; pw < s.PW; pw++) {
              const size_t i = (((size_t)n * s.H + (size_t)oh * s.SH + ph) * s.W + (size_t)ow * s.SW + pw) * s.C + c;
              if (!any || x[i] > x[best]) best = i, any = true;
            }
          const size_t o = (((size_t)n * s.OH + oh) * s.OW + ow) * s.C + c;
          y[o] = x[best];
          argmax[o] = (int32_t)best;
        }
}

}  // namespace gn
