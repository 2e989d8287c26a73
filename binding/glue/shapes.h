// The geometry arguments shared by the glue of several kernels: each checked in full (every size,
// every product below 2^53, padding consistent with the output) before any memory is touched.
#pragma once
#include "glue/common.h"
#include "kernels/im2col.h"
#include "kernels/pool.h"

namespace gn::glue {

struct ConvCall {
  ConvShape s;
  size_t xLen, wLen, yLen, colLen;
};

// dims = [N, H, W, C, KH, KW, F, strideH, strideW, padTop, padLeft, OH, OW] (glue_conv.cc)
ConvCall convDims(Napi::Env env, const I32& d, const char* fn);
// dims = [N, H, W, C, PH, PW, SH, SW, OH, OW], VALID windows (glue_norm.cc)
PoolShape poolDims(Napi::Env env, const I32& d, const char* fn);
// A batch-norm epsilon: a normal float32 (glue_norm.cc)
float epsArg(const Napi::CallbackInfo& info, size_t i);

}  // namespace gn::glue
