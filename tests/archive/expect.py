#!/usr/bin/env python3
"""expect.py - expected answers for tests/archive/test.sh, computed without
the archive: from groundtruth.tsv, from the decoded viewer pages, or from
`cablekit parse` JSON Lines (what the archive must store, faithfully).

  expect.py gt-counts GROUNDTRUTH SKIPFILE        -> {"origin":{..},"year":{..},"n":N}
  expect.py jsonl-counts < parse.jsonl            -> {"origin","year","marking","tag","edges","cables","citedby"}
  expect.py phrase DIR SKIPFILE PHRASE...         -> per phrase: number of pages whose text holds it
  expect.py compare EXPECTED.json STATS.json KEY.. -> prints differences, exit 1 if any
  expect.py portions parse.jsonl                  -> per portion: query, the cables it must find;
                                                     then "stats<TAB>" + paragraphs by level per classification
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


# portion markings, read independently of portion.c: the level is the first
# word (U.S. is no marking), the caveats NF, REL (its countries follow), FGI
LEVELS = {'U': 1, 'UNCLAS': 1, 'UNCLASSIFIED': 1, 'FOUO': 1, 'SBU': 2, 'LOU': 3, 'C': 4,
          'CONFIDENTIAL': 4, 'CNF': 4, 'S': 5, 'SECRET': 5, 'SNF': 5, 'TS': 6}
LEVEL_NAMES = ['none', 'U', 'SBU', 'LOU', 'C', 'S', 'TS']


def marking_level(m):
    mm = re.match(r' *([A-Za-z]+)', m or '')
    if not mm:
        return 0, 0
    w, rest = mm.group(1).upper(), m[mm.end():]
    if rest and rest[0] not in '/ -,':
        return 0, 0
    cav = 1 if w in ('CNF', 'SNF') else 0
    if w == 'TOP':
        rest = rest.lstrip(' ')
        if not rest.upper().startswith('SECRET'):
            return 0, 0
        level, rest = 6, rest[6:]
    elif w in LEVELS:
        level = LEVELS[w]
    else:
        return 0, 0
    rel = False
    for x in re.findall('[A-Za-z]+', rest):
        x = x.upper()
        if x in ('NF', 'NOFORN'):
            cav |= 1
        elif x == 'REL':
            cav, rel = cav | 2, True
        elif x == 'FGI':
            cav |= 4
        elif not rel:
            cav |= 8
    return level, cav


def portions(path):
    queries = [('portion:S iran', 5, 0, r'\biran\b'), ('portion:S//NF iran', 5, 1, r'\biran\b'),
               ('portion:C "human rights"', 4, 0, r'\bhuman\W+rights\b'), ('portion:S', 5, 0, None),
               ('portion:SBU', 2, 0, None), ('portion:C//REL', 4, 2, None),
               ('portion:U election', 1, 0, r'\belection\b'), ('portion:S nuclear weapons', 5, 0, None)]
    found = collections.Counter()
    bycls = collections.defaultdict(lambda: [0] * 7)
    for line in open(path):
        c = json.loads(line)
        paras = c.get('paragraphs') or []
        for p in paras:
            bycls[c.get('classification')][marking_level(p.get('marking'))[0]] += 1
        for q, level, cav, pat in queries:
            words = [r'\bnuclear\b', r'\bweapons\b'] if q.endswith('nuclear weapons') else [pat] if pat else []
            for p in paras:
                lv, cv = marking_level(p.get('marking'))
                if lv == level and cv & cav == cav and all(re.search(w, p['text'], re.I) for w in words):
                    found[q] += 1
                    break
    for q, *_ in queries:
        print(f"{q}\t{found[q]}")
    print("stats\t" + json.dumps({k: dict(zip(LEVEL_NAMES, v)) for k, v in bycls.items() if k}, sort_keys=True))


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
    elif cmd == 'portions':
        portions(sys.argv[2])
