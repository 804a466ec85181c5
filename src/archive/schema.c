/*
 * schema.c - the archive's SQL: the tables and their migrations, and the
 * cached statements named by slot (enum ck_stmt_slot in archive.h).  The
 * SQL functions the index view reads its text through are in ftstext.c,
 * SQLite errors as CK_E* codes in sql.c.
 *
 * Near the bottom of src/archive/ for anything that holds a handle: id.c,
 * store.c, read.c, open.c, search.c and fieldidx.c call it; it calls
 * portion.c (a migration's backfill), ftstext.c and sql.c.
 */
#include "archive/archive.h"

#include <assert.h>
#include <stdio.h>

/* ---- tables and migrations ---------------------------------------------- */


/* migrations[i] takes the schema from user_version i to i+1; append only */
static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
	"CREATE TABLE cable("
	" rowid INTEGER PRIMARY KEY,"
	" id TEXT NOT NULL UNIQUE,"      /* canonical reference id */
	" version INTEGER NOT NULL,"     /* latest version number */
	" date TEXT, year TEXT, month TEXT,"
	" origin TEXT, sender TEXT, classification TEXT, marking TEXT,"
	" precedence TEXT, decl TEXT,"
	" tags TEXT,"                    /* tab-separated, for facets */
	" subject TEXT,"                 /* as written (since 2); FTS5 content via fts_content */
	" lead TEXT);"                   /* start of the body, for hits without a match */
	"CREATE INDEX cable_date ON cable(date);"
	"CREATE TABLE version("
	" cable INTEGER NOT NULL, n INTEGER NOT NULL, ingested TEXT NOT NULL,"
	" sha1 TEXT NOT NULL, json BLOB NOT NULL, raw BLOB,"
	" UNIQUE(cable, n));"
	"CREATE TABLE tag(tag TEXT NOT NULL, cable INTEGER NOT NULL, PRIMARY KEY(tag, cable)) WITHOUT ROWID;"
	"CREATE INDEX tag_cable ON tag(cable);"
	"CREATE TABLE caveat(caveat TEXT NOT NULL, cable INTEGER NOT NULL, PRIMARY KEY(caveat, cable)) WITHOUT ROWID;"
	"CREATE INDEX caveat_cable ON caveat(cable);"
	"CREATE TABLE signer(name TEXT NOT NULL, cable INTEGER NOT NULL, PRIMARY KEY(name, cable)) WITHOUT ROWID;"
	"CREATE INDEX signer_cable ON signer(cable);"
	"CREATE TABLE addressee(cable INTEGER NOT NULL, kind TEXT NOT NULL, route TEXT, name TEXT);"
	"CREATE INDEX addressee_cable ON addressee(cable);"
	"CREATE TABLE alias(alias TEXT PRIMARY KEY, id TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX alias_id ON alias(id);"
	"CREATE TABLE edge(src INTEGER NOT NULL, seq INTEGER NOT NULL, dst TEXT,"
	" label TEXT, text TEXT, PRIMARY KEY(src, seq)) WITHOUT ROWID;"
	"CREATE INDEX edge_dst ON edge(dst);"
	/* the index's content: the body is read out of the stored JSON, so the
	 * text is kept once (packed) */
	"CREATE VIEW fts_content AS SELECT c.rowid AS rid, c.subject AS subject,"
	" ck_body(v.json, v.raw) AS body FROM cable c"
	" JOIN version v ON v.cable=c.rowid AND v.n=c.version;"
	"CREATE VIRTUAL TABLE fts USING fts5(subject, body, content='fts_content',"
	" content_rowid='rid', tokenize='unicode61 remove_diacritics 2');"
	"INSERT INTO fts(fts, rank) VALUES('rank', 'bm25(10.0, 1.0)');"
	"INSERT INTO meta VALUES('created', strftime('%Y-%m-%dT%H:%M:%SZ','now'));",
	/* 1 -> 2: cable.subject holds the subject as written (it held the
	 * indexed form, redactions folded to U+2588, which search hits, refs
	 * and GraphML showed); the index reads its subject through
	 * ck_ftstext(), which gives back exactly the text indexed before */
	"DROP VIEW fts_content;"
	"CREATE VIEW fts_content AS SELECT c.rowid AS rid, ck_ftstext(c.subject) AS subject,"
	" coalesce(ck_body(v.json), ck_ftstext(ck_unpack(v.raw, v.json))) AS body FROM cable c"
	" JOIN version v ON v.cable=c.rowid AND v.n=c.version;"
	"UPDATE cable SET subject=(SELECT json_extract(ck_unpack(v.json), '$.subject') FROM version v"
	" WHERE v.cable=cable.rowid AND v.n=cable.version);",
	/* 2 -> 3: fields of 1970s telegrams and PlusD records, for search and
	 * facets (concept, drafter, office, current classification, review
	 * dates); cables stored before had none of them */
	"CREATE TABLE IF NOT EXISTS field(kind TEXT NOT NULL, value TEXT NOT NULL, cable INTEGER NOT NULL,"
	" PRIMARY KEY(kind, value, cable)) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS field_cable ON field(cable);",
	/* 3 -> 4: the index's words with their document counts (termstat.c),
	 * filled at the end of an ingest */
	"CREATE TABLE IF NOT EXISTS termstat(term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;",
	/* 4 -> 5: the paragraph index of portion markings (portion.c): one
	 * FTS5 row per marked paragraph, its text read out of the stored JSON;
	 * `para` its rowids and anchors, `portion` paragraphs per cable by
	 * level and caveats; filled by ck_portions_backfill */
	"CREATE TABLE IF NOT EXISTS para(rid INTEGER PRIMARY KEY, anchor TEXT);"
	"CREATE TABLE IF NOT EXISTS portion(cable INTEGER NOT NULL, level INTEGER NOT NULL, caveat INTEGER NOT NULL,"
	" n INTEGER NOT NULL, PRIMARY KEY(cable, level, caveat)) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS portion_level ON portion(level, cable);"
	"CREATE VIEW IF NOT EXISTS pfts_content AS SELECT p.rid AS rid, ck_para(v.json, p.rid & 1023) AS text FROM para p"
	" JOIN cable c ON c.rowid = (p.rid >> 14) & 1073741823 JOIN version v ON v.cable=c.rowid AND v.n=c.version;"
	"CREATE VIRTUAL TABLE IF NOT EXISTS pfts USING fts5(text, content='pfts_content', content_rowid='rid',"
	" tokenize='unicode61 remove_diacritics 2');"
	"INSERT INTO pfts(pfts) VALUES('delete-all'); DELETE FROM para; DELETE FROM portion;",
	/* 5 -> 6: champion lists (termstat.c): for each word of many cables,
	 * the rowids of its best hits by bm25, varints, best first; filled
	 * with the vocabulary table */
	"CREATE TABLE IF NOT EXISTS champion(term TEXT PRIMARY KEY, ids BLOB NOT NULL) WITHOUT ROWID;",
	/* 6 -> 7: people across cables (persons.c): each cable's person key
	 * with the person it is in and why; `pdirty` the surnames to group
	 * again (all of them here, grouped by the fill) */
	"CREATE TABLE IF NOT EXISTS pcable(person TEXT NOT NULL, cable INTEGER NOT NULL, key TEXT NOT NULL,"
	" why INTEGER NOT NULL, PRIMARY KEY(person, cable, key)) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS pcable_cable ON pcable(cable);"
	"CREATE TABLE IF NOT EXISTS pdirty(surname TEXT PRIMARY KEY) WITHOUT ROWID;"
	"INSERT OR IGNORE INTO pdirty SELECT " CK_SQL_SURNAME("value") " FROM field WHERE kind='person';",
};
/* what a migration does beyond its SQL (NULL: nothing) */
static int persons_fill(ck_archive *a)
{
	return ck_persons_resolve(a, NULL);
}
static int (*const migration_fill[])(ck_archive *) = {NULL, NULL, NULL, NULL, ck_portions_backfill, NULL, persons_fill};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))
_Static_assert(sizeof migrations / sizeof migrations[0] == CK_SCHEMA_VERSION,
	       "CK_SCHEMA_VERSION is the number of migrations");
_Static_assert(sizeof migration_fill / sizeof migration_fill[0] == CK_SCHEMA_VERSION,
	       "one migration_fill entry per migration");

static int user_version(ck_archive *a, int *out)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(a->db, "PRAGMA user_version", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : ck_archive_sqlerr(a, rc, "reading the schema version");
}

int ck_schema_upgrade(ck_archive *a)
{
	int v = 0, rc;
	if ((rc = ck_archive_exec(a, "BEGIN IMMEDIATE")))
		return rc;
	if ((rc = user_version(a, &v)))
		goto fail;
	if (v > NMIGRATIONS) {
		rc = ck_error_set(CK_EINVAL, "%s: archive schema %d is newer than this cablekit (%d)",
				  a->path, v, NMIGRATIONS);
		goto fail;
	}
	for (; v < NMIGRATIONS; v++) {
		char pragma[64];
		if ((rc = ck_archive_exec(a, migrations[v])) || (migration_fill[v] && (rc = migration_fill[v](a))))
			goto fail;
		snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", v + 1);
		if ((rc = ck_archive_exec(a, pragma)))
			goto fail;
	}
	return ck_archive_exec(a, "COMMIT");
fail:
	sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int ck_schema_check(ck_archive *a)
{
	int v = 0;
	if (user_version(a, &v))
		return ck_error_set(CK_EINVAL, "%s: not a cablekit archive (%s)", a->path, ck_error_last());
	if (v != NMIGRATIONS)
		return ck_error_set(CK_EINVAL, "%s: archive schema %d, this cablekit reads %d%s", a->path,
				    v, NMIGRATIONS, v < NMIGRATIONS ? " (run cablekit ingest to upgrade it)" : "");
	return 0;
}

/* ---- cached statements -------------------------------------------------- */

/* The SQL of each slot of ck_archive.cache (one slot per distinct text) */
static const char *const slot_sql[CK_ST_COUNT] = {
	[CK_ST_CABLE_ROW] = "SELECT rowid, version FROM cable WHERE id=?1",
	[CK_ST_VERSION_SAME] = "SELECT 1 FROM version WHERE cable=?1 AND sha1=?2",
	[CK_ST_VERSION_JSON] = "SELECT json FROM version WHERE cable=?1 AND n=?2",
	[CK_ST_ID_OF_CABLE] = "SELECT id FROM cable WHERE id=?1",
	[CK_ST_ID_OF_ALIAS] = "SELECT id FROM alias WHERE alias=?1",
	[CK_ST_ID_STORED] = "SELECT 1 FROM cable WHERE id=?1",
	[CK_ST_ID_OR_ALIAS_STORED] = "SELECT 1 FROM cable WHERE id=?1 UNION ALL SELECT 1 FROM alias WHERE alias=?1",
	/* external content: the old values must be given back exactly */
	[CK_ST_FTS_DELETE] = "INSERT INTO fts(fts, rowid, subject, body) "
			     "SELECT 'delete', rid, subject, body FROM fts_content WHERE rid=?1",
	[CK_ST_FTS_INSERT] = "INSERT INTO fts(rowid, subject, body) VALUES(?1, ?2, ?3)",
	[CK_ST_DEL_TAG] = "DELETE FROM tag WHERE cable=?1",
	[CK_ST_DEL_CAVEAT] = "DELETE FROM caveat WHERE cable=?1",
	[CK_ST_DEL_SIGNER] = "DELETE FROM signer WHERE cable=?1",
	[CK_ST_DEL_ADDRESSEE] = "DELETE FROM addressee WHERE cable=?1",
	[CK_ST_DEL_EDGE] = "DELETE FROM edge WHERE src=?1",
	[CK_ST_DEL_FIELD] = "DELETE FROM field WHERE cable=?1",
	/* ?1 rowid, ?2..?13 the filter columns (store.c bind_columns), ?14 version, ?15 id */
	[CK_ST_CABLE_UPDATE] = "UPDATE cable SET version=?14, date=?2, year=?3, month=?4, origin=?5,"
			       " sender=?6, classification=?7, marking=?8, precedence=?9, decl=?10,"
			       " tags=?11, subject=?12, lead=?13 WHERE rowid=?1",
	[CK_ST_CABLE_INSERT] = "INSERT INTO cable(rowid, id, version, date, year, month, origin, sender,"
			       " classification, marking, precedence, decl, tags, subject, lead)"
			       " VALUES(NULL, ?15, ?14, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[CK_ST_VERSION_INSERT] = "INSERT INTO version(cable, n, ingested, sha1, json, raw) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	[CK_ST_TAG_INSERT] = "INSERT OR IGNORE INTO tag(tag, cable) VALUES(?1, ?2)",
	[CK_ST_CAVEAT_INSERT] = "INSERT OR IGNORE INTO caveat(caveat, cable) VALUES(?1, ?2)",
	[CK_ST_SIGNER_INSERT] = "INSERT OR IGNORE INTO signer(name, cable) VALUES(?1, ?2)",
	[CK_ST_ADDRESSEE_INSERT] = "INSERT INTO addressee(cable, kind, route, name) VALUES(?1, ?2, ?3, ?4)",
	[CK_ST_EDGE_INSERT] = "INSERT INTO edge(src, seq, dst, label, text) VALUES(?1, ?2, ?3, ?4, ?5)",
	[CK_ST_ALIAS_INSERT] = "INSERT OR IGNORE INTO alias(alias, id) VALUES(?1, ?2)",
	[CK_ST_FIELD_INSERT] = "INSERT OR IGNORE INTO field(kind, value, cable) VALUES(?1, ?2, ?3)",
	/* id.c: references without a year: the edges to an id, with their text
	 * and the citing cable's id, then each one moved by its key */
	[CK_ST_RELINK_FIND] = "SELECT e.src, e.seq, e.text, c.id FROM edge e JOIN cable c ON c.rowid=e.src"
			      " WHERE e.dst=?1",
	[CK_ST_RELINK_MOVE] = "UPDATE edge SET dst=?3 WHERE src=?1 AND seq=?2",
	/* the persons' regrouping counts too (persons.c): a process's field
	 * index built between an ingest's last cables and its persons is stale */
	[CK_ST_GENERATION] = "SELECT max(rowid) + coalesce((SELECT CAST(value AS INTEGER) FROM meta"
			     " WHERE key='persons_gen'), 0) FROM version",
	[CK_ST_TERMSTAT_GEN] = "SELECT CAST(value AS INTEGER) FROM meta WHERE key='termstat_gen'",
	[CK_ST_VERSION_RAW] = "SELECT raw, json FROM version WHERE cable=?1 AND n=?2",
	[CK_ST_REFS_CITES] = "SELECT e.label, e.text, coalesce(t.id, e.dst), t.id IS NOT NULL, t.date, t.origin, t.subject"
			     " FROM edge e LEFT JOIN cable t ON t.id = " CK_SQL_EDGE_TARGET " WHERE e.src=?1 ORDER BY e.seq",
	[CK_ST_REFS_CITED_BY] = "SELECT s.id, s.date, s.origin, s.subject FROM cable s WHERE s.rowid IN"
				" (SELECT e.src FROM edge e WHERE e.dst=?1"
				"  OR e.dst IN (SELECT alias FROM alias WHERE id=?1))"
				" ORDER BY s.date, s.id",
	[CK_ST_VERSIONS] = "SELECT v.n, v.ingested, v.sha1, NULL FROM version v"
			   " JOIN cable c ON v.cable=c.rowid WHERE c.id=?1 ORDER BY v.n",
	[CK_ST_VERSIONS_SOURCES] = "SELECT v.n, v.ingested, v.sha1, v.json FROM version v"
				   " JOIN cable c ON v.cable=c.rowid WHERE c.id=?1 ORDER BY v.n",
	[CK_ST_VERSIONS_JSON] = "SELECT n, ingested, sha1, json FROM version WHERE cable=?1 ORDER BY n",
	[CK_ST_VERSIONS_RAW] = "SELECT n, ingested, raw, json FROM version WHERE cable=?1 ORDER BY n",
	[CK_ST_BEGIN] = "BEGIN",
	[CK_ST_COMMIT] = "COMMIT",
	[CK_ST_PDIRTY_ADD] = "INSERT OR IGNORE INTO pdirty(surname) VALUES(?1)",
	[CK_ST_PDIRTY_CABLE] = "INSERT OR IGNORE INTO pdirty(surname) SELECT " CK_SQL_SURNAME("value")
			       " FROM field WHERE kind='person' AND cable=?1",
	[CK_ST_NEWER] = "SELECT date, id FROM cable WHERE rowid=?1",
};
_Static_assert(CK_ST_COUNT <= CK_STMT_PORTION, "the named slots end before portion.c's");

/* A cached prepared statement, reset and ready to bind. */
sqlite3_stmt *ck_archive_stmt(ck_archive *a, enum ck_stmt_slot i)
{
	assert(i >= 0 && i < CK_ST_COUNT && slot_sql[i]); /* every slot has its SQL */
	sqlite3_stmt *st = a->cache[i];
	if (st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return st;
	}
	int rc = sqlite3_prepare_v3(a->db, slot_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		ck_archive_sqlerr(a, rc, "prepare");
		return NULL;
	}
	a->cache[i] = st;
	return st;
}

long long ck_archive_scalar(ck_archive *a, enum ck_stmt_slot slot)
{
	sqlite3_stmt *st = ck_archive_stmt(a, slot);
	long long v = -1;
	if (st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	if (st)
		sqlite3_reset(st);
	return v;
}

void ck_archive_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

int ck_archive_step(ck_archive *a, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return ck_archive_sqlerr(a, rc, what);
	return 0;
}
