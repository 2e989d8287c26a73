#include "kernels/conv_dw.h"

#include <algorithm>
#include <cmath>

#include "kernels/cpu.h"

namespace gn {

namespace scalar {
namespace {

// One lane: the same operations as the vector levels, lane by lane (std::fma rounds once).
struct V {
  static constexpr int kLanes = 1;
  using type = float;
  using mask_t = int;
  static mask_t mask(int lanes) { return lanes; }
  static type load(const float* p, mask_t m) { return m ? *p : 0.f; }
  static void store(float* p, type v, mask_t m) {
    if (m) *p = v;
  }
  static type zero() { return 0.f; }
  static type add(type a, type b) { return a + b; }
  static type bcast(const float* p) { return *p; }
  static type fma(type a, type b, type c) { return std::fma(a, b, c); }
  static type pass(type y, type d) { return y > 0.f ? d : 0.f; }
};
constexpr int kVn = 1, kAccRegs = 12;

#include "kernels/conv_dw_impl.h"

}  // namespace
}  // namespace scalar

void conv_dw_scalar(const ConvDwArgs& a) { scalar::run(a); }

bool conv_dw_direct_ok(const ConvShape& s) {
  if ((long)s.KH * s.KW * s.C > kDirectMaxTaps) return false;
  // std::fma is a library call: at the scalar level only where the CPU has the instruction behind it.
  return simd_level() != Simd::Scalar || simd_hw_level() != Simd::Scalar;
}

size_t conv_dw_pad_floats(const ConvShape& s) {
  const size_t Hp = (size_t)(s.OH - 1) * s.SH + s.KH, Wp = (size_t)(s.OW - 1) * s.SW + s.KW;
  return Hp * Wp * s.C;
}

void conv_dw_direct(const float* x, const float* dy, const float* y, float* dW, float* db, const ConvShape& s,
                    size_t n0, size_t n1, float* pad) {
  const size_t inPer = (size_t)s.H * s.W * s.C, outPer = (size_t)s.OH * s.OW * s.F;
  ConvDwArgs a;
  a.x = x + n0 * inPer;
  a.dy = dy + n0 * outPer;
  a.y = y ? y + n0 * outPer : nullptr;
  a.dW = dW;
  a.db = db;
  a.pad = pad;
  a.samples = (int)(n1 - n0);
  a.H = s.H, a.W = s.W, a.C = s.C, a.KH = s.KH, a.KW = s.KW, a.F = s.F, a.SH = s.SH, a.SW = s.SW;
  a.PT = s.PT, a.PL = s.PL, a.OH = s.OH, a.OW = s.OW;
  a.Hp = (s.OH - 1) * s.SH + s.KH;
  a.Wp = (s.OW - 1) * s.SW + s.KW;
  switch (simd_level()) {
#if defined(__x86_64__)
    case Simd::Avx512: return conv_dw_avx512(a);
    case Simd::Avx2: return conv_dw_avx2(a);
#elif defined(__aarch64__)
    case Simd::Neon: return conv_dw_neon(a);
#endif
    default: return conv_dw_scalar(a);
  }
}

}  // namespace gn
