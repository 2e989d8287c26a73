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
