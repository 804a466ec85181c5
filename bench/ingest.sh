#!/bin/sh
# bench/ingest.sh - ingest throughput (MB of telegram text/s, cables/s) of
# `cablekit ingest`, beside a baseline measured in the same run: the sqlite3
# shell bulk-inserting the same bodies into a bare FTS5 table (one
# transaction); and the archive size beside the raw telegram text size.
# Median of RUNS runs.  Prints figures only.
#   sh bench/ingest.sh [SOURCE] [RUNS]   (default: ../shared/corpus/html, 3)
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
SRC=${1:-$TOP/../shared/corpus/html}
RUNS=${2:-3}
OUT=$TOP/bench/out
CK=$TOP/build/cablekit
mkdir -p "$OUT"
[ -e "$SRC" ] || { echo "ingest.sh: no source at $SRC"; exit 0; }
make -s -C "$TOP" build/cablekit >/dev/null

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# the same bodies for the baseline, as one SQL script
"$CK" parse "$SRC" 2>/dev/null | python3 -c '
import json, sys
raw = 0
out = open(sys.argv[1], "w")
out.write("CREATE VIRTUAL TABLE f USING fts5(subject, body, tokenize=\"unicode61 remove_diacritics 2\");\nBEGIN;\n")
n = 0
for l in sys.stdin:
    c = json.loads(l)
    q = lambda s: "NULL" if s is None else "'"'"'" + s.replace("'"'"'", "'"'"''"'"'") + "'"'"'"
    out.write("INSERT INTO f VALUES(%s,%s);\n" % (q(c.get("subject")), q(c.get("body"))))
    n += 1
out.write("COMMIT;\n")
print(n)' "$OUT/bodies.sql" >"$OUT/ncables"
ncables=$(cat "$OUT/ncables")
bodybytes=$(python3 -c 'import sys; print(sum(len(l.encode()) for l in open(sys.argv[1])))' "$OUT/bodies.sql")

: >"$OUT/t_ck"; : >"$OUT/t_base"; : >"$OUT/c_ck"; : >"$OUT/c_base"
for i in $(seq 1 "$RUNS"); do
	rm -f "$OUT/ingest.db" "$OUT/ingest.db-wal" "$OUT/ingest.db-shm" "$OUT/base.db"
	t0=$(now); /usr/bin/time -f "%U %S" -o "$OUT/cpu" "$CK" ingest --db "$OUT/ingest.db" "$SRC" 2>"$OUT/ingest.log" || true; t1=$(now)
	echo "$t1 - $t0" | bc >>"$OUT/t_ck"
	awk '{print $1 + $2}' "$OUT/cpu" >>"$OUT/c_ck"
	t0=$(now); /usr/bin/time -f "%U %S" -o "$OUT/cpu" sqlite3 "$OUT/base.db" <"$OUT/bodies.sql"; t1=$(now)
	echo "$t1 - $t0" | bc >>"$OUT/t_base"
	awk '{print $1 + $2}' "$OUT/cpu" >>"$OUT/c_base"
done
tck=$(median <"$OUT/t_ck"); tbase=$(median <"$OUT/t_base")
# each run pairs an ingest with the baseline right after it, so the pair
# shares the machine's state (its speed drifts by tens of percent over
# minutes here): the median of the per-run ratios is the steadier figure
pratio=$(paste "$OUT/t_base" "$OUT/t_ck" | awk '{print $1 / $2}' | median)
cck=$(median <"$OUT/c_ck"); cbase=$(median <"$OUT/c_base")
raw=$(sed -n 's/.*(\([0-9.]*\) MB in.*/\1/p' "$OUT/ingest.log")
sqlite3 "$OUT/ingest.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
size=$(stat -c %s "$OUT/ingest.db")
load=$(cut -d' ' -f1-3 /proc/loadavg)
bsize=$(stat -c %s "$OUT/base.db")
awk -v pr="$pratio" -v n="$ncables" -v raw="$raw" -v tck="$tck" -v tb="$tbase" -v cck="$cck" -v cb="$cbase" -v bb="$bodybytes" -v size="$size" -v bsize="$bsize" -v runs="$RUNS" -v load="$load" 'BEGIN {
	printf "source: %d cables, %.1f MB of telegram text (median of %d runs)\n", n, raw, runs
	printf "cablekit ingest   %6.2f s  %6.2f MB/s  %7.0f cables/s  (read, parse, JSON, pack, index, versions)\n", tck, raw / tck, n / tck
	printf "sqlite3 bare FTS5 %6.2f s  %6.2f MB/s  %7.0f cables/s  (same bodies, %.1f MB of SQL)\n", tb, raw / tb, n / tb, bb / 1e6
	printf "ratio: cablekit throughput = %.2fx the bare-FTS5 baseline (medians of wall time); median of the %d per-run ratios (each ingest against the baseline run right after it): %.2fx\n", tb / tck, runs, pr
	printf "cpu (user+sys): cablekit %.2f s on 4 threads, baseline %.2f s on 1 (load: %s)\n", cck, cb, load
	printf "archive %.1f MB = %.2fx the raw telegram text (bare FTS5 table with content: %.1f MB = %.2fx)\n", size / 1e6, size / 1e6 / raw, bsize / 1e6, bsize / 1e6 / raw
}'
