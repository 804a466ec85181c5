/*
 * search.c - the search API: a compiled query run over the archive, one
 * page of hits (ranked by bm25 with the subject weighted above the body,
 * or by date), snippets with the matched words in <mark>, and facets
 * (origin, year, month, tag, marking) over the result set.
 *
 * The planner (docs/archive.md, "Search at scale"): the hits are listed
 * newest first (by rowid) up to CK_EXACT_MAX + 1.  When they end before
 * that, everything is exact: the total, the facets (counted in C from a
 * column cache, no join to the wide cable row), the bm25 order over every
 * hit, the date order.  Above it the answer stays within its time: the
 * total is counted in full while that is cheap (one word) or estimated,
 * the facets are counted over evenly spread rowid windows and scaled
 * ("facets_sampled"), relevance is bm25 among the CK_RANK_WINDOW newest
 * hits followed by the older hits newest first, and a date order walks
 * the date index, testing each cable.  The JSON says which parts are
 * estimates: "total_exact", "facets_sampled".  A deadline of
 * CK_SEARCH_MS for the whole request stops any search that runs past it.
 */
#include "archive/archive.h"

#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CK_SEARCH_MS 500       /* the whole request */
#define CK_FACET_MAX 50        /* entries of the origin and tag facets */
#define CK_EXACT_MAX 5000      /* hits up to which every part is exact */
#define CK_RANK_WINDOW 1000    /* above it: bm25 among this many newest hits */
#define CK_SAMPLE_WINDOWS 16   /* rowid windows the sampled facets count */
#define CK_SAMPLE_HITS 2000    /* about this many hits in them together */
#define CK_COUNT_MAX 400000    /* a one-word total is counted exactly up to this (doclist) */

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

/* the entry of s[0..n) (created with n = 0), or NULL without memory */
static struct fent *facet_get(struct facet *f, const char *s, size_t n)
{
	if (f->used * 2 >= f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		struct fent *t = calloc(cap, sizeof *t);
		if (!t)
			return NULL;
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

/* entries k[0..n) as "name":[[value,count],...], sorted by count (or by
 * value), at most max of them */
static void facet_list_json(ck_buf *out, const char *name, struct fent *k, size_t n, int sort_key, size_t max)
{
	if (n)
		qsort(k, n, sizeof *k, sort_key ? by_key : by_count);
	ck_buf_printf(out, "\"%s\":[", name);
	for (size_t i = 0; i < n && i < max; i++) {
		if (i)
			ck_buf_putc(out, ',');
		ck_buf_putc(out, '[');
		ck_json_str(out, k[i].key);
		ck_buf_printf(out, ",%ld]", k[i].n);
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

static int facet_put(void *cx, const char *value, long count)
{
	struct fent *e = facet_get(cx, value, strlen(value));
	if (!e)
		return ck_error_set(CK_ENOMEM, "out of memory");
	e->n += count;
	return 0;
}

/* One field facet over rows[0..n) into f, one lookup a hit (the field
 * index is not built yet).  Out of time, what was counted stands. */
static int field_facet_sql(ck_archive *a, const char *kind, const sqlite3_int64 *rows, size_t n, struct facet *f)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(a->db, "SELECT value FROM field WHERE cable=?1 AND kind=?2", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return ck_archive_sqlerr(a, rc, "search facets");
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
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
 * over the rows the other facets count (the hits, or the sample scaled
 * like them): the fields of 1970s telegrams and PlusD records and the
 * person keys, counted from the field index (fx), or without it looked up
 * per hit when the archive holds any. */
static int field_facets(ck_archive *a, const ck_fidx *fx, const sqlite3_int64 *rows, size_t n, double scale,
			ck_buf *out)
{
	static const struct {
		const char *name, *kind; /* in the search JSON; in the table `field` */
	} kinds[] = {{"concept", "concept"}, {"office", "office"}, {"people", "person"}};
	sqlite3_stmt *st = NULL;
	int any = 1, rc = 0;
	if (!fx) {
		rc = sqlite3_prepare_v2(a->db, "SELECT 1 FROM field LIMIT 1", -1, &st, NULL);
		any = rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
		rc = 0;
	}
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0] && !rc; k++) {
		struct facet f = {0};
		if (any && (rc = ck_fidx_facet(fx, kinds[k].name, rows, n, facet_put, &f)) < 0)
			rc = field_facet_sql(a, kinds[k].kind, rows, n, &f);
		size_t m = 0;
		struct fent *l = rc ? NULL : calloc(f.used + 1, sizeof *l);
		if (!rc && !l)
			rc = ck_error_set(CK_ENOMEM, "out of memory");
		for (size_t i = 0; !rc && i < f.cap; i++)
			if (f.t[i].key) {
				long v = scale == 1.0 ? f.t[i].n : (long)((double)f.t[i].n * scale + 0.5);
				l[m++] = (struct fent){f.t[i].key, v ? v : 1};
			}
		if (!rc) {
			ck_buf_putc(out, ',');
			facet_list_json(out, kinds[k].name, l, m, 0, CK_FACET_MAX);
		}
		free(l);
		facet_free(&f);
	}
	return rc;
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


/* ---- the column cache ---- */

/* Room for one more element in the array *p of *cap (n used, doubling):
 * 0, or CK_ENOMEM */
static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 256;
	void *t = realloc(*p, c * size);
	if (!t)
		return CK_ENOMEM;
	*p = t;
	*cap = c;
	return 0;
}

/* Interned strings: id 0 is "none", ids from 1. */
struct dict {
	struct facet map; /* value -> entry whose n is its id */
	char **str;       /* id -> value (the map's key) */
	size_t n, cap;
};

static uint32_t dict_id(struct dict *d, const char *s, size_t n)
{
	if (!s || !n)
		return 0;
	struct fent *e = facet_get(&d->map, s, n);
	if (!e)
		return UINT32_MAX;
	if (!e->n) {
		if (grow((void **)&d->str, &d->cap, d->n + 1, sizeof *d->str))
			return UINT32_MAX;
		e->n = (long)++d->n;
		d->str[d->n] = e->key;
	}
	return (uint32_t)e->n;
}

static void dict_free(struct dict *d)
{
	facet_free(&d->map);
	free(d->str);
	memset(d, 0, sizeof *d);
}

enum { K_ORIGIN, K_YEAR, K_MONTH, K_MARKING, K_TAG, K_N };
static const char *const knames[K_N] = {"origin", "year", "month", "marking", "tag"};

/* The facet columns and the date order of cables, by slot: the whole
 * archive by rowid (the process-wide cache), or one search's hits by
 * their position (built from the rows when there is no cache). */
struct cols {
	size_t nslot;
	uint32_t *v[K_TAG];  /* origin, year, month, marking ids */
	uint32_t *tag0;      /* tags of slot i: tagv[tag0[i] .. tag0[i+1]) */
	uint32_t *tagv;
	size_t ntagv, tagcap;
	uint32_t *rank;      /* place in the order (date, id), dated first; UINT32_MAX: none */
	uint32_t ndated;     /* ranks below this have a date */
	uint32_t *order;     /* the process-wide cache only: rowid by rank, norder of them */
	size_t norder;
	ck_fidx *fx;         /* the process-wide cache only: the field index, or NULL */
	ck_pcounts *pc;      /* the process-wide cache only: paragraphs by level (portion.c), or NULL */
	struct dict d[K_N];
	/* the process-wide cache only */
	char *path;
	long long gen;       /* max(version.rowid) it was built at */
	long long built_ms;
};

static void cols_free(struct cols *c)
{
	if (!c)
		return;
	for (int k = 0; k < K_TAG; k++)
		free(c->v[k]);
	free(c->tag0);
	free(c->tagv);
	free(c->rank);
	free(c->order);
	ck_fidx_free(c->fx);
	ck_portion_counts_free(c->pc);
	for (int k = 0; k < K_N; k++)
		dict_free(&c->d[k]);
	free(c->path);
	free(c);
}

static long long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct cols *cols_new(size_t nslot)
{
	struct cols *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->nslot = nslot;
	int bad = 0;
	for (int k = 0; k < K_TAG; k++)
		bad |= !(c->v[k] = calloc(nslot ? nslot : 1, sizeof(uint32_t)));
	bad |= !(c->tag0 = calloc(nslot + 1, sizeof(uint32_t)));
	bad |= !(c->rank = malloc((nslot ? nslot : 1) * sizeof(uint32_t)));
	if (bad) {
		cols_free(c);
		return NULL;
	}
	for (size_t i = 0; i < nslot; i++)
		c->rank[i] = UINT32_MAX;
	return c;
}

/* Fill slot i from origin, year, month, marking, tags (tab-separated);
 * slots are filled in increasing order.  0 or CK_ENOMEM. */
static int cols_set(struct cols *c, size_t i, const char *const val[K_TAG], const char *tags)
{
	for (int k = 0; k < K_TAG; k++)
		if ((c->v[k][i] = dict_id(&c->d[k], val[k], val[k] ? strlen(val[k]) : 0)) == UINT32_MAX)
			return CK_ENOMEM;
	c->tag0[i] = (uint32_t)c->ntagv;
	while (tags && *tags) {
		const char *e = strchr(tags, '\t');
		size_t n = e ? (size_t)(e - tags) : strlen(tags);
		if (n) {
			if (grow((void **)&c->tagv, &c->tagcap, c->ntagv, sizeof *c->tagv))
				return CK_ENOMEM;
			if ((c->tagv[c->ntagv++] = dict_id(&c->d[K_TAG], tags, n)) == UINT32_MAX)
				return CK_ENOMEM;
		}
		tags = e ? e + 1 : NULL;
	}
	c->tag0[i + 1] = (uint32_t)c->ntagv;
	return 0;
}

static pthread_rwlock_t cache_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct cols *cache; /* the process-wide column cache, or NULL */

static int cols_step_row(struct cols *c, sqlite3_stmt *st, size_t slot)
{
	const char *val[K_TAG];
	for (int k = 0; k < K_TAG; k++)
		val[k] = (const char *)sqlite3_column_text(st, 1 + k);
	return cols_set(c, slot, val, (const char *)sqlite3_column_text(st, 5));
}

/* Build the cache of archive a at generation gen (max version rowid). */
static struct cols *cols_build(ck_archive *a, long long gen)
{
	sqlite3_stmt *st = NULL;
	struct cols *c = NULL;
	long long maxrow = 0;
	if (sqlite3_prepare_v2(a->db, "SELECT max(rowid) FROM cable", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		maxrow = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (maxrow < 0 || maxrow > 200000000 || !(c = cols_new((size_t)maxrow + 1)))
		return NULL;
	/* rows by rowid: the tags pool in slot order */
	int rc = sqlite3_prepare_v2(a->db, "SELECT rowid, origin, year, month, marking, tags FROM cable ORDER BY rowid",
				    -1, &st, NULL);
	size_t next = 0;
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		size_t r = (size_t)sqlite3_column_int64(st, 0);
		if (r >= c->nslot)
			continue;
		while (next < r) /* rowids with no cable */
			c->tag0[++next] = (uint32_t)c->ntagv;
		if (cols_step_row(c, st, r)) {
			rc = SQLITE_NOMEM;
			break;
		}
		next = r + 1;
		c->tag0[next] = (uint32_t)c->ntagv;
		rc = SQLITE_OK;
	}
	while (next < c->nslot)
		c->tag0[++next] = (uint32_t)c->ntagv;
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE && rc != SQLITE_OK)
		goto fail;
	/* the date order: dated cables by (date, id), then the undated ones */
	uint32_t pos = 0;
	for (int pass = 0; pass < 2; pass++) {
		rc = sqlite3_prepare_v2(a->db, pass ? "SELECT rowid FROM cable WHERE date IS NULL ORDER BY id"
						   : "SELECT rowid FROM cable WHERE date IS NOT NULL ORDER BY date, id",
					-1, &st, NULL);
		while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			size_t r = (size_t)sqlite3_column_int64(st, 0);
			if (r < c->nslot)
				c->rank[r] = pos++;
			rc = SQLITE_OK;
		}
		sqlite3_finalize(st);
		st = NULL;
		if (rc != SQLITE_DONE && rc != SQLITE_OK)
			goto fail;
		if (!pass)
			c->ndated = pos;
	}
	if (!(c->order = malloc((pos ? pos : 1) * sizeof *c->order)))
		goto fail;
	for (size_t r = 0; r < c->nslot; r++)
		if (c->rank[r] < pos)
			c->order[c->rank[r]] = (uint32_t)r;
	c->norder = pos;
	if (!(c->path = strdup(a->path)))
		goto fail;
	c->gen = gen;
	c->built_ms = mono_ms();
	return c;
fail:
	sqlite3_finalize(st);
	cols_free(c);
	return NULL;
}

/* A new cache is built on a thread of its own, on a connection of its
 * own, so that no request waits for it: first the columns (~2 s at
 * 250,000 cables), which it then publishes, then the field index (~4 s)
 * and the paragraphs by level (portion.c), which it adds.  Meanwhile
 * searches read rows and fields with SQL (the same answers).  One build at a time. */
struct build_job {
	char *path;
	long long gen;
};

static pthread_mutex_t building_lock = PTHREAD_MUTEX_INITIALIZER;
static int building; /* a build thread runs */

static void *build_thread(void *arg)
{
	struct build_job *j = arg;
	ck_archive *b = NULL;
	ck_fidx *x = NULL;
	ck_pcounts *pc = NULL;
	pthread_setname_np(pthread_self(), "ck-cache");
	if (ck_archive_open(&b, j->path, CK_ARCHIVE_READONLY) == 0) {
		struct cols *c = cols_build(b, j->gen);
		size_t nslot = c ? c->nslot : 0;
		if (c) { /* c->path is j->path, which b was opened with */
			pthread_rwlock_wrlock(&cache_lock);
			cols_free(cache);
			cache = c;
			pthread_rwlock_unlock(&cache_lock);
			x = ck_fidx_build(b, nslot);
			pc = x ? ck_portion_counts(b, nslot) : NULL;
		}
		ck_archive_close(b);
	}
	pthread_rwlock_wrlock(&cache_lock);
	if (x && pc && cache && cache->gen == j->gen && !strcmp(cache->path, j->path) && !cache->fx) {
		cache->fx = x;
		cache->pc = pc;
		x = NULL;
		pc = NULL;
	}
	pthread_rwlock_unlock(&cache_lock);
	ck_fidx_free(x);
	ck_portion_counts_free(pc);
	free(j->path);
	free(j);
	pthread_mutex_lock(&building_lock);
	building = 0;
	pthread_mutex_unlock(&building_lock);
	return NULL;
}

/* start a build for generation gen of a's file, unless one runs */
static void build_start(ck_archive *a, long long gen)
{
	pthread_mutex_lock(&building_lock);
	int busy = building;
	building = 1;
	pthread_mutex_unlock(&building_lock);
	if (busy)
		return;
	struct build_job *j = malloc(sizeof *j);
	pthread_t t;
	pthread_attr_t at;
	int started = 0;
	if (j && (j->path = strdup(a->path))) {
		j->gen = gen;
		pthread_attr_init(&at);
		pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
		started = !pthread_create(&t, &at, build_thread, j);
		pthread_attr_destroy(&at);
		if (!started)
			free(j->path);
	}
	if (!started) {
		free(j);
		pthread_mutex_lock(&building_lock);
		building = 0;
		pthread_mutex_unlock(&building_lock);
	}
}

/* The process's column cache for a's file at its current generation,
 * read-locked (the caller unlocks cache_lock), or NULL: none yet (a build
 * starts from a handle's second search: the CLI's one search never pays
 * for it), or it is being rebuilt (at most every 2 s). */
static struct cols *cache_acquire(ck_archive *a)
{
	long long gen = ck_archive_generation(a);
	if (gen < 0 || getenv("CK_NO_COLUMN_CACHE"))
		return NULL;
	pthread_rwlock_rdlock(&cache_lock);
	if (cache && cache->gen == gen && !strcmp(cache->path, a->path))
		return cache;
	int stale = cache && !strcmp(cache->path, a->path) && mono_ms() - cache->built_ms < 2000;
	pthread_rwlock_unlock(&cache_lock);
	if (a->searches >= 2 && !stale)
		build_start(a, gen);
	return NULL;
}

/* ---- hits ---- */

struct ids {
	sqlite3_int64 *v;
	size_t n, cap;
};

static int ids_push(struct ids *h, sqlite3_int64 r)
{
	if (grow((void **)&h->v, &h->cap, h->n, sizeof *h->v))
		return CK_ENOMEM;
	h->v[h->n++] = r;
	return 0;
}

/* One search being planned. */
struct plan {
	ck_archive *a;
	ck_query q;
	ck_buf from;       /* " FROM ... WHERE ..." of every hit */
	const char *rid;   /* the hit's rowid column in `from` */
	int words_only;    /* the query is words alone (no field) */
	ck_bits bits;      /* the rowids the fields select (q.prog), when evaluated */
	const char *where; /* the fields as SQL over cable c: q.where, or ck_inset() of bits */
	int fts_seek;      /* `from` is FTS5 with cheap conditions: sample it window by window */
	int stats;         /* the vocabulary table matches the archive (termstat.c) */
};

/* bind the query's parameters to st from index 1: the match, then the
 * fields' parameters or their bitmap; returns the next index */
static int plan_bind(const struct plan *p, sqlite3_stmt *st)
{
	if (!p->bits.w)
		return ck_query_bind(&p->q, st, 1);
	int k = 1;
	if (p->q.match)
		sqlite3_bind_text(st, k++, p->q.match, -1, SQLITE_STATIC);
	sqlite3_bind_pointer(st, k++, (void *)&p->bits, "ck_bits", NULL);
	return k;
}

/* the rowids of b, highest first, at most max, into out */
static int bits_rows(const ck_bits *b, size_t max, struct ids *out)
{
	for (size_t w = b->nwords; w-- > 0 && out->n < max;)
		for (uint64_t x = b->w[w]; x && out->n < max;) {
			int hi = 63 - __builtin_clzll(x);
			if (ids_push(out, (sqlite3_int64)(w * 64 + (size_t)hi)))
				return CK_ENOMEM;
			x &= ~((uint64_t)1 << hi);
		}
	return 0;
}

/* the page [offset, offset+limit) of the cables in b in date order,
 * walking the cache's order */
static int walk_page(const struct cols *c, const ck_bits *b, int desc, int offset, int limit, struct ids *page)
{
	size_t skip = (size_t)offset;
	for (size_t i = 0; i < c->norder && page->n < (size_t)limit; i++) {
		size_t r = !desc ? i : i < c->ndated ? c->ndated - 1 - i : i;
		if (!ck_bits_has(b, c->order[r]))
			continue;
		if (skip) {
			skip--;
			continue;
		}
		if (ids_push(page, c->order[r]))
			return CK_ENOMEM;
	}
	return 0;
}

/* Run "SELECT <rid> <from> <extra>" with the query bound first and then
 * the integers x[0..nx), appending each rowid to out (at most max). */
static int plan_rows(struct plan *p, const char *extra, const sqlite3_int64 *x, int nx, struct ids *out, size_t max)
{
	ck_buf sql = CK_BUF_INIT;
	sqlite3_stmt *st = NULL;
	ck_buf_printf(&sql, "SELECT %s%s %s", p->rid, p->from.ptr, extra);
	int rc = sqlite3_prepare_v2(p->a->db, sql.ptr, -1, &st, NULL);
	ck_buf_free(&sql);
	if (rc != SQLITE_OK)
		return ck_archive_sqlerr(p->a, rc, "search");
	int k = plan_bind(p, st);
	for (int i = 0; i < nx; i++)
		sqlite3_bind_int64(st, k + i, x[i]);
	while (out->n < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
		if (ids_push(out, sqlite3_column_int64(st, 0))) {
			rc = SQLITE_NOMEM;
			break;
		}
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : ck_archive_sqlerr(p->a, rc, "search");
}

/* count(*) of every hit; -1 when it could not be done */
static long long plan_count(struct plan *p)
{
	ck_buf sql = CK_BUF_INIT;
	sqlite3_stmt *st = NULL;
	long long n = -1;
	ck_buf_printf(&sql, "SELECT count(*)%s", p->from.ptr);
	if (sqlite3_prepare_v2(p->a->db, sql.ptr, -1, &st, NULL) == SQLITE_OK) {
		plan_bind(p, st);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	ck_buf_free(&sql);
	return n;
}

/* Columns for the given rowids when there is no cache: slot i = rows[i]. */
struct lrow {
	char *date, *id;
};

static int by_date_id(const void *x, const void *y)
{
	const struct lrow *a = *(struct lrow *const *)x, *b = *(struct lrow *const *)y;
	if (!a->date != !b->date)
		return a->date ? -1 : 1;
	int c = a->date ? strcmp(a->date, b->date) : 0;
	return c ? c : strcmp(a->id ? a->id : "", b->id ? b->id : "");
}

static void late(ck_archive *a);

/* got: when not NULL, running out of time ends the reading early and is
 * not an error: *got rows were read (slots [0, *got)); the order (rank)
 * is then not set */
static struct cols *cols_local(ck_archive *a, const sqlite3_int64 *rows, size_t n, int *rc, size_t *got)
{
	struct cols *c = cols_new(n);
	struct lrow *lr = calloc(n ? n : 1, sizeof *lr);
	struct lrow **ord = calloc(n ? n : 1, sizeof *ord);
	sqlite3_stmt *st = NULL;
	*rc = CK_ENOMEM;
	if (!c || !lr || !ord)
		goto done;
	if ((*rc = sqlite3_prepare_v2(a->db, "SELECT date, origin, year, month, marking, tags, id FROM cable WHERE rowid=?",
				      -1, &st, NULL)) != SQLITE_OK) {
		*rc = ck_archive_sqlerr(a, *rc, "search");
		goto done;
	}
	*rc = 0;
	for (size_t i = 0; i < n && !*rc; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, rows[i]);
		int s = sqlite3_step(st);
		if (s == SQLITE_ROW) {
			const char *d = (const char *)sqlite3_column_text(st, 0), *id = (const char *)sqlite3_column_text(st, 6);
			if ((d && !(lr[i].date = strdup(d))) || (id && !(lr[i].id = strdup(id))) || cols_step_row(c, st, i))
				*rc = CK_ENOMEM;
		} else if (s == SQLITE_INTERRUPT && got) {
			*got = i;
			late(a);
			goto done; /* *rc is 0: what was read stands */
		} else if (s != SQLITE_DONE) {
			*rc = ck_archive_sqlerr(a, s, "search");
		} else {
			const char *none[K_TAG] = {0};
			*rc = cols_set(c, i, none, NULL);
		}
		ord[i] = &lr[i];
	}
	if (got)
		*got = n;
	if (!*rc) {
		qsort(ord, n, sizeof *ord, by_date_id);
		for (size_t i = 0; i < n; i++) {
			c->rank[ord[i] - lr] = (uint32_t)i;
			if (ord[i]->date)
				c->ndated = (uint32_t)i + 1;
		}
	}
done:
	sqlite3_finalize(st);
	for (size_t i = 0; lr && i < n; i++) {
		free(lr[i].date);
		free(lr[i].id);
	}
	free(lr);
	free(ord);
	if (*rc) {
		cols_free(c);
		return NULL;
	}
	return c;
}

/* slot of hit i (rowid r) in c */
static size_t slot_of(const struct cols *c, int global, size_t i, sqlite3_int64 r)
{
	return global ? (r >= 0 && (size_t)r < c->nslot ? (size_t)r : SIZE_MAX) : i;
}

/* Facet counts over the hits rows[0..n) into cnt[k][id] */
static int count_facets(const struct cols *c, int global, const sqlite3_int64 *rows, size_t n, long *cnt[K_N])
{
	for (int k = 0; k < K_N; k++)
		if (!(cnt[k] = calloc(c->d[k].n + 1, sizeof(long))))
			return CK_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		size_t s = slot_of(c, global, i, rows[i]);
		if (s == SIZE_MAX)
			continue;
		for (int k = 0; k < K_TAG; k++)
			cnt[k][c->v[k][s]]++;
		for (uint32_t t = c->tag0[s]; t < c->tag0[s + 1]; t++)
			cnt[K_TAG][c->tagv[t]]++;
	}
	return 0;
}

/* ,"facets":{ and the column facets; the caller closes the object */
static void facets_json(ck_buf *out, const struct cols *c, long *cnt[K_N], double scale)
{
	static const int order[K_N] = {K_ORIGIN, K_YEAR, K_TAG, K_MARKING, K_MONTH};
	ck_buf_puts(out, ",\"facets\":{");
	for (int o = 0; o < K_N; o++) {
		int k = order[o];
		size_t m = 0;
		struct fent *l = calloc(c->d[k].n + 1, sizeof *l);
		for (size_t id = 1; l && id <= c->d[k].n; id++)
			if (cnt[k][id]) {
				long v = scale == 1.0 ? cnt[k][id] : (long)((double)cnt[k][id] * scale + 0.5);
				l[m++] = (struct fent){c->d[k].str[id], v ? v : 1};
			}
		if (o)
			ck_buf_putc(out, ',');
		facet_list_json(out, knames[k], l, m, k == K_MONTH,
				k == K_ORIGIN || k == K_TAG ? CK_FACET_MAX : (size_t)-1);
		free(l);
	}
}

/* sort keys: ascending dates then undated; descending dates then undated */
static const struct cols *sort_cols;
static int sort_global, sort_desc;
static const sqlite3_int64 *sort_rows;

static uint32_t sort_key(size_t i)
{
	const struct cols *c = sort_cols;
	size_t s = slot_of(c, sort_global, i, sort_rows[i]);
	uint32_t r = s == SIZE_MAX ? UINT32_MAX : c->rank[s];
	if (sort_desc && r < c->ndated)
		r = c->ndated - 1 - r;
	return r;
}

static int by_sort_key(const void *x, const void *y)
{
	uint32_t a = sort_key(*(const size_t *)x), b = sort_key(*(const size_t *)y);
	return a < b ? -1 : a > b;
}

static pthread_mutex_t sort_lock = PTHREAD_MUTEX_INITIALIZER;

/* the page [offset, offset+limit) of rows in date order, into page */
static int date_page(const struct cols *c, int global, const sqlite3_int64 *rows, size_t n, int desc,
		     int offset, int limit, struct ids *page)
{
	size_t *ix = malloc((n ? n : 1) * sizeof *ix);
	if (!ix)
		return CK_ENOMEM;
	for (size_t i = 0; i < n; i++)
		ix[i] = i;
	pthread_mutex_lock(&sort_lock); /* qsort has no context argument in C11 */
	sort_cols = c;
	sort_global = global;
	sort_desc = desc;
	sort_rows = rows;
	qsort(ix, n, sizeof *ix, by_sort_key);
	pthread_mutex_unlock(&sort_lock);
	int rc = 0;
	for (size_t i = (size_t)offset; i < n && i < (size_t)offset + (size_t)limit && !rc; i++)
		rc = ids_push(page, rows[ix[i]]);
	free(ix);
	return rc;
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

/* the JSON of the page's cables, with snippets */
static int page_json(struct plan *p, const struct ids *page, ck_buf *out)
{
	sqlite3_stmt *st = NULL, *snip = NULL;
	int rc = sqlite3_prepare_v2(p->a->db, "SELECT id, date, origin, marking, subject, tags, lead FROM cable WHERE rowid=?",
				    -1, &st, NULL);
	if (rc == SQLITE_OK && p->q.match) {
		rc = sqlite3_prepare_v2(p->a->db, "SELECT ck_snippet(fts) FROM fts WHERE fts MATCH ?1 AND rowid=?2", -1, &snip,
					NULL);
		if (rc == SQLITE_OK)
			sqlite3_bind_text(snip, 1, p->q.match, -1, SQLITE_STATIC);
	}
	if (rc != SQLITE_OK) {
		rc = ck_archive_sqlerr(p->a, rc, "search");
		goto done;
	}
	for (size_t i = 0; i < page->n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, page->v[i]);
		if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
			if (rc == SQLITE_DONE)
				continue;
			rc = ck_archive_sqlerr(p->a, rc, "search");
			goto done;
		}
		ck_buf_puts(out, i ? ",{\"id\":" : "{\"id\":");
		static const char *const keys[] = {NULL, ",\"date\":", ",\"origin\":", ",\"marking\":", ",\"subject\":"};
		for (int k = 0; k < 5; k++) {
			if (keys[k])
				ck_buf_puts(out, keys[k]);
			ck_json_str(out, (const char *)sqlite3_column_text(st, k));
		}
		ck_buf_puts(out, ",\"tags\":");
		tags_json(out, (const char *)sqlite3_column_text(st, 5));
		ck_buf s = CK_BUF_INIT, praw = CK_BUF_INIT;
		char anchor[24] = "";
		/* portion:S iran: the snippet of the matching paragraph (portion.c) */
		int pr = ck_portion_snippet(p->a, &p->q, page->v[i], &praw, anchor);
		if (pr < 0) {
			ck_buf_free(&s);
			rc = pr;
			goto done;
		}
		if (pr > 0) {
			snippet_html(&s, praw.ptr);
			ck_buf_free(&praw);
		} else if (snip) {
			sqlite3_reset(snip);
			sqlite3_bind_int64(snip, 2, page->v[i]);
			rc = sqlite3_step(snip);
			if (rc == SQLITE_INTERRUPT) {
				/* out of time: this hit and the rest show their lead */
				sqlite3_finalize(snip);
				snip = NULL;
				late(p->a);
				lead_text(&s, (const char *)sqlite3_column_text(st, 6));
				rc = SQLITE_DONE;
			} else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
				ck_buf_free(&s);
				rc = ck_archive_sqlerr(p->a, rc, "search");
				goto done;
			}
			if (snip)
				snippet_html(&s, rc == SQLITE_ROW ? (const char *)sqlite3_column_text(snip, 0) : NULL);
		} else {
			lead_text(&s, (const char *)sqlite3_column_text(st, 6));
		}
		ck_buf_puts(out, ",\"snippet\":");
		ck_json_str(out, s.ptr ? s.ptr : "");
		if (*anchor) {
			ck_buf_puts(out, ",\"anchor\":");
			ck_json_str(out, anchor);
		}
		ck_buf_free(&s);
		ck_buf_putc(out, '}');
	}
	rc = 0;
done:
	sqlite3_finalize(st);
	sqlite3_finalize(snip);
	return rc;
}

/* The page of a large result in date order: the date index walked from
 * the end asked for, each cable tested against the query (stops at the
 * page's last row). */
static int large_date_page(struct plan *p, int desc, int offset, int limit, struct ids *page)
{
	int rc = 0;
	/* dated cables first both ways, then the undated ones by id */
	for (int part = 0; part < 2 && (int)page->n < limit && !rc; part++) {
		ck_buf sql = CK_BUF_INIT;
		sqlite3_stmt *st = NULL;
		const char *member = p->words_only ? "EXISTS(SELECT 1 FROM fts WHERE fts MATCH ?1 AND fts.rowid=c.rowid)"
				     : p->q.match ? "EXISTS(SELECT 1 FROM fts WHERE fts MATCH ?1 AND fts.rowid=c.rowid) AND (%s)"
						  : "(%s)";
		ck_buf_puts(&sql, part ? "SELECT c.rowid FROM cable c WHERE c.date IS NULL AND "
				       : "SELECT c.rowid FROM cable c WHERE c.date IS NOT NULL AND ");
		ck_buf_printf(&sql, member, p->where);
		ck_buf_puts(&sql, part ? " ORDER BY c.id" : desc ? " ORDER BY c.date DESC, c.id" : " ORDER BY c.date, c.id");
		ck_buf_puts(&sql, part ? " LIMIT ? OFFSET ?" : " LIMIT ? OFFSET ?");
		long long skip = offset;
		if (part) { /* past the dated hits: how many there are */
			ck_buf cs = CK_BUF_INIT;
			ck_buf_puts(&cs, "SELECT count(*) FROM cable c WHERE c.date IS NOT NULL AND ");
			ck_buf_printf(&cs, member, p->where);
			rc = sqlite3_prepare_v2(p->a->db, cs.ptr, -1, &st, NULL);
			ck_buf_free(&cs);
			if (rc == SQLITE_OK) {
				plan_bind(p, st);
				if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
					skip = offset + (long long)page->n - sqlite3_column_int64(st, 0);
					rc = SQLITE_OK;
				}
			}
			sqlite3_finalize(st);
			st = NULL;
			if (skip < 0)
				skip = 0;
		}
		if (rc == SQLITE_OK)
			rc = sqlite3_prepare_v2(p->a->db, sql.ptr, -1, &st, NULL);
		ck_buf_free(&sql);
		if (rc != SQLITE_OK)
			return ck_archive_sqlerr(p->a, rc, "search");
		int k = plan_bind(p, st);
		sqlite3_bind_int(st, k, limit - (int)page->n);
		sqlite3_bind_int64(st, k + 1, skip);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			if (ids_push(page, sqlite3_column_int64(st, 0))) {
				rc = SQLITE_NOMEM;
				break;
			}
		sqlite3_finalize(st);
		rc = rc == SQLITE_DONE ? 0 : ck_archive_sqlerr(p->a, rc, "search");
	}
	return rc;
}

/* Past the request's deadline: a short grace to answer with what there is */
static void late(ck_archive *a)
{
	ck_archive_deadline(a, CK_SEARCH_MS / 5);
}

/* The fields as a set of rowids (fieldidx.c; out of time, the SQL), and
 * the FROM of every hit */
static int plan_from(struct plan *p, const struct cols *gc)
{
	p->where = p->q.where.ptr;
	if (p->q.nprog && !p->words_only) {
		int rc = ck_fidx_eval(gc ? gc->fx : NULL, p->a, &p->q, &p->bits);
		if (rc && rc != CK_ELIMIT)
			return rc;
		if (rc)
			late(p->a);
		else
			p->where = "ck_inset(?, c.rowid)";
	}
	p->fts_seek = p->words_only || (p->q.match && p->bits.w);
	p->rid = p->q.match ? "fts.rowid" : "c.rowid";
	if (p->words_only)
		ck_buf_puts(&p->from, " FROM fts WHERE fts MATCH ?");
	else if (p->q.match && p->bits.w)
		ck_buf_puts(&p->from, " FROM fts WHERE fts MATCH ? AND ck_inset(?, fts.rowid)");
	else if (p->q.match)
		ck_buf_printf(&p->from, " FROM fts JOIN cable c ON c.rowid=fts.rowid WHERE fts MATCH ? AND (%s)", p->where);
	else
		ck_buf_printf(&p->from, " FROM cable c WHERE (%s)", p->where);
	return 0;
}

/* about max rowids of b (n of them) spread evenly over it, into out */
static int bits_spread(const ck_bits *b, size_t n, size_t max, struct ids *out)
{
	size_t step = n / (max ? max : 1) + 1, i = 0;
	for (size_t w = 0; w < b->nwords; w++)
		for (uint64_t x = b->w[w]; x; x &= x - 1)
			if (i++ % step == 0 && ids_push(out, (sqlite3_int64)(w * 64 + (size_t)__builtin_ctzll(x))))
				return CK_ENOMEM;
	return 0;
}

/* The page [offset, offset+limit) in relevance order: bm25 over the newest
 * `win` listed hits (every hit of an exact result), then the listed hits
 * after them newest first, then - for a large result (`more`), deeper than
 * the listed hits - the older ones by rowid.  Out of time, the listed hits
 * newest first. */
static int rank_page(struct plan *p, const struct ids *hits, size_t win, int offset, int limit, int more,
		     struct ids *page)
{
	int rc = 0;
	if (win > hits->n)
		win = hits->n;
	if ((size_t)offset < win) {
		sqlite3_int64 x[3] = {hits->v[win - 1], limit, offset};
		/* ranked by SQLite's sorter after the other conditions, not by
		 * FTS5's ORDER BY rank over every row the words match (a word +
		 * a field scored all of the word's hits) */
		ck_buf ex = CK_BUF_INIT, dfs = CK_BUF_INIT;
		if (p->stats && !ck_termstat_dfs(p->a, p->q.match, &dfs) && dfs.ptr && !dfs.failed)
			ck_buf_printf(&ex, "AND %s >= ? ORDER BY ck_rank(fts, '%s') LIMIT ? OFFSET ?", p->rid, dfs.ptr);
		else
			ck_buf_printf(&ex, "AND %s >= ? ORDER BY +fts.rank LIMIT ? OFFSET ?", p->rid);
		ck_buf_free(&dfs);
		rc = ex.failed ? CK_ENOMEM : plan_rows(p, ex.ptr, x, 3, page, (size_t)limit);
		ck_buf_free(&ex);
		if (rc) {
			if (rc != CK_ELIMIT)
				return rc;
			rc = 0; /* out of time: the listed hits, newest first */
			late(p->a);
			page->n = 0;
			win = 0;
		}
	}
	/* then the listed hits after the window, newest first */
	size_t at = (size_t)offset + page->n;
	for (size_t i = at > win ? at : win; page->n < (size_t)limit && i < hits->n; i++)
		if ((rc = ids_push(page, hits->v[i])))
			return rc;
	at = (size_t)offset + page->n;
	if (page->n < (size_t)limit && more && hits->n && at >= hits->n) {
		/* deeper than the listed hits: the older ones by rowid */
		sqlite3_int64 y[3] = {hits->v[hits->n - 1], (sqlite3_int64)limit - (sqlite3_int64)page->n,
				      (sqlite3_int64)(at - hits->n)};
		char ex[128];
		snprintf(ex, sizeof ex, "AND %s < ? ORDER BY %s DESC LIMIT ? OFFSET ?", p->rid, p->rid);
		if ((rc = plan_rows(p, ex, y, 3, page, (size_t)limit)) && rc != CK_ELIMIT)
			return rc;
		rc = 0;
	}
	return rc;
}

/* The sample of a large result: the hits in CK_SAMPLE_WINDOWS windows of
 * rowids spread evenly over [1, top] (top: the newest listed hit), together
 * about CK_SAMPLE_HITS hits by the density of the listed ones.  *covered:
 * the rowids the windows read (in time).  Only errors other than running
 * out of time are returned. */
static int sample_windows(struct plan *p, const struct ids *hits, struct ids *sample, long long *covered)
{
	sqlite3_int64 top = hits->v[0], span = top - hits->v[hits->n - 1] + 1;
	double part = hits->n > CK_SAMPLE_HITS ? (double)CK_SAMPLE_HITS / (double)hits->n : 1.0;
	sqlite3_int64 w = (sqlite3_int64)((double)span * part) / CK_SAMPLE_WINDOWS + 1;
	sqlite3_int64 x[2 * CK_SAMPLE_WINDOWS];
	int nx = 0, rc = 0, cut = 0;
	for (int i = 0; i < CK_SAMPLE_WINDOWS; i++) {
		sqlite3_int64 lo = 1 + (sqlite3_int64)((double)(top - w) * i / (CK_SAMPLE_WINDOWS - 1));
		if (nx && lo <= x[nx - 1]) /* windows overlap only in a small archive */
			lo = x[nx - 1] + 1;
		if (lo > top)
			break;
		x[nx++] = lo;
		x[nx++] = lo + w - 1 < top ? lo + w - 1 : top;
	}
	/* FTS5 seeks to each window; a query with fields runs once over
	 * the windows (its subqueries are then built once) */
	ck_buf ex = CK_BUF_INIT;
	*covered = 0;
	for (int i = 0; i < nx; i += 2) {
		if (p->fts_seek)
			ck_buf_clear(&ex);
		ck_buf_printf(&ex, p->fts_seek ? "AND %s BETWEEN ? AND ?" : i ? " OR %s BETWEEN ? AND ?"
									 : "AND (%s BETWEEN ? AND ?", p->rid);
		if (!p->fts_seek && i + 2 < nx)
			continue;
		if (!p->fts_seek)
			ck_buf_putc(&ex, ')');
		if ((rc = plan_rows(p, ex.ptr, p->fts_seek ? x + i : x, p->fts_seek ? 2 : nx, sample, (size_t)-1))) {
			if (rc != CK_ELIMIT)
				break;
			rc = 0; /* out of time: what was counted stands */
			cut = 1;
			late(p->a);
			break;
		}
		if (p->fts_seek)
			*covered += x[i + 1] - x[i] + 1;
	}
	if (!p->fts_seek && !cut && !rc)
		for (int i = 0; i < nx; i += 2)
			*covered += x[i + 1] - x[i] + 1;
	ck_buf_free(&ex);
	if (*covered > top)
		*covered = top;
	return rc;
}

/* The page in date order: the cache's order walked against the fields'
 * bitmap (fields only), the hits sorted by their columns (an exact result;
 * *lc: the columns read for the facets, unless partial, else read here),
 * or the date index walked (a large result, or out of time). */
static int date_order_page(struct plan *p, const struct cols *gc, struct cols **lc, int lc_partial, int fields_only,
			   int exact, const struct ids *hits, int desc, int offset, int limit, struct ids *page)
{
	int rc = 0;
	if (fields_only && gc)
		return walk_page(gc, &p->bits, desc, offset, limit, page);
	if (exact) {
		if (lc_partial) { /* its order was not read */
			cols_free(*lc);
			*lc = NULL;
		}
		if (!gc && !*lc && !(*lc = cols_local(p->a, hits->v, hits->n, &rc, NULL))) {
			if (rc != CK_ELIMIT)
				return rc;
			late(p->a); /* out of time: the date index walked, as for a large result */
			rc = large_date_page(p, desc, offset, limit, page);
			return rc == CK_ELIMIT ? 0 : rc;
		}
		return date_page(gc ? gc : *lc, gc != NULL, hits->v, hits->n, desc, offset, limit, page);
	}
	if ((rc = large_date_page(p, desc, offset, limit, page))) {
		if (rc != CK_ELIMIT)
			return rc;
		rc = 0; /* out of time: the listed hits, newest first */
		late(p->a);
		page->n = 0;
		for (size_t i = (size_t)offset; i < hits->n && page->n < (size_t)limit; i++)
			if ((rc = ids_push(page, hits->v[i])))
				return rc;
	}
	return rc;
}

/* The document count of a query that is one plain word ("minister"),
 * from the vocabulary table; -1 for any other query or without a table */
static long long one_word_df(const struct plan *p)
{
	if (!p->stats || !p->words_only || strchr(p->q.match, ' ') || strchr(p->q.match, '*'))
		return -1;
	size_t ml = strlen(p->q.match);
	if (ml <= 2 || p->q.match[0] != '"' || p->q.match[ml - 1] != '"')
		return -1;
	return ck_termstat_df(p->a, p->q.match + 1, ml - 2);
}

/* A large result's total and sample: the total exact for one word (the
 * vocabulary's count, else its doclist counted), else estimated from the
 * sample's density (from the listed hits' when no window was read); never
 * below the hits listed. */
static int large_total(struct plan *p, const struct ids *hits, long long known, struct ids *sample, long long *total,
		       int *total_exact)
{
	if (p->words_only && !strchr(p->q.match, ' ') && !strchr(p->q.match, '*')) {
		long long t = known;
		if (t < (long long)hits->n)
			t = plan_count(p); /* ~0.3 us a hit */
		if (t >= 0) {
			*total = t;
			*total_exact = 1;
		} else {
			late(p->a);
		}
	}
	sqlite3_int64 top = hits->v[0], span = top - hits->v[hits->n - 1] + 1;
	long long covered = 0;
	int rc = sample_windows(p, hits, sample, &covered);
	if (rc)
		return rc;
	if (!*total_exact)
		*total = covered > 0 ? (long long)((double)sample->n * (double)top / (double)covered + 0.5)
				     : (long long)((double)hits->n * (double)top / (double)span + 0.5);
	if (*total < (long long)hits->n)
		*total = (long long)hits->n;
	return 0;
}

int ck_archive_search_json(ck_archive *a, const ck_search_opts *o, ck_buf *out)
{
	struct plan p = {a, {0}, CK_BUF_INIT, NULL, 0, {0}, NULL, 0, 0};
	struct ids hits = {0}, page = {0}, sample = {0};
	struct cols *gc = NULL, *lc = NULL;
	long *cnt[K_N] = {0};
	ck_buf pj = CK_BUF_INIT;
	int rc;
	int limit = o->limit <= 0 ? 20 : o->limit > 100 ? 100 : o->limit;
	int offset = o->offset < 0 ? 0 : o->offset > 1000000 ? 1000000 : o->offset;
	const char *sort = o->sort && *o->sort ? o->sort : "relevance";
	if (strcmp(sort, "relevance") && strcmp(sort, "date") && strcmp(sort, "-date"))
		return ck_error_set(CK_EINVAL, "sort: expected relevance, date or -date, not \"%.40s\"", sort);
	long long t_entry = mono_ms();
	if ((rc = ck_query_compile(&p.q, o->q)))
		return rc;
	a->searches++;
	/* one deadline for every statement below (CK_SEARCH_MS lowers it, for
	 * tests of the out-of-time paths) */
	const char *sm = getenv("CK_SEARCH_MS");
	ck_archive_deadline(a, sm && atoi(sm) > 0 && atoi(sm) < CK_SEARCH_MS ? atoi(sm) : CK_SEARCH_MS);
	/* every statement below reads one snapshot of the archive (a read
	 * transaction), so that the total, the page, its snippets and the
	 * facets agree while an ingest writes */
	int txn = sqlite3_get_autocommit(a->db) && sqlite3_exec(a->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
	p.stats = ck_termstat_valid(a);
	if (p.stats && p.q.match && strchr(p.q.match, '*')) {
		/* "elect*" as the OR of the words under it (termstat.c) */
		ck_buf m = CK_BUF_INIT;
		if (ck_termstat_expand(a, p.q.match, &m) && !m.failed) {
			free(p.q.match);
			p.q.match = ck_buf_detach(&m);
		}
		ck_buf_free(&m);
	}
	p.words_only = p.q.match && !strcmp(p.q.where.ptr, "1");
	int by_rank = p.q.match && !strcmp(sort, "relevance");
	gc = o->facets || !by_rank || p.q.nprog ? cache_acquire(a) : NULL;
	if ((rc = plan_from(&p, gc)))
		goto cleanup;
	int desc = !strcmp(sort, "-date") || (!p.q.match && !strcmp(sort, "relevance"));

	long long t_start = mono_ms();
	/* 1. the hits, newest first, up to one more than the exact limit
	 * (CK_SEARCH_EXACT_MAX lowers it, for tests of the large path) */
	const char *em = getenv("CK_SEARCH_EXACT_MAX");
	size_t exact_max = em && atoi(em) > 0 && atoi(em) < CK_EXACT_MAX ? (size_t)atoi(em) : CK_EXACT_MAX;
	size_t rank_window = exact_max * CK_RANK_WINDOW / CK_EXACT_MAX ? exact_max * CK_RANK_WINDOW / CK_EXACT_MAX : 1;
	/* one word whose count the vocabulary has: a large result is known
	 * before listing, and only the newest that are ranked are listed */
	long long known = one_word_df(&p);
	const sqlite3_int64 cap = known > (long long)exact_max ? (sqlite3_int64)rank_window : (sqlite3_int64)exact_max + 1;
	char extra[96];
	snprintf(extra, sizeof extra, "ORDER BY %s DESC LIMIT ?", p.rid);
	int cut = 0; /* out of time while listing: what was listed stands */
	int fields_only = !p.q.match && p.bits.w;
	long long nbits = fields_only ? (long long)ck_bits_count(&p.bits) : 0;
	if (fields_only) {
		/* every hit when the cache counts the facets and walks the date
		 * order, else the newest; the total is exact either way */
		if ((rc = bits_rows(&p.bits, gc ? SIZE_MAX : (size_t)cap, &hits)))
			goto cleanup;
	} else if ((rc = plan_rows(&p, extra, &cap, 1, &hits, (size_t)cap))) {
		if (rc != CK_ELIMIT)
			goto cleanup;
		rc = 0;
		cut = 1;
		late(a);
	}
	long long t_list = mono_ms();
	int exact = (hits.n <= exact_max || (fields_only && gc)) && !cut && known <= (long long)exact_max;
	long long total = fields_only ? nbits : (long long)hits.n;
	int total_exact = exact || fields_only, sampled = 0, lc_partial = 0;
	double scale = 1.0;

	if (!exact && fields_only) {
		/* no cache: facets from hits spread evenly over the set */
		if ((rc = bits_spread(&p.bits, (size_t)nbits, exact_max, &sample)))
			goto cleanup;
		scale = sample.n ? (double)total / (double)sample.n : 1.0;
		sampled = 1;
	} else if (!exact && !hits.n) {
		sampled = 1; /* nothing listed in time */
	} else if (!exact) {
		if ((rc = large_total(&p, &hits, known, &sample, &total, &total_exact)))
			goto cleanup;
		scale = sample.n ? (double)total / (double)sample.n : 1.0;
		sampled = 1;
	}

	long long t_sample = mono_ms();
	/* 4. facets: the hits, or the sample, counted from the columns */
	struct ids *fs = exact ? &hits : &sample;
	if (o->facets) {
		size_t got = fs->n;
		if (!gc && !(lc = cols_local(a, fs->v, fs->n, &rc, &got)))
			goto cleanup;
		if (got < fs->n) { /* out of time: the facets of the rows read, scaled */
			lc_partial = 1;
			scale = got ? (double)total / (double)got : 1.0;
			sampled = 1;
		}
		if ((rc = count_facets(gc ? gc : lc, gc != NULL, fs->v, got, cnt)))
			goto cleanup;
	}

	long long t_facets = mono_ms();
	/* 5. the page */
	if (by_rank) {
		if ((rc = rank_page(&p, &hits, exact ? hits.n : rank_window, offset, limit, !exact, &page)))
			goto cleanup;
	} else if ((rc = date_order_page(&p, gc, &lc, lc_partial, fields_only, exact, &hits, desc, offset, limit, &page))) {
		goto cleanup;
	}
	long long t_page = mono_ms();
	if (!total_exact && total < (long long)offset + (long long)page.n)
		total = (long long)offset + (long long)page.n; /* an estimate is at least what is shown */
	if ((rc = page_json(&p, &page, &pj)))
		goto cleanup;
	long long t_json = mono_ms();

	ck_buf_printf(out, "{\"total\":%lld,\"total_exact\":%s,\"facets_sampled\":%s,\"hits\":[", total,
		      total_exact ? "true" : "false", o->facets && sampled ? "true" : "false");
	if (pj.len)
		ck_buf_put(out, pj.ptr, pj.len);
	ck_buf_putc(out, ']');
	if (o->facets) {
		facets_json(out, gc ? gc : lc, cnt, scale);
		if ((rc = field_facets(a, gc ? gc->fx : NULL, fs->v, fs->n, scale, out)) ||
		    (rc = ck_portion_facet(a, gc ? gc->pc : NULL, fs->v, fs->n, scale, out)))
			goto cleanup;
		ck_buf_putc(out, '}');
	}
	ck_buf_putc(out, '}');
	if (getenv("CK_SEARCH_TRACE"))
		fprintf(stderr, "search %s: plan %lld ms, list %lld, total+sample %lld, facets %lld, page %lld, hits %lld, facet lists %lld\n",
			o->q, t_start - t_entry, t_list - t_start, t_sample - t_list, t_facets - t_sample, t_page - t_facets, t_json - t_page,
			mono_ms() - t_json);
cleanup:
	if (gc)
		pthread_rwlock_unlock(&cache_lock);
	ck_archive_deadline(a, 0);
	if (txn && !sqlite3_get_autocommit(a->db))
		sqlite3_exec(a->db, "COMMIT", NULL, NULL, NULL);
	for (int k = 0; k < K_N; k++)
		free(cnt[k]);
	cols_free(lc);
	free(hits.v);
	free(page.v);
	free(sample.v);
	ck_buf_free(&pj);
	ck_buf_free(&p.from);
	ck_bits_free(&p.bits);
	ck_query_free(&p.q);
	return rc;
}

int ck_archive_facet_json(ck_archive *a, const char *facet, ck_buf *out)
{
	static const char *const sql[K_N] = {
		"SELECT origin, count(*) n FROM cable WHERE origin IS NOT NULL GROUP BY origin ORDER BY n DESC, origin",
		"SELECT year, count(*) n FROM cable WHERE year IS NOT NULL GROUP BY year ORDER BY n DESC, year", NULL,
		"SELECT marking, count(*) n FROM cable WHERE marking IS NOT NULL GROUP BY marking ORDER BY n DESC, marking",
		"SELECT tag, count(*) n FROM tag GROUP BY tag ORDER BY n DESC, tag"};
	int k = 0;
	while (k < K_N && (k == K_MONTH || strcmp(knames[k], facet ? facet : "")))
		k++;
	if (k == K_N)
		return ck_error_set(CK_EINVAL, "facet: expected origin, year, marking or tag, not \"%.40s\"", facet);
	a->searches++;
	struct cols *gc = cache_acquire(a);
	if (!gc) { /* no cache yet: the SQL */
		sqlite3_stmt *st = NULL;
		int rc = sqlite3_prepare_v2(a->db, sql[k], -1, &st, NULL);
		if (rc != SQLITE_OK)
			return ck_archive_sqlerr(a, rc, "counting");
		ck_buf_printf(out, "{\"%s\":[", knames[k]);
		for (int first = 1; (rc = sqlite3_step(st)) == SQLITE_ROW; first = 0) {
			ck_buf_puts(out, first ? "[" : ",[");
			ck_json_str(out, (const char *)sqlite3_column_text(st, 0));
			ck_buf_printf(out, ",%lld]", (long long)sqlite3_column_int64(st, 1));
		}
		sqlite3_finalize(st);
		ck_buf_puts(out, "]}");
		return rc == SQLITE_DONE ? 0 : ck_archive_sqlerr(a, rc, "counting");
	}
	long *cnt = calloc(gc->d[k].n + 1, sizeof *cnt);
	struct fent *l = calloc(gc->d[k].n + 1, sizeof *l);
	int rc = cnt && l ? 0 : CK_ENOMEM;
	for (size_t s = 0; !rc && s < gc->nslot; s++)
		if (k != K_TAG)
			cnt[gc->v[k][s]]++;
		else
			for (uint32_t t = gc->tag0[s]; t < gc->tag0[s + 1]; t++)
				cnt[gc->tagv[t]]++;
	size_t m = 0;
	for (size_t id = 1; !rc && id <= gc->d[k].n; id++) /* id 0: no value */
		if (cnt[id])
			l[m++] = (struct fent){gc->d[k].str[id], cnt[id]};
	if (!rc) {
		ck_buf_putc(out, '{');
		facet_list_json(out, knames[k], l, m, 0, (size_t)-1);
		ck_buf_putc(out, '}');
	}
	pthread_rwlock_unlock(&cache_lock);
	free(cnt);
	free(l);
	return rc;
}

int ck_search_cache_wait(ck_archive *a, int ms)
{
	long long gen = ck_archive_generation(a), end = mono_ms() + ms;
	for (;;) {
		pthread_rwlock_rdlock(&cache_lock);
		int ready = cache && cache->gen == gen && !strcmp(cache->path, a->path) && cache->fx;
		pthread_rwlock_unlock(&cache_lock);
		if (ready)
			return 1;
		if (mono_ms() >= end)
			return 0;
		struct timespec ts = {0, 10 * 1000000L};
		nanosleep(&ts, NULL);
	}
}
