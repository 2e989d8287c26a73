// The im2col loop nest shared by the scalar, AVX2 and AVX-512 files, which differ only in how runs
// are copied. Included by those .cc files only.
//
// Everything here is in an anonymous namespace and uses no std:: templates: each translation unit,
// compiled with its own -m flags, gets a private copy, so the linker can never hand an AVX-512
// instantiation of a shared inline function to the scalar path.
#pragma once
#include <cstddef>

#include "kernels/im2col.h"

namespace gn {
namespace {

// A run is the KW*C values of one kernel row kh for one output pixel: contiguous in x (NHWC) and
// in col. Runs are 3-5 floats when C = 1, so the loops are arranged for the copy routine to see
// many runs of the same length and stride at once: for each output row (n, oh) and kernel row kh,
// the output columns [owA, owB) whose taps all lie inside the image are one strided batch; only the
// few border columns take the padded path. Runs provides
//   copy_rows(d, dStride, src, sStride, n, count): count runs of n floats, d += dStride, src += sStride;
//   zero_rows(d, dStride, n, count): count runs of n zeros;
//   padded(d, src, left, mid, n): d[0, n) = left zeros, src[0, mid), zeros (left + mid <= n).
// Each writes exactly its n floats per run.
template <class Runs>
void im2col_runs(const float* x, float* col, const ConvShape& shape) {
  const ConvShape s = shape;  // a local copy: its fields stay in registers across the stores
  const size_t C = (size_t)s.C;
  const size_t run = (size_t)s.KW * C;
  const size_t rowLen = (size_t)s.KH * run;
  // Output columns with no horizontal padding: ow*SW - PL >= 0 and ow*SW - PL + KW <= W.
  const long firstFull = ((long)s.PL + s.SW - 1) / s.SW, lastStart = (long)s.W + s.PL - s.KW;
  const long pastFull = lastStart < 0 ? 0 : lastStart / s.SW + 1;
  const int owA = firstFull < s.OW ? (int)firstFull : s.OW;
  const int owB = pastFull < owA ? owA : pastFull < s.OW ? (int)pastFull : s.OW;
  for (int n = 0; n < s.N; n++) {
    const float* xn = x + (size_t)n * s.H * s.W * C;
    for (int oh = 0; oh < s.OH; oh++) {
      float* stripe = col + ((size_t)n * s.OH + oh) * s.OW * rowLen;
      const int ih0 = oh * s.SH - s.PT;
      for (int kh = 0; kh < s.KH; kh++) {
        float* d = stripe + (size_t)kh * run;
        const int ih = ih0 + kh;
        if (ih < 0 || ih >= s.H) {
          Runs::zero_rows(d, rowLen, run, s.OW);
          continue;
        }
        const float* xrow = xn + (size_t)ih * s.W * C;
        for (int ow = 0; ow < s.OW; ow++) {
          if (ow == owA) ow = owB;  // the interior is copied below in one batch
          if (ow >= s.OW) break;
          const int iw0 = ow * s.SW - s.PL;
          int kw0 = iw0 < 0 ? -iw0 : 0;
          int kw1 = s.W - iw0 < s.KW ? s.W - iw0 : s.KW;
          if (kw0 > s.KW) kw0 = s.KW;
          if (kw1 <= kw0)
            Runs::zero_rows(d + (size_t)ow * rowLen, rowLen, run, 1);
          else
            Runs::padded(d + (size_t)ow * rowLen, xrow + (size_t)(iw0 + kw0) * C, (size_t)kw0 * C,
                         (size_t)(kw1 - kw0) * C, run);
        }
        if (owB > owA)
          Runs::copy_rows(d + (size_t)owA * rowLen, rowLen, xrow + (size_t)(owA * s.SW - s.PL) * C,
                          (size_t)s.SW * C, run, (size_t)(owB - owA));
      }
    }
  }
}

}  // namespace
}  // namespace gn
