#!/usr/bin/env python3
"""compare.py - compare the JSON `cablekit parse` printed with a hand-written
expected file, field by field.

usage: compare.py EXPECTED.json ACTUAL.jsonl
       compare.py EXPECTED.json --meta KEY
       compare.py --same A.jsonl B.jsonl   (two outputs field by field)
       compare.py --meta-all EXPECTED...   (name, _input, _args of each)
       compare.py --batch DIR EXPECTED...  (DIR/NAME.json vs each; test.sh)

ACTUAL holds JSON Lines (one cable per line); the cable compared is the one
whose "id" equals the expected "id", else the only / first one.
Every difference is printed as one line

    field: expected X, got Y

and the exit status is 1 when there was any (2 on unusable input).
`--meta KEY` prints the expected file's top-level KEY (e.g. _input) and exits.

The expected file (rules in tests/golden/README.md):
- top-level keys starting with "_" are about the test, not fields
  ("_input", "_args", "_about", "_judgement");
- a key absent from an expected object is not checked; a key present is
  checked (null means the actual value must be null); lists are compared
  item by item and must have the same length;
- an object whose keys all start with "$" is a matcher, for fields whose
  exact text is a judgement call:
    {"$contains": [s...]}      string holds every s (a list: holds every s)
    {"$not_contains": [s...]}  string holds none of them
    {"$startswith": s} {"$endswith": s}
    {"$regex": r or [r...]}    re.search finds every r
    {"$len": n or [n...]}      list or string of length n (one of them)
    {"$nonempty": true}        non-empty string / list
    {"$one_of": [v...]}        equal to one of the values
    {"$kind_lines": {kind: [line...]}}   a problems list: for each kind named,
                               the lines of that kind are exactly these
                               (other kinds are allowed)
    {"$includes": [partial...]}  each partial object matches some item
    {"$each": partial}         every item matches the partial object
  several $ keys in one matcher must all hold.  In $contains, $startswith
  and $endswith a run of spaces and tabs equals one space (on both sides);
  $not_contains fails on the raw text and, for needles without a tab, also
  with runs of spaces as one; newlines count.  Plain values are compared exactly.
"""
import json
import re
import sys

diffs = []
checked = 0


def show(v, limit=160):
    s = json.dumps(v, ensure_ascii=False)
    if len(s) > limit:
        s = s[: limit - 30] + " ... " + s[-25:] + " (%d chars)" % len(s)
    return s


def diff(path, exp, got):
    diffs.append("%s: expected %s, got %s" % (path or "(cable)", exp, got))


def is_matcher(e):
    return isinstance(e, dict) and e and all(k.startswith("$") for k in e)


def ws(v):
    """Runs of spaces and tabs count as one space in text matchers."""
    if isinstance(v, str):
        return re.sub(r"[ \t]+", " ", v)
    if isinstance(v, list):
        return [ws(x) for x in v]
    return v


def match(path, m, a):
    """Apply matcher m to actual value a."""
    global checked
    a_raw = a
    for op, arg in m.items():
        a = a_raw
        if op in ("$contains", "$startswith", "$endswith"):
            arg, a = ws(arg), ws(a_raw)
        checked += 1
        if op == "$contains":
            if isinstance(a, list):
                for s in arg:
                    if s not in a:
                        diff(path, "a list holding %s" % show(s), show(a))
            elif not isinstance(a, str):
                diff(path, "a string holding %s" % show(arg), show(a))
            else:
                for s in arg:
                    if s not in a:
                        diff(path, "text holding %s" % show(s), show(a))
        elif op == "$not_contains":
            if isinstance(a, (str, list)):
                for s in arg:
                    # raw, and also with runs of spaces as one unless the
                    # needle is about tabs
                    if s in a or ("\t" not in s and isinstance(a, str) and ws(s) in ws(a)):
                        i = a.find(s) if isinstance(a, str) else 0
                        ctx = a[max(0, i - 40): i + len(s) + 40] if isinstance(a, str) else a
                        diff(path, "no %s" % show(s), "... %s ..." % show(ctx))
            elif a is not None:
                diff(path, "a string without %s" % show(arg), show(a))
        elif op == "$startswith":
            if not isinstance(a, str) or not a.startswith(arg):
                diff(path, "text starting %s" % show(arg), show(a[:len(arg) + 40] if isinstance(a, str) else a))
        elif op == "$endswith":
            if not isinstance(a, str) or not a.endswith(arg):
                diff(path, "text ending %s" % show(arg), show(a[-(len(arg) + 40):] if isinstance(a, str) else a))
        elif op == "$regex":
            for r in ([arg] if isinstance(arg, str) else arg):
                if not isinstance(a, str) or not re.search(r, a):
                    diff(path, "text matching regex %s" % show(r), show(a))
        elif op == "$len":
            ok = arg if isinstance(arg, list) else [arg]
            if not isinstance(a, (str, list)) or len(a) not in ok:
                diff(path, "length %s" % " or ".join(map(str, ok)), "length %s" % (len(a) if isinstance(a, (str, list)) else show(a)))
        elif op == "$nonempty":
            if arg and (not isinstance(a, (str, list)) or not a):
                diff(path, "something non-empty", show(a))
        elif op == "$one_of":
            if a not in arg:
                diff(path, "one of %s" % show(arg), show(a))
        elif op == "$kind_lines":
            if not isinstance(a, list):
                diff(path, "a list of problems", show(a))
                continue
            for kind, lines in arg.items():
                got = sorted(p.get("line") for p in a if isinstance(p, dict) and p.get("kind") == kind)
                if got != sorted(lines):
                    missing = sorted(set(lines) - set(got))
                    extra = sorted(set(got) - set(lines))
                    note = ""
                    if missing:
                        note += " (missing lines %s)" % missing
                    if extra:
                        note += " (unexpected lines %s)" % extra
                    diff("%s[kind=%s]" % (path, kind), "lines %s" % sorted(lines), "lines %s%s" % (got, note))
        elif op == "$includes":
            if not isinstance(a, list):
                diff(path, "a list", show(a))
                continue
            for want in arg:
                if not any(partial_ok(want, item) for item in a):
                    diff(path, "an item like %s" % show(want), show(a))
        elif op == "$each":
            if not isinstance(a, list):
                diff(path, "a list", show(a))
                continue
            for i, item in enumerate(a):
                compare("%s[%d]" % (path, i), arg, item)
        else:
            diff(path, "a known matcher", "unknown matcher %s in the expected file" % op)


def partial_ok(want, item):
    """Does item match the partial expectation want (no output)?"""
    global diffs, checked
    saved, saved_n = diffs, checked
    diffs = []
    compare("", want, item)
    ok = not diffs
    diffs, checked = saved, saved_n
    return ok


def align_key(e):
    """A key to line up two lists of objects of different lengths."""
    if not e or not all(isinstance(x, dict) for x in e):
        return None
    for k in ("n", "name", "id", "text", "kind"):
        if all(k in x and not is_matcher(x[k]) for x in e):
            return k
    return None


def align(path, e, a, key):
    """Compare lists of unequal length item by item after lining them up
    on `key` (difflib), so that one missing item is one difference."""
    import difflib
    ek = [json.dumps(x.get(key)) for x in e]
    ak = [json.dumps(x.get(key) if isinstance(x, dict) else x) for x in a]
    sm = difflib.SequenceMatcher(None, ek, ak, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            for i, j in zip(range(i1, i2), range(j1, j2)):
                compare("%s[%d]" % (path, i), e[i], a[j])
            continue
        for i in range(i1, i2):
            diff("%s[%d]" % (path, i), show(e[i], 200), "(no such item)")
        for j in range(j1, j2):
            diff("%s[+%d]" % (path, j), "(no such item)", show(a[j], 200))


def compare(path, e, a):
    global checked
    if is_matcher(e):
        match(path, e, a)
        return
    if isinstance(e, dict):
        if not isinstance(a, dict):
            checked += 1
            diff(path, show(e), show(a))
            return
        for k, v in e.items():
            if k.startswith("_"):
                continue
            p = "%s.%s" % (path, k) if path else k
            if k not in a:
                checked += 1
                diff(p, show(v), "(no such field)")
            else:
                compare(p, v, a[k])
        return
    if isinstance(e, list):
        if not isinstance(a, list):
            checked += 1
            diff(path, show(e), show(a))
            return
        if len(e) != len(a):
            checked += 1
            key = align_key(e)
            if key:
                diff(path, "%d items (%s %s)" % (len(e), key, show([x.get(key) for x in e], 400)),
                     "%d items (%s %s)" % (len(a), key, show([x.get(key) if isinstance(x, dict) else x for x in a], 400)))
                align(path, e, a, key)
                return
            diff(path, "%d items" % len(e), "%d items: %s" % (len(a), show(a, 300)))
        for i in range(min(len(e), len(a))):
            compare("%s[%d]" % (path, i), e[i], a[i])
        return
    checked += 1
    if isinstance(e, bool) or isinstance(a, bool):
        same = e is a
    elif isinstance(e, (int, float)) and isinstance(a, (int, float)):
        same = e == a
    else:
        same = type(e) is type(a) and e == a
    if not same:
        diff(path, show(e), show(a))


def same(a_path, b_path):
    """--same A B: the fields where two JSON Lines outputs differ."""
    def load(p):
        with open(p, encoding="utf-8", errors="replace") as f:
            return [json.loads(x) for x in f if x.strip()]
    a, b = load(a_path), load(b_path)
    if len(a) != len(b):
        print("(output): expected %d cables, got %d" % (len(a), len(b)))
    for x, y in zip(a, b):
        compare("", x, y)
    for d in diffs:
        print(d)
    return 1 if diffs or len(a) != len(b) else 0


def compare_files(exp_path, act_path):
    """Compare one expected file with one output; returns the report lines
    and whether they agree."""
    global diffs, checked
    diffs, checked = [], 0
    with open(exp_path, encoding="utf-8") as f:
        exp = json.load(f)
    cables = []
    with open(act_path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                cables.append(json.loads(line))
            except ValueError as err:
                return ["output line %d: not JSON (%s): %s" % (n, err, line[:200].rstrip())], False
    if not cables:
        return ["(cable): expected a JSON object, got no output"], False
    act = next((c for c in cables if isinstance(c, dict) and c.get("id") == exp.get("id")), cables[0])
    compare("", exp, act)
    return diffs + ["%d checks, %d differences" % (checked, len(diffs))], not diffs


def batch(argv):
    """--meta-all EXPECTED...: print name, _input, _args (tab-separated);
    --batch DIR EXPECTED...: compare DIR/NAME.json with each, write
    DIR/NAME.diff, print NAME<TAB>ok|fail."""
    import os
    if argv[1] == "--meta-all":
        for e in argv[2:]:
            with open(e, encoding="utf-8") as f:
                d = json.load(f)
            name = os.path.basename(e)[: -len(".expected.json")]
            print("%s\t%s\t%s" % (name, d.get("_input", ""), " ".join(d.get("_args", []))))
        return 0
    out = argv[2]
    for e in argv[3:]:
        name = os.path.basename(e)[: -len(".expected.json")]
        act = os.path.join(out, name + ".json")
        if not os.path.exists(act):
            continue
        lines, good = compare_files(e, act)
        with open(os.path.join(out, name + ".diff"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        print("%s\t%s" % (name, "ok" if good else "fail"))
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "--same":
        return same(argv[2], argv[3])
    if len(argv) >= 2 and argv[1] in ("--meta-all", "--batch"):
        return batch(argv)
    if len(argv) >= 4 and argv[2] == "--meta":
        with open(argv[1], encoding="utf-8") as f:
            v = json.load(f).get(argv[3])
        if isinstance(v, list):
            print("\n".join(str(x) for x in v))
        elif v is not None:
            print(v)
        return 0
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    lines, good = compare_files(argv[1], argv[2])
    print("\n".join(lines))
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
