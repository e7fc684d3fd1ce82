#!/usr/bin/env bash
# make fuzz FUZZ_SECONDS=N: builds the libFuzzer targets with clang, ASan and
# UBSan (build-fuzz/), writes seed corpora, and runs each fuzzer for N seconds
# (default 60). Crashes are left in build-fuzz/crashes/<target>/.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECONDS_EACH="${1:-60}"
if ! command -v clang++ >/dev/null; then
  echo "fuzz: installing clang (libFuzzer)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang >/dev/null
fi
B="$ROOT/build-fuzz"
# Every library is built with coverage instrumentation (fuzzer-no-link), or
# libFuzzer would only see the harness and mutate blind.
# FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION skips the checksums checked at
# open, so mutations reach the decoders behind them.
CC=clang CXX=clang++ \
  CXXFLAGS="-fsanitize=fuzzer-no-link -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION" cmake -S "$ROOT" -B "$B" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSCTABLE_SANITIZE=address,undefined -DSCTABLE_BUILD_FUZZERS=ON \
  -DSCTABLE_BUILD_TESTS=OFF -DSCTABLE_BUILD_BENCHMARKS=OFF -DSCTABLE_BUILD_TOOLS=OFF >/dev/null
cmake --build "$B" -j"$(nproc)" --target coindex_fuzz pazip_fuzz table_fuzz make_seeds
"$B/bin/make_seeds" "$B/seeds"
status=0
for t in coindex pazip table; do
  mkdir -p "$B/corpus/$t" "$B/crashes/$t"
  echo "fuzz: $t for ${SECONDS_EACH}s"
  if ! ASAN_OPTIONS=detect_leaks=0 "$B/bin/${t}_fuzz" -max_total_time="$SECONDS_EACH" \
       -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
       -artifact_prefix="$B/crashes/$t/" "$B/corpus/$t" "$B/seeds/$t" \
       2> "$B/$t.log"; then
    echo "fuzz: $t FAILED (see $B/$t.log and $B/crashes/$t/)"
    status=1
  fi
  grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$B/$t.log" | sed "s/^/fuzz: $t: /"
done
exit $status
