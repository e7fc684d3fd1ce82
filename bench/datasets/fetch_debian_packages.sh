#!/usr/bin/env bash
# Fetches the Debian bookworm main amd64 package index (63,440 stanzas, ~50 MB)
# into bench/data/debian_packages.txt: blank-line-separated stanzas, usable as
# `pazip_compare --format stanzas`. Uses apt's own list if present, else
# downloads Packages.xz from deb.debian.org.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/bench/data/debian_packages.txt"
mkdir -p "$ROOT/bench/data"
LIST=$(ls /var/lib/apt/lists/*debian_dists_bookworm_main_binary-amd64_Packages.lz4 2>/dev/null | head -1 || true)
if [[ -n "$LIST" ]]; then
  lz4cat "$LIST" > "$OUT.tmp"
else
  curl -fsSL https://deb.debian.org/debian/dists/bookworm/main/binary-amd64/Packages.xz | xz -d > "$OUT.tmp"
fi
mv "$OUT.tmp" "$OUT"
echo "$OUT: $(grep -c '^Package: ' "$OUT") stanzas, $(wc -c < "$OUT") bytes"
