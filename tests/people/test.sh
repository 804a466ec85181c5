#!/bin/sh
# People: the people that `cablekit parse` finds in 60 corpus cables,
# against labels written by hand (tests/people/labels.tsv; README.md says
# how).  Precision and recall are printed; the check fails below the floors
# measured when the extractor was written (docs/people.md): precision 0.95,
# recall 0.85 on the text, fields and signers.  The same run under the
# sanitizer build must give the same people.  Skipped without the corpus.
. "$(dirname "$0")/../lib.sh"
P=$TOP/tests/people
if ! have_corpus; then
	skip "people precision and recall (no $CORPUS/html: corpus absent)"
	done_suite
fi
if [ ! -x "$CK" ]; then
	fail "build/cablekit exists" "run make first"
	done_suite
fi
files=$(grep -v '^#' "$P/labels.tsv" | cut -f1 | sort -u | sed "s|^|$CORPUS/html/|; s|\$|.html|")
missing=0
for f in $files; do [ -f "$f" ] || missing=$((missing + 1)); done
if [ "$missing" -gt 0 ]; then
	skip "people precision and recall ($missing labelled pages absent from $CORPUS/html)"
	done_suite
fi
# shellcheck disable=SC2086 # one word per file
"$CK" parse $files >"$TMPD/people.jsonl" 2>"$TMPD/err"
if python3 "$P/score.py" "$P/labels.tsv" "$TMPD/people.jsonl" --min-precision 0.95 --min-recall 0.85 >"$TMPD/score" 2>&1; then
	ok "people: $(sed -n 2p "$TMPD/score")"
else
	fail "people: precision >= 0.95 and recall >= 0.85" "$(cat "$TMPD/score")"
fi
cat "$TMPD/score"
# the scorer itself: labels against themselves-as-found would be trivial;
# instead an empty result must fail and report recall 0
printf '{"source":{"file":"x/00HARARE5461.html"},"people":[]}\n' >"$TMPD/empty.jsonl"
if python3 "$P/score.py" "$P/labels.tsv" "$TMPD/empty.jsonl" --min-recall 0.5 >/dev/null 2>&1; then
	fail "score.py fails when nothing is found"
else
	ok "score.py fails when nothing is found"
fi
if [ -x "$CK_ASAN" ]; then
	cp "$CK_ASAN" "$TMPD/ck-asan"
	# shellcheck disable=SC2086
	if "$TMPD/ck-asan" parse $files >"$TMPD/asan.jsonl" 2>"$TMPD/asan.err" &&
		cmp -s "$TMPD/people.jsonl" "$TMPD/asan.jsonl"; then
		ok "people: the sanitizer build prints the same JSON, no report"
	else
		fail "people: the sanitizer build prints the same JSON, no report" "$(head -c 1500 "$TMPD/asan.err")"
	fi
fi
done_suite
