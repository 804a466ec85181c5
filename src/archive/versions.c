/*
 * versions.c - the stored versions of a cable as a list shows them:
 * number, when stored, text hash and source file.  The web page of a cable
 * used to take them from ck_archive_versions_json(), which unpacks and
 * copies every version's whole contract JSON, then parsed all of it with
 * jansson to read four fields (#10: the page served 1,100-1,500 req/s).
 * Here the first three come from their columns, and the source file, when
 * asked for, is read out of the unpacked JSON without parsing the rest of
 * it (the page of a single-version cable knows it already).
 */
#include "archive/archive.h"
#include "util/jsonstr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* After the JSON string whose opening quote is at p: the byte past its
 * closing quote, or NULL when it does not close. */
static const char *skip_string(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return NULL;
}

/* The "file" member of the top-level "source" object of a contract JSON,
 * newly allocated, or NULL.  A key is a string followed by ':', and a
 * string inside a value has its quotes escaped, so the byte sequence
 * "source": can only be the key. */
static char *source_file(const char *json, size_t n)
{
	static const char key[] = "\"source\":{";
	const char *end = json + n;
	const char *p = memmem(json, n, key, sizeof key - 1);
	if (!p)
		return NULL;
	p += sizeof key - 1;
	while (p < end && *p == '"') {
		const char *k = p, *v = skip_string(p, end);
		if (!v || v >= end || *v != ':')
			return NULL;
		v++;
		if (v < end && *v == '"') {
			const char *next = skip_string(v, end);
			if (!next)
				return NULL;
			if (v - k == 7 && !memcmp(k, "\"file\":", 7)) {
				ck_buf s = CK_BUF_INIT;
				if (ck_json_unescape(&s, v + 1, end) != 0) {
					ck_buf_free(&s);
					return NULL;
				}
				return ck_buf_detach(&s);
			}
			p = next;
		} else { /* a number, true, false or null; nothing nested here */
			p = v;
			while (p < end && *p != ',' && *p != '}' && *p != '{' && *p != '[')
				p++;
			if (p >= end || *p == '{' || *p == '[')
				return NULL;
		}
		if (*p != ',')
			return NULL;
		p++;
	}
	return NULL;
}

void ck_archive_versions_free(ck_version_info *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i].source);
	free(v);
}

static void copy_col(char *dst, size_t cap, sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	snprintf(dst, cap, "%s", s ? s : "");
}

int ck_archive_versions(ck_archive *a, const char *id, int sources, ck_version_info **out,
			size_t *n)
{
	char canon[256];
	sqlite3_stmt *st = NULL;
	ck_version_info *v = NULL;
	ck_buf json = CK_BUF_INIT;
	size_t cap = 0, len = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = ck_archive_resolve_id(a, id, canon, sizeof canon)))
		return rc;
	rc = sqlite3_prepare_v2(a->db, sources ? "SELECT v.n, v.ingested, v.sha1, v.json FROM version v"
				" JOIN cable c ON v.cable=c.rowid WHERE c.id=?1 ORDER BY v.n"
				: "SELECT v.n, v.ingested, v.sha1, NULL FROM version v"
				" JOIN cable c ON v.cable=c.rowid WHERE c.id=?1 ORDER BY v.n",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return ck_archive_sqlerr(a, rc, "reading versions");
	sqlite3_bind_text(st, 1, canon, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			ck_version_info *nv = realloc(v, ncap * sizeof *v);
			if (!nv) {
				rc = CK_ENOMEM;
				goto cleanup;
			}
			v = nv;
			cap = ncap;
		}
		ck_version_info *e = &v[len++];
		memset(e, 0, sizeof *e);
		e->n = sqlite3_column_int(st, 0);
		copy_col(e->ingested, sizeof e->ingested, st, 1);
		copy_col(e->sha1, sizeof e->sha1, st, 2);
		const void *p = sqlite3_column_blob(st, 3);
		int bn = sqlite3_column_bytes(st, 3);
		ck_buf_clear(&json);
		if (p && bn > 0 && ck_blob_unpack(&json, p, (size_t)bn) == 0 && json.len)
			e->source = source_file(json.ptr, json.len);
	}
	rc = rc == SQLITE_DONE ? 0 : ck_archive_sqlerr(a, rc, "reading versions");
cleanup:
	sqlite3_finalize(st);
	ck_buf_free(&json);
	if (rc) {
		ck_archive_versions_free(v, len);
		return rc;
	}
	*out = v;
	*n = len;
	return 0;
}
