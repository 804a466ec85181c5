#!/usr/bin/env python3
"""gen.py DIR - write the hostile inputs of tests/hostile/test.sh into DIR.

Each input is NAME.txt; NAME.expect says what its output must show:
  damaged   the input is not a sound cable: problems must be recorded
            (or parse must fail with a clear message)
  info=N    the cable has N INFO addressees
  refs=N    the cable has N references (or a problem saying it stopped)
  any       only: no crash, no sanitizer report, valid JSON, in time
"""
import os
import random
import sys

d = sys.argv[1]
rnd = random.Random(20071497)  # reproducible "random" bytes

HEAD = (b"VZCZCXRO6975\nOO RUEHDBU\nDE RUEHRO #1497/01 1901712\nZNY CCCCC ZZH\n"
        b"O 091712Z JUL 07\nFM AMEMBASSY ROME\nTO RUEHC/SECSTATE WASHDC IMMEDIATE 8533\n")
BODY = (b"\nC O N F I D E N T I A L SECTION 01 OF 03 ROME 001497\n\nSIPDIS\n\n"
        b"E.O. 12958: DECL: 07/03/2017\nTAGS: PREL UNSC IT\n"
        b"SUBJECT: ITALIANS CAUTIOUS ON UN ENVOY FOR AFGHANISTAN\n\n"
        b"Classified By: Political Minister-Counselor David D. Pearce, for reasons 1.4 (b) and (d)\n\n"
        b"1. (C) Khalilzad met the PM. Boucher noted that the\n"
        b"ROME 00001497 002.2 OF 003\n"
        b"Afghan government was at the center of the process.\n\nBORG\n")


def put(name, data, expect):
    with open(os.path.join(d, name + ".txt"), "wb") as f:
        f.write(data)
    with open(os.path.join(d, name + ".expect"), "w") as f:
        f.write(expect + "\n")


put("empty", b"", "damaged")
put("blank-lines", b"\n\r\n  \n\t\n" * 1000, "damaged")
put("urandom-1mb", os.urandom(1 << 20), "damaged")
put("random-fixed-1mb", bytes(rnd.getrandbits(8) for _ in range(1 << 20)), "damaged")
put("one-line-10mb", b"ROME 00001497 002.2 OF 003 the " * (10 * 1000 * 1000 // 31), "any")
put("one-line-10mb-x", b"X" * (10 * 1000 * 1000), "damaged")
bad = [b"\xc0\x80", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xff\xfe", b"\x80\x80",
       b"\xe2\x82", b"\xf4\x90\x80\x80", b"\xc3", b"\xe2\x80\xa8", b"\xef\xbf\xbf"]
junk = b"".join(bad[i % len(bad)] + b" SIPDIS " for i in range(2000))
put("invalid-utf8", HEAD + BODY.replace(b"SIPDIS", junk[:4000]) + b"\xe2\x82", "any")
put("invalid-utf8-header", HEAD.replace(b"ROME", b"RO\xc0\xafME") + b"\xff" * 100 + BODY, "any")
put("nul-bytes", (HEAD + BODY).replace(b" ", b"\0 ").replace(b"\n", b"\n\0"), "damaged")
put("only-nul", b"\0" * (1 << 20), "damaged")
addrs = b"".join(b"RUEH%s/AMEMBASSY POST%d PRIORITY %04d\n" % (
    bytes([65 + i % 26, 65 + i // 26 % 26, 65 + i // 676 % 26]), i, i % 10000) for i in range(10000))
put("addressees-10000", HEAD + b"INFO " + addrs + BODY, "info=10000")
put("page-headers-100000", HEAD + BODY.replace(b"BORG\n", b"") +
    b"".join(b"word %d of the text\nROME 00001497 %03d.2 OF 999\n" % (i, i % 1000) for i in range(100000)) +
    b"BORG\n", "damaged")
put("page-headers-only", b"PAGE 02 HARARE 06677 01 OF 03 291400Z\n" * 100000, "damaged")
refs = b" ".join(b"STATE %d;" % (i + 1) for i in range(50000))
put("refs-50000", HEAD + BODY.replace(b"\nClassified", b"REF: " + refs + b"\n\nClassified"), "refs=50000")
labelled = b" ".join(b"%s. ROME %d" % (bytes([65 + i % 26]) * (1 + i // 26 % 3), i) for i in range(50000))
put("refs-50000-labelled", b"REF: " + labelled + b"\n", "any")
put("pilcrow-junk", b"\xc2\xb6" * 500000 + b"\n" + b"\xc2\xb6\xc2\xb6 1. \xc2\xb62001. \xc2\xb6B. (C)\n" * 20000, "any")
put("pilcrow-cp1252", b"\xb6" * 300000 + b"\r\n" + b"\xb61. (C) \xb6\xb6\xb6.\r\n" * 20000, "any")
put("paragraph-numbers-huge", HEAD + BODY + b"".join(
    b"\xc2\xb6%s. (C) text\n\n" % n for n in
    [b"99999999999999999999", b"-2147483649", b"2147483648", b"0", b"4294967297", b"9" * 400]) +
    b"".join(b"%d. (C) p\n" % i for i in range(20000, 0, -1)), "damaged")
put("header-overflow", b"VZCZCXRO6975\nOO RUEHDBU\nDE RUEHRO #99999999999999999999999/99999999999 99999999999\n"
    b"ZNY CCCCC ZZH\nO 999999Z FOO 99\nFM AMEMBASSY ROME\nTO RUEHC/SECSTATE WASHDC IMMEDIATE 99999999999999999\n"
    b"\nC O N F I D E N T I A L SECTION 99999999999 OF 99999999999 ROME 99999999999999999999999\n"
    b"E.O. 12958: DECL: 99/99/99999999999\nClassified By: x for reasons 1.4 (" + b"(" * 100000 + b"\n", "damaged")
put("subject-no-end", HEAD + b"\nUNCLAS ROME 001497\nSUBJECT: " + b"WORDS AND MORE WORDS\n" * 200000, "any")
put("subject-one-line", b"SUBJECT: " + b"A" * (5 * 1000 * 1000), "any")
put("tags-100000", b"TAGS: " + b"PREL, " * 100000 + b"\n", "any")
# Super-linear paths found by timing the fuzz seeds repeated to 16 and 64 KB
# (issue 14): distinct tags (a linear duplicate check per tag), REF fields
# (each copied the references so far), page headers in a row (each walked
# back over all the dropped ones before it).
put("tags-distinct", b"TAGS: " + b"".join(b"K%d " % i for i in range(200000)) + b"\n", "any")
put("refs-fields-20000", b"REF: A) TALLINN 366 B) SECSTATE 326258\n" * 20000, "any")
put("page-headers-in-a-row", HEAD + BODY.replace(b"BORG\n", b"") + b"ROME 00001497 002.2 OF 003\n" * 100000, "damaged")
put("classification-spaced", b"C O N F I D E N T I A L " * 200000 + b"\n", "any")
put("crlf-cr-only", (HEAD + BODY).replace(b"\n", b"\r") * 2000, "any")
put("long-lines-many", (b"x" * 100000 + b"\n") * 50, "damaged")
put("deep-parens", b"1. (" + b"(" * 1000000 + b"\n", "damaged")
put("html-like", b"<pre>" * 100000 + b"&#x000A;" * 100000, "damaged")
put("newlines-10mb", b"\n" * (10 * 1000 * 1000), "damaged")
put("cr-10mb", b"\r" * (10 * 1000 * 1000), "damaged")
put("paragraphs-500000", HEAD + BODY.replace(b"BORG\n", b"") +
    b"".join(b"%d. (C) x\n" % (i % 100000) for i in range(500000)) + b"BORG\n", "damaged")

# PlusD record pages (src/read/plusd_page.c): blocks missing, huge metadata
# values, broken html.  The telegram and values are made up.
PD_HEAD = b'<!DOCTYPE html>\n<html><head><script src="/plusd/js/jquery.min.js"></script></head><body>\n'
PD_TEXT = (b"CONFIDENTIAL\nPAGE 01  ATHENS 01234  011200Z\n9\nACTION EUR-25\nINFO  OCT-01  /026 W\n"
           b"---------------------     000001\nR 011100Z MAR 74\nFM AMEMBASSY ATHENS\nTO SECSTATE WASHDC 1\n"
           b"C O N F I D E N T I A L ATHENS 1234\nE.O. 11652: GDS\nTAGS: PFOR, GR\nSUBJECT: TEST\n\n"
           b"1. TEXT.\nNAME\nCONFIDENTIAL\nNNN\n")


def pd_syn(pairs):
    cells = b"".join(b'<td><div class="s_key"><a class="i" title="%s">%s:</a></div><div class="s_val" title=" %s (9 documents)">%s</div></td>\n'
                     % (k, k, v, v) for k, v in pairs)
    return b'<table id="synopsis"><tr><td colspan="2">TEST</td></tr><tr>' + cells + b"</tr></table>\n"


def pd_pane(name, content):
    return (b'<div class="pane-tab"><div class="pane-header">' + name +
            b'</div><div class="pane-content"><div class="text-content">' + content + b"</div></div></div>\n")


PD_SYN = pd_syn([(b"Date", b"1974 Mar 01, 11:00 (Friday)"), (b"Canonical ID", b"1974ATHENS01234_b"),
                 (b"Original Classification", b"CONFIDENTIAL")])
put("plusd-text-only", PD_HEAD + pd_pane(b"Raw content", PD_TEXT) + b"</body></html>\n", "damaged")
put("plusd-synopsis-only", PD_HEAD + PD_SYN + b"</body></html>\n", "damaged")
meta = (b"---\nConcepts: " + b"WORD, " * 1000000 + b"\nReview History: " +
        b"RELEASED <15 MAY 2002 by x>; " * 100000 + b"\n" +
        b"".join(b"Key %d: value %d\n  continued\n" % (i, i) for i in range(100000)) +
        b"Review Markings: ! 'n/a\n" + b"\n  line\n" * 100000)
put("plusd-huge-metadata", PD_HEAD + PD_SYN + pd_pane(b"Raw content", PD_TEXT) + pd_pane(b"Metadata", meta), "any")
put("plusd-100k-keys", PD_HEAD + b'<table id="synopsis">' +
    b'<div class="s_key"><a title="x">K"ey</a>' * 100000 + b"</table>" + pd_pane(b"Raw content", PD_TEXT), "any")
broken = (PD_HEAD + PD_SYN.replace(b"</div>", b"<div")[:400] + b'<div class="pane-header">Raw content</div>'
          b'<div class="pane-content"><div class="text-content">' + PD_TEXT[:150] + b"&#x00" +
          b'<div class="pane-header">Metadata</div><div class="text-content">---\nDrafter: ! \'open\n' + b"\n" * 1000)
put("plusd-broken-html", broken, "damaged")
put("plusd-star-lines", PD_HEAD + pd_pane(b"Raw content", PD_TEXT + b"*** Current Classification *** X\n" * 200000), "any")
# 1970s printout whose numbered paragraphs all sit right under each other:
# each "N." gets a blank line before it, so the text for the parser has
# about twice the input's lines (a line map of n + 1 entries overflowed).
put("70s-paragraphs-packed", PD_TEXT.replace(b"1. TEXT.\n", b"".join(b"%d. TEXT.\n" % i for i in range(1, 20001))), "any")
