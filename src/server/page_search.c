/*
 * page_search.c - the page at /: without a query, the query syntax (every
 * example a link) and the archive's counts; with ?q=, the number of hits
 * and sort links, the date histogram, facet lists that refine the query,
 * the hits with their snippets, and pagination.  Counts the archive only
 * estimated ("total_exact": false, "facets_sampled": true) carry "≈".
 */
#include "server/pages.h"

#include <stdlib.h>
#include <string.h>

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
		ck_html_href(b, url.ptr);
		ck_buf_puts(b, "><code>");
		ck_html_esc(b, syntax[i].ex);
		ck_buf_puts(b, "</code></a></td><td>");
		ck_html_esc(b, syntax[i].what);
		ck_buf_puts(b, "</td></tr>\n");
		ck_buf_free(&url);
	}
	ck_buf_puts(b, "</tbody></table>\n<p class=\"muted\">Field values are "
		       "case-insensitive. Quote values with spaces. A bad query "
		       "gets an error that points at the offending token.</p>\n"
		       "</details>\n");
}


/* ---- facets ---- */

#define FACET_MAX 12 /* entries per facet list; the rest under /browse */

/* The people facet ([["prodi_romano",12],...], issue 15): each key
 * refines the search (person:KEY) and links to its page. */
static void people_list(ck_buf *b, json_t *fj, const char *q, const char *sort, int exact)
{
	json_t *list = json_object_get(fj, "people");
	size_t n = json_array_size(list);
	if (!n)
		return;
	ck_buf_puts(b, "<section class=\"facet\"><h3>People</h3><ul>\n");
	for (size_t i = 0; i < n && i < FACET_MAX; i++) {
		json_t *e = json_array_get(list, i);
		const char *v = json_string_value(json_array_get(e, 0));
		if (!v)
			continue;
		ck_buf_puts(b, "<li>");
		ck_html_refine_link(b, q, "person", v, v, sort, NULL);
		ck_buf_puts(b, " <a class=\"person\" title=\"the person page\" href=\"/person/");
		ck_html_esc(b, v);
		ck_buf_puts(b, "\">&#8594;</a> <span class=\"n\">");
		ck_html_approx(b, exact);
		ck_buf_printf(b, "%lld</span></li>\n", (long long)json_integer_value(json_array_get(e, 1)));
	}
	ck_buf_puts(b, "</ul></section>\n");
}

static void facet_lists(ck_buf *b, json_t *fj, const char *q, const char *sort,
			int exact)
{
	/* the hits' paragraphs by marking; a value refines to portion:S */
	static const ck_srv_facet para_facet = {"portion", "Paragraphs", "portion", "marking"};
	ck_buf_puts(b, "<aside class=\"facets\">\n<h2 class=\"vh\">Refine</h2>\n");
	for (size_t f = 0; f <= CK_SRV_NFACETS; f++) {
		const ck_srv_facet *fc = f < CK_SRV_NFACETS ? &ck_srv_facets[f] : &para_facet;
		json_t *list = json_object_get(fj, fc->key);
		size_t n = json_array_size(list);
		if (!n)
			continue;
		ck_buf_printf(b, "<section class=\"facet\"><h3>%s</h3><ul>\n", fc->title);
		for (size_t i = 0; i < n && i < FACET_MAX; i++) {
			json_t *e = json_array_get(list, i);
			const char *v = json_string_value(json_array_get(e, 0));
			json_int_t c = json_integer_value(json_array_get(e, 1));
			if (!v)
				continue;
			const char *meaning = NULL;
			if (!strcmp(fc->key, "tag"))
				meaning = ck_tag_meaning(v, NULL);
			else if (fc == &para_facet)
				meaning = ck_srv_portion_meaning(v);
			ck_buf_puts(b, "<li>");
			ck_html_refine_link(b, q, fc->field, v, v, sort, meaning);
			ck_buf_puts(b, " <span class=\"n\">");
			ck_html_approx(b, exact);
			ck_buf_printf(b, "%lld</span></li>\n", (long long)c);
		}
		ck_buf_puts(b, "</ul>");
		if (n > FACET_MAX && fc->browse)
			ck_buf_printf(b, "<p class=\"more\"><a href=\"/browse/%s\">all %ss</a></p>",
				      fc->browse, fc->browse);
		ck_buf_puts(b, "</section>\n");
	}
	people_list(b, fj, q, sort, exact);
	ck_buf_puts(b, "</aside>\n");
}

/* A facet list of the JSON ([["2007-07",12],...]) as counts; the keys
 * point into the JSON.  NULL when empty (free the result). */
static ck_srv_count *counts(json_t *list, size_t *n)
{
	*n = json_array_size(list);
	ck_srv_count *c = *n ? calloc(*n, sizeof *c) : NULL;
	if (!c) {
		*n = 0;
		return NULL;
	}
	for (size_t i = 0; i < *n; i++) {
		json_t *e = json_array_get(list, i);
		c[i].key = json_string_value(json_array_get(e, 0));
		c[i].n = json_integer_value(json_array_get(e, 1));
	}
	return c;
}

static void histogram(ck_buf *b, json_t *fj, const char *q, const char *sort, int exact)
{
	size_t nm, ny;
	ck_srv_count *m = counts(json_object_get(fj, "month"), &nm);
	ck_srv_count *y = counts(json_object_get(fj, "year"), &ny);
	ck_srv_histogram(b, m, nm, y, ny, q, sort, exact);
	free(m);
	free(y);
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
		ck_html_href(b, url.ptr);
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
		ck_html_href(b, url.ptr);
		ck_buf_printf(b, ">%lld</a> ", p);
	}
	if (cur < pages) {
		ck_buf_clear(&url);
		ck_srv_search_url(&url, q, sort, limit, (int)(cur * limit));
		ck_buf_puts(b, "<a rel=\"next\" ");
		ck_html_href(b, url.ptr);
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
		ck_html_href(b, url.ptr);
		ck_buf_printf(b, ">%s</a> ", keys[i][1]);
		ck_buf_free(&url);
	}
	ck_buf_puts(b, "</span>");
}


/* ---- / ---- */

/* How to fill an archive of one's own: what `cablekit ingest` reads and
 * the two commands.  Open on a small archive (the demo of `make run`),
 * folded on a real one. */
#define OWN_OPEN_BELOW 1000

static void own_cables(ck_buf *b, long long cables)
{
	ck_buf_printf(b, "<details class=\"own\"%s><summary>Search your own cables"
		      "</summary>\n",
		      cables < OWN_OPEN_BELOW ? " open=\"open\"" : "");
	ck_buf_puts(b, "<p>Put the cables you hold into an archive of your own, "
		       "then serve it:</p>\n"
		       "<pre><code>cablekit ingest --db cables.db PATH...\n"
		       "cablekit serve --db cables.db</code></pre>\n"
		       "<p>PATH may be a file, a folder (read recursively) or an archive "
		       "(<code>.7z</code>, <code>.zip</code>, <code>.tar.gz</code>). "
		       "It reads:</p>\n<ul>\n"
		       "<li>Cablegate viewer pages (<code>cable/2007/07/07ROME1497.html</code>) "
		       "and the Cablegate archive as distributed;</li>\n"
		       "<li>PlusD cable and record pages (1970s telegrams with "
		       "<code>PAGE 01</code>, <code>ORIGIN</code>, <code>DRAFTED BY</code>);</li>\n"
		       "<li><code>cables.csv</code>, the Cablegate database export;</li>\n"
		       "<li>raw telegram text, one or many cables per file, PDF text "
		       "in cp1252, and the JSON Lines of <code>cablekit parse</code> or <code>cablekit export --format jsonl</code>.</li>\n"
		       "</ul>\n<p>Re-ingesting is safe: unchanged cables are skipped and "
		       "changed ones are kept as new versions. Damage repaired on the way "
		       "is listed on each cable's page under \"Problems found\".</p>\n</details>\n");
}

static void landing(ck_srv_req *r)
{
	ck_buf *b = &r->body;
	ck_html_begin(b, "Search", "");
	ck_buf_puts(b, "<h1>Search the cables</h1>\n"
		       "<p class=\"lead\">Type words in the box above, or a query "
		       "with fields; every example below is a link.</p>\n");
	syntax_help(b, 1);
	ck_archive *a = r->srv ? ck_srv_archive_of(r->srv) : NULL;
	ck_buf sb = CK_BUF_INIT;
	json_t *st = NULL;
	if (a && ck_srv_stats(r, a, &sb) == 0)
		st = ck_json_load(&sb);
	if (st) {
		ck_buf_printf(b, "<h2>In this archive</h2>\n<p>%lld cables, %lld "
			      "stored versions, %lld references between them.</p>\n",
			      (long long)json_integer_value(json_object_get(st, "cables")),
			      (long long)json_integer_value(json_object_get(st, "versions")),
			      (long long)json_integer_value(json_object_get(st, "edges")));
		ck_buf_puts(b, "<div class=\"cols4\">\n");
		facet_lists(b, st, "", "relevance", ck_json_unsampled(st, "facets_sampled"));
		ck_buf_puts(b, "</div>\n");
		own_cables(b, (long long)json_integer_value(json_object_get(st, "cables")));
		json_decref(st);
	} else {
		own_cables(b, 0);
	}
	ck_buf_free(&sb);
	ck_html_end(b);
	r->ctype = CK_HTML_TYPE;
}

/* The search failed: the parser's message (400), or a busy archive (503). */
static void search_failed(ck_srv_req *r, int rc, const char *q)
{
	ck_buf *b = &r->body;
	if (rc != CK_EPARSE && rc != CK_ELIMIT && rc != CK_EINVAL)
		ck_srv_log_error(r, rc);
	r->status = rc == CK_EPARSE || rc == CK_EINVAL ? 400
		    : rc == CK_EBUSY || rc == CK_ELIMIT ? 503 : 500;
	if (r->status == 503)
		r->retry = "1";
	ck_html_begin(b, "Bad query", q);
	ck_buf_puts(b, "<h1>Search</h1>\n<p class=\"error\" role=\"alert\">");
	ck_html_esc(b, r->status != 500 && *ck_error_last() ? ck_error_last()
							    : "the search failed");
	ck_buf_puts(b, "</p>\n");
	syntax_help(b, 1);
	ck_html_end(b);
}

static void hit(ck_buf *b, json_t *h)
{
	const char *id = ck_js(h, "id");
	if (!id)
		return;
	ck_buf_puts(b, "<li class=\"hit\"><div class=\"meta\"><a class=\"id\" ");
	ck_html_cable_href(b, id, NULL);
	ck_buf_putc(b, '>');
	ck_html_esc(b, id);
	ck_buf_puts(b, "</a> ");
	ck_html_day(b, ck_js(h, "date"));
	ck_buf_puts(b, " <span class=\"origin\">");
	ck_html_esc(b, ck_js(h, "origin"));
	ck_buf_puts(b, "</span> ");
	ck_html_badge(b, ck_js(h, "marking"));
	ck_buf_puts(b, "</div>\n<div class=\"subject\">");
	ck_html_esc(b, ck_js(h, "subject") ? ck_js(h, "subject") : "(no subject)");
	ck_buf_puts(b, "</div>\n");
	if (ck_js(h, "snippet")) {
		ck_buf_puts(b, "<p class=\"snippet\">");
		const char *an = ck_js(h, "anchor"); /* portion:S iran: the matching paragraph */
		if (an) {
			ck_buf frag = CK_BUF_INIT;
			ck_buf_printf(&frag, "#%s", an);
			ck_buf_puts(b, "<a class=\"pa\" ");
			ck_html_cable_href(b, id, frag.ptr);
			ck_buf_puts(b, ">&#182;");
			for (const char *d = an + 1; *an == 'p' && *d >= '0' && *d <= '9'; d++)
				ck_buf_putc(b, *d);
			ck_buf_puts(b, "</a> ");
			ck_buf_free(&frag);
		}
		ck_html_snippet(b, ck_js(h, "snippet"));
		ck_buf_puts(b, "</p>\n");
	}
	ck_buf_puts(b, "</li>\n");
}

/* The results page of a search answer j. */
static void results(ck_buf *b, json_t *j, const ck_search_opts *o)
{
	const char *q = o->q;
	long long total = json_integer_value(json_object_get(j, "total"));
	json_t *hits = json_object_get(j, "hits");
	json_t *fj = json_object_get(j, "facets");
	int sampled = !ck_json_unsampled(j, "facets_sampled");
	ck_html_begin(b, q, q);
	ck_buf_puts(b, "<h1 class=\"vh\">Search results</h1>\n<div class=\"summary\"><p>"
		       "<strong class=\"total\">");
	ck_html_approx(b, ck_json_exact(j, "total_exact"));
	ck_buf_printf(b, "%lld</strong> cable%s match <q>", total, total == 1 ? "" : "s");
	ck_html_esc(b, q);
	ck_buf_puts(b, "</q>");
	if (total > 0)
		ck_buf_printf(b, " &#183; showing %lld&#8211;%lld", (long long)o->offset + 1,
			      (long long)o->offset + (long long)json_array_size(hits));
	ck_buf_puts(b, "</p>");
	sort_links(b, q, o->sort, o->limit);
	ck_buf_puts(b, "</div>\n");
	syntax_help(b, 0);
	histogram(b, fj, q, o->sort, !sampled);
	ck_buf_puts(b, "<div class=\"cols\">\n");
	facet_lists(b, fj, q, o->sort, !sampled);
	ck_buf_puts(b, "<section class=\"results\">\n");
	if (!json_array_size(hits))
		ck_buf_puts(b, "<p class=\"none\">No cables on this page.</p>\n");
	else
		ck_buf_printf(b, "<ol class=\"hits\" start=\"%d\">\n", o->offset + 1);
	for (size_t i = 0; i < json_array_size(hits); i++)
		hit(b, json_array_get(hits, i));
	if (json_array_size(hits))
		ck_buf_puts(b, "</ol>\n");
	pager(b, q, o->sort, o->limit, o->offset, total);
	ck_buf_puts(b, "</section>\n</div>\n");
	ck_html_end(b);
}

void ck_srv_page_search(ck_srv_req *r, const char *tail)
{
	ck_search_opts o;
	if (ck_srv_search_args(r, &o) < 0)
		return;
	const char *qs = o.q;
	while (*qs == ' ' || *qs == '\t')
		qs++;
	if (!*qs) {
		landing(r);
		return;
	}
	ck_archive *a = ck_srv_archive(r);
	if (!a)
		return;
	ck_buf res = CK_BUF_INIT;
	int rc = ck_srv_search(r, a, &o, &res);
	r->ctype = CK_HTML_TYPE;
	if (rc) {
		search_failed(r, rc, o.q);
		ck_buf_free(&res);
		return;
	}
	if (ck_srv_results_html(&r->body, res.ptr, res.len, &o) != 0)
		ck_srv_error(r, 500, "the archive answered something unreadable");
	ck_buf_free(&res);
}

int ck_srv_results_html(ck_buf *b, const char *json, size_t n, const ck_search_opts *o)
{
	json_t *j = json ? json_loadb(json, n, 0, NULL) : NULL;
	if (!j)
		return -1;
	results(b, j, o);
	json_decref(j);
	return 0;
}
