#!/bin/sh
# Ground-truth suite (the corpus comparison): parse every viewer page of ../shared/corpus/html and compare
# with groundtruth.tsv field by field (compare.py); disagreements where the
# page is wrong are listed, each with its reason, in known-faults.tsv.  The
# report of the other disagreements goes to build/corpus-report.txt.
. "$(dirname "$0")/../lib.sh"
if ! have_corpus; then
	skip "corpus: ../shared/corpus is absent, corpus checks skipped"
	done_suite
fi
out=$TMPD/html.jsonl
if "$CK" parse "$CORPUS/html" >"$out" 2>"$TMPD/err"; then
	ok "parse all viewer pages (exit 0)"
else
	fail "parse all viewer pages (exit 0)" "$(head -5 "$TMPD/err")"
fi
n=$(wc -l <"$out")
pages=$(ls "$CORPUS/html" | wc -l)
[ "$n" -eq "$pages" ] && ok "one cable per page ($n)" || fail "one cable per page" "$n lines for $pages pages"
mkdir -p "$TOP/build"
if python3 "$TOP/tests/groundtruth/compare.py" "$CORPUS/groundtruth.tsv" "$out" "$TOP/build/corpus-report.txt" \
	--known "$TOP/tests/groundtruth/known-faults.tsv" >"$TMPD/cmp" 2>&1; then
	ok "agreement with groundtruth.tsv above the thresholds"
else
	fail "agreement with groundtruth.tsv above the thresholds" "$(cat "$TMPD/cmp")"
fi
sed 's/^/    /' "$TMPD/cmp"
# every known page fault is a real disagreement: compare.py fails on stale
# entries; here, each entry's id must be a corpus page
bad=0
grep -v '^#' "$TOP/tests/groundtruth/known-faults.tsv" | cut -f1 | sort -u | while read -r id; do
	grep -q "^$id	" "$CORPUS/groundtruth.tsv" || { echo "$id"; }
done >"$TMPD/missing"
[ -s "$TMPD/missing" ] && fail "known faults name corpus pages" "$(cat "$TMPD/missing")" || ok "known faults name corpus pages"
# the PDF-edition texts: each parses to a cable with id, date, marking and paragraphs
for f in "$CORPUS"/text/*.txt; do
	b=$(basename "$f" .txt)
	"$CK" parse "$f" >"$TMPD/t.json" 2>/dev/null
	if python3 -c "
import json,sys
c=json.load(open('$TMPD/t.json'))
assert c['id']=='$b', c['id']
assert c['date'] and c['marking'] and c['paragraphs'] and c['subject']
" 2>"$TMPD/e"; then ok "text/$b: id, date, marking, subject, paragraphs"; else fail "text/$b" "$(tail -1 "$TMPD/e")"; fi
done
# problems reported: every page header removed is a problem entry, and
# no page-header text is left in any body
python3 - "$out" >"$TMPD/ph" 2>&1 <<'PY'
import json, re, sys
hdr = re.compile(r"^[A-Z][A-Z ]+ \d{8} +\d{3}\.\d OF \d{3}\s*$", re.M)
left = 0; reported = 0
for line in open(sys.argv[1]):
    c = json.loads(line)
    reported += sum(1 for p in c["problems"] if p["kind"] == "page-header")
    if c.get("body") and hdr.search(c["body"]):
        left += 1
        print("page header left in", c["id"])
print("page headers removed and reported:", reported)
sys.exit(1 if left or reported < 1000 else 0)
PY
[ $? -eq 0 ] && ok "page headers removed from every body, each reported ($(tail -1 "$TMPD/ph"))" || fail "page headers removed" "$(head -5 "$TMPD/ph")"
# The same pages as a cables.csv (tests/read/pages2csv.awk, with a references
# column resolved naively from the REF lines, standing in for WikiLeaks'):
# the same cables, and a "page-references" problem exactly on the rows
# whose column and parsed REF ids differ as sets (recomputed here), the
# column filling the references of cables without a REF line.
awk -f "$TOP/tests/read/pages2csv.awk" "$CORPUS"/html/*.html >"$TMPD/all.csv"
"$CK" parse "$TMPD/all.csv" >"$TMPD/csv.jsonl" 2>"$TMPD/csv.err"
if why=$(python3 - "$TMPD/csv.jsonl" "$out" <<'PY'
import json, re, sys
csv = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
html = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
bad = []
if sorted(str(c["id"]) for c in csv) != sorted(str(c["id"]) for c in html):
    bad.append("the csv gives other cables than the pages")
norm = lambda i: re.sub(r"(\D)0+(\d+)$", r"\1\2", i)  # serial without leading zeros
counts = {"rows": len(csv), "column": 0, "disagree": 0, "filled": 0}
for c in csv:
    col = c["source"]["page"]["references"]
    ids = {norm(x) for x in col.split("|") if x}
    counts["column"] += bool(ids)
    probs = [p for p in c["problems"] if p["kind"] == "page-references"]
    filled = [p for p in probs if p["note"].startswith("no REF line")]
    text = {norm(r["id"]) for r in c["references"] if r["id"]}
    if filled:
        counts["filled"] += 1
        if text != ids or any(r["text"] != r["id"] for r in c["references"]):
            bad.append("%s: references not taken from the column" % c["id"])
    elif (text != ids) != bool(probs):
        bad.append("%s: column %s, text %s, problems %r" % (c["id"], sorted(ids), sorted(text), probs))
    else:
        counts["disagree"] += bool(probs)
print("references column vs REF lines: %(disagree)d of %(rows)d rows disagree (%(column)d rows have a column); "
      "%(filled)d cables without a REF line take the column" % counts)
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
); then
	ok "cables.csv of every page: the same cables; $(echo "$why" | head -1)"
else
	fail "cables.csv of every page: references evidence" "$(echo "$why" | head -6)"
fi
# the same pages as text alone (issue 12)
. "$TOP/tests/groundtruth/text.sh"
