#!/usr/bin/env bash
# libsctable_preload.so with Debian's own, unmodified RocksDB tools
# (issue 6): db_bench, ldb, sst_dump and a C-API-only program.
#
#   preload_tools_test.sh <libsctable_preload.so> <capi_check> <preload.map> <work dir>
#
# 1. the preload exports exactly the interposers of preload.map, and each is
#    a function librocksdb defines;
# 2. db_bench (fixed --seed, ~200k keys, 1 MiB write buffers: many flushes
#    and compactions) under the preload with SCTABLE_ENABLE=1 reports the
#    same result counts, benchmark by benchmark, as a stock BlockBasedTable
#    run, and every SST of its DB has SearchableTable's magic;
#    an existing BlockBasedTable DB opened under the preload reads the same
#    through the fallback and is converted by a compaction;
# 3. ldb scan / get on that DB, with the preload and nothing else set, print
#    exactly what stock ldb prints for the stock DB;
#    with the preload only, a program that does not read OPTIONS (db_bench
#    --use_existing_db) reads that DB as stock reads its own, and ldb repair
#    keeps every row (the preload switches a DB that has SearchableTable
#    files even without SCTABLE_ENABLE; SCTABLE_ENABLE=0 opens as stock);
# 4. sst_dump --command=verify, --command=scan and --show_properties work on
#    one of its files (and stock sst_dump rejects the file);
# 5. a program using only the C API writes SearchableTable through every C
#    open function and reads everything back, including a BlockBasedTable
#    file from SstFileWriter ingested into a switched DB (a full compaction
#    then converts it);
# 6. SCTABLE_OPTIONS=checksum_level=9 makes opens fail with InvalidArgument
#    naming checksum_level; SCTABLE_SKIP_CF and "preloaded but not enabled"
#    leave column families alone.
#
# SCTABLE_PRELOAD_TEST_NUM overrides the number of db_bench keys.
set -uo pipefail

if [ $# -ne 4 ]; then
  echo "usage: $0 <libsctable_preload.so> <capi_check> <preload.map> <work dir>" >&2
  exit 2
fi
PRELOAD=$(readlink -f "$1")
CAPI=$(readlink -f "$2")
MAP=$(readlink -f "$3")
WORK=$4
DB_BENCH=${DB_BENCH:-/usr/bin/db_bench}
LDB=${LDB:-/usr/bin/ldb}
SST_DUMP=${SST_DUMP:-/usr/bin/sst_dump}
NUM=${SCTABLE_PRELOAD_TEST_NUM:-200000}
SEARCHABLE_MAGIC=2b9926a3340ae36b
BLOCK_BASED_MAGIC=88e241b785f4cff7

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
step() { echo "== [${SECONDS}s] $*"; }
# Shows the end of a log when a command misbehaves.
show() { echo "--- $1 (last 30 lines):" >&2; tail -n 30 "$1" >&2; }

for tool in "$DB_BENCH" "$LDB" "$SST_DUMP"; do
  [ -x "$tool" ] || fail "$tool not found: run 'make deps' (Debian package rocksdb-tools)"
done
[ -f "$PRELOAD" ] || fail "$PRELOAD not built"

# Nothing from the caller's environment: each step sets what it tests.
unset SCTABLE_ENABLE SCTABLE_OPTIONS SCTABLE_SKIP_CF SCTABLE_LOG LD_PRELOAD
rm -rf "$WORK" && mkdir -p "$WORK" || fail "cannot create $WORK"
cd "$WORK" || exit 1

# The footer magic of an SST (8 bytes at the end, little-endian), as hex.
magic_of() {
  local b
  b=$(tail -c 8 "$1" | od -An -v -tx1 | tr -s ' \n' ' ')
  # shellcheck disable=SC2086
  set -- $b
  echo "$8$7$6$5$4$3$2$1"
}
# Fails unless every SST of DB directory $1 has magic $2 (at least one SST).
expect_all_magic() {
  local dir=$1 want=$2 n=0 f m
  for f in "$dir"/*.sst; do
    [ -e "$f" ] || continue
    m=$(magic_of "$f")
    [ "$m" = "$want" ] || fail "$f has magic 0x$m, expected 0x$want"
    n=$((n + 1))
  done
  [ "$n" -gt 0 ] || fail "no SST file in $dir"
  echo "   $n SST files in $dir, all with magic 0x$want"
}

# --- 1. exported symbols --------------------------------------------------
step "exports of $(basename "$PRELOAD")"
LIBROCKSDB=$(ldd "$DB_BENCH" | awk '/librocksdb/ {print $3}')
[ -f "$LIBROCKSDB" ] || fail "cannot find the librocksdb db_bench uses"
nm -D --defined-only "$PRELOAD" | awk '{print $3}' | sort > exported.txt
sed -n 's/^ *\(_Z[^;]*\);.*$/\1/p' "$MAP" | sort > expected.txt
[ -s expected.txt ] || fail "no symbol found in $MAP"
diff expected.txt exported.txt > exports.diff ||
  { cat exports.diff >&2; fail "the preload must export exactly the symbols of $MAP"; }
nm -D --defined-only "$LIBROCKSDB" | awk '{print $3}' | sort > librocksdb.txt
missing=$(comm -23 expected.txt librocksdb.txt)
[ -z "$missing" ] || fail "not defined by $LIBROCKSDB: $missing"
echo "   $(wc -l < exported.txt) symbols, all interposing $LIBROCKSDB"

# --- 2. db_bench, stock vs preload ----------------------------------------
BENCHMARKS=fillrandom,overwrite,readrandom,seekrandom,readreverse,deleterandom,compact,readrandom,mergerandom
BENCH_FLAGS=(--benchmarks=$BENCHMARKS --num="$NUM" --seed=42 --threads=1
  --value_size=100 --compression_type=none --merge_operator=uint64add
  --write_buffer_size=1048576 --target_file_size_base=1048576
  --max_bytes_for_level_base=4194304 --stats_interval_seconds=0
  --histogram=0)

# "name ops=N (details)" per benchmark line of a db_bench report: the
# operation count and db_bench's own result, e.g. "(X of Y found)".
summarize() {
  grep -E '^[a-z0-9_]+ +:' "$1" |
    sed -E 's/^([a-z0-9_]+) +:.* ([0-9]+) operations;[^(]*(\([^)]*\))?.*$/\1 ops=\2 \3/'
}

step "db_bench stock BlockBasedTable ($NUM keys)"
"$DB_BENCH" --db="$WORK/stock_db" "${BENCH_FLAGS[@]}" > bench_stock.log 2>&1 ||
  { show bench_stock.log; fail "stock db_bench failed"; }
# fallback_below_level=0: every file, flushes included, is SearchableTable
# (the default writes flushes as BlockBasedTable), so every operation above
# goes through our format.
step "db_bench under the preload, SCTABLE_ENABLE=1 SCTABLE_LOG=1 fallback_below_level=0"
LD_PRELOAD=$PRELOAD SCTABLE_ENABLE=1 SCTABLE_LOG=1 SCTABLE_OPTIONS=fallback_below_level=0 \
  "$DB_BENCH" --db="$WORK/sc_db" "${BENCH_FLAGS[@]}" > bench_preload.log 2>&1 ||
  { show bench_preload.log; fail "db_bench under the preload failed"; }
summarize bench_stock.log > summary_stock.txt
summarize bench_preload.log > summary_preload.txt
[ "$(wc -l < summary_stock.txt)" -eq 9 ] ||
  { show bench_stock.log; fail "expected 9 benchmark reports from stock db_bench"; }
[ "$(grep -c ' of [0-9]* found)' summary_stock.txt)" -eq 3 ] ||
  fail "expected 3 'found' counts (readrandom, seekrandom, readrandom)"
grep -q '(0 of' summary_stock.txt && fail "a read benchmark found nothing"
paste -d'|' summary_stock.txt summary_preload.txt |
  awk -F'|' '{printf "   %-50s | %s\n", $1, $2}'
diff summary_stock.txt summary_preload.txt > summary.diff ||
  { cat summary.diff >&2; fail "db_bench results differ between stock and the preload"; }
grep -q '^\[sctable\] DB::Open(.*sc_db): 1 of 1 column families switched' bench_preload.log ||
  { show bench_preload.log; fail "SCTABLE_LOG=1 printed no switch line"; }
grep -iE 'corruption|error' bench_preload.log && fail "errors in the preload run"
expect_all_magic "$WORK/sc_db" "$SEARCHABLE_MAGIC"
expect_all_magic "$WORK/stock_db" "$BLOCK_BASED_MAGIC"
grep -q '^ *table_factory=SearchableTable$' "$(ls "$WORK"/sc_db/OPTIONS-* | tail -1)" ||
  fail "the OPTIONS file of the preload's DB does not name SearchableTable"

# --- 2b. an existing BlockBasedTable DB, switched ---------------------------
step "existing BlockBasedTable DB: read through the fallback, then converted"
CONV_FLAGS=(--num=20000 --seed=5 --write_buffer_size=131072 --bloom_bits=10
  --compression_type=none --stats_interval_seconds=0 --histogram=0)
"$DB_BENCH" --db="$WORK/conv_stock_db" --benchmarks=fillrandom "${CONV_FLAGS[@]}" \
  > conv_fill.log 2>&1 || { show conv_fill.log; fail "stock fillrandom failed"; }
expect_all_magic "$WORK/conv_stock_db" "$BLOCK_BASED_MAGIC"
cp -a "$WORK/conv_stock_db" "$WORK/conv_sc_db"
CONV_BENCH=(--use_existing_db --benchmarks=readrandom,seekrandom,compact,readrandom)
"$DB_BENCH" --db="$WORK/conv_stock_db" "${CONV_BENCH[@]}" "${CONV_FLAGS[@]}" \
  > conv_stock.log 2>&1 || { show conv_stock.log; fail "stock db_bench failed"; }
LD_PRELOAD=$PRELOAD SCTABLE_ENABLE=1 "$DB_BENCH" --db="$WORK/conv_sc_db" \
  "${CONV_BENCH[@]}" "${CONV_FLAGS[@]}" > conv_preload.log 2>&1 ||
  { show conv_preload.log; fail "db_bench on the switched BlockBasedTable DB failed"; }
summarize conv_stock.log > conv_summary_stock.txt
summarize conv_preload.log > conv_summary_preload.txt
[ "$(grep -c ' of [0-9]* found)' conv_summary_stock.txt)" -eq 3 ] ||
  { show conv_stock.log; fail "expected 3 'found' counts"; }
diff conv_summary_stock.txt conv_summary_preload.txt > conv_summary.diff ||
  { cat conv_summary.diff >&2; fail "results differ on the switched BlockBasedTable DB"; }
sed 's/^/   /' conv_summary_preload.txt
expect_all_magic "$WORK/conv_sc_db" "$SEARCHABLE_MAGIC"
"$LDB" --db="$WORK/conv_stock_db" scan --hex > conv_scan_stock.txt 2>&1 ||
  fail "stock ldb scan failed"
LD_PRELOAD=$PRELOAD "$LDB" --db="$WORK/conv_sc_db" scan --hex > conv_scan_preload.txt 2>&1 ||
  fail "ldb scan of the converted DB failed"
cmp -s conv_scan_stock.txt conv_scan_preload.txt ||
  fail "the converted DB does not scan as the stock one (see $WORK/conv_scan_*.txt)"
echo "   converted DB: ldb scan identical to stock ($(wc -l < conv_scan_stock.txt) rows)"

# --- 3. ldb, with the preload and nothing else set --------------------------
step "ldb scan / get (preload only, OPTIONS name SearchableTable)"
"$LDB" --db="$WORK/stock_db" scan --hex > scan_stock.txt 2> scan_stock.err ||
  { show scan_stock.err; fail "stock ldb scan failed"; }
LD_PRELOAD=$PRELOAD "$LDB" --db="$WORK/sc_db" scan --hex > scan_preload.txt 2> scan_preload.err ||
  { show scan_preload.err; fail "ldb scan under the preload failed"; }
rows=$(wc -l < scan_stock.txt)
[ "$rows" -gt 1000 ] || fail "stock scan has only $rows rows"
cmp -s scan_stock.txt scan_preload.txt ||
  fail "ldb scan of the preload's DB differs from stock (see $WORK/scan_*.txt)"
echo "   ldb scan: $rows rows, identical to stock"
for line in 1 $((rows / 2)) "$rows"; do
  key=$(sed -n "${line}p" scan_stock.txt | sed 's/ : .*//')
  want=$(sed -n "${line}p" scan_stock.txt | sed 's/^.* : //')
  got=$(LD_PRELOAD=$PRELOAD "$LDB" --db="$WORK/sc_db" get --hex "$key" 2> get.err) ||
    { show get.err; fail "ldb get $key under the preload failed"; }
  [ "$got" = "$want" ] || fail "ldb get $key: '$got', expected '$want'"
done
echo "   ldb get: first, middle and last key read back as stock"

# --- 3b. any program, with the preload and nothing else set -----------------
step "db_bench --use_existing_db and ldb repair, preload only (files say SearchableTable)"
REREAD=("${BENCH_FLAGS[@]}" --use_existing_db --benchmarks=readrandom,seekrandom --seed=43)
"$DB_BENCH" --db="$WORK/stock_db" "${REREAD[@]}" > reread_stock.log 2>&1 ||
  { show reread_stock.log; fail "stock db_bench --use_existing_db failed"; }
LD_PRELOAD=$PRELOAD SCTABLE_LOG=1 "$DB_BENCH" --db="$WORK/sc_db" "${REREAD[@]}" \
  > reread_preload.log 2>&1 ||
  { show reread_preload.log; fail "db_bench --use_existing_db on the SearchableTable DB failed with the preload only"; }
grep -q 'SearchableTable (it has SearchableTable files; SCTABLE_ENABLE is not set)' reread_preload.log ||
  { show reread_preload.log; fail "no log line for the DB switched because of its files"; }
summarize reread_stock.log > reread_stock.txt
summarize reread_preload.log > reread_preload.txt
diff reread_stock.txt reread_preload.txt > reread.diff ||
  { cat reread.diff >&2; fail "reopened without SCTABLE_ENABLE, the DB reads differently"; }
sed 's/^/   /' reread_preload.txt
# (Not on sc_db: RepairDB puts every file in L0, and the debug checks of
# Debian's librocksdb reject that DB's overlapping seqno ranges, stock too.)
LD_PRELOAD=$PRELOAD SCTABLE_ENABLE=1 SCTABLE_OPTIONS=fallback_below_level=0 \
  "$DB_BENCH" --db="$WORK/repair_db" \
  --benchmarks=fillrandom,deleterandom --num=20000 --seed=11 \
  --write_buffer_size=131072 --disable_auto_compactions=1 > repair_fill.log 2>&1 ||
  { show repair_fill.log; fail "db_bench for the repair DB failed"; }
LD_PRELOAD=$PRELOAD "$LDB" --db="$WORK/repair_db" scan --hex > scan_before_repair.txt 2>&1 ||
  fail "ldb scan failed"
LD_PRELOAD=$PRELOAD "$LDB" --db="$WORK/repair_db" repair > repair.log 2>&1 ||
  { show repair.log; fail "ldb repair failed"; }
grep -q 'recovered [1-9][0-9]* files' repair.log || { show repair.log; fail "repair recovered no file"; }
LD_PRELOAD=$PRELOAD "$LDB" --db="$WORK/repair_db" scan --hex > scan_repaired.txt 2>&1 ||
  fail "ldb scan of the repaired DB failed"
cmp -s scan_before_repair.txt scan_repaired.txt ||
  { show repair.log; fail "ldb repair lost or changed data (see $WORK/scan_repaired.txt)"; }
expect_all_magic "$WORK/repair_db" "$SEARCHABLE_MAGIC"
echo "   ldb repair: $(wc -l < scan_repaired.txt) rows, as before"
LD_PRELOAD=$PRELOAD SCTABLE_ENABLE=0 "$DB_BENCH" --db="$WORK/sc_db" "${REREAD[@]}" \
  > reread_disabled.log 2>&1 && fail "SCTABLE_ENABLE=0 was expected to open as stock (and fail)"
grep -q 'Bad table magic number' reread_disabled.log ||
  { show reread_disabled.log; fail "SCTABLE_ENABLE=0: expected stock's Corruption"; }

# --- 4. sst_dump on one of its files ----------------------------------------
step "sst_dump --command=verify|scan, --show_properties"
SST=$(ls -S "$WORK"/sc_db/*.sst | head -1)
LD_PRELOAD=$PRELOAD "$SST_DUMP" --file="$SST" --command=verify > verify.txt 2>&1 ||
  { show verify.txt; fail "sst_dump --command=verify failed on $SST"; }
grep -q 'Sst file format: SearchableTable' verify.txt || { show verify.txt; fail "format not shown"; }
grep -q 'The file is ok' verify.txt || { show verify.txt; fail "verify did not say 'The file is ok'"; }
LD_PRELOAD=$PRELOAD "$SST_DUMP" --file="$SST" --show_properties --command=none > props.txt 2>&1 ||
  { show props.txt; fail "sst_dump --show_properties failed on $SST"; }
entries=$(sed -n 's/^ *# entries: \([0-9]*\)$/\1/p' props.txt)
[ -n "$entries" ] && [ "$entries" -gt 0 ] || { show props.txt; fail "no '# entries' in the properties"; }
grep -q 'column family name: default' props.txt || { show props.txt; fail "properties lack the column family"; }
LD_PRELOAD=$PRELOAD "$SST_DUMP" --file="$SST" --command=scan --output_hex > dump_scan.txt 2>&1 ||
  { show dump_scan.txt; fail "sst_dump --command=scan failed on $SST"; }
scanned=$(grep -c ' => ' dump_scan.txt)
[ "$scanned" -eq "$entries" ] ||
  fail "sst_dump scan printed $scanned entries, the properties say $entries"
echo "   $(basename "$SST"): ok; $entries entries in properties and scan"
LD_PRELOAD=$PRELOAD "$SST_DUMP" --file="$WORK/sc_db" --command=verify > verify_all.txt 2>&1 ||
  { show verify_all.txt; fail "sst_dump --command=verify failed on the DB directory"; }
ssts=$(ls "$WORK"/sc_db/*.sst | wc -l)
[ "$(grep -c 'The file is ok' verify_all.txt)" -eq "$ssts" ] ||
  { show verify_all.txt; fail "not all $ssts files verified"; }
echo "   all $ssts files of the DB verify"
"$SST_DUMP" --file="$SST" --command=verify > verify_stock.txt 2>&1
grep -q 'Unsupported table magic number' verify_stock.txt ||
  { show verify_stock.txt; fail "stock sst_dump was expected to reject the file"; }

# --- 5. the C API -----------------------------------------------------------
step "C API program under the preload"
mkdir -p capi
# fallback_below_level=0: the program's flushed files show by their magic
# that each open mode was switched.
LD_PRELOAD=$PRELOAD SCTABLE_ENABLE=1 SCTABLE_OPTIONS=fallback_below_level=0 \
  "$CAPI" "$WORK/capi" > capi.txt 2>&1 ||
  { show capi.txt; fail "the C API program failed under the preload"; }
sed 's/^/   /' capi.txt
grep -q '^capi_check: OK$' capi.txt || fail "the C API program did not finish"
for dir in open create_cf ingest transactiondb optimistic ttl; do
  expect_all_magic "$WORK/capi/$dir" "$SEARCHABLE_MAGIC"
done
# SstFileWriter is not switched: before the compaction the ingested
# BlockBasedTable file sat next to SearchableTable ones and was read back.
ingested=$(sed -n 's/^rocksdb_ingest_external_file: .*SST files: \([0-9]*\), SearchableTable: \([0-9]*\)$/\1 \2/p' capi.txt)
read -r total searchable <<< "$ingested"
[ -n "$ingested" ] && [ "$searchable" -lt "$total" ] ||
  fail "expected the ingested BlockBasedTable file among SearchableTable ones: '$ingested'"

# --- 6. invalid options, skipped column families, not enabled ---------------
step "SCTABLE_OPTIONS=checksum_level=9 fails the open"
LD_PRELOAD=$PRELOAD SCTABLE_OPTIONS=checksum_level=9 "$DB_BENCH" --db="$WORK/bad_db" \
  --benchmarks=fillseq --num=100 > bad.txt 2>&1 && fail "db_bench opened with checksum_level=9"
grep -q 'Invalid argument: .*checksum_level' bad.txt ||
  { show bad.txt; fail "no InvalidArgument naming checksum_level"; }
grep -m1 'Invalid argument' bad.txt | sed 's/^/   /'
mkdir -p capi_bad
LD_PRELOAD=$PRELOAD SCTABLE_OPTIONS=checksum_level=9 "$CAPI" "$WORK/capi_bad" > capi_bad.txt 2>&1 &&
  fail "rocksdb_open succeeded with checksum_level=9"
grep -q 'Invalid argument: .*checksum_level' capi_bad.txt ||
  { show capi_bad.txt; fail "C API: no InvalidArgument naming checksum_level"; }

step "SCTABLE_SKIP_CF=default with two column families"
LD_PRELOAD=$PRELOAD SCTABLE_ENABLE=1 SCTABLE_SKIP_CF=default SCTABLE_LOG=1 "$DB_BENCH" \
  --db="$WORK/skip_db" --benchmarks=fillrandom --num=20000 --seed=7 \
  --num_column_families=2 --write_buffer_size=131072 > skip.txt 2>&1 ||
  { show skip.txt; fail "db_bench with SCTABLE_SKIP_CF failed"; }
grep -q 'column family "default" left as BlockBasedTable (SCTABLE_SKIP_CF)' skip.txt ||
  { show skip.txt; fail "default was not reported as skipped"; }
grep -q 'column family "column_family_name_000001": BlockBasedTable -> SearchableTable' skip.txt ||
  { show skip.txt; fail "the second column family was not switched"; }
searchable=0 block_based=0
for f in "$WORK"/skip_db/*.sst; do
  case $(magic_of "$f") in
    "$SEARCHABLE_MAGIC") searchable=$((searchable + 1)) ;;
    "$BLOCK_BASED_MAGIC") block_based=$((block_based + 1)) ;;
    *) fail "$f has an unexpected magic" ;;
  esac
done
[ "$searchable" -gt 0 ] && [ "$block_based" -gt 0 ] ||
  fail "expected both formats, got $searchable SearchableTable and $block_based BlockBasedTable files"
echo "   $searchable SearchableTable files, $block_based BlockBasedTable files (default)"

step "preloaded without SCTABLE_ENABLE: nothing is switched"
LD_PRELOAD=$PRELOAD "$DB_BENCH" --db="$WORK/plain_db" --benchmarks=fillseq,flush \
  --num=2000 > plain.txt 2>&1 || { show plain.txt; fail "db_bench failed"; }
expect_all_magic "$WORK/plain_db" "$BLOCK_BASED_MAGIC"

step "PASS (${SECONDS}s)"
rm -rf "$WORK"/*_db "$WORK"/capi "$WORK"/capi_bad "$WORK"/*.txt
exit 0
