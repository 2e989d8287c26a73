// Matrix multiply for a few rows: C (M,N) += A (M,K) B (K,N), row-major, M up to a few dozen (a
// dense layer's forward pass at a small batch). OpenBLAS packs all of B for every call, and with so
// few rows of A to reuse it the copy costs about as much as the arithmetic: these kernels read B in
// place instead, a strip of columns at a time, kept in cache across the rows of A.
//
// Each C element gets C + sum_k A[m,k] B[k,n]: per block of 256 k, the products are accumulated from
// zero with one fused multiply-add per k in increasing k, then added to C; the AVX2, AVX-512 and NEON
// versions do exactly this and give the same bits.
#pragma once
#include <functional>

namespace gn {

// Rows [0, M) of C, columns [n0, n1). lda, ldb, ldc: row strides.
void small_gemm_avx2(int M, int n0, int n1, int K, const float* A, int lda, const float* B, int ldb, float* C,
                     int ldc);
void small_gemm_avx512(int M, int n0, int n1, int K, const float* A, int lda, const float* B, int ldb,
                       float* C, int ldc);

void small_gemm_neon(int M, int n0, int n1, int K, const float* A, int lda, const float* B, int ldb, float* C,
                     int ldc);

// One row of A (M = 1): the sums of k-blocks [b0, b1) over columns [n0, n1) (n0 a multiple of 16),
// block b's into S + b N (B's row stride is N). Added to C in block order (small_gemm does), they
// give the bits of the above. stream: in B's memory order (for a B read from memory), else in
// column strips held in registers (for a B in cache); the same bits either way.
void small_gemm_row_avx2(int b0, int b1, int n0, int n1, int N, int K, const float* A, const float* B, float* S,
                         bool stream);
void small_gemm_row_avx512(int b0, int b1, int n0, int n1, int N, int K, const float* A, const float* B, float* S,
                           bool stream);
void small_gemm_row_neon(int b0, int b1, int n0, int n1, int N, int K, const float* A, const float* B, float* S,
                         bool stream);
// The sums of one k-block (rows [k0, k0 + kc) of B, kc <= kSmallGemmKc) for M rows and all N columns,
// stored to Sb (M rows of N): added to C in block order, they give the bits of the above.
void small_gemm_block_avx2(int M, int N, int k0, int kc, const float* A, int lda, const float* B, int ldb, float* Sb);
void small_gemm_block_avx512(int M, int N, int k0, int kc, const float* A, int lda, const float* B, int ldb, float* Sb);
void small_gemm_block_neon(int M, int N, int k0, int kc, const float* A, int lda, const float* B, int ldb, float* Sb);
// The k-block of every level: each block's products are summed from zero, then added to C.
constexpr int kSmallGemmKc = 256;

// Whether small_gemm (below) takes this shape at the CPU's SIMD level: few rows, and enough work to
// be worth the pool.
bool small_gemm_fits(int M, int N, int K);
// C (M,N) += A (M,K) B (K,N) (tightly packed) over the thread pool, at the CPU's SIMD level; only for
// shapes small_gemm_fits. Each block of columns [n0, n1) is prepared by before(n0, n1) (e.g. filling
// in a bias) and finished by after(n0, n1) (e.g. a ReLU pass) on the thread that computes it.
void small_gemm(int M, int N, int K, const float* A, const float* B, float* C,
                const std::function<void(int, int)>& before, const std::function<void(int, int)>& after);

}  // namespace gn
