#!/bin/sh
# bench/read.sh - how fast the readers go, beside `cat` over the same bytes.
#
#  1. the corpus viewer pages (../shared/corpus/html): pages/s and MB/s,
#     median of 5 runs, for the readers alone (a small walker linked with
#     build/libcablekit.a that only counts items) and for `cablekit parse`
#     (readers + parser + JSON writer), one core;
#  2. a cables.csv written from the same pages in this run
#     (tests/read/pages2csv.awk), and the same file repeated 10 times:
#     MB/s and peak RSS (/usr/bin/time -v) at 1x and 10x, to show that the
#     csv streams with memory that does not grow with the file.
# Prints figures, never pass/fail.  Usage: sh bench/read.sh  (after make)
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
CK=${CK:-$TOP/build/cablekit}
CORPUS=${CORPUS:-$(cd "$TOP/.." && pwd)/shared/corpus}
RUNS=${RUNS:-5}
[ -x "$CK" ] || { echo "bench/read.sh: build first (make)"; exit 1; }
[ -d "$CORPUS/html" ] || { echo "bench/read.sh: no corpus at $CORPUS/html; nothing to measure"; exit 0; }
T=$(mktemp -d "${TMPDIR:-/tmp}/ckbench.XXXXXX")
trap 'rm -rf "$T"' EXIT

# the readers alone: walk and count
cat >"$T/walk.c" <<'EOF'
#include "cablekit.h"
#include <stdio.h>
static int item(const ck_item *it, void *ctx) { (*(long *)ctx)++; (void)it; return 0; }
static void err(const char *f, int l, const char *m, void *ctx) { (void)ctx; fprintf(stderr, "%s:%d: %s\n", f, l, m); }
int main(int argc, char **argv)
{
	long n = 0;
	for (int i = 1; i < argc; i++)
		ck_source_walk(argv[i], item, err, &n);
	printf("%ld\n", n);
	return 0;
}
EOF
PKGS="sqlite3 libarchive libmicrohttpd jansson libxml-2.0"
cc -O2 -std=c11 -I"$TOP/include" -o "$T/walk" "$T/walk.c" "$TOP/build/libcablekit.a" \
	$(pkg-config --libs $PKGS 2>/dev/null) -lpthread -lm || { echo "cannot build the walker"; exit 1; }

now() { date +%s.%N; }
# median wall seconds of RUNS runs of a command (output discarded)
median() {
	i=0
	: >"$T/times"
	while [ $i -lt "$RUNS" ]; do
		s=$(now)
		"$@" >/dev/null 2>&1
		e=$(now)
		echo "$e - $s" | bc -l >>"$T/times"
		i=$((i + 1))
	done
	sort -n "$T/times" | awk -v n="$RUNS" 'NR == int((n + 1) / 2) { printf "%.3f", $1 }'
}
rate() { echo "$1 / $2" | bc -l | awk '{ printf "%.0f", $1 }'; }
# peak resident set in MB of a command
rss() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident/ { printf "%.1f", $2 / 1024 }'; }
one_core() { taskset -c 0 "$@"; }
command -v taskset >/dev/null 2>&1 || one_core() { "$@"; }

pages=$(ls "$CORPUS/html" | wc -l)
bytes=$(cat "$CORPUS/html"/* | wc -c)
mb=$(echo "$bytes / 1048576" | bc -l)
cat "$CORPUS/html"/* >/dev/null # warm the page cache
printf 'viewer pages: %d files, %.1f MB (median of %d runs, one core)\n' "$pages" "$mb" "$RUNS"
t_cat=$(median one_core sh -c "cat '$CORPUS/html'/* >/dev/null")
t_walk=$(median one_core "$T/walk" "$CORPUS/html")
t_parse=$(median one_core "$CK" parse "$CORPUS/html")
printf '  %-28s %7ss %9s pages/s %7s MB/s\n' "cat (baseline)" "$t_cat" "$(rate "$pages" "$t_cat")" "$(rate "$mb" "$t_cat")"
printf '  %-28s %7ss %9s pages/s %7s MB/s\n' "readers (ck_source_walk)" "$t_walk" "$(rate "$pages" "$t_walk")" "$(rate "$mb" "$t_walk")"
printf '  %-28s %7ss %9s pages/s %7s MB/s\n' "cablekit parse (all)" "$t_parse" "$(rate "$pages" "$t_parse")" "$(rate "$mb" "$t_parse")"

# cables.csv from the pages, then 10 times that
awk -f "$TOP/tests/read/pages2csv.awk" "$CORPUS/html"/*.html >"$T/cables.csv"
i=0
while [ $i -lt 10 ]; do cat "$T/cables.csv"; i=$((i + 1)); done >"$T/cables10.csv"
for f in cables.csv cables10.csv; do
	b=$(wc -c <"$T/$f")
	m=$(echo "$b / 1048576" | bc -l)
	rows=$("$T/walk" "$T/$f" 2>/dev/null)
	printf '%s: %d rows, %.1f MB (median of %d runs, one core)\n' "$f" "$rows" "$m" "$RUNS"
	t_cat=$(median one_core cat "$T/$f")
	t_walk=$(median one_core "$T/walk" "$T/$f")
	t_parse=$(median one_core "$CK" parse "$T/$f")
	printf '  %-28s %7ss %9s rows/s %7s MB/s   peak RSS %6s MB\n' "cat (baseline)" "$t_cat" "$(rate "$rows" "$t_cat")" "$(rate "$m" "$t_cat")" "$(rss cat "$T/$f")"
	printf '  %-28s %7ss %9s rows/s %7s MB/s   peak RSS %6s MB\n' "readers (ck_source_walk)" "$t_walk" "$(rate "$rows" "$t_walk")" "$(rate "$m" "$t_walk")" "$(rss "$T/walk" "$T/$f")"
	printf '  %-28s %7ss %9s rows/s %7s MB/s   peak RSS %6s MB\n' "cablekit parse (all)" "$t_parse" "$(rate "$rows" "$t_parse")" "$(rate "$m" "$t_parse")" "$(rss "$CK" parse "$T/$f")"
done
