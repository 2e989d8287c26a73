// Run-time CPU feature detection: SIMD paths are picked here, never at compile time.
#pragma once

namespace gn {

enum class Simd { Scalar = 0, Avx2 = 1, Avx512 = 2 };

// The widest SIMD level this CPU supports (and the OS enables), capped by GEMMNET_SIMD
// (scalar|avx2|avx512) when that environment variable is set.
Simd simd_level();
const char* simd_name(Simd s);

}  // namespace gn
