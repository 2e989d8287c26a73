#!/usr/bin/env bash
# Builds OpenBLAS from its released source as a static library for one architecture, with Zig's
# clang cross compiler against glibc 2.17 (see scripts/prebuild.sh):
#   scripts/prebuild-openblas.sh x64|arm64 OUT_DIR
# OUT_DIR receives libopenblas.a, cblas.h and the OpenBLAS headers it includes, and a stamp of
# every input (source checksum, options, compiler version). When the stamp matches, nothing is
# rebuilt. Single precision only, no Fortran, no LAPACK, pthreads, kernels picked at run time
# (DYNAMIC_ARCH) over the cores listed below.
set -euo pipefail
arch=$1
out=$2
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/prebuild-env.sh"

case "$arch" in
  x64)
    triple=x86_64-linux-gnu.2.17
    # PRESCOTT (SSE3, any x86-64 CPU) is always added as the fallback.
    options=(TARGET=HASWELL DYNAMIC_LIST="HASWELL SKYLAKEX COOPERLAKE ZEN SAPPHIRERAPIDS")
    ;;
  arm64)
    triple=aarch64-linux-gnu.2.17
    # ARMV8 (generic NEON) is always added as the fallback, for Cortex-A53/A57/A72 and others.
    # Cortex-A76/A78 and other Neoverse-N1-like cores use the NEOVERSEN1 kernels.
    options=(TARGET=ARMV8 DYNAMIC_LIST="NEOVERSEN1 NEOVERSEV1 NEOVERSEN2")
    ;;
  *) echo "prebuild-openblas: unknown architecture $arch" >&2; exit 2 ;;
esac
# OpenBLAS's makefiles test most of these for being set at all (BUILD_DOUBLE=0 would build double
# precision): pass only the ones that are on.
options+=(DYNAMIC_ARCH=1 USE_THREAD=1 NUM_THREADS=256 USE_OPENMP=0 USE_LOCKING=1
  NOFORTRAN=1 NO_FORTRAN=1 NO_LAPACK=1 NO_LAPACKE=1 BUILD_SINGLE=1 NO_EXPRECISION=1
  NO_SHARED=1 NO_AFFINITY=1 NO_WARMUP=1)

stamp="openblas $OPENBLAS_VERSION $OPENBLAS_SHA256 $triple ${options[*]} zig $(zig_version) wrapper $(sha256sum "$here/prebuild-zigcc.sh" | cut -c1-16)"
if [[ -f "$out/stamp" && "$(cat "$out/stamp")" == "$stamp" && -f "$out/libopenblas.a" ]]; then
  echo "prebuild-openblas: $arch up to date ($out)"
  exit 0
fi

# The library and the two headers gemmnet includes, as OpenBLAS's own install step writes them.
install_outputs() {  # work out
  cp "$1/libopenblas.a" "$2/libopenblas.a"
  {
    echo '#ifndef OPENBLAS_CONFIG_H'
    echo '#define OPENBLAS_CONFIG_H'
    awk 'NF {print $1, "OPENBLAS_"$2, $3}' "$1/config_last.h"
    echo "#define OPENBLAS_VERSION \" OpenBLAS $OPENBLAS_VERSION \""
    cat "$1/openblas_config_template.h"
    echo '#endif  /* OPENBLAS_CONFIG_H */'
  } >"$2/openblas_config.h"
  sed 's/common/openblas_config/g' "$1/cblas.h" >"$2/cblas.h"
}

src_tar="$(fetch_openblas_source)"
work="$PREBUILD_WORK/openblas-$arch"
rm -rf "$work" "$out"
mkdir -p "$work" "$out"
tar -xJf "$src_tar" -C "$work" --strip-components=1

# One-word compiler commands for OpenBLAS's make (its checks parse $(CC) as a single program).
bin="$work/.bin"
mkdir -p "$bin"
printf '#!/bin/sh\nexport ZIG="%s" ZIG_TARGET="%s"\nexec "%s" cc "$@"\n' "$ZIG" "$triple" "$here/prebuild-zigcc.sh" >"$bin/cc"
printf '#!/bin/sh\nexec "%s" ar "$@"\n' "$ZIG" >"$bin/ar"
printf '#!/bin/sh\nexec "%s" ranlib "$@"\n' "$ZIG" >"$bin/ranlib"
chmod +x "$bin"/*

echo "prebuild-openblas: building OpenBLAS $OPENBLAS_VERSION for $arch (a few minutes per core)"
log="$PREBUILD_WORK/openblas-$arch.log"
# Paths are mapped out of the objects, so the result does not depend on where it was built.
(cd "$work" && make -j"$PREBUILD_JOBS" libs \
  CC="$bin/cc" HOSTCC=gcc AR="$bin/ar" RANLIB="$bin/ranlib" CROSS=1 \
  COMMON_OPT="-O2 -ffile-prefix-map=$work=openblas -fno-ident" \
  "${options[@]}") >"$log" 2>&1 || { tail -40 "$log" >&2; echo "prebuild-openblas: failed, see $log" >&2; exit 1; }

install_outputs "$work" "$out"
echo "$stamp" >"$out/stamp"
rm -rf "$work"
echo "prebuild-openblas: $arch done"
