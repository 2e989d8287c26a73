// Optimizer loops compiled for AVX-512 (chosen at run time, see optim.cc).
#include <cmath>
#include <cstddef>

namespace gn::optim_avx512 {
#include "kernels/optim_impl.h"
}  // namespace gn::optim_avx512
