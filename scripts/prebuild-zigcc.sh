#!/usr/bin/env bash
# Compiler driver for the prebuilds: Zig's clang for $ZIG_TARGET (e.g. x86_64-linux-gnu.2.17), called
#   prebuild-zigcc.sh cc|c++ ARGS...
# Zig reads -march as its own -mcpu (CPU name, then +feature/-feature), so GCC-style values are
# rewritten: -march=skylake-avx512 -> -mcpu=skylake_avx512, -march=armv8.2-a+sve ->
# -mcpu=generic+v8_2a+sve. -mtune (scheduling only) is dropped. For arm64 assembly files, the
# -march is also passed to the assembler (Zig's -mcpu does not reach it: SVE kernels need it).
set -euo pipefail
mode=$1
shift
args=()
asm=0
for a in "$@"; do case "$a" in *.S | *.s) asm=1 ;; esac; done
for a in "$@"; do
  case "$a" in
    -march=armv8-a*|-march=armv8.*|-march=armv9*)
      v=${a#-march=armv}
      base=${v%%+*}
      feats=${v#"$base"}
      base=${base%-a}
      case "$base" in
        8) cpu=generic ;;
        *) cpu="generic+v${base//./_}a" ;;
      esac
      feats=${feats//+fp16/+fullfp16}
      args+=("-mcpu=$cpu$feats")
      if [[ $asm == 1 ]]; then args+=("-Wa,$a"); fi ;;
    -march=*) v=${a#-march=}; args+=("-mcpu=${v//-/_}") ;;
    -mtune=*) ;;
    *) args+=("$a") ;;
  esac
done
exec "$ZIG" "$mode" -target "$ZIG_TARGET" "${args[@]}"
