/*
 * search.c - the search API: a compiled query run over the archive, one
 * page of hits (ranked by bm25 with the subject weighted above the body,
 * or by date), snippets with the matched words in <mark>, and facets
 * (origin, year, month, tag, marking) over the whole result set.
 *
 * Two statements per search: one pass over every hit that counts the
 * total and the facets in C (cheap columns only), and one for the page,
 * which alone pays for snippets.  A deadline stops any search that runs
 * past CK_SEARCH_MS, so no query can hang a reader.
 */
#include "archive/archive.h"

#include <stdlib.h>
#include <string.h>

#define CK_SEARCH_MS 500
#define CK_FACET_MAX 50 /* entries of the origin and tag facets */

/* ---- counting facet values ---- */

struct fent {
	char *key;
	long n;
};

struct facet {
	struct fent *t;
	size_t cap, used;
};

static unsigned long hash(const char *s, size_t n)
{
	unsigned long h = 5381;
	for (size_t i = 0; i < n; i++)
		h = h * 33 + (unsigned char)s[i];
	return h;
}

static int facet_add(struct facet *f, const char *s, size_t n)
{
	if (!s || !n)
		return 0;
	if (f->used * 2 >= f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		struct fent *t = calloc(cap, sizeof *t);
		if (!t)
			return CK_ENOMEM;
		for (size_t i = 0; i < f->cap; i++)
			if (f->t[i].key) {
				size_t j = hash(f->t[i].key, strlen(f->t[i].key)) & (cap - 1);
				while (t[j].key)
					j = (j + 1) & (cap - 1);
				t[j] = f->t[i];
			}
		free(f->t);
		f->t = t;
		f->cap = cap;
	}
	size_t j = hash(s, n) & (f->cap - 1);
	while (f->t[j].key) {
		if (!strncmp(f->t[j].key, s, n) && !f->t[j].key[n]) {
			f->t[j].n++;
			return 0;
		}
		j = (j + 1) & (f->cap - 1);
	}
	if (!(f->t[j].key = malloc(n + 1)))
		return CK_ENOMEM;
	memcpy(f->t[j].key, s, n);
	f->t[j].key[n] = 0;
	f->t[j].n = 1;
	f->used++;
	return 0;
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

static void facet_json(ck_buf *out, const char *name, struct facet *f, int sort_key, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < f->cap; i++)
		if (f->t[i].key)
			f->t[k++] = f->t[i];
	for (size_t i = k; i < f->cap; i++)
		f->t[i].key = NULL;
	if (k)
		qsort(f->t, k, sizeof *f->t, sort_key ? by_key : by_count);
	ck_buf_printf(out, "\"%s\":[", name);
	for (size_t i = 0; i < k && i < max; i++) {
		if (i)
			ck_buf_putc(out, ',');
		ck_buf_putc(out, '[');
		ck_json_str(out, f->t[i].key);
		ck_buf_printf(out, ",%ld]", f->t[i].n);
	}
	ck_buf_putc(out, ']');
}

static void facet_free(struct facet *f)
{
	for (size_t i = 0; i < f->cap; i++)
		free(f->t[i].key);
	free(f->t);
	memset(f, 0, sizeof *f);
}

/* ,"concept":[[v,n],...],"office":[...] over the hits (FROM ... WHERE of
 * the search in `from`): the fields of 1970s telegrams and PlusD records,
 * looked up only when the archive holds any. */
static int field_facets(ck_archive *a, ck_query *q, const char *from, ck_buf *out)
{
	static const char *const kinds[] = {"concept", "office"};
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(a->db, "SELECT 1 FROM field LIMIT 1", -1, &st, NULL);
	int any = rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	for (int k = 0; k < 2; k++) {
		ck_buf_printf(out, ",\"%s\":[", kinds[k]);
		if (!any) {
			ck_buf_putc(out, ']');
			continue;
		}
		ck_buf sql = CK_BUF_INIT;
		ck_buf_printf(&sql, "SELECT f.value, count(*) AS n FROM field f WHERE f.kind='%s' AND f.cable IN"
				    " (SELECT c.rowid%s) GROUP BY f.value ORDER BY n DESC, f.value LIMIT %d",
			      kinds[k], from, CK_FACET_MAX);
		rc = sql.ptr ? sqlite3_prepare_v2(a->db, sql.ptr, -1, &st, NULL) : SQLITE_NOMEM;
		ck_buf_free(&sql);
		if (rc != SQLITE_OK)
			return ck_archive_sqlerr(a, rc, "search facets");
		ck_query_bind(q, st, 1);
		int first = 1;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			ck_buf_puts(out, first ? "[" : ",[");
			first = 0;
			ck_json_str(out, (const char *)sqlite3_column_text(st, 0));
			ck_buf_printf(out, ",%lld]", (long long)sqlite3_column_int64(st, 1));
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return ck_archive_sqlerr(a, rc, "search facets");
		ck_buf_putc(out, ']');
	}
	return 0;
}

/* ---- snippets ---- */

/* HTML-escape s; the delimiters \x01 \x02 (which the indexed text cannot
 * hold, see fts_text in store.c) become <mark> and </mark>. */
static void snippet_html(ck_buf *out, const char *s)
{
	int open = 0;
	for (; s && *s; s++) {
		switch (*s) {
		case '\x01':
			if (!open)
				ck_buf_puts(out, "<mark>");
			open = 1;
			break;
		case '\x02':
			if (open)
				ck_buf_puts(out, "</mark>");
			open = 0;
			break;
		case '&': ck_buf_puts(out, "&amp;"); break;
		case '<': ck_buf_puts(out, "&lt;"); break;
		case '>': ck_buf_puts(out, "&gt;"); break;
		case '"': ck_buf_puts(out, "&quot;"); break;
		case '\'': ck_buf_puts(out, "&#39;"); break;
		case '\n':
		case '\r':
		case '\t': ck_buf_putc(out, ' '); break;
		default:
			if ((unsigned char)*s >= 0x20)
				ck_buf_putc(out, *s);
		}
	}
	if (open)
		ck_buf_puts(out, "</mark>");
}

/* the start of a text, cut at a word boundary, for hits without a match */
static void lead_text(ck_buf *out, const char *s)
{
	ck_buf tmp = CK_BUF_INIT;
	size_t n = s ? strlen(s) : 0, max = 200;
	while (n && (*s == ' ' || *s == '\n'))
		s++, n--;
	size_t cut = n;
	if (n > max) {
		cut = max;
		while (cut > max / 2 && s[cut] != ' ' && s[cut] != '\n')
			cut--;
		while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
			cut--;
	}
	ck_buf_put(&tmp, s ? s : "", cut);
	/* collapse blank runs */
	ck_buf col = CK_BUF_INIT;
	int sp = 0;
	for (size_t i = 0; i < tmp.len; i++) {
		char c = tmp.ptr[i];
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
			sp = 1;
			continue;
		}
		if (sp && col.len)
			ck_buf_putc(&col, ' ');
		sp = 0;
		ck_buf_putc(&col, c);
	}
	if (cut < n)
		ck_buf_puts(&col, "\xE2\x80\xA6");
	snippet_html(out, col.ptr);
	ck_buf_free(&tmp);
	ck_buf_free(&col);
}

/* ---- the search ---- */

static void tags_json(ck_buf *out, const char *tags)
{
	ck_buf_putc(out, '[');
	int first = 1;
	while (tags && *tags) {
		const char *e = strchr(tags, '\t');
		size_t n = e ? (size_t)(e - tags) : strlen(tags);
		if (n) {
			char t[256];
			snprintf(t, sizeof t, "%.*s", (int)(n < 255 ? n : 255), tags);
			if (!first)
				ck_buf_putc(out, ',');
			first = 0;
			ck_json_str(out, t);
		}
		tags = e ? e + 1 : NULL;
	}
	ck_buf_putc(out, ']');
}

int ck_archive_search_json(ck_archive *a, const ck_search_opts *o, ck_buf *out)
{
	ck_query q = {0};
	ck_buf from = CK_BUF_INIT, sql = CK_BUF_INIT, page = CK_BUF_INIT;
	sqlite3_stmt *st = NULL, *snip_st = NULL;
	struct facet f_origin = {0}, f_year = {0}, f_month = {0}, f_tag = {0}, f_marking = {0};
	long long total = 0;
	int rc;
	int limit = o->limit <= 0 ? 20 : o->limit > 100 ? 100 : o->limit;
	int offset = o->offset < 0 ? 0 : o->offset > 1000000 ? 1000000 : o->offset;
	const char *sort = o->sort && *o->sort ? o->sort : "relevance";
	if (strcmp(sort, "relevance") && strcmp(sort, "date") && strcmp(sort, "-date"))
		return ck_error_set(CK_EINVAL, "sort: expected relevance, date or -date, not \"%.40s\"", sort);
	if ((rc = ck_query_compile(&q, o->q)))
		return rc;
	if (q.match)
		ck_buf_printf(&from, " FROM fts JOIN cable c ON c.rowid=fts.rowid WHERE fts MATCH ? AND (%s)", q.where.ptr);
	else
		ck_buf_printf(&from, " FROM cable c WHERE (%s)", q.where.ptr);
	ck_archive_deadline(a, CK_SEARCH_MS);

	/* pass 1: total and facets over every hit */
	if (o->facets)
		ck_buf_printf(&sql, "SELECT c.origin, c.year, c.month, c.marking, c.tags%s", from.ptr);
	else
		ck_buf_printf(&sql, "SELECT count(*)%s", from.ptr);
	if ((rc = sqlite3_prepare_v2(a->db, sql.ptr, -1, &st, NULL)) != SQLITE_OK) {
		rc = ck_archive_sqlerr(a, rc, "search");
		goto cleanup;
	}
	ck_query_bind(&q, st, 1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!o->facets) {
			total = sqlite3_column_int64(st, 0);
			continue;
		}
		total++;
		struct facet *fs[4] = {&f_origin, &f_year, &f_month, &f_marking};
		for (int i = 0; i < 4; i++)
			if (facet_add(fs[i], (const char *)sqlite3_column_text(st, i), (size_t)sqlite3_column_bytes(st, i))) {
				rc = ck_error_set(CK_ENOMEM, "out of memory");
				goto cleanup;
			}
		const char *t = (const char *)sqlite3_column_text(st, 4);
		while (t && *t) {
			const char *e = strchr(t, '\t');
			size_t n = e ? (size_t)(e - t) : strlen(t);
			if (facet_add(&f_tag, t, n)) {
				rc = ck_error_set(CK_ENOMEM, "out of memory");
				goto cleanup;
			}
			t = e ? e + 1 : NULL;
		}
	}
	if (rc != SQLITE_DONE) {
		rc = ck_archive_sqlerr(a, rc, "search");
		goto cleanup;
	}
	sqlite3_finalize(st);
	st = NULL;

	/* pass 2: the page.  Ranked by relevance, FTS5 sorts by its rank
	 * (bm25, subject x10) itself and SQLite stops at the limit, so
	 * ck_snippet() (snippet.c) runs for the page's rows only; sorted by date, SQLite
	 * would compute every column of every hit before sorting, so the
	 * snippets are made afterwards, one lookup per row of the page. */
	int inline_snippet = q.match && !strcmp(sort, "relevance");
	ck_buf_clear(&sql);
	ck_buf_printf(&sql, "SELECT c.id, c.date, c.origin, c.marking, c.subject, c.tags, c.rowid, %s%s ORDER BY ",
		      inline_snippet ? "ck_snippet(fts)" : "c.lead", from.ptr);
	if (!strcmp(sort, "date"))
		ck_buf_puts(&sql, "c.date IS NULL, c.date, c.id");
	else if (!strcmp(sort, "-date") || !q.match)
		ck_buf_puts(&sql, "c.date DESC, c.id");
	else
		ck_buf_puts(&sql, "fts.rank");
	ck_buf_puts(&sql, " LIMIT ? OFFSET ?");
	if ((rc = sqlite3_prepare_v2(a->db, sql.ptr, -1, &st, NULL)) != SQLITE_OK) {
		rc = ck_archive_sqlerr(a, rc, "search");
		goto cleanup;
	}
	int k = ck_query_bind(&q, st, 1);
	sqlite3_bind_int(st, k, limit);
	sqlite3_bind_int(st, k + 1, offset);
	if (q.match && !inline_snippet) {
		rc = sqlite3_prepare_v2(a->db, "SELECT ck_snippet(fts) FROM fts WHERE fts MATCH ?1 AND rowid=?2",
					-1, &snip_st, NULL);
		if (rc != SQLITE_OK) {
			rc = ck_archive_sqlerr(a, rc, "search");
			goto cleanup;
		}
		sqlite3_bind_text(snip_st, 1, q.match, -1, SQLITE_STATIC);
	}
	int first = 1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ck_buf_puts(&page, first ? "{\"id\":" : ",{\"id\":");
		first = 0;
		static const char *const keys[] = {NULL, ",\"date\":", ",\"origin\":", ",\"marking\":", ",\"subject\":"};
		for (int i = 0; i < 5; i++) {
			if (keys[i])
				ck_buf_puts(&page, keys[i]);
			ck_json_str(&page, (const char *)sqlite3_column_text(st, i));
		}
		ck_buf_puts(&page, ",\"tags\":");
		tags_json(&page, (const char *)sqlite3_column_text(st, 5));
		ck_buf snip = CK_BUF_INIT;
		const char *text = (const char *)sqlite3_column_text(st, 7);
		if (snip_st) {
			sqlite3_reset(snip_st);
			sqlite3_bind_int64(snip_st, 2, sqlite3_column_int64(st, 6));
			int src = sqlite3_step(snip_st);
			text = src == SQLITE_ROW ? (const char *)sqlite3_column_text(snip_st, 0) : NULL;
			if (src != SQLITE_ROW && src != SQLITE_DONE) {
				rc = src;
				break;
			}
		}
		if (q.match)
			snippet_html(&snip, text);
		else
			lead_text(&snip, text);
		ck_buf_puts(&page, ",\"snippet\":");
		ck_json_str(&page, snip.ptr ? snip.ptr : "");
		ck_buf_free(&snip);
		ck_buf_putc(&page, '}');
	}
	if (rc != SQLITE_DONE) {
		rc = ck_archive_sqlerr(a, rc, "search");
		goto cleanup;
	}
	rc = 0;
	ck_buf_printf(out, "{\"total\":%lld,\"hits\":[", total);
	if (page.len)
		ck_buf_put(out, page.ptr, page.len);
	ck_buf_putc(out, ']');
	if (o->facets) {
		ck_buf_puts(out, ",\"facets\":{");
		facet_json(out, "origin", &f_origin, 0, CK_FACET_MAX);
		ck_buf_putc(out, ',');
		facet_json(out, "year", &f_year, 0, (size_t)-1);
		ck_buf_putc(out, ',');
		facet_json(out, "tag", &f_tag, 0, CK_FACET_MAX);
		ck_buf_putc(out, ',');
		facet_json(out, "marking", &f_marking, 0, (size_t)-1);
		ck_buf_putc(out, ',');
		facet_json(out, "month", &f_month, 1, (size_t)-1);
		if ((rc = field_facets(a, &q, from.ptr, out)))
			goto cleanup;
		ck_buf_putc(out, '}');
	}
	ck_buf_putc(out, '}');
cleanup:
	ck_archive_deadline(a, 0);
	sqlite3_finalize(st);
	sqlite3_finalize(snip_st);
	ck_query_free(&q);
	ck_buf_free(&from);
	ck_buf_free(&sql);
	ck_buf_free(&page);
	facet_free(&f_origin);
	facet_free(&f_year);
	facet_free(&f_month);
	facet_free(&f_tag);
	facet_free(&f_marking);
	return rc;
}
