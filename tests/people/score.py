#!/usr/bin/env python3
"""score.py LABELS JSONL [--min-precision P] [--min-recall R] [-v]

Compare the people that `cablekit parse` found (JSON Lines, one cable per
line, source.file naming the corpus page) with the hand labels (id, name
"Surname, Given", roles).  A found person matches a label of the same cable
when their surnames agree (letters only, upper case, an al-/el- prefix
dropped; a label's compound surname may end with the found one: "Fernandez
de la Vega" ~ "vega") and their given names do not disagree.  Each label and
each person match at most once.  Prints precision, recall and role agreement;
exits 1 below the thresholds."""
import json, os, re, sys

def norm(s):
    s = s.strip()
    s = re.sub(r"^(al|el)[- ](?=\w)", "", s, flags=re.I)
    return re.sub(r"[^A-Za-z\u0080-\uffff]", "", s).upper()

def main():
    args = sys.argv[1:]
    verbose = "-v" in args
    minp = float(args[args.index("--min-precision") + 1]) if "--min-precision" in args else 0
    minr = float(args[args.index("--min-recall") + 1]) if "--min-recall" in args else 0
    labels = {}
    for line in open(args[0], encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        cid, name, roles = line.rstrip("\n").split("\t")
        sur, _, given = name.partition(",")
        labels.setdefault(cid, []).append({"name": name, "sur": norm(sur),
            "given": norm(given.split()[0]) if given.strip() else "", "roles": set(roles.split(","))})
    found = {}
    for line in open(args[1], encoding="utf-8"):
        c = json.loads(line)
        cid = os.path.basename(c["source"]["file"]).rsplit(".", 1)[0]
        if cid in labels and cid not in found:
            found[cid] = c.get("people", [])
    res = {}
    for scope in ("text", "addressee"):
        res[scope] = score(labels, found, scope, verbose and scope == "text" or "-va" in args)
    (tp, nfound, nlab, role_ok), (atp, afound, alab, _) = res["text"], res["addressee"]
    prec = tp / nfound if nfound else 0.0
    rec = tp / nlab if nlab else 0.0
    print(f"cables {len(labels)}, labels {nlab}, found {nfound}, matched {tp}")
    print(f"precision {prec:.3f}  recall {rec:.3f}  roles exact {role_ok}/{tp}")
    print(f"attention lines (addressee, reported apart): labels {alab}, found {afound}, matched {atp}")
    if prec < minp or rec < minr:
        print(f"below the thresholds (precision >= {minp}, recall >= {minr})")
        return 1
    return 0

def only_addressee(roles):
    return set(roles) == {"addressee"}

def score(labels, found, scope, verbose):
    """scope "text": people named in the subject, the paragraphs, the
    signer and the Classified By fields; "addressee": people named only on
    the attention lines above the subject ("NSC FOR ... GAYLE SMITH")."""
    tp = nfound = nlab = role_ok = 0
    for cid, labs in sorted(labels.items()):
        labs = [l for l in labs if only_addressee(l["roles"]) == (scope == "addressee")]
        people = found.get(cid)
        if people is not None:
            people = [p for p in people if only_addressee(p["roles"]) == (scope == "addressee")]
        if people is None:
            print(f"{cid}: not parsed"); nlab += len(labs); continue
        nlab += len(labs)
        nfound += len(people)
        used = set()
        for p in people:
            sur, _, given = p["key"].partition("_")
            sur, given = sur.upper(), given.upper()
            hit = None
            for i, l in enumerate(labs):
                if i in used or not (l["sur"] == sur or l["sur"].endswith(sur) and len(sur) >= 3):
                    continue
                if l["given"] and given and l["given"] != given and l["sur"] == sur:
                    continue
                hit = i
                break
            if hit is None:
                if verbose:
                    print(f"{cid}: extra   {p['key']} ({p['name']}) {p['roles']}")
                continue
            used.add(hit)
            tp += 1
            if set(p["roles"]) - {"addressee"} == labs[hit]["roles"] - {"addressee"}:
                role_ok += 1
            elif verbose:
                print(f"{cid}: roles   {labs[hit]['name']}: found {sorted(p['roles'])}, label {sorted(labs[hit]['roles'])}")
        if verbose:
            for i, l in enumerate(labs):
                if i not in used:
                    print(f"{cid}: missed  {l['name']} {sorted(l['roles'])}")
    return tp, nfound, nlab, role_ok

sys.exit(main())
