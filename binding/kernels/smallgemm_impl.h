// The body of small_gemm_avx2 / small_gemm_avx512, written once over a vector type V (see the two
// .cc files). Included inside namespace gn::<level> after V is defined; no include guard on purpose.
//
// V provides: kLanes, type, mask_t, mask(lanes) (the first `lanes` lanes), load(p), store(p, v),
// load(p, mask), store(p, v, mask) (masked-off lanes are neither read nor written), zero(), add(a, b),
// bcast(p) and fma(a, b, c) = a * b + c rounded once. kRows, kStrip: the tile (rows, vectors); kKc:
// the k-block; kSub: its sub-blocks; kMaxRows: rows per pass; kRowStrip: vectors of columns summed in
// registers at a time for one row of A.

// Rows of A per micro-tile and vectors of C per row: R * Vn accumulators plus Vn vectors of B and one
// broadcast fit the register file. A block of kc <= kKc values of k is summed in sub-blocks of at
// most kSub (so that the sub-block of B, kSub rows of a strip, stays in L1 while every row of A goes
// over it): the first sub-block starts from zero, the others from the partial sums in S (a tile of
// floats, row stride lds), and the last adds the block's sums to C. Storing a float accumulator and
// loading it again changes nothing, so every sub-block size gives the bits of one pass over kc.
// The lines of the next sub-block of a strip of B, prefetched into L2 one per k of the tiles that
// compute the current one (spread out, so that they never fill the core's line fill buffers at once).
struct Prefetch {
  const char* base = nullptr;
  size_t stride = 0;  // bytes between rows of B
  int lines = 0, rows = 0, r = 0, l = 0;
  void one() {
    if (r >= rows) return;
    __builtin_prefetch(base + r * stride + (size_t)l * 64, 0, 2);
    if (++l == lines) l = 0, r++;
  }
  void rest() {
    while (r < rows) one();
  }
};

template <int R, int Vn>
inline void tile(int kc, const float* A, int lda, const float* B, int ldb, float* C, int ldc, float* S, int lds,
                 bool first, bool lastSub, typename V::mask_t last, bool storeC, Prefetch& pf) {
  constexpr int L = V::kLanes;
  typename V::type acc[R][Vn];
  if (first) {
    for (int r = 0; r < R; r++)
      for (int v = 0; v < Vn; v++) acc[r][v] = V::zero();
  } else {
    // The last vector masked: S may be a strip of a wider matrix (block_sums), whose columns right
    // of the strip belong to the next strip or row.
    for (int r = 0; r < R; r++) {
      for (int v = 0; v < Vn - 1; v++) acc[r][v] = V::load(S + (size_t)r * lds + v * L);
      acc[r][Vn - 1] = V::load(S + (size_t)r * lds + (Vn - 1) * L, last);
    }
  }
  for (int k = 0; k < kc; k++) {
    pf.one();
    const float* b = B + (size_t)k * ldb;
    typename V::type bv[Vn];
    for (int v = 0; v < Vn - 1; v++) bv[v] = V::load(b + v * L);
    bv[Vn - 1] = V::load(b + (Vn - 1) * L, last);
    for (int r = 0; r < R; r++) {
      const typename V::type a = V::bcast(A + (size_t)r * lda + k);
      for (int v = 0; v < Vn; v++) acc[r][v] = V::fma(a, bv[v], acc[r][v]);
    }
  }
  if (!lastSub) {
    for (int r = 0; r < R; r++) {
      for (int v = 0; v < Vn - 1; v++) V::store(S + (size_t)r * lds + v * L, acc[r][v]);
      V::store(S + (size_t)r * lds + (Vn - 1) * L, acc[r][Vn - 1], last);
    }
    return;
  }
  if (storeC) {
    // The block's sums themselves (small_gemm adds them to C afterwards, in block order).
    for (int r = 0; r < R; r++) {
      float* c = C + (size_t)r * ldc;
      for (int v = 0; v < Vn - 1; v++) V::store(c + v * L, acc[r][v]);
      V::store(c + (Vn - 1) * L, acc[r][Vn - 1], last);
    }
    return;
  }
  for (int r = 0; r < R; r++) {
    float* c = C + (size_t)r * ldc;
    for (int v = 0; v < Vn - 1; v++) V::store(c + v * L, V::add(V::load(c + v * L), acc[r][v]));
    V::store(c + (Vn - 1) * L, V::add(V::load(c + (Vn - 1) * L, last), acc[r][Vn - 1]), last);
  }
}

// All rows of A, for one strip of Vn vectors of columns and one sub-block of k.
template <int Vn>
inline void strip(int M, int kc, const float* A, int lda, const float* B, int ldb, float* C, int ldc, float* S,
                  int lds, bool first, bool lastSub, typename V::mask_t lastLanes, bool storeC, Prefetch& pf) {
  int m = 0;
  for (; m + kRows <= M; m += kRows) {
    tile<kRows, Vn>(kc, A + (size_t)m * lda, lda, B, ldb, C + (size_t)m * ldc, ldc, S + (size_t)m * lds, lds, first,
                    lastSub, lastLanes, storeC, pf);
  }
  const float* a = A + (size_t)m * lda;
  float* c = C + (size_t)m * ldc;
  float* s = S + (size_t)m * lds;
  switch (M - m) {
    case 1: tile<1, Vn>(kc, a, lda, B, ldb, c, ldc, s, lds, first, lastSub, lastLanes, storeC, pf); break;
    case 2: tile<2, Vn>(kc, a, lda, B, ldb, c, ldc, s, lds, first, lastSub, lastLanes, storeC, pf); break;
    case 3: tile<3, Vn>(kc, a, lda, B, ldb, c, ldc, s, lds, first, lastSub, lastLanes, storeC, pf); break;
    case 4: tile<4 < kRows ? 4 : 1, Vn>(kc, a, lda, B, ldb, c, ldc, s, lds, first, lastSub, lastLanes, storeC, pf); break;
    case 5: tile<5 < kRows ? 5 : 1, Vn>(kc, a, lda, B, ldb, c, ldc, s, lds, first, lastSub, lastLanes, storeC, pf); break;
    default: break;
  }
}

// One row of A (M = 1), Vn vectors of columns (the last one masked to `lastLanes` when Tail) over kc
// values of k: the sums, each from zero with one fused multiply-add per k in increasing k (as tile()
// sums them), held in registers while the rows' segments of B stream through, then stored to s.
template <int Vn, bool Tail>
inline void row_strip(int kc, const float* a, const float* B, int ldb, float* s, typename V::mask_t lastLanes) {
  constexpr int L = V::kLanes;
  constexpr int Full = Tail ? Vn - 1 : Vn;
  typename V::type acc[Vn];
  for (int v = 0; v < Vn; v++) acc[v] = V::zero();
  for (int k = 0; k < kc; k++) {
    const float* row = B + (size_t)k * ldb;
    const typename V::type x = V::bcast(a + k);
    for (int v = 0; v < Full; v++) acc[v] = V::fma(x, V::load(row + v * L), acc[v]);
    if (Tail) acc[Vn - 1] = V::fma(x, V::load(row + (Vn - 1) * L, lastLanes), acc[Vn - 1]);
  }
  for (int v = 0; v < Full; v++) V::store(s + v * L, acc[v]);
  if (Tail) V::store(s + (Vn - 1) * L, acc[Vn - 1], lastLanes);
}

// One row of A (M = 1), k-blocks [b0, b1) (block b: k in [b kKc, (b + 1) kKc)), columns [n0, n1)
// (n0 a multiple of kLanes): block b's sums go to S + b N + n, each summed from zero with one fused
// multiply-add per k in increasing k, as tile() sums them. Two orders of the same operations:
// - stream: the sums stay in S (in L1) while the rows' column ranges of B stream through in order
//   (for whole rows, all of the block in memory order, which the hardware prefetches best: for a B
//   that comes from memory);
// - otherwise strips of kRowStrip vectors of columns are summed in registers over the whole block,
//   one row segment after the other (no loads and stores of S: for a B that is in cache).
void row_blocks(int b0, int b1, int n0, int n1, int N, int K, const float* A, const float* B, float* S, bool stream) {
  static_assert(kKc == kSmallGemmKc, "small_gemm's k-block is the same at every level");
  constexpr int L = V::kLanes;
  const int vecs = (n1 - n0) / L, tail = (n1 - n0) - vecs * L;
  const typename V::mask_t lastLanes = V::mask(tail);
  for (int b = b0; b < b1; b++) {
    const int k0 = b * kKc;
    const int kc = K - k0 < kKc ? K - k0 : kKc;
    float* s = S + (size_t)b * N + n0;
    const float* a = A + k0;
    const float* Bb = B + (size_t)k0 * N + n0;
    if (stream) {
      for (int v = 0; v < vecs; v++) V::store(s + v * L, V::zero());
      if (tail) V::store(s + vecs * L, V::zero(), lastLanes);
      for (int k = 0; k < kc; k++) {
        const float* row = Bb + (size_t)k * N;
        const typename V::type x = V::bcast(a + k);
        int v = 0;
        for (; v + 4 <= vecs; v += 4) {
          const typename V::type s0 = V::fma(x, V::load(row + v * L), V::load(s + v * L));
          const typename V::type s1 = V::fma(x, V::load(row + (v + 1) * L), V::load(s + (v + 1) * L));
          const typename V::type s2 = V::fma(x, V::load(row + (v + 2) * L), V::load(s + (v + 2) * L));
          const typename V::type s3 = V::fma(x, V::load(row + (v + 3) * L), V::load(s + (v + 3) * L));
          V::store(s + v * L, s0);
          V::store(s + (v + 1) * L, s1);
          V::store(s + (v + 2) * L, s2);
          V::store(s + (v + 3) * L, s3);
        }
        for (; v < vecs; v++) V::store(s + v * L, V::fma(x, V::load(row + v * L), V::load(s + v * L)));
        if (tail)
          V::store(s + vecs * L, V::fma(x, V::load(row + vecs * L, lastLanes), V::load(s + vecs * L, lastLanes)), lastLanes);
      }
      continue;
    }
    int v = 0;
    for (; v + kRowStrip <= vecs; v += kRowStrip) row_strip<kRowStrip, false>(kc, a, Bb + v * L, N, s + v * L, lastLanes);
    for (; v + 4 <= vecs; v += 4) row_strip<4, false>(kc, a, Bb + v * L, N, s + v * L, lastLanes);
    for (; v < vecs; v++) row_strip<1, false>(kc, a, Bb + v * L, N, s + v * L, lastLanes);
    if (tail) row_strip<1, true>(kc, a, Bb + vecs * L, N, s + vecs * L, lastLanes);
  }
}

void run(int M, int n0, int n1, int K, const float* A, int lda, const float* B, int ldb, float* C, int ldc) {
  constexpr int W = kStrip * V::kLanes;
  // Partial sums of the current strip between sub-blocks of k (up to kMaxRows rows).
  alignas(64) float S[kMaxRows * W];
  // One sub-block of a strip of B, packed (kSub rows of W floats).
  alignas(64) float P[kSub * W];
  for (int m0 = 0; m0 < M; m0 += kMaxRows) {
    const int rows = M - m0 < kMaxRows ? M - m0 : kMaxRows;
    const float* Am = A + (size_t)m0 * lda;
    float* Cm = C + (size_t)m0 * ldc;
    // Blocks of kKc rows of B; each strip of them is summed in sub-blocks of kSub rows, which stay in
    // L1 while every row of A goes over them.
    for (int k0 = 0; k0 < K; k0 += kKc) {
      const int kc = K - k0 < kKc ? K - k0 : kKc;
      for (int n = n0; n < n1; n += W) {
        const int width = n1 - n < W ? n1 - n : W;
        const int vecs = (width + V::kLanes - 1) / V::kLanes;
        const typename V::mask_t last = V::mask(width - (vecs - 1) * V::kLanes);
        for (int ks = 0; ks < kc; ks += kSub) {
          const int kk = kc - ks < kSub ? kc - ks : kSub;
          // The next sub-block of B into L2 while this one is computed: the strip's rows are
          // scattered (one per row stride of B), which the hardware prefetchers do not follow well.
          // Spread over the tiles' k loops (Prefetch), and what they did not reach at the end.
          const int next = k0 + ks + kSub;
          Prefetch pf;
          pf.base = (const char*)(B + (size_t)next * ldb + n);
          pf.stride = (size_t)ldb * sizeof(float);
          pf.lines = (width * (int)sizeof(float) + 63) / 64;
          pf.rows = next < K ? std::min(kSub, K - next) : 0;
          const float* Ak = Am + k0 + ks;
          const float* Bk = B + (size_t)(k0 + ks) * ldb + n;
          int ldk = ldb;
          if (rows > kRows) {
            // Several tiles of rows go over this sub-block: copy it once into a contiguous buffer,
            // so that their loads walk consecutive lines (and pages) instead of one row of B each.
            for (int k = 0; k < kk; k++) {
              const float* src = Bk + (size_t)k * ldb;
              float* dst = P + (size_t)k * W;
              for (int v = 0; v < vecs - 1; v++) V::store(dst + v * V::kLanes, V::load(src + v * V::kLanes));
              V::store(dst + (vecs - 1) * V::kLanes, V::load(src + (vecs - 1) * V::kLanes, last));
            }
            Bk = P;
            ldk = W;
          }
          const bool first = ks == 0, lastSub = ks + kk == kc;
          switch (vecs) {
            case 1: strip<1>(rows, kk, Ak, lda, Bk, ldk, Cm + n, ldc, S, W, first, lastSub, last, false, pf); break;
            case 2: strip<2 < kStrip ? 2 : kStrip>(rows, kk, Ak, lda, Bk, ldk, Cm + n, ldc, S, W, first, lastSub, last, false, pf); break;
            case 3: strip<3 < kStrip ? 3 : kStrip>(rows, kk, Ak, lda, Bk, ldk, Cm + n, ldc, S, W, first, lastSub, last, false, pf); break;
            case 4: strip<4 < kStrip ? 4 : kStrip>(rows, kk, Ak, lda, Bk, ldk, Cm + n, ldc, S, W, first, lastSub, last, false, pf); break;
            case 5: strip<5 < kStrip ? 5 : kStrip>(rows, kk, Ak, lda, Bk, ldk, Cm + n, ldc, S, W, first, lastSub, last, false, pf); break;
            default: strip<kStrip>(rows, kk, Ak, lda, Bk, ldk, Cm + n, ldc, S, W, first, lastSub, last, false, pf); break;
          }
          pf.rest();
        }
      }
    }
  }
}

// The sums of one k-block, rows [k0, k0 + kc) of B, over all N columns: stored to Sb (M rows of N),
// each from zero with one fused multiply-add per k in increasing k, as run() sums a block before
// adding it to C. B's rows are read a sub-block at a time, which is contiguous in memory (all
// columns), and the next sub-block of the block is prefetched into L2 a line per k of the tiles.
void block_sums(int M, int N, int k0, int kc, const float* A, int lda, const float* B, int ldb, float* Sb) {
  constexpr int W = kStrip * V::kLanes;
  alignas(64) float P[kSub * W];
  for (int ks = 0; ks < kc; ks += kSub) {
    const int kk = kc - ks < kSub ? kc - ks : kSub;
    const float* Ak = A + k0 + ks;
    Prefetch pf;
    const int next = ks + kSub;
    pf.base = (const char*)(B + (size_t)(k0 + next) * ldb);
    pf.stride = (size_t)ldb * sizeof(float);
    pf.lines = (N * (int)sizeof(float) + 63) / 64;
    pf.rows = next < kc ? std::min(kSub, kc - next) : 0;
    const bool first = ks == 0, lastSub = ks + kk == kc;
    for (int n = 0; n < N; n += W) {
      const int width = N - n < W ? N - n : W;
      const int vecs = (width + V::kLanes - 1) / V::kLanes;
      const typename V::mask_t last = V::mask(width - (vecs - 1) * V::kLanes);
      const float* Bk = B + (size_t)(k0 + ks) * ldb + n;
      int ldk = ldb;
      if (M > kRows) {
        for (int k = 0; k < kk; k++) {
          const float* src = Bk + (size_t)k * ldb;
          float* dst = P + (size_t)k * W;
          for (int v = 0; v < vecs - 1; v++) V::store(dst + v * V::kLanes, V::load(src + v * V::kLanes));
          V::store(dst + (vecs - 1) * V::kLanes, V::load(src + (vecs - 1) * V::kLanes, last));
        }
        Bk = P;
        ldk = W;
      }
      float* c = Sb + n;
      switch (vecs) {
        case 1: strip<1>(M, kk, Ak, lda, Bk, ldk, c, N, c, N, first, lastSub, last, true, pf); break;
        case 2: strip<2 < kStrip ? 2 : kStrip>(M, kk, Ak, lda, Bk, ldk, c, N, c, N, first, lastSub, last, true, pf); break;
        case 3: strip<3 < kStrip ? 3 : kStrip>(M, kk, Ak, lda, Bk, ldk, c, N, c, N, first, lastSub, last, true, pf); break;
        case 4: strip<4 < kStrip ? 4 : kStrip>(M, kk, Ak, lda, Bk, ldk, c, N, c, N, first, lastSub, last, true, pf); break;
        case 5: strip<5 < kStrip ? 5 : kStrip>(M, kk, Ak, lda, Bk, ldk, c, N, c, N, first, lastSub, last, true, pf); break;
        default: strip<kStrip>(M, kk, Ak, lda, Bk, ldk, c, N, c, N, first, lastSub, last, true, pf); break;
      }
    }
    pf.rest();
  }
}
