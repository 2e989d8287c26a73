#include "kernels/batchnorm.h"

#include <cmath>
#include <cstddef>
#include <vector>

#include "kernels/parallel.h"

namespace gn {

// The fast versions stream rows (row-major order) and keep one double accumulator per column, so
// memory is read sequentially whatever K is; nothing walks a column with stride K. Sums run over
// the pool by ranges of columns (each column summed whole, in row order, so the result does not
// depend on the threads); the elementwise passes run by ranges of rows.

namespace {

// Columns per range of a column-split sum, and rows per range of an elementwise pass.
constexpr size_t kColGrain = 16;
constexpr size_t kElemGrain = 32768;

size_t row_grain(int K) { return kElemGrain / (size_t)(K > 0 ? K : 1) + 1; }

}  // namespace

void batchnorm_forward(const float* x, float* y, float* mean, float* invStd, int R, int K, float eps) {
  // mean and invStd are written once, by column range; the normalizing pass reads them.
  parallel_ranges((size_t)K, kColGrain, [&](size_t k0, size_t k1) {
    std::vector<double> acc(k1 - k0, 0.0);
    for (int r = 0; r < R; r++) {
      const float* xr = x + (size_t)r * K;
      for (size_t k = k0; k < k1; k++) acc[k - k0] += xr[k];
    }
    for (size_t k = k0; k < k1; k++) {
      mean[k] = (float)(acc[k - k0] / R);
      acc[k - k0] = 0.0;
    }
    for (int r = 0; r < R; r++) {
      const float* xr = x + (size_t)r * K;
      for (size_t k = k0; k < k1; k++) {
        const double d = (double)xr[k] - mean[k];
        acc[k - k0] += d * d;
      }
    }
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
  std::vector<double> sg(K, 0.0), sb(K, 0.0);
  for (size_t r = 0; r < (size_t)R; r++) {
    const float* xr = xhat + r * K;
    const float* gr = dy + r * K;
    float* dr = dxhat + r * K;
    for (int k = 0; k < K; k++) {
      sg[k] += (double)gr[k] * xr[k];
      sb[k] += gr[k];
      dr[k] = gr[k] * gamma[k];
    }
  }
  for (int k = 0; k < K; k++) {
    dgamma[k] += (float)sg[k];
    dbeta[k] += (float)sb[k];
  }
}

void batchnorm_backward(const float* y, const float* invStd, const float* dy, float* dx, int R, int K,
                        bool accumulate) {
  std::vector<float> mdy((size_t)K), mdyy((size_t)K);
  parallel_ranges((size_t)K, kColGrain, [&](size_t k0, size_t k1) {
    std::vector<double> sdy(k1 - k0, 0.0), sdyy(k1 - k0, 0.0);
    for (int r = 0; r < R; r++) {
      const float* yr = y + (size_t)r * K;
      const float* gr = dy + (size_t)r * K;
      for (size_t k = k0; k < k1; k++) {
        sdy[k - k0] += gr[k];
        sdyy[k - k0] += (double)gr[k] * yr[k];
      }
    }
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
