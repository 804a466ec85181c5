/*
 * evidence.c - parse an item found by a reader, and weigh the page's own
 * metadata (viewer page table, csv columns) against the telegram text.
 *
 * The text wins; the page only fills what the text lacks (a partial
 * extract's date, origin or id), and every disagreement between the two
 * becomes a problem whose kind names the field ("page-id", "page-date",
 * "page-marking", "page-origin"; csv rows also "page-references", from
 * evidence_csv.c).  Known faults of the viewer tables
 * (FORMAT.md section 4): the Created minutes are the 12-hour-clock hour,
 * so dates are compared by day and hour only.
 */
#include "parse/internal.h"
#include "parse/seventies.h"
#include "parse/people.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "2000-11-29 13:01" -> year, and an ISO date "2000-11-29T13:01:00Z" */
static int meta_date_iso(const char *m, char *iso, size_t isz, int *year)
{
	if (!m || strlen(m) < 10 || m[4] != '-' || m[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !ck_isdigit_((unsigned char)m[i]))
			return -1;
	int y = atoi(m);
	int hh = 0, mm = 0;
	if (strlen(m) >= 16 && m[10] == ' ' && m[13] == ':') {
		hh = atoi(m + 11);
		mm = atoi(m + 14);
	}
	snprintf(iso, isz, "%.10sT%02d:%02d:00Z", m, hh % 24, mm % 60);
	*year = y;
	return 0;
}

static void add_alias(ck_cable *c, const char *a)
{
	size_t cap = c->aliases.n ? c->aliases.n : 0;
	/* aliases grow by push; recompute capacity as the next power of two */
	size_t p2 = 1;
	while (p2 < cap)
		p2 <<= 1;
	if (cap && p2 != cap)
		cap = 0; /* force a copy */
	for (size_t i = 0; i < c->aliases.n; i++)
		if (!strcmp(c->aliases.v[i], a))
			return;
	const char **nv = ck_arena_alloc(c->arena, (c->aliases.n + 1) * sizeof *nv);
	if (!nv)
		return;
	if (c->aliases.n)
		memcpy(nv, c->aliases.v, c->aliases.n * sizeof *nv);
	nv[c->aliases.n] = ck_arena_strdup(c->arena, a);
	c->aliases.v = nv;
	c->aliases.n++;
}

/* "09STATE9854" vs "09STATE49854": same year and post, and the longer
 * serial ends with the shorter one */
static int same_but_longer_serial(const char *id, const char *page)
{
	size_t a = strlen(id), b = strlen(page);
	size_t da = 0, db = 0;
	while (da < a && ck_isdigit_((unsigned char)id[a - 1 - da]))
		da++;
	while (db < b && ck_isdigit_((unsigned char)page[b - 1 - db]))
		db++;
	if (db <= da || a - da != b - db || strncmp(id, page, a - da))
		return 0;
	return !strcmp(id + a - da, page + b - da);
}

/* date: the text's DTG wins; the page ("2000-11-29 13:01", as iso) fills
 * a missing one, from the old page headers' DDHHMMZ when they give the
 * page's day. */
static void weigh_date(ck_cable *c, const ck_item *item, const char *iso, int csv)
{
	ck_arena *a = c->arena;
	if (!c->date && c->header.page_dtg && !strncmp(c->header.page_dtg, iso + 8, 2) &&
	    !strncmp(c->header.page_dtg + 2, iso + 11, 2)) {
		/* the old page headers' DDHHMMZ, on the page's day */
		const char *pd = c->header.page_dtg;
		c->date = ck_arena_printf(a, "%.10sT%.2s:%.2s:00Z", iso, pd + 2, pd + 4);
		ck_cable_problem(c, "page-date", 0,
				 "no date-time group in the text; day from the page, time from the page "
				 "headers' %s", pd);
	} else if (!c->date) {
		c->date = ck_arena_strdup(a, iso);
		ck_cable_problem(c, "page-date", 0,
				 "no date-time group in the text; date taken from the page (%s%s)",
				 item->meta_date, csv ? "" : "; its minutes are unreliable");
	} else if (strncmp(c->date, iso, 13)) {
		ck_cable_problem(c, "page-date", 0, "the page says created %s, the text's DTG says %s",
				 item->meta_date, c->date);
	}
}

/* id: the text's, unless it rests on the station serial and the page has
 * the whole serial; a page id that differs is kept as an alias. */
static void weigh_id(ck_cable *c, const ck_item *item, enum ck_id_source_ idsrc)
{
	ck_arena *a = c->arena;
	if (!item->meta_id || !*item->meta_id)
		return;
	if (!c->id) {
		c->id = ck_arena_strdup(a, item->meta_id);
		ck_cable_problem(c, "page-id", 0, "no id in the text; id taken from the page");
	} else if (strcmp(c->id, item->meta_id) && idsrc == CK_ID_FM_SSN &&
		   same_but_longer_serial(c->id, item->meta_id)) {
		/* the text gave only the station serial (modulo 10000); the
		 * page knows the whole serial */
		add_alias(c, c->id);
		ck_cable_problem(c, "page-id", 0,
				 "the text's id %s rests on the station serial (modulo 10000); the page's %s is used",
				 c->id, item->meta_id);
		c->id = ck_arena_strdup(a, item->meta_id);
	} else if (strcmp(c->id, item->meta_id)) {
		add_alias(c, item->meta_id);
		ck_cable_problem(c, "page-id", 0, "the page's id %s differs from the text's %s; kept as an alias",
				 item->meta_id, c->id);
	}
}

/* marking (the page's "classification" column holds the marking): the
 * text's level, with a control only the page states. */
static void weigh_marking(ck_cable *c, const ck_item *item)
{
	ck_arena *a = c->arena;
	if (!item->meta_classification || !*item->meta_classification)
		return;
	if (!c->marking) {
		c->marking = ck_arena_strdup(a, item->meta_classification);
		if (!c->classification) {
			const char *m = c->marking;
			const char *e = strstr(m, "//");
			c->classification = e ? ck_arena_strndup(a, m, (size_t)(e - m)) : c->marking;
		}
		ck_cable_problem(c, "page-marking", 0, "no classification in the text; marking taken from the page");
	} else if (strcmp(c->marking, item->meta_classification)) {
		/* The text states the level; a dissemination control that the
		 * text does not state ("//NOFORN", "//FOR OFFICIAL USE ONLY")
		 * comes from the page, the record of the archive. */
		const char *m = item->meta_classification;
		size_t ll = strlen(c->marking);
		if (!strstr(c->marking, "//") && !strncmp(m, c->marking, ll) && !strncmp(m + ll, "//", 2)) {
			ck_cable_problem(c, "page-marking", 0,
					 "the text states %s without a control; the page's marking %s is used",
					 c->marking, m);
			c->marking = ck_arena_strdup(a, m);
		} else {
			ck_cable_problem(c, "page-marking", 0, "the page says %s, the text says %s", m,
					 c->marking);
		}
	}
}

/* origin: the FM line's; the page's when the FM address is unknown. */
static void weigh_origin(ck_cable *c, const ck_item *item)
{
	if (!item->meta_origin || !*item->meta_origin)
		return;
	if (!c->origin) {
		c->origin = ck_arena_strdup(c->arena, item->meta_origin);
		if (c->from)
			ck_cable_problem(c, "page-origin", 0,
					 "FM address \"%s\" is not a known post; origin taken from the page", c->from);
	} else if (strcmp(c->origin, item->meta_origin)) {
		ck_cable_problem(c, "page-origin", 0, "the page says %s, the FM line says %s",
				 item->meta_origin, c->origin);
	}
}

/* JSON Lines written by `cablekit parse`: the cable arrives parsed; hand
 * back a copy the caller owns (through the contract JSON, so that the
 * copy is exactly what was read). */
static int copy_parsed(ck_cable **out, const ck_cable *parsed)
{
	ck_buf b = CK_BUF_INIT;
	int rc = ck_cable_write_json(&b, parsed, 0);
	if (!rc)
		rc = ck_cable_read_json(out, b.ptr, b.len);
	ck_buf_free(&b);
	return rc;
}

int ck_item_parse(ck_cable **out, const ck_item *item, int year)
{
	if (item->parsed)
		return copy_parsed(out, item->parsed);
	char iso[40];
	int meta_year = 0;
	int have_meta_date = !meta_date_iso(item->meta_date, iso, sizeof iso, &meta_year);
	int csv = item->format && !strcmp(item->format, "csv");
	ck_parse_opts o = {year ? year : meta_year, item->file, item->format, 1};
	enum ck_id_source_ idsrc = CK_ID_NONE;
	int rc = ck_parse_ex_(out, item->text, item->len, &o, &idsrc);
	if (rc)
		return rc;
	ck_cable *c = *out;
	ck_arena *a = c->arena;
	c->source.offset = item->offset;
	c->source.line = item->line;
	c->source.meta_id = ck_arena_strdup(a, item->meta_id);
	c->source.meta_date = ck_arena_strdup(a, item->meta_date);
	c->source.meta_classification = ck_arena_strdup(a, item->meta_classification);
	c->source.meta_origin = ck_arena_strdup(a, item->meta_origin);
	if (item->note && *item->note)
		ck_cable_problem(c, "page-repair", 0, "%s", item->note);
	if (item->nrecord) { /* a PlusD record page's fields (plusd.c) */
		ck_plusd_page_apply_(c, item->record, item->nrecord);
		ck_people_extract_(c); /* again: the record may add a drafter, tags */
	}
	if (item->dropped)
		ck_cable_problem(c, "too-large", 0, "the cable is over the size cap: its first %zu bytes "
				 "are kept, the %lld after them dropped", item->len, item->dropped);
	if (item->partial)
		ck_cable_problem(c, "partial-extract", 0,
				 "the page holds a partial extract of the cable; the full text is not available");
	/* the page against the text, field by field: the text wins */
	if (have_meta_date)
		weigh_date(c, item, iso, csv);
	weigh_id(c, item, idsrc);
	weigh_marking(c, item);
	weigh_origin(c, item);
	if (csv)
		ck_item_csv_evidence_(c, item);
	return 0;
}
