/*
 * open.c - an archive handle: opening the file (a writer migrates it to
 * this schema, a reader checks it), the connection's settings and SQL
 * functions, the per-statement time limit, and closing.
 *
 * One SQLite file in WAL mode: one writer (ingest) and any number of
 * readers (search, serve) at once.  Calls schema.c, id.c, snippet.c and
 * fieldidx.c (for their SQL functions); the CLI, the server and search.c
 * call it.
 */
#include "archive/archive.h"
#include "util/worker.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int on_progress(void *ctx)
{
	ck_archive *a = ctx;
	return a->deadline_ms && now_ms() > a->deadline_ms;
}

void ck_archive_deadline(ck_archive *a, int ms)
{
	a->deadline_ms = ms > 0 ? now_ms() + ms : 0;
}

/* SQLite counts every allocation under one global mutex unless told not
 * to (SQLITE_CONFIG_MEMSTATUS); cablekit never reads those counts, and on
 * the server's threads the lock cost a sixth of a cable page.  Must run
 * before SQLite initialises itself; later it is refused, harmlessly. */
static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int ck_archive_open(ck_archive **out, const char *path, int flags)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sqlite_setup);
	ck_archive *a = NULL;
	int rc;
	*out = NULL;
	if (!path || !*path)
		return ck_error_set(CK_EINVAL, "archive: no path given");
	if (!(a = calloc(1, sizeof *a)) || !(a->path = strdup(path))) {
		free(a);
		return ck_error_set(CK_ENOMEM, "out of memory");
	}
	a->writable = flags & CK_ARCHIVE_WRITE;
	a->ts_gen = -2;
	int oflags = a->writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
	rc = sqlite3_open_v2(path, &a->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		if (!a->writable)
			rc = ck_error_set(CK_ENOTFOUND, "%s: no archive here (cablekit ingest makes one)", path);
		else
			rc = ck_archive_sqlerr(a, rc, path);
		goto fail;
	}
	sqlite3_busy_timeout(a->db, 10000);
	ck_schema_register(a->db); /* the index view reads through these */
	sqlite3_progress_handler(a->db, 2000, on_progress, a);
	ck_snippet_register(a); /* search fails clearly without it */
	ck_rank_register(a);
	ck_fidx_register(a->db);
	ck_portion_register(a->db);
	if (a->writable) {
		/* page_size only takes on a new file; fewer checkpoints (each one
		 * copies pages back and syncs) make bulk ingest cheaper */
		if ((rc = ck_archive_exec(a, "PRAGMA page_size=8192; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
					     "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
					     "PRAGMA wal_autocheckpoint=" CK_WAL_AUTOCHECKPOINT)))
			goto fail;
		if ((rc = ck_schema_upgrade(a)))
			goto fail;
	} else {
		if ((rc = ck_schema_check(a)))
			goto fail;
		/* readers map the file: pages are read without a copy per read */
		ck_archive_exec(a, "PRAGMA temp_store=MEMORY");
		ck_archive_walking(a, 0);
	}
	*out = a;
	return 0;
fail:
	ck_archive_close(a);
	return rc;
}

void ck_archive_walking(ck_archive *a, int on)
{
	/* a walk over the whole archive would map (and keep resident) every
	 * page it reads: it reads through a small page cache instead (pages
	 * are visited once; the cache keeps the b-tree's inner pages) */
	if (a->writable)
		return;
	if (on || !a->cache_kb) {
		ck_archive_exec(a, on ? "PRAGMA mmap_size=0; PRAGMA cache_size=-4096"
				      : "PRAGMA mmap_size=1073741824; PRAGMA cache_size=-32768");
	} else {
		char sql[80];
		snprintf(sql, sizeof sql, "PRAGMA mmap_size=0; PRAGMA cache_size=-%ld", a->cache_kb);
		ck_archive_exec(a, sql);
	}
}

void ck_archive_cache(ck_archive *a, size_t bytes)
{
	a->cache_kb = bytes >> 10 > 1024 ? (long)(bytes >> 10) : 1024;
	ck_archive_walking(a, 0);
}

/* A reader that maps the file pays a page fault the first time it touches
 * each part of it, and one whose page cache grows pays a fault for each
 * new page of heap: on a virtual machine that traps them, 10-20 us each,
 * so a server's first searches took 2-3x as long as the same searches
 * again (docs/archive.md).  The pool is faulted in here, once (~3 ms a
 * MB): the workers read the file into it (pread) and touch no new
 * memory.  It is never freed: SQLite holds pointers into it until the
 * process ends. */
int ck_archive_page_pool(size_t bytes)
{
	static void *pool;
	if (pool)
		return 0;
	int hdr = 0;
	if (sqlite3_config(SQLITE_CONFIG_PCACHE_HDRSZ, &hdr) != SQLITE_OK)
		return ck_error_set(CK_EINVAL, "page pool: SQLite is already in use");
	/* one slot holds a page of the archive's size (8 KB, open.c) and its
	 * header; smaller pages fit too */
	size_t slot = ((size_t)8192 + (size_t)hdr + 15) & ~(size_t)15, n = bytes / slot;
	if (n < 16 || n > INT_MAX)
		return ck_error_set(CK_EINVAL, "page pool: %zu bytes is out of range", bytes);
	void *p = mmap(NULL, n * slot, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return ck_error_set(CK_ENOMEM, "page pool: out of memory");
	/* the kernel allocates the pages (before Linux 5.14, the writes do),
	 * and a read of each maps it for this process: on this VM a page's
	 * first touch traps even once allocated (~10 us; 512 MB took 0.7 s
	 * to read, then writes were free) */
	long pg = sysconf(_SC_PAGESIZE);
	size_t step = pg > 0 ? (size_t)pg : 4096;
	volatile char *v = p;
#ifdef MADV_POPULATE_WRITE
	if (madvise(p, n * slot, MADV_POPULATE_WRITE) == 0) {
		for (size_t i = 0; i < n * slot; i += step)
			(void)v[i];
	} else
#endif
	{
		for (size_t i = 0; i < n * slot; i += step)
			v[i] = 0;
	}
	if (sqlite3_config(SQLITE_CONFIG_PAGECACHE, p, (int)slot, (int)n) != SQLITE_OK) {
		munmap(p, n * slot);
		return ck_error_set(CK_EINVAL, "page pool: SQLite is already in use");
	}
	pool = p;
	return 0;
}

void ck_archive_close(ck_archive *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < sizeof a->cache / sizeof a->cache[0]; i++)
		sqlite3_finalize(a->cache[i]);
	ck_snippet_plain_close(a->plain);
	ck_worker_free(a->helper);
	if (a->db) {
		if (a->writable)
			sqlite3_exec(a->db, "PRAGMA optimize", NULL, NULL, NULL);
		sqlite3_close_v2(a->db);
	}
	ck_fcount_free(&a->fcount);
	ck_portions_drop(a);
	free(a->path);
	free(a);
}
