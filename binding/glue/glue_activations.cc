// Glue for activations and the fused softmax + cross-entropy.
#include "glue/common.h"
#include "kernels/activations.h"

namespace gn::glue {
namespace {

// reluForward(x, y): y may be x.
Napi::Value ReluForward(const Napi::CallbackInfo& info) {
  requireArgs(info, 2, "reluForward");
  F32 x = f32Arg(info, 0, "x"), y = f32Arg(info, 1, "y");
  requireSize(info.Env(), y.length, 1, x.length, "y");
  relu_forward(x.data, y.data, x.length);
  return info.Env().Undefined();
}

// reluBackward(y, dy, dx[, accumulate = true]): dx += dy * (y > 0), or dx = dy * (y > 0).
Napi::Value ReluBackward(const Napi::CallbackInfo& info) {
  requireArgs(info, 3, "reluBackward");
  F32 y = f32Arg(info, 0, "y"), dy = f32Arg(info, 1, "dy"), dx = f32Arg(info, 2, "dx");
  requireSize(info.Env(), dy.length, 1, y.length, "dy");
  requireSize(info.Env(), dx.length, 1, y.length, "dx");
  relu_backward(y.data, dy.data, dx.data, y.length, accumulateArg(info, 3));
  return info.Env().Undefined();
}

Activation activationArg(const Napi::CallbackInfo& info, size_t i) {
  const int f = dimArg(info, i, "activation");
  if (f > 2) throwRange(info.Env(), "activation must be 0 (leaky ReLU), 1 (tanh) or 2 (sigmoid)");
  return (Activation)f;
}

// activationForward(f, x, y, alpha): f 0 leaky ReLU, 1 tanh, 2 sigmoid; y may be x.
Napi::Value ActivationForward(const Napi::CallbackInfo& info) {
  requireArgs(info, 4, "activationForward");
  Activation f = activationArg(info, 0);
  F32 x = f32Arg(info, 1, "x"), y = f32Arg(info, 2, "y");
  float alpha = (float)numArg(info, 3, "alpha");
  requireSize(info.Env(), y.length, 1, x.length, "y");
  activation_forward(f, x.data, y.data, x.length, alpha);
  return info.Env().Undefined();
}

// activationBackward(f, x, y, dy, dx, alpha[, accumulate = true]): dx (+)= dy * f'.
Napi::Value ActivationBackward(const Napi::CallbackInfo& info) {
  requireArgs(info, 6, "activationBackward");
  auto env = info.Env();
  Activation f = activationArg(info, 0);
  F32 x = f32Arg(info, 1, "x"), y = f32Arg(info, 2, "y"), dy = f32Arg(info, 3, "dy"), dx = f32Arg(info, 4, "dx");
  float alpha = (float)numArg(info, 5, "alpha");
  requireSize(env, y.length, 1, x.length, "y");
  requireSize(env, dy.length, 1, x.length, "dy");
  requireSize(env, dx.length, 1, x.length, "dx");
  if (dx.data == x.data || dx.data == y.data) throwRange(env, "activationBackward: dx must not be x or y");
  activation_backward(f, x.data, y.data, dy.data, dx.data, x.length, alpha, accumulateArg(info, 6));
  return env.Undefined();
}

// softmaxForward(z, p, N, C)
Napi::Value SoftmaxForward(const Napi::CallbackInfo& info) {
  requireArgs(info, 4, "softmaxForward");
  auto env = info.Env();
  F32 z = f32Arg(info, 0, "z"), p = f32Arg(info, 1, "p");
  int N = dimArg(info, 2, "N"), C = dimArg(info, 3, "C");
  if (C < 1) throwRange(env, "C must be at least 1");
  requireSize(env, z.length, N, C, "z");
  requireSize(env, p.length, N, C, "p");
  softmax_forward(z.data, p.data, N, C);
  return env.Undefined();
}

// softmaxCEForward(z, labels, p, N, C) -> [meanLoss, correctCount]
template <bool Naive>
Napi::Value SoftmaxCEForward(const Napi::CallbackInfo& info) {
  requireArgs(info, 5, "softmaxCEForward");
  auto env = info.Env();
  F32 z = f32Arg(info, 0, "z");
  I32Copy labelCopy = i32Copy(info, 1, "labels");
  I32 labels = labelCopy.view();
  F32 p = f32Arg(info, 2, "p");
  int N = dimArg(info, 3, "N"), C = dimArg(info, 4, "C");
  if (C < 1) throwRange(env, "C must be at least 1");
  requireSize(env, z.length, N, C, "z");
  requireSize(env, p.length, N, C, "p");
  requireLabels(env, labels, N, C, "labels");
  int correct = 0;
  double loss = (Naive ? softmax_ce_forward_naive : softmax_ce_forward)(z.data, labels.data, p.data, N, C,
                                                                        &correct);
  auto out = Napi::Array::New(env, 2);
  out[0u] = Napi::Number::New(env, loss);
  out[1u] = Napi::Number::New(env, correct);
  return out;
}

// softmaxCEBackward(p, labels, dz, N, C, scale): dz += scale * (p - onehot)
Napi::Value SoftmaxCEBackward(const Napi::CallbackInfo& info) {
  requireArgs(info, 6, "softmaxCEBackward");
  auto env = info.Env();
  F32 p = f32Arg(info, 0, "p");
  I32Copy labelCopy = i32Copy(info, 1, "labels");
  I32 labels = labelCopy.view();
  F32 dz = f32Arg(info, 2, "dz");
  int N = dimArg(info, 3, "N"), C = dimArg(info, 4, "C");
  float scale = (float)numArg(info, 5, "scale");
  requireSize(env, p.length, N, C, "p");
  requireSize(env, dz.length, N, C, "dz");
  requireLabels(env, labels, N, C, "labels");
  softmax_ce_backward(p.data, labels.data, dz.data, N, C, scale);
  return env.Undefined();
}

}  // namespace

void InitActivations(Napi::Env env, Napi::Object exports) {
  exports["reluForward"] = Napi::Function::New(env, Guarded<ReluForward>, "reluForward");
  exports["reluBackward"] = Napi::Function::New(env, Guarded<ReluBackward>, "reluBackward");
  exports["activationForward"] = Napi::Function::New(env, Guarded<ActivationForward>, "activationForward");
  exports["activationBackward"] = Napi::Function::New(env, Guarded<ActivationBackward>, "activationBackward");
  exports["softmaxForward"] = Napi::Function::New(env, Guarded<SoftmaxForward>, "softmaxForward");
  exports["softmaxCEForward"] = Napi::Function::New(env, Guarded<SoftmaxCEForward<false>>, "softmaxCEForward");
  exports["softmaxCEForwardReference"] = Napi::Function::New(env, Guarded<SoftmaxCEForward<true>>);
  exports["softmaxCEBackward"] = Napi::Function::New(env, Guarded<SoftmaxCEBackward>, "softmaxCEBackward");
}

}  // namespace gn::glue
