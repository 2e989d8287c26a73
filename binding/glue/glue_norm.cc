// Glue for max pooling, batch normalization and dropout: validates sizes (and, for pooling's
// backward, every index), then calls the kernels on the arrays' own memory.
#include <algorithm>
#include <cstdint>

#include <cfloat>

#include "glue/common.h"
#include "glue/shapes.h"
#include "kernels/batchnorm.h"
#include "kernels/dropout.h"
#include "kernels/pool.h"

namespace gn::glue {
namespace {

// ---- Max pooling ------------------------------------------------------------------------------

}  // namespace

// dims = [N, H, W, C, PH, PW, SH, SW, OH, OW], VALID windows.
PoolShape poolDims(Napi::Env env, const I32& d, const char* fn) {
  if (d.length != 10)
    throwRange(env, std::string(fn) + ": dims must hold 10 values [N,H,W,C,PH,PW,SH,SW,OH,OW], got " +
                        std::to_string(d.length));
  static const char* names[10] = {"N", "H", "W", "C", "PH", "PW", "SH", "SW", "OH", "OW"};
  for (int i = 0; i < 10; i++)
    if (d.data[i] < 1)
      throwRange(env, std::string(fn) + ": dims " + names[i] + " = " + std::to_string(d.data[i]) +
                          " must be at least 1");
  const int32_t* v = d.data;
  PoolShape s{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]};
  if (s.PH > s.H || s.PW > s.W)
    throwRange(env, std::string(fn) + ": the pooling window is larger than the image");
  if ((s.H - s.PH) / s.SH + 1 != s.OH || (s.W - s.PW) / s.SW + 1 != s.OW)
    throwRange(env, std::string(fn) + ": output " + std::to_string(s.OH) + "x" + std::to_string(s.OW) +
                        " should be " + std::to_string((s.H - s.PH) / s.SH + 1) + "x" +
                        std::to_string((s.W - s.PW) / s.SW + 1) + " for VALID windows");
  // argmax holds flat int32 indices into x, so x must have fewer than 2^31 elements.
  const double xLen = (double)s.N * s.H * s.W * s.C;
  if (xLen > 2147483647.0) throwRange(env, std::string(fn) + ": x must have fewer than 2^31 elements");
  return s;
}

namespace {

// maxPoolForward(x, y, argmax, dims)
template <bool Naive>
Napi::Value MaxPoolForward(const Napi::CallbackInfo& info) {
  const char* fn = Naive ? "maxPoolForwardReference" : "maxPoolForward";
  requireArgs(info, 4, fn);
  auto env = info.Env();
  F32 x = f32Arg(info, 0, "x"), y = f32Arg(info, 1, "y");
  I32 argmax = i32Arg(info, 2, "argmax");  // written, never read
  I32Copy dims = i32Copy(info, 3, "dims");
  PoolShape s = poolDims(env, dims.view(), fn);
  const size_t outLen = (size_t)s.N * s.OH * s.OW * s.C;  // <= x's size < 2^31
  requireSize(env, x.length, (size_t)s.N * s.H * s.W, s.C, "x");
  requireSize(env, y.length, outLen, 1, "y");
  requireSize(env, argmax.length, outLen, 1, "argmax");
  (Naive ? max_pool_forward_naive : max_pool_forward)(x.data, y.data, argmax.data, s);
  return env.Undefined();
}

// maxPoolBackward(dy, argmax, dx[, accumulate = true[, samples]]): dx[argmax[i]] += dy[i] for i < dy.length,
// into a zeroed dx when accumulate is false.
Napi::Value MaxPoolBackward(const Napi::CallbackInfo& info) {
  requireArgs(info, 3, "maxPoolBackward");
  auto env = info.Env();
  F32 dy = f32Arg(info, 0, "dy");
  I32Copy argmaxCopy = i32Copy(info, 1, "argmax");
  I32 argmax = argmaxCopy.view();
  F32 dx = f32Arg(info, 2, "dx");
  requireSize(env, argmax.length, dy.length, 1, "argmax");
  const bool accumulate = accumulateArg(info, 3);
  // samples (optional): dy and dx hold that many equal samples, each window inside its own sample.
  size_t samples = 1;
  if (info.Length() > 4 && !info[4].IsUndefined()) {
    samples = (size_t)dimArg(info, 4, "samples");
    if (samples < 1 || dy.length % samples || dx.length % samples)
      throwRange(env, "maxPoolBackward: samples = " + std::to_string(samples) + " does not divide dy (length " +
                          std::to_string(dy.length) + ") and dx (length " + std::to_string(dx.length) + ")");
  }
  const size_t out = dy.length / samples, in = dx.length / samples;
  // Element by element (not sample by sample: samples may be huge when dy is empty).
  for (size_t i = 0, smp = 0, end = out; i < dy.length; i++) {
    while (i >= end) smp++, end += out;
    const size_t lo = smp * in;
    const int32_t a = argmax.data[i];
    if (a >= 0 && (size_t)a >= lo && (size_t)a < lo + in) continue;
    if (a < 0 || (size_t)a >= dx.length)
      throwRange(env, "maxPoolBackward: argmax[" + std::to_string(i) + "] = " + std::to_string(a) +
                          " is outside dx (length " + std::to_string(dx.length) + ")");
    throwRange(env, "maxPoolBackward: argmax[" + std::to_string(i) + "] = " + std::to_string(a) +
                        " points outside its own sample " + std::to_string(smp) + " of dx ([" + std::to_string(lo) +
                        ", " + std::to_string(lo + in) + "))");
  }
  if (samples > 1 && dy.length > 0) max_pool_backward_samples(dy.data, argmax.data, dx.data, dy.length, dx.length, samples, accumulate);
  else max_pool_backward(dy.data, argmax.data, dx.data, dy.length, dx.length, accumulate);
  return env.Undefined();
}

// maxPoolBackwardWindows(dy, argmax, dx, dims): dx = the gradient of maxPoolForward's input, written
// whole (see gn::max_pool_backward_windows), for windows that do not overlap.
Napi::Value MaxPoolBackwardWindows(const Napi::CallbackInfo& info) {
  const char* fn = "maxPoolBackwardWindows";
  requireArgs(info, 4, fn);
  auto env = info.Env();
  F32 dy = f32Arg(info, 0, "dy");
  I32 argmax = i32Arg(info, 1, "argmax");  // each value read once, never used as an index
  F32 dx = f32Arg(info, 2, "dx");
  I32Copy dims = i32Copy(info, 3, "dims");
  PoolShape s = poolDims(env, dims.view(), fn);
  if (s.SH < s.PH || s.SW < s.PW)
    throwRange(env, std::string(fn) + ": windows overlap (stride " + std::to_string(s.SH) + "x" + std::to_string(s.SW) +
                        " below window " + std::to_string(s.PH) + "x" + std::to_string(s.PW) + "); use maxPoolBackward");
  const size_t outLen = (size_t)s.N * s.OH * s.OW * s.C;
  requireSize(env, dy.length, outLen, 1, "dy");
  requireSize(env, argmax.length, outLen, 1, "argmax");
  requireSize(env, dx.length, (size_t)s.N * s.H * s.W, s.C, "dx");
  // dx is written while dy and argmax are read: they must not share memory with it.
  const auto apart = [&](const void* p, size_t bytes, const char* name) {
    if (overlaps(dx.data, dx.length * sizeof(float), p, bytes)) throwRange(env, std::string(fn) + ": dx overlaps " + name);
  };
  apart(dy.data, dy.length * sizeof(float), "dy");
  apart(argmax.data, argmax.length * sizeof(int32_t), "argmax");
  size_t firstBad = 0;
  const size_t bad = max_pool_backward_windows(dy.data, argmax.data, dx.data, s, &firstBad);
  if (bad)
    throwRange(env, std::string(fn) + ": argmax[" + std::to_string(firstBad) + "] (and " + std::to_string(bad - 1) +
                        " more) names none of its window's inputs; argmax must come from maxPoolForward with these dims");
  return env.Undefined();
}

// avgPoolForward(x, y, dims)
template <bool Naive>
Napi::Value AvgPoolForward(const Napi::CallbackInfo& info) {
  const char* fn = Naive ? "avgPoolForwardReference" : "avgPoolForward";
  requireArgs(info, 3, fn);
  auto env = info.Env();
  F32 x = f32Arg(info, 0, "x"), y = f32Arg(info, 1, "y");
  I32 dims = i32Arg(info, 2, "dims");
  PoolShape s = poolDims(env, dims, fn);
  requireSize(env, x.length, (size_t)s.N * s.H * s.W, s.C, "x");
  requireSize(env, y.length, (size_t)s.N * s.OH * s.OW, s.C, "y");
  (Naive ? avg_pool_forward_naive : avg_pool_forward)(x.data, y.data, s);
  return env.Undefined();
}

// avgPoolBackward(dy, dx, dims[, accumulate = true]): dx (+)= each window's share of dy.
Napi::Value AvgPoolBackward(const Napi::CallbackInfo& info) {
  requireArgs(info, 3, "avgPoolBackward");
  auto env = info.Env();
  F32 dy = f32Arg(info, 0, "dy"), dx = f32Arg(info, 1, "dx");
  I32 dims = i32Arg(info, 2, "dims");
  PoolShape s = poolDims(env, dims, "avgPoolBackward");
  requireSize(env, dy.length, (size_t)s.N * s.OH * s.OW, s.C, "dy");
  requireSize(env, dx.length, (size_t)s.N * s.H * s.W, s.C, "dx");
  avg_pool_backward(dy.data, dx.data, s, accumulateArg(info, 3));
  return env.Undefined();
}

// ---- Batch normalization ----------------------------------------------------------------------

void requireRows(Napi::Env env, int R) {
  if (R < 1) throwRange(env, "R (rows to normalize over) must be at least 1");
}

}  // namespace

float epsArg(const Napi::CallbackInfo& info, size_t i) {
  const double eps = numArg(info, i, "eps");
  // Denormals are flushed to zero while the kernels run, so eps must be a normal float32.
  if (!(eps >= (double)FLT_MIN && eps <= (double)FLT_MAX))
    throwRange(info.Env(), "eps must be a normal float32 (between 2^-126 and 3.4e38), got " + std::to_string(eps));
  return (float)eps;
}

namespace {

// batchNormForward(x, y, mean, invStd, R, K, eps): y may be x.
template <bool Naive>
Napi::Value BatchNormForward(const Napi::CallbackInfo& info) {
  requireArgs(info, 7, "batchNormForward");
  auto env = info.Env();
  F32 x = f32Arg(info, 0, "x"), y = f32Arg(info, 1, "y"), mean = f32Arg(info, 2, "mean"),
      invStd = f32Arg(info, 3, "invStd");
  int R = dimArg(info, 4, "R"), K = dimArg(info, 5, "K");
  float eps = epsArg(info, 6);
  requireRows(env, R);
  requireSize(env, x.length, R, K, "x");
  requireSize(env, y.length, R, K, "y");
  requireSize(env, mean.length, 1, K, "mean");
  requireSize(env, invStd.length, 1, K, "invStd");
  (Naive ? batchnorm_forward_naive : batchnorm_forward)(x.data, y.data, mean.data, invStd.data, R, K, eps);
  return env.Undefined();
}

// batchNormBackward(y, invStd, dy, dx, R, K[, accumulate = true]): accumulates into dx, or overwrites it.
template <bool Naive>
Napi::Value BatchNormBackward(const Napi::CallbackInfo& info) {
  requireArgs(info, 6, "batchNormBackward");
  auto env = info.Env();
  F32 y = f32Arg(info, 0, "y"), invStd = f32Arg(info, 1, "invStd"), dy = f32Arg(info, 2, "dy"),
      dx = f32Arg(info, 3, "dx");
  int R = dimArg(info, 4, "R"), K = dimArg(info, 5, "K");
  requireRows(env, R);
  requireSize(env, y.length, R, K, "y");
  requireSize(env, invStd.length, 1, K, "invStd");
  requireSize(env, dy.length, R, K, "dy");
  requireSize(env, dx.length, R, K, "dx");
  const bool accumulate = accumulateArg(info, 6);
  if (Naive) {
    if (!accumulate) std::fill(dx.data, dx.data + (size_t)R * K, 0.f);
    batchnorm_backward_naive(y.data, invStd.data, dy.data, dx.data, R, K);
  } else {
    batchnorm_backward(y.data, invStd.data, dy.data, dx.data, R, K, accumulate);
  }
  return env.Undefined();
}

// batchNormInference(x, y, mean, variance, R, K, eps): y may be x.
template <bool Naive>
Napi::Value BatchNormInference(const Napi::CallbackInfo& info) {
  requireArgs(info, 7, "batchNormInference");
  auto env = info.Env();
  F32 x = f32Arg(info, 0, "x"), y = f32Arg(info, 1, "y"), mean = f32Arg(info, 2, "mean"),
      variance = f32Arg(info, 3, "variance");
  int R = dimArg(info, 4, "R"), K = dimArg(info, 5, "K");
  float eps = epsArg(info, 6);
  requireSize(env, x.length, R, K, "x");
  requireSize(env, y.length, R, K, "y");
  requireSize(env, mean.length, 1, K, "mean");
  requireSize(env, variance.length, 1, K, "variance");
  (Naive ? batchnorm_inference_naive : batchnorm_inference)(x.data, y.data, mean.data, variance.data, R, K,
                                                            eps);
  return env.Undefined();
}

// scaleShiftForward(xhat, gamma, beta, y, R, K)
Napi::Value ScaleShiftForward(const Napi::CallbackInfo& info) {
  requireArgs(info, 6, "scaleShiftForward");
  auto env = info.Env();
  F32 xhat = f32Arg(info, 0, "xhat"), gamma = f32Arg(info, 1, "gamma"), beta = f32Arg(info, 2, "beta"),
      y = f32Arg(info, 3, "y");
  int R = dimArg(info, 4, "R"), K = dimArg(info, 5, "K");
  requireRows(env, R);
  requireSize(env, xhat.length, R, K, "xhat");
  requireSize(env, y.length, R, K, "y");
  requireSize(env, gamma.length, 1, K, "gamma");
  requireSize(env, beta.length, 1, K, "beta");
  if (y.data == xhat.data) throwRange(env, "scaleShiftForward: y must not be xhat");
  scale_shift_forward(xhat.data, gamma.data, beta.data, y.data, R, K);
  return env.Undefined();
}

// scaleShiftBackward(xhat, gamma, dy, dgamma, dbeta, dxhat, R, K): accumulates dgamma, dbeta; writes dxhat.
Napi::Value ScaleShiftBackward(const Napi::CallbackInfo& info) {
  requireArgs(info, 8, "scaleShiftBackward");
  auto env = info.Env();
  F32 xhat = f32Arg(info, 0, "xhat"), gamma = f32Arg(info, 1, "gamma"), dy = f32Arg(info, 2, "dy"),
      dgamma = f32Arg(info, 3, "dgamma"), dbeta = f32Arg(info, 4, "dbeta"), dxhat = f32Arg(info, 5, "dxhat");
  int R = dimArg(info, 6, "R"), K = dimArg(info, 7, "K");
  requireRows(env, R);
  requireSize(env, xhat.length, R, K, "xhat");
  requireSize(env, dy.length, R, K, "dy");
  requireSize(env, dxhat.length, R, K, "dxhat");
  requireSize(env, gamma.length, 1, K, "gamma");
  requireSize(env, dgamma.length, 1, K, "dgamma");
  requireSize(env, dbeta.length, 1, K, "dbeta");
  scale_shift_backward(xhat.data, gamma.data, dy.data, dgamma.data, dbeta.data, dxhat.data, R, K);
  return env.Undefined();
}

// ---- Dropout ----------------------------------------------------------------------------------

// One 32-bit half of the seed: an integer in [-2^31, 2^32), taken modulo 2^32 (so both x >>> 0
// and x | 0 work).
uint32_t seedHalfArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  const double d = numArg(info, i, name);
  if (d < -2147483648.0 || d >= 4294967296.0 || d != (double)(int64_t)d)
    throwRange(info.Env(), std::string(name) + " must be a 32-bit integer");
  return (uint32_t)(int64_t)d;
}

// dropoutForward(x, y, mask, keepProb, seedLo, seedHi, counter): y may be x.
Napi::Value DropoutForward(const Napi::CallbackInfo& info) {
  requireArgs(info, 7, "dropoutForward");
  auto env = info.Env();
  F32 x = f32Arg(info, 0, "x"), y = f32Arg(info, 1, "y"), mask = f32Arg(info, 2, "mask");
  const double keepProb = numArg(info, 3, "keepProb");
  if (!(keepProb > 0 && keepProb <= 1)) throwRange(env, "keepProb must be in (0, 1]");
  const uint64_t seed = (uint64_t)seedHalfArg(info, 5, "seedHi") << 32 | seedHalfArg(info, 4, "seedLo");
  const double counter = numArg(info, 6, "counter");
  if (!(counter >= 0 && counter <= 9007199254740992.0) || counter != (double)(int64_t)counter)
    throwRange(env, "counter must be an integer in [0, 2^53]");
  requireSize(env, y.length, x.length, 1, "y");
  requireSize(env, mask.length, x.length, 1, "mask");
  dropout_forward(x.data, y.data, mask.data, x.length, keepProb, seed, (uint64_t)counter);
  return env.Undefined();
}

// dropoutBackward(dy, mask, dx[, accumulate = true]): dx += dy * mask (or =) over dy.length elements.
Napi::Value DropoutBackward(const Napi::CallbackInfo& info) {
  requireArgs(info, 3, "dropoutBackward");
  auto env = info.Env();
  F32 dy = f32Arg(info, 0, "dy"), mask = f32Arg(info, 1, "mask"), dx = f32Arg(info, 2, "dx");
  requireSize(env, mask.length, dy.length, 1, "mask");
  requireSize(env, dx.length, dy.length, 1, "dx");
  dropout_backward(dy.data, mask.data, dx.data, dy.length, accumulateArg(info, 3));
  return env.Undefined();
}

}  // namespace

void InitNorm(Napi::Env env, Napi::Object exports) {
  exports["maxPoolForward"] = Napi::Function::New(env, Guarded<MaxPoolForward<false>>, "maxPoolForward");
  exports["maxPoolForwardReference"] = Napi::Function::New(env, Guarded<MaxPoolForward<true>>);
  exports["maxPoolBackward"] = Napi::Function::New(env, Guarded<MaxPoolBackward>, "maxPoolBackward");
  exports["maxPoolBackwardWindows"] = Napi::Function::New(env, Guarded<MaxPoolBackwardWindows>, "maxPoolBackwardWindows");
  exports["avgPoolForward"] = Napi::Function::New(env, Guarded<AvgPoolForward<false>>, "avgPoolForward");
  exports["avgPoolForwardReference"] = Napi::Function::New(env, Guarded<AvgPoolForward<true>>);
  exports["avgPoolBackward"] = Napi::Function::New(env, Guarded<AvgPoolBackward>, "avgPoolBackward");
  exports["scaleShiftForward"] = Napi::Function::New(env, Guarded<ScaleShiftForward>, "scaleShiftForward");
  exports["scaleShiftBackward"] = Napi::Function::New(env, Guarded<ScaleShiftBackward>, "scaleShiftBackward");
  exports["batchNormForward"] = Napi::Function::New(env, Guarded<BatchNormForward<false>>, "batchNormForward");
  exports["batchNormBackward"] = Napi::Function::New(env, Guarded<BatchNormBackward<false>>, "batchNormBackward");
  exports["batchNormInference"] = Napi::Function::New(env, Guarded<BatchNormInference<false>>, "batchNormInference");
  exports["batchNormForwardReference"] = Napi::Function::New(env, Guarded<BatchNormForward<true>>);
  exports["batchNormBackwardReference"] = Napi::Function::New(env, Guarded<BatchNormBackward<true>>);
  exports["batchNormInferenceReference"] = Napi::Function::New(env, Guarded<BatchNormInference<true>>);
  exports["dropoutForward"] = Napi::Function::New(env, Guarded<DropoutForward>, "dropoutForward");
  exports["dropoutBackward"] = Napi::Function::New(env, Guarded<DropoutBackward>, "dropoutBackward");
}

}  // namespace gn::glue
