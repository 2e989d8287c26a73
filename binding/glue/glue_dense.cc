// Glue for dense layers and gemm: validates sizes, then calls the kernels on the arrays' own memory.
#include <algorithm>

#include "glue/common.h"
#include "kernels/dense.h"
#include "kernels/gemm.h"

namespace gn::glue {
namespace {

// denseForward(x, W, b|null, y, N, I, O, relu)
template <bool Naive>
Napi::Value DenseForward(const Napi::CallbackInfo& info) {
  requireArgs(info, 8, "denseForward");
  auto env = info.Env();
  F32 x = f32Arg(info, 0, "x"), W = f32Arg(info, 1, "W"), b = f32Arg(info, 2, "b", true),
      y = f32Arg(info, 3, "y");
  int N = dimArg(info, 4, "N"), I = dimArg(info, 5, "I"), O = dimArg(info, 6, "O");
  bool relu = boolArg(info, 7);
  requireSize(env, x.length, N, I, "x");
  requireSize(env, W.length, I, O, "W");
  if (b.data) requireSize(env, b.length, 1, O, "b");
  requireSize(env, y.length, N, O, "y");
  (Naive ? dense_forward_naive : dense_forward)(x.data, W.data, b.data, y.data, N, I, O, relu);
  return env.Undefined();
}

// denseBackward(x, W, dy, dW|null, db|null, dx|null, N, I, O[, accumulate = true]): accumulates
// into the gradients, or overwrites them when accumulate is false.
template <bool Naive>
Napi::Value DenseBackward(const Napi::CallbackInfo& info) {
  requireArgs(info, 9, "denseBackward");
  auto env = info.Env();
  F32 x = f32Arg(info, 0, "x"), W = f32Arg(info, 1, "W"), dy = f32Arg(info, 2, "dy"),
      dW = f32Arg(info, 3, "dW", true), db = f32Arg(info, 4, "db", true), dx = f32Arg(info, 5, "dx", true);
  int N = dimArg(info, 6, "N"), I = dimArg(info, 7, "I"), O = dimArg(info, 8, "O");
  requireSize(env, x.length, N, I, "x");
  requireSize(env, W.length, I, O, "W");
  requireSize(env, dy.length, N, O, "dy");
  if (dW.data) requireSize(env, dW.length, I, O, "dW");
  if (db.data) requireSize(env, db.length, 1, O, "db");
  if (dx.data) requireSize(env, dx.length, N, I, "dx");
  const bool accumulate = info.Length() < 10 || info[9].IsUndefined() || boolArg(info, 9);
  if (Naive) {
    if (!accumulate) {
      if (dW.data) std::fill(dW.data, dW.data + (size_t)I * O, 0.f);
      if (db.data) std::fill(db.data, db.data + O, 0.f);
      if (dx.data) std::fill(dx.data, dx.data + (size_t)N * I, 0.f);
    }
    dense_backward_naive(x.data, W.data, dy.data, dW.data, db.data, dx.data, N, I, O);
  } else {
    dense_backward(x.data, W.data, dy.data, dW.data, db.data, dx.data, N, I, O, accumulate);
  }
  return env.Undefined();
}

// gemm(transA, transB, M, N, K, alpha, A, B, beta, C): row-major, tightly packed operands.
template <bool Naive>
Napi::Value Gemm(const Napi::CallbackInfo& info) {
  requireArgs(info, 10, "gemm");
  auto env = info.Env();
  bool tA = boolArg(info, 0), tB = boolArg(info, 1);
  int M = dimArg(info, 2, "M"), N = dimArg(info, 3, "N"), K = dimArg(info, 4, "K");
  float alpha = (float)numArg(info, 5, "alpha");
  F32 A = f32Arg(info, 6, "A"), B = f32Arg(info, 7, "B");
  float beta = (float)numArg(info, 8, "beta");
  F32 C = f32Arg(info, 9, "C");
  requireSize(env, A.length, M, K, "A");
  requireSize(env, B.length, K, N, "B");
  requireSize(env, C.length, M, N, "C");
  (Naive ? gemm_naive : gemm)(tA, tB, M, N, K, alpha, A.data, tA ? M : K, B.data, tB ? K : N, beta, C.data,
                              N);
  return env.Undefined();
}

}  // namespace

void InitDense(Napi::Env env, Napi::Object exports) {
  exports["denseForward"] = Napi::Function::New(env, Guarded<DenseForward<false>>, "denseForward");
  exports["denseBackward"] = Napi::Function::New(env, Guarded<DenseBackward<false>>, "denseBackward");
  exports["gemm"] = Napi::Function::New(env, Guarded<Gemm<false>>, "gemm");
  exports["denseForwardReference"] = Napi::Function::New(env, Guarded<DenseForward<true>>);
  exports["denseBackwardReference"] = Napi::Function::New(env, Guarded<DenseBackward<true>>);
  exports["gemmReference"] = Napi::Function::New(env, Guarded<Gemm<true>>);
}

}  // namespace gn::glue
