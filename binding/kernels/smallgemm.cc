#include "kernels/smallgemm.h"

#include <algorithm>
#include <vector>

#include "kernels/cpu.h"
#include "kernels/parallel.h"

namespace gn {

namespace {
// One row of A (a single sample) goes over the pool from about 1 MB of B: its columns are split over
// the threads, each reading its own part of B (which stays in its core's cache between calls), so
// two cores read B about twice as fast as one.
constexpr double kRowMinMacs = 2.5e5;
}  // namespace

bool small_gemm_fits(int M, int N, int K) {
  // Up to 48 rows (at 64 OpenBLAS's packing is paid back), and at least the work at which gemm()
  // goes parallel; the scalar level keeps OpenBLAS.
  return simd_level() != Simd::Scalar && M >= 1 && M <= 48 && N >= 16 &&
         (double)M * N * K >= (M == 1 ? kRowMinMacs : 4.0e6);
}

constexpr int kSmallGemmBlocks = 8;

namespace {

// Column parts, or chunks of k-blocks, for one row of A: constants, so that the cut does not depend
// on the thread count (nor do the bits: every task sums whole k-blocks, added in block order
// whatever the cut).
constexpr int kRowParts = 8;
constexpr int kRowChunks = 8;
// Up to this size B is taken to stay in the cores' caches between calls (two cores' L2 here).
constexpr double kRowCachedBytes = 4.0 * 1024 * 1024;

void row(int b0, int b1, int n0, int n1, int N, int K, const float* A, const float* B, float* S, bool stream) {
#if defined(__x86_64__)
  if (simd_level() == Simd::Avx512) small_gemm_row_avx512(b0, b1, n0, n1, N, K, A, B, S, stream);
  else small_gemm_row_avx2(b0, b1, n0, n1, N, K, A, B, S, stream);
#elif defined(__aarch64__)
  small_gemm_row_neon(b0, b1, n0, n1, N, K, A, B, S, stream);
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
    if ((double)K * N * sizeof(float) > kRowCachedBytes) {
      // B from memory: chunks of whole k-blocks, each streamed in memory order.
      const int chunks = std::min(kRowChunks, blocks);
      parallel_for(chunks, [&](int c) { row(blocks * c / chunks, blocks * (c + 1) / chunks, 0, N, N, K, A, B, S, true); });
    } else {
      // B fits the cores' caches: tasks of one k-block by one part of the columns, parts first. The
      // pool's threads each take a contiguous run of tasks, so each gets whole column parts (the
      // same columns of B on every call, which then stay in its core's cache) and about the same share.
      const int groups = (N + 15) / 16;
      const int parts = std::max(1, std::min(kRowParts, groups / 16));
      parallel_for(parts * blocks, [&](int t) {
        const int p = t / blocks, b = t % blocks;
        const int n0 = std::min(N, (int)((long)groups * p / parts) * 16);
        const int n1 = std::min(N, (int)((long)groups * (p + 1) / parts) * 16);
        if (n0 < n1) row(b, b + 1, n0, n1, N, K, A, B, S, false);
      });
    }
    before(0, N);
    for (int b = 0; b < blocks; b++) {
      const float* s = S + (size_t)b * N;
      for (int n = 0; n < N; n++) C[n] += s[n];
    }
    after(0, N);
    return;
  }
  if ((double)K * N * sizeof(float) > kRowCachedBytes && K >= 4 * kSmallGemmKc) {
    // B from memory (the CNN's FC1: 20 MB): tasks of one k-block each, over all columns, whose rows
    // of B are contiguous (in strips of columns, each row's segment of a strip is a line or a few,
    // a row stride apart, which no prefetcher follows); the blocks' sums then go into C in block
    // order, by ranges of columns: the bits of the column strips below.
    const int blocks = (K + kSmallGemmKc - 1) / kSmallGemmKc;
    const size_t per = (size_t)M * N;
    thread_local std::vector<float> sums;
    if (sums.size() < (size_t)blocks * per) sums.resize((size_t)blocks * per);
    float* S = sums.data();
    parallel_for(blocks, [&](int b) {
      const int k0 = b * kSmallGemmKc, kc = std::min(kSmallGemmKc, K - k0);
#if defined(__x86_64__)
      if (simd_level() == Simd::Avx512) small_gemm_block_avx512(M, N, k0, kc, A, K, B, N, S + b * per);
      else small_gemm_block_avx2(M, N, k0, kc, A, K, B, N, S + b * per);
#elif defined(__aarch64__)
      small_gemm_block_neon(M, N, k0, kc, A, K, B, N, S + b * per);
#endif
    });
    const int groups = (N + 15) / 16;
    const int parts = std::max(1, std::min(kSmallGemmBlocks, groups));
    parallel_for(parts, [&](int c) {
      const int n0 = std::min(N, (int)((long)groups * c / parts) * 16);
      const int n1 = std::min(N, (int)((long)groups * (c + 1) / parts) * 16);
      if (n0 >= n1) return;
      before(n0, n1);
      for (int b = 0; b < blocks; b++)
        for (int m = 0; m < M; m++) {
          const float* s = S + b * per + (size_t)m * N;
          float* c = C + (size_t)m * N;
          for (int n = n0; n < n1; n++) c[n] += s[n];
        }
      after(n0, n1);
    });
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
