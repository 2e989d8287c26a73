// conv_pool_inference's samples, for one vector type V (included inside a SIMD level's namespace,
// after its V): see kernels/conv_pool.h for the order of operations, which every level follows.

// Pooled pixel (py, px) of one sample, for the NV vectors of channels from f0 (masks: each
// vector's lanes in use), all T window taps at once (T accumulators per vector: independent
// chains, so the few taps of a small kernel are not a chain of latencies). xp is the sample padded
// with zeros (Wp pixels a row), so every tap of the kernel is read from it, padding included.
template <int T, int NV>
__attribute__((always_inline)) inline void pooled(const float* xp, int Wp, float* out, const ConvShape& s,
                                                  const PoolShape& ps, const ConvPoolParts& p, int py, int px,
                                                  int f0, const typename V::mask_t* masks) {
  using vec = typename V::type;
  const int F = s.F, C = s.C, KW = s.KW;
  vec acc[T][NV];
#pragma GCC unroll 16
  for (int t = 0; t < T; t++)
#pragma GCC unroll 4
    for (int v = 0; v < NV; v++) acc[t][v] = V::zero();
  const float* at[T];  // each tap's first input value: kernel tap (0, 0, 0)
  for (int t = 0; t < T; t++) {
    const int oh = py * ps.SH + t / ps.PW, ow = px * ps.SW + t % ps.PW;
    at[t] = xp + ((size_t)oh * s.SH * Wp + (size_t)ow * s.SW) * C;
  }
  const float* w = p.W + f0;
  for (int kh = 0; kh < s.KH; kh++) {
    const size_t rowOff = (size_t)kh * Wp * C;
    for (int kc = 0; kc < KW * C; kc++, w += F) {  // (kw, c) in order: a contiguous run of the padded row
      vec wv[NV];
#pragma GCC unroll 4
      for (int v = 0; v < NV; v++) wv[v] = V::load(w + v * V::kLanes, masks[v]);
#pragma GCC unroll 16
      for (int t = 0; t < T; t++) {
        const vec a = V::set1(at[t][rowOff + kc]);
#pragma GCC unroll 4
        for (int v = 0; v < NV; v++) acc[t][v] = V::fma(a, wv[v], acc[t][v]);
      }
    }
  }
#pragma GCC unroll 4
  for (int v = 0; v < NV; v++) {
    const int f = f0 + v * V::kLanes;
    const typename V::mask_t m = masks[v];
    const vec b = p.b ? V::load(p.b + f, m) : V::zero();
    vec best = V::zero();
#pragma GCC unroll 16
    for (int t = 0; t < T; t++) {
      vec y = p.b ? V::add(acc[t][v], b) : acc[t][v];
      if (p.relu) y = V::relu(y);
      if (p.mean) y = V::mul(V::sub(y, V::load(p.mean + f, m)), V::load(p.invStd + f, m));
      if (p.gamma) y = V::add(V::mul(y, V::load(p.gamma + f, m)), V::load(p.beta + f, m));
      best = t == 0 ? y : V::first_max(best, y);
    }
    V::store(out + f, best, m);
  }
}

template <int T>
void samples_taps(const float* x, float* y, const ConvShape& s, const PoolShape& ps, const ConvPoolParts& p,
                  int n0, int n1) {
  constexpr int L = V::kLanes;
  const int F = s.F, C = s.C;
  const size_t inPer = (size_t)s.H * s.W * C, outPer = (size_t)ps.OH * ps.OW * F;
  // The sample with its padding: the rows and columns the kernel reaches, zeros outside the image.
  const int Hp = (s.OH - 1) * s.SH + s.KH, Wp = (s.OW - 1) * s.SW + s.KW;
  thread_local std::vector<float> padded;
  padded.assign((size_t)Hp * Wp * C, 0.f);
  float* xp = padded.data();
  const int rows = std::min(s.H, Hp - s.PT), cols = std::min(s.W, Wp - s.PL);
  for (int n = n0; n < n1; n++) {
    const float* xs = x + (size_t)n * inPer;
    for (int ih = 0; ih < rows; ih++)
      std::memcpy(xp + ((size_t)(ih + s.PT) * Wp + s.PL) * C, xs + (size_t)ih * s.W * C, (size_t)cols * C * sizeof(float));
    float* ys = y + (size_t)n * outPer;
    for (int py = 0; py < ps.OH; py++)
      for (int px = 0; px < ps.OW; px++) {
        float* out = ys + ((size_t)py * ps.OW + px) * F;
        int f0 = 0;
        for (; f0 + 2 * L <= F; f0 += 2 * L) {
          const typename V::mask_t m[2] = {V::mask(L), V::mask(L)};
          pooled<T, 2>(xp, Wp, out, s, ps, p, py, px, f0, m);
        }
        for (; f0 < F; f0 += L) {
          const typename V::mask_t m[1] = {V::mask(F - f0 < L ? F - f0 : L)};
          pooled<T, 1>(xp, Wp, out, s, ps, p, py, px, f0, m);
        }
      }
  }
}

void samples(const float* x, float* y, const ConvShape& s, const PoolShape& ps, const ConvPoolParts& p, int n0,
             int n1) {
  switch (ps.PH * ps.PW) {
    case 1: samples_taps<1>(x, y, s, ps, p, n0, n1); break;
    case 2: samples_taps<2>(x, y, s, ps, p, n0, n1); break;
    case 3: samples_taps<3>(x, y, s, ps, p, n0, n1); break;
    case 4: samples_taps<4>(x, y, s, ps, p, n0, n1); break;
    case 6: samples_taps<6>(x, y, s, ps, p, n0, n1); break;
    case 9: samples_taps<9>(x, y, s, ps, p, n0, n1); break;
    default: break;  // the glue takes no other window (conv_pool_window_ok)
  }
}
