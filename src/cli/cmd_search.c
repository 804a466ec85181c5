/*
 * cmd_search.c - `cablekit search QUERY`: query the archive.  Prints the
 * API's JSON with --json, else a readable table (id, date, origin,
 * marking, subject, snippet), and the facet lists with --facets.
 */
#include "cli/cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* snippet HTML -> plain text: tags dropped, entities decoded */
static void plain(ck_buf *out, const char *s)
{
	static const struct { const char *ent, *ch; } ents[] = {
		{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}};
	while (s && *s) {
		if (*s == '<') {
			const char *e = strchr(s, '>');
			if (e) {
				s = e + 1;
				continue;
			}
		}
		if (*s == '&') {
			size_t i;
			for (i = 0; i < sizeof ents / sizeof ents[0]; i++)
				if (!strncmp(s, ents[i].ent, strlen(ents[i].ent)))
					break;
			if (i < sizeof ents / sizeof ents[0]) {
				ck_buf_puts(out, ents[i].ch);
				s += strlen(ents[i].ent);
				continue;
			}
		}
		ck_buf_putc(out, *s++);
	}
}

/* print at most w display columns of s (UTF-8 aware), padded */
static void cell(const char *s, int w, int pad)
{
	int cols = 0;
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	const unsigned char *start = p;
	while (*p && cols < w) {
		p++;
		while ((*p & 0xC0) == 0x80)
			p++;
		cols++;
	}
	fwrite(start, 1, (size_t)(p - start), stdout);
	if (pad)
		for (; cols < w; cols++)
			putchar(' ');
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static int print_table(const char *json, int facets)
{
	json_error_t err;
	json_t *root = json_loads(json, 0, &err);
	if (!root)
		return ck_cli_error("search: bad JSON from the archive: %s", err.text);
	json_t *hits = json_object_get(root, "hits");
	size_t i;
	json_t *h;
	long long total = json_integer_value(json_object_get(root, "total"));
	printf("%lld hit%s\n", total, total == 1 ? "" : "s");
	json_array_foreach(hits, i, h) {
		char date[11] = "";
		snprintf(date, sizeof date, "%s", str(h, "date"));
		cell(str(h, "id"), 22, 1);
		putchar(' ');
		cell(date, 10, 1);
		putchar(' ');
		cell(str(h, "origin"), 24, 1);
		putchar(' ');
		cell(str(h, "marking"), 22, 1);
		putchar(' ');
		cell(str(h, "subject"), 70, 0);
		putchar('\n');
		ck_buf b = CK_BUF_INIT;
		plain(&b, str(h, "snippet"));
		if (b.len) {
			printf("    ");
			cell(b.ptr, 150, 0);
			putchar('\n');
		}
		ck_buf_free(&b);
	}
	if (facets) {
		static const char *const names[] = {"origin", "year", "tag", "marking", "month"};
		json_t *f = json_object_get(root, "facets");
		for (size_t k = 0; k < 5; k++) {
			json_t *list = json_object_get(f, names[k]), *e;
			size_t j;
			printf("\n%s:", names[k]);
			json_array_foreach(list, j, e) {
				if (j == 20 && k != 4) {
					printf(" ...");
					break;
				}
				printf("%s %s (%lld)", j ? "," : "", json_string_value(json_array_get(e, 0)),
				       json_integer_value(json_array_get(e, 1)));
			}
			putchar('\n');
		}
	}
	json_decref(root);
	return 0;
}

static int int_arg(const char *opt, const char *v, int *out)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (!*v || *end || n < 0 || n > 1000000)
		return ck_cli_error("search: %s expects a number, not \"%s\"", opt, v) + 1;
	*out = (int)n;
	return 0;
}

CK_CMD(search)
{
	const char *db = NULL;
	int json = 0, rc = 0;
	ck_search_opts o = {0};
	ck_buf q = CK_BUF_INIT, out = CK_BUF_INIT;
	ck_archive *a = NULL;
	o.limit = 20;
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		int has = i + 1 < argc;
		if (!strcmp(s, "--db") && has) {
			db = argv[++i];
		} else if (!strcmp(s, "--limit") && has) {
			if ((rc = int_arg(s, argv[++i], &o.limit)))
				goto cleanup;
		} else if (!strcmp(s, "--offset") && has) {
			if ((rc = int_arg(s, argv[++i], &o.offset)))
				goto cleanup;
		} else if (!strcmp(s, "--sort") && has) {
			o.sort = argv[++i];
		} else if (!strcmp(s, "--json")) {
			json = 1;
		} else if (!strcmp(s, "--facets")) {
			o.facets = 1;
		} else if (!strcmp(s, "--")) {
			for (i++; i < argc; i++) {
				if (q.len)
					ck_buf_putc(&q, ' ');
				ck_buf_puts(&q, argv[i]);
			}
		} else if (s[0] == '-' && s[1] == '-') {
			ck_cli_error("search: unknown option \"%s\"", s);
			rc = ck_cli_usage(cmd, 0);
			goto cleanup;
		} else {
			/* words of the query (a leading "-word" is a NOT) */
			if (q.len)
				ck_buf_putc(&q, ' ');
			ck_buf_puts(&q, s);
		}
	}
	if (o.limit == 0)
		o.limit = 20;
	o.q = q.ptr ? q.ptr : "";
	if (ck_archive_open(&a, ck_cli_db_path(db), CK_ARCHIVE_READONLY)) {
		rc = ck_cli_error("%s", ck_error_last());
		goto cleanup;
	}
	if (ck_archive_search_json(a, &o, &out)) {
		rc = ck_cli_error("%s", ck_error_last());
		goto cleanup;
	}
	if (json) {
		ck_buf_putc(&out, '\n');
		rc = ck_cli_write(out.ptr, out.len);
	} else {
		rc = print_table(out.ptr, o.facets);
	}
cleanup:
	ck_archive_close(a);
	ck_buf_free(&q);
	ck_buf_free(&out);
	return rc;
}
