// Thin C shim over OpenBLAS. This library changes rarely; the addon that links to it is rebuilt often.
#include <cblas.h>
#include <string.h>
#include "gn_blas.h"

extern char* openblas_get_corename(void);
extern char* openblas_get_config(void);

void gn_sgemm(int transA, int transB, int M, int N, int K, float alpha, const float* A, int lda,
              const float* B, int ldb, float beta, float* C, int ldc) {
  cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
              M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void gn_blas_set_threads(int n) { openblas_set_num_threads(n); }
int gn_blas_get_threads(void) { return openblas_get_num_threads(); }
const char* gn_blas_corename(void) { return openblas_get_corename(); }
const char* gn_blas_config(void) { return openblas_get_config(); }

// The release of the OpenBLAS actually linked, read from its configuration string
// ("OpenBLAS 0.3.29 DYNAMIC_ARCH ..."), so it is right for a system library too.
const char* gn_blas_version(void) {
  static char version[32];
  if (!version[0]) {
    const char* c = openblas_get_config();
    const char* p = c;
    while (*p == ' ') p++;
    if (!strncmp(p, "OpenBLAS ", 9)) p += 9;
    size_t n = 0;
    while (p[n] && p[n] != ' ' && n + 1 < sizeof version) n++;
    memcpy(version, p, n);
    version[n] = 0;
  }
  return version;
}
