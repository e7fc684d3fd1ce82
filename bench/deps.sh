#!/usr/bin/env bash
# Bench-only set-up (make bench / make bench-quick), on top of scripts/deps.sh:
# gnuplot draws the plots, python3 and npm are what bench/datasets/ uses to
# fetch and convert the npm sets, curl fetches the Debian index when apt has
# no list. Installs from Debian's packages only what is missing (a tool found
# on PATH counts, e.g. a node/npm installed some other way). Idempotent.
set -euo pipefail

say() { echo "bench deps: $*"; }
die() { echo "bench deps: error: $*" >&2; exit 1; }

# command -> Debian package providing it
declare -A NEED=([gnuplot]=gnuplot-nox [python3]=python3 [npm]=npm [curl]=curl
                 [lz4cat]=lz4 [xz]=xz-utils [awk]=gawk)
missing=()
for cmd in "${!NEED[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${NEED[$cmd]}")
done
# gnuplot must write PNG (the pngcairo or png terminal).
if command -v gnuplot >/dev/null 2>&1 &&
   ! gnuplot -e 'set terminal' 2>&1 | grep -qE '^ +(pngcairo|png) '; then
  missing+=(gnuplot-nox)
fi
if [ "${#missing[@]}" -eq 0 ]; then
  say "gnuplot, python3, npm, curl, lz4, xz, awk present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to install ${missing[*]}"
  SUDO=sudo
fi
say "installing ${missing[*]}"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
  --no-install-recommends "${missing[@]}" >/dev/null
