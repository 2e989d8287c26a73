#include "kernels/cpu.h"

#include <cstdlib>
#include <cstring>

namespace gn {

static Simd detect() {
  __builtin_cpu_init();
  Simd s = Simd::Scalar;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) s = Simd::Avx2;
  if (s == Simd::Avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
    s = Simd::Avx512;
  if (const char* cap = std::getenv("GEMMNET_SIMD")) {
    Simd want = !std::strcmp(cap, "scalar") ? Simd::Scalar : !std::strcmp(cap, "avx2") ? Simd::Avx2 : s;
    if (want < s) s = want;
  }
  return s;
}

Simd simd_level() {
  static const Simd level = detect();
  return level;
}

const char* simd_name(Simd s) {
  switch (s) {
    case Simd::Avx512: return "avx512";
    case Simd::Avx2: return "avx2";
    default: return "scalar";
  }
}

}  // namespace gn
