#!/usr/bin/env bash
# Builds the prebuilt binaries that npm users load, for linux-x64 and linux-arm64 (glibc), into
#   prebuilds/linux-<arch>/gemmnet.napi.glibc.node   the addon (rebuilt whenever binding/ changes)
#   prebuilds/linux-<arch>/libgemmnet_blas.so        OpenBLAS, linked statically, symbols hidden
# found by node-gyp-build; the addon finds its BLAS library through RPATH $ORIGIN.
#
# The toolchain is fetched, not assumed: Zig (clang 19, libc++, and glibc link stubs of any version)
# from the npm registry, pinned by version and SHA-256 (scripts/prebuild-env.sh). Targeting
# <arch>-linux-gnu.2.17 links against glibc 2.17's symbol versions, so the files load on any glibc
# from 2.17 on (the check requires <= 2.28), and cross-compiles arm64 from an x64 machine. The C++
# runtime (libc++, libunwind) is linked statically; nothing but libc, libm, libpthread and libdl is
# needed at run time.
#
# OpenBLAS is built from its release source (scripts/prebuild-openblas.sh), cached in build-prebuild/
# while its inputs are unchanged. Files are stripped and built without paths, timestamps or build
# ids, so the same sources and toolchain give the same bytes.
#   PREBUILD_ARCHS="x64 arm64" (default), PREBUILD_JOBS=2 (default).
#   PREBUILD_KEEP_BLAS=1: rebuild the addons only, linked against the committed libgemmnet_blas.so
#   of each architecture (for a change under binding/ that leaves binding/blas/ as it is: no
#   OpenBLAS build, which takes about 20 minutes per architecture without its cache).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source scripts/prebuild-env.sh
fetch_zig
archs=${PREBUILD_ARCHS:-x64 arm64}

napi_inc=$(node -p "require('node-api-headers').include_dir")
addon_api_inc=$(node -p "require('node-addon-api').include_dir")
gen="$PREBUILD_WORK/gen"
node scripts/source-hash.js --header "$gen/source_hash.h"

defines=(-DNAPI_VERSION=8 -DNODE_ADDON_API_DISABLE_DEPRECATED -DNAPI_CPP_EXCEPTIONS
  -DNODE_ADDON_API_CPP_EXCEPTIONS_ALL -DNODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS -DBUILDING_NODE_EXTENSION)
# No contraction into FMA anywhere: every SIMD level rounds as the scalar code does.
common=(-O3 -g0 -fPIC -fvisibility=hidden -ffp-contract=off -fno-math-errno -fno-ident
  -Wall -Wextra -Wno-unused-parameter "-ffile-prefix-map=$root=." "-ffile-prefix-map=$PREBUILD_WORK=build")

# Runs up to PREBUILD_JOBS compile commands (one per line of a file, NUL-free) at once.
run_jobs() { xargs -P "$PREBUILD_JOBS" -I{} sh -c '{}' <"$1"; }

build_arch() {
  local arch=$1 triple simd_srcs=() blasdir="$PREBUILD_WORK/blas-$arch" obj="$PREBUILD_WORK/obj-$arch"
  local out="prebuilds/linux-$arch"
  case "$arch" in
    x64) triple=x86_64-linux-gnu.2.17 ;;
    arm64) triple=aarch64-linux-gnu.2.17 ;;
  esac
  local keep=${PREBUILD_KEEP_BLAS:-}
  if [ -n "$keep" ]; then
    [ -f "$out/libgemmnet_blas.so" ] || { echo "prebuild: PREBUILD_KEEP_BLAS needs $out/libgemmnet_blas.so" >&2; exit 1; }
    if ! git diff --quiet HEAD -- binding/blas; then
      echo "prebuild: binding/blas/ has changed: its library must be rebuilt (without PREBUILD_KEEP_BLAS)" >&2
      exit 1
    fi
  else
    bash scripts/prebuild-openblas.sh "$arch" "$blasdir"
  fi
  export ZIG ZIG_TARGET=$triple
  local cc="$root/scripts/prebuild-zigcc.sh cc" cxx="$root/scripts/prebuild-zigcc.sh c++"
  rm -rf "$obj"
  mkdir -p "$obj" "$out"

  # libgemmnet_blas.so: the shim plus OpenBLAS, exporting only gn_*.
  if [ -n "$keep" ]; then
    cp "$out/libgemmnet_blas.so" "$obj/libgemmnet_blas.so"
  else
    printf '{\n  global: gn_*;\n  local: *;\n};\n' >"$obj/blas.map"
    $cc "${common[@]}" -O2 -I"$blasdir" -c binding/blas/blas_shim.c -o "$obj/blas_shim.o"
    $cc -shared -o "$obj/libgemmnet_blas.so" "$obj/blas_shim.o" "$blasdir/libopenblas.a" \
      -Wl,-soname,libgemmnet_blas.so -Wl,--version-script="$obj/blas.map" -Wl,-z,defs \
      -Wl,--build-id=none -Wl,--strip-all -lpthread -lm
  fi

  # The addon.
  local srcs=(binding/addon.cc binding/glue/*.cc)
  local f flags
  for f in binding/kernels/*.cc; do
    case "$arch:$f" in
      x64:*_neon.cc | arm64:*_avx2.cc | arm64:*_avx512.cc) ;;
      *) srcs+=("$f") ;;
    esac
  done
  : >"$obj/jobs"
  for f in "${srcs[@]}"; do
    flags=""
    case "$f" in
      *_avx2.cc) flags="-mavx2 -mfma" ;;
      *_avx512.cc) flags="-mavx512f -mavx512bw -mavx512dq -mavx512vl -mevex512 -mavx2 -mfma" ;;
    esac
    local o="$obj/$(echo "$f" | tr / _).o"
    echo "$cxx -std=c++17 ${common[*]} $flags ${defines[*]} -Ibinding -I$gen -I$napi_inc -I$addon_api_inc -c $f -o $o" >>"$obj/jobs"
  done
  run_jobs "$obj/jobs"
  printf '{\n  global: napi_register_module_v1; node_api_module_get_api_version_v1;\n  local: *;\n};\n' >"$obj/addon.map"
  # Objects in sorted order, so the link is the same whatever the file system's order.
  local objs
  objs=$(ls "$obj"/*.cc.o | LC_ALL=C sort)
  # N-API functions are left undefined: node itself provides them when it loads the addon.
  $cxx -shared -o "$obj/gemmnet.node" $objs -L"$obj" -lgemmnet_blas -lpthread \
    -Wl,-rpath,'$ORIGIN' -Wl,--version-script="$obj/addon.map" -Wl,--allow-shlib-undefined \
    -Wl,--build-id=none -Wl,--strip-all

  cp "$obj/gemmnet.node" "$out/gemmnet.napi.glibc.node"
  cp "$obj/libgemmnet_blas.so" "$out/libgemmnet_blas.so"
  echo "prebuild: linux-$arch:"
  ls -l "$out"
}

for arch in $archs; do build_arch "$arch"; done
# OpenBLAS's licence (BSD-3-Clause) travels with the binaries that contain it.
[ -n "${PREBUILD_KEEP_BLAS:-}" ] || tar -xJOf "$(fetch_openblas_source)" "OpenBLAS-$OPENBLAS_VERSION/LICENSE" >prebuilds/LICENSE-OpenBLAS.txt
echo "prebuild: sources $(node scripts/source-hash.js)"
sha256sum prebuilds/linux-*/*
