/*
 * repair.c - page breaks, undone at the line level before any field sees
 * them: page headers removed with the page footer before them, what they
 * split rejoined unless the next line starts something new; sentences split
 * by a blank line rejoined.  Each repair is a problem entry.
 */
#include "parse/parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- repairs ---------------------------------------------------------- */

/* The DDHHMMZ of an old page header, "PAGE 02 ROME 01497 251234Z", kept
 * as header.page_dtg when the cable has none yet. */
static void page_dtg(ck_cable *c, const char *t, int n, int ph)
{
	if (c->header.page_dtg || !starts(t, n, "PAGE "))
		return;
	for (int k = ph - 1; k >= 6; k--)
		if (t[k] == 'Z' && ck_isdigit_((unsigned char)t[k - 1]) && k >= 6 && t[k - 7] == ' ') {
			c->header.page_dtg = ck_arena_strndup(c->arena, t + k - 6, 7);
			break;
		}
}

/* The last run of lines drop_blanks_back walked: lines to+1 .. from, all
 * dropped since (no line comes back), so a later walk jumps over them: a
 * page of page headers was walked again for each one (100,000 in a row:
 * quadratic). */
struct run {
	int from, to;
};

/* Blank (and dropped) lines back from line p: the blank ones dropped,
 * *had_blank set when there was one.  Returns the first line before them. */
static int drop_blanks_back(struct parser *s, int p, int *had_blank, struct run *run)
{
	int from = p;
	while (p >= s->body && (s->L[p].kind == L_BLANK || s->L[p].kind == L_DROPPED)) {
		if (s->L[p].kind == L_BLANK) {
			*had_blank = 1;
			s->L[p].kind = L_DROPPED;
		} else if (p == run->from && run->to < p) {
			p = run->to;
			continue;
		}
		p--;
	}
	run->from = from;
	run->to = p;
	return p;
}

/* The page footer before the page header at line i: a level alone on the
 * line before, or glued to the end of the previous text line after two
 * spaces ("...ESSENTIALLY, A  CONFIDENTIAL"); removed with the blank lines
 * around it.  Returns the last line of text before the page break (below
 * s->body when none). */
static int drop_footer(struct parser *s, int i, int *had_blank, struct run *run)
{
	int p = drop_blanks_back(s, i - 1, had_blank, run);
	if (p < s->body)
		return p;
	int pn;
	const char *pt = ltrim(&s->L[p], &pn);
	if (ck_is_level_only_(pt, pn) || ck_is_printout_(pt, pn)) {
		s->L[p].kind = L_DROPPED;
		return drop_blanks_back(s, p - 1, had_blank, run);
	}
	struct line *pl = &s->L[p];
	for (int k = pl->len - 1; k > 2; k--) {
		if (pl->s[k] == ' ' && pl->s[k - 1] == ' ') {
			if (ck_is_level_only_(pl->s + k + 1, pl->len - k - 1)) {
				int e = k;
				while (e > 0 && pl->s[e - 1] == ' ')
					e--;
				pl->len = e;
				pl->s[e] = 0;
			}
			break;
		}
		if (!ck_isupper_((unsigned char)pl->s[k]) && pl->s[k] != ' ')
			break;
	}
	return p;
}

/* Does line `next` (text q, qn bytes) start something new, so that the
 * page break before it is not joined: a pilcrow, "2." or "2 ", a rule,
 * a page header, a field label, a classification line, or a heading (the
 * line after it is dashes)? */
static int starts_new(struct parser *s, int next, const char *q, int qn)
{
	if (qn >= 2 && (unsigned char)q[0] == 0xC2 && (unsigned char)q[1] == 0xB6)
		return 1;
	int d = 0;
	while (d < qn && ck_isdigit_((unsigned char)q[d]))
		d++;
	if (d && d < qn && (q[d] == '.' || q[d] == ' ') && d <= 3)
		return 1;
	if (starts(q, qn, "---") || starts(q, qn, "####") || ck_page_header_len_(q, qn))
		return 1;
	if (starts_ci(q, qn, "Classified By") || starts(q, qn, "REF") ||
	    starts(q, qn, "SUBJECT") || starts(q, qn, "TAGS") || starts(q, qn, "E.O."))
		return 1;
	struct banner b;
	if (ck_is_banner_(q, qn, &b))
		return 1;
	if (next + 1 < s->n) {
		int hn;
		const char *ht = ltrim(&s->L[next + 1], &hn);
		if (starts(ht, hn, "---"))
			return 1;
	}
	return 0;
}

/* PlusD's release stamp printed inside the text ("Sheryl P. Walter
 * Declassified/Released US Department of State EO Systematic Review 20 Mar
 * 2014"): recorded in review (once per reviewer and date); returns 1 when
 * t[0..n) is one. */
static int text_stamp(ck_cable *c, const char *t, int n)
{
	ck_review x;
	if (n < 32 || (!memmem(t, (size_t)n, "/Released", 9) && !memmem(t, (size_t)n, "/RELEASED", 9)) ||
	    ck_release_stamp_(c->arena, t, (size_t)n, &x))
		return 0;
	for (size_t i = 0; i < c->nreview; i++)
		if (!strcmp(c->review[i].kind, "marking") && c->review[i].date && !strcmp(c->review[i].date, x.date) &&
		    !c->review[i].by == !x.by && (!x.by || !strcmp(c->review[i].by, x.by)))
			return 1;
	struct vec r = {c->review, c->nreview, c->nreview, sizeof *c->review};
	ck_review *v = ck_vec_push_(c->arena, &r);
	if (v) {
		*v = x;
		c->review = r.v;
		c->nreview = r.n;
	}
	return 1;
}

/* Does the text end a sentence: . ! ? : or a closing quote (" or U+201D)? */
static int ends_sentence(const char *pt, int pn)
{
	char last = pn ? pt[pn - 1] : 0;
	if (last == '.' || last == '!' || last == '?' || last == ':' || last == '"')
		return 1;
	return pn >= 3 && (unsigned char)pt[pn - 3] == 0xE2 && (unsigned char)pt[pn - 2] == 0x80 &&
	       (unsigned char)pt[pn - 1] == 0x9D;
}

/* Remove page headers (and the page footer before them), rejoin what they
 * split; drop printout junk between sections. */
void ck_repair_(struct parser *s)
{
	ck_cable *c = s->c;
	struct run run = {-1, -1};
	for (int i = s->body; i < s->n; i++) {
		struct line *l = &s->L[i];
		if (l->kind != L_TEXT)
			continue;
		int n;
		const char *t = ltrim(l, &n);
		int ph = ck_page_header_len_(t, n);
		int stamp = !ph && text_stamp(c, t, n);
		if (stamp)
			ph = n; /* cut out like a page header, what it splits rejoined */
		if (!ph && ck_truncated_page_header_(t, n)) {
			l->kind = L_DROPPED;
			ck_cable_problem(c, "truncated", l->no,
					 "the text ends in a page header cut short (\"%.*s\"): the page is truncated",
					 n > 60 ? 60 : n, t);
			continue;
		}
		if (!ph) {
			if (i > s->body && ck_is_printout_(t, n)) {
				ck_printout_fields_(s, t, n);
				l->kind = L_DROPPED;
				ck_cable_problem(c, "printout", l->no, "removed receiving-office printout line");
			}
			continue;
		}
		if (stamp) {
			ck_cable_problem(c, "stamp", l->no, "removed declassification stamp \"%.*s\"",
					 n > 100 ? 100 : n, t);
		} else {
			ck_cable_problem(c, "page-header", l->no, "removed page header \"%.*s\"",
					 ph > 60 ? 60 : ph, t);
			page_dtg(c, t, n, ph);
		}
		int had_blank = 0;
		int p = drop_footer(s, i, &had_blank, &run);
		/* the rest of the line after the header, or the next line */
		int next;
		if (ph < n && ck_is_printout_(t + ph, n - ph)) {
			/* "PAGE 01 HARARE 05461 02 OF 02 271459Z ACTION AF-00" */
			l->kind = L_DROPPED;
			continue;
		}
		if (ph < n) {
			l->s = (char *)t + ph;
			l->len = n - ph;
			next = i;
		} else {
			l->kind = L_DROPPED;
			next = i + 1;
			while (next < s->n && s->L[next].kind == L_BLANK) {
				had_blank = 1;
				next++;
			}
		}
		if (next >= s->n || p < s->body)
			continue;
		struct line *nl = &s->L[next];
		if (nl->kind != L_TEXT)
			continue;
		int nn, pn;
		const char *nt = ltrim(nl, &nn);
		const char *pt = ltrim(&s->L[p], &pn);
		/* a stamp between blank lines, or under the classification
		 * line, split nothing */
		if (stamp && (had_blank || p == s->banner)) {
			nl->blank_before = had_blank;
			continue;
		}
		/* join unless the next line starts something new */
		if (starts_new(s, next, nt, nn)) {
			if (had_blank)
				nl->blank_before = 1;
			continue;
		}
		if (had_blank && ends_sentence(pt, pn) && !ck_islower_((unsigned char)nt[0])) {
			nl->blank_before = 1; /* a paragraph break that fell on the page break */
			continue;
		}
		nl->join = 1;
		nl->blank_before = 0;
	}
}

/* A sentence split by a blank line (a page break lost in rendering):
 * "... at the end of the designated" / "" / "negotiating period ...".
 * The next line starts in lower case and the line before does not end a
 * sentence: rejoin them, and say so. */
void ck_rejoin_split_sentences_(struct parser *s)
{
	for (int i = s->body; i < s->n; i++) {
		struct line *l = &s->L[i];
		if (l->kind != L_TEXT)
			continue;
		int j = i + 1, blanks = 0;
		while (j < s->n && (s->L[j].kind == L_BLANK || s->L[j].kind == L_DROPPED)) {
			blanks += s->L[j].kind == L_BLANK;
			j++;
		}
		if (!blanks || j >= s->n || s->L[j].kind != L_TEXT || s->L[j].join)
			continue;
		int pn, nn;
		const char *pt = ltrim(l, &pn);
		const char *nt = ltrim(&s->L[j], &nn);
		if (!pn || !nn || !ck_islower_((unsigned char)nt[0]) || pn < 30)
			continue;
		char last = pt[pn - 1];
		if (!ck_isalpha_((unsigned char)last) && last != ',')
			continue;
		for (int k = i + 1; k < j; k++)
			if (s->L[k].kind == L_BLANK)
				s->L[k].kind = L_DROPPED;
		s->L[j].join = 1;
		s->L[j].blank_before = 0;
		ck_cable_problem(s->c, "split-sentence", s->L[j].no,
				 "rejoined a sentence split by a blank line (\"...%.*s\" / \"%.*s...\")",
				 pn > 20 ? 20 : pn, pt + (pn > 20 ? pn - 20 : 0), nn > 20 ? 20 : nn, nt);
	}
}
