/*
 * page_browse.c - /browse/{origin|tag|year|marking}: every value of a facet
 * over the whole archive with its count (tags with their meanings), each a
 * link to its search; years in order, the others most cables first.
 * Counts are exact, from ck_archive_facet_json (the column cache, else SQL).
 */
#include "server/pages.h"

#include <stdlib.h>
#include <string.h>

static int cmp_value(const void *x, const void *y)
{
	json_t *const *a = x, *const *b = y;
	const char *sa = json_string_value(json_array_get(*a, 0));
	const char *sb = json_string_value(json_array_get(*b, 0));
	return strcmp(sa ? sa : "", sb ? sb : "");
}

void ck_srv_page_browse(ck_srv_req *r, const char *tail)
{
	const ck_srv_facet *f = NULL;
	for (size_t i = 0; i < CK_SRV_NFACETS; i++)
		if (ck_srv_facets[i].browse && !strcmp(tail, ck_srv_facets[i].browse))
			f = &ck_srv_facets[i];
	if (!f) {
		ck_srv_error(r, 404, "no such list (origin, tag, year or marking)");
		return;
	}
	ck_archive *a = ck_srv_archive(r);
	if (!a)
		return;
	ck_buf sb = CK_BUF_INIT;
	json_t *st = NULL;
	/* the one facet, counted from the column cache (the whole stats, with
	 * its GROUP BYs and paragraph tables, took 1.3-2 s at 250k cables) */
	if (ck_archive_facet_json(a, f->key, &sb) == 0)
		st = ck_json_load(&sb);
	ck_buf_free(&sb);
	if (!st) {
		ck_srv_error(r, 500, "archive error");
		return;
	}
	json_t *list = json_object_get(st, f->key);
	int exact = ck_json_unsampled(st, "facets_sampled");
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
	r->ctype = CK_HTML_TYPE;
	ck_buf title = CK_BUF_INIT;
	ck_buf_printf(&title, "Browse by %s", f->browse);
	ck_html_begin(b, title.ptr, NULL);
	ck_buf_free(&title);
	ck_buf_printf(b, "<h1>Cables by %s</h1>\n<p class=\"lead\">%zu value%s, %s. "
		      "Each links to its search.</p>\n<nav class=\"browse-nav\">",
		      f->browse, n, n == 1 ? "" : "s",
		      by_value ? "in order" : "most cables first");
	for (size_t i = 0; i < CK_SRV_NFACETS; i++) {
		const ck_srv_facet *e = &ck_srv_facets[i];
		if (!e->browse)
			continue;
		if (e == f)
			ck_buf_printf(b, "<strong>%s</strong> ", e->title);
		else
			ck_buf_printf(b, "<a href=\"/browse/%s\">%s</a> ", e->browse, e->title);
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
		ck_html_refine_link(b, "", f->field, v, v, NULL, NULL);
		ck_buf_puts(b, "</td>");
		if (!strcmp(f->key, "tag")) {
			const char *kind = NULL;
			const char *m = ck_tag_meaning(v, &kind);
			ck_buf_puts(b, "<td>");
			ck_html_esc(b, m);
			if (kind) {
				ck_buf_puts(b, " <span class=\"muted\">(");
				ck_html_esc(b, kind);
				ck_buf_puts(b, ")</span>");
			}
			ck_buf_puts(b, "</td>");
		}
		ck_buf_puts(b, "<td class=\"num\">");
		ck_html_approx(b, exact);
		ck_buf_printf(b, "%lld</td><td class=\"barcol\"><meter min=\"0\" "
			      "max=\"%lld\" value=\"%lld\">%lld</meter></td></tr>\n",
			      c, max, c, c);
	}
	ck_buf_puts(b, "</tbody></table>\n");
	ck_html_end(b);
	free(rows);
	json_decref(st);
}
