/*
 * sql.c - the two SQLite helpers every archive file uses: an SQLite result
 * code turned into the library's error (CK_EBUSY for a locked archive,
 * CK_ENOMEM, CK_ELIMIT for an interrupted query, CK_EIO for the rest, with
 * SQLite's message), and running a script of SQL.  Below the schema, the
 * migrations and the readers, so that they all call down to it.
 */
#include "archive/archive.h"

int ck_archive_sqlerr(ck_archive *a, int rc, const char *what)
{
	const char *msg = a && a->db ? sqlite3_errmsg(a->db) : sqlite3_errstr(rc);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return ck_error_set(CK_EBUSY, "%s: archive is locked (%s)", what, msg);
	if (rc == SQLITE_NOMEM)
		return ck_error_set(CK_ENOMEM, "%s: out of memory", what);
	if (rc == SQLITE_INTERRUPT)
		return ck_error_set(CK_ELIMIT, "%s: took too long, stopped", what);
	return ck_error_set(CK_EIO, "%s: %s", what, msg);
}

int ck_archive_exec(ck_archive *a, const char *sql)
{
	char *err = NULL;
	int rc = sqlite3_exec(a->db, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK) {
		rc = ck_archive_sqlerr(a, rc, err ? err : "sql");
		sqlite3_free(err);
		return rc;
	}
	return 0;
}
