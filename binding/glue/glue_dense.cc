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

// A number property of an update rule object.
double ruleNumber(Napi::Env env, const Napi::Object& rule, const char* key) {
  Napi::Value v = rule.Get(key);
  if (!v.IsNumber()) throwType(env, std::string("rule.") + key + " must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d)) throwRange(env, std::string("rule.") + key + " must be finite");
  return d;
}

// A Float32Array property of an update rule object with at least `need` elements.
float* ruleBuffer(Napi::Env env, const Napi::Object& rule, const char* key, size_t need) {
  Napi::Value v = rule.Get(key);
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    throwType(env, std::string("rule.") + key + " must be a Float32Array");
  auto a = v.As<Napi::Float32Array>();
  requireSize(env, a.ElementLength(), 1, need, (std::string("rule.") + key).c_str());
  return a.Data();
}

// denseBackwardUpdate(x, W, dy, db|null, dx|null, N, I, O, l2, rule) -> sum W^2 before the update
// (0 when l2 is 0). rule: { kind: 'momentum', v, lr, gamma } or
// { kind: 'adam', m, v, lr, beta1, beta2, eps, t } (t: the 1-based step).
Napi::Value DenseBackwardUpdate(const Napi::CallbackInfo& info) {
  requireArgs(info, 10, "denseBackwardUpdate");
  auto env = info.Env();
  F32 x = f32Arg(info, 0, "x"), W = f32Arg(info, 1, "W"), dy = f32Arg(info, 2, "dy"),
      db = f32Arg(info, 3, "db", true), dx = f32Arg(info, 4, "dx", true);
  int N = dimArg(info, 5, "N"), I = dimArg(info, 6, "I"), O = dimArg(info, 7, "O");
  double l2 = numArg(info, 8, "l2");
  if (l2 < 0) throwRange(env, "l2 must be >= 0");
  requireSize(env, x.length, N, I, "x");
  requireSize(env, W.length, I, O, "W");
  requireSize(env, dy.length, N, O, "dy");
  if (db.data) requireSize(env, db.length, 1, O, "db");
  if (dx.data) requireSize(env, dx.length, N, I, "dx");
  if (!info[9].IsObject()) throwType(env, "rule must be an object");
  Napi::Object r = info[9].As<Napi::Object>();
  Napi::Value kind = r.Get("kind");
  const std::string k = kind.IsString() ? kind.As<Napi::String>().Utf8Value() : "";
  const size_t n = (size_t)I * O;
  UpdateRule rule;
  if (k == "momentum") {
    rule.kind = UpdateRule::Momentum;
    rule.s1 = ruleBuffer(env, r, "v", n);
    rule.lr = (float)ruleNumber(env, r, "lr");
    rule.p1 = (float)ruleNumber(env, r, "gamma");
  } else if (k == "adam") {
    rule.kind = UpdateRule::Adam;
    rule.s1 = ruleBuffer(env, r, "m", n);
    rule.s2 = ruleBuffer(env, r, "v", n);
    rule.p1 = (float)ruleNumber(env, r, "beta1");
    rule.p2 = (float)ruleNumber(env, r, "beta2");
    rule.eps = (float)ruleNumber(env, r, "eps");
    const double t = ruleNumber(env, r, "t");
    if (t < 1) throwRange(env, "rule.t must be at least 1");
    rule.lr = adam_step_size((float)ruleNumber(env, r, "lr"), rule.p1, rule.p2, t);
  } else {
    throwType(env, "rule.kind must be 'momentum' or 'adam'");
  }
  const double squares =
      dense_backward_update(x.data, W.data, dy.data, db.data, dx.data, N, I, O, (float)l2, rule);
  return Napi::Number::New(env, squares);
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
  exports["denseBackwardUpdate"] = Napi::Function::New(env, Guarded<DenseBackwardUpdate>, "denseBackwardUpdate");
  exports["gemm"] = Napi::Function::New(env, Guarded<Gemm<false>>, "gemm");
  exports["denseForwardReference"] = Napi::Function::New(env, Guarded<DenseForward<true>>);
  exports["denseBackwardReference"] = Napi::Function::New(env, Guarded<DenseBackward<true>>);
  exports["gemmReference"] = Napi::Function::New(env, Guarded<Gemm<true>>);
}

}  // namespace gn::glue
