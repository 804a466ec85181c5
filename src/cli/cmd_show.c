/*
 * cmd_show.c - `cablekit show ID`: one cable from the archive.  ID may be
 * an alias, a malformed archive id or a non-canonical spelling.
 *   --text      (default) header fields, then the clean body
 *   --json      the stored contract JSON
 *   --telegram  the telegram text as it was read
 */
#include "cli/cli.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char *s_of(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void field(ck_buf *b, const char *name, const char *v)
{
	if (v && *v)
		ck_buf_printf(b, "%-15s %s\n", name, v);
}

/* a list of strings (or of objects' key k) joined with ", " */
static void list(ck_buf *b, const char *name, json_t *arr, const char *k)
{
	size_t i;
	json_t *e;
	ck_buf v = CK_BUF_INIT;
	json_array_foreach(arr, i, e) {
		const char *s = k ? s_of(e, k) : json_string_value(e);
		if (!s)
			continue;
		if (v.len)
			ck_buf_puts(&v, ", ");
		ck_buf_puts(&v, s);
	}
	field(b, name, v.ptr);
	ck_buf_free(&v);
}

static int render_text(ck_buf *b, const char *json, int nversions)
{
	json_error_t err;
	json_t *c = json_loads(json, 0, &err), *e;
	size_t i;
	if (!c)
		return ck_cli_error("show: stored JSON unreadable: %s", err.text);
	ck_buf_printf(b, "%s\n", s_of(c, "id") ? s_of(c, "id") : "?");
	field(b, "Date:", s_of(c, "date"));
	if (s_of(c, "origin") || s_of(c, "from")) {
		char tmp[512];
		snprintf(tmp, sizeof tmp, "%s%s%s%s", s_of(c, "origin") ? s_of(c, "origin") : "",
			 s_of(c, "from") ? " (" : "", s_of(c, "from") ? s_of(c, "from") : "",
			 s_of(c, "from") ? ")" : "");
		field(b, "From:", tmp);
	}
	field(b, "Marking:", s_of(c, "marking"));
	field(b, "Precedence:", s_of(c, "precedence"));
	list(b, "To:", json_object_get(c, "to"), "name");
	list(b, "Info:", json_object_get(c, "info"), "name");
	list(b, "Tags:", json_object_get(c, "tags"), NULL);
	field(b, "Subject:", s_of(c, "subject"));
	json_array_foreach(json_object_get(c, "references"), i, e) {
		char tmp[512];
		snprintf(tmp, sizeof tmp, "%s%s%s%s%s%s", s_of(e, "label") ? s_of(e, "label") : "",
			 s_of(e, "label") ? ". " : "", s_of(e, "text") ? s_of(e, "text") : "",
			 s_of(e, "id") ? " (" : "", s_of(e, "id") ? s_of(e, "id") : "", s_of(e, "id") ? ")" : "");
		field(b, i ? "" : "References:", tmp);
	}
	json_t *cb = json_object_get(c, "classified_by");
	if (json_is_object(cb)) {
		ck_buf v = CK_BUF_INIT;
		const char *parts[2] = {s_of(cb, "name"), s_of(cb, "title")};
		for (int k = 0; k < 2; k++)
			if (parts[k])
				ck_buf_printf(&v, "%s%s", v.len ? ", " : "", parts[k]);
		json_array_foreach(json_object_get(cb, "reasons"), i, e)
			if (json_string_value(e))
				ck_buf_printf(&v, "%s%s", v.len ? ", " : "", json_string_value(e));
		field(b, "Classified by:", v.ptr);
		ck_buf_free(&v);
	}
	json_t *decl = json_object_get(c, "decl");
	if (json_is_object(decl))
		field(b, "Declassify:", s_of(decl, "date") ? s_of(decl, "date") : s_of(decl, "text"));
	list(b, "Signed:", json_object_get(c, "signers"), NULL);
	list(b, "Aliases:", json_object_get(c, "aliases"), NULL);
	if (nversions > 1)
		ck_buf_printf(b, "%-15s %d (cablekit diff %s)\n", "Versions:", nversions, s_of(c, "id") ? s_of(c, "id") : "");
	const char *body = s_of(c, "body");
	if (body && *body)
		ck_buf_printf(b, "\n%s%s", body, body[strlen(body) - 1] == '\n' ? "" : "\n");
	json_decref(c);
	return 0;
}

CK_CMD(show)
{
	const char *db = NULL, *id = NULL;
	int mode = 't', rc = 0;
	ck_archive *a = NULL;
	ck_buf out = CK_BUF_INIT, text = CK_BUF_INIT;
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		if (!strcmp(s, "--db") && i + 1 < argc)
			db = argv[++i];
		else if (!strcmp(s, "--json"))
			mode = 'j';
		else if (!strcmp(s, "--text"))
			mode = 't';
		else if (!strcmp(s, "--telegram"))
			mode = 'g';
		else if (s[0] == '-' && s[1]) {
			ck_cli_error("show: unknown option \"%s\"", s);
			return ck_cli_usage(cmd, 0);
		} else if (!id)
			id = s;
		else {
			ck_cli_error("show: one ID at a time");
			return ck_cli_usage(cmd, 0);
		}
	}
	if (!id)
		return ck_cli_usage(cmd, 0);
	if (ck_archive_open(&a, ck_cli_db_path(db), CK_ARCHIVE_READONLY))
		return ck_cli_error("%s", ck_error_last());
	if (mode == 'g')
		rc = ck_archive_cable_raw(a, id, &out);
	else
		rc = ck_archive_cable_json(a, id, &out);
	if (rc) {
		rc = ck_cli_error("%s", ck_error_last());
		goto cleanup;
	}
	if (mode == 't') {
		ck_buf v = CK_BUF_INIT;
		int n = 1;
		if (!ck_archive_versions_json(a, id, &v)) {
			json_t *arr = json_loads(v.ptr, 0, NULL);
			n = arr ? (int)json_array_size(arr) : 1;
			json_decref(arr);
		}
		ck_buf_free(&v);
		if ((rc = render_text(&text, out.ptr ? out.ptr : "{}", n)))
			goto cleanup;
		rc = ck_cli_write(text.ptr, text.len);
	} else {
		if (out.len && out.ptr[out.len - 1] != '\n')
			ck_buf_putc(&out, '\n');
		rc = ck_cli_write(out.ptr, out.len);
	}
cleanup:
	ck_archive_close(a);
	ck_buf_free(&out);
	ck_buf_free(&text);
	return rc;
}
