/*
 * parse.c - the telegram parser: text -> struct ck_cable.
 *
 * The parser reads lines, then fields (DESIGN.md).  The text is decoded
 * and split into lines once; the transmission header (FL1-FL8, FM/TO/INFO)
 * is read up to the classification line; then a repair pass removes page
 * headers (rejoining what they split), page footers and printout junk, and
 * undoes pilcrow damage, each repair recorded as a problem; then a small
 * state machine reads the body fields (captions, E.O., TAGS, SUBJECT, REF,
 * Classified By) and the paragraphs, headings and signers.  Nothing is
 * silently changed: every repair is a `problems` entry.
 */
#include "parse/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ck_cable *ck_cable_new_(void);

/* Limits that keep hostile input bounded. */
#define MAX_ADDRS 20000
#define MAX_FIELD 65536 /* bytes of one header field (subject, ref ...) */

struct st {
	ck_cable *c;
	struct line *L;
	int n;          /* lines */
	int body;       /* first body line (the banner, when there is one) */
	int banner;     /* index of the banner line or -1 */
	int year;       /* the cable's year (for references), 0 unknown */
	int year_hint;  /* year given by the caller (--year, page metadata) */
	int partial;    /* "partial extract" page */
	/* banner */
	const char *level;   /* "CONFIDENTIAL" ... */
	char post[64];       /* id post name from the banner */
	long serial;
	int section, nsections;
	size_t caveat_cap, relay_cap, signer_cap, alias_cap;
	struct vec to, info, xmt, paras;
	const char *pending_heading;
	int sipdis_stray;
	int paras_numbered_seen; /* a numbered paragraph has begun */
};

/* ---- lines ------------------------------------------------------------ */

static int split_lines(struct st *s, char *buf, size_t len)
{
	size_t n = 1;
	for (const char *q = buf, *e = buf + len; (q = memchr(q, '\n', (size_t)(e - q))) != NULL; q++)
		n++;
	s->L = ck_arena_alloc(s->c->arena, n * sizeof *s->L);
	if (!s->L)
		return CK_ENOMEM;
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

/* left-trimmed view of a line */
static const char *ltrim(const struct line *l, int *len)
{
	const char *p = l->s;
	int n = l->len;
	while (n && ck_isspace_((unsigned char)*p))
		p++, n--;
	if (len)
		*len = n;
	return p;
}

static int starts(const char *s, int n, const char *w)
{
	int i = 0;
	for (; w[i]; i++)
		if (i >= n || s[i] != w[i])
			return 0;
	return 1;
}

/* t[0..n) is exactly the word w (no strlen: stops at the first mismatch) */
static int eq_word(const char *t, int n, const char *w)
{
	for (int i = 0; i < n; i++)
		if (t[i] != w[i])
			return 0;
	return w[n] == '\0';
}

static int starts_ci(const char *s, int n, const char *w)
{
	return ck_prefix_ci_(s, (size_t)n, w);
}

static int all_upper_word(const char *s, int n)
{
	if (n <= 0)
		return 0;
	for (int i = 0; i < n; i++)
		if (!ck_isupper_((unsigned char)s[i]))
			return 0;
	return 1;
}

static int has_lower(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (ck_islower_((unsigned char)s[i]))
			return 1;
	return 0;
}

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

/* Read a classification level at the start of s: plain ("CONFIDENTIAL"),
 * letter-spaced ("C O N F I D E N T I A L", "SS E C R E T", "S e c r e t").
 * Returns bytes consumed (0 if none) and the level in *level. */
static int read_level(const char *s, int n, const char **level)
{
	/* every level starts with C, S, U, T or L */
	if (n < 3)
		return 0;
	switch (s[0] | 0x20) {
	case 'c': case 's': case 'u': case 't': case 'l':
		break;
	default:
		return 0;
	}
	char sq[24];
	int k = 0, i = 0, last_end = 0;
	/* letter-spaced: single letters separated by one space */
	int spaced = n >= 3 && ck_isalpha_((unsigned char)s[0]) &&
		     ((s[1] == ' ' && ck_isalpha_((unsigned char)s[2])) ||
		      (ck_isalpha_((unsigned char)s[1]) && s[2] == ' ' && n > 4 && s[4] == ' '));
	if (spaced) {
		while (i < n && k < 22) {
			if (ck_isalpha_((unsigned char)s[i])) {
				sq[k++] = (char)ck_toupper_((unsigned char)s[i]);
				i++;
				last_end = i;
				if (i < n && s[i] == ' ' && i + 2 <= n &&
				    ck_isalpha_((unsigned char)s[i + 1]) &&
				    (i + 2 == n || !ck_isalpha_((unsigned char)s[i + 2]) ||
				     (i + 2 < n && s[i + 2] == ' ')))
					i++;
				else if (i < n && ck_isalpha_((unsigned char)s[i]) && k == 1)
					continue; /* "SS E C R E T" */
				else
					break;
			} else {
				break;
			}
		}
		sq[k] = 0;
		for (size_t j = 0; j < sizeof levels / sizeof *levels; j++)
			if (!strcmp(sq, levels[j].squeezed)) {
				*level = levels[j].level;
				return last_end;
			}
		/* "U N C L A S S I F I E D" -> also matched above; else fall through */
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
		int wl = (int)strlen(words[j].w);
		if (starts(s, n, words[j].w) && (wl == n || !ck_isalpha_((unsigned char)s[wl]))) {
			*level = words[j].level;
			return wl;
		}
	}
	return 0;
}

struct banner {
	const char *level;
	int section, nsections;
	const char *post; /* start of the post words */
	int post_len;
	long serial;
	char caveats[4][16];
	int ncaveats;
};

static int read_int(const char *s, int n, int *i, long *v)
{
	int k = *i;
	long x = 0;
	int d = 0;
	while (k < n && ck_isdigit_((unsigned char)s[k]) && d < 9) {
		x = x * 10 + (s[k] - '0');
		k++, d++;
	}
	if (!d || (k < n && ck_isdigit_((unsigned char)s[k])))
		return 0;
	*i = k;
	*v = x;
	return d;
}

static void skip_sp(const char *s, int n, int *i)
{
	while (*i < n && s[*i] == ' ')
		(*i)++;
}

/* Is this line a classification banner: level [caveats] [SECTION n OF m]
 * POST SERIAL ?  Fills b. */
static int is_banner(const char *s, int n, struct banner *b)
{
	memset(b, 0, sizeof *b);
	int i = read_level(s, n, &b->level);
	if (!i)
		return 0;
	for (;;) {
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
	skip_sp(s, n, &i);
	if (starts(s + i, n - i, "SECTION ")) {
		int k = i + 8;
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
					i = k;
				}
			}
		}
	}
	skip_sp(s, n, &i);
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

/* A line holding only a classification level (page footer/header). */
static int is_level_only(const char *s, int n)
{
	const char *lv;
	int i = read_level(s, n, &lv);
	if (!i)
		return 0;
	while (i < n && s[i] == ' ')
		i++;
	return i == n;
}

/* ---- page headers ----------------------------------------------------- */

/* "ROME 00001497 002.2 OF 003" (optionally followed by text), or
 * "PAGE 02 HARARE 06677 01 OF 03 291400Z" (optionally followed by text).
 * Returns the length of the page header prefix, or 0. */
static int page_header_len(const char *s, int n)
{
	int i = 0;
	if (starts(s, n, "PAGE ") && n > 8) {
		i = 5;
		skip_sp(s, n, &i);
		long page;
		if (!read_int(s, n, &i, &page) || page > 999)
			return 0;
		skip_sp(s, n, &i);
		/* post: letters and spaces, cut to 6-8 letters, then the serial */
		int ps = i;
		while (i < n && (ck_isupper_((unsigned char)s[i]) || s[i] == ' '))
			i++;
		if (i == ps)
			return 0;
		long serial;
		if (!read_int(s, n, &i, &serial))
			return 0;
		int save = i;
		skip_sp(s, n, &i);
		long a, b;
		int k = i;
		if (read_int(s, n, &k, &a)) {
			skip_sp(s, n, &k);
			if (starts(s + k, n - k, "OF ")) {
				k += 3;
				skip_sp(s, n, &k);
				if (read_int(s, n, &k, &b))
					i = k;
			}
		}
		skip_sp(s, n, &i);
		/* DDHHMMZ */
		int d = 0;
		while (i + d < n && ck_isdigit_((unsigned char)s[i + d]))
			d++;
		if (d == 6 && i + 6 < n + 1 && (i + 6 == n || s[i + 6] == 'Z')) {
			i += 6;
			if (i < n && s[i] == 'Z')
				i++;
		} else if (i < n) {
			/* no DTG: only accept when nothing follows */
			if (save != n)
				return i == n ? n : (d ? 0 : 0);
		}
		skip_sp(s, n, &i);
		return i;
	}
	/* modern: POST 0*SERIAL(8 digits) PPP.N OF TTT */
	int ps = 0;
	while (i < n && (ck_isupper_((unsigned char)s[i]) || s[i] == ' ' || s[i] == '-'))
		i++;
	if (i == ps || i >= n || s[i - 1] != ' ')
		return 0;
	int ds = i;
	while (i < n && ck_isdigit_((unsigned char)s[i]))
		i++;
	if (i - ds != 8 || i >= n || s[i] != ' ')
		return 0;
	skip_sp(s, n, &i);
	int d = 0;
	while (i < n && ck_isdigit_((unsigned char)s[i]))
		i++, d++;
	if (d != 3)
		return 0;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && ck_isdigit_((unsigned char)s[i]))
			i++;
	}
	skip_sp(s, n, &i);
	if (!starts(s + i, n - i, "OF "))
		return 0;
	i += 3;
	skip_sp(s, n, &i);
	d = 0;
	while (i < n && ck_isdigit_((unsigned char)s[i]))
		i++, d++;
	if (d != 3)
		return 0;
	if (i < n && s[i] != ' ')
		return 0;
	skip_sp(s, n, &i);
	return i;
}

/* "DUSHANBE 00000575  001.2 OF 0..." : a page header the viewer cut */
static int truncated_page_header(const char *t, int n)
{
	if (n < 12 || t[n - 1] != '.' || t[n - 2] != '.' || t[n - 3] != '.')
		return 0;
	int i = 0;
	while (i < n && (ck_isupper_((unsigned char)t[i]) || t[i] == ' '))
		i++;
	int d = 0;
	while (i + d < n && ck_isdigit_((unsigned char)t[i + d]))
		d++;
	if (!i || d != 8)
		return 0;
	for (int k = i + d; k < n - 3; k++)
		if (!(ck_isdigit_((unsigned char)t[k]) || t[k] == ' ' || t[k] == '.' || t[k] == 'O' || t[k] == 'F'))
			return 0;
	return 1;
}

/* ---- header (format lines) -------------------------------------------- */

static int is_ri(const char *s, int n)
{
	if (n < 4 || n > 8 || (s[0] != 'R' && s[0] != 'Q'))
		return 0;
	return all_upper_word(s, n);
}

static const char *prec_word(char c)
{
	switch (c) {
	case 'Z': return "FLASH";
	case 'O': return "IMMEDIATE";
	case 'P': return "PRIORITY";
	case 'R': return "ROUTINE";
	case 'Y': return "EMERGENCY";
	default: return NULL;
	}
}

/* "O 091712Z JUL 07", "P R 281848Z DEC 66", "O 291359Z NOV 00 ZFF4" */
static int read_fl5(struct st *s, const char *t, int n, int lineno)
{
	int i = 0;
	char prec[8];
	int np = 0;
	while (i < n && np < 3 && prec_word(t[i]) && (i + 1 < n && t[i + 1] == ' ')) {
		prec[np * 2] = t[i];
		prec[np * 2 + 1] = ' ';
		np++;
		i += 2;
	}
	if (!np)
		return 0;
	prec[np * 2 - 1] = 0;
	char iso[32];
	int y;
	if (ck_dtg_iso_(t + i, iso, sizeof iso, &y))
		return 0;
	ck_cable *c = s->c;
	/* the DTG: DDHHMMZ MON YY */
	int e = i + 7;
	while (e < n && t[e] == ' ')
		e++;
	e += 3;
	while (e < n && t[e] == ' ')
		e++;
	while (e < n && ck_isdigit_((unsigned char)t[e]))
		e++;
	if (!c->header.dtg) {
		c->header.dtg = ck_collapse_(c->arena, t + i, (size_t)(e - i));
		c->header.dtg_prec = ck_arena_strdup(c->arena, prec);
		c->date = ck_arena_strdup(c->arena, iso);
		s->year = y;
	}
	(void)lineno;
	return 1;
}

/* "291359Z Nov 00" alone (the partial-extract pages) */
static int read_bare_dtg(struct st *s, const char *t, int n)
{
	char iso[32];
	int y;
	if (n > 20 || ck_dtg_iso_(t, iso, sizeof iso, &y))
		return 0;
	if (!s->c->date) {
		s->c->date = ck_arena_strdup(s->c->arena, iso);
		s->c->header.dtg = ck_collapse_(s->c->arena, t, (size_t)n);
		s->year = y;
	}
	return 1;
}

static int is_weekday_line(const char *t, int n)
{
	static const char *const days[] = {"Monday, ", "Tuesday, ", "Wednesday, ", "Thursday, ",
					   "Friday, ", "Saturday, ", "Sunday, "};
	for (int i = 0; i < 7; i++)
		if (starts(t, n, days[i]))
			return 1;
	return 0;
}

/* Does t hold an office code "LOG-00" or a count "/012W"? */
static int has_office_code(const char *t, int n)
{
	for (const char *q = t; (q = memchr(q, '-', (size_t)(t + n - q))) != NULL; q++)
		if (q + 2 < t + n && ck_isdigit_((unsigned char)q[1]) && ck_isdigit_((unsigned char)q[2]) &&
		    q > t && ck_isupper_((unsigned char)q[-1]))
			return 1;
	for (const char *q = t; (q = memchr(q, '/', (size_t)(t + n - q))) != NULL; q++)
		if (q + 1 < t + n && ck_isdigit_((unsigned char)q[1]))
			return 1;
	return 0;
}

/* Receiving-office printout lines (1990s/2000 copies): ACTION AF-00,
 * INFO LOG-00 ..., /012W, ------------------A54E38  291401Z /38,
 * "CONFIDENTIAL     PTQ1859". */
static int is_printout(const char *t, int n)
{
	if (starts(t, n, "ACTION ") && n > 9) {
		int i = 7;
		skip_sp(t, n, &i);
		while (i < n && ck_isupper_((unsigned char)t[i]))
			i++;
		return i < n && t[i] == '-';
	}
	if (starts(t, n, "INFO ") && n > 9) {
		int i = 5;
		skip_sp(t, n, &i);
		while (i < n && ck_isupper_((unsigned char)t[i]))
			i++;
		return i + 2 < n && t[i] == '-' && ck_isdigit_((unsigned char)t[i + 1]) &&
		       ck_isdigit_((unsigned char)t[i + 2]);
	}
	if (n >= 10 && starts(t, n, "----------")) {
		/* dashes then a hex code and a time: "------------------A54E38  291401Z /38" */
		int i = 0, h = 0;
		while (i < n && t[i] == '-')
			i++;
		while (i + h < n && (ck_isdigit_((unsigned char)t[i + h]) || (t[i + h] >= 'A' && t[i + h] <= 'F')))
			h++;
		if (h != 6)
			return 0;
		i += h;
		skip_sp(t, n, &i);
		int d = 0;
		while (i + d < n && ck_isdigit_((unsigned char)t[i + d]))
			d++;
		return d == 6 && i + d < n && t[i + d] == 'Z';
	}
	/* "      CTME-00  DINT-00 ..." continuation and "SAS-00 SWCI-00 /012W" */
	if (n < 400 && has_office_code(t, n)) {
		int i = 0, codes = 0, other = 0;
		while (i < n) {
			while (i < n && t[i] == ' ')
				i++;
			int ws = i;
			while (i < n && t[i] != ' ')
				i++;
			int wl = i - ws;
			if (!wl)
				break;
			if (wl >= 4 && t[i - 3] == '-' && ck_isdigit_((unsigned char)t[i - 2]) &&
			    ck_isdigit_((unsigned char)t[i - 1]))
				codes++;
			else if (t[ws] == '/' && ck_isdigit_((unsigned char)t[ws + 1 < n ? ws + 1 : ws]))
				codes++;
			else
				other++;
		}
		if (codes >= 2 && other == 0)
			return 1;
	}
	/* level + printout code: "CONFIDENTIAL     PTQ1859" */
	if (n < 60) {
		const char *lv;
		int i = read_level(t, n, &lv);
		if (i) {
			skip_sp(t, n, &i);
			int k = i;
			while (k < n && ck_isupper_((unsigned char)t[k]))
				k++;
			int letters = k - i;
			int d = 0;
			while (k < n && ck_isdigit_((unsigned char)t[k]))
				k++, d++;
			if (letters == 3 && d >= 3 && k == n)
				return 1;
		}
	}
	return 0;
}

enum { M_NONE, M_FM, M_TO, M_INFO, M_XMT };

static const char *const precedences[] = {"NIACT IMMEDIATE", "IMMEDIATE", "PRIORITY", "ROUTINE",
					   "FLASH", "NIACT"};

/* Parse one addressee "RUEHC/SECSTATE WASHDC IMMEDIATE 8533". */
static void add_addr(struct st *s, struct vec *v, const char *t, int n)
{
	ck_cable *c = s->c;
	while (n && (t[n - 1] == ' ' || t[n - 1] == ','))
		n--;
	while (n && *t == ' ')
		t++, n--;
	if (!n || v->n >= MAX_ADDRS)
		return;
	ck_addr *a = ck_vec_push_(c->arena, v);
	if (!a)
		return;
	const char *slash = memchr(t, '/', (size_t)n);
	if (slash && (is_ri(t, (int)(slash - t)) || (slash - t == 3 && starts(t, n, "ZEN")))) {
		a->route = ck_arena_strndup(c->arena, t, (size_t)(slash - t));
		n -= (int)(slash - t) + 1;
		t = slash + 1;
	}
	/* trailing continuity number: 8533, 2593-2599 */
	int e = n;
	while (e && (ck_isdigit_((unsigned char)t[e - 1]) || t[e - 1] == '-'))
		e--;
	if (e < n && e > 0 && t[e - 1] == ' ' && ck_isdigit_((unsigned char)t[e])) {
		a->mcn = ck_arena_strndup(c->arena, t + e, (size_t)(n - e));
		n = e - 1;
		while (n && t[n - 1] == ' ')
			n--;
	}
	for (size_t i = 0; i < sizeof precedences / sizeof *precedences; i++) {
		int pl = (int)strlen(precedences[i]);
		if (n > pl && t[n - pl - 1] == ' ' && starts(t + n - pl, pl, precedences[i])) {
			a->precedence = precedences[i];
			n -= pl + 1;
			while (n && t[n - 1] == ' ')
				n--;
			break;
		}
	}
	a->name = ck_collapse_(c->arena, t, (size_t)n);
}

/* Does a line look like an addressee (continuation of TO/INFO)? */
static int all_digits(const char *t, int n)
{
	for (int i = 0; i < n; i++)
		if (!ck_isdigit_((unsigned char)t[i]))
			return 0;
	return n > 0;
}

static int looks_like_addr(const char *t, int n)
{
	if (n <= 0 || has_lower(t, n) || n > 120)
		return 0;
	/* "RUEKJCS/SECDEF WASHINGTON DC//USD:SOLIC// IMMEDIATE": a routing
	 * indicator, or an office symbol after "//", allows ':' and '(' */
	const char *sl = memchr(t, '/', (size_t)n);
	if (sl && (is_ri(t, (int)(sl - t)) || (sl + 1 < t + n && sl[1] == '/')))
		return ck_isupper_((unsigned char)t[0]);
	for (int i = 0; i < n; i++)
		if (t[i] == ':' || t[i] == '(')
			return 0;
	return ck_isupper_((unsigned char)t[0]);
}

/* Some posts' cables lost their line breaks between header fields:
 * "SUBJECT: X REF: A. STATE 1 LONDON 00004328 001.2 OF 006 Classified
 * By: ...", "CAIRO 000941SIPDISE.O. 12958: DECL: ... TAGS: PTER".  Before
 * the first paragraph, split such lines before each field label (and,
 * in a SUBJECT line, before a page header), so that the field reader
 * sees one field a line. */
static const char *const inline_labels[] = {
	"E.O. 1", "E.O.1", "EO 1", "TAGS:", "TAGS ", "SUBJECT:", "SUBJ:", "REF:", "REFS:", "REFTEL:",
	"REFTELS:", "Classified By:", "Classified by:", "CLASSIFIED BY:", "CLASSIFIED BY ", "SIPDIS",
};

static int inline_split_at(const char *t, int n, int from, int subject)
{
	int best = -1;
	/* one pass: only the first letters of the labels can start one */
	for (int at = from > 0 ? from : 1; at < n && best < 0; at++) {
		int ch = (unsigned char)t[at];
		if (ch != 'E' && ch != 'T' && ch != 'S' && ch != 'R' && ch != 'C')
			continue;
		for (size_t k = 0; k < sizeof inline_labels / sizeof *inline_labels; k++) {
			const char *lab = inline_labels[k];
			if (lab[0] != ch)
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
			if (ok) {
				best = at;
				break;
			}
		}
	}
	/* a REF line running into the text: "REF: SECSTATE 102414 We delivered
	 * points ..." - a serial, then a capitalised word and a lower-case one */
	if (starts(t, n, "REF") && !subject) {
		for (int k = from; k + 6 < n && (best < 0 || k < best); k++) {
			if (t[k] != ' ' || !ck_isdigit_((unsigned char)t[k - 1]) || !ck_isupper_((unsigned char)t[k + 1]))
				continue;
			int w = k + 2;
			while (w < n && ck_islower_((unsigned char)t[w]))
				w++;
			if (w - k - 2 < 1 || w >= n || t[w] != ' ' || w + 1 >= n || !ck_islower_((unsigned char)t[w + 1]))
				continue;
			best = k + 1;
			break;
		}
	}
	/* a classification line glued to what follows: "CAIRO 000941SIPDIS" */
	{
		const char *lv;
		int i = read_level(t, n, &lv);
		if (i && from <= i) {
			for (int k = i; k + 1 < n && (best < 0 || k < best); k++)
				if (ck_isdigit_((unsigned char)t[k]) && ck_isupper_((unsigned char)t[k + 1]) && k >= 3 &&
				    ck_isdigit_((unsigned char)t[k - 1]) && ck_isdigit_((unsigned char)t[k - 2])) {
					best = k + 1;
					break;
				}
		}
	}
	if (!subject)
		return best;
	/* a modern page header inside the line: 8 digits, space, 3 digits */
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
		/* the post: the longest run of 1-3 words before the serial that
		 * is a known post, else one word */
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
		if (cand >= 0 && page_header_len(t + cand, n - cand)) {
			best = cand;
			break;
		}
	}
	return best;
}

/* the zone of header fields: up to the first paragraph start */
static int field_zone_end(struct st *s)
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

static int is_subject_line(const char *t, int n)
{
	return starts(t, n, "SUBJECT") || starts(t, n, "SUBJ:") || starts(t, n, "Subject:");
}

static void split_inline_fields(struct st *s)
{
	int zone = field_zone_end(s);
	int any = 0;
	for (int i = 0; i < zone && !any; i++) {
		int n;
		const char *t = ltrim(&s->L[i], &n);
		if (n >= 12 && inline_split_at(t, n, 1, is_subject_line(t, n)) > 0)
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
			int subj = is_subject_line(t, n);
			char *base = (char *)t;
			int pieces = 0;
			for (int at; pieces < 64 && (at = inline_split_at(base, n, 1, subj)) > 0; pieces++) {
				int e = at;
				while (e > 0 && base[e - 1] == ' ')
					e--;
				x = ck_vec_push_(s->c->arena, &v);
				if (!x)
					return;
				*x = l;
				x->s = ck_arena_strndup(s->c->arena, base, (size_t)e);
				x->len = e;
				if (!x->s)
					return;
				base += at;
				n -= at;
				while (n && *base == ' ')
					base++, n--;
				l.blank_before = 0;
				subj = is_subject_line(base, n);
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

static int read_marking(const char *t, int n, const char **start, int *len);

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
		if (read_marking(q, n - (int)(q - t), &m, &ml))
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

static void split_long_lines(struct st *s)
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
					x = ck_vec_push_(s->c->arena, &v);
					if (!x)
						return;
					*x = l;
					x->s = ck_arena_strndup(s->c->arena, base, (size_t)e);
					x->len = e;
					pieces++;
				}
				base += at;
				n -= at;
				while (n && *base == ' ')
					base++, n--;
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

struct pstart {
	int n;            /* number */
	int pilcrow;      /* began with the pilcrow */
	int nodot;        /* "6 (C)" */
	const char *mark; /* marking */
	int mlen;
	int text;         /* offset of the text after number and marking */
};
static int para_start(const char *t, int n, int blank_before, struct pstart *ps);

static void printout_fields(struct st *s, const char *t, int n);

/* When every word of t is a routing indicator, add them to the relay list
 * (FL2) and return 1; else change nothing and return 0. */
static int add_relays(struct st *s, const char *t, int n)
{
	int k = 0, cnt = 0;
	while (k < n) {
		int ws = k;
		while (k < n && t[k] != ' ')
			k++;
		if (!is_ri(t + ws, k - ws))
			return 0;
		cnt++;
		skip_sp(t, n, &k);
	}
	if (!cnt)
		return 0;
	for (k = 0; k < n;) {
		int ws = k;
		while (k < n && t[k] != ' ')
			k++;
		ck_strv_push_(s->c->arena, &s->c->header.relay, &s->relay_cap,
			      ck_arena_strndup(s->c->arena, t + ws, (size_t)(k - ws)));
		skip_sp(t, n, &k);
	}
	return 1;
}

static void parse_header(struct st *s)
{
	ck_cable *c = s->c;
	int mode = M_NONE, last_list = M_NONE;
	int saw_header = 0;
	s->banner = -1;
	int i = 0;
	/* A preamble before the telegram (an e-mail wrapper: From:, Sent:,
	 * Subject: ...): when a VZCZC line or a banner follows soon, skip it. */
	{
		int first = 0;
		while (first < s->n && s->L[first].kind == L_BLANK)
			first++;
		if (first < s->n) {
			int n0;
			const char *t0 = ltrim(&s->L[first], &n0);
			struct banner b0;
			if (!starts(t0, n0, "VZCZC") && !is_banner(t0, n0, &b0) &&
			    !starts(t0, n0, "This record is a partial")) {
				for (int k = first + 1; k < s->n && k < first + 60; k++) {
					int nk;
					const char *tk = ltrim(&s->L[k], &nk);
					if (starts(tk, nk, "VZCZC")) {
						for (int d = first; d < k; d++)
							s->L[d].kind = L_DROPPED;
						ck_cable_problem(c, "preamble", s->L[first].no,
								 "removed %d lines before the telegram header "
								 "(not part of the cable)", k - first);
						i = k;
						break;
					}
				}
			}
		}
	}
	/* where the banner is, if there is one before the text */
	int banner_at = -1;
	for (int k = i; k < s->n && k < i + 400; k++) {
		int nk;
		const char *tk = ltrim(&s->L[k], &nk);
		struct banner bk;
		if (s->L[k].kind == L_TEXT && is_banner(tk, nk, &bk)) {
			banner_at = k;
			break;
		}
		struct pstart pk;
		if (nk > 3 && (unsigned char)tk[0] == 0xC2 && para_start(tk, nk, 1, &pk) == 1)
			break;
	}
	for (; i < s->n; i++) {
		if (s->L[i].kind == L_DROPPED)
			continue;
		struct line *l = &s->L[i];
		int n;
		const char *t = ltrim(l, &n);
		if (l->kind == L_BLANK) {
			if (mode == M_TO || mode == M_INFO || mode == M_XMT)
				last_list = mode;
			if (mode == M_TO || mode == M_INFO || mode == M_XMT || mode == M_FM)
				mode = M_NONE;
			continue;
		}
		struct banner b;
		if (is_banner(t, n, &b)) {
			s->banner = i;
			break;
		}
		if (starts(t, n, "This record is a partial extract")) {
			s->partial = 1;
			l->kind = L_DROPPED;
			continue;
		}
		if (is_weekday_line(t, n)) {
			l->kind = L_DROPPED;
			continue;
		}
		if (starts(t, n, "VZCZC")) {
			if (!c->header.transmission)
				c->header.transmission = ck_arena_strndup(c->arena, t, (size_t)n);
			saw_header = 1;
			continue;
		}
		if (n >= 3 && prec_word(t[0]) && prec_word(t[1]) && t[2] == ' ' && !c->header.relay.n &&
		    !c->header.station && add_relays(s, t + 3, n - 3)) {
			/* FL2: "OO RUEHDBU RUEHFL ..." */
			c->header.relay_prec = ck_arena_strndup(c->arena, t, 2);
			saw_header = 1;
			continue;
		}
		if (starts(t, n, "DE ") && n > 5) {
			/* FL3: DE RUEHRO #1497/01 1901712 */
			int k = 3;
			skip_sp(t, n, &k);
			int rs = k;
			while (k < n && ck_isupper_((unsigned char)t[k]))
				k++;
			if (is_ri(t + rs, k - rs)) {
				c->header.station = ck_arena_strndup(c->arena, t + rs, (size_t)(k - rs));
				skip_sp(t, n, &k);
				if (k < n && t[k] == '#') {
					k++;
					long v;
					if (read_int(t, n, &k, &v))
						c->header.ssn = v;
					if (k < n && t[k] == '/') {
						k++;
						if (read_int(t, n, &k, &v))
							c->header.section = (int)v;
					}
				}
				skip_sp(t, n, &k);
				int js = k;
				while (k < n && ck_isdigit_((unsigned char)t[k]))
					k++;
				if (k - js == 7)
					c->header.julian = ck_arena_strndup(c->arena, t + js, 7);
				saw_header = 1;
				continue;
			}
		}
		/* FL2 wrapped: a line of routing indicators only */
		if (c->header.relay.n && !c->header.station && !c->from && add_relays(s, t, n))
			continue;
		if ((starts(t, n, "ZNR ") || starts(t, n, "ZNY ")) && !c->header.security) {
			c->header.security = ck_collapse_(c->arena, t, (size_t)n);
			saw_header = 1;
			continue;
		}
		if (read_fl5(s, t, n, l->no)) {
			saw_header = 1;
			continue;
		}
		if (read_bare_dtg(s, t, n)) {
			saw_header = 1;
			continue;
		}
		if (page_header_len(t, n) == n && starts(t, n, "PAGE ")) {
			l->kind = L_DROPPED;
			continue;
		}
		if (is_printout(t, n)) {
			printout_fields(s, t, n);
			l->kind = L_DROPPED;
			saw_header = 1;
			continue;
		}
		if (starts(t, n, "FM ")) {
			if (!c->from)
				c->from = ck_collapse_(c->arena, t + 3, (size_t)n - 3);
			mode = M_FM;
			saw_header = 1;
			continue;
		}
		if (starts(t, n, "TO ")) {
			mode = M_TO;
			add_addr(s, &s->to, t + 3, n - 3);
			saw_header = 1;
			continue;
		}
		if (starts(t, n, "INFO ") && saw_header) {
			mode = M_INFO;
			add_addr(s, &s->info, t + 5, n - 5);
			continue;
		}
		if (starts(t, n, "XMT ") && saw_header) {
			mode = M_XMT;
			add_addr(s, &s->xmt, t + 4, n - 4);
			continue;
		}
		if ((n == 2 && starts(t, n, "BT")) || (starts(t, n, "NNNN") && n == 4)) {
			saw_header = 1;
			continue;
		}
		if ((mode == M_TO || mode == M_INFO || mode == M_XMT) && looks_like_addr(t, n)) {
			struct vec *v = mode == M_TO ? &s->to : mode == M_INFO ? &s->info : &s->xmt;
			/* "RUEHZL/EUROPEAN POLITICAL" / "COLLECTIVE": one word that
			 * finishes the name of the addressee before */
			if (v->n && !memchr(t, ' ', (size_t)n) && !memchr(t, '/', (size_t)n) &&
			    !all_digits(t, n)) {
				ck_addr *prev = (ck_addr *)v->v + v->n - 1;
				if (!prev->precedence && !prev->mcn && prev->name &&
				    (!strcmp(t, "COLLECTIVE") || !strcmp(t, "WASHDC") || !strcmp(t, "DC"))) {
					prev->name = ck_arena_printf(c->arena, "%s %.*s", prev->name, n, t);
					continue;
				}
			}
			add_addr(s, v, t, n);
			continue;
		}
		/* "RUEHUB/USINT HAVANA PRIORITY 0060" after a blank line: still an
		 * addressee of the list before the blank */
		if (mode == M_NONE && last_list != M_NONE && looks_like_addr(t, n)) {
			const char *sl = memchr(t, '/', (size_t)n);
			if (sl && is_ri(t, (int)(sl - t))) {
				add_addr(s, last_list == M_TO ? &s->to : last_list == M_INFO ? &s->info : &s->xmt, t, n);
				continue;
			}
		}
		/* anything else: the body starts here - unless the banner is
		 * still to come after the header lines seen so far */
		if (saw_header && banner_at > i) {
			l->kind = L_DROPPED;
			ck_cable_problem(c, "header-line", l->no,
					 "removed a line that is not part of the transmission header: \"%.*s\"",
					 n > 60 ? 60 : n, t);
			continue;
		}
		break;
	}
	s->body = i < s->n ? i : s->n;
	if (s->banner < 0 && !saw_header)
		s->body = 0;
	/* lines of the header before the body are not body */
	c->to = s->to.v;
	c->nto = s->to.n;
	c->info = s->info.v;
	c->ninfo = s->info.n;
	c->xmt = s->xmt.v;
	c->nxmt = s->xmt.n;
	if (s->to.n >= MAX_ADDRS || s->info.n >= MAX_ADDRS)
		ck_cable_problem(c, "too-many-addressees", 0,
				 "more than %d addressees; the rest were not read", MAX_ADDRS);
}

/* A flattened printout line may hold the message's own DTG and FM line:
 * "... /38 O 071013Z MAR 02 ZDK FM AMEMBASSY ROME TO ...".  Read them when
 * the cable has none yet. */
static void printout_fields(struct st *s, const char *t, int n)
{
	ck_cable *c = s->c;
	const char *fm = NULL;
	for (int i = 1; i + 4 < n; i++)
		if (t[i - 1] == ' ' && t[i] == 'F' && t[i + 1] == 'M' && t[i + 2] == ' ') {
			fm = t + i;
			break;
		}
	if (!fm)
		return;
	if (!c->header.dtg) {
		/* the DTG before FM: "<P> DDHHMMZ MON YY" */
		for (const char *p = fm - 1; p > t + 1 && fm - p < 40; p--) {
			if (p[-1] == ' ' && prec_word(p[0]) && p[1] == ' ' && ck_isdigit_((unsigned char)p[2])) {
				read_fl5(s, p, (int)(fm - p), 0);
				break;
			}
		}
	}
	if (!c->from) {
		const char *e = fm + 3;
		const char *to = strstr(e, " TO ");
		size_t len = to ? (size_t)(to - e) : strlen(e);
		if (len && len < 60)
			c->from = ck_collapse_(c->arena, e, len);
	}
}

/* "@@@OASYS@@@": the page goes on with a second printout of the same
 * cable.  Its text is not read again; its header lines may still give a
 * missing date or FM line. */
static void second_copy(struct st *s)
{
	for (int i = s->body; i < s->n; i++) {
		const char *at = s->L[i].kind == L_BLANK ? NULL : memchr(s->L[i].s, '@', (size_t)s->L[i].len);
		if (!at || !memmem(at, (size_t)(s->L[i].s + s->L[i].len - at), "@@@OASYS@@@", 11))
			continue;
		ck_cable_problem(s->c, "second-copy", s->L[i].no,
				 "the text holds a second printout of the cable from here; it was not read again");
		for (int k = i; k < s->n; k++) {
			if (s->L[k].kind == L_TEXT && is_printout(s->L[k].s, s->L[k].len))
				printout_fields(s, s->L[k].s, s->L[k].len);
			s->L[k].kind = L_DROPPED;
		}
		return;
	}
}

/* Quotes doubled by a CSV export that was never undone (AN INTERNAL
 * ""HUMANITARIAN LOBBY""), and tabs: undone / replaced in place, and said. */
static void undo_doubled_quotes(struct st *s)
{
	int fixed = 0, first = 0;
	for (int i = 0; i < s->n; i++) {
		struct line *l = &s->L[i];
		char *p = l->s;
		int n = l->len, o = 0;
		if (!memchr(p, '"', (size_t)n) && !memchr(p, '\t', (size_t)n))
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

/* ---- repairs ---------------------------------------------------------- */

/* Remove page headers (and the page footer before them), rejoin what they
 * split; drop printout junk between sections. */
static void repair(struct st *s)
{
	ck_cable *c = s->c;
	for (int i = s->body; i < s->n; i++) {
		struct line *l = &s->L[i];
		if (l->kind != L_TEXT)
			continue;
		int n;
		const char *t = ltrim(l, &n);
		int ph = page_header_len(t, n);
		if (!ph && truncated_page_header(t, n)) {
			l->kind = L_DROPPED;
			ck_cable_problem(c, "truncated", l->no,
					 "the text ends in a page header cut short (\"%.*s\"): the page is truncated",
					 n > 60 ? 60 : n, t);
			continue;
		}
		if (!ph) {
			if (i > s->body && is_printout(t, n)) {
				printout_fields(s, t, n);
				l->kind = L_DROPPED;
				ck_cable_problem(c, "printout", l->no, "removed receiving-office printout line");
			}
			continue;
		}
		ck_cable_problem(c, "page-header", l->no, "removed page header \"%.*s\"", ph > 60 ? 60 : ph, t);
		if (!c->header.page_dtg && starts(t, n, "PAGE ")) {
			/* the old page header's DDHHMMZ */
			for (int k = ph - 1; k >= 6; k--)
				if (t[k] == 'Z' && ck_isdigit_((unsigned char)t[k - 1]) && k >= 6 &&
				    t[k - 7] == ' ') {
					c->header.page_dtg = ck_arena_strndup(c->arena, t + k - 6, 7);
					break;
				}
		}
		/* the page footer: a level alone on the line before, or glued to the
		 * end of the previous text line after two spaces */
		int had_blank = 0;
		int p = i - 1;
		while (p >= s->body && (s->L[p].kind == L_BLANK || s->L[p].kind == L_DROPPED)) {
			if (s->L[p].kind == L_BLANK) {
				had_blank = 1;
				s->L[p].kind = L_DROPPED;
			}
			p--;
		}
		if (p >= s->body) {
			int pn;
			const char *pt = ltrim(&s->L[p], &pn);
			if (is_level_only(pt, pn) || is_printout(pt, pn)) {
				s->L[p].kind = L_DROPPED;
				p--;
				while (p >= s->body && (s->L[p].kind == L_BLANK || s->L[p].kind == L_DROPPED)) {
					if (s->L[p].kind == L_BLANK)
						had_blank = 1, s->L[p].kind = L_DROPPED;
					p--;
				}
			} else {
				/* "...ESSENTIALLY, A  CONFIDENTIAL" */
				struct line *pl = &s->L[p];
				for (int k = pl->len - 1; k > 2; k--) {
					if (pl->s[k] == ' ' && pl->s[k - 1] == ' ') {
						if (is_level_only(pl->s + k + 1, pl->len - k - 1)) {
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
			}
		}
		/* the rest of the line after the header, or the next line */
		int next;
		if (ph < n && is_printout(t + ph, n - ph)) {
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
		struct line *pl = &s->L[p];
		if (nl->kind != L_TEXT)
			continue;
		int nn;
		const char *nt = ltrim(nl, &nn);
		/* join unless the next line starts something new */
		int newpara = 0;
		{
			const char *q = nt;
			int qn = nn;
			if (qn >= 2 && (unsigned char)q[0] == 0xC2 && (unsigned char)q[1] == 0xB6)
				newpara = 1;
			int d = 0;
			while (d < qn && ck_isdigit_((unsigned char)q[d]))
				d++;
			if (d && d < qn && (q[d] == '.' || q[d] == ' ') && d <= 3)
				newpara = 1;
			if (starts(q, qn, "---") || starts(q, qn, "####") || page_header_len(q, qn))
				newpara = 1;
			if (starts_ci(q, qn, "Classified By") || starts(q, qn, "REF") ||
			    starts(q, qn, "SUBJECT") || starts(q, qn, "TAGS") || starts(q, qn, "E.O."))
				newpara = 1;
			struct banner b;
			if (is_banner(q, qn, &b))
				newpara = 1;
			/* a heading: followed by a dashes line */
			if (next + 1 < s->n) {
				int hn;
				const char *ht = ltrim(&s->L[next + 1], &hn);
				if (starts(ht, hn, "---"))
					newpara = 1;
			}
		}
		if (newpara) {
			if (had_blank)
				nl->blank_before = 1;
			continue;
		}
		int pn;
		const char *pt = ltrim(pl, &pn);
		char last = pn ? pt[pn - 1] : 0;
		int ends = last == '.' || last == '!' || last == '?' || last == ':' || last == '"';
		if (pn >= 3 && (unsigned char)pt[pn - 3] == 0xE2 && (unsigned char)pt[pn - 2] == 0x80 &&
		    (unsigned char)pt[pn - 1] == 0x9D)
			ends = 1;
		if (had_blank && ends && !ck_islower_((unsigned char)nt[0])) {
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
static void rejoin_split_sentences(struct st *s)
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

/* ---- body ------------------------------------------------------------- */

static const char *const caption_words[] = {
	"SIPDIS", "NOFORN", "SENSITIVE", "EXDIS", "NODIS", "LIMDIS", "STADIS", "ROGER",
	"CHEROKEE", "NOFORN/SIPDIS", "EFTO", "FOUO", "TERREP", "DISSENT", "CHANNEL", "MED", "CXBAGHDAD",
	"SBU", "NF", "FGI", "MR", "ORCON", "PROPIN", "REL", "PERSONAL", "HANDLE", "DELIVER",
	"NOT", "FOR", "DISTRIBUTION", "EYES", "ONLY", "BY", "INTERNET", "CHANNELS",
};

/* A line of captions only ("SIPDIS", "NOFORN SIPDIS", "SECRET//FGI//NOFORN//MR").
 * Adds them to caveats when add is set. */
static int caption_line(struct st *s, const char *t, int n, int add)
{
	if (n > 80)
		return 0;
	if (has_lower(t, n)) {
		/* "Sensitive", "Sipdis": captions in mixed case */
		char up[84];
		for (int k = 0; k < n; k++)
			up[k] = (char)ck_toupper_((unsigned char)t[k]);
		up[n] = 0;
		if (!caption_line(s, up, n, 0))
			return 0;
		if (add) {
			char *u = ck_arena_strndup(s->c->arena, up, (size_t)n);
			return caption_line(s, u, n, 1);
		}
		return 1;
	}
	int i = 0, words = 0;
	const char *ws[16];
	int wl[16];
	while (i < n) {
		while (i < n && (t[i] == ' ' || t[i] == '/' || t[i] == ','))
			i++;
		if (i >= n)
			break;
		int st = i;
		while (i < n && t[i] != ' ' && t[i] != '/' && t[i] != ',')
			i++;
		const char *lv;
		int ll = read_level(t + st, i - st, &lv);
		if (ll == i - st) {
			/* the level inside "SECRET//NOFORN" */
			continue;
		}
		int ok = 0;
		for (size_t k = 0; k < sizeof caption_words / sizeof *caption_words; k++)
			if (eq_word(t + st, i - st, caption_words[k]))
				ok = 1;
		if (!ok || words >= 16)
			return 0;
		ws[words] = t + st;
		wl[words] = i - st;
		words++;
	}
	if (!words)
		return 0;
	if (add) {
		ck_cable *c = s->c;
		/* phrases are kept whole ("EYES ONLY"); single captions one by one */
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
			ck_strv_add_unique_(c->arena, &c->caveats, &s->caveat_cap,
					    ck_collapse_(c->arena, t, (size_t)n));
		}
	}
	return 1;
}

/* Portion marking inside "( )" at t: returns bytes consumed incl. parens. */
static int read_marking(const char *t, int n, const char **start, int *len)
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
static int para_start(const char *t, int n, int blank_before, struct pstart *ps)
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
	int ml = read_marking(t + i, n - i, &ps->mark, &ps->mlen);
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

enum field { F_NONE, F_SUBJECT, F_REF, F_CLASSBY, F_TAGS, F_DECL };

/* Field label at the start of a line; *off = where its text starts. */
static int field_label(const char *t, int n, int *off)
{
	int i;
	if (starts_ci(t, n, "SUBJECT") || starts_ci(t, n, "SUBJ")) {
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
	if (starts_ci(t, n, "CLASSIFIED BY") || starts_ci(t, n, "CLASSIFED BY")) {
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
	for (size_t k = 0; k < sizeof refl / sizeof *refl; k++) {
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
	if (starts(t, n, "TAGS") || starts(t, n, "TAG:") || starts(t, n, "TAG ") ||
	    starts_ci(t, n, "TAGS:") || starts_ci(t, n, "TAGS ")) {
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

/* text of a line with PlusD links "[PREL](#)" reduced to "PREL" */
static char *strip_md_links(ck_arena *a, const char *t, int n)
{
	char *o = ck_arena_alloc(a, (size_t)n + 1);
	int k = 0;
	for (int i = 0; i < n; i++) {
		if (t[i] == '[') {
			const char *close = memchr(t + i, ']', (size_t)(n - i));
			if (close && close + 1 < t + n && close[1] == '(') {
				const char *pe = memchr(close, ')', (size_t)(t + n - close));
				if (pe) {
					int wl = (int)(close - t - i - 1);
					memcpy(o + k, t + i + 1, (size_t)wl);
					k += wl;
					i = (int)(pe - t);
					continue;
				}
			}
		}
		o[k++] = t[i];
	}
	o[k] = 0;
	return o;
}

static int is_dashes(const char *t, int n)
{
	if (n < 3)
		return 0;
	for (int i = 0; i < n; i++)
		if (t[i] != '-' && t[i] != '=' && t[i] != '_' && t[i] != ' ')
			return 0;
	return t[0] == '-' || t[0] == '=' || t[0] == '_';
}

/* a heading: a short line followed (after blanks) by dashes, or "#### X" */
static int heading_at(struct st *s, int i, const char **text, int *tlen)
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
	if (n > 120 || is_dashes(t, n))
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
		if (is_dashes(jt, jn) && (j == i + 1 || (s->L[i].blank_before && !ends_sentence))) {
			*text = t;
			*tlen = n;
			return 1;
		}
		/* a heading alone between blank lines, before a numbered
		 * paragraph: "INTERNATIONAL CONVENTIONS" */
		struct pstart ps;
		if (j > i + 1 && s->L[i].blank_before && !ends_sentence && n <= 100 && !s->L[i].join &&
		    para_start(jt, jn, 1, &ps) == 1 && ps.n > 1) {
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

struct para_b {
	ck_buf text;
	int active;
	int n;
	const char *mark;
	const char *heading;
	int line;
};

static void para_flush(struct st *s, struct para_b *pb)
{
	if (!pb->active)
		return;
	ck_cable *c = s->c;
	ck_para *p = ck_vec_push_(c->arena, &s->paras);
	if (p) {
		p->n = pb->n;
		p->marking = pb->mark;
		p->heading = pb->heading;
		/* para_add collapsed the white space already */
		p->text = ck_arena_strndup(c->arena, pb->text.ptr ? pb->text.ptr : "", pb->text.len);
	}
	pb->active = 0;
	ck_buf_clear(&pb->text);
}

/* Append a line to the paragraph, white space collapsed on the way (the
 * text of a paragraph is its lines joined by single spaces). */
static void para_add(struct para_b *pb, const char *t, int n, int sep_blank)
{
	(void)sep_blank;
	if (ck_buf_grow(&pb->text, (size_t)n + 1))
		return;
	char *o = pb->text.ptr + pb->text.len;
	if (pb->text.len && o[-1] != ' ')
		*o++ = ' ';
	o += ck_collapse_into_(o, t, (size_t)n);
	while (o > pb->text.ptr && o[-1] == ' ')
		o--;
	pb->text.len = (size_t)(o - pb->text.ptr);
	*o = '\0';
}

/* Paragraph numbering check over the paragraphs found: renumbering damage
 * ("¶17." where 7 belongs) is reported with the expected number. */
static void check_numbers(struct st *s, const int *lines)
{
	ck_cable *c = s->c;
	ck_para *p = s->paras.v;
	int expected = 0;
	for (size_t i = 0; i < s->paras.n; i++) {
		if (!p[i].n)
			continue;
		if (!expected) {
			expected = p[i].n + 1;
			if (p[i].n != 1)
				ck_cable_problem(c, "paragraph-number", lines[i],
						 "first paragraph is numbered %d, expected 1", p[i].n);
			continue;
		}
		if (p[i].n == expected) {
			expected++;
			continue;
		}
		char w[16], e[16];
		snprintf(w, sizeof w, "%d", p[i].n);
		snprintf(e, sizeof e, "1%d", expected);
		int damage = !strcmp(w, e);
		ck_cable_problem(c, "paragraph-number", lines[i],
				 "paragraph numbered %d where %d was expected%s", p[i].n, expected,
				 damage ? " (a stray 1 from rendering damage?)" : "");
		if (damage)
			expected++;
		else
			expected = p[i].n + 1;
	}
}

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
	if (read_level(t, n, &lv) == n)
		return 0;
	static const char *const not_names[] = {"SIPDIS", "NOFORN", "END", "BT", "NNNN", "SENSITIVE",
						"END COMMENT", "END SUMMARY", "END NOTE", "COMMENT",
						"SUMMARY", "UNQUOTE", "END TEXT", "QUOTE"};
	for (size_t i = 0; i < sizeof not_names / sizeof *not_names; i++)
		if (eq_word(t, n, not_names[i]))
			return 0;
	return 1;
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
static void leading_captions(struct st *s, const char *t, int n)
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
static int ref_label_follows(struct st *s, int i)
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

/* Lines at the very end that are not text: "NNNN", "End Cable Text",
 * a classification footer, a redaction alone, ">" */
static int is_trailer(const char *t, int n)
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
	    starts_ci(t, n, "End Cable Text") || starts(t, n, "@@@"))
		return 1;
	const char *lv;
	int k = read_level(t, n, &lv);
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

/* Find the signer at the end of the text: a name alone on the last line,
 * or glued to the last sentence ("... upon request. CLINTON").  Trailer
 * lines after it are dropped (each recorded). */
static void find_signer(struct st *s, int from)
{
	ck_cable *c = s->c;
	int i = s->n - 1;
	int mixed = 0;
	for (int k = from; k < s->n && k < from + 200; k++)
		if (s->L[k].kind == L_TEXT && has_lower(s->L[k].s, s->L[k].len)) {
			mixed = 1;
			break;
		}
	for (; i >= from; i--) {
		struct line *l = &s->L[i];
		if (l->kind == L_BLANK || l->kind == L_DROPPED)
			continue;
		int n;
		const char *t = ltrim(l, &n);
		if (is_trailer(t, n)) {
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
	if (!l->join && is_name_line(t, n, mixed) && para_start(t, n, 1, &ps) != 1) {
		ck_strv_push_(c->arena, &c->signers, &s->signer_cap, ck_collapse_(c->arena, t, (size_t)n));
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

static void parse_body(struct st *s)
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

	find_signer(s, after_banner);
	/* the SUBJECT line, when it comes before the first paragraph: what
	 * stands before it (addressing lines, archive boilerplate) is not text */
	int subject_at = -1;
	for (int i = after_banner; i < s->n && i < after_banner + 200; i++) {
		if (s->L[i].kind != L_TEXT)
			continue;
		int n, off;
		const char *t = ltrim(&s->L[i], &n);
		struct pstart ps;
		if (para_start(t, n, s->L[i].blank_before, &ps) == 1)
			break;
		if (field_label(t, n, &off) == F_SUBJECT) {
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
		if (para_start(t, n, s->L[i].blank_before, &ps) == 1) {
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
				para_add(&pb, t, n, 0);
			}
			continue;
		}
		/* a repeated section banner (multi-section cables): drop it and the
		 * repeated header fields after it */
		struct banner b;
		if (is_banner(t, n, &b)) {
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
			int f = field_label(t, n, &off);
			if (caption_line(s, t, n, 0) || f != F_NONE || starts(t, n, "FM ") || is_trailer(t, n) ||
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
				l->join = 1, para_add(&pb, t, n, 0);
			if (l->join)
				continue;
		}
		int off = 0;
		int f = in_text && c->subject ? F_NONE : field_label(t, n, &off);
		/* a REF or SUBJECT after boilerplate text (NARA copies), before the
		 * first numbered paragraph */
		if (f == F_NONE && in_text && !s->paras_numbered_seen && (l->blank_before || !pb.active)) {
			int fo;
			int ff = field_label(t, n, &fo);
			if ((ff == F_REF && !c->nrefs) || (ff == F_SUBJECT && !c->subject))
				f = ff, off = fo;
		}
		/* header fields may also appear after the first text (REF after
		 * SUBJECT in html pages without blank lines) */
		if (in_text && f == F_NONE && !pb.active) {
			int fo;
			int ff = field_label(t, n, &fo);
			if (ff == F_CLASSBY && !c->has_classified_by)
				f = ff, off = fo;
		}
		if (!in_text && f == F_NONE && cur == F_NONE && caption_line(s, t, n, 1)) {
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
					char *tx = strip_md_links(c->arena, tg + to, (int)(t + n - tg) - to);
					ck_buf_puts(&fb, tx);
				}
				FLUSH_FIELD();
			} else {
				cur = f;
				field_line = l->no;
				if (f == F_TAGS) {
					char *tx = strip_md_links(c->arena, t + off, n - off);
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
		int pst = para_start(t, n, l->blank_before, &ps);
		const char *htext = NULL;
		int hlen = 0;
		int is_head = pst != 1 && heading_at(s, i, &htext, &hlen);
		int dashes = is_dashes(t, n);
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
					ck_buf_puts(&fb, strip_md_links(c->arena, t, n));
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
			para_flush(s, &pb);
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
		if (!in_text && caption_line(s, t, n, 1)) {
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
				if (w == we || w == 0 || !caption_line(s, t + w, we - w, 0))
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
				caption_line(s, t + e, n - e, 1);
			leading_captions(s, t, n);
			continue;
		}
		in_text = 1;
		if (pst == 1) {
			s->paras_numbered_seen = 1;
			para_flush(s, &pb);
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
			para_add(&pb, t + ps.text, n - ps.text, 0);
			/* "1. (C) Classified By: ..." inside the first paragraph */
			if (!c->has_classified_by && starts_ci(t + ps.text, n - ps.text, "Classified By")) {
				int fo;
				if (field_label(t + ps.text, n - ps.text, &fo) == F_CLASSBY) {
					char *cb = ck_arena_strndup(c->arena, t + ps.text + fo, (size_t)(n - ps.text - fo));
					/* it may go on over the next lines of the paragraph */
					for (int j = i + 1; j < s->n && s->L[j].kind == L_TEXT && j < i + 4; j++) {
						int jn;
						const char *jt = ltrim(&s->L[j], &jn);
						struct pstart jp;
						if (strstr(cb, "1.") || para_start(jt, jn, s->L[j].blank_before, &jp) == 1)
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
			para_add(&pb, t, n, l->blank_before);
			continue;
		}
		para_flush(s, &pb);
		pb.active = 1;
		pb.n = 0;
		pb.mark = NULL;
		pb.heading = s->pending_heading;
		s->pending_heading = NULL;
		pb.line = l->no;
		int *pl = ck_vec_push_(c->arena, &plines);
		if (pl)
			*pl = l->no;
		para_add(&pb, t, n, 0);
	}
	FLUSH_FIELD();
	para_flush(s, &pb);
	ck_buf_free(&pb.text);
	ck_buf_free(&fb);
#undef FLUSH_FIELD

	c->paras = s->paras.v;
	c->nparas = s->paras.n;
	if (plines.n >= s->paras.n)
		check_numbers(s, plines.v);
}

/* ---- summary and body ------------------------------------------------- */

static const char *find_ci(const char *h, const char *needle)
{
	size_t nl = strlen(needle);
	for (const char *p = h; *p; p++)
		if (ck_prefix_ci_(p, nl, needle))
			return p;
	return NULL;
}

static void make_summary(struct st *s)
{
	ck_cable *c = s->c;
	ck_buf b = CK_BUF_INIT;
	int on = 0;
	for (size_t i = 0; i < c->nparas; i++) {
		const char *t = c->paras[i].text;
		const char *start = t;
		if (!on) {
			const char *h = c->paras[i].heading;
			const char *sm = NULL;
			if (h && (ck_prefix_ci_(h, (size_t)-1, "summary") ||
				  ck_prefix_ci_(h, (size_t)-1, "begin summary")))
				sm = t;
			else if (ck_prefix_ci_(t, (size_t)-1, "summary") && (t[7] == ':' || t[7] == '.' ||
									  t[7] == ' ' || t[7] == '-'))
				sm = t + 7;
			else if (ck_prefix_ci_(t, (size_t)-1, "begin summary"))
				sm = t + 13;
			if (!sm)
				continue;
			while (*sm == ':' || *sm == '.' || *sm == ' ' || *sm == '-')
				sm++;
			start = sm;
			on = 1;
		}
		const char *end = find_ci(start, "end summary");
		size_t len = end ? (size_t)(end - start) : strlen(start);
		while (len && start[len - 1] == ' ')
			len--;
		if (b.len && len)
			ck_buf_puts(&b, "\n\n");
		ck_buf_put(&b, start, len);
		if (end)
			break;
		if (i > 8)
			break; /* no end in sight: not a summary block */
	}
	if (on && b.len)
		c->summary = ck_arena_strndup(c->arena, b.ptr, b.len);
	ck_buf_free(&b);
}

static void make_body(struct st *s)
{
	ck_cable *c = s->c;
	ck_buf b = CK_BUF_INIT;
	int start = s->banner >= 0 ? s->banner : s->body;
	int pending_blank = 0;
	for (int i = start; i < s->n; i++) {
		struct line *l = &s->L[i];
		if (l->kind == L_DROPPED)
			continue;
		if (l->kind == L_BLANK) {
			pending_blank = b.len > 0;
			continue;
		}
		int n;
		const char *t = l->s;
		n = l->len;
		if (l->join && b.len) {
			int tn;
			const char *tt = ltrim(l, &tn);
			ck_buf_putc(&b, ' ');
			ck_buf_put(&b, tt, (size_t)tn);
			continue;
		}
		if (b.len)
			ck_buf_puts(&b, pending_blank ? "\n\n" : "\n");
		pending_blank = 0;
		/* the renderer's pilcrow before a paragraph number goes */
		int tn;
		const char *tt = ltrim(l, &tn);
		if (tn >= 2 && (unsigned char)tt[0] == 0xC2 && (unsigned char)tt[1] == 0xB6) {
			tt += 2, tn -= 2;
			t = tt, n = tn;
		}
		/* PlusD: "TAGS: [PREL](#)" */
		if (memchr(t, '[', (size_t)n) && strstr(t, "](")) {
			char *x = strip_md_links(c->arena, t, n);
			ck_buf_puts(&b, x);
		} else {
			ck_buf_put(&b, t, (size_t)n);
		}
	}
	/* trailing footer / junk */
	while (b.len) {
		size_t e = b.len;
		while (e && (b.ptr[e - 1] == ' ' || b.ptr[e - 1] == '>' || b.ptr[e - 1] == '\n'))
			e--;
		size_t w = e;
		while (w && b.ptr[w - 1] != '\n')
			w--;
		int n;
		const char *t = b.ptr + w;
		n = (int)(e - w);
		while (n && *t == ' ')
			t++, n--;
		const char *lv;
		if (n && w && (read_level(t, n, &lv) == n || (n == 4 && starts(t, n, "NNNN")) ||
			       (n == 2 && starts(t, n, "BT")))) {
			b.len = w ? w - 1 : 0;
			b.ptr[b.len] = 0;
			continue;
		}
		b.len = e;
		if (b.ptr)
			b.ptr[e] = 0;
		break;
	}
	/* a signer glued to the last sentence was cut from its line */
	if (c->signers.n && b.len) {
		const char *sg = c->signers.v[c->signers.n - 1];
		size_t sl = strlen(sg);
		if (b.len < sl || strcmp(b.ptr + b.len - sl, sg)) {
			ck_buf_puts(&b, "\n");
			ck_buf_puts(&b, sg);
		}
	}
	if (b.len)
		c->body = ck_arena_strndup(c->arena, b.ptr, b.len);
	ck_buf_free(&b);
}

/* ---- putting it together ---------------------------------------------- */

static void finish(struct st *s)
{
	ck_cable *c = s->c;
	/* classification, caveats from the banner */
	if (s->banner >= 0) {
		struct banner b;
		int n;
		const char *t = ltrim(&s->L[s->banner], &n);
		if (is_banner(t, n, &b)) {
			c->classification = b.level;
			for (int k = 0; k < b.ncaveats; k++)
				ck_strv_add_unique_(c->arena, &c->caveats, &s->caveat_cap,
						    ck_arena_strdup(c->arena, b.caveats[k]));
			if (b.nsections)
				c->sections = b.nsections;
			ck_post_idname(b.post, (size_t)b.post_len, s->post, sizeof s->post);
			s->serial = b.serial;
			/* the FM line's post, when the banner's is not a known post
			 * ("QRIPOLI") */
			char fp[64];
			if (c->from && !ck_post_idname_known(s->post) &&
			    ck_post_plad_idname(c->from, fp, sizeof fp) && ck_post_idname_known(fp) &&
			    strlen(fp) == strlen(s->post)) {
				ck_cable_problem(c, "id", s->L[s->banner].no,
						 "post \"%s\" of the classification line is not a known post; "
						 "the FM line's %s is used", s->post, fp);
				snprintf(s->post, sizeof s->post, "%s", fp);
			}
			/* a serial cut short ("TRIPOLI 00011" for #0112) */
			if (c->header.ssn > 0 && s->serial % 10000 != c->header.ssn) {
				int digits = 0;
				for (const char *q = b.post + b.post_len; *q; q++)
					if (ck_isdigit_((unsigned char)*q))
						digits++;
				char ss[24], bs[24];
				snprintf(ss, sizeof ss, "%ld", c->header.ssn);
				snprintf(bs, sizeof bs, "%ld", s->serial);
				if (digits < 6 && s->year >= 1995 && !strncmp(ss, bs, strlen(bs))) {
					ck_cable_problem(c, "id", s->L[s->banner].no,
							 "serial %ld of the classification line is cut short; the "
							 "DE line's #%ld is used", s->serial, c->header.ssn);
					s->serial = c->header.ssn;
				} else {
					ck_cable_problem(c, "serial", s->L[s->banner].no,
							 "serial %ld of the classification line disagrees with the "
							 "DE line's #%ld", s->serial, c->header.ssn);
				}
			}
		}
	}
	if (!c->classification && c->header.security) {
		const char *sec = c->header.security;
		if (strstr(sec, "UUUUU") || strstr(sec, "EEEEE"))
			c->classification = "UNCLASSIFIED";
		else if (strstr(sec, "CCCCC"))
			c->classification = "CONFIDENTIAL";
		else if (strstr(sec, "SSSSS"))
			c->classification = "SECRET";
		else if (strstr(sec, "TTTTT"))
			c->classification = "TOP SECRET";
	}
	/* caveats from the security line: EFTO */
	if (c->header.security && strstr(c->header.security, "EEEEE"))
		ck_strv_add_unique_(c->arena, &c->caveats, &s->caveat_cap, "EFTO");
	/* marking */
	if (c->classification) {
		int noforn = 0, sensitive = 0;
		for (size_t i = 0; i < c->caveats.n; i++) {
			if (strstr(c->caveats.v[i], "NOFORN"))
				noforn = 1;
			if (strstr(c->caveats.v[i], "SENSITIVE"))
				sensitive = 1;
		}
		if (!strcmp(c->classification, "UNCLASSIFIED"))
			c->marking = sensitive ? "UNCLASSIFIED//FOR OFFICIAL USE ONLY" : "UNCLASSIFIED";
		else if (noforn)
			c->marking = ck_arena_printf(c->arena, "%s//NOFORN", c->classification);
		else
			c->marking = c->classification;
	}
	/* precedence */
	if (c->header.dtg_prec)
		c->precedence = prec_word(c->header.dtg_prec[0]);
	else if (c->nto && c->to[0].precedence)
		c->precedence = c->to[0].precedence;
	/* origin */
	if (c->from) {
		char buf[128];
		if (ck_post_origin(c->from, buf, sizeof buf))
			c->origin = ck_arena_strdup(c->arena, buf);
	}
	/* id: YY + post + serial */
	int yy = s->year ? s->year : s->year_hint;
	if (!c->header.dtg && s->year_hint && s->post[0] && s->serial > 0)
		ck_cable_problem(c, "id", 0, "no date-time group: the id's year %d comes from outside the text",
				 s->year_hint);
	if (s->post[0] && s->serial > 0) {
		if (yy)
			c->id = ck_arena_printf(c->arena, "%02d%s%ld", yy % 100, s->post, s->serial);
	} else if (c->from && c->header.ssn > 0 && yy) {
		char buf[64];
		const char *p = c->from;
		/* the FM post: AMEMBASSY ROME -> ROME */
		static const char *const pre[] = {"AMEMBASSY ", "AMCONSUL ", "AMCONGEN ", "USMISSION "};
		for (size_t k = 0; k < sizeof pre / sizeof *pre; k++)
			if (!strncmp(p, pre[k], strlen(pre[k])))
				p += strlen(pre[k]);
		ck_post_idname(p, strlen(p), buf, sizeof buf);
		if (!strcmp(buf, "SECSTATEWASHDC"))
			snprintf(buf, sizeof buf, "STATE");
		if (buf[0]) {
			c->id = ck_arena_printf(c->arena, "%02d%s%ld", yy % 100, buf, c->header.ssn);
			ck_cable_problem(c, "id", 0,
					 "no classification line with post and serial; id made from the "
					 "FM line and the station serial number (modulo 10000)");
		}
	}
	if (!c->date && !c->header.dtg)
		ck_cable_problem(c, "missing-field", 0, "no date-time group");
	if (s->banner < 0 && s->body < s->n)
		ck_cable_problem(c, "missing-field", 0, "no classification line");
	make_summary(s);
	make_body(s);
}

int ck_parse(ck_cable **out, const char *text, size_t len, const ck_parse_opts *opts)
{
	*out = NULL;
	ck_cable *c = ck_cable_new_();
	if (!c)
		return ck_error_set(CK_ENOMEM, "out of memory");
	struct st s;
	memset(&s, 0, sizeof s);
	s.c = c;
	s.banner = -1;
	s.to.size = s.info.size = s.xmt.size = sizeof(ck_addr);
	s.paras.size = sizeof(ck_para);
	if (opts) {
		c->source.file = ck_arena_strdup(c->arena, opts->file);
		c->source.format = ck_arena_strdup(c->arena, opts->format);
		s.year = opts->year;
	}
	size_t nlen, ncp, nnul;
	char *buf = ck_text_normalize_(c->arena, text ? text : "", text ? len : 0, &nlen, &ncp, &nnul);
	if (!buf) {
		ck_cable_free(c);
		return ck_error_set(CK_ENOMEM, "out of memory");
	}
	c->raw = ck_arena_strndup(c->arena, buf, nlen);
	if (ncp)
		ck_cable_problem(c, "encoding", 0, "%zu byte%s not valid UTF-8, read as cp1252", ncp,
				 ncp == 1 ? "" : "s");
	if (nnul)
		ck_cable_problem(c, "encoding", 0, "%zu NUL byte%s removed", nnul, nnul == 1 ? "" : "s");
	if (split_lines(&s, buf, nlen)) {
		ck_cable_free(c);
		return ck_error_set(CK_ENOMEM, "out of memory");
	}
	s.year_hint = s.year;
	s.year = 0;
	undo_doubled_quotes(&s);
	split_inline_fields(&s);
	split_long_lines(&s);
	parse_header(&s);
	if (!s.year)
		s.year = s.year_hint;
	second_copy(&s);
	repair(&s);
	rejoin_split_sentences(&s);
	parse_body(&s);
	finish(&s);
	if (!c->source.format) {
		int plusd = 0;
		for (int i = 0; i < s.n && i < 400; i++)
			if (strstr(s.L[i].s, "](#)") || starts(s.L[i].s, s.L[i].len, "####"))
				plusd = 1;
		c->source.format = plusd ? "plusd" : "text";
	}
	if (!c->id && !c->date && !c->nparas && !c->subject && !c->nrefs && !c->header.dtg && nlen)
		ck_cable_problem(c, "not-a-cable", 0, "no field of a cable found in the text");
	if (!nlen)
		ck_cable_problem(c, "empty", 0, "the input is empty");
	if (ck_arena_failed(c->arena)) { /* a field may be missing: no partial cable */
		ck_cable_free(c);
		return ck_error_set(CK_ENOMEM, "out of memory");
	}
	*out = c;
	return 0;
}
