// Glue for 2-D convolution: checks the geometry in dims and every buffer size, then calls the
// kernels on the arrays' own memory.
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>
#include <initializer_list>

#include "glue/common.h"
#include "glue/shapes.h"
#include "kernels/conv.h"
#include "kernels/conv_pool.h"

namespace gn::glue {
namespace {

constexpr int64_t kIntMax = 2147483647;

// Product of non-negative factors; RangeError once it passes 2^53 (beyond any typed array), so
// size arithmetic can never wrap.
size_t product(Napi::Env env, std::initializer_list<int64_t> factors, const char* what) {
  int64_t p = 1;
  for (int64_t f : factors)
    if (__builtin_mul_overflow(p, f, &p) || p > (int64_t(1) << 53))
      throwRange(env, std::string(what) + " is too large");
  return (size_t)p;
}

// One spatial axis of dims: input `in`, kernel k, stride s, leading padding pad, output out.
// TF-style padding: total = max((out-1)*s + k - in, 0), trailing = total - pad. Requires
// 0 <= pad, trailing < k (no window lies wholly in padding) and out == (in + total - k)/s + 1.
void checkAxis(Napi::Env env, const char* fn, const char* axis, int64_t in, int64_t k, int64_t s,
               int64_t pad, int64_t out) {
  const std::string where = std::string(fn) + ": along " + axis + ", ";
  if (in + k > kIntMax) throwRange(env, where + "input plus kernel size must stay below 2^31");
  const int64_t total = (out - 1) * s + k - in > 0 ? (out - 1) * s + k - in : 0;
  const int64_t trailing = total - pad;
  if (pad >= k || trailing < 0 || trailing >= k)
    throwRange(env, where + "padding " + std::to_string(pad) + " + " + std::to_string(trailing) +
                        " is inconsistent with input " + std::to_string(in) + ", kernel " +
                        std::to_string(k) + ", stride " + std::to_string(s) + ", output " +
                        std::to_string(out));
  if ((in + total - k) / s + 1 != out)
    throwRange(env, where + "output size " + std::to_string(out) + " should be " +
                        std::to_string((in + total - k) / s + 1));
}

}  // namespace

// dims = [N, H, W, C, KH, KW, F, strideH, strideW, padTop, padLeft, OH, OW]
ConvCall convDims(Napi::Env env, const I32& d, const char* fn) {
  if (d.length != 13)
    throwRange(env, std::string(fn) + ": dims must hold 13 values [N,H,W,C,KH,KW,F,strideH,strideW," +
                        "padTop,padLeft,OH,OW], got " + std::to_string(d.length));
  static const char* names[13] = {"N", "H", "W", "C", "KH", "KW", "F", "strideH", "strideW",
                                  "padTop", "padLeft", "OH", "OW"};
  for (int i = 0; i < 13; i++) {
    const int lo = (i == 9 || i == 10) ? 0 : 1;
    if (d.data[i] < lo)
      throwRange(env, std::string(fn) + ": dims " + names[i] + " = " + std::to_string(d.data[i]) +
                          " must be at least " + std::to_string(lo));
  }
  const int32_t* v = d.data;
  ConvCall c;
  c.s = ConvShape{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]};
  const ConvShape& s = c.s;
  checkAxis(env, fn, "H", s.H, s.KH, s.SH, s.PT, s.OH);
  checkAxis(env, fn, "W", s.W, s.KW, s.SW, s.PL, s.OW);
  const size_t rows = product(env, {s.N, s.OH, s.OW}, "N*OH*OW");
  const size_t taps = product(env, {s.KH, s.KW, s.C}, "KH*KW*C");
  if (rows > (size_t)kIntMax || taps > (size_t)kIntMax)
    throwRange(env, std::string(fn) + ": N*OH*OW and KH*KW*C must each stay below 2^31");
  c.xLen = product(env, {s.N, s.H, s.W, s.C}, "x (N*H*W*C)");
  c.wLen = product(env, {(int64_t)taps, s.F}, "W (KH*KW*C*F)");
  c.yLen = product(env, {(int64_t)rows, s.F}, "y (N*OH*OW*F)");
  c.colLen = product(env, {(int64_t)rows, (int64_t)taps}, "col (N*OH*OW*KH*KW*C)");
  return c;
}

namespace {

// The workspace must not share memory with a tensor it would clobber (or read while writing).
void requireDisjoint(Napi::Env env, const F32& col, size_t colLen, const F32& other, size_t otherLen,
                     const char* name) {
  if (overlaps(col.data, colLen * sizeof(float), other.data, otherLen * sizeof(float)))
    throwRange(env, std::string("col workspace overlaps ") + name);
}

// conv2dForward(x, W, b|null, y, col, dims, relu)
template <bool Naive>
Napi::Value Conv2dForward(const Napi::CallbackInfo& info) {
  const char* fn = Naive ? "conv2dForwardReference" : "conv2dForward";
  requireArgs(info, 7, fn);
  auto env = info.Env();
  F32 x = f32Arg(info, 0, "x"), W = f32Arg(info, 1, "W"), b = f32Arg(info, 2, "b", true),
      y = f32Arg(info, 3, "y"), col = f32Arg(info, 4, "col");
  I32Copy dims = i32Copy(info, 5, "dims");
  bool relu = boolArg(info, 6);
  ConvCall c = convDims(env, dims.view(), fn);
  requireSize(env, x.length, c.xLen, 1, "x");
  requireSize(env, W.length, c.wLen, 1, "W");
  if (b.data) requireSize(env, b.length, c.s.F, 1, "b");
  requireSize(env, y.length, c.yLen, 1, "y");
  requireSize(env, col.length, c.colLen, 1, "col");
  requireDisjoint(env, col, c.colLen, x, c.xLen, "x");
  requireDisjoint(env, col, c.colLen, W, c.wLen, "W");
  requireDisjoint(env, col, c.colLen, b, c.s.F, "b");
  requireDisjoint(env, col, c.colLen, y, c.yLen, "y");
  (Naive ? conv2d_forward_naive : conv2d_forward)(x.data, W.data, b.data, y.data, col.data, c.s, relu);
  return env.Undefined();
}

// conv2dBackward(x, W, dy, dW|null, db|null, dx|null, col, dims[, reluY|null]): accumulates into the
// gradients; with reluY (the forward's output after its ReLU) the ReLU's backward pass comes first.
template <bool Naive>
Napi::Value Conv2dBackward(const Napi::CallbackInfo& info) {
  const char* fn = Naive ? "conv2dBackwardReference" : "conv2dBackward";
  requireArgs(info, 8, fn);
  auto env = info.Env();
  F32 x = f32Arg(info, 0, "x"), W = f32Arg(info, 1, "W"), dy = f32Arg(info, 2, "dy"),
      dW = f32Arg(info, 3, "dW", true), db = f32Arg(info, 4, "db", true), dx = f32Arg(info, 5, "dx", true),
      col = f32Arg(info, 6, "col");
  I32Copy dims = i32Copy(info, 7, "dims");
  F32 reluY = f32Arg(info, 8, "reluY", true);
  ConvCall c = convDims(env, dims.view(), fn);
  requireSize(env, x.length, c.xLen, 1, "x");
  requireSize(env, W.length, c.wLen, 1, "W");
  requireSize(env, dy.length, c.yLen, 1, "dy");
  if (reluY.data) requireSize(env, reluY.length, c.yLen, 1, "reluY");
  if (dW.data) requireSize(env, dW.length, c.wLen, 1, "dW");
  if (db.data) requireSize(env, db.length, c.s.F, 1, "db");
  if (dx.data) requireSize(env, dx.length, c.xLen, 1, "dx");
  requireSize(env, col.length, c.colLen, 1, "col");
  requireDisjoint(env, col, c.colLen, x, c.xLen, "x");
  requireDisjoint(env, col, c.colLen, W, c.wLen, "W");
  requireDisjoint(env, col, c.colLen, dy, c.yLen, "dy");
  requireDisjoint(env, col, c.colLen, dW, c.wLen, "dW");
  requireDisjoint(env, col, c.colLen, db, c.s.F, "db");
  requireDisjoint(env, col, c.colLen, dx, c.xLen, "dx");
  requireDisjoint(env, col, c.colLen, reluY, c.yLen, "reluY");
  (Naive ? conv2d_backward_naive : conv2d_backward)(x.data, W.data, dy.data, dW.data, db.data, dx.data,
                                                    col.data, c.s, reluY.data);
  return env.Undefined();
}

// Whether y (yLen floats) shares memory with another argument: the kernel reads it while writing y.
void requireApart(Napi::Env env, const F32& y, size_t yLen, const F32& other, size_t otherLen, const char* fn,
                  const char* name) {
  if (overlaps(y.data, yLen * sizeof(float), other.data, otherLen * sizeof(float)))
    throwRange(env, std::string(fn) + ": y overlaps " + name);
}

// convPoolInference(x, y, W, b|null, mean|null, variance|null, gamma|null, beta|null, convDims,
// poolDims, eps, relu): see kernels/conv_pool.h. The pooling runs over the convolution's output:
// poolDims' N, H, W, C are convDims' N, OH, OW, F.
Napi::Value ConvPoolInference(const Napi::CallbackInfo& info) {
  const char* fn = "convPoolInference";
  requireArgs(info, 12, fn);
  auto env = info.Env();
  F32 x = f32Arg(info, 0, "x"), y = f32Arg(info, 1, "y"), W = f32Arg(info, 2, "W"), b = f32Arg(info, 3, "b", true),
      mean = f32Arg(info, 4, "mean", true), variance = f32Arg(info, 5, "variance", true),
      gamma = f32Arg(info, 6, "gamma", true), beta = f32Arg(info, 7, "beta", true);
  I32Copy cdims = i32Copy(info, 8, "convDims"), pdims = i32Copy(info, 9, "poolDims");
  const float eps = epsArg(info, 10);
  const bool relu = boolArg(info, 11);
  if (!conv_pool_available()) throw Napi::Error::New(env, std::string(fn) + ": this CPU has no SIMD level for it (convPoolAvailable() is false)");
  const ConvCall c = convDims(env, cdims.view(), fn);
  const PoolShape ps = poolDims(env, pdims.view(), fn);
  const ConvShape& s = c.s;
  if (ps.N != s.N || ps.H != s.OH || ps.W != s.OW || ps.C != s.F)
    throwRange(env, std::string(fn) + ": poolDims' N, H, W, C must be convDims' N, OH, OW, F");
  if (!conv_pool_window_ok(ps.PH, ps.PW))
    throwRange(env, std::string(fn) + ": a pooling window of " + std::to_string(ps.PH * ps.PW) +
                        " taps is not supported (1, 2, 3, 4, 6 or 9)");
  if (!mean.data != !variance.data) throwType(env, std::string(fn) + ": mean and variance go together");
  if (!gamma.data != !beta.data) throwType(env, std::string(fn) + ": gamma and beta go together");
  if (gamma.data && !mean.data) throwType(env, std::string(fn) + ": gamma and beta need mean and variance");
  const size_t F = (size_t)s.F, yLen = (size_t)ps.N * ps.OH * ps.OW * F;
  requireSize(env, x.length, c.xLen, 1, "x");
  requireSize(env, W.length, c.wLen, 1, "W");
  requireSize(env, y.length, yLen, 1, "y");
  for (const auto& [a, name] : {std::pair{&b, "b"}, {&mean, "mean"}, {&variance, "variance"}, {&gamma, "gamma"}, {&beta, "beta"}})
    if (a->data) requireSize(env, a->length, F, 1, name);
  requireApart(env, y, yLen, x, c.xLen, fn, "x");
  requireApart(env, y, yLen, W, c.wLen, fn, "W");
  for (const auto& [a, name] : {std::pair{&b, "b"}, {&mean, "mean"}, {&gamma, "gamma"}, {&beta, "beta"}})
    requireApart(env, y, yLen, *a, F, fn, name);
  // 1 / sqrt(variance + eps) as batchnorm_inference computes it, from one read of each variance.
  std::vector<float> inv(mean.data ? F : 0);
  for (size_t k = 0; k < inv.size(); k++) inv[k] = (float)(1.0 / std::sqrt((double)variance.data[k] + (double)eps));
  const ConvPoolParts parts{W.data, b.data, relu, mean.data, mean.data ? inv.data() : nullptr, gamma.data, beta.data};
  conv_pool_inference(x.data, y.data, s, ps, parts);
  return env.Undefined();
}

Napi::Value ConvPoolAvailable(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), conv_pool_available()); }

}  // namespace

void InitConv(Napi::Env env, Napi::Object exports) {
  exports["conv2dForward"] = Napi::Function::New(env, Guarded<Conv2dForward<false>>, "conv2dForward");
  exports["conv2dBackward"] = Napi::Function::New(env, Guarded<Conv2dBackward<false>>, "conv2dBackward");
  exports["conv2dForwardReference"] = Napi::Function::New(env, Guarded<Conv2dForward<true>>);
  exports["conv2dBackwardReference"] = Napi::Function::New(env, Guarded<Conv2dBackward<true>>);
  exports["convPoolInference"] = Napi::Function::New(env, Guarded<ConvPoolInference>, "convPoolInference");
  exports["convPoolAvailable"] = Napi::Function::New(env, Guarded<ConvPoolAvailable>, "convPoolAvailable");
}

}  // namespace gn::glue
