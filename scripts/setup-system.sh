#!/usr/bin/env bash
# Installs the Debian packages erofs-builder needs. Idempotent: a no-op when
# everything is present. Needs root (apt) only when something is missing.
set -euo pipefail

# name of a command each package provides : package
REQUIRED=(
  "mkfs.erofs:erofs-utils"
  "docker-registry:docker-registry"
  "skopeo:skopeo"
  "umoci:umoci"
  "socat:socat"
  "zstd:zstd"
  "mkfs.ext4:e2fsprogs"
  "debugfs:e2fsprogs"
  "flock:util-linux"
  "losetup:mount"
  "igzip:isal"
  "debootstrap:debootstrap"
  "make:make"
  "g++:g++"
  "python3:python3"
  "openssl:openssl"
  "setpriv:util-linux"
  "tar:tar"
  "buildah:buildah"
  "veritysetup:cryptsetup-bin"
)

missing=()
for pair in "${REQUIRED[@]}"; do
  command_name=${pair%%:*}
  package=${pair#*:}
  if ! PATH="$PATH:/usr/sbin:/sbin" command -v "$command_name" >/dev/null 2>&1; then
    [[ " ${missing[*]-} " == *" $package "* ]] || missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-system: all required packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-system: missing packages: ${missing[*]}" >&2
  echo "setup-system: run as root (or: sudo apt-get install -y ${missing[*]})" >&2
  exit 1
fi

echo "setup-system: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# policy-rc.d keeps the docker-registry package from starting its system service:
# tests and the demo start their own registries on free loopback ports.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  created_policy=1
fi
trap '[ "$created_policy" = 1 ] && rm -f "$policy"' EXIT
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup-system: done"
