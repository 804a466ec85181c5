/*
 * banner.c - classification levels and the classification line ("banner"):
 * "C O N F I D E N T I A L SECTION 01 OF 03 ROME 001497".  The banner
 * gives the classification, caveats, sections, and the post and serial of
 * the id (finish.c).
 */
#include "parse/parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- classification levels and banners ------------------------------ */

static const struct {
	const char *squeezed; /* letters of the level, upper case, no spaces */
	const char *level;
} levels[] = {
	{"TOPSECRET", "TOP SECRET"},
	{"UNCLASSIFIED", "UNCLASSIFIED"},
	{"UNCLAS", "UNCLASSIFIED"},
	{"CONFIDENTIAL", "CONFIDENTIAL"},
	{"CONFIDENTAL", "CONFIDENTIAL"},
	{"SECRET", "SECRET"},
	{"SSECRET", "SECRET"},
	{"LIMITEDOFFICIALUSE", "LIMITED OFFICIAL USE"},
};

/* The letter-spaced level at the start of s ("C O N F I D E N T I A L",
 * "SS E C R E T", "S e c r e t"), read as chunks of one letter - or two,
 * a glitch of the rendering ("C O N F I D E N TI A L") - between single
 * spaces.  Returns bytes consumed (0 if none), the level in *level and in
 * *folded whether a chunk of two letters was folded in.  The longest level
 * the chunks spell wins, so a word after it ("... T I A L TO") is not
 * taken. */
static int read_spaced_level(const char *s, int n, const char **level, int *folded)
{
	char sq[24];
	int end[24], two[24];
	int k = 0, i = 0;
	while (i < n && ck_isalpha_((unsigned char)s[i])) {
		int w = 1;
		while (i + w < n && ck_isalpha_((unsigned char)s[i + w]))
			w++;
		if (w > 2 || k + w > 22)
			break; /* a word, not a chunk: "STATE" */
		for (int q = 0; q < w; q++) {
			sq[k] = (char)ck_toupper_((unsigned char)s[i + q]);
			end[k] = i + w;
			two[k++] = w == 2 && q == 0;
		}
		i += w;
		if (i + 1 < n && s[i] == ' ')
			i++;
		else
			break;
	}
	for (int len = k; len >= 3; len--) {
		if (len < k && end[len - 1] == end[len])
			continue; /* inside a chunk */
		for (size_t j = 0; j < sizeof levels / sizeof *levels; j++)
			if ((int)strlen(levels[j].squeezed) == len && !memcmp(sq, levels[j].squeezed, (size_t)len)) {
				int f = 0;
				for (int q = 1; q < len; q++)
					f |= two[q]; /* "SS E C R E T" is a known typo, not a glitch */
				*level = levels[j].level;
				*folded = f;
				return end[len - 1];
			}
	}
	return 0;
}

/* Read a classification level at the start of s: plain ("CONFIDENTIAL"),
 * letter-spaced ("C O N F I D E N T I A L", "SS E C R E T", "S e c r e t").
 * Returns bytes consumed (0 if none) and the level in *level; *folded
 * (may be NULL) says a glitch of the letter-spacing was read through. */
static int read_level(const char *s, int n, const char **level, int *folded)
{
	/* every level starts with C, S, U, T or L */
	if (folded)
		*folded = 0;
	if (n < 3)
		return 0;
	switch (s[0] | 0x20) {
	case 'c': case 's': case 'u': case 't': case 'l':
		break;
	default:
		return 0;
	}
	/* letter-spaced: single letters separated by one space */
	int spaced = n >= 3 && ck_isalpha_((unsigned char)s[0]) &&
		     ((s[1] == ' ' && ck_isalpha_((unsigned char)s[2])) ||
		      (ck_isalpha_((unsigned char)s[1]) && s[2] == ' ' && n > 4 && s[4] == ' '));
	if (spaced) {
		int f, k = read_spaced_level(s, n, level, &f);
		if (k) {
			if (folded)
				*folded = f;
			return k;
		}
	}
	/* plain words */
	static const struct {
		const char *w;
		const char *level;
	} words[] = {
		{"TOP SECRET", "TOP SECRET"}, {"UNCLASSIFIED", "UNCLASSIFIED"},
		{"UNCLAS", "UNCLASSIFIED"}, {"CONFIDENTIAL", "CONFIDENTIAL"},
		{"SECRET", "SECRET"}, {"LIMITED OFFICIAL USE", "LIMITED OFFICIAL USE"},
	};
	for (size_t j = 0; j < sizeof words / sizeof *words; j++) {
		if (s[0] != words[j].w[0])
			continue;
		int wl = (int)strlen(words[j].w);
		if (starts(s, n, words[j].w) && (wl == n || !ck_isalpha_((unsigned char)s[wl]))) {
			*level = words[j].level;
			return wl;
		}
	}
	return 0;
}

int ck_read_level_(const char *s, int n, const char **level)
{
	return read_level(s, n, level, NULL);
}

/* "SECTION 01 OF 03" at s + i (k = where the number starts): fills b,
 * moves i past it */
static void read_section(const char *s, int n, int *i, int k, struct banner *b)
{
	long a, bb;
	skip_sp(s, n, &k);
	if (read_int(s, n, &k, &a)) {
		skip_sp(s, n, &k);
		if (starts(s + k, n - k, "OF ")) {
			k += 3;
			skip_sp(s, n, &k);
			if (read_int(s, n, &k, &bb)) {
				b->section = (int)a;
				b->nsections = (int)bb;
				*i = k;
			}
		}
	}
}

/* Is this line a classification banner: level [caveats] [SECTION n OF m]
 * POST SERIAL ?  Fills b. */
int ck_is_banner_(const char *s, int n, struct banner *b)
{
	memset(b, 0, sizeof *b);
	/* a quote or "\\" of an export row around the line ("\"C O N F I D E N
	 * T I A L ...", "UNCLAS BEIRUT 01725 \\") */
	if (n > 1 && s[0] == '"')
		s++, n--;
	while (n > 1 && (s[n - 1] == '\\' || s[n - 1] == ' ' || s[n - 1] == '"'))
		n--;
	int i = read_level(s, n, &b->level, &b->folded);
	if (!i && !starts(s, n, "ECTION "))
		return 0; /* (a line cut to "ECTION 01 OF 02 MANAMA 000492" has lost its level) */
	if (!i)
		i = -1;
	for (; i >= 0;) {
		skip_sp(s, n, &i);
		/* "//NOFORN", "EFTO", "SENSITIVE", "E F T O" */
		if (i < n && s[i] == '/') {
			while (i < n && s[i] == '/')
				i++;
			continue;
		}
		static const char *const cav[] = {"NOFORN", "SENSITIVE", "EFTO", "E F T O", "SIPDIS",
						  "EXDIS", "NODIS", "LIMDIS", "SBU", "FOUO", "NF"};
		int matched = 0;
		for (size_t j = 0; j < sizeof cav / sizeof *cav; j++) {
			int wl = (int)strlen(cav[j]);
			if (starts(s + i, n - i, cav[j]) && (i + wl == n || s[i + wl] == ' ' || s[i + wl] == '/')) {
				if (b->ncaveats < 4) {
					const char *cv = !strcmp(cav[j], "E F T O") ? "EFTO"
						       : !strcmp(cav[j], "NF") ? "NOFORN" : cav[j];
					snprintf(b->caveats[b->ncaveats++], 16, "%s", cv);
				}
				i += wl;
				matched = 1;
				break;
			}
		}
		if (!matched)
			break;
	}
	if (i < 0)
		i = 1; /* "ECTION": read as "SECTION" from its "E" */
	skip_sp(s, n, &i);
	if (starts(s + i, n - i, "SECTION ") || (i == 1 && !b->level))
		read_section(s, n, &i, i + (b->level ? 8 : 6), b);
	skip_sp(s, n, &i);
	if (!b->level && !b->nsections)
		return 0;
	/* a two-digit year before the post: "C O N F I D E N T I A L 75
	 * LIBREVILLE 1895" (the archive made 7575LIBREVILLE1895 of it) */
	if (i + 3 < n && ck_isdigit_((unsigned char)s[i]) && ck_isdigit_((unsigned char)s[i + 1]) &&
	    s[i + 2] == ' ' && ck_isalpha_((unsigned char)s[i + 3])) {
		b->year = (s[i] - '0') * 10 + (s[i + 1] - '0');
		b->year += b->year < 50 ? 2000 : 1900;
		i += 3;
	}
	/* POST words then the serial, at the end of the line */
	int ps = i;
	while (i < n && (ck_isalpha_((unsigned char)s[i]) || s[i] == ' ' || s[i] == '.' ||
			 s[i] == '-' || s[i] == '\''))
		i++;
	int pe = i;
	while (pe > ps && s[pe - 1] == ' ')
		pe--;
	if (pe == ps || !ck_isalpha_((unsigned char)s[ps]))
		return 0;
	long serial;
	int k = i;
	if (i == pe || !read_int(s, n, &k, &serial))
		return 0; /* "CONFIDENTIAL PTQ1859": a printout code, not post + serial */
	skip_sp(s, n, &k);
	if (k < n && s[k] == '"')
		k++;
	/* tolerate a trailing caveat ("... STATE 012345 NOFORN") */
	if (k < n && !(all_upper_word(s + k, n - k) && n - k <= 12))
		return 0;
	/* the post must be letters of upper case (or the banner lower case) */
	if (has_lower(s + ps, pe - ps) && !has_lower(s, i - (pe - ps)))
		return 0;
	b->post = s + ps;
	b->post_len = pe - ps;
	b->serial = serial;
	return 1;
}

/* The banner glued after other text: "TelegramRestricted by caption.
 * UNCLASSIFIED TRIPOLI 00000641" - the offset of the level, or -1. */
int ck_glued_banner_at_(const char *t, int n)
{
	int e = n;
	while (e > 0 && (t[e - 1] == ' ' || t[e - 1] == '\\' || t[e - 1] == '"'))
		e--;
	if (!e || !ck_isdigit_((unsigned char)t[e - 1])) {
		/* ... or in a caveat after it ("STATE 049854 \"NOFORN") */
		int w = e;
		while (w > 0 && ck_isupper_((unsigned char)t[w - 1]))
			w--;
		while (w > 0 && (t[w - 1] == ' ' || t[w - 1] == '"'))
			w--;
		if (w == e || !w || !ck_isdigit_((unsigned char)t[w - 1]))
			return -1;
	}
	for (int i = 1; i + 6 < n; i++) {
		if ((t[i - 1] != ' ' && t[i - 1] != ',' && t[i - 1] != '"') || !ck_isupper_((unsigned char)t[i]))
			continue;
		struct banner b;
		if (ck_is_banner_(t + i, n - i, &b))
			return i;
	}
	return -1;
}

/* A line holding only a classification level (page footer/header). */
int ck_is_level_only_(const char *s, int n)
{
	const char *lv;
	int i = ck_read_level_(s, n, &lv);
	if (!i)
		return 0;
	while (i < n && s[i] == ' ')
		i++;
	return i == n;
}
