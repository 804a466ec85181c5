/*
 * search.h - what the search's three files share: search.c (the planner
 * and the answer), facet.c (counting facet values, the field facets) and
 * colcache.c (the column cache: facet columns and the date order of every
 * cable, built on a thread; the columns of one search's hits without it).
 * Calls go search.c -> colcache.c -> facet.c, one way.
 */
#ifndef CK_ARCHIVE_SEARCH_H
#define CK_ARCHIVE_SEARCH_H

#include "archive/archive.h"

#include <stdint.h>

#define CK_SEARCH_MS 500 /* the whole request */
#define CK_FACET_MAX 50  /* entries of the origin and tag facets */

/* ---- facet.c ---- */

/* a facet's counts: value -> n, open addressing */
struct facet {
	struct fent *t;
	size_t cap, used;
};

/* the entry of value s[0..n) (added with n = 0), or NULL: out of memory */
struct fent *ck_facet_get(struct facet *f, const char *s, size_t n);
/* entries k[0..n) as "name":[[value,count],...], sorted by count (or by
 * value), at most max of them */
void ck_facet_list_json(ck_buf *out, const char *name, struct fent *k, size_t n, int sort_key, size_t max);
void ck_facet_free(struct facet *f);
/* ,"concept":[...],"office":[...] over rows[0..n), from the field index
 * fx (or SQL, one lookup a hit, without it), times scale */
int ck_field_facets(ck_archive *a, const ck_fidx *fx, const sqlite3_int64 *rows, size_t n, double scale,
		    ck_buf *out);

/* ---- colcache.c ---- */

enum { K_ORIGIN, K_YEAR, K_MONTH, K_MARKING, K_TAG, K_N };

/* Interned strings: id 0 is "none", ids from 1. */
struct dict {
	struct facet map; /* value -> entry whose n is its id */
	char **str;       /* id -> value (the map's key) */
	size_t n, cap;
};

#define CK_CW 8    /* a row of struct cols: the values ... */
#define CK_TAG0 4  /* ... where its tags start ... */
#define CK_TAG1 5  /* ... and end ... */
#define CK_RANK 6  /* ... and its place in the date order */
#define CK_ROW(c, s) ((c)->v + (size_t)(s) * CK_CW)

/* The facet columns and the date order of cables, by slot: the whole
 * archive by rowid (the process-wide cache), or one search's hits by
 * their position (built from the rows when there is no cache). */
struct cols {
	size_t nslot;
	/* slot s's row, CK_CW values from v + s * CK_CW: the origin, year,
	 * month and marking ids [0..K_TAG), its tags tagv[row[CK_TAG0] ..
	 * row[CK_TAG1]), its place in the order (date, id), dated first
	 * (row[CK_RANK], UINT32_MAX: none).  One row is half a cache line:
	 * counting the facets of a hit reads one line, not one per column
	 * (the columns of 2.5M cables are ~80 MB, far from any cache). */
	uint32_t *v;
	uint32_t *tagv;
	size_t ntagv, tagcap;
	uint32_t ndated;     /* ranks below this have a date */
	uint32_t *order;     /* the process-wide cache only: rowid by rank, norder of them */
	size_t norder;
	ck_fidx *fx;         /* the process-wide cache only: the field index, or NULL */
	ck_pcounts *pc;      /* the process-wide cache only: paragraphs by level (portion.c), or NULL */
	uint32_t *dlen;      /* the process-wide cache only: tokens of each row (rank.c), or NULL */
	long *all[K_N];      /* the process-wide cache only: the facet counts of every slot */
	struct dict d[K_N];
	/* the process-wide cache only */
	char *path;
	long long gen;       /* max(version.rowid) it was built at */
	long long built_ms;
};

struct ids {
	sqlite3_int64 *v;
	size_t n, cap;
};


/* Room for one more element in the array *p of *cap (n used, doubling):
 * 0, or CK_ENOMEM */
int ck_grow(void **p, size_t *cap, size_t n, size_t size);
int ck_ids_push(struct ids *h, sqlite3_int64 r);
long long ck_mono_ms(void);
long long ck_mono_us(void); /* the trace's clock (CK_SEARCH_TRACE) */
void ck_cols_free(struct cols *c);
/* The process's column cache for a's file at its current generation,
 * read-locked (ck_cols_release unlocks it), or NULL: none yet (a build
 * starts from a handle's second search), or it is being rebuilt. */
struct cols *ck_cols_acquire(ck_archive *a);
void ck_cols_release(void);
/* Columns for the given rowids when there is no cache: slot i = rows[i];
 * got: when not NULL, running out of time ends the reading early and is
 * not an error (*got rows read; the order is then not set) */
struct cols *ck_cols_local(ck_archive *a, const sqlite3_int64 *rows, size_t n, int *rc, size_t *got);
/* Facet counts over the hits rows[0..n) into cnt[k][id] (global: c is
 * the process's cache, slots are rowids) */
int ck_cols_count(const struct cols *c, int global, const sqlite3_int64 *rows, size_t n, long *cnt[K_N]);
/* The same counts for the rows of b, from the process-wide cache c, when
 * b holds most of them: every slot's counts less those of the slots b
 * lacks (a slot with no cable counts under id 0, which no facet lists) */
int ck_cols_count_most(const struct cols *c, const ck_bits *b, long *cnt[K_N]);
/* ,"facets":{ and the column facets; the caller closes the object */
void ck_cols_facets_json(ck_buf *out, const struct cols *c, long *cnt[K_N], double scale);
/* the page [offset, offset+limit) of rows in date order, into page */
int ck_cols_date_page(const struct cols *c, int global, const sqlite3_int64 *rows, size_t n, int desc, int offset,
		      int limit, struct ids *page);

/* Past the request's deadline: a short grace to answer with what there is */
static inline void ck_search_late(ck_archive *a)
{
	ck_archive_deadline(a, CK_SEARCH_MS / 5);
}

#endif
