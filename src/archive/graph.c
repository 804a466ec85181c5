/*
 * graph.c - the citation graph of (part of) an archive, from the cable
 * columns and the edge table, for GraphML export.
 *
 * Reading it this way skips what the export of every other format pays:
 * unpacking and reading each cable's stored JSON.  One statement walks the
 * cables in the order they were stored, with their edges in reference
 * order (LEFT JOIN keeps the cable as the outer loop, so rows stream); a cited cable is looked up
 * as refs does (CK_SQL_EDGE_TARGET).  For the export of a query, whether
 * a cited archive cable is itself a hit is asked of a second statement,
 * once per such edge.
 */
#include "archive/archive.h"

#include <string.h>

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

int ck_archive_each_graph(ck_archive *a, const char *q, ck_graph_fn fn, void *ctx)
{
	ck_query query = {0};
	ck_buf sql = CK_BUF_INIT, hit_sql = CK_BUF_INIT;
	sqlite3_stmt *st = NULL, *hit = NULL;
	sqlite3_int64 last = 0;
	int rc, any = 0, selective;
	if ((rc = ck_query_compile(&query, q ? q : "")))
		return rc;
	selective = query.match || strcmp(query.where.ptr ? query.where.ptr : "1", "1");
	/* the target, as CK_SQL_EDGE_TARGET has it, with one index lookup
	 * when the cited id is a cable's (t), a second when it is an alias
	 * (al: aliases only name stored cables) */
	ck_buf_puts(&sql, "SELECT c.rowid, c.id, c.date, c.origin, c.marking, c.subject,"
			  " coalesce(t.id, al.id, e.dst), t.id IS NOT NULL OR al.id IS NOT NULL,"
			  " e.label, e.text, e.src IS NOT NULL"
			  " FROM cable c LEFT JOIN edge e ON e.src=c.rowid AND e.dst IS NOT NULL"
			  " LEFT JOIN cable t ON t.id=e.dst"
			  " LEFT JOIN alias al ON t.id IS NULL AND al.alias=e.dst"
			  " WHERE ");
	if (query.match)
		ck_buf_puts(&sql, "c.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?) AND ");
	/* in the order cables were stored: the table is read front to back
	 * (id order would visit its pages at random, and a walk's page cache
	 * is small: 0.25 -> 0.17 s at 10x the dev corpus) */
	ck_buf_printf(&sql, "(%s) ORDER BY c.rowid, e.seq", query.where.ptr);
	if (selective) {
		if (query.match)
			ck_buf_puts(&hit_sql, "SELECT 1 FROM cable c WHERE EXISTS(SELECT 1 FROM fts"
					      " WHERE fts MATCH ? AND fts.rowid=c.rowid) AND ");
		else
			ck_buf_puts(&hit_sql, "SELECT 1 FROM cable c WHERE ");
		ck_buf_printf(&hit_sql, "(%s) AND c.id=?", query.where.ptr);
	}
	if (!sql.ptr || (selective && !hit_sql.ptr)) {
		rc = ck_error_set(CK_ENOMEM, "out of memory");
		goto cleanup;
	}
	ck_archive_walking(a, 1);
	if ((rc = sqlite3_prepare_v2(a->db, sql.ptr, -1, &st, NULL)) != SQLITE_OK ||
	    (selective && (rc = sqlite3_prepare_v2(a->db, hit_sql.ptr, -1, &hit, NULL)) != SQLITE_OK)) {
		rc = ck_archive_sqlerr(a, rc, "prepare");
		goto cleanup;
	}
	ck_query_bind(&query, st, 1);
	int hit_id = selective ? ck_query_bind(&query, hit, 1) : 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 rowid = sqlite3_column_int64(st, 0);
		ck_graph_row r = {0};
		r.new_node = !any || rowid != last;
		any = 1;
		last = rowid;
		r.id = col(st, 1);
		r.date = col(st, 2);
		r.origin = col(st, 3);
		r.marking = col(st, 4);
		r.subject = col(st, 5);
		if (sqlite3_column_int(st, 10)) {
			r.target = col(st, 6);
			r.label = col(st, 8);
			r.text = col(st, 9);
			r.inside = sqlite3_column_int(st, 7);
			if (r.inside && hit) {
				sqlite3_reset(hit);
				sqlite3_bind_text(hit, hit_id, r.target, -1, SQLITE_STATIC);
				int h = sqlite3_step(hit);
				if (h != SQLITE_ROW && h != SQLITE_DONE) {
					rc = h;
					break;
				}
				r.inside = h == SQLITE_ROW ? 1 : 2;
			}
		}
		if (fn(&r, ctx)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : ck_archive_sqlerr(a, rc, "reading the citation graph");
cleanup:
	sqlite3_finalize(st);
	sqlite3_finalize(hit);
	ck_archive_walking(a, 0);
	ck_query_free(&query);
	ck_buf_free(&sql);
	ck_buf_free(&hit_sql);
	return rc;
}
