/*
 * header.c - the transmission header, read up to the classification line:
 * an e-mail preamble (skipped), FL1 VZCZC, FL2 precedence and relays, FL3
 * DE station #SSN, FL4 ZNR/ZNY, FL5 precedence + DTG (the date), FM, TO,
 * INFO and XMT addressees, and receiving-office printout lines (dropped;
 * a flattened one may still give the DTG and FM).  Also the second
 * printout of a cable after "@@@OASYS@@@".
 */
#include "parse/parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- header (format lines) -------------------------------------------- */

static int is_ri(const char *s, int n)
{
	if (n < 4 || n > 8 || (s[0] != 'R' && s[0] != 'Q'))
		return 0;
	return all_upper_word(s, n);
}

const char *ck_prec_word_(char c)
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
static int read_fl5(struct parser *s, const char *t, int n, int lineno)
{
	int i = 0;
	char prec[8];
	int np = 0;
	while (i < n && np < 3 && ck_prec_word_(t[i]) && (i + 1 < n && t[i + 1] == ' ')) {
		prec[np * 2] = t[i];
		prec[np * 2 + 1] = ' ';
		np++;
		i += 2;
	}
	if (!np)
		return 0;
	prec[np * 2 - 1] = 0;
	char iso[32], fixed[16];
	int y, noz = 0;
	if (ck_dtg_iso_(t + i, iso, sizeof iso, &y)) {
		/* "R 290905 NOV 73": the Z lost, the line otherwise a whole
		 * group (6 digits, month, 2-digit year, nothing after) */
		int k = i + 6;
		if (n - i != 13 || !ck_isdigit_((unsigned char)t[i + 5]) || t[k] != ' ' || t[k + 4] != ' ')
			return 0;
		snprintf(fixed, sizeof fixed, "%.6sZ%.7s", t + i, t + k);
		if (ck_dtg_iso_(fixed, iso, sizeof iso, &y))
			return 0;
		noz = 1;
	}
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
		if (noz)
			ck_cable_problem(c, "date", lineno, "date-time group \"%.13s\" without its Z: read as %s",
					 t + i, fixed);
		c->header.dtg = noz ? ck_arena_strdup(c->arena, fixed) : ck_collapse_(c->arena, t + i, (size_t)(e - i));
		c->header.dtg_prec = ck_arena_strdup(c->arena, prec);
		c->date = ck_arena_strdup(c->arena, iso);
		s->year = y;
	}
	return 1;
}

/* "291359Z Nov 00" alone (the partial-extract pages) */
static int read_bare_dtg(struct parser *s, const char *t, int n)
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

/* "Wednesday, 18 August 2004, 16:27": the viewer's rendering of the
 * cable's date, kept in copied text.  Without a date-time group it gives
 * the date (its minutes are the viewer's, reported). */
static void viewer_date(struct parser *s, const char *t, int n, int lineno)
{
	static const char *const mon[] = {"January", "February", "March", "April", "May", "June", "July",
					  "August", "September", "October", "November", "December"};
	const char *p = memchr(t, ',', (size_t)n);
	if (!p || s->c->header.dtg || s->c->date)
		return;
	int d = 0, y = 0, h = 0, mi = 0, m = 0, k = 0;
	char mname[16];
	if (sscanf(p, ", %d %15[A-Za-z] %d, %d:%d%n", &d, mname, &y, &h, &mi, &k) != 5 || k != (int)(t + n - p))
		return;
	for (int i = 0; i < 12; i++)
		if (!strcmp(mname, mon[i]))
			m = i + 1;
	if (!m || d < 1 || d > 31 || y < 1960 || y > 2030 || h > 23 || mi > 59)
		return;
	s->c->date = ck_arena_printf(s->c->arena, "%04d-%02d-%02dT%02d:%02d:00Z", y, m, d, h, mi);
	s->year = y;
	ck_cable_problem(s->c, "date", lineno,
			 "no date-time group: date from the viewer's date line (its minutes may be the "
			 "12-hour clock's hour)");
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
int ck_is_printout_(const char *t, int n)
{
	if ((starts(t, n, "ACTION ") || starts(t, n, "ORIGIN ")) && n > 9) {
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
		int i = ck_read_level_(t, n, &lv);
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
static void add_addr(struct parser *s, struct vec *v, const char *t, int n)
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

int ck_looks_like_addr_(const char *t, int n)
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

/* When every word of t is a routing indicator, add them to the relay list
 * (FL2) and return 1; else change nothing and return 0. */
static int add_relays(struct parser *s, const char *t, int n)
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

/* Lines searched for the VZCZC line after an e-mail preamble: the
 * wrappers seen (From:, Sent:, To:, Subject: and a few lines of text) are
 * under 20 lines. */
#define PREAMBLE_MAX_LINES 60
/* Lines searched for the banner: the longest header in the corpus (a
 * collective with hundreds of INFO addressees) is under 400 lines. */
#define BANNER_SEARCH_LINES 400

/* A preamble before the telegram (an e-mail wrapper: From:, Sent:,
 * Subject: ...): when a VZCZC line follows soon, drop it and return the
 * VZCZC line; else 0. */
static int skip_preamble(struct parser *s)
{
	int first = 0;
	while (first < s->n && s->L[first].kind == L_BLANK)
		first++;
	if (first >= s->n)
		return 0;
	int n0;
	const char *t0 = ltrim(&s->L[first], &n0);
	struct banner b0;
	if (starts(t0, n0, "VZCZC") || ck_is_banner_(t0, n0, &b0) || starts(t0, n0, "This record is a partial"))
		return 0;
	for (int k = first + 1; k < s->n && k < first + PREAMBLE_MAX_LINES; k++) {
		int nk;
		const char *tk = ltrim(&s->L[k], &nk);
		if (starts(tk, nk, "VZCZC")) {
			for (int d = first; d < k; d++)
				s->L[d].kind = L_DROPPED;
			ck_cable_problem(s->c, "preamble", s->L[first].no,
					 "removed %d lines before the telegram header "
					 "(not part of the cable)", k - first);
			return k;
		}
	}
	return 0;
}

/* Where the banner is, if there is one before the text (a paragraph
 * start with a pilcrow); -1 when none. */
static int banner_ahead(struct parser *s, int i)
{
	for (int k = i; k < s->n && k < i + BANNER_SEARCH_LINES; k++) {
		int nk;
		const char *tk = ltrim(&s->L[k], &nk);
		struct banner bk;
		if (s->L[k].kind == L_TEXT && ck_is_banner_(tk, nk, &bk))
			return k;
		struct pstart pk;
		if (nk > 3 && (unsigned char)tk[0] == 0xC2 && ck_para_start_(tk, nk, 1, &pk) == 1)
			break;
	}
	return -1;
}

/* FL3: "DE RUEHRO #1497/01 1901712" - station, serial (SSN), section,
 * Julian date-time.  Returns 1 when t is one. */
static int read_fl3(struct parser *s, const char *t, int n)
{
	ck_cable *c = s->c;
	if (!starts(t, n, "DE ") || n <= 5)
		return 0;
	int k = 3;
	skip_sp(t, n, &k);
	int rs = k;
	while (k < n && ck_isupper_((unsigned char)t[k]))
		k++;
	if (!is_ri(t + rs, k - rs))
		return 0;
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
	return 1;
}

/* "TED7110", "PTQ2529": the printout's own code, on a line alone */
static int is_printout_code(const char *t, int n)
{
	int i = 0;
	while (i < n && i < 3 && ck_isupper_((unsigned char)t[i]))
		i++;
	if (i != 3 || n < 6 || n > 8)
		return 0;
	while (i < n && ck_isdigit_((unsigned char)t[i]))
		i++;
	return i == n;
}

/* "O 261520Z JUL 07": a FL5 line, read without keeping it */
int ck_looks_fl5_(const char *t, int n)
{
	int i = 0;
	while (i + 1 < n && ck_prec_word_(t[i]) && t[i + 1] == ' ')
		i += 2;
	char iso[32];
	int y;
	return i && !ck_dtg_iso_(t + i, iso, sizeof iso, &y);
}

/* A classification line before the transmission header ("TelegramRestricted
 * by caption. UNCLASSIFIED TRIPOLI 00000641", "S E C R E T STATE 00119085"
 * before VZCZC): header lines (VZCZC, DE, FL5, FM) follow it, then another
 * classification line, before any body field. */
static int banner_before_header(struct parser *s, int i)
{
	int hdr = 0;
	for (int k = i + 1; k < s->n && k < i + 120; k++) {
		if (s->L[k].kind != L_TEXT)
			continue;
		int n;
		const char *t = ltrim(&s->L[k], &n);
		struct banner b;
		if (ck_is_banner_(t, n, &b))
			return hdr;
		if (starts(t, n, "VZCZC") || starts(t, n, "FM ") || ck_looks_fl5_(t, n) ||
		    (starts(t, n, "DE R") && n > 8))
			hdr = 1;
		else if (starts(t, n, "SUBJECT") || starts(t, n, "TAGS") || starts(t, n, "E.O."))
			return 0;
	}
	return 0;
}

/* Do header lines (FL5, FM, a printout's office lines) stand between line
 * i and the classification line at b?  Then what is before them (a page's
 * level line, "PAGE 01 STATE 187673", a count) is not the body. */
static int header_ahead(struct parser *s, int i, int b)
{
	for (int k = i + 1; k < b && k < i + 80; k++) {
		if (s->L[k].kind != L_TEXT)
			continue;
		int n;
		const char *t = ltrim(&s->L[k], &n);
		if (starts(t, n, "FM ") || ck_looks_fl5_(t, n) || ck_is_printout_(t, n) || starts(t, n, "VZCZC"))
			return 1;
	}
	return 0;
}

/* "... PRIORITYUNCLAS BEIRUT 01013": the offset of a classification line
 * glued to a precedence word, or 0 */
static int glued_after_precedence(const char *t, int n)
{
	static const char *const w[] = {"PRIORITY", "IMMEDIATE", "ROUTINE"};
	/* one pass: a precedence word's last letter (Y or E) then a capital */
	for (int at = 7; at < n; at++) {
		if (!ck_isupper_((unsigned char)t[at]) || (t[at - 1] != 'Y' && t[at - 1] != 'E'))
			continue;
		for (int k = 0; k < 3; k++) {
			int wl = (int)strlen(w[k]);
			struct banner b;
			if (at >= wl && !memcmp(t + at - wl, w[k], (size_t)wl) && ck_is_banner_(t + at, n - at, &b))
				return at;
		}
	}
	return 0;
}

/* Line i (t, n), in the header, as a classification line: 1 when it is
 * the cable's (s->banner set), 2 when it was dropped (a classification
 * line before the header, a printout's code), 0 when it is neither. */
static int header_banner(struct parser *s, int i, const char *t, int n, int mode, int *saw_header)
{
	ck_cable *c = s->c;
	struct line *l = &s->L[i];
	struct banner b;
	int plain = ck_is_banner_(t, n, &b);
	if (plain || (i < 3 && !*saw_header && ck_glued_banner_at_(t, n) > 0)) {
		if (banner_before_header(s, i)) {
			l->kind = L_DROPPED;
			ck_cable_problem(c, "banner-before-header", l->no,
					 "a classification line before the transmission header: \"%.*s\"; "
					 "the one after the header is read", n > 60 ? 60 : n, t);
			return 2;
		}
		if (plain) {
			s->banner = i;
			return 1;
		}
	}
	/* the last addressee glued to the classification line by
	 * scraping: "AMCONSUL JERUSALEM PRIORITYUNCLAS BEIRUT 01013" */
	if (mode == M_TO || mode == M_INFO || mode == M_XMT) {
		int at = glued_after_precedence(t, n);
		if (at > 0) {
			add_addr(s, mode == M_TO ? &s->to : mode == M_INFO ? &s->info : &s->xmt, t, at);
			ck_cable_problem(c, "header-glued", l->no,
					 "the classification line was glued to the addressee \"%.*s\"", at, t);
			l->s = l->s + (t - l->s) + at;
			l->len = n - at;
			s->banner = i;
			return 1;
		}
	}
	/* "TED7110" above "ORIGIN WHA-00" / "INFO LOG-00 ..." */
	if (is_printout_code(t, n) && i + 1 < s->n) {
		int k = i + 1;
		while (k < s->n && s->L[k].kind == L_BLANK)
			k++;
		int nk;
		const char *tk = k < s->n ? ltrim(&s->L[k], &nk) : NULL;
		if (tk && ck_is_printout_(tk, nk)) {
			l->kind = L_DROPPED;
			*saw_header = 1;
			return 2;
		}
	}
	return 0;
}

/* A classification line glued after header text by a flattened export
 * row: "... BUENOS AIRES 6649\",S E C R E T STATE 049854", within 4 lines
 * of line *i.  When found, the lines before it are dropped, s->banner and
 * *i are set to it, and 1 is returned. */
static int glued_in_row(struct parser *s, int *i)
{
	int k = *i, at = -1;
	for (; k < s->n && k < *i + 4 && at <= 0; k++)
		if (s->L[k].kind == L_TEXT)
			at = ck_glued_banner_at_(s->L[k].s, s->L[k].len);
	if (at <= 0)
		return 0;
	k--;
	for (int d = *i; d < k; d++)
		s->L[d].kind = L_DROPPED;
	struct line *g = &s->L[k];
	ck_cable_problem(s->c, "header-glued", g->no, "the classification line was glued to \"%.*s\"",
			 at > 60 ? 60 : at, g->s);
	g->s += at;
	g->len -= at;
	s->banner = k;
	*i = k;
	return 1;
}

/* Where the header reader stands: the address list a line continues
 * (mode), the list a blank line closed (last_list), whether a header line
 * was seen. */
struct hdr {
	int mode, last_list, saw_header;
};

/* A line of the transmission proper (FL1-FL5: "VZCZC", "OO RUEHDBU
 * RUEHFL", "DE RUEHRO #1497/01 0561234", "ZNR UUUUU", "O 251234Z FEB 07")
 * or of a page around it (viewer date, "PAGE 02 ...", printouts): read
 * it and return 1, else 0. */
static int transmission_line(struct parser *s, struct line *l, const char *t, int n, struct hdr *h)
{
	ck_cable *c = s->c;
	if (starts(t, n, "This record is a partial extract")) {
		l->kind = L_DROPPED;
		return 1;
	}
	if (is_weekday_line(t, n)) {
		l->kind = L_DROPPED;
		viewer_date(s, t, n, l->no);
		return 1;
	}
	if (starts(t, n, "VZCZC")) {
		if (!c->header.transmission)
			c->header.transmission = ck_arena_strndup(c->arena, t, (size_t)n);
		h->saw_header = 1;
		return 1;
	}
	if (n >= 3 && ck_prec_word_(t[0]) && ck_prec_word_(t[1]) && t[2] == ' ' && !c->header.relay.n &&
	    !c->header.station && add_relays(s, t + 3, n - 3)) {
		/* FL2: "OO RUEHDBU RUEHFL ..." */
		c->header.relay_prec = ck_arena_strndup(c->arena, t, 2);
		h->saw_header = 1;
		return 1;
	}
	if (read_fl3(s, t, n)) {
		h->saw_header = 1;
		return 1;
	}
	/* FL2 wrapped: a line of routing indicators only */
	if (c->header.relay.n && !c->header.station && !c->from && add_relays(s, t, n))
		return 1;
	if ((starts(t, n, "ZNR ") || starts(t, n, "ZNY ")) && !c->header.security) {
		c->header.security = ck_collapse_(c->arena, t, (size_t)n);
		h->saw_header = 1;
		return 1;
	}
	if (read_fl5(s, t, n, l->no)) {
		h->saw_header = 1;
		return 1;
	}
	if (read_bare_dtg(s, t, n)) {
		h->saw_header = 1;
		return 1;
	}
	if (ck_page_header_len_(t, n) == n && starts(t, n, "PAGE ")) {
		l->kind = L_DROPPED;
		return 1;
	}
	if (ck_is_printout_(t, n)) {
		ck_printout_fields_(s, t, n);
		l->kind = L_DROPPED;
		h->saw_header = 1;
		return 1;
	}
	return 0;
}

/* FM, TO, INFO, XMT and the addressees that continue their lists, BT and
 * NNNN: read the line and return 1, else 0. */
static int address_line(struct parser *s, const char *t, int n, struct hdr *h)
{
	ck_cable *c = s->c;
	/* "From: AMCONSUL TIJUANA" after header lines counts as FM */
	if (starts(t, n, "FM ") || (h->saw_header && (starts(t, n, "From: ") || starts(t, n, "FROM: ")))) {
		int k = t[2] == ' ' ? 3 : 6;
		if (!c->from)
			c->from = ck_collapse_(c->arena, t + k, (size_t)(n - k));
		h->mode = M_FM;
		h->saw_header = 1;
		return 1;
	}
	if (starts(t, n, "TO ")) {
		h->mode = M_TO;
		add_addr(s, &s->to, t + 3, n - 3);
		h->saw_header = 1;
		return 1;
	}
	if (starts(t, n, "INFO ") && h->saw_header) {
		h->mode = M_INFO;
		add_addr(s, &s->info, t + 5, n - 5);
		return 1;
	}
	if (starts(t, n, "XMT ") && h->saw_header) {
		h->mode = M_XMT;
		add_addr(s, &s->xmt, t + 4, n - 4);
		return 1;
	}
	if ((n == 2 && starts(t, n, "BT")) || (starts(t, n, "NNNN") && n == 4)) {
		h->saw_header = 1;
		return 1;
	}
	if ((h->mode == M_TO || h->mode == M_INFO || h->mode == M_XMT) && ck_looks_like_addr_(t, n)) {
		struct vec *v = h->mode == M_TO ? &s->to : h->mode == M_INFO ? &s->info : &s->xmt;
		/* "RUEHZL/EUROPEAN POLITICAL" / "COLLECTIVE": one word that
		 * finishes the name of the addressee before */
		if (v->n && !memchr(t, ' ', (size_t)n) && !memchr(t, '/', (size_t)n) &&
		    !all_digits(t, n)) {
			ck_addr *prev = (ck_addr *)v->v + v->n - 1;
			if (!prev->precedence && !prev->mcn && prev->name &&
			    (!strcmp(t, "COLLECTIVE") || !strcmp(t, "WASHDC") || !strcmp(t, "DC"))) {
				prev->name = ck_arena_printf(c->arena, "%s %.*s", prev->name, n, t);
				return 1;
			}
		}
		add_addr(s, v, t, n);
		return 1;
	}
	/* "RUEHUB/USINT HAVANA PRIORITY 0060" after a blank line: still an
	 * addressee of the list before the blank */
	if (h->mode == M_NONE && h->last_list != M_NONE && ck_looks_like_addr_(t, n)) {
		const char *sl = memchr(t, '/', (size_t)n);
		if (sl && is_ri(t, (int)(sl - t))) {
			add_addr(s, h->last_list == M_TO ? &s->to : h->last_list == M_INFO ? &s->info : &s->xmt, t, n);
			return 1;
		}
	}
	return 0;
}

/* The address lists read into the cable, and a problem when one was cut
 * at MAX_ADDRS. */
static void put_addressees(struct parser *s)
{
	ck_cable *c = s->c;
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

void ck_parse_header_(struct parser *s)
{
	ck_cable *c = s->c;
	struct hdr h = {M_NONE, M_NONE, 0};
	s->banner = -1;
	int i = skip_preamble(s);
	int banner_at = banner_ahead(s, i);
	for (; i < s->n; i++) {
		if (s->L[i].kind == L_DROPPED)
			continue;
		struct line *l = &s->L[i];
		int n;
		const char *t = ltrim(l, &n);
		if (l->kind == L_BLANK) {
			if (h.mode == M_TO || h.mode == M_INFO || h.mode == M_XMT)
				h.last_list = h.mode;
			if (h.mode == M_TO || h.mode == M_INFO || h.mode == M_XMT || h.mode == M_FM)
				h.mode = M_NONE;
			continue;
		}
		int hb = header_banner(s, i, t, n, h.mode, &h.saw_header);
		if (hb == 1)
			break;
		if (hb == 2)
			continue;
		if (transmission_line(s, l, t, n, &h) || address_line(s, t, n, &h))
			continue;
		if (h.saw_header && banner_at < 0 && glued_in_row(s, &i))
			break;
		/* anything else: the body starts here - unless the banner is
		 * still to come after the header lines seen so far */
		if (banner_at > i && (h.saw_header || header_ahead(s, i, banner_at))) {
			l->kind = L_DROPPED;
			ck_cable_problem(c, "header-line", l->no,
					 "removed a line that is not part of the transmission header: \"%.*s\"",
					 n > 60 ? 60 : n, t);
			continue;
		}
		break;
	}
	s->body = i < s->n ? i : s->n;
	if (s->banner < 0 && !h.saw_header)
		s->body = 0;
	put_addressees(s);
}

/* A flattened printout line may hold the message's own DTG and FM line:
 * "... /38 O 071013Z MAR 02 ZDK FM AMEMBASSY ROME TO ...".  Read them when
 * the cable has none yet. */
void ck_printout_fields_(struct parser *s, const char *t, int n)
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
			if (p[-1] == ' ' && ck_prec_word_(p[0]) && p[1] == ' ' && ck_isdigit_((unsigned char)p[2])) {
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
void ck_second_copy_(struct parser *s)
{
	for (int i = s->body; i < s->n; i++) {
		const char *at = s->L[i].kind == L_BLANK ? NULL : memchr(s->L[i].s, '@', (size_t)s->L[i].len);
		if (!at || !memmem(at, (size_t)(s->L[i].s + s->L[i].len - at), "@@@OASYS@@@", 11))
			continue;
		ck_cable_problem(s->c, "second-copy", s->L[i].no,
				 "the text holds a second printout of the cable from here; it was not read again");
		for (int k = i; k < s->n; k++) {
			if (s->L[k].kind == L_TEXT && ck_is_printout_(s->L[k].s, s->L[k].len))
				ck_printout_fields_(s, s->L[k].s, s->L[k].len);
			s->L[k].kind = L_DROPPED;
		}
		return;
	}
}

/* The year when the header gave no date-time group: the DTG of a later
 * section's printout (partial extracts of multi-section cables), else a
 * year written before the classification line's post. */
void ck_year_fallbacks_(struct parser *s)
{
	ck_cable *c = s->c;
	if (!c->header.dtg) {
		/* a partial extract of a multi-section cable keeps each later
		 * section's printout: "P 121721Z MAY 03" / "FM AMEMBASSY ROME" */
		for (int i = 0; i + 1 < s->n; i++) {
			if (s->L[i].kind == L_BLANK)
				continue;
			int n, k = i + 1;
			const char *t = ltrim(&s->L[i], &n);
			if (n > 24 || !ck_looks_fl5_(t, n))
				continue;
			while (k < s->n && s->L[k].kind == L_BLANK)
				k++;
			int nk;
			const char *tk = k < s->n ? ltrim(&s->L[k], &nk) : NULL;
			if (tk && starts(tk, nk, "FM ") && read_fl5(s, t, n, s->L[i].no)) {
				ck_cable_problem(c, "date", s->L[i].no,
						 "no date-time group in the header; the one of a later section's "
						 "printout is used");
				if (!c->from)
					c->from = ck_collapse_(c->arena, tk + 3, (size_t)nk - 3);
				break;
			}
		}
	}
	if (!s->year && s->banner >= 0) {
		struct banner b;
		int n;
		const char *t = ltrim(&s->L[s->banner], &n);
		if (ck_is_banner_(t, n, &b) && b.year) {
			s->year = b.year;
			ck_cable_problem(c, "id", s->L[s->banner].no,
					 "no date-time group: the year %d is the one written before the "
					 "classification line's post", b.year);
		}
	}
}
