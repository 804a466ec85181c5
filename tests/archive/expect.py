#!/usr/bin/env python3
"""expect.py - expected answers for tests/archive/test.sh, computed without
the archive: from groundtruth.tsv, from the decoded viewer pages, or from
`cablekit parse` JSON Lines (what the archive must store, faithfully).

  expect.py gt-counts GROUNDTRUTH SKIPFILE        -> {"origin":{..},"year":{..},"n":N}
  expect.py jsonl-counts < parse.jsonl            -> {"origin","year","marking","tag","edges","cables","citedby"}
  expect.py phrase DIR SKIPFILE PHRASE...         -> per phrase: number of pages whose text holds it
  expect.py compare EXPECTED.json STATS.json KEY.. -> prints differences, exit 1 if any
"""
import collections
import html
import json
import os
import re
import sys


def skipped(path):
    with open(path) as f:
        return {l.split()[0] for l in f if l.strip() and not l.startswith('#')}


def gt_counts(gt, skipfile):
    skip = skipped(skipfile)
    origin, year = collections.Counter(), collections.Counter()
    n = 0
    with open(gt) as f:
        next(f)
        for line in f:
            row = line.rstrip('\n').split('\t')
            if row[0] in skip:
                continue
            n += 1
            origin[row[3]] += 1
            year[row[1][:4]] += 1
    print(json.dumps({"origin": origin, "year": year, "n": n}))


def jsonl_counts():
    last = {}
    for line in sys.stdin:
        line = line.strip()
        if line:
            c = json.loads(line)
            if c.get("id"):
                last[c["id"]] = c  # the archive keeps the last text of an id
    origin, year, marking, tag = (collections.Counter() for _ in range(4))
    edges = 0
    citedby = collections.defaultdict(set)
    for cid, c in last.items():
        if c.get("origin"):
            origin[c["origin"]] += 1
        if c.get("date"):
            year[c["date"][:4]] += 1
        if c.get("marking"):
            marking[c["marking"]] += 1
        for t in dict.fromkeys(t.upper() for t in c.get("tags") or [] if t):
            tag[t] += 1
        for r in c.get("references") or []:
            if r.get("id"):
                edges += 1
                citedby[r["id"]].add(cid)
    # cited cables that are in the archive, with how many cite them
    cb = {k: len(v) for k, v in citedby.items() if k in last}
    print(json.dumps({"cables": len(last), "origin": origin, "year": year, "marking": marking,
                      "tag": tag, "edges": edges, "citedby": cb}))


HEADER_LINE = re.compile(r'^\s*(FM|TO|INFO|DE|BT)\s|^\s*[A-Z]{5,7}/')


def page_text(path):
    """The telegram text of a viewer page without its address lines (the
    archive indexes the body, not the FM/TO/INFO routing)."""
    with open(path, encoding='utf-8', errors='replace') as f:
        s = f.read()
    parts = re.findall(r'<pre>(.*?)</pre>', s, re.S)
    text = html.unescape(re.sub(r'<[^>]*>', ' ', '\n'.join(parts)))
    return '\n'.join(l for l in text.split('\n') if not HEADER_LINE.match(l))


def phrase(d, skipfile, phrases):
    skip = skipped(skipfile)
    rxs = []
    for ph in phrases:
        words = re.findall(r'[A-Za-z0-9]+', ph)
        rxs.append(re.compile(r'(?<![A-Za-z0-9])' + r'[^A-Za-z0-9]+'.join(words) + r'(?![A-Za-z0-9])', re.I))
    n = [0] * len(phrases)
    for name in sorted(os.listdir(d)):
        if name.endswith('.html') and name[:-5] not in skip:
            t = page_text(os.path.join(d, name))
            for i, rx in enumerate(rxs):
                n[i] += bool(rx.search(t))
    for ph, k in zip(phrases, n):
        print(f"{ph}\t{k}")


def compare(expf, statf, keys):
    exp = json.load(open(expf))
    st = json.load(open(statf))
    bad = 0
    for k in keys:
        got = {a: b for a, b in st[k]} if isinstance(st[k], list) else st[k]
        want = exp[k]
        for v in sorted(set(got) | set(want)):
            if got.get(v, 0) != want.get(v, 0):
                print(f"{k} {v}: expected {want.get(v, 0)}, archive has {got.get(v, 0)}")
                bad += 1
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'gt-counts':
        gt_counts(sys.argv[2], sys.argv[3])
    elif cmd == 'jsonl-counts':
        jsonl_counts()
    elif cmd == 'phrase':
        phrase(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif cmd == 'compare':
        compare(sys.argv[2], sys.argv[3], sys.argv[4:])
