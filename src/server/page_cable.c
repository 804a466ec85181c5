/*
 * page_cable.c - the page at /cable/{id}: the header as a table (TAGS with
 * their meanings, addressees with routing indicators and station names,
 * classified-by reasons explained, the declassification date against
 * today), the format lines, the summary, the body by paragraph (anchors
 * #p7, #p7-2 for a number seen twice; portion markings as badges),
 * references both ways, the problems the parser found, the stored versions
 * with a diff, and the telegram text with ?raw=1.  Other spellings of an id
 * redirect (301) to the canonical page.
 *
 * The cable is read with the library's own contract-JSON reader into a
 * ck_cable (ck_cable_read_json: about 7x faster than a jansson tree of the
 * same text), and the version list with ck_archive_versions(), which reads
 * no cable JSON: together they make the page several times faster (#10;
 * figures in docs/server.md).  Only the small refs answer is read with
 * jansson.
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

static void strlist(ck_buf *b, const ck_strv *v, const char *sep)
{
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			ck_buf_puts(b, sep);
		ck_html_esc(b, v->v[i]);
	}
}

/* routing indicator with the station it names */
static void ri(ck_buf *b, const char *route)
{
	if (!route) {
		ck_buf_puts(b, "<span class=\"muted\">-</span>");
		return;
	}
	const char *name = ck_ri_name(route);
	ck_buf_puts(b, "<code>");
	ck_html_esc(b, route);
	ck_buf_puts(b, "</code>");
	if (name) {
		ck_buf_puts(b, " <span class=\"station\">");
		ck_html_esc(b, name);
		ck_buf_puts(b, "</span>");
	}
}

static void addressees(ck_buf *b, const ck_cable *c)
{
	if (!c->nto && !c->ninfo)
		return;
	ck_buf_puts(b, "<h3>Addressees</h3>\n<div class=\"scroll\"><table class=\"grid addr\">"
		       "<thead><tr><th>As</th><th>Address as written</th><th>Routing "
		       "indicator and station</th><th>Precedence</th><th>MCN</th></tr></thead><tbody>\n");
	for (int k = 0; k < 2; k++) {
		const ck_addr *list = k ? c->info : c->to;
		size_t n = k ? c->ninfo : c->nto;
		for (size_t i = 0; i < n; i++) {
			ck_buf_printf(b, "<tr><td>%s</td><td>", k ? "INFO" : "TO");
			ck_html_esc(b, list[i].name);
			ck_buf_puts(b, "</td><td>");
			ri(b, list[i].route);
			ck_buf_puts(b, "</td><td>");
			ck_html_esc(b, list[i].precedence);
			ck_buf_puts(b, "</td><td>");
			ck_html_esc(b, list[i].mcn);
			ck_buf_puts(b, "</td></tr>\n");
		}
	}
	ck_buf_puts(b, "</tbody></table></div>\n");
}

/* The format lines FL1-FL5, in a <details>. */
static void transmission(ck_buf *b, const ck_header *h)
{
	if (!h->transmission && !h->relay.n && !h->station && !h->security && !h->dtg &&
	    !h->page_dtg)
		return;
	ck_buf_puts(b, "<details class=\"fl\"><summary>Transmission header (format lines)</summary>\n"
		       "<table class=\"kv\"><tbody>\n");
	row_str(b, "FL1 transmission", h->transmission);
	if (h->relay.n || h->relay_prec) {
		row_start(b, "FL2 relay");
		if (h->relay_prec) {
			ck_buf_puts(b, "<code>");
			ck_html_esc(b, h->relay_prec);
			ck_buf_puts(b, "</code> ");
		}
		ck_buf_puts(b, "<ul class=\"inline\">");
		for (size_t i = 0; i < h->relay.n; i++) {
			ck_buf_puts(b, "<li>");
			ri(b, h->relay.v[i]);
			ck_buf_puts(b, "</li>");
		}
		ck_buf_puts(b, "</ul></td></tr>\n");
	}
	if (h->station) {
		row_start(b, "FL3 station");
		ri(b, h->station);
		if (h->ssn >= 0)
			ck_buf_printf(b, " &#183; serial %ld", h->ssn);
		if (h->section > 0)
			ck_buf_printf(b, " &#183; section %d", h->section);
		if (h->julian) {
			ck_buf_puts(b, " &#183; day and time ");
			ck_html_esc(b, h->julian);
		}
		ck_buf_puts(b, "</td></tr>\n");
	}
	row_str(b, "FL4 security", h->security);
	if (h->dtg) {
		row_start(b, "FL5 date-time group");
		if (h->dtg_prec) {
			ck_buf_puts(b, "<code>");
			ck_html_esc(b, h->dtg_prec);
			ck_buf_puts(b, "</code> ");
		}
		ck_html_esc(b, h->dtg);
		ck_buf_puts(b, "</td></tr>\n");
	}
	ck_buf_puts(b, "</tbody></table></details>\n");
}

/* Classified by: name, title, and the E.O. reasons explained. */
static void classified_by(ck_buf *b, const ck_cable *c)
{
	if (!c->has_classified_by)
		return;
	const char *name = c->classified_by.name, *title = c->classified_by.title;
	const ck_strv *rs = &c->classified_by.reasons;
	row_start(b, "Classified by");
	ck_html_esc(b, name);
	if (title) {
		ck_buf_puts(b, name ? ", " : "");
		ck_html_esc(b, title);
	}
	if (rs->n) {
		ck_buf_puts(b, "<ul class=\"reasons\">");
		for (size_t i = 0; i < rs->n; i++) {
			const char *m = ck_srv_reason_meaning(rs->v[i]);
			ck_buf_puts(b, "<li>reason ");
			ck_html_esc(b, rs->v[i]);
			if (m) {
				ck_buf_puts(b, ": ");
				ck_html_esc(b, m);
			}
			ck_buf_puts(b, "</li>");
		}
		ck_buf_puts(b, "</ul>");
	} else if (!name && !title) {
		ck_html_esc(b, c->classified_by.text);
	}
	ck_buf_puts(b, "</td></tr>\n");
}

/* The declassification date, and whether it has passed today. */
static void declassification(ck_buf *b, const ck_cable *c)
{
	if (!c->has_decl)
		return;
	const char *d = c->decl.date;
	row_start(b, "Declassification");
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
	if (c->decl.text) {
		ck_buf_puts(b, "<br /><code>");
		ck_html_esc(b, c->decl.text);
		ck_buf_puts(b, "</code>");
	}
	ck_buf_puts(b, "</td></tr>\n");
}

/* TAGS, each a link to its search, with its meaning. */
static void tags(ck_buf *b, const ck_strv *tags)
{
	if (!tags->n)
		return;
	row_start(b, "TAGS");
	ck_buf_puts(b, "<ul class=\"tags\">");
	for (size_t i = 0; i < tags->n; i++) {
		const char *t = tags->v[i], *kind = NULL;
		if (!t)
			continue;
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

/* A row of a list of strings, when there is any. */
static void row_list(ck_buf *b, const char *th, const ck_strv *v)
{
	if (!v->n)
		return;
	row_start(b, th);
	strlist(b, v, ", ");
	ck_buf_puts(b, "</td></tr>\n");
}

static void header_table(ck_buf *b, const ck_cable *c)
{
	ck_buf_puts(b, "<section class=\"head\" id=\"header\"><h2>Header</h2>\n"
		       "<table class=\"kv\"><tbody>\n");
	row_str(b, "Reference id", c->id);
	row_list(b, "Also known as", &c->aliases);
	if (c->date) {
		row_start(b, "Date");
		ck_html_esc(b, c->date);
		if (c->header.dtg) {
			ck_buf_puts(b, " <span class=\"muted\">(DTG ");
			ck_html_esc(b, c->header.dtg);
			ck_buf_puts(b, ")</span>");
		}
		ck_buf_puts(b, "</td></tr>\n");
	}
	if (c->origin) {
		row_start(b, "Origin");
		ck_html_refine_link(b, "", "from", c->origin, c->origin, NULL, NULL);
		ck_buf_puts(b, "</td></tr>\n");
	}
	row_str(b, "From", c->from);
	row_str(b, "Classification", c->classification);
	row_list(b, "Captions", &c->caveats);
	if (c->marking) {
		row_start(b, "Marking");
		ck_html_badge(b, c->marking);
		ck_buf_puts(b, "</td></tr>\n");
	}
	row_str(b, "Precedence", c->precedence);
	tags(b, &c->tags);
	row_str(b, "Subject", c->subject);
	classified_by(b, c);
	declassification(b, c);
	if (c->sections > 0)
		ck_buf_printf(b, "<tr><th scope=\"row\">Sections</th><td>%d</td></tr>\n", c->sections);
	row_list(b, "Signed", &c->signers);
	if (c->source.format) {
		row_start(b, "Source");
		ck_html_esc(b, c->source.format);
		if (c->source.file) {
			ck_buf_puts(b, " &#183; <code>");
			ck_html_esc(b, c->source.file);
			ck_buf_puts(b, "</code>");
		}
		ck_buf_puts(b, "</td></tr>\n");
	}
	ck_buf_puts(b, "</tbody></table>\n");
	addressees(b, c);
	transmission(b, &c->header);
	ck_buf_puts(b, "</section>\n");
}

/* One paragraph: its anchor (p<N>, p<N>-2 for a number seen again, u<i>
 * without a number), heading, number link, portion badge and text. */
static void paragraph(ck_buf *b, const ck_para *p, size_t i, int seen[1000])
{
	char anchor[48];
	int n = p->n;
	if (n > 0 && n < 1000) {
		int k = ++seen[n];
		if (k == 1)
			snprintf(anchor, sizeof anchor, "p%d", n);
		else
			snprintf(anchor, sizeof anchor, "p%d-%d", n, k);
	} else {
		snprintf(anchor, sizeof anchor, "u%zu", i + 1);
	}
	if (p->heading) {
		ck_buf_puts(b, "<h3 class=\"ph\">");
		ck_html_esc(b, p->heading);
		ck_buf_puts(b, "</h3>\n");
	}
	/* coloured by its marking's level: "para lv-s" (app.css; the CSP
	 * allows no inline style) */
	const char *lv = p->marking ? strrchr(ck_srv_portion_class(p->marking), '-') : NULL;
	ck_buf_printf(b, "<div class=\"para%s%s\" id=\"%s\">", lv ? " lv" : "", lv ? lv : "", anchor);
	if (n > 0)
		ck_buf_printf(b, "<a class=\"pn\" href=\"#%s\">%d.</a> ", anchor, n);
	else
		ck_buf_printf(b, "<a class=\"pn un\" href=\"#%s\">&#182;</a> ", anchor);
	if (p->marking) {
		const char *meaning = ck_srv_portion_meaning(p->marking);
		ck_buf_printf(b, "<span class=\"%s\"", ck_srv_portion_class(p->marking));
		if (meaning)
			ck_buf_printf(b, " title=\"%s\"", meaning);
		ck_buf_putc(b, '>');
		ck_html_esc(b, p->marking);
		ck_buf_puts(b, "</span> ");
	}
	ck_buf_puts(b, "<span class=\"pt\">");
	ck_html_esc(b, p->text);
	ck_buf_puts(b, "</span></div>\n");
}

static void body_text(ck_buf *b, const ck_cable *c)
{
	ck_buf_puts(b, "<section class=\"text\" id=\"text\"><h2>Text</h2>\n");
	if (!c->nparas) {
		if (c->body) {
			ck_buf_puts(b, "<pre class=\"bodytext\">");
			ck_html_esc(b, c->body);
			ck_buf_puts(b, "</pre>\n");
		} else {
			ck_buf_puts(b, "<p class=\"muted\">No text.</p>\n");
		}
	}
	int seen[1000] = {0};
	for (size_t i = 0; i < c->nparas; i++)
		paragraph(b, &c->paras[i], i, seen);
	if (c->signers.n && c->nparas) {
		ck_buf_puts(b, "<p class=\"signer\">");
		strlist(b, &c->signers, ", ");
		ck_buf_puts(b, "</p>\n");
	}
	ck_buf_puts(b, "</section>\n");
}

/* A cited or citing cable in the archive: id linked, date, origin, subject
 * (e: an entry of the refs JSON; NULL gives the linked id alone). */
static void ref_line(ck_buf *b, const char *id, json_t *e)
{
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

/* One reference of the cable: label, the cable (linked when in the
 * archive), and the reference as written. */
static void cite(ck_buf *b, const char *label, const char *text, const char *id,
		 int linked, json_t *e)
{
	ck_buf_puts(b, "<li>");
	if (label) {
		ck_buf_puts(b, "<span class=\"label\">");
		ck_html_esc(b, label);
		ck_buf_puts(b, ".</span> ");
	}
	if (id && linked) {
		ref_line(b, id, e);
	} else if (id) {
		ck_buf_puts(b, "<span class=\"unresolved\"><code>");
		ck_html_esc(b, id);
		ck_buf_puts(b, "</code> not in this archive</span>");
	} else {
		ck_buf_puts(b, "<span class=\"unresolved\">not a cable</span>");
	}
	if (text) {
		ck_buf_puts(b, " <span class=\"muted\">(as written: ");
		ck_html_esc(b, text);
		ck_buf_puts(b, ")</span>");
	}
	ck_buf_puts(b, "</li>\n");
}

/* References both ways, from the refs JSON; without it (an archive error)
 * the cable's own references, unresolved. */
static void references(ck_buf *b, const ck_cable *c, json_t *refs)
{
	json_t *cites = json_object_get(refs, "cites"), *by = json_object_get(refs, "cited_by");
	size_t n = refs ? json_array_size(cites) : c->nrefs;
	ck_buf_puts(b, "<section class=\"refs\" id=\"refs\"><h2>References</h2>\n");
	ck_buf_printf(b, "<h3>Cites (%zu)</h3>\n", n);
	ck_buf_puts(b, n ? "<ul class=\"reflist\">\n" : "<p class=\"muted\">This cable cites nothing.</p>\n");
	for (size_t i = 0; i < n; i++) {
		if (!refs) {
			cite(b, c->refs[i].label, c->refs[i].text, c->refs[i].id, 1, NULL);
			continue;
		}
		json_t *e = json_array_get(cites, i);
		cite(b, ck_js(e, "label"), ck_js(e, "text"), ck_js(e, "id"),
		     json_is_true(json_object_get(e, "in_archive")), e);
	}
	if (n)
		ck_buf_puts(b, "</ul>\n");
	if (refs) {
		size_t nb = json_array_size(by);
		ck_buf_printf(b, "<h3>Cited by (%zu)</h3>\n", nb);
		ck_buf_puts(b, nb ? "<ul class=\"reflist\">\n"
				  : "<p class=\"muted\">No cable in this archive cites it.</p>\n");
		for (size_t i = 0; i < nb; i++) {
			json_t *e = json_array_get(by, i);
			if (!ck_js(e, "id"))
				continue;
			ck_buf_puts(b, "<li>");
			ref_line(b, ck_js(e, "id"), e);
			ck_buf_puts(b, "</li>\n");
		}
		if (nb)
			ck_buf_puts(b, "</ul>\n");
	}
	ck_buf_puts(b, "</section>\n");
}

static void problems(ck_buf *b, const ck_cable *c)
{
	ck_buf_printf(b, "<section class=\"problems\" id=\"problems\"><h2>Problems found (%zu)</h2>\n",
		      c->nproblems);
	if (!c->nproblems) {
		ck_buf_puts(b, "<p class=\"muted\">None: the text parsed cleanly.</p></section>\n");
		return;
	}
	ck_buf_puts(b, "<ul>\n");
	for (size_t i = 0; i < c->nproblems; i++) {
		const ck_problem *e = &c->problems[i];
		ck_buf_puts(b, "<li><code>");
		ck_html_esc(b, e->kind);
		ck_buf_puts(b, "</code>");
		if (e->line > 0)
			ck_buf_printf(b, " line %d", e->line);
		if (e->note) {
			ck_buf_puts(b, ": ");
			ck_html_esc(b, e->note);
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

/* The stored versions (ck_archive_versions: no cable JSON is read; the
 * source file of a single version is the cable's own). */
static void versions(ck_buf *b, ck_archive *a, const ck_cable *c)
{
	ck_version_info *v = NULL;
	size_t n = 0;
	const char *id = c->id;
	ck_buf_puts(b, "<section class=\"versions\" id=\"versions\"><h2>Versions</h2>\n");
	int rc = ck_archive_versions(a, id, 0, &v, &n);
	if (rc == 0 && n > 1) {
		ck_archive_versions_free(v, n);
		rc = ck_archive_versions(a, id, 1, &v, &n);
	} else if (rc == 0 && n == 1 && c->source.file) {
		v[0].source = strdup(c->source.file);
	}
	if (rc != 0 || !n) {
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

static void raw_text(ck_buf *b, ck_archive *a, const ck_cable *c, int show)
{
	ck_buf_puts(b, "<section class=\"raw\" id=\"raw\"><h2>Telegram text</h2>\n");
	if (!show) {
		ck_buf_puts(b, "<p><a ");
		ck_html_cable_href(b, c->id, "?raw=1#raw");
		ck_buf_puts(b, ">Show the telegram text</a></p>\n</section>\n");
		return;
	}
	ck_buf raw = CK_BUF_INIT;
	if (c->raw)
		ck_buf_puts(&raw, c->raw);
	else
		ck_archive_cable_raw(a, c->id, &raw);
	if (raw.len) {
		ck_buf_puts(b, "<p class=\"muted\">As stored at ingest.</p>\n<pre class=\"rawtext\">");
		ck_html_esc(b, raw.ptr);
		ck_buf_puts(b, "</pre>\n");
	} else if (ck_cable_write_telegram(&raw, c) == 0 && raw.len) {
		ck_buf_puts(b, "<p class=\"muted\">Written back from the parsed "
			       "cable (format lines, addresses, body).</p>\n<pre class=\"rawtext\">");
		ck_html_esc(b, raw.ptr);
		ck_buf_puts(b, "</pre>\n");
	} else {
		ck_buf_puts(b, "<p class=\"muted\">The telegram text is not available.</p>\n");
	}
	ck_buf_free(&raw);
	ck_buf_puts(b, "</section>\n");
}

/* Another spelling of the id: 301 to the canonical page. */
static void redirect(ck_srv_req *r, const char *id, int show_raw)
{
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
}

/* The page of cable c (canonical id). */
static void page(ck_buf *b, ck_archive *a, const ck_cable *c, json_t *refs, int show_raw)
{
	ck_buf title = CK_BUF_INIT;
	ck_buf_printf(&title, "%s", c->id);
	if (c->subject)
		ck_buf_printf(&title, ": %s", c->subject);
	ck_html_begin(b, title.ptr, NULL);
	ck_buf_free(&title);
	ck_buf_puts(b, "<article class=\"cable\">\n<h1><span class=\"cid\">");
	ck_html_esc(b, c->id);
	ck_buf_puts(b, "</span> <span class=\"subj\">");
	ck_html_esc(b, c->subject ? c->subject : "(no subject)");
	ck_buf_puts(b, "</span></h1>\n<p class=\"lead\">");
	ck_html_badge(b, c->marking);
	ck_buf_putc(b, ' ');
	ck_html_day(b, c->date);
	ck_buf_puts(b, " &#183; ");
	ck_html_esc(b, c->origin ? c->origin : "origin unknown");
	ck_buf url = CK_BUF_INIT;
	ck_buf_puts(&url, "/api/cable/");
	ck_url_esc(&url, c->id);
	ck_buf_puts(b, " &#183; <a ");
	ck_html_href(b, url.ptr);
	ck_buf_free(&url);
	ck_buf_puts(b, ">JSON</a></p>\n<nav class=\"toc\"><a href=\"#header\">Header</a> "
		       "<a href=\"#text\">Text</a> <a href=\"#refs\">References</a> "
		       "<a href=\"#problems\">Problems</a> <a href=\"#versions\">Versions</a> "
		       "<a href=\"#raw\">Telegram text</a></nav>\n");
	header_table(b, c);
	if (c->summary) {
		ck_buf_puts(b, "<section class=\"summary-box\"><h2>Summary</h2><p>");
		ck_html_esc(b, c->summary);
		ck_buf_puts(b, "</p></section>\n");
	}
	body_text(b, c);
	references(b, c, refs);
	problems(b, c);
	versions(b, a, c);
	raw_text(b, a, c, show_raw);
	ck_buf_puts(b, "</article>\n");
	ck_html_end(b);
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
	/* the cable by any spelling of its id; its JSON names the canonical id */
	const char *rawarg = ck_srv_arg(r, "raw");
	int show_raw = rawarg && *rawarg && strcmp(rawarg, "0");
	ck_buf cj = CK_BUF_INIT, rj = CK_BUF_INIT;
	ck_cable *c = NULL;
	json_t *refs = NULL;
	int rc = ck_archive_cable_json(a, tail, &cj);
	if (rc == 0 && (ck_cable_read_json(&c, cj.ptr, cj.len) != 0 || !c->id))
		rc = CK_EIO;
	ck_buf_free(&cj);
	if (rc) {
		if (rc == CK_ENOTFOUND) {
			ck_buf msg = CK_BUF_INIT;
			ck_buf_printf(&msg, "no cable %s in this archive", tail); /* tail is [A-Za-z0-9._-] */
			ck_srv_error(r, 404, msg.ptr);
			ck_buf_free(&msg);
		} else {
			ck_srv_error(r, 500, "archive error");
		}
		if (c)
			ck_cable_free(c);
		return;
	}
	const char *id = c->id;
	if (strcmp(id, tail)) { /* an alias or another spelling */
		redirect(r, id, show_raw);
		ck_cable_free(c);
		return;
	}
	if (ck_archive_refs_json(a, id, &rj) == 0)
		refs = ck_json_load(&rj);
	ck_buf_free(&rj);
	r->ctype = CK_HTML_TYPE;
	page(&r->body, a, c, refs, show_raw);
	json_decref(refs);
	ck_cable_free(c);
}
