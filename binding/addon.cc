// Registers every glue family. Kernels live in kernels/, argument checking in glue/.
#include "blas/gn_blas.h"
#include "glue/common.h"

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // gemmnet's pool owns the threads (kernels/parallel.h); OpenBLAS runs single-threaded inside it.
  gn_blas_set_threads(1);
  gn::glue::InitDense(env, exports);
  gn::glue::InitActivations(env, exports);
  gn::glue::InitOptim(env, exports);
  gn::glue::InitInfo(env, exports);
  gn::glue::InitConv(env, exports);
  gn::glue::InitNorm(env, exports);
  return exports;
}

NODE_API_MODULE(gemmnet, Init)
