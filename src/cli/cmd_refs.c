/*
 * cmd_refs.c - `cablekit refs ID`: what a cable cites (its REF line, with
 * the cables found in the archive marked) and what cites it.
 */
#include "cli/cli.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char *s_of(json_t *o, const char *k, const char *dflt)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : dflt;
}

CK_CMD(refs)
{
	const char *db = NULL, *id = NULL;
	int json = 0, rc = 0;
	ck_archive *a = NULL;
	ck_buf out = CK_BUF_INIT;
	char canon[256];
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			db = argv[++i];
		else if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (argv[i][0] == '-' && argv[i][1]) {
			ck_cli_error("refs: unknown option \"%s\"", argv[i]);
			return ck_cli_usage(cmd, 0);
		} else
			id = argv[i];
	}
	if (!id)
		return ck_cli_usage(cmd, 0);
	if (ck_archive_open(&a, ck_cli_db_path(db), CK_ARCHIVE_READONLY))
		return ck_cli_error("%s", ck_error_last());
	if (ck_archive_resolve_id(a, id, canon, sizeof canon) || ck_archive_refs_json(a, canon, &out)) {
		rc = ck_cli_error("%s", ck_error_last());
		goto cleanup;
	}
	if (json) {
		ck_buf_putc(&out, '\n');
		rc = ck_cli_write(out.ptr, out.len);
		goto cleanup;
	}
	json_t *root = json_loads(out.ptr, 0, NULL), *e;
	size_t i;
	if (!root) {
		rc = ck_cli_error("refs: bad JSON from the archive");
		goto cleanup;
	}
	json_t *cites = json_object_get(root, "cites"), *by = json_object_get(root, "cited_by");
	printf("%s cites %zu:\n", canon, json_array_size(cites));
	json_array_foreach(cites, i, e) {
		int in = json_is_true(json_object_get(e, "in_archive"));
		/* "(year inferred)": a REF without a year taken to the year before */
		int inferred = json_is_true(json_object_get(e, "inferred"));
		printf("  %-2s %-22s %s%s%s%s%s\n", s_of(e, "label", ""), s_of(e, "id", "-"),
		       s_of(e, "text", ""), in ? "  [" : "", in ? s_of(e, "subject", "") : "", in ? "]" : "",
		       inferred ? "  (year inferred)" : "");
	}
	printf("%s is cited by %zu:\n", canon, json_array_size(by));
	json_array_foreach(by, i, e) {
		char date[11];
		snprintf(date, sizeof date, "%s", s_of(e, "date", ""));
		printf("  %-22s %-10s %-24s %s\n", s_of(e, "id", ""), date, s_of(e, "origin", ""),
		       s_of(e, "subject", ""));
	}
	json_decref(root);
cleanup:
	ck_archive_close(a);
	ck_buf_free(&out);
	return rc;
}
