#include "kernels/batchnorm.h"

#include <cmath>
#include <cstddef>
#include <vector>

#include "kernels/cpu.h"
#include "kernels/parallel.h"

namespace gn {

namespace batchnorm_scalar {
#include "kernels/batchnorm_impl.h"
}  // namespace batchnorm_scalar

#if defined(__x86_64__)
#define GN_BN_DECLARE(ns)                                                                                  \
  namespace ns {                                                                                           \
  void col_sums(const float* x, const float* mean, int R, int K, size_t k0, size_t k1, double* out);       \
  void col_sum_dot(const float* a, const float* b, int R, int K, size_t k0, size_t k1, double* sa,          \
                   double* sab);                                                                           \
  void scale_shift_cols(const float* xhat, const float* gamma, const float* dy, float* dxhat, int R, int K, \
                        size_t k0, size_t k1, double* sdyx, double* sdy);                                  \
  }
GN_BN_DECLARE(batchnorm_avx2)
GN_BN_DECLARE(batchnorm_avx512)
#undef GN_BN_DECLARE
// The column sums at the CPU's SIMD level (the same bits at every level).
#define GN_BN(call)                                                 \
  do {                                                              \
    const Simd level = simd_level();                                \
    if (level == Simd::Avx512) batchnorm_avx512::call;              \
    else if (level == Simd::Avx2) batchnorm_avx2::call;             \
    else batchnorm_scalar::call;                                    \
  } while (0)
#else
#define GN_BN(call) batchnorm_scalar::call
#endif

// The fast versions stream rows (row-major order) and keep one double accumulator per column, so
// memory is read sequentially whatever K is; nothing walks a column with stride K. Sums run over
// the pool by ranges of columns (each column summed whole, in row order, so the result does not
// depend on the threads), in vector registers at the CPU's SIMD level (batchnorm_impl.h); the
// elementwise passes run by ranges of rows.

namespace {

// Columns per range of a column-split sum, and rows per range of an elementwise pass.
constexpr size_t kColGrain = 16;
constexpr size_t kElemGrain = 32768;

size_t row_grain(int K) { return kElemGrain / (size_t)(K > 0 ? K : 1) + 1; }

// Columns per range of the column sums: kColGrain, or all of them when the matrix is small enough
// that waking the pool costs more than summing (one sample's channels, say).
size_t col_grain(int R, int K) { return (size_t)R * (size_t)K < kElemGrain * 2 ? (size_t)K : kColGrain; }

}  // namespace

void batchnorm_forward(const float* x, float* y, float* mean, float* invStd, int R, int K, float eps) {
  // mean and invStd are written once, by column range; the normalizing pass reads them.
  parallel_ranges((size_t)K, col_grain(R, K), [&](size_t k0, size_t k1) {
    std::vector<double> acc(k1 - k0, 0.0);
    GN_BN(col_sums(x, nullptr, R, K, k0, k1, acc.data()));
    for (size_t k = k0; k < k1; k++) mean[k] = (float)(acc[k - k0] / R);
    GN_BN(col_sums(x, mean, R, K, k0, k1, acc.data()));
    for (size_t k = k0; k < k1; k++) invStd[k] = (float)(1.0 / std::sqrt(acc[k - k0] / R + (double)eps));
  });
  parallel_ranges((size_t)R, row_grain(K), [&](size_t r0, size_t r1) {
    for (size_t r = r0; r < r1; r++) {
      const float* xr = x + r * K;
      float* yr = y + r * K;
      for (int k = 0; k < K; k++) yr[k] = (xr[k] - mean[k]) * invStd[k];
    }
  });
}

void scale_shift_forward(const float* xhat, const float* gamma, const float* beta, float* y, int R, int K) {
  parallel_ranges((size_t)R, 16384 / (size_t)K + 1, [&](size_t r0, size_t r1) {
    for (size_t r = r0; r < r1; r++) {
      const float* __restrict xr = xhat + r * K;
      float* __restrict yr = y + r * K;
      for (int k = 0; k < K; k++) yr[k] = xr[k] * gamma[k] + beta[k];
    }
  });
}

void scale_shift_backward(const float* xhat, const float* gamma, const float* dy, float* dgamma, float* dbeta,
                          float* dxhat, int R, int K) {
  parallel_ranges((size_t)K, col_grain(R, K), [&](size_t k0, size_t k1) {
    std::vector<double> sg(k1 - k0), sb(k1 - k0);
    GN_BN(scale_shift_cols(xhat, gamma, dy, dxhat, R, K, k0, k1, sg.data(), sb.data()));
    for (size_t k = k0; k < k1; k++) {
      dgamma[k] += (float)sg[k - k0];
      dbeta[k] += (float)sb[k - k0];
    }
  });
}

void batchnorm_backward(const float* y, const float* invStd, const float* dy, float* dx, int R, int K,
                        bool accumulate) {
  std::vector<float> mdy((size_t)K), mdyy((size_t)K);
  parallel_ranges((size_t)K, col_grain(R, K), [&](size_t k0, size_t k1) {
    std::vector<double> sdy(k1 - k0), sdyy(k1 - k0);
    GN_BN(col_sum_dot(dy, y, R, K, k0, k1, sdy.data(), sdyy.data()));
    for (size_t k = k0; k < k1; k++) {
      mdy[k] = (float)(sdy[k - k0] / R);
      mdyy[k] = (float)(sdyy[k - k0] / R);
    }
  });
  parallel_ranges((size_t)R, row_grain(K), [&](size_t r0, size_t r1) {
    for (size_t r = r0; r < r1; r++) {
      const float* yr = y + r * K;
      const float* gr = dy + r * K;
      float* dr = dx + r * K;
      if (accumulate)
        for (int k = 0; k < K; k++) dr[k] += invStd[k] * (gr[k] - mdy[k] - yr[k] * mdyy[k]);
      else
        for (int k = 0; k < K; k++) dr[k] = invStd[k] * (gr[k] - mdy[k] - yr[k] * mdyy[k]);
    }
  });
}

void batchnorm_inference(const float* x, float* y, const float* mean, const float* variance, int R, int K,
                         float eps) {
  std::vector<float> inv((size_t)K);
  for (int k = 0; k < K; k++) inv[k] = (float)(1.0 / std::sqrt((double)variance[k] + (double)eps));
  parallel_ranges((size_t)R, row_grain(K), [&](size_t r0, size_t r1) {
    for (size_t r = r0; r < r1; r++) {
      const float* xr = x + r * K;
      float* yr = y + r * K;
      for (int k = 0; k < K; k++) yr[k] = (xr[k] - mean[k]) * inv[k];
    }
  });
}

void batchnorm_forward_naive(const float* x, float* y, float* mean, float* invStd, int R, int K, float eps) {
  for (int k = 0; k < K; k++) {
    double s = 0;
    for (int r = 0; r < R; r++) s += x[(size_t)r * K + k];
    const double mu = s / R;
    double v = 0;
    for (int r = 0; r < R; r++) {
      const double d = x[(size_t)r * K + k] - mu;
      v += d * d;
    }
    const double inv = 1.0 / std::sqrt(v / R + (double)eps);
    for (int r = 0; r < R; r++) y[(size_t)r * K + k] = (float)((x[(size_t)r * K + k] - mu) * inv);
    mean[k] = (float)mu;
    invStd[k] = (float)inv;
  }
}

void batchnorm_backward_naive(const float* y, const float* invStd, const float* dy, float* dx, int R, int K) {
  for (int k = 0; k < K; k++) {
    double sdy = 0, sdyy = 0;
    for (int r = 0; r < R; r++) {
      sdy += dy[(size_t)r * K + k];
      sdyy += (double)dy[(size_t)r * K + k] * y[(size_t)r * K + k];
    }
    const double mdy = sdy / R, mdyy = sdyy / R;
    for (int r = 0; r < R; r++) {
      const size_t i = (size_t)r * K + k;
      dx[i] += (float)(invStd[k] * (dy[i] - mdy - (double)y[i] * mdyy));
    }
  }
}

void batchnorm_inference_naive(const float* x, float* y, const float* mean, const float* variance, int R,
                               int K, float eps) {
  for (int k = 0; k < K; k++) {
    const double sd = std::sqrt((double)variance[k] + (double)eps);
    for (int r = 0; r < R; r++) y[(size_t)r * K + k] = (float)((x[(size_t)r * K + k] - mean[k]) / sd);
  }
}

}  // namespace gn
