/*
 * body.c - the body state machine: after the banner, captions, E.O./DECL,
 * TAGS, SUBJECT, REF (over page headers and blank lines before a labelled
 * item), Classified By, headings and paragraphs.  Lines before the SUBJECT
 * are addressing lines or boilerplate, never paragraphs; repeated section
 * headers of multi-section printouts are dropped.
 */
#include "parse/parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Does line t go on with the REF list in fb?  A label, a number, an
 * upper-case word, or after a connector (",", ";", "AND", "-"). */
static int ref_continues(const char *fb, size_t fl, const char *t, int n)
{
	while (fl && fb[fl - 1] == ' ')
		fl--;
	if (fl && (fb[fl - 1] == ',' || fb[fl - 1] == ';' || fb[fl - 1] == '-' || fb[fl - 1] == '&'))
		return 1;
	if (fl >= 3 && ck_prefix_ci_(fb + fl - 3, 3, "AND"))
		return 1;
	if (n >= 2 && (unsigned char)t[0] == 0xC2 && (unsigned char)t[1] == 0xB6)
		return 1;
	if (t[0] == '(' || ck_isdigit_((unsigned char)t[0]))
		return 1;
	if (n >= 2 && ck_isupper_((unsigned char)t[0]) && (t[1] == '.' || t[1] == ')'))
		return 1;
	/* an upper-case first word: "STATE 1234", "BRASILIA" */
	int w = 0;
	while (w < n && ck_isalpha_((unsigned char)t[w]))
		w++;
	if (w >= 2 && all_upper_word(t, w))
		return 1;
	/* a post in title case followed by a number: "Brasilia 3070" */
	int k = w;
	while (k < n && t[k] == ' ')
		k++;
	return w >= 3 && k < n && ck_isdigit_((unsigned char)t[k]);
}

/* "SIPDIS DEPT FOR NEA/MAG": captions glued to the start of a line */
static void leading_captions(struct parser *s, const char *t, int n)
{
	static const char *const glued[] = {"SENSITIVE", "SIPDIS", "NOFORN", "EXDIS", "NODIS", "LIMDIS"};
	int i = 0;
	for (;;) {
		int ok = 0;
		for (size_t k = 0; k < sizeof glued / sizeof *glued; k++) {
			int gl = (int)strlen(glued[k]);
			if (starts(t + i, n - i, glued[k]) && (i + gl == n || t[i + gl] == ' ')) {
				ck_strv_add_unique_(s->c->arena, &s->c->caveats, &s->caveat_cap, glued[k]);
				i += gl;
				while (i < n && t[i] == ' ')
					i++;
				ok = 1;
				break;
			}
		}
		if (!ok || i >= n)
			return;
	}
}

/* After a blank line inside a REF list: does the next line go on with
 * a labelled item ("B. MEXICO 765", "(B) ...", "¶B. ...")? */
static int ref_label_follows(struct parser *s, int i)
{
	int j = i + 1;
	while (j < s->n && (s->L[j].kind == L_BLANK || s->L[j].kind == L_DROPPED))
		j++;
	if (j >= s->n)
		return 0;
	int n;
	const char *t = ltrim(&s->L[j], &n);
	if (n >= 2 && (unsigned char)t[0] == 0xC2 && (unsigned char)t[1] == 0xB6) {
		t += 2, n -= 2;
		while (n && *t == ' ')
			t++, n--;
	}
	if (n >= 3 && t[0] == '(' && ck_isupper_((unsigned char)t[1]) && t[2] == ')')
		return 1;
	return n >= 3 && ck_isupper_((unsigned char)t[0]) && (t[1] == '.' || t[1] == ')') && t[2] == ' ';
}

void ck_parse_body_(struct parser *s)
{
	ck_cable *c = s->c;
	enum field cur = F_NONE;
	ck_buf fb = CK_BUF_INIT; /* current field text */
	int field_line = 0;
	int in_text = 0;       /* past the header fields */
	int subject_upper = 0;
	struct para_b pb = {CK_BUF_INIT, 0, 0, NULL, NULL, 0};
	struct vec plines = {NULL, 0, 0, sizeof(int)};
	int numbered = 0;       /* the cable numbers its paragraphs */
	int after_banner = s->banner >= 0 ? s->banner + 1 : s->body;
	int sec_repeat = 0;     /* inside a repeated section header */

	ck_find_signer_(s, after_banner);
	/* the SUBJECT line, when it comes before the first paragraph: what
	 * stands before it (addressing lines, archive boilerplate) is not text */
	int subject_at = -1;
	for (int i = after_banner; i < s->n && i < after_banner + 200; i++) {
		if (s->L[i].kind != L_TEXT)
			continue;
		int n, off;
		const char *t = ltrim(&s->L[i], &n);
		struct pstart ps;
		if (ck_para_start_(t, n, s->L[i].blank_before, &ps) == 1)
			break;
		if (ck_field_label_(t, n, &off) == F_SUBJECT) {
			subject_at = i;
			break;
		}
	}
	/* pre-scan: does the cable number its paragraphs? */
	for (int i = after_banner; i < s->n; i++) {
		if (s->L[i].kind != L_TEXT)
			continue;
		int n;
		const char *t = ltrim(&s->L[i], &n);
		struct pstart ps;
		if (ck_para_start_(t, n, s->L[i].blank_before, &ps) == 1) {
			numbered = 1;
			break;
		}
	}

#define FLUSH_FIELD()                                                                        \
	do {                                                                                 \
		if (cur != F_NONE) {                                                         \
			const char *ft = fb.ptr ? fb.ptr : "";                               \
			switch (cur) {                                                       \
			case F_SUBJECT:                                                      \
				if (!c->subject) {                                           \
					while (*ft == ':' || *ft == ' ')                     \
						ft++;                                        \
					c->subject = ck_collapse_(c->arena, ft, strlen(ft)); \
				}                                                            \
				break;                                                       \
			case F_REF:                                                          \
				ck_parse_refs_(c, ft, s->year, field_line);                  \
				break;                                                       \
			case F_CLASSBY:                                                      \
				if (!c->has_classified_by)                                   \
					ck_parse_classified_by_(c, ft);                      \
				break;                                                       \
			case F_TAGS:                                                         \
				ck_parse_tags_(c, ft);                                       \
				break;                                                       \
			case F_DECL:                                                         \
				if (!c->has_decl)                                            \
					ck_parse_decl_(c, ft, field_line);                   \
				break;                                                       \
			default:                                                             \
				break;                                                       \
			}                                                                    \
			cur = F_NONE;                                                        \
			ck_buf_clear(&fb);                                                   \
		}                                                                            \
	} while (0)

	for (int i = after_banner; i < s->n; i++) {
		struct line *l = &s->L[i];
		if (l->kind == L_DROPPED || l->kind == L_SIGNER)
			continue;
		if (l->kind == L_BLANK) {
			if (cur == F_REF && ref_label_follows(s, i))
				continue;
			if (cur != F_NONE && !(cur == F_CLASSBY && fb.len && !strstr(fb.ptr, "1.")))
				FLUSH_FIELD();
			continue;
		}
		int n;
		const char *t = ltrim(l, &n);
		/* joined continuation after a page header */
		if (l->join) {
			if (cur != F_NONE) {
				ck_buf_putc(&fb, ' ');
				ck_buf_put(&fb, t, (size_t)n);
			} else if (pb.active) {
				ck_para_add_(&pb, t, n, 0);
			}
			continue;
		}
		/* a repeated section banner (multi-section cables): drop it and the
		 * repeated header fields after it */
		struct banner b;
		if (ck_is_banner_(t, n, &b)) {
			FLUSH_FIELD();
			l->kind = L_DROPPED;
			if (b.section > 1 || in_text)
				sec_repeat = 1;
			ck_cable_problem(c, "section-header", l->no,
					 "removed repeated classification line of section %d", b.section);
			continue;
		}
		if (sec_repeat) {
			int off;
			int f = ck_field_label_(t, n, &off);
			if (ck_caption_line_(s, t, n, 0) || f != F_NONE || starts(t, n, "FM ") || ck_is_trailer_(t, n) ||
			    starts(t, n, "C O R R E C T E D") || strstr(t, "CORRECTED COPY") ||
			    (!has_lower(t, n) && (strstr(t, " FOR ") || strstr(t, "E.O. 1") || strstr(t, " TAGS:"))) ||
			    starts(t, n, "TO ") || (n < 80 && !has_lower(t, n) && strstr(t, " FOR "))) {
				l->kind = L_DROPPED;
				continue;
			}
			/* the last subject line repeated on a page header */
			if (c->subject) {
				size_t sl = strlen(c->subject);
				if ((size_t)n <= sl && n > 3 && !memcmp(c->subject + sl - (size_t)n, t, (size_t)n)) {
					l->kind = L_DROPPED;
					continue;
				}
			}
			sec_repeat = 0;
			if (pb.active)
				l->join = 1, ck_para_add_(&pb, t, n, 0);
			if (l->join)
				continue;
		}
		int off = 0;
		int f = in_text && c->subject ? F_NONE : ck_field_label_(t, n, &off);
		/* a REF or SUBJECT after boilerplate text (NARA copies), before the
		 * first numbered paragraph */
		if (f == F_NONE && in_text && !s->paras_numbered_seen && (l->blank_before || !pb.active)) {
			int fo;
			int ff = ck_field_label_(t, n, &fo);
			if ((ff == F_REF && !c->nrefs) || (ff == F_SUBJECT && !c->subject))
				f = ff, off = fo;
		}
		/* header fields may also appear after the first text (REF after
		 * SUBJECT in html pages without blank lines) */
		if (in_text && f == F_NONE && !pb.active) {
			int fo;
			int ff = ck_field_label_(t, n, &fo);
			if (ff == F_CLASSBY && !c->has_classified_by)
				f = ff, off = fo;
		}
		if (!in_text && f == F_NONE && cur == F_NONE && ck_caption_line_(s, t, n, 1)) {
			continue;
		}
		if (f != F_NONE) {
			FLUSH_FIELD();
			if (f == F_DECL) {
				/* "E.O. 12958: DECL: 11/29/10 TAGS: PGOV ..." */
				const char *tg = NULL;
				for (int k = 1; k + 5 < n; k++)
					if (t[k - 1] == ' ' && starts(t + k, n - k, "TAGS")) {
						tg = t + k;
						break;
					}
				cur = F_DECL;
				field_line = l->no;
				ck_buf_put(&fb, t, tg ? (size_t)(tg - t) : (size_t)n);
				if (tg) {
					FLUSH_FIELD();
					int to = 4;
					while (to < (int)(t + n - tg) && (tg[to] == ':' || tg[to] == ' '))
						to++;
					cur = F_TAGS;
					char *tx = ck_strip_md_links_(c->arena, tg + to, (int)(t + n - tg) - to);
					ck_buf_puts(&fb, tx);
				}
				FLUSH_FIELD();
			} else {
				cur = f;
				field_line = l->no;
				if (f == F_TAGS) {
					char *tx = ck_strip_md_links_(c->arena, t + off, n - off);
					ck_buf_puts(&fb, tx);
				} else {
					ck_buf_put(&fb, t + off, (size_t)(n - off));
				}
				if (f == F_SUBJECT)
					subject_upper = !has_lower(t + off, n - off);
			}
			continue;
		}
		struct pstart ps;
		int pst = ck_para_start_(t, n, l->blank_before, &ps);
		const char *htext = NULL;
		int hlen = 0;
		int is_head = pst != 1 && ck_heading_at_(s, i, &htext, &hlen);
		int dashes = ck_is_dashes_(t, n);
		/* continuation of a field? */
		if (cur != F_NONE && pst != 1 && !is_head && !dashes && fb.len < MAX_FIELD) {
			int cont = 0;
			switch (cur) {
			case F_SUBJECT:
				cont = !subject_upper || !has_lower(t, n);
				if (starts_ci(t, n, "SUMMARY") || starts_ci(t, n, "BEGIN SUMMARY"))
					cont = 0;
				break;
			case F_REF:
			case F_TAGS:
				cont = 1;
				if (cur == F_TAGS && (has_lower(t, n) || memchr(t, ':', (size_t)n)))
					cont = 0;
				if (cur == F_REF && (starts_ci(t, n, "SUMMARY") || n > 200))
					cont = 0;
				if (cur == F_REF && cont && !ref_continues(fb.ptr, fb.len, t, n))
					cont = 0;
				break;
			case F_CLASSBY:
				cont = !strstr(fb.ptr ? fb.ptr : "", "1.") || t[0] == '(' || t[0] == '/' ||
				       starts_ci(t, n, "and ") || n < 12;
				break;
			default:
				cont = 0;
			}
			if (cont) {
				if (cur == F_REF && n >= 2 && (unsigned char)t[0] == 0xC2 &&
				    (unsigned char)t[1] == 0xB6) {
					ck_cable_problem(c, "pilcrow", l->no,
							 "removed a pilcrow the renderer put before a REF item");
					t += 2, n -= 2;
				}
				ck_buf_putc(&fb, ' ');
				if (cur == F_TAGS)
					ck_buf_puts(&fb, ck_strip_md_links_(c->arena, t, n));
				else
					ck_buf_put(&fb, t, (size_t)n);
				continue;
			}
		}
		FLUSH_FIELD();
		if (dashes) {
			continue;
		}
		if (is_head && !in_text && !c->subject && i < subject_at)
			continue; /* a boxed block before the SUBJECT (archive boilerplate) */
		if (is_head) {
			ck_para_flush_(s, &pb);
			s->pending_heading = ck_collapse_(c->arena, htext, (size_t)hlen);
			in_text = 1;
			continue;
		}
		/* stray SIPDIS: alone on a line inside the text, or glued to the
		 * start of a continued line */
		if (in_text && n == 6 && starts(t, n, "SIPDIS")) {
			l->kind = L_DROPPED;
			ck_cable_problem(c, "stray-caption", l->no, "removed stray \"SIPDIS\" line inside the text");
			continue;
		}
		if (in_text && pb.active && n > 7 && starts(t, n, "SIPDIS ") && !l->blank_before) {
			t += 7;
			n -= 7;
			l->s = (char *)t;
			l->len = n;
			ck_cable_problem(c, "stray-caption", l->no, "removed stray \"SIPDIS\" at the start of a line");
		}
		if (!in_text && ck_caption_line_(s, t, n, 1)) {
			continue;
		}
		if (pst == -1) {
			/* pilcrow damage: ¶ before a year or a list letter */
			ck_cable_problem(c, "pilcrow", l->no,
					 "removed a pilcrow the renderer put before \"%.*s\"", n - 2 > 20 ? 20 : n - 2, t + 2);
			l->s = (char *)t + 2;
			l->len = n - 2;
			while (l->len && l->s[0] == ' ')
				l->s++, l->len--;
			t = l->s;
			n = l->len;
			pst = 0;
		}
		if (!in_text && !c->subject && pst != 1 && i < subject_at) {
			/* before the SUBJECT: addressing lines, boilerplate */
			leading_captions(s, t, n);
			continue;
		}
		if (!in_text && !c->subject && pst != 1 && n < 100 &&
		    (!has_lower(t, n) || strstr(t, " for ") || strstr(t, " FOR ") || starts_ci(t, n, "PASS"))) {
			/* an addressing line before the fields: "DEPT FOR WHA/BSC";
			 * captions may be glued to its end ("... LEGAT SENSITIVE SIPDIS") */
			int e = n;
			for (;;) {
				int w = e;
				while (w > 0 && t[w - 1] == ' ')
					w--;
				int we = w;
				while (w > 0 && t[w - 1] != ' ')
					w--;
				if (w == we || w == 0 || !ck_caption_line_(s, t + w, we - w, 0))
					break;
				static const char *const glued[] = {"SENSITIVE", "SIPDIS", "NOFORN", "EXDIS", "NODIS", "LIMDIS"};
				int ok = 0;
				for (size_t k = 0; k < sizeof glued / sizeof *glued; k++)
					if (eq_word(t + w, we - w, glued[k]))
						ok = 1;
				if (!ok)
					break;
				e = w;
			}
			if (e < n)
				ck_caption_line_(s, t + e, n - e, 1);
			leading_captions(s, t, n);
			continue;
		}
		in_text = 1;
		if (pst == 1) {
			s->paras_numbered_seen = 1;
			ck_para_flush_(s, &pb);
			pb.active = 1;
			pb.n = ps.n;
			pb.mark = ps.mark ? ck_arena_strndup(c->arena, ps.mark, (size_t)ps.mlen) : NULL;
			pb.heading = s->pending_heading;
			s->pending_heading = NULL;
			pb.line = l->no;
			int *pl = ck_vec_push_(c->arena, &plines);
			if (pl)
				*pl = l->no;
			if (ps.nodot)
				ck_cable_problem(c, "paragraph-number", l->no,
						 "paragraph number %d lacks its dot (\"%d (\")", ps.n, ps.n);
			ck_para_add_(&pb, t + ps.text, n - ps.text, 0);
			/* "1. (C) Classified By: ..." inside the first paragraph */
			if (!c->has_classified_by && starts_ci(t + ps.text, n - ps.text, "Classified By")) {
				int fo;
				if (ck_field_label_(t + ps.text, n - ps.text, &fo) == F_CLASSBY) {
					char *cb = ck_arena_strndup(c->arena, t + ps.text + fo, (size_t)(n - ps.text - fo));
					/* it may go on over the next lines of the paragraph */
					for (int j = i + 1; j < s->n && s->L[j].kind == L_TEXT && j < i + 4; j++) {
						int jn;
						const char *jt = ltrim(&s->L[j], &jn);
						struct pstart jp;
						if (strstr(cb, "1.") || ck_para_start_(jt, jn, s->L[j].blank_before, &jp) == 1)
							break;
						cb = ck_arena_printf(c->arena, "%s %.*s", cb, jn, jt);
					}
					ck_parse_classified_by_(c, cb);
				}
			}
			continue;
		}
		/* plain text */
		if (pb.active && (!l->blank_before || (numbered && pb.n))) {
			ck_para_add_(&pb, t, n, l->blank_before);
			continue;
		}
		ck_para_flush_(s, &pb);
		pb.active = 1;
		pb.n = 0;
		pb.mark = NULL;
		pb.heading = s->pending_heading;
		s->pending_heading = NULL;
		pb.line = l->no;
		int *pl = ck_vec_push_(c->arena, &plines);
		if (pl)
			*pl = l->no;
		ck_para_add_(&pb, t, n, 0);
	}
	FLUSH_FIELD();
	ck_para_flush_(s, &pb);
	ck_buf_free(&pb.text);
	ck_buf_free(&fb);
#undef FLUSH_FIELD

	c->paras = s->paras.v;
	c->nparas = s->paras.n;
	if (plines.n >= s->paras.n)
		ck_check_numbers_(s, plines.v);
}
