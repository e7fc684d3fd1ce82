#!/usr/bin/env bash
# Writes docs/benchmarks.md and its PNG plots from the raw outputs of one
# bench/run_all.sh run. Every number on the page is read from those outputs;
# the words around them do not depend on the run, so a rerun changes only
# the measured numbers.
#
#   bench/make_report.sh RESULTS_DIR PAGE.md PLOT_DIR
#
# RESULTS_DIR holds: machine.txt, sizes.txt, steps.tsv, coindex_names.jsonl,
# pazip_{debian,repos}.jsonl, table_{debian,repos}.jsonl,
# db_bench_{stock,preload}.{log,size}. Needs bash, awk (mawk is enough), gnuplot.
set -euo pipefail
export LC_ALL=C
if [ $# -ne 3 ]; then
  echo "usage: $0 RESULTS_DIR PAGE.md PLOT_DIR" >&2
  exit 2
fi
RES=$1 MD=$2 PLOTS=$3
mkdir -p "$PLOTS"
# Plots are linked from the page relative to it.
PLOTREL=$(realpath --relative-to="$(dirname "$MD")" "$PLOTS")
for f in machine.txt sizes.txt steps.tsv coindex_names.jsonl pazip_debian.jsonl pazip_debian_fast.jsonl \
         pazip_repos.jsonl table_debian.jsonl table_repos.jsonl \
         db_bench_stock.log db_bench_preload.log db_bench_stock.size db_bench_preload.size; do
  [ -s "$RES/$f" ] || { echo "make_report: $RES/$f missing or empty" >&2; exit 1; }
done

# key=value files
kv() { sed -n "s/^$2=//p" "$RES/$1" | head -1; }
# jv(line, key): the value of "key" in a flat JSON object line.
JLIB='
function jv(line, key,   q, i, s) {
  q = "\"" key "\":"; i = index(line, q)
  if (!i) return ""
  s = substr(line, i + length(q))
  if (substr(s, 1, 1) == "\"") { s = substr(s, 2); return substr(s, 1, index(s, "\"") - 1) }
  if (match(s, /^[^,}]+/)) return substr(s, 1, RLENGTH)
  return ""
}'
# jget FILE SELKEY SELVAL FIELD: FIELD of the first line whose SELKEY is SELVAL.
jget() {
  awk -v sk="$2" -v sv="$3" -v f="$4" "$JLIB"'
    jv($0, sk) == sv && jv($0, "budget_fraction") == "" { print jv($0, f); exit }' "$1"
}
# calc EXPR [FORMAT]
calc() { awk "BEGIN { printf \"${2:-%.2f}\", $1 }"; }
fmt_int() { awk -v x="$1" 'BEGIN { printf "%.0f", x }'; }
mb() { calc "$1 / 1e6" "%.2f"; }

MODE=$(kv sizes.txt mode)
DBP=$RES/db_bench_preload.log DBS=$RES/db_bench_stock.log

# db_bench: "name us_per_op ops_per_s p50 p99 found" per benchmark.
db_summary() {
  awk '
    /^[a-z0-9_]+ +: / { n = $1; us[n] = $3; ops[n] = $5; order[++k] = n
      f = "-"; if (match($0, /\([0-9]+ of [0-9]+ found\)/)) f = substr($0, RSTART + 1, RLENGTH - 2)
      found[n] = f; p50[n] = "-"; p99[n] = "-"; next }
    /^Percentiles: / && n != "" { p50[n] = $3; p99[n] = $7 }
    END { for (i = 1; i <= k; i++) { n = order[i]; gsub(/ /, "_", found[n])
      print n, us[n], ops[n], p50[n], p99[n], found[n] } }' "$1"
}
db_summary "$DBS" > "$RES/db_stock.tsv"
db_summary "$DBP" > "$RES/db_preload.tsv"
dbget() { awk -v b="$2" -v c="$3" '$1 == b { print $c; exit }' "$RES/db_$1.tsv"; }
db_sst() { kv "db_bench_$1.size" sst_bytes; }

# --- headline ratios ---------------------------------------------------------
CO=$RES/coindex_names.jsonl
co_bytes=$(jget "$CO" structure ratio_coindex_over_marisa bytes)
co_find=$(jget "$CO" structure ratio_coindex_over_marisa find_ns)
pz_ratio() {  # pz_ratio FILE ANCHOR FIELD: pazip FIELD / ANCHOR FIELD
  calc "$(jget "$1" method pazip "$3") / $(jget "$1" method "$2" "$3")"
}
tc_ratio() { jget "$RES/table_$1.jsonl" ratio SearchableTable/BlockBasedTable "$2"; }
# The same reads measured side by side in one process (table_compare's
# interleaved phase).
tc_iratio() { jget "$RES/table_$1.jsonl" ratio "SearchableTable/BlockBasedTable interleaved" "$2"; }

# --- plots -------------------------------------------------------------------
GP_TERM="set terminal pngcairo size 900,520 noenhanced"

# Key index: bits/key vs find ns.
awk "$JLIB"' jv($0, "structure") !~ /^ratio/ {
  print jv($0, "structure"), jv($0, "find_ns"), jv($0, "bits_per_key") }' "$CO" > "$RES/plot_index.dat"
gnuplot <<EOF
$GP_TERM
set output "$PLOTS/index.png"
set title "Key index, npm package names: size vs random exact lookup"
set xlabel "random exact lookup, ns (median)"; set ylabel "bits per key"
set grid; set key off; set yrange [0:*]; set xrange [0:*]; set offsets graph 0.1, graph 0.25, graph 0.1, 0
plot "$RES/plot_index.dat" using 2:3:1 with labels point pt 7 ps 1.5 offset 1,0.7 left
EOF

# Values: ratio vs get ns, per method and data set.
for ds in debian repos; do
  awk "$JLIB"' /^\{/ { print jv($0, "method"), jv($0, "get_ns"), jv($0, "ratio") }' \
    "$RES/pazip_$ds.jsonl" > "$RES/plot_values_$ds.dat"
done
gnuplot <<EOF
$GP_TERM
set output "$PLOTS/values.png"
set title "Values: compression ratio vs decoding one random record"
set xlabel "get one random record, ns (log)"; set ylabel "raw bytes / stored bytes"
set logscale x; set grid; set key top left; set yrange [0:*]
plot "$RES/plot_values_debian.dat" using 2:3 with points pt 7 ps 1.3 lc rgb "#1f77b4" title "Debian stanzas", \
     "" using 2:3:1 with labels offset 0.8,0.6 left tc rgb "#1f77b4" notitle, \
     "$RES/plot_values_repos.dat" using 2:3 with points pt 5 ps 1.3 lc rgb "#d62728" title "npm repository URLs", \
     "" using 2:3:1 with labels offset 0.8,-0.6 left tc rgb "#d62728" notitle
EOF

# Tables: bytes (% of raw) vs random Get latency.
for ds in debian repos; do
  awk "$JLIB"' jv($0, "format") != "" && jv($0, "budget_fraction") == "" {
    print jv($0, "format"), 100 * jv($0, "sst_bytes") / jv($0, "raw_bytes"), 1e6 / jv($0, "get_present_ops_s") }' \
    "$RES/table_$ds.jsonl" > "$RES/plot_table_$ds.dat"
  # budget curves: one block per format
  awk "$JLIB"' jv($0, "budget_fraction") != "" { f = jv($0, "format"); if (!(f in line)) fo[++nf] = f
      line[f] = line[f] sprintf("%s %s\n", jv($0, "budget_bytes") / 1e6, jv($0, "get_ops_s")) }
    END { for (j = 1; j <= nf; j++) { print "\"" fo[j] "\""; printf "%s\n\n", line[fo[j]] } }' \
    "$RES/table_$ds.jsonl" > "$RES/plot_budget_$ds.dat"
done
gnuplot <<EOF
$GP_TERM
set output "$PLOTS/table_tradeoff.png"
set title "RocksDB table formats: file size vs random Get (everything in memory)"
set xlabel "SST bytes, % of raw key+value bytes"; set ylabel "random Get, microseconds (1 / throughput)"
set grid; set key top right; set yrange [0:*]; set xrange [0:*]; set offsets 0, graph 0.3, graph 0.15, 0
plot "$RES/plot_table_debian.dat" using 2:3 with points pt 7 ps 1.3 lc rgb "#1f77b4" title "Debian stanzas", \
     "" using 2:3:1 with labels offset 0.8,0.6 left tc rgb "#1f77b4" notitle, \
     "$RES/plot_table_repos.dat" using 2:3 with points pt 5 ps 1.3 lc rgb "#d62728" title "npm name -> repository", \
     "" using 2:3:1 with labels offset 0.8,-0.6 left tc rgb "#d62728" notitle
EOF
for ds in debian repos; do
  title="Debian stanzas"; [ $ds = repos ] && title="npm name -> repository"
  gnuplot <<EOF
$GP_TERM
set output "$PLOTS/table_budget_$ds.png"
set title "Random Get under a memory budget, $title"
set xlabel "memory budget, MB (log): block cache with direct reads; SearchableTable: its mmap"
set ylabel "Gets per second (log)"
set logscale xy; set grid; set key top left
plot for [i=0:*] "$RES/plot_budget_$ds.dat" index i using 1:2 with linespoints pt 7 lw 2 title columnheader(1)
EOF
done

# db_bench: ops/s per benchmark, stock vs preload.
join <(awk '$1 != "compact" { print $1, $3 }' "$RES/db_stock.tsv" | sort) \
     <(awk '$1 != "compact" { print $1, $3 }' "$RES/db_preload.tsv" | sort) > "$RES/plot_db.unsorted"
awk '{ print $1 }' "$RES/db_stock.tsv" | grep -v '^compact$' |
  while read -r b; do grep "^$b " "$RES/plot_db.unsorted"; done > "$RES/plot_db.dat"
gnuplot <<EOF
$GP_TERM
set output "$PLOTS/db_bench.png"
set title "Debian's db_bench, $(kv sizes.txt db_num) keys: stock BlockBasedTable vs libsctable_preload.so"
set ylabel "operations per second (log)"
set style data histograms; set style histogram clustered gap 1; set style fill solid 0.8 border -1
set logscale y; set grid y; set key top left; set yrange [1000:*]
plot "$RES/plot_db.dat" using 2:xtic(1) lc rgb "#7f7f7f" title "BlockBasedTable (stock)", \
     "" using 3 lc rgb "#2ca02c" title "SearchableTable (LD_PRELOAD)"
EOF

# --- the page ------------------------------------------------------------------
page() {
  echo "# Benchmarks"
  echo
  echo "<!-- Generated by bench/make_report.sh from the outputs of bench/run_all.sh. Do not edit: rerun \`make bench\`. -->"
  echo
  if [ "$MODE" = quick ]; then
    echo "> **Quick run** (\`make bench-quick\`): small slices of the data sets and a small db_bench,"
    echo "> to check that everything runs. Its numbers are not the project's figures: run \`make bench\`"
    echo "> for the whole data sets."
    echo
  fi
  echo "Produced by \`make $([ "$MODE" = quick ] && echo bench-quick || echo bench)\` in $(calc "int($(kv sizes.txt total_seconds) / 60)" "%d") min $(calc "$(kv sizes.txt total_seconds) % 60" "%d") s, from sources at commit \`$(kv machine.txt commit)\`."
  echo "Every benchmark runs sctable and its anchor in the same process or run, on the same data, so the"
  echo "**ratios** are the figures to read: the machine is shared, and absolute numbers move with its load."
  echo "Ratios are *sctable / anchor*: below 1 is smaller (bytes) or faster (time); for throughput"
  echo "(operations per second) above 1 is faster."
  echo
  echo "## Headline"
  echo
  echo "| what | anchor | sctable / anchor |"
  echo "|---|---|---|"
  echo "| key index size, npm names | marisa-trie (default, 3 levels) | $co_bytes |"
  echo "| key index random lookup time, npm names | marisa-trie | $co_find |"
  for ds in debian repos; do
    name="Debian stanzas"; [ $ds = repos ] && name="npm repository URLs"
    echo "| value store size, $name | zstd -19 per record + dictionary | $(pz_ratio "$RES/pazip_$ds.jsonl" zstd19_dict bytes_total) |"
    echo "| value store get-one time, $name | zstd -19 per record + dictionary | $(pz_ratio "$RES/pazip_$ds.jsonl" zstd19_dict get_ns) |"
    echo "| value store size, $name | zstd -3, 16 KiB blocks | $(pz_ratio "$RES/pazip_$ds.jsonl" zstd3_block16k bytes_total) |"
    echo "| value store get-one time, $name | zstd -3, 16 KiB blocks | $(pz_ratio "$RES/pazip_$ds.jsonl" zstd3_block16k get_ns) |"
  done
  for ds in debian repos; do
    name="Debian stanzas"; [ $ds = repos ] && name="npm name -> repository"
    echo "| RocksDB SST bytes, $name | BlockBasedTable (zstd-3, 16 KiB, bloom) | $(tc_ratio $ds sst_bytes) |"
    echo "| RocksDB random Gets/s, all in memory, $name | BlockBasedTable | $(tc_ratio $ds get_present_ops_s) (interleaved: $(tc_iratio $ds get_present_ops_s)) |"
    echo "| RocksDB absent-key Gets/s, all in memory, $name | BlockBasedTable | $(tc_ratio $ds get_absent_ops_s) (interleaved: $(tc_iratio $ds get_absent_ops_s)) |"
    echo "| RocksDB Seek + 10 Next/s, all in memory, $name | BlockBasedTable | $(tc_ratio $ds seek_next_ops_s) (interleaved: $(tc_iratio $ds seek_next_ops_s)) |"
    echo "| RocksDB random Gets/s, memory = SearchableTable's file size, $name | BlockBasedTable | $(tc_ratio $ds get_budget_ops_s) |"
    echo "| RocksDB load (writes, flush, full compaction) records/s, $name | BlockBasedTable | $(calc "1 / $(tc_ratio $ds load_s)" "%.3f") |"
  done
  echo "| db_bench DB size (SST bytes), $(kv sizes.txt db_num) keys | stock db_bench (BlockBasedTable) | $(calc "$(db_sst preload) / $(db_sst stock)") |"
  for b in fillrandom readrandom seekrandom readseq; do
    echo "| db_bench $b ops/s | stock db_bench | $(calc "$(dbget preload $b 3) / $(dbget stock $b 3)") |"
  done
  echo
  echo "## Machine"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| CPU | $(kv machine.txt cpu) |"
  echo "| cores | $(kv machine.txt cores) |"
  echo "| memory | $(calc "$(kv machine.txt mem_kb) / 1048576" "%.1f") GiB |"
  echo "| kernel | $(kv machine.txt kernel) |"
  echo "| system | $(kv machine.txt os), librocksdb $(kv machine.txt rocksdb) |"
  echo "| compiler | $(kv machine.txt compiler) |"
  echo "| plots | $(kv machine.txt gnuplot) |"
  echo
  echo "## Data"
  echo
  echo "Fetched by \`bench/datasets/\` into \`bench/data/\` (cached between runs; see"
  echo "\`bench/datasets/*.sh\` for the sources).$([ "$MODE" = quick ] && echo " Quick run: the first records of each set only.")"
  echo
  echo "| set | file | records | bytes |"
  echo "|---|---|---|---|"
  echo "| npm package names (one per line) | \`$(kv sizes.txt names_file)\` | $(fmt_int "$(kv sizes.txt names_records)") | $(fmt_int "$(kv sizes.txt names_bytes)") |"
  echo "| Debian bookworm main amd64 package index (stanzas) | \`$(kv sizes.txt stanzas_file)\` | $(fmt_int "$(kv sizes.txt stanzas_records)") | $(fmt_int "$(kv sizes.txt stanzas_bytes)") |"
  echo "| npm package name -> repository URL (TSV) | \`$(kv sizes.txt repos_file)\` | $(fmt_int "$(kv sizes.txt repos_records)") | $(fmt_int "$(kv sizes.txt repos_bytes)") |"
  echo
  echo "## Commands"
  echo
  echo "Run from the repository root, in this order (\`bench/results/$MODE/steps.tsv\`), after the set-up"
  echo "(\`scripts/deps.sh\`, \`bench/deps.sh\`, \`make build\`). Each tool's stdout is the JSON-lines file the"
  echo "tables below are read from."
  echo
  echo '| step | seconds |'
  echo '|---|---|'
  awk -F'\t' 'NR > 1 { printf "| %s | %s |\n", $1, $2 }' "$RES/steps.tsv"
  echo
  echo '```sh'
  awk -F'\t' 'NR > 1 { print $3 }' "$RES/steps.tsv" | sed -E 's#/tmp/sctable-bench-(tc|db)\.[0-9]+#/tmp/sctable-bench-\1#g'
  echo '```'
  echo

  echo "## 1. Key index: CO-Index vs marisa-trie (npm package names)"
  echo
  echo "\`coindex_compare\`: both structures built over the same sorted, deduplicated keys. Lookup and seek:"
  echo "median over batches of 1,000 uniformly random queries (seek: absent keys; marisa has no lower"
  echo "bound, so its figure is an unsuccessful exact lookup). CO-Index ids are in key order, marisa's are not."
  echo
  echo "| structure | bytes | % of raw | bits/key | build s | lookup ns | seek ns | ordered scan ns/key |"
  echo "|---|---|---|---|---|---|---|---|"
  awk "$JLIB"' jv($0, "structure") !~ /^ratio/ {
    printf "| %s | %.0f | %.1f%% | %s | %s | %s | %s | %s |\n", jv($0, "structure"), jv($0, "bytes"),
      100 * jv($0, "bytes") / jv($0, "raw_bytes"), jv($0, "bits_per_key"), jv($0, "build_s"),
      jv($0, "find_ns"), jv($0, "seek_ns"), jv($0, "iterate_ns_per_key") }
    jv($0, "structure") ~ /^ratio/ {
    printf "| **CO-Index / marisa** | **%s** | | | %s | **%s** | %s | %s |\n", jv($0, "bytes"),
      jv($0, "build_s"), jv($0, "find_ns"), jv($0, "seek_ns"), jv($0, "iterate_ns_per_key") }' "$CO"
  echo
  echo "![key index: bits per key vs lookup time]($PLOTREL/index.png)"
  echo

  echo "## 2. Values: PA-Zip vs per-record and block compression"
  echo
  echo "\`pazip_compare\`: every method stores the same records; bytes count payload, dictionary, offsets"
  echo "and headers. *get ns*: decode one uniformly random record (mean over the reads, median of the"
  echo "repetitions). The per-record zstd anchors get a trained dictionary of PA-Zip's dictionary size."
  echo "The last two columns are PA-Zip / that method: the anchors are \`zstd19_dict\` (the best"
  echo "per-record ratio) and \`zstd3_block16k\` (BlockBasedTable's way)."
  for ds in debian repos; do
    name="Debian package index stanzas"; [ $ds = repos ] && name="npm repository URLs (values of the TSV)"
    f=$RES/pazip_$ds.jsonl
    echo
    echo "### $name"
    echo
    echo "| method | bytes | raw / bytes | get ns | sequential MB/s | build MB/s | PA-Zip bytes / this | PA-Zip get ns / this |"
    echo "|---|---|---|---|---|---|---|---|"
    awk "$JLIB"' /^\{/ { m = jv($0, "method"); b = jv($0, "bytes_total"); g = jv($0, "get_ns")
        if (m == "pazip") { pb = b; pg = g }
        bold = (m == "zstd19_dict" || m == "zstd3_block16k") ? "**" : ""
        printf "| %s | %.0f | %s | %s | %s | %s | %s%.2f%s | %s%.2f%s |\n", m, b, jv($0, "ratio"), g,
          jv($0, "seq_mb_s"), jv($0, "build_mb_s"), bold, pb / b, bold, bold, pg / g, bold }' "$f"
    if [ $ds = debian ]; then
      echo
      echo "PA-Zip's fast parse (\`--fast-parse 1\`, what SearchableTable's compactions use), in its own run:"
      echo
      echo "| method | bytes | raw / bytes | get ns | sequential MB/s | build MB/s |"
      echo "|---|---|---|---|---|---|"
      awk "$JLIB"' /^\{/ { printf "| pazip, fast parse | %.0f | %s | %s | %s | %s |\n", jv($0, "bytes_total"),
          jv($0, "ratio"), jv($0, "get_ns"), jv($0, "seq_mb_s"), jv($0, "build_mb_s") }' "$RES/pazip_debian_fast.jsonl"
    fi
  done
  echo
  echo "![values: ratio vs get time]($PLOTREL/values.png)"
  echo

  echo "## 3. RocksDB tables: SearchableTable vs BlockBasedTable"
  echo
  echo "\`table_compare\`: the same records written into fresh databases through the same path (batched"
  echo "writes, flush, full compaction), each format in its own child process. BlockBasedTable: zstd-3,"
  echo "16 KiB blocks, 10-bit bloom filter, a block cache larger than the data; \`+dict\`: with a 64 KiB"
  echo "zstd dictionary. Gets are uniformly random present keys (absent: a present key with a suffix);"
  echo "seek: Seek + 10 Next. The ratio row is SearchableTable / BlockBasedTable; the *interleaved* row measures"
  echo "the same in-memory reads again in one process, alternating batches of 10,000 operations between the"
  echo "two databases, so load that changes during the run falls on both alike (the per-format rows run one"
  echo "after the other and their ratios drift with the machine)."
  for ds in debian repos; do
    name="Debian package index (key: Package Version Architecture)"; [ $ds = repos ] && name="npm name -> repository URL"
    f=$RES/table_$ds.jsonl
    echo
    echo "### $name"
    echo
    echo "| format | SST bytes | % of raw | load s | Get/s | Get µs | absent Get/s | Seek+10 Next/s | scan MB/s | peak RSS MB |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    awk "$JLIB"' jv($0, "format") != "" && jv($0, "budget_fraction") == "" {
        printf "| %s | %.0f | %.1f%% | %s | %.0f | %.2f | %.0f | %.0f | %s | %.0f |\n", jv($0, "format"),
          jv($0, "sst_bytes"), 100 * jv($0, "sst_bytes") / jv($0, "raw_bytes"), jv($0, "load_s"),
          jv($0, "get_present_ops_s"), 1e6 / jv($0, "get_present_ops_s"), jv($0, "get_absent_ops_s"),
          jv($0, "seek_next_ops_s"), jv($0, "scan_mb_s"), jv($0, "peak_rss_bytes") / 1048576 }
      jv($0, "ratio") == "SearchableTable/BlockBasedTable" {
        printf "| **SearchableTable / BlockBasedTable** | **%s** | | %s | **%s** | | %s | %s | %s | %s |\n",
          jv($0, "sst_bytes"), jv($0, "load_s"), jv($0, "get_present_ops_s"), jv($0, "get_absent_ops_s"),
          jv($0, "seek_next_ops_s"), jv($0, "scan_mb_s"), jv($0, "peak_rss_bytes") }
      jv($0, "ratio") == "SearchableTable/BlockBasedTable interleaved" {
        printf "| *same, interleaved* (one process, alternating batches) | | | | *%s* | | *%s* | *%s* | | |\n",
          jv($0, "get_present_ops_s"), jv($0, "get_absent_ops_s"), jv($0, "seek_next_ops_s") }' "$f"
    echo
    echo "Random Gets per second under memory budgets (fractions of SearchableTable's file size)."
    echo "BlockBasedTable: a block cache of the budget and direct reads, so what does not fit is read"
    echo "from the disk; its cache holds uncompressed blocks. SearchableTable reads its file through"
    echo "mmap: measured only where the budget holds the whole file (\"—\" below: limiting the page cache"
    echo "would need a memory cgroup, which the benchmark does not set up)."
    echo
    awk "$JLIB"' jv($0, "budget_fraction") != "" { fr = jv($0, "budget_fraction"); f = jv($0, "format")
        if (!(fr in seen)) { seen[fr] = 1; order[++n] = fr; mbs[fr] = jv($0, "budget_bytes") / 1e6 }
        if (!(f in fseen)) { fseen[f] = 1; fo[++nf] = f }
        v[fr, f] = jv($0, "get_ops_s") }
      END {
        for (i = 2; i <= n; i++) for (j = i; j > 1 && order[j - 1] + 0 > order[j] + 0; j--) {
          t = order[j]; order[j] = order[j - 1]; order[j - 1] = t }
        printf "| budget | MB |"; for (j = 1; j <= nf; j++) printf " %s Get/s |", fo[j]
        printf " SearchableTable / BlockBasedTable |\n|---|---|"; for (j = 1; j <= nf; j++) printf "---|"; print "---|"
        for (i = 1; i <= n; i++) { fr = order[i]; printf "| %.2f × | %.2f |", fr, mbs[fr]
          for (j = 1; j <= nf; j++) { x = v[fr, fo[j]]; if (x == "") printf " — |"; else printf " %.0f |", x }
          s = v[fr, "SearchableTable"]; b = v[fr, "BlockBasedTable"]
          if (s != "" && b != "" && b > 0) printf " %.2f |\n", s / b; else print " — |" } }' "$f"
    echo
    echo "![Get under memory budgets, $ds]($PLOTREL/table_budget_$ds.png)"
  done
  echo
  echo "![tables: file size vs Get time]($PLOTREL/table_tradeoff.png)"
  echo

  echo "## 4. Debian's db_bench, stock vs \`libsctable_preload.so\`"
  echo
  echo "Debian's unmodified \`/usr/bin/db_bench\` (librocksdb $(kv machine.txt rocksdb)) twice with the same flags and seed:"
  echo "stock (BlockBasedTable, zstd, 16 KiB blocks, bloom, 64 MiB block cache), then with"
  echo "\`LD_PRELOAD=libsctable_preload.so SCTABLE_ENABLE=1\`, which makes every table file SearchableTable."
  echo "$(fmt_int "$(kv sizes.txt db_num)") random keys of 16 bytes, 100-byte values; \`compact\` (a full compaction)"
  echo "runs before the reads so they read table files, not the memtable; $(fmt_int "$(kv sizes.txt db_reads)") reads per read benchmark."
  echo "Latencies are db_bench's own histograms."
  echo
  echo "| benchmark | stock ops/s | preload ops/s | preload / stock | stock P50 / P99 µs | preload P50 / P99 µs | found (stock, preload) |"
  echo "|---|---|---|---|---|---|---|"
  while read -r b us ops p50 p99 found; do
    [ "$b" = compact ] && continue
    pops=$(dbget preload "$b" 3)
    echo "| $b | $(fmt_int "$ops") | $(fmt_int "$pops") | **$(calc "$pops / $ops")** | $p50 / $p99 | $(dbget preload "$b" 4) / $(dbget preload "$b" 5) | ${found//_/ }, $(dbget preload "$b" 6 | tr _ ' ') |"
  done < "$RES/db_stock.tsv"
  echo "| compact (full compaction), seconds | $(calc "$(dbget stock compact 2) / 1e6") | $(calc "$(dbget preload compact 2) / 1e6") | $(calc "$(dbget preload compact 2) / $(dbget stock compact 2)") (time) | | | |"
  echo "| DB size after the run, SST bytes | $(fmt_int "$(db_sst stock)") | $(fmt_int "$(db_sst preload)") | **$(calc "$(db_sst preload) / $(db_sst stock)")** | | | |"
  echo
  echo "db_bench's values are generated to compress to half their size, and its keys are random"
  echo "fixed-width numbers: a synthetic load, unlike the data sets above. Every value is a slice of"
  echo "one shared buffer of generated text, so a store compressing against one global dictionary"
  echo "finds repeats across values that 16 KiB blocks compressed one by one do not: the DB size"
  echo "ratio is a property of this load, not a forecast for real data (see sections 2 and 3)."
  echo
  echo "![db_bench operations per second]($PLOTREL/db_bench.png)"
  echo
  echo "## Reading these numbers"
  echo
  echo "- One run, one machine, shared with other work: treat single numbers as noisy and compare"
  echo "  ratios within a table. Rerun \`make bench\` on your machine; the raw outputs stay in"
  echo "  \`bench/results/\`."
  echo "- All-in-memory Get rates measure CPU per lookup; the budget tables measure what happens when"
  echo "  the data does not fit, which is where a smaller file that needs no decompressed cache matters."
}
page > "$MD.tmp"
mv "$MD.tmp" "$MD"
echo "make_report: wrote $MD and $(ls "$PLOTS"/*.png | wc -l) plots in $PLOTS"
