/* cli.h - what the command files of the cablekit program share (util.c). */
#ifndef CK_CLI_H
#define CK_CLI_H
#include "cablekit.h"

/* One command: name, one-line summary, usage text, and its entry point,
 * called with this entry (argv[0] is the command name).  Returns the
 * process exit status. */
struct ck_cli_cmd {
	const char *name;
	const char *summary;
	const char *usage;
	int (*run)(const struct ck_cli_cmd *cmd, int argc, char **argv);
};

/* Print "cablekit: <msg>" to stderr; returns 1 (or 2 for usage errors). */
int ck_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the usage of a command to stderr (or stdout for --help); returns
 * 2 (0 for stdout). */
int ck_cli_usage(const struct ck_cli_cmd *cmd, int to_stdout);
/* True when argv holds --help or -h. */
int ck_cli_wants_help(int argc, char **argv);
/* The archive path: --db value, else $CABLEKIT_DB, else ./cables.db. */
const char *ck_cli_db_path(const char *opt);
/* Write a buffer to stdout; returns 0 or 1 on a write error. */
int ck_cli_write(const void *p, size_t n);

#define CK_CMD(name) int ck_cmd_##name(const struct ck_cli_cmd *cmd, int argc, char **argv)
CK_CMD(parse);
CK_CMD(check);
CK_CMD(ingest);
CK_CMD(search);
CK_CMD(show);
CK_CMD(refs);
CK_CMD(diff);
CK_CMD(stats);
CK_CMD(export);
CK_CMD(format);
CK_CMD(serve);
#endif
