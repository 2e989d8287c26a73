// Batch normalization without learned scale/shift: each column of an (R,K) row-major matrix is
// normalized over its R rows. Images use R = N*H*W, K = C (per channel) or R = N, K = H*W*C (per
// activation, as the seed). Forward beside backward; naive column-walking references alongside.
#pragma once

namespace gn {

// x (R,K) -> y (R,K) = (x - mean) * invStd; writes mean (K) and invStd (K) = 1/sqrt(var + eps),
// var the biased variance over rows (two passes, sums in double). y may alias x. R >= 1.
void batchnorm_forward(const float* x, float* y, float* mean, float* invStd, int R, int K, float eps);
// y (R,K) the forward output, invStd (K), dy (R,K). Accumulates
// dx (R,K) += invStd * (dy - mean_r(dy) - y * mean_r(dy * y)) per column (overwrites dx when
// accumulate is false).
void batchnorm_backward(const float* y, const float* invStd, const float* dy, float* dx, int R, int K,
                        bool accumulate = true);
// x (R,K) -> y (R,K) = (x - mean) / sqrt(variance + eps) with given statistics (K). y may alias x.
void batchnorm_inference(const float* x, float* y, const float* mean, const float* variance, int R, int K,
                         float eps);

// The learned scale and shift of an affine batch norm, per column of (R,K):
// xhat (R,K) -> y (R,K) = xhat * gamma + beta (gamma, beta (K)). y must not alias xhat.
void scale_shift_forward(const float* xhat, const float* gamma, const float* beta, float* y, int R, int K);
// Accumulates dgamma (K) += sum_r dy * xhat and dbeta (K) += sum_r dy (sums in double); writes
// dxhat (R,K) = dy * gamma.
void scale_shift_backward(const float* xhat, const float* gamma, const float* dy, float* dgamma, float* dbeta,
                          float* dxhat, int R, int K);

// Naive references: one column at a time, in double.
void batchnorm_forward_naive(const float* x, float* y, float* mean, float* invStd, int R, int K, float eps);
void batchnorm_backward_naive(const float* y, const float* invStd, const float* dy, float* dx, int R, int K);
void batchnorm_inference_naive(const float* x, float* y, const float* mean, const float* variance, int R,
                               int K, float eps);

}  // namespace gn
