#!/bin/sh
# bench/read.sh - how fast the readers go, beside `cat` over the same bytes.
#
#  1. the corpus viewer pages (../shared/corpus/html): pages/s and MB/s,
#     median of 5 runs, for the readers alone (a small walker linked with
#     build/libcablekit.a that only counts items) and for `cablekit parse`
#     (readers + parser + JSON writer), one core; then PlusD record
#     pages (../shared/corpus/plusd, copied to as many
#     pages as the viewer corpus has), the same two figures and their
#     ratio to the viewer pages' MB/s;
#  2. a cables.csv written from the same pages in this run
#     (tests/read/pages2csv.awk), and the same file repeated 10 times:
#     MB/s and peak RSS (/usr/bin/time -v) at 1x and 10x, to show that the
#     csv streams with memory that does not grow with the file; and the
#     10x file read in place from a .gz; and the two real rows of the
#     released file (../shared/corpus/csv/cables-sample.csv: MySQL escapes)
#     repeated 100 and 1000 times.  The load (uptime) is printed first:
#     figures on a shared machine are noisy.
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

# a private copy of the binary: others may rebuild build/ while this runs
cp "$CK" "$T/cablekit" && CK=$T/cablekit
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
PKGS="sqlite3 libarchive libmicrohttpd jansson libzstd nettle"
cc -O2 -std=c11 -I"$TOP/include" -o "$T/walk" "$T/walk.c" "$TOP/build/libcablekit.a" \
	$(pkg-config --libs $PKGS 2>/dev/null) -lpthread -lm || { echo "cannot build the walker"; exit 1; }

# median over RUNS runs of a command (output discarded) of its CPU seconds
# (user + system: steady on a shared machine) and of its wall seconds;
# prints "cpu wall"
median() {
	i=0
	: >"$T/times"
	while [ $i -lt "$RUNS" ]; do
		/usr/bin/time -f "%U %S %e" -o "$T/t1" $ONE "$@" >/dev/null 2>&1
		awk '{ printf "%.3f %.3f\n", $1 + $2, $3 }' "$T/t1" >>"$T/times"
		i=$((i + 1))
	done
	c=$(cut -d' ' -f1 "$T/times" | sort -n | awk -v n="$RUNS" 'NR == int((n + 1) / 2)')
	w=$(cut -d' ' -f2 "$T/times" | sort -n | awk -v n="$RUNS" 'NR == int((n + 1) / 2)')
	echo "$c $w"
}
rate() { # count / seconds, "n/a" below the clock's resolution
	awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 < 0.005) printf "n/a"; else printf "%.0f", a / b }'
}
# peak resident set in MB of a command
rss() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident/ { printf "%.1f", $2 / 1024 }'; }
ONE=""
command -v taskset >/dev/null 2>&1 && ONE="taskset -c 0"

echo "load: $(uptime)"
pages=$(ls "$CORPUS/html" | wc -l)
bytes=$(cat "$CORPUS/html"/* | wc -c)
mb=$(echo "$bytes / 1048576" | bc -l)
cat "$CORPUS/html"/* >/dev/null # warm the page cache
printf 'viewer pages: %d files, %.1f MB (median of %d runs, one core; rates from CPU time)\n' "$pages" "$mb" "$RUNS"
line() { # label "cpu wall" count unit mb
	set -- "$1" ${2} "$3" "$4" "$5"
	printf '  %-26s cpu %6ss wall %6ss %9s %s/s %6s MB/s' "$1" "$2" "$3" "$(rate "$4" "$2")" "$5" "$(rate "$6" "$2")"
}
line "cat (baseline)" "$(median sh -c "cat '$CORPUS/html'/* >/dev/null")" "$pages" pages "$mb"; echo
vwalk=$(median "$T/walk" "$CORPUS/html")
vparse=$(median "$CK" parse "$CORPUS/html")
line "readers (ck_source_walk)" "$vwalk" "$pages" pages "$mb"; echo
line "cablekit parse (all)" "$vparse" "$pages" pages "$mb"; echo

# PlusD record pages (issue 13: "reading stays as fast as for viewer
# pages"): the corpus's three, copied over and over to as many pages as
# the viewer corpus has; the ratio is MB/s of the record pages over MB/s
# of the viewer pages (CPU time, same runs' medians)
if [ -d "$CORPUS/plusd" ] && ls "$CORPUS"/plusd/*.html >/dev/null 2>&1; then
	mkdir -p "$T/plusd"
	i=0
	while [ $i -lt "$pages" ]; do
		for f in "$CORPUS"/plusd/*.html; do
			[ $i -lt "$pages" ] && cp "$f" "$T/plusd/$i.html"
			i=$((i + 1))
		done
	done
	pb=$(cat "$T/plusd"/* | wc -c)
	pm=$(echo "$pb / 1048576" | bc -l)
	printf 'PlusD record pages: %d files (the 3 of the corpus, copied), %.1f MB (median of %d runs, one core)\n' "$pages" "$pm" "$RUNS"
	pwalk=$(median "$T/walk" "$T/plusd")
	pparse=$(median "$CK" parse "$T/plusd")
	line "readers (ck_source_walk)" "$pwalk" "$pages" pages "$pm"
	awk -v a="${pwalk%% *}" -v b="${vwalk%% *}" -v pm="$pm" -v vm="$mb" \
		'BEGIN { if (a > 0 && b > 0) printf "   %.2fx the viewer pages'"'"' MB/s\n", (pm / a) / (vm / b); else print "" }'
	line "cablekit parse (all)" "$pparse" "$pages" pages "$pm"
	awk -v a="${pparse%% *}" -v b="${vparse%% *}" -v pm="$pm" -v vm="$mb" \
		'BEGIN { if (a > 0 && b > 0) printf "   %.2fx the viewer pages'"'"' MB/s\n", (pm / a) / (vm / b); else print "" }'
fi

# cables.csv from the pages, then 10 times that
awk -f "$TOP/tests/read/pages2csv.awk" "$CORPUS/html"/*.html >"$T/cables.csv"
i=0
while [ $i -lt 10 ]; do cat "$T/cables.csv"; i=$((i + 1)); done >"$T/cables10.csv"
# the two real rows of the released file (MySQL escapes, 8 columns), 100 and
# 1000 times over
CSVS="cables.csv cables10.csv"
if [ -f "$CORPUS/csv/cables-sample.csv" ]; then
	i=0
	while [ $i -lt 100 ]; do cat "$CORPUS/csv/cables-sample.csv"; i=$((i + 1)); done >"$T/real100.csv"
	i=0
	while [ $i -lt 10 ]; do cat "$T/real100.csv"; i=$((i + 1)); done >"$T/real1000.csv"
	CSVS="$CSVS real100.csv real1000.csv"
fi
for f in $CSVS; do
	b=$(wc -c <"$T/$f")
	m=$(echo "$b / 1048576" | bc -l)
	rows=$("$T/walk" "$T/$f" 2>/dev/null)
	printf '%s: %d rows, %.1f MB (median of %d runs, one core; rates from CPU time)\n' "$f" "$rows" "$m" "$RUNS"
	line "cat (baseline)" "$(median cat "$T/$f")" "$rows" rows "$m"
	printf '   peak RSS %6s MB\n' "$(rss cat "$T/$f")"
	line "readers (ck_source_walk)" "$(median "$T/walk" "$T/$f")" "$rows" rows "$m"
	printf '   peak RSS %6s MB\n' "$(rss "$T/walk" "$T/$f")"
	line "cablekit parse (all)" "$(median "$CK" parse "$T/$f")" "$rows" rows "$m"
	printf '   peak RSS %6s MB\n' "$(rss "$CK" parse "$T/$f")"
done
# the dumps come compressed: the same csv read in place from a .gz
gzip -1 -c "$T/cables10.csv" >"$T/cables10.csv.gz"
m=$(echo "$(wc -c <"$T/cables10.csv") / 1048576" | bc -l)
printf 'cables10.csv.gz (read in place through libarchive, %.1f MB uncompressed)\n' "$m"
line "readers (ck_source_walk)" "$(median "$T/walk" "$T/cables10.csv.gz")" "$rows" rows "$m"
printf '   peak RSS %6s MB\n' "$(rss "$T/walk" "$T/cables10.csv.gz")"
