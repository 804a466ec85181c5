#!/usr/bin/env python3
"""check.py EXPECT OUT ERR RC - judge one hostile run of `cablekit parse`.

Prints what is wrong (nothing when all is well) and exits 1 if anything is.
EXPECT is the first line of NAME.expect (see gen.py).

check.py --batch DIR: for each DIR/NAME.expect with NAME.out, NAME.err and
NAME.rc beside it, print NAME<TAB>ok or NAME<TAB>fail<TAB>what is wrong."""
import json
import os
import sys


def judge(expect, out, err, rc):
    bad = []
    errtext = open(err, "rb").read().decode("utf-8", "replace")
    for needle in ("AddressSanitizer", "LeakSanitizer", "runtime error", "UndefinedBehaviorSanitizer"):
        if needle in errtext:
            i = errtext.find(needle)
            bad.append("sanitizer report: " + errtext[max(0, i - 100): i + 300].replace("\n", " | "))
    if rc not in (0, 1):
        bad.append("exit status %d (0 or 1 expected; 124 = timed out, >128 = signal)" % rc)
    raw = open(out, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        bad.append("output is not valid UTF-8: %s" % e)
        text = raw.decode("utf-8", "replace")
    cables = []
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            cables.append(json.loads(line))
        except ValueError as e:
            bad.append("output line %d is not JSON: %s: %r" % (n, e, line[:120]))
            break
    if not bad:
        if rc == 1 and not cables:
            if not errtext.strip():
                bad.append("exit 1 with no cable and no message on stderr")
        elif not cables:
            bad.append("exit 0 but no JSON printed")
        for c in cables:
            if not isinstance(c, dict):
                bad.append("a line is not a JSON object")
                continue
            probs = c.get("problems")
            if not isinstance(probs, list):
                bad.append("problems is not a list")
                continue
            for p in probs:
                if not isinstance(p, dict) or not p.get("kind") or not isinstance(p.get("line"), int):
                    bad.append("malformed problem %r" % (p,))
                    break
            if expect == "damaged" and not probs:
                bad.append("damaged input but no problem recorded")
            elif expect.startswith("info="):
                want = int(expect[5:])
                got = len(c.get("info") or [])
                if got != want:
                    bad.append("info: expected %d addressees, got %d" % (want, got))
            elif expect.startswith("refs="):
                want = int(expect[5:])
                got = len(c.get("references") or [])
                limited = any("limit" in (p.get("kind", "") + p.get("note", "")) for p in probs)
                if got != want and not limited:
                    bad.append("references: expected %d (or a problem about a limit), got %d" % (want, got))
    return bad


def main(argv):
    if len(argv) == 3 and argv[1] == "--batch":
        d = argv[2]
        for f in sorted(os.listdir(d)):
            if not f.endswith(".expect"):
                continue
            name = f[:-7]
            base = os.path.join(d, name)
            if not os.path.exists(base + ".rc"):
                continue
            with open(base + ".expect") as fh:
                expect = fh.readline().strip()
            with open(base + ".rc") as fh:
                rc = int(fh.read().strip() or "-1")
            bad = judge(expect, base + ".out", base + ".err", rc)
            print("%s\t%s\t%s" % (name, "fail" if bad else "ok", " | ".join(bad).replace("\n", " | ")))
        return 0
    bad = judge(argv[1], argv[2], argv[3], int(argv[4]))
    print("\n".join(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
