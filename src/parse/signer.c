/*
 * signer.c - the end of the text: trailer lines ("NNNN", "End Cable Text",
 * a footer, a redaction alone) dropped, and the signer found: a name alone
 * on the last line, or glued to the last sentence ("... recognition. BORG").
 */
#include "parse/parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_signer_line(const char *t, int n)
{
	if (n < 2 || n > 40 || has_lower(t, n))
		return 0;
	int words = 1, letters = 0;
	for (int i = 0; i < n; i++) {
		int ch = (unsigned char)t[i];
		if (ch == ' ')
			words++;
		else if (ck_isupper_(ch))
			letters++;
		else if (ch != '.' && ch != '\'' && ch != '-' && ch != ',')
			return 0;
	}
	if (words > 3 || letters < 2)
		return 0;
	const char *lv;
	if (ck_read_level_(t, n, &lv) == n)
		return 0;
	static const char *const not_names[] = {"SIPDIS", "NOFORN", "END", "BT", "NNNN", "SENSITIVE",
						"END COMMENT", "END SUMMARY", "END NOTE", "COMMENT",
						"SUMMARY", "UNQUOTE", "END TEXT", "QUOTE"};
	for (size_t i = 0; i < sizeof not_names / sizeof *not_names; i++)
		if (eq_word(t, n, not_names[i]))
			return 0;
	return 1;
}

/* Lines at the very end that are not text: "NNNN", "End Cable Text",
 * a classification footer, a redaction alone, ">" */
int ck_is_trailer_(const char *t, int n)
{
	if (!n)
		return 1;
	int letters = 0, xs = 0;
	for (int i = 0; i < n; i++) {
		if (ck_isalpha_((unsigned char)t[i]))
			letters++;
		if (t[i] == 'X')
			xs++;
	}
	if (!letters)
		return 1;
	if (xs == letters && xs >= 4)
		return 1;
	if ((n == 4 && starts(t, n, "NNNN")) || (n == 2 && starts(t, n, "BT")) ||
	    starts_ci(t, n, "End Cable Text") || starts(t, n, "@@@") ||
	    /* PlusD's raw-content trailer: "*** Current Classification *** SECRET" */
	    (starts(t, n, "***") && n > 6 && memmem(t + 3, (size_t)n - 3, "***", 3)) ||
	    (n > 12 && (starts(t, n, "====") || starts(t, n, "----")) && strstr(t, "CABLE ENDS")))
		return 1;
	/* the DTG repeated after the text: "051200Z DEC 04" */
	char iso[32];
	int y;
	if (n <= 20 && ck_isdigit_((unsigned char)t[0]) && !ck_dtg_iso_(t, iso, sizeof iso, &y))
		return 1;
	/* an archive's footer: "2004VATICA03196 - Classification: CONFIDENTIAL" */
	if (n > 16 && ck_isdigit_((unsigned char)t[0]) && strstr(t, " - Clas"))
		return 1;
	/* notes and stamps added after the text: "NOTE BY OC/T: ...",
	 * "DECLASSIFIED ...", "Declassified/Released US Department of State" */
	if (starts_ci(t, n, "NOTE BY OC/T") || starts_ci(t, n, "NOTE BY OCT") ||
	    starts_ci(t, n, "DECLASSIFIED") || starts_ci(t, n, "Declassified/Released") ||
	    starts(t, n, "ADP000") || starts_ci(t, n, "NARA"))
		return 1;
	const char *lv;
	int k = ck_read_level_(t, n, &lv);
	if (k) {
		/* "SECRET//FGI//NOFORN", " CONFIDENTIAL" */
		for (int i = k; i < n; i++)
			if (!(ck_isupper_((unsigned char)t[i]) || t[i] == '/' || t[i] == ' '))
				return 0;
		return 1;
	}
	return 0;
}

/* a name alone: "BORG", "MCDONALD", "Susman", "RICE, ACTING" is not */
static int is_name_line(const char *t, int n, int mixed_text)
{
	if (is_signer_line(t, n))
		return 1;
	if (!mixed_text || n > 30 || n < 3)
		return 0;
	/* "Susman", "White", "Van Voorst" */
	int words = 0;
	for (int i = 0; i < n;) {
		if (!ck_isupper_((unsigned char)t[i]))
			return 0;
		int j = i + 1;
		while (j < n && (ck_isalpha_((unsigned char)t[j]) || t[j] == '\'' || t[j] == '-'))
			j++;
		words++;
		if (j < n && t[j] != ' ')
			return 0;
		while (j < n && t[j] == ' ')
			j++;
		i = j;
	}
	return words >= 1 && words <= 2;
}

/* A header block repeated after the body, ending at line i: FM or a DTG
 * among addressee and classification lines.  Drops it (recorded) and
 * returns the line before it; else returns i. */
static int repeated_header(struct parser *s, int from, int i)
{
	int k = i, fm = 0, top = -1;
	for (; k >= from; k--) {
		struct line *l = &s->L[k];
		if (l->kind == L_BLANK || l->kind == L_DROPPED)
			continue;
		int n;
		const char *t = ltrim(l, &n);
		struct banner b;
		int is_fm = starts(t, n, "FM ") || ck_looks_fl5_(t, n);
		if (!(is_fm || starts(t, n, "TO ") || starts(t, n, "INFO ") || starts(t, n, "XMT ") ||
		      starts(t, n, "VZCZC") || starts(t, n, "ZNY ") || starts(t, n, "ZNR ") ||
		      (starts(t, n, "DE R") && n > 8) ||
		      /* a classification line ends in its serial */
		      (n && ck_isdigit_((unsigned char)t[n - 1]) &&
		       (ck_is_banner_(t, n, &b) || ck_glued_banner_at_(t, n) > 0)) ||
		      (ck_looks_like_addr_(t, n) && memchr(t, '/', (size_t)n) && !has_lower(t, n))))
			break;
		fm |= is_fm;
		top = k;
	}
	if (!fm || top <= from)
		return i;
	for (int d = top; d <= i; d++)
		s->L[d].kind = L_DROPPED;
	ck_cable_problem(s->c, "repeated-header", s->L[top].no,
			 "removed a copy of the transmission header after the text");
	return top - 1;
}

/* Find the signer at the end of the text: a name alone on the last line,
 * or glued to the last sentence ("... upon request. CLINTON").  Trailer
 * lines after it are dropped (each recorded). */
void ck_find_signer_(struct parser *s, int from)
{
	ck_cable *c = s->c;
	int i = s->n - 1;
	int mixed = 0;
	for (int k = from; k < s->n && k < from + 200; k++)
		if (s->L[k].kind == L_TEXT && has_lower(s->L[k].s, s->L[k].len)) {
			mixed = 1;
			break;
		}
	i = repeated_header(s, from, i);
	for (; i >= from; i--) {
		struct line *l = &s->L[i];
		if (l->kind == L_BLANK || l->kind == L_DROPPED)
			continue;
		int n;
		const char *t = ltrim(l, &n);
		if (ck_is_trailer_(t, n)) {
			l->kind = L_DROPPED;
			continue;
		}
		break;
	}
	if (i <= from)
		return;
	struct line *l = &s->L[i];
	int n;
	const char *t = ltrim(l, &n);
	struct pstart ps;
	if ((!l->join || is_signer_line(t, n)) && is_name_line(t, n, mixed) && ck_para_start_(t, n, 1, &ps) != 1) {
		l->join = 0; /* a page header before the signer's line does not join it to the text */
		int nn = n;
		while (nn > 2 && (t[nn - 1] == '.' || t[nn - 1] == ',') && ck_isupper_((unsigned char)t[nn - 2]) &&
		       ck_isupper_((unsigned char)t[nn - 3]))
			nn--; /* "TUTTLE." */
		l->len = (int)(t - l->s) + nn;
		ck_strv_push_(c->arena, &c->signers, &s->signer_cap, ck_collapse_(c->arena, t, (size_t)nn));
		l->kind = L_SIGNER;
		return;
	}
	/* glued: "... recognition. BORG" */
	int w = n;
	while (w && t[w - 1] != ' ')
		w--;
	if (w >= 2 && n - w >= 3 && n - w <= 16 && all_upper_word(t + w, n - w) &&
	    (t[w - 2] == '.' || t[w - 2] == '"') && is_signer_line(t + w, n - w)) {
		ck_strv_push_(c->arena, &c->signers, &s->signer_cap,
			      ck_arena_strndup(c->arena, t + w, (size_t)(n - w)));
		int e = w;
		while (e && t[e - 1] == ' ')
			e--;
		l->s = (char *)t;
		l->len = e;
		ck_cable_problem(c, "signer", l->no, "the signer's name %s was glued to the last sentence",
				 c->signers.v[c->signers.n - 1]);
	}
}
