#include "kernels/cpu.h"

#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace gn {

#if defined(__x86_64__) || defined(__i386__)
// CPUID and XGETBV directly (no libgcc/compiler-rt CPU model): the instruction sets, and whether the
// OS saves the registers they use (YMM state for AVX2, ZMM and opmask state for AVX-512).
static Simd detect_hw() {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return Simd::Scalar;
  const bool fma = c & (1u << 12), osxsave = c & (1u << 27), avx = c & (1u << 28);
  if (!(fma && osxsave && avx)) return Simd::Scalar;
  unsigned xlo, xhi;
  __asm__ volatile("xgetbv" : "=a"(xlo), "=d"(xhi) : "c"(0));
  if ((xlo & 0x6) != 0x6) return Simd::Scalar;  // XMM and YMM state
  if (__get_cpuid_max(0, nullptr) < 7) return Simd::Scalar;
  __cpuid_count(7, 0, a, b, c, d);
  if (!(b & (1u << 5))) return Simd::Scalar;  // AVX2
  const bool f = b & (1u << 16), dq = b & (1u << 17), bw = b & (1u << 30), vl = b & (1u << 31);
  const bool zmmState = (xlo & 0xe6) == 0xe6;  // + opmask, ZMM0-15 upper halves, ZMM16-31
  return f && dq && bw && vl && zmmState ? Simd::Avx512 : Simd::Avx2;
}

static Simd cap(Simd s, const char* want) {
  if (!std::strcmp(want, "scalar")) return Simd::Scalar;
  if (!std::strcmp(want, "avx2") && s == Simd::Avx512) return Simd::Avx2;
  return s;
}
#elif defined(__aarch64__)
static Simd detect_hw() { return Simd::Neon; }
static Simd cap(Simd s, const char* want) { return !std::strcmp(want, "scalar") ? Simd::Scalar : s; }
#else
static Simd detect_hw() { return Simd::Scalar; }
static Simd cap(Simd s, const char*) { return s; }
#endif

static Simd detect() {
  Simd s = detect_hw();
  if (const char* want = std::getenv("GEMMNET_SIMD")) s = cap(s, want);
  return s;
}

Simd simd_level() {
  static const Simd level = detect();
  return level;
}

Simd simd_hw_level() {
  static const Simd level = detect_hw();
  return level;
}

const char* simd_name(Simd s) {
  switch (s) {
    case Simd::Avx512: return "avx512";
    case Simd::Avx2: return "avx2";
    case Simd::Neon: return "neon";
    default: return "scalar";
  }
}

}  // namespace gn
