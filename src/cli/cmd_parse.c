/*
 * cmd_parse.c - `cablekit parse` (JSON Lines of every cable in the sources)
 * and `cablekit check` (the problems found, one per line).
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct walk {
	int year;
	int pretty;
	int check;    /* print problems instead of JSON */
	int failed;   /* some source could not be read */
	long cables;
	ck_buf out;
};

static int on_item(const ck_item *it, void *ctx)
{
	struct walk *w = ctx;
	ck_cable *c = NULL;
	int rc = ck_item_parse(&c, it, w->year);
	if (rc) {
		ck_cli_error("%s:%d: %s", it->file, it->line, ck_error_last());
		w->failed = 1;
		return 0;
	}
	w->cables++;
	ck_buf_clear(&w->out);
	if (w->check) {
		for (size_t i = 0; i < c->nproblems; i++) {
			const ck_problem *p = &c->problems[i];
			int line = p->line ? p->line + (it->line > 0 ? it->line - 1 : 0) : it->line;
			ck_buf_printf(&w->out, "%s:%d: %s: %s\n", it->file, line, p->kind, p->note);
		}
	} else {
		ck_cable_write_json(&w->out, c, w->pretty ? CK_JSON_PRETTY : 0);
		ck_buf_putc(&w->out, '\n');
	}
	ck_cable_free(c);
	if (ck_cli_write(w->out.ptr, w->out.len))
		return 1;
	return 0;
}

static void on_error(const char *file, int line, const char *msg, void *ctx)
{
	struct walk *w = ctx;
	w->failed = 1;
	if (line > 0)
		ck_cli_error("%s:%d: %s", file, line, msg);
	else
		ck_cli_error("%s: %s", file, msg);
}

static int run(const struct ck_cli_cmd *cmd, int argc, char **argv, int check)
{
	struct walk w = {0};
	w.out = (ck_buf)CK_BUF_INIT;
	w.check = check;
	int nsrc = 0;
	char **srcs = calloc((size_t)argc + 1, sizeof *srcs);
	if (!srcs)
		return ck_cli_error("out of memory");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--year") && i + 1 < argc) {
			char *end;
			long y = strtol(argv[++i], &end, 10);
			if (*end || y < 1900 || y > 2100) {
				free(srcs);
				return ck_cli_error("--year: expected a year such as 2007, not \"%s\"", argv[i]) + 1;
			}
			w.year = (int)y;
		} else if (!strncmp(a, "--year=", 7)) {
			w.year = atoi(a + 7);
		} else if (!strcmp(a, "--pretty")) {
			w.pretty = 1;
		} else if (a[0] == '-' && a[1]) {
			free(srcs);
			ck_cli_error("%s: unknown option \"%s\"", argv[0], a);
			return ck_cli_usage(cmd, 0);
		} else {
			srcs[nsrc++] = argv[i];
		}
	}
	if (!nsrc) {
		free(srcs);
		return ck_cli_usage(cmd, 0);
	}
	int stop = 0;
	for (int i = 0; i < nsrc && !stop; i++)
		if (ck_source_walk(srcs[i], on_item, on_error, &w))
			w.failed = 1;
	free(srcs);
	ck_buf_free(&w.out);
	return w.failed ? 1 : 0;
}

CK_CMD(parse)
{
	return run(cmd, argc, argv, 0);
}

CK_CMD(check)
{
	return run(cmd, argc, argv, 1);
}
