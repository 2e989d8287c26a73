// Run-time CPU feature detection: SIMD paths are picked here, never at compile time.
#pragma once

namespace gn {

// x86-64: Scalar (SSE2, every CPU), Avx2 (AVX2 + FMA), Avx512 (F, BW, DQ, VL).
// arm64: Scalar, Neon (Advanced SIMD, part of every ARMv8-A CPU).
enum class Simd { Scalar = 0, Avx2 = 1, Avx512 = 2, Neon = 3 };

// The widest SIMD level this CPU supports (and the OS enables), capped by GEMMNET_SIMD
// (scalar|avx2|avx512 on x86-64, scalar|neon on arm64) when that environment variable is set.
Simd simd_level();
// The widest level the CPU itself has, whatever GEMMNET_SIMD says (above Scalar: it has fused
// multiply-add in hardware).
Simd simd_hw_level();
const char* simd_name(Simd s);

}  // namespace gn
