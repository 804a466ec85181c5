/*
 * cache.c - a small LRU cache of archive answers (search and stats JSON)
 * shared by the server's threads.  A search with facets costs the archive
 * tens of milliseconds; the same search comes back often (facet clicks go
 * back and forth, pages are reloaded, the API is polled), and the archive
 * is read-only for the server.  The cache is emptied whenever the archive
 * file or its write-ahead log changes (size or mtime, checked on every
 * lookup), so an ingest running beside the server is seen at once.
 *
 * One mutex; entries hold key and value in one allocation; a hash table
 * of chains for lookup, a doubly linked list for recency; bounded by bytes.
 * The cache is an object of the server (ck_srv.cache); NULL means off.
 */
#include "server/server.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NBUCKETS 4096

struct entry {
	struct entry *next_hash;
	struct entry *prev, *next; /* recency list, most recent first */
	uint64_t hash;
	size_t klen, vlen;
	char data[]; /* key, then value */
};

struct ck_srv_cache {
	pthread_mutex_t lock;
	size_t max_bytes, bytes;
	struct entry *buckets[NBUCKETS];
	struct entry *head, *tail;  /* recency list */
	char *db, *wal;             /* the archive and its write-ahead log */
	struct stat st_db, st_wal;  /* as last seen */
	long hits, misses;
};

static uint64_t fnv1a(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void unlink_entry(ck_srv_cache *C, struct entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		C->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		C->tail = e->prev;
	struct entry **pp = &C->buckets[e->hash % NBUCKETS];
	while (*pp && *pp != e)
		pp = &(*pp)->next_hash;
	if (*pp)
		*pp = e->next_hash;
	C->bytes -= sizeof *e + e->klen + e->vlen;
}

static void flush(ck_srv_cache *C)
{
	struct entry *e = C->head;
	while (e) {
		struct entry *n = e->next;
		free(e);
		e = n;
	}
	memset(C->buckets, 0, sizeof C->buckets);
	C->head = C->tail = NULL;
	C->bytes = 0;
}

static int same(const struct stat *a, const struct stat *b)
{
	return a->st_size == b->st_size && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec && a->st_ino == b->st_ino;
}

/* Empty the cache when the archive changed since the last look. */
static void check_fresh(ck_srv_cache *C)
{
	struct stat d, w;
	memset(&d, 0, sizeof d);
	memset(&w, 0, sizeof w);
	stat(C->db, &d);
	if (C->wal)
		stat(C->wal, &w);
	if (!same(&d, &C->st_db) || !same(&w, &C->st_wal)) {
		flush(C);
		C->st_db = d;
		C->st_wal = w;
	}
}

ck_srv_cache *ck_srv_cache_new(const char *db, size_t max_bytes)
{
	if (!db || !max_bytes)
		return NULL;
	ck_srv_cache *C = calloc(1, sizeof *C);
	size_t n = strlen(db);
	if (!C || !(C->db = strdup(db)) || !(C->wal = malloc(n + 5))) {
		if (C)
			free(C->db);
		free(C);
		return NULL;
	}
	memcpy(C->wal, db, n);
	memcpy(C->wal + n, "-wal", 5);
	pthread_mutex_init(&C->lock, NULL);
	C->max_bytes = max_bytes;
	check_fresh(C);
	return C;
}

void ck_srv_cache_free(ck_srv_cache *C)
{
	if (!C)
		return;
	flush(C);
	pthread_mutex_destroy(&C->lock);
	free(C->db);
	free(C->wal);
	free(C);
}

int ck_srv_cache_get(ck_srv_cache *C, const char *key, size_t klen, ck_buf *out)
{
	int rc = -1;
	if (!C)
		return -1;
	pthread_mutex_lock(&C->lock);
	check_fresh(C);
	uint64_t h = fnv1a(key, klen);
	for (struct entry *e = C->buckets[h % NBUCKETS]; e; e = e->next_hash) {
		if (e->hash != h || e->klen != klen || memcmp(e->data, key, klen))
			continue;
		if (ck_buf_put(out, e->data + klen, e->vlen) != 0)
			goto done;
		if (e != C->head) { /* move to the front */
			if (e->prev)
				e->prev->next = e->next;
			if (e->next)
				e->next->prev = e->prev;
			else
				C->tail = e->prev;
			e->prev = NULL;
			e->next = C->head;
			C->head->prev = e;
			C->head = e;
		}
		C->hits++;
		rc = 0;
		goto done;
	}
	C->misses++;
done:
	pthread_mutex_unlock(&C->lock);
	return rc;
}

void ck_srv_cache_put(ck_srv_cache *C, const char *key, size_t klen,
		      const char *val, size_t vlen)
{
	if (!C)
		return;
	pthread_mutex_lock(&C->lock);
	size_t need = sizeof(struct entry) + klen + vlen;
	if (need > C->max_bytes / 8)
		goto done;
	uint64_t h = fnv1a(key, klen);
	for (struct entry *e = C->buckets[h % NBUCKETS]; e; e = e->next_hash)
		if (e->hash == h && e->klen == klen && !memcmp(e->data, key, klen))
			goto done; /* another thread put it first */
	while (C->tail && C->bytes + need > C->max_bytes) {
		struct entry *old = C->tail;
		unlink_entry(C, old);
		free(old);
	}
	struct entry *e = malloc(need);
	if (!e)
		goto done;
	e->hash = h;
	e->klen = klen;
	e->vlen = vlen;
	memcpy(e->data, key, klen);
	memcpy(e->data + klen, val, vlen);
	e->next_hash = C->buckets[h % NBUCKETS];
	C->buckets[h % NBUCKETS] = e;
	e->prev = NULL;
	e->next = C->head;
	if (C->head)
		C->head->prev = e;
	C->head = e;
	if (!C->tail)
		C->tail = e;
	C->bytes += need;
done:
	pthread_mutex_unlock(&C->lock);
}

void ck_srv_cache_stats(ck_srv_cache *C, long *hits, long *misses, size_t *bytes)
{
	if (!C) {
		*hits = *misses = 0;
		*bytes = 0;
		return;
	}
	pthread_mutex_lock(&C->lock);
	*hits = C->hits;
	*misses = C->misses;
	*bytes = C->bytes;
	pthread_mutex_unlock(&C->lock);
}

/* key: the numbers and sort, then q (last, so the key is unambiguous) */
static void search_key(ck_buf *k, const ck_search_opts *o)
{
	ck_buf_printf(k, "search\x1f%d\x1f%d\x1f%s\x1f%d\x1f", o->limit, o->offset,
		      o->sort ? o->sort : "", o->facets);
	ck_buf_puts(k, o->q ? o->q : "");
}

int ck_srv_search(ck_srv_req *r, ck_archive *a, const ck_search_opts *o, ck_buf *out)
{
	ck_srv_cache *C = r->srv ? r->srv->cache : NULL;
	ck_buf k = CK_BUF_INIT;
	search_key(&k, o);
	if (k.ptr && ck_srv_cache_get(C, k.ptr, k.len, out) == 0) {
		ck_buf_free(&k);
		return 0;
	}
	size_t start = out->len;
	int rc = ck_archive_search_json(a, o, out);
	if (rc == 0 && k.ptr)
		ck_srv_cache_put(C, k.ptr, k.len, out->ptr + start, out->len - start);
	ck_buf_free(&k);
	return rc;
}

int ck_srv_stats(ck_srv_req *r, ck_archive *a, ck_buf *out)
{
	ck_srv_cache *C = r->srv ? r->srv->cache : NULL;
	static const char key[] = "stats";
	if (ck_srv_cache_get(C, key, sizeof key - 1, out) == 0)
		return 0;
	size_t start = out->len;
	int rc = ck_archive_stats_json(a, out);
	if (rc == 0)
		ck_srv_cache_put(C, key, sizeof key - 1, out->ptr + start, out->len - start);
	return rc;
}
