#!/usr/bin/env bash
# Builds the native addon from a clean tree into prebuilds/linux-x64/, the files npm users load:
#   gemmnet.napi.glibc.node   the addon (rebuilt whenever binding/ changes)
#   libgemmnet_blas.so        OpenBLAS, linked statically, symbols hidden (changes rarely)
# Both are stripped; paths are mapped out of debug info, so the same sources give the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
out=prebuilds/linux-x64
work=build-prebuild
rm -rf "$work"
npx cmake-js compile --out "$work" \
  --CDCMAKE_C_FLAGS="-ffile-prefix-map=$PWD=." --CDCMAKE_CXX_FLAGS="-ffile-prefix-map=$PWD=." >/dev/null
mkdir -p "$out"
strip --strip-unneeded -o "$out/gemmnet.napi.glibc.node" "$work/Release/gemmnet.node"
strip --strip-unneeded -o "$out/libgemmnet_blas.so.new" "$work/Release/libgemmnet_blas.so"
# Keep the committed BLAS library untouched when its bytes did not change.
if cmp -s "$out/libgemmnet_blas.so.new" "$out/libgemmnet_blas.so"; then rm "$out/libgemmnet_blas.so.new";
else mv "$out/libgemmnet_blas.so.new" "$out/libgemmnet_blas.so"; fi
rm -rf "$work"
echo "prebuild: $(node scripts/source-hash.js) ->"
ls -l "$out"
if ldd "$out/gemmnet.napi.glibc.node" | grep -Ei 'openblas|libblas|gfortran'; then
  echo "prebuild: the addon must not depend on a system BLAS" >&2
  exit 1
fi
