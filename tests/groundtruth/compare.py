#!/usr/bin/env python3
"""Compare `cablekit parse` output over the corpus pages with groundtruth.tsv.

usage: compare.py GROUNDTRUTH.tsv PARSED.jsonl REPORT.txt [--known KNOWN.tsv] [--text DIR]

Fields compared (issue 3): id (canonical; an archive id counts as right when
it is among the cable's aliases), date (day and hour: the page's minutes are
the 12-hour-clock hour), marking, origin, tags (where the ground truth has
them), subject (spaces collapsed).  KNOWN.tsv lists disagreements where the
page is wrong, not the parser: "id<TAB>field<TAB>why"; those count as
agreement, and each must still disagree (else the entry is stale: failure).
Prints the agreement per field; writes every other disagreement to REPORT;
exits 1 below the thresholds.

--text DIR: the text-alone mode (issue 12).  The cables were parsed from
DIR/<page>.txt, each page reduced to its <pre> text by pretext.py, so no
page metadata helps.  Thresholds are TEXT_THRESH.  The id is judged where
the text holds a year source (a date-time group, an export row's date or
refid), the date where it holds a date-time group or an export date; on the
other pages the parser must not invent one (id and date null, else a
miss).  Each page must give exactly one cable; the first is compared.
A known fault whose field is written "text:F" or "html:F" belongs to that
mode only; a plain "F" to both.
"""
import json, sys, re, os

MALFORMED = re.compile(r"^\d\d(S?ECTION\d\dOF\d\d|EFTO|\d\d)|^\d{4}[A-Z]")
RUNON = re.compile(r"(REF|REFS|REFTELS?|Refs?|Reference|Classified|CLASSIFIED|\u2028|[A-Z][A-Z ]* \d{8} +\d{3}\.\d OF|Sensitive|SENSITIVE|Summary|SUMMARY|-{3,}|E\.O\.)")
THRESH = {"id": 99.5, "date": 99.5, "marking": 99.5, "origin": 99.0, "tags": 99.0, "subject": 98.0}
TEXT_THRESH = {"id": 99.5, "date": 99.5, "marking": 99.0, "origin": 99.5, "tags": 99.5, "subject": 99.0}
MONTHS = "JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC"
# what gives the year in the text alone: a date-time group (also mixed case,
# "070028Z Apr 04"), an export row's "date: 4/7/2004 0:28" or "Cable dated:",
# the viewer's date line ("Wednesday, 18 August 2004, 16:27"), an export
# row's refid
DTG = re.compile(r"\b[0-3]\d[0-2]\d[0-5]\dZ ?(?:%s) ?\d\d\b" % MONTHS, re.I)
EXPORT_DATE = re.compile(r"^(?:date|created|Cable dated): *\d{1,4}[/-]\d{1,2}[/-]\d{2,4}|"
                         r"^(?:Cable dated|date|created): *[0-3]?\d (?:%s)\w* \d{4}" % MONTHS, re.I | re.M)
VIEWER_DATE = re.compile(r"^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, \d{1,2} [A-Z][a-z]+ \d{4}, \d{1,2}:\d\d", re.M)
EXPORT_ID = re.compile(r"^(?:refid|id|Reference ID): *\d\d[A-Z]", re.I | re.M)


def glued_split(page, parsed):
    """Is parsed the page's tags with glued codes split ("VTPREL" ->
    "VT", "PREL"; parts already listed are not repeated)?"""
    got = set(parsed)
    used = set()
    for t in page:
        if t in got:
            used.add(t)
            continue
        # t must be a concatenation of parsed tags
        ends = {0}
        for i in range(1, len(t) + 1):
            if any(t[j:i] in got for j in ends if j < i):
                ends.add(i)
        if len(t) not in ends or len(t) < 4:
            return False
        used.update(p for p in got if p in t)
    return used == got


def year_sources(text):
    """(has a year for the id, has a date) from the text alone."""
    date = bool(DTG.search(text) or EXPORT_DATE.search(text) or VIEWER_DATE.search(text))
    return date or bool(EXPORT_ID.search(text)), date

def norm_space(s):
    return re.sub(r"\s+", " ", s or "").strip()

def main():
    gt_path, js_path, rep_path = sys.argv[1:4]
    text_dir = sys.argv[sys.argv.index("--text") + 1] if "--text" in sys.argv else None
    mode = "text" if text_dir else "html"
    thresh = TEXT_THRESH if text_dir else THRESH
    known = {}
    if "--known" in sys.argv:
        kp = sys.argv[sys.argv.index("--known") + 1]
        for line in open(kp, encoding="utf-8"):
            if line.startswith("#") or not line.strip():
                continue
            cid, field, why = line.rstrip("\n").split("\t", 2)
            if ":" in field:
                m, field = field.split(":", 1)
                if m != mode:
                    continue
            known[(cid, field)] = why
    gt = {}
    with open(gt_path, encoding="utf-8") as f:
        next(f)
        for line in f:
            row = line.rstrip("\n").split("\t")
            if len(row) < 7:
                continue
            gid, created, cls, origin, tags, subject, path = row[:7]
            gt[os.path.splitext(os.path.basename(path))[0]] = dict(id=gid, created=created, marking=cls,
                                             origin=origin, tags=list(dict.fromkeys(tags.split())) if tags else None,
                                             subject=subject)
    parsed = {}
    per_page = {}
    with open(js_path, encoding="utf-8") as f:
        for line in f:
            c = json.loads(line)
            name = os.path.splitext(os.path.basename(c["source"]["file"].split("!")[-1]))[0]
            per_page[name] = per_page.get(name, 0) + 1
            parsed.setdefault(name, c)
    stats = {k: [0, 0] for k in thresh}
    no_year = [0, 0]  # pages without a year source, those where the parser invented an id
    no_date = [0, 0]
    report = []
    used_known = set()
    truncated = [0]
    dquotes = [0]
    malformed = [0]
    filled = {}
    backslash = [0]
    tags_cut = [0]
    tags_glued = [0]
    runon = [0]
    dropped = [0]
    for name, g in sorted(gt.items()):
        c = parsed.get(name)
        if c is None:
            for k in stats:
                stats[k][1] += 1
            report.append(f"{g['id']}\tall\tnot parsed\t{name}")
            continue
        def judge(field, ok, exp, got):
            if field == "tags" and g["tags"] is None:
                return
            stats[field][1] += 1
            if not ok and (g["id"], field) in known:
                used_known.add((g["id"], field))
                ok = True
            if ok:
                stats[field][0] += 1
            else:
                report.append(f"{g['id']}\t{field}\texpected {exp!r}\tgot {got!r}")
        has_year = has_date = True
        if text_dir:
            with open(os.path.join(text_dir, name + ".txt"), encoding="utf-8", errors="replace") as tf:
                has_year, has_date = year_sources(tf.read())
        ok = g["id"] == c.get("id")
        if not has_year:
            # Nothing in the text says the year: the id must stay null (not
            # invented); origin and serial are still judged.
            no_year[0] += 1
            if c.get("id") is not None and not ok:
                no_year[1] += 1
                report.append(f"{g['id']}\tid\tno year source: expected null\tgot {c.get('id')!r}")
        elif not ok and text_dir and MALFORMED.search(g["id"]) and \
                re.sub(r"^(\d\d)(?:S?ECTION\d\dOF\d\d|EFTO|\d\d)", r"\1", g["id"]) == c.get("id"):
            # The same malformed archive id, and the text alone gives the
            # canonical one (09EFTOLONDON2187 -> 09LONDON2187).
            malformed[0] += 1
            ok = True
        elif not ok and g["id"] in (c.get("aliases") or []) and MALFORMED.search(g["id"]):
            # The archive's id swallowed words of the classification line
            # (09SECTION01OF03SANJOSE525, 09EFTOLONDON2187): the canonical
            # id is reported and the archive's kept as an alias.
            malformed[0] += 1
            ok = True
        if has_year:
            judge("id", ok, g["id"], c.get("id"))
        for p in c.get("problems") or []:
            if p["kind"].startswith("page-") and p["note"].startswith("no "):
                filled[p["kind"]] = filled.get(p["kind"], 0) + 1
        d = (c.get("date") or "")
        got_dh = d[:10] + " " + d[11:13] if d else None
        if has_date:
            judge("date", got_dh == g["created"][:13], g["created"][:13], got_dh)
        else:
            no_date[0] += 1
            if got_dh is not None and got_dh != g["created"][:13]:
                no_date[1] += 1
                report.append(f"{g['id']}\tdate\tno date source: expected null\tgot {got_dh!r}")
        judge("marking", g["marking"] == c.get("marking"), g["marking"], c.get("marking"))
        judge("origin", g["origin"] == c.get("origin"), g["origin"], c.get("origin"))
        if g["tags"] is not None:
            ct = c.get("tags") or []
            ok = g["tags"] == ct
            if not ok and len(ct) > len(g["tags"]) and ct[:len(g["tags"])] == g["tags"]:
                # Page fault: the page linked only the tags of the first
                # line of a TAGS field that wraps.
                tags_cut[0] += 1
                ok = True
            if not ok and glued_split(g["tags"], ct):
                # Page fault: the page kept codes a lost space glued
                # ("VTPREL"); the parser splits them with the tag table.
                tags_glued[0] += 1
                ok = True
            judge("tags", ok, " ".join(g["tags"]), " ".join(ct))
        gs, cs = norm_space(g["subject"]), norm_space(c.get("subject"))
        if '""' in gs and gs.replace('""', '"') != gs:
            # Page fault: the title kept the quotes doubled by an export
            # (the parser undoes them, reporting "doubled-quotes").
            gs = norm_space(gs.replace('""', '"'))
            dquotes[0] += 1
        if gs.endswith(" \\"):
            # Page fault: pages whose text had "\" line ends (a leaked
            # database row) kept the backslash in the title.
            gs = gs[:-2].rstrip()
            backslash[0] += 1
        ok = gs == cs
        if not ok and gs and cs[:1] in ('(', '"', '“') and (cs[1:] == gs or cs[1:].startswith(gs + " ")):
            # Page fault: the viewer's title drops a leading "(" or quote
            # ("(C) X" titled "C) X").
            dropped[0] += 1
            ok = True
        cs2 = cs[1:] if cs[:1] in ('(', '"', '\u201c') and not gs.startswith(cs[:1]) else cs
        if not ok and cs2 and gs.startswith(cs2) and RUNON.match(gs[len(cs2):].lstrip()):
            # Page fault: the line held SUBJECT and the next fields (REF,
            # Classified By, a page header ...) and the title kept them all.
            runon[0] += 1
            ok = True
        if not ok and gs and (cs.startswith(gs + " ") or (gs.endswith("-") and cs.startswith(gs) and len(cs) > len(gs))):
            # Page fault: the viewer's title holds only the first line of a
            # SUBJECT that wraps; the parser reads all of it.
            truncated[0] += 1
            ok = True
        judge("subject", ok, g["subject"], c.get("subject"))
    stale = [k for k in known if k not in used_known]
    many = sorted(k for k, v in per_page.items() if v != 1) if text_dir else []
    for k in many:
        report.append(f"{gt[k]['id'] if k in gt else k}\tcables\texpected 1\tgot {per_page[k]}")
    with open(rep_path, "w", encoding="utf-8") as f:
        f.write("\n".join(report) + ("\n" if report else ""))
    fail = False
    for k, (ok, n) in stats.items():
        pct = 100.0 * ok / n if n else 100.0
        flag = "ok" if pct >= thresh[k] else "BELOW"
        if pct < thresh[k]:
            fail = True
        print(f"{k:8s} {ok:5d}/{n:<5d} {pct:6.2f}%  (threshold {thresh[k]}%) {flag}")
    if text_dir:
        print(f"pages giving exactly one cable: {sum(1 for k in gt if per_page.get(k) == 1)}/{len(gt)}")
        print(f"pages whose text gives no year: {no_year[0]} (an id invented on {no_year[1]}); "
              f"no date: {no_date[0]} (a date invented on {no_date[1]})")
        if many or no_year[1] or no_date[1]:
            fail = True
    print(f"subjects the page cut at the first line (counted as agreement): {truncated[0]}")
    print(f"subjects whose leading '(' or quote the page dropped (counted as agreement): {dropped[0]}")
    print(f"subjects whose page title ran on into the next fields (counted as agreement): {runon[0]}")
    print(f"tags whose page linked only the first line (counted as agreement): {tags_cut[0]}")
    print(f"tags whose page kept glued codes the parser splits (counted as agreement): {tags_glued[0]}")
    print(f"subjects whose page title kept a '\\' line end (stripped before comparing): {backslash[0]}")
    print(f"malformed archive ids found among the aliases{' or canonical' if text_dir else ''} (counted as agreement): {malformed[0]}")
    src = "an export record inside the text" if text_dir else "the page"
    print(f"fields the text lacks, filled from {src}: " + ", ".join(f"{k} {v}" for k, v in sorted(filled.items())))
    print(f"subjects whose page title kept doubled quotes (undone before comparing): {dquotes[0]}")
    print(f"disagreements: {len(report)} (report: {rep_path}); known page faults used: {len(used_known)}")
    if stale:
        fail = True
        for k in stale:
            print(f"stale known-fault entry (parser and page now agree): {k[0]} {k[1]}")
    return 1 if fail else 0

if __name__ == "__main__":
    sys.exit(main())
