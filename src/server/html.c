/*
 * html.c - the one HTML escaping function of the web UI and the helpers
 * built on it: search snippets (only <mark> survives), URL encoding, search
 * links and query refinement, the page frame, and the small pieces every
 * page shares (links, marking badges, dates, the "≈" of an estimate).
 *
 * Every byte of cable text, query text or archive output that reaches a
 * page goes through ck_html_esc() (text and attribute values alike).  It
 * also keeps pages valid: invalid UTF-8 and control characters become
 * U+FFFD, so a cp1252 stray byte cannot break the document.
 */
#include "server/server.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char REPL[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* Length of the UTF-8 sequence at s (1-4); 0 when invalid (a stray or
 * truncated byte).  *bad is set when the sequence is valid but a character
 * HTML forbids (C0/C1 controls but tab and newline, DEL, noncharacters). */
static size_t utf8_len(const unsigned char *s, size_t n, int *bad)
{
	unsigned c = s[0];
	*bad = 0;
	if (c < 0x80) {
		*bad = c != '\t' && c != '\n' && (c < 0x20 || c == 0x7F);
		return 1;
	}
	size_t len;
	unsigned cp, min;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	*bad = (cp >= 0x80 && cp <= 0x9F) || /* C1 controls */
	       (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
	return len;
}

void ck_html_escn(ck_buf *b, const char *s, size_t n)
{
	if (!s)
		return;
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0; /* run: start of bytes not yet copied */
	while (i < n) {
		const char *rep = NULL;
		size_t adv = 1;
		switch (p[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '\r': rep = ""; break;
		default: {
			int bad;
			adv = utf8_len(p + i, n - i, &bad);
			if (!adv || bad) {
				rep = REPL; /* one U+FFFD per bad byte or character */
				adv = adv ? adv : 1;
			}
		}
		}
		if (rep) {
			ck_buf_put(b, s + run, i - run);
			ck_buf_puts(b, rep);
			run = i + adv;
		}
		i += adv;
	}
	ck_buf_put(b, s + run, n - run);
}

void ck_html_esc(ck_buf *b, const char *s)
{
	if (s)
		ck_html_escn(b, s, strlen(s));
}

/* Length of an entity we pass through at s ("&amp;", "&#39;", "&#x27;"),
 * 0 when s does not start one. */
static size_t entity_len(const char *s)
{
	static const char *const named[] = {"&amp;", "&lt;", "&gt;", "&quot;",
					    "&apos;"};
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (!strncmp(s, named[i], strlen(named[i])))
			return strlen(named[i]);
	if (s[1] != '#')
		return 0;
	size_t i = 2;
	int hex = s[2] == 'x' || s[2] == 'X';
	if (hex)
		i++;
	size_t start = i;
	unsigned long v = 0;
	while (i - start < 7 && (hex ? isxdigit((unsigned char)s[i])
				 : isdigit((unsigned char)s[i]))) {
		int d = isdigit((unsigned char)s[i]) ? s[i] - '0'
						     : (tolower((unsigned char)s[i]) - 'a' + 10);
		v = v * (hex ? 16 : 10) + (unsigned long)d;
		i++;
	}
	if (i == start || s[i] != ';')
		return 0;
	/* only characters that are fine in a document */
	if (v < 0x20 && v != 9 && v != 10)
		return 0;
	if ((v >= 0x7F && v <= 0x9F) || (v >= 0xD800 && v <= 0xDFFF) ||
	    v > 0x10FFFF || (v & 0xFFFE) == 0xFFFE || (v >= 0xFDD0 && v <= 0xFDEF))
		return 0;
	return i + 1;
}

void ck_html_snippet(ck_buf *b, const char *s)
{
	if (!s)
		return;
	int open = 0;
	const char *run = s, *p = s;
	while (*p) {
		size_t keep = 0;
		if (*p == '<' && !strncasecmp(p, "<mark>", 6)) {
			keep = 6;
			open++;
		} else if (*p == '<' && !strncasecmp(p, "</mark>", 7)) {
			if (open > 0) {
				keep = 7;
				open--;
			} else { /* stray close: drop it */
				ck_html_escn(b, run, (size_t)(p - run));
				p += 7;
				run = p;
				continue;
			}
		} else if (*p == '&') {
			keep = entity_len(p);
		}
		if (keep) {
			ck_html_escn(b, run, (size_t)(p - run));
			ck_buf_put(b, p, keep);
			p += keep;
			run = p;
		} else {
			p++;
		}
	}
	ck_html_escn(b, run, (size_t)(p - run));
	while (open-- > 0)
		ck_buf_puts(b, "</mark>");
}

void ck_url_esc(ck_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!s)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~')
			ck_buf_putc(b, *p);
		else if (*p == ' ')
			ck_buf_putc(b, '+');
		else {
			ck_buf_putc(b, '%');
			ck_buf_putc(b, hex[*p >> 4]);
			ck_buf_putc(b, hex[*p & 15]);
		}
	}
}

void ck_srv_search_url(ck_buf *b, const char *q, const char *sort, int limit,
		       int offset)
{
	ck_buf_puts(b, "/?q=");
	ck_url_esc(b, q ? q : "");
	if (sort && *sort && strcmp(sort, "relevance")) {
		ck_buf_puts(b, "&sort=");
		ck_url_esc(b, sort);
	}
	if (limit > 0 && limit != CK_SRV_DEF_LIMIT)
		ck_buf_printf(b, "&limit=%d", limit);
	if (offset > 0)
		ck_buf_printf(b, "&offset=%d", offset);
}

/* One top-level term of a query: [start, end). */
struct term {
	const char *s;
	size_t n;
};

/* Split q into whitespace-separated terms, quotes kept together.  Returns
 * the count (at most max). */
static size_t split_terms(const char *q, struct term *t, size_t max)
{
	size_t n = 0;
	const char *p = q;
	while (*p && n < max) {
		while (*p && isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		const char *start = p;
		int quoted = 0;
		while (*p && (quoted || !isspace((unsigned char)*p))) {
			if (*p == '"')
				quoted = !quoted;
			p++;
		}
		t[n].s = start;
		t[n].n = (size_t)(p - start);
		n++;
	}
	return n;
}

void ck_srv_q_refine(ck_buf *b, const char *q, const char *field,
		     const char *value)
{
	ck_buf term = CK_BUF_INIT;
	int quote = 0;
	ck_buf_puts(&term, field);
	ck_buf_putc(&term, ':');
	for (const char *p = value; p && *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._-", *p))
			quote = 1;
	if (quote)
		ck_buf_putc(&term, '"');
	for (const char *p = value; p && *p; p++)
		if (*p != '"')
			ck_buf_putc(&term, *p);
	if (quote)
		ck_buf_putc(&term, '"');

	if (!q)
		q = "";
	struct term t[64];
	size_t nt = split_terms(q, t, 64);
	int simple = !strchr(q, '(') && !strchr(q, ')') && nt < 64;
	for (size_t i = 0; simple && i < nt; i++)
		if (t[i].n == 2 && !strncmp(t[i].s, "OR", 2))
			simple = 0;
	/* one date, and one portion: (a paragraph has one marking): replaced */
	int is_date = !strcmp(field, "date") || !strcmp(field, "portion");
	int present = 0;
	size_t flen = strlen(field);
	size_t start = b->len;
	for (size_t i = 0; i < nt; i++) {
		if (t[i].n == term.len && !strncasecmp(t[i].s, term.ptr, term.len))
			present = 1;
		if (simple && is_date && t[i].n > flen &&
		    !strncasecmp(t[i].s, field, flen) && t[i].s[flen] == ':')
			continue; /* replaced by the new date */
		if (simple) {
			if (b->len > start)
				ck_buf_putc(b, ' ');
			ck_buf_put(b, t[i].s, t[i].n);
		}
	}
	if (!simple) { /* keep the query as typed */
		ck_buf_puts(b, q);
		while (b->len > start && isspace((unsigned char)b->ptr[b->len - 1]))
			b->ptr[--b->len] = '\0';
	}
	if (!present || (simple && is_date)) {
		if (b->len > start)
			ck_buf_putc(b, ' ');
		ck_buf_put(b, term.ptr, term.len);
	}
	ck_buf_free(&term);
}

void ck_srv_today(char buf[11])
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(buf, 11, "%Y-%m-%d", &tm);
}

void ck_html_begin(ck_buf *b, const char *title, const char *q)
{
	ck_buf_puts(b,
		    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		    "<meta charset=\"utf-8\" />\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n"
		    "<title>");
	ck_html_esc(b, title);
	ck_buf_puts(b, " - cablekit</title>\n"
		       "<link rel=\"stylesheet\" href=\"/static/app.css\" />\n"
		       "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\" />\n"
		       "<script src=\"/static/app.js\" defer=\"defer\"></script>\n"
		       "</head>\n<body>\n"
		       "<header class=\"top\">\n"
		       "<a class=\"brand\" href=\"/\">cablekit</a>\n"
		       "<form class=\"qform\" action=\"/\" method=\"get\" role=\"search\">"
		       "<input type=\"search\" name=\"q\" id=\"q\" aria-label=\"Search the cables\" "
		       "placeholder=\"Search the cables\" maxlength=\"1000\" value=\"");
	ck_html_esc(b, q);
	ck_buf_puts(b, "\" /> <button type=\"submit\">Search</button></form>\n"
		       "<nav><a href=\"/browse/origin\">Origins</a> "
		       "<a href=\"/browse/tag\">Tags</a> "
		       "<a href=\"/browse/year\">Years</a> "
		       "<a href=\"/browse/marking\">Markings</a></nav>\n"
		       "</header>\n<main>\n");
}

void ck_html_end(ck_buf *b)
{
	ck_buf_puts(b, "</main>\n<footer>cablekit " CK_VERSION
		       " &#183; <a href=\"/api/stats\">JSON API</a> &#183; "
		       "cables served from a read-only archive</footer>\n"
		       "</body>\n</html>\n");
}

/* ---- pieces the pages share ---- */

const ck_srv_facet ck_srv_facets[CK_SRV_NFACETS] = {
	{"origin", "Origin", "from", "origin"},
	{"year", "Year", "date", "year"},
	{"tag", "Tags", "tag", "tag"},
	{"marking", "Marking", "marking", "marking"},
};

void ck_html_href(ck_buf *b, const char *url)
{
	ck_buf_puts(b, "href=\"");
	ck_html_esc(b, url);
	ck_buf_putc(b, '"');
}

void ck_html_cable_href(ck_buf *b, const char *id, const char *frag)
{
	ck_buf url = CK_BUF_INIT;
	ck_buf_puts(&url, "/cable/");
	ck_url_esc(&url, id);
	if (frag)
		ck_buf_puts(&url, frag);
	ck_html_href(b, url.ptr);
	ck_buf_free(&url);
}

void ck_html_refine_link(ck_buf *b, const char *q, const char *field,
			 const char *value, const char *text, const char *sort,
			 const char *title)
{
	ck_buf nq = CK_BUF_INIT, url = CK_BUF_INIT;
	ck_srv_q_refine(&nq, q, field, value);
	ck_srv_search_url(&url, nq.ptr, sort, 0, 0);
	ck_buf_puts(b, "<a ");
	ck_html_href(b, url.ptr);
	if (title) {
		ck_buf_puts(b, " title=\"");
		ck_html_esc(b, title);
		ck_buf_putc(b, '"');
	}
	ck_buf_putc(b, '>');
	ck_html_esc(b, text);
	ck_buf_puts(b, "</a>");
	ck_buf_free(&nq);
	ck_buf_free(&url);
}

/* CSS class of a marking's badge, by level */
static const char *marking_class(const char *m)
{
	if (!strncasecmp(m, "TOP SECRET", 10))
		return strstr(m, "NOFORN") ? "mk mk-ts mk-nf" : "mk mk-ts";
	if (!strncasecmp(m, "SECRET", 6))
		return strstr(m, "NOFORN") ? "mk mk-s mk-nf" : "mk mk-s";
	if (!strncasecmp(m, "CONFIDENTIAL", 12))
		return strstr(m, "NOFORN") ? "mk mk-c mk-nf" : "mk mk-c";
	if (!strncasecmp(m, "LIMITED", 7))
		return "mk mk-l";
	return "mk mk-u";
}

void ck_html_badge(ck_buf *b, const char *marking)
{
	if (!marking)
		return;
	ck_buf_printf(b, "<span class=\"%s\">", marking_class(marking));
	ck_html_esc(b, marking);
	ck_buf_puts(b, "</span>");
}

void ck_html_day(ck_buf *b, const char *iso)
{
	if (!iso) {
		ck_buf_puts(b, "<span class=\"muted\">no date</span>");
		return;
	}
	ck_buf_puts(b, "<time datetime=\"");
	ck_html_esc(b, iso);
	ck_buf_puts(b, "\">");
	ck_html_escn(b, iso, strnlen(iso, 10));
	ck_buf_puts(b, "</time>");
}

void ck_html_approx(ck_buf *b, int exact)
{
	if (!exact)
		ck_buf_puts(b, "<span class=\"approx\" title=\"an estimate\">&#8776;</span>");
}
