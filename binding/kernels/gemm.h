// Matrix multiply: the optimized path (OpenBLAS through libgemmnet_blas) and a naive reference.
#pragma once
#include <cstddef>

namespace gn {

// Row-major C (M,N) = alpha * op(A) * op(B) + beta * C, op(A) (M,K), op(B) (K,N).
void gemm(bool transA, bool transB, int M, int N, int K, float alpha, const float* A, int lda,
          const float* B, int ldb, float beta, float* C, int ldc);
void gemm_naive(bool transA, bool transB, int M, int N, int K, float alpha, const float* A, int lda,
                const float* B, int ldb, float beta, float* C, int ldc);

void set_threads(int n);
int get_threads();

}  // namespace gn
