#!/bin/sh
# tests/read/test.sh - the readers end to end, through `cablekit parse`:
# folders, archives (.tar.gz .tar.bz2 .zip .7z .gz, from stdin too), a
# cables.csv built from corpus pages, JSON Lines read back, and hostile
# inputs (truncated archive, corrupt page, broken csv row, binary file,
# 10 MB line, NUL bytes) run with the sanitizer build.
. "$(dirname "$0")/../lib.sh"

if ! have_corpus; then
	skip "corpus pages (no $CORPUS/html)"
	done_suite
fi
W=$TMPD/w
mkdir -p "$W/html"
# 24 pages, among them a partial extract, a leaked tab row and a leaked
# record of one value per line
for f in $(ls "$CORPUS/html" | awk 'NR % 125 == 1' | head -20) 00HARARE5461.html \
	04BOGOTA11339.html 07MEXICO1581.html 07BOGOTA1903.html; do
	cp "$CORPUS/html/$f" "$W/html/"
done
N=$(ls "$W/html" | wc -l)
cd "$W" || exit 1

# file names as written in the JSON, in output order
files() { sed -n 's/.*"source":{"file":"\([^"]*\)".*/\1/p' "$1"; }
ids() { sed -n 's/^{"id":\("[^"]*"\|null\).*/\1/p' "$1"; }

# ---- folder ---------------------------------------------------------------
"$CK" parse html >folder.jsonl 2>folder.err
rc=$?
if [ $rc -eq 0 ] && [ "$(wc -l <folder.jsonl)" -eq "$N" ] && [ ! -s folder.err ]; then
	ok "folder of $N pages: $N JSON lines, exit 0"
else
	fail "folder of $N pages: $N JSON lines, exit 0" "rc=$rc lines=$(wc -l <folder.jsonl) $(head -3 folder.err)"
fi
ls html | sed 's|^|html/|' >want.files
files folder.jsonl >got.files
if cmp -s want.files got.files; then
	ok "folder: source.file of every line, in sorted order"
else
	fail "folder: source.file of every line, in sorted order" "$(diff want.files got.files | head -5)"
fi
if grep -q '"format":"html"' folder.jsonl && [ "$(grep -c '"format":"html"' folder.jsonl)" -eq "$N" ]; then
	ok "folder: format html on every line"
else
	fail "folder: format html on every line"
fi
"$CK" parse html/ >slash.jsonl 2>/dev/null
if cmp -s folder.jsonl slash.jsonl; then ok "folder given as html/ reads the same"; else fail "folder given as html/ reads the same"; fi

# ---- archives: byte-identical JSON once the archive prefix is taken off ----
tar --sort=name -czf pages.tar.gz html
tar --sort=name -cjf pages.tar.bz2 html
tar --sort=name -cf pages.tar html
have7z=0
if command -v 7z >/dev/null 2>&1; then
	have7z=1
	7z a -bd -y pages.7z html >/dev/null
	7z a -bd -y -tzip pages.zip html >/dev/null
fi
for a in pages.tar.gz pages.tar.bz2 pages.tar pages.7z pages.zip; do
	if [ ! -f "$a" ]; then
		skip "$a: 7z not installed (p7zip-full, scripts/deps.sh)"
		continue
	fi
	"$CK" parse "$a" >a.jsonl 2>a.err
	rc=$?
	sed "s|\"file\":\"$a!|\"file\":\"|" a.jsonl >a.norm
	if [ $rc -eq 0 ] && cmp -s folder.jsonl a.norm; then
		ok "$a: JSON byte-identical to the folder (member names $a!html/...)"
	else
		fail "$a: JSON byte-identical to the folder" "rc=$rc $(head -2 a.err) $(diff folder.jsonl a.norm | head -c 600)"
	fi
done
for a in pages.tar.gz pages.7z; do
	[ -f "$a" ] || continue
	"$CK" parse - <"$a" >s.jsonl 2>s.err
	rc=$?
	sed 's|"file":"-!|"file":"|' s.jsonl >s.norm
	if [ $rc -eq 0 ] && cmp -s folder.jsonl s.norm; then
		ok "$a from standard input: same JSON (member names -!html/...)"
	else
		fail "$a from standard input: same JSON" "rc=$rc $(head -2 s.err)"
	fi
done
one=$(ls html | head -1)
gzip -c "html/$one" >"$one.gz"
"$CK" parse "$one.gz" >gz.jsonl 2>gz.err
if [ "$(files gz.jsonl)" = "$one.gz!$one" ] &&
	[ "$(sed 's/"file":"[^"]*"//' gz.jsonl)" = "$(grep "\"file\":\"html/$one\"" folder.jsonl | sed 's/"file":"[^"]*"//')" ]; then
	ok "a lone .gz page: one cable, member named after the file"
else
	fail "a lone .gz page: one cable, member named after the file" "$(files gz.jsonl) $(head -2 gz.err)"
fi
# an archive inside an archive
if [ $have7z = 1 ]; then
	mkdir -p nest && cp pages.tar.gz nest/ && 7z a -bd -y -tzip nest.zip nest >/dev/null
	"$CK" parse nest.zip >n.jsonl 2>n.err
	if [ $? -eq 0 ] && [ "$(wc -l <n.jsonl)" -eq "$N" ] && grep -q '"file":"nest.zip!nest/pages.tar.gz!html/' n.jsonl; then
		ok "a .tar.gz inside a .zip: every page, named zip!tar.gz!member"
	else
		fail "a .tar.gz inside a .zip" "$(head -2 n.err)"
	fi
fi

# ---- cables.csv built from the same pages --------------------------------
awk -f "$TOP/tests/read/pages2csv.awk" html/*.html >cables.csv
"$CK" parse cables.csv >csv.jsonl 2>csv.err
rc=$?
if [ $rc -eq 0 ] && [ "$(wc -l <csv.jsonl)" -eq "$N" ] && [ "$(grep -c '"format":"csv"' csv.jsonl)" -eq "$N" ]; then
	ok "cables.csv of $N pages: $N cables, format csv"
else
	fail "cables.csv of $N pages: $N cables, format csv" "rc=$rc lines=$(wc -l <csv.jsonl) $(head -3 csv.err)"
fi
ids folder.jsonl >ids.html
ids csv.jsonl >ids.csv
if cmp -s ids.html ids.csv && ! grep -q null ids.csv; then
	ok "cables.csv: the same cable ids as the pages, in the same order"
else
	fail "cables.csv: the same cable ids as the pages" "$(diff ids.html ids.csv | head -6)"
fi
# the row's first line in the file is the source line
first=$(sed -n 's/.*"source":{[^}]*"line":\([0-9]*\).*/\1/p' csv.jsonl | head -2 | tr '\n' ' ')
second_row=$(grep -n '^"2","' cables.csv | cut -d: -f1)
if [ "$first" = "1 $second_row " ]; then
	ok "cables.csv: source.line is the row's first line ($first)"
else
	fail "cables.csv: source.line is the row's first line" "got '$first', second row at line $second_row"
fi

# ---- MySQL escapes in every column that shows (subject, body, header, origin)
# The first generated row gains each escape the dump may hold: \' \" \\ \t \Z
# \0 in the subject, the origin and a header line, and \r\n and a backslash
# before another byte in a body line.  Decoded as MySQL does: no stray
# backslash anywhere, the NUL dropped and reported.
python3 - cables.csv esc.csv <<'PY'
import sys
rows = open(sys.argv[1], encoding="utf-8").read().split('\n"2","', 1)
r = rows[0]
E = "\\'\\\"\\\\\\t\\Z\\0"   # \' \" \\ \t \Z \0 as written in the dump
f = r.split('","')
f[3] = "Embassy O" + E + "X"                       # origin
f[6] = f[6] + "\nINFO AMEMBASSY " + E + "HDR"     # header
i = f[7].find("SUBJECT:")
f[7] = f[7][:i] + "SUBJECT: ESC" + E + "SUBJ " + f[7][i + 8:]
f[7] = f[7].replace("\n", "\nBODY" + E + "\\r\\n\\%\\qEND\n", 3)
open(sys.argv[2], "w", encoding="utf-8").write('","'.join(f) + '\n')
PY
"$CK" parse esc.csv >esc.jsonl 2>esc.err
if why=$(python3 - esc.jsonl <<'PY'
import json, sys
c = json.loads(open(sys.argv[1], encoding="utf-8").readline())
D = "'\"\\\t\x1a"  # the same escapes decoded (the NUL dropped)
T = D.replace("\t", " ")  # the parser's text: a tab is white space, CRLF a newline
bad = []
def has(where, s, want):
    if want not in (s or ""):
        bad.append("%s lacks %r: %r" % (where, want, (s or "")[:200]))
has("subject", c["subject"], "ESC" + T + "SUBJ")
has("origin column", c["source"]["page"]["origin"], "Embassy O" + D + "X")
has("body", c["body"], "BODY" + T + "\n%qEND")
# a decoded \\ is the only backslash: one in subject, origin and each body line
for k, s, n in (("subject", c["subject"], 1), ("origin", c["source"]["page"]["origin"], 1)):
    if s.count("\\") != n:
        bad.append("%s holds %d backslashes, want %d" % (k, s.count("\\"), n))
if c["body"].count("\\") != c["body"].count("BODY"):
    bad.append("stray backslash in the body")
if "\\'" in json.dumps(c) or "\\\\'" in json.dumps(c, ensure_ascii=False):
    bad.append("an escaped apostrophe survives")
if not any(p["kind"] == "page-repair" and "NUL" in p["note"] for p in c["problems"]):
    bad.append("the dropped NUL bytes are not reported: %r" % c["problems"])
# the header column's lines are read as the header: INFO addressee
if not any(a["name"].startswith("AMEMBASSY") and "HDR" in a["name"] for a in c["info"]):
    bad.append("header line with escapes not an INFO addressee: %r" % c["info"][-2:])
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
); then
	ok "cables.csv: every MySQL escape decoded in subject, body, header and origin; NUL dropped and reported"
else
	fail "cables.csv: every MySQL escape decoded" "$why $(head -2 esc.err)"
fi

# ---- the two real rows of the released file ---------------------------------
REAL=$CORPUS/csv/cables-sample.csv
if [ ! -f "$REAL" ]; then
	skip "real cables.csv rows (no $REAL)"
else
	"$CK" parse "$REAL" >real.jsonl 2>real.err
	"$CK" parse "$CORPUS/html/66BUENOSAIRES2481.html" "$CORPUS/html/72TEHRAN1164.html" >realhtml.jsonl 2>/dev/null
	# the same cables as their viewer pages: every field but source (the page
	# drops the commas of TAGS lines, so body and paragraphs only differ there)
	if why=$(python3 - real.jsonl realhtml.jsonl <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
b = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
bad = []
if len(a) != 2 or [c["id"] for c in a] != [c["id"] for c in b]:
    bad.append("ids %r vs %r" % ([c["id"] for c in a], [c["id"] for c in b]))
strip = lambda s: s.replace(",", "") if isinstance(s, str) else s
for x, y in zip(a, b):
    for k in x:
        if k == "source":
            continue
        if k in ("body",):
            if strip(x[k]) != strip(y[k]):
                bad.append("%s %s differs" % (x["id"], k))
        elif x[k] != y[k]:
            bad.append("%s %s: csv %s, page %s" % (x["id"], k, json.dumps(x[k])[:120], json.dumps(y[k])[:120]))
    if "\\" in json.dumps(x, ensure_ascii=False).replace("\\n", "").replace("\\\"", ""):
        bad.append("%s: a backslash in the JSON" % x["id"])
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
	); then
		ok "real rows: the same cables as their viewer pages, no backslash left"
	else
		fail "real rows: the same cables as their viewer pages" "$why"
	fi
	# the columns as evidence: a references column that differs from the REF
	# lines (a leading zero does not count) and a date off by a minute
	sed '116s/"2\/25\/1972 9:30","72TEHRAN1164","Embassy Tehran","UNCLASSIFIED","[^"]*"/"2\/25\/1972 9:31","72TEHRAN1164","Embassy Tehran","UNCLASSIFIED","72MOSCOW1603|72TEHRAN0263|72STATE1"/' \
		"$REAL" >realbad.csv
	"$CK" check realbad.csv >realbad.out 2>&1
	want1="realbad.csv:116: page-references: the csv references column says 72MOSCOW1603|72TEHRAN0263|72STATE1, the REF lines say 72TEHRAN1091|72TEHRAN263|72MOSCOW1603 (only in the column: 72STATE1; only in the text: 72TEHRAN1091)"
	want2="realbad.csv:116: page-date: the csv date column says 1972-02-25 09:31, the text's DTG says 1972-02-25T09:30:00Z: the minutes differ"
	if grep -qxF "$want1" realbad.out && grep -qxF "$want2" realbad.out && [ "$(wc -l <realbad.out)" -eq 2 ]; then
		ok "real row with a changed references column and date: page-references and page-date problems"
	else
		fail "real row with a changed references column and date" "$(cat realbad.out)"
	fi
	# the telegram written back by `format` holds the header column's lines
	# and then the content's, as sent
	mkdir -p fmt
	"$CK" format real.jsonl --out fmt >/dev/null 2>fmt.err
	t=$(grep -l 'TEHRAN 1164' fmt/* 2>/dev/null | head -1)
	if [ -n "$t" ] && [ "$(ls fmt | wc -l)" -eq 2 ] && grep -q '^FM AMEMBASSY TEHRAN' "$t" && grep -q "SHAH'S INCREASING CONCERN" "$t" &&
		[ "$(grep -n '^INFO SECDEF' "$t" | cut -d: -f1)" -lt "$(grep -n '^SUBJECT: ACCELERATION' "$t" | cut -d: -f1)" ] &&
		! grep -q '\\' "$t"; then
		ok "real rows: format writes the telegram back (header, then body; no backslash)"
	else
		fail "real rows: format writes the telegram back" "$(ls fmt 2>&1 | head -3) $(head -2 fmt.err)"
	fi
	# 10x and 100x the real rows stream with flat memory
	: >real10.csv
	for i in 1 2 3 4 5 6 7 8 9 10; do cat "$REAL" >>real10.csv; done
	: >real100.csv
	for i in 1 2 3 4 5 6 7 8 9 10; do cat real10.csv >>real100.csv; done
	rss() { /usr/bin/time -f %M "$CK" parse "$1" 2>&1 >"$1.jsonl" | tail -1; }
	r10=$(rss real10.csv)
	r100=$(rss real100.csv)
	n100=$(grep -c '"format":"csv"' real100.csv.jsonl)
	if [ "$(wc -l <real10.csv.jsonl)" -eq 20 ] && [ "$n100" -eq 200 ] && ! grep -q '\\'"'" real100.csv.jsonl &&
		[ "$r100" -le $((r10 + 1024)) ] && [ "$r100" -le 16384 ]; then
		ok "real rows x10 and x100 ($(wc -c <real100.csv) bytes): 20 and 200 cables, peak RSS ${r10} KB and ${r100} KB (flat)"
	else
		fail "real rows x10 and x100 stream with flat memory" "cables $(wc -l <real10.csv.jsonl)/$n100, RSS ${r10}/${r100} KB"
	fi
fi

# ---- JSON Lines read back -----------------------------------------------------
"$CK" parse folder.jsonl >back.jsonl 2>back.err
rc=$?
ids back.jsonl >ids.back
if [ $rc -eq 0 ] && cmp -s ids.html ids.back; then
	ok "JSON Lines of cablekit parse read back: the same $N cables"
elif ! grep -q jsonl "$TOP/src/read/evidence.c"; then
	skip "JSON Lines read back: ck_item_parse does not take jsonl items yet (src/read/evidence.c)"
else
	fail "JSON Lines read back: the same $N cables" "rc=$rc $(head -2 back.err) $(diff ids.html ids.back | head -4)"
fi
# the round trip (ck_cable_read_json, then the writer) gives back every byte
if cmp -s folder.jsonl back.jsonl; then
	ok "JSON Lines round trip: byte-identical"
else
	# name the fields that differ on the first differing line
	k=$(cmp folder.jsonl back.jsonl | sed -n 's/.* line \([0-9]*\).*/\1/p')
	sed -n "${k:-1}p" folder.jsonl | sed 's/,"/\n"/g' >rt.a
	sed -n "${k:-1}p" back.jsonl | sed 's/,"/\n"/g' >rt.b
	fail "JSON Lines round trip: byte-identical" "line $k: $(diff rt.a rt.b | grep '^[<>]' | head -4 | tr '\n' ' ')"
fi

# ---- PlusD page text, plain telegrams, several telegrams in one file ---------
if [ -f "$CORPUS/seed/07ROME1497.txt" ]; then
	"$CK" parse "$CORPUS/seed/07ROME1497.txt" >seed.jsonl 2>/dev/null
	grep -q '"format":"plusd"' seed.jsonl && grep -q '^{"id":"07ROME1497"' seed.jsonl &&
		ok "the seed is PlusD page text (format plusd)" || fail "the seed is PlusD page text" "$(head -c 300 seed.jsonl)"
fi
if [ -d "$CORPUS/text" ]; then
	nt=$(ls "$CORPUS/text" | wc -l)
	"$CK" parse "$CORPUS/text" >text.jsonl 2>/dev/null
	[ "$(grep -c '"format":"text"' text.jsonl)" -eq "$nt" ] && ok "PDF-edition texts (cp1252, CRLF): $nt cables, format text" ||
		fail "PDF-edition texts: $nt cables, format text"
	set -- "$CORPUS"/text/*.txt
	cat "$1" "$2" "$3" >three.txt
	l2=$(grep -n '^VZCZC' three.txt | sed -n 2p | cut -d: -f1)
	"$CK" parse three.txt >three.jsonl 2>/dev/null
	lines=$(sed -n 's/.*"source":{[^}]*"line":\([0-9]*\).*/\1/p' three.jsonl | tr '\n' ' ')
	if [ "$(wc -l <three.jsonl)" -eq 3 ] && [ "$(ids three.jsonl | tr '\n' ' ')" = "$(for f in "$1" "$2" "$3"; do "$CK" parse "$f" 2>/dev/null; done | sed -n 's/^{"id":\("[^"]*"\|null\).*/\1/p' | tr '\n' ' ')" ] &&
		[ "$(echo "$lines" | cut -d' ' -f2)" = "$l2" ]; then
		ok "three telegrams in one text file: three cables, lines $lines"
	else
		fail "three telegrams in one text file" "$(wc -l <three.jsonl) cables, lines $lines (want 1 $l2 ...)"
	fi
fi

# ---- the --pretty form read back: objects over many lines ------------------
if [ -d "$CORPUS/text" ]; then
	"$CK" parse --pretty "$CORPUS/text" >pretty.json 2>/dev/null
	"$CK" parse --pretty pretty.json >pretty2.json 2>pretty.err
	if [ -s pretty.json ] && cmp -s pretty.json pretty2.json; then
		ok "cablekit parse --pretty output read back: byte-identical"
	else
		fail "cablekit parse --pretty output read back" "$(head -2 pretty.err) $(diff pretty.json pretty2.json | head -4)"
	fi
fi

# ---- bad input: reported with file and line, the rest still read, exit 1 ---
X=$CK_ASAN
[ -x "$X" ] || X=$CK
mkdir -p bad
cp html/* bad/
head -c 40000 pages.tar.gz >bad/b-truncated.tar.gz
# a page cut in the middle of its body block
p=$(ls html | sed -n 2p)
head -c "$(( $(grep -b -o '<code><pre>' "html/$p" | tail -1 | cut -d: -f1) + 400 ))" "html/$p" >bad/c-corrupt.html
printf '<html><body><p>no cable here</p></body></html>\n' >bad/c-nopre.html
awk -f "$TOP/tests/read/pages2csv.awk" html/*.html | sed '5s/^\(.\{20\}\)/\1" broken "/' >bad/d-broken.csv
tar -czf bad/g-csv.tar.gz -C bad d-broken.csv
head -c 3000 /dev/urandom >bad/e-random.bin
printf '\211PNG\r\n\032\n\0\0\0\rIHDR' >bad/e-image.png
: >bad/f-empty.txt
"$X" parse bad >bad.jsonl 2>bad.err
rc=$?
if grep -q 'AddressSanitizer\|runtime error' bad.err; then
	fail "hostile folder: no sanitizer report" "$(grep -m3 'ERROR\|runtime error' bad.err)"
else
	ok "hostile folder: no sanitizer report"
fi
[ $rc -eq 1 ] && ok "hostile folder: exit status 1" || fail "hostile folder: exit status 1" "rc=$rc"
expect_err() { # name pattern
	if grep -q -- "$2" bad.err; then ok "$1"; else fail "$1" "no '$2' in: $(head -c 800 bad.err)"; fi
}
expect_err "truncated archive: reported with its member" 'bad/b-truncated.tar.gz!html/[^:]*: .*truncated'
expect_err "corrupt page: reported with file and line" "bad/c-corrupt.html:[0-9][0-9]*: page truncated"
expect_err "html page without a cable: reported" 'bad/c-nopre.html: not a cable'
expect_err "broken csv row: reported with file and line" 'bad/d-broken.csv:[0-9][0-9]*: csv row broken'
expect_err "broken csv row inside an archive: archive!member:line" 'bad/g-csv.tar.gz!d-broken.csv:[0-9][0-9]*: csv row broken'
expect_err "random bytes: not a cable (format unknown)" 'bad/e-random.bin: not a cable (format unknown)'
expect_err "an image: not a cable (format unknown)" 'bad/e-image.png: not a cable (format unknown)'
expect_err "empty file: reported" 'bad/f-empty.txt: not a cable (empty file)'
# the rest still read: every good page, the members before the cut, the
# corrupt page's salvaged text, the csv rows but the broken one
got=$(files bad.jsonl | grep -c '^bad/[^!]*\.html$')
[ "$got" -eq $((N + 1)) ] && ok "hostile folder: all $N good pages and the salvaged corrupt page read" ||
	fail "hostile folder: good pages read" "got $got of $((N + 1))"
got=$(files bad.jsonl | grep -c '^bad/b-truncated.tar.gz!')
[ "$got" -ge 1 ] && [ "$got" -lt "$N" ] && ok "truncated archive: the $got members before the cut read" ||
	fail "truncated archive: members before the cut read" "got $got"
got=$(files bad.jsonl | grep -c '^bad/d-broken.csv$')
[ "$got" -eq $((N - 1)) ] && ok "broken csv: the other $((N - 1)) rows read" ||
	fail "broken csv: the other rows read" "got $got of $((N - 1))"

# ---- pathological inputs, bounded time, under the sanitizers -------------
mkdir -p hostile
awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "UNCLAS X&#x000A;<a "; print "" }' >hostile/long-line.txt
{ printf '<html><pre>'; awk 'BEGIN { for (i = 0; i < 500000; i++) printf "&#x000A;&amp<<a&#xD800;"; }'; } >hostile/long.html
printf 'VZCZC\0\0\377\376 UNCLAS \200\201\n' >hostile/nul.txt
printf '"1","' >hostile/tiny.csv
printf '{"id":"X", broken\n{"id":\n' >hostile/broken.jsonl
start=$(date +%s)
"$X" parse hostile >hostile.jsonl 2>hostile.err
rc=$?
secs=$(( $(date +%s) - start ))
if grep -q 'AddressSanitizer\|runtime error' hostile.err || [ $rc -gt 1 ]; then
	fail "10 MB line, NUL bytes, broken csv and jsonl: no crash" "rc=$rc $(grep -m3 'ERROR\|runtime error' hostile.err)"
else
	ok "10 MB line, NUL bytes, broken csv and jsonl: no crash (exit $rc, ${secs}s)"
fi
expect_err2() { if grep -q -- "$2" hostile.err; then ok "$1"; else fail "$1" "$(head -c 600 hostile.err)"; fi; }
expect_err2 "NUL bytes: not a cable" 'hostile/nul.txt: not a cable'
expect_err2 "broken JSON line: reported with its line" 'hostile/broken.jsonl:1: not a cable'
expect_err2 "unterminated csv row: reported" 'hostile/tiny.csv:1: csv row broken'
done_suite
