/*
 * querybench.c - in-process search latency: runs each query of a file (one
 * per line; a line may end with "\tsort=date|-date" and "\toffset=N")
 * through ck_archive_search_json with facets, several rounds, and prints
 * p50 / p90 / p99 / max in milliseconds.  Built by bench/query.sh and
 * bench/scale.sh against build/libcablekit.a.
 *
 *   querybench ARCHIVE QUERIES.txt [ROUNDS]
 *   querybench --bare ARCHIVE QUERIES.txt [ROUNDS]
 *        the baseline: bare FTS5 on the same file, for each query with
 *        words: the top 20 by bm25 (subject x10) and the count of hits
 *   querybench --exact ARCHIVE QUERIES.txt
 *        for each query ranked by relevance, the ids of its exact bm25 top
 *        20 (every hit scored), one line "N<TAB>id,id,..." (N = line of the
 *        query among the queries), for overlap@20
 *
 *   With several rounds it also prints the percentiles of each query's best
 *   round (wall time): steadier than all rounds on a shared host.  CPU time
 *   is the process's: a search counts its facets on a helper thread while
 *   it reads its page (search.c), so its latency is the wall time and its
 *   cost the CPU of both threads.
 *   QB_DUMP=FILE writes each answer of the last round ("query<TAB>JSON"),
 *   to compare two builds; QB_VERBOSE=1 prints each query's time;
 *   QB_PAGE_POOL_MB=N the page pool (default 256 as the server's, 0 off).
 */
#include "archive/archive.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct q {
	char *q;
	const char *sort;
	int offset;
};

static void pct(const char *what, double *t, int n)
{
	if (!n) {
		printf("%s: no queries\n", what);
		return;
	}
	qsort(t, (size_t)n, sizeof *t, cmp);
	printf("%s p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n", what, t[n / 2], t[n * 9 / 10], t[n * 99 / 100], t[n - 1]);
}

static int bare(ck_archive *a, struct q *qs, int nq, int rounds)
{
	double *t = malloc(sizeof *t * (size_t)(nq * rounds + 1));
	int n = 0, skipped = 0;
	sqlite3_stmt *top = NULL, *cnt = NULL;
	if (sqlite3_prepare_v2(a->db, "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT 20", -1, &top, NULL) ||
	    sqlite3_prepare_v2(a->db, "SELECT count(*) FROM fts WHERE fts MATCH ?", -1, &cnt, NULL)) {
		fprintf(stderr, "querybench: %s\n", sqlite3_errmsg(a->db));
		return 1;
	}
	for (int r = 0; r < rounds; r++)
		for (int i = 0; i < nq; i++) {
			ck_query q;
			if (ck_query_compile(&q, qs[i].q))
				continue;
			if (!q.match) {
				skipped += r == 0;
				ck_query_free(&q);
				continue;
			}
			double t0 = now_ms();
			sqlite3_stmt *st[2] = {top, cnt};
			for (int k = 0; k < 2; k++) {
				sqlite3_reset(st[k]);
				sqlite3_bind_text(st[k], 1, q.match, -1, SQLITE_STATIC);
				while (sqlite3_step(st[k]) == SQLITE_ROW)
					;
			}
			t[n++] = now_ms() - t0;
			ck_query_free(&q);
		}
	printf("bare FTS5 (top 20 by bm25 + count, no facets, no snippets, no fields): %d queries with words x %d rounds (%d field-only queries left out)\n",
	       n / (rounds ? rounds : 1), rounds, skipped);
	pct("bare FTS5 latency ms:", t, n);
	sqlite3_finalize(top);
	sqlite3_finalize(cnt);
	free(t);
	return 0;
}

static int exact(ck_archive *a, struct q *qs, int nq)
{
	for (int i = 0; i < nq; i++) {
		ck_query q;
		if (qs[i].sort || ck_query_compile(&q, qs[i].q))
			continue;
		if (!q.match) {
			ck_query_free(&q);
			continue;
		}
		ck_buf sql = CK_BUF_INIT;
		sqlite3_stmt *st = NULL;
		ck_buf_printf(&sql, "SELECT c.id FROM fts JOIN cable c ON c.rowid=fts.rowid WHERE fts MATCH ? AND (%s)"
				    " ORDER BY fts.rank, c.date DESC LIMIT 20 OFFSET %d", q.where.ptr, qs[i].offset);
		if (sqlite3_prepare_v2(a->db, sql.ptr, -1, &st, NULL) == SQLITE_OK) {
			ck_query_bind(&q, st, 1);
			printf("%d\t", i);
			for (int k = 0; sqlite3_step(st) == SQLITE_ROW; k++)
				printf("%s%s", k ? "," : "", (const char *)sqlite3_column_text(st, 0));
			printf("\n");
		}
		sqlite3_finalize(st);
		ck_buf_free(&sql);
		ck_query_free(&q);
	}
	return 0;
}

int main(int argc, char **argv)
{
	/* the allocator as `cablekit serve` sets it (server.c): scratch stays
	 * in the heap between searches instead of coming back as fresh pages */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	/* and its page pool (ck_archive_page_pool): QB_PAGE_POOL_MB, default
	 * 256 (the server's for an archive of 256 MB or more), read through a
	 * quarter of it as one of its 4 workers does; 0: map the file */
	long pool_mb = getenv("QB_PAGE_POOL_MB") ? atol(getenv("QB_PAGE_POOL_MB")) : 256;
	if (pool_mb > 0 && ck_archive_page_pool((size_t)pool_mb << 20))
		fprintf(stderr, "querybench: %s\n", ck_error_last());
	int mode = 0; /* 0 search, 1 bare, 2 exact */
	if (argc > 1 && !strcmp(argv[1], "--bare"))
		mode = 1, argv++, argc--;
	else if (argc > 1 && !strcmp(argv[1], "--exact"))
		mode = 2, argv++, argc--;
	if (argc < 3) {
		fprintf(stderr, "usage: querybench [--bare|--exact] ARCHIVE QUERIES.txt [ROUNDS]\n");
		return 2;
	}
	int rounds = argc > 3 ? atoi(argv[3]) : 5;
	FILE *f = fopen(argv[2], "r");
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	static struct q qs[1024];
	int nq = 0;
	char line[4096];
	while (nq < 1024 && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		if (!*line || *line == '#')
			continue;
		char *opt = strchr(line, '\t');
		if (opt)
			*opt++ = 0;
		qs[nq].q = strdup(line);
		for (char *o = opt; o && *o;) {
			char *e = strchr(o, '\t');
			if (e)
				*e++ = 0;
			if (!strncmp(o, "sort=", 5))
				qs[nq].sort = strdup(o + 5);
			else if (!strncmp(o, "offset=", 7))
				qs[nq].offset = atoi(o + 7);
			o = e;
		}
		nq++;
	}
	fclose(f);
	ck_archive *a;
	if (ck_archive_open(&a, argv[1], CK_ARCHIVE_READONLY)) {
		fprintf(stderr, "%s\n", ck_error_last());
		return 1;
	}
	if (pool_mb > 0)
		ck_archive_cache(a, ((size_t)pool_mb << 20) / 4);
	if (mode)
		return mode == 1 ? bare(a, qs, nq, rounds) : exact(a, qs, nq);
	double *t = malloc(sizeof *t * (size_t)(nq * rounds));
	double *c = malloc(sizeof *c * (size_t)(nq * rounds));
	int n = 0, errors = 0, inexact = 0, sampled = 0;
	long long hits = 0;
	ck_buf out = CK_BUF_INIT;
	/* warm up as the server does: a handle's second search starts the
	 * column cache and field index, built on a thread of their own (~6 s
	 * at 250,000 cables, minutes at 2.5M); the rounds measure with them,
	 * as a running server answers: wait until they are ready, at most
	 * QB_WARM_S seconds (default 900) */
	for (int w = 0; w < 2; w++) {
		ck_search_opts o = {"warmup", 1, 0, NULL, 1};
		ck_buf_clear(&out);
		ck_archive_search_json(a, &o, &out);
	}
	double warm_end = now_ms() + 1e3 * (getenv("QB_WARM_S") ? atoi(getenv("QB_WARM_S")) : 900);
	while (!ck_archive_search_ready(a) && now_ms() < warm_end) {
		struct timespec tick = {0, 50 * 1000000L};
		nanosleep(&tick, NULL);
	}
	if (!ck_archive_search_ready(a))
		fprintf(stderr, "querybench: the column cache is not ready: measuring without it\n");
	FILE *dump = getenv("QB_DUMP") ? fopen(getenv("QB_DUMP"), "w") : NULL;
	for (int r = 0; r < rounds; r++)
		for (int i = 0; i < nq; i++) {
			ck_search_opts o = {qs[i].q, getenv("QB_LIMIT") ? atoi(getenv("QB_LIMIT")) : 20, qs[i].offset,
					    qs[i].sort ? qs[i].sort : (i % 3) == 1 && getenv("QB_MIXSORT") ? "-date" : NULL,
					    !getenv("QB_NOFACETS")};
			ck_buf_clear(&out);
			double t0 = now_ms(), c0 = cpu_ms();
			int rc = ck_archive_search_json(a, &o, &out);
			c[n] = cpu_ms() - c0;
			t[n++] = now_ms() - t0;
			if (dump && r == rounds - 1) /* QB_DUMP=FILE: each answer, for comparing builds */
				fprintf(dump, "%s\t%s\n", qs[i].q, rc ? ck_error_last() : out.ptr);
			if (getenv("QB_VERBOSE") && r == rounds - 1) /* the last round, query by query */
				fprintf(stderr, "%8.2f ms  %.60s  %.*s\n", t[n - 1], qs[i].q, 60, rc ? ck_error_last() : out.ptr);
			if (rc) {
				if (r == 0)
					fprintf(stderr, "query error: %s: %s\n", qs[i].q, ck_error_last());
				errors++;
			} else if (r == 0) {
				hits += atoll(out.ptr + 9);
				inexact += strstr(out.ptr, "\"total_exact\":false") != NULL;
				sampled += strstr(out.ptr, "\"facets_sampled\":true") != NULL;
			}
		}
	printf("queries %d x %d rounds, facets on, %lld hits in round 1, %d errors, %d totals estimated, %d facets sampled\n",
	       nq, rounds, hits, errors / rounds, inexact, sampled);
	/* each query's best round (t[] is round by round, nq a round): on a
	 * shared host the steadiest figure for comparing two builds; taken
	 * before pct() sorts t[] */
	double *best = rounds > 1 ? malloc((size_t)nq * sizeof *best) : NULL;
	for (int i = 0; best && i < nq; i++) {
		best[i] = t[i];
		for (int r = 1; r < rounds; r++)
			best[i] = t[r * nq + i] < best[i] ? t[r * nq + i] : best[i];
	}
	pct("latency ms (wall):", t, n);
	pct("cpu ms (process): ", c, n);
	if (best)
		pct("wall ms, best round:", best, nq);
	free(best);
	if (dump)
		fclose(dump);
	ck_buf_free(&out);
	free(t);
	free(c);
	for (int i = 0; i < nq; i++)
		free(qs[i].q);
	ck_archive_close(a);
	return 0;
}
