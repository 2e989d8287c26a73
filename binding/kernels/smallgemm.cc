#include "kernels/smallgemm.h"

#include <algorithm>
#include <vector>

#include "kernels/cpu.h"
#include "kernels/parallel.h"

namespace gn {

bool small_gemm_fits(int M, int N, int K) {
  // Up to 48 rows (at 64 OpenBLAS's packing is paid back), and at least the work at which gemm()
  // goes parallel; the scalar level keeps OpenBLAS.
  return simd_level() != Simd::Scalar && M >= 1 && M <= 48 && N >= 16 && (double)M * N * K >= 4.0e6;
}

constexpr int kSmallGemmBlocks = 8;

namespace {

// Chunks of k-blocks for one row of A: a constant, so that the cut does not depend on the thread
// count (nor do the bits: the blocks' sums are added in block order whatever the cut).
constexpr int kRowChunks = 8;

void row(int b0, int b1, int N, int K, const float* A, const float* B, float* S) {
#if defined(__x86_64__)
  if (simd_level() == Simd::Avx512) small_gemm_row_avx512(b0, b1, N, K, A, B, S);
  else small_gemm_row_avx2(b0, b1, N, K, A, B, S);
#elif defined(__aarch64__)
  small_gemm_row_neon(b0, b1, N, K, A, B, S);
#endif
}

}  // namespace

void small_gemm(int M, int N, int K, const float* A, const float* B, float* C,
                const std::function<void(int, int)>& before, const std::function<void(int, int)>& after) {
  if (M == 1) {
    // One sample: the threads split k, each streaming whole rows of B in order, and the blocks' sums
    // are added to C in block order, which gives the bits of the column strips below.
    const int blocks = (K + kSmallGemmKc - 1) / kSmallGemmKc;
    thread_local std::vector<float> sums;
    if (sums.size() < (size_t)blocks * N) sums.resize((size_t)blocks * N);
    float* S = sums.data();
    const int chunks = std::min(kRowChunks, blocks);
    parallel_for(chunks, [&](int c) { row(blocks * c / chunks, blocks * (c + 1) / chunks, N, K, A, B, S); });
    before(0, N);
    for (int b = 0; b < blocks; b++) {
      const float* s = S + (size_t)b * N;
      for (int n = 0; n < N; n++) C[n] += s[n];
    }
    after(0, N);
    return;
  }
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
