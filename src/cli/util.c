/*
 * util.c - what the command files share: messages on stderr, usage, the
 * archive path, writing stdout.  The command table is in main.c, which
 * hands each command its own entry (for its usage): no command file calls
 * back into main.c.
 */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ck_cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("cablekit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int ck_cli_usage(const struct ck_cli_cmd *cmd, int to_stdout)
{
	FILE *f = to_stdout ? stdout : stderr;
	fprintf(f, "usage: cablekit %s\n  %s\n", cmd->usage, cmd->summary);
	return to_stdout ? 0 : 2;
}

int ck_cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	}
	return 0;
}

const char *ck_cli_db_path(const char *opt)
{
	if (opt && *opt)
		return opt;
	const char *e = getenv("CABLEKIT_DB");
	if (e && *e)
		return e;
	return "cables.db";
}

int ck_cli_write(const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, stdout) != n)
		return ck_cli_error("write error on standard output");
	return 0;
}
