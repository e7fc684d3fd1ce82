#!/usr/bin/env bash
# make deps: install everything sctable builds against from Debian's packages,
# and fetch the RocksDB internal headers that match the installed librocksdb
# from Debian's own source package. Idempotent: a rerun with everything in
# place touches nothing and takes well under a second.
#
# Environment: SCTABLE_DEPS_DIR (default: <repo>/.deps) receives the headers.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPS_DIR="${SCTABLE_DEPS_DIR:-$ROOT/.deps}"
ROCKSDB_UPSTREAM="7.8.3"   # the version whose internal headers we compile against

PACKAGES=(
  g++ cmake make pkg-config dpkg-dev
  librocksdb-dev rocksdb-tools
  libsdsl-dev libdivsufsort-dev libzstd-dev liblz4-dev libxxhash-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev
  libmarisa-dev
  lz4 xz-utils
)

say() { echo "deps: $*"; }
die() { echo "deps: error: $*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="__none__"; fi
fi
as_root() {
  [ "$SUDO" = "__none__" ] && die "need root (or sudo) to run: $*"
  $SUDO "$@"
}

# 1. Debian packages -------------------------------------------------------
missing=()
for p in "${PACKAGES[@]}"; do
  st="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
  [ "$st" = "install ok installed" ] || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
else
  say "all ${#PACKAGES[@]} packages present"
fi

# 2. The installed RocksDB must be the one our headers are for --------------
deb_version="$(dpkg-query -W -f='${Version}' librocksdb-dev)"
hdr=/usr/include/rocksdb/version.h
inst="$(awk '/define ROCKSDB_MAJOR /{a=$3} /define ROCKSDB_MINOR /{b=$3}
             /define ROCKSDB_PATCH /{c=$3} END{print a"."b"."c}' "$hdr")"
if [ "$inst" != "$ROCKSDB_UPSTREAM" ]; then
  die "installed librocksdb is $inst (Debian $deb_version), but sctable is built \
against RocksDB $ROCKSDB_UPSTREAM internals; install librocksdb-dev $ROCKSDB_UPSTREAM \
or pass -DSCTABLE_ROCKSDB_SOURCE_DIR=<matching tree> to cmake"
fi

# 3. Internal headers from Debian's source package -------------------------
src_dir="$DEPS_DIR/rocksdb-$ROCKSDB_UPSTREAM"
stamp="$src_dir/.sctable-debian-version"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$deb_version" ]; then
  say "RocksDB $deb_version internal headers present in $src_dir"
  exit 0
fi

has_deb_src() {
  grep -qsE '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list \
      /etc/apt/sources.list.d/*.list 2>/dev/null && return 0
  grep -qsE '^Types:.*deb-src' /etc/apt/sources.list.d/*.sources 2>/dev/null
}
if ! has_deb_src; then
  base=/etc/apt/sources.list.d/debian.sources
  if [ -f "$base" ]; then
    say "no deb-src entry found: adding /etc/apt/sources.list.d/sctable-deb-src.sources (from $base)"
    sed -E 's/^Types:.*/Types: deb-src/' "$base" |
      as_root tee /etc/apt/sources.list.d/sctable-deb-src.sources >/dev/null
  elif grep -qsE '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list; then
    say "no deb-src entry found: adding /etc/apt/sources.list.d/sctable-deb-src.list (from /etc/apt/sources.list)"
    sed -nE 's/^[[:space:]]*deb([[:space:]])/deb-src\1/p' /etc/apt/sources.list |
      as_root tee /etc/apt/sources.list.d/sctable-deb-src.list >/dev/null
  else
    die "no deb-src entry and no Debian source list to derive one from; add a deb-src line for bookworm and rerun"
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/sctable-deps.XXXXXX")"
trap 'rm -rf "$work"' EXIT
say "fetching Debian source package rocksdb=$deb_version"
( cd "$work" && apt-get source --download-only "rocksdb=$deb_version" >/dev/null 2>&1 ) ||
  ( cd "$work" && as_root apt-get source --download-only "rocksdb=$deb_version" >/dev/null 2>&1 ) ||
  die "apt-get source rocksdb=$deb_version failed (is the deb-src entry reachable?)"
orig="$(ls "$work"/rocksdb_"$ROCKSDB_UPSTREAM".orig.tar.* 2>/dev/null | head -1)"
[ -n "$orig" ] || die "source package has no rocksdb_$ROCKSDB_UPSTREAM.orig tarball"

# Only headers are needed (no generated header is). Debian's patches touch no
# header under db/, table/, file/, util/, include/ (only the toku lock tree).
mkdir -p "$DEPS_DIR"
rm -rf "$src_dir" "$src_dir.partial"
mkdir -p "$src_dir.partial"
tar -xf "$orig" -C "$src_dir.partial" --strip-components=1 \
  --wildcards '*.h'
tree_ver="$(awk '/define ROCKSDB_MAJOR /{a=$3} /define ROCKSDB_MINOR /{b=$3}
                 /define ROCKSDB_PATCH /{c=$3} END{print a"."b"."c}' \
            "$src_dir.partial/include/rocksdb/version.h" 2>/dev/null || true)"
[ "$tree_ver" = "$inst" ] || die "fetched tree is RocksDB '$tree_ver', installed is $inst"
[ -f "$src_dir.partial/table/table_builder.h" ] || die "fetched tree lacks table/table_builder.h"
echo "$deb_version" > "$src_dir.partial/.sctable-debian-version"
mv "$src_dir.partial" "$src_dir"
say "RocksDB $deb_version internal headers installed in $src_dir"
