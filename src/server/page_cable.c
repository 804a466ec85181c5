/*
 * page_cable.c - the page at /cable/{id}: the header as a table (TAGS with
 * their meanings, addressees with routing indicators and station names,
 * classified-by reasons explained, the declassification date against
 * today), the format lines, the summary, the body by paragraph (anchors
 * #p7, #p7-2 for a number seen twice; portion markings as badges),
 * references both ways, the problems the parser found, the stored versions
 * with a diff, and the telegram text with ?raw=1.  Other spellings of an id
 * redirect (301) to the canonical page.
 */
#include "server/pages.h"

#include <stdlib.h>
#include <string.h>

static void row_start(ck_buf *b, const char *th)
{
	ck_buf_printf(b, "<tr><th scope=\"row\">%s</th><td>", th);
}

static void row_str(ck_buf *b, const char *th, const char *v)
{
	if (!v || !*v)
		return;
	row_start(b, th);
	ck_html_esc(b, v);
	ck_buf_puts(b, "</td></tr>\n");
}

static void strlist(ck_buf *b, json_t *arr, const char *sep)
{
	for (size_t i = 0; i < json_array_size(arr); i++) {
		if (i)
			ck_buf_puts(b, sep);
		ck_html_esc(b, json_string_value(json_array_get(arr, i)));
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
	ck_html_esc(b, route);
	ck_buf_puts(b, "</code>");
	if (name) {
		ck_buf_puts(b, " <span class=\"station\">");
		ck_html_esc(b, name);
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
			ck_html_esc(b, ck_js(e, "name"));
			ck_buf_puts(b, "</td><td>");
			ri(b, ck_js(e, "route"), ck_js(e, "route_name"));
			ck_buf_puts(b, "</td><td>");
			ck_html_esc(b, ck_js(e, "precedence"));
			ck_buf_puts(b, "</td><td>");
			ck_html_esc(b, ck_js(e, "mcn"));
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
	row_str(b, "FL1 transmission", ck_js(h, "transmission"));
	json_t *relay = json_object_get(h, "relay");
	if (json_array_size(relay) || ck_js(h, "relay_precedence")) {
		row_start(b, "FL2 relay");
		if (ck_js(h, "relay_precedence")) {
			ck_buf_puts(b, "<code>");
			ck_html_esc(b, ck_js(h, "relay_precedence"));
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
	if (ck_js(h, "station")) {
		row_start(b, "FL3 station");
		ri(b, ck_js(h, "station"), ck_js(h, "station_name"));
		json_t *ssn = json_object_get(h, "ssn"), *sec = json_object_get(h, "section");
		if (json_is_integer(ssn))
			ck_buf_printf(b, " &#183; serial %lld", (long long)json_integer_value(ssn));
		if (json_is_integer(sec))
			ck_buf_printf(b, " &#183; section %lld", (long long)json_integer_value(sec));
		if (ck_js(h, "julian")) {
			ck_buf_puts(b, " &#183; day and time ");
			ck_html_esc(b, ck_js(h, "julian"));
		}
		ck_buf_puts(b, "</td></tr>\n");
	}
	row_str(b, "FL4 security", ck_js(h, "security"));
	if (ck_js(h, "dtg")) {
		row_start(b, "FL5 date-time group");
		if (ck_js(h, "precedence")) {
			ck_buf_puts(b, "<code>");
			ck_html_esc(b, ck_js(h, "precedence"));
			ck_buf_puts(b, "</code> ");
		}
		ck_html_esc(b, ck_js(h, "dtg"));
		ck_buf_puts(b, "</td></tr>\n");
	}
	ck_buf_puts(b, "</tbody></table></details>\n");
}

/* Classified by: name, title, and the E.O. reasons explained. */
static void classified_by(ck_buf *b, json_t *cb)
{
	if (json_is_object(cb)) {
		row_start(b, "Classified by");
		ck_html_esc(b, ck_js(cb, "name"));
		if (ck_js(cb, "title")) {
			ck_buf_puts(b, ck_js(cb, "name") ? ", " : "");
			ck_html_esc(b, ck_js(cb, "title"));
		}
		json_t *rs = json_object_get(cb, "reasons");
		if (json_array_size(rs)) {
			ck_buf_puts(b, "<ul class=\"reasons\">");
			for (size_t i = 0; i < json_array_size(rs); i++) {
				const char *s = json_string_value(json_array_get(rs, i));
				ck_buf_puts(b, "<li>reason ");
				ck_html_esc(b, s);
				if (ck_srv_reason_meaning(s)) {
					ck_buf_puts(b, ": ");
					ck_html_esc(b, ck_srv_reason_meaning(s));
				}
				ck_buf_puts(b, "</li>");
			}
			ck_buf_puts(b, "</ul>");
		} else if (!ck_js(cb, "name") && !ck_js(cb, "title")) {
			ck_html_esc(b, ck_js(cb, "text"));
		}
		ck_buf_puts(b, "</td></tr>\n");
	}
}

/* The declassification date, and whether it has passed today. */
static void declassification(ck_buf *b, json_t *decl)
{
	if (json_is_object(decl)) {
		row_start(b, "Declassification");
		const char *d = ck_js(decl, "date");
		if (d) {
			char today[11];
			ck_srv_today(today);
			ck_html_esc(b, d);
			if (strncmp(d, today, 10) <= 0)
				ck_buf_printf(b, " <span class=\"passed\">passed (today is %s)</span>", today);
			else
				ck_buf_printf(b, " <span class=\"notyet\">not yet passed (today is %s)</span>", today);
		} else {
			ck_buf_puts(b, "<span class=\"muted\">no date</span>");
		}
		if (ck_js(decl, "text")) {
			ck_buf_puts(b, "<br /><code>");
			ck_html_esc(b, ck_js(decl, "text"));
			ck_buf_puts(b, "</code>");
		}
		ck_buf_puts(b, "</td></tr>\n");
	}
}

static void header_table(ck_buf *b, json_t *c, json_t *refs)
{
	ck_buf_puts(b, "<section class=\"head\" id=\"header\"><h2>Header</h2>\n"
		       "<table class=\"kv\"><tbody>\n");
	row_str(b, "Reference id", ck_js(c, "id"));
	json_t *aliases = json_object_get(c, "aliases");
	if (json_array_size(aliases)) {
		row_start(b, "Also known as");
		strlist(b, aliases, ", ");
		ck_buf_puts(b, "</td></tr>\n");
	}
	if (ck_js(c, "date")) {
		row_start(b, "Date");
		ck_html_esc(b, ck_js(c, "date"));
		json_t *h = json_object_get(c, "header");
		if (ck_js(h, "dtg")) {
			ck_buf_puts(b, " <span class=\"muted\">(DTG ");
			ck_html_esc(b, ck_js(h, "dtg"));
			ck_buf_puts(b, ")</span>");
		}
		ck_buf_puts(b, "</td></tr>\n");
	}
	if (ck_js(c, "origin")) {
		row_start(b, "Origin");
		ck_html_refine_link(b, "", "from", ck_js(c, "origin"), ck_js(c, "origin"), NULL, NULL);
		ck_buf_puts(b, "</td></tr>\n");
	}
	row_str(b, "From", ck_js(c, "from"));
	row_str(b, "Classification", ck_js(c, "classification"));
	json_t *cav = json_object_get(c, "caveats");
	if (json_array_size(cav)) {
		row_start(b, "Captions");
		strlist(b, cav, ", ");
		ck_buf_puts(b, "</td></tr>\n");
	}
	if (ck_js(c, "marking")) {
		row_start(b, "Marking");
		ck_html_badge(b, ck_js(c, "marking"));
		ck_buf_puts(b, "</td></tr>\n");
	}
	row_str(b, "Precedence", ck_js(c, "precedence"));
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
			ck_html_refine_link(b, "", "tag", t, t, NULL, NULL);
			if (m) {
				ck_buf_puts(b, " ");
				ck_html_esc(b, m);
				if (kind) {
					ck_buf_puts(b, " <span class=\"muted\">(");
					ck_html_esc(b, kind);
					ck_buf_puts(b, ")</span>");
				}
			} else {
				ck_buf_puts(b, " <span class=\"muted\">(meaning unknown)</span>");
			}
			ck_buf_puts(b, "</li>");
		}
		ck_buf_puts(b, "</ul></td></tr>\n");
	}
	row_str(b, "Subject", ck_js(c, "subject"));
	classified_by(b, json_object_get(c, "classified_by"));
	declassification(b, json_object_get(c, "decl"));
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
	if (json_is_object(src) && ck_js(src, "format")) {
		row_start(b, "Source");
		ck_html_esc(b, ck_js(src, "format"));
		if (ck_js(src, "file")) {
			ck_buf_puts(b, " &#183; <code>");
			ck_html_esc(b, ck_js(src, "file"));
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
		if (ck_js(c, "body")) {
			ck_buf_puts(b, "<pre class=\"bodytext\">");
			ck_html_esc(b, ck_js(c, "body"));
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
		const char *heading = ck_js(p, "heading");
		const char *mk = ck_js(p, "marking");
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
			ck_html_esc(b, heading);
			ck_buf_puts(b, "</h3>\n");
		}
		ck_buf_printf(b, "<div class=\"para\" id=\"%s\">", anchor);
		if (n > 0)
			ck_buf_printf(b, "<a class=\"pn\" href=\"#%s\">%lld.</a> ", anchor, n);
		else
			ck_buf_printf(b, "<a class=\"pn un\" href=\"#%s\">&#182;</a> ", anchor);
		if (mk) {
			ck_buf_printf(b, "<span class=\"%s\"", ck_srv_portion_class(mk));
			if (ck_srv_portion_meaning(mk))
				ck_buf_printf(b, " title=\"%s\"", ck_srv_portion_meaning(mk));
			ck_buf_putc(b, '>');
			ck_html_esc(b, mk);
			ck_buf_puts(b, "</span> ");
		}
		ck_buf_puts(b, "<span class=\"pt\">");
		ck_html_esc(b, ck_js(p, "text"));
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
	const char *id = ck_js(e, "id");
	ck_buf_puts(b, "<a ");
	ck_html_cable_href(b, id, NULL);
	ck_buf_puts(b, "><code>");
	ck_html_esc(b, id);
	ck_buf_puts(b, "</code></a> ");
	if (ck_js(e, "date")) {
		ck_html_day(b, ck_js(e, "date"));
		ck_buf_putc(b, ' ');
	}
	ck_html_esc(b, ck_js(e, "origin"));
	if (ck_js(e, "subject")) {
		ck_buf_puts(b, ": <span class=\"subject\">");
		ck_html_esc(b, ck_js(e, "subject"));
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
		const char *id = ck_js(e, "id");
		json_t *in = json_object_get(e, "in_archive");
		ck_buf_puts(b, "<li>");
		if (ck_js(e, "label")) {
			ck_buf_puts(b, "<span class=\"label\">");
			ck_html_esc(b, ck_js(e, "label"));
			ck_buf_puts(b, ".</span> ");
		}
		if (id && (!refs || json_is_true(in))) {
			ref_line(b, e);
		} else if (id) {
			ck_buf_puts(b, "<span class=\"unresolved\"><code>");
			ck_html_esc(b, id);
			ck_buf_puts(b, "</code> not in this archive</span>");
		} else {
			ck_buf_puts(b, "<span class=\"unresolved\">not a cable</span>");
		}
		if (ck_js(e, "text")) {
			ck_buf_puts(b, " <span class=\"muted\">(as written: ");
			ck_html_esc(b, ck_js(e, "text"));
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
			if (!ck_js(e, "id"))
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
		ck_html_esc(b, ck_js(e, "kind"));
		ck_buf_puts(b, "</code>");
		json_t *line = json_object_get(e, "line");
		if (json_integer_value(line) > 0)
			ck_buf_printf(b, " line %lld", (long long)json_integer_value(line));
		if (ck_js(e, "note")) {
			ck_buf_puts(b, ": ");
			ck_html_esc(b, ck_js(e, "note"));
		}
		ck_buf_puts(b, "</li>\n");
	}
	ck_buf_puts(b, "</ul></section>\n");
}

/* The differences between versions, each line classed for colour. */
static void diff_text(ck_buf *b, const char *p)
{
	ck_buf_puts(b, "<details class=\"diff\" open=\"open\"><summary>Differences between "
		       "versions</summary>\n<pre class=\"diff\">");
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

/* The stored versions (ck_archive_versions: no cable JSON is read). */
static void versions(ck_buf *b, ck_archive *a, const char *id)
{
	ck_version_info *v = NULL;
	size_t n = 0;
	ck_buf_puts(b, "<section class=\"versions\" id=\"versions\"><h2>Versions</h2>\n");
	if (ck_archive_versions(a, id, &v, &n) != 0 || !n) {
		ck_buf_puts(b, "<p class=\"muted\">No version history.</p></section>\n");
		ck_archive_versions_free(v, n);
		return;
	}
	ck_buf_puts(b, "<ol class=\"vlist\">\n");
	for (size_t i = 0; i < n; i++) {
		ck_buf_printf(b, "<li>Version %d", v[i].n);
		if (*v[i].ingested) {
			ck_buf_puts(b, ", stored ");
			ck_html_esc(b, v[i].ingested);
		}
		if (*v[i].sha1) {
			ck_buf_puts(b, " <code class=\"muted\" title=\"SHA-1 of the text\">");
			ck_html_escn(b, v[i].sha1, strnlen(v[i].sha1, 12));
			ck_buf_puts(b, "</code>");
		}
		if (v[i].source) {
			ck_buf_puts(b, " from <code>");
			ck_html_esc(b, v[i].source);
			ck_buf_puts(b, "</code>");
		}
		ck_buf_puts(b, "</li>\n");
	}
	ck_buf_puts(b, "</ol>\n");
	ck_buf db = CK_BUF_INIT;
	if (n > 1 && ck_archive_diff_text(a, id, &db) == 0 && db.len)
		diff_text(b, db.ptr);
	ck_buf_free(&db);
	ck_archive_versions_free(v, n);
	ck_buf_puts(b, "</section>\n");
}

static void raw_text(ck_buf *b, ck_archive *a, json_t *c, const ck_buf *cj, const char *id,
		     int show)
{
	ck_buf_puts(b, "<section class=\"raw\" id=\"raw\"><h2>Telegram text</h2>\n");
	if (!show) {
		ck_buf_puts(b, "<p><a ");
		ck_buf url = CK_BUF_INIT;
		ck_buf_puts(&url, "/cable/");
		ck_url_esc(&url, id);
		ck_buf_puts(&url, "?raw=1#raw");
		ck_html_href(b, url.ptr);
		ck_buf_free(&url);
		ck_buf_puts(b, ">Show the telegram text</a></p>\n</section>\n");
		return;
	}
	ck_buf raw = CK_BUF_INIT;
	if (ck_js(c, "raw"))
		ck_buf_puts(&raw, ck_js(c, "raw"));
	else
		ck_archive_cable_raw(a, id, &raw);
	if (raw.len) {
		ck_buf_puts(b, "<p class=\"muted\">As stored at ingest.</p>\n<pre class=\"rawtext\">");
		ck_html_esc(b, raw.ptr);
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
		ck_html_esc(b, t.ptr);
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
	ck_archive *a = ck_srv_archive(r);
	if (!a)
		return;
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
		r->ctype = CK_HTML_TYPE;
		ck_buf_puts(&r->body, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\" />"
				      "<title>Moved</title></head><body><p><a ");
		ck_html_href(&r->body, url.ptr);
		ck_buf_puts(&r->body, ">Moved here</a></p></body></html>\n");
		ck_buf_free(&url);
		return;
	}
	ck_buf cj = CK_BUF_INIT, rj = CK_BUF_INIT;
	json_t *c = NULL, *refs = NULL;
	rc = ck_archive_cable_json(a, id, &cj);
	if (rc == 0)
		c = ck_json_load(&cj);
	if (!c) {
		ck_srv_error(r, rc == CK_ENOTFOUND ? 404 : 500,
			     rc == CK_ENOTFOUND ? "no such cable" : "archive error");
		ck_buf_free(&cj);
		return;
	}
	if (ck_archive_refs_json(a, id, &rj) == 0)
		refs = ck_json_load(&rj);
	ck_buf_free(&rj);

	ck_buf *b = &r->body;
	r->ctype = CK_HTML_TYPE;
	ck_buf title = CK_BUF_INIT;
	ck_buf_printf(&title, "%s", id);
	if (ck_js(c, "subject"))
		ck_buf_printf(&title, ": %s", ck_js(c, "subject"));
	ck_html_begin(b, title.ptr, NULL);
	ck_buf_free(&title);
	ck_buf_puts(b, "<article class=\"cable\">\n<h1><span class=\"cid\">");
	ck_html_esc(b, id);
	ck_buf_puts(b, "</span> <span class=\"subj\">");
	ck_html_esc(b, ck_js(c, "subject") ? ck_js(c, "subject") : "(no subject)");
	ck_buf_puts(b, "</span></h1>\n<p class=\"lead\">");
	ck_html_badge(b, ck_js(c, "marking"));
	ck_buf_putc(b, ' ');
	ck_html_day(b, ck_js(c, "date"));
	ck_buf_puts(b, " &#183; ");
	ck_html_esc(b, ck_js(c, "origin") ? ck_js(c, "origin") : "origin unknown");
	ck_buf_puts(b, " &#183; <a ");
	{
		ck_buf url = CK_BUF_INIT;
		ck_buf_puts(&url, "/api/cable/");
		ck_url_esc(&url, id);
		ck_html_href(b, url.ptr);
		ck_buf_free(&url);
	}
	ck_buf_puts(b, ">JSON</a></p>\n<nav class=\"toc\"><a href=\"#header\">Header</a> "
		       "<a href=\"#text\">Text</a> <a href=\"#refs\">References</a> "
		       "<a href=\"#problems\">Problems</a> <a href=\"#versions\">Versions</a> "
		       "<a href=\"#raw\">Telegram text</a></nav>\n");
	header_table(b, c, refs);
	if (ck_js(c, "summary")) {
		ck_buf_puts(b, "<section class=\"summary-box\"><h2>Summary</h2><p>");
		ck_html_esc(b, ck_js(c, "summary"));
		ck_buf_puts(b, "</p></section>\n");
	}
	body_text(b, c);
	references(b, c, refs);
	problems(b, c);
	versions(b, a, id);
	raw_text(b, a, c, &cj, id, show_raw);
	ck_buf_puts(b, "</article>\n");
	ck_html_end(b);
	json_decref(c);
	json_decref(refs);
	ck_buf_free(&cj);
}

