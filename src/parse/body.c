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


/* Captions that may be glued to the start or the end of an addressing
 * line ("SIPDIS DEPT FOR NEA/MAG", "... LEGAT SENSITIVE SIPDIS"). */
static const char *const glued_captions[] = {"SENSITIVE", "SIPDIS", "NOFORN", "EXDIS", "NODIS", "LIMDIS"};

static int is_glued_caption(const char *w, int n)
{
	for (size_t k = 0; k < sizeof glued_captions / sizeof *glued_captions; k++)
		if (eq_word(w, n, glued_captions[k]))
			return 1;
	return 0;
}

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
	const char *const *glued = glued_captions;
	int i = 0;
	for (;;) {
		int ok = 0;
		for (size_t k = 0; k < sizeof glued_captions / sizeof *glued_captions; k++) {
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

/* Lines after the banner that are searched for the SUBJECT line: the 200
 * lines hold the longest addressing block plus boilerplate seen in the
 * corpus (NARA copies) with room to spare. */
#define SUBJECT_SEARCH_LINES 200
/* A REF "continuation" longer than this is text running on, not a
 * reference list line (corpus REF lines are under 120 bytes). */
#define REF_LINE_MAX 200
/* Addressing lines before the fields ("DEPT FOR WHA/BSC") are short; a
 * line of 100 bytes or more is text. */
#define ADDRESSING_LINE_MAX 100
/* "1. (C) Classified By: ..." may go on over at most 3 more lines of the
 * paragraph (the longest such statement in the corpus takes 3). */
#define CLASSBY_IN_PARA_LINES 4

/* The state of the body pass: the field being read and the paragraph
 * being built. */
struct body {
	enum field cur;      /* field being read, F_NONE between fields */
	ck_buf fb;           /* its text so far */
	int field_line;      /* its first line (for problems) */
	int in_text;         /* past the header fields */
	int subject_upper;   /* the SUBJECT is in upper case */
	int numbered;        /* the cable numbers its paragraphs */
	int sec_repeat;      /* inside a repeated section header */
	int subject_at;      /* the SUBJECT line before the first paragraph, or -1 */
	struct para_b pb;    /* paragraph being built */
	struct vec plines;   /* line of each paragraph (int), for the numbering check */
};

/* The subject as collected, without what ran into it: a "Sensitive but
 * unclassified" handling statement. */
static const char *subject_text(struct parser *s, const char *ft, int lineno)
{
	char *t = ck_collapse_(s->c->arena, ft, strlen(ft));
	if (!t)
		return NULL;
	/* in any case ("SENSITIVE BUT UNCLASSIFIED", "Sensitive But
	 * Unclassified"): the first one written so, else the first in any
	 * case (t is collapsed: it starts with no space, so q > t) */
	static const char runon[] = " Sensitive but unclassified";
	char *q = strstr(t, runon);
	if (!q)
		q = strcasestr(t, runon);
	if (q && q > t) {
		ck_cable_problem(s->c, "subject", lineno,
				 "the subject ran into the handling statement \"%.40s\"; cut there", q + 1);
		*q = 0;
	}
	return t;
}

/* Does a line continue a TAGS list: its words are mostly TAGS codes (or
 * a person tag's parentheses)? */
static int tag_line(const char *t, int n)
{
	int words = 0, codes = 0;
	for (int i = 0; i < n;) {
		while (i < n && (t[i] == ' ' || t[i] == ',' || t[i] == ';'))
			i++;
		if (i >= n)
			break;
		if (t[i] == '(' || t[i] == '[')
			return 1; /* "(RICE, CONDOLEEZZA)", "[PREL](#)" */
		int st = i;
		while (i < n && t[i] != ' ' && t[i] != ',' && t[i] != ';')
			i++;
		char w[16];
		int wl = i - st;
		words++;
		if (wl < (int)sizeof w) {
			memcpy(w, t + st, (size_t)wl);
			w[wl] = 0;
			const char *pp[8];
			if (ck_tag_meaning(w, NULL) || (wl >= 6 && ck_tag_split(w, pp, 8) >= 2))
				codes++;
		}
	}
	return words && codes * 2 >= words;
}

/* The field read so far goes into the cable; no field is current after. */
static void field_flush(struct parser *s, struct body *b)
{
	if (b->cur == F_NONE)
		return;
	ck_cable *c = s->c;
	const char *ft = b->fb.ptr ? b->fb.ptr : "";
	switch (b->cur) {
	case F_SUBJECT:
		if (!c->subject) {
			while (*ft == ':' || *ft == ' ')
				ft++;
			c->subject = subject_text(s, ft, b->field_line);
		}
		break;
	case F_REF: {
		/* the header is read: FM, TO and the classification line say
		 * whose telegrams DEPTEL, EMBTEL, YOURTEL and MYTEL are */
		struct banner bn;
		struct ck_ref_ctx x;
		int bl = 0;
		const char *bt = s->banner >= 0 ? ltrim(&s->L[s->banner], &bl) : NULL;
		int known = bt && ck_is_banner_(bt, bl, &bn) && bn.post;
		ck_ref_ctx_init_(&x, c, s->year, known ? bn.post : NULL, known ? (size_t)bn.post_len : 0);
		ck_parse_refs_(c, &s->refs_cap, ft, &x, b->field_line);
		break;
	}
	case F_CLASSBY:
		if (!c->has_classified_by)
			ck_parse_classified_by_(c, ft);
		break;
	case F_TAGS:
		ck_parse_tags_(c, ft);
		break;
	case F_DECL:
		if (!c->has_decl)
			ck_parse_decl_(c, ft, b->field_line);
		break;
	default:
		break;
	}
	b->cur = F_NONE;
	ck_buf_clear(&b->fb);
}

/* Before the loop: where the SUBJECT line is (when it comes before the
 * first paragraph: what stands before it, addressing lines and archive
 * boilerplate, is not text), and whether the cable numbers paragraphs. */
static void body_prescan(struct parser *s, struct body *b)
{
	b->subject_at = -1;
	for (int i = s->text_from; i < s->n && i < s->text_from + SUBJECT_SEARCH_LINES; i++) {
		if (s->L[i].kind != L_TEXT)
			continue;
		if (line_para_start(&s->L[i], NULL) == 1)
			break;
		if (s->L[i].field == F_SUBJECT) {
			b->subject_at = i;
			break;
		}
	}
	for (int i = s->text_from; i < s->n; i++)
		if (s->L[i].kind == L_TEXT && line_para_start(&s->L[i], NULL) == 1) {
			b->numbered = 1;
			break;
		}
}

/* Inside a repeated section header (after the banner of section 2 ...):
 * is line l one of its repeated lines (captions, fields, FM/TO, the last
 * subject line)?  Drops it and returns 1; else ends the repeated header. */
static int section_repeat_line(struct parser *s, struct body *b, struct line *l, const char *t, int n)
{
	ck_cable *c = s->c;
	if (l->caption || l->field != F_NONE || starts(t, n, "FM ") || ck_is_trailer_(t, n) ||
	    starts(t, n, "C O R R E C T E D") || strstr(t, "CORRECTED COPY") ||
	    (!has_lower(t, n) && (strstr(t, " FOR ") || strstr(t, "E.O. 1") || strstr(t, " TAGS:"))) ||
	    starts(t, n, "TO ") || (n < 80 && !has_lower(t, n) && strstr(t, " FOR "))) {
		l->kind = L_DROPPED;
		return 1;
	}
	/* the last subject line repeated on a page header */
	if (c->subject) {
		size_t sl = strlen(c->subject);
		if ((size_t)n <= sl && n > 3 && !memcmp(c->subject + sl - (size_t)n, t, (size_t)n)) {
			l->kind = L_DROPPED;
			return 1;
		}
	}
	b->sec_repeat = 0;
	return 0;
}

/* The field whose label starts line l here, or F_NONE; *off = where its
 * text starts.  Before the text every label counts; in the text, a REF
 * or SUBJECT the cable lacks before the first numbered paragraph (NARA
 * copies put boilerplate first), and a Classified By outside a paragraph
 * (html pages without blank lines put it after the SUBJECT). */
static int field_here(struct parser *s, struct body *b, const struct line *l, int *off)
{
	ck_cable *c = s->c;
	int f = l->field;
	*off = l->field_off;
	if (b->cur == F_SUBJECT && !b->fb.len && f == F_DECL)
		return F_NONE; /* "SUBJECT:" alone, then "E.O. 13382 DESIGNATION OF ...":
				* an order named in the subject, not the E.O. line */
	if (!b->in_text || !c->subject)
		return f;
	if (!s->paras_numbered_seen && (l->blank_before || !b->pb.active) &&
	    ((f == F_REF && !c->nrefs) || (f == F_SUBJECT && !c->subject)))
		return f;
	if (!b->pb.active && f == F_CLASSBY && !c->has_classified_by)
		return f;
	return F_NONE;
}

/* A field label on line l: the field starts ("E.O. 12958: DECL: 11/29/10
 * TAGS: PGOV ..." holds two). */
static void field_start(struct parser *s, struct body *b, const struct line *l, const char *t, int n, int f,
			int off)
{
	ck_cable *c = s->c;
	field_flush(s, b);
	b->field_line = l->no;
	if (f == F_DECL) {
		const char *tg = NULL;
		for (int k = 1; k + 5 < n; k++)
			if (t[k - 1] == ' ' && starts(t + k, n - k, "TAGS")) {
				tg = t + k;
				break;
			}
		b->cur = F_DECL;
		ck_buf_put(&b->fb, t, tg ? (size_t)(tg - t) : (size_t)n);
		if (tg) {
			field_flush(s, b);
			int to = 4;
			while (to < (int)(t + n - tg) && (tg[to] == ':' || tg[to] == ' '))
				to++;
			b->cur = F_TAGS;
			ck_buf_puts(&b->fb, ck_strip_md_links_(c->arena, tg + to, (int)(t + n - tg) - to));
		}
		field_flush(s, b);
		return;
	}
	b->cur = f;
	if (f == F_TAGS)
		ck_buf_puts(&b->fb, ck_strip_md_links_(c->arena, t + off, n - off));
	else
		ck_buf_put(&b->fb, t + off, (size_t)(n - off));
	if (f == F_SUBJECT)
		b->subject_upper = !has_lower(t + off, n - off);
}

/* The letters at the start of t[0..n). */
static int word_len(const char *t, int n)
{
	int k = 0;
	while (k < n && ck_isalpha_((unsigned char)t[k]))
		k++;
	return k;
}

static int word_char(int c)
{
	return ck_isalpha_(c) || c == '-';
}

/* Is w[0..wn) written as a whole word in a line of the cable?  A hyphen
 * belongs to the word, and the start of a line after a line-end hyphen
 * is no word start. */
static int cable_has_word(const struct parser *s, const char *w, int wn)
{
	for (int i = 0; i < s->n; i++) {
		const char *t = s->L[i].s;
		int n = s->L[i].len, lead = 0;
		while (lead < n && t[lead] == ' ')
			lead++;
		int cont = i > 0 && s->L[i - 1].len && s->L[i - 1].s[s->L[i - 1].len - 1] == '-';
		for (int k = lead; k + wn <= n; k++) {
			if ((k > lead && word_char((unsigned char)t[k - 1])) || (k == lead && cont) ||
			    strncasecmp(t + k, w, (size_t)wn))
				continue;
			if (k + wn == n || !word_char((unsigned char)t[k + wn]))
				return 1;
		}
	}
	return 0;
}

/* "AMBASS-" / "ADOR": a word the teletype broke at the line end - the
 * cable writes the whole word elsewhere, and neither part alone. */
static int broken_word(const struct parser *s, const char *a, int an, const char *t, int n)
{
	char w[64];
	int bn = word_len(t, n);
	if (an + bn >= (int)sizeof w || bn < 2 || an < 2)
		return 0;
	memcpy(w, a, (size_t)an);
	memcpy(w + an, t, (size_t)bn);
	return cable_has_word(s, w, an + bn) && !cable_has_word(s, a, an) && !cable_has_word(s, t, bn);
}

/* Does line t go on with the current field?  Appends it and returns 1. */
static int field_continue(struct parser *s, struct body *b, const struct line *l, const char *t, int n)
{
	int cont;
	switch (b->cur) {
	case F_SUBJECT:
		cont = !b->fb.len || !b->subject_upper || !has_lower(t, n);
		if (!b->fb.len)
			b->subject_upper = !has_lower(t, n);
		if (starts_ci(t, n, "SUMMARY") || starts_ci(t, n, "BEGIN SUMMARY") ||
		    starts_ci(t, n, "SENSITIVE BUT UNCLASSIFIED") || starts_ci(t, n, "SENSITIVE-BUT-UNCLASSIFIED"))
			cont = 0;
		break;
	case F_TAGS:
		/* a TAGS line continues after a trailing comma, or with codes;
		 * an unlabelled subject line is not swallowed */
		cont = !has_lower(t, n) && !memchr(t, ':', (size_t)n) &&
		       ((b->fb.len && b->fb.ptr[b->fb.len - 1] == ',') || tag_line(t, n));
		break;
	case F_REF:
		cont = !starts_ci(t, n, "SUMMARY") && n <= REF_LINE_MAX && ref_continues(b->fb.ptr, b->fb.len, t, n);
		break;
	case F_CLASSBY:
		cont = !strstr(b->fb.ptr ? b->fb.ptr : "", "1.") || t[0] == '(' || t[0] == '/' ||
		       starts_ci(t, n, "and ") || n < 12;
		break;
	default:
		cont = 0;
	}
	if (!cont)
		return 0;
	if (b->cur == F_REF && n >= 2 && (unsigned char)t[0] == 0xC2 && (unsigned char)t[1] == 0xB6) {
		ck_cable_problem(s->c, "pilcrow", l->no, "removed a pilcrow the renderer put before a REF item");
		t += 2, n -= 2;
	}
	/* A hyphen at the line end after letters, the next line starting with
	 * letters: a compound or a word broken by the teletype.  The hyphen
	 * stays and the lines join without a space ("GUINEA-" / "BISSAU",
	 * "PRO-" / "CRASTINATION"), unless the parts are a broken word: the
	 * word they make is written whole elsewhere in the cable and neither
	 * part is ("AMBASS-" / "ADOR" -> AMBASSADOR, reported). */
	int wpart = 0;
	const char *fp = b->fb.ptr;
	if (b->cur == F_SUBJECT && b->fb.len >= 2 && fp[b->fb.len - 1] == '-' && ck_isalpha_((unsigned char)t[0]))
		while (wpart < (int)b->fb.len - 1 && ck_isalpha_((unsigned char)fp[b->fb.len - 2 - (size_t)wpart]))
			wpart++;
	if (wpart && b->fb.len < 512 && broken_word(s, fp + b->fb.len - 1 - wpart, wpart, t, n)) {
		b->fb.len--;
		ck_cable_problem(s->c, "subject", l->no, "word broken at the line end rejoined (\"%.*s-\" / \"%.*s\")",
				 wpart, fp + b->fb.len - wpart, word_len(t, n), t);
	} else if (b->fb.len && !wpart) {
		ck_buf_putc(&b->fb, ' ');
	}
	if (b->cur == F_TAGS)
		ck_buf_puts(&b->fb, ck_strip_md_links_(s->c->arena, t, n));
	else
		ck_buf_put(&b->fb, t, (size_t)n);
	return 1;
}

/* An addressing line before the fields ("DEPT FOR WHA/BSC"), with captions
 * glued to its end ("... LEGAT SENSITIVE SIPDIS") or start. */
static void addressing_line(struct parser *s, const char *t, int n)
{
	int e = n;
	for (;;) {
		int w = e;
		while (w > 0 && t[w - 1] == ' ')
			w--;
		int we = w;
		while (w > 0 && t[w - 1] != ' ')
			w--;
		if (w == we || w == 0 || !ck_caption_line_(t + w, we - w) || !is_glued_caption(t + w, we - w))
			break;
		e = w;
	}
	if (e < n && ck_caption_line_(t + e, n - e))
		ck_caption_add_(s, t + e, n - e);
	leading_captions(s, t, n);
}

/* A new paragraph starts at line l (number, marking and text in ps). */
static void para_begin(struct parser *s, struct body *b, const struct line *l, const struct pstart *ps)
{
	ck_cable *c = s->c;
	ck_para_flush_(s, &b->pb);
	b->pb.active = 1;
	b->pb.n = ps ? ps->n : 0;
	b->pb.mark = ps && ps->mark ? ck_arena_strndup(c->arena, ps->mark, (size_t)ps->mlen) : NULL;
	b->pb.heading = s->pending_heading;
	s->pending_heading = NULL;
	int *pl = ck_vec_push_(c->arena, &b->plines);
	if (pl)
		*pl = l->no;
}

/* "1. (C) Classified By: ..." inside the first paragraph (line i): it may
 * go on over the next lines of the paragraph. */
static void classby_in_para(struct parser *s, int i, const char *t, int n)
{
	ck_cable *c = s->c;
	int fo;
	if (c->has_classified_by || !starts_ci(t, n, "Classified By") || ck_field_label_(t, n, &fo) != F_CLASSBY)
		return;
	char *cb = ck_arena_strndup(c->arena, t + fo, (size_t)(n - fo));
	for (int j = i + 1; j < s->n && s->L[j].kind == L_TEXT && j < i + CLASSBY_IN_PARA_LINES; j++) {
		int jn;
		const char *jt = ltrim(&s->L[j], &jn);
		if (strstr(cb, "1.") || line_para_start(&s->L[j], NULL) == 1)
			break;
		cb = ck_arena_printf(c->arena, "%s %.*s", cb, jn, jt);
	}
	ck_parse_classified_by_(c, cb);
}

/* Stray captions inside the text: "SIPDIS" alone on a line (dropped, 1
 * returned), or glued to the start of a continued line (cut off). */
static int stray_sipdis(struct parser *s, struct body *b, struct line *l, const char **t, int *n)
{
	if (*n == 6 && starts(*t, *n, "SIPDIS")) {
		l->kind = L_DROPPED;
		ck_cable_problem(s->c, "stray-caption", l->no, "removed stray \"SIPDIS\" line inside the text");
		return 1;
	}
	if (b->pb.active && *n > 7 && starts(*t, *n, "SIPDIS ") && !l->blank_before) {
		*t += 7;
		*n -= 7;
		l->s = (char *)*t;
		l->len = *n;
		ck_cable_problem(s->c, "stray-caption", l->no, "removed stray \"SIPDIS\" at the start of a line");
	}
	return 0;
}

/* Pilcrow damage: a ¶ before a year or a list letter goes. */
static void drop_pilcrow(struct parser *s, struct line *l, const char **t, int *n)
{
	ck_cable_problem(s->c, "pilcrow", l->no, "removed a pilcrow the renderer put before \"%.*s\"",
			 *n - 2 > 20 ? 20 : *n - 2, *t + 2);
	l->s = (char *)*t + 2;
	l->len = *n - 2;
	while (l->len && l->s[0] == ' ')
		l->s++, l->len--;
	*t = l->s;
	*n = l->len;
}

/* An unlabelled subject line right after TAGS (line l, not a paragraph,
 * heading or dashes): it starts the SUBJECT (recorded) and 1 is returned. */
static int unlabelled_subject(struct parser *s, struct body *b, const struct line *l, const char *t, int n)
{
	if (s->c->subject || b->subject_at >= 0 || b->in_text || l->caption || n >= 200 || has_lower(t, n) ||
	    t[0] == '(' || (n > 2 && ck_isupper_((unsigned char)t[0]) && (t[1] == '.' || t[1] == ')')))
		return 0;
	b->cur = F_SUBJECT;
	b->field_line = l->no;
	b->subject_upper = 1;
	ck_buf_put(&b->fb, t, (size_t)n);
	ck_cable_problem(s->c, "subject", l->no, "no SUBJECT label: the line after TAGS is read as the subject");
	return 1;
}

/* One text line (not a join, not a banner, not a field label). */
static void body_text_line(struct parser *s, struct body *b, int i)
{
	ck_cable *c = s->c;
	struct line *l = &s->L[i];
	int n;
	const char *t = ltrim(l, &n);
	struct pstart ps;
	int pst = line_para_start(l, &ps);
	/* text without blank lines: "1. ..." right after a field is the
	 * first paragraph, not more of the field */
	if (pst == 0 && b->cur != F_NONE && !s->paras_numbered_seen && l->pst == 1 && l->ps.n == 1)
		pst = 1;
	const char *htext = NULL;
	int hlen = 0;
	int is_head = pst != 1 && ck_heading_at_(s, i, &htext, &hlen);
	int dashes = ck_is_dashes_(t, n);
	if (b->cur != F_NONE && pst != 1 && !is_head && !dashes && b->fb.len < MAX_FIELD &&
	    field_continue(s, b, l, t, n))
		return;
	int after_tags = b->cur == F_TAGS;
	field_flush(s, b);
	if (after_tags && pst != 1 && !is_head && !dashes && unlabelled_subject(s, b, l, t, n))
		return;
	if (dashes)
		return;
	if (is_head && !b->in_text && !c->subject && i < b->subject_at)
		return; /* a boxed block before the SUBJECT (archive boilerplate) */
	if (is_head) {
		ck_para_flush_(s, &b->pb);
		s->pending_heading = ck_collapse_(c->arena, htext, (size_t)hlen);
		b->in_text = 1;
		return;
	}
	if (b->in_text && stray_sipdis(s, b, l, &t, &n))
		return;
	if (!b->in_text && l->caption) {
		ck_caption_add_(s, t, n);
		return;
	}
	if (pst == -1) {
		drop_pilcrow(s, l, &t, &n);
		pst = 0;
	}
	if (!b->in_text && !c->subject && pst != 1 && i < b->subject_at) {
		/* before the SUBJECT: addressing lines, boilerplate */
		leading_captions(s, t, n);
		return;
	}
	if (!b->in_text && !c->subject && pst != 1 && n < ADDRESSING_LINE_MAX &&
	    (!has_lower(t, n) || strstr(t, " for ") || strstr(t, " FOR ") || starts_ci(t, n, "PASS"))) {
		addressing_line(s, t, n);
		return;
	}
	b->in_text = 1;
	if (pst == 1) {
		s->paras_numbered_seen = 1;
		para_begin(s, b, l, &ps);
		if (ps.nodot)
			ck_cable_problem(c, "paragraph-number", l->no, "paragraph number %d lacks its dot (\"%d (\")",
					 ps.n, ps.n);
		ck_para_add_(&b->pb, t + ps.text, n - ps.text, 0);
		classby_in_para(s, i, t + ps.text, n - ps.text);
		return;
	}
	/* plain text */
	if (b->pb.active && (!l->blank_before || (b->numbered && b->pb.n))) {
		ck_para_add_(&b->pb, t, n, l->blank_before);
		return;
	}
	para_begin(s, b, l, NULL);
	ck_para_add_(&b->pb, t, n, 0);
}

void ck_parse_body_(struct parser *s)
{
	ck_cable *c = s->c;
	struct body b = {.cur = F_NONE, .fb = CK_BUF_INIT, .pb = {CK_BUF_INIT, 0, 0, NULL, NULL},
			 .plines = {NULL, 0, 0, sizeof(int)}};
	body_prescan(s, &b);
	for (int i = s->text_from; i < s->n; i++) {
		struct line *l = &s->L[i];
		if (l->kind == L_DROPPED || l->kind == L_SIGNER)
			continue;
		if (l->kind == L_BLANK) {
			if (b.cur == F_REF && ref_label_follows(s, i))
				continue;
			if (b.cur == F_SUBJECT && !b.fb.len)
				continue; /* "SUBJECT:" alone: its text follows */
			if (b.cur != F_NONE && !(b.cur == F_CLASSBY && b.fb.len && !strstr(b.fb.ptr, "1.")))
				field_flush(s, &b);
			continue;
		}
		int n;
		const char *t = ltrim(l, &n);
		/* joined continuation after a page header */
		if (l->join) {
			if (b.cur != F_NONE) {
				ck_buf_putc(&b.fb, ' ');
				ck_buf_put(&b.fb, t, (size_t)n);
			} else if (b.pb.active) {
				ck_para_add_(&b.pb, t, n, 0);
			}
			continue;
		}
		/* a repeated section banner (multi-section cables): drop it and the
		 * repeated header fields after it */
		struct banner bn;
		if (ck_is_banner_(t, n, &bn)) {
			field_flush(s, &b);
			l->kind = L_DROPPED;
			if (bn.section > 1 || b.in_text)
				b.sec_repeat = 1;
			ck_cable_problem(c, "section-header", l->no,
					 "removed repeated classification line of section %d", bn.section);
			continue;
		}
		if (b.sec_repeat) {
			if (section_repeat_line(s, &b, l, t, n))
				continue;
			if (b.pb.active) {
				l->join = 1;
				ck_para_add_(&b.pb, t, n, 0);
				continue;
			}
		}
		int off;
		int f = field_here(s, &b, l, &off);
		if (!b.in_text && f == F_NONE && b.cur == F_NONE && l->caption) {
			ck_caption_add_(s, t, n);
			continue;
		}
		if (f != F_NONE) {
			field_start(s, &b, l, t, n, f, off);
			continue;
		}
		body_text_line(s, &b, i);
	}
	field_flush(s, &b);
	ck_para_flush_(s, &b.pb);
	ck_buf_free(&b.pb.text);
	ck_buf_free(&b.fb);
	c->paras = s->paras.v;
	c->nparas = s->paras.n;
	if (b.plines.n >= s->paras.n)
		ck_check_numbers_(s, b.plines.v);
}
