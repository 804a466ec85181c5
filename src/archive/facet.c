/*
 * facet.c - counting facet values: a small open-addressing map from a
 * value to its count, the JSON list of a facet, and the field facets of
 * 1970s telegrams and PlusD records (concept, office) and people, counted from the
 * field index (fieldidx.c) or, before it is built, with one lookup a hit.
 */
#include "archive/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

unsigned long ck_str_hash(const char *s, size_t n)
{
	unsigned long h = 5381;
	for (size_t i = 0; i < n; i++)
		h = h * 33 + (unsigned char)s[i];
	return h;
}

/* the entry of s[0..n) (created with n = 0), or NULL without memory */
struct fent *ck_facet_get(struct facet *f, const char *s, size_t n)
{
	if (f->used * 2 >= f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		struct fent *t = calloc(cap, sizeof *t);
		if (!t)
			return NULL;
		for (size_t i = 0; i < f->cap; i++)
			if (f->t[i].key) {
				size_t j = ck_str_hash(f->t[i].key, strlen(f->t[i].key)) & (cap - 1);
				while (t[j].key)
					j = (j + 1) & (cap - 1);
				t[j] = f->t[i];
			}
		free(f->t);
		f->t = t;
		f->cap = cap;
	}
	size_t j = ck_str_hash(s, n) & (f->cap - 1);
	while (f->t[j].key) {
		if (!strncmp(f->t[j].key, s, n) && !f->t[j].key[n])
			return &f->t[j];
		j = (j + 1) & (f->cap - 1);
	}
	if (!(f->t[j].key = malloc(n + 1)))
		return NULL;
	memcpy(f->t[j].key, s, n);
	f->t[j].key[n] = 0;
	f->t[j].n = 0;
	f->used++;
	return &f->t[j];
}

static int by_count(const void *x, const void *y)
{
	const struct fent *a = x, *b = y;
	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->key, b->key);
}

static int by_key(const void *x, const void *y)
{
	const struct fent *a = x, *b = y;
	return strcmp(a->key, b->key);
}

/* k[j] moved down the heap k[0..n) until it sorts after neither child */
static void sift(struct fent *k, size_t j, size_t n, int (*cmp)(const void *, const void *))
{
	for (size_t c; (c = 2 * j + 1) < n; j = c) {
		if (c + 1 < n && cmp(&k[c + 1], &k[c]) > 0)
			c++;
		if (cmp(&k[c], &k[j]) <= 0)
			break;
		struct fent t = k[j];
		k[j] = k[c];
		k[c] = t;
	}
}

/* Moves the entries of k[0..n) that sort first by cmp to k[0..max), in
 * order, and returns how many that is.  Above max, a heap of the max best
 * so far with its worst at the root: most entries of a long facet (the
 * people of 100,000 hits) cost one comparison with the root, mostly of
 * their counts alone, instead of a part in sorting them all. */
static size_t facet_top(struct fent *k, size_t n, size_t max, int (*cmp)(const void *, const void *))
{
	if (max && n > max) {
		for (size_t p = max / 2; p-- > 0;)
			sift(k, p, max, cmp);
		for (size_t i = max; i < n; i++)
			if (cmp(&k[i], &k[0]) < 0) {
				k[0] = k[i];
				sift(k, 0, max, cmp);
			}
		n = max;
	}
	if (n)
		qsort(k, n, sizeof *k, cmp);
	return n;
}

/* entries k[0..n) as "name":[[value,count],...], sorted by count (or by
 * value), at most max of them (k's order is lost) */
void ck_facet_list_json(ck_buf *out, const char *name, struct fent *k, size_t n, int sort_key, size_t max)
{
	n = facet_top(k, n, max, sort_key ? by_key : by_count);
	ck_buf_printf(out, "\"%s\":[", name);
	for (size_t i = 0; i < n; i++) {
		if (i)
			ck_buf_putc(out, ',');
		ck_buf_putc(out, '[');
		ck_json_str(out, k[i].key);
		ck_buf_printf(out, ",%ld]", k[i].n);
	}
	ck_buf_putc(out, ']');
}

void ck_facet_free(struct facet *f)
{
	for (size_t i = 0; i < f->cap; i++)
		free(f->t[i].key);
	free(f->t);
	memset(f, 0, sizeof *f);
}

static int facet_put(void *cx, const char *value, long count)
{
	struct fent *e = ck_facet_get(cx, value, strlen(value));
	if (!e)
		return ck_error_set(CK_ENOMEM, "out of memory");
	e->n += count;
	return 0;
}

/* One field facet over rows[0..n) into f, one lookup a hit (the field
 * index is not built yet).  Out of time, what was counted stands. */
static int field_facet_sql(ck_archive *a, const char *sql, const sqlite3_int64 *rows, size_t n, struct facet *f)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(a->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return ck_archive_sqlerr(a, rc, "search facets");
	rc = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, rows[i]);
		int s = SQLITE_DONE;
		while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW)
			rc = facet_put(f, (const char *)sqlite3_column_text(st, 0), 1);
		if (!rc && s != SQLITE_DONE)
			break;
	}
	sqlite3_finalize(st);
	return rc;
}

/* ,"concept":[[v,n],...],"office":[...],"people":[["prodi_romano",n],...]
 * (the persons, persons.c) over the rows the other facets
 * count (the hits, or the sample scaled like them): the fields of 1970s
 * telegrams and PlusD records, counted from the field index (fx), or
 * without it looked up per hit when the archive holds any. */
int ck_field_facets(ck_archive *a, const ck_fidx *fx, const sqlite3_int64 *rows, size_t n, double scale,
			ck_buf *out)
{
	static const struct {
		const char *name, *sql; /* in the search JSON; the values of cable ?1 */
	} kinds[] = {{"concept", "SELECT value FROM field WHERE cable=?1 AND kind='concept'"},
		     {"office", "SELECT value FROM field WHERE cable=?1 AND kind='office'"},
		     {"people", "SELECT person FROM pcable WHERE cable=?1"}};
	sqlite3_stmt *st = NULL;
	int any = 1, rc = 0;
	if (!fx) {
		rc = sqlite3_prepare_v2(a->db, "SELECT 1 FROM field LIMIT 1", -1, &st, NULL);
		any = rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
		rc = 0;
	}
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0] && !rc; k++) {
		struct facet f = {0}; /* the SQL's values, counted */
		struct fent *l = NULL;
		size_t m = 0;
		if (any && (rc = ck_fidx_facet(fx, kinds[k].name, rows, n, &a->fcount, &l, &m)) == -1) {
			if (!(rc = field_facet_sql(a, kinds[k].sql, rows, n, &f)) &&
			    !(l = malloc((f.used + 1) * sizeof *l)))
				rc = ck_error_set(CK_ENOMEM, "out of memory");
			for (size_t i = 0; !rc && i < f.cap; i++)
				if (f.t[i].key)
					l[m++] = f.t[i];
		}
		for (size_t i = 0; !rc && scale != 1.0 && i < m; i++) {
			long v = (long)((double)l[i].n * scale + 0.5);
			l[i].n = v ? v : 1;
		}
		if (!rc) {
			ck_buf_putc(out, ',');
			ck_facet_list_json(out, kinds[k].name, l, m, 0, CK_FACET_MAX);
		}
		free(l);
		ck_facet_free(&f);
	}
	return rc;
}

