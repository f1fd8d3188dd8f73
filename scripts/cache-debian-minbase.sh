#!/usr/bin/env bash
# Builds the realistic test image once and caches it OUTSIDE the repository:
#   $CACHE/debian-minbase.tar   Debian 12 minbase rootfs (merged /usr), from debootstrap
#   $CACHE/realistic-oci/       OCI layout, tag "latest": that rootfs as the base layer plus
#                               layers made by buildah (vfs storage, chroot isolation) that
#                               install a package, delete and recreate directories, hardlink
#                               files and replace files with other types.
# Idempotent: each artefact is built under a temporary name and renamed into place,
# so an interrupted run leaves nothing half-built and a complete cache is a no-op.
# Needs root and network access to deb.debian.org. Budget: ~2-3 minutes on a clean machine.
set -euo pipefail

CACHE=${EROFS_BUILDER_CACHE:-/var/cache/erofs-builder}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
ROOTFS_TAR=$CACHE/debian-minbase.tar
OCI_DIR=$CACHE/realistic-oci
# Bump when the recipe below changes, so existing caches are rebuilt.
RECIPE_VERSION=2

mkdir -p "$CACHE"
export PATH="$PATH:/usr/sbin:/sbin"

build_rootfs_tar() {
  [ -s "$ROOTFS_TAR" ] && return 0
  local work
  work=$(mktemp -d "$CACHE/.debootstrap.XXXXXX")
  trap 'rm -rf "$work"; trap - RETURN' RETURN
  echo "cache: debootstrap --variant=minbase $SUITE (a few minutes)"
  debootstrap --variant=minbase --merged-usr "$SUITE" "$work/root" "$MIRROR" >"$work/log" 2>&1 ||
    { tail -20 "$work/log" >&2; return 1; }
  # Nothing from the build host belongs in the image.
  rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"* "$work/root/debootstrap"
  tar --numeric-owner --xattrs --xattrs-include='*' --acls -C "$work/root" -cf "$work/rootfs.tar" .
  mv "$work/rootfs.tar" "$ROOTFS_TAR"
}

build_realistic_oci() {
  if [ -f "$OCI_DIR/recipe-$RECIPE_VERSION" ]; then return 0; fi
  local work
  work=$(mktemp -d "$CACHE/.realistic.XXXXXX")
  local bh=(buildah --root "$work/storage" --runroot "$work/run" --storage-driver vfs)
  trap '"${bh[@]}" rm -a >/dev/null 2>&1 || true; "${bh[@]}" rmi -af >/dev/null 2>&1 || true; rm -rf "$work"; trap - RETURN' RETURN
  echo "cache: buildah layers on top of the minbase rootfs"

  # Layer 1: the debootstrap rootfs as it is.
  local ctr mnt
  ctr=$("${bh[@]}" from scratch)
  mnt=$("${bh[@]}" mount "$ctr")
  tar --numeric-owner --xattrs --xattrs-include='*' --acls -C "$mnt" -xf "$ROOTFS_TAR"
  "${bh[@]}" umount "$ctr" >/dev/null
  "${bh[@]}" commit --format oci "$ctr" step1 >/dev/null

  # Each further layer: a new container on the previous image, one shell script, commit.
  # (buildah run bind-mounts /etc/hostname, /etc/hosts and /etc/resolv.conf: leave them be.)
  layer() {
    local from=$1 to=$2 script=$3
    ctr=$("${bh[@]}" from "$from")
    "${bh[@]}" run --isolation chroot --net host "$ctr" -- sh -euc "$script"
    "${bh[@]}" commit --format oci "$ctr" "$to" >/dev/null
  }

  # Layer 2: apt installs packages (many lower-layer files replaced under /usr, /etc,
  # /var/lib/dpkg; setuid helpers from uidmap).
  layer step1 step2 '
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends less uidmap libcap2-bin >/dev/null
    rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin'

  # Layer 3: delete trees, recreate one with new content, hardlinks (same layer and to a
  # lower-layer file), type changes in several directions, setuid/setgid/sticky, a
  # file capability, a fifo, owners other than root.
  layer step2 step3 '
    rm -rf /usr/share/doc /usr/share/man
    mkdir -p /usr/share/doc/recreated
    echo new > /usr/share/doc/recreated/only-new
    ln /usr/bin/less /usr/bin/less-hardlink
    echo data > /srv/linked
    ln /srv/linked /srv/linked2
    ln /srv/linked /srv/linked3
    rm /etc/issue.net
    mkdir /etc/issue.net
    echo inside > /etc/issue.net/file
    rm -rf /var/backups
    ln -s /var/tmp /var/backups
    rm /etc/os-release
    echo "NAME=replaced" > /etc/os-release
    echo suid > /usr/local/bin/suid
    chmod 4755 /usr/local/bin/suid
    mkdir -m 3777 /srv/sticky-sgid
    mkfifo /srv/fifo
    echo cap > /usr/local/bin/capfile
    setcap cap_setuid,cap_net_raw+ep /usr/local/bin/capfile
    echo owned > /srv/owned
    chown 1234:5678 /srv/owned
    mkdir -p /opt/tree/a/b
    echo x > /opt/tree/a/b/c'

  # Layer 4: whiteouts over layer 3 (a directory deleted and recreated comes out as
  # whiteouts of its old children: buildah's diff never writes an opaque marker, so
  # those are covered by the fixture images); one name of a hardlink group removed,
  # another replaced.
  layer step3 realistic '
    rm -rf /opt/tree/a
    mkdir -p /opt/tree/a
    echo fresh > /opt/tree/a/fresh
    rm /srv/linked2
    echo changed > /srv/linked3.new
    mv /srv/linked3.new /srv/linked3
    rm /usr/bin/less-hardlink
    rm /etc/issue.net/file
    rmdir /etc/issue.net
    ln -s issue /etc/issue.net'
  "${bh[@]}" config --cmd /bin/sh "$ctr"
  "${bh[@]}" commit --format oci "$ctr" realistic >/dev/null

  "${bh[@]}" push realistic "oci:$work/oci:latest" >/dev/null
  touch "$work/oci/recipe-$RECIPE_VERSION"
  rm -rf "$OCI_DIR"
  mv "$work/oci" "$OCI_DIR"
}

build_rootfs_tar
build_realistic_oci
echo "cache: ready in $CACHE"
