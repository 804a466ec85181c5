/*
 * cmd_format.c - `cablekit format FILE.json|-`: contract JSON in, telegram
 * text out.
 *
 * The input is JSON Lines (as `cablekit parse` and `export --format jsonl`
 * write) or pretty JSON objects, one after another: the objects are cut
 * out of the stream by brace depth (strings respected), so memory holds
 * one cable at a time.  Each becomes one telegram; telegrams are separated
 * by a line "NNNN" (ACP 127 end of message) and a blank line.  With
 * --out DIR each telegram goes to its own file DIR/000001.txt ... (input
 * order), ready for `cablekit parse DIR`.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

/* Read the next top-level JSON value (an object) into b.  Returns 1 when
 * one was read, 0 at the end, -1 on malformed input (message in err). */
static int next_object(FILE *f, ck_buf *b, long *line, long *start,
		       const char **err)
{
	int depth = 0, in_str = 0, esc = 0, c;
	ck_buf_clear(b);
	while ((c = getc(f)) != EOF) {
		if (c == '\n')
			(*line)++;
		if (!depth) {
			if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
				continue;
			*start = *line;
			if (c != '{') {
				*err = "expected a JSON object";
				return -1;
			}
		}
		if (ck_buf_putc(b, c)) {
			*err = "out of memory";
			return -1;
		}
		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"')
			in_str = 1;
		else if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']') {
			if (--depth == 0)
				return 1;
		}
	}
	if (b->len) {
		*err = "truncated JSON object at end of input";
		return -1;
	}
	return 0;
}

/* Write one telegram to DIR/NNNNNN.txt. */
static int write_file(const char *dir, int n, const ck_buf *b)
{
	char name[4096];
	snprintf(name, sizeof name, "%s/%06d.txt", dir, n);
	FILE *f = fopen(name, "wb");
	if (!f)
		return ck_cli_error("%s: cannot create: %m", name);
	int bad = b->len && fwrite(b->ptr, 1, b->len, f) != b->len;
	if (fclose(f) || bad)
		return ck_cli_error("%s: write failed", name);
	return 0;
}

CK_CMD(format)
{
	const char *path = NULL, *outdir = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--out") && i + 1 < argc)
			outdir = argv[++i];
		else if (!path && (strcmp(argv[i], "-") == 0 || argv[i][0] != '-'))
			path = argv[i];
		else
			return ck_cli_usage(cmd, 0);
	}
	if (!path)
		return ck_cli_usage(cmd, 0);
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f)
		return ck_cli_error("%s: cannot open: %m", path);

	ck_buf json = CK_BUF_INIT, out = CK_BUF_INIT;
	long line = 1, start = 1;
	int status = 0, n = 0, idx = 0, r;
	const char *err = NULL;
	for (;;) {
		r = next_object(f, &json, &line, &start, &err);
		if (r <= 0)
			break;
		idx++; /* files are numbered by input position */
		ck_cable *c = NULL;
		int rc = ck_cable_read_json(&c, json.ptr, json.len);
		if (rc) {
			ck_cli_error("%s:%ld: %s", path, start, ck_error_last());
			status = 1;
			continue;
		}
		ck_buf_clear(&out);
		if (n++ && !outdir)
			ck_buf_puts(&out, "NNNN\n\n");
		rc = ck_cable_write_telegram(&out, c);
		ck_cable_free(c);
		if (rc) {
			ck_cli_error("%s:%ld: %s", path, start, ck_error_last());
			status = 1;
			break;
		}
		if (outdir ? write_file(outdir, idx, &out) : ck_cli_write(out.ptr, out.len)) {
			status = 1;
			break;
		}
	}
	if (r < 0) {
		ck_cli_error("%s:%ld: %s", path, start, err);
		status = 1;
	}
	if (ferror(f)) {
		ck_cli_error("%s: read error", path);
		status = 1;
	}
	if (f != stdin)
		fclose(f);
	ck_buf_free(&json);
	ck_buf_free(&out);
	return status;
}
