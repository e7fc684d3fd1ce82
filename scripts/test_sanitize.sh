#!/usr/bin/env bash
# make test-sanitize: the test suite under ASan + UBSan (build-asan/), then
# the concurrency test under TSan (build-tsan/). Our code is instrumented;
# Debian's librocksdb is not (its internal races are not ours to report).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
J="$(nproc)"
cmake -S "$ROOT" -B "$ROOT/build-asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSCTABLE_SANITIZE=address,undefined -DSCTABLE_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$ROOT/build-asan" -j"$J"
# LeakSanitizer is off: RocksDB keeps some process-lifetime singletons.
# The preload test runs Debian's binaries, which cannot load an ASan library.
(cd "$ROOT/build-asan" && ASAN_OPTIONS=detect_leaks=0 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  SCTABLE_MODEL_OPS=20000 ctest -j"$J" -E preload_tools --output-on-failure)
cmake -S "$ROOT" -B "$ROOT/build-tsan" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSCTABLE_SANITIZE=thread -DSCTABLE_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$ROOT/build-tsan" -j"$J" --target concurrency_test
TSAN_OPTIONS="halt_on_error=1 suppressions=$ROOT/scripts/tsan.supp" \
  "$ROOT/build-tsan/bin/concurrency_test"
echo "test-sanitize: all passed"
