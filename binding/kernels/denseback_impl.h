// The body of dense_back_rows_<level> (see denseback.h), written once over a vector type V.
// Included inside namespace gn::<level> after V, kR (rows of W per tile), kOV (vectors of columns
// per tile) and kMaxNV (vectors of the batch) are defined; no include guard on purpose.

constexpr int kDxChunk = 32;
// Prefetching the next tile's rows of W, m and v: 4.4-4.7 against 4.6-4.9 ms per FC1 step with Adam
// (medians, two builds alternated, 2 threads).
constexpr bool kPrefetch = true;  // columns of W per chain of dx's sums, at every level
//
// V provides: kLanes, type, mask_t, mask(lanes), load(p), load(p, mask) (masked-off lanes read as 0),
// store(p, v), store(p, v, mask), zero(), set1(f), add, sub, mul, div, sqrt, bcast(p),
// fma(a, b, c) = a * b + c rounded once, and square_into(p, w): p[j] += (double)w[j] * w[j] in double
// for each lane j. Without contraction (-ffp-contract=off), each operation
// below rounds as the scalar optimizer's expression does.

// R rows of W from i0, NV vectors of the batch for dx.
template <int R, int NV>
inline void tile_rows(const DenseBackArgs& a, int i0, double& squares) {
  constexpr int L = V::kLanes, T = kOV * L;
  const int N = a.N, I = a.I, O = a.O;
  const size_t ldW = (size_t)O;
  // dx's sums: over each chunk of kDxChunk columns in registers from zero (one chain per value),
  // the chunks' sums added to these in order, which keeps dx as accurate as a blocked sgemm's. The
  // chunk is the same at every level (a multiple of each level's tile width).
  alignas(64) float dxs[R * NV * L];
  static_assert(kDxChunk % T == 0, "a level's tile width divides the dx chunk");
  typename V::type dxa[R][NV];
#pragma GCC unroll 16
  for (int r = 0; r < R; r++)
#pragma GCC unroll 16
    for (int nv = 0; nv < NV; nv++) dxa[r][nv] = V::zero();
  const bool grad = a.kind != 0 || a.dW;
  const bool decay = a.kind != 0 && a.l2 > 0.f;
  const typename V::type l2 = V::set1(a.l2), lr = V::set1(a.lr), p1 = V::set1(a.p1), p2 = V::set1(a.p2),
                         c1 = V::set1(1.f - a.p1), c2 = V::set1(1.f - a.p2), eps = V::set1(a.eps);
  // sum W^2 of each row, in double: 16 partial sums by column mod 16 (each in column order), added
  // in order at the end of the row, and the rows in order: the same at every level.
  double rowSq[R][16];
  if (decay)
    for (int r = 0; r < R; r++)
      for (int j = 0; j < 16; j++) rowSq[r][j] = 0.0;
  for (int o0 = 0; o0 < O; o0 += T) {
    const int w = std::min(T, O - o0);
    typename V::mask_t m[kOV];
#pragma GCC unroll 16
    for (int v = 0; v < kOV; v++) m[v] = V::mask(std::max(0, std::min(L, w - v * L)));
    float* Wt = a.W + (size_t)i0 * ldW + o0;
    if (kPrefetch && o0 + T < O) {
      // The next tile's rows of W and of the optimizer's state, while this one computes.
      for (int r = 0; r < R; r++) {
        const size_t at = (size_t)(i0 + r) * ldW + o0 + T;
        for (int c = 0; c < T; c += 16) {
          __builtin_prefetch(a.W + at + c, 1);
          if (a.s1) __builtin_prefetch(a.s1 + at + c, 1);
          if (a.s2) __builtin_prefetch(a.s2 + at + c, 1);
        }
      }
    }
    // dx's share of the tile, from W as it is: dxa[r] += sum over its columns o of W[r, o] dy[:, o].
    if (a.dx) {
      if (o0 % kDxChunk == 0) {
#pragma GCC unroll 16
        for (int r = 0; r < R; r++)
#pragma GCC unroll 16
          for (int nv = 0; nv < NV; nv++) dxa[r][nv] = V::zero();
      }
      const float* d = a.dyT + (size_t)o0 * a.Np;
      for (int o = 0; o < w; o++, d += a.Np) {
        typename V::type dv[NV];
#pragma GCC unroll 8
        for (int nv = 0; nv < NV; nv++) dv[nv] = V::load(d + nv * L);
#pragma GCC unroll 8
        for (int r = 0; r < R; r++) {
          const typename V::type b = V::bcast(Wt + r * ldW + o);
#pragma GCC unroll 8
          for (int nv = 0; nv < NV; nv++) dxa[r][nv] = V::fma(b, dv[nv], dxa[r][nv]);
        }
      }
      if ((o0 + T) % kDxChunk == 0 || o0 + T >= O) {
#pragma GCC unroll 16
        for (int r = 0; r < R; r++)
#pragma GCC unroll 16
          for (int nv = 0; nv < NV; nv++) {
            float* p = dxs + (r * NV + nv) * L;
            V::store(p, o0 < kDxChunk ? dxa[r][nv] : V::add(V::load(p), dxa[r][nv]));
          }
      }
    }
    if (!grad) continue;
    // The tile's gradient: g[r] = sum over the batch of x[n, i0 + r] dy[n, o0..].
    typename V::type g[R][kOV];
#pragma GCC unroll 16
    for (int r = 0; r < R; r++)
#pragma GCC unroll 16
      for (int v = 0; v < kOV; v++) g[r][v] = V::zero();
    const float* xn = a.x + i0;
    const float* dn = a.dy + o0;
    for (int n = 0; n < N; n++, xn += I, dn += O) {
      typename V::type dv[kOV];
#pragma GCC unroll 8
      for (int v = 0; v < kOV; v++) dv[v] = V::load(dn + v * L, m[v]);
#pragma GCC unroll 8
      for (int r = 0; r < R; r++) {
        const typename V::type b = V::bcast(xn + r);
#pragma GCC unroll 8
        for (int v = 0; v < kOV; v++) g[r][v] = V::fma(b, dv[v], g[r][v]);
      }
    }
    if (a.kind == 0) {
      float* dWt = a.dW + (size_t)i0 * ldW + o0;
#pragma GCC unroll 16
      for (int r = 0; r < R; r++)
#pragma GCC unroll 16
        for (int v = 0; v < kOV; v++) {
          float* p = dWt + r * ldW + v * L;
          V::store(p, a.accumulate ? V::add(V::load(p, m[v]), g[r][v]) : g[r][v], m[v]);
        }
      continue;
    }
    // The update of the tile: g += l2 W (decay_block's order), then the rule (adam_block's and
    // momentum_block's expressions).
#pragma GCC unroll 16
    for (int r = 0; r < R; r++)
#pragma GCC unroll 16
      for (int v = 0; v < kOV; v++) {
        float* wp = Wt + r * ldW + v * L;
        const size_t at = (size_t)(wp - a.W);
        typename V::type wv = V::load(wp, m[v]), gv = g[r][v];
        if (decay) {
          V::square_into(rowSq[r] + (o0 + v * L) % 16, wv);
          gv = V::add(gv, V::mul(l2, wv));
        }
        if (a.kind == 2) {
          const typename V::type mi = V::add(V::mul(p1, V::load(a.s1 + at, m[v])), V::mul(c1, gv));
          const typename V::type vi = V::add(V::mul(p2, V::load(a.s2 + at, m[v])), V::mul(V::mul(c2, gv), gv));
          V::store(a.s1 + at, mi, m[v]);
          V::store(a.s2 + at, vi, m[v]);
          wv = V::sub(wv, V::div(V::mul(lr, mi), V::add(V::sqrt(vi), eps)));
        } else {
          const typename V::type vi = V::add(V::mul(p1, V::load(a.s1 + at, m[v])), V::mul(lr, gv));
          V::store(a.s1 + at, vi, m[v]);
          wv = V::sub(wv, vi);
        }
        V::store(wp, wv, m[v]);
      }
  }
  if (decay)
    for (int r = 0; r < R; r++) {
      double row = 0;
      for (int j = 0; j < 16; j++) row += rowSq[r][j];
      squares += row;
    }
  if (a.dx) {
#pragma GCC unroll 16
    for (int r = 0; r < R; r++) {
      const float* lanes = dxs + r * NV * L;
      float* d = a.dx + i0 + r;
      for (int n = 0; n < N; n++) d[(size_t)n * I] = a.accumulate ? d[(size_t)n * I] + lanes[n] : lanes[n];
    }
  }
}

template <int NV>
inline double rows_nv(const DenseBackArgs& a, int i0, int i1) {
  double squares = 0;
  int i = i0;
  for (; i + kR <= i1; i += kR) tile_rows<kR, NV>(a, i, squares);
  for (; i < i1; i++) tile_rows<1, NV>(a, i, squares);
  return squares;
}

template <int NV = 1>
inline double run(const DenseBackArgs& a, int i0, int i1) {
  if constexpr (NV < kMaxNV) {
    if (a.Np > NV * V::kLanes) return run<NV + 1>(a, i0, i1);
  }
  return rows_nv<NV>(a, i0, i1);
}
