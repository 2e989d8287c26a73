// Glue for optimizer updates and flat-buffer helpers.
#include "glue/common.h"
#include "kernels/optim.h"

namespace gn::glue {
namespace {

// momentumUpdate(w, g, v, lr, gamma)
Napi::Value MomentumUpdate(const Napi::CallbackInfo& info) {
  requireArgs(info, 5, "momentumUpdate");
  auto env = info.Env();
  F32 w = f32Arg(info, 0, "w"), g = f32Arg(info, 1, "g"), v = f32Arg(info, 2, "v");
  requireSize(env, g.length, 1, w.length, "g");
  requireSize(env, v.length, 1, w.length, "v");
  momentum_update(w.data, g.data, v.data, w.length, (float)numArg(info, 3, "lr"),
                  (float)numArg(info, 4, "gamma"));
  return env.Undefined();
}

// adamUpdate(w, g, m, v, lr, beta1, beta2, eps, t)
Napi::Value AdamUpdate(const Napi::CallbackInfo& info) {
  requireArgs(info, 9, "adamUpdate");
  auto env = info.Env();
  F32 w = f32Arg(info, 0, "w"), g = f32Arg(info, 1, "g"), m = f32Arg(info, 2, "m"), v = f32Arg(info, 3, "v");
  requireSize(env, g.length, 1, w.length, "g");
  requireSize(env, m.length, 1, w.length, "m");
  requireSize(env, v.length, 1, w.length, "v");
  double t = numArg(info, 8, "t");
  if (t < 1) throwRange(env, "t must be at least 1");
  adam_update(w.data, g.data, m.data, v.data, w.length, (float)numArg(info, 4, "lr"),
              (float)numArg(info, 5, "beta1"), (float)numArg(info, 6, "beta2"), (float)numArg(info, 7, "eps"),
              t);
  return env.Undefined();
}

// sumSquares(x) -> number
Napi::Value SumSquares(const Napi::CallbackInfo& info) {
  requireArgs(info, 1, "sumSquares");
  F32 x = f32Arg(info, 0, "x");
  return Napi::Number::New(info.Env(), sum_squares(x.data, x.length));
}

// axpy(a, x, y): y += a * x
Napi::Value Axpy(const Napi::CallbackInfo& info) {
  requireArgs(info, 3, "axpy");
  float a = (float)numArg(info, 0, "a");
  F32 x = f32Arg(info, 1, "x"), y = f32Arg(info, 2, "y");
  requireSize(info.Env(), y.length, 1, x.length, "y");
  axpy(a, x.data, y.data, x.length);
  return info.Env().Undefined();
}

// gatherRows(src, idx, dst, rowLength): dst[i] = src row idx[i]
Napi::Value GatherRows(const Napi::CallbackInfo& info) {
  requireArgs(info, 4, "gatherRows");
  auto env = info.Env();
  F32 src = f32Arg(info, 0, "src");
  I32Copy idxCopy = i32Copy(info, 1, "idx");
  I32 idx = idxCopy.view();
  F32 dst = f32Arg(info, 2, "dst");
  int row = dimArg(info, 3, "rowLength");
  if (row < 1) throwRange(env, "rowLength must be at least 1");
  const size_t rows = src.length / (size_t)row;
  requireSize(env, dst.length, idx.length, row, "dst");
  for (size_t i = 0; i < idx.length; i++)
    if (idx.data[i] < 0 || (size_t)idx.data[i] >= rows)
      throwRange(env, "idx[" + std::to_string(i) + "] = " + std::to_string(idx.data[i]) + " is outside [0, " +
                          std::to_string(rows) + ")");
  gather_rows(src.data, src.length, idx.data, dst.data, idx.length, row);
  return env.Undefined();
}

}  // namespace

void InitOptim(Napi::Env env, Napi::Object exports) {
  exports["momentumUpdate"] = Napi::Function::New(env, Guarded<MomentumUpdate>, "momentumUpdate");
  exports["adamUpdate"] = Napi::Function::New(env, Guarded<AdamUpdate>, "adamUpdate");
  exports["sumSquares"] = Napi::Function::New(env, Guarded<SumSquares>, "sumSquares");
  exports["axpy"] = Napi::Function::New(env, Guarded<Axpy>, "axpy");
  exports["gatherRows"] = Napi::Function::New(env, Guarded<GatherRows>, "gatherRows");
}

}  // namespace gn::glue
