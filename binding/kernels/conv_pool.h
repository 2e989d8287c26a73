// Inference of a convolution block in one pass: convolution, bias and optional ReLU, then optional
// batch normalization with running statistics (and its scale and shift), then max pooling, for each
// pooled output pixel from the input directly, with nothing in between written to memory.
//
// Each value is computed with the operations of the layer-by-layer path, in the same order: the
// convolution's sum over (kh, kw, c) in increasing order from zero with one fused multiply-add per
// tap (padding taps included, as zeros), then + b, the ReLU (NaN passes), (v - mean) * invStd,
// v * gamma + beta, and the pooling window's first maximum in (ph, pw) order. Whether that is also
// what the layer-by-layer path gives depends on how the BLAS sums a gemm's products; callers compare
// the two once (see Network) and use this only where they agree bit for bit.
#pragma once
#include "kernels/im2col.h"
#include "kernels/pool.h"

namespace gn {

struct ConvPoolParts {
  const float* W;      // (KH, KW, C, F)
  const float* b;      // (F) or null
  bool relu;
  const float* mean;   // (F) or null: no normalization
  const float* invStd; // (F), with mean
  const float* gamma;  // (F) or null: no scale and shift
  const float* beta;   // (F), with gamma
};

// x (N,H,W,C) -> y (N, pool.OH, pool.OW, F). pool's H, W, C are conv's OH, OW, F; pool.N = conv.N.
void conv_pool_inference(const float* x, float* y, const ConvShape& conv, const PoolShape& pool,
                         const ConvPoolParts& p);
// Whether conv_pool_inference has a SIMD kernel here (it has none at the scalar level).
bool conv_pool_available();
// The pooling windows it takes: 1, 2, 3, 4, 6 or 9 taps.
bool conv_pool_window_ok(int PH, int PW);

void conv_pool_samples_avx512(const float* x, float* y, const ConvShape& conv, const PoolShape& pool,
                              const ConvPoolParts& p, int n0, int n1);
void conv_pool_samples_avx2(const float* x, float* y, const ConvShape& conv, const PoolShape& pool,
                            const ConvPoolParts& p, int n0, int n1);
void conv_pool_samples_neon(const float* x, float* y, const ConvShape& conv, const PoolShape& pool,
                            const ConvPoolParts& p, int n0, int n1);

}  // namespace gn
