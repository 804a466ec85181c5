/*
 * parsebench.c - parser throughput, for bench/parse.sh.
 *
 * usage: parsebench DUMP SOURCE...   reads every cable of the sources with
 *        the readers, writes their telegram texts (one after another) to
 *        DUMP (so the script can time cat and wc -l over the same bytes),
 *        then times ck_parse over the texts held in memory, RUNS times
 *        (env, default 5), and prints one line per run:
 *        "run N: BYTES bytes, CABLES cables, W s wall, C s cpu".
 *        PARSEBENCH_PEOPLE=1: with the people pass (ck_parse_opts.people),
 *        as the readers parse.
 */
#include "cablekit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct texts {
	char **t;
	size_t *len;
	size_t n, cap, bytes;
	FILE *dump;
};

static int on_item(const ck_item *it, void *ctx)
{
	struct texts *x = ctx;
	if (!it->text)
		return 0;
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 1024;
		x->t = realloc(x->t, x->cap * sizeof *x->t);
		x->len = realloc(x->len, x->cap * sizeof *x->len);
		if (!x->t || !x->len)
			return 1;
	}
	x->t[x->n] = malloc(it->len + 1);
	if (!x->t[x->n])
		return 1;
	memcpy(x->t[x->n], it->text, it->len);
	x->t[x->n][it->len] = 0;
	x->len[x->n] = it->len;
	x->bytes += it->len;
	x->n++;
	fwrite(it->text, 1, it->len, x->dump);
	fputc('\n', x->dump);
	return 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU time of this thread: the figure that a busy machine does not inflate */
static double cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: parsebench DUMP SOURCE...\n");
		return 2;
	}
	struct texts x = {0};
	x.dump = fopen(argv[1], "wb");
	if (!x.dump)
		return 1;
	for (int i = 2; i < argc; i++)
		ck_source_walk(argv[i], on_item, NULL, &x);
	fclose(x.dump);
	int runs = getenv("RUNS") ? atoi(getenv("RUNS")) : 5;
	ck_parse_opts people = {0};
	people.people = 1;
	const ck_parse_opts *opts = getenv("PARSEBENCH_PEOPLE") ? &people : NULL;
	for (int r = 1; r <= runs; r++) {
		double t0 = now(), c0 = cpu();
		for (size_t i = 0; i < x.n; i++) {
			ck_cable *c = NULL;
			if (ck_parse(&c, x.t[i], x.len[i], opts) == 0)
				ck_cable_free(c);
		}
		double wall = now() - t0, used = cpu() - c0;
		printf("run %d: %zu bytes, %zu cables, %.4f s wall, %.4f s cpu\n", r, x.bytes, x.n, wall, used);
	}
	return 0;
}
