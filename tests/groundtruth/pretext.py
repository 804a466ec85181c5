#!/usr/bin/env python3
"""Reduce cablegate viewer pages to the text a reader copying it would get.

usage: pretext.py OUTDIR PAGE.html...     (writes OUTDIR/<name>.txt per page)
       pretext.py - PAGE.html              (one page to standard output)

Only the text inside the page's <pre> blocks is kept (no metadata table, no
title), the blocks joined by one newline, html element tags taken out (the
paragraph anchors "<a id='par1' ...>¶</a>", the TAGS links) and entities
decoded ("&#x000A;" is a newline, "&amp;" is "&"), as a browser shows it.
A "<" that does not open an html element ("<<Israel>>") is text and stays.
"""
import html, os, re, sys

PRE = re.compile(r"<pre(?:\s[^>]*)?>(.*?)(?:</pre>|\Z)", re.S)
TAG = re.compile(r"</?(?:a|b|br|code|div|em|font|i|p|pre|span|strong|table|tbody|td|th|thead|tr|u)(?:[\s/][^<>]*)?>", re.I)


def page_text(s):
    blocks = [html.unescape(TAG.sub("", b)) for b in PRE.findall(s)]
    return "\n".join(blocks)


def main():
    out, pages = sys.argv[1], sys.argv[2:]
    for p in pages:
        with open(p, encoding="utf-8", errors="surrogateescape") as f:
            t = page_text(f.read())
        if out == "-":
            sys.stdout.write(t)
            continue
        name = os.path.splitext(os.path.basename(p))[0] + ".txt"
        with open(os.path.join(out, name), "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(t)
    return 0


if __name__ == "__main__":
    sys.exit(main())
