#!/usr/bin/env bash
# Fetches the npm name -> repository URL set (`npm pack all-the-package-repos`)
# and converts package/data/packages.json into bench/data/npm_repos.tsv:
# one `name<TAB>url` line per package, sorted bytewise by name, null values
# dropped, usable as `pazip_compare --format tsv-values` (values = URLs).
#
# Escaping: names and URLs never contain TAB/LF in practice; if one does, the
# characters `\`, TAB, LF and CR are written as `\\`, `\t`, `\n`, `\r`, so
# every line still has exactly one TAB. Readers that want the original bytes
# undo those four escapes; pazip_compare stores the escaped bytes as given.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/bench/data/npm_repos.tsv"
WORK="$ROOT/bench/data/npm-repos-pack"
mkdir -p "$WORK"
cd "$WORK"
if [[ ! -f package/data/packages.json ]]; then
  TGZ=$(npm pack all-the-package-repos --silent | tail -1)
  tar xzf "$TGZ"
fi
python3 - package/data/packages.json "$OUT.tmp" <<'PY'
import json, sys
def esc(s):
    return (s.replace('\\', '\\\\').replace('\t', '\\t')
             .replace('\n', '\\n').replace('\r', '\\r'))
with open(sys.argv[1], encoding='utf-8') as f:
    data = json.load(f)
rows = sorted((esc(k).encode(), esc(v).encode())
              for k, v in data.items() if isinstance(v, str))
with open(sys.argv[2], 'wb') as out:
    for k, v in rows:
        out.write(k + b'\t' + v + b'\n')
print(len(rows), 'pairs', file=sys.stderr)
PY
mv "$OUT.tmp" "$OUT"
echo "$OUT: $(wc -l < "$OUT") lines, $(wc -c < "$OUT") bytes"
