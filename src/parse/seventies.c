/*
 * seventies.c - the telegram layout of 1973-1979 (the State Department's
 * printout, as PlusD holds 1.7 million of them; FORMAT.md section 5,
 * docs/parser.md "1970s telegrams").
 *
 *   LIMITED OFFICIAL USE                        banner (repeated per page)
 *   PAGE 01  ATHENS 02959  171944Z              page header: post cut to 6
 *   11                                          line count ("42/12")
 *   ACTION EUR-25                               office distribution with
 *   INFO  OCT-01  EA-11 ... /096 W              copy counts, and the total
 *   DRAFTED BY NEA/RA:DTMORRISON:BDF            drafter (State's own cables)
 *   APPROVED BY NEA:SSOBER                      approver, then clearances
 *   ------------------094285 190651Z /15        the dashes (control) line
 *   P R 221828 Z MAY 73                         precedence and DTG
 *   FM / TO / INFO                              plain addresses, no RIs
 *   S E C R E T STATE 251696 TOSEC 290096       classification line, series
 *   ... body, PAGE 02 headers inside banners ...
 *   TASCA                                       signer
 *   LIMITED OFFICIAL USE / NNN or NMAFVVZCZ     banner and trailer
 *
 * The printout lines are read into their fields and replaced by blank
 * lines (so that line numbers still point into the input); page breaks
 * inside the text are cut out with their banners so that split sentences
 * join; a few spaced forms are normalized; then the main parser reads
 * what is left (DTG, addresses, classification line, captions, E.O.,
 * TAGS, SUBJECT, REF, paragraphs, signer) and the fields are added.
 */
#include "parse/parser.h"
#include "parse/seventies.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ln {
	const char *s;
	int len;    /* trailing white space trimmed */
	int drop;   /* 1: blank it, 2: cut it out */
	int brk;    /* a blank line goes before it: SUBJECT or REF ends here */
};

struct pagehdr {
	int page;
	char post[32];
	long serial;
	char dtg[8];   /* "171944Z" or "" */
};

static int lead_ws(const char *s, int n)
{
	int i = 0;
	while (i < n && ck_isspace_((unsigned char)s[i]))
		i++;
	return i;
}

static int blank(const struct ln *l)
{
	return lead_ws(l->s, l->len) == l->len;
}

/* The classification level alone on a line (letter-spaced or not). */
static int banner(const char *s, int n)
{
	static const char *const levels[] = {"UNCLASSIFIED", "UNCLAS", "LIMITEDOFFICIALUSE",
					     "CONFIDENTIAL", "SECRET", "TOPSECRET"};
	char sq[32];
	int k = 0;
	for (int i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (ck_isspace_(c))
			continue;
		if (!ck_isupper_(c) || k >= (int)sizeof sq - 1)
			return 0;
		sq[k++] = (char)c;
	}
	sq[k] = 0;
	for (size_t i = 0; i < sizeof levels / sizeof *levels; i++)
		if (!strcmp(sq, levels[i]))
			return 1;
	return 0;
}

static int word_end(const char *s, int n, int i)
{
	while (i < n && !ck_isspace_((unsigned char)s[i]))
		i++;
	return i;
}

static int all_digits(const char *s, int n)
{
	if (n <= 0)
		return 0;
	for (int i = 0; i < n; i++)
		if (!ck_isdigit_((unsigned char)s[i]))
			return 0;
	return 1;
}

/* A special series name: 4-7 capitals starting or ending with "TO"
 * (TOSEC, SECTO, TOAID, AIDTO). */
static int series_word(const char *s, int n)
{
	if (n < 4 || n > 7)
		return 0;
	for (int i = 0; i < n; i++)
		if (!ck_isupper_((unsigned char)s[i]))
			return 0;
	return !memcmp(s, "TO", 2) || !memcmp(s + n - 2, "TO", 2);
}

/* "PAGE 01  ATHENS 02959  171944Z", "PAGE 01 OECD P 28559 01 OF 03 021523Z",
 * "PAGE 02 STATE 055011", "PAGE 01 STATE 181062 TOSEC 190010" (a series
 * after the serial, as on the classification line) */
static int page_header(const char *s, int n, struct pagehdr *h)
{
	int i = lead_ws(s, n);
	if (n - i < 10 || memcmp(s + i, "PAGE ", 5))
		return 0;
	i += 5;
	i += lead_ws(s + i, n - i);
	int e = word_end(s, n, i);
	if (e - i < 1 || e - i > 3 || !all_digits(s + i, e - i))
		return 0;
	memset(h, 0, sizeof *h);
	h->page = ck_digits_(s + i, (size_t)(e - i));
	/* the words after: post words, serial, [NN OF NN], [DDHHMMZ] */
	int w[16][2], nw = 0;
	for (i = e; i < n && nw < 16;) {
		i += lead_ws(s + i, n - i);
		if (i >= n)
			break;
		e = word_end(s, n, i);
		w[nw][0] = i;
		w[nw][1] = e - i;
		nw++;
		i = e;
	}
	if (i < n)
		return 0;
	int last = nw - 1;
	if (last >= 0 && w[last][1] == 7 && s[w[last][0] + 6] == 'Z' && all_digits(s + w[last][0], 6)) {
		memcpy(h->dtg, s + w[last][0], 7);
		last--;
	}
	for (int pass = 0; pass < 2; pass++) {
		if (last >= 3 && w[last - 1][1] == 2 && !memcmp(s + w[last - 1][0], "OF", 2) &&
		    all_digits(s + w[last][0], w[last][1]) && all_digits(s + w[last - 2][0], w[last - 2][1]))
			last -= 3;
		if (last >= 3 && all_digits(s + w[last][0], w[last][1]) &&
		    series_word(s + w[last - 1][0], w[last - 1][1]) &&
		    all_digits(s + w[last - 2][0], w[last - 2][1]))
			last -= 2;
	}
	if (last < 1 || !all_digits(s + w[last][0], w[last][1]) || w[last][1] > 7)
		return 0;
	h->serial = 0; /* the digits in place: the text is not NUL-terminated after them */
	for (int k = 0; k < w[last][1]; k++)
		h->serial = h->serial * 10 + (s[w[last][0] + k] - '0');
	int ps = w[0][0], pe = w[last - 1][0] + w[last - 1][1];
	if (pe - ps >= (int)sizeof h->post)
		return 0;
	for (int k = ps; k < pe; k++)
		if (!ck_isupper_((unsigned char)s[k]) && s[k] != ' ' && s[k] != '.')
			return 0;
	memcpy(h->post, s + ps, (size_t)(pe - ps));
	return 1;
}

/* "PAGE 01" alone on its line: the post and serial are on the next one
 * (the later PlusD copies).  Returns the page number, else 0. */
static int page_only(const char *s, int n)
{
	int i = lead_ws(s, n);
	if (n - i < 6 || memcmp(s + i, "PAGE ", 5))
		return 0;
	i += 5;
	i += lead_ws(s + i, n - i);
	return n - i >= 1 && n - i <= 3 && all_digits(s + i, n - i) ? ck_digits_(s + i, (size_t)(n - i)) : 0;
}

/* "PAGE 02" on line a and "STATE 297216" on line b read as one header. */
static int page_header_split(const char *a, int an, const char *b, int bn, struct pagehdr *h)
{
	char buf[160];
	int i = lead_ws(a, an), j = lead_ws(b, bn);
	if (!page_only(a, an) || bn - j < 3 || an - i + bn - j + 2 > (int)sizeof buf)
		return 0;
	int k = snprintf(buf, sizeof buf, "%.*s %.*s", an - i, a + i, bn - j, b + j);
	return page_header(buf, k, h);
}

/* The page header starting at line k of L[0..n): one line, or "PAGE 02"
 * and its post and serial on the next non-blank line.  Returns the header's
 * last line, or -1. */
static int page_header_at(const struct ln *L, int n, int k, struct pagehdr *h)
{
	if (page_header(L[k].s, L[k].len, h))
		return k;
	if (!page_only(L[k].s, L[k].len))
		return -1;
	int j = k + 1;
	while (j < n && j <= k + 2 && lead_ws(L[j].s, L[j].len) == L[j].len)
		j++;
	return j < n && page_header_split(L[k].s, L[k].len, L[j].s, L[j].len, h) ? j : -1;
}

/* "EUR-25", "S/S-O-01" style office with copy count: length of the code
 * (before the last '-'), 0 when the word is not one. */
static int office_word(const char *s, int n, int *copies)
{
	int d = n;
	while (d > 0 && ck_isdigit_((unsigned char)s[d - 1]))
		d--;
	if (d == n || n - d > 3 || d < 2 || s[d - 1] != '-')
		return 0;
	for (int i = 0; i < d - 1; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!ck_isupper_(c) && !ck_isdigit_(c) && c != '/' && c != '-')
			return 0;
	}
	if (!ck_isupper_((unsigned char)s[0]))
		return 0;
	*copies = ck_digits_(s + d, (size_t)(n - d));
	return d - 1;
}

/* A decision of the printout reading or the text repairs, reported as a
 * problem once the cable exists (the cable is made after the text). */
struct note {
	const char *kind;
	int line;         /* input line, 1-based */
	const char *text;
};
/* Notes kept per cable: cuts of DRAFTED BY / APPROVED BY / clearance
 * lines (a printout has under 20 such lines) and ends of SUBJECT and REF
 * (one each per section header read). */
#define NOTES_MAX 32

struct out {
	ck_cable *c;      /* NULL while the text is read; the fields wait in tmp */
	ck_arena *tmp;
	struct note notes[NOTES_MAX];
	int nnotes;
	struct pagehdr first;
	int have_page;
	const char *line_count, *dist_total, *control, *drafter, *approver, *series;
	ck_strv clearances;
	size_t clear_cap;
	ck_office dist[128];
	int ndist;
	int desired;      /* inside a DESIRED DISTRIBUTION block */
	int odd_lines;    /* printout lines not understood */
};

/* Read the distribution words of a line; returns 0 when a word is
 * neither an office with copies nor the total ("/096 W"). */
static int dist_line(struct out *o, const char *s, int n, const char *role, int commit)
{
	int i = 0, any = 0;
	while (i < n) {
		i += lead_ws(s + i, n - i);
		if (i >= n)
			break;
		int e = word_end(s, n, i), copies;
		int cl;
		if (s[i] == '/' && e - i >= 2 && all_digits(s + i + 1, e - i - 1)) {
			/* the total, "/096 W", "/028  R" */
			int j = e + lead_ws(s + e, n - e);
			int k = word_end(s, n, j);
			if (k - j == 1 && (s[j] == 'W' || s[j] == 'R'))
				e = k;
			else if (j < n)
				return 0;
			if (commit)
				o->dist_total = ck_collapse_(o->tmp, s + i, (size_t)(e - i));
			any = 1;
		} else if ((cl = office_word(s + i, e - i, &copies))) {
			if (commit && o->ndist < (int)(sizeof o->dist / sizeof *o->dist)) {
				ck_office *f = &o->dist[o->ndist++];
				f->code = ck_arena_strndup(o->tmp, s + i, (size_t)cl);
				f->copies = copies;
				f->role = role;
			}
			any = 1;
		} else {
			return 0;
		}
		i = e;
	}
	return any;
}

/* "P R 221828 Z MAY 73", "O 090103Z OCT 76 ZFF4", "R 171600Z MAY 74": the
 * precedence and date-time group.  Writes the normalized line to buf and
 * the two-digit year to *yy.  A group without its Z ("R 290905 NOV 73") is
 * written without it: the main parser accepts and reports it (header.c). */
static int dtg_line(const char *s, int n, char *buf, size_t bufsz, int *yy)
{
	int i = lead_ws(s, n), np = 0;
	char prec[8] = "";
	while (i + 1 < n && np < 3 && strchr("ZOPRY", s[i]) && s[i + 1] == ' ') {
		prec[np * 2] = s[i];
		prec[np * 2 + 1] = ' ';
		np++;
		i += 2;
		i += lead_ws(s + i, n - i);
	}
	if (!np || n - i < 10)
		return 0;
	if (!all_digits(s + i, 6))
		return 0;
	int j = i + 6;
	j += lead_ws(s + j, n - j);
	int z = j < n && s[j] == 'Z'; /* no month starts with Z */
	if (z)
		j++;
	else if (j == i + 6)
		return 0; /* "290905NOV" */
	j += lead_ws(s + j, n - j);
	int m = word_end(s, n, j);
	if (m - j != 3)
		return 0;
	static const char months[] = "JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC";
	int mon = -1;
	for (int k = 0; k < 12; k++)
		if (!memcmp(months + 3 * k, s + j, 3))
			mon = k;
	if (mon < 0)
		return 0;
	int y = m + lead_ws(s + m, n - m);
	int ye = word_end(s, n, y);
	if (ye - y != 2 || !all_digits(s + y, 2))
		return 0;
	snprintf(buf, bufsz, "%.*s%.6s%s %.3s %.2s%.*s", np * 2, prec, s + i, z ? "Z" : "", s + j,
		 s + y, n - ye, s + ye);
	if (yy)
		*yy = (s[y] - '0') * 10 + (s[y + 1] - '0');
	return 1;
}

static int starts_with(const char *s, int n, const char *w)
{
	int m = (int)strlen(w);
	return n >= m && !memcmp(s, w, (size_t)m);
}

static void note(struct out *o, const char *kind, int line, const char *text)
{
	if (o->nnotes < NOTES_MAX && text)
		o->notes[o->nnotes++] = (struct note){kind, line, text};
}

/* A date at v ("3/12/73", "12/3/73", "05/29/73", "4-19-73", "4/ 16/ 73"):
 * its length, else 0. */
static int date_at(const char *v)
{
	int i = 0;
	for (int part = 0; part < 3; part++) {
		int d = i;
		while (ck_isdigit_((unsigned char)v[i]))
			i++;
		if (i == d || i - d > (part == 2 ? 4 : 2) || (part == 2 && i - d != 2 && i - d != 4))
			return 0;
		if (part == 2)
			break;
		if (v[i] != '/' && v[i] != '-')
			return 0;
		i++;
		if (v[i] == ' ')
			i++;
	}
	return ck_isdigit_((unsigned char)v[i]) ? 0 : i;
}

/* A telephone extension at v ("EXT 21234", "EXT. 2-1234", "EXTN: 21234",
 * "X21234", "X-22637"): its length, else 0. */
static int ext_at(const char *v)
{
	int i = 0;
	if (!strncmp(v, "EXTENSION", 9))
		i = 9;
	else if (!strncmp(v, "EXTN", 4))
		i = 4;
	else if (!strncmp(v, "EXT", 3))
		i = 3;
	else if (v[0] == 'X')
		i = 1;
	else
		return 0;
	int spaced = 0;
	while (v[i] == '.' || v[i] == ':' || v[i] == '-' || v[i] == ' ')
		spaced |= v[i++] == ' ';
	if (spaced && i == 2 && v[0] == 'X')
		return 0; /* "X 2" is a word X, not "X2" */
	int d = i;
	while (ck_isdigit_((unsigned char)v[i]) || (v[i] == '-' && ck_isdigit_((unsigned char)v[i + 1])))
		i++;
	return i - d >= 4 && !ck_isalpha_((unsigned char)v[i]) ? i : 0;
}

/*
 * The name part of a DRAFTED BY, APPROVED BY or clearance line, s[0..n)
 * after its label: spaces collapsed, the space some printouts put after
 * the '/' of an office taken out ("S/ PM: ..."), and what trails the name
 * cut - the drafting date and the telephone extension ("EUR/WE:JSMITH:LM
 * 3/12/73 EXT 21234", a line "05/29/73   EXT 20455" of its own, "X-22637").
 * The cut (from the first date or extension to the line end) is noted as a
 * printout problem at input line `line` for the field named `what`.
 * Returns the name ("" when the line held nothing else), in o->tmp.
 */
static const char *printout_name(struct out *o, const char *s, int n, int line, const char *what)
{
	char *v = ck_collapse_(o->tmp, s, (size_t)n);
	if (!v)
		return NULL;
	char *w = v;
	for (const char *r = v; *r; r++)
		if (!(*r == ' ' && r > v && r[-1] == '/' && ck_isupper_((unsigned char)r[1])))
			*w++ = *r;
	*w = 0;
	for (char *p = v; *p; p++) {
		if ((p > v && p[-1] != ' ') || (!date_at(p) && !ext_at(p)))
			continue;
		note(o, "printout", line,
		     ck_arena_printf(o->tmp, "%s: \"%s\" after the name cut (a date or telephone extension)", what,
				     p));
		while (p > v && (p[-1] == ' ' || p[-1] == ',' || p[-1] == ';'))
			p--;
		*p = 0;
		break;
	}
	return v;
}

/* The text after a label ("DRAFTED BY", "APPROVED BY") and an optional
 * ':' on line `line`, its name part (printout_name). */
static const char *after_label(struct out *o, const char *s, int n, int skip, int line, const char *what)
{
	int i = skip;
	i += lead_ws(s + i, n - i);
	if (i < n && s[i] == ':')
		i++;
	return printout_name(o, s + i, n - i, line, what);
}

/* Series after the serial: "S E C R E T STATE 251696 TOSEC 290096".
 * Returns the length of the line without it (0 when there is none). */
static int series_cut(const char *s, int n)
{
	int e = n;
	int d = e;
	while (d > 0 && ck_isdigit_((unsigned char)s[d - 1]))
		d--;
	if (d == e || e - d > 7 || d < 2 || s[d - 1] != ' ')
		return 0;
	int we = d - 1;
	while (we > 0 && s[we - 1] == ' ')
		we--;
	int ws = we;
	while (ws > 0 && ck_isupper_((unsigned char)s[ws - 1]))
		ws--;
	if (!series_word(s + ws, we - ws) || ws < 2 || s[ws - 1] != ' ')
		return 0;
	int k = ws - 1;
	while (k > 0 && s[k - 1] == ' ')
		k--;
	if (k == 0 || !ck_isdigit_((unsigned char)s[k - 1]))
		return 0;
	/* what is left must still name post and serial: in "UNCLAS SECTION 01
	 * OF 03 USNATO 12453" (or TOKYO, TORONTO) the word is the post */
	struct banner b;
	return ck_is_banner_(s + lead_ws(s, k), k - lead_ws(s, k), &b) ? k : 0;
}

/* The line starts with a classification level (maybe letter-spaced). */
static int level_first(const char *s, int n)
{
	static const char *const lv[] = {"UNCLAS", "LIMITED OFFICIAL USE", "C O N F", "CONFIDENTIAL",
					 "S E C R E T", "SECRET", "T O P", "TOP SECRET"};
	for (size_t i = 0; i < sizeof lv / sizeof *lv; i++)
		if (starts_with(s, n, lv[i]))
			return 1;
	return 0;
}

/* Does the line start the paragraph after number `last` ("2. ", "3.  ")?
 * Returns its number, else 0.  Before any (last 0) every number counts: a
 * later section starts where the one before stopped ("4. THE FEDERAL ..."
 * in SECTION 2 OF 3). */
static int next_para(const char *s, int n, int last)
{
	int i = lead_ws(s, n), d = i;
	while (d < n && ck_isdigit_((unsigned char)s[d]))
		d++;
	if (d == i || d - i > 2 || d + 1 >= n || s[d] != '.' || s[d + 1] != ' ')
		return 0;
	int k = ck_digits_(s + i, (size_t)(d - i));
	return k > 0 && (last == 0 || k == last + 1) ? k : 0;
}

int ck_70s_detect(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	int lines = 0, page = 0, printout = 0, year = -1, prevn = 0;
	const char *prev = NULL;
	char dbuf[128];
	while (p < end && lines < 80) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		int n = (int)(le - p);
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\r' || p[n - 1] == '\t'))
			n--;
		int i = lead_ws(p, n);
		if (i < n) {
			struct pagehdr h;
			if (!page && lines < 8 &&
			    ((page_header(p + i, n - i, &h) && h.page == 1) ||
			     (prev && page_header_split(prev, prevn, p + i, n - i, &h) && h.page == 1)))
				page = 1;
			else if (starts_with(p + i, n - i, "DRAFTED BY") || starts_with(p + i, n - i, "------") ||
				 starts_with(p + i, n - i, "ACTION ") || starts_with(p + i, n - i, "ORIGIN "))
				printout = 1;
			else if (dtg_line(p + i, n - i, dbuf, sizeof dbuf, &year))
				break; /* "R 171600Z MAY 74": the year ends the group */
			else if (starts_with(p + i, n - i, "FM ") || starts_with(p + i, n - i, "SUBJ"))
				break;
			/* "PAGE 01" alone: its post and serial may be on the next line */
			prev = page_only(p + i, n - i) ? p + i : NULL;
			prevn = n - i;
			lines++;
		}
		p = nl ? nl + 1 : end;
	}
	/* the printout of later years (1990, 2000 copies with ACTION blocks)
	 * is the main parser's: 1966-1989 only */
	return page && printout && year >= 66 && year <= 89;
}

/* 1. The printout before the date-time group (lines L[0..n)): its lines
 * read into o and dropped; returns the line of the DTG (or, without one,
 * the line after the last printout line, kept as it is); dbuf[0..dsz)
 * gets that line as the parser is to read it. */
static int read_printout(struct out *o, struct ln *L, int n, char *dbuf, size_t dsz)
{
	enum { HEAD, DIST, DRAFT, APPROVED } st = HEAD;
	int i = 0, dtg_at = -1, after_page = 0;
	for (; i < n && i < 200; i++) {
		const char *s = L[i].s + lead_ws(L[i].s, L[i].len);
		int m = L[i].len - (int)(s - L[i].s);
		struct pagehdr h;
		if (!m) {
			L[i].drop = 1;
			continue;
		}
		if (dtg_line(s, m, dbuf, dsz, NULL)) {
			dtg_at = i;
			break;
		}
		L[i].drop = 1;
		if (banner(s, m))
			continue;
		int pe = page_header_at(L, n, i, &h);
		if (pe >= 0) {
			for (; i < pe; i++)
				L[i + 1].drop = 1;
			if (!o->have_page) {
				o->first = h;
				o->have_page = 1;
			}
			after_page = 1;
			continue;
		}
		if (after_page && !o->line_count && m <= 7 && (all_digits(s, m) ||
		    (m > 0 && memchr(s, '/', (size_t)m) && strspn(s, "0123456789/") == (size_t)m))) {
			o->line_count = ck_arena_strndup(o->tmp, s, (size_t)m);
			after_page = 0;
			continue;
		}
		after_page = 0;
		if (starts_with(s, m, "ACTION ") && dist_line(o, s + 7, m - 7, "action", 0)) {
			dist_line(o, s + 7, m - 7, "action", 1);
			st = DIST;
			continue;
		}
		if (starts_with(s, m, "ORIGIN ") && dist_line(o, s + 7, m - 7, "origin", 0)) {
			dist_line(o, s + 7, m - 7, "origin", 1);
			st = DIST;
			continue;
		}
		if (starts_with(s, m, "INFO ") && dist_line(o, s + 5, m - 5, "info", 0)) {
			dist_line(o, s + 5, m - 5, "info", 1);
			st = DIST;
			continue;
		}
		if (st == DIST && dist_line(o, s, m, "info", 0)) {
			dist_line(o, s, m, "info", 1);
			continue;
		}
		if (starts_with(s, m, "DRAFTED BY")) {
			o->drafter = after_label(o, s, m, 10, i + 1, "DRAFTED BY");
			st = DRAFT;
			continue;
		}
		if (starts_with(s, m, "APPROVED BY")) {
			o->approver = after_label(o, s, m, 11, i + 1, "APPROVED BY");
			st = APPROVED;
			continue;
		}
		if (starts_with(s, m, "-----")) {
			int k = 0;
			while (k < m && s[k] == '-')
				k++;
			o->control = ck_collapse_(o->tmp, s + k, (size_t)(m - k));
			st = HEAD;
			continue;
		}
		if (st == DRAFT) {
			const char *v = printout_name(o, s, m, i + 1, "DRAFTED BY");
			if (v && *v)
				o->drafter = o->drafter && *o->drafter ? ck_arena_printf(o->tmp, "%s %s", o->drafter, v) : v;
			continue;
		}
		if (st == APPROVED) {
			const char *v;
			if (starts_with(s, m, "DESIRED DISTRIBUTION"))
				o->desired = 1;
			else if (!o->desired && (v = printout_name(o, s, m, i + 1, "clearance")) && *v)
				ck_strv_push_(o->tmp, &o->clearances, &o->clear_cap, v);
			continue;
		}
		if (all_digits(s, m) && m <= 6) {
			o->odd_lines++; /* a bare number after the distribution block */
			continue;
		}
		/* not printout: leave it to the parser */
		L[i].drop = 0;
	}
	if (dtg_at < 0) {
		/* no date-time group: keep everything after the last printout line */
		dtg_at = i;
		snprintf(dbuf, dsz, "%.*s", i < n ? L[i].len : 0, i < n ? L[i].s : "");
	}
	return dtg_at;
}

/* 2. Page breaks inside the text (banner(s), PAGE NN, banner(s)) and 3.
 * the end (blank lines, trailers, banners after the signer) marked
 * dropped (2) in L[dtg_at..n). */
static void cut_page_breaks(struct out *o, struct ln *L, int n, int dtg_at)
{
	for (int k = dtg_at; k < n; k++) {
		struct pagehdr h;
		int e = page_header_at(L, n, k, &h);
		if (e < 0)
			continue;
		int a = k, z = e;
		while (a - 1 >= dtg_at && (blank(&L[a - 1]) || banner(L[a - 1].s, L[a - 1].len)))
			a--;
		while (z + 1 < n && (blank(&L[z + 1]) || banner(L[z + 1].s, L[z + 1].len)))
			z++;
		/* blank lines at the edges of the run stay when both sides have one */
		int keep = blank(&L[a]) && blank(&L[z]);
		for (int q = a; q <= z; q++)
			L[q].drop = 2;
		if (keep)
			L[a].drop = 0;
		if (!o->have_page) {
			o->first = h;
			o->have_page = 1;
		}
		k = z;
	}
	/* the end: blank lines, trailers, banners after the signer */
	for (int k = n - 1; k >= dtg_at; k--) {
		const char *s = L[k].s + lead_ws(L[k].s, L[k].len);
		int m = L[k].len - (int)(s - L[k].s);
		if (!m || banner(s, m) || (m >= 3 && m <= 4 && strspn(s, "N") == (size_t)m) ||
		    starts_with(s, m, "NMAFVVZCZ") || starts_with(s, m, "ZCZC") ||
		    ck_is_trailer_(s, m)) { /* "*** Current Classification *** ..." */
			L[k].drop = 2;
			continue;
		}
		break;
	}
}

/* The lines of t[0..nlen), trailing blanks cut, in a new array (*n of
 * them), or NULL without memory. */
static struct ln *split_lines(const char *t, size_t nlen, int *np)
{
	int n = 0;
	size_t cap = 64;
	struct ln *L = malloc(cap * sizeof *L);
	for (const char *p = t, *end = t + nlen; L && p <= end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		if ((size_t)n == cap) {
			struct ln *nL = realloc(L, (cap *= 2) * sizeof *L);
			if (!nL) {
				free(L);
				L = NULL;
				break;
			}
			L = nL;
		}
		int m = (int)(le - p);
		while (m && (p[m - 1] == ' ' || p[m - 1] == '\t'))
			m--;
		L[n].s = p;
		L[n].len = m;
		L[n].drop = 0;
		L[n].brk = 0;
		n++;
		if (!nl)
			break;
		p = nl + 1;
	}
	*np = n;
	return L;
}

/* One line of the text after the printout, as the parser is to read it,
 * into b: a series after the serial cut into o->series, "STADIS//////"
 * without its slashes, "E. O." / "N/ A" / "REF: STATE -097844" closed up. */
static void put_text_line(struct out *o, ck_buf *b, const char *s, int m, int after_dtg)
{
	int w = lead_ws(s, m);
	if (!o->series && after_dtg && level_first(s + w, m - w) && series_cut(s, m)) {
		int cut = series_cut(s, m);
		o->series = ck_collapse_(o->tmp, s + cut, (size_t)(m - cut));
		ck_buf_put(b, s, (size_t)cut);
	} else if (m - w >= 6 && m - w <= 16 && s[m - 1] == '/' && ck_isupper_((unsigned char)s[w])) {
		/* "STADIS//////" */
		int e = m;
		while (e > w && s[e - 1] == '/')
			e--;
		ck_buf_put(b, s, (size_t)e);
	} else if (starts_with(s + w, m - w, "E. O.") || starts_with(s + w, m - w, "E.O.") ||
		   starts_with(s + w, m - w, "REF")) {
		/* "E. O. 11652:  N/ A", "REF: STATE -097844" */
		for (int q = 0; q < m; q++) {
			if (s[q] == ' ' && q > 0 && s[q - 1] == '.' && q + 1 < m && s[q + 1] == 'O' &&
			    q < w + 4)
				continue; /* "E. O." */
			if (s[q] == '/' && q + 2 < m && s[q + 1] == ' ' && s[q + 2] == 'A') {
				ck_buf_puts(b, "/A");
				q += 2;
				continue;
			}
			if (s[q] == '-' && q > 0 && s[q - 1] == ' ' && q + 1 < m &&
			    ck_isdigit_((unsigned char)s[q + 1]))
				continue;
			ck_buf_putc(b, s[q]);
		}
	} else {
		ck_buf_put(b, s, (size_t)m);
	}
}

/* "TAGS: OVIP (KISSINGER, HENRY A.)": the main passes keep a person's name
 * with the tag before it, as the 2000s archive does; in the 1970s layout
 * the name is a person tag (as on PlusD's records): the tag becomes
 * "OVIP" and the name goes to person_tags. */
static void person_tags(ck_cable *c)
{
	size_t cap = c->person_tags.n;
	for (size_t i = 0; i < c->tags.n; i++) {
		const char *t = c->tags.v[i], *open = strstr(t, " (");
		size_t n = strlen(t);
		if (!open || open == t || n < 4 || t[n - 1] != ')')
			continue;
		const char *name = open + 2;
		char *who = ck_arena_strndup(c->arena, name, (size_t)(t + n - 1 - name));
		char *code = ck_arena_strndup(c->arena, t, (size_t)(open - t));
		if (!who || !code || !*who)
			continue;
		ck_strv_add_unique_(c->arena, &c->person_tags, &cap, who);
		c->tags.v[i] = code;
	}
}

/* The fields of the printout (o) into c. */
static void printout_fields(ck_cable *c, const struct out *o)
{
	ck_arena *a = c->arena;
	ck_header *hd = &c->header;
	if (o->have_page) {
		hd->page_post = ck_arena_strdup(a, o->first.post);
		if (o->first.dtg[0] && !hd->page_dtg)
			hd->page_dtg = ck_arena_strdup(a, o->first.dtg);
	}
	hd->line_count = ck_arena_strdup(a, o->line_count);
	hd->dist_total = ck_arena_strdup(a, o->dist_total);
	hd->control = ck_arena_strdup(a, o->control);
	/* a label followed only by a date has no name */
	c->drafter = o->drafter && *o->drafter ? ck_arena_strdup(a, o->drafter) : NULL;
	c->approver = o->approver && *o->approver ? ck_arena_strdup(a, o->approver) : NULL;
	c->series = ck_arena_strdup(a, o->series);
	if (o->clearances.n) {
		size_t ccap = 0;
		for (size_t q = 0; q < o->clearances.n; q++)
			ck_strv_push_(a, &c->clearances, &ccap, ck_arena_strdup(a, o->clearances.v[q]));
	}
	if (o->ndist) {
		c->distribution = ck_arena_alloc(a, (size_t)o->ndist * sizeof *c->distribution);
		if (c->distribution) {
			for (int q = 0; q < o->ndist; q++) {
				c->distribution[q] = o->dist[q];
				c->distribution[q].code = ck_arena_strdup(a, o->dist[q].code);
				if (!strcmp(o->dist[q].role, "action") && !c->office_action)
					c->office_action = c->distribution[q].code;
				if (!strcmp(o->dist[q].role, "origin") && !c->office_origin)
					c->office_origin = c->distribution[q].code;
			}
			c->ndistribution = (size_t)o->ndist;
		}
	}
	if (o->odd_lines)
		ck_cable_problem(c, "printout", 0, "%d number line%s of the printout not understood, left out",
				 o->odd_lines, o->odd_lines == 1 ? "" : "s");
	for (int q = 0; q < o->nnotes; q++)
		ck_cable_problem(c, o->notes[q].kind, o->notes[q].line, "%s", o->notes[q].text);
}

/* The page header's post and serial against the id: the id made from
 * them when the text has none, else a problem where they differ. */
static void check_page_id(ck_cable *c, const struct out *o, const ck_parse_opts *opts)
{
	ck_arena *a = c->arena;
	if (o->have_page && o->first.serial > 0) {
		char pid[64];
		if (!ck_post_idname(o->first.post, strlen(o->first.post), pid, sizeof pid))
			pid[0] = 0;
		int year = 0;
		if (c->date)
			year = atoi(c->date);
		else if (opts && opts->year)
			year = opts->year;
		if (!c->id && pid[0] && year) {
			c->id = ck_arena_printf(a, "%02d%s%ld", year % 100, pid, o->first.serial);
			ck_cable_problem(c, "id", 0, "no classification line with post and serial; id made from "
					 "the page header \"%s %ld\"", o->first.post, o->first.serial);
		} else if (c->id && pid[0]) {
			/* same serial, and the id's post starts with the page
			 * header's (cut to 6 characters: "OECD P", "ADDIS") */
			const char *ip = c->id;
			while (ck_isdigit_((unsigned char)*ip))
				ip++;
			const char *is = ip;
			while (*is && !ck_isdigit_((unsigned char)*is))
				is++;
			if (strncmp(ip, pid, strlen(pid)) || atol(is) != o->first.serial)
				ck_cable_problem(c, "page-header", 0,
						 "the page headers say %s %ld, the classification line gives %s",
						 o->first.post, o->first.serial, c->id);
		}
	}
}

/* The signer glued to the last sentence: "AFFAIRS.    PORTER".  Sets
 * *last to the last line kept after the DTG; returns where the name starts
 * on it, or -1. */
static int glued_signer(const struct ln *L, int n, int dtg_at, int *last)
{
	int k = n - 1;
	while (k >= dtg_at && L[k].drop == 2)
		k--;
	*last = k;
	if (k <= dtg_at)
		return -1;
	const char *s = L[k].s;
	int m = L[k].len, e = m;
	while (e > 0 && ck_isupper_((unsigned char)s[e - 1]))
		e--;
	int sp = e;
	while (sp > 0 && s[sp - 1] == ' ')
		sp--;
	return m - e >= 3 && e - sp >= 2 && sp > 0 && s[sp - 1] == '.' ? e : -1;
}

/*
 * Where SUBJECT and REF end when no blank line follows them (scraped and
 * PDF text loses blank lines; the main passes would read an unnumbered
 * first paragraph as more subject or more references).  Rules, each a
 * property of the 1970s layout and not of one cable:
 *
 *  - SUBJECT goes on when its line ends with linking punctuation (, ; : -
 *    / ( &) or a linking word (AND, OF, THE, TO ...), when the next line
 *    starts in lower case or with a joining word (AND, OR, NOR, OF), when
 *    the next line is indented to the column of the subject's text, or
 *    when its line is full (its length, a space and the next line's first
 *    word pass the line width: the teletype wrapped it).  It ends after a
 *    sentence end (a '.', '?' or '!' not closing an abbreviation) before
 *    a capital, after SUBJECT_LINES_MAX lines, and at a line much shorter
 *    than the width that links to nothing - unless the next line stands
 *    alone before a blank line, a paragraph or a label and ends no
 *    sentence ("A NOTE ON THE SPRING" / "CALENDAR" / "1. ..."): text is
 *    sentences, a subject's tail is not.
 *  - REF goes on after a connector (, ; - & / : or a linking word), and
 *    on a line that starts a labelled item (A. B) (C) (1)), a
 *    parenthesis (NOTAL), lower case, a cable id (year, known post or
 *    DEPTEL-style word, serial) or bare serials ("1234, 5678").
 *
 * Each end decided here is a problem (subject / references) on the first
 * line of the text, and a blank line goes before it (ln.brk).
 */
/* The teletype line: 69 characters at most.  A copy's width is its
 * longest text line, but no less than LINE_WIDTH_MIN (PlusD copies of
 * 1973-1977 wrap the text at 57-63 characters; a short telegram's lines
 * say nothing about the width). */
#define LINE_WIDTH_MAX 69
#define LINE_WIDTH_MIN 56
/* A subject takes at most 3 lines (the longest in the 1970s fragments
 * and PlusD pages read take 3). */
#define SUBJECT_LINES_MAX 3

static const char *const linking_words[] = {
	"AND", "OR", "NOR", "OF", "THE", "A", "AN", "TO", "FOR", "IN", "ON", "AT", "BY", "WITH",
	"FROM", "INTO", "ONTO", "ABOUT", "OVER", "UNDER", "BETWEEN", "AGAINST", "VIA", "VS", "PER",
	"ITS", "THEIR", "HIS", "HER", "OUR", "AS", "DATED", "THAT", "WHICH",
};
/* linking words a body sentence does not start with */
static const char *const joining_words[] = {"AND", "OR", "NOR", "OF", "VS", "&"};
/* abbreviations whose '.' ends no sentence ("TALKS WITH MR." / "JONES") */
static const char *const abbrevs[] = {"MR", "MRS", "MS", "DR", "ST", "GEN", "GOV", "AMB", "SEN", "REP", "NO",
				      "LT", "COL", "ADM", "JR", "SR", "VS"};

/* The last word of s[0..n) (after the last space), its start in *ws. */
static int last_word(const char *s, int n, int *ws)
{
	int i = n;
	while (i > 0 && s[i - 1] != ' ')
		i--;
	*ws = i;
	return n - i;
}

/* Does t[0..n) (trimmed) end with a link to the next line: linking
 * punctuation or a linking word? */
static int links_on(const char *t, int n)
{
	if (n && strchr(",;:-/(&", t[n - 1]))
		return 1;
	int ws, wl = last_word(t, n, &ws);
	return CK_IN_LIST(t + ws, wl, linking_words);
}

/* Does t[0..n) end a sentence: '.', '?' or '!' (maybe before a quote or
 * parenthesis), not after a one-letter word ("U.S.") or an abbreviation? */
static int ends_sentence(const char *t, int n)
{
	while (n && (t[n - 1] == '"' || t[n - 1] == ')'))
		n--;
	if (!n || !strchr(".?!", t[n - 1]))
		return 0;
	if (t[n - 1] != '.')
		return 1;
	int ws, wl = last_word(t, n - 1, &ws);
	const char *w = t + ws;
	const char *dot = memchr(w, '.', (size_t)wl);
	if (dot) /* "U.S." */
		return 0;
	return wl > 1 && !CK_IN_LIST(w, wl, abbrevs);
}

/* The first word of t[0..n) (up to a space): its length. */
static int first_word(const char *t, int n)
{
	return word_end(t, n, 0);
}

/* A subject line prev (raw, pn) before next (raw, nn): NULL when next goes
 * on with it, else why the subject ends, written to why.  alone: next is
 * the last line before a blank line, a paragraph, a label or the end. */
static const char *subject_end(const char *prev, int pn, const char *next, int nn, int lines, int col,
			       int width, int alone, char *why, size_t wsz)
{
	int pw = lead_ws(prev, pn), nw = lead_ws(next, nn);
	const char *p = prev + pw, *t = next + nw;
	int pl = pn - pw, tl = nn - nw, fw = first_word(t, tl);
	if (lines >= SUBJECT_LINES_MAX) {
		snprintf(why, wsz, "a subject takes at most %d lines: the text starts here", SUBJECT_LINES_MAX);
		return why;
	}
	if (ends_sentence(p, pl) && !ck_islower_((unsigned char)t[0])) {
		int q = pl > 20 ? 20 : pl;
		snprintf(why, wsz, "the subject line ends a sentence (\"%.*s\"): the text starts here", q,
			 p + pl - q);
		return why;
	}
	if (links_on(p, pl) || ck_islower_((unsigned char)t[0]) || CK_IN_LIST(t, fw, joining_words))
		return NULL;
	if (nw >= 4 && nw >= col - 1 && nw <= col + 1)
		return NULL; /* indented under the subject's text */
	if (pn + 1 + fw > width)
		return NULL; /* the line is full: wrapped */
	if (alone && !ends_sentence(t, tl))
		return NULL; /* "CALENDAR" alone before "1.": no sentence of text */
	snprintf(why, wsz,
		 "the subject line is %d characters of a %d-character line and links to nothing: the text starts here",
		 pn, width);
	return why;
}

/* Digits at t[0..n) that end a number (no letter after them): how many. */
static int number_at(const char *t, int n)
{
	int d = 0;
	while (d < n && ck_isdigit_((unsigned char)t[d]))
		d++;
	return d < n && ck_isalpha_((unsigned char)t[d]) ? 0 : d;
}

/* A cable id at the start of t[0..n): [year] post serial ("STATE 12345",
 * "75 NEW DELHI 1234", "SECSTATE 98765", "DEPTEL 4321", "EMBTELS 12") or bare serials
 * ("1234, 5678", "1234 AND 5678")? */
static int ref_id_at(const char *t, int n)
{
	int i = 0, d = number_at(t, n);
	if (d) {
		int after = d + lead_ws(t + d, n - d);
		if (after >= n || t[d] == ',' || t[d] == ';' || t[after] == '(' ||
		    starts_with(t + after, n - after, "AND "))
			return 1; /* bare serials */
		if ((d != 2 && d != 4) || t[d] != ' ')
			return 0;
		i = after; /* a year before the post */
	}
	int ps = i, pe = i;
	for (int words = 0; words < 4 && i < n; words++) {
		int e = word_end(t, n, i);
		d = number_at(t + i, e - i);
		if (d) {
			char id[64];
			int ws = 0, wl = pe > ps ? last_word(t + ps, pe - ps, &ws) : 0;
			if (d < 2 || !wl)
				return 0;
			if (ck_ref_nickname_(t + ps + ws, (size_t)wl))
				return 1; /* DEPTEL, EMBTELS, URTEL */
			return ck_post_idname(t + ps, (size_t)(pe - ps), id, sizeof id) && ck_post_idname_known(id);
		}
		for (int q = i; q < e; q++)
			if (!ck_isupper_((unsigned char)t[q]) && t[q] != '-' && t[q] != '\'')
				return 0;
		pe = e;
		i = e + lead_ws(t + e, n - e);
	}
	return 0;
}

/* A REF item label at the start of t[0..n): "A. ", "B) ", "(C)", "(1)". */
static int ref_label(const char *t, int n)
{
	if (n >= 3 && t[0] == '(')
		return 1;
	return n >= 3 && ck_isupper_((unsigned char)t[0]) && (t[1] == '.' || t[1] == ')') && t[2] == ' ';
}

/* A REF line prev before next: NULL when next goes on with the list, else
 * why it ends (in why). */
static const char *ref_end(const char *prev, int pn, const char *next, int nn, char *why, size_t wsz)
{
	int pw = lead_ws(prev, pn), nw = lead_ws(next, nn);
	const char *t = next + nw;
	int tl = nn - nw;
	if (links_on(prev + pw, pn - pw) || ref_label(t, tl) || ck_islower_((unsigned char)t[0]) || ref_id_at(t, tl))
		return NULL;
	snprintf(why, wsz, "the line after the REF is no labelled item or cable id: the text starts here");
	return why;
}

/* The text's line width: its longest line after the DTG, within
 * [LINE_WIDTH_MIN, LINE_WIDTH_MAX]. */
static int text_width(const struct ln *L, int n, int dtg_at)
{
	int w = LINE_WIDTH_MIN;
	for (int k = dtg_at + 1; k < n; k++)
		if (!L[k].drop && L[k].len > w)
			w = L[k].len;
	return w > LINE_WIDTH_MAX ? LINE_WIDTH_MAX : w;
}

/* The next line after k that is not cut out, or n. */
static int next_kept(const struct ln *L, int n, int k)
{
	do
		k++;
	while (k < n && L[k].drop == 2);
	return k;
}

/* Is line k the last before a blank line, a paragraph number, a field
 * label or the end? */
static int ends_block(const struct ln *L, int n, int k)
{
	int j = next_kept(L, n, k), off;
	if (j >= n || L[j].drop || blank(&L[j]))
		return 1;
	int w = lead_ws(L[j].s, L[j].len);
	return next_para(L[j].s, L[j].len, 0) || ck_field_label_(L[j].s + w, L[j].len - w, &off) != F_NONE;
}

/* Mark (ln.brk) and note where SUBJECT and REF end in L(dtg_at..n):
 * the rules above, up to the first paragraph or the text after the
 * subject. */
static void field_ends(struct out *o, struct ln *L, int n, int dtg_at)
{
	int width = text_width(L, n, dtg_at);
	int cur = F_NONE, lines = 0, last = -1, col = 0, subject_seen = 0;
	char why[160];
	for (int k = next_kept(L, n, dtg_at); k < n; k = next_kept(L, n, k)) {
		const char *s = L[k].s;
		int m = L[k].len, w = lead_ws(s, m), off;
		if (L[k].drop || w == m) {
			int j = next_kept(L, n, k);
			while (j < n && (L[j].drop || blank(&L[j])))
				j = next_kept(L, n, j);
			if (cur == F_REF && j < n && ref_label(L[j].s + lead_ws(L[j].s, L[j].len),
							       L[j].len - lead_ws(L[j].s, L[j].len)))
				continue; /* the main passes go on over it too */
			if (!(cur == F_SUBJECT && !lines)) /* "SUBJECT:" alone: its text follows */
				cur = F_NONE;
			continue;
		}
		if (next_para(s, m, 0))
			break;
		int f = ck_field_label_(s + w, m - w, &off);
		if (f == F_SUBJECT || f == F_REF) {
			cur = f;
			last = k;
			col = w + off;
			lines = w + off < m;
			subject_seen |= f == F_SUBJECT;
			continue;
		}
		if (f != F_NONE) {
			cur = F_NONE;
			continue;
		}
		if (cur == F_NONE) {
			if (subject_seen)
				break; /* the text */
			continue;  /* addressing lines before the subject */
		}
		const char *end = !lines ? NULL
			: cur == F_SUBJECT ? subject_end(L[last].s, L[last].len, s, m, lines, col, width,
							 ends_block(L, n, k), why, sizeof why)
					   : ref_end(L[last].s, L[last].len, s, m, why, sizeof why);
		if (!end) {
			last = k;
			lines++;
			continue;
		}
		L[k].brk = 1;
		note(o, cur == F_SUBJECT ? "subject" : "references", k + 1, ck_arena_strdup(o->tmp, end));
		break;
	}
}

/* Step 4: the text for the parser into b - page breaks out, the DTG line
 * as dbuf, a blank line before a paragraph number right under the last
 * line of the one before, the glued signer on a line of its own - and
 * map[i], the input line of the text's line i.  Returns the number of
 * lines of the text. */
static int parser_text(struct out *o, const struct ln *L, int n, int dtg_at, const char *dbuf,
		       ck_buf *b, int *map)
{
	int last, glued = glued_signer(L, n, dtg_at, &last);
	int nn = 0, para = 0;
	for (int k = 0; k < n; k++) {
		if (L[k].drop == 2)
			continue;
		int np = k > dtg_at && !L[k].drop ? next_para(L[k].s, L[k].len, para) : 0;
		/* "2." right under the last line of paragraph 1: the printout
		 * has no blank line between paragraphs; and where SUBJECT or
		 * REF ends (field_ends) */
		if (np)
			para = np;
		if ((np && b->len >= 2 && b->ptr[b->len - 1] == '\n' && b->ptr[b->len - 2] != '\n' &&
		     strchr(".:)\"", b->ptr[b->len - 2])) ||
		    L[k].brk) {
			ck_buf_putc(b, '\n');
			map[++nn] = k + 1;
		}
		map[++nn] = k + 1;
		if (L[k].drop == 1) {
			ck_buf_putc(b, '\n');
			continue;
		}
		const char *s = L[k].s;
		int m = L[k].len;
		if (k == last && glued > 0) {
			ck_buf_put(b, s, (size_t)glued);
			ck_buf_putc(b, '\n');
			map[++nn] = k + 1;
			ck_buf_put(b, s + glued, (size_t)(m - glued));
		} else if (k == dtg_at) {
			ck_buf_puts(b, dbuf);
		} else {
			put_text_line(o, b, s, m, k > dtg_at);
		}
		ck_buf_putc(b, '\n');
	}
	return nn;
}

/* The problems' lines back to the input's (map from parser_text), and a
 * problem for each page header cut out. */
static void input_lines(ck_cable *c, const struct ln *L, int n, int dtg_at, const int *map,
			int nn)
{
	for (size_t q = 0; q < c->nproblems; q++)
		if (c->problems[q].line > 0 && c->problems[q].line <= nn)
			c->problems[q].line = map[c->problems[q].line];
	for (int k = dtg_at; k < n; k++) {
		struct pagehdr h;
		int e;
		if (L[k].drop == 2 && (e = page_header_at(L, n, k, &h)) >= 0) {
			if (e == k)
				ck_cable_problem(c, "page-header", k + 1, "removed page header \"%.*s\"",
						 L[k].len, L[k].s);
			else
				ck_cable_problem(c, "page-header", k + 1, "removed page header \"%.*s\" / \"%.*s\"",
						 L[k].len, L[k].s, L[e].len, L[e].s);
			k = e;
		}
	}
}

int ck_70s_parse(ck_cable **out, const char *text, size_t len, const ck_parse_opts *opts,
		 enum ck_id_source_ *id_source)
{
	*out = NULL;
	struct out o;
	memset(&o, 0, sizeof o);
	o.tmp = ck_arena_new();
	struct ln *L = NULL;
	int *map = NULL;
	ck_buf b = CK_BUF_INIT;
	int rc = 0, n = 0;
	size_t nlen, ncp, nnul;
	char *t = o.tmp ? ck_text_normalize_(o.tmp, text ? text : "", text ? len : 0, &nlen, &ncp,
					     &nnul)
			: NULL;
	if (!t) {
		rc = ck_error_set(CK_ENOMEM, "out of memory");
		goto cleanup;
	}
	L = split_lines(t, nlen, &n);
	/* map: up to two text lines per input line, as a blank line goes
	 * before each "2." that sits right under paragraph 1 (60 such
	 * paragraphs overflowed a map of n + 1 entries), and one more for the
	 * glued signer */
	map = L ? malloc(((size_t)n * 2 + 2) * sizeof *map) : NULL;
	if (!L || !map) {
		rc = ck_error_set(CK_ENOMEM, "out of memory");
		goto cleanup;
	}

	/* 1-3. the printout, page breaks and the end */
	char dbuf[128];
	int dtg_at = read_printout(&o, L, n, dbuf, sizeof dbuf);
	cut_page_breaks(&o, L, n, dtg_at);
	field_ends(&o, L, n, dtg_at);
	/* 4. the text for the parser, and where its lines come from */
	int nn = parser_text(&o, L, n, dtg_at, dbuf, &b, map);
	if (!b.ptr && ck_buf_puts(&b, "")) {
		rc = ck_error_set(CK_ENOMEM, "out of memory");
		goto cleanup;
	}

	rc = ck_parse_text_(out, b.ptr, b.len, opts, id_source);
	if (rc)
		goto cleanup;
	ck_cable *c = *out;
	c->raw = ck_arena_strndup(c->arena, t, nlen);
	input_lines(c, L, n, dtg_at, map, nn);
	printout_fields(c, &o);
	person_tags(c);
	check_page_id(c, &o, opts);

cleanup:
	ck_buf_free(&b);
	free(L);
	free(map);
	ck_arena_free(o.tmp);
	return rc;
}

int ck_70s_date_iso(const char *s, size_t n, char out[11])
{
	static const char months[] = "JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC";
	char w[3][16];
	int nw = 0;
	size_t i = 0;
	while (i < n && nw < 3) {
		while (i < n && (s[i] == ' ' || s[i] == '-' || s[i] == ','))
			i++;
		size_t st = i;
		while (i < n && s[i] != ' ' && s[i] != '-' && s[i] != ',')
			i++;
		if (i == st)
			break;
		if (i - st >= sizeof w[0])
			return -1;
		memcpy(w[nw], s + st, i - st);
		w[nw][i - st] = 0;
		nw++;
	}
	if (nw != 3)
		return -1;
	int d, y, mon = -1;
	const char *ms;
	if (strlen(w[0]) == 4 && all_digits(w[0], 4)) {
		/* "2002-05-15", "1974 May 17" */
		if (!all_digits(w[2], (int)strlen(w[2])))
			return -1;
		y = atoi(w[0]);
		d = atoi(w[2]);
		ms = NULL;
		if (all_digits(w[1], (int)strlen(w[1])))
			mon = atoi(w[1]) - 1;
		else
			ms = w[1];
	} else {
		if (!all_digits(w[0], (int)strlen(w[0])) || !all_digits(w[2], (int)strlen(w[2])))
			return -1;
		d = atoi(w[0]);
		y = atoi(w[2]);
		ms = w[1];
	}
	if (ms) {
		if (strlen(ms) < 3)
			return -1;
		for (int k = 0; k < 12; k++)
			if (ck_toupper_((unsigned char)ms[0]) == months[3 * k] &&
			    ck_toupper_((unsigned char)ms[1]) == months[3 * k + 1] &&
			    ck_toupper_((unsigned char)ms[2]) == months[3 * k + 2])
				mon = k;
	}
	if (mon < 0 || mon > 11 || d < 1 || d > 31 || y < 1900 || y > 2100)
		return -1;
	snprintf(out, 11, "%04d-%02d-%02d", y, mon + 1, d);
	return 0;
}
