/*
 * colcache.c - the column cache: the facet columns (origin, year, month,
 * marking, tags as interned ids) and the date order of every cable, by
 * rowid, built once per process and archive generation on a thread of its
 * own, with the field index (fieldidx.c) and the paragraph counts
 * (portion.c); the same columns for one search's hits when there is no
 * cache; counting the facets and paging in date order over them; and the
 * browse pages' whole-archive facet lists.
 */
#include "archive/search.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const knames[K_N] = {"origin", "year", "month", "marking", "tag"};

/* Room for one more element in the array *p of *cap (n used, doubling):
 * 0, or CK_ENOMEM */
int ck_grow(void **p, size_t *cap, size_t n, size_t size)
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


static uint32_t dict_id(struct dict *d, const char *s, size_t n)
{
	if (!s || !n)
		return 0;
	struct fent *e = ck_facet_get(&d->map, s, n);
	if (!e)
		return UINT32_MAX;
	if (!e->n) {
		if (ck_grow((void **)&d->str, &d->cap, d->n + 1, sizeof *d->str))
			return UINT32_MAX;
		e->n = (long)++d->n;
		d->str[d->n] = e->key;
	}
	return (uint32_t)e->n;
}

static void dict_free(struct dict *d)
{
	ck_facet_free(&d->map);
	free(d->str);
	memset(d, 0, sizeof *d);
}



void ck_cols_free(struct cols *c)
{
	if (!c)
		return;
	free(c->v);
	free(c->tagv);
	free(c->order);
	ck_fidx_free(c->fx);
	ck_portion_counts_free(c->pc);
	free(c->dlen);
	for (int k = 0; k < K_N; k++) {
		dict_free(&c->d[k]);
		free(c->all[k]);
	}
	free(c->path);
	free(c);
}

long long ck_mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

long long ck_mono_ms(void)
{
	return ck_mono_us() / 1000;
}

static struct cols *cols_new(size_t nslot)
{
	struct cols *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->nslot = nslot;
	if (!(c->v = calloc(nslot ? nslot : 1, CK_CW * sizeof(uint32_t)))) {
		ck_cols_free(c);
		return NULL;
	}
	for (size_t i = 0; i < nslot; i++)
		CK_ROW(c, i)[CK_RANK] = UINT32_MAX;
	return c;
}

/* Fill slot i from origin, year, month, marking, tags (tab-separated);
 * slots are filled in increasing order.  0 or CK_ENOMEM. */
static int cols_set(struct cols *c, size_t i, const char *const val[K_TAG], const char *tags)
{
	uint32_t *row = CK_ROW(c, i);
	for (int k = 0; k < K_TAG; k++)
		if ((row[k] = dict_id(&c->d[k], val[k], val[k] ? strlen(val[k]) : 0)) == UINT32_MAX)
			return CK_ENOMEM;
	row[CK_TAG0] = (uint32_t)c->ntagv;
	while (tags && *tags) {
		const char *e = strchr(tags, '\t');
		size_t n = e ? (size_t)(e - tags) : strlen(tags);
		if (n) {
			if (ck_grow((void **)&c->tagv, &c->tagcap, c->ntagv, sizeof *c->tagv))
				return CK_ENOMEM;
			if ((c->tagv[c->ntagv++] = dict_id(&c->d[K_TAG], tags, n)) == UINT32_MAX)
				return CK_ENOMEM;
		}
		tags = e ? e + 1 : NULL;
	}
	row[CK_TAG1] = (uint32_t)c->ntagv;
	return 0;
}

static pthread_rwlock_t cache_lock = PTHREAD_RWLOCK_INITIALIZER;

void ck_cols_release(void)
{
	pthread_rwlock_unlock(&cache_lock);
}
static struct cols *cache; /* the process-wide column cache, or NULL */

static int cols_step_row(struct cols *c, sqlite3_stmt *st, size_t slot)
{
	const char *val[K_TAG];
	for (int k = 0; k < K_TAG; k++)
		val[k] = (const char *)sqlite3_column_text(st, 1 + k);
	return cols_set(c, slot, val, (const char *)sqlite3_column_text(st, 5));
}

/* Build the cache of archive a at generation gen (max version rowid). */
/* slot s's origin, year, month, marking and tags, counted into cnt (d: 1
 * to add the slot, -1 to take it out) */
static void count_slot(const struct cols *c, size_t s, long *cnt[K_N], long d)
{
	const uint32_t *row = CK_ROW(c, s);
	for (int k = 0; k < K_TAG; k++)
		cnt[k][row[k]] += d;
	for (uint32_t t = row[CK_TAG0]; t < row[CK_TAG1]; t++)
		cnt[K_TAG][c->tagv[t]] += d;
}

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
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		size_t r = (size_t)sqlite3_column_int64(st, 0);
		if (r >= c->nslot) /* rowids with no cable keep no values, no tags */
			continue;
		if (cols_step_row(c, st, r)) {
			rc = SQLITE_NOMEM;
			break;
		}
		rc = SQLITE_OK;
	}
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
				CK_ROW(c, r)[CK_RANK] = pos++;
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
		if (CK_ROW(c, r)[CK_RANK] < pos)
			c->order[CK_ROW(c, r)[CK_RANK]] = (uint32_t)r;
	c->norder = pos;
	for (int k = 0; k < K_N; k++)
		if (!(c->all[k] = calloc(c->d[k].n + 1, sizeof(long))))
			goto fail;
	for (size_t r = 0; r < c->nslot; r++)
		count_slot(c, r, c->all, 1);
	if (!(c->path = strdup(a->path)))
		goto fail;
	c->gen = gen;
	c->built_ms = ck_mono_ms();
	return c;
fail:
	sqlite3_finalize(st);
	ck_cols_free(c);
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
	uint32_t *dl = NULL;
	pthread_setname_np(pthread_self(), "ck-cache");
	if (ck_archive_open(&b, j->path, CK_ARCHIVE_READONLY) == 0) {
		struct cols *c = cols_build(b, j->gen);
		size_t nslot = c ? c->nslot : 0;
		if (c) { /* c->path is j->path, which b was opened with */
			pthread_rwlock_wrlock(&cache_lock);
			ck_cols_free(cache);
			cache = c;
			pthread_rwlock_unlock(&cache_lock);
			x = ck_fidx_build(b, nslot);
			pc = x ? ck_portion_counts(b, nslot) : NULL;
			dl = pc ? ck_rank_doclens(b, nslot) : NULL; /* NULL: ranking reads FTS5's */
		}
		ck_archive_close(b);
	}
	pthread_rwlock_wrlock(&cache_lock);
	/* the lengths are optional (ck_rank then asks FTS5): without them the
	 * field index and the paragraph counts still serve */
	if (x && pc && cache && cache->gen == j->gen && !strcmp(cache->path, j->path) && !cache->fx) {
		cache->fx = x;
		cache->pc = pc;
		cache->dlen = dl;
		x = NULL;
		pc = NULL;
		dl = NULL;
	}
	pthread_rwlock_unlock(&cache_lock);
	ck_fidx_free(x);
	ck_portion_counts_free(pc);
	free(dl);
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

/* a cache of a's file was built less than 2 s ago (so it is not rebuilt
 * more often); call with cache_lock held */
static int cache_recent(const ck_archive *a)
{
	return cache && !strcmp(cache->path, a->path) && ck_mono_ms() - cache->built_ms < 2000;
}

/* A build for a's file as it is now, unless the cache is of it, or one
 * runs, or the last was built less than 2 s ago (ck_cols_acquire,
 * ck_archive_search_ready) */
static void cache_start(ck_archive *a, long long gen)
{
	if (gen < 0 || getenv("CK_NO_COLUMN_CACHE"))
		return;
	pthread_rwlock_rdlock(&cache_lock);
	int have = cache && cache->gen == gen && !strcmp(cache->path, a->path), stale = cache_recent(a);
	pthread_rwlock_unlock(&cache_lock);
	if (!have && !stale)
		build_start(a, gen);
}

/* The process's column cache for a's file at its current generation,
 * read-locked (the caller unlocks cache_lock), or NULL: none yet (a build
 * starts from a handle's second search: the CLI's one search never pays
 * for it), or it is being rebuilt (at most every 2 s). */
struct cols *ck_cols_acquire(ck_archive *a)
{
	long long gen = ck_archive_generation(a);
	if (gen < 0 || getenv("CK_NO_COLUMN_CACHE"))
		return NULL;
	pthread_rwlock_rdlock(&cache_lock);
	if (cache && cache->gen == gen && !strcmp(cache->path, a->path))
		return cache;
	pthread_rwlock_unlock(&cache_lock);
	if (a->searches >= 2)
		cache_start(a, gen);
	return NULL;
}


int ck_ids_push(struct ids *h, sqlite3_int64 r)
{
	if (ck_grow((void **)&h->v, &h->cap, h->n, sizeof *h->v))
		return CK_ENOMEM;
	h->v[h->n++] = r;
	return 0;
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

void ck_search_late(ck_archive *a);

/* got: when not NULL, running out of time ends the reading early and is
 * not an error: *got rows were read (slots [0, *got)); the order (rank)
 * is then not set */
struct cols *ck_cols_local(ck_archive *a, const sqlite3_int64 *rows, size_t n, int *rc, size_t *got)
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
			ck_search_late(a);
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
			CK_ROW(c, ord[i] - lr)[CK_RANK] = (uint32_t)i;
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
		ck_cols_free(c);
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
int ck_cols_count(const struct cols *c, int global, const sqlite3_int64 *rows, size_t n, long *cnt[K_N])
{
	for (int k = 0; k < K_N; k++)
		if (!(cnt[k] = calloc(c->d[k].n + 1, sizeof(long))))
			return CK_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		/* a spread of hits misses the cache twice a hit, on its row
		 * and on its tags: both fetched ahead, the row first (at 2.5M
		 * cables, a spread of 190,000 hits of class:s took 14 ms, 7.5
		 * with them) */
		if (global && i + 16 < n && rows[i + 16] >= 0 && (size_t)rows[i + 16] < c->nslot)
			__builtin_prefetch(CK_ROW(c, rows[i + 16]));
		if (global && i + 8 < n && rows[i + 8] >= 0 && (size_t)rows[i + 8] < c->nslot)
			__builtin_prefetch(c->tagv + CK_ROW(c, rows[i + 8])[CK_TAG0]);
		size_t s = slot_of(c, global, i, rows[i]);
		if (s != SIZE_MAX)
			count_slot(c, s, cnt, 1);
	}
	return 0;
}

int ck_cols_count_most(const struct cols *c, const ck_bits *b, long *cnt[K_N])
{
	for (int k = 0; k < K_N; k++) {
		if (!(cnt[k] = malloc((c->d[k].n + 1) * sizeof(long))))
			return CK_ENOMEM;
		memcpy(cnt[k], c->all[k], (c->d[k].n + 1) * sizeof(long));
	}
	for (size_t w = 0; w * 64 < c->nslot; w++) {
		uint64_t x = ~(w < b->nwords ? b->w[w] : 0); /* the slots b lacks */
		if (c->nslot - w * 64 < 64)
			x &= ((uint64_t)1 << (c->nslot - w * 64)) - 1;
		for (; x; x &= x - 1)
			count_slot(c, w * 64 + (size_t)__builtin_ctzll(x), cnt, -1);
	}
	return 0;
}

/* ,"facets":{ and the column facets; the caller closes the object */
void ck_cols_facets_json(ck_buf *out, const struct cols *c, long *cnt[K_N], double scale)
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
		ck_facet_list_json(out, knames[k], l, m, k == K_MONTH,
				k == K_ORIGIN || k == K_TAG ? CK_FACET_MAX : (size_t)-1);
		free(l);
	}
}

/* the place of hit i (rowid rows[i]) in the date order asked for: the
 * dated by (date, id) either way, then the undated by id; a row the cache
 * lacks last */
static uint32_t date_key(const struct cols *c, int global, int desc, const sqlite3_int64 *rows, size_t i)
{
	size_t s = slot_of(c, global, i, rows[i]);
	uint32_t r = s == SIZE_MAX ? UINT32_MAX : CK_ROW(c, s)[CK_RANK];
	if (desc && r < c->ndated)
		r = c->ndated - 1 - r;
	return r;
}

static int by_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return a < b ? -1 : a > b;
}

/* the page [offset, offset+limit) of rows in date order, into page: each
 * hit's key computed once, beside its index (key << 32 | index), so the
 * sort needs no shared state (it sorted under a process-wide lock) */
int ck_cols_date_page(const struct cols *c, int global, const sqlite3_int64 *rows, size_t n, int desc,
		     int offset, int limit, struct ids *page)
{
	if (n > UINT32_MAX)
		return ck_error_set(CK_EINVAL, "date order: too many hits");
	uint64_t *kx = malloc((n ? n : 1) * sizeof *kx);
	if (!kx)
		return CK_ENOMEM;
	for (size_t i = 0; i < n; i++)
		kx[i] = (uint64_t)date_key(c, global, desc, rows, i) << 32 | (uint64_t)i;
	qsort(kx, n, sizeof *kx, by_u64);
	int rc = 0;
	for (size_t i = (size_t)offset; i < n && i < (size_t)offset + (size_t)limit && !rc; i++)
		rc = ck_ids_push(page, rows[kx[i] & UINT32_MAX]);
	free(kx);
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
	struct cols *gc = ck_cols_acquire(a);
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
			cnt[CK_ROW(gc, s)[k]]++;
		else
			for (uint32_t t = CK_ROW(gc, s)[CK_TAG0]; t < CK_ROW(gc, s)[CK_TAG1]; t++)
				cnt[gc->tagv[t]]++;
	size_t m = 0;
	for (size_t id = 1; !rc && id <= gc->d[k].n; id++) /* id 0: no value */
		if (cnt[id])
			l[m++] = (struct fent){gc->d[k].str[id], cnt[id]};
	if (!rc) {
		ck_buf_putc(out, '{');
		ck_facet_list_json(out, knames[k], l, m, 0, (size_t)-1);
		ck_buf_putc(out, '}');
	}
	pthread_rwlock_unlock(&cache_lock);
	free(cnt);
	free(l);
	return rc;
}

int ck_archive_search_ready(ck_archive *a)
{
	if (ck_search_cache_wait(a, 0))
		return 1;
	/* not ready: started now, unless a build runs.  A server's searches
	 * spread over its workers' handles, each starting a build only from
	 * its second search, so /healthz said "building" while nothing was
	 * (a benchmark that sent three searches on three connections waited
	 * for ever) */
	cache_start(a, ck_archive_generation(a));
	return 0;
}

int ck_search_cache_wait(ck_archive *a, int ms)
{
	long long gen = ck_archive_generation(a), end = ck_mono_ms() + ms;
	for (;;) {
		pthread_rwlock_rdlock(&cache_lock);
		int ready = cache && cache->gen == gen && !strcmp(cache->path, a->path) && cache->fx;
		pthread_rwlock_unlock(&cache_lock);
		if (ready)
			return 1;
		if (ck_mono_ms() >= end)
			return 0;
		struct timespec ts = {0, 10 * 1000000L};
		nanosleep(&ts, NULL);
	}
}
