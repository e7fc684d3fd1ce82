#!/usr/bin/env bash
# make demo: the main job. Loads the Debian package index (63k stanzas,
# ~50 MB; the apt lists of this machine, or a 1/60 slice bundled in
# bench/datasets/ when they are not there and cannot be fetched) into RocksDB
# with SearchableTable and with BlockBasedTable side by side, and prints
# sizes, compression ratios and random-Get speed of each.
set -euo pipefail
BUILD="${1:-build}"
WORK="$BUILD/demo"
mkdir -p "$WORK"

lists=/var/lib/apt/lists
# apt keeps its lists uncompressed by default, or compressed when configured
# (Acquire::GzipIndexes, lz4 on some images): take whichever is there.
find_index() {
  ls "$lists"/*debian_dists_bookworm_main_binary-amd64_Packages{,.lz4,.gz,.xz} 2>/dev/null | head -1
}
cat_index() {
  case "$1" in
    *.lz4) lz4cat "$1" ;;
    *.gz) zcat "$1" ;;
    *.xz) xzcat "$1" ;;
    *) cat "$1" ;;
  esac
}
index="$(find_index || true)"
if [ -z "$index" ]; then
  echo "demo: no Debian package index in $lists; trying apt-get update"
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq >/dev/null 2>&1 || true
  elif command -v sudo >/dev/null; then sudo apt-get update -qq >/dev/null 2>&1 || true; fi
  index="$(find_index || true)"
fi
if [ -n "$index" ]; then
  echo "demo: data: $index"
  cat_index "$index" > "$WORK/Packages.stanzas"
else
  echo "demo: offline: using the bundled 1/60 slice bench/datasets/packages-sample.stanzas.xz"
  xz -dc "$(dirname "$0")/../bench/datasets/packages-sample.stanzas.xz" > "$WORK/Packages.stanzas"
fi

"$BUILD/bin/table_compare" --stanzas "$WORK/Packages.stanzas" \
    --gets 100000 --seeks 20000 --dir "$WORK/db" | tee "$WORK/results.jsonl" |
awk -F'[,:{}"]+' '
  { for (i = 2; i < NF; i += 2) f[$i] = $(i + 1) }
  f["format"] != "" && !("ratio" in f) {
    if (!hdr++) {
      printf "\n%-22s %10s %8s %10s %12s %12s %12s\n", "format", "records", "SST MB",
             "raw/SST", "Get/s (mem)", "Get/s (budget)", "load s"
    }
    printf "%-22s %10d %8.2f %10.2f %12d %12d %12.2f\n", f["format"], f["records"],
           f["sst_bytes"] / 1e6, f["raw_bytes"] / f["sst_bytes"], f["get_present_ops_s"],
           f["get_budget_ops_s"], f["load_s"]
  }
  "ratio" in f { delete f }
  { delete f }'
echo
echo "demo: full JSON (with ratios SearchableTable/BlockBasedTable) in $WORK/results.jsonl"
