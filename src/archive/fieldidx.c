/*
 * fieldidx.c - the fields of a query as sets of rowids (bitmaps), so that
 * field-only and word+field searches never test the wide `cable` row.
 *
 * ck_query.prog (query.c) is the query outside its ranked FTS5 expression
 * as a postfix program: leaves (a field condition, or an FTS5 expression
 * nested under OR/NOT with fields) and AND, OR, NOT.  Each leaf becomes a
 * bitmap of rowids; the operators are word-wide bit operations; NOT is
 * the complement within the archive's cables, which is what the SQL's
 * `NOT coalesce(x, 0)` means.
 *
 * A leaf is read from the field index when the table `leaves[]` knows its
 * field: sorted distinct values of a column (or side table) with their
 * rowids, built once with the column cache (search.c).  The leaf's own
 * bound parameters (the = value or the LIKE pattern query.c made) are
 * applied to those values with SQL's semantics (LIKE: ASCII
 * case-insensitive, `%`, `_`, escape `\`), so both paths give the same
 * rows.  Any other leaf (a new field, cites:, an exact id:) runs its own
 * SQL condition once: "SELECT c.rowid FROM cable c WHERE <sql>".  New
 * fields therefore work at once, and become fast with one line in
 * `leaves[]` and, if new, one source in `col_sql[]`.
 */
#include "archive/archive.h"

#include <stdlib.h>
#include <string.h>

enum col {
	C_ORIGIN, C_SENDER, C_TO_NAME, C_TO_ROUTE, C_TAG, C_CAVEAT, C_SIGNER,
	C_CLASS, C_MARKING, C_ID, C_DATE, C_DECL,
	C_CONCEPT, C_OFFICE, C_DRAFTER, C_CURRENT, /* the field table: 1970s telegrams, PlusD records */
	C_PERSON, /* the persons of the people across cables (persons.c, docs/people.md) */
	C_ALIAS,  /* the other ids a cable is known by */
	C_N
};

/* each column: (value, rowid) ordered by value (BINARY, i.e. strcmp) */
static const char *const col_sql[C_N] = {
	[C_ORIGIN] = "SELECT origin, rowid FROM cable WHERE origin IS NOT NULL ORDER BY 1",
	[C_SENDER] = "SELECT sender, rowid FROM cable WHERE sender IS NOT NULL ORDER BY 1",
	[C_TO_NAME] = "SELECT name, cable FROM addressee WHERE name IS NOT NULL ORDER BY 1",
	[C_TO_ROUTE] = "SELECT route, cable FROM addressee WHERE route IS NOT NULL ORDER BY 1",
	[C_TAG] = "SELECT tag, cable FROM tag ORDER BY 1",
	[C_CAVEAT] = "SELECT caveat, cable FROM caveat ORDER BY 1",
	[C_SIGNER] = "SELECT name, cable FROM signer ORDER BY 1",
	[C_CLASS] = "SELECT classification, rowid FROM cable WHERE classification IS NOT NULL ORDER BY 1",
	[C_MARKING] = "SELECT marking, rowid FROM cable WHERE marking IS NOT NULL ORDER BY 1",
	[C_ID] = "SELECT id, rowid FROM cable ORDER BY 1",
	[C_DATE] = "SELECT date, rowid FROM cable WHERE date IS NOT NULL ORDER BY 1",
	[C_DECL] = "SELECT decl, rowid FROM cable WHERE decl IS NOT NULL ORDER BY 1",
	[C_CONCEPT] = "SELECT value, cable FROM field WHERE kind='concept' ORDER BY 1",
	[C_OFFICE] = "SELECT value, cable FROM field WHERE kind='office' ORDER BY 1",
	[C_DRAFTER] = "SELECT value, cable FROM field WHERE kind='drafter' ORDER BY 1",
	[C_CURRENT] = "SELECT value, cable FROM field WHERE kind='current' ORDER BY 1",
	[C_PERSON] = "SELECT person, cable FROM pcable ORDER BY 1", /* persons.c */
	[C_ALIAS] = "SELECT a.alias, c.rowid FROM alias a JOIN cable c ON c.id=a.id ORDER BY 1",
};

/* the columns that are also facets (counted per hit, so each keeps its
 * values by row as well), by their name in the search JSON */
static const struct {
	const char *name;
	enum col col;
} facets[] = {
	{"concept", C_CONCEPT},
	{"office", C_OFFICE},
	{"people", C_PERSON},
};

/* how a leaf applies its parameter to a column's values */
enum how {
	H_EQ,    /* value = param */
	H_LIKE,  /* value LIKE param */
	H_WORDS, /* ck_words(value) LIKE param */
	H_RANGE, /* the date range of the leaf's value (query.c comp_date) */
	H_SPAN,  /* param <= value < the next param (query.c comp_person) */
};

/* The leaves the index answers, mirroring comp_field() in query.c: a leaf
 * matches when any of its tests does.  prefix: 0 or 1, -1 either form. */
static const struct leafdesc {
	const char *field;
	int prefix;
	int n;
	struct {
		enum col col;
		enum how how;
		int param;
	} t[3];
} leaves[] = {
	{"from", -1, 2, {{C_ORIGIN, H_WORDS, 0}, {C_SENDER, H_WORDS, 1}}},
	{"to", -1, 2, {{C_TO_NAME, H_WORDS, 0}, {C_TO_ROUTE, H_EQ, 1}}},
	{"tag", 0, 1, {{C_TAG, H_EQ, 0}}},
	{"tag", 1, 1, {{C_TAG, H_LIKE, 0}}},
	{"caveat", 0, 1, {{C_CAVEAT, H_EQ, 0}}},
	{"caveat", 1, 1, {{C_CAVEAT, H_LIKE, 0}}},
	{"signer", 0, 1, {{C_SIGNER, H_EQ, 0}}},
	{"signer", 1, 1, {{C_SIGNER, H_LIKE, 0}}},
	{"class", 0, 1, {{C_CLASS, H_EQ, 0}}},
	{"class", 1, 1, {{C_CLASS, H_LIKE, 0}}},
	{"marking", 0, 1, {{C_MARKING, H_EQ, 0}}},
	{"marking", 1, 1, {{C_MARKING, H_LIKE, 0}}},
	{"id", 1, 2, {{C_ID, H_LIKE, 0}, {C_ALIAS, H_LIKE, 1}}},
	{"date", -1, 1, {{C_DATE, H_RANGE, 0}}},
	{"decl", -1, 1, {{C_DECL, H_RANGE, 0}}},
	{"concept", 0, 1, {{C_CONCEPT, H_EQ, 0}}},
	{"concept", 1, 1, {{C_CONCEPT, H_LIKE, 0}}},
	{"office", 0, 1, {{C_OFFICE, H_EQ, 0}}},
	{"office", 1, 1, {{C_OFFICE, H_LIKE, 0}}},
	{"drafter", -1, 1, {{C_DRAFTER, H_LIKE, 0}}},
	{"current", 0, 1, {{C_CURRENT, H_EQ, 0}}},
	{"current", 1, 1, {{C_CURRENT, H_LIKE, 0}}},
	{"person", -1, 3, {{C_PERSON, H_EQ, 0}, {C_PERSON, H_SPAN, 1}, {C_PERSON, H_SPAN, 3}}},
};

struct fcol {
	ck_buf pool;     /* the distinct values, NUL-terminated, in order */
	uint32_t *voff;  /* value i at pool.ptr + voff[i] */
	uint32_t *off;   /* its rowids: rows[off[i] .. off[i+1]) */
	uint32_t *rows;
	size_t nval, nrows, vcap, rcap;
	uint32_t *r0;    /* a facet's only: the values of row r are vals[r0[r] .. r0[r+1]) */
	uint32_t *vals;
};

struct ck_fidx {
	size_t nslot;
	ck_bits all; /* every cable */
	struct fcol c[C_N];
};

/* ---- bitmaps ---- */

static int bits_new(ck_bits *b, size_t nslot)
{
	b->nslot = nslot;
	b->nwords = (nslot + 63) / 64;
	b->w = calloc(b->nwords ? b->nwords : 1, sizeof *b->w);
	return b->w ? 0 : ck_error_set(CK_ENOMEM, "out of memory");
}

void ck_bits_free(ck_bits *b)
{
	free(b->w);
	memset(b, 0, sizeof *b);
}

static void bits_set(ck_bits *b, sqlite3_int64 r)
{
	if (r >= 0 && (size_t)r < b->nslot)
		b->w[r >> 6] |= (uint64_t)1 << (r & 63);
}

size_t ck_bits_count(const ck_bits *b)
{
	size_t n = 0;
	for (size_t i = 0; i < b->nwords; i++)
		n += (size_t)__builtin_popcountll(b->w[i]);
	return n;
}

/* SQL: ck_inset(?, rowid) is 1 when the rowid is in the bitmap bound as
 * the pointer "ck_bits" */
static void inset_fn(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const ck_bits *b = sqlite3_value_pointer(argv[0], "ck_bits");
	sqlite3_int64 r = sqlite3_value_int64(argv[1]);
	(void)argc;
	sqlite3_result_int(cx, b && ck_bits_has(b, r));
}

int ck_fidx_register(sqlite3 *db)
{
	return sqlite3_create_function(db, "ck_inset", 2, SQLITE_UTF8 | SQLITE_INNOCUOUS, NULL, inset_fn, NULL, NULL);
}

/* ---- building the index ---- */

static int fcol_push(struct fcol *f, const char *v, size_t n, sqlite3_int64 r, int newval)
{
	if (newval) {
		if (f->nval + 2 > f->vcap) {
			size_t cap = f->vcap ? f->vcap * 2 : 64;
			uint32_t *vo = realloc(f->voff, cap * sizeof *vo), *o = vo ? realloc(f->off, cap * sizeof *o) : NULL;
			if (vo)
				f->voff = vo;
			if (!o)
				return CK_ENOMEM;
			f->off = o;
			f->vcap = cap;
		}
		f->voff[f->nval] = (uint32_t)f->pool.len;
		f->off[f->nval++] = (uint32_t)f->nrows;
		ck_buf_put(&f->pool, v, n);
		ck_buf_putc(&f->pool, 0);
		if (ck_buf_failed(&f->pool))
			return CK_ENOMEM;
	}
	if (f->nrows == f->rcap) {
		size_t cap = f->rcap ? f->rcap * 2 : 256;
		uint32_t *t = realloc(f->rows, cap * sizeof *t);
		if (!t)
			return CK_ENOMEM;
		f->rows = t;
		f->rcap = cap;
	}
	f->rows[f->nrows++] = (uint32_t)r;
	return 0;
}

static int fcol_build(ck_archive *a, struct fcol *f, const char *sql, size_t nslot)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(a->db, sql, -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		size_t n = (size_t)sqlite3_column_bytes(st, 0);
		sqlite3_int64 r = sqlite3_column_int64(st, 1);
		rc = SQLITE_OK;
		if (!v || r < 0 || (size_t)r >= nslot)
			continue;
		int newval = !f->nval || strcmp(f->pool.ptr + f->voff[f->nval - 1], v);
		if (fcol_push(f, v, n, r, newval)) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return CK_ENOMEM;
	if (!f->off && !(f->off = calloc(1, sizeof *f->off)))
		return CK_ENOMEM;
	f->off[f->nval] = (uint32_t)f->nrows; /* room kept by fcol_push */
	return 0;
}

/* the values by row: counting sort of (row, value) on the row */
static int fcol_by_row(struct fcol *f, size_t nslot)
{
	if (!(f->r0 = calloc(nslot + 1, sizeof *f->r0)) || !(f->vals = malloc((f->nrows + 1) * sizeof *f->vals)))
		return CK_ENOMEM;
	for (size_t j = 0; j < f->nrows; j++)
		f->r0[f->rows[j] + 1]++;
	for (size_t r = 0; r < nslot; r++)
		f->r0[r + 1] += f->r0[r];
	for (size_t i = 0; i < f->nval; i++) /* r0[r] walks to row r's end ... */
		for (size_t j = f->off[i]; j < f->off[i + 1]; j++)
			f->vals[f->r0[f->rows[j]]++] = (uint32_t)i;
	for (size_t r = nslot; r > 0; r--) /* ... which is row r+1's start */
		f->r0[r] = f->r0[r - 1];
	f->r0[0] = 0;
	return 0;
}

void ck_fidx_free(ck_fidx *x)
{
	if (!x)
		return;
	for (int k = 0; k < C_N; k++) {
		ck_buf_free(&x->c[k].pool);
		free(x->c[k].voff);
		free(x->c[k].off);
		free(x->c[k].rows);
		free(x->c[k].r0);
		free(x->c[k].vals);
	}
	ck_bits_free(&x->all);
	free(x);
}

ck_fidx *ck_fidx_build(ck_archive *a, size_t nslot)
{
	ck_fidx *x = calloc(1, sizeof *x);
	if (!x || bits_new(&x->all, nslot)) {
		free(x);
		return NULL;
	}
	x->nslot = nslot;
	for (int k = 0; k < C_N; k++)
		if (fcol_build(a, &x->c[k], col_sql[k], nslot)) {
			ck_fidx_free(x);
			return NULL;
		}
	for (size_t i = 0; i < sizeof facets / sizeof facets[0]; i++)
		if (fcol_by_row(&x->c[facets[i].col], nslot)) {
			ck_fidx_free(x);
			return NULL;
		}
	for (size_t i = 0; i < x->c[C_ID].nrows; i++)
		bits_set(&x->all, x->c[C_ID].rows[i]);
	return x;
}

/* ---- leaves ---- */

static int fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* s LIKE p ESCAPE '\' with SQLite's semantics (ASCII case folding; `_` is
 * one UTF-8 character) */
static int like(const char *s, const char *p)
{
	const char *star_p = NULL, *star_s = NULL;
	for (;;) {
		if (*p == '%') {
			while (*p == '%')
				p++;
			if (!*p)
				return 1;
			star_p = p;
			star_s = s;
			continue;
		}
		if (*s && *p) {
			const char *q = p;
			int lit = *q == '\\' && q[1] ? (q++, 1) : 0;
			if (!lit && *q == '_') {
				s++;
				while (((unsigned char)*s & 0xC0) == 0x80)
					s++;
				p = q + 1;
				continue;
			}
			if (fold((unsigned char)*q) == fold((unsigned char)*s)) {
				s++;
				p = q + 1;
				continue;
			}
		} else if (!*s && !*p) {
			return 1;
		}
		if (!star_p || !*star_s)
			return 0;
		p = star_p; /* backtrack: the last % takes one more byte */
		s = ++star_s;
	}
}

/* first value index >= key (strcmp) */
static size_t lower_bound(const struct fcol *f, const char *key)
{
	size_t lo = 0, hi = f->nval;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(f->pool.ptr + f->voff[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void set_values(const struct fcol *f, size_t from, size_t to, ck_bits *b)
{
	for (size_t i = f->off[from]; i < f->off[to]; i++)
		b->w[f->rows[i] >> 6] |= (uint64_t)1 << (f->rows[i] & 63);
}

/* the rows of one test of a leaf into b */
static void leaf_test(const struct fcol *f, enum how how, const ck_qop *op, int param, ck_bits *b)
{
	const char *pv = param < op->nparams ? op->params[param] : "";
	if (how == H_EQ) {
		size_t i = lower_bound(f, pv);
		if (i < f->nval && !strcmp(f->pool.ptr + f->voff[i], pv))
			set_values(f, i, i + 1, b);
	} else if (how == H_SPAN) { /* two binary searches, not a scan */
		const char *hi = param + 1 < op->nparams ? op->params[param + 1] : "";
		size_t from = lower_bound(f, pv), to = lower_bound(f, hi);
		if (from < to)
			set_values(f, from, to, b);
	} else if (how == H_RANGE) {
		/* comp_date: date >= lo AND date < hi + "~" */
		const char *v = op->value, *dots = strstr(v, "..");
		char lo[16] = "", hi[16] = "";
		size_t nlo = dots ? (size_t)(dots - v) : strlen(v);
		const char *h = dots ? dots + 2 : v;
		if (nlo < 11)
			memcpy(lo, v, nlo);
		if (*h && strlen(h) < 11)
			snprintf(hi, sizeof hi, "%s~", h);
		size_t from = nlo ? lower_bound(f, lo) : 0, to = *hi ? lower_bound(f, hi) : f->nval;
		if (from < to)
			set_values(f, from, to, b);
	} else {
		ck_buf w = CK_BUF_INIT;
		for (size_t i = 0; i < f->nval; i++) {
			const char *s = f->pool.ptr + f->voff[i];
			if (how == H_WORDS) { /* as SQL's ck_words(value) LIKE param (query.c) */
				ck_buf_clear(&w);
				ck_words(&w, s);
				s = w.ptr ? w.ptr : "";
			}
			if (like(s, pv))
				set_values(f, i, i + 1, b);
		}
		ck_buf_free(&w);
	}
}

/* rows of a statement's first column into b */
static int sql_rows(ck_archive *a, const char *sql, const ck_qop *op, ck_bits *b)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(a->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		if (op->kind == CK_QOP_FTS)
			sqlite3_bind_text(st, 1, op->value ? op->value : "", -1, SQLITE_STATIC);
		for (int i = 0; op->kind == CK_QOP_FIELD && i < op->nparams; i++)
			sqlite3_bind_text(st, i + 1, op->params[i], -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			bits_set(b, sqlite3_column_int64(st, 0));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_OK ? 0 : ck_archive_sqlerr(a, rc, "search");
}

/* When sql is exactly "c.rowid IN (SUBQUERY)", the length of SUBQUERY
 * (which starts at sql + 12), else 0.  Listing its rows into the bitmap
 * skips a b-tree seek into the wide cable row per row: portion:S at 250k,
 * 384 ms -> 8 ms. */
static size_t subquery_len(const char *sql)
{
	static const char head[] = "c.rowid IN (";
	if (!sql || strncmp(sql, head, sizeof head - 1))
		return 0;
	int depth = 1, quoted = 0;
	const char *s = sql + sizeof head - 1;
	for (const char *t = s; *t; t++) {
		if (*t == '\'')
			quoted = !quoted;
		else if (!quoted && *t == '(')
			depth++;
		else if (!quoted && *t == ')' && --depth == 0)
			return t[1] ? 0 : (size_t)(t - s); /* the IN's parenthesis must end the text */
	}
	return 0;
}

static int leaf(const ck_fidx *x, ck_archive *a, const ck_qop *op, ck_bits *b)
{
	if (op->kind == CK_QOP_FTS)
		return sql_rows(a, "SELECT rowid FROM fts WHERE fts MATCH ?", op, b);
	for (size_t i = 0; x && i < sizeof leaves / sizeof leaves[0]; i++) {
		const struct leafdesc *d = &leaves[i];
		if (strcmp(d->field, op->field) || (d->prefix >= 0 && d->prefix != !!op->prefix))
			continue;
		for (int t = 0; t < d->n; t++)
			leaf_test(&x->c[d->t[t].col], d->t[t].how, op, d->t[t].param, b);
		return 0;
	}
	ck_buf sql = CK_BUF_INIT;
	size_t in = subquery_len(op->sql);
	if (in) /* "c.rowid IN (SELECT cable FROM ...)": its rows, without a seek into each cable row */
		ck_buf_put(&sql, op->sql + 12, in);
	else
		ck_buf_printf(&sql, "SELECT c.rowid FROM cable c WHERE %s", op->sql ? op->sql : "0");
	int rc = ck_buf_failed(&sql) ? ck_error_set(CK_ENOMEM, "out of memory") : sql_rows(a, sql.ptr, op, b);
	ck_buf_free(&sql);
	return rc;
}

/* ---- facets ---- */

int ck_fidx_facet(const ck_fidx *x, const char *name, const sqlite3_int64 *rows, size_t n,
		  struct ck_fcount *fc, struct fent **out, size_t *nout)
{
	const struct fcol *f = NULL;
	*out = NULL;
	*nout = 0;
	for (size_t i = 0; x && i < sizeof facets / sizeof facets[0]; i++)
		if (!strcmp(facets[i].name, name))
			f = &x->c[facets[i].col];
	if (!f)
		return -1;
	if (!f->nval)
		return 0;
	/* counts by value id (fc's, zero on entry and again on return), and
	 * the ids counted in the order first seen: the list is as long as the
	 * values the hits hold, not all of them */
	if (fc->n < f->nval) {
		ck_fcount_free(fc);
		fc->cnt = calloc(f->nval, sizeof *fc->cnt);
		fc->seen = malloc(f->nval * sizeof *fc->seen);
		if (!fc->cnt || !fc->seen) {
			ck_fcount_free(fc);
			return ck_error_set(CK_ENOMEM, "out of memory");
		}
		fc->n = f->nval;
	}
	uint32_t *cnt = fc->cnt, *seen = fc->seen;
	size_t nseen = 0;
	for (size_t i = 0; i < n; i++) {
		/* a spread of hits misses the cache on each row's start and
		 * values: both fetched ahead (as ck_cols_count) */
		if (i + 16 < n && rows[i + 16] >= 0 && (size_t)rows[i + 16] < x->nslot)
			__builtin_prefetch(f->r0 + rows[i + 16]);
		if (i + 8 < n && rows[i + 8] >= 0 && (size_t)rows[i + 8] < x->nslot)
			__builtin_prefetch(f->vals + f->r0[rows[i + 8]]);
		/* and the counters of a row nearer, whose values are in by now:
		 * a count is a miss in an array as long as the values (221,027
		 * people at 250,000 cables) */
		if (i + 4 < n && rows[i + 4] >= 0 && (size_t)rows[i + 4] < x->nslot)
			for (uint32_t j = f->r0[rows[i + 4]]; j < f->r0[rows[i + 4] + 1]; j++)
				__builtin_prefetch(cnt + f->vals[j], 1);
		if (rows[i] >= 0 && (size_t)rows[i] < x->nslot)
			for (uint32_t j = f->r0[rows[i]]; j < f->r0[rows[i] + 1]; j++)
				if (!cnt[f->vals[j]]++)
					seen[nseen++] = f->vals[j];
	}
	int rc = nseen && !(*out = malloc(nseen * sizeof **out)) ? CK_ENOMEM : 0;
	for (size_t i = 0; i < nseen; i++) {
		if (i + 8 < nseen)
			__builtin_prefetch(f->voff + seen[i + 8]);
		if (!rc)
			(*out)[i] = (struct fent){f->pool.ptr + f->voff[seen[i]], (long)cnt[seen[i]]};
		cnt[seen[i]] = 0;
	}
	if (!rc)
		*nout = nseen;
	return rc ? ck_error_set(CK_ENOMEM, "out of memory") : 0;
}

void ck_fcount_free(struct ck_fcount *fc)
{
	free(fc->cnt);
	free(fc->seen);
	memset(fc, 0, sizeof *fc);
}

/* ---- the program ---- */

int ck_fidx_eval(const ck_fidx *x, ck_archive *a, const ck_query *q, ck_bits *out)
{
	ck_bits *stack = calloc((size_t)q->nprog + 1, sizeof *stack), all = {0};
	int sp = 0, rc = 0;
	size_t nslot = x ? x->nslot : 0;
	memset(out, 0, sizeof *out);
	if (!stack)
		return ck_error_set(CK_ENOMEM, "out of memory");
	if (!x) { /* without the index: SQL for every leaf */
		sqlite3_stmt *st = NULL;
		if ((rc = sqlite3_prepare_v2(a->db, "SELECT max(rowid) FROM cable", -1, &st, NULL)) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			nslot = (size_t)sqlite3_column_int64(st, 0) + 1;
		sqlite3_finalize(st);
		if (rc != SQLITE_OK) {
			free(stack);
			return ck_archive_sqlerr(a, rc, "search");
		}
	}
	for (int i = 0; i < q->nprog && !rc; i++) {
		const ck_qop *op = &q->prog[i];
		switch (op->kind) {
		case CK_QOP_FIELD:
		case CK_QOP_FTS:
			if (!(rc = bits_new(&stack[sp], nslot)))
				rc = leaf(x, a, op, &stack[sp++]);
			break;
		case CK_QOP_AND:
		case CK_QOP_OR:
			if (op->nkids < 1 || op->nkids > sp) {
				rc = ck_error_set(CK_EINVAL, "search: bad filter program");
				break;
			}
			for (int k = sp - op->nkids + 1; k < sp; k++) {
				ck_bits *d = &stack[sp - op->nkids];
				for (size_t w = 0; w < d->nwords; w++)
					d->w[w] = op->kind == CK_QOP_AND ? d->w[w] & stack[k].w[w] : d->w[w] | stack[k].w[w];
				ck_bits_free(&stack[k]);
			}
			sp -= op->nkids - 1;
			break;
		case CK_QOP_NOT:
			if (!sp) {
				rc = ck_error_set(CK_EINVAL, "search: bad filter program");
				break;
			}
			if (x) {
				all = x->all;
			} else if (!all.w && !(rc = bits_new(&all, nslot))) {
				rc = sql_rows(a, "SELECT rowid FROM cable", op, &all);
			}
			for (size_t w = 0; !rc && w < stack[sp - 1].nwords; w++)
				stack[sp - 1].w[w] = ~stack[sp - 1].w[w] & all.w[w];
			break;
		}
	}
	if (!rc && sp != 1)
		rc = ck_error_set(CK_EINVAL, "search: bad filter program");
	if (!rc)
		*out = stack[--sp];
	while (sp > 0)
		ck_bits_free(&stack[--sp]);
	if (!x)
		ck_bits_free(&all);
	free(stack);
	return rc;
}
