/*
 * plusd.c - weigh the fields of a PlusD record page (read by
 * src/read/plusd_page.c) against the telegram text it holds.
 *
 * As for viewer pages (evidence.c), the text wins: the record fills what
 * the text lacks (id, date, classification, subject, tags, office,
 * drafter, references of a record without text) and every disagreement
 * is a problem whose kind starts with "record-".  What only the record
 * knows becomes fields of the cable: classification_current, concepts,
 * person_tags, legacy_key, film_number, review (disposition and review
 * history, by date), the canonical id as an alias.  Every field stays in
 * source.record as written.
 */
#include "parse/internal.h"
#include "parse/seventies.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The value of "block.key", NULL when absent or empty ("n/a", "-- N/A or
 * Blank --"). */
static const char *field(const ck_kv *kv, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(kv[i].key, key)) {
			const char *v = kv[i].value;
			if (!v || !*v || !strcasecmp(v, "n/a") || !strcmp(v, "-- N/A or Blank --") ||
			    !strcmp(v, "N/A"))
				return NULL;
			return v;
		}
	return NULL;
}

static const char *either(const ck_kv *kv, size_t n, const char *key)
{
	char k[96];
	snprintf(k, sizeof k, "metadata.%s", key);
	const char *v = field(kv, n, k);
	if (v)
		return v;
	snprintf(k, sizeof k, "synopsis.%s", key);
	return field(kv, n, k);
}

static void add_alias(ck_cable *c, const char *id)
{
	for (size_t i = 0; i < c->aliases.n; i++)
		if (!strcmp(c->aliases.v[i], id))
			return;
	if (c->id && !strcmp(c->id, id))
		return;
	size_t cap = c->aliases.n; /* a full vector: push copies it */
	ck_strv_push_(c->arena, &c->aliases, &cap, ck_arena_strdup(c->arena, id));
}

/* "1974ATHENS02959_b" -> "74ATHENS2959"; 0 on success */
static int short_id(const char *canon, char *out, size_t outsz)
{
	size_t n = strlen(canon);
	const char *us = strchr(canon, '_');
	if (us)
		n = (size_t)(us - canon);
	if (n < 6 || !ck_isdigit_((unsigned char)canon[0]))
		return -1;
	size_t d = 0;
	while (d < n && ck_isdigit_((unsigned char)canon[d]))
		d++;
	if (d != 4 && d != 2)
		return -1;
	size_t e = n;
	while (e > d && ck_isdigit_((unsigned char)canon[e - 1]))
		e--;
	if (e == n || e == d)
		return -1;
	const char *ser = canon + e;
	while (*ser == '0' && ser + 1 < canon + n)
		ser++;
	int w = snprintf(out, outsz, "%.2s%.*s%.*s", canon + d - 2, (int)(e - d), canon + d,
			 (int)(canon + n - ser), ser);
	return w > 0 && (size_t)w < outsz ? 0 : -1;
}

/* "1974 May 17, 16:00 (Friday)" -> "1974-05-17T16:00:00Z" */
static int synopsis_date(const char *s, char *iso, size_t isz)
{
	char d[11];
	const char *comma = strchr(s, ',');
	if (!comma || ck_70s_date_iso(s, (size_t)(comma - s), d))
		return -1;
	int hh, mm;
	if (sscanf(comma + 1, " %d:%d", &hh, &mm) != 2 || hh < 0 || hh > 23 || mm < 0 || mm > 59)
		return -1;
	snprintf(iso, isz, "%sT%02d:%02d:00Z", d, hh, mm);
	return 0;
}

/* Split s on sep into a string vector (items trimmed, empty ones skipped). */
static void split_into(ck_arena *a, ck_strv *v, const char *s, const char *sep)
{
	size_t cap = v->n;
	size_t sl = strlen(sep);
	while (s && *s) {
		const char *e = strstr(s, sep);
		size_t n = e ? (size_t)(e - s) : strlen(s);
		char *item = ck_collapse_(a, s, n);
		if (item && *item)
			ck_strv_add_unique_(a, v, &cap, item);
		s = e ? e + sl : NULL;
	}
}

static void add_review(ck_cable *c, struct vec *r, const char *kind, const char *action,
		       const char *date, size_t dn, const char *by, const char *note)
{
	ck_review *x = ck_vec_push_(c->arena, r);
	if (!x)
		return;
	char iso[11];
	x->kind = kind;
	x->action = ck_arena_strdup(c->arena, action);
	x->date = date && !ck_70s_date_iso(date, dn, iso) ? ck_arena_strdup(c->arena, iso) : NULL;
	x->by = ck_arena_strdup(c->arena, by);
	x->note = ck_arena_strdup(c->arena, note);
}

static int cmp_review(const void *a, const void *b)
{
	const ck_review *x = a, *y = b;
	if (!x->date || !y->date)
		return (x->date == NULL) - (y->date == NULL);
	return strcmp(x->date, y->date);
}

/* "RELEASED <15 MAY 2002 by elyme>; APPROVED <25 FEB 2003 by GarlanWA>" */
static void review_history(ck_cable *c, struct vec *r, const char *h)
{
	const char *p = h;
	while (p && *p) {
		const char *lt = strchr(p, '<');
		const char *gt = lt ? strchr(lt, '>') : NULL;
		if (!gt)
			break;
		char *action = ck_collapse_(c->arena, p, (size_t)(lt - p));
		while (action && (*action == ';' || *action == ' '))
			action++;
		const char *by = NULL;
		size_t dn = (size_t)(gt - lt - 1);
		for (const char *q = lt + 1; q + 4 <= gt; q++)
			if (!memcmp(q, " by ", 4)) {
				dn = (size_t)(q - lt - 1);
				by = ck_arena_strndup(c->arena, q + 4, (size_t)(gt - q - 4));
				break;
			}
		if (action && *action)
			add_review(c, r, "review", action, lt + 1, dn, by, NULL);
		p = gt + 1;
	}
}

/* TAGS of the record: "PINS, GR, (KALOUDIS, NICK), (AMBATIELOS, ANTHONY)";
 * codes go to codes, parenthesized names to persons */
static void record_tags(ck_cable *c, const char *s, ck_strv *codes)
{
	size_t pcap = c->person_tags.n, ccap = 0;
	const char *p = s;
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		if (*p == '(') {
			const char *e = strchr(p, ')');
			size_t n = e ? (size_t)(e - p - 1) : strlen(p + 1);
			char *name = ck_collapse_(c->arena, p + 1, n);
			if (name && *name)
				ck_strv_add_unique_(c->arena, &c->person_tags, &pcap, name);
			p = e ? e + 1 : p + 1 + n;
			continue;
		}
		const char *e = p;
		while (*e && *e != ',' && *e != ' ')
			e++;
		ck_strv_add_unique_(c->arena, codes, &ccap, ck_arena_strndup(c->arena, p, (size_t)(e - p)));
		p = e;
	}
}

/* A PlusD record page's fields into c: the id: the short form stays the id, the canonical id an alias. */
static void record_id(ck_cable *c, const ck_kv *kv, size_t n)
{
	ck_arena *a = c->arena;
	/* id: the short form stays the id, the canonical id is an alias */
	const char *canon = field(kv, n, "synopsis.Canonical ID");
	const char *docno = field(kv, n, "metadata.Document Number");
	char sid[64];
	if (canon || docno) {
		const char *src = canon ? canon : docno;
		if (!short_id(src, sid, sizeof sid)) {
			if (!c->id) {
				c->id = ck_arena_strdup(a, sid);
				ck_cable_problem(c, "record-id", 0, "no id in the text; id %s made from the record's %s",
						 sid, src);
			} else if (strcmp(c->id, sid)) {
				ck_cable_problem(c, "record-id", 0, "the record's id %s (%s) differs from the text's %s",
						 sid, src, c->id);
				add_alias(c, sid);
			}
		}
		if (canon)
			add_alias(c, canon);
	}
}

/* A PlusD record page's fields into c: the date and the original and current classification. */
static void record_date(ck_cable *c, const ck_kv *kv, size_t n)
{
	ck_arena *a = c->arena;
	/* date */
	const char *date = field(kv, n, "synopsis.Date");
	char iso[32];
	if (date && !synopsis_date(date, iso, sizeof iso)) {
		if (!c->date) {
			c->date = ck_arena_strdup(a, iso);
			ck_cable_problem(c, "record-date", 0, "no date-time group in the text; date taken from the record");
		} else if (strncmp(c->date, iso, 16)) {
			ck_cable_problem(c, "record-date", 0, "the record says %s, the text's DTG says %s", date,
					 c->date);
		}
	}
	/* classification: the original, and the current one beside it */
	const char *orig = either(kv, n, "Original Classification");
	if (orig) {
		if (!c->classification) {
			c->classification = ck_arena_strdup(a, orig);
			c->marking = c->marking ? c->marking : c->classification;
			ck_cable_problem(c, "record-classification", 0,
					 "no classification in the text; the record's original one is used");
		} else if (strcmp(c->classification, orig)) {
			ck_cable_problem(c, "record-classification", 0, "the record says %s, the text says %s", orig,
					 c->classification);
		}
	}
	c->classification_current = ck_arena_strdup(a, either(kv, n, "Current Classification"));
}

/* A PlusD record page's fields into c: handling restrictions (captions), subject, tags and person tags. */
static void record_captions(ck_cable *c, const ck_kv *kv, size_t n)
{
	ck_arena *a = c->arena;
	/* handling restrictions are captions */
	const char *hr = either(kv, n, "Handling Restrictions");
	if (hr) {
		ck_strv h = {0};
		split_into(a, &h, hr, ",");
		size_t cap = c->caveats.n;
		for (size_t i = 0; i < h.n; i++) {
			const char *w = h.v[i];
			const char *dash = strstr(w, " - ");
			if (dash)
				w = ck_arena_strndup(a, w, (size_t)(dash - w));
			size_t k = 0;
			while (k < c->caveats.n && strcmp(c->caveats.v[k], w))
				k++;
			if (k == c->caveats.n) {
				ck_strv_add_unique_(a, &c->caveats, &cap, w);
				ck_cable_problem(c, "record-caveat", 0,
						 "the record's handling restriction %s is not a caption of the text; added", w);
			}
		}
	}
	/* subject */
	const char *subj = either(kv, n, "Subject");
	if (subj) {
		if (!c->subject)
			c->subject = ck_arena_strdup(a, subj);
		else if (strcmp(c->subject, subj))
			ck_cable_problem(c, "record-subject", 0, "the record says \"%s\", the text \"%s\"", subj,
					 c->subject);
	}
	/* tags and person tags */
	const char *tags = field(kv, n, "metadata.TAGS");
	if (tags) {
		ck_strv codes = {0};
		record_tags(c, tags, &codes);
		size_t tcap = c->tags.n;
		int had = c->tags.n > 0;
		for (size_t i = 0; i < codes.n; i++) {
			size_t k = 0;
			while (k < c->tags.n && strcmp(c->tags.v[k], codes.v[i]))
				k++;
			if (k < c->tags.n)
				continue;
			if (!had)
				ck_strv_add_unique_(a, &c->tags, &tcap, codes.v[i]);
			else
				ck_cable_problem(c, "record-tags", 0, "the record's tag %s is not in the text's TAGS",
						 codes.v[i]);
		}
	}
}

/* A PlusD record page's fields into c: concepts, the action/origin office and the drafter. */
static void record_office(ck_cable *c, const ck_kv *kv, size_t n)
{
	ck_arena *a = c->arena;
	/* concepts */
	const char *con = field(kv, n, "metadata.Concepts");
	if (con)
		split_into(a, &c->concepts, con, ",");
	else if ((con = field(kv, n, "synopsis.Concepts")))
		split_into(a, &c->concepts, con, " | ");
	/* office: "ACTION EUR", "ORIGIN SP - Policy Planning Council" */
	static const char *const roles[][2] = {{"Office Action", "ACTION "}, {"Office Origin", "ORIGIN "}};
	for (int r = 0; r < 2; r++) {
		char k[64];
		snprintf(k, sizeof k, "synopsis.%s", roles[r][0]);
		const char *v = field(kv, n, k);
		const char *mo = field(kv, n, "metadata.Office");
		if (!v && mo && !strncmp(mo, roles[r][1], 7))
			v = mo;
		if (!v || strncmp(v, roles[r][1], 7))
			continue;
		const char *code = v + 7;
		const char *e = strstr(code, " - ");
		char *cd = e ? ck_arena_strndup(a, code, (size_t)(e - code)) : ck_arena_strdup(a, code);
		const char **slot = r ? &c->office_origin : &c->office_action;
		if (!*slot)
			*slot = cd;
		else if (cd && strcmp(*slot, cd))
			ck_cable_problem(c, "record-office", 0, "the record says %s%s, the text's distribution %s",
					 roles[r][1], cd, *slot);
	}
	/* drafter */
	const char *dr = field(kv, n, "metadata.Drafter");
	if (dr) {
		if (!c->drafter)
			c->drafter = ck_arena_strdup(a, dr);
		else if (!strstr(c->drafter, dr))
			ck_cable_problem(c, "record-drafter", 0, "the record's drafter %s is not in the text's \"%s\"",
					 dr, c->drafter);
	}
}

/* A PlusD record page's fields into c: legacy key, film number, and the references and origin the text lacks. */
static void record_refs(ck_cable *c, const ck_kv *kv, size_t n)
{
	ck_arena *a = c->arena;
	c->legacy_key = ck_arena_strdup(a, field(kv, n, "metadata.Legacy Key"));
	c->film_number = ck_arena_strdup(a, field(kv, n, "metadata.Film Number"));
	/* references of a record without them in the text */
	const char *ref = field(kv, n, "metadata.Reference");
	if (ref && !c->nrefs) {
		struct ck_ref_ctx x;
		size_t cap = 0;
		ck_ref_ctx_init_(&x, c, c->date ? atoi(c->date) : 0, NULL, 0);
		ck_parse_refs_(c, &cap, ref, &x, 0);
		if (c->nrefs)
			ck_cable_problem(c, "record-references", 0, "no REF in the text; the record's \"%s\" is used",
					 ref);
	}
	/* origin of a record without a FM line */
	const char *from = field(kv, n, "metadata.From");
	if (!c->origin && from) {
		char buf[128], plad[160];
		const char *o = ck_post_origin(from, buf, sizeof buf);
		if (!o) {
			snprintf(plad, sizeof plad, "AMEMBASSY %s", from);
			o = ck_post_origin(plad, buf, sizeof buf);
		}
		if (o) {
			c->origin = ck_arena_strdup(a, o);
			ck_cable_problem(c, "record-origin", 0, "no FM line in the text; origin from the record's %s",
					 from);
		}
	}
}

/* A release stamp, "[reviewer] Declassified/Released <note> DD MON YYYY":
 * the record's Markings ("Declassified/Released US Department of State EO
 * Systematic Review 30 JUN 2005") or the line PlusD prints inside the
 * telegram text ("Sheryl P. Walter Declassified/Released US Department of
 * State EO Systematic Review 20 Mar 2014").  Fills *out (kind "marking",
 * action "DECLASSIFIED/RELEASED", the date, by the reviewer or NULL, note
 * the words between) in arena a; returns 0, or -1 when m[0..n) is not
 * one. */
int ck_release_stamp_(ck_arena *a, const char *m, size_t n, ck_review *out)
{
	static const char lead[] = "Declassified/Released";
	const size_t ll = sizeof lead - 1;
	const char *end = m + n, *at = NULL;
	for (const char *q = m; q + ll <= end && q <= m + 48; q++)
		if ((q == m || q[-1] == ' ') && !strncasecmp(q, lead, ll)) {
			at = q;
			break;
		}
	if (!at)
		return -1;
	/* the reviewer: capitalised words ("Sheryl P. Walter"), at most 5 */
	int words = 0;
	for (const char *q = m; q < at; q++) {
		if (q == m || q[-1] == ' ') {
			if (!ck_isupper_((unsigned char)*q) || ++words > 5)
				return -1;
		} else if (!ck_isalpha_((unsigned char)*q) && *q != '.' && *q != ' ' && *q != '-' &&
			   *q != '\'') {
			return -1;
		}
	}
	/* the date is the last three words */
	const char *e = end, *d = e;
	while (e > at && e[-1] == ' ')
		e--;
	d = e;
	for (int w = 0; w < 3 && d > at; w++) {
		while (d > at && d[-1] == ' ')
			d--;
		while (d > at && d[-1] != ' ')
			d--;
	}
	char iso[11];
	if (d <= at + ll || ck_70s_date_iso(d, (size_t)(e - d), iso))
		return -1;
	const char *ns = at + ll, *ne = d, *be = at;
	while (ns < ne && *ns == ' ')
		ns++;
	while (ne > ns && ne[-1] == ' ')
		ne--;
	while (be > m && be[-1] == ' ')
		be--;
	memset(out, 0, sizeof *out);
	out->kind = "marking";
	out->action = "DECLASSIFIED/RELEASED";
	out->date = ck_arena_strdup(a, iso);
	out->by = be > m ? ck_arena_strndup(a, m, (size_t)(be - m)) : NULL;
	out->note = ne > ns ? ck_arena_strndup(a, ns, (size_t)(ne - ns)) : NULL;
	return 0;
}

/* The release the record's Markings state: the day the text was released,
 * which the review history does not always hold. */
static void record_marking(ck_cable *c, struct vec *r, const char *m)
{
	ck_review x, *v;
	if (m && !ck_release_stamp_(c->arena, m, strlen(m), &x) && (v = ck_vec_push_(c->arena, r)))
		*v = x;
}

/* A PlusD record page's fields into c: the disposition and the review history, by date. */
static void record_review(ck_cable *c, const ck_kv *kv, size_t n)
{
	/* disposition and review history */
	struct vec r = {NULL, 0, 0, sizeof(ck_review)};
	const char *da = field(kv, n, "metadata.Disposition Action");
	if (da) {
		const char *dd = field(kv, n, "metadata.Disposition Date");
		add_review(c, &r, "disposition", da, dd, dd ? strlen(dd) : 0,
			   field(kv, n, "metadata.Disposition Authority"),
			   field(kv, n, "metadata.Disposition Comment"));
	}
	const char *hist = field(kv, n, "metadata.Review History");
	size_t before = r.n;
	if (hist)
		review_history(c, &r, hist);
	const char *ra = field(kv, n, "metadata.Review Action");
	if (r.n == before && ra) {
		const char *rd = field(kv, n, "metadata.Review Date");
		add_review(c, &r, "review", ra, rd, rd ? strlen(rd) : 0,
			   field(kv, n, "metadata.Review Authority"), NULL);
	}
	record_marking(c, &r, either(kv, n, "Markings"));
	if (r.n) {
		/* by date, stable (a handful of entries): insertion sort */
		ck_review *v = r.v;
		for (size_t i = 1; i < r.n; i++)
			for (size_t j = i; j > 0 && cmp_review(&v[j - 1], &v[j]) > 0; j--) {
				ck_review t = v[j];
				v[j] = v[j - 1];
				v[j - 1] = t;
			}
		c->review = r.v;
		c->nreview = r.n;
	}
}

void ck_plusd_page_apply_(ck_cable *c, const ck_kv *kv, size_t n)
{
	ck_arena *a = c->arena;
	if (!n)
		return;
	c->source.record = ck_arena_alloc(a, n * sizeof *c->source.record);
	if (c->source.record) {
		for (size_t i = 0; i < n; i++) {
			c->source.record[i].key = ck_arena_strdup(a, kv[i].key);
			c->source.record[i].value = ck_arena_strdup(a, kv[i].value);
		}
		c->source.nrecord = n;
	}
	record_id(c, kv, n);
	record_date(c, kv, n);
	record_captions(c, kv, n);
	record_office(c, kv, n);
	record_refs(c, kv, n);
	record_review(c, kv, n);
}
