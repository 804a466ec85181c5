#!/bin/sh
# Cost of the people pass against the parse it follows: over the corpus
# telegram texts held in memory, each of 7 runs parses every cable, then
# parses every cable again and runs ck_people_extract_ on it right after
# (as ck_item_parse does); the pass costs the difference (CPU time of the
# thread).  Prints the medians and their ratio (the budget: about 10% of
# parse time), with the load average.  Never fails on a figure.
#   usage: sh bench/people.sh [SOURCE...]
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
corpus=$(cd "$top/.." && pwd)/shared/corpus
[ $# -gt 0 ] || set -- "$corpus/html" "$corpus/text" "$corpus/seed"
[ -e "$1" ] || { echo "bench/people.sh: $1 is absent; nothing to measure"; exit 0; }
make -s -C "$top" build/libcablekit.a
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -I"$top/include" -o "$tmp/parsebench" "$top/bench/parsebench.c" "$top/build/libcablekit.a" \
	$(pkg-config --libs sqlite3 libarchive libmicrohttpd jansson libxml-2.0 libzstd nettle) -lpthread -lm
PEOPLE=1 RUNS=7 "$tmp/parsebench" "$tmp/dump.txt" "$@" >"$tmp/runs"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
cables=$(head -1 "$tmp/runs" | awk '{print $5}')
p=$(awk '{print $10}' "$tmp/runs" | median)
q=$(awk '{print $13 - $10}' "$tmp/runs" | median)
printf 'corpus: %d cables; medians of 7 runs, CPU time of the thread\n' "$cables"
printf 'ck_parse           %8.4f s  %8.1f us/cable\n' "$p" "$(echo "$p * 1000000 / $cables" | bc -l)"
printf 'people pass (diff) %8.4f s  %8.1f us/cable\n' "$q" "$(echo "$q * 1000000 / $cables" | bc -l)"
printf 'people pass / parse = %.3f\n' "$(echo "$q / $p" | bc -l)"
printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
