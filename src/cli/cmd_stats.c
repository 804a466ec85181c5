/*
 * cmd_stats.c - `cablekit stats`: counts by year, origin, marking and tag,
 * and paragraphs by portion marking per year and per classification of the
 * cable (how much of a SECRET cable is SECRET); --json: the API's JSON.
 */
#include "cli/cli.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* one table of "portions": rows by `col`, paragraphs of each level with
 * their share of the row */
static void portion_table(json_t *portions, const char *key, const char *col, const char *title)
{
	json_t *levels = json_object_get(portions, "levels"), *rows = json_object_get(portions, key), *r, *l;
	size_t i, k;
	printf("\nparagraphs by portion marking, per %s (count, share of the row):\n  %-22s %10s", title, col,
	       "paragraphs");
	json_array_foreach(levels, k, l)
		printf(" %13s", json_string_value(l));
	putchar('\n');
	json_array_foreach(rows, i, r) {
		long long total = json_integer_value(json_object_get(r, "paragraphs"));
		printf("  %-22.22s %10lld", json_string_value(json_object_get(r, col)), total);
		json_array_foreach(levels, k, l) {
			long long n = json_integer_value(json_object_get(r, json_string_value(l)));
			printf(" %7lld %4.0f%%", n, total ? 100.0 * (double)n / (double)total : 0.0);
		}
		putchar('\n');
	}
}

CK_CMD(stats)
{
	const char *db = NULL;
	int json = 0, rc = 0;
	ck_archive *a = NULL;
	ck_buf out = CK_BUF_INIT;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			db = argv[++i];
		else if (!strcmp(argv[i], "--json"))
			json = 1;
		else {
			ck_cli_error("stats: unknown argument \"%s\"", argv[i]);
			return ck_cli_usage(cmd, 0);
		}
	}
	if (ck_archive_open(&a, ck_cli_db_path(db), CK_ARCHIVE_READONLY))
		return ck_cli_error("%s", ck_error_last());
	if (ck_archive_stats_json(a, &out)) {
		rc = ck_cli_error("%s", ck_error_last());
		goto cleanup;
	}
	if (json) {
		ck_buf_putc(&out, '\n');
		rc = ck_cli_write(out.ptr, out.len);
		goto cleanup;
	}
	json_t *root = json_loads(out.ptr, 0, NULL);
	if (!root) {
		rc = ck_cli_error("stats: bad JSON from the archive");
		goto cleanup;
	}
	printf("cables   %lld\nversions %lld\nedges    %lld\n",
	       json_integer_value(json_object_get(root, "cables")),
	       json_integer_value(json_object_get(root, "versions")),
	       json_integer_value(json_object_get(root, "edges")));
	static const char *const keys[] = {"year", "origin", "marking", "tag"};
	for (int k = 0; k < 4; k++) {
		json_t *list = json_object_get(root, keys[k]), *e;
		size_t i;
		printf("\nby %s (%zu):\n", keys[k], json_array_size(list));
		json_array_foreach(list, i, e)
			printf("  %8lld  %s\n", json_integer_value(json_array_get(e, 1)),
			       json_string_value(json_array_get(e, 0)));
	}
	json_t *portions = json_object_get(root, "portions");
	portion_table(portions, "by_year", "year", "year");
	portion_table(portions, "by_classification", "classification", "classification of the cable");
	json_decref(root);
cleanup:
	ck_archive_close(a);
	ck_buf_free(&out);
	return rc;
}
