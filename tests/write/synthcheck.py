#!/usr/bin/env python3
"""synthcheck.py - the cables bench/synth built (its --json output) against
what cablekit parses from the telegrams it wrote: every contract field
but source, problems, body and people (they exist only after parsing) must
come back; references must point at earlier cables; every subject starts
with [SYNTHETIC].

usage: synthcheck.py BUILT.jsonl PARSED.jsonl
"""
import json
import sys

SKIP = {"source", "problems", "body", "people"}
built = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
parsed = {}
for l in open(sys.argv[2], encoding="utf-8"):
    c = json.loads(l)
    parsed[c["id"]] = c
bad = 0
seen = set()
for a in built:
    b = parsed.get(a["id"])
    if b is None:
        print("lost: %s" % a["id"])
        bad += 1
        continue
    for k in a:
        if k not in SKIP and a[k] != b.get(k):
            bad += 1
            if bad < 20:
                print("%s: %s\n  built:  %s\n  parsed: %s" % (a["id"], k, json.dumps(a[k])[:300],
                                                           json.dumps(b.get(k))[:300]))
    if not (a["subject"] or "").startswith("[SYNTHETIC] "):
        print("%s: subject %r" % (a["id"], a["subject"]))
        bad += 1
    for r in a["references"]:
        if r["id"] not in seen:
            print("%s cites %s, not an earlier cable" % (a["id"], r["id"]))
            bad += 1
    seen.add(a["id"])
print("%d cables built, %d parsed, %d differences" % (len(built), len(parsed), bad))
sys.exit(1 if bad or len(parsed) != len(built) else 0)
