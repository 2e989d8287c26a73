// Loop bodies of the optimizer updates, compiled once per SIMD level (optim.cc: baseline,
// optim_avx2.cc, optim_avx512.cc); the compiler vectorizes them for each instruction set.
// Included inside a namespace, after <cmath> and <cstddef>; no include guard on purpose.

void adam_block(float* w, const float* g, float* m, float* v, size_t begin, size_t end, float lr_t,
                       float beta1, float beta2, float eps) {
  const float c1 = 1.f - beta1, c2 = 1.f - beta2;
  for (size_t i = begin; i < end; i++) {
    const float gi = g[i];
    const float mi = beta1 * m[i] + c1 * gi;
    const float vi = beta2 * v[i] + c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w[i] -= lr_t * mi / (std::sqrt(vi) + eps);
  }
}

void momentum_block(float* w, const float* g, float* v, size_t begin, size_t end, float lr, float gamma) {
  for (size_t i = begin; i < end; i++) {
    const float vi = gamma * v[i] + lr * g[i];
    v[i] = vi;
    w[i] -= vi;
  }
}

// L2 weight decay on one block: g += l2 * w (as axpy does it, so a fused step equals an unfused
// one bit for bit); returns sum w^2 of the block. The squares are summed in 16 float lanes per
// chunk of 1024 and the chunks in double, the same at every SIMD level (GCC vector extensions,
// lowered to each level's registers).
double decay_block(const float* w, float* g, size_t n, float l2) {
  typedef float v16 __attribute__((vector_size(64)));
  double total = 0;
  for (size_t c = 0; c < n; c += 1024) {
    const size_t end = c + 1024 < n ? c + 1024 : n;
    v16 lanes = {0};
    size_t i = c;
    for (; i + 16 <= end; i += 16) {
      v16 wv, gv;
      __builtin_memcpy(&wv, w + i, sizeof wv);
      __builtin_memcpy(&gv, g + i, sizeof gv);
      lanes += wv * wv;
      gv += l2 * wv;
      __builtin_memcpy(g + i, &gv, sizeof gv);
    }
    float tail = 0.f;
    for (; i < end; i++) {
      tail += w[i] * w[i];
      g[i] += l2 * w[i];
    }
    double chunk = tail;
    for (int j = 0; j < 16; j++) chunk += lanes[j];
    total += chunk;
  }
  return total;
}
