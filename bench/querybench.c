/*
 * querybench.c - in-process search latency: runs each query of a file (one
 * per line) through ck_archive_search_json with facets, several rounds,
 * and prints p50 / p90 / p99 / max in milliseconds.  Built by
 * bench/query.sh against build/libcablekit.a.
 *
 *   querybench ARCHIVE QUERIES.txt [ROUNDS]
 */
#include "cablekit.h"

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
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: querybench ARCHIVE QUERIES.txt [ROUNDS]\n");
		return 2;
	}
	int rounds = argc > 3 ? atoi(argv[3]) : 5;
	FILE *f = fopen(argv[2], "r");
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	char *qs[1024];
	int nq = 0;
	char line[4096];
	while (nq < 1024 && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		if (*line && *line != '#')
			qs[nq++] = strdup(line);
	}
	fclose(f);
	ck_archive *a;
	if (ck_archive_open(&a, argv[1], CK_ARCHIVE_READONLY)) {
		fprintf(stderr, "%s\n", ck_error_last());
		return 1;
	}
	double *t = malloc(sizeof *t * (size_t)(nq * rounds));
	double *c = malloc(sizeof *c * (size_t)(nq * rounds));
	int n = 0, errors = 0;
	long long hits = 0;
	ck_buf out = CK_BUF_INIT;
	for (int r = 0; r < rounds; r++)
		for (int i = 0; i < nq; i++) {
			ck_search_opts o = {qs[i], getenv("QB_LIMIT") ? atoi(getenv("QB_LIMIT")) : 20, 0, (i % 3) == 1 ? "-date" : NULL, !getenv("QB_NOFACETS")};
			ck_buf_clear(&out);
			double t0 = now_ms(), c0 = cpu_ms();
			int rc = ck_archive_search_json(a, &o, &out);
			c[n] = cpu_ms() - c0;
			t[n++] = now_ms() - t0;
			if (rc) {
				if (r == 0)
					fprintf(stderr, "query error: %s: %s\n", qs[i], ck_error_last());
				errors++;
			} else if (r == 0) {
				hits += atoll(out.ptr + 9);
			}
		}
	qsort(t, (size_t)n, sizeof *t, cmp);
	qsort(c, (size_t)n, sizeof *c, cmp);
	printf("queries %d x %d rounds, facets on, %lld hits in round 1, %d errors\n", nq, rounds, hits, errors / rounds);
	printf("latency ms (wall): p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n", t[n / 2], t[n * 9 / 10],
	       t[n * 99 / 100], t[n - 1]);
	printf("cpu ms (thread):   p50 %.2f  p90 %.2f  p99 %.2f  max %.2f   (wall minus waiting for a core)\n",
	       c[n / 2], c[n * 9 / 10], c[n * 99 / 100], c[n - 1]);
	ck_buf_free(&out);
	free(t);
	free(c);
	for (int i = 0; i < nq; i++)
		free(qs[i]);
	ck_archive_close(a);
	return 0;
}
