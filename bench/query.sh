#!/bin/sh
# bench/query.sh - search latency over a fixed mix of queries
# (bench/queries.txt: words, phrases, booleans, prefixes, fields, date
# ranges), every one with facets, measured in process by bench/querybench.c
# against build/libcablekit.a; beside it, `grep -c` over the same text
# (the clean bodies) for the one-word queries.  Prints figures only.
#   sh bench/query.sh [SOURCE]     (default: ../shared/corpus/html)
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
SRC=${1:-$TOP/../shared/corpus/html}
OUT=$TOP/bench/out
mkdir -p "$OUT"
[ -e "$SRC" ] || { echo "query.sh: no source at $SRC"; exit 0; }
make -s -C "$TOP" build/cablekit build/libcablekit.a >/dev/null
CC=${CC:-cc}
$CC -std=c11 -D_GNU_SOURCE -O2 -I"$TOP/include" -I"$TOP/src" -o "$OUT/querybench" "$TOP/bench/querybench.c" \
	"$TOP/build/libcablekit.a" $(pkg-config --libs sqlite3 libarchive libmicrohttpd jansson libzstd nettle) -lpthread -lm
DB=$OUT/query.db
rm -f "$DB" "$DB-wal" "$DB-shm"
"$TOP/build/cablekit" ingest --db "$DB" --quiet "$SRC"
ncables=$(sqlite3 "$DB" "SELECT count(*) FROM cable")
echo "archive: $ncables cables"
QB_MIXSORT=1 "$OUT/querybench" "$DB" "$TOP/bench/queries.txt" 5

# baseline: grep -c over the same text (bodies, one cable per line)
"$TOP/build/cablekit" parse "$SRC" 2>/dev/null | python3 -c '
import json, sys
for l in sys.stdin:
    c = json.loads(l)
    print((c.get("subject") or "") + " " + (c.get("body") or "").replace("\n", " "))' >"$OUT/bodies.txt"
python3 - "$OUT/bodies.txt" "$TOP/bench/queries.txt" <<'PY'
import subprocess, sys, time
text, qfile = sys.argv[1], sys.argv[2]
words = [l.strip() for l in open(qfile) if l.strip() and not l.startswith('#') and l.strip().isalpha()]
t = []
for _ in range(5):
    for w in words:
        t0 = time.perf_counter()
        subprocess.run(['grep', '-c', '-i', '-w', w, text], stdout=subprocess.DEVNULL)
        t.append((time.perf_counter() - t0) * 1e3)
t.sort()
n = len(t)
print(f"baseline grep -c -i -w over {len(words)} one-word queries x 5 (no ranking, no facets): "
      f"p50 {t[n//2]:.2f} ms  p99 {t[n*99//100]:.2f} ms")
PY
