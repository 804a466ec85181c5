#!/bin/sh
# bench/export.sh - `cablekit export` throughput and memory, beside `cat`.
#
#  1x:  the dev corpus viewer pages (../shared/corpus/html) ingested into a
#       scratch archive;
#  10x: the same archive plus nine times as many synthetic cables
#       (bench/synth, ingested from a .tar.gz).
# For each format (jsonl, csv, graphml, bulk): the median of RUNS runs of
# elapsed time, the output size and MB/s of output, the CPU time, and the
# peak RSS (GNU time); then `cat` of the same output bytes as a baseline,
# measured in the same run.  MB/cpu-s (output per CPU second, user+sys)
# is given beside MB/s because on a shared, loaded machine elapsed time
# measures the neighbours; the load average is printed first.  Memory should be flat: the 10x peak RSS close
# to the 1x one.  Prints figures, never pass/fail.
# Usage: sh bench/export.sh  (after make bench)
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
CK=${CK:-$TOP/build/cablekit}
SYNTH=${SYNTH:-$TOP/bench/synth}
CORPUS=${CORPUS:-$(cd "$TOP/.." && pwd)/shared/corpus}
RUNS=${RUNS:-5}
[ -x "$CK" ] && [ -x "$SYNTH" ] || { echo "bench/export.sh: build first (make bench)"; exit 1; }
[ -d "$CORPUS/html" ] || { echo "bench/export.sh: no corpus at $CORPUS/html; nothing to measure"; exit 0; }
command -v /usr/bin/time >/dev/null || { echo "bench/export.sh: needs GNU time (/usr/bin/time)"; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/ckexport.XXXXXX")
trap 'rm -rf "$T"' EXIT
# private copies: a rebuild of the tree during the run must not change them
cp "$CK" "$T/cablekit" && cp "$SYNTH" "$T/synth" && cp "$TOP/bench/synth-dist.tsv" "$T/" || exit 1
CK=$T/cablekit SYNTH=$T/synth

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

measure() { # measure DB LABEL
	db=$1 label=$2
	ncables=$("$CK" export --db "$db" --format jsonl | wc -l)
	printf '\n%s: %s cables, archive %s MB\n' "$label" "$ncables" \
		"$(awk -v b="$(stat -c %s "$db")" 'BEGIN {printf "%.1f", b/1e6}')"
	printf '  %-8s %10s %9s %9s %9s %9s %10s   %s\n' format "out MB" "median s" "MB/s" "cpu s" "MB/cpu-s" "peak RSS" "cat: MB/s"
	for f in jsonl csv graphml bulk; do
		: >"$T/times"
		for i in $(seq "$RUNS"); do
			t0=$(now)
			/usr/bin/time -f '%U %S %M' -o "$T/rusage" "$CK" export --db "$db" --format $f >"$T/out.$f"
			t1=$(now)
			echo "$t0 $t1" | awk '{print $2-$1}' >>"$T/times"
		done
		el=$(median <"$T/times")
		bytes=$(stat -c %s "$T/out.$f")
		cpu=$(awk '{print $1+$2}' "$T/rusage")
		rss=$(awk '{print $3}' "$T/rusage")
		: >"$T/ctimes"
		for i in $(seq "$RUNS"); do
			t0=$(now); cat "$T/out.$f" >/dev/null; t1=$(now)
			echo "$t0 $t1" | awk '{print $2-$1}' >>"$T/ctimes"
		done
		cel=$(median <"$T/ctimes")
		awk -v f=$f -v b="$bytes" -v e="$el" -v c="$cpu" -v r="$rss" -v ce="$cel" 'BEGIN {
			printf "  %-8s %10.1f %9.3f %9.1f %9.2f %9.1f %7.1f MB   %.0f\n", f, b/1e6, e, b/1e6/e, c, (c > 0 ? b/1e6/c : 0), r/1024, (ce > 0 ? b/1e6/ce : 0) }'
	done
}

echo "bench/export.sh: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); median of $RUNS runs"
"$CK" ingest --db "$T/x1.db" --quiet "$CORPUS/html" >/dev/null 2>&1
n1=$("$CK" export --db "$T/x1.db" --format jsonl | wc -l)
measure "$T/x1.db" "1x (dev corpus)"

# 10x: the corpus and 9x as many synthetic cables
cp "$T/x1.db" "$T/x10.db"
"$SYNTH" --count $((n1 * 9)) --seed 10 --out "$T/synth.tar.gz"
"$CK" ingest --db "$T/x10.db" --quiet "$T/synth.tar.gz" >/dev/null 2>&1
rm -f "$T/synth.tar.gz"
measure "$T/x10.db" "10x (corpus + synthetic)"
