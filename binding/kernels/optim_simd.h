// The optimizer loops at each SIMD level (see optim_impl.h).
#pragma once
#include <cstddef>

#define GN_OPTIM_DECLARE(ns)                                                                           \
  namespace gn::ns {                                                                                   \
  void adam_block(float* w, const float* g, float* m, float* v, size_t begin, size_t end, float lr_t, \
                  float beta1, float beta2, float eps);                                                \
  void momentum_block(float* w, const float* g, float* v, size_t begin, size_t end, float lr,          \
                      float gamma);                                                                    \
  double decay_block(const float* w, float* g, size_t n, float l2);                                    \
  }

GN_OPTIM_DECLARE(optim_avx2)
GN_OPTIM_DECLARE(optim_avx512)
#undef GN_OPTIM_DECLARE
