/*
 * fuzz_srv.h - what the two server fuzz targets (fuzz_http, fuzz_url) share:
 * a throw-away archive built once from some cable files, removed at exit,
 * a ck_srv over it, and the query arguments handed to ck_srv_handle().
 * Included by one target at a time (each is its own program).
 */
#ifndef CK_FUZZ_SRV_H
#define CK_FUZZ_SRV_H

#include "server/server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_db_path[256];

static void fuzz_remove_db(void)
{
	char p[300];
	unlink(fuzz_db_path);
	snprintf(p, sizeof p, "%s-wal", fuzz_db_path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", fuzz_db_path);
	unlink(p);
}

/* An archive /tmp/ck_fuzz_NAME.PID.db holding the n cable files, and a
 * server over it (NULL when the archive cannot be made). */
static ck_srv *fuzz_srv_open(const char *name, const char *const *paths, size_t n)
{
	snprintf(fuzz_db_path, sizeof fuzz_db_path, "/tmp/ck_fuzz_%s.%d.db", name, (int)getpid());
	ck_archive *a = NULL;
	if (ck_archive_open(&a, fuzz_db_path, CK_ARCHIVE_WRITE) != 0) {
		fprintf(stderr, "fuzz_%s: cannot create %s: %s\n", name, fuzz_db_path, ck_error_last());
		return NULL;
	}
	ck_ingest_stats st;
	ck_ingest_opts io;
	memset(&io, 0, sizeof io);
	ck_archive_ingest(a, paths, n, &io, &st);
	ck_archive_close(a);
	atexit(fuzz_remove_db);
	return ck_srv_new(fuzz_db_path, 0, 0);
}

/* the request's query arguments, as ck_srv_req.arg reads them */
struct fuzz_args {
	char *keys[16], *vals[16];
	int n;
};

static const char *fuzz_get_arg(void *ctx, const char *name)
{
	struct fuzz_args *a = ctx;
	for (int i = 0; i < a->n; i++)
		if (!strcmp(a->keys[i], name))
			return a->vals[i];
	return NULL;
}

#endif
