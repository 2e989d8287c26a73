// The BLAS surface gemmnet uses. Implemented by libgemmnet_blas.so, which carries OpenBLAS statically
// linked with its symbols hidden, so the addon needs no system BLAS.
#pragma once
#ifdef __cplusplus
extern "C" {
#endif

#define GN_BLAS_API __attribute__((visibility("default")))

// Row-major C (M,N) = alpha * op(A) (M,K) * op(B) (K,N) + beta * C. trans: 0 = no, 1 = transpose.
GN_BLAS_API void gn_sgemm(int transA, int transB, int M, int N, int K, float alpha, const float* A,
                          int lda, const float* B, int ldb, float beta, float* C, int ldc);
GN_BLAS_API void gn_blas_set_threads(int n);
GN_BLAS_API int gn_blas_get_threads(void);
GN_BLAS_API const char* gn_blas_corename(void);
GN_BLAS_API const char* gn_blas_config(void);
// The OpenBLAS release, e.g. "0.3.29".
GN_BLAS_API const char* gn_blas_version(void);

#ifdef __cplusplus
}
#endif
