#!/bin/sh
# Ground truth from the text alone (issue 12): every viewer page of
# ../shared/corpus/html reduced to the text inside its <pre> blocks
# (pretext.py: no metadata table, no title, entities decoded as a browser
# shows them), parsed with `cablekit parse`, compared with groundtruth.tsv
# by compare.py --text (its thresholds, one cable per page, and the page
# faults of known-faults.tsv).  Run by test.sh; alone: sh tests/groundtruth/text.sh
. "$(dirname "$0")/../lib.sh"
if ! have_corpus; then
	skip "text alone: ../shared/corpus is absent, skipped"
	done_suite
fi
mkdir -p "$TMPD/pages"
if ! python3 "$TOP/tests/groundtruth/pretext.py" "$TMPD/pages" "$CORPUS"/html/*.html 2>"$TMPD/err"; then
	fail "text alone: reduce the pages to their <pre> text" "$(head -3 "$TMPD/err")"
	done_suite
fi
out=$TMPD/text.jsonl
if "$CK" parse "$TMPD/pages" >"$out" 2>"$TMPD/err"; then
	ok "text alone: parse every page's text (exit 0)"
else
	fail "text alone: parse every page's text (exit 0)" "$(head -5 "$TMPD/err")"
fi
mkdir -p "$TOP/build"
if python3 "$TOP/tests/groundtruth/compare.py" "$CORPUS/groundtruth.tsv" "$out" "$TOP/build/corpus-text-report.txt" \
	--known "$TOP/tests/groundtruth/known-faults.tsv" --text "$TMPD/pages" >"$TMPD/cmp" 2>&1; then
	ok "text alone: agreement with groundtruth.tsv above the thresholds, one cable per page"
else
	fail "text alone: agreement with groundtruth.tsv above the thresholds, one cable per page" "$(cat "$TMPD/cmp")"
fi
sed 's/^/    /' "$TMPD/cmp"
done_suite
