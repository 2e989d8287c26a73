// Batch normalization's column sums compiled for AVX-512 (chosen at run time, see batchnorm.cc).
#include <cstddef>

namespace gn::batchnorm_avx512 {
#include "kernels/batchnorm_impl.h"
}  // namespace gn::batchnorm_avx512
