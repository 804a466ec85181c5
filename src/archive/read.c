/*
 * read.c - the read side of the archive: a cable's contract JSON and
 * telegram text, its references both ways, its versions and their diff,
 * statistics, and every cable a query selects, streamed (export).
 *
 * Calls schema.c, id.c, query.c, blob.c and diff.c; the CLI, the server,
 * versions.c and the writers call it.
 */
#include "archive/archive.h"

#include <stdio.h>
#include <string.h>

long long ck_archive_generation(ck_archive *a)
{
	return ck_archive_scalar(a, CK_ST_GENERATION);
}

static int prep(ck_archive *a, sqlite3_stmt **st, const char *sql)
{
	int rc = sqlite3_prepare_v2(a->db, sql, -1, st, NULL);
	return rc == SQLITE_OK ? 0 : ck_archive_sqlerr(a, rc, "prepare");
}

static void json_col(ck_buf *out, sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	ck_json_str(out, s);
}

/* the telegram text of column i (packed), with the JSON blob of column j */
static int raw_col(ck_buf *out, sqlite3_stmt *st, int i, int j)
{
	const void *p = sqlite3_column_blob(st, i);
	int n = sqlite3_column_bytes(st, i);
	const void *jp = sqlite3_column_blob(st, j);
	int jn = sqlite3_column_bytes(st, j);
	return p && n > 0 ? ck_blob_unpack_raw(out, p, (size_t)n, jp, (size_t)(jn > 0 ? jn : 0)) : 0;
}

/* the packed blob of column i, unpacked and appended to out */
static int blob_col(ck_buf *out, sqlite3_stmt *st, int i)
{
	const void *p = sqlite3_column_blob(st, i);
	int n = sqlite3_column_bytes(st, i);
	return p && n > 0 ? ck_blob_unpack(out, p, (size_t)n) : 0;
}

/* The cable an id names (its canonical id into canon) and a statement
 * over it: sql with ?1 bound to its rowid, and ?2, when the SQL has one,
 * to its latest version number. */
static int cable_query(ck_archive *a, const char *id, char *canon, size_t csz, const char *sql,
		       sqlite3_stmt **st)
{
	sqlite3_int64 rowid;
	int version, rc;
	if ((rc = ck_archive_find_cable(a, id, canon, csz, &rowid, &version)) || (rc = prep(a, st, sql)))
		return rc;
	sqlite3_bind_int64(*st, 1, rowid);
	if (sqlite3_bind_parameter_count(*st) >= 2)
		sqlite3_bind_int(*st, 2, version);
	return 0;
}

int ck_archive_cable_json(ck_archive *a, const char *id, ck_buf *out)
{
	char canon[256];
	sqlite3_int64 rowid;
	int version, rc;
	if ((rc = ck_archive_find_cable(a, id, canon, sizeof canon, &rowid, &version)))
		return rc;
	sqlite3_stmt *st = ck_archive_stmt(a, CK_ST_VERSION_JSON);
	if (!st)
		return CK_EIO;
	sqlite3_bind_int64(st, 1, rowid);
	sqlite3_bind_int(st, 2, version);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = blob_col(out, st, 0);
	else
		rc = rc == SQLITE_DONE ? ck_error_set(CK_ENOTFOUND, "no stored version of %s", canon)
				       : ck_archive_sqlerr(a, rc, "reading a cable");
	sqlite3_reset(st);
	return rc;
}

int ck_archive_cable_raw(ck_archive *a, const char *id, ck_buf *out)
{
	char canon[256];
	sqlite3_stmt *st = NULL;
	int rc = cable_query(a, id, canon, sizeof canon, "SELECT raw, json FROM version WHERE cable=?1 AND n=?2", &st);
	if (rc)
		return rc;
	rc = sqlite3_step(st);
	rc = rc == SQLITE_ROW ? raw_col(out, st, 0, 1) : ck_archive_sqlerr(a, rc, "reading a cable");
	sqlite3_finalize(st);
	return rc;
}

int ck_archive_refs_json(ck_archive *a, const char *id, ck_buf *out)
{
	char canon[256];
	int rc, first = 1;
	sqlite3_stmt *st = NULL;
	if ((rc = cable_query(a, id, canon, sizeof canon,
			      "SELECT e.label, e.text, coalesce(t.id, e.dst), t.id IS NOT NULL, t.date, t.origin, t.subject"
			      " FROM edge e LEFT JOIN cable t ON t.id = " CK_SQL_EDGE_TARGET
			      " WHERE e.src=?1 ORDER BY e.seq", &st)))
		return rc;
	ck_buf_puts(out, "{\"cites\":[");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ck_buf_puts(out, first ? "{\"label\":" : ",{\"label\":");
		first = 0;
		json_col(out, st, 0);
		ck_buf_puts(out, ",\"text\":");
		json_col(out, st, 1);
		ck_buf_puts(out, ",\"id\":");
		json_col(out, st, 2);
		ck_buf_puts(out, sqlite3_column_int(st, 3) ? ",\"in_archive\":true" : ",\"in_archive\":false");
		const char *rtext = (const char *)sqlite3_column_text(st, 1);
		const char *rid = (const char *)sqlite3_column_text(st, 2);
		if (sqlite3_column_int(st, 3) && ck_archive_ref_inferred(rtext, canon, rid)) {
			ck_buf_printf(out, ",\"inferred\":true,\"problem\":\"the reference does not say its year and "
					   "the archive has no such cable of the citing cable's year; %s, the same serial a "
					   "year earlier, is taken\"", rid);
		}
		ck_buf_puts(out, ",\"date\":");
		json_col(out, st, 4);
		ck_buf_puts(out, ",\"origin\":");
		json_col(out, st, 5);
		ck_buf_puts(out, ",\"subject\":");
		json_col(out, st, 6);
		ck_buf_putc(out, '}');
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE)
		return ck_archive_sqlerr(a, rc, "reading references");
	ck_buf_puts(out, "],\"cited_by\":[");
	if ((rc = prep(a, &st,
		       "SELECT s.id, s.date, s.origin, s.subject FROM cable s WHERE s.rowid IN"
		       " (SELECT e.src FROM edge e WHERE e.dst=?1"
		       "  OR e.dst IN (SELECT alias FROM alias WHERE id=?1))"
		       " ORDER BY s.date, s.id")))
		return rc;
	sqlite3_bind_text(st, 1, canon, -1, SQLITE_STATIC);
	first = 1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ck_buf_puts(out, first ? "{\"id\":" : ",{\"id\":");
		first = 0;
		json_col(out, st, 0);
		ck_buf_puts(out, ",\"date\":");
		json_col(out, st, 1);
		ck_buf_puts(out, ",\"origin\":");
		json_col(out, st, 2);
		ck_buf_puts(out, ",\"subject\":");
		json_col(out, st, 3);
		ck_buf_putc(out, '}');
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ck_archive_sqlerr(a, rc, "reading citations");
	ck_buf_puts(out, "]}");
	return 0;
}

static int count_list(ck_archive *a, ck_buf *out, const char *key, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int rc, first = 1;
	if ((rc = prep(a, &st, sql)))
		return rc;
	ck_buf_printf(out, ",\"%s\":[", key);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!first)
			ck_buf_putc(out, ',');
		first = 0;
		ck_buf_putc(out, '[');
		json_col(out, st, 0);
		ck_buf_printf(out, ",%lld]", (long long)sqlite3_column_int64(st, 1));
	}
	sqlite3_finalize(st);
	ck_buf_putc(out, ']');
	return rc == SQLITE_DONE ? 0 : ck_archive_sqlerr(a, rc, "counting");
}

static long long count_of(ck_archive *a, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long n = -1;
	if (prep(a, &st, sql))
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int ck_archive_stats_json(ck_archive *a, ck_buf *out)
{
	int rc;
	long long cables = count_of(a, "SELECT count(*) FROM cable");
	long long versions = count_of(a, "SELECT count(*) FROM version");
	long long edges = count_of(a, "SELECT count(*) FROM edge WHERE dst IS NOT NULL");
	if (cables < 0 || versions < 0 || edges < 0)
		return ck_archive_sqlerr(a, sqlite3_errcode(a->db), "counting");
	ck_buf_printf(out, "{\"cables\":%lld,\"versions\":%lld,\"edges\":%lld", cables, versions, edges);
	if ((rc = count_list(a, out, "year", "SELECT year, count(*) n FROM cable WHERE year IS NOT NULL GROUP BY year ORDER BY n DESC, year")) ||
	    (rc = count_list(a, out, "origin", "SELECT origin, count(*) n FROM cable WHERE origin IS NOT NULL GROUP BY origin ORDER BY n DESC, origin")) ||
	    (rc = count_list(a, out, "marking", "SELECT marking, count(*) n FROM cable WHERE marking IS NOT NULL GROUP BY marking ORDER BY n DESC, marking")) ||
	    (rc = count_list(a, out, "tag", "SELECT tag, count(*) n FROM tag GROUP BY tag ORDER BY n DESC, tag")) ||
	    (rc = ck_portion_stats_json(a, out)))
		return rc;
	ck_buf_putc(out, '}');
	return 0;
}

int ck_archive_versions_json(ck_archive *a, const char *id, ck_buf *out)
{
	char canon[256];
	int rc, first = 1;
	sqlite3_stmt *st = NULL;
	if ((rc = cable_query(a, id, canon, sizeof canon,
			      "SELECT n, ingested, sha1, json FROM version WHERE cable=?1 ORDER BY n", &st)))
		return rc;
	ck_buf_putc(out, '[');
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ck_buf_printf(out, "%s{\"version\":%d,\"ingested\":", first ? "" : ",", sqlite3_column_int(st, 0));
		first = 0;
		json_col(out, st, 1);
		ck_buf_puts(out, ",\"sha1\":");
		json_col(out, st, 2);
		ck_buf_puts(out, ",\"cable\":");
		if (blob_col(out, st, 3)) {
			sqlite3_finalize(st);
			return CK_EIO;
		}
		ck_buf_putc(out, '}');
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ck_archive_sqlerr(a, rc, "reading versions");
	ck_buf_putc(out, ']');
	return 0;
}

int ck_archive_diff_text(ck_archive *a, const char *id, ck_buf *out)
{
	char canon[256];
	int rc;
	sqlite3_stmt *st = NULL;
	ck_buf prev = CK_BUF_INIT, cur = CK_BUF_INIT;
	char label_prev[320] = "", label_cur[320];
	int have_prev = 0;
	if ((rc = cable_query(a, id, canon, sizeof canon,
			      "SELECT n, ingested, raw, json FROM version WHERE cable=?1 ORDER BY n", &st)))
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ck_buf_clear(&cur);
		snprintf(label_cur, sizeof label_cur, "%s version %d (%s)", canon,
			 sqlite3_column_int(st, 0), (const char *)sqlite3_column_text(st, 1));
		if ((rc = raw_col(&cur, st, 2, 3)))
			goto cleanup;
		if (have_prev && (rc = ck_diff_lines(out, prev.ptr ? prev.ptr : "", cur.ptr ? cur.ptr : "",
						     label_prev, label_cur)))
			goto cleanup;
		ck_buf tmp = prev;
		prev = cur;
		cur = tmp;
		memcpy(label_prev, label_cur, sizeof label_prev);
		have_prev = 1;
	}
	rc = rc == SQLITE_DONE ? 0 : ck_archive_sqlerr(a, rc, "reading versions");
cleanup:
	sqlite3_finalize(st);
	ck_buf_free(&prev);
	ck_buf_free(&cur);
	return rc;
}

int ck_archive_each(ck_archive *a, const char *q, ck_json_fn fn, void *ctx)
{
	ck_query query = {0};
	ck_buf sql = CK_BUF_INIT, json = CK_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int rc;
	if ((rc = ck_query_compile(&query, q ? q : "")))
		return rc;
	/* CROSS JOIN keeps cable as the outer loop, walked in id order
	 * through its index: rows stream instead of being sorted in memory */
	ck_buf_puts(&sql, "SELECT v.json FROM cable c CROSS JOIN version v ON v.cable=c.rowid AND v.n=c.version WHERE ");
	if (query.match)
		ck_buf_puts(&sql, "c.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?) AND ");
	ck_buf_printf(&sql, "(%s) ORDER BY c.id", query.where.ptr);
	ck_archive_walking(a, 1);
	if ((rc = prep(a, &st, sql.ptr)))
		goto cleanup;
	ck_query_bind(&query, st, 1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ck_buf_clear(&json);
		if ((rc = blob_col(&json, st, 0)))
			goto cleanup;
		if (fn(json.ptr ? json.ptr : "", json.len, ctx)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : ck_archive_sqlerr(a, rc, "reading cables");
cleanup:
	sqlite3_finalize(st);
	ck_archive_walking(a, 0);
	ck_query_free(&query);
	ck_buf_free(&sql);
	ck_buf_free(&json);
	return rc;
}
