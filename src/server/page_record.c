/*
 * page_record.c - the part of /cable/{id} that only 1970s telegrams and
 * PlusD record pages have: the printout's office lines ("ACTION EUR-25",
 * "DRAFTED BY NEA/RA:DTMORRISON:BDF", "APPROVED BY NEA:SSOBER"), the
 * distribution with its copy counts, the special series ("TOSEC 290096"),
 * the record's current classification, concepts, person tags, legacy key
 * and film number, and the review history - `RELEASED <15 MAY 2002 by
 * elyme>; APPROVED <25 FEB 2003 by GarlanWA>` and the disposition - as a
 * table by date, each date a link to its review: search, so that a
 * historian sees what was released when.  A cable with none of these
 * (every 2000s cable) gets no section at all.
 */
#include "server/pages.h"

#include <stdio.h>
#include <string.h>

/* 1 when c has any field of the 1970s layout or of a PlusD record. */
int ck_srv_cable_has_record(const ck_cable *c)
{
	return c->classification_current || c->person_tags.n || c->drafter || c->approver ||
	       c->clearances.n || c->office_action || c->office_origin || c->ndistribution ||
	       c->series || c->concepts.n || c->legacy_key || c->film_number || c->nreview;
}

static void row_start(ck_buf *b, const char *th)
{
	ck_buf_printf(b, "<tr><th scope=\"row\">%s</th><td>", th);
}

static void row_str(ck_buf *b, const char *th, const char *v, int code)
{
	if (!v || !*v)
		return;
	row_start(b, th);
	ck_buf_puts(b, code ? "<code>" : "");
	ck_html_esc(b, v);
	ck_buf_puts(b, code ? "</code></td></tr>\n" : "</td></tr>\n");
}

/* A row of values, each a link to the search field:value ("concept",
 * "PRISONERS"); field NULL: plain text. */
static void row_links(ck_buf *b, const char *th, const ck_strv *v, const char *field)
{
	if (!v->n)
		return;
	row_start(b, th);
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			ck_buf_puts(b, field ? " &#183; " : "<br />");
		if (field)
			ck_html_refine_link(b, "", field, v->v[i], v->v[i], NULL, NULL);
		else
			ck_html_esc(b, v->v[i]);
	}
	ck_buf_puts(b, "</td></tr>\n");
}

/* "Office: EUR (action)", linked to office:EUR. */
static void office(ck_buf *b, const ck_cable *c)
{
	if (!c->office_action && !c->office_origin)
		return;
	row_start(b, "Office");
	const char *v[2] = {c->office_action, c->office_origin};
	const char *role[2] = {"action", "origin"};
	int n = 0;
	for (int i = 0; i < 2; i++) {
		if (!v[i])
			continue;
		if (n++)
			ck_buf_puts(b, " &#183; ");
		ck_html_refine_link(b, "", "office", v[i], v[i], NULL, NULL);
		ck_buf_printf(b, " <span class=\"muted\">(%s)</span>", role[i]);
	}
	ck_buf_puts(b, "</td></tr>\n");
}

/* The distribution block as written: "EUR-25 (action) OCT-01 ... /096 W". */
static void distribution(ck_buf *b, const ck_cable *c)
{
	if (!c->ndistribution)
		return;
	row_start(b, "Distribution");
	for (size_t i = 0; i < c->ndistribution; i++) {
		const ck_office *o = &c->distribution[i];
		if (i)
			ck_buf_putc(b, ' ');
		ck_buf_puts(b, "<code>");
		ck_html_esc(b, o->code);
		if (o->copies >= 0)
			ck_buf_printf(b, "-%02d", o->copies);
		ck_buf_puts(b, "</code>");
		if (o->role && strcmp(o->role, "info"))
			ck_buf_printf(b, " <span class=\"muted\">(%s)</span>", o->role);
	}
	if (c->header.dist_total) {
		ck_buf_puts(b, " <span class=\"muted\">");
		ck_html_esc(b, c->header.dist_total);
		ck_buf_puts(b, "</span>");
	}
	ck_buf_puts(b, "</td></tr>\n");
}

/* The review history, by date: Date (linked to review:DATE), Kind, Action,
 * By, Note. */
static void review(ck_buf *b, const ck_cable *c)
{
	if (!c->nreview)
		return;
	ck_buf_puts(b, "<h3 id=\"review\">Review history</h3>\n<div class=\"scroll\">"
		       "<table class=\"grid review\"><thead><tr><th>Date</th><th>Step</th>"
		       "<th>Action</th><th>By</th><th>Note</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < c->nreview; i++) {
		const ck_review *r = &c->review[i];
		ck_buf_puts(b, "<tr><td>");
		if (r->date)
			ck_html_refine_link(b, "", "review", r->date, r->date, NULL,
					    "cables reviewed or released that day");
		else
			ck_buf_puts(b, "<span class=\"muted\">no date</span>");
		const char *cells[4] = {r->kind, r->action, r->by, r->note};
		for (int k = 0; k < 4; k++) {
			ck_buf_puts(b, "</td><td>");
			ck_html_esc(b, cells[k]);
		}
		ck_buf_puts(b, "</td></tr>\n");
	}
	ck_buf_puts(b, "</tbody></table></div>\n");
}

void ck_srv_cable_record(ck_buf *b, const ck_cable *c)
{
	if (!ck_srv_cable_has_record(c))
		return;
	ck_buf_puts(b, "<section class=\"record\" id=\"record\"><h2>Record</h2>\n"
		       "<table class=\"kv\"><tbody>\n");
	if (c->classification_current) {
		row_start(b, "Current classification");
		ck_html_refine_link(b, "", "current", c->classification_current,
				    c->classification_current, NULL, NULL);
		ck_buf_puts(b, " <span class=\"muted\">(original: ");
		ck_html_esc(b, c->classification ? c->classification : "not given");
		ck_buf_puts(b, ")</span></td></tr>\n");
	}
	office(b, c);
	distribution(b, c);
	row_str(b, "Drafted by", c->drafter, 1);
	row_str(b, "Approved by", c->approver, 1);
	row_links(b, "Clearances", &c->clearances, NULL);
	row_str(b, "Series", c->series, 0);
	row_links(b, "Concepts", &c->concepts, "concept");
	row_links(b, "Person tags", &c->person_tags, NULL);
	row_str(b, "Legacy key", c->legacy_key, 1);
	row_str(b, "Film number", c->film_number, 1);
	ck_buf_puts(b, "</tbody></table>\n");
	review(b, c);
	ck_buf_puts(b, "</section>\n");
}
