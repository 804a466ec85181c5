#!/bin/sh
# Parser throughput on the corpus telegram text: MB/s and cables/s of
# ck_parse (texts held in memory; median of 5 runs), printed beside cat and
# wc -l over the same bytes in the same run.  Prints figures; never fails
# on a figure.  Last, the same parse with the people pass (as cablekit
# parse and ingest run it).   usage: sh bench/parse.sh [--baseline OLD/libcablekit.a] [SOURCE...]
# --baseline: a copy of build/libcablekit.a from before a change; its
# ck_parse is timed in the same run (runs alternate old/new, 5 each) and
# the ratio new/old of the medians is printed.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
baseline=""
if [ "${1:-}" = --baseline ]; then
	baseline=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
	[ -f "$baseline" ] || { echo "bench/parse.sh: no $2" >&2; exit 2; }
	shift 2
fi
corpus=$(cd "$top/.." && pwd)/shared/corpus
[ $# -gt 0 ] || set -- "$corpus/html" "$corpus/text" "$corpus/seed"
[ -e "$1" ] || { echo "bench/parse.sh: $1 is absent; nothing to measure"; exit 0; }
make -s -C "$top" build/libcablekit.a
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
libs="$(pkg-config --libs sqlite3 libarchive libmicrohttpd jansson libzstd nettle) -lpthread -lm"
# shellcheck disable=SC2086
cc -O2 -I"$top/include" -o "$tmp/parsebench" "$top/bench/parsebench.c" "$top/build/libcablekit.a" $libs
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
if [ -n "$baseline" ]; then
	# shellcheck disable=SC2086
	cc -O2 -I"$top/include" -o "$tmp/parsebench-old" "$top/bench/parsebench.c" "$baseline" $libs
	: >"$tmp/runs"
	: >"$tmp/runs-old"
	for r in 1 2 3 4 5; do
		RUNS=1 "$tmp/parsebench-old" "$tmp/dump.txt" "$@" >>"$tmp/runs-old"
		RUNS=1 "$tmp/parsebench" "$tmp/dump.txt" "$@" >>"$tmp/runs"
	done
else
	RUNS=5 "$tmp/parsebench" "$tmp/dump.txt" "$@" >"$tmp/runs"
fi
bytes=$(head -1 "$tmp/runs" | awk '{print $3}')
cables=$(head -1 "$tmp/runs" | awk '{print $5}')
p=$(awk '{print $7}' "$tmp/runs" | median)
pc=$(awk '{print $10}' "$tmp/runs" | median)
timeit() { # median of 5 wall-clock runs of a command over the dump
	for i in 1 2 3 4 5; do
		s=$(date +%s.%N); "$@" <"$tmp/dump.txt" >/dev/null; e=$(date +%s.%N)
		echo "$e - $s" | bc -l
	done | median
}
c=$(timeit cat)
w=$(timeit wc -l)
mb=$(echo "$bytes / 1000000" | bc -l)
printf 'corpus telegram text: %d cables, %.1f MB\n' "$cables" "$mb"
printf '%-10s %8.4f s  %8.1f MB/s  %10.0f cables/s   (wall clock)\n' "ck_parse" "$p" "$(echo "$mb / $p" | bc -l)" "$(echo "$cables / $p" | bc -l)"
printf '%-10s %8.4f s  %8.1f MB/s  %10.0f cables/s   (CPU time of the parsing thread)\n' "ck_parse" "$pc" "$(echo "$mb / $pc" | bc -l)" "$(echo "$cables / $pc" | bc -l)"
if [ -n "$baseline" ]; then
	po=$(awk '{print $7}' "$tmp/runs-old" | median)
	pco=$(awk '{print $10}' "$tmp/runs-old" | median)
	printf '%-10s %8.4f s  %8.1f MB/s  %10.0f cables/s   (wall clock, baseline %s)\n' "old" "$po" "$(echo "$mb / $po" | bc -l)" "$(echo "$cables / $po" | bc -l)" "$baseline"
	printf '%-10s %8.4f s  %8.1f MB/s  %10.0f cables/s   (CPU time, baseline)\n' "old" "$pco" "$(echo "$mb / $pco" | bc -l)" "$(echo "$cables / $pco" | bc -l)"
	printf 'new/old speed: %.3fx wall clock, %.3fx CPU time (above 1: the new one is faster)\n' "$(echo "$po / $p" | bc -l)" "$(echo "$pco / $pc" | bc -l)"
fi
# the same parse with the people pass, as the readers (cablekit parse, ingest) run it
PARSEBENCH_PEOPLE=1 RUNS=5 "$tmp/parsebench" "$tmp/dump.txt" "$@" >"$tmp/runs-people"
pp=$(awk '{print $10}' "$tmp/runs-people" | median)
printf '%-10s %8.4f s  %8.1f MB/s  %10.0f cables/s   (CPU time, with the people pass: ck_parse_opts.people, as cablekit parse and ingest run it)\n' "+people" "$pp" "$(echo "$mb / $pp" | bc -l)" "$(echo "$cables / $pp" | bc -l)"
printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-10s %8.4f s  %8.1f MB/s\n' "cat" "$c" "$(echo "$mb / $c" | bc -l)"
printf '%-10s %8.4f s  %8.1f MB/s\n' "wc -l" "$w" "$(echo "$mb / $w" | bc -l)"
printf 'ck_parse takes %.1fx the time of wc -l\n' "$(echo "$p / $w" | bc -l)"
