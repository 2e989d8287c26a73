#include "kernels/gemm.h"

#include "blas/gn_blas.h"

namespace gn {

void gemm(bool transA, bool transB, int M, int N, int K, float alpha, const float* A, int lda,
          const float* B, int ldb, float beta, float* C, int ldc) {
  if (M == 0 || N == 0) return;
  gn_sgemm(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void gemm_naive(bool transA, bool transB, int M, int N, int K, float alpha, const float* A, int lda,
                const float* B, int ldb, float beta, float* C, int ldc) {
  for (int i = 0; i < M; i++) {
    for (int j = 0; j < N; j++) {
      double acc = 0;
      for (int k = 0; k < K; k++) {
        float a = transA ? A[(size_t)k * lda + i] : A[(size_t)i * lda + k];
        float b = transB ? B[(size_t)j * ldb + k] : B[(size_t)k * ldb + j];
        acc += (double)a * b;
      }
      float& c = C[(size_t)i * ldc + j];
      c = (float)(alpha * acc + (beta == 0.f ? 0.0 : (double)beta * c));
    }
  }
}

void set_threads(int n) { gn_blas_set_threads(n); }
int get_threads() { return gn_blas_get_threads(); }

}  // namespace gn
