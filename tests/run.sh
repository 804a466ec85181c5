#!/bin/sh
# Run every test suite and print one closing line: "total: N passed, N failed".
#   unit      Criterion unit tests, built with ASan + UBSan
#   */test.sh each suite under tests/ (golden, hostile, corpus, http, browser ...)
# Set CK_SUITES="golden corpus" to run only some.
TOP=$(cd "$(dirname "$0")/.." && pwd)
export TOP
CK_RESULTS=$(mktemp /tmp/ckresults.XXXXXX)
export CK_RESULTS
status=0
suites=${CK_SUITES:-"unit $(cd "$TOP/tests" && for d in */; do [ -f "$d/test.sh" ] && printf '%s ' "${d%/}"; done)"}
for s in $suites; do
	echo "== $s"
	if [ "$s" = unit ]; then
		if ASAN_OPTIONS=detect_leaks=1 "$TOP/build-asan/unit" --jobs 2 >"$CK_RESULTS.unit" 2>&1; then
			printf 'pass\tunit\tcriterion\n' >>"$CK_RESULTS"
		else
			printf 'fail\tunit\tcriterion\n' >>"$CK_RESULTS"
			status=1
		fi
		grep -E 'Synthesis|FAIL|fail|ERROR|Assertion' "$CK_RESULTS.unit" | head -40
		# each criterion test is one check: the run line above stands for the
		# first, the others are counted here (a failing or crashing case
		# counts once, as a failure, never also as a pass)
		tested=$(sed -n 's/.*Tested: \([0-9]*\).*/\1/p' "$CK_RESULTS.unit")
		failing=$(sed -n 's/.*Failing: \([0-9]*\).*/\1/p' "$CK_RESULTS.unit")
		crashing=$(sed -n 's/.*Crashing: \([0-9]*\).*/\1/p' "$CK_RESULTS.unit")
		bad=$(( ${failing:-0} + ${crashing:-0} ))
		good=$(( ${tested:-0} - bad ))
		# the run line is a pass when every case passed, else the first failure
		i=1
		[ "$bad" -gt 0 ] && i=0
		while [ "$i" -lt "$good" ]; do printf 'pass\tunit\tcase\n' >>"$CK_RESULTS"; i=$((i+1)); done
		i=1
		while [ "$i" -lt "$bad" ]; do printf 'fail\tunit\tcase\n' >>"$CK_RESULTS"; i=$((i+1)); done
		continue
	fi
	SUITE=$s sh "$TOP/tests/$s/test.sh" || status=1
done
passed=$(grep -c '^pass' "$CK_RESULTS")
failed=$(grep -c '^fail' "$CK_RESULTS")
skipped=$(grep -c '^skip' "$CK_RESULTS")
if [ "$failed" -gt 0 ]; then
	echo "== failures:"
	grep '^fail' "$CK_RESULTS" | cut -f2,3 | sed 's/^/  /'
	status=1
fi
rm -f "$CK_RESULTS" "$CK_RESULTS.unit"
echo "total: $passed passed, $failed failed, $skipped skipped"
exit $status
