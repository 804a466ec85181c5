#!/usr/bin/env python3
"""exportcheck.py - read back what `cablekit export` wrote, compare with the
archive's contract JSON (the jsonl export).

usage: exportcheck.py ARCHIVE.jsonl OUT.csv OUT.bulk
       exportcheck.py --graphml ARCHIVE.jsonl OUT.graphml
       exportcheck.py --graphml-query HITS.jsonl OUT.graphml  (export of a query)
"""
import csv
import io
import json
import sys
import xml.etree.ElementTree as ET

COLUMNS = ("id,date,origin,from,classification,marking,precedence,caveats,tags,"
           "subject,references,classified_by,decl_date,to,info,signers,sections,body").split(",")


def s(v):
    return "" if v is None else str(v)


def expected_row(c):
    j = lambda xs: ";".join(x for x in xs if x is not None)
    return {
        "id": s(c["id"]), "date": s(c["date"]), "origin": s(c["origin"]),
        "from": s(c["from"]), "classification": s(c["classification"]),
        "marking": s(c["marking"]), "precedence": s(c["precedence"]),
        "caveats": j(c["caveats"]), "tags": j(c["tags"]), "subject": s(c["subject"]),
        "references": j(r["id"] for r in c["references"]),
        "classified_by": s((c["classified_by"] or {}).get("name")),
        "decl_date": s((c["decl"] or {}).get("date")),
        "to": j(a["name"] for a in c["to"]), "info": j(a["name"] for a in c["info"]),
        "signers": j(c["signers"]), "sections": s(c["sections"]), "body": s(c["body"]),
    }


def check_csv(cables, path):
    with open(path, newline="", encoding="utf-8") as f:
        raw = f.read()
    assert raw.endswith("\r\n"), "rows must end in CRLF"
    rows = list(csv.reader(io.StringIO(raw, newline=""), strict=True))
    assert rows[0] == COLUMNS, "header row %r" % rows[0]
    assert len(rows) - 1 == len(cables), "%d rows for %d cables" % (len(rows) - 1, len(cables))
    for row, c in zip(rows[1:], cables):
        got = dict(zip(COLUMNS, row))
        want = expected_row(c)
        for k in COLUMNS:
            assert got[k] == want[k], "%s: column %s: %r != %r" % (c["id"], k, got[k][:80], want[k][:80])
    return len(rows) - 1


def check_bulk(cables, path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    assert lines[-1] == "", "must end in a newline"
    lines = lines[:-1]
    assert len(lines) == 2 * len(cables), "%d lines for %d cables" % (len(lines), len(cables))
    for i, c in enumerate(cables):
        act = json.loads(lines[2 * i])
        doc = json.loads(lines[2 * i + 1])
        assert act["index"]["_id"] == c["id"], act
        for k in ("id", "date", "origin", "marking", "classification", "tags",
                  "caveats", "subject", "body", "aliases", "signers", "precedence"):
            assert doc[k] == c[k], "%s: bulk field %s differs" % (c["id"], k)
        assert doc["decl"] == (c["decl"] or {}).get("date")
        assert doc["references"] == [r["id"] for r in c["references"] if r["id"]]
    return len(cables)


def check_graphml(cables, path, query=False):
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    root = ET.parse(path).getroot()
    g = root.find(ns + "graph")
    keys = {k.get("id"): k.get("attr.name") for k in root.findall(ns + "key")}
    nodes, external, edges = {}, set(), []
    for n in g.findall(ns + "node"):
        nid = n.get("id")
        assert nid not in nodes, "duplicate node " + nid
        d = {keys[x.get("key")]: x.text or "" for x in n.findall(ns + "data")}
        nodes[nid] = d
        if d.get("external") == "true":
            external.add(nid)
    for e in g.findall(ns + "edge"):
        edges.append((e.get("source"), e.get("target")))
        assert e.get("target") in nodes, "edge to an undeclared node " + e.get("target")
    ids = {c["id"] for c in cables}
    alias = {a: c["id"] for c in cables for a in c["aliases"]}
    if query:
        # a query's export: the hits are nodes with data, every edge goes
        # out of a hit, and each target is declared (a hit, external, or an
        # archive cable the query left out: selected=false)
        unselected = {n for n, d in nodes.items() if d.get("selected") == "false"}
        assert ids <= set(nodes), "a hit is not a node"
        assert set(nodes) == ids | external | unselected, "stray nodes"
        assert {s for s, _ in edges} <= ids, "an edge from a cable that is not a hit"
        assert not (unselected & ids) and not (external & ids)
        print("%d nodes (%d hits, %d external, %d not selected), %d edges" % (
            len(nodes), len(ids), len(external), len(unselected), len(edges)))
        return
    want_edges = []
    for c in cables:
        d = nodes[c["id"]]
        for k in ("date", "origin", "marking", "subject"):
            assert d.get(k, "") == s(c[k]), "%s: node %s differs" % (c["id"], k)
        assert c["id"] not in external
        for r in c["references"]:
            if r["id"]:
                t = r["id"] if r["id"] in ids else alias.get(r["id"], r["id"])
                want_edges.append((c["id"], t))
                if t not in ids:
                    assert t in external, "outside cable %s not marked external" % t
    assert sorted(edges) == sorted(want_edges), "edges differ"
    assert set(nodes) == ids | external
    print("%d nodes (%d external), %d edges" % (len(nodes), len(external), len(edges)))


def main():
    if sys.argv[1] in ("--graphml", "--graphml-query"):
        cables = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
        check_graphml(cables, sys.argv[3], sys.argv[1] == "--graphml-query")
        return
    cables = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
    n = check_csv(cables, sys.argv[2])
    check_bulk(cables, sys.argv[3])
    print("%d rows and %d document pairs" % (n, len(cables)))


main()
