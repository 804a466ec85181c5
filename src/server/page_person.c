/*
 * page_person.c - /person/{key}: one person across the archive, from the
 * JSON of /api/person/{key} (ck_archive_person_json): the cables by year,
 * by role and by origin, the forms the name was written in (each merge the
 * key made, docs/people.md), how the person was put together across cables
 * (each key with its reason, dates, forms and cables: persons.c) and the
 * people of the surname kept apart, the titles, the people most often in
 * the same cables (each a link to its page), and the newest cables.  Counts link to
 * their search (person:KEY refined by date:, from:).
 */
#include "server/pages.h"

#include <stdlib.h>
#include <string.h>

/* A table of [value, n] pairs with bars; value links: 0 none, 1 the search
 * refined by field:value, 2 the person page of value. */
static void pair_table(ck_buf *b, json_t *list, const char *title, const char *q,
		       const char *field, int link)
{
	size_t n = json_array_size(list);
	long long max = 1;
	for (size_t i = 0; i < n; i++) {
		long long c = json_integer_value(json_array_get(json_array_get(list, i), 1));
		if (c > max)
			max = c;
	}
	ck_buf_puts(b, "<section><h2>");
	ck_html_esc(b, title);
	ck_buf_puts(b, "</h2>");
	if (!n) {
		ck_buf_puts(b, "<p class=\"muted\">none</p></section>\n");
		return;
	}
	ck_buf_puts(b, "<table class=\"grid browse\"><tbody>\n");
	for (size_t i = 0; i < n; i++) {
		json_t *row = json_array_get(list, i);
		const char *v = json_string_value(json_array_get(row, 0));
		long long c = json_integer_value(json_array_get(row, 1));
		if (!v)
			continue;
		ck_buf_puts(b, "<tr><td>");
		if (link == 1) {
			ck_html_refine_link(b, q, field, v, v, NULL, NULL);
		} else if (link == 2) {
			ck_buf_puts(b, "<a href=\"/person/");
			ck_html_esc(b, v);
			ck_buf_puts(b, "\">");
			ck_html_esc(b, v);
			ck_buf_puts(b, "</a>");
		} else {
			ck_html_esc(b, v);
		}
		ck_buf_printf(b, "</td><td class=\"num\">%lld</td><td class=\"barcol\"><meter min=\"0\" "
			      "max=\"%lld\" value=\"%lld\">%lld</meter></td></tr>\n", c, max, c, c);
	}
	ck_buf_puts(b, "</tbody></table></section>\n");
}

/* <a href="/cable/ID">ID</a> */
static void cable_link(ck_buf *b, const char *id)
{
	ck_buf_puts(b, "<a ");
	ck_html_cable_href(b, id, NULL);
	ck_buf_puts(b, ">");
	ck_html_esc(b, id);
	ck_buf_puts(b, "</a>");
}

/* the newest cables, with the person's roles in each */
static void cable_list(ck_buf *b, json_t *cables, long long total)
{
	size_t n = json_array_size(cables);
	ck_buf_printf(b, "<section><h2>Cables</h2><p class=\"muted\">the %zu newest of %lld</p>"
		      "<table class=\"grid\"><thead><tr><th>Date</th><th>Cable</th><th>Origin</th>"
		      "<th>Subject</th><th>Roles</th></tr></thead><tbody>\n", n, total);
	for (size_t i = 0; i < n; i++) {
		json_t *c = json_array_get(cables, i);
		const char *id = ck_js(c, "id");
		if (!id)
			continue;
		ck_buf_puts(b, "<tr><td>");
		ck_html_day(b, ck_js(c, "date"));
		ck_buf_puts(b, "</td><td>");
		cable_link(b, id);
		ck_buf_puts(b, "</td><td>");
		ck_html_esc(b, ck_js(c, "origin"));
		ck_buf_puts(b, "</td><td>");
		ck_html_esc(b, ck_js(c, "subject"));
		ck_buf_puts(b, "</td><td>");
		json_t *roles = json_object_get(c, "roles");
		for (size_t k = 0; k < json_array_size(roles); k++) {
			if (k)
				ck_buf_puts(b, ", ");
			ck_html_esc(b, json_string_value(json_array_get(roles, k)));
		}
		ck_buf_puts(b, "</td></tr>\n");
	}
	ck_buf_puts(b, "</tbody></table></section>\n");
}

/* how the person was put together: each per-cable key with why its cables
 * joined, their dates, forms and newest cables (persons.c) */
static void merge_list(ck_buf *b, json_t *merges)
{
	size_t n = json_array_size(merges);
	ck_buf_puts(b, "<section><h2>How this person was put together</h2>"
		       "<table class=\"grid\"><thead><tr><th>Key</th><th>Why</th><th>Cables</th><th>Dates</th>"
		       "<th>Forms seen</th><th>Newest cables</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++) {
		json_t *m = json_array_get(merges, i);
		ck_buf_puts(b, "<tr><td><code>");
		ck_html_esc(b, ck_js(m, "key"));
		ck_buf_puts(b, "</code></td><td>");
		ck_html_esc(b, ck_js(m, "reason"));
		ck_buf_printf(b, "</td><td class=\"num\">%lld</td><td>",
			      (long long)json_integer_value(json_object_get(m, "cables")));
		ck_html_esc(b, ck_js(m, "first"));
		ck_buf_puts(b, " to ");
		ck_html_esc(b, ck_js(m, "last"));
		ck_buf_puts(b, "</td><td>");
		json_t *forms = json_object_get(m, "forms");
		for (size_t k = 0; k < json_array_size(forms); k++) {
			json_t *f = json_array_get(forms, k);
			ck_buf_puts(b, k ? "; " : "");
			ck_html_esc(b, json_string_value(json_array_get(f, 0)));
			ck_buf_printf(b, " (%lld)", (long long)json_integer_value(json_array_get(f, 1)));
		}
		ck_buf_puts(b, "</td><td>");
		json_t *ids = json_object_get(m, "ids");
		for (size_t k = 0; k < json_array_size(ids); k++) {
			const char *id = json_string_value(json_array_get(ids, k));
			if (!id)
				continue;
			ck_buf_puts(b, k ? ", " : "");
			cable_link(b, id);
		}
		ck_buf_puts(b, "</td></tr>\n");
	}
	ck_buf_puts(b, "</tbody></table></section>\n");
}

void ck_srv_page_person(ck_srv_req *r, const char *tail)
{
	if (!ck_srv_person_ok(tail)) {
		ck_srv_error(r, 404, "no such person");
		return;
	}
	ck_archive *a = ck_srv_archive(r);
	if (!a)
		return;
	ck_buf jb = CK_BUF_INIT;
	int rc = ck_archive_person_json(a, tail, &jb);
	json_t *p = rc ? NULL : ck_json_load(&jb);
	ck_buf_free(&jb);
	if (!p) {
		ck_srv_error(r, rc == CK_ENOTFOUND ? 404 : 500, rc == CK_ENOTFOUND ? "no such person" : "archive error");
		return;
	}
	const char *key = ck_js(p, "key");
	json_t *names = json_object_get(p, "names");
	const char *name = json_string_value(json_array_get(json_array_get(names, 0), 0));
	long long total = json_integer_value(json_object_get(p, "total"));
	ck_buf q = CK_BUF_INIT;
	ck_buf_puts(&q, "person:");
	ck_buf_puts(&q, key ? key : "");

	ck_buf *b = &r->body;
	r->ctype = CK_HTML_TYPE;
	ck_html_begin(b, name ? name : key, NULL);
	ck_buf_puts(b, "<h1>");
	ck_html_esc(b, name ? name : key);
	ck_buf_puts(b, "</h1>\n<p class=\"lead\"><code>");
	ck_html_esc(b, key);
	ck_buf_printf(b, "</code>: named in %lld cable%s (", total, total == 1 ? "" : "s");
	ck_html_refine_link(b, "", "person", key, "search them", NULL, NULL);
	ck_buf_puts(b, "). Forms, titles and roles are read from the newest ");
	ck_buf_printf(b, "%lld.</p>\n", (long long)json_integer_value(json_object_get(p, "detail_cables")));
	pair_table(b, json_object_get(p, "years"), "By year", q.ptr, "date", 1);
	pair_table(b, json_object_get(p, "roles"), "By role", NULL, NULL, 0);
	pair_table(b, json_object_get(p, "origins"), "By origin", q.ptr, "from", 1);
	pair_table(b, json_object_get(p, "together"), "Most often in the same cables", NULL, NULL, 2);
	merge_list(b, json_object_get(p, "merges"));
	pair_table(b, json_object_get(p, "kin"), "Others of this surname, kept apart", NULL, NULL, 2);
	pair_table(b, json_object_get(p, "forms"), "Forms seen", NULL, NULL, 0);
	pair_table(b, names, "Names", NULL, NULL, 0);
	pair_table(b, json_object_get(p, "titles"), "Titles", NULL, NULL, 0);
	cable_list(b, json_object_get(p, "cables"), total);
	ck_html_end(b);
	ck_buf_free(&q);
	json_decref(p);
}
