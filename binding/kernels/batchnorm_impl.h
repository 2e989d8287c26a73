// Column sums of batch normalization, compiled once per SIMD level (batchnorm.cc: baseline,
// batchnorm_avx2.cc, batchnorm_avx512.cc) with GCC vector extensions, lowered to each level's
// registers. Included inside a namespace, after <cstddef>; no include guard on purpose.
//
// Every column is summed in double over the rows in row order, exactly as a scalar loop does (each
// vector lane is one column): the bits do not depend on the level. Up to 32 columns are held in
// accumulators at once, so a pass runs at the latency of one add per row, not of a load and a store.

typedef double bn_v8d __attribute__((vector_size(64)));
typedef float bn_v8f __attribute__((vector_size(32)));

// Loads and stores as macros: no function takes or returns a vector type, so nothing depends on
// how the calling convention passes wide vectors at a level that lacks them.
#define BN_LOAD8F(dst, p) __builtin_memcpy(&(dst), (p), sizeof(bn_v8f))
#define BN_LOAD8(dst, p)                          \
  do {                                            \
    bn_v8f bn_f_;                                 \
    BN_LOAD8F(bn_f_, p);                          \
    (dst) = __builtin_convertvector(bn_f_, bn_v8d); \
  } while (0)
#define BN_STORE8(p, v) __builtin_memcpy((p), &(v), sizeof(bn_v8d))

// G groups of 8 columns from column c: s = sum_r x (and, with mean, sum_r ((double)x - mean)^2).
template <int G, bool Dev>
static void bn_sums(const float* x, const float* mean, int R, int K, size_t c, double* out) {
  bn_v8d a[G] = {};
  bn_v8d m[G] = {};
  if (Dev)
    for (int g = 0; g < G; g++) BN_LOAD8(m[g], mean + c + 8 * g);
  for (int r = 0; r < R; r++) {
    const float* p = x + (size_t)r * K + c;
    for (int g = 0; g < G; g++) {
      bn_v8d v;
      BN_LOAD8(v, p + 8 * g);
      if (Dev) {
        const bn_v8d d = v - m[g];
        a[g] += d * d;
      } else {
        a[g] += v;
      }
    }
  }
  for (int g = 0; g < G; g++) BN_STORE8(out + 8 * g, a[g]);
}

// sa = sum_r a, sab = sum_r (double)a * b, for G groups of 8 columns from column c.
template <int G>
static void bn_sum_dot(const float* a, const float* b, int R, int K, size_t c, double* sa, double* sab) {
  bn_v8d s[G] = {}, t[G] = {};
  for (int r = 0; r < R; r++) {
    const size_t o = (size_t)r * K + c;
    for (int g = 0; g < G; g++) {
      bn_v8d av, bv;
      BN_LOAD8(av, a + o + 8 * g);
      BN_LOAD8(bv, b + o + 8 * g);
      s[g] += av;
      t[g] += av * bv;
    }
  }
  for (int g = 0; g < G; g++) {
    BN_STORE8(sa + 8 * g, s[g]);
    BN_STORE8(sab + 8 * g, t[g]);
  }
}

// The same over columns [k0, k1): 32 at a time, then 8, then one by one.
void col_sums(const float* x, const float* mean, int R, int K, size_t k0, size_t k1, double* out) {
  size_t c = k0;
  for (; c + 32 <= k1; c += 32) mean ? bn_sums<4, true>(x, mean, R, K, c, out + (c - k0)) : bn_sums<4, false>(x, mean, R, K, c, out + (c - k0));
  if (c + 16 <= k1) {
    mean ? bn_sums<2, true>(x, mean, R, K, c, out + (c - k0)) : bn_sums<2, false>(x, mean, R, K, c, out + (c - k0));
    c += 16;
  }
  for (; c + 8 <= k1; c += 8) mean ? bn_sums<1, true>(x, mean, R, K, c, out + (c - k0)) : bn_sums<1, false>(x, mean, R, K, c, out + (c - k0));
  for (; c < k1; c++) {
    double s = 0;
    for (int r = 0; r < R; r++) {
      const float v = x[(size_t)r * K + c];
      if (mean) {
        const double d = (double)v - mean[c];
        s += d * d;
      } else {
        s += v;
      }
    }
    out[c - k0] = s;
  }
}

void col_sum_dot(const float* a, const float* b, int R, int K, size_t k0, size_t k1, double* sa, double* sab) {
  size_t c = k0;
  for (; c + 16 <= k1; c += 16) bn_sum_dot<2>(a, b, R, K, c, sa + (c - k0), sab + (c - k0));
  for (; c + 8 <= k1; c += 8) bn_sum_dot<1>(a, b, R, K, c, sa + (c - k0), sab + (c - k0));
  for (; c < k1; c++) {
    double s = 0, t = 0;
    for (int r = 0; r < R; r++) {
      const float av = a[(size_t)r * K + c];
      s += av;
      t += (double)av * b[(size_t)r * K + c];
    }
    sa[c - k0] = s;
    sab[c - k0] = t;
  }
}

// Columns [k0, k1) of the scale-shift backward: sdy = sum_r dy, sdyx = sum_r (double)dy * xhat, and
// dxhat = dy * gamma (float), in one pass.
void scale_shift_cols(const float* xhat, const float* gamma, const float* dy, float* dxhat, int R, int K,
                      size_t k0, size_t k1, double* sdyx, double* sdy) {
  size_t c = k0;
  for (; c + 16 <= k1; c += 16) {
    bn_v8d s0 = {}, t0 = {}, s1 = {}, t1 = {};
    bn_v8f gm0, gm1;
    BN_LOAD8F(gm0, gamma + c);
    BN_LOAD8F(gm1, gamma + c + 8);
    for (int r = 0; r < R; r++) {
      const size_t o = (size_t)r * K + c;
      bn_v8f g0, g1;
      BN_LOAD8F(g0, dy + o);
      BN_LOAD8F(g1, dy + o + 8);
      const bn_v8d gd0 = __builtin_convertvector(g0, bn_v8d), gd1 = __builtin_convertvector(g1, bn_v8d);
      bn_v8d x0, x1;
      BN_LOAD8(x0, xhat + o);
      BN_LOAD8(x1, xhat + o + 8);
      t0 += gd0 * x0;
      t1 += gd1 * x1;
      s0 += gd0;
      s1 += gd1;
      const bn_v8f d0 = g0 * gm0, d1 = g1 * gm1;
      __builtin_memcpy(dxhat + o, &d0, sizeof d0);
      __builtin_memcpy(dxhat + o + 8, &d1, sizeof d1);
    }
    BN_STORE8(sdyx + (c - k0), t0);
    BN_STORE8(sdyx + (c - k0) + 8, t1);
    BN_STORE8(sdy + (c - k0), s0);
    BN_STORE8(sdy + (c - k0) + 8, s1);
  }
  for (; c + 8 <= k1; c += 8) {
    bn_v8d s = {}, t = {};
    bn_v8f gm;
    BN_LOAD8F(gm, gamma + c);
    for (int r = 0; r < R; r++) {
      const size_t o = (size_t)r * K + c;
      bn_v8f g;
      BN_LOAD8F(g, dy + o);
      const bn_v8d gd = __builtin_convertvector(g, bn_v8d);
      bn_v8d xv;
      BN_LOAD8(xv, xhat + o);
      t += gd * xv;
      s += gd;
      const bn_v8f d = g * gm;
      __builtin_memcpy(dxhat + o, &d, sizeof d);
    }
    BN_STORE8(sdyx + (c - k0), t);
    BN_STORE8(sdy + (c - k0), s);
  }
  for (; c < k1; c++) {
    double s = 0, t = 0;
    for (int r = 0; r < R; r++) {
      const size_t o = (size_t)r * K + c;
      t += (double)dy[o] * xhat[o];
      s += dy[o];
      dxhat[o] = dy[o] * gamma[c];
    }
    sdyx[c - k0] = t;
    sdy[c - k0] = s;
  }
}

#undef BN_LOAD8F
#undef BN_LOAD8
#undef BN_STORE8
