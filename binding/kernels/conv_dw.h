// The filter gradient of a convolution with few taps per filter (KH*KW*C small: a first layer on
// images of one or three channels), summed directly from the input and dy instead of through im2col
// and a K = rows product, optionally with the ReLU's backward pass folded in.
#pragma once

#include <cstddef>

#include "kernels/im2col.h"

namespace gn {

// Taps (KH*KW*C) up to which conv2d_backward sums dW directly.
constexpr int kDirectMaxTaps = 27;

// Whether conv_dw_direct runs for s at this SIMD level (taps at most kDirectMaxTaps; on x86-64 at
// the scalar level only where the CPU has fused multiply-add, which the scalar sums use).
bool conv_dw_direct_ok(const ConvShape& s);

// Samples [n0, n1) of the batch: dW (KH,KW,C,F) = sum over their output pixels of x at each tap
// times dz, db (F) = sum of dz, where dz = dy, or (y > 0 ? dy : +0) when y (the ReLU's output) is
// given. dW and db are OVERWRITTEN (db may be null). Each (tap, filter) sums each row of output
// pixels in order with fused multiply-adds (db with additions), and the rows' sums in row order, so
// every SIMD level gives the same bits. pad: scratch of conv_dw_pad_floats(s) floats.
void conv_dw_direct(const float* x, const float* dy, const float* y, float* dW, float* db, const ConvShape& s,
                    size_t n0, size_t n1, float* pad);
size_t conv_dw_pad_floats(const ConvShape& s);

// Per level (conv_dw_<level>.cc), for a part of the batch already laid out: the arguments of the
// kernel body in conv_dw_impl.h.
struct ConvDwArgs {
  const float* x;   // samples n0.. of the input (N,H,W,C)
  const float* dy;  // and of dy (N,OH,OW,F)
  const float* y;   // the ReLU's output, or null
  float* dW;        // (taps, F), overwritten
  float* db;        // (F) or null, overwritten
  float* pad;       // one zero-padded sample: Hp x Wp x C
  int samples, H, W, C, KH, KW, F, SH, SW, PT, PL, OH, OW, Hp, Wp;
};
void conv_dw_scalar(const ConvDwArgs& a);
void conv_dw_avx2(const ConvDwArgs& a);
void conv_dw_avx512(const ConvDwArgs& a);
void conv_dw_neon(const ConvDwArgs& a);

}  // namespace gn
