/*
 * cmd_ingest.c - `cablekit ingest SOURCE...`: parse and store cables into
 * the archive, with a progress bar on a terminal and a one-line summary.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct ui {
	int bar;             /* stderr is a terminal */
	struct timespec t0;
	long errors_shown;
};

static double elapsed(const struct ui *u)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - u->t0.tv_sec) + (double)(t.tv_nsec - u->t0.tv_nsec) / 1e9;
}

static void progress(const ck_ingest_stats *s, long long done, long long total, void *ctx)
{
	struct ui *u = ctx;
	double t = elapsed(u);
	long n = s->added + s->updated + s->unchanged + s->failed;
	double mbs = t > 0 ? (double)s->bytes / 1e6 / t : 0;
	char eta[32] = "";
	if (total > 0 && done > 0 && done < total && t > 0.5) {
		long long left = (long long)((double)(total - done) * t / (double)done);
		snprintf(eta, sizeof eta, " ETA %lld:%02lld", left / 60, left % 60);
	}
	if (total > 0) {
		int pct = (int)(done * 100 / total);
		if (pct > 100)
			pct = 100;
		int w = pct * 24 / 100;
		fprintf(stderr, "\r[%.*s%*s] %3d%% %ld cables %.1f MB/s%s\033[K",
			w, "########################", 24 - w, "", pct, n, mbs, eta);
	} else {
		fprintf(stderr, "\r%ld cables %.1f MB/s\033[K", n, mbs);
	}
	fflush(stderr);
}

static void on_error(const char *file, int line, const char *msg, void *ctx)
{
	struct ui *u = ctx;
	if (u->bar)
		fputs("\r\033[K", stderr);
	if (u->errors_shown++ == 100) {
		ck_cli_error("(further errors not shown)");
		return;
	}
	if (u->errors_shown > 100)
		return;
	if (line > 0)
		ck_cli_error("%s:%d: %s", file, line, msg);
	else
		ck_cli_error("%s: %s", file, msg);
}

CK_CMD(ingest)
{
	const char *db = NULL;
	int quiet = 0, year = 0, nsrc = 0, status;
	const char **srcs = calloc((size_t)argc + 1, sizeof *srcs);
	ck_archive *a = NULL;
	struct ui u = {0};
	if (!srcs)
		return ck_cli_error("out of memory");
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		if (!strcmp(s, "--db") && i + 1 < argc) {
			db = argv[++i];
		} else if (!strncmp(s, "--db=", 5)) {
			db = s + 5;
		} else if (!strcmp(s, "--quiet") || !strcmp(s, "-q")) {
			quiet = 1;
		} else if (!strcmp(s, "--year") && i + 1 < argc) {
			year = atoi(argv[++i]);
		} else if (s[0] == '-' && s[1]) {
			free(srcs);
			ck_cli_error("ingest: unknown option \"%s\"", s);
			return ck_cli_usage(cmd, 0);
		} else {
			srcs[nsrc++] = s;
		}
	}
	if (!nsrc) {
		free(srcs);
		return ck_cli_usage(cmd, 0);
	}
	const char *path = ck_cli_db_path(db);
	if (ck_archive_open(&a, path, CK_ARCHIVE_WRITE)) {
		free(srcs);
		return ck_cli_error("%s", ck_error_last());
	}
	u.bar = !quiet && isatty(2);
	clock_gettime(CLOCK_MONOTONIC, &u.t0);
	ck_ingest_opts o = {year, 0, u.bar ? progress : NULL, on_error, &u};
	ck_ingest_stats st;
	int rc = ck_archive_ingest(a, srcs, (size_t)nsrc, &o, &st);
	if (u.bar)
		fputs("\r\033[K", stderr);
	double t = elapsed(&u);
	status = 0;
	if (rc && rc != CK_EIO)
		status = ck_cli_error("%s", ck_error_last());
	else if (rc == CK_EIO)
		status = 1;
	ck_archive_close(a);
	if (!quiet || status)
		fprintf(stderr, "%s: %ld added, %ld updated, %ld unchanged, %ld failed (%.1f MB in %.1f s)\n",
			path, st.added, st.updated, st.unchanged, st.failed, (double)st.bytes / 1e6, t);
	free(srcs);
	return status;
}
