// Optimizer loops compiled for AVX2 + FMA (chosen at run time, see optim.cc).
#include <cmath>
#include <cstddef>

namespace gn::optim_avx2 {
#include "kernels/optim_impl.h"
}  // namespace gn::optim_avx2
