#!/bin/sh
# Instructions of the people pass (callgrind, deterministic where CPU time
# on a shared machine is not): ck_parse over every tenth page of the corpus
# html/ (299 pages), bench/parsebench.c with RUNS=1, collecting inside
# ck_parse only.  Prints ck_parse's instructions, those of the pass
# (ck_people_extract_, inclusive) and ck_parse without it, and the ratio.
# usage: sh bench/people.sh [OUT.callgrind]   (the profile is kept there
# for callgrind_annotate when given)
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
corpus=$(cd "$top/.." && pwd)/shared/corpus
[ -d "$corpus/html" ] || { echo "bench/people.sh: $corpus/html is absent; nothing to measure"; exit 0; }
command -v valgrind >/dev/null || { echo "bench/people.sh: no valgrind"; exit 0; }
make -s -C "$top" build/libcablekit.a
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
libs="$(pkg-config --libs sqlite3 libarchive libmicrohttpd jansson libzstd nettle) -lpthread -lm"
# shellcheck disable=SC2086
cc -O2 -g -I"$top/include" -o "$tmp/parsebench" "$top/bench/parsebench.c" "$top/build/libcablekit.a" $libs
out=${1:-$tmp/cg.out}
# shellcheck disable=SC2046
PARSEBENCH_PEOPLE=1 RUNS=1 valgrind --tool=callgrind --toggle-collect=ck_parse --callgrind-out-file="$out" \
	"$tmp/parsebench" "$tmp/dump.txt" $(find "$corpus/html" -type f | LC_ALL=C sort | awk 'NR%10==1') >/dev/null 2>"$tmp/log"
total=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1; exit}')
pass=$(callgrind_annotate --inclusive=yes "$out" 2>/dev/null |
	awk '/ck_people_extract_/ {gsub(",", "", $1); print $1; exit}')
if [ -z "$total" ] || [ -z "$pass" ]; then
	echo "bench/people.sh: no figures"
	cat "$tmp/log"
	exit 1
fi
awk -v t="$total" -v p="$pass" 'BEGIN {
	printf "ck_parse %.1fM instructions; people pass %.1fM; without it %.1fM; ratio %.3fx\n",
	       t / 1e6, p / 1e6, (t - p) / 1e6, t / (t - p) }'
