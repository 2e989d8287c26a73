#include "kernels/batchnorm.h"

#include <cmath>
#include <cstddef>
#include <vector>

namespace gn {

// The fast versions stream rows (row-major order) and keep one double accumulator per column,
// so memory is read sequentially whatever K is; nothing walks a column with stride K.

void batchnorm_forward(const float* x, float* y, float* mean, float* invStd, int R, int K, float eps) {
  std::vector<double> acc((size_t)K, 0.0);
  for (int r = 0; r < R; r++) {
    const float* xr = x + (size_t)r * K;
    for (int k = 0; k < K; k++) acc[k] += xr[k];
  }
  std::vector<float> mu((size_t)K);
  for (int k = 0; k < K; k++) {
    mu[k] = (float)(acc[k] / R);
    acc[k] = 0.0;
  }
  for (int r = 0; r < R; r++) {
    const float* xr = x + (size_t)r * K;
    for (int k = 0; k < K; k++) {
      const double d = (double)xr[k] - mu[k];
      acc[k] += d * d;
    }
  }
  std::vector<float> inv((size_t)K);
  for (int k = 0; k < K; k++) {
    inv[k] = (float)(1.0 / std::sqrt(acc[k] / R + (double)eps));
    mean[k] = mu[k];
    invStd[k] = inv[k];
  }
  for (int r = 0; r < R; r++) {
    const float* xr = x + (size_t)r * K;
    float* yr = y + (size_t)r * K;
    for (int k = 0; k < K; k++) yr[k] = (xr[k] - mu[k]) * inv[k];
  }
}

void batchnorm_backward(const float* y, const float* invStd, const float* dy, float* dx, int R, int K) {
  std::vector<double> sdy((size_t)K, 0.0), sdyy((size_t)K, 0.0);
  for (int r = 0; r < R; r++) {
    const float* yr = y + (size_t)r * K;
    const float* gr = dy + (size_t)r * K;
    for (int k = 0; k < K; k++) {
      sdy[k] += gr[k];
      sdyy[k] += (double)gr[k] * yr[k];
    }
  }
  std::vector<float> mdy((size_t)K), mdyy((size_t)K);
  for (int k = 0; k < K; k++) {
    mdy[k] = (float)(sdy[k] / R);
    mdyy[k] = (float)(sdyy[k] / R);
  }
  for (int r = 0; r < R; r++) {
    const float* yr = y + (size_t)r * K;
    const float* gr = dy + (size_t)r * K;
    float* dr = dx + (size_t)r * K;
    for (int k = 0; k < K; k++) dr[k] += invStd[k] * (gr[k] - mdy[k] - yr[k] * mdyy[k]);
  }
}

void batchnorm_inference(const float* x, float* y, const float* mean, const float* variance, int R, int K,
                         float eps) {
  std::vector<float> inv((size_t)K);
  for (int k = 0; k < K; k++) inv[k] = (float)(1.0 / std::sqrt((double)variance[k] + (double)eps));
  for (int r = 0; r < R; r++) {
    const float* xr = x + (size_t)r * K;
    float* yr = y + (size_t)r * K;
    for (int k = 0; k < K; k++) yr[k] = (xr[k] - mean[k]) * inv[k];
  }
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
