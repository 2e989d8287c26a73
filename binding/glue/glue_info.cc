// Glue for build information and thread control.
#include "blas/gn_blas.h"
#include "glue/common.h"
#include "kernels/cpu.h"
#include "kernels/gemm.h"
#include "kernels/parallel.h"
#include "source_hash.h"

namespace gn::glue {
namespace {

Napi::Value BuildInfo(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  auto out = Napi::Object::New(env);
  out["sourceHash"] = GEMMNET_SOURCE_HASH;
  out["blasCore"] = gn_blas_corename();
  out["blasConfig"] = gn_blas_config();
  out["blasVersion"] = gn_blas_version();
  out["simd"] = simd_name(simd_level());
  out["threads"] = get_threads();
  out["blasThreads"] = gn_blas_get_threads();
  out["napiVersion"] = NAPI_VERSION;
#if defined(__x86_64__)
  out["arch"] = "x64";
#elif defined(__aarch64__)
  out["arch"] = "arm64";
#endif
#if defined(__SANITIZE_ADDRESS__)
  out["sanitizers"] = true;
#else
  out["sanitizers"] = false;
#endif
  return out;
}

// setThreads(n)
Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  requireArgs(info, 1, "setThreads");
  int n = dimArg(info, 0, "threads");
  if (n < 1 || n > 256) throwRange(info.Env(), "threads must be in [1, 256]");
  set_threads(n);
  return info.Env().Undefined();
}

// setYielding(on): see gn::set_yielding (for the calling thread only).
Napi::Value SetYielding(const Napi::CallbackInfo& info) {
  requireArgs(info, 1, "setYielding");
  if (!info[0].IsBoolean()) throwType(info.Env(), "setYielding: on must be a boolean");
  set_yielding(info[0].As<Napi::Boolean>().Value());
  return info.Env().Undefined();
}

Napi::Value Yielding(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), yielding()); }

}  // namespace

void InitInfo(Napi::Env env, Napi::Object exports) {
  exports["buildInfo"] = Napi::Function::New(env, Guarded<BuildInfo>, "buildInfo");
  exports["setThreads"] = Napi::Function::New(env, Guarded<SetThreads>, "setThreads");
  exports["setYielding"] = Napi::Function::New(env, Guarded<SetYielding>, "setYielding");
  exports["yielding"] = Napi::Function::New(env, Guarded<Yielding>, "yielding");
}

}  // namespace gn::glue
