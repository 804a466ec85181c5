/*
 * person.c - one person across the archive (issue 15, docs/people.md):
 * ck_archive_person_json() answers /api/person/{key} and feeds the
 * /person/{key} page.  The cables come from the `field` rows of kind
 * 'person' that store.c writes from each cable's `people` (the key as the
 * parser made it, "prodi_romano"); the forms, names, titles and roles are
 * read back from the person's entry in each cable's stored JSON, so every
 * merge the key made can be seen ("PM Prodi", "Prime Minister Romano
 * Prodi", "PRODI").  Counts by year and by origin, the total and the people
 * most often in the same cables are exact; the forms, titles and roles are
 * read from the newest CK_PERSON_DETAIL cables (a person in 20,000 cables
 * would otherwise unpack them all), and "detail_cables" says how many.
 * A full key that no cable has ("prodi_romano") falls back to the surname
 * key ("prodi"): the answer's "key" says which was used.
 */
#include "archive/archive.h"

#include <stdio.h>
#include <string.h>

#define CK_PERSON_DETAIL 2000 /* cables whose JSON is read for the forms */
#define CK_PERSON_LIST 200    /* cables listed, newest first */
#define STR_(x) #x
#define STR(x) STR_(x)

static int prep(ck_archive *a, sqlite3_stmt **st, const char *sql, const char *key)
{
	int rc = sqlite3_prepare_v2(a->db, sql, -1, st, NULL);
	if (rc != SQLITE_OK)
		return ck_archive_sqlerr(a, rc, "person");
	sqlite3_bind_text(*st, 1, key, -1, SQLITE_STATIC);
	return 0;
}

/* the cables of key ?1 with the person's entry of their JSON (pj) */
#define CABLES_OF(limit)                                                                          \
	"SELECT c.rowid AS r, c.id AS id, c.date AS date, c.origin AS origin, c.subject AS subject," \
	" (SELECT p.value FROM json_each(ck_unpack(v.json), '$.people') p"                           \
	"  WHERE json_extract(p.value, '$.key') = ?1) AS pj"                                         \
	" FROM field f JOIN cable c ON c.rowid = f.cable"                                            \
	" JOIN version v ON v.cable = c.rowid AND v.n = c.version"                                  \
	" WHERE f.kind = 'person' AND f.value = ?1 ORDER BY c.date DESC LIMIT " limit

/* ,"NAME":[["value",n],...] from rows (value, n) of st */
static int pairs(ck_archive *a, sqlite3_stmt *st, const char *name, ck_buf *out)
{
	int rc, first = 1;
	ck_buf_printf(out, ",\"%s\":[", name);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) == SQLITE_NULL)
			continue;
		ck_buf_puts(out, first ? "[" : ",[");
		first = 0;
		ck_json_str(out, (const char *)sqlite3_column_text(st, 0));
		ck_buf_printf(out, ",%lld]", (long long)sqlite3_column_int64(st, 1));
	}
	ck_buf_putc(out, ']');
	return rc == SQLITE_DONE ? 0 : ck_archive_sqlerr(a, rc, "person");
}

/* "forms", "names", "titles", "roles": from the newest cables' entries,
 * one statement (the entries are unpacked once) */
static int details(ck_archive *a, const char *key, ck_buf *out)
{
	static const char *const kinds[] = {"names", "forms", "titles", "roles"};
	sqlite3_stmt *st = NULL;
	int rc = prep(a, &st,
		      "WITH cs AS MATERIALIZED (" CABLES_OF(STR(CK_PERSON_DETAIL)) ")"
		      " SELECT 0, json_extract(pj, '$.name'), count(*) FROM cs GROUP BY 2"
		      " UNION ALL SELECT 1, json_extract(m.value, '$.text'), count(*)"
		      "  FROM cs, json_each(cs.pj, '$.mentions') m GROUP BY 2"
		      " UNION ALL SELECT 2, t.value, count(*) FROM cs, json_each(cs.pj, '$.titles') t GROUP BY 2"
		      " UNION ALL SELECT 3, r.value, count(*) FROM cs, json_each(cs.pj, '$.roles') r GROUP BY 2"
		      " ORDER BY 1, 3 DESC, 2",
		      key);
	if (rc)
		return rc;
	int k = -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int kind = sqlite3_column_int(st, 0);
		if (kind < 0 || kind > 3 || sqlite3_column_type(st, 1) == SQLITE_NULL)
			continue;
		while (k < kind) {
			if (k >= 0)
				ck_buf_putc(out, ']');
			ck_buf_printf(out, ",\"%s\":[", kinds[++k]);
		}
		if (out->ptr[out->len - 1] != '[')
			ck_buf_putc(out, ',');
		ck_buf_putc(out, '[');
		ck_json_str(out, (const char *)sqlite3_column_text(st, 1));
		ck_buf_printf(out, ",%lld]", (long long)sqlite3_column_int64(st, 2));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ck_archive_sqlerr(a, rc, "person");
	while (k < 3) {
		if (k >= 0)
			ck_buf_putc(out, ']');
		ck_buf_printf(out, ",\"%s\":[", kinds[++k]);
	}
	ck_buf_putc(out, ']');
	return 0;
}

/* ,"cables":[{"id","date","origin","subject","roles"}] newest first */
static int cables(ck_archive *a, const char *key, ck_buf *out)
{
	sqlite3_stmt *st = NULL;
	int rc = prep(a, &st,
		      "SELECT id, date, origin, subject, json_extract(pj, '$.roles') FROM (" CABLES_OF(STR(CK_PERSON_LIST)) ")",
		      key);
	if (rc)
		return rc;
	int first = 1;
	ck_buf_puts(out, ",\"cables\":[");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		static const char *const names[] = {"id", "date", "origin", "subject"};
		ck_buf_puts(out, first ? "{" : ",{");
		first = 0;
		for (int i = 0; i < 4; i++) {
			ck_buf_printf(out, "%s\"%s\":", i ? "," : "", names[i]);
			ck_json_str(out, (const char *)sqlite3_column_text(st, i));
		}
		const char *roles = (const char *)sqlite3_column_text(st, 4);
		/* the stored JSON's own array, written by json.c */
		ck_buf_printf(out, ",\"roles\":%s}", roles && roles[0] == '[' ? roles : "[]");
	}
	ck_buf_putc(out, ']');
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : ck_archive_sqlerr(a, rc, "person");
}

int ck_archive_person_json(ck_archive *a, const char *name, ck_buf *out)
{
	char key[256];
	sqlite3_stmt *st = NULL;
	long long total = 0;
	int rc;
	if (!name || ck_person_key(name, key, sizeof key))
		return ck_error_set(CK_ENOTFOUND, "no such person");
	for (int tries = 0; tries < 2 && !total; tries++) {
		char *us = strchr(key, '_');
		if (tries && us)
			*us = '\0'; /* "Romano Prodi" in no cable: the cables of "prodi" */
		else if (tries)
			break;
		if ((rc = prep(a, &st, "SELECT count(*) FROM field WHERE kind='person' AND value=?1", key)))
			return rc;
		if (sqlite3_step(st) == SQLITE_ROW)
			total = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	if (!total)
		return ck_error_set(CK_ENOTFOUND, "no such person: %s", key);
	size_t start = out->len;
	ck_buf_puts(out, "{\"key\":");
	ck_json_str(out, key);
	ck_buf_printf(out, ",\"total\":%lld,\"detail_cables\":%lld", total,
		      total < CK_PERSON_DETAIL ? total : CK_PERSON_DETAIL);
	static const struct {
		const char *name, *sql;
	} counts[] = {
		{"years", "SELECT substr(c.date, 1, 4), count(*) FROM field f JOIN cable c ON c.rowid = f.cable"
			  " WHERE f.kind = 'person' AND f.value = ?1 GROUP BY 1 ORDER BY 1"},
		{"origins", "SELECT c.origin, count(*) FROM field f JOIN cable c ON c.rowid = f.cable"
			    " WHERE f.kind = 'person' AND f.value = ?1 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50"},
		{"together", "SELECT g.value, count(*) FROM field f JOIN field g ON g.cable = f.cable"
			     " AND g.kind = 'person' AND g.value <> f.value"
			     " WHERE f.kind = 'person' AND f.value = ?1 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20"},
	};
	rc = details(a, key, out);
	for (size_t i = 0; !rc && i < sizeof counts / sizeof counts[0]; i++) {
		if ((rc = prep(a, &st, counts[i].sql, key)))
			break;
		rc = pairs(a, st, counts[i].name, out);
		sqlite3_finalize(st);
	}
	if (!rc)
		rc = cables(a, key, out);
	if (rc) {
		out->len = start;
		return rc;
	}
	ck_buf_puts(out, "}\n");
	return 0;
}
