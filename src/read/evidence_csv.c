/*
 * evidence_csv.c - what a cables.csv row adds to the page evidence that
 * evidence.c weighs: the references column (WikiLeaks' own resolution of
 * the REF lines, "72MOSCOW1603|72TEHRAN1091|72TEHRAN263") and the minutes
 * of the date column.
 *
 * As with the other page fields the text wins: the column fills the
 * references only when the text has no REF line at all, and a difference
 * is a "page-references" problem.  Ids are compared as sets (order and
 * repeats do not count), leading zeros of the serial ignored; references
 * that are not cables (id null) are left out.  The date column, unlike
 * the viewer pages' Created, has reliable minutes (docs/readers.md), so a
 * date that agrees by day and hour (evidence.c checks those) but not by
 * minute is a "page-date" problem too.
 */
#include "parse/internal.h"

#include <string.h>

/* An id with the leading zeros of its serial dropped ("09STATE061807" ->
 * "09STATE61807"), in the arena. */
static const char *norm_id(ck_arena *a, const char *s, size_t n)
{
	size_t d = n;
	while (d > 0 && ck_isdigit_((unsigned char)s[d - 1]))
		d--;
	size_t z = d;
	while (z + 1 < n && s[z] == '0')
		z++;
	char *o = ck_arena_alloc(a, n + 1);
	if (!o)
		return "";
	memcpy(o, s, d);
	memcpy(o + d, s + z, n - z);
	o[d + n - z] = '\0';
	return o;
}

struct ids {
	const char **v;
	size_t n;
};

static int has(const struct ids *x, const char *id)
{
	for (size_t i = 0; i < x->n; i++)
		if (!strcmp(x->v[i], id))
			return 1;
	return 0;
}

static void add(struct ids *x, const char *id)
{
	if (*id && !has(x, id))
		x->v[x->n++] = id;
}

/* "a|b|c" of the ids of x not in y into out ("" when none) */
static void minus(ck_buf *out, const struct ids *x, const struct ids *y)
{
	for (size_t i = 0; i < x->n; i++)
		if (!has(y, x->v[i]))
			ck_buf_printf(out, "%s%s", out->len ? "|" : "", x->v[i]);
}

static void check_refs(ck_cable *c, const char *col)
{
	ck_arena *a = c->arena;
	size_t cap = 1;
	for (const char *p = col; *p; p++)
		cap += *p == '|';
	struct ids in_col = {ck_arena_alloc(a, cap * sizeof(char *)), 0};
	struct ids in_text = {ck_arena_alloc(a, (c->nrefs + 1) * sizeof(char *)), 0};
	if (!in_col.v || !in_text.v)
		return;
	for (const char *p = col;;) {
		const char *e = strchr(p, '|');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const char *s = p;
		while (n && (*s == ' ' || *s == '\t'))
			s++, n--;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n)
			add(&in_col, norm_id(a, s, n));
		if (!e)
			break;
		p = e + 1;
	}
	for (size_t i = 0; i < c->nrefs; i++)
		if (c->refs[i].id)
			add(&in_text, norm_id(a, c->refs[i].id, strlen(c->refs[i].id)));

	if (!c->nrefs && in_col.n) {
		/* no REF line: the column fills the references (text = the id) */
		ck_ref *r = ck_arena_alloc(a, in_col.n * sizeof *r);
		if (!r)
			return;
		for (size_t i = 0; i < in_col.n; i++)
			r[i].text = r[i].id = in_col.v[i];
		c->refs = r;
		c->nrefs = in_col.n;
		ck_cable_problem(c, "page-references", 0,
				 "no REF line in the text; references taken from the csv references column (%s)",
				 col);
		return;
	}
	ck_buf only_col = CK_BUF_INIT, only_text = CK_BUF_INIT;
	minus(&only_col, &in_col, &in_text);
	minus(&only_text, &in_text, &in_col);
	if (only_col.len || only_text.len) {
		ck_buf said = CK_BUF_INIT;
		const struct ids none = {NULL, 0};
		minus(&said, &in_text, &none);
		ck_cable_problem(c, "page-references", 0,
				 "the csv references column says %s, the REF lines say %s (only in the column: %s; "
				 "only in the text: %s)",
				 *col ? col : "nothing", said.len ? said.ptr : "nothing",
				 only_col.len ? only_col.ptr : "none", only_text.len ? only_text.ptr : "none");
		ck_buf_free(&said);
	}
	ck_buf_free(&only_col);
	ck_buf_free(&only_text);
}

/* meta_date "1966-12-28 18:48" against the date "1966-12-28T18:48:00Z" */
static void check_minutes(ck_cable *c, const char *m)
{
	const char *d = c->date;
	if (!d || strlen(m) < 16 || strlen(d) < 16 || m[10] != ' ' || m[13] != ':')
		return;
	if (strncmp(d, m, 10) || strncmp(d + 11, m + 11, 2) || !strncmp(d + 14, m + 14, 2))
		return; /* day or hour differ (evidence.c says so), or all agree */
	ck_cable_problem(c, "page-date", 0, "the csv date column says %s, the text's DTG says %s: the minutes differ",
			 m, d);
}

void ck_item_csv_evidence_(ck_cable *c, const ck_item *item)
{
	ck_arena *a = c->arena;
	c->source.body_line = item->body_line;
	if (item->meta_references) {
		c->source.meta_references = ck_arena_strdup(a, item->meta_references);
		check_refs(c, item->meta_references);
	}
	if (item->meta_date)
		check_minutes(c, item->meta_date);
}
