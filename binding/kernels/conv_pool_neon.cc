// conv_pool_inference's samples for arm64 Advanced SIMD (part of every ARMv8-A CPU).
#include <arm_neon.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <vector>

#include "kernels/conv_pool.h"

namespace gn {
namespace neon {
namespace {

struct V {
  static constexpr int kLanes = 4;
  using type = float32x4_t;
  using mask_t = int;  // the number of leading lanes in use
  static mask_t mask(int lanes) { return lanes; }
  static type load(const float* p, mask_t m) {
    if (m == kLanes) return vld1q_f32(p);
    float t[kLanes] = {0.f, 0.f, 0.f, 0.f};
    for (int i = 0; i < m; i++) t[i] = p[i];
    return vld1q_f32(t);
  }
  static void store(float* p, type v, mask_t m) {
    if (m == kLanes) return vst1q_f32(p, v);
    float t[kLanes];
    vst1q_f32(t, v);
    for (int i = 0; i < m; i++) p[i] = t[i];
  }
  static type zero() { return vdupq_n_f32(0.f); }
  static type set1(float v) { return vdupq_n_f32(v); }
  static type fma(type a, type b, type c) { return vfmaq_f32(c, a, b); }
  static type add(type a, type b) { return vaddq_f32(a, b); }
  static type sub(type a, type b) { return vsubq_f32(a, b); }
  static type mul(type a, type b) { return vmulq_f32(a, b); }
  static type relu(type v) { return vbslq_f32(vcltq_f32(v, zero()), zero(), v); }
  static type first_max(type best, type y) { return vbslq_f32(vcgtq_f32(y, best), y, best); }
};

#include "kernels/conv_pool_impl.h"

}  // namespace
}  // namespace neon

void conv_pool_samples_neon(const float* x, float* y, const ConvShape& conv, const PoolShape& pool,
                            const ConvPoolParts& p, int n0, int n1) {
  neon::samples(x, y, conv, pool, p, n0, n1);
}

}  // namespace gn
