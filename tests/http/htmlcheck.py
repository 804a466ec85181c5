#!/usr/bin/env python3
"""htmlcheck.py FILE... - check pages served by `cablekit serve`.

For each file: `xmllint --html --noout` must report no error other than
"Tag X invalid" for the HTML5 elements libxml2's HTML4 parser does not know;
`xmllint --noout` must find it well-formed XML (our pages are polyglot, so
an unclosed or misnested tag fails here even where the HTML parser would
repair it); and the markup must hold to what the Content-Security-Policy and
the escaping rules promise: one <title>, <html lang>, scripts only from
/static/ and never inline, no on* event attributes, no style attributes, no
javascript: URLs.  Prints one line per problem; exits 1 when any.
"""
import re
import subprocess
import sys
from html.parser import HTMLParser

HTML5 = {
    "article", "aside", "details", "figcaption", "figure", "footer", "header",
    "main", "mark", "meter", "nav", "section", "summary", "time",
    # inline SVG of the date histogram
    "svg", "rect", "line", "text", "g",
}


class Walk(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.titles = 0
        self.lang = None
        self.in_script = False
        self.stack_svg = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "title" and not self.stack_svg:
            self.titles += 1
        if tag == "svg":
            self.stack_svg += 1
        if tag == "script":
            src = a.get("src") or ""
            if not src.startswith("/static/"):
                self.problems.append("script not from /static/: %r" % src)
            self.in_script = True
        for k, v in attrs:
            if k.startswith("on"):
                self.problems.append("event attribute %s on <%s>" % (k, tag))
            if k == "style":
                self.problems.append("style attribute on <%s> (CSP forbids it)" % tag)
            if v and k in ("href", "src", "action") and re.match(r"\s*javascript:", v, re.I):
                self.problems.append("javascript: URL in %s" % k)

    def handle_endtag(self, tag):
        if tag == "svg":
            self.stack_svg -= 1
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.problems.append("inline script")


def check(path):
    out = []
    r = subprocess.run(["xmllint", "--html", "--noout", path],
                       capture_output=True, text=True)
    for line in r.stderr.splitlines():
        m = re.search(r"(HTML parser error|parser error|error) : (.*)", line)
        if not m:
            continue
        msg = m.group(2).strip()
        t = re.match(r"Tag (\S+) invalid", msg)
        if t and t.group(1) in HTML5:
            continue
        out.append("xmllint --html: " + msg)
    r = subprocess.run(["xmllint", "--noout", path], capture_output=True, text=True)
    if r.returncode != 0:
        first = [l for l in r.stderr.splitlines() if "error" in l][:3]
        out.append("not well-formed: " + " | ".join(first))
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not text.startswith("<!DOCTYPE html>"):
        out.append("no <!DOCTYPE html>")
    w = Walk()
    w.feed(text)
    out += w.problems
    if w.titles != 1:
        out.append("%d <title> elements" % w.titles)
    if not w.lang:
        out.append("<html> without lang")
    return out


def main():
    bad = 0
    for p in sys.argv[1:]:
        for msg in check(p):
            print("%s: %s" % (p, msg))
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
