// The body of conv_dw_<level> (see conv_dw.h), written once over a vector type V. Included inside
// namespace gn::<level> after V, kVn and kAccRegs are defined; no include guard on purpose.
//
// V provides: kLanes, type, mask_t, mask(lanes) (the first `lanes` lanes, 0 to kLanes), load(p, mask)
// (masked-off lanes read as 0 and are not touched in memory), store(p, v, mask), zero(), add(a, b),
// bcast(p), fma(a, b, c) = a * b + c rounded once, and pass(y, d) = (y > 0 ? d : +0) lane by lane.
// kVn: vectors of filters per strip; kAccRegs: accumulator registers a tap group may use.
//
// A sample is first copied into a zero-padded image (Hp x Wp x C), so every tap of every output
// pixel reads memory inside it: padding contributes 0 * dz, as im2col's zeros do. Then, per strip of
// filters and group of taps, the (tap, filter) pairs of the group sum each row of output pixels in
// registers, one fused multiply-add per pixel in order, and the rows' sums are added to dW in row
// order: two short chains instead of one over a part's pixels, so the sums stay as accurate as a
// blocked sgemm's.

// One row of output pixels for a group of G taps and a strip of Vn vectors of filters: the row's sums
// run from zero over its pixels in registers, then are added to dW and db (or stored, when first).
template <int G, int Vn, bool Relu, bool Db>
inline void tap_row(int OW, const float* px, size_t colStep, const int* off, const float* drow, const float* yrow,
                    size_t F, float* dW, float* db, const typename V::mask_t* m, bool first) {
  constexpr int L = V::kLanes;
  typename V::type acc[G][Vn], bacc[Vn];
#pragma GCC unroll 32
  for (int t = 0; t < G; t++)
    for (int v = 0; v < Vn; v++) acc[t][v] = V::zero();
  if (Db)
    for (int v = 0; v < Vn; v++) bacc[v] = V::zero();
  for (int ow = 0; ow < OW; ow++, px += colStep, drow += F) {
    typename V::type dz[Vn];
#pragma GCC unroll 4
    for (int v = 0; v < Vn; v++) {
      dz[v] = V::load(drow + v * L, m[v]);
      if (Relu) dz[v] = V::pass(V::load(yrow + v * L, m[v]), dz[v]);
      if (Db) bacc[v] = V::add(bacc[v], dz[v]);
    }
    if (Relu) yrow += F;
#pragma GCC unroll 32
    for (int t = 0; t < G; t++) {
      const typename V::type b = V::bcast(px + off[t]);
#pragma GCC unroll 4
      for (int v = 0; v < Vn; v++) acc[t][v] = V::fma(b, dz[v], acc[t][v]);
    }
  }
#pragma GCC unroll 32
  for (int t = 0; t < G; t++)
    for (int v = 0; v < Vn; v++)
      V::store(dW + t * F + v * L, first ? acc[t][v] : V::add(V::load(dW + t * F + v * L, m[v]), acc[t][v]), m[v]);
  if (Db)
    for (int v = 0; v < Vn; v++) V::store(db + v * L, first ? bacc[v] : V::add(V::load(db + v * L, m[v]), bacc[v]), m[v]);
}

// The taps t0..t0+G of one sample for the filters f0..f0+w, all output rows.
template <int G, int Vn, bool Relu, bool Db>
inline void tap_group(const ConvDwArgs& a, const float* dyS, const float* yS, int t0, int f0, int w, bool first) {
  constexpr int L = V::kLanes;
  typename V::mask_t m[Vn];
  for (int v = 0; v < Vn; v++) m[v] = V::mask(std::max(0, std::min(L, w - v * L)));
  int off[G];
  for (int t = 0; t < G; t++) {
    const int tap = t0 + t, c = tap % a.C, kw = (tap / a.C) % a.KW, kh = tap / (a.C * a.KW);
    off[t] = (kh * a.Wp + kw) * a.C + c;
  }
  const size_t F = (size_t)a.F, rowStep = (size_t)a.SH * a.Wp * a.C, colStep = (size_t)a.SW * a.C;
  float* dW = a.dW + (size_t)t0 * F + f0;
  float* db = Db ? a.db + f0 : nullptr;
  for (int oh = 0; oh < a.OH; oh++) {
    const size_t o = (size_t)oh * a.OW * F + f0;
    tap_row<G, Vn, Relu, Db>(a.OW, a.pad + oh * rowStep, colStep, off, dyS + o, Relu ? yS + o : nullptr, F, dW, db, m,
                             first && oh == 0);
  }
}

// tap_group<g, ...> for a group size g known only at run time (1 to GMax).
template <int Vn, bool Relu, bool Db, int G, int GMax>
inline void tap_group_n(int g, const ConvDwArgs& a, const float* dyS, const float* yS, int t0, int f0, int w,
                        bool first) {
  if constexpr (G <= GMax) {
    if (g == G) return tap_group<G, Vn, Relu, Db>(a, dyS, yS, t0, f0, w, first);
    tap_group_n<Vn, Relu, Db, G + 1, GMax>(g, a, dyS, yS, t0, f0, w, first);
  }
}

template <int Vn, bool Relu>
inline void strips(const ConvDwArgs& a, const float* dyS, const float* yS, bool first) {
  constexpr int L = V::kLanes, GMax = kAccRegs / Vn;
  const int taps = a.KH * a.KW * a.C, groups = (taps + GMax - 1) / GMax;
  for (int f0 = 0; f0 < a.F; f0 += Vn * L) {
    const int w = std::min(Vn * L, a.F - f0);
    for (int gi = 0; gi < groups; gi++) {
      const int t0 = taps * gi / groups, g = taps * (gi + 1) / groups - t0;
      if (gi == 0 && a.db) tap_group_n<Vn, Relu, true, 1, GMax>(g, a, dyS, yS, t0, f0, w, first);
      else tap_group_n<Vn, Relu, false, 1, GMax>(g, a, dyS, yS, t0, f0, w, first);
    }
  }
}

inline void run(const ConvDwArgs& a) {
  const size_t inPer = (size_t)a.H * a.W * a.C, outPer = (size_t)a.OH * a.OW * a.F;
  const bool narrow = a.F <= V::kLanes;
  for (int n = 0; n < a.samples; n++) {
    // The zero-padded copy of sample n: rows of zeros above and below, and in each row of x zeros
    // left and right of its run of W * C values.
    const float* xs = a.x + n * inPer;
    const size_t rowLen = (size_t)a.Wp * a.C;
    const int c0 = std::min(a.PL, a.Wp), c1 = std::min(a.Wp, a.PL + a.W);  // columns that come from x
    for (int r = 0; r < a.Hp; r++) {
      float* prow = a.pad + (size_t)r * rowLen;
      const int ih = r - a.PT;
      if (ih < 0 || ih >= a.H) {
        std::fill(prow, prow + rowLen, 0.f);
        continue;
      }
      std::fill(prow, prow + (size_t)c0 * a.C, 0.f);
      if (c1 > c0) std::copy(xs + (size_t)ih * a.W * a.C, xs + ((size_t)ih * a.W + (c1 - a.PL)) * a.C, prow + (size_t)c0 * a.C);
      std::fill(prow + (size_t)std::max(c0, c1) * a.C, prow + rowLen, 0.f);
    }
    const float* dyS = a.dy + n * outPer;
    const float* yS = a.y ? a.y + n * outPer : nullptr;
    if (narrow) {
      if (a.y) strips<1, true>(a, dyS, yS, n == 0);
      else strips<1, false>(a, dyS, yS, n == 0);
    } else {
      if (a.y) strips<kVn, true>(a, dyS, yS, n == 0);
      else strips<kVn, false>(a, dyS, yS, n == 0);
    }
  }
}
