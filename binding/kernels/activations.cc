#include "kernels/activations.h"

#include <cmath>

#if defined(__SSE2__)
#include <emmintrin.h>  // SSE2: part of every x86-64 CPU
#elif defined(__ARM_NEON)
#include <arm_neon.h>  // Advanced SIMD: part of every ARMv8-A CPU
#endif

#include "kernels/parallel.h"

namespace gn {

void relu_forward(const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; i++) y[i] = x[i] < 0.f ? 0.f : x[i];  // NaN passes through, so divergence is seen
}

void relu_backward(const float* y, const float* dy, float* dx, size_t total, bool accumulate) {
  // SSE2 by hand: the compiler does not vectorize the compare-and-select (trapping-math rules).
  // Elementwise, so ranges of it run over the pool.
  parallel_ranges(total, 65536, [&](size_t begin, size_t end) {
    size_t i = begin;
#if defined(__SSE2__)
    const __m128 zero = _mm_setzero_ps();
    for (; i + 4 <= end; i += 4) {
      const __m128 pass = _mm_and_ps(_mm_cmpgt_ps(_mm_loadu_ps(y + i), zero), _mm_loadu_ps(dy + i));
      _mm_storeu_ps(dx + i, accumulate ? _mm_add_ps(_mm_loadu_ps(dx + i), pass) : pass);
    }
#elif defined(__ARM_NEON)
    const float32x4_t zero = vdupq_n_f32(0.f);
    for (; i + 4 <= end; i += 4) {
      const uint32x4_t gt = vcgtq_f32(vld1q_f32(y + i), zero);  // false for NaN, as above
      const float32x4_t pass = vreinterpretq_f32_u32(vandq_u32(gt, vreinterpretq_u32_f32(vld1q_f32(dy + i))));
      vst1q_f32(dx + i, accumulate ? vaddq_f32(vld1q_f32(dx + i), pass) : pass);
    }
#endif
    for (; i < end; i++) {
      const float pass = y[i] > 0.f ? dy[i] : 0.f;
      dx[i] = accumulate ? dx[i] + pass : pass;
    }
  });
}

void activation_forward(Activation f, const float* x, float* y, size_t total, float alpha) {
  parallel_ranges(total, 16384, [&](size_t begin, size_t end) {
    switch (f) {
      case Activation::LeakyRelu:
        for (size_t i = begin; i < end; i++) y[i] = x[i] > 0.f ? x[i] : alpha * x[i];
        break;
      case Activation::Tanh:
        for (size_t i = begin; i < end; i++) y[i] = std::tanh(x[i]);
        break;
      case Activation::Sigmoid:
        // exp of a non-positive argument only: no overflow for large |x|.
        for (size_t i = begin; i < end; i++) {
          const float v = x[i];
          const float e = std::exp(-std::fabs(v));
          y[i] = v >= 0.f ? 1.f / (1.f + e) : e / (1.f + e);
        }
        break;
    }
  });
}

void activation_backward(Activation f, const float* x, const float* y, const float* dy, float* dx, size_t total,
                         float alpha, bool accumulate) {
  parallel_ranges(total, 16384, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; i++) {
      float d;
      switch (f) {
        case Activation::LeakyRelu: d = x[i] > 0.f ? 1.f : alpha; break;
        case Activation::Tanh: d = 1.f - y[i] * y[i]; break;
        default: d = y[i] * (1.f - y[i]); break;
      }
      const float g = dy[i] * d;
      dx[i] = accumulate ? dx[i] + g : g;
    }
  });
}

void softmax_forward(const float* z, float* p, int N, int C) {
  for (int n = 0; n < N; n++) {
    const float* zr = z + (size_t)n * C;
    float* pr = p + (size_t)n * C;
    float m = zr[0];
    for (int c = 1; c < C; c++) m = zr[c] > m ? zr[c] : m;
    float s = 0.f;
    for (int c = 0; c < C; c++) {
      pr[c] = std::exp(zr[c] - m);
      s += pr[c];
    }
    const float inv = 1.f / s;
    for (int c = 0; c < C; c++) pr[c] *= inv;
  }
}

double softmax_ce_forward(const float* z, const int32_t* labels, float* p, int N, int C, int* correct) {
  double loss = 0;
  int hits = 0;
  for (int n = 0; n < N; n++) {
    const float* zr = z + (size_t)n * C;
    float* pr = p + (size_t)n * C;
    int arg = 0;
    float m = zr[0];
    for (int c = 1; c < C; c++)
      if (zr[c] > m) m = zr[c], arg = c;
    float s = 0.f;
    for (int c = 0; c < C; c++) {
      pr[c] = std::exp(zr[c] - m);
      s += pr[c];
    }
    const float inv = 1.f / s;
    for (int c = 0; c < C; c++) pr[c] *= inv;
    const int y = labels[n];
    loss += (double)std::log(s) - (double)(zr[y] - m);
    hits += arg == y;
  }
  if (correct) *correct = hits;
  return N > 0 ? loss / N : 0.0;
}

void softmax_ce_backward(const float* p, const int32_t* labels, float* dz, int N, int C, float scale) {
  for (int n = 0; n < N; n++) {
    const float* pr = p + (size_t)n * C;
    float* dr = dz + (size_t)n * C;
    for (int c = 0; c < C; c++) dr[c] += scale * pr[c];
    dr[labels[n]] -= scale;
  }
}

double softmax_ce_forward_naive(const float* z, const int32_t* labels, float* p, int N, int C,
                                int* correct) {
  double loss = 0;
  int hits = 0;
  for (int n = 0; n < N; n++) {
    double m = -INFINITY, s = 0;
    int arg = 0;
    for (int c = 0; c < C; c++)
      if (z[(size_t)n * C + c] > m) m = z[(size_t)n * C + c], arg = c;
    for (int c = 0; c < C; c++) s += std::exp((double)z[(size_t)n * C + c] - m);
    for (int c = 0; c < C; c++) p[(size_t)n * C + c] = (float)(std::exp((double)z[(size_t)n * C + c] - m) / s);
    loss += std::log(s) - ((double)z[(size_t)n * C + labels[n]] - m);
    hits += arg == labels[n];
  }
  if (correct) *correct = hits;
  return N > 0 ? loss / N : 0.0;
}

}  // namespace gn
