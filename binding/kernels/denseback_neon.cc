// dense_back_rows for arm64 Advanced SIMD (part of every ARMv8-A CPU): tiles of 2 rows of W by 8
// columns, dx for up to 32 samples in 8 vectors per row. The same operations in the same order as
// the AVX2 and AVX-512 versions, so the same bits.
#include <arm_neon.h>

#include <algorithm>
#include <cstddef>

#include "kernels/denseback.h"

namespace gn {
namespace neon {
namespace {

struct V {
  static constexpr int kLanes = 4;
  using type = float32x4_t;
  using mask_t = int;  // the number of leading lanes in use
  static mask_t mask(int lanes) { return lanes; }
  static type load(const float* p) { return vld1q_f32(p); }
  static type load(const float* p, mask_t m) {
    if (m == kLanes) return vld1q_f32(p);
    float t[kLanes] = {0.f, 0.f, 0.f, 0.f};
    for (int i = 0; i < m; i++) t[i] = p[i];
    return vld1q_f32(t);
  }
  static void store(float* p, type v) { vst1q_f32(p, v); }
  static void store(float* p, type v, mask_t m) {
    if (m == kLanes) return vst1q_f32(p, v);
    float t[kLanes];
    vst1q_f32(t, v);
    for (int i = 0; i < m; i++) p[i] = t[i];
  }
  static type zero() { return vdupq_n_f32(0.f); }
  static type set1(float f) { return vdupq_n_f32(f); }
  static type add(type a, type b) { return vaddq_f32(a, b); }
  static type sub(type a, type b) { return vsubq_f32(a, b); }
  static type mul(type a, type b) { return vmulq_f32(a, b); }
  static type div(type a, type b) { return vdivq_f32(a, b); }
  static type sqrt(type a) { return vsqrtq_f32(a); }
  static type bcast(const float* p) { return vld1q_dup_f32(p); }
  static type fma(type a, type b, type c) { return vfmaq_f32(c, a, b); }
  static void square_into(double* p, type w) {
    const float64x2_t lo = vcvt_f64_f32(vget_low_f32(w)), hi = vcvt_high_f64_f32(w);
    vst1q_f64(p, vaddq_f64(vld1q_f64(p), vmulq_f64(lo, lo)));
    vst1q_f64(p + 2, vaddq_f64(vld1q_f64(p + 2), vmulq_f64(hi, hi)));
  }
};
constexpr int kR = 2, kOV = 2, kMaxNV = 8;

#include "kernels/denseback_impl.h"

}  // namespace
}  // namespace neon

double dense_back_rows_neon(const DenseBackArgs& a, int i0, int i1) { return neon::run(a, i0, i1); }

}  // namespace gn
