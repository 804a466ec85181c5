/*
 * cmd_export.c - `cablekit export [--db PATH] --format jsonl|csv|graphml|bulk
 * [--people] [--mapping] [QUERY]`: the archive (or a query's hits) to
 * stdout; --people with graphml: the person-cable graph instead of the
 * citation graph (format "graphml-people").
 * The work is ck_archive_export(); --mapping prints the index mapping of
 * the bulk documents and touches no archive.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

CK_CMD(export)
{
	const char *db = NULL, *format = NULL;
	int mapping = 0, people = 0;
	ck_buf q = CK_BUF_INIT;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--db") && i + 1 < argc)
			db = argv[++i];
		else if (!strncmp(a, "--db=", 5))
			db = a + 5;
		else if (!strcmp(a, "--format") && i + 1 < argc)
			format = argv[++i];
		else if (!strncmp(a, "--format=", 9))
			format = a + 9;
		else if (!strcmp(a, "--mapping"))
			mapping = 1;
		else if (!strcmp(a, "--people"))
			people = 1;
		else if (a[0] == '-' && a[1] == '-' && a[2]) {
			ck_buf_free(&q);
			ck_cli_error("export: unknown option %s", a);
			return ck_cli_usage(cmd, 0);
		} else {
			if (q.len)
				ck_buf_putc(&q, ' ');
			ck_buf_puts(&q, a);
		}
	}
	if (mapping) {
		ck_buf m = CK_BUF_INIT;
		int rc = ck_export_mapping(&m) ? ck_cli_error("out of memory")
					       : ck_cli_write(m.ptr, m.len);
		ck_buf_free(&m);
		ck_buf_free(&q);
		return rc;
	}
	if (!format) {
		ck_buf_free(&q);
		ck_cli_error("export: --format is required");
		return ck_cli_usage(cmd, 0);
	}
	if (people) {
		if (strcmp(format, "graphml")) {
			ck_buf_free(&q);
			ck_cli_error("export: --people goes with --format graphml");
			return ck_cli_usage(cmd, 0);
		}
		format = "graphml-people";
	}
	ck_export *e = NULL;
	if (ck_export_new(&e, format, NULL)) { /* check the name before opening */
		ck_buf_free(&q);
		ck_cli_error("%s", ck_error_last());
		return 2;
	}
	ck_export_free(e);

	const char *path = ck_cli_db_path(db);
	ck_archive *a = NULL;
	int status = 0;
	if (ck_archive_open(&a, path, CK_ARCHIVE_READONLY)) {
		status = ck_cli_error("%s", ck_error_last());
		goto cleanup;
	}
	if (ck_archive_export(a, format, q.len ? q.ptr : NULL, stdout))
		status = ck_cli_error("%s", ck_error_last());
cleanup:
	ck_archive_close(a);
	ck_buf_free(&q);
	return status;
}
