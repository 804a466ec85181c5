/*
 * person.c - one person across the archive (issue 15, docs/people.md):
 * ck_archive_person_json() answers /api/person/{key} and feeds the
 * /person/{key} page.  The cables come from `pcable` (persons.c: each
 * cable's key, as the parser made it, with the person it was put in and
 * why); the forms, names, titles and roles are read back from that key's
 * entry in each cable's stored JSON, so every merge can be seen: within a
 * cable ("PM Prodi", "Prime Minister Romano Prodi", "PRODI") and across
 * cables ("merges": each key with why it joined, its cables, first and last
 * dates, newest ids and forms; "kin": the other persons of the surname, kept
 * apart).  Counts by year and by origin, the total and the people most
 * often in the same cables are exact; the forms, titles and roles are read
 * from the newest CK_PERSON_DETAIL cables (a person in 20,000 cables would
 * otherwise unpack them all), and "detail_cables" says how many.  A name
 * or key is taken to its person: the person of that id, else the largest
 * of the key's periods apart, else of its surname; "key" says which.
 */
#include "archive/archive.h"

#include <stdio.h>
#include <string.h>

#define CK_PERSON_DETAIL 2000 /* cables whose JSON is read for the forms */
#define CK_PERSON_LIST 200    /* cables listed, newest first */
#define CK_PERSON_MERGES 50   /* (key, why) rows of "merges" */
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

/* the cables of person ?1 (and a condition) with the entry of their key
 * in their JSON (pj) */
#define CABLES_OF(cond, limit)                                                                    \
	"SELECT c.rowid AS r, c.id AS id, c.date AS date, c.origin AS origin, c.subject AS subject," \
	" (SELECT p.value FROM json_each(ck_unpack(v.json), '$.people') p"                           \
	"  WHERE json_extract(p.value, '$.key') = pc.key) AS pj"                                     \
	" FROM pcable pc JOIN cable c ON c.rowid = pc.cable"                                         \
	" JOIN version v ON v.cable = c.rowid AND v.n = c.version"                                  \
	" WHERE pc.person = ?1" cond " ORDER BY c.date DESC LIMIT " limit

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
		      "WITH cs AS MATERIALIZED (" CABLES_OF("", STR(CK_PERSON_DETAIL)) ")"
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
		      "SELECT id, date, origin, subject, json_extract(pj, '$.roles') FROM (" CABLES_OF("", STR(CK_PERSON_LIST)) ")",
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

/* ,"merges":[{"key","why","reason","cables","first","last","ids","forms"}]:
 * each key of the person with why its cables joined (persons.c) */
static int merges(ck_archive *a, const char *person, ck_buf *out)
{
	sqlite3_stmt *st = NULL, *ids = NULL, *forms = NULL;
	int rc = prep(a, &st,
		      "SELECT pc.key, pc.why, count(*), min(substr(c.date, 1, 10)), max(substr(c.date, 1, 10))"
		      " FROM pcable pc JOIN cable c ON c.rowid = pc.cable WHERE pc.person = ?1"
		      " GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT " STR(CK_PERSON_MERGES),
		      person);
	if (!rc)
		rc = prep(a, &ids,
			  "SELECT c.id FROM pcable pc JOIN cable c ON c.rowid = pc.cable"
			  " WHERE pc.person = ?1 AND pc.key = ?2 AND pc.why = ?3 ORDER BY c.date DESC LIMIT 10",
			  person);
	if (!rc)
		rc = prep(a, &forms,
			  "SELECT json_extract(m.value, '$.text'), count(*) FROM ("
			  CABLES_OF(" AND pc.key = ?2 AND pc.why = ?3", "200")
			  ") cs, json_each(cs.pj, '$.mentions') m GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20",
			  person);
	if (rc)
		goto done;
	ck_buf_puts(out, ",\"merges\":[");
	int first = 1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		int why = sqlite3_column_int(st, 1);
		ck_buf_puts(out, first ? "{\"key\":" : ",{\"key\":");
		first = 0;
		ck_json_str(out, key);
		ck_buf_printf(out, ",\"why\":%d,\"reason\":", why);
		ck_json_str(out, ck_persons_why(why));
		ck_buf_printf(out, ",\"cables\":%lld,\"first\":", (long long)sqlite3_column_int64(st, 2));
		ck_json_str(out, (const char *)sqlite3_column_text(st, 3));
		ck_buf_puts(out, ",\"last\":");
		ck_json_str(out, (const char *)sqlite3_column_text(st, 4));
		sqlite3_stmt *sub[2] = {ids, forms};
		for (int k = 0; k < 2; k++) {
			sqlite3_reset(sub[k]);
			sqlite3_bind_text(sub[k], 2, key, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(sub[k], 3, why);
			ck_buf_puts(out, k ? ",\"forms\":[" : ",\"ids\":[");
			int s, n = 0;
			while ((s = sqlite3_step(sub[k])) == SQLITE_ROW) {
				if (sqlite3_column_type(sub[k], 0) == SQLITE_NULL)
					continue;
				ck_buf_puts(out, n++ ? "," : "");
				if (k)
					ck_buf_putc(out, '[');
				ck_json_str(out, (const char *)sqlite3_column_text(sub[k], 0));
				if (k)
					ck_buf_printf(out, ",%lld]", (long long)sqlite3_column_int64(sub[k], 1));
			}
			ck_buf_putc(out, ']');
			if (s != SQLITE_DONE) {
				rc = ck_archive_sqlerr(a, s, "person");
				goto done;
			}
		}
		ck_buf_putc(out, '}');
	}
	ck_buf_putc(out, ']');
	rc = rc == SQLITE_DONE ? 0 : ck_archive_sqlerr(a, rc, "person");
done:
	sqlite3_finalize(st);
	sqlite3_finalize(ids);
	sqlite3_finalize(forms);
	return rc;
}

/* the person of the ranges [lo1, hi1) and [lo2, hi2) of `pcable.person`
 * with the most cables, `prefer` first; 1 when found (into out) */
static int best_person(ck_archive *a, const char *b[4], const char *prefer, char *out, size_t outsz, int *rc)
{
	sqlite3_stmt *st = NULL;
	if ((*rc = prep(a, &st,
			"SELECT person, count(*) FROM pcable WHERE (person >= ?1 AND person < ?2)"
			" OR (person >= ?3 AND person < ?4) GROUP BY 1 ORDER BY person <> ?5, 2 DESC, 1 LIMIT 1",
			b[0])))
		return 0;
	for (int i = 1; i < 4; i++)
		sqlite3_bind_text(st, i + 1, b[i], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, prefer, -1, SQLITE_STATIC);
	int s = sqlite3_step(st), found = 0;
	if (s == SQLITE_ROW) {
		snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(st, 0));
		found = 1;
	} else if (s != SQLITE_DONE) {
		*rc = ck_archive_sqlerr(a, s, "person");
	}
	sqlite3_finalize(st);
	return found;
}

/* A name, key or person id to the person shown (docs/people.md) */
static int find_person(ck_archive *a, const char *name, char *person, size_t psz)
{
	char key[256], b[4][264];
	int rc = 0;
	if (strchr(name, '~') ? snprintf(key, sizeof key, "%s", name) >= (int)sizeof key
			      : ck_person_key(name, key, sizeof key))
		return ck_error_set(CK_ENOTFOUND, "no such person");
	for (char *p = key; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	/* the id itself and the key's periods apart ("smith_john~...") */
	snprintf(b[0], sizeof b[0], "%s", key);
	snprintf(b[1], sizeof b[1], "%s%c", key, 1);
	snprintf(b[2], sizeof b[2], "%s~", key);
	snprintf(b[3], sizeof b[3], "%s\x7f", key);
	const char *r[4] = {b[0], b[1], b[2], b[3]};
	if (best_person(a, r, key, person, psz, &rc) || rc)
		return rc;
	if (strchr(key, '~'))
		return ck_error_set(CK_ENOTFOUND, "no such person");
	/* the surname's persons: "prodi" when all its cables joined "prodi_romano" */
	char *us = strchr(key, '_');
	if (us)
		*us = '\0';
	snprintf(b[0], sizeof b[0], "%s", key);
	snprintf(b[1], sizeof b[1], "%s`", key);
	snprintf(b[2], sizeof b[2], "%s~", key);
	snprintf(b[3], sizeof b[3], "%s\x7f", key);
	if (best_person(a, r, key, person, psz, &rc))
		return 0;
	return rc ? rc : ck_error_set(CK_ENOTFOUND, "no such person: %s", key);
}

int ck_archive_person_json(ck_archive *a, const char *name, ck_buf *out)
{
	char key[256];
	sqlite3_stmt *st = NULL;
	long long total = 0;
	int rc;
	if (!name)
		return ck_error_set(CK_ENOTFOUND, "no such person");
	if ((rc = find_person(a, name, key, sizeof key)))
		return rc;
	if ((rc = prep(a, &st, "SELECT count(*) FROM pcable WHERE person=?1", key)))
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		total = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
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
		{"years", "SELECT substr(c.date, 1, 4), count(*) FROM pcable f JOIN cable c ON c.rowid = f.cable"
			  " WHERE f.person = ?1 GROUP BY 1 ORDER BY 1"},
		{"origins", "SELECT c.origin, count(*) FROM pcable f JOIN cable c ON c.rowid = f.cable"
			    " WHERE f.person = ?1 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50"},
		{"together", "SELECT g.person, count(*) FROM pcable f JOIN pcable g ON g.cable = f.cable"
			     " AND g.person <> f.person WHERE f.person = ?1 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20"},
		/* the other persons of the surname, kept apart (persons.c) */
		{"kin", "SELECT person, count(*) FROM pcable WHERE person <> ?1 AND ("
			"(person >= ?2 AND person < ?2 || '`') OR (person >= ?2 || '~' AND person < ?2 || char(127)))"
			" GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20"},
	};
	char surname[256];
	snprintf(surname, sizeof surname, "%s", key);
	surname[strcspn(surname, "_~")] = '\0';
	rc = details(a, key, out);
	if (!rc)
		rc = merges(a, key, out);
	for (size_t i = 0; !rc && i < sizeof counts / sizeof counts[0]; i++) {
		if ((rc = prep(a, &st, counts[i].sql, key)))
			break;
		if (i == 3)
			sqlite3_bind_text(st, 2, surname, -1, SQLITE_STATIC);
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
