# tests/archive/plusd.sh - sourced by test.sh: 1970s telegrams and PlusD
# record pages in the archive.  References without a year resolve to the
# citing cable's year, else to the same serial a year earlier ("inferred"),
# in either ingest order; the fields of the 1970s layout and of the
# records are searchable (concept: drafter: office: current: review:) and
# faceted; over ../shared/corpus/plusd, cites:73STATE97844 finds both
# Athens cables.
P70=$TMPD/p70
mkdir -p "$P70/old" "$P70/new" "$P70/same"
# a 1973 Department telegram (tests/data/70s-state-4321.txt), a 1974
# embassy telegram on a made-up PlusD record page citing "STATE 4321"
# without a year (tests/data/plusd-athens-44.html), and (later) a real
# 1974 STATE 4321
cp "$TOP/tests/data/70s-state-4321.txt" "$P70/old/a.txt"
cp "$TOP/tests/data/plusd-athens-44.html" "$P70/new/b.html"
sed -e 's/DEC 73/JAN 74/' -e 's/281500Z/021500Z/' -e 's/YEAR-END QUESTIONS ABOUT HARBOR FEES/NEW YEAR QUESTION/' \
	"$P70/old/a.txt" >"$P70/same/c.txt"
inf() { "$CK" refs --db "$1" --json "$2" 2>/dev/null | python3 -c 'import json,sys; c=json.load(sys.stdin)["cites"]; print(" ".join("%s:%s" % (x["id"], x.get("inferred", False)) for x in c))'; }
hits() { "$CK" search --db "$1" --json "$2" 2>/dev/null | python3 -c 'import json,sys; print(" ".join(sorted(h["id"] for h in json.load(sys.stdin)["hits"])))'; }
for order in "old new" "new old"; do
	db=$TMPD/p70-$(echo "$order" | tr ' ' -).db
	for d in $order; do "$CK" ingest --db "$db" "$P70/$d" >/dev/null 2>&1; done
	got="$(inf "$db" 74ATHENS44) / $(hits "$db" cites:73STATE4321)"
	want="73STATE4321:True / 74ATHENS44"
	[ "$got" = "$want" ] && ok "1970s: a REF without a year goes to the year before when the citing year has none (ingest $order)" \
		|| fail "1970s: REF without a year, ingest $order" "got $got, want $want"
done
"$CK" ingest --db "$db" "$P70/same" >/dev/null 2>&1
got="$(inf "$db" 74ATHENS44) / $(hits "$db" cites:74STATE4321) / $(hits "$db" cites:73STATE4321)"
want="74STATE4321:False / 74ATHENS44 / "
[ "$got" = "$want" ] && ok "1970s: once the citing year's cable arrives the REF goes to it, not inferred" \
	|| fail "1970s: REF moves to the citing year's cable" "got $got, want $want"
got="$(hits "$db" drafter:jqpublic) | $(hits "$db" office:eur) | $(hits "$db" 'class:c date:1974')"
want="73STATE4321 74STATE4321 | 73STATE4321 74ATHENS44 74STATE4321 | 74ATHENS44 74STATE4321"
[ "$got" = "$want" ] && ok "1970s: drafter: office: class: over the printout fields" || fail "1970s: drafter: office: class:" "got $got, want $want"

# _a/_b/_c copies of one telegram are one cable: every copy's canonical id
# an alias, a copy whose text differs a new version
mkdir -p "$P70/copies"
for x in a c; do
	sed "s/1974ATHENS00044_b/1974ATHENS00044_$x/g" "$TOP/tests/data/plusd-athens-44.html" >"$P70/copies/$x.html"
done
sed -i 's/WILL ANSWER NEXT WEEK/WILL ANSWER MONDAY/' "$P70/copies/c.html"
"$CK" ingest --db "$db" "$P70/copies" >"$TMPD/cout" 2>&1
got="$(hits "$db" id:1974ATHENS00044_a) / $(hits "$db" id:1974ATHENS00044_b) / $(hits "$db" id:1974athens00044_c) / $("$CK" search --db "$db" --json 'id:74ATHENS44' | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])') / $("$CK" diff --db "$db" 74ATHENS44 | grep -c '^[-+][^-+]')"
want="74ATHENS44 / 74ATHENS44 / 74ATHENS44 / 1 / 2"
[ "$got" = "$want" ] && ok "plusd: _a/_b/_c copies are one cable, each canonical id an alias, a changed text a second version" \
	|| fail "plusd: copies of one telegram" "got $got, want $want ($(cat "$TMPD/cout"))"
# what was released when: review: over the record's dates (the Markings'
# release day 30 JUN 2005 too); decl: over the
# date an E.O. 12065 line gives (an E.O. 11652 GDS line has none)
sed -e 's/DEC 73/DEC 78/' -e 's/E.O. 11652: GDS/E.O. 12065: GDS 12\/31\/84 (JONES, ANNA) OR-E/' \
	"$P70/old/a.txt" >"$P70/same/d.txt"
"$CK" ingest --db "$db" "$P70/same/d.txt" >/dev/null 2>&1
got="$(hits "$db" review:2003-02-25) | $(hits "$db" review:2004) | $(hits "$db" review:2005) | $(hits "$db" decl:..1985) | $(hits "$db" decl:..1984-06) | $(hits "$db" decl:1984-12)"
want="74ATHENS44 | 74ATHENS44 | 74ATHENS44 | 78STATE4321 |  | 78STATE4321"
[ "$got" = "$want" ] && ok "1970s: review: finds a record's review and disposition dates, decl: an E.O. 12065 date" \
	|| fail "1970s: review: and decl:" "got $got, want $want"

if [ -d "$CORPUS/plusd" ]; then
	pdb=$TMPD/plusd.db
	"$CK" ingest --db "$pdb" "$CORPUS"/plusd/*.html >"$TMPD/pout" 2>&1
	grep -q ": 3 added, 0 updated, 0 unchanged, 0 failed" "$TMPD/pout" && ok "plusd: 3 record pages ingested" \
		|| fail "plusd: 3 record pages ingested" "$(tail -3 "$TMPD/pout")"
	for q in cites:73STATE97844 cites:1973STATE097844_b citedby:74ATHENS3099; do
		got=$(hits "$pdb" "$q")
		case $q in citedby:*) want="73STATE97844 74ATHENS2959" ;; *) want="74ATHENS2959 74ATHENS3099" ;; esac
		[ "$got" = "$want" ] && ok "plusd: $q -> $want" || fail "plusd: $q" "got '$got', want '$want'"
	done
	got="$(hits "$pdb" 'concept:"prison conditions"') | $(hits "$pdb" drafter:claxton) | $(hits "$pdb" current:unclassified) | $(hits "$pdb" class:lou) | $(hits "$pdb" review:2001) | $(hits "$pdb" review:2003-02..2003-03) | $(hits "$pdb" id:1974ATHENS02959_b) | $(hits "$pdb" review:2005-06-30)"
	want="74ATHENS3099 | 73STATE97844 | 73STATE97844 74ATHENS2959 74ATHENS3099 | 73STATE97844 74ATHENS2959 | 73STATE97844 | 74ATHENS2959 74ATHENS3099 | 74ATHENS2959 | 73STATE97844 74ATHENS2959 74ATHENS3099"
	[ "$got" = "$want" ] && ok "plusd: concept: drafter: current: class: review: (the Markings' release day too) id:(canonical)" || fail "plusd: record fields searchable" "got $got; want $want"
	got=$("$CK" search --db "$pdb" --json --facets 'date:1974' | python3 -c 'import json,sys; f=json.load(sys.stdin)["facets"]; print(dict(f["concept"]).get("PRISONERS"), f["office"])')
	[ "$got" = "1 [['EUR', 2]]" ] && ok "plusd: concept and office facets" || fail "plusd: concept and office facets" "got $got"
	got="$(inf "$pdb" 74ATHENS2959) / $("$CK" refs --db "$pdb" 1974ATHENS02959_b | sed -n 2p | tr -s ' ')"
	want="73STATE97844:True /  73STATE97844 STATE 097844 [INFORMATION TO FORMER SENATOR TYDINGS] (year inferred)"
	[ "$got" = "$want" ] && ok "plusd: 74ATHENS2959's REF STATE -097844 is the 1973 cable, inferred (refs says so)" || fail "plusd: inferred REF" "got $got, want $want"
else
	skip "plusd record pages: $CORPUS/plusd absent"
fi
