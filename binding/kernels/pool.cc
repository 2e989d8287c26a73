#include "kernels/pool.h"

namespace gn {

void max_pool_forward(const float* x, float* y, int32_t* argmax, const PoolShape& s) {
  // Channels innermost: each window tap is one contiguous C-vector of x, compared against the
  // running maxima of the output pixel with a strict '>' so the first maximum wins.
  const int C = s.C;
  for (int n = 0; n < s.N; n++)
    for (int oh = 0; oh < s.OH; oh++)
      for (int ow = 0; ow < s.OW; ow++) {
        const size_t o = (((size_t)n * s.OH + oh) * s.OW + ow) * C;
        float* ym = y + o;
        int32_t* am = argmax + o;
        const size_t first = (((size_t)n * s.H + (size_t)oh * s.SH) * s.W + (size_t)ow * s.SW) * C;
        for (int c = 0; c < C; c++) {
          ym[c] = x[first + c];
          am[c] = (int32_t)(first + c);
        }
        for (int ph = 0; ph < s.PH; ph++)
          for (int pw = 0; pw < s.PW; pw++) {
            if (ph == 0 && pw == 0) continue;
            const size_t at = first + ((size_t)ph * s.W + pw) * C;
            const float* xv = x + at;
            for (int c = 0; c < C; c++)
              if (xv[c] > ym[c]) {
                ym[c] = xv[c];
                am[c] = (int32_t)(at + c);
              }
          }
      }
}

void max_pool_backward(const float* dy, const int32_t* argmax, float* dx, size_t n) {
  for (size_t i = 0; i < n; i++) dx[argmax[i]] += dy[i];
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
