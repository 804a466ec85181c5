/*
 * record.c - an export record inside plain telegram text.
 *
 * Text copied out of a database dump or a viewer page often carries the
 * record the cable was exported with, before (or glued to) the header
 * (issue 12, "export metadata before the header"):
 *
 *   id: 57696 / date: 3/22/2006 19:48 / refid: 06BOGOTA2554 / origin: ... /
 *     classification: ... / destination: / header: <copy> / --- header ends ---
 *   55988 / 2006-03-09 22:28:00 / 06MEXICO1311 / Embassy Mexico /
 *     UNCLASSIFIED//FOR OFFICIAL USE ONLY / refs   (one value per line)
 *   22350<TAB>2004-11-02 18:31:00<TAB>04BOGOTA11339<TAB>Embassy Bogota<TAB>...
 *   34552,6/13/2005 15:12,05BOGOTA5616,"Embassy Bogota",CONFIDENTIAL,...
 *   [ID:190812 ]Cable dated:2005-11-29T14:19:00C O N F I D E N T I A L ...
 *   CLASSIFICATION: CONFIDENTIAL / MISC: / DESTINATION: <copy of the header>
 *
 * The record is not a cable of its own and not telegram text: its values
 * are read here as the page's metadata (the parser weighs them as evidence:
 * the text wins, the record fills what the text lacks, e.g. a partial
 * extract's year or a NOFORN the text does not state), and the keyed form's
 * lines are cut from the text together with the first printout of the
 * header when the record holds a copy of it.
 */
#include "read/read.h"

#include <stdio.h>
#include <string.h>

static int dig(int c)
{
	return c >= '0' && c <= '9';
}

static int alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int has(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);
	return n >= m && !memcmp(s, lit, m);
}

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t' || **s == '"'))
		(*s)++, (*n)--;
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r' ||
		      (*s)[*n - 1] == '"' || (*s)[*n - 1] == '\\'))
		(*n)--;
}

static void put(char *dst, size_t cap, const char *s, size_t n)
{
	trim(&s, &n);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static int num(const char *s, size_t n, size_t *i, int maxd, int *v)
{
	size_t k = *i;
	int x = 0;
	while (k < n && dig((unsigned char)s[k]) && (int)(k - *i) < maxd)
		x = x * 10 + (s[k++] - '0');
	if (k == *i)
		return 0;
	*i = k;
	*v = x;
	return 1;
}

/* "2006-03-09 22:28:00", "2005-11-29T14:19:00", "3/22/2006 19:48" ->
 * "YYYY-MM-DD HH:MM" in out; returns the bytes read, 0 when not a date. */
static size_t read_date(const char *s, size_t n, char *out, size_t cap)
{
	size_t i = 0;
	int y, mo, d, h = 0, mi = 0;
	if (n >= 10 && dig((unsigned char)s[0]) && dig((unsigned char)s[3]) && s[4] == '-') {
		if (!num(s, n, &i, 4, &y) || i != 4 || s[i++] != '-' || !num(s, n, &i, 2, &mo) ||
		    i >= n || s[i++] != '-' || !num(s, n, &i, 2, &d))
			return 0;
	} else {
		if (!num(s, n, &i, 2, &mo) || i >= n || s[i++] != '/' || !num(s, n, &i, 2, &d) ||
		    i >= n || s[i++] != '/' || !num(s, n, &i, 4, &y) || y < 1900)
			return 0;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return 0;
	size_t j = i;
	if (j < n && (s[j] == ' ' || s[j] == 'T')) {
		j++;
		if (num(s, n, &j, 2, &h) && j < n && s[j] == ':' && (j++, num(s, n, &j, 2, &mi))) {
			i = j;
			if (i + 2 < n && s[i] == ':' && dig((unsigned char)s[i + 1]))
				i += 3;
		} else {
			h = mi = 0;
		}
	}
	snprintf(out, cap, "%04d-%02d-%02d %02d:%02d", y % 10000, mo, d, h % 100, mi % 100);
	return i;
}

/* a reference id such as 07ROME1497 (letters and digits, two digits first) */
static int refid(const char *s, size_t n)
{
	trim(&s, &n);
	if (n < 5 || n > 40 || !dig((unsigned char)s[0]) || !dig((unsigned char)s[1]) ||
	    !alpha((unsigned char)s[2]) || !dig((unsigned char)s[n - 1]))
		return 0;
	for (size_t i = 2; i < n; i++)
		if (!alpha((unsigned char)s[i]) && !dig((unsigned char)s[i]))
			return 0;
	return 1;
}

/* an archive marking: CONFIDENTIAL, SECRET//NOFORN, UNCLASSIFIED//FOR ... */
static int marking(const char *s, size_t n)
{
	trim(&s, &n);
	static const char *const lv[] = {"UNCLASSIFIED", "CONFIDENTIAL", "SECRET", "TOP SECRET",
					 "LIMITED OFFICIAL USE", NULL};
	for (int k = 0; lv[k]; k++) {
		size_t m = strlen(lv[k]);
		if (has(s, n, lv[k]) && (n == m || (n > m + 1 && s[m] == '/' && s[m + 1] == '/')))
			return 1;
	}
	return 0;
}

struct ln {
	const char *s;
	size_t n, at, next; /* text, length, offset of the line and of the next */
};

static void line_at(const char *s, size_t n, size_t i, struct ln *l)
{
	const char *nl = i < n ? memchr(s + i, '\n', n - i) : NULL;
	size_t e = nl ? (size_t)(nl - s) : n;
	l->s = s + i;
	l->n = e - i;
	l->at = i;
	l->next = nl ? e + 1 : n;
	while (l->n && (l->s[l->n - 1] == '\r' || l->s[l->n - 1] == ' '))
		l->n--;
}

/* Split a row on sep (quotes respected) into at most 8 fields. */
static int fields(const char *s, size_t n, char sep, const char **f, size_t *fl)
{
	int k = 0, q = 0;
	size_t st = 0;
	for (size_t i = 0; i <= n && k < 8; i++) {
		if (i < n && s[i] == '"')
			q = !q;
		if (i == n || (s[i] == sep && !q)) {
			f[k] = s + st;
			fl[k++] = i - st;
			st = i + 1;
		}
	}
	return k;
}

/* A row of id?, date, refid, origin, classification (tab or comma
 * separated) at the start of line l. */
static int row(const struct ln *l, char sep, ck_text_record *r)
{
	const char *f[8];
	size_t fl[8];
	int k = fields(l->s, l->n, sep, f, fl);
	for (int d = 0; d <= 1 && d + 4 <= k; d++) {
		char date[24];
		const char *ds = f[d];
		size_t dn = fl[d];
		trim(&ds, &dn);
		if (read_date(ds, dn, date, sizeof date) && refid(f[d + 1], fl[d + 1]) &&
		    d + 3 < k && marking(f[d + 3], fl[d + 3])) {
			snprintf(r->date, sizeof r->date, "%s", date);
			put(r->id, sizeof r->id, f[d + 1], fl[d + 1]);
			put(r->origin, sizeof r->origin, f[d + 2], fl[d + 2]);
			put(r->classification, sizeof r->classification, f[d + 3], fl[d + 3]);
			return 1;
		}
	}
	return 0;
}

/* A keyed export record from line l on: "id: 190812", "date: 2005-11-29
 * 14:19", "refid: 05ROME1234", "origin:", "classification:", then
 * "header:"; when the record holds a copy of the header up to "header
 * ends", the printout before the record is the same header, and is cut.
 * Returns 1 when the record gave an id or a date. */
static int keyed_record(const char *s, size_t n, const struct ln *l, ck_text_record *r)
{
	size_t j = l->at;
	struct ln k;
	for (int m = 0; m < 9 && j < n; m++, j = k.next) {
		line_at(s, n, j, &k);
		const char *u = k.s;
		size_t un = k.n, c;
		if (has(u, un, "..."))
			u += 3, un -= 3;
		const char *colon = memchr(u, ':', un);
		if (!colon)
			break;
		c = (size_t)(colon - u) + 1;
		if (has(u, un, "date:"))
			read_date(u + c + (u[c] == ' '), un - c - (u[c] == ' '), r->date, sizeof r->date);
		else if (has(u, un, "refid:"))
			put(r->id, sizeof r->id, u + c, un - c);
		else if (has(u, un, "origin:"))
			put(r->origin, sizeof r->origin, u + c, un - c);
		else if (has(u, un, "classification:"))
			put(r->classification, sizeof r->classification, u + c, un - c);
		else if (has(u, un, "header:")) {
			j = k.next;
			break;
		} else if (!has(u, un, "id:") && !has(u, un, "destination:"))
			break;
	}
	if (!r->id[0] && !r->date[0])
		return 0;
	r->cut_from = l->at;
	r->cut_to = j;
	const char *he = memmem(s + j, n - j < 32768 ? n - j : 32768, "header ends", 11);
	if (he) {
		struct ln h;
		line_at(s, n, (size_t)(he - s), &h);
		while (h.at > 0 && s[h.at - 1] != '\n')
			h.at--;
		r->end_from = h.at;
		r->end_to = h.next;
		r->cut_from = 0;
	}
	r->note = "an export record (id:, date:, refid: ... header ends) read as the page's metadata and cut from the text";
	return 1;
}

/* A record at line l whose text t starts with a digit: one value per line
 * ("190812" / "2005-11-29 14:19" / "05ROME1234" / "Embassy Rome" /
 * "CONFIDENTIAL"), or an export row of those, tab- or comma-separated.
 * Returns 1 when read. */
static int numbered_record(const char *s, size_t n, const struct ln *l, const char *t, size_t tn,
			   ck_text_record *r)
{
	char date[24];
	struct ln k;
	line_at(s, n, l->next, &k);
	size_t di = 0;
	while (di < tn && dig((unsigned char)t[di]))
		di++;
	if (di == tn && di <= 9 && read_date(k.s, k.n, date, sizeof date) == k.n) {
		struct ln f3, f4, f5;
		line_at(s, n, k.next, &f3);
		line_at(s, n, f3.next, &f4);
		line_at(s, n, f4.next, &f5);
		if (refid(f3.s, f3.n) && marking(f5.s, f5.n)) {
			snprintf(r->date, sizeof r->date, "%s", date);
			put(r->id, sizeof r->id, f3.s, f3.n);
			put(r->origin, sizeof r->origin, f4.s, f4.n);
			put(r->classification, sizeof r->classification, f5.s, f5.n);
			r->note = "an export record (one value per line) read as the page's metadata";
			return 1;
		}
	}
	if ((memchr(t, '\t', tn) && row(l, '\t', r)) || (memchr(t, ',', tn) && row(l, ',', r))) {
		r->note = "an export row (id, date, refid, origin, classification) read as the page's metadata";
		return 1;
	}
	return 0;
}

/* "[ID:190812 ]Cable dated:2005-11-29T14:19:00]" glued before the
 * classification line: the date read, the stamp cut.  Returns 1 when read. */
static int cable_dated(const char *s, const char *t, size_t tn, ck_text_record *r)
{
	const char *cd = tn >= 12 ? memmem(t, tn < 40 ? tn : 40, "Cable dated:", 12) : NULL;
	size_t dl = cd ? read_date(cd + 12, tn - (size_t)(cd + 12 - t), r->date, sizeof r->date) : 0;
	if (!dl)
		return 0;
	const char *e = cd + 12 + dl;
	while (e < t + tn && (*e == ']' || *e == ' '))
		e++;
	const char *b = has(t, tn, "ID:") || has(t, tn, "[ID:") ? t : cd;
	r->cut_from = (size_t)(b - s);
	r->cut_to = (size_t)(e - s);
	r->note = "a \"Cable dated:\" stamp read as the page's metadata and cut from the text";
	return 1;
}

int ck_read_text_record(const char *s, size_t n, ck_text_record *r)
{
	memset(r, 0, sizeof *r);
	struct ln l;
	int lines = 0;
	for (size_t i = 0; i < n && lines < 400; i = l.next, lines++) {
		line_at(s, n, i, &l);
		const char *t = l.s;
		size_t tn = l.n;
		while (tn && (*t == ' ' || *t == '\t'))
			t++, tn--;
		if (has(t, tn, "SUBJECT") || has(t, tn, "TAGS") || has(t, tn, "SUBJ:"))
			return 0; /* the body: no record before it */
		if (has(t, tn, "...id:") || has(t, tn, "id:")) {
			if (keyed_record(s, n, &l, r))
				return 1;
			continue;
		}
		if ((tn == l.n || t == l.s) && tn && dig((unsigned char)t[0]) && numbered_record(s, n, &l, t, tn, r))
			return 1;
		if (cable_dated(s, t, tn, r))
			return 1;
		if (has(t, tn, "CLASSIFICATION:") && marking(t + 15, tn - 15)) {
			put(r->classification, sizeof r->classification, t + 15, tn - 15);
			r->note = "an export record (CLASSIFICATION:, MISC:, DESTINATION:) read as the page's metadata";
			return 1;
		}
	}
	return 0;
}
