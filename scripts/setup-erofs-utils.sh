#!/usr/bin/env bash
# Builds erofs-utils 1.9.x from Debian's source package into a cache outside the
# repository, for the disk-test matrix and the benchmark's `mkfs.erofs --oci` peer:
#   $CACHE/erofs-utils-$VERSION/bin/{mkfs,fsck,dump}.erofs   (+ BUILD-INFO, and source/:
#   the verified source package it was built from)
# The .dsc is fetched from the Debian mirror's pool by name and checked against the
# sha256 pinned here (taken from Debian's signed Sources index); the tarballs are
# checked against the .dsc's Checksums-Sha256. Build dependencies are Debian 12
# packages installed with apt-get from the host's own sources (never changed).
# Safe against concurrent callers (flock, build in a temp dir, rename into place);
# a complete cache is a no-op. Budget: ~1 minute of build, once per machine.
# Prints the bin directory on stdout.
set -euo pipefail

VERSION=1.9.4
DEBIAN_REVISION=1
# sha256 of erofs-utils_1.9.4-1.dsc as Debian's Sources index (sid) lists it.
DSC_SHA256=a7c8caa80d09436976cd1d675b0d5b22caa331bb091b95e5f07682ef099f118a
CONFIGURE_FLAGS=(--enable-multithreading --enable-oci --enable-lzma --with-libzstd --with-libdeflate --with-uuid --with-zlib --with-xxhash --disable-fuse --without-selinux)
# Bump when the recipe changes, so existing caches are rebuilt.
RECIPE=2
BUILD_DEPS=(autoconf automake libtool pkgconf make gcc liblz4-dev libzstd-dev liblzma-dev zlib1g-dev libdeflate-dev uuid-dev libxxhash-dev libcurl4-openssl-dev libjson-c-dev libssl-dev)

CACHE=${EROFS_BUILDER_CACHE:-/var/cache/erofs-builder}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
TARGET=$CACHE/erofs-utils-$VERSION
STAMP="recipe $RECIPE, erofs-utils_$VERSION-$DEBIAN_REVISION.dsc sha256 $DSC_SHA256"

log() { echo "setup-erofs-utils: $*" >&2; }
complete() { [ -x "$TARGET/bin/mkfs.erofs" ] && [ "$(sed -n 1p "$TARGET/BUILD-INFO" 2>/dev/null)" = "$STAMP" ]; }

if complete; then echo "$TARGET/bin"; exit 0; fi

install_build_deps() {
  local missing=() package
  for package in "${BUILD_DEPS[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    log "missing build dependencies: ${missing[*]} (run as root, or: apt-get install ${missing[*]})"
    exit 1
  fi
  log "installing build dependencies: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
}

fetch() { # fetch NAME DIR: one file of the source package from the pool
  curl -fsS --retry 3 --max-time 120 -o "$2/$1" "$MIRROR/pool/main/e/erofs-utils/$1" ||
    { log "cannot fetch $MIRROR/pool/main/e/erofs-utils/$1 (a newer revision may have replaced $VERSION-$DEBIAN_REVISION: update VERSION, DEBIAN_REVISION and DSC_SHA256 in $0)"; return 1; }
}

check_sha256() { # check_sha256 FILE EXPECTED
  local actual
  actual=$(sha256sum "$1" | cut -d' ' -f1)
  [ "$actual" = "$2" ] || { log "$(basename "$1"): sha256 $actual, expected $2"; return 1; }
}

build() {
  local work=$1 dsc=erofs-utils_$VERSION-$DEBIAN_REVISION.dsc name sum
  fetch "$dsc" "$work"
  check_sha256 "$work/$dsc" "$DSC_SHA256"
  # Every file the .dsc names, checked against its Checksums-Sha256 block.
  local files=0
  while read -r sum _size name; do
    fetch "$name" "$work"
    check_sha256 "$work/$name" "$sum"
    files=$((files + 1))
  done < <(awk '/^Checksums-Sha256:/ {on=1; next} /^[^ ]/ {on=0} on && NF == 3 {print}' "$work/$dsc")
  [ "$files" -ge 2 ] || { log "$dsc lists $files files under Checksums-Sha256, expected the orig and debian tarballs"; return 1; }
  # Already verified above; dpkg-source would want the maintainer's key for the signature.
  dpkg-source --no-check -x "$work/$dsc" "$work/src" >/dev/null
  (
    cd "$work/src"
    ./autogen.sh >"$work/autogen.log" 2>&1 || { tail -20 "$work/autogen.log" >&2; exit 1; }
    ./configure --prefix="$TARGET" "${CONFIGURE_FLAGS[@]}" >"$work/configure.log" 2>&1 || { tail -30 "$work/configure.log" >&2; exit 1; }
    make -j"$(nproc)" >"$work/make.log" 2>&1 || { tail -30 "$work/make.log" >&2; exit 1; }
    make install DESTDIR="$work/dest" >"$work/install.log" 2>&1 || { tail -30 "$work/install.log" >&2; exit 1; }
  )
  local bin=$work/dest$TARGET/bin
  "$bin/mkfs.erofs" --version | grep -q "erofs-utils) $VERSION" || { log "the built mkfs.erofs does not report $VERSION"; return 1; }
  "$bin/mkfs.erofs" --help 2>&1 | grep -q -- '--oci' || { log "the built mkfs.erofs has no --oci (configure did not enable it)"; return 1; }
  { echo "$STAMP"; echo "configure ${CONFIGURE_FLAGS[*]}"; "$bin/mkfs.erofs" --version; } >"$work/dest$TARGET/BUILD-INFO"
  mkdir "$work/dest$TARGET/source"
  mv "$work"/erofs-utils_* "$work/dest$TARGET/source/"
}

mkdir -p "$CACHE"
exec 9>"$TARGET.lock"
flock 9
if ! complete; then
  install_build_deps
  started=$(date +%s)
  log "building erofs-utils $VERSION from Debian's source package (about a minute)"
  work=$(mktemp -d "$TARGET.tmp-XXXXXX")
  trap 'rm -rf "$work"' EXIT
  build "$work"
  rm -rf "$TARGET"
  mv "$work/dest$TARGET" "$TARGET"
  log "built in $(($(date +%s) - started)) s: $TARGET/bin"
fi
echo "$TARGET/bin"
