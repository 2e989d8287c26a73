// Flush-to-zero and denormals-are-zero for the duration of a kernel. Adam's second moments and
// vanishing gradients drift into the denormal range, where arithmetic is up to ~100x slower; the
// previous mode is restored on exit, so JavaScript's own arithmetic is never affected.
// x86-64: MXCSR FTZ and DAZ. arm64: FPCR.FZ, which flushes denormal inputs and results alike.
#pragma once
#if defined(__SSE2__)
#include <xmmintrin.h>
#endif

namespace gn {

class FlushDenormals {
 public:
#if defined(__SSE2__)
  FlushDenormals() : saved_(_mm_getcsr()) { _mm_setcsr(saved_ | kFtzDaz); }
  ~FlushDenormals() { _mm_setcsr(saved_); }
#elif defined(__aarch64__)
  FlushDenormals() {
    __asm__ volatile("mrs %0, fpcr" : "=r"(saved_));
    const unsigned long long flushed = saved_ | kFz;
    __asm__ volatile("msr fpcr, %0" : : "r"(flushed));
  }
  ~FlushDenormals() { __asm__ volatile("msr fpcr, %0" : : "r"(saved_)); }
#else
  FlushDenormals() {}
#endif
  FlushDenormals(const FlushDenormals&) = delete;
  FlushDenormals& operator=(const FlushDenormals&) = delete;

 private:
#if defined(__SSE2__)
  static constexpr unsigned kFtzDaz = 0x8040;  // FTZ (bit 15) | DAZ (bit 6)
  unsigned saved_;
#elif defined(__aarch64__)
  static constexpr unsigned long long kFz = 1ull << 24;  // FPCR.FZ
  unsigned long long saved_;
#endif
};

}  // namespace gn
