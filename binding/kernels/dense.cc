#include "kernels/dense.h"

#include <algorithm>
#include <cstddef>
#include <vector>

#include "blas/gn_blas.h"
#include "kernels/cpu.h"
#include "kernels/denseback.h"
#include "kernels/gemm.h"
#include "kernels/parallel.h"
#include "kernels/smallgemm.h"

namespace gn {

void dense_forward(const float* x, const float* W, const float* b, float* y, int N, int I, int O,
                   bool relu) {
  // The bias goes into y first, then x W accumulates on top of it (beta = 1), then the ReLU: block by
  // block of y, each on the thread that computes it, while it is in cache.
  const auto bias = [&](int n0, int n1, int o0, int o1) {
    for (int n = n0; n < n1; n++) {
      float* row = y + (size_t)n * O;
      for (int o = o0; o < o1; o++) row[o] = b ? b[o] : 0.f;
    }
  };
  const auto activate = [&](int n0, int n1, int o0, int o1) {
    if (!relu) return;
    for (int n = n0; n < n1; n++) {
      float* row = y + (size_t)n * O;
      for (int o = o0; o < o1; o++) row[o] = row[o] < 0.f ? 0.f : row[o];  // NaN passes through, so divergence is seen
    }
  };
  if (small_gemm_fits(N, O, I)) {
    // A small batch: column blocks of y, each filled, multiplied and activated on one thread.
    small_gemm(N, O, I, x, W, y, [&](int o0, int o1) { bias(0, N, o0, o1); }, [&](int o0, int o1) { activate(0, N, o0, o1); });
    return;
  }
  gemm_blocks(false, false, N, O, I, 1.f, x, I, W, O, 1.f, y, O, bias, activate);
}

namespace {

// Column sums of dy (N,O) into db (O), adding to it or overwriting it.
void column_sums(const float* dy, float* db, int N, int O, bool accumulate) {
  if (!accumulate)
    for (int o = 0; o < O; o++) db[o] = 0.f;
  for (int n = 0; n < N; n++) {
    const float* row = dy + (size_t)n * O;
    for (int o = 0; o < O; o++) db[o] += row[o];
  }
}

// Rows of W per block of the backward pass. Each block's gemms pack all of dy again, so blocks grow
// with the batch (measured best: 16 rows at batch 32, about 100 at batch 100); there should also be
// at least eight blocks (four per thread on two cores), for balance on a busy machine. The blocks
// depend on the shape only, not on the thread count, so every thread count gives the same bits.
int block_rows(int N, int I, int O) {
  if ((double)N * I * O < 4.0e6) return I;  // small: one block, on the calling thread
  int rows = N < 64 ? 16 : std::min(N, 128);
  rows = std::min(rows, std::max(8, I / 8));
  return std::max(1, std::min(rows, I));
}

// The backward pass of x W cut into blocks of rows of W (columns of dx), run over the pool. For
// block c (rows [i0, i0 + r)): dx[:, i0:i0+r] = dy W[i0:i0+r, :]^T (+ beta dx), then
// grad(c, i0, r, g) with g (r, O) = x[:, i0:i0+r]^T dy (+ beta g). Both kernels, fused or not, go
// through here, so they compute every value the same way (OpenBLAS's result can depend on a call's
// shape). g is the block of dW when dW is given, else a per-thread scratch that stays in cache.
template <class G>
void backward_blocks(const float* x, const float* W, const float* dy, float* dW, float* dx, int N, int I,
                     int O, float beta, G&& grad) {
  const int rows = block_rows(N, I, O);
  const int count = (I + rows - 1) / rows;
  parallel_for(count, [&](int k) {
    thread_local std::vector<float> scratch;
    // Last block first: the first rows of W are then the most recently touched, still in the last
    // level cache when the next forward pass (which reads W from the first row) begins.
    const int c = count - 1 - k;
    const int i0 = c * rows;
    const int r = std::min(rows, I - i0);
    const size_t len = (size_t)r * O;
    if (dx) gn_sgemm(0, 1, N, r, O, 1.f, dy, O, W + (size_t)i0 * O, O, beta, dx + i0, I);
    float* g = dW ? dW + (size_t)i0 * O : nullptr;
    if (!g) {
      if (scratch.size() < len) scratch.resize(len);
      g = scratch.data();
    }
    if (N > 0) gn_sgemm(1, 0, r, O, N, 1.f, x + i0, I, dy, O, beta, g, O);
    else if (beta == 0.f) std::fill(g, g + len, 0.f);
    grad(c, i0, r, g);
  });
}

}  // namespace

bool dense_back_small_ok(int N, int I, int O) {
  const Simd level = simd_level();
  return (level == Simd::Avx512 || level == Simd::Avx2 || level == Simd::Neon) && N >= 1 && N <= 32 && I >= 1 &&
         O >= 1 && block_rows(N, I, O) < I;
}

double dense_back_small(const float* x, float* W, const float* dy, float* dW, float* dx, int N, int I, int O,
                        bool accumulate, const UpdateRule* rule, float l2) {
  const Simd level = simd_level();
  const int lanes = level == Simd::Avx512 ? 16 : level == Simd::Avx2 ? 8 : 4;
  DenseBackArgs a;
  a.Np = (N + lanes - 1) / lanes * lanes;
  // dy transposed once for every block's share of dx, the batch padded with zeros to whole vectors.
  thread_local std::vector<float> dyT;
  dyT.assign((size_t)O * a.Np, 0.f);
  for (int n = 0; n < N; n++)
    for (int o = 0; o < O; o++) dyT[(size_t)o * a.Np + n] = dy[(size_t)n * O + o];
  a.x = x, a.dy = dy, a.dyT = dyT.data(), a.W = W, a.dW = rule ? nullptr : dW, a.dx = dx;
  a.accumulate = accumulate, a.N = N, a.I = I, a.O = O;
  a.kind = !rule ? 0 : rule->kind == UpdateRule::Adam ? 2 : 1;
  a.s1 = rule ? rule->s1 : nullptr, a.s2 = rule ? rule->s2 : nullptr;
  a.lr = rule ? rule->lr : 0.f, a.p1 = rule ? rule->p1 : 0.f, a.p2 = rule ? rule->p2 : 0.f;
  a.eps = rule ? rule->eps : 0.f, a.l2 = rule ? l2 : 0.f;
  // The blocks of backward_blocks, last first; each block's sum of squares, added in block order.
  const int rows = block_rows(N, I, O);
  const int count = (I + rows - 1) / rows;
  thread_local std::vector<double> squares;
  squares.assign(count, 0.0);
  double* sq = squares.data();
  parallel_for(count, [&](int k) {
    const int c = count - 1 - k;
    const int i0 = c * rows, i1 = std::min(I, i0 + rows);
#if defined(__x86_64__)
    sq[c] = level == Simd::Avx512 ? dense_back_rows_avx512(a, i0, i1) : dense_back_rows_avx2(a, i0, i1);
#elif defined(__aarch64__)
    sq[c] = dense_back_rows_neon(a, i0, i1);
#endif
  });
  double total = 0;
  for (double v : squares) total += v;
  return total;
}

void dense_backward(const float* x, const float* W, const float* dy, float* dW, float* db, float* dx,
                    int N, int I, int O, bool accumulate) {
  if (db) column_sums(dy, db, N, O, accumulate);
  if (I == 0 || O == 0 || (!dW && !dx)) return;
  if (dense_back_small_ok(N, I, O)) {
    // W is only read without a rule.
    dense_back_small(x, const_cast<float*>(W), dy, dW, dx, N, I, O, accumulate, nullptr, 0.f);
    return;
  }
  const float beta = accumulate ? 1.f : 0.f;
  if (!dW) {
    // dx alone: no gradient blocks to compute.
    const int rows = block_rows(N, I, O);
    parallel_for((I + rows - 1) / rows, [&](int c) {
      const int i0 = c * rows;
      gn_sgemm(0, 1, N, std::min(rows, I - i0), O, 1.f, dy, O, W + (size_t)i0 * O, O, beta, dx + i0, I);
    });
    return;
  }
  backward_blocks(x, W, dy, dW, dx, N, I, O, beta, [](int, int, int, float*) {});
}

double dense_backward_update(const float* x, float* W, const float* dy, float* db, float* dx, int N, int I,
                             int O, float l2, const UpdateRule& rule) {
  if (db) column_sums(dy, db, N, O, false);
  if (I == 0 || O == 0) return 0;
  if (dense_back_small_ok(N, I, O)) return dense_back_small(x, W, dy, nullptr, dx, N, I, O, false, &rule, l2);
  // Per-block sums of squares, added in block order afterwards: the total does not depend on which
  // thread took which block. Kept between calls (no allocation per batch once sized).
  thread_local std::vector<double> squares;
  squares.assign((I + block_rows(N, I, O) - 1) / block_rows(N, I, O), 0.0);
  double* sq = squares.data();
  // Each block's dx is computed from W before the block's update.
  backward_blocks(x, W, dy, nullptr, dx, N, I, O, 0.f, [&](int c, int i0, int r, float* g) {
    const size_t len = (size_t)r * O;
    if (l2 > 0.f) sq[c] = decay(W + (size_t)i0 * O, g, len, l2);
    apply_update(rule, W, g, (size_t)i0 * O, (size_t)i0 * O + len);
  });
  double total = 0;
  for (double s : squares) total += s;
  return total;
}

void dense_forward_naive(const float* x, const float* W, const float* b, float* y, int N, int I, int O,
                         bool relu) {
  for (int n = 0; n < N; n++) {
    for (int o = 0; o < O; o++) {
      double acc = b ? b[o] : 0.0;
      for (int i = 0; i < I; i++) acc += (double)x[(size_t)n * I + i] * W[(size_t)i * O + o];
      float v = (float)acc;
      y[(size_t)n * O + o] = relu && v < 0.f ? 0.f : v;
    }
  }
}

void dense_backward_naive(const float* x, const float* W, const float* dy, float* dW, float* db,
                          float* dx, int N, int I, int O) {
  if (dW) gemm_naive(true, false, I, O, N, 1.f, x, I, dy, O, 1.f, dW, O);
  if (db) {
    for (int o = 0; o < O; o++) {
      double acc = 0;
      for (int n = 0; n < N; n++) acc += dy[(size_t)n * O + o];
      db[o] += (float)acc;
    }
  }
  if (dx) gemm_naive(false, true, N, I, O, 1.f, dy, O, W, O, 1.f, dx, I);
}

}  // namespace gn
