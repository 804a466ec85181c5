#!/bin/sh
# Golden tests: `cablekit parse` on a cable, compared field by field with an
# expected JSON written by hand (tests/golden/*.expected.json; the rules are
# in tests/golden/README.md).  Inputs named "corpus/..." are read from
# $CORPUS and skipped, saying so, when it is absent; "corpus-text/html/X.html"
# is that page reduced to its <pre> text at test time (never stored here);
# the seed comes from examples/ and always runs.
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
# Run copies of the binaries: others may relink them meanwhile.
cp "$CK" "$TMPD/cablekit" && CK=$TMPD/cablekit
if [ -x "$CK_ASAN" ] && cp "$CK_ASAN" "$TMPD/cablekit-asan"; then
	CK_ASAN=$TMPD/cablekit-asan
else
	CK_ASAN=""
fi
# Parse every input (optimized build, then the sanitizer build), then
# compare all in one python run (python starts slowly on a busy machine).
OUT=$TMPD/out
mkdir -p "$OUT"
python3 "$G/compare.py" --meta-all "$G"/*.expected.json >"$TMPD/meta" || fail "read the expected files"
while IFS="$(printf '\t')" read -r name input args; do
	case $input in
	corpus/*)
		path=$CORPUS/${input#corpus/}
		if [ ! -f "$path" ]; then
			skip "$name (no $path: corpus absent)"
			continue
		fi ;;
	corpus-text/*)
		# a viewer page reduced at test time to the text of its <pre>
		# blocks, as a reader copying it gets it (no page metadata)
		page=$CORPUS/${input#corpus-text/}
		if [ ! -f "$page" ]; then
			skip "$name (no $page: corpus absent)"
			continue
		fi
		path=$TMPD/text-$name.txt
		python3 "$TOP/tests/groundtruth/pretext.py" - "$page" >"$path" ;;
	*) path=$TOP/$input ;;
	esac
	# shellcheck disable=SC2086 # _args are single words
	"$CK" parse $args "$path" >"$OUT/$name.json" 2>"$TMPD/$name.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		fail "$name: parse exits 0" "exit $rc: $(head -c 500 "$TMPD/$name.err")"
		rm -f "$OUT/$name.json"
		continue
	fi
	# The sanitizer build must print the same JSON, with no report.
	[ -n "$CK_ASAN" ] || continue
	# shellcheck disable=SC2086
	timeout 20 "$CK_ASAN" parse $args "$path" >"$TMPD/$name.asan" 2>"$TMPD/$name.asanerr"
	rc=$?
	if grep -q -E 'AddressSanitizer|LeakSanitizer|runtime error' "$TMPD/$name.asanerr"; then
		fail "$name: asan clean" "$(grep -m1 -A4 -E 'AddressSanitizer|LeakSanitizer|runtime error' "$TMPD/$name.asanerr")"
	elif [ $rc -ne 0 ]; then
		fail "$name: asan clean" "exit $rc"
	elif ! cmp -s "$OUT/$name.json" "$TMPD/$name.asan"; then
		fail "$name: asan build prints the same JSON" "$(python3 "$G/compare.py" --same "$OUT/$name.json" "$TMPD/$name.asan" | head -n 5)"
	else
		ok "$name: asan clean, same JSON"
	fi
done <"$TMPD/meta"
python3 "$G/compare.py" --batch "$OUT" "$G"/*.expected.json >"$TMPD/results" || fail "compare.py --batch runs"
while IFS="$(printf '\t')" read -r name result; do
	if [ "$result" = ok ]; then
		ok "$name"
	else
		fail "$name" "$(grep -v ' checks, ' "$OUT/$name.diff" | head -n "${CK_GOLDEN_LINES:-25}" | sed '2,$s/^/        /')
        $(tail -n 1 "$OUT/$name.diff")"
	fi
done <"$TMPD/results"

# `check` prints the same problems as `parse`, one per line as
# file:line: kind: note; for the seed those include the page headers and
# renumberings read by hand.
seed=$TOP/examples/07ROME1497.txt
"$CK" check "$seed" >"$TMPD/check.out" 2>"$TMPD/check.err"
rc=$?
"$CK" parse "$seed" >"$TMPD/seed.json" 2>/dev/null
if why=$(python3 - "$seed" "$TMPD/check.out" "$TMPD/seed.json" "$rc" <<'PY'
import json, re, sys
seed, out, js, rc = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
bad = []
if rc not in (0, 1):
    bad.append("check exited %d" % rc)
got = []
for line in open(out, encoding="utf-8"):
    m = re.match(r"^(.*):(\d+): ([^:]+): (.*)$", line.rstrip("\n"))
    if not m or m.group(1) != seed:
        bad.append("not file:line: kind: note: %r" % line[:200])
        continue
    got.append((int(m.group(2)), m.group(3)))
try:
    probs = json.loads(open(js, encoding="utf-8").readline())["problems"]
    want = [(p["line"], p["kind"]) for p in probs]
    if sorted(got) != sorted(want):
        bad.append("check lines %s differ from parse problems %s" % (sorted(got), sorted(want)))
except (ValueError, KeyError, TypeError) as e:
    bad.append("parse output unusable: %s" % e)
for need in [(34, "page-header"), (55, "page-header"), (81, "page-header"), (65, "paragraph-number"),
             (71, "paragraph-number"), (73, "paragraph-number"), (79, "paragraph-number")]:
    if need not in got:
        bad.append("check does not report %s at line %d" % (need[1], need[0]))
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
); then
	ok "check: the seed's problems as file:line: kind: note"
else
	fail "check: the seed's problems as file:line: kind: note" "$why"
fi
done_suite
