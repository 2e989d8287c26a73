// Matrix multiply: the optimized path (OpenBLAS through libgemmnet_blas) and a naive reference.
#pragma once
#include <cstddef>
#include <functional>

namespace gn {

// Row-major C (M,N) = alpha * op(A) * op(B) + beta * C, op(A) (M,K), op(B) (K,N).
void gemm(bool transA, bool transB, int M, int N, int K, float alpha, const float* A, int lda,
          const float* B, int ldb, float beta, float* C, int ldc);
// gemm, with before(r0, r1, c0, c1) and after(...) run on the thread that computes the block of C
// rows [r0, r1) x columns [c0, c1), just before and after its product (e.g. filling in a bias, then a
// ReLU, while the block is in cache); either may be empty. The blocks are gemm()'s own.
using GemmBlockFn = std::function<void(int, int, int, int)>;
void gemm_blocks(bool transA, bool transB, int M, int N, int K, float alpha, const float* A, int lda,
                 const float* B, int ldb, float beta, float* C, int ldc, const GemmBlockFn& before,
                 const GemmBlockFn& after);
void gemm_naive(bool transA, bool transB, int M, int N, int K, float alpha, const float* A, int lda,
                const float* B, int ldb, float beta, float* C, int ldc);

void set_threads(int n);
int get_threads();

}  // namespace gn
