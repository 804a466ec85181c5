#!/bin/sh
# Golden tests: `cablekit parse` on a cable, compared field by field with an
# expected JSON written by hand (tests/golden/*.expected.json; the rules are
# in tests/golden/README.md).  Inputs named "corpus/..." are read from
# $CORPUS and skipped, saying so, when it is absent; the seed comes from
# examples/ and always runs.
. "$(dirname "$0")/../lib.sh"
G=$TOP/tests/golden
if [ ! -x "$CK" ]; then
	fail "build/cablekit exists" "run make first"
	done_suite
fi
# The comparer itself: a matching pair must pass, a broken one must fail
# with one difference per broken field.
S=$G/selftest
if python3 "$G/compare.py" "$S/good.expected.json" "$S/good.actual.jsonl" >"$TMPD/self" 2>&1; then
	ok "compare.py passes a matching cable"
else
	fail "compare.py passes a matching cable" "$(cat "$TMPD/self")"
fi
python3 "$G/compare.py" "$S/good.expected.json" "$S/bad.actual.jsonl" >"$TMPD/self" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q '^26 checks, 18 differences$' "$TMPD/self"; then
	ok "compare.py reports every broken field"
else
	fail "compare.py reports every broken field" "exit $rc: $(tail -n 3 "$TMPD/self")"
fi
# Run copies of the binary: others may relink build/cablekit meanwhile.
cp "$CK" "$TMPD/cablekit" && CK=$TMPD/cablekit
for exp in "$G"/*.expected.json; do
	name=$(basename "$exp" .expected.json)
	input=$(python3 "$G/compare.py" "$exp" --meta _input)
	case $input in
	corpus/*)
		path=$CORPUS/${input#corpus/}
		if [ ! -f "$path" ]; then
			skip "$name (no $path: corpus absent)"
			continue
		fi ;;
	*) path=$TOP/$input ;;
	esac
	# shellcheck disable=SC2046 # _args are single words
	"$CK" parse $(python3 "$G/compare.py" "$exp" --meta _args) "$path" >"$TMPD/$name.json" 2>"$TMPD/$name.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		fail "$name: parse exits 0" "exit $rc: $(head -c 500 "$TMPD/$name.err")"
		continue
	fi
	if python3 "$G/compare.py" "$exp" "$TMPD/$name.json" >"$TMPD/$name.diff" 2>&1; then
		ok "$name"
	else
		fail "$name" "$(grep -v ' checks, ' "$TMPD/$name.diff" | head -n "${CK_GOLDEN_LINES:-25}" | sed '2,$s/^/        /')
        $(tail -n 1 "$TMPD/$name.diff")"
	fi
done
done_suite
