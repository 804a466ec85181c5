/*
 * html.c - the cable inside a cablegate viewer page.
 *
 * A page (FORMAT.md section 4) holds a metadata table (Reference ID,
 * Created, Released, Classification, Origin) and two <pre> blocks, the
 * telegram header and the body, with every newline written as "&#x000A;",
 * paragraph anchors "<a id='par1' href='#par1'>¶</a>1." and TAGS as links.
 * We join header and body into one telegram text, entities decoded and
 * tags stripped, and take out what is page chrome, not telegram: the
 * viewer's date line ("Thursday, 07 March 2002, 10:13"), the "partial
 * extract" sentence (a flag instead), and the database records some pages
 * leaked at the start of the body (a tab-separated row with "\" line ends,
 * a record of one value per line followed by a copy of the header, an
 * "id: ... header ends" block ...), each repair said in a note.
 *
 * A hand-written scanner (memmem/memchr), no regular expressions, no DOM:
 * the 2,982 corpus pages (209 MB) go through at several hundred MB/s.
 */
#include "read/read.h"
#include "util/utf8.h"

#include <string.h>
#include <strings.h>

void ck_html_page_init(ck_html_page *p)
{
	memset(p, 0, sizeof *p);
}

void ck_html_page_free(ck_html_page *p)
{
	ck_buf_free(&p->text);
	ck_buf_free(&p->note);
	ck_buf_free(&p->scratch);
}

/* ---- entities and tags ------------------------------------------------- */

static const char *const html_tags[] = {
	"a", "b", "br", "code", "div", "em", "font", "i", "p", "pre", "span",
	"strong", "table", "tbody", "td", "th", "thead", "tr", "u", NULL};

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Length of the html element tag at s[0] == '<', or 0 when what follows is
 * not one ("<<Israel>>", "<_protect>" are text of the cable). */
static size_t tag_len(const char *s, size_t n)
{
	size_t i = 1;
	if (i < n && s[i] == '/')
		i++;
	size_t st = i;
	while (i < n && i - st <= 8 && is_alpha((unsigned char)s[i]))
		i++;
	if (i == st || i >= n)
		return 0;
	size_t nl = i - st;
	int known = 0;
	for (int k = 0; html_tags[k]; k++)
		if (strlen(html_tags[k]) == nl && !strncasecmp(html_tags[k], s + st, nl)) {
			known = 1;
			break;
		}
	if (!known)
		return 0;
	char c = s[i];
	if (c != '>' && c != ' ' && c != '/' && c != '\t' && c != '\n')
		return 0;
	size_t lim = n < 2048 ? n : 2048;
	for (; i < lim; i++) {
		if (s[i] == '>')
			return i + 1;
		if (s[i] == '<')
			return 0;
	}
	return 0;
}

/* Decode the entity at s[0] == '&' into o (never more bytes than the
 * entity's own length); returns the bytes consumed, 0 when it is not one
 * we know (then the '&' is text: "R&D;" stays). */
static size_t entity(const char *s, size_t n, char *o, size_t *on)
{
	static const struct {
		const char *name;
		size_t n;
		const char *val;
	} named[] = {
		{"amp;", 4, "&"}, {"lt;", 3, "<"}, {"gt;", 3, ">"},
		{"quot;", 5, "\""}, {"apos;", 5, "'"}, {"nbsp;", 5, "\xC2\xA0"},
	};
	if (n >= 4 && s[1] == '#') {
		size_t i = 2;
		int hex = 0;
		if (s[i] == 'x' || s[i] == 'X') {
			hex = 1;
			i++;
		}
		size_t st = i;
		unsigned long cp = 0;
		while (i < n && i - st < 8) {
			int c = (unsigned char)s[i], v;
			if (is_digit(c))
				v = c - '0';
			else if (hex && c >= 'a' && c <= 'f')
				v = c - 'a' + 10;
			else if (hex && c >= 'A' && c <= 'F')
				v = c - 'A' + 10;
			else
				break;
			cp = cp * (hex ? 16 : 10) + (unsigned long)v;
			i++;
		}
		if (i == st || i >= n || s[i] != ';')
			return 0;
		if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		*on = ck_utf8_put(o, cp);
		return i + 1;
	}
	for (size_t k = 0; k < sizeof named / sizeof named[0]; k++)
		if (n > named[k].n && !memcmp(s + 1, named[k].name, named[k].n)) {
			*on = strlen(named[k].val);
			memcpy(o, named[k].val, *on);
			return named[k].n + 1;
		}
	return 0;
}

int ck_read_html_text(ck_buf *out, const char *s, size_t n)
{
	/* the text never gets longer than the html: grow once */
	if (ck_buf_grow(out, n))
		return CK_ENOMEM;
	char *o = out->ptr + out->len;
	const char *end = s + n;
	const char *amp = memchr(s, '&', n), *lt = memchr(s, '<', n);
	const char *p = s;
	while (p < end) {
		if (amp && amp < p)
			amp = memchr(p, '&', (size_t)(end - p));
		if (lt && lt < p)
			lt = memchr(p, '<', (size_t)(end - p));
		const char *q = amp && (!lt || amp < lt) ? amp : lt;
		if (!q)
			q = end;
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		p = q;
		if (p >= end)
			break;
		if (*p == '&') {
			size_t on = 0, k = entity(p, (size_t)(end - p), o, &on);
			if (k) {
				o += on;
				p += k;
			} else {
				*o++ = *p++;
			}
		} else {
			size_t k = tag_len(p, (size_t)(end - p));
			if (k)
				p += k;
			else
				*o++ = *p++;
		}
	}
	out->len = (size_t)(o - out->ptr);
	out->ptr[out->len] = '\0';
	return 0;
}

/* ---- metadata table ---------------------------------------------------- */

static void copy_trim(char *dst, size_t cap, const char *s, size_t n)
{
	while (n && (s[0] == ' ' || s[0] == '\n' || s[0] == '\t' || s[0] == '\r')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t' ||
		     s[n - 1] == '\r'))
		n--;
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static void parse_meta(ck_html_page *p, const char *s, size_t n)
{
	int col[16];
	int ncol = 0;
	const char *end = s + n, *q = s;
	const char *tr = memmem(s, n, "</tr>", 5);
	if (!tr)
		return;
	while (ncol < 16) {
		const char *th = memmem(q, (size_t)(tr - q), "<th>", 4);
		if (!th)
			break;
		th += 4;
		const char *the = memmem(th, (size_t)(tr - th), "</th>", 5);
		if (!the)
			break;
		char name[32];
		copy_trim(name, sizeof name, th, (size_t)(the - th));
		col[ncol++] = !strcmp(name, "Reference ID") ? 0 :
			      !strcmp(name, "Created") ? 1 :
			      !strcmp(name, "Classification") ? 2 :
			      !strcmp(name, "Origin") ? 3 : -1;
		q = the + 5;
	}
	q = tr + 5;
	ck_buf cell = CK_BUF_INIT;
	for (int c = 0; c < ncol && q < end; c++) {
		const char *td = memmem(q, (size_t)(end - q), "<td", 3);
		if (!td)
			break;
		const char *gt = memchr(td, '>', (size_t)(end - td));
		if (!gt)
			break;
		gt++;
		const char *tde = memmem(gt, (size_t)(end - gt), "</td>", 5);
		if (!tde)
			break;
		q = tde + 5;
		if (col[c] < 0)
			continue;
		ck_buf_clear(&cell);
		if (ck_read_html_text(&cell, gt, (size_t)(tde - gt)))
			break;
		char *dst = col[c] == 0 ? p->meta_id : col[c] == 1 ? p->meta_date :
			    col[c] == 2 ? p->meta_classification : p->meta_origin;
		size_t cap = col[c] == 0 ? sizeof p->meta_id :
			     col[c] == 1 ? sizeof p->meta_date :
			     col[c] == 2 ? sizeof p->meta_classification :
					   sizeof p->meta_origin;
		copy_trim(dst, cap, cell.ptr, cell.len);
	}
	ck_buf_free(&cell);
}

/* ---- body repairs ------------------------------------------------------ */

static size_t line_end(const char *s, size_t n, size_t i)
{
	const char *e = i < n ? memchr(s + i, '\n', n - i) : NULL;
	return e ? (size_t)(e - s) : n;
}

/* start of the line after the one holding i */
static size_t next_line(const char *s, size_t n, size_t i)
{
	size_t e = line_end(s, n, i);
	return e < n ? e + 1 : n;
}

static void drop_prefix(ck_buf *b, size_t k)
{
	if (k > b->len)
		k = b->len;
	memmove(b->ptr, b->ptr + k, b->len - k);
	b->len -= k;
	b->ptr[b->len] = '\0';
}

static void note(ck_html_page *p, const char *msg)
{
	if (p->note.len)
		ck_buf_puts(&p->note, "; ");
	ck_buf_puts(&p->note, msg);
}

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

static int starts(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);
	return n >= m && !memcmp(s, lit, m);
}

static size_t skip_digits(const char *s, size_t n, size_t i)
{
	while (i < n && is_digit((unsigned char)s[i]))
		i++;
	return i;
}

/* "Thursday, 07 March 2002, 10:13": the viewer's rendering of the date */
static int viewer_date_line(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && is_alpha((unsigned char)s[i]))
		i++;
	if (i < 6 || memcmp(s + i - 3, "day", 3) || !starts(s + i, n - i, ", "))
		return 0;
	i += 2;
	size_t d = skip_digits(s, n, i);
	if (d == i || d >= n || s[d] != ' ')
		return 0;
	i = d + 1;
	size_t m = i;
	while (i < n && is_alpha((unsigned char)s[i]))
		i++;
	if (i == m || i >= n || s[i] != ' ')
		return 0;
	d = skip_digits(s, n, i + 1);
	if (d != i + 5 || !starts(s + d, n - d, ", "))
		return 0;
	i = d + 2;
	d = skip_digits(s, n, i);
	if (d == i || d >= n || s[d] != ':')
		return 0;
	i = skip_digits(s, n, d + 1);
	return i == d + 3 && blank(s + i, n - i);
}

/* a reference id such as 07ROME1497 (or a malformed archive id) */
static int refid_line(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	if (n < 4 || !is_digit((unsigned char)s[0]) || !is_digit((unsigned char)s[1]) ||
	    !is_alpha((unsigned char)s[2]))
		return 0;
	for (size_t i = 2; i < n; i++)
		if (!is_alpha((unsigned char)s[i]) && !is_digit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int recid_line(const char *s, size_t n)
{
	size_t i = starts(s, n, "<<") ? 2 : 0;
	size_t d = skip_digits(s, n, i);
	if (d == i || d - i > 9)
		return 0;
	if (i == 2) {
		if (!starts(s + d, n - d, ">>"))
			return 0;
		d += 2;
	}
	return blank(s + d, n - d);
}

static int class_line(const char *s, size_t n)
{
	if (!n || !(s[0] >= 'A' && s[0] <= 'Z'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] >= 'A' && s[i] <= 'Z') && s[i] != '/' && s[i] != ' ' &&
		    s[i] != '\r')
			return 0;
	return 1;
}

/* "This record is a partial extract ... not available." at the start of
 * s (after white space): returns the bytes to drop, 0 when absent. */
size_t ck_read_partial_prefix(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
		i++;
	if (!starts(s + i, n - i, CK_PARTIAL_EXTRACT))
		return 0;
	i += strlen(CK_PARTIAL_EXTRACT);
	static const char more[] = " The full text of the original cable is not available.";
	if (starts(s + i, n - i, more))
		i += sizeof more - 1;
	while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' ||
			 s[i] == '\\' || s[i] == '\t'))
		i++;
	return i;
}

/* Trimmed bounds of the first and the last non-blank line of s. */
static int edge_lines(const char *s, size_t n, const char **first, size_t *fn,
		      const char **last, size_t *ln)
{
	*first = *last = NULL;
	for (size_t i = 0; i < n; i = next_line(s, n, i)) {
		size_t e = line_end(s, n, i), a = i;
		while (a < e && (s[a] == ' ' || s[a] == '\t'))
			a++;
		while (e > a && (s[e - 1] == ' ' || s[e - 1] == '\r' || s[e - 1] == '\t'))
			e--;
		if (e == a)
			continue;
		if (!*first) {
			*first = s + a;
			*fn = e - a;
		}
		*last = s + a;
		*ln = e - a;
		if (e >= n)
			break;
	}
	return *first != NULL;
}

/* The tab-separated row of 37 pages: "[id\t]date\trefid\torigin\tclass\t
 * refs\theader\tcontent", every line ending in "\". */
static int leaked_tab_row(ck_html_page *p, ck_buf *b)
{
	char *s = b->ptr;
	size_t n = b->len;
	size_t e0 = line_end(s, n, 0), tabs = 0;
	for (size_t i = 0; i < e0; i++)
		tabs += s[i] == '\t';
	if (tabs < 2)
		return 0;
	size_t lines = 0, bs = 0;
	for (size_t i = 0; i < n; i = next_line(s, n, i)) {
		size_t e = line_end(s, n, i);
		lines++;
		bs += e > i && s[e - 1] == '\\';
		if (e >= n)
			break;
	}
	if (lines < 2 || bs * 2 < lines)
		return 0;
	/* drop the "\" line ends */
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && (i + 1 == n || s[i + 1] == '\n'))
			continue;
		s[o++] = s[i];
	}
	n = b->len = o;
	s[n] = '\0';
	/* metadata fields hold no newline; then the header field, then the
	 * content */
	size_t i = 0;
	for (int f = 0; f < 6; f++) {
		const char *t = memchr(s + i, '\t', n - i);
		if (!t || memchr(s + i, '\n', (size_t)(t - s) - i))
			break;
		i = (size_t)(t - s) + 1;
	}
	const char *t = memchr(s + i, '\t', n - i);
	if (t) {
		if (ck_read_partial_prefix(s + i, (size_t)(t - s) - i))
			p->partial = 1;
		i = (size_t)(t - s) + 1;
	}
	/* a second row glued after the content: "\t2009-07-06 10:01:00\t" */
	for (size_t k = i; k + 21 < n; k++) {
		const char *u = memchr(s + k, '\t', n - k);
		if (!u)
			break;
		k = (size_t)(u - s);
		const char *d = u + 1;
		/* the id column may come first */
		size_t di = skip_digits(s, n, k + 1);
		if (di > k + 1 && di < n && s[di] == '\t')
			d = s + di + 1;
		if ((size_t)(d - s) + 20 < n && is_digit(d[0]) && is_digit(d[3]) && d[4] == '-' &&
		    d[7] == '-' && d[10] == ' ' && d[13] == ':' && d[16] == ':' &&
		    d[19] == '\t') {
			/* the row's id column on its own line before it */
			size_t c = k;
			while (c > i && is_digit((unsigned char)s[c - 1]))
				c--;
			if (c < k && (c == i || s[c - 1] == '\n'))
				k = c;
			n = b->len = k;
			s[n] = '\0';
			note(p, "a second leaked database row after the body dropped");
			break;
		}
	}
	drop_prefix(b, i);
	note(p, "leaked database row (tab-separated, '\\' line ends) removed from the start of the body");
	return 1;
}

/* Skip a copy of the header at s[i..]: returns the index after it (i when
 * there is none). */
static size_t skip_header_copy(const char *s, size_t n, size_t i, const char *h,
			       size_t hn)
{
	const char *f, *l;
	size_t fn, ln;
	if (!edge_lines(h, hn, &f, &fn, &l, &ln))
		return i;
	size_t j = i;
	while (j < n && (s[j] == '\n' || s[j] == ' ' || s[j] == '\r'))
		j++;
	if (n - j < fn || memcmp(s + j, f, fn))
		return i;
	size_t lim = hn * 2 + 512;
	if (lim > n - j)
		lim = n - j;
	const char *hit = memmem(s + j, lim, l, ln);
	if (!hit)
		return i;
	return next_line(s, n, (size_t)(hit - s));
}

/* One value per line: id (or <<id>>), date, refid, origin, classification,
 * references; then often a copy of the header and the TAGS line. */
static int leaked_lines(ck_html_page *p, ck_buf *b, const char *h, size_t hn)
{
	char *s = b->ptr;
	size_t n = b->len, ls[6], le[6], i = 0;
	for (int k = 0; k < 6; k++) {
		ls[k] = i;
		le[k] = line_end(s, n, i);
		i = le[k] < n ? le[k] + 1 : n;
	}
	if (!recid_line(s, le[0]) || !refid_line(s + ls[2], le[2] - ls[2]) ||
	    !class_line(s + ls[4], le[4] - ls[4]))
		return 0;
	size_t cut = ls[5];
	if (blank(s + ls[5], le[5] - ls[5]) ||
	    (le[5] - ls[5] >= 3 && is_digit((unsigned char)s[ls[5]]) &&
	     is_digit((unsigned char)s[ls[5] + 1]) && is_alpha((unsigned char)s[ls[5] + 2])))
		cut = ls[5] < n ? next_line(s, n, ls[5]) : n;
	size_t after = skip_header_copy(s, n, cut, h, hn);
	int copy = after != cut;
	cut = after;
	/* the TAGS line the record carries, when the body has its own */
	size_t j = cut;
	while (j < n && (s[j] == '\n' || s[j] == ' ' || s[j] == '\r'))
		j++;
	if (copy && starts(s + j, n - j, "TAGS:")) {
		size_t nx = next_line(s, n, j);
		if (memmem(s + nx, n - nx, "\nTAGS", 5) || starts(s + nx, n - nx, "TAGS"))
			cut = nx;
	}
	drop_prefix(b, cut);
	note(p, copy ? "leaked database record (id, date, refid, origin, classification, references) and a copy of the header removed from the start of the body"
		     : "leaked database record (id, date, refid, origin, classification, references) removed from the start of the body");
	return 1;
}

/* "id: 101791" / "date: ..." ... "header:" ... "---- header ends ----" */
static int leaked_keyed(ck_html_page *p, ck_buf *b)
{
	char *s = b->ptr;
	size_t n = b->len, i = 0;
	if (starts(s, n, "..."))
		i = 3;
	if (!starts(s + i, n - i, "id:"))
		return 0;
	size_t d = i + 3;
	while (d < n && s[d] == ' ')
		d++;
	if (skip_digits(s, n, d) == d)
		return 0;
	size_t lim = n < 32768 ? n : 32768;
	const char *he = memmem(s, lim, "header ends", 11);
	size_t cut;
	if (he) {
		cut = next_line(s, n, (size_t)(he - s));
	} else {
		static const char *const keys[] = {"id:", "date:", "refid:", "origin:",
			"classification:", "destination:", "header:", NULL};
		cut = i;
		while (cut < n) {
			int hit = 0;
			for (int k = 0; keys[k]; k++)
				hit |= starts(s + cut, n - cut, keys[k]);
			if (!hit)
				break;
			cut = next_line(s, n, cut);
		}
	}
	drop_prefix(b, cut);
	note(p, "leaked database record (id:, date:, refid: ... header ends) removed from the start of the body");
	return 1;
}

/* "CLASSIFICATION: X" / "MISC: " / "DESTINATION: <header>" / blank line */
static int leaked_caps(ck_html_page *p, ck_buf *b)
{
	char *s = b->ptr;
	size_t n = b->len;
	if (!starts(s, n, "CLASSIFICATION:"))
		return 0;
	size_t l1 = next_line(s, n, 0), l2 = next_line(s, n, l1);
	if (!starts(s + l1, n - l1, "MISC:") || !starts(s + l2, n - l2, "DESTINATION:"))
		return 0;
	size_t cut = l2;
	while (cut < n) {
		size_t e = line_end(s, n, cut);
		if (cut != l2 && blank(s + cut, e - cut))
			break;
		cut = e < n ? e + 1 : n;
	}
	drop_prefix(b, cut);
	note(p, "leaked database record (CLASSIFICATION:, MISC:, DESTINATION: and the header) removed from the start of the body");
	return 1;
}

/* "[ID:190812 ]Cable dated:2005-11-29T14:19:00" glued to the body */
static int leaked_dated(ck_html_page *p, ck_buf *b)
{
	char *s = b->ptr;
	size_t n = b->len, i = 0;
	if (starts(s, n, "ID:")) {
		i = skip_digits(s, n, 3);
		if (i == 3 || i >= n || s[i] != ' ')
			return 0;
		i++;
	}
	if (!starts(s + i, n - i, "Cable dated:"))
		return 0;
	i += 12;
	/* 2005-11-29T14:19:00 */
	size_t j = i;
	while (j < n && j - i < 19 && (is_digit((unsigned char)s[j]) || s[j] == '-' ||
				       s[j] == 'T' || s[j] == ':'))
		j++;
	drop_prefix(b, j);
	note(p, "leaked \"Cable dated:\" stamp removed from the start of the body");
	return 1;
}

/* A comma-separated record ("155163,5/22/2008 22:53,08BUENOSAIRES702,
 * "Embassy Buenos Aires",CONFIDENTIAL,refs,"<header>","C O N F ...") glued
 * before the classification line: cut up to that line. */
static int leaked_commas(ck_html_page *p, ck_buf *b)
{
	char *s = b->ptr;
	size_t n = b->len, e = line_end(s, n, 0), commas = 0;
	if (!n || !is_digit((unsigned char)s[0]))
		return 0;
	for (size_t i = 0; i < e && i < 300; i++)
		commas += s[i] == ',';
	if (commas < 3)
		return 0;
	/* one of the first three fields is the record's reference id */
	int hasid = 0;
	for (size_t i = 0, f = 0; f < 3 && i < e && !hasid; f++) {
		const char *c = memchr(s + i, ',', e - i);
		size_t fe = c ? (size_t)(c - s) : e;
		char id[48];
		size_t k = 0;
		for (size_t j = i; j < fe && k < sizeof id - 1; j++)
			if (s[j] != ' ' && s[j] != '"')
				id[k++] = s[j];
		hasid = k < sizeof id - 1 && refid_line(id, k);
		i = fe + 1;
	}
	if (!hasid)
		return 0;
	static const char *const marks[] = {"C O N F I D E N T I A L", "S E C R E T",
					    "UNCLAS", NULL};
	size_t lim = n < 16384 ? n : 16384, cut = lim;
	for (int k = 0; marks[k]; k++) {
		size_t m = strlen(marks[k]);
		for (const char *q = s; (q = memmem(q, lim - (size_t)(q - s), marks[k], m)); q++) {
			size_t at = (size_t)(q - s);
			if (k == 2 && at + m < n && s[at + m] == 'S')
				continue; /* UNCLASSIFIED: the record's own column */
			if (at < cut)
				cut = at;
			break;
		}
	}
	if (cut == lim || cut == 0)
		return 0;
	if (memmem(s, cut, CK_PARTIAL_EXTRACT, strlen(CK_PARTIAL_EXTRACT)))
		p->partial = 1;
	drop_prefix(b, cut);
	note(p, "leaked comma-separated database record removed from the start of the body");
	return 1;
}

static void clean_body(ck_html_page *p, ck_buf *b, const char *h, size_t hn)
{
	if (!b->len)
		return;
	size_t e = line_end(b->ptr, b->len, 0);
	if (viewer_date_line(b->ptr, e))
		drop_prefix(b, e < b->len ? e + 1 : e);
	if (!leaked_tab_row(p, b) && !leaked_lines(p, b, h, hn) &&
	    !leaked_keyed(p, b) && !leaked_caps(p, b) && !leaked_dated(p, b))
		leaked_commas(p, b);
	size_t k = ck_read_partial_prefix(b->ptr, b->len);
	if (k) {
		p->partial = 1;
		drop_prefix(b, k);
	}
}

/* ---- the page ---------------------------------------------------------- */

/* Find the next "<pre...>" at or after from; the content goes to cs..ce. */
static int find_pre(const char *buf, size_t len, size_t from, size_t *tag,
		    size_t *cs, size_t *ce, int *closed)
{
	size_t i = from;
	for (;;) {
		const char *q = i < len ? memmem(buf + i, len - i, "<pre", 4) : NULL;
		if (!q)
			return 0;
		i = (size_t)(q - buf);
		if (i + 4 < len && (q[4] == '>' || q[4] == ' ' || q[4] == '\t' || q[4] == '\n'))
			break;
		i += 4;
	}
	const char *gt = memchr(buf + i, '>', len - i);
	if (!gt)
		return 0;
	*tag = i;
	*cs = (size_t)(gt - buf) + 1;
	const char *end = memmem(buf + *cs, len - *cs, "</pre>", 6);
	*closed = end != NULL;
	*ce = end ? (size_t)(end - buf) : len;
	return 1;
}

int ck_read_html(ck_html_page *p, const char *buf, size_t len)
{
	ck_buf_clear(&p->text);
	ck_buf_clear(&p->note);
	ck_buf_clear(&p->scratch);
	p->meta_id[0] = p->meta_date[0] = p->meta_classification[0] = p->meta_origin[0] = '\0';
	p->partial = p->truncated = 0;
	p->pre_offset = 0;

	size_t from = 0;
	const char *t = memmem(buf, len, "<table class='cable'>", 21);
	if (!t)
		t = memmem(buf, len, "<table class=\"cable\">", 21);
	if (t) {
		size_t ts = (size_t)(t - buf);
		const char *te = memmem(t, len - ts, "</table>", 8);
		size_t tn = te ? (size_t)(te - t) : (len - ts < 16384 ? len - ts : 16384);
		parse_meta(p, t, tn);
		from = ts;
	}
	size_t tag1, hs, he, tag2, bs, be;
	int c1, c2;
	if (!find_pre(buf, len, from, &tag1, &hs, &he, &c1) &&
	    (!from || !find_pre(buf, len, 0, &tag1, &hs, &he, &c1)))
		return ck_error_set(CK_EPARSE, "html page without <pre> blocks (not a viewer page)");
	p->pre_offset = (long long)tag1;
	int two = c1 && find_pre(buf, len, he + 6, &tag2, &bs, &be, &c2);
	if (!c1 || (two && !c2))
		p->truncated = 1;
	if (!two) { /* a single block: the body */
		bs = hs;
		be = he;
		hs = he = 0;
	}
	if (ck_read_html_text(&p->text, buf + hs, he - hs) ||
	    ck_read_html_text(&p->scratch, buf + bs, be - bs))
		return CK_ENOMEM;
	size_t k = ck_read_partial_prefix(p->text.ptr ? p->text.ptr : "", p->text.len);
	if (k) {
		p->partial = 1;
		drop_prefix(&p->text, k);
	}
	clean_body(p, &p->scratch, p->text.ptr ? p->text.ptr : "", p->text.len);
	if (blank(p->text.ptr ? p->text.ptr : "", p->text.len))
		ck_buf_clear(&p->text);
	else if (ck_buf_putc(&p->text, '\n'))
		return CK_ENOMEM;
	if (ck_buf_put(&p->text, p->scratch.ptr ? p->scratch.ptr : "", p->scratch.len))
		return CK_ENOMEM;
	if (p->truncated)
		note(p, "page truncated: a <pre> block is not closed");
	return 0;
}
