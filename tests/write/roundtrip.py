#!/usr/bin/env python3
"""roundtrip.py - compare parse(x) with parse(format(parse(x))) cable by cable.

usage: roundtrip.py compare A.jsonl B.jsonl KNOWN.tsv REPORT

A.jsonl is the first parse; the test formats it with `cablekit format --out
DIR` (telegram i in DIR/<i>.txt: one file each, since a few bodies hold an
NNNN line of their own) and parses DIR into B.jsonl.

`compare` pairs line i of A.jsonl (the first parse) with the cable parsed
from OUTDIR/<i>.txt (found by source.file in B.jsonl) and compares every
contract field except source and problems (the first parse's problems are
about repairs of the original text, page headers among them) and the
page-header bookkeeping header.page_dtg.  people is derived from the
subject, paragraphs, signers, Classified By, tags and body: it is compared
only where those are equal (a difference there already says why).  Each
difference must be
explained by a rule of KNOWN.tsv (see load_known); the report lists every difference with its explanation; the exit status is 1
when a difference is not explained (or an explanation no longer matches
anything, so the list stays honest).
"""
import fnmatch
import json
import os
import re
import sys

SKIP = {"source", "problems"}


def load_known(path):
    """Rules: name, condition, fields, compare, why (tab-separated).
    condition: '*', or terms joined by '&': problem:K1|K2 (the first parse
    recorded a problem of one of these kinds), !problem:K..., id:GLOB, body:REGEX
    (the first parse's body matches).  fields: comma-separated or '*'.
    compare: any | ws (equal with runs of white space as one space) |
    words (paragraph headings and texts as one run of words, leaving out
    number tokens such as '16.', pilcrows and stray SIPDIS captions)."""
    known = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            name, cond, fields, cmp, why = line.split("\t", 4)
            known.append({"name": name, "cond": cond, "fields": fields.split(","),
                          "cmp": cmp, "why": why, "hits": 0})
    return known


def ws(s):
    return " ".join((s or "").split()) if isinstance(s, str) else s


NUM = re.compile(r"^\(?\d+[.)]?$|^\u00b6.*$|^SIPDIS$")


def words(ps):
    if not isinstance(ps, list):
        return ps
    toks = " ".join((p.get("heading") or "") + " " + (p.get("text") or "") for p in ps).split()
    return [t for t in toks if not NUM.match(t)]


CMP = {"any": lambda a, b: True, "ws": lambda a, b: ws(a) == ws(b),
       "words": lambda a, b: words(a) == words(b)}


def holds(cond, a):
    if cond == "*":
        return True
    kinds = {p["kind"] for p in a.get("problems") or []}
    for term in cond.split("&"):
        neg = term.startswith("!")
        term = term.lstrip("!")
        if term.startswith("problem:"):
            r = bool(kinds & set(term[8:].split("|")))
        elif term.startswith("id:"):
            r = fnmatch.fnmatchcase(a.get("id") or "", term[3:])
        elif term.startswith("body:"):
            r = re.search(term[5:], a.get("body") or "") is not None
        else:
            raise SystemExit("bad condition: " + term)
        if r == neg:
            return False
    return True


def header(h):
    """The header without page-header bookkeeping (page_dtg: the DTG of old
    PAGE nn headers); all-empty counts as none."""
    if not h:
        return None
    h = {k: v for k, v in h.items() if k != "page_dtg"}
    return h if any(v not in (None, [], "") for v in h.values()) else None


PEOPLE_FROM = ("subject", "paragraphs", "signers", "classified_by", "tags", "body")


def diff_fields(a, b):
    out = []
    for k in sorted(set(a) | set(b)):
        if k in SKIP:
            continue
        if k == "people" and any(a.get(f) != b.get(f) for f in PEOPLE_FROM):
            continue
        if k == "header" and header(a.get(k)) == header(b.get(k)):
            continue
        if a.get(k) != b.get(k):
            out.append(k)
    return out


def short(v, n=160):
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= n else s[:n] + "..."


def compare(a_path, b_path, known_path, report_path):
    with open(a_path, encoding="utf-8") as f:
        first = [json.loads(l) for l in f if l.strip()]
    second = {}
    with open(b_path, encoding="utf-8") as f:
        for l in f:
            if not l.strip():
                continue
            c = json.loads(l)
            name = os.path.basename((c.get("source") or {}).get("file") or "")
            m = re.match(r"(\d+)\.txt$", name)
            if m:
                second.setdefault(int(m.group(1)), c)
    known = load_known(known_path)
    counts = {}
    unexplained = 0
    equal = 0
    lines = []
    for i, a in enumerate(first, 1):
        b = second.get(i)
        cid = a.get("id") or "(no id #%d)" % i
        src = (a.get("source") or {}).get("file", "")
        fields = ["(cable lost)"] if b is None else diff_fields(a, b)
        if not fields:
            equal += 1
            continue
        for fld in fields:
            counts[fld] = counts.get(fld, 0) + 1
            av = a.get(fld) if b is not None else None
            bv = b.get(fld) if b is not None else None
            why = None
            for k in known:
                if ((fld in k["fields"] or "*" in k["fields"]) and holds(k["cond"], a)
                        and b is not None and CMP[k["cmp"]](av, bv)):
                    why = "[%s] %s" % (k["name"], k["why"])
                    k["hits"] += 1
                    break
            if why is None:
                unexplained += 1
            lines.append("%s\t%s\t%s\t%s\n  first:  %s\n  second: %s\n  from:   %s" % (
                "ok " if why else "NEW", cid, fld, why or "(not explained)",
                short(av), short(bv), src))
    stale = [k for k in known if k["hits"] == 0]
    with open(report_path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
        for k in stale:
            f.write("STALE\t%s\t%s\n" % (k["name"], k["why"]))
    print("cables %d, equal %d, differing %d; unexplained %d; stale explanations %d"
          % (len(first), equal, len(first) - equal, unexplained, len(stale)))
    for fld, n in sorted(counts.items(), key=lambda x: -x[1]):
        print("  %-16s %d" % (fld, n))
    for k in known:
        print("  rule %-14s explains %d" % (k["name"], k["hits"]))
    return 1 if unexplained or stale else 0


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "compare":
        sys.exit(compare(*sys.argv[2:]))
    sys.stderr.write(__doc__)
    sys.exit(2)
