#!/bin/sh
# bench/fuzz.sh MINUTES - a fuzzing campaign: every libFuzzer target in
# build-fuzz/ (make fuzz) in turn, MINUTES split evenly between them, each
# with its dictionary (fuzz/dict/), its seeds (fuzz/seeds/<target>/) and a
# working corpus in build-fuzz/corpus/<target>/ (kept between runs, not
# committed).  A crash is copied to fuzz/seeds/<target>/ as a regression
# input.  Prints executions, exec/s and coverage per target, and the load.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
MIN=${1:-10}
cd "$TOP" || exit 1
# Why the parse target ran at ~330-420 exec/s: perf of a campaign shows
# 68% of the time in libFuzzer's InputCorpus::UpdateFeatureFrequency and
# 10% in AddRareFeature, not in the parser (clang 14's libFuzzer; LLVM 18
# made it a bitset, llvm-project PR 65288).  With the entropic schedule's
# default threshold (255) every feature seen fewer than 255 times stays
# "rare", and each run looks each of its features up in that list with a
# linear search: features per run x rare features.  The parser's runs
# cover much of its ~11,000 edges (ft ~45,000), so tens of thousands stay
# rare for the whole of a short campaign (and again at each start, when
# the kept corpus is replayed).  Threshold 1 keeps the schedule's 100
# rarest features (-entropic_number_of_rarest_features) and lets the rest
# go as they are seen.  30 s from the seeds, execs per CPU second (load ~5):
# parse 118 -> 1,300 (and more coverage: cov 10,506 -> 11,421); the other
# targets, with 5-25x fewer features, the same within noise.
FLAGS="-entropic_feature_frequency_threshold=1"
# ASan's default 256 MB quarantine hands every malloc fresh pages (page
# faults, fill); 16 MB keeps use-after-free detection for the short lives
# of one input.
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=16:malloc_fill_byte=0}
# Every arena allocation its own malloc, as in the asan build (-DCK_ARENA_MALLOC):
# otherwise an overrun inside a 16 KB arena chunk is invisible to ASan, and
# the parsed cable's strings all live in the arena.  It costs parse ~20%,
# json ~2x (12-40 s runs, load 6-8: parse 1,118 execs per CPU second, json
# 17,181 against 33,868).
export CK_ARENA_MALLOC=${CK_ARENA_MALLOC:-1}
# FUZZ_TARGETS="blob html" runs only those; FUZZ_RUNS=N stops a target
# after N executions (MINUTES still bounds it)
targets=${FUZZ_TARGETS:-$(ls build-fuzz/fuzz_* 2>/dev/null | sed 's|build-fuzz/fuzz_||')}
[ -n "${FUZZ_RUNS:-}" ] && FLAGS="$FLAGS -runs=$FUZZ_RUNS"
[ -n "$targets" ] || { echo "no targets in build-fuzz/: run make fuzz" >&2; exit 1; }
n=$(echo "$targets" | wc -w)
secs=$((MIN * 60 / n))
[ "$secs" -ge 1 ] || secs=1
echo "load: $(uptime | sed 's/.*load average: //') (figures on a shared machine are noisy)"
printf '%-8s %12s %9s %8s %8s %s\n' target executions exec/s cov ft crashes
for t in $targets; do
	case $t in
	parse|html|csv|source) dict=fuzz/dict/cable.dict ;;
	query|http|url) dict=fuzz/dict/query.dict ;;
	*) dict=fuzz/dict/json.dict ;;
	esac
	corpus=build-fuzz/corpus/$t
	art=build-fuzz/artifacts/$t
	mkdir -p "$corpus" "$art" "fuzz/seeds/$t"
	log=build-fuzz/$t.log
	"build-fuzz/fuzz_$t" $FLAGS -max_total_time="$secs" -dict="$dict" -print_final_stats=1 \
		-artifact_prefix="$art/" -max_len=65536 "$corpus" "fuzz/seeds/$t" >"$log" 2>&1
	crashes=0
	for c in "$art"/*; do
		[ -f "$c" ] || continue
		cp "$c" "fuzz/seeds/$t/$(basename "$c")" && crashes=$((crashes + 1))
		rm -f "$c"
	done
	ex=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
	ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
	printf '%-8s %12s %9s %8s %8s %s\n' "$t" "${ex:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$crashes"
done
