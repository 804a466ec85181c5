/*
 * pages.c - the HTML pages of the reading room, made on the server:
 *   /               search box, query syntax, results with snippets, facets
 *                   that refine the query, a date histogram (inline SVG),
 *                   sort and pagination; without a query, a landing page
 *   /cable/{id}     header table (TAGS decoded, addressees with routing
 *                   indicators and station names), body by paragraph with
 *                   anchors #pN and portion-marking badges, references both
 *                   ways, problems, versions with a diff, ?raw=1 for the
 *                   telegram text
 *   /browse/{origin|tag|year|marking}   counts, each a link to its search
 * The archive answers in JSON (read with jansson); every string taken from
 * it goes through ck_html_esc() on the way out.  Pages work without
 * JavaScript and are well-formed XML as well as HTML5.
 */
#include "server/server.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HTML "text/html; charset=utf-8"

/* ---- small helpers ---- */

static const char *js(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static json_t *load(const ck_buf *b)
{
	if (!b->ptr || !b->len)
		return NULL;
	return json_loadb(b->ptr, b->len, 0, NULL);
}

static void esc(ck_buf *b, const char *s)
{
	ck_html_esc(b, s);
}

/* href="..." with an already built URL, escaped */
static void href(ck_buf *b, const char *url)
{
	ck_buf_puts(b, "href=\"");
	esc(b, url);
	ck_buf_putc(b, '"');
}

static void cable_href(ck_buf *b, const char *id, const char *frag)
{
	ck_buf url = CK_BUF_INIT;
	ck_buf_puts(&url, "/cable/");
	ck_url_esc(&url, id);
	if (frag)
		ck_buf_puts(&url, frag);
	href(b, url.ptr);
	ck_buf_free(&url);
}

/* <a href="search for q refined by field:value">text</a> */
static void refine_link(ck_buf *b, const char *q, const char *field,
			const char *value, const char *text, const char *sort,
			const char *title)
{
	ck_buf nq = CK_BUF_INIT, url = CK_BUF_INIT;
	ck_srv_q_refine(&nq, q, field, value);
	ck_srv_search_url(&url, nq.ptr, sort, 0, 0);
	ck_buf_puts(b, "<a ");
	href(b, url.ptr);
	if (title) {
		ck_buf_puts(b, " title=\"");
		esc(b, title);
		ck_buf_putc(b, '"');
	}
	ck_buf_putc(b, '>');
	esc(b, text);
	ck_buf_puts(b, "</a>");
	ck_buf_free(&nq);
	ck_buf_free(&url);
}

/* CSS class of a marking's badge, by level */
static const char *marking_class(const char *m)
{
	if (!m)
		return "mk";
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

static void badge(ck_buf *b, const char *marking)
{
	if (!marking)
		return;
	ck_buf_printf(b, "<span class=\"%s\">", marking_class(marking));
	esc(b, marking);
	ck_buf_puts(b, "</span>");
}

/* the date part of an ISO date-time */
static void day(ck_buf *b, const char *iso)
{
	if (!iso) {
		ck_buf_puts(b, "<span class=\"muted\">no date</span>");
		return;
	}
	ck_buf_puts(b, "<time datetime=\"");
	esc(b, iso);
	ck_buf_puts(b, "\">");
	ck_html_escn(b, iso, strnlen(iso, 10));
	ck_buf_puts(b, "</time>");
}

static void set_page(ck_srv_req *r)
{
	r->ctype = HTML;
}

/* ---- the query syntax, explained ---- */

static const struct {
	const char *ex, *what;
} syntax[] = {
	{"iran sanctions", "both words (words are ANDed)"},
	{"\"rule of law\"", "the exact phrase"},
	{"kosovo OR serbia", "either word"},
	{"iran -nuclear", "without a word (also NOT word)"},
	{"sanction*", "words starting with a prefix"},
	{"(iran OR iraq) envoy", "grouping"},
	{"from:\"Embassy Rome\"", "sent by a post (origin)"},
	{"to:\"SECSTATE WASHDC\"", "sent to an addressee (TO or INFO)"},
	{"tag:PREL", "with a TAGS code"},
	{"class:SECRET", "classification level"},
	{"marking:\"CONFIDENTIAL//NOFORN\"", "archive marking"},
	{"caveat:NOFORN", "caption (SIPDIS, NOFORN, EXDIS ...)"},
	{"subject:envoy", "a word of the subject line"},
	{"id:07ROME1497", "one cable by its reference id"},
	{"cites:07ROME1497", "cables that cite 07ROME1497"},
	{"citedby:07ROME1612", "cables that 07ROME1612 cites"},
	{"signer:SPOGLI", "signed by"},
	{"date:2007-07", "a year, a month, or a range: date:2007-01..2008-06"},
	{"decl:..2026-11-25", "declassification date passed by then"},
};

static void syntax_help(ck_buf *b, int open)
{
	ck_buf_printf(b, "<details class=\"syntax\"%s><summary>Query syntax</summary>\n",
		      open ? " open=\"open\"" : "");
	ck_buf_puts(b, "<table class=\"kv syntax-table\"><tbody>\n");
	for (size_t i = 0; i < sizeof syntax / sizeof syntax[0]; i++) {
		ck_buf url = CK_BUF_INIT;
		ck_srv_search_url(&url, syntax[i].ex, NULL, 0, 0);
		ck_buf_puts(b, "<tr><td><a ");
		href(b, url.ptr);
		ck_buf_puts(b, "><code>");
		esc(b, syntax[i].ex);
		ck_buf_puts(b, "</code></a></td><td>");
		esc(b, syntax[i].what);
		ck_buf_puts(b, "</td></tr>\n");
		ck_buf_free(&url);
	}
	ck_buf_puts(b, "</tbody></table>\n<p class=\"muted\">Field values are "
		       "case-insensitive. Quote values with spaces. A bad query "
		       "gets an error that points at the offending token.</p>\n"
		       "</details>\n");
}

/* ---- facets and histogram ---- */

static const struct facet {
	const char *key;   /* in the JSON */
	const char *title; /* on the page */
	const char *field; /* query field */
	const char *browse;
} facets[] = {
	{"origin", "Origin", "from", "origin"},
	{"year", "Year", "date", "year"},
	{"tag", "Tags", "tag", "tag"},
	{"marking", "Marking", "marking", "marking"},
};
#define FACET_MAX 12

static void facet_lists(ck_buf *b, json_t *fj, const char *q, const char *sort)
{
	ck_buf_puts(b, "<aside class=\"facets\">\n<h2 class=\"vh\">Refine</h2>\n");
	for (size_t f = 0; f < sizeof facets / sizeof facets[0]; f++) {
		json_t *list = json_object_get(fj, facets[f].key);
		size_t n = json_array_size(list);
		if (!n)
			continue;
		ck_buf_printf(b, "<section class=\"facet\"><h3>%s</h3><ul>\n",
			      facets[f].title);
		for (size_t i = 0; i < n && i < FACET_MAX; i++) {
			json_t *e = json_array_get(list, i);
			const char *v = json_string_value(json_array_get(e, 0));
			json_int_t c = json_integer_value(json_array_get(e, 1));
			if (!v)
				continue;
			const char *meaning = NULL;
			if (!strcmp(facets[f].key, "tag"))
				meaning = ck_tag_meaning(v, NULL);
			ck_buf_puts(b, "<li>");
			refine_link(b, q, facets[f].field, v, v, sort, meaning);
			ck_buf_printf(b, " <span class=\"n\">%lld</span></li>\n",
				      (long long)c);
		}
		ck_buf_puts(b, "</ul>");
		if (n > FACET_MAX)
			ck_buf_printf(b, "<p class=\"more\"><a href=\"/browse/%s\">all %ss</a></p>",
				      facets[f].browse, facets[f].browse);
		ck_buf_puts(b, "</section>\n");
	}
	ck_buf_puts(b, "</aside>\n");
}

/* One bin of the histogram. */
struct bin {
	int y, m;       /* m = 0 for a year bin */
	long long n;
};

static int parse_ym(const char *s, int *y, int *m)
{
	if (!s)
		return -1;
	char *end;
	long yy = strtol(s, &end, 10);
	if (end - s != 4 || yy < 1900 || yy > 2100)
		return -1;
	*y = (int)yy;
	*m = 0;
	if (*end == '-') {
		long mm = strtol(end + 1, &end, 10);
		if (mm < 1 || mm > 12)
			return -1;
		*m = (int)mm;
	}
	return 0;
}

static void histogram(ck_buf *b, json_t *fj, const char *q, const char *sort)
{
	json_t *months = json_object_get(fj, "month");
	json_t *src = json_array_size(months) ? months : json_object_get(fj, "year");
	size_t n = json_array_size(src);
	if (!n)
		return;
	/* range of the data, by month */
	int lo = 1 << 30, hi = -1;
	for (size_t i = 0; i < n; i++) {
		int y, m;
		json_t *e = json_array_get(src, i);
		if (parse_ym(json_string_value(json_array_get(e, 0)), &y, &m) < 0)
			continue;
		int k0 = y * 12 + (m ? m - 1 : 0), k1 = y * 12 + (m ? m - 1 : 11);
		if (k0 < lo)
			lo = k0;
		if (k1 > hi)
			hi = k1;
	}
	if (hi < lo)
		return;
	int by_year = src != months || hi - lo + 1 > 96;
	if (!by_year) { /* whole years, January to December */
		lo -= lo % 12;
		hi += 11 - hi % 12;
	}
	int nb = by_year ? hi / 12 - lo / 12 + 1 : hi - lo + 1;
	struct bin *bins = calloc((size_t)nb, sizeof *bins);
	if (!bins)
		return;
	for (int i = 0; i < nb; i++) {
		bins[i].y = by_year ? lo / 12 + i : (lo + i) / 12;
		bins[i].m = by_year ? 0 : (lo + i) % 12 + 1;
	}
	long long max = 1, total = 0;
	for (size_t i = 0; i < n; i++) {
		int y, m;
		json_t *e = json_array_get(src, i);
		if (parse_ym(json_string_value(json_array_get(e, 0)), &y, &m) < 0)
			continue;
		long long c = json_integer_value(json_array_get(e, 1));
		int k = by_year ? y - lo / 12 : y * 12 + m - 1 - lo;
		if (k < 0 || k >= nb)
			continue;
		bins[k].n += c;
		total += c;
		if (bins[k].n > max)
			max = bins[k].n;
	}
	const double W = 1000, H = 84, TOP = 4, LAB = 18;
	double bw = W / nb;
	ck_buf_printf(b,
		      "<figure class=\"hist\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
		      "viewBox=\"0 0 %.0f %.0f\" role=\"group\" aria-label=\"Cables by %s\">\n",
		      W, H + TOP + LAB, by_year ? "year" : "month");
	for (int i = 0; i < nb; i++) {
		char v[16], label[64];
		if (bins[i].m)
			snprintf(v, sizeof v, "%04d-%02d", bins[i].y, bins[i].m);
		else
			snprintf(v, sizeof v, "%04d", bins[i].y);
		double h = bins[i].n ? (double)bins[i].n * H / (double)max : 0;
		if (bins[i].n && h < 2)
			h = 2;
		double x = i * bw, w = bw > 3 ? bw - 1 : bw;
		if (bins[i].n) {
			ck_buf nq = CK_BUF_INIT, url = CK_BUF_INIT;
			ck_srv_q_refine(&nq, q, "date", v);
			ck_srv_search_url(&url, nq.ptr, sort, 0, 0);
			snprintf(label, sizeof label, "%s: %lld cable%s", v, bins[i].n,
				 bins[i].n == 1 ? "" : "s");
			ck_buf_puts(b, "<a ");
			href(b, url.ptr);
			ck_buf_printf(b, " aria-label=\"%s\"><rect class=\"bar\" x=\"%.2f\" "
				      "y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"><title>%s</title>"
				      "</rect><rect class=\"hz\" x=\"%.2f\" y=\"%.0f\" "
				      "width=\"%.2f\" height=\"%.0f\" /></a>\n",
				      label, x, TOP + H - h, w, h, label, x, TOP, w, H);
			ck_buf_free(&nq);
			ck_buf_free(&url);
		}
	}
	ck_buf_printf(b, "<line class=\"axis\" x1=\"0\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" />\n",
		      TOP + H + 0.5, W, TOP + H + 0.5);
	/* year labels, spaced so they do not overlap (about 40 units each) */
	int years = by_year ? nb : bins[nb - 1].y - bins[0].y + 1;
	int step = 1;
	while (years / step > (int)(W / 48))
		step++;
	for (int i = 0; i < nb; i++) {
		int first = by_year || bins[i].m == 1 || i == 0;
		if (!first || (bins[i].y - bins[0].y) % step)
			continue;
		double x = i * bw + (by_year ? bw / 2 : 0);
		ck_buf_printf(b, "<text class=\"lab\" x=\"%.1f\" y=\"%.0f\"%s>%d</text>\n",
			      x, TOP + H + LAB - 4,
			      by_year ? " text-anchor=\"middle\"" : "", bins[i].y);
	}
	ck_buf_printf(b, "</svg><figcaption>%lld cable%s by %s; click a bar to "
		      "narrow the dates</figcaption></figure>\n",
		      total, total == 1 ? "" : "s", by_year ? "year" : "month");
	free(bins);
}

/* ---- pagination and sort ---- */

static void pager(ck_buf *b, const char *q, const char *sort, int limit,
		  int offset, long long total)
{
	if (total <= limit && offset == 0)
		return;
	long long pages = (total + limit - 1) / limit;
	long long maxpages = CK_SRV_MAX_OFFSET / limit + 1;
	if (pages > maxpages)
		pages = maxpages;
	long long cur = offset / limit + 1;
	ck_buf_puts(b, "<nav class=\"pager\" aria-label=\"Pages\">");
	ck_buf url = CK_BUF_INIT;
	if (cur > 1) {
		ck_srv_search_url(&url, q, sort, limit, (int)((cur - 2) * limit));
		ck_buf_puts(b, "<a rel=\"prev\" ");
		href(b, url.ptr);
		ck_buf_puts(b, ">&#8592; Previous</a> ");
	}
	long long last_shown = 0;
	for (long long p = 1; p <= pages; p++) {
		if (p != 1 && p != pages && (p < cur - 2 || p > cur + 2))
			continue;
		if (last_shown && p > last_shown + 1)
			ck_buf_puts(b, "<span class=\"gap\">&#8230;</span> ");
		last_shown = p;
		if (p == cur) {
			ck_buf_printf(b, "<span class=\"cur\" aria-current=\"page\">%lld</span> ", p);
			continue;
		}
		ck_buf_clear(&url);
		ck_srv_search_url(&url, q, sort, limit, (int)((p - 1) * limit));
		ck_buf_puts(b, "<a ");
		href(b, url.ptr);
		ck_buf_printf(b, ">%lld</a> ", p);
	}
	if (cur < pages) {
		ck_buf_clear(&url);
		ck_srv_search_url(&url, q, sort, limit, (int)(cur * limit));
		ck_buf_puts(b, "<a rel=\"next\" ");
		href(b, url.ptr);
		ck_buf_puts(b, ">Next &#8594;</a>");
	}
	ck_buf_puts(b, "</nav>\n");
	ck_buf_free(&url);
}

static void sort_links(ck_buf *b, const char *q, const char *sort, int limit)
{
	static const char *const keys[][2] = {
		{"relevance", "relevance"}, {"-date", "newest first"}, {"date", "oldest first"}};
	ck_buf_puts(b, "<span class=\"sort\">Sort: ");
	for (size_t i = 0; i < 3; i++) {
		if (!strcmp(sort, keys[i][0])) {
			ck_buf_printf(b, "<strong>%s</strong> ", keys[i][1]);
			continue;
		}
		ck_buf url = CK_BUF_INIT;
		ck_srv_search_url(&url, q, keys[i][0], limit, 0);
		ck_buf_puts(b, "<a ");
		href(b, url.ptr);
		ck_buf_printf(b, ">%s</a> ", keys[i][1]);
		ck_buf_free(&url);
	}
	ck_buf_puts(b, "</span>");
}

/* ---- / ---- */

static void landing(ck_srv_req *r)
{
	ck_buf *b = &r->body;
	ck_html_begin(b, "Search", "");
	ck_buf_puts(b, "<h1>Search the cables</h1>\n"
		       "<p class=\"lead\">Type words in the box above, or a query "
		       "with fields; every example below is a link.</p>\n");
	syntax_help(b, 1);
	ck_archive *a = ck_srv_archive();
	ck_buf sb = CK_BUF_INIT;
	json_t *st = NULL;
	if (a && ck_srv_stats(a, &sb) == 0)
		st = load(&sb);
	if (st) {
		ck_buf_printf(b, "<h2>In this archive</h2>\n<p>%lld cables, %lld "
			      "stored versions, %lld references between them.</p>\n",
			      (long long)json_integer_value(json_object_get(st, "cables")),
			      (long long)json_integer_value(json_object_get(st, "versions")),
			      (long long)json_integer_value(json_object_get(st, "edges")));
		ck_buf_puts(b, "<div class=\"cols4\">\n");
		facet_lists(b, st, "", "relevance");
		ck_buf_puts(b, "</div>\n");
		json_decref(st);
	}
	ck_buf_free(&sb);
	ck_html_end(b);
	set_page(r);
}

void ck_srv_page_search(ck_srv_req *r, const char *tail)
{
	ck_search_opts o;
	if (ck_srv_search_args(r, &o) < 0)
		return;
	const char *q = o.q;
	const char *qs = q;
	while (*qs == ' ' || *qs == '\t')
		qs++;
	if (!*qs) {
		landing(r);
		return;
	}
	ck_archive *a = ck_srv_archive();
	if (!a) {
		ck_srv_error(r, 503, "archive unavailable");
		return;
	}
	ck_buf res = CK_BUF_INIT;
	int rc = ck_srv_search(a, &o, &res);
	ck_buf *b = &r->body;
	set_page(r);
	if (rc) {
		if (rc != CK_EPARSE && rc != CK_ELIMIT && rc != CK_EINVAL)
			ck_srv_log_error(r, rc);
		r->status = rc == CK_EPARSE || rc == CK_EINVAL ? 400
			    : rc == CK_EBUSY || rc == CK_ELIMIT ? 503 : 500;
		if (r->status == 503)
			r->retry = "1";
		ck_html_begin(b, "Bad query", q);
		ck_buf_puts(b, "<h1>Search</h1>\n<p class=\"error\" role=\"alert\">");
		esc(b, r->status != 500 && *ck_error_last() ? ck_error_last()
							      : "the search failed");
		ck_buf_puts(b, "</p>\n");
		syntax_help(b, 1);
		ck_html_end(b);
		ck_buf_free(&res);
		return;
	}
	json_t *j = load(&res);
	ck_buf_free(&res);
	if (!j) {
		ck_srv_error(r, 500, "the archive answered something unreadable");
		return;
	}
	long long total = json_integer_value(json_object_get(j, "total"));
	json_t *hits = json_object_get(j, "hits");
	json_t *fj = json_object_get(j, "facets");

	ck_html_begin(b, q, q);
	ck_buf_puts(b, "<h1 class=\"vh\">Search results</h1>\n<div class=\"summary\"><p><strong>");
	ck_buf_printf(b, "%lld</strong> cable%s match <q>", total, total == 1 ? "" : "s");
	esc(b, q);
	ck_buf_puts(b, "</q>");
	if (total > 0)
		ck_buf_printf(b, " &#183; showing %lld&#8211;%lld", (long long)o.offset + 1,
			      (long long)o.offset + (long long)json_array_size(hits));
	ck_buf_puts(b, "</p>");
	sort_links(b, q, o.sort, o.limit);
	ck_buf_puts(b, "</div>\n");
	syntax_help(b, 0);
	histogram(b, fj, q, o.sort);
	ck_buf_puts(b, "<div class=\"cols\">\n");
	facet_lists(b, fj, q, o.sort);
	ck_buf_puts(b, "<section class=\"results\">\n");
	if (!json_array_size(hits))
		ck_buf_puts(b, "<p class=\"none\">No cables on this page.</p>\n");
	else
		ck_buf_printf(b, "<ol class=\"hits\" start=\"%d\">\n", o.offset + 1);
	for (size_t i = 0; i < json_array_size(hits); i++) {
		json_t *h = json_array_get(hits, i);
		const char *id = js(h, "id");
		if (!id)
			continue;
		ck_buf_puts(b, "<li class=\"hit\"><div class=\"meta\"><a class=\"id\" ");
		cable_href(b, id, NULL);
		ck_buf_putc(b, '>');
		esc(b, id);
		ck_buf_puts(b, "</a> ");
		day(b, js(h, "date"));
		ck_buf_puts(b, " <span class=\"origin\">");
		esc(b, js(h, "origin"));
		ck_buf_puts(b, "</span> ");
		badge(b, js(h, "marking"));
		ck_buf_puts(b, "</div>\n<div class=\"subject\">");
		esc(b, js(h, "subject") ? js(h, "subject") : "(no subject)");
		ck_buf_puts(b, "</div>\n");
		if (js(h, "snippet")) {
			ck_buf_puts(b, "<p class=\"snippet\">");
			ck_html_snippet(b, js(h, "snippet"));
			ck_buf_puts(b, "</p>\n");
		}
		ck_buf_puts(b, "</li>\n");
	}
	if (json_array_size(hits))
		ck_buf_puts(b, "</ol>\n");
	pager(b, q, o.sort, o.limit, o.offset, total);
	ck_buf_puts(b, "</section>\n</div>\n");
	ck_html_end(b);
	json_decref(j);
}

/* ---- /cable/{id} ---- */

static const struct {
	char letter;
	const char *what;
} reasons[] = {
	{'a', "military plans, weapons systems or operations"},
	{'b', "foreign government information"},
	{'c', "intelligence activities, sources or methods"},
	{'d', "foreign relations or activities, confidential sources"},
	{'e', "scientific, technological or economic matters"},
	{'f', "programs for safeguarding nuclear materials or facilities"},
	{'g', "vulnerabilities or capabilities of systems"},
	{'h', "weapons of mass destruction"},
};

static const char *reason_meaning(const char *r)
{
	const char *p = r ? strchr(r, '(') : NULL;
	if (!p || !p[1])
		return NULL;
	char c = (char)(p[1] | 0x20);
	for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
		if (reasons[i].letter == c)
			return reasons[i].what;
	return NULL;
}

static const char *portion_meaning(const char *m)
{
	if (!m)
		return NULL;
	if (!strncasecmp(m, "SBU", 3))
		return "sensitive but unclassified";
	if (!strncasecmp(m, "TS", 2))
		return "top secret";
	if (!strncasecmp(m, "LOU", 3))
		return "limited official use";
	switch (m[0] | 0x20) {
	case 'u': return "unclassified";
	case 'c': return "confidential";
	case 's': return "secret";
	}
	return NULL;
}

static const char *portion_class(const char *m)
{
	if (!m)
		return "pm";
	if (!strncasecmp(m, "SBU", 3) || (m[0] | 0x20) == 'u' || !strncasecmp(m, "LOU", 3))
		return "pm pm-u";
	if (!strncasecmp(m, "TS", 2))
		return "pm pm-ts";
	if ((m[0] | 0x20) == 's')
		return "pm pm-s";
	if ((m[0] | 0x20) == 'c')
		return "pm pm-c";
	return "pm";
}

static void row_start(ck_buf *b, const char *th)
{
	ck_buf_printf(b, "<tr><th scope=\"row\">%s</th><td>", th);
}

static void row_str(ck_buf *b, const char *th, const char *v)
{
	if (!v || !*v)
		return;
	row_start(b, th);
	esc(b, v);
	ck_buf_puts(b, "</td></tr>\n");
}

static void strlist(ck_buf *b, json_t *arr, const char *sep)
{
	for (size_t i = 0; i < json_array_size(arr); i++) {
		if (i)
			ck_buf_puts(b, sep);
		esc(b, json_string_value(json_array_get(arr, i)));
	}
}

/* routing indicator with the station it names */
static void ri(ck_buf *b, const char *route, const char *known)
{
	if (!route) {
		ck_buf_puts(b, "<span class=\"muted\">-</span>");
		return;
	}
	const char *name = known ? known : ck_ri_name(route);
	ck_buf_puts(b, "<code>");
	esc(b, route);
	ck_buf_puts(b, "</code>");
	if (name) {
		ck_buf_puts(b, " <span class=\"station\">");
		esc(b, name);
		ck_buf_puts(b, "</span>");
	}
}

static void addressees(ck_buf *b, json_t *c)
{
	json_t *to = json_object_get(c, "to"), *info = json_object_get(c, "info");
	if (!json_array_size(to) && !json_array_size(info))
		return;
	ck_buf_puts(b, "<h3>Addressees</h3>\n<div class=\"scroll\"><table class=\"grid addr\">"
		       "<thead><tr><th>As</th><th>Address as written</th><th>Routing "
		       "indicator and station</th><th>Precedence</th><th>MCN</th></tr></thead><tbody>\n");
	for (int k = 0; k < 2; k++) {
		json_t *list = k ? info : to;
		for (size_t i = 0; i < json_array_size(list); i++) {
			json_t *e = json_array_get(list, i);
			ck_buf_printf(b, "<tr><td>%s</td><td>", k ? "INFO" : "TO");
			esc(b, js(e, "name"));
			ck_buf_puts(b, "</td><td>");
			ri(b, js(e, "route"), js(e, "route_name"));
			ck_buf_puts(b, "</td><td>");
			esc(b, js(e, "precedence"));
			ck_buf_puts(b, "</td><td>");
			esc(b, js(e, "mcn"));
			ck_buf_puts(b, "</td></tr>\n");
		}
	}
	ck_buf_puts(b, "</tbody></table></div>\n");
}

static void transmission(ck_buf *b, json_t *h)
{
	if (!json_is_object(h))
		return;
	ck_buf_puts(b, "<details class=\"fl\"><summary>Transmission header (format lines)</summary>\n"
		       "<table class=\"kv\"><tbody>\n");
	row_str(b, "FL1 transmission", js(h, "transmission"));
	json_t *relay = json_object_get(h, "relay");
	if (json_array_size(relay) || js(h, "relay_precedence")) {
		row_start(b, "FL2 relay");
		if (js(h, "relay_precedence")) {
			ck_buf_puts(b, "<code>");
			esc(b, js(h, "relay_precedence"));
			ck_buf_puts(b, "</code> ");
		}
		ck_buf_puts(b, "<ul class=\"inline\">");
		for (size_t i = 0; i < json_array_size(relay); i++) {
			ck_buf_puts(b, "<li>");
			ri(b, json_string_value(json_array_get(relay, i)), NULL);
			ck_buf_puts(b, "</li>");
		}
		ck_buf_puts(b, "</ul></td></tr>\n");
	}
	if (js(h, "station")) {
		row_start(b, "FL3 station");
		ri(b, js(h, "station"), js(h, "station_name"));
		json_t *ssn = json_object_get(h, "ssn"), *sec = json_object_get(h, "section");
		if (json_is_integer(ssn))
			ck_buf_printf(b, " &#183; serial %lld", (long long)json_integer_value(ssn));
		if (json_is_integer(sec))
			ck_buf_printf(b, " &#183; section %lld", (long long)json_integer_value(sec));
		if (js(h, "julian")) {
			ck_buf_puts(b, " &#183; day and time ");
			esc(b, js(h, "julian"));
		}
		ck_buf_puts(b, "</td></tr>\n");
	}
	row_str(b, "FL4 security", js(h, "security"));
	if (js(h, "dtg")) {
		row_start(b, "FL5 date-time group");
		if (js(h, "precedence")) {
			ck_buf_puts(b, "<code>");
			esc(b, js(h, "precedence"));
			ck_buf_puts(b, "</code> ");
		}
		esc(b, js(h, "dtg"));
		ck_buf_puts(b, "</td></tr>\n");
	}
	ck_buf_puts(b, "</tbody></table></details>\n");
}

static void header_table(ck_buf *b, json_t *c, json_t *refs)
{
	ck_buf_puts(b, "<section class=\"head\" id=\"header\"><h2>Header</h2>\n"
		       "<table class=\"kv\"><tbody>\n");
	row_str(b, "Reference id", js(c, "id"));
	json_t *aliases = json_object_get(c, "aliases");
	if (json_array_size(aliases)) {
		row_start(b, "Also known as");
		strlist(b, aliases, ", ");
		ck_buf_puts(b, "</td></tr>\n");
	}
	if (js(c, "date")) {
		row_start(b, "Date");
		esc(b, js(c, "date"));
		json_t *h = json_object_get(c, "header");
		if (js(h, "dtg")) {
			ck_buf_puts(b, " <span class=\"muted\">(DTG ");
			esc(b, js(h, "dtg"));
			ck_buf_puts(b, ")</span>");
		}
		ck_buf_puts(b, "</td></tr>\n");
	}
	if (js(c, "origin")) {
		row_start(b, "Origin");
		refine_link(b, "", "from", js(c, "origin"), js(c, "origin"), NULL, NULL);
		ck_buf_puts(b, "</td></tr>\n");
	}
	row_str(b, "From", js(c, "from"));
	row_str(b, "Classification", js(c, "classification"));
	json_t *cav = json_object_get(c, "caveats");
	if (json_array_size(cav)) {
		row_start(b, "Captions");
		strlist(b, cav, ", ");
		ck_buf_puts(b, "</td></tr>\n");
	}
	if (js(c, "marking")) {
		row_start(b, "Marking");
		badge(b, js(c, "marking"));
		ck_buf_puts(b, "</td></tr>\n");
	}
	row_str(b, "Precedence", js(c, "precedence"));
	json_t *tags = json_object_get(c, "tags");
	if (json_array_size(tags)) {
		row_start(b, "TAGS");
		ck_buf_puts(b, "<ul class=\"tags\">");
		for (size_t i = 0; i < json_array_size(tags); i++) {
			const char *t = json_string_value(json_array_get(tags, i));
			if (!t)
				continue;
			const char *kind = NULL;
			const char *m = ck_tag_meaning(t, &kind);
			ck_buf_puts(b, "<li>");
			refine_link(b, "", "tag", t, t, NULL, NULL);
			if (m) {
				ck_buf_puts(b, " ");
				esc(b, m);
				if (kind) {
					ck_buf_puts(b, " <span class=\"muted\">(");
					esc(b, kind);
					ck_buf_puts(b, ")</span>");
				}
			} else {
				ck_buf_puts(b, " <span class=\"muted\">(meaning unknown)</span>");
			}
			ck_buf_puts(b, "</li>");
		}
		ck_buf_puts(b, "</ul></td></tr>\n");
	}
	row_str(b, "Subject", js(c, "subject"));
	json_t *cb = json_object_get(c, "classified_by");
	if (json_is_object(cb)) {
		row_start(b, "Classified by");
		esc(b, js(cb, "name"));
		if (js(cb, "title")) {
			ck_buf_puts(b, js(cb, "name") ? ", " : "");
			esc(b, js(cb, "title"));
		}
		json_t *rs = json_object_get(cb, "reasons");
		if (json_array_size(rs)) {
			ck_buf_puts(b, "<ul class=\"reasons\">");
			for (size_t i = 0; i < json_array_size(rs); i++) {
				const char *s = json_string_value(json_array_get(rs, i));
				ck_buf_puts(b, "<li>reason ");
				esc(b, s);
				if (reason_meaning(s)) {
					ck_buf_puts(b, ": ");
					esc(b, reason_meaning(s));
				}
				ck_buf_puts(b, "</li>");
			}
			ck_buf_puts(b, "</ul>");
		} else if (!js(cb, "name") && !js(cb, "title")) {
			esc(b, js(cb, "text"));
		}
		ck_buf_puts(b, "</td></tr>\n");
	}
	json_t *decl = json_object_get(c, "decl");
	if (json_is_object(decl)) {
		row_start(b, "Declassification");
		const char *d = js(decl, "date");
		if (d) {
			char today[11];
			ck_srv_today(today);
			esc(b, d);
			if (strncmp(d, today, 10) <= 0)
				ck_buf_printf(b, " <span class=\"passed\">passed (today is %s)</span>", today);
			else
				ck_buf_printf(b, " <span class=\"notyet\">not yet passed (today is %s)</span>", today);
		} else {
			ck_buf_puts(b, "<span class=\"muted\">no date</span>");
		}
		if (js(decl, "text")) {
			ck_buf_puts(b, "<br /><code>");
			esc(b, js(decl, "text"));
			ck_buf_puts(b, "</code>");
		}
		ck_buf_puts(b, "</td></tr>\n");
	}
	json_t *secs = json_object_get(c, "sections");
	if (json_is_integer(secs))
		ck_buf_printf(b, "<tr><th scope=\"row\">Sections</th><td>%lld</td></tr>\n",
			      (long long)json_integer_value(secs));
	json_t *signers = json_object_get(c, "signers");
	if (json_array_size(signers)) {
		row_start(b, "Signed");
		strlist(b, signers, ", ");
		ck_buf_puts(b, "</td></tr>\n");
	}
	json_t *src = json_object_get(c, "source");
	if (json_is_object(src) && js(src, "format")) {
		row_start(b, "Source");
		esc(b, js(src, "format"));
		if (js(src, "file")) {
			ck_buf_puts(b, " &#183; <code>");
			esc(b, js(src, "file"));
			ck_buf_puts(b, "</code>");
		}
		ck_buf_puts(b, "</td></tr>\n");
	}
	(void)refs;
	ck_buf_puts(b, "</tbody></table>\n");
	addressees(b, c);
	transmission(b, json_object_get(c, "header"));
	ck_buf_puts(b, "</section>\n");
}

static void body_text(ck_buf *b, json_t *c)
{
	json_t *paras = json_object_get(c, "paragraphs");
	ck_buf_puts(b, "<section class=\"text\" id=\"text\"><h2>Text</h2>\n");
	size_t np = json_array_size(paras);
	if (!np) {
		if (js(c, "body")) {
			ck_buf_puts(b, "<pre class=\"bodytext\">");
			esc(b, js(c, "body"));
			ck_buf_puts(b, "</pre>\n");
		} else {
			ck_buf_puts(b, "<p class=\"muted\">No text.</p>\n");
		}
	}
	/* anchors: p<N> for the first paragraph numbered N, then p<N>-2 ... */
	int seen[1000] = {0};
	for (size_t i = 0; i < np; i++) {
		json_t *p = json_array_get(paras, i);
		json_t *nj = json_object_get(p, "n");
		long long n = json_is_integer(nj) ? json_integer_value(nj) : 0;
		const char *heading = js(p, "heading");
		const char *mk = js(p, "marking");
		char anchor[48];
		if (n > 0 && n < 1000) {
			int k = ++seen[n];
			if (k == 1)
				snprintf(anchor, sizeof anchor, "p%lld", n);
			else
				snprintf(anchor, sizeof anchor, "p%lld-%d", n, k);
		} else {
			snprintf(anchor, sizeof anchor, "u%zu", i + 1);
		}
		if (heading) {
			ck_buf_puts(b, "<h3 class=\"ph\">");
			esc(b, heading);
			ck_buf_puts(b, "</h3>\n");
		}
		ck_buf_printf(b, "<div class=\"para\" id=\"%s\">", anchor);
		if (n > 0)
			ck_buf_printf(b, "<a class=\"pn\" href=\"#%s\">%lld.</a> ", anchor, n);
		else
			ck_buf_printf(b, "<a class=\"pn un\" href=\"#%s\">&#182;</a> ", anchor);
		if (mk) {
			ck_buf_printf(b, "<span class=\"%s\"", portion_class(mk));
			if (portion_meaning(mk))
				ck_buf_printf(b, " title=\"%s\"", portion_meaning(mk));
			ck_buf_putc(b, '>');
			esc(b, mk);
			ck_buf_puts(b, "</span> ");
		}
		ck_buf_puts(b, "<span class=\"pt\">");
		esc(b, js(p, "text"));
		ck_buf_puts(b, "</span></div>\n");
	}
	json_t *signers = json_object_get(c, "signers");
	if (json_array_size(signers) && np) {
		ck_buf_puts(b, "<p class=\"signer\">");
		strlist(b, signers, ", ");
		ck_buf_puts(b, "</p>\n");
	}
	ck_buf_puts(b, "</section>\n");
}

static void ref_line(ck_buf *b, json_t *e)
{
	const char *id = js(e, "id");
	ck_buf_puts(b, "<a ");
	cable_href(b, id, NULL);
	ck_buf_puts(b, "><code>");
	esc(b, id);
	ck_buf_puts(b, "</code></a> ");
	if (js(e, "date")) {
		day(b, js(e, "date"));
		ck_buf_putc(b, ' ');
	}
	esc(b, js(e, "origin"));
	if (js(e, "subject")) {
		ck_buf_puts(b, ": <span class=\"subject\">");
		esc(b, js(e, "subject"));
		ck_buf_puts(b, "</span>");
	}
}

static void references(ck_buf *b, json_t *c, json_t *refs)
{
	json_t *cites = refs ? json_object_get(refs, "cites") : json_object_get(c, "references");
	json_t *by = refs ? json_object_get(refs, "cited_by") : NULL;
	ck_buf_puts(b, "<section class=\"refs\" id=\"refs\"><h2>References</h2>\n");
	ck_buf_printf(b, "<h3>Cites (%zu)</h3>\n", json_array_size(cites));
	if (!json_array_size(cites))
		ck_buf_puts(b, "<p class=\"muted\">This cable cites nothing.</p>\n");
	else
		ck_buf_puts(b, "<ul class=\"reflist\">\n");
	for (size_t i = 0; i < json_array_size(cites); i++) {
		json_t *e = json_array_get(cites, i);
		const char *id = js(e, "id");
		json_t *in = json_object_get(e, "in_archive");
		ck_buf_puts(b, "<li>");
		if (js(e, "label")) {
			ck_buf_puts(b, "<span class=\"label\">");
			esc(b, js(e, "label"));
			ck_buf_puts(b, ".</span> ");
		}
		if (id && (!refs || json_is_true(in))) {
			ref_line(b, e);
		} else if (id) {
			ck_buf_puts(b, "<span class=\"unresolved\"><code>");
			esc(b, id);
			ck_buf_puts(b, "</code> not in this archive</span>");
		} else {
			ck_buf_puts(b, "<span class=\"unresolved\">not a cable</span>");
		}
		if (js(e, "text")) {
			ck_buf_puts(b, " <span class=\"muted\">(as written: ");
			esc(b, js(e, "text"));
			ck_buf_puts(b, ")</span>");
		}
		ck_buf_puts(b, "</li>\n");
	}
	if (json_array_size(cites))
		ck_buf_puts(b, "</ul>\n");
	if (refs) {
		ck_buf_printf(b, "<h3>Cited by (%zu)</h3>\n", json_array_size(by));
		if (!json_array_size(by))
			ck_buf_puts(b, "<p class=\"muted\">No cable in this archive cites it.</p>\n");
		else
			ck_buf_puts(b, "<ul class=\"reflist\">\n");
		for (size_t i = 0; i < json_array_size(by); i++) {
			json_t *e = json_array_get(by, i);
			if (!js(e, "id"))
				continue;
			ck_buf_puts(b, "<li>");
			ref_line(b, e);
			ck_buf_puts(b, "</li>\n");
		}
		if (json_array_size(by))
			ck_buf_puts(b, "</ul>\n");
	}
	ck_buf_puts(b, "</section>\n");
}

static void problems(ck_buf *b, json_t *c)
{
	json_t *pr = json_object_get(c, "problems");
	ck_buf_printf(b, "<section class=\"problems\" id=\"problems\"><h2>Problems found (%zu)</h2>\n",
		      json_array_size(pr));
	if (!json_array_size(pr)) {
		ck_buf_puts(b, "<p class=\"muted\">None: the text parsed cleanly.</p></section>\n");
		return;
	}
	ck_buf_puts(b, "<ul>\n");
	for (size_t i = 0; i < json_array_size(pr); i++) {
		json_t *e = json_array_get(pr, i);
		ck_buf_puts(b, "<li><code>");
		esc(b, js(e, "kind"));
		ck_buf_puts(b, "</code>");
		json_t *line = json_object_get(e, "line");
		if (json_integer_value(line) > 0)
			ck_buf_printf(b, " line %lld", (long long)json_integer_value(line));
		if (js(e, "note")) {
			ck_buf_puts(b, ": ");
			esc(b, js(e, "note"));
		}
		ck_buf_puts(b, "</li>\n");
	}
	ck_buf_puts(b, "</ul></section>\n");
}

static void versions(ck_buf *b, ck_archive *a, const char *id)
{
	ck_buf vb = CK_BUF_INIT, db = CK_BUF_INIT;
	json_t *v = NULL;
	if (ck_archive_versions_json(a, id, &vb) == 0)
		v = load(&vb);
	ck_buf_free(&vb);
	ck_buf_puts(b, "<section class=\"versions\" id=\"versions\"><h2>Versions</h2>\n");
	if (!json_array_size(v)) {
		ck_buf_puts(b, "<p class=\"muted\">No version history.</p></section>\n");
		json_decref(v);
		return;
	}
	ck_buf_puts(b, "<ol class=\"vlist\">\n");
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *e = json_array_get(v, i);
		ck_buf_printf(b, "<li>Version %lld", (long long)json_integer_value(json_object_get(e, "version")));
		if (js(e, "ingested")) {
			ck_buf_puts(b, ", stored ");
			esc(b, js(e, "ingested"));
		}
		if (js(e, "sha1")) {
			ck_buf_puts(b, " <code class=\"muted\" title=\"SHA-1 of the text\">");
			ck_html_escn(b, js(e, "sha1"), strnlen(js(e, "sha1"), 12));
			ck_buf_puts(b, "</code>");
		}
		json_t *vc = json_object_get(e, "cable");
		const char *src = js(json_object_get(vc, "source"), "file");
		if (src) {
			ck_buf_puts(b, " from <code>");
			esc(b, src);
			ck_buf_puts(b, "</code>");
		}
		ck_buf_puts(b, "</li>\n");
	}
	ck_buf_puts(b, "</ol>\n");
	if (json_array_size(v) > 1 && ck_archive_diff_text(a, id, &db) == 0 && db.len) {
		ck_buf_puts(b, "<details class=\"diff\" open=\"open\"><summary>Differences between "
			       "versions</summary>\n<pre class=\"diff\">");
		const char *p = db.ptr;
		while (*p) {
			const char *e = strchr(p, '\n');
			size_t n = e ? (size_t)(e - p) : strlen(p);
			const char *cls = *p == '+' && strncmp(p, "+++", 3) ? "add"
					  : *p == '-' && strncmp(p, "---", 3) ? "del"
					  : *p == '@' ? "hunk" : NULL;
			if (cls)
				ck_buf_printf(b, "<span class=\"%s\">", cls);
			ck_html_escn(b, p, n);
			if (cls)
				ck_buf_puts(b, "</span>");
			ck_buf_putc(b, '\n');
			p += n;
			if (*p)
				p++;
		}
		ck_buf_puts(b, "</pre></details>\n");
	}
	ck_buf_free(&db);
	json_decref(v);
	ck_buf_puts(b, "</section>\n");
}

static void raw_text(ck_buf *b, json_t *c, const ck_buf *cj, const char *id, int show)
{
	ck_buf_puts(b, "<section class=\"raw\" id=\"raw\"><h2>Telegram text</h2>\n");
	if (!show) {
		ck_buf_puts(b, "<p><a ");
		ck_buf url = CK_BUF_INIT;
		ck_buf_puts(&url, "/cable/");
		ck_url_esc(&url, id);
		ck_buf_puts(&url, "?raw=1#raw");
		href(b, url.ptr);
		ck_buf_free(&url);
		ck_buf_puts(b, ">Show the telegram text</a></p>\n</section>\n");
		return;
	}
	ck_buf raw = CK_BUF_INIT;
	if (js(c, "raw"))
		ck_buf_puts(&raw, js(c, "raw"));
	else if (ck_srv_archive())
		ck_archive_cable_raw(ck_srv_archive(), id, &raw);
	if (raw.len) {
		ck_buf_puts(b, "<p class=\"muted\">As stored at ingest.</p>\n<pre class=\"rawtext\">");
		esc(b, raw.ptr);
		ck_buf_puts(b, "</pre>\n</section>\n");
		ck_buf_free(&raw);
		return;
	}
	ck_buf_free(&raw);
	ck_cable *cab = NULL;
	ck_buf t = CK_BUF_INIT;
	if (ck_cable_read_json(&cab, cj->ptr, cj->len) == 0 &&
	    ck_cable_write_telegram(&t, cab) == 0 && t.len) {
		ck_buf_puts(b, "<p class=\"muted\">Written back from the parsed "
			       "cable (format lines, addresses, body).</p>\n<pre class=\"rawtext\">");
		esc(b, t.ptr);
		ck_buf_puts(b, "</pre>\n");
	} else {
		ck_buf_puts(b, "<p class=\"muted\">The telegram text is not available.</p>\n");
	}
	ck_buf_free(&t);
	if (cab)
		ck_cable_free(cab);
	ck_buf_puts(b, "</section>\n");
}

void ck_srv_page_cable(ck_srv_req *r, const char *tail)
{
	if (!ck_srv_id_ok(tail)) {
		ck_srv_error(r, 404, "no such cable");
		return;
	}
	ck_archive *a = ck_srv_archive();
	if (!a) {
		ck_srv_error(r, 503, "archive unavailable");
		return;
	}
	char id[128];
	int rc = ck_archive_resolve_id(a, tail, id, sizeof id);
	if (rc == CK_ENOTFOUND) {
		ck_buf msg = CK_BUF_INIT;
		ck_buf_printf(&msg, "no cable %s in this archive", tail); /* tail is [A-Za-z0-9._-] */
		ck_srv_error(r, 404, msg.ptr);
		ck_buf_free(&msg);
		return;
	} else if (rc) {
		ck_srv_error(r, 500, "archive error");
		return;
	}
	const char *rawarg = ck_srv_arg(r, "raw");
	int show_raw = rawarg && *rawarg && strcmp(rawarg, "0");
	if (strcmp(id, tail)) { /* an alias or another spelling: go to the canonical page */
		ck_buf url = CK_BUF_INIT;
		ck_buf_puts(&url, "/cable/");
		ck_url_esc(&url, id);
		if (show_raw)
			ck_buf_puts(&url, "?raw=1");
		r->location = ck_arena_strdup(r->arena, url.ptr);
		r->status = 301;
		r->ctype = HTML;
		ck_buf_puts(&r->body, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\" />"
				      "<title>Moved</title></head><body><p><a ");
		href(&r->body, url.ptr);
		ck_buf_puts(&r->body, ">Moved here</a></p></body></html>\n");
		ck_buf_free(&url);
		return;
	}
	ck_buf cj = CK_BUF_INIT, rj = CK_BUF_INIT;
	json_t *c = NULL, *refs = NULL;
	rc = ck_archive_cable_json(a, id, &cj);
	if (rc == 0)
		c = load(&cj);
	if (!c) {
		ck_srv_error(r, rc == CK_ENOTFOUND ? 404 : 500,
			     rc == CK_ENOTFOUND ? "no such cable" : "archive error");
		ck_buf_free(&cj);
		return;
	}
	if (ck_archive_refs_json(a, id, &rj) == 0)
		refs = load(&rj);
	ck_buf_free(&rj);

	ck_buf *b = &r->body;
	set_page(r);
	ck_buf title = CK_BUF_INIT;
	ck_buf_printf(&title, "%s", id);
	if (js(c, "subject"))
		ck_buf_printf(&title, ": %s", js(c, "subject"));
	ck_html_begin(b, title.ptr, NULL);
	ck_buf_free(&title);
	ck_buf_puts(b, "<article class=\"cable\">\n<h1><span class=\"cid\">");
	esc(b, id);
	ck_buf_puts(b, "</span> <span class=\"subj\">");
	esc(b, js(c, "subject") ? js(c, "subject") : "(no subject)");
	ck_buf_puts(b, "</span></h1>\n<p class=\"lead\">");
	badge(b, js(c, "marking"));
	ck_buf_putc(b, ' ');
	day(b, js(c, "date"));
	ck_buf_puts(b, " &#183; ");
	esc(b, js(c, "origin") ? js(c, "origin") : "origin unknown");
	ck_buf_puts(b, " &#183; <a ");
	{
		ck_buf url = CK_BUF_INIT;
		ck_buf_puts(&url, "/api/cable/");
		ck_url_esc(&url, id);
		href(b, url.ptr);
		ck_buf_free(&url);
	}
	ck_buf_puts(b, ">JSON</a></p>\n<nav class=\"toc\"><a href=\"#header\">Header</a> "
		       "<a href=\"#text\">Text</a> <a href=\"#refs\">References</a> "
		       "<a href=\"#problems\">Problems</a> <a href=\"#versions\">Versions</a> "
		       "<a href=\"#raw\">Telegram text</a></nav>\n");
	header_table(b, c, refs);
	if (js(c, "summary")) {
		ck_buf_puts(b, "<section class=\"summary-box\"><h2>Summary</h2><p>");
		esc(b, js(c, "summary"));
		ck_buf_puts(b, "</p></section>\n");
	}
	body_text(b, c);
	references(b, c, refs);
	problems(b, c);
	versions(b, a, id);
	raw_text(b, c, &cj, id, show_raw);
	ck_buf_puts(b, "</article>\n");
	ck_html_end(b);
	json_decref(c);
	json_decref(refs);
	ck_buf_free(&cj);
}

/* ---- /browse/{what} ---- */

static int cmp_value(const void *x, const void *y)
{
	json_t *const *a = x, *const *b = y;
	const char *sa = json_string_value(json_array_get(*a, 0));
	const char *sb = json_string_value(json_array_get(*b, 0));
	return strcmp(sa ? sa : "", sb ? sb : "");
}

void ck_srv_page_browse(ck_srv_req *r, const char *tail)
{
	const struct facet *f = NULL;
	for (size_t i = 0; i < sizeof facets / sizeof facets[0]; i++)
		if (!strcmp(tail, facets[i].browse))
			f = &facets[i];
	if (!f) {
		ck_srv_error(r, 404, "no such list (origin, tag, year or marking)");
		return;
	}
	ck_archive *a = ck_srv_archive();
	if (!a) {
		ck_srv_error(r, 503, "archive unavailable");
		return;
	}
	ck_buf sb = CK_BUF_INIT;
	json_t *st = NULL;
	if (ck_srv_stats(a, &sb) == 0)
		st = load(&sb);
	ck_buf_free(&sb);
	if (!st) {
		ck_srv_error(r, 500, "archive error");
		return;
	}
	json_t *list = json_object_get(st, f->key);
	size_t n = json_array_size(list);
	json_t **rows = calloc(n ? n : 1, sizeof *rows);
	if (!rows) {
		json_decref(st);
		ck_srv_error(r, 503, "out of memory");
		return;
	}
	long long max = 1;
	for (size_t i = 0; i < n; i++) {
		rows[i] = json_array_get(list, i);
		long long c = json_integer_value(json_array_get(rows[i], 1));
		if (c > max)
			max = c;
	}
	int by_value = !strcmp(f->key, "year");
	if (by_value)
		qsort(rows, n, sizeof *rows, cmp_value);

	ck_buf *b = &r->body;
	set_page(r);
	ck_buf title = CK_BUF_INIT;
	ck_buf_printf(&title, "Browse by %s", f->browse);
	ck_html_begin(b, title.ptr, NULL);
	ck_buf_free(&title);
	ck_buf_printf(b, "<h1>Cables by %s</h1>\n<p class=\"lead\">%zu value%s, %s. "
		      "Each links to its search.</p>\n<nav class=\"browse-nav\">",
		      f->browse, n, n == 1 ? "" : "s",
		      by_value ? "in order" : "most cables first");
	for (size_t i = 0; i < sizeof facets / sizeof facets[0]; i++) {
		if (&facets[i] == f)
			ck_buf_printf(b, "<strong>%s</strong> ", facets[i].title);
		else
			ck_buf_printf(b, "<a href=\"/browse/%s\">%s</a> ", facets[i].browse,
				      facets[i].title);
	}
	ck_buf_puts(b, "</nav>\n<table class=\"grid browse\"><thead><tr><th>");
	ck_buf_puts(b, f->title);
	ck_buf_puts(b, "</th>");
	if (!strcmp(f->key, "tag"))
		ck_buf_puts(b, "<th>Meaning</th>");
	ck_buf_puts(b, "<th class=\"num\">Cables</th><th class=\"barcol\">Share</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const char *v = json_string_value(json_array_get(rows[i], 0));
		long long c = json_integer_value(json_array_get(rows[i], 1));
		if (!v)
			continue;
		ck_buf_puts(b, "<tr><td>");
		refine_link(b, "", f->field, v, v, NULL, NULL);
		ck_buf_puts(b, "</td>");
		if (!strcmp(f->key, "tag")) {
			const char *kind = NULL;
			const char *m = ck_tag_meaning(v, &kind);
			ck_buf_puts(b, "<td>");
			esc(b, m);
			if (kind) {
				ck_buf_puts(b, " <span class=\"muted\">(");
				esc(b, kind);
				ck_buf_puts(b, ")</span>");
			}
			ck_buf_puts(b, "</td>");
		}
		ck_buf_printf(b, "<td class=\"num\">%lld</td><td class=\"barcol\"><meter min=\"0\" "
			      "max=\"%lld\" value=\"%lld\">%lld</meter></td></tr>\n",
			      c, max, c, c);
	}
	ck_buf_puts(b, "</tbody></table>\n");
	ck_html_end(b);
	free(rows);
	json_decref(st);
}
