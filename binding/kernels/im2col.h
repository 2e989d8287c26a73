// im2col / col2im for NHWC images: the lowering that turns a convolution into one sgemm.
#pragma once
#include <cstddef>

namespace gn {

// Geometry of a 2-D convolution. x (N,H,W,C), kernel KH x KW, F filters, strides SH/SW, top/left
// padding PT/PL (bottom/right padding is whatever makes the OH x OW windows fit), output (N,OH,OW,F).
// Callers (the glue) have checked that every window overlaps the input; the kernels still
// bounds-check every tap, so padding taps read as zero and are never touched.
struct ConvShape {
  int N, H, W, C, KH, KW, F, SH, SW, PT, PL, OH, OW;
  size_t rows() const { return (size_t)N * OH * OW; }  // rows of col: one per output pixel
  size_t taps() const { return (size_t)KH * KW * C; }   // columns of col: one per (kh, kw, c)
};

// x (N,H,W,C) -> col (N*OH*OW, KH*KW*C) row-major, column index (kh*KW + kw)*C + c, zeros for padding.
// For a fixed output pixel and kernel row kh the KW*C values are one contiguous run of x (NHWC),
// so the copy works on runs: C-long per tap when C is large, KW-long along W when C = 1.
// Dispatches on simd_level() to the AVX-512, AVX2 or scalar run copy; all give identical results.
void im2col(const float* x, float* col, const ConvShape& s);
void im2col_scalar(const float* x, float* col, const ConvShape& s);
void im2col_avx2(const float* x, float* col, const ConvShape& s);
void im2col_avx512(const float* x, float* col, const ConvShape& s);

// The adjoint of im2col: col (N*OH*OW, KH*KW*C) -> dx (N,H,W,C), ACCUMULATING (dx += ...);
// padding entries of col are dropped.
void col2im(const float* col, float* dx, const ConvShape& s);

}  // namespace gn
