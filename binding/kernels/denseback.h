// The backward pass of a dense layer at a small batch (N <= 32: the CNN's FC1, 32 x 6272 -> 784),
// in one pass over W with gemmnet's own kernels instead of two OpenBLAS products per block of rows:
// for each tile of W (a few rows by 32 columns) the tile's share of dx = dy W^T, then the tile's
// gradient x^T dy in registers, then (fused) the optimizer's update of the tile or (unfused) its
// store into dW. The exact square roots and divisions of Adam's update then run while the next
// tile's multiply-adds keep the FMA units busy, instead of in a pass of their own.
#pragma once

#include <cstddef>

#include "kernels/optim.h"

namespace gn {

// Whether dense_back_small runs for this shape at this SIMD level (AVX-512, AVX2 or NEON; the
// scalar level keeps OpenBLAS): 1 <= N <= 32 and a product big enough to be cut into blocks.
bool dense_back_small_ok(int N, int I, int O);

// x (N,I), W (I,O), dy (N,O). With rule null: dW (I,O) = x^T dy and dx (N,I) = dy W^T, either null
// to skip it, overwritten or (accumulate) added to. With a rule: dx (or null) from W as it was, then
// W updated with g = x^T dy + l2 W; returns sum W^2 before the update when l2 > 0, else 0.
// Every dW value is one chain of fused multiply-adds over the batch in order, and every dx value
// the sum, in order, of chains over 32 columns of W at a time (a register tile's), so AVX-512, AVX2
// and NEON give the same bits, and the fused update equals the unfused gradient followed by decay()
// and apply_update(), bit for bit.
double dense_back_small(const float* x, float* W, const float* dy, float* dW, float* dx, int N, int I, int O,
                        bool accumulate, const UpdateRule* rule, float l2);

// Per level (denseback_<level>.cc): rows [i0, i1) of W; returns their sum W^2 when l2 > 0.
struct DenseBackArgs {
  const float* x;
  const float* dy;
  const float* dyT;  // (O, Np): dy transposed, lanes n >= N zero
  int Np;
  float* W;
  float* dW;  // null with a rule, or to skip it
  float* dx;  // or null
  bool accumulate;
  int N, I, O;
  int kind;  // 0: no update (dW), 1: momentum, 2: Adam
  float* s1;
  float* s2;
  float lr, p1, p2, eps, l2;
};
double dense_back_rows_avx512(const DenseBackArgs& a, int i0, int i1);
double dense_back_rows_avx2(const DenseBackArgs& a, int i0, int i1);
double dense_back_rows_neon(const DenseBackArgs& a, int i0, int i1);

}  // namespace gn
