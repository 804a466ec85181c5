#!/usr/bin/env python3
"""distcheck.py - compare the distributions of a synthetic corpus with the
dev corpus table (both measured by bench/synth-measure.sh).

usage: distcheck.py CORPUS-TABLE SYNTH-TABLE

Tolerances (stated here, printed on failure): for every kind the total
variation distance between the two distributions is at most TVD[kind]
(0.06 for kinds with a few values; 0.10 for subject length; 0.12 for
origin and tag, whose hundreds of values carry sampling noise at a few
thousand cables), and the means of numeric kinds are within 8% (plus 0.3
absolute for small means).
Precedence "-" (no precedence: extracts without a header) and sections "1"
(read as no sections) are left out of the corpus side: synth does not
make those cables.
"""
import collections
import sys

TVD = collections.defaultdict(lambda: 0.06, {"origin": 0.12, "tag": 0.12,
                                              "swords": 0.10})
NUMERIC = ("sections", "refs", "paras", "pwords", "tags", "swords")


def load(path):
    d = collections.defaultdict(collections.Counter)
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        f = line.rstrip("\n").split("\t")
        d[f[0]][f[1]] += int(f[2])
    d["precedence"].pop("-", None)
    d["sections"].pop("1", None)
    return d


def main():
    a, b = load(sys.argv[1]), load(sys.argv[2])
    bad = 0
    for kind in sorted(a):
        pa, pb = a[kind], b.get(kind, collections.Counter())
        ta, tb = sum(pa.values()), sum(pb.values())
        if not ta or not tb:
            print("FAIL %-10s no values in %s" % (kind, "synth" if ta else "corpus"))
            bad += 1
            continue
        tvd = 0.5 * sum(abs(pa[v] / ta - pb[v] / tb) for v in set(pa) | set(pb))
        line = "%-10s tvd %.3f (<= %.2f)" % (kind, tvd, TVD[kind])
        ok = tvd <= TVD[kind]
        if kind in NUMERIC:
            ma = sum(int(v) * n for v, n in pa.items()) / ta
            mb = sum(int(v) * n for v, n in pb.items()) / tb
            mok = abs(ma - mb) <= 0.08 * ma + 0.3
            line += "  mean %.2f vs %.2f%s" % (ma, mb, "" if mok else " (off by more than 8%)")
            ok = ok and mok
        print(("ok   " if ok else "FAIL ") + line)
        bad += not ok
    sys.exit(1 if bad else 0)


main()
