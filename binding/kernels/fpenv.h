// Flush-to-zero and denormals-are-zero for the duration of a kernel. Adam's second moments and
// vanishing gradients drift into the denormal range, where x86 arithmetic is ~100x slower; the
// previous mode is restored on exit, so JavaScript's own arithmetic is never affected.
#pragma once
#include <xmmintrin.h>

namespace gn {

class FlushDenormals {
 public:
  FlushDenormals() : saved_(_mm_getcsr()) { _mm_setcsr(saved_ | kFtzDaz); }
  ~FlushDenormals() { _mm_setcsr(saved_); }
  FlushDenormals(const FlushDenormals&) = delete;
  FlushDenormals& operator=(const FlushDenormals&) = delete;

 private:
  static constexpr unsigned kFtzDaz = 0x8040;  // FTZ (bit 15) | DAZ (bit 6)
  unsigned saved_;
};

}  // namespace gn
