// The body of small_gemm_avx2 / small_gemm_avx512, written once over a vector type V (see the two
// .cc files). Included inside namespace gn::<level> after V is defined; no include guard on purpose.
//
// V provides: kLanes, type, mask_t, mask(lanes) (the first `lanes` lanes), load(p), store(p, v),
// load(p, mask), store(p, v, mask) (masked-off lanes are neither read nor written), zero(), add(a, b),
// bcast(p) and fma(a, b, c) = a * b + c rounded once. kRows, kStrip, kKc: the tile and block sizes.

// Rows of A per micro-tile and vectors of C per row: R * Vn accumulators plus Vn vectors of B and one
// broadcast fit the register file.
template <int R, int Vn>
inline void tile(int kc, const float* A, int lda, const float* B, int ldb, float* C, int ldc,
                 typename V::mask_t last) {
  constexpr int L = V::kLanes;
  // The block's products are summed from zero and then added to C: rounding errors grow with the
  // block length (kKc) and the number of blocks, not with the whole K.
  typename V::type acc[R][Vn];
  for (int r = 0; r < R; r++)
    for (int v = 0; v < Vn; v++) acc[r][v] = V::zero();
  for (int k = 0; k < kc; k++) {
    const float* b = B + (size_t)k * ldb;
    typename V::type bv[Vn];
    for (int v = 0; v < Vn - 1; v++) bv[v] = V::load(b + v * L);
    bv[Vn - 1] = V::load(b + (Vn - 1) * L, last);
    for (int r = 0; r < R; r++) {
      const typename V::type a = V::bcast(A + (size_t)r * lda + k);
      for (int v = 0; v < Vn; v++) acc[r][v] = V::fma(a, bv[v], acc[r][v]);
    }
  }
  for (int r = 0; r < R; r++) {
    float* c = C + (size_t)r * ldc;
    for (int v = 0; v < Vn - 1; v++) V::store(c + v * L, V::add(V::load(c + v * L), acc[r][v]));
    V::store(c + (Vn - 1) * L, V::add(V::load(c + (Vn - 1) * L, last), acc[r][Vn - 1]), last);
  }
}

// All rows of A, for one strip of Vn vectors of columns.
template <int Vn>
inline void strip(int M, int kc, const float* A, int lda, const float* B, int ldb, float* C, int ldc,
                  typename V::mask_t lastLanes) {
  int m = 0;
  for (; m + kRows <= M; m += kRows) {
    tile<kRows, Vn>(kc, A + (size_t)m * lda, lda, B, ldb, C + (size_t)m * ldc, ldc, lastLanes);
  }
  const float* a = A + (size_t)m * lda;
  float* c = C + (size_t)m * ldc;
  switch (M - m) {
    case 1: tile<1, Vn>(kc, a, lda, B, ldb, c, ldc, lastLanes); break;
    case 2: tile<2, Vn>(kc, a, lda, B, ldb, c, ldc, lastLanes); break;
    case 3: tile<3, Vn>(kc, a, lda, B, ldb, c, ldc, lastLanes); break;
    case 4: tile<4 < kRows ? 4 : 1, Vn>(kc, a, lda, B, ldb, c, ldc, lastLanes); break;
    case 5: tile<5 < kRows ? 5 : 1, Vn>(kc, a, lda, B, ldb, c, ldc, lastLanes); break;
    default: break;
  }
}

void run(int M, int n0, int n1, int K, const float* A, int lda, const float* B, int ldb, float* C, int ldc) {
  // Blocks of kKc rows of B: a strip of them stays in L1/L2 while every row of A goes over it.
  for (int k0 = 0; k0 < K; k0 += kKc) {
    const int kc = K - k0 < kKc ? K - k0 : kKc;
    const float* Ak = A + k0;
    const float* Bk = B + (size_t)k0 * ldb;
    for (int n = n0; n < n1; n += kStrip * V::kLanes) {
      const int width = n1 - n < kStrip * V::kLanes ? n1 - n : kStrip * V::kLanes;
      const int vecs = (width + V::kLanes - 1) / V::kLanes;
      const typename V::mask_t last = V::mask(width - (vecs - 1) * V::kLanes);
      switch (vecs) {
        case 1: strip<1>(M, kc, Ak, lda, Bk + n, ldb, C + n, ldc, last); break;
        case 2: strip<2>(M, kc, Ak, lda, Bk + n, ldb, C + n, ldc, last); break;
        case 3: strip<3 < kStrip ? 3 : kStrip>(M, kc, Ak, lda, Bk + n, ldb, C + n, ldc, last); break;
        default: strip<kStrip>(M, kc, Ak, lda, Bk + n, ldb, C + n, ldc, last); break;
      }
    }
  }
}
