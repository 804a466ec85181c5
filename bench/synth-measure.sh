#!/bin/sh
# bench/synth-measure.sh - measure the distributions bench/synth follows,
# with cablekit itself, into a table (kind, value, count[, extra columns]).
#
#   sh bench/synth-measure.sh                 parse ../shared/corpus/html and
#                                             write bench/synth-dist.tsv
#   sh bench/synth-measure.sh FILE.jsonl      measure JSON Lines (cablekit parse
#                                             output) and print the table
#
# Kinds: origin (idpost, count, FM address, station RI, archive origin),
# year, marking, sipdis, precedence, sections, refs, paras, pwords (words
# per paragraph, rounded to 10), heading (paragraphs with one), tags (count),
# tag, swords (subject words, without [SYNTHETIC]), summary, signers.
# tests/write/synth.sh compares a generated corpus with this table.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
CK=${CK:-$TOP/build/cablekit}
CORPUS=${CORPUS:-$(cd "$TOP/.." && pwd)/shared/corpus}
measure() {
	python3 -c '
import collections, json, re, sys
K = collections.defaultdict(collections.Counter)
origin = {}
for line in open(sys.argv[1], encoding="utf-8"):
    c = json.loads(line)
    h = c.get("header") or {}
    m = re.match(r"^\d{2}([A-Z]+)\d+$", c.get("id") or "")
    if m and c.get("from") and h.get("station") and c.get("origin"):
        post = m.group(1)
        K["origin"][post] += 1
        origin.setdefault(post, collections.Counter())[(c["from"], h["station"], c["origin"])] += 1
    if c.get("date"):
        K["year"][c["date"][:4]] += 1
    if c.get("marking"):
        K["marking"][c["marking"]] += 1
    K["sipdis"]["yes" if "SIPDIS" in c.get("caveats", []) else "no"] += 1
    K["precedence"][c.get("precedence") or "-"] += 1
    K["sections"][str(c.get("sections") or 0)] += 1
    K["refs"][str(len(c.get("references") or []))] += 1
    paras = c.get("paragraphs") or []
    K["paras"][str(len(paras))] += 1
    for p in paras:
        w = len((p.get("text") or "").split())
        K["pwords"][str(min(300, (w + 5) // 10 * 10))] += 1
        K["heading"]["yes" if p.get("heading") else "no"] += 1
    tags = c.get("tags") or []
    K["tags"][str(len(tags))] += 1
    for t in tags:
        K["tag"][t] += 1
    s = (c.get("subject") or "").replace("[SYNTHETIC]", "").split()
    K["swords"][str(len(s))] += 1
    K["summary"]["yes" if c.get("summary") else "no"] += 1
    K["signers"][str(len(c.get("signers") or []))] += 1
for kind in ("origin", "year", "marking", "sipdis", "precedence", "sections", "refs",
             "paras", "pwords", "heading", "tags", "tag", "swords", "summary", "signers"):
    for v, n in sorted(K[kind].items(), key=lambda x: (-x[1], x[0])):
        extra = ""
        if kind == "origin":
            (fm, st, og), _ = origin[v].most_common(1)[0]
            extra = "\t%s\t%s\t%s" % (fm, st, og)
        print("%s\t%s\t%d%s" % (kind, v, n, extra))
' "$1"
}
if [ $# -ge 1 ]; then
	measure "$1"
	exit $?
fi
[ -d "$CORPUS/html" ] || { echo "synth-measure: no corpus at $CORPUS/html" >&2; exit 1; }
T=$(mktemp "${TMPDIR:-/tmp}/ckmeasure.XXXXXX")
trap 'rm -f "$T"' EXIT
"$CK" parse "$CORPUS/html" >"$T" 2>/dev/null
{
	echo "# bench/synth-dist.tsv - distributions of the dev corpus ($(wc -l <"$T") viewer pages),"
	echo "# measured by bench/synth-measure.sh with cablekit $(git -C "$TOP" rev-parse --short HEAD 2>/dev/null)."
	echo "# kind<TAB>value<TAB>count[<TAB>FM address<TAB>station<TAB>origin for kind origin]"
	measure "$T"
} >"$TOP/bench/synth-dist.tsv"
echo "wrote bench/synth-dist.tsv ($(grep -vc '^#' "$TOP/bench/synth-dist.tsv") rows)"
