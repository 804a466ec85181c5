/*
 * lines.c - the text as lines, and the rendering damage that breaks lines.
 *
 * ck_split_lines_() splits the decoded buffer once (right-trimmed, blank
 * lines marked).  Then, before any field is read: quotes doubled by a CSV
 * export are undone and tabs made spaces; header fields that lost their
 * line breaks ("SUBJECT: X REF: A. STATE 1 ...") are split before each
 * label; long lines that lost their breaks are split before each
 * paragraph start.  Every change is a problem entry.
 */
#include "parse/parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- lines ------------------------------------------------------------ */

int ck_split_lines_(struct parser *s, char *buf, size_t len)
{
	size_t n = 1;
	for (const char *q = buf, *e = buf + len; (q = memchr(q, '\n', (size_t)(e - q))) != NULL; q++)
		n++;
	s->L = ck_arena_alloc(s->c->arena, n * sizeof *s->L);
	if (!s->L)
		return CK_ENOMEM;
	s->text = buf;
	s->text_len = len;
	char *p = buf, *end = buf + len;
	int k = 0;
	int blank = 0;
	while (p <= end && k < (int)n) {
		char *e = memchr(p, '\n', (size_t)(end - p));
		if (!e)
			e = end;
		char *t = e;
		while (t > p && (ck_isspace_((unsigned char)t[-1])))
			t--;
		/* trailing no-break spaces */
		while (t - p >= 2 && (unsigned char)t[-2] == 0xC2 && (unsigned char)t[-1] == 0xA0) {
			t -= 2;
			while (t > p && ck_isspace_((unsigned char)t[-1]))
				t--;
		}
		*t = '\0';
		s->bs_lines += t > p && t[-1] == '\\';
		struct line *l = &s->L[k];
		l->s = p;
		l->len = (int)(t - p);
		l->no = k + 1;
		const char *q = p;
		while (q < t && ck_isspace_((unsigned char)*q))
			q++;
		l->kind = q == t ? L_BLANK : L_TEXT;
		l->blank_before = blank;
		blank = l->kind == L_BLANK;
		k++;
		if (e == end)
			break;
		p = e + 1;
	}
	s->n = k;
	return 0;
}

/* Lines of a leaked database row end in " \\" (the row's escaped
 * newlines): when most lines do, the backslashes go. */
void ck_undo_backslash_ends_(struct parser *s)
{
	int text = 0, bs = 0;
	if (s->bs_lines < 3)
		return;
	for (int i = 0; i < s->n; i++) {
		if (s->L[i].kind == L_BLANK)
			continue;
		text++;
		bs += s->L[i].s[s->L[i].len - 1] == '\\';
	}
	if (bs < 3 || bs * 2 < text)
		return;
	int blank = 0;
	for (int i = 0; i < s->n; i++) {
		struct line *l = &s->L[i];
		if (l->kind != L_BLANK && l->s[l->len - 1] == '\\') {
			l->len--;
			while (l->len && ck_isspace_((unsigned char)l->s[l->len - 1]))
				l->len--;
			l->s[l->len] = '\0'; /* lines end in NUL (the decoded buffer is ours) */
			int k = 0;
			while (k < l->len && ck_isspace_((unsigned char)l->s[k]))
				k++;
			if (k == l->len)
				l->kind = L_BLANK;
		}
		l->blank_before = blank;
		blank = l->kind == L_BLANK;
	}
	ck_cable_problem(s->c, "backslash", 1, "removed the \"\\\" ending %d lines (a leaked database row)", bs);
}

/* Some posts' cables lost their line breaks between header fields:
 * "SUBJECT: X REF: A. STATE 1 LONDON 00004328 001.2 OF 006 Classified
 * By: ...", "CAIRO 000941SIPDISE.O. 12958: DECL: ... TAGS: PTER".  Before
 * the first paragraph, split such lines before each field label (and,
 * in a SUBJECT line, before a page header), so that the field reader
 * sees one field a line. */
static const char *const inline_labels[] = {
	"E.O. 1", "E.O.1", "EO 1", "TAGS:", "TAGS ", "SUBJECT:", "SUBJ:", "REF:", "REFS:", "REFTEL:",
	"REFTELS:", "Ref(s):", "REF(S):", "Classified By:", "Classified by:", "CLASSIFIED BY:", "CLASSIFIED BY ", "SIPDIS",
};

/* Can a label of inline_labels start with the two bytes ch c2?  (Their
 * first two letters: E. EO TA SU SI RE Re CL Cl.)  Asked at every byte of
 * the header lines: most fail at the first. */
static int label_pair(int ch, int c2)
{
	switch (ch) {
	case 'E': return c2 == '.' || c2 == 'O';
	case 'T': return c2 == 'A';
	case 'S': return c2 == 'U' || c2 == 'I';
	case 'R': return c2 == 'E' || c2 == 'e';
	case 'C': return c2 == 'L' || c2 == 'l';
	default: return 0;
	}
}

/* Where a field label of inline_labels starts in t after from (not at 0):
 * after a blank, a non-letter or a capital; "SIPDIS" glued to a serial or
 * between fields; a SUBJECT line does not split before another SUBJECT.
 * -1 when none. */
static int label_split(const char *t, int n, int from, int subject)
{
	/* one pass: only the first letters of the labels can start one */
	for (int at = from > 0 ? from : 1; at < n; at++) {
		int ch = (unsigned char)t[at];
		int c2 = at + 1 < n ? (unsigned char)t[at + 1] : 0;
		if (!label_pair(ch, c2))
			continue;
		for (size_t k = 0; k < sizeof inline_labels / sizeof *inline_labels; k++) {
			const char *lab = inline_labels[k];
			if (lab[0] != ch || lab[1] != c2)
				continue;
			size_t ll = strlen(lab);
			if ((size_t)(n - at) < ll || memcmp(t + at, lab, ll))
				continue;
			int prev = (unsigned char)t[at - 1];
			int ok;
			if (!strcmp(lab, "SIPDIS"))
				/* a caption glued to a serial, or standing between fields */
				ok = (ck_isdigit_(prev) || prev == ' ') &&
				     (at + 6 == n || t[at + 6] == ' ' || t[at + 6] == 'E') && !subject;
			else if (!strcmp(lab, "TAGS ") || !strcmp(lab, "CLASSIFIED BY ") || !strcmp(lab, "EO 1"))
				ok = prev == ' ';
			else
				ok = prev == ' ' || !ck_isalpha_(prev) || ck_isupper_(prev);
			if (subject && (!strcmp(lab, "SUBJECT:") || !strcmp(lab, "SUBJ:")))
				ok = 0;
			if (ok)
				return at;
		}
	}
	return -1;
}

/* A REF line running into the text: "REF: SECSTATE 102414 We delivered
 * points ..." - a serial, then a capitalised word and a lower-case one.
 * Where the text starts, before best (when best >= 0); else best. */
static int ref_text_split(const char *t, int n, int from, int best)
{
	for (int k = from; k + 6 < n && (best < 0 || k < best); k++) {
		if (t[k] != ' ' || !ck_isdigit_((unsigned char)t[k - 1]) || !ck_isupper_((unsigned char)t[k + 1]))
			continue;
		int w = k + 2;
		while (w < n && ck_islower_((unsigned char)t[w]))
			w++;
		if (w - k - 2 < 1 || w >= n || t[w] != ' ' || w + 1 >= n || !ck_islower_((unsigned char)t[w + 1]))
			continue;
		return k + 1;
	}
	return best;
}

/* A classification line glued to what follows: "CAIRO 000941SIPDIS".
 * Where the rest starts, before best (when best >= 0); else best. */
static int banner_split(const char *t, int n, int from, int best)
{
	const char *lv;
	int i = ck_read_level_(t, n, &lv);
	if (!i || from > i)
		return best;
	for (int k = i; k + 1 < n && (best < 0 || k < best); k++)
		if (ck_isdigit_((unsigned char)t[k]) && ck_isupper_((unsigned char)t[k + 1]) && k >= 3 &&
		    ck_isdigit_((unsigned char)t[k - 1]) && ck_isdigit_((unsigned char)t[k - 2]))
			return k + 1;
	return best;
}

/* A modern page header inside a SUBJECT line ("LONDON 00004328 001.2 OF
 * 006"): 8 digits after a post, the longest run of 1-3 words before them
 * that is a known post, else one word.  Where it starts, before best
 * (when best >= 0); else best. */
static int page_header_split(const char *t, int n, int from, int best)
{
	for (int i = from + 1; i + 12 < n; i++) {
		if (best >= 0 && i >= best)
			break;
		if (t[i - 1] != ' ' || !ck_isdigit_((unsigned char)t[i]))
			continue;
		int d = 0;
		while (i + d < n && ck_isdigit_((unsigned char)t[i + d]))
			d++;
		if (d != 8) {
			i += d;
			continue;
		}
		int cand = -1;
		int ws = i - 1;
		for (int words = 1; words <= 3; words++) {
			while (ws > 0 && t[ws - 1] == ' ')
				ws--;
			int e = ws;
			while (ws > 0 && ck_isupper_((unsigned char)t[ws - 1]))
				ws--;
			if (ws == e || ws < from)
				break;
			char buf[64];
			ck_post_idname(t + ws, (size_t)(i - 1 - ws), buf, sizeof buf);
			if (words == 1 || ck_post_idname_known(buf))
				cand = ws;
		}
		if (cand >= 0 && ck_page_header_len_(t + cand, n - cand))
			return cand;
	}
	return best;
}

/* Where to split line t after from: the first of the splits above; -1 for
 * none. */
static int inline_split_at(const char *t, int n, int from, int subject)
{
	int best = label_split(t, n, from, subject);
	if (starts(t, n, "REF") && !subject)
		best = ref_text_split(t, n, from, best);
	best = banner_split(t, n, from, best);
	return subject ? page_header_split(t, n, from, best) : best;
}

/* the zone of header fields: up to the first paragraph start */
static int field_zone_end(struct parser *s)
{
	for (int i = 0; i < s->n && i < 150; i++) {
		int n;
		const char *t = ltrim(&s->L[i], &n);
		if (n > 3 && (unsigned char)t[0] == 0xC2 && (unsigned char)t[1] == 0xB6)
			return i;
		if (n > 6 && t[0] == '1' && t[1] == '.' && (t[2] == ' ' || t[2] == '(') && s->L[i].blank_before)
			return i;
	}
	return s->n < 150 ? s->n : 150;
}

/* The two line splitters below cut a line into pieces: push_piece adds a
 * copy of line l holding base[0..e) (non-zero when memory ran out: the
 * arena says so, and ck_parse returns CK_ENOMEM), skip_piece moves past the
 * piece and the blanks after it. */
static int push_piece(ck_arena *a, struct vec *v, const struct line *l, const char *base, int e)
{
	struct line *x = ck_vec_push_(a, v);
	if (!x)
		return -1;
	*x = *l;
	x->s = ck_arena_strndup(a, base, (size_t)e);
	x->len = e;
	return x->s ? 0 : -1;
}

static void skip_piece(char **base, int *n, int at)
{
	*base += at;
	*n -= at;
	while (*n && **base == ' ')
		++*base, --*n;
}

void ck_split_inline_fields_(struct parser *s)
{
	int zone = field_zone_end(s);
	int any = 0;
	for (int i = 0; i < zone && !any; i++) {
		int n;
		const char *t = ltrim(&s->L[i], &n);
		if (n >= 12 && inline_split_at(t, n, 1, ck_is_subject_line_(t, n)) > 0)
			any = 1;
	}
	if (!any)
		return;
	struct vec v = {NULL, 0, 0, sizeof(struct line)};
	for (int i = 0; i < s->n; i++) {
		struct line l = s->L[i];
		int n;
		const char *t = ltrim(&l, &n);
		struct line *x;
		if (i < zone && n >= 12) {
			int subj = ck_is_subject_line_(t, n);
			char *base = (char *)t;
			int pieces = 0;
			for (int at; pieces < 64 && (at = inline_split_at(base, n, 1, subj)) > 0; pieces++) {
				int e = at;
				while (e > 0 && base[e - 1] == ' ')
					e--;
				if (push_piece(s->c->arena, &v, &l, base, e))
					return;
				skip_piece(&base, &n, at);
				l.blank_before = 0;
				subj = ck_is_subject_line_(base, n);
			}
			l.s = base;
			l.len = n;
		}
		x = ck_vec_push_(s->c->arena, &v);
		if (!x)
			return;
		*x = l;
	}
	s->L = v.v;
	s->n = (int)v.n;
}



/* Where a long line that lost its line breaks holds another paragraph
 * start (" 4. (C) ") or a dashed heading rule, return the offset to split
 * at (after from), or 0. */
static int long_line_split_at(const char *t, int n, int from)
{
	/* a paragraph start " 4. (C) " is found from its "(" ; a rule from
	 * its first dashes */
	const char *dash = NULL;
	for (const char *q = t + from; q < t + n && (q = memchr(q, '-', (size_t)(t + n - q))) != NULL; q++)
		if (q > t && q[-1] == ' ' && t + n - q >= 5 && !memcmp(q, "-----", 5)) {
			dash = q - 1;
			break;
		}
	int limit = dash ? (int)(dash - t) + 1 : n;
	for (const char *q = t + from; q < t + limit && (q = memchr(q, '(', (size_t)(t + limit - q))) != NULL; q++) {
		int k = (int)(q - t) - 2; /* the "." of "4. (" */
		if (k < 2 || t[k] != '.' || t[k + 1] != ' ')
			continue;
		int i = k;
		while (i > 0 && ck_isdigit_((unsigned char)t[i - 1]) && k - i < 3)
			i--;
		if (i == k || i < 1 || t[i - 1] != ' ' || i < from)
			continue;
		const char *m;
		int ml;
		if (ck_read_marking_(q, n - (int)(q - t), &m, &ml))
			return i;
	}
	if (dash) {
		int at = (int)(dash - t) + 1;
		if (at > from)
			return at;
		/* just after the rule */
		int e = at;
		while (e < n && t[e] == '-')
			e++;
		if (e < n && e > from)
			return e;
	}
	return 0;
}

void ck_split_long_lines_(struct parser *s)
{
	int any = 0;
	for (int i = 0; i < s->n && !any; i++)
		if (s->L[i].len > 300 && long_line_split_at(s->L[i].s, s->L[i].len, 1))
			any = 1;
	if (!any)
		return;
	struct vec v = {NULL, 0, 0, sizeof(struct line)};
	for (int i = 0; i < s->n; i++) {
		struct line l = s->L[i];
		struct line *x;
		if (l.len > 300) {
			char *base = l.s;
			int n = l.len, at, pieces = 0;
			while (pieces < 4096 && (at = long_line_split_at(base, n, 1)) > 0) {
				int e = at;
				while (e > 0 && base[e - 1] == ' ')
					e--;
				if (e > 0) {
					if (push_piece(s->c->arena, &v, &l, base, e))
						return;
					pieces++;
				}
				skip_piece(&base, &n, at);
				l.blank_before = 1;
			}
			l.s = base;
			l.len = n;
		}
		x = ck_vec_push_(s->c->arena, &v);
		if (!x)
			return;
		*x = l;
	}
	s->L = v.v;
	s->n = (int)v.n;
}

/* Quotes doubled by a CSV export that was never undone (AN INTERNAL
 * ""HUMANITARIAN LOBBY""), and tabs: undone / replaced in place, and said. */
/* Does p[0..n) hold a tab or two quotes in a row (what the pass below
 * changes)?  Most lines hold neither, and single quotes are common. */
static int has_tab_or_quote_pair(const char *p, size_t n)
{
	if (memchr(p, '\t', n))
		return 1;
	const char *e = p + n;
	for (const char *q = p; (q = memchr(q, '"', (size_t)(e - q))) != NULL && q + 1 < e; q++)
		if (q[1] == '"')
			return 1;
	return 0;
}

void ck_undo_doubled_quotes_(struct parser *s)
{
	int fixed = 0, first = 0;
	/* the lines are still pieces of the decoded text (split, trimmed,
	 * nothing moved): most texts hold neither, and are passed over once */
	if (!has_tab_or_quote_pair(s->text, s->text_len))
		return;
	for (int i = 0; i < s->n; i++) {
		struct line *l = &s->L[i];
		char *p = l->s;
		int n = l->len, o = 0;
		if (!has_tab_or_quote_pair(p, (size_t)n))
			continue;
		for (int k = 0; k < n; k++) {
			if (p[k] == '"' && k + 1 < n && p[k + 1] == '"') {
				p[o++] = '"';
				k++;
				if (!fixed++)
					first = l->no;
				continue;
			}
			p[o++] = p[k] == '\t' ? ' ' : p[k];
		}
		if (o != n) {
			l->len = o;
			p[o] = '\0';
		}
	}
	if (fixed)
		ck_cable_problem(s->c, "doubled-quotes", first,
				 "%d doubled quote%s (\"\") from an export undone", fixed, fixed == 1 ? "" : "s");
}
