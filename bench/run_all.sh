#!/usr/bin/env bash
# make bench / make bench-quick: every benchmark of the project, each against
# its anchor in the same run, then docs/benchmarks.md and its plots.
#
#   bench/run_all.sh [--quick] [--no-setup]
#
# Full: the three public data sets whole (bench/datasets/, cached in
# bench/data/), db_bench with 4 M keys; 10-12 minutes measured on 2 shared
# cores once built and fetched (the bound is 45 minutes).
# --quick: small slices of the same sets and 200 k db_bench keys; 1.5
# minutes once built. --no-setup skips deps + build (they are idempotent anyway).
#
# Raw outputs go to bench/results/<full|quick>/ (git-ignored): one JSON-lines
# file per tool run, the db_bench logs, machine.txt, steps.tsv (step,
# seconds, exact command). bench/make_report.sh turns them into the page.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

MODE=full SETUP=1
for a in "$@"; do
  case "$a" in
    --quick) MODE=quick ;;
    --no-setup) SETUP=0 ;;
    *) echo "usage: $0 [--quick] [--no-setup]" >&2; exit 2 ;;
  esac
done
BUILD=${BUILD:-build}
BIN=$BUILD/bin
OUT=bench/results/$MODE
DATA=bench/data
START=$SECONDS

# --- sizes ---------------------------------------------------------------
if [ "$MODE" = quick ]; then
  SLICE_NAMES=200000 SLICE_STANZAS=3000 SLICE_REPOS=100000
  CO_FLAGS=(--queries 50000 --reps 3)
  PZ_FLAGS=(--reads 50000 --reps 3)
  TC_FLAGS=(--gets 20000 --seeks 5000 --budget-fractions 0.25,0.5,1,2,4 --budget-gets 2000)
  DB_NUM=200000 DB_READS=50000
else
  SLICE_NAMES=0 SLICE_STANZAS=0 SLICE_REPOS=0   # 0 = the whole set
  CO_FLAGS=(--queries 1000000 --reps 3)
  PZ_FLAGS=(--reads 200000 --reps 3)
  TC_FLAGS=(--gets 200000 --seeks 50000 --budget-fractions 0.25,0.5,1,2,4 --budget-gets 20000)
  DB_NUM=4000000 DB_READS=1000000
fi
DB_BENCH=${DB_BENCH:-/usr/bin/db_bench}
PRELOAD=$BUILD/lib/libsctable_preload.so
# Same flags, same seed for both db_bench runs. Small write buffers so the
# data goes through many flushes and compactions into table files; compact
# before the reads so they read table files, not the memtable.
DB_FLAGS=(--benchmarks=fillrandom,compact,readrandom,seekrandom,readseq
  --num=$DB_NUM --reads=$DB_READS --seed=42 --threads=1 --key_size=16
  --value_size=100 --compression_type=zstd --block_size=16384 --bloom_bits=10
  --cache_size=67108864 --seek_nexts=10 --write_buffer_size=8388608
  --target_file_size_base=16777216 --max_bytes_for_level_base=67108864
  --histogram=1 --stats_interval_seconds=0)

TOTAL_STEPS=11
step_no=0
say() { echo "bench: $*"; }
elapsed() { local s=$((SECONDS - START)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }

# The command line as one would type it: words quoted only when needed.
shell_words() {
  local w out=""
  for w in "$@"; do
    if [[ "$w" =~ ^[A-Za-z0-9_./=:,+%@-]+$ ]]; then out+="$w "; else out+="'${w//\'/\'\\\'\'}' "; fi
  done
  echo "${out% }"
}
# run_step NAME OUTFILE CMD...: runs CMD from the repo root with stdout to
# OUTFILE and stderr to OUTFILE.err, printing a line every 15 s while it
# runs; records the exact command and its duration in steps.tsv.
run_step() {
  local name=$1 out=$2
  shift 2
  step_no=$((step_no + 1))
  say "[$step_no/$TOTAL_STEPS] $name ($(elapsed) so far)"
  local t0=$SECONDS
  "$@" > "$out" 2> "$out.err" &
  local pid=$! rc=0 last=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if [ $((SECONDS - last)) -ge 15 ]; then
      last=$SECONDS
      say "      ... $name: $((SECONDS - t0)) s"
    fi
  done
  wait "$pid" || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "bench: error: $name failed (exit $rc): $*" >&2
    tail -n 20 "$out.err" >&2
    exit 1
  fi
  printf '%s\t%d\t%s\n' "$name" $((SECONDS - t0)) "$(shell_words "$@")" >> "$OUT/steps.tsv"
  say "      done in $((SECONDS - t0)) s"
}
# An interrupted run leaves no child behind.
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT

# --- 1. set-up ------------------------------------------------------------
step_no=$((step_no + 1))
if [ "$SETUP" = 1 ]; then
  say "[$step_no/$TOTAL_STEPS] set-up: make deps, bench deps, build"
  ./scripts/deps.sh
  ./bench/deps.sh
  make --no-print-directory build BUILD="$BUILD" > /tmp/sctable-bench-build.$$.log 2>&1 ||
    { tail -n 30 /tmp/sctable-bench-build.$$.log >&2; exit 1; }
  rm -f /tmp/sctable-bench-build.$$.log
else
  say "[$step_no/$TOTAL_STEPS] set-up skipped (--no-setup)"
fi
for t in coindex_compare pazip_compare table_compare; do
  [ -x "$BIN/$t" ] || { echo "bench: error: $BIN/$t not built" >&2; exit 1; }
done
[ -f "$PRELOAD" ] || { echo "bench: error: $PRELOAD not built" >&2; exit 1; }
[ -x "$DB_BENCH" ] || { echo "bench: error: $DB_BENCH missing (Debian package rocksdb-tools)" >&2; exit 1; }
command -v gnuplot >/dev/null || { echo "bench: error: gnuplot missing: run bench/deps.sh" >&2; exit 1; }

rm -rf "$OUT"
mkdir -p "$OUT" "$DATA"
printf 'step\tseconds\tcommand\n' > "$OUT/steps.tsv"

# --- 2. data sets (cached) --------------------------------------------------
step_no=$((step_no + 1))
say "[$step_no/$TOTAL_STEPS] data sets ($(elapsed) so far)"
[ -s $DATA/debian_packages.txt ] || bench/datasets/fetch_debian_packages.sh
[ -s $DATA/npm_names.txt ] || bench/datasets/fetch_npm_names.sh
[ -s $DATA/npm_repos.tsv ] || bench/datasets/fetch_npm_repos.sh
NAMES=$DATA/npm_names.txt STANZAS=$DATA/debian_packages.txt REPOS=$DATA/npm_repos.tsv
if [ "$MODE" = quick ]; then
  # Slices: the first N records of each set (the sets are in key order,
  # except the Debian index, which is in its own order).
  mkdir -p $DATA/slices
  head -n $SLICE_NAMES $NAMES > $DATA/slices/npm_names.txt
  awk -v n=$SLICE_STANZAS 'BEGIN { RS = ""; ORS = "\n\n" } NR <= n' $STANZAS > $DATA/slices/debian_packages.txt
  head -n $SLICE_REPOS $REPOS > $DATA/slices/npm_repos.tsv
  NAMES=$DATA/slices/npm_names.txt STANZAS=$DATA/slices/debian_packages.txt REPOS=$DATA/slices/npm_repos.tsv
fi
{
  echo "mode=$MODE"
  echo "names_file=$NAMES"
  echo "names_records=$(wc -l < $NAMES)"
  echo "names_bytes=$(wc -c < $NAMES)"
  echo "stanzas_file=$STANZAS"
  echo "stanzas_records=$(grep -c '^Package: ' $STANZAS)"
  echo "stanzas_bytes=$(wc -c < $STANZAS)"
  echo "repos_file=$REPOS"
  echo "repos_records=$(wc -l < $REPOS)"
  echo "repos_bytes=$(wc -c < $REPOS)"
  echo "db_num=$DB_NUM"
  echo "db_reads=$DB_READS"
} > "$OUT/sizes.txt"
sed 's/^/      /' "$OUT/sizes.txt"

# The machine, for the page.
{
  echo "cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
  echo "cores=$(nproc)"
  echo "mem_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)"
  echo "kernel=$(uname -r)"
  echo "os=$(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "rocksdb=$(dpkg-query -W -f='${Version}' librocksdb-dev 2>/dev/null || echo unknown)"
  echo "compiler=$(${CXX:-g++} --version | head -1)"
  echo "gnuplot=$(gnuplot --version)"
  echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src include bench tools 2>/dev/null || echo ' (with uncommitted changes)')"
} > "$OUT/machine.txt"

# --- 3-9. the benchmarks ----------------------------------------------------
run_step "coindex_compare: CO-Index vs marisa-trie, npm names" "$OUT/coindex_names.jsonl" \
  $BIN/coindex_compare --keys $NAMES "${CO_FLAGS[@]}"
run_step "pazip_compare: PA-Zip vs zstd/lz4, Debian stanzas" "$OUT/pazip_debian.jsonl" \
  $BIN/pazip_compare --records $STANZAS --format stanzas "${PZ_FLAGS[@]}"
run_step "pazip_compare: PA-Zip fast parse (the RocksDB write path), Debian stanzas" "$OUT/pazip_debian_fast.jsonl" \
  $BIN/pazip_compare --records $STANZAS --format stanzas --methods pazip --fast-parse 1 "${PZ_FLAGS[@]}"
run_step "pazip_compare: PA-Zip vs zstd/lz4, npm repository URLs" "$OUT/pazip_repos.jsonl" \
  $BIN/pazip_compare --records $REPOS --format tsv-values "${PZ_FLAGS[@]}"
TC_DIR=${TMPDIR:-/tmp}/sctable-bench-tc.$$
run_step "table_compare: SearchableTable vs BlockBasedTable, Debian stanzas" "$OUT/table_debian.jsonl" \
  $BIN/table_compare --stanzas $STANZAS "${TC_FLAGS[@]}" --dir "$TC_DIR"
run_step "table_compare: SearchableTable vs BlockBasedTable, npm name -> repository" "$OUT/table_repos.jsonl" \
  $BIN/table_compare --tsv $REPOS "${TC_FLAGS[@]}" --dir "$TC_DIR"
rm -rf "$TC_DIR"

DB_DIR=${TMPDIR:-/tmp}/sctable-bench-db.$$
mkdir -p "$DB_DIR"
run_step "db_bench (Debian's, unmodified): stock BlockBasedTable, $DB_NUM keys" "$OUT/db_bench_stock.log" \
  $DB_BENCH --db=$DB_DIR/stock "${DB_FLAGS[@]}"
du -b "$DB_DIR"/stock/*.sst | awk '{s += $1; n++} END {print "sst_bytes=" s; print "sst_files=" n}' > "$OUT/db_bench_stock.size"
rm -rf "$DB_DIR/stock"
run_step "db_bench (Debian's, unmodified) under libsctable_preload.so, $DB_NUM keys" "$OUT/db_bench_preload.log" \
  env LD_PRELOAD=$PRELOAD SCTABLE_ENABLE=1 $DB_BENCH --db=$DB_DIR/preload "${DB_FLAGS[@]}"
du -b "$DB_DIR"/preload/*.sst | awk '{s += $1; n++} END {print "sst_bytes=" s; print "sst_files=" n}' > "$OUT/db_bench_preload.size"
rm -rf "$DB_DIR"

# --- 10. the page ------------------------------------------------------------
step_no=$((step_no + 1))
say "[$step_no/$TOTAL_STEPS] docs/benchmarks.md and plots ($(elapsed) so far)"
echo "total_seconds=$((SECONDS - START))" >> "$OUT/sizes.txt"
bench/make_report.sh "$OUT" docs/benchmarks.md docs/benchmarks
say "finished in $(elapsed): docs/benchmarks.md, docs/benchmarks/*.png (raw outputs in $OUT)"
