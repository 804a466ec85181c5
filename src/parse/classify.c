/*
 * classify.c - what a body line is: a paragraph start (number, portion
 * marking), a field label (SUBJECT, REF, Classified By, TAGS, E.O.), a line
 * of captions (SIPDIS, NOFORN ...), a heading or its underline.
 */
#include "parse/parser.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- body ------------------------------------------------------------- */

/* sorted in strcmp order: caption_token searches it by halves */
static const char *const caption_words[] = {
	"BY", "CHANNEL", "CHANNELS", "CHEROKEE", "CXBAGHDAD", "DELIVER", "DISSENT", "DISTRIBUTION",
	"EFTO", "EXDIS", "EYES", "FGI", "FOR", "FOUO", "HANDLE", "INTERNET", "LIMDIS", "MED", "MR",
	"NF", "NODIS", "NOFORN", "NOFORN/SIPDIS", "NOT", "ONLY", "ORCON", "PERSONAL", "PROPIN", "REL",
	"ROGER", "SBU", "SENSITIVE", "SIPDIS", "STADIS", "TERREP",
};

enum { TOKEN_NONE, TOKEN_LEVEL, TOKEN_CAPTION };

/* What one word of a would-be caption line is: a caption word, a level
 * standing alone ("SECRET" inside "SECRET//NOFORN"), or neither.  up is
 * the word upper-cased, n its length. */
static int caption_token(const char *up, int n)
{
	size_t lo = 0, hi = sizeof caption_words / sizeof *caption_words;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *w = caption_words[mid];
		int d = (unsigned char)up[0] - (unsigned char)w[0];
		if (!d)
			d = strcmp(up, w);
		if (!d)
			return TOKEN_CAPTION;
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	const char *lv;
	if (ck_read_level_(up, n, &lv) == n)
		return TOKEN_LEVEL;
	return TOKEN_NONE;
}

/* The caption words of t[0..n) (any case) into ws/wl (at most 16);
 * returns how many, or 0 when a word is not a caption.  Every caption and
 * level word is letters only and under 16 bytes: a line is refused at the
 * first other byte of its first word, without reading the rest (the
 * classify pass asks this of every line). */
static int caption_words_of(const char *t, int n, const char *ws[16], int wl[16])
{
	int i = 0, words = 0;
	while (i < n) {
		while (i < n && (t[i] == ' ' || t[i] == '/' || t[i] == ','))
			i++;
		if (i >= n)
			break;
		int st = i;
		char up[16];
		while (i < n && t[i] != ' ' && t[i] != '/' && t[i] != ',') {
			int ch = (unsigned char)t[i];
			if (!ck_isalpha_(ch) || i - st >= (int)sizeof up - 1)
				return 0;
			up[i - st] = (char)ck_toupper_(ch);
			i++;
		}
		up[i - st] = '\0';
		int kind = caption_token(up, i - st);
		if (kind == TOKEN_LEVEL)
			continue; /* the level inside "SECRET//NOFORN" */
		if (kind == TOKEN_NONE || words >= 16)
			return 0;
		ws[words] = t + st;
		wl[words] = i - st;
		words++;
	}
	return words;
}

/* Longest line of captions: "NOFORN SIPDIS EXDIS ..." lines in the corpus
 * are under 60 bytes; 80 is the width of a telegram line. */
#define CAPTION_LINE_MAX 80

/* Is t a line of captions only ("SIPDIS", "NOFORN SIPDIS",
 * "SECRET//FGI//NOFORN//MR", also in mixed case: "Sensitive")? */
int ck_caption_line_(const char *t, int n)
{
	const char *ws[16];
	int wl[16];
	if (n > CAPTION_LINE_MAX)
		return 0;
	return caption_words_of(t, n, ws, wl) > 0;
}

/* Add the captions of a caption line (ck_caption_line_ true) to the
 * caveats: phrases whole ("EYES ONLY"), single captions one by one. */
void ck_caption_add_(struct parser *s, const char *t, int n)
{
	ck_cable *c = s->c;
	const char *ws[16];
	int wl[16];
	if (has_lower(t, n)) {
		char *u = ck_arena_strndup(c->arena, t, (size_t)n);
		if (!u)
			return;
		for (int k = 0; k < n; k++)
			u[k] = (char)ck_toupper_((unsigned char)u[k]);
		t = u;
	}
	int words = caption_words_of(t, n, ws, wl);
	assert(words > 0); /* callers test ck_caption_line_ first */
	static const char *const singles[] = {"SIPDIS", "NOFORN", "SENSITIVE", "EXDIS", "NODIS",
					      "LIMDIS", "STADIS", "EFTO", "ROGER", "CHEROKEE",
					      "FGI", "ORCON", "PROPIN", "TERREP", "DISSENT"};
	int all_single = 1;
	for (int k = 0; k < words; k++) {
		int ok = 0;
		for (size_t j = 0; j < sizeof singles / sizeof *singles; j++)
			if (eq_word(ws[k], wl[k], singles[j]))
				ok = 1;
		if (!ok)
			all_single = 0;
	}
	if (all_single) {
		for (int k = 0; k < words; k++)
			ck_strv_add_unique_(c->arena, &c->caveats, &s->caveat_cap,
					    ck_arena_strndup(c->arena, ws[k], (size_t)wl[k]));
	} else {
		ck_strv_add_unique_(c->arena, &c->caveats, &s->caveat_cap, ck_collapse_(c->arena, t, (size_t)n));
	}
}

/* Portion marking inside "( )" at t: returns bytes consumed incl. parens. */
int ck_read_marking_(const char *t, int n, const char **start, int *len)
{
	if (n < 3 || t[0] != '(')
		return 0;
	int k = 1;
	while (k < n && k < 30 && t[k] != ')')
		k++;
	if (k >= n || t[k] != ')')
		return 0;
	int ml = k - 1;
	const char *m = t + 1;
	while (ml && m[0] == ' ')
		m++, ml--;
	while (ml && m[ml - 1] == ' ')
		ml--;
	if (!ml)
		return 0;
	for (int i = 0; i < ml; i++) {
		int ch = (unsigned char)m[i];
		if (!(ck_isupper_(ch) || ch == '/' || ch == ' ' || ch == '-' || ch == ',' || ch == '.' ||
		      ck_isdigit_(ch)))
			return 0;
	}
	/* the first word must be a level or a known marking */
	int w = 0;
	while (w < ml && ck_isupper_((unsigned char)m[w]))
		w++;
	static const char *const first[] = {"U", "C", "S", "TS", "SBU", "LOU", "FOUO", "NF",
					    "CONFIDENTIAL", "SECRET", "UNCLASSIFIED", "UNCLAS", "SNF", "CNF"};
	int ok = 0;
	for (size_t i = 0; i < sizeof first / sizeof *first; i++)
		if (eq_word(m, w, first[i]))
			ok = 1;
	if (!ok)
		return 0;
	*start = m;
	*len = ml;
	return k + 1;
}


/* Is line t a paragraph start?  0 no; 1 yes; -1 pilcrow damage (the ¶ is
 * to be removed, the line is not a paragraph). */
int ck_para_start_(const char *t, int n, int blank_before, struct pstart *ps)
{
	memset(ps, 0, sizeof *ps);
	int i = 0;
	if (n >= 2 && (unsigned char)t[0] == 0xC2 && (unsigned char)t[1] == 0xB6) {
		ps->pilcrow = 1;
		i = 2;
		while (i < n && t[i] == ' ')
			i++;
	}
	int ds = i;
	long num = 0;
	while (i < n && ck_isdigit_((unsigned char)t[i]) && i - ds < 6)
		num = num * 10 + (t[i] - '0'), i++;
	int digits = i - ds;
	if (!digits) {
		/* "¶B. STATE 109649": a list letter */
		if (ps->pilcrow)
			return -1;
		return 0;
	}
	if (i < n && ck_isdigit_((unsigned char)t[i]))
		return ps->pilcrow ? -1 : 0;
	if (i < n && t[i] == '.') {
		i++;
		if (i < n && ck_isdigit_((unsigned char)t[i])) /* 1.4, 10.5 */
			return ps->pilcrow ? -1 : 0;
	} else if (i + 1 < n && t[i] == ' ' && t[i + 1] == '(') {
		ps->nodot = 1;
	} else if (i < n && t[i] == ')') {
		return ps->pilcrow ? -1 : 0;
	} else if (i == n && ps->pilcrow) {
		return -1;
	} else {
		return ps->pilcrow ? -1 : 0;
	}
	ps->n = (int)num;
	while (i < n && t[i] == ' ')
		i++;
	int ml = ck_read_marking_(t + i, n - i, &ps->mark, &ps->mlen);
	if (ml) {
		i += ml;
		while (i < n && t[i] == ' ')
			i++;
	}
	ps->text = i;
	if (num >= 1900 && num <= 2100)
		return ps->pilcrow ? -1 : 0;
	if (num == 0 || num > 300)
		return ps->pilcrow ? -1 : 0;
	if (ps->nodot && !ml)
		return ps->pilcrow ? -1 : 0;
	if (ps->pilcrow || ml)
		return 1;
	return blank_before ? 1 : 0;
}

/* Labels damaged by scraping or OCR: "UBJECT:", "TAGES:", "TGS:" */
static int damaged_label(const char *t, int n, int *off)
{
	int i;
	if (t[0] == 'U' && (starts(t, n, "UBJECT:") || starts(t, n, "UBJ:"))) {
		i = t[3] == ':' ? 4 : 7;
		skip_sp(t, n, &i);
		*off = i;
		return F_SUBJECT;
	}
	static const char *const dtags[] = {"AGS:", "TAS:", "TABS:", "TGS:", "TAGES:", "TAGS;", "TAG;"};
	if (t[0] != 'A' && t[0] != 'T')
		return F_NONE;
	for (size_t k = 0; k < sizeof dtags / sizeof *dtags; k++)
		if (starts(t, n, dtags[k])) {
			i = (int)strlen(dtags[k]);
			skip_sp(t, n, &i);
			*off = i;
			return F_TAGS;
		}
	return F_NONE;
}

/* Field label at the start of a line; *off = where its text starts. */
int ck_field_label_(const char *t, int n, int *off)
{
	int i;
	if (n <= 0)
		return F_NONE;
	/* each label below starts with one of these letters: most lines of
	 * text are refused here, and a line is tried only on its letter's
	 * labels */
	int c0 = ck_toupper_((unsigned char)t[0]);
	switch (c0) {
	case 'S': case 'C': case 'R': case 'U': case 'A': case 'T': case 'E': case 'D':
		break;
	default:
		return F_NONE;
	}
	if (c0 == 'S' && (starts_ci(t, n, "SUBJECT") || starts_ci(t, n, "SUBJ"))) {
		i = starts_ci(t, n, "SUBJECT") ? 7 : 4;
		skip_sp(t, n, &i);
		if (i < n && (t[i] == ':' || t[i] == '.')) {
			i++;
			skip_sp(t, n, &i);
			*off = i;
			return F_SUBJECT;
		}
		if (starts(t, n, "SUBJECT ") || starts(t, n, "SUBJ ")) {
			*off = i;
			return F_SUBJECT;
		}
		return F_NONE;
	}
	if (c0 == 'C' && (starts_ci(t, n, "CLASSIFIED BY") || starts_ci(t, n, "CLASSIFED BY"))) {
		i = starts_ci(t, n, "CLASSIFIED BY") ? 13 : 12;
		skip_sp(t, n, &i);
		if (i < n && t[i] == ':')
			i++;
		skip_sp(t, n, &i);
		*off = i;
		return F_CLASSBY;
	}
	static const char *const refl[] = {"REFTELS", "REFTEL", "REFS", "REF(S)", "REF", "REFERENCES",
					   "REFERENCE"};
	for (size_t k = 0; c0 == 'R' && k < sizeof refl / sizeof *refl; k++) {
		int rl = (int)strlen(refl[k]);
		if (starts_ci(t, n, refl[k]) && (rl == n || t[rl] == ':' || t[rl] == ' ' || t[rl] == '.')) {
			if (has_lower(t, rl) && !(t[0] == 'R' && rl < n && t[rl] == ':'))
				return F_NONE;
			i = rl;
			skip_sp(t, n, &i);
			if (i < n && (t[i] == ':' || t[i] == '.'))
				i++;
			else if (rl == 3 && i + 1 < n && ck_isupper_((unsigned char)t[i]) && t[i + 1] == ':')
				i = rl + 1; /* "REF A: ..." keeps its label */
			else if (!(i < n && (ck_isupper_((unsigned char)t[i]) || t[i] == '(' ||
					     ck_isdigit_((unsigned char)t[i]))))
				return F_NONE;
			skip_sp(t, n, &i);
			*off = rl == 3 && i == rl + 1 ? rl : i;
			if (rl == 3 && i == rl + 1)
				*off = 4;
			return F_REF;
		}
	}
	int d = damaged_label(t, n, off);
	if (d != F_NONE)
		return d;
	if (c0 == 'T' && (starts(t, n, "TAGS") || starts(t, n, "TAG:") || starts(t, n, "TAG ") ||
	    starts_ci(t, n, "TAGS:") || starts_ci(t, n, "TAGS "))) {
		i = starts_ci(t, n, "TAGS") ? 4 : 3;
		if (i < n && ck_isalpha_((unsigned char)t[i]))
			return F_NONE;
		skip_sp(t, n, &i);
		if (i < n && t[i] == ':')
			i++;
		skip_sp(t, n, &i);
		*off = i;
		return F_TAGS;
	}
	if (starts_ci(t, n, "E.O.") || starts(t, n, "E. O.") || starts(t, n, "EO 1") ||
	    starts(t, n, "EO: ") || starts(t, n, "E.O ") || starts(t, n, "DECL:") ||
	    starts(t, n, "DECL ") || starts(t, n, "E.0.")) {
		*off = 0;
		return F_DECL;
	}
	return F_NONE;
}

/* a heading: a short line followed (after blanks) by dashes, or "#### X" */
int ck_heading_at_(struct parser *s, int i, const char **text, int *tlen)
{
	int n;
	const char *t = ltrim(&s->L[i], &n);
	if (starts(t, n, "#")) {
		int k = 0;
		while (k < n && t[k] == '#')
			k++;
		if (k < n && t[k] == ' ') {
			skip_sp(t, n, &k);
			*text = t + k;
			*tlen = n - k;
			return 1;
		}
	}
	if (n > 120 || ck_is_dashes_(t, n))
		return 0;
	int j = i + 1;
	while (j < s->n && (s->L[j].kind == L_DROPPED || s->L[j].kind == L_BLANK))
		j++;
	char last = n ? t[n - 1] : 0;
	int ends_sentence = last == '.' || last == ',' || last == ';';
	if (j < s->n && s->L[j].kind == L_TEXT && !s->L[j].join) {
		int jn;
		const char *jt = ltrim(&s->L[j], &jn);
		/* the heading's own underline: right below it, or below a blank
		 * line when the heading stands alone ("... and Iraq") */
		if (ck_is_dashes_(jt, jn) && (j == i + 1 || (s->L[i].blank_before && !ends_sentence))) {
			*text = t;
			*tlen = n;
			return 1;
		}
		/* a heading alone between blank lines, before a numbered
		 * paragraph: "INTERNATIONAL CONVENTIONS" */
		if (j > i + 1 && s->L[i].blank_before && !ends_sentence && n <= 100 && !s->L[i].join &&
		    s->L[j].pst == 1 &&
		    (s->L[j].ps.n > 1 || (n <= 40 && (starts_ci(t, n, "summary") || starts_ci(t, n, "begin summary") ||
						       starts_ci(t, n, "introduction") ||
						       starts_ci(t, n, "executive summary"))))) {
			int letters = 0;
			for (int k = 0; k < n; k++)
				letters += ck_isalpha_((unsigned char)t[k]);
			if (letters >= 4) {
				*text = t;
				*tlen = n;
				return 1;
			}
		}
	}
	return 0;
}

/* The classify pass: each text line after the banner gets its paragraph
 * start, field label and caption flag, once; the body pass reads them
 * (line_para_start, l->field, l->caption).  Runs after the repairs and
 * the signer, which change lines; the body pass changes a line only after
 * it has read it. */
void ck_classify_(struct parser *s)
{
	for (int i = s->text_from; i < s->n; i++) {
		struct line *l = &s->L[i];
		if (l->kind != L_TEXT)
			continue;
		int n;
		const char *t = ltrim(l, &n);
		l->pst = (signed char)ck_para_start_(t, n, 1, &l->ps);
		l->field_off = 0;
		l->field = (signed char)ck_field_label_(t, n, &l->field_off);
		l->caption = (unsigned char)ck_caption_line_(t, n);
	}
}
