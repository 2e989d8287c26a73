#include "kernels/smallgemm.h"

#include <algorithm>

#include "kernels/cpu.h"
#include "kernels/parallel.h"

namespace gn {

bool small_gemm_fits(int M, int N, int K) {
  // Up to 48 rows (at 64 OpenBLAS's packing is paid back), and at least the work at which gemm()
  // goes parallel; the scalar level keeps OpenBLAS.
  return simd_level() != Simd::Scalar && M >= 1 && M <= 48 && N >= 16 && (double)M * N * K >= 4.0e6;
}

constexpr int kSmallGemmBlocks = 8;

void small_gemm(int M, int N, int K, const float* A, const float* B, float* C,
                const std::function<void(int, int)>& before, const std::function<void(int, int)>& after) {
  // Blocks of whole 16-column groups, a fixed number of them (not per thread, so that the cut, and
  // with it every result, is the same for any thread count): each thread streams its own columns of B.
  const int groups = (N + 15) / 16;
  const int blocks = std::max(1, std::min(kSmallGemmBlocks, groups));
#if defined(__x86_64__)
  const bool wide = simd_level() == Simd::Avx512;
#endif
  parallel_for(blocks, [&](int c) {
    const int n0 = std::min(N, (int)((long)groups * c / blocks) * 16);
    const int n1 = std::min(N, (int)((long)groups * (c + 1) / blocks) * 16);
    if (n0 >= n1) return;
    before(n0, n1);
#if defined(__x86_64__)
    if (wide) small_gemm_avx512(M, n0, n1, K, A, K, B, N, C, N);
    else small_gemm_avx2(M, n0, n1, K, A, K, B, N, C, N);
#elif defined(__aarch64__)
    small_gemm_neon(M, n0, n1, K, A, K, B, N, C, N);
#endif
    after(n0, n1);
  });
}

}  // namespace gn
