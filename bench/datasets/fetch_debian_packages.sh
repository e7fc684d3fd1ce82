#!/usr/bin/env bash
# Fetches the Debian bookworm main amd64 package index (63,440 stanzas, ~50 MB)
# into bench/data/debian_packages.txt: blank-line-separated stanzas, usable as
# `pazip_compare --format stanzas`. Uses apt's own list if present, else
# downloads Packages.xz from deb.debian.org.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/bench/data/debian_packages.txt"
mkdir -p "$ROOT/bench/data"
# apt keeps its lists uncompressed, or .lz4/.gz/.xz when configured.
LIST=$(ls /var/lib/apt/lists/*debian_dists_bookworm_main_binary-amd64_Packages{,.lz4,.gz,.xz} 2>/dev/null | head -1 || true)
if [[ -n "$LIST" ]]; then
  case "$LIST" in
    *.lz4) lz4cat "$LIST" ;;
    *.gz) zcat "$LIST" ;;
    *.xz) xzcat "$LIST" ;;
    *) cat "$LIST" ;;
  esac > "$OUT.tmp"
else
  curl -fsSL https://deb.debian.org/debian/dists/bookworm/main/binary-amd64/Packages.xz | xz -d > "$OUT.tmp"
fi
mv "$OUT.tmp" "$OUT"
echo "$OUT: $(grep -c '^Package: ' "$OUT") stanzas, $(wc -c < "$OUT") bytes"
