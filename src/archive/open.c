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

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	ck_archive_register_refyear(a->db);
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
	if (!a->writable)
		ck_archive_exec(a, on ? "PRAGMA mmap_size=0; PRAGMA cache_size=-4096"
				      : "PRAGMA mmap_size=1073741824; PRAGMA cache_size=-32768");
}

void ck_archive_close(ck_archive *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < sizeof a->cache / sizeof a->cache[0]; i++)
		sqlite3_finalize(a->cache[i]);
	ck_snippet_plain_close(a->plain);
	if (a->db) {
		if (a->writable)
			sqlite3_exec(a->db, "PRAGMA optimize", NULL, NULL, NULL);
		sqlite3_close_v2(a->db);
	}
	ck_fcount_free(&a->fcount);
	free(a->path);
	free(a);
}
