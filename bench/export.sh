#!/bin/sh
# bench/export.sh - `cablekit export` throughput and memory, beside `cat`.
#
#  1x:  the dev corpus viewer pages (../shared/corpus/html) ingested into a
#       scratch archive;
#  10x: the same archive plus nine times as many synthetic cables
#       (bench/synth, ingested from a .tar.gz).
# For each format (jsonl, csv, graphml, bulk): the median of RUNS runs of
# elapsed time, the output size and MB/s of output, the CPU time, and the
# peak RSS (wait4, in one python process, so no `date` or `time` process
# falls inside the timed interval); then `cat` of the same output bytes as a baseline,
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
	printf '  %-8s %10s %9s %9s %9s %9s %10s   %-9s  %s\n' format "out MB" "median s" "MB/s" "cpu s" "MB/cpu-s" "peak RSS" "cat: MB/s" "MB/s net of process start"
	for f in jsonl csv graphml bulk; do
		# elapsed time of the process alone (fork to exit, taken in one
		# python process: no `date` or `time` processes inside the
		# interval), with its CPU time and peak RSS (wait4)
		set -- $(python3 - "$RUNS" "$T/out.$f" "$CK" export --db "$db" --format "$f" <<'PY'
import os, sys, time
runs, out, argv = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
res = []
for _ in range(runs):
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.dup2(fd, 1)
        os.execv(argv[0], argv)
    _, status, ru = os.wait4(pid, 0)
    t1 = time.perf_counter()
    os.close(fd)
    res.append((t1 - t0, ru.ru_utime + ru.ru_stime, ru.ru_maxrss))
res.sort()
e, c, r = res[len(res) // 2]
print(e, c, max(x[2] for x in res))
PY
)
		el=$1 cpu=$2 rss=$3
		bytes=$(stat -c %s "$T/out.$f")
		: >"$T/ctimes"
		for i in $(seq "$RUNS"); do
			t0=$(now); cat "$T/out.$f" >/dev/null; t1=$(now)
			echo "$t0 $t1" | awk '{print $2-$1}' >>"$T/ctimes"
		done
		cel=$(median <"$T/ctimes")
		awk -v f=$f -v b="$bytes" -v e="$el" -v c="$cpu" -v r="$rss" -v ce="$cel" -v st="$START" 'BEGIN {
			printf "  %-8s %10.1f %9.3f %9.1f %9.2f %9.1f %7.1f MB   %-9.0f  %.1f\n", f, b/1e6, e, b/1e6/e, c, (c > 0 ? b/1e6/c : 0), r/1024, (ce > 0 ? b/1e6/ce : 0), (e > st ? b/1e6/(e-st) : 0) }'
	done
}

echo "bench/export.sh: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); median of $RUNS runs"
# the fixed cost of every run: starting the process (the dynamic linker
# resolves 28 libraries, most of them bound at load time), as
# `cablekit --version` takes it; small outputs (GraphML at 1x) are mostly this
START=$(python3 - "$RUNS" "$CK" <<'PY'
import subprocess, sys, time
t = []
for _ in range(int(sys.argv[1])):
    t0 = time.perf_counter()
    subprocess.run([sys.argv[2], "--version"], stdout=subprocess.DEVNULL)
    t.append(time.perf_counter() - t0)
t.sort()
print(t[len(t) // 2])
PY
)
echo "process start (cablekit --version): $(awk -v s="$START" 'BEGIN {printf "%.1f", s*1000}') ms"
"$CK" ingest --db "$T/x1.db" --quiet "$CORPUS/html" >/dev/null 2>&1
n1=$("$CK" export --db "$T/x1.db" --format jsonl | wc -l)
measure "$T/x1.db" "1x (dev corpus)"

# 10x: the corpus and 9x as many synthetic cables
cp "$T/x1.db" "$T/x10.db"
"$SYNTH" --count $((n1 * 9)) --seed 10 --out "$T/synth.tar.gz"
"$CK" ingest --db "$T/x10.db" --quiet "$T/synth.tar.gz" >/dev/null 2>&1
rm -f "$T/synth.tar.gz"
measure "$T/x10.db" "10x (corpus + synthetic)"
