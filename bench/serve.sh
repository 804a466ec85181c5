#!/bin/sh
# bench/serve.sh - throughput and latency of `cablekit serve`, measured with
# wrk (--latency) at 16 connections for 10 s per run, on an archive of the
# dev corpus (../shared/corpus/html ingested into a temp archive).
#
# Endpoints: /healthz (the baseline: HTTP and routing, no archive work),
# /api/cable/{id} (ids rotating over the corpus), /api/search with facets
# (40 queries rotating) with the answer cache on and then off (a second
# server started with --cache-mb 0), and the two main pages.  Each is run
# RUNS times; the run with the median requests/s is printed with its
# latency percentiles.  Prints figures, never pass/fail.
#
#   RUNS=3 DURATION=10s CONNECTIONS=16 BENCH_DB=path/to/archive.db sh bench/serve.sh
# (BENCH_DB reuses an existing archive instead of ingesting the corpus.)
# CK_BASE=path/to/an/older/cablekit adds, at the end, the /cable/{id} page
# and /healthz served by that binary and by this one, run after run in
# turn on the same archive, with the ratio of the medians (the load of a
# shared machine hits both alike).
# wrk and the server share this machine's cores: the figures are lower
# bounds of what the server does alone.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
CK=${CK:-$TOP/build/cablekit}
CORPUS=${CORPUS:-$(cd "$TOP/.." && pwd)/shared/corpus}
RUNS=${RUNS:-3}
DUR=${DURATION:-10s}
CONN=${CONNECTIONS:-16}
command -v wrk >/dev/null 2>&1 || { echo "bench/serve.sh: wrk is not installed (sh scripts/deps.sh)"; exit 0; }
[ -x "$CK" ] || { echo "bench/serve.sh: $CK missing; run make"; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ckbench.XXXXXX")
PIDS=""
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; rm -rf "$TMP"' EXIT INT TERM

if [ -n "${BENCH_DB:-}" ]; then
	DB=$BENCH_DB
else
	if [ ! -d "$CORPUS/html" ]; then
		echo "bench/serve.sh: no corpus at $CORPUS/html (set CORPUS or BENCH_DB)"
		exit 0
	fi
	DB=$TMP/bench.db
	t0=$(date +%s.%N)
	"$CK" ingest --db "$DB" "$CORPUS/html" >"$TMP/ingest.out" 2>&1 || { cat "$TMP/ingest.out"; exit 1; }
	t1=$(date +%s.%N)
	printf 'ingest of %s: %s (%.1f s)\n' "$CORPUS/html" "$(tail -n 1 "$TMP/ingest.out")" "$(echo "$t1 - $t0" | bc)"
fi

# start_server NAME ARGS... : sets BASE
start_server() {
	name=$1
	shift
	"${SRV_CK:-$CK}" serve --db "$DB" --port 0 --quiet "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
	PIDS="$PIDS $!"
	SPID=$!
	BASE=""
	i=0
	while [ -z "$BASE" ] && [ $i -lt 100 ]; do
		sleep 0.1
		BASE=$(sed -n 's|^listening on \(http://127\.0\.0\.1:[0-9]*\)/.*|\1|p' "$TMP/$name.out")
		i=$((i+1))
	done
	[ -n "$BASE" ] || { echo "server did not start: $(cat "$TMP/$name.err")"; exit 1; }
}
stop_server() { kill -TERM $SPID 2>/dev/null; wait $SPID 2>/dev/null; }

start_server cached
curl -s "$BASE/api/stats" >"$TMP/stats.json"
ncables=$(jq '.cables' "$TMP/stats.json" 2>/dev/null || echo "?")

# ids that are in the archive, from an export-free source: the search API
curl -s "$BASE/api/search?q=date:1966..2011-12&sort=date&limit=100" >/dev/null
ids=""
for off in 0 100 200 300 400 500 600 700 800 900; do
	ids="$ids $(curl -s "$BASE/api/search?q=date:1900..2100&sort=date&limit=100&offset=$off" | jq -r '.hits[].id' 2>/dev/null)"
done
nids=$(echo $ids | wc -w)
if [ "$nids" -lt 1 ]; then
	ids=$(ls "$CORPUS/html" 2>/dev/null | sed 's/\.html$//' | head -n 1000)
	nids=$(echo $ids | wc -w)
fi
{
	echo "local ids = {"
	for id in $ids; do printf '"%s",\n' "$id"; done
	echo "}"
	echo 'local i = 0'
	echo 'function setup(thread) end'
	echo 'request = function() i = i % #ids + 1; return wrk.format("GET", PREFIX .. ids[i] .. SUFFIX) end'
} >"$TMP/ids.lua"
sed 's/PREFIX/"\/api\/cable\/"/; s/SUFFIX/""/' "$TMP/ids.lua" >"$TMP/cable.lua"
sed 's/PREFIX/"\/cable\/"/; s/SUFFIX/""/' "$TMP/ids.lua" >"$TMP/cablepage.lua"

# 40 queries: words, phrases, OR/NOT/prefix, fields, dates
cat >"$TMP/queries.txt" <<'EOF'
iran
nuclear
sanctions
election
oil
china
russia
afghanistan
taliban
corruption
human rights
"prime minister"
terrorism
visa
trade
energy
military
parliament
"foreign minister"
minister
tag:PREL
tag:PGOV
tag:ECON
tag:KNNP
from:"Embassy Paris"
from:"Secretary of State"
class:SECRET
marking:"CONFIDENTIAL//NOFORN"
date:2009
date:2008-01..2008-06
iran -nuclear
nuclear OR missile
sanction*
subject:meeting
caveat:NOFORN
"foreign minister" tag:PREL
iran date:2009
tag:PREL from:"Embassy Rome"
election OR vote
energy gas pipeline
EOF
{
	echo "local qs = {"
	python3 -c '
import sys, urllib.parse
for l in open(sys.argv[1]):
    l = l.strip()
    if l:
        print("\"%s\"," % urllib.parse.quote_plus(l))
' "$TMP/queries.txt"
	echo "}"
	echo 'local i = 0'
	echo 'request = function() i = i % #qs + 1; return wrk.format("GET", PREFIX .. qs[i]) end'
} >"$TMP/q.lua"
sed 's/PREFIX/"\/api\/search?q="/' "$TMP/q.lua" >"$TMP/search.lua"
sed 's/PREFIX/"\/?q="/' "$TMP/q.lua" >"$TMP/searchpage.lua"
nq=$(grep -c . "$TMP/queries.txt")

# to_ms "1.23ms" -> 1.23
to_ms() {
	echo "$1" | awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.2f", v}'
}
# bench LABEL PATH [SCRIPT]: RUNS runs, prints the median one
bench() {
	label=$1 path=$2 script=${3:-}
	: >"$TMP/runs"
	r=1
	while [ $r -le "$RUNS" ]; do
		if [ -n "$script" ]; then
			wrk -t2 -c"$CONN" -d"$DUR" --latency -s "$script" "$BASE$path" >"$TMP/wrk.$r" 2>&1
		else
			wrk -t2 -c"$CONN" -d"$DUR" --latency "$BASE$path" >"$TMP/wrk.$r" 2>&1
		fi
		rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$TMP/wrk.$r")
		echo "${rps:-0} $r" >>"$TMP/runs"
		r=$((r+1))
	done
	all=$(sort -n "$TMP/runs" | awk '{printf "%s%.0f", (NR > 1 ? " " : ""), $1}')
	med=$(sort -n "$TMP/runs" | awk -v n="$RUNS" 'NR == int((n+1)/2) {print $2}')
	f=$TMP/wrk.$med
	rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$f")
	p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$f")")
	p90=$(to_ms "$(awk '$1 == "90%" {print $2}' "$f")")
	p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$f")")
	non2xx=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$f")
	errs=$(sed -n 's/^ *Socket errors: *\(.*\)/\1/p' "$f")
	printf '%-46s %9.0f %8s %8s %8s %8s   (runs: %s)%s\n' "$label" "$rps" "$p50" "$p90" "$p99" \
		"${non2xx:-0}" "$all" "${errs:+  socket errors: $errs}"
}

echo "cablekit serve: archive of $ncables cables ($(du -h "$DB" | cut -f1)), $(nproc) cores," \
	"wrk -t2 -c$CONN -d$DUR x $RUNS runs (median shown), server: $(sed -n 's/.*, \([0-9]* threads\).*/\1/p' "$TMP/cached.out")"
printf '%-46s %9s %8s %8s %8s %8s\n' "endpoint" "req/s" "p50 ms" "p90 ms" "p99 ms" "non-2xx"
bench "/healthz (baseline: no archive work)" /healthz
bench "/api/cable/{id} ($nids ids rotating)" /api/cable/x "$TMP/cable.lua"
# warm the cache: each query once (the misses are measured below, cache off)
while IFS= read -r q; do
	curl -s -o /dev/null -G --data-urlencode "q=$q" "$BASE/api/search"
	curl -s -o /dev/null -G --data-urlencode "q=$q" "$BASE/"
done <"$TMP/queries.txt"
bench "/api/search, facets, $nq queries, cache warm" "/api/search" "$TMP/search.lua"
bench "/cable/{id} page" /cable/x "$TMP/cablepage.lua"
bench "/?q= results page, cache warm" "/" "$TMP/searchpage.lua"
h=$(curl -s "$BASE/healthz" | jq -c '.cache' 2>/dev/null)
stop_server
start_server uncached --cache-mb 0
bench "/api/search, facets, $nq queries, cache off" "/api/search" "$TMP/search.lua"
bench "/?q= results page, cache off" "/" "$TMP/searchpage.lua"
stop_server
echo "cache counts of the first server: $h"

if [ -n "${CK_BASE:-}" ]; then
	echo "same run, in turn: $CK_BASE (baseline) and $CK; load: $(cut -d' ' -f1-3 /proc/loadavg)"
	: >"$TMP/pair"
	r=1
	while [ $r -le "$RUNS" ]; do
		for which in base new; do
			if [ $which = base ]; then CKB=$CK_BASE; else CKB=$CK; fi
			SRV_CK=$CKB
			start_server "pair$which"
			for ep in cable health; do
				if [ $ep = cable ]; then
					wrk -t2 -c"$CONN" -d"$DUR" -s "$TMP/cablepage.lua" "$BASE/cable/x" >"$TMP/w" 2>&1
				else
					wrk -t2 -c"$CONN" -d"$DUR" "$BASE/healthz" >"$TMP/w" 2>&1
				fi
				echo "$which $ep $(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$TMP/w")" >>"$TMP/pair"
			done
			stop_server
		done
		r=$((r+1))
	done
	awk '{v[$1" "$2] = v[$1" "$2] " " $3}
	function med(s,  a, n, i, j, t) { n = split(s, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }; return a[int((n + 1) / 2)] }
	END {
		cb = med(v["base cable"]); cn = med(v["new cable"]); hb = med(v["base health"]); hn = med(v["new health"])
		printf "%-46s %9.0f   (runs:%s)\n", "/cable/{id} page, baseline", cb, v["base cable"]
		printf "%-46s %9.0f   (runs:%s)\n", "/cable/{id} page, this build", cn, v["new cable"]
		printf "%-46s %9.0f / %.0f\n", "/healthz, baseline / this build", hb, hn
		printf "ratio this build / baseline: /cable/{id} %.2fx, /healthz %.2fx\n", cn / cb, hn / hb
	}' "$TMP/pair"
	echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
