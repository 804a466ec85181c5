# tests/archive/people.sh - sourced by test.sh: people in the archive
# (issue 15, docs/people.md).  Two telegrams written here name Romano
# Prodi three ways, Massimo D'Alema, and two Millers with different
# given names; person: finds them by key, by name and by prefix, the facet
# counts the persons (the keys grouped across cables, persons.c), and export --format graphml --people writes one node
# per person, one per cable and an edge per person of a cable with its
# roles.
PP=$TMPD/people
mkdir -p "$PP"
cat >"$PP/a.txt" <<'T'
O 091712Z JUL 08
FM AMEMBASSY ROME
TO SECSTATE WASHDC IMMEDIATE 0001
C O N F I D E N T I A L ROME 000201

E.O. 12958: DECL: 07/03/2018
TAGS: PREL IT
SUBJECT: PRODI ON THE ENVOY

Classified By: Political Minister-Counselor David D. Pearce for reasons 1.4(b) and (d)

1. (C) PM Prodi told the Ambassador on July 8 that Prime Minister
Romano Prodi's government would back the envoy.  FM D'Alema agreed.

2. (C) Prodi said the decision was final.
SPOGLI
T
cat >"$PP/b.txt" <<'T'
O 101200Z JUL 08
FM SECSTATE WASHDC
TO AMEMBASSY ROME IMMEDIATE 0002
U N C L A S S I F I E D STATE 000301

E.O. 12958: N/A
TAGS: PREL IT
SUBJECT: MEETING REQUEST

1. Deputy Assistant Secretary Jane Miller will meet FM D'Alema on
July 12.  Her colleague John Miller said he would join.  PM Prodi was
not expected.
RICE
T
pdb=$TMPD/people.db
"$CK" ingest --db "$pdb" "$PP" >"$TMPD/pp.out" 2>&1
grep -q ": 2 added" "$TMPD/pp.out" && ok "people: two telegrams ingested" || fail "people: two telegrams ingested" "$(cat "$TMPD/pp.out")"
got=""
for q in person:prodi 'person:"Romano Prodi"' person:PRODI_ROMANO person:dalema "person:\"D'Alema\"" person:miller \
	'person:"Jane Miller"' person:miller_john person:pro* person:pearce_david person:spogli person:rice person:nobody \
	'person:dalema -person:miller' 'person:prodi envoy'; do
	got="$got|$(hits "$pdb" "$q")"
done
want="|08ROME201 08STATE301|08ROME201 08STATE301|08ROME201 08STATE301|08ROME201 08STATE301|08ROME201 08STATE301"
want="$want|08STATE301|08STATE301|08STATE301|08ROME201 08STATE301|08ROME201|08ROME201|08STATE301||08ROME201|08ROME201"
[ "$got" = "$want" ] && ok "people: person: by key, name, surname, prefix, with NOT and words" \
	|| fail "people: person: queries" "got $got; want $want"
got=$("$CK" search --db "$pdb" --json --facets 'tag:IT' | python3 -c 'import json,sys; print(sorted(json.load(sys.stdin)["facets"]["people"]))')
# PM Prodi of the State cable is Romano Prodi of the Rome one (the one
# full name of the surname with its country TAG in those years: persons.c)
want="[['dalema', 2], ['miller_jane', 1], ['miller_john', 1], ['pearce_david', 1], ['prodi_romano', 2], ['rice', 1], ['spogli', 1]]"
[ "$got" = "$want" ] && ok "people: the people facet counts persons" || fail "people: the people facet" "got $got; want $want"
"$CK" export --db "$pdb" --format graphml --people >"$TMPD/pp.graphml" 2>"$TMPD/pp.err"
got=$(python3 - "$TMPD/pp.graphml" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = "{http://graphml.graphdrawing.org/xmlns}"
g = ET.parse(sys.argv[1]).getroot().find(ns + "graph")
kind = lambda n: [d.text for d in n.findall(ns + "data") if d.get("key") == "kind"][0]
nodes = sorted((n.get("id"), kind(n)) for n in g.findall(ns + "node"))
edges = sorted((e.get("source"), e.get("target"), e.find(ns + "data").text) for e in g.findall(ns + "edge"))
print(len(nodes), sum(k == "person" for _, k in nodes), len(edges))
print([e for e in edges if e[0] in ("person:dalema", "person:spogli", "person:pearce_david", "person:prodi_romano")])
PY
)
# one node per person across the archive: PM Prodi of the State cable is
# Romano Prodi
want="9 7 9
[('person:dalema', '08ROME201', 'mentioned'), ('person:dalema', '08STATE301', 'mentioned'), ('person:pearce_david', '08ROME201', 'classified-by'), ('person:prodi_romano', '08ROME201', 'mentioned'), ('person:prodi_romano', '08STATE301', 'mentioned'), ('person:spogli', '08ROME201', 'signer')]"
[ "$got" = "$want" ] && ok "people: export --format graphml --people (person and cable nodes, role edges)" \
	|| fail "people: graphml --people" "got $got; want $want; $(head -c 300 "$TMPD/pp.err")"
"$CK" export --db "$pdb" --format csv --people >/dev/null 2>&1 && fail "people: --people without graphml is refused" \
	|| ok "people: --people without graphml is refused"
