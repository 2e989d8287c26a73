// conv_dw for arm64 Advanced SIMD (part of every ARMv8-A CPU): strips of 8 filters (2 vectors) and
// up to 12 taps, 24 accumulators in q registers. One fused multiply-add per tap and pixel, as at the
// other levels, so the same bits.
#include <arm_neon.h>

#include <algorithm>
#include <cstddef>

#include "kernels/conv_dw.h"

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
  static type add(type a, type b) { return vaddq_f32(a, b); }
  static type bcast(const float* p) { return vld1q_dup_f32(p); }
  static type fma(type a, type b, type c) { return vfmaq_f32(c, a, b); }
  static type pass(type y, type d) {
    return vreinterpretq_f32_u32(vandq_u32(vcgtq_f32(y, zero()), vreinterpretq_u32_f32(d)));
  }
};
constexpr int kVn = 2, kAccRegs = 24;

#include "kernels/conv_dw_impl.h"

}  // namespace
}  // namespace neon

void conv_dw_neon(const ConvDwArgs& a) { neon::run(a); }

}  // namespace gn
