#!/usr/bin/env bash
# make demo: the main job on a sample. Until the table format lands this is
# the ABI round trip: a table written and re-read through RocksDB 7.8.3's own
# internal builders and readers, as the real format will be.
set -euo pipefail
BUILD="${1:-build}"
"$BUILD/bin/sctable-abi-probe" "$BUILD/demo-abi-probe.sst"
