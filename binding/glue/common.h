// Argument checks shared by the glue files. TypeScript validates first, with friendlier messages;
// these cheap checks stay so that no call can ever read or write out of bounds.
#pragma once
#include <napi.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/fpenv.h"
#include "kernels/parallel.h"

namespace gn::glue {

struct F32 {
  float* data = nullptr;
  size_t length = 0;
};
struct I32 {
  int32_t* data = nullptr;
  size_t length = 0;
};

[[noreturn]] inline void throwType(Napi::Env env, const std::string& msg) {
  throw Napi::TypeError::New(env, msg);
}
[[noreturn]] inline void throwRange(Napi::Env env, const std::string& msg) {
  throw Napi::RangeError::New(env, msg);
}

// Whether [a, a + aBytes) and [b, b + bBytes) share memory (an empty or null range shares none).
inline bool overlaps(const void* a, size_t aBytes, const void* b, size_t bBytes) {
  if (!a || !b || !aBytes || !bBytes) return false;
  const uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
  return x < y + bBytes && y < x + aBytes;
}

inline void requireArgs(const Napi::CallbackInfo& info, size_t n, const char* fn) {
  if (info.Length() < n)
    throwType(info.Env(), std::string(fn) + ": expected " + std::to_string(n) + " arguments, got " +
                              std::to_string(info.Length()));
}

// A Float32Array argument; null/undefined allowed (returns an empty F32) when optional.
inline F32 f32Arg(const Napi::CallbackInfo& info, size_t i, const char* name, bool optional = false) {
  Napi::Value v = info[i];
  if (optional && (v.IsNull() || v.IsUndefined())) return {};
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    throwType(info.Env(), std::string(name) + " must be a Float32Array");
  auto a = v.As<Napi::Float32Array>();
  return {a.Data(), a.ElementLength()};
}

inline I32 i32Arg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  Napi::Value v = info[i];
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array)
    throwType(info.Env(), std::string(name) + " must be an Int32Array");
  auto a = v.As<Napi::Int32Array>();
  return {a.Data(), a.ElementLength()};
}

// An Int32Array of indices or sizes, copied once into memory of our own. Its buffer may be a
// SharedArrayBuffer that another thread writes while native code runs: a value checked in place
// could change before it is used as an index, so it is checked and used from the copy.
struct I32Copy {
  std::vector<int32_t> values;
  I32 view() { return {values.data(), values.size()}; }
};
inline I32Copy i32Copy(const Napi::CallbackInfo& info, size_t i, const char* name) {
  I32 a = i32Arg(info, i, name);
  return {std::vector<int32_t>(a.data, a.data + a.length)};
}

// A non-negative integer dimension below 2^31.
inline int dimArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  Napi::Value v = info[i];
  if (!v.IsNumber()) throwType(info.Env(), std::string(name) + " must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= 2147483647.0) || d != (double)(int64_t)d)
    throwRange(info.Env(), std::string(name) + " must be an integer in [0, 2^31), got " + std::to_string(d));
  return (int)d;
}

inline double numArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  Napi::Value v = info[i];
  if (!v.IsNumber()) throwType(info.Env(), std::string(name) + " must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d)) throwRange(info.Env(), std::string(name) + " must be finite");
  return d;
}

inline bool boolArg(const Napi::CallbackInfo& info, size_t i) { return info[i].ToBoolean().Value(); }

// An optional trailing `accumulate` flag: true when absent or undefined (add into the output), false
// to overwrite it.
inline bool accumulateArg(const Napi::CallbackInfo& info, size_t i) {
  return info.Length() <= i || info[i].IsUndefined() || boolArg(info, i);
}

// Requires a buffer to hold at least rows * cols elements.
inline void requireSize(Napi::Env env, size_t have, size_t rows, size_t cols, const char* name) {
  const size_t need = rows * cols;  // dims < 2^31 each, so this cannot overflow 64 bits
  if (have < need)
    throwRange(env, std::string(name) + " has " + std::to_string(have) + " elements, needs " +
                        std::to_string(need));
}

inline void requireLabels(Napi::Env env, const I32& labels, int N, int C, const char* name) {
  if (labels.length < (size_t)N)
    throwRange(env, std::string(name) + " has " + std::to_string(labels.length) + " labels, needs " +
                        std::to_string(N));
  for (int n = 0; n < N; n++)
    if (labels.data[n] < 0 || labels.data[n] >= C)
      throwRange(env, std::string(name) + "[" + std::to_string(n) + "] = " +
                          std::to_string(labels.data[n]) + " is outside [0, " + std::to_string(C) + ")");
}

// Every exported function runs through this: denormals flushed while native code runs; on a
// yielding thread (a training worker), first a look whether the main thread waits for this core.
template <Napi::Value (*F)(const Napi::CallbackInfo&)>
Napi::Value Guarded(const Napi::CallbackInfo& info) {
  yield_point();
  FlushDenormals flush;
  return F(info);
}

// Each glue file registers its functions with one of these.
void InitDense(Napi::Env env, Napi::Object exports);
void InitActivations(Napi::Env env, Napi::Object exports);
void InitOptim(Napi::Env env, Napi::Object exports);
void InitInfo(Napi::Env env, Napi::Object exports);
void InitConv(Napi::Env env, Napi::Object exports);
void InitNorm(Napi::Env env, Napi::Object exports);

}  // namespace gn::glue
