/*
 * cmd_diff.c - `cablekit diff ID`: line differences between the stored
 * versions of a cable (the telegram texts as read), oldest first.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

CK_CMD(diff)
{
	const char *db = NULL, *id = NULL;
	int rc = 0;
	ck_archive *a = NULL;
	ck_buf out = CK_BUF_INIT;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			db = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1]) {
			ck_cli_error("diff: unknown option \"%s\"", argv[i]);
			return ck_cli_usage(cmd, 0);
		} else
			id = argv[i];
	}
	if (!id)
		return ck_cli_usage(cmd, 0);
	if (ck_archive_open(&a, ck_cli_db_path(db), CK_ARCHIVE_READONLY))
		return ck_cli_error("%s", ck_error_last());
	if (ck_archive_diff_text(a, id, &out))
		rc = ck_cli_error("%s", ck_error_last());
	else if (!out.len)
		fprintf(stderr, "cablekit: %s: one version stored, nothing to compare\n", id);
	else
		rc = ck_cli_write(out.ptr, out.len);
	ck_archive_close(a);
	ck_buf_free(&out);
	return rc;
}
