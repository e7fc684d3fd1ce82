#!/usr/bin/env bash
# Fetches the npm package-name set (all-the-package-names, ~4.5 M names) via
# `npm pack` and writes one name per line to bench/data/npm_names.txt
# (git-ignored; never commit data). Usage: bench/datasets/fetch_npm_names.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out_dir="$here/../data"
mkdir -p "$out_dir"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent all-the-package-names >/dev/null)
tar -xzf "$tmp"/all-the-package-names-*.tgz -C "$tmp" package/names.json
python3 - "$tmp/package/names.json" "$out_dir/npm_names.txt" <<'PY'
import json, sys
names = json.load(open(sys.argv[1], encoding="utf-8"))
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for n in names:
        if "\n" not in n:
            f.write(n + "\n")
print(f"{len(names)} names -> {sys.argv[2]}", file=sys.stderr)
PY
