/*
 * store.c - the archive file: schema and migrations, storing one parsed
 * cable (versions, facets, citation edges, full-text index), and the
 * read-side API (a cable, its references, versions, diff, statistics,
 * id resolution, streaming every cable).
 *
 * One SQLite file in WAL mode: one writer (ingest) and any number of
 * readers (search, serve) at once.  Each version keeps the contract JSON
 * and the telegram text whole (packed, see blob.c); the `cable` row holds
 * the latest version's filter and facet columns and the text the FTS5
 * index is built from (external content, so the text is stored once).
 * Citation edges keep the target id as text, so a reference to a cable
 * not yet in the archive links up, at query time, when it arrives.
 */
#include "archive/archive.h"
#include "util/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- schema and migrations --------------------------------------------- */

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
};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))
_Static_assert(sizeof migrations / sizeof migrations[0] == CK_SCHEMA_VERSION,
	       "CK_SCHEMA_VERSION is the number of migrations");

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

/* SQL ck_unpack(blob[, json]): the text of a packed blob; a telegram text
 * packed against its body ('R') needs the version's JSON blob too */
static void sql_unpack(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	ck_buf b = CK_BUF_INIT;
	const void *p = sqlite3_value_blob(argv[0]);
	int n = sqlite3_value_bytes(argv[0]);
	(void)argc;
	if (!p || n <= 0) {
		sqlite3_result_null(cx);
		return;
	}
	const void *j = argc > 1 ? sqlite3_value_blob(argv[1]) : NULL;
	int jn = argc > 1 ? sqlite3_value_bytes(argv[1]) : 0;
	if (ck_blob_unpack_raw(&b, p, (size_t)n, j, (size_t)(jn > 0 ? jn : 0))) {
		ck_buf_free(&b);
		sqlite3_result_error(cx, ck_error_last(), -1);
		return;
	}
	sqlite3_result_text(cx, b.ptr ? b.ptr : "", (int)b.len, b.ptr ? free : SQLITE_STATIC);
}

static void sql_body(sqlite3_context *cx, int argc, sqlite3_value **argv);
static void sql_ftstext(sqlite3_context *cx, int argc, sqlite3_value **argv);

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int on_progress(void *ctx)
{
	ck_archive *a = ctx;
	return a->deadline_ms && now_ms() > a->deadline_ms;
}

void ck_archive_deadline(ck_archive *a, int ms)
{
	a->deadline_ms = ms > 0 ? now_ms() + ms : 0;
}

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

static int migrate(ck_archive *a)
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
		if ((rc = ck_archive_exec(a, migrations[v])))
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

int ck_archive_open(ck_archive **out, const char *path, int flags)
{
	ck_archive *a = NULL;
	int rc;
	*out = NULL;
	if (!path || !*path)
		return ck_error_set(CK_EINVAL, "archive: no path given");
	if (!(a = calloc(1, sizeof *a)) || !(a->path = strdup(path))) {
		free(a);
		return ck_error_set(CK_ENOMEM, "out of memory");
	}
	a->writable = flags & CK_ARCHIVE_WRITE;
	int oflags = a->writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
	rc = sqlite3_open_v2(path, &a->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		if (!a->writable)
			rc = ck_error_set(CK_ENOTFOUND, "%s: no archive here (cablekit ingest makes one)", path);
		else
			rc = ck_archive_sqlerr(a, rc, path);
		goto fail;
	}
	sqlite3_busy_timeout(a->db, 10000);
	sqlite3_create_function(a->db, "ck_unpack", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
				NULL, sql_unpack, NULL, NULL);
	/* ck_body: any arity (schema 1's view, which the migration drops,
	 * passed the telegram text too) */
	sqlite3_create_function(a->db, "ck_body", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
				NULL, sql_body, NULL, NULL);
	sqlite3_create_function(a->db, "ck_ftstext", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
				NULL, sql_ftstext, NULL, NULL);
	sqlite3_progress_handler(a->db, 2000, on_progress, a);
	ck_snippet_register(a->db); /* search fails clearly without it */
	ck_archive_register_refyear(a->db);
	ck_fidx_register(a->db);
	if (a->writable) {
		/* page_size only takes on a new file; fewer checkpoints (each one
		 * copies pages back and syncs) make bulk ingest cheaper */
		if ((rc = ck_archive_exec(a, "PRAGMA page_size=8192; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
					     "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
					     "PRAGMA wal_autocheckpoint=" CK_WAL_AUTOCHECKPOINT)))
			goto fail;
		if ((rc = migrate(a)))
			goto fail;
	} else {
		int v = 0;
		if ((rc = user_version(a, &v))) {
			rc = ck_error_set(CK_EINVAL, "%s: not a cablekit archive (%s)", path, ck_error_last());
			goto fail;
		}
		if (v != NMIGRATIONS) {
			rc = ck_error_set(CK_EINVAL, "%s: archive schema %d, this cablekit reads %d%s", path,
					  v, NMIGRATIONS, v < NMIGRATIONS ? " (run cablekit ingest to upgrade it)" : "");
			goto fail;
		}
		/* readers map the file: pages are read without a copy per read */
		ck_archive_exec(a, "PRAGMA temp_store=MEMORY");
		ck_archive_walking(a, 0);
	}
	*out = a;
	return 0;
fail:
	ck_archive_close(a);
	return rc;
}

void ck_archive_walking(ck_archive *a, int on)
{
	/* a walk over the whole archive would map (and keep resident) every
	 * page it reads: it reads through a small page cache instead (pages
	 * are visited once; the cache keeps the b-tree's inner pages) */
	if (!a->writable)
		ck_archive_exec(a, on ? "PRAGMA mmap_size=0; PRAGMA cache_size=-4096"
				      : "PRAGMA mmap_size=1073741824; PRAGMA cache_size=-32768");
}

void ck_archive_close(ck_archive *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < sizeof a->cache / sizeof a->cache[0]; i++)
		sqlite3_finalize(a->cache[i]);
	if (a->db) {
		if (a->writable)
			sqlite3_exec(a->db, "PRAGMA optimize", NULL, NULL, NULL);
		sqlite3_close_v2(a->db);
	}
	free(a->path);
	free(a);
}

/* A cached prepared statement, reset and ready to bind. */
static sqlite3_stmt *stmt(ck_archive *a, int i, const char *sql)
{
	sqlite3_stmt *st = a->cache[i];
	if (st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return st;
	}
	int rc = sqlite3_prepare_v3(a->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		ck_archive_sqlerr(a, rc, "prepare");
		return NULL;
	}
	a->cache[i] = st;
	return st;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* ---- ids ------------------------------------------------------------------ */

char *ck_archive_canon_id(const char *id, char *buf, size_t bufsz)
{
	size_t k = 0;
	if (!bufsz)
		return buf;
	for (const char *p = id; p && *p && k + 1 < bufsz; p++)
		if (!isspace((unsigned char)*p))
			buf[k++] = (char)toupper((unsigned char)*p);
	buf[k] = 0;
	/* "09SECTION01OF03SANJOSE525" -> "09SANJOSE525" */
	char *s = strstr(buf, "SECTION");
	if (s && s > buf) {
		char *q = s + 7;
		while (isdigit((unsigned char)*q))
			q++;
		if (q > s + 7 && !strncmp(q, "OF", 2)) {
			q += 2;
			char *r = q;
			while (isdigit((unsigned char)*q))
				q++;
			if (q > r)
				memmove(s, q, strlen(q) + 1);
		}
	}
	/* leading zeros of the serial: 07ROME01497 -> 07ROME1497 */
	size_t n = strlen(buf), d = n;
	while (d > 0 && isdigit((unsigned char)buf[d - 1]))
		d--;
	if (d > 2 && d < n && isalpha((unsigned char)buf[d - 1])) {
		size_t z = d;
		while (z + 1 < n && buf[z] == '0')
			z++;
		if (z > d)
			memmove(buf + d, buf + z, n - z + 1);
	}
	return buf;
}

static int lookup_id(ck_archive *a, const char *id, char *buf, size_t bufsz)
{
	static const char *const sql[2] = {"SELECT id FROM cable WHERE id=?1",
					   "SELECT id FROM alias WHERE alias=?1"};
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *st = stmt(a, 20 + i, sql[i]);
		if (!st)
			return CK_EIO;
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			snprintf(buf, bufsz, "%s", (const char *)sqlite3_column_text(st, 0));
			sqlite3_reset(st);
			return 0;
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return ck_archive_sqlerr(a, rc, "resolving an id");
	}
	return CK_ENOTFOUND;
}

int ck_archive_resolve_id(ck_archive *a, const char *id, char *buf, size_t bufsz)
{
	char canon[256];
	int rc;
	if (!id || !*id || strlen(id) > 200)
		return ck_error_set(CK_ENOTFOUND, "no cable \"%.200s\"", id ? id : "");
	if ((rc = lookup_id(a, id, buf, bufsz)) != CK_ENOTFOUND)
		return rc;
	ck_archive_canon_id(id, canon, sizeof canon);
	if (strcmp(canon, id) && (rc = lookup_id(a, canon, buf, bufsz)) != CK_ENOTFOUND)
		return rc;
	return ck_error_set(CK_ENOTFOUND, "no cable \"%s\" in the archive", id);
}

/* rowid and latest version of a resolved id */
static int find_cable(ck_archive *a, const char *id, char *canon, size_t csz,
		      sqlite3_int64 *rowid, int *version)
{
	int rc = ck_archive_resolve_id(a, id, canon, csz);
	if (rc)
		return rc;
	sqlite3_stmt *st = stmt(a, 22, "SELECT rowid, version FROM cable WHERE id=?1");
	if (!st)
		return CK_EIO;
	sqlite3_bind_text(st, 1, canon, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? ck_error_set(CK_ENOTFOUND, "no cable \"%s\"", id)
					 : ck_archive_sqlerr(a, rc, "finding a cable");
	}
	*rowid = sqlite3_column_int64(st, 0);
	*version = sqlite3_column_int(st, 1);
	sqlite3_reset(st);
	return 0;
}

/* ---- storing ------------------------------------------------------------ */

/* The text given to the full-text index: control bytes become spaces (so
 * the snippet delimiters \x01 \x02 cannot occur in it), and runs of five or
 * more X (redactions, "XXXXXXXXXXXX") become one U+2588 block, which the
 * unicode61 tokenizer treats as a separator: redactions are not indexed. */
static int fts_text(ck_buf *out, const char *s)
{
	/* bytes that may need a change: non-ASCII (checked as UTF-8), X (the
	 * start of a redaction run), control bytes but newline and tab */
	static const unsigned char special[256] = {
		[0 ... 8] = 1, [0x0b ... 0x1f] = 1, ['X'] = 1, [0x7f ... 0xff] = 1, /* not \t \n */
	};
	if (!s)
		return 0;
	size_t n = strlen(s), run = 0;
	if (ck_buf_grow(out, n + 1))
		return CK_ENOMEM;
	/* bytes that stay as they are are copied in runs */
#define FLUSH(i) do { ck_buf_put(out, s + run, (i) - run); } while (0)
	for (size_t i = 0; i < n;) {
		while (i < n && !special[(unsigned char)s[i]])
			i++;
		if (i == n)
			break;
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80) { /* invalid UTF-8 becomes U+FFFD: the JSON stays valid */
			size_t k = ck_utf8_valid((const unsigned char *)s + i, n - i);
			if (k) {
				i += k;
				continue;
			}
			FLUSH(i);
			ck_buf_puts(out, "\xEF\xBF\xBD");
			run = ++i;
			continue;
		}
		if (c == 'X') {
			size_t j = i;
			while (j < n && s[j] == 'X')
				j++;
			if (j - i >= 5 && (i == 0 || !isalnum((unsigned char)s[i - 1])) &&
			    (j == n || !isalnum((unsigned char)s[j]))) {
				FLUSH(i);
				ck_buf_puts(out, "\xE2\x96\x88");
				run = j;
			}
			i = j;
			continue;
		}
		FLUSH(i); /* a control byte */
		ck_buf_putc(out, ' ');
		run = ++i;
	}
	FLUSH(n);
#undef FLUSH
	return 0;
}


/* SQL ck_body(json): the body of a version's stored contract JSON as the
 * index holds it (fts_text), or NULL when it has none (the view then
 * indexes the telegram text: what ck_rec_prepare did). */
static void sql_body(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	ck_buf json = CK_BUF_INIT, text = CK_BUF_INIT, out = CK_BUF_INIT;
	const void *p = sqlite3_value_blob(argv[0]);
	int n = sqlite3_value_bytes(argv[0]);
	(void)argc;
	if (p && n > 0 && ck_blob_json_body(&json, p, (size_t)n) == 0) {
		/* a 'B' blob: the body's frame alone */
		if (ck_buf_putc(&json, '"') || ck_json_unescape(&text, json.ptr))
			ck_buf_clear(&text);
	} else if (p && n > 0 && ck_blob_unpack(&json, p, (size_t)n) == 0 && json.ptr) {
		const char *k = memmem(json.ptr, json.len, ",\"body\":\"", 9);
		if (k && ck_json_unescape(&text, k + 9))
			ck_buf_clear(&text);
	}
	if (text.len)
		fts_text(&out, text.ptr);
	ck_buf_free(&json);
	ck_buf_free(&text);
	if (out.len)
		sqlite3_result_text(cx, out.ptr, (int)out.len, free);
	else {
		ck_buf_free(&out);
		sqlite3_result_null(cx);
	}
}

/* SQL ck_ftstext(text): the text as the index holds it (fts_text) */
static void sql_ftstext(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	ck_buf out = CK_BUF_INIT;
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	(void)argc;
	if (s && fts_text(&out, s) == 0 && out.len) {
		sqlite3_result_text(cx, out.ptr, (int)out.len, free);
		return;
	}
	ck_buf_free(&out);
	sqlite3_result_null(cx);
}

int ck_rec_prepare(ck_rec *r, ck_cable *c)
{
	ck_buf json = CK_BUF_INIT;
	int rc = 0;
	memset(r, 0, sizeof *r);
	r->cable = c;
	const char *raw = c->raw ? c->raw : "";
	size_t rawlen = strlen(raw);
	r->bytes = (long long)rawlen;
	ck_text_hash(raw, rawlen, r->sha1);
	if ((rc = ck_cable_write_json(&json, c, 0)))
		goto cleanup;
	if ((rc = ck_blob_pack_json(&r->json, json.ptr ? json.ptr : "{}", json.ptr ? json.len : 2)) ||
	    (rc = ck_blob_pack_raw(&r->raw, raw, rawlen, json.ptr ? json.ptr : "{}", json.ptr ? json.len : 2,
				   &r->json)))
		goto cleanup;
	/* the body the parser found; the whole text while it finds none */
	if ((rc = fts_text(&r->subject, c->subject)) ||
	    (rc = fts_text(&r->body, c->body && *c->body ? c->body : raw)))
		goto cleanup;
cleanup:
	ck_buf_free(&json);
	return rc;
}

void ck_rec_free(ck_rec *r)
{
	if (!r)
		return;
	ck_cable_free(r->cable);
	ck_buf_free(&r->json);
	ck_buf_free(&r->raw);
	ck_buf_free(&r->subject);
	ck_buf_free(&r->body);
	memset(r, 0, sizeof *r);
}

static int step_done(ck_archive *a, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return ck_archive_sqlerr(a, rc, what);
	return 0;
}

static void iso_now(char buf[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* bind the filter columns of the cable row (?2..?13) */
static void bind_columns(sqlite3_stmt *st, const ck_rec *r, const char *tags)
{
	const ck_cable *c = r->cable;
	char year[5] = "", month[8] = "";
	if (c->date && strlen(c->date) >= 7 && isdigit((unsigned char)c->date[0])) {
		memcpy(year, c->date, 4);
		year[4] = 0;
		memcpy(month, c->date, 7);
		month[7] = 0;
	}
	bind_text(st, 2, c->date);
	bind_text(st, 3, year);
	bind_text(st, 4, month);
	bind_text(st, 5, c->origin);
	bind_text(st, 6, c->from);
	bind_text(st, 7, c->classification);
	bind_text(st, 8, c->marking);
	bind_text(st, 9, c->precedence);
	bind_text(st, 10, c->has_decl ? c->decl.date : NULL);
	bind_text(st, 11, tags);
	bind_text(st, 12, c->subject); /* as written; the index has r->subject */
	/* the first 300 bytes of the indexed body, cut on a UTF-8 boundary */
	size_t n = r->body.len < 300 ? r->body.len : 300;
	while (n > 0 && n < r->body.len && ((unsigned char)r->body.ptr[n] & 0xC0) == 0x80)
		n--;
	if (n)
		sqlite3_bind_text(st, 13, r->body.ptr, (int)n, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 13);
}

static int put_list(ck_archive *a, int cache, const char *sql, sqlite3_int64 rowid,
		    const ck_strv *v, int upper)
{
	for (size_t i = 0; i < v->n; i++) {
		char val[256];
		const char *s = v->v[i];
		if (!s || !*s)
			continue;
		snprintf(val, sizeof val, "%s", s);
		if (upper)
			for (char *p = val; *p; p++)
				*p = (char)toupper((unsigned char)*p);
		sqlite3_stmt *st = stmt(a, cache, sql);
		if (!st)
			return CK_EIO;
		sqlite3_bind_text(st, 1, val, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, rowid);
		int rc = step_done(a, st, "storing a facet");
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- 1970s telegrams and PlusD records ---------------------------------- */

/* One row of `field` (kind, value upper-cased, cable). */
static int put_field(ck_archive *a, sqlite3_int64 rowid, const char *kind, const char *v)
{
	char val[256];
	if (!v || !*v)
		return 0;
	snprintf(val, sizeof val, "%s", v);
	for (char *p = val; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	sqlite3_stmt *st = stmt(a, 25, "INSERT OR IGNORE INTO field(kind, value, cable) VALUES(?1, ?2, ?3)");
	if (!st)
		return CK_EIO;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, val, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, rowid);
	return step_done(a, st, "storing a field");
}

/* concept:, drafter:, office:, current:, review:, person: (DESIGN.md) */
static int put_fields(ck_archive *a, sqlite3_int64 rowid, const ck_cable *c)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < c->concepts.n; i++)
		rc = put_field(a, rowid, "concept", c->concepts.v[i]);
	if (!rc)
		rc = put_field(a, rowid, "drafter", c->drafter);
	if (!rc)
		rc = put_field(a, rowid, "office", c->office_action);
	if (!rc)
		rc = put_field(a, rowid, "office", c->office_origin);
	if (!rc)
		rc = put_field(a, rowid, "current", c->classification_current);
	for (size_t i = 0; !rc && i < c->nreview; i++)
		rc = put_field(a, rowid, "review", c->review[i].date);
	/* person: and the people facet (docs/people.md): the key as the
	 * parser wrote it, lower case ("prodi_romano") */
	for (size_t i = 0; !rc && i < c->npeople; i++) {
		const char *k = c->people[i].key;
		if (!k || !*k || strlen(k) > 200)
			continue;
		sqlite3_stmt *st = stmt(a, 18, "INSERT OR IGNORE INTO field(kind, value, cable) VALUES('person', ?1, ?2)");
		if (!st)
			return CK_EIO;
		sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, rowid);
		rc = step_done(a, st, "storing a person");
	}
	return rc;
}

/* The id a year earlier: "74STATE97844" -> "73STATE97844" (0 on success). */
static int year_before(const char *id, char *out, size_t outsz)
{
	if (strlen(id) >= outsz || !isdigit((unsigned char)id[0]) || !isdigit((unsigned char)id[1]) ||
	    isdigit((unsigned char)id[2]))
		return -1;
	int yy = (id[0] - '0') * 10 + (id[1] - '0');
	yy = (yy + 99) % 100;
	snprintf(out, outsz, "%02d%s", yy, id + 2);
	return 0;
}

/* Does the reference as written state its year (the id's "YY" as a word,
 * "(74)", or "1974")?  A reference without it took the citing cable's year. */
static int ref_says_year(const char *text, const char *id)
{
	if (!text)
		return 1;
	for (const char *p = text; *p;) {
		while (*p && !isdigit((unsigned char)*p))
			p++;
		const char *s = p;
		while (isdigit((unsigned char)*p))
			p++;
		size_t n = (size_t)(p - s);
		if ((n == 2 && !memcmp(s, id, 2)) ||
		    (n == 4 && (!memcmp(s, "19", 2) || !memcmp(s, "20", 2)) && !memcmp(s + 2, id, 2)))
			return 1;
	}
	return 0;
}

static int id_stored(ck_archive *a, const char *id, int alias_too)
{
	sqlite3_stmt *st = stmt(a, alias_too ? 26 : 27,
				alias_too ? "SELECT 1 FROM cable WHERE id=?1 UNION ALL SELECT 1 FROM alias WHERE alias=?1"
					  : "SELECT 1 FROM cable WHERE id=?1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* A reference without a year ("STATE 97844" in a 1974 cable) names the
 * citing cable's year; when the archive has no such cable but has the
 * same serial a year earlier, the edge points there (DESIGN.md: the refs
 * API marks it "inferred").  dst is rewritten in place. */
static int edge_year_before(ck_archive *a, const char *text, char *dst, size_t dstsz)
{
	char prev[256];
	if (ref_says_year(text, dst) || year_before(dst, prev, sizeof prev))
		return 0;
	int here = id_stored(a, dst, 1), there = here ? 0 : id_stored(a, prev, 0);
	if (here < 0 || there < 0)
		return CK_EIO;
	if (there)
		snprintf(dst, dstsz, "%s", prev);
	return 0;
}

/* After storing cable `id`: references without a year that name the year
 * after (and found nothing) now point here; references that were taken
 * to the year before because `id` was missing come back to it. */
static int relink_year_before(ck_archive *a, const char *id)
{
	char next[256], prev[256];
	int rc = 0;
	if (strlen(id) >= sizeof next || year_before(id, prev, sizeof prev))
		return 0;
	int yy = ((id[0] - '0') * 10 + (id[1] - '0') + 1) % 100;
	snprintf(next, sizeof next, "%02d%.250s", yy, id + 2);
	/* from the year after, when that cable is not stored */
	const char *pairs[2][2] = {{next, id}, {prev, id}};
	for (int k = 0; k < 2 && !rc; k++) {
		const char *from = pairs[k][0];
		if (k == 0 && id_stored(a, from, 1))
			continue;
		sqlite3_stmt *st = stmt(a, 28 + k,
					k == 0 ? "UPDATE edge SET dst=?2 WHERE dst=?1 AND NOT ck_ref_says_year(text, ?1)"
					       : "UPDATE edge SET dst=?2 WHERE dst=?1 AND NOT ck_ref_says_year(text, ?1)"
						 " AND substr((SELECT id FROM cable WHERE rowid=edge.src), 1, 2)=substr(?2, 1, 2)");
		if (!st)
			return CK_EIO;
		sqlite3_bind_text(st, 1, from, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, id, -1, SQLITE_TRANSIENT);
		rc = step_done(a, st, "linking references without a year");
	}
	return rc;
}

static void sql_ref_says_year(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *t = (const char *)sqlite3_value_text(argv[0]);
	const char *id = (const char *)sqlite3_value_text(argv[1]);
	sqlite3_result_int(ctx, !id || strlen(id) < 2 || ref_says_year(t, id));
}

int ck_archive_register_refyear(sqlite3 *db)
{
	return sqlite3_create_function(db, "ck_ref_says_year", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
				       sql_ref_says_year, NULL, NULL);
}

int ck_archive_ref_inferred(const char *text, const char *citing, const char *target)
{
	return citing && target && strlen(citing) > 2 && strlen(target) > 2 && !ref_says_year(text, target) &&
	       memcmp(citing, target, 2) != 0;
}

static int put_alias(ck_archive *a, const char *alias, const char *id)
{
	char canon[256];
	if (!alias || !*alias || strlen(alias) > 200)
		return 0;
	const char *forms[2] = {alias, ck_archive_canon_id(alias, canon, sizeof canon)};
	for (int i = 0; i < 2; i++) {
		if (!strcmp(forms[i], id) || (i == 1 && !strcmp(forms[1], forms[0])))
			continue;
		sqlite3_stmt *st = stmt(a, 10, "INSERT OR IGNORE INTO alias(alias, id) VALUES(?1, ?2)");
		if (!st)
			return CK_EIO;
		sqlite3_bind_text(st, 1, forms[i], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
		int rc = step_done(a, st, "storing an alias");
		if (rc)
			return rc;
	}
	return 0;
}

static int put_aliases(ck_archive *a, const ck_cable *c, const char *id)
{
	int rc;
	for (size_t i = 0; i < c->aliases.n; i++)
		if ((rc = put_alias(a, c->aliases.v[i], id)))
			return rc;
	if (c->id && strcmp(c->id, id) && (rc = put_alias(a, c->id, id)))
		return rc;
	return put_alias(a, c->source.meta_id, id);
}

static int put_addrs(ck_archive *a, sqlite3_int64 rowid, const char *kind,
		     const ck_addr *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *st = stmt(a, 11, "INSERT INTO addressee(cable, kind, route, name) VALUES(?1, ?2, ?3, ?4)");
		if (!st)
			return CK_EIO;
		sqlite3_bind_int64(st, 1, rowid);
		sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
		bind_text(st, 3, v[i].route);
		bind_text(st, 4, v[i].name);
		int rc = step_done(a, st, "storing an addressee");
		if (rc)
			return rc;
	}
	return 0;
}

int ck_archive_store(ck_archive *a, ck_rec *r, ck_ingest_stats *st_out)
{
	const ck_cable *c = r->cable;
	char id[256], when[32];
	ck_buf tags = CK_BUF_INIT;
	sqlite3_stmt *st;
	sqlite3_int64 rowid = 0;
	int version = 0, rc = 0, exists = 0;
	const char *rawid = c->id && *c->id ? c->id : c->source.meta_id;
	if (!rawid || !*rawid)
		return ck_error_set(CK_EINVAL, "no reference id found");
	if (strlen(rawid) > 200)
		return ck_error_set(CK_EINVAL, "reference id too long");
	snprintf(id, sizeof id, "%s", rawid);

	if (!(st = stmt(a, 0, "SELECT rowid, version FROM cable WHERE id=?1")))
		return CK_EIO;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		exists = 1;
		rowid = sqlite3_column_int64(st, 0);
		version = sqlite3_column_int(st, 1);
	} else if (rc != SQLITE_DONE) {
		sqlite3_reset(st);
		return ck_archive_sqlerr(a, rc, "looking up a cable");
	}
	sqlite3_reset(st);

	if (exists) {
		/* the same text as any stored version: nothing to do */
		if (!(st = stmt(a, 1, "SELECT 1 FROM version WHERE cable=?1 AND sha1=?2")))
			return CK_EIO;
		sqlite3_bind_int64(st, 1, rowid);
		sqlite3_bind_text(st, 2, r->sha1, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc == SQLITE_ROW) {
			st_out->unchanged++;
			return put_aliases(a, c, id);
		}
		if (rc != SQLITE_DONE)
			return ck_archive_sqlerr(a, rc, "looking up a version");
		/* take the old text out of the index (external content: the
		 * old values must be given back exactly) */
		if (!(st = stmt(a, 2, "INSERT INTO fts(fts, rowid, subject, body) "
				      "SELECT 'delete', rid, subject, body FROM fts_content WHERE rid=?1")))
			return CK_EIO;
		sqlite3_bind_int64(st, 1, rowid);
		if ((rc = step_done(a, st, "updating the index")))
			return rc;
		static const char *const del[] = {
			"DELETE FROM tag WHERE cable=?1", "DELETE FROM caveat WHERE cable=?1",
			"DELETE FROM signer WHERE cable=?1", "DELETE FROM addressee WHERE cable=?1",
			"DELETE FROM edge WHERE src=?1", "DELETE FROM field WHERE cable=?1"};
		for (int i = 0; i < 6; i++) {
			if (!(st = stmt(a, i < 5 ? 3 + i : 24, del[i])))
				return CK_EIO;
			sqlite3_bind_int64(st, 1, rowid);
			if ((rc = step_done(a, st, "updating a cable")))
				return rc;
		}
	}
	for (size_t i = 0; i < c->tags.n; i++) {
		if (!c->tags.v[i] || !*c->tags.v[i] || strchr(c->tags.v[i], '\t'))
			continue;
		if (tags.len)
			ck_buf_putc(&tags, '\t');
		for (const char *p = c->tags.v[i]; *p; p++)
			ck_buf_putc(&tags, toupper((unsigned char)*p));
	}
	version++;
	if (exists)
		st = stmt(a, 8, "UPDATE cable SET version=?14, date=?2, year=?3, month=?4, origin=?5,"
				" sender=?6, classification=?7, marking=?8, precedence=?9, decl=?10,"
				" tags=?11, subject=?12, lead=?13 WHERE rowid=?1");
	else
		st = stmt(a, 9, "INSERT INTO cable(rowid, id, version, date, year, month, origin, sender,"
				" classification, marking, precedence, decl, tags, subject, lead)"
				" VALUES(NULL, ?15, ?14, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
	if (!st) {
		rc = CK_EIO;
		goto cleanup;
	}
	if (exists)
		sqlite3_bind_int64(st, 1, rowid);
	bind_columns(st, r, tags.ptr);
	sqlite3_bind_int(st, 14, version);
	if (!exists)
		sqlite3_bind_text(st, 15, id, -1, SQLITE_STATIC);
	if ((rc = step_done(a, st, "storing a cable")))
		goto cleanup;
	if (!exists)
		rowid = sqlite3_last_insert_rowid(a->db);

	iso_now(when);
	if (!(st = stmt(a, 12, "INSERT INTO version(cable, n, ingested, sha1, json, raw) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"))) {
		rc = CK_EIO;
		goto cleanup;
	}
	sqlite3_bind_int64(st, 1, rowid);
	sqlite3_bind_int(st, 2, version);
	sqlite3_bind_text(st, 3, when, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->sha1, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 5, r->json.ptr, (int)r->json.len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 6, r->raw.ptr, (int)r->raw.len, SQLITE_STATIC);
	if ((rc = step_done(a, st, "storing a version")))
		goto cleanup;

	if (!(st = stmt(a, 13, "INSERT INTO fts(rowid, subject, body) VALUES(?1, ?2, ?3)"))) {
		rc = CK_EIO;
		goto cleanup;
	}
	sqlite3_bind_int64(st, 1, rowid);
	/* the record outlives the statement's step: no copy */
	if (r->subject.len)
		sqlite3_bind_text(st, 2, r->subject.ptr, (int)r->subject.len, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	if (r->body.len)
		sqlite3_bind_text(st, 3, r->body.ptr, (int)r->body.len, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	if ((rc = step_done(a, st, "indexing a cable")))
		goto cleanup;

	if ((rc = put_list(a, 14, "INSERT OR IGNORE INTO tag(tag, cable) VALUES(?1, ?2)", rowid, &c->tags, 1)) ||
	    (rc = put_list(a, 15, "INSERT OR IGNORE INTO caveat(caveat, cable) VALUES(?1, ?2)", rowid, &c->caveats, 1)) ||
	    (rc = put_list(a, 16, "INSERT OR IGNORE INTO signer(name, cable) VALUES(?1, ?2)", rowid, &c->signers, 1)) ||
	    (rc = put_addrs(a, rowid, "to", c->to, c->nto)) ||
	    (rc = put_addrs(a, rowid, "info", c->info, c->ninfo)))
		goto cleanup;
	for (size_t i = 0; i < c->nrefs; i++) {
		char dst[256];
		const ck_ref *ref = &c->refs[i];
		if (!(st = stmt(a, 17, "INSERT INTO edge(src, seq, dst, label, text) VALUES(?1, ?2, ?3, ?4, ?5)"))) {
			rc = CK_EIO;
			goto cleanup;
		}
		sqlite3_bind_int64(st, 1, rowid);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		const char *d = ref->id && *ref->id && strlen(ref->id) < 200
				     ? ck_archive_canon_id(ref->id, dst, sizeof dst) : NULL;
		if (d && (rc = edge_year_before(a, ref->text, dst, sizeof dst)))
			goto cleanup;
		bind_text(st, 3, d);
		bind_text(st, 4, ref->label);
		bind_text(st, 5, ref->text);
		if ((rc = step_done(a, st, "storing a reference")))
			goto cleanup;
	}
	if ((rc = put_aliases(a, c, id)) || (rc = put_fields(a, rowid, c)) ||
	    (rc = relink_year_before(a, id)))
		goto cleanup;
	if (exists)
		st_out->updated++;
	else
		st_out->added++;
cleanup:
	ck_buf_free(&tags);
	return rc;
}

/* ---- reading ------------------------------------------------------------ */

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

int ck_archive_cable_json(ck_archive *a, const char *id, ck_buf *out)
{
	char canon[256];
	sqlite3_int64 rowid;
	int version, rc;
	if ((rc = find_cable(a, id, canon, sizeof canon, &rowid, &version)))
		return rc;
	sqlite3_stmt *st = stmt(a, 23, "SELECT json FROM version WHERE cable=?1 AND n=?2");
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
	sqlite3_int64 rowid;
	int version, rc;
	sqlite3_stmt *st = NULL;
	if ((rc = find_cable(a, id, canon, sizeof canon, &rowid, &version)))
		return rc;
	if ((rc = prep(a, &st, "SELECT raw, json FROM version WHERE cable=?1 AND n=?2")))
		return rc;
	sqlite3_bind_int64(st, 1, rowid);
	sqlite3_bind_int(st, 2, version);
	rc = sqlite3_step(st);
	rc = rc == SQLITE_ROW ? raw_col(out, st, 0, 1) : ck_archive_sqlerr(a, rc, "reading a cable");
	sqlite3_finalize(st);
	return rc;
}

int ck_archive_refs_json(ck_archive *a, const char *id, ck_buf *out)
{
	char canon[256];
	sqlite3_int64 rowid;
	int version, rc, first = 1;
	sqlite3_stmt *st = NULL;
	if ((rc = find_cable(a, id, canon, sizeof canon, &rowid, &version)))
		return rc;
	if ((rc = prep(a, &st,
		       "SELECT e.label, e.text, coalesce(t.id, e.dst), t.id IS NOT NULL, t.date, t.origin, t.subject"
		       " FROM edge e LEFT JOIN cable t ON t.id = " CK_SQL_EDGE_TARGET
		       " WHERE e.src=?1 ORDER BY e.seq")))
		return rc;
	sqlite3_bind_int64(st, 1, rowid);
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
	    (rc = count_list(a, out, "tag", "SELECT tag, count(*) n FROM tag GROUP BY tag ORDER BY n DESC, tag")))
		return rc;
	ck_buf_putc(out, '}');
	return 0;
}

int ck_archive_versions_json(ck_archive *a, const char *id, ck_buf *out)
{
	char canon[256];
	sqlite3_int64 rowid;
	int version, rc, first = 1;
	sqlite3_stmt *st = NULL;
	if ((rc = find_cable(a, id, canon, sizeof canon, &rowid, &version)))
		return rc;
	if ((rc = prep(a, &st, "SELECT n, ingested, sha1, json FROM version WHERE cable=?1 ORDER BY n")))
		return rc;
	sqlite3_bind_int64(st, 1, rowid);
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
	sqlite3_int64 rowid;
	int version, rc;
	sqlite3_stmt *st = NULL;
	ck_buf prev = CK_BUF_INIT, cur = CK_BUF_INIT;
	char label_prev[320] = "", label_cur[320];
	int have_prev = 0;
	if ((rc = find_cable(a, id, canon, sizeof canon, &rowid, &version)))
		return rc;
	if ((rc = prep(a, &st, "SELECT n, ingested, raw, json FROM version WHERE cable=?1 ORDER BY n")))
		return rc;
	sqlite3_bind_int64(st, 1, rowid);
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
