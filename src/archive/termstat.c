/*
 * termstat.c - the index's vocabulary with each word's document count, for
 * the two things FTS5 cannot do cheaply at Cablegate size:
 *
 * - the exact total of a one-word query: FTS5 counts a doclist by walking
 *   it (positions and all), ~0.3 us a hit: 40 ms for "minister", which 55%
 *   of 250,000 cables hold.  Here it is one b-tree lookup.
 * - a prefix query: FTS5 merges the doclists of every word under "elect*"
 *   into one buffer before it yields a hit, and again for every statement
 *   that runs the query (each snippet, each sample window): 2-5 s at 250k.
 *   Here "elect*" becomes the OR of the words the vocabulary holds under
 *   it, which FTS5 walks lazily and stops early.
 *
 * - relevance over a large result: bm25 scores every hit (~1.5 us each),
 *   too slow over 100,000 hits.  For each word of more than CK_CHAMPION_DF
 *   cables, the `champion` table keeps the rowids of its CK_CHAMPIONS best
 *   hits by bm25 (computed here, once, over every hit), so a one-word query
 *   shows its exact top by relevance at once (search.c, champion_page).
 *
 * The tables are rebuilt at the end of an ingest that changed the archive
 * (one pass over fts5vocab; ~5 s of CPU at 250,000 cables), or updated
 * when it changed few cables (below, "the vocabulary updated"), and are stamped
 * with the archive's generation (max version rowid).  A reader uses it only
 * while the stamp matches, so it is never stale: an archive written by an
 * older cablekit, or one below CK_TERMSTAT_MIN cables (where counting is
 * cheap), has none, and search counts as before.
 */
#include "archive/archive.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* cables below which the archive keeps no vocabulary table */
#define CK_TERMSTAT_MIN 20000
/* words a prefix may stand for before it is left to FTS5 */
#define CK_PREFIX_WORDS_MAX 256
/* leaf pages a merge step writes (~4 KB each: a 64 MB transaction), and
 * the most steps one rebuild takes (far beyond 2.5 million cables) */
#define CK_MERGE_PAGES 16000
#define CK_MERGE_STEPS_MAX 100000

static long long scalar(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* the cables from which the archive keeps the tables (tests lower it) */
static long long termstat_min(void)
{
	const char *e = getenv("CK_TERMSTAT_MIN");
	return e && atoll(e) >= 0 ? atoll(e) : CK_TERMSTAT_MIN;
}

/* the word count above which a word gets a champion list (tests lower it) */
static long long champion_df(void)
{
	const char *e = getenv("CK_CHAMPION_DF");
	return e && atoll(e) > 0 ? atoll(e) : CK_CHAMPION_DF;
}

/* The whole index merged into one segment, as 'optimize' does, but in
 * steps of CK_MERGE_PAGES leaf pages, each its own transaction: 'optimize'
 * is one transaction that rewrites the whole index, so the WAL grew to
 * about twice the index (10 GB at 250,000 cables) before one checkpoint
 * could copy it back.  A step that finds nothing to merge changes fewer
 * than 2 rows (the FTS5 documentation's test); the step count is bounded
 * all the same. */
static int merge_index(ck_archive *a)
{
	char sql[96];
	snprintf(sql, sizeof sql, "INSERT INTO fts(fts, rank) VALUES('merge', %d)", -CK_MERGE_PAGES);
	for (int i = 0; i < CK_MERGE_STEPS_MAX; i++) {
		sqlite3_int64 before = sqlite3_total_changes64(a->db);
		int rc = ck_archive_exec(a, sql);
		if (rc)
			return rc;
		if (sqlite3_total_changes64(a->db) - before < 2)
			break;
	}
	return 0;
}

/* ---- the vocabulary updated by an ingest's changes ----------------------
 *
 * A rebuild reads the whole index (fts5vocab) and ranks every hit of each
 * frequent word for its champion list: at 40,000 cables an ingest of one
 * cable took 64 s, and at 2.5 million it would take many minutes.  While
 * an ingest changes few cables (a twentieth of the archive at most), it
 * keeps their new texts (plus) and the old texts of those it replaces
 * (minus) in two temporary FTS5 tables with the index's columns and
 * tokenizer, and their rowids.  At the end, each word's count moves by its
 * count in plus less its count in minus (exact: fts5vocab's counts add up
 * per cable), and only the words the changes touch get their champion
 * lists again: the old list and the changed cables, ranked anew by the
 * index's bm25 (one lookup each).  A cable outside both can move into a
 * list only through the small shift of the index's global statistics. */

#define DELTA_FTS "USING fts5(subject, body, content='', tokenize='unicode61 remove_diacritics 2')"

static void delta_drop(ck_archive *a)
{
	sqlite3_finalize(a->delta_plus);
	sqlite3_finalize(a->delta_minus);
	sqlite3_finalize(a->delta_cable);
	a->delta_plus = a->delta_minus = a->delta_cable = NULL;
	a->delta_n = a->delta_max = 0;
	sqlite3_exec(a->db, "DROP TABLE IF EXISTS temp.ck_dplus; DROP TABLE IF EXISTS temp.ck_dminus;"
			    "DROP TABLE IF EXISTS temp.ck_dmap",
		     NULL, NULL, NULL);
}

void ck_termstat_delta_end(ck_archive *a)
{
	if (a->delta_cable || a->delta_plus || a->delta_minus)
		delta_drop(a);
}

int ck_termstat_delta_begin(ck_archive *a)
{
	long long need = termstat_min(), n = scalar(a->db, "SELECT count(*) FROM cable");
	ck_termstat_delta_end(a);
	if (n < need || n < 20 || !ck_termstat_valid(a))
		return 0;
	int rc = sqlite3_exec(a->db,
			      "DROP TABLE IF EXISTS temp.ck_dplus; DROP TABLE IF EXISTS temp.ck_dminus;"
			      "DROP TABLE IF EXISTS temp.ck_dmap;"
			      "CREATE VIRTUAL TABLE temp.ck_dplus " DELTA_FTS ";"
			      "CREATE VIRTUAL TABLE temp.ck_dminus " DELTA_FTS ";"
			      "CREATE TABLE temp.ck_dmap(seq INTEGER PRIMARY KEY, rid INTEGER NOT NULL)",
			      NULL, NULL, NULL);
	if (rc || sqlite3_prepare_v2(a->db, "INSERT INTO temp.ck_dplus(rowid, subject, body) VALUES(?1, ?2, ?3)", -1,
				     &a->delta_plus, NULL) ||
	    sqlite3_prepare_v2(a->db,
			       "INSERT INTO temp.ck_dminus(rowid, subject, body) "
			       "SELECT ?2, subject, body FROM fts_content WHERE rid=?1",
			       -1, &a->delta_minus, NULL) ||
	    sqlite3_prepare_v2(a->db, "INSERT INTO temp.ck_dmap VALUES(?1, ?2)", -1, &a->delta_cable, NULL)) {
		delta_drop(a); /* no tracking: the rebuild is whole, as before */
		return 0;
	}
	a->delta_max = (long)(n / 20);
	return 0;
}

/* one more change noted; past delta_max the tracking stops */
static void delta_count(ck_archive *a)
{
	if (++a->delta_n > a->delta_max)
		delta_drop(a);
}

int ck_termstat_delta_plus(ck_archive *a, sqlite3_int64 rowid, const char *subject, size_t ns, const char *body,
			   size_t nb)
{
	if (!a->delta_plus)
		return 0;
	sqlite3_stmt *st = a->delta_plus;
	sqlite3_bind_int64(st, 1, a->delta_n + 1);
	if (ns)
		sqlite3_bind_text(st, 2, subject, (int)ns, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	if (nb)
		sqlite3_bind_text(st, 3, body, (int)nb, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_DONE) { /* which cable the text is */
		sqlite3_bind_int64(a->delta_cable, 1, a->delta_n + 1);
		sqlite3_bind_int64(a->delta_cable, 2, rowid);
		rc = sqlite3_step(a->delta_cable);
		sqlite3_reset(a->delta_cable);
	}
	if (rc != SQLITE_DONE)
		return ck_archive_sqlerr(a, rc, "noting a change");
	delta_count(a);
	return 0;
}

int ck_termstat_delta_minus(ck_archive *a, sqlite3_int64 rowid)
{
	if (!a->delta_minus)
		return 0;
	sqlite3_stmt *st = a->delta_minus;
	sqlite3_bind_int64(st, 1, rowid);
	sqlite3_bind_int64(st, 2, a->delta_n + 1);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ck_archive_sqlerr(a, rc, "noting a change");
	delta_count(a);
	return 0;
}

struct scored {
	double rank;
	sqlite3_int64 rowid;
};

static int by_rank(const void *x, const void *y)
{
	const struct scored *a = x, *b = y;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return a->rowid < b->rowid ? -1 : a->rowid > b->rowid;
}

struct tied {
	char *key; /* "DATE ID" (rank.c's ck_newer), NULL without a date */
	struct scored s;
};

static int by_newer(const void *x, const void *y)
{
	const struct tied *a = x, *b = y;
	if (!a->key || !b->key)
		return (a->key == NULL) - (b->key == NULL);
	return -strcmp(a->key, b->key);
}

/* Hits of equal scores in v[0..n) (sorted by rank) put newest first, as a
 * search orders them ("bm25, then newest"): the order SQLite or the rowids
 * gave them was the index's.  Ties across the end of a list stored from
 * FTS5's top CK_CHAMPIONS keep FTS5's choice of which of them it holds. */
static int order_ties(ck_archive *a, struct scored *v, int n)
{
	for (int i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && v[j].rank == v[i].rank;)
			j++;
		if (j - i < 2)
			continue;
		struct tied *t = calloc((size_t)(j - i), sizeof *t);
		sqlite3_stmt *st = ck_archive_stmt(a, CK_ST_NEWER);
		int rc = t && st ? 0 : SQLITE_NOMEM;
		for (int k = i; !rc && k < j; k++) {
			t[k - i].s = v[k];
			sqlite3_bind_int64(st, 1, v[k].rowid);
			if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL &&
			    !(t[k - i].key = sqlite3_mprintf("%s %s", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1))))
				rc = SQLITE_NOMEM;
			sqlite3_reset(st);
		}
		if (!rc) {
			qsort(t, (size_t)(j - i), sizeof *t, by_newer);
			for (int k = i; k < j; k++)
				v[k] = t[k - i].s;
		}
		for (int k = 0; t && k < j - i; k++)
			sqlite3_free(t[k].key);
		free(t);
		if (rc)
			return rc;
	}
	return SQLITE_OK;
}

/* The champion list of one word stored (in place of the old one): the
 * rowids of v, best first (equal scores newest first), at most
 * CK_CHAMPIONS. */
static int champion_put(ck_archive *a, sqlite3_stmt *ins, const char *term, struct scored *v, int n)
{
	int rc = order_ties(a, v, n);
	if (rc)
		return rc;
	unsigned char le[8 * CK_CHAMPIONS];
	if (n > CK_CHAMPIONS)
		n = CK_CHAMPIONS;
	for (int i = 0; i < n; i++)
		for (int k = 0; k < 8; k++)
			le[8 * i + k] = (unsigned char)((sqlite3_uint64)v[i].rowid >> (8 * k));
	sqlite3_reset(ins);
	sqlite3_bind_text(ins, 1, term, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob(ins, 2, le, 8 * n, SQLITE_TRANSIENT);
	rc = sqlite3_step(ins);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* the best CK_CHAMPIONS hits of the word (an FTS5 string) whose count is
 * dfs by bm25, over every hit, into v; returns an SQLite code */
static int champion_top(sqlite3_stmt *top, const ck_buf *q, const char *dfs, struct scored *v, int *n)
{
	sqlite3_reset(top);
	sqlite3_bind_text(top, 1, q->ptr, (int)q->len, SQLITE_STATIC);
	sqlite3_bind_int(top, 2, CK_CHAMPIONS);
	sqlite3_bind_text(top, 3, dfs, -1, SQLITE_TRANSIENT);
	int rc;
	*n = 0;
	while ((rc = sqlite3_step(top)) == SQLITE_ROW && *n < CK_CHAMPIONS)
		v[(*n)++] = (struct scored){sqlite3_column_double(top, 1), sqlite3_column_int64(top, 0)};
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/* ck_rank (rank.c) is FTS5's bm25 with the word's count given: FTS5's
 * `rank` counts it by walking the doclist first, and reads each row's
 * length with a statement on the docsize table (xColumnSize), where
 * ck_rank reads the lengths lent in a->rank_dlen */
#define CHAMPION_TOP_SQL "SELECT rowid, ck_rank(fts, ?3) AS r FROM fts WHERE fts MATCH ?1 ORDER BY r LIMIT ?2"

/* the champion list of every word of more than champion_df() cables: its
 * best CK_CHAMPIONS hits by the index's rank (bm25, subject x10), each
 * rowid as 8 bytes little-endian, best first */
static int champions_build(ck_archive *a)
{
	sqlite3_stmt *terms = NULL, *top = NULL, *ins = NULL;
	ck_buf q = CK_BUF_INIT;
	struct scored v[CK_CHAMPIONS];
	int rc, n;
	/* every row's length, read once (4 bytes a cable) instead of once a
	 * hit of each word: at 2.5M cables the words above the threshold
	 * hold hundreds of millions of hits */
	sqlite3_int64 top_rowid = scalar(a->db, "SELECT max(rowid) FROM cable");
	uint32_t *dlen = top_rowid >= 0 ? ck_rank_doclens(a, (size_t)top_rowid + 1) : NULL;
	a->rank_dlen = dlen;
	a->rank_ndlen = dlen ? (size_t)top_rowid + 1 : 0;
	if ((rc = sqlite3_prepare_v2(a->db, "SELECT term, df FROM termstat WHERE df > ?", -1, &terms, NULL)) ||
	    (rc = sqlite3_prepare_v2(a->db, CHAMPION_TOP_SQL, -1, &top, NULL)) ||
	    (rc = sqlite3_prepare_v2(a->db, "INSERT INTO champion(term, ids) VALUES(?, ?)", -1, &ins, NULL)))
		goto done;
	sqlite3_bind_int64(terms, 1, champion_df());
	while ((rc = sqlite3_step(terms)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(terms, 0);
		const char *dfs = (const char *)sqlite3_column_text(terms, 1);
		ck_buf_clear(&q);
		ck_fts_quote(&q, t);
		if ((rc = q.failed ? SQLITE_NOMEM : SQLITE_OK) || (rc = champion_top(top, &q, dfs, v, &n)) ||
		    (rc = champion_put(a, ins, t, v, n)))
			break;
	}
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
done:
	sqlite3_finalize(terms);
	sqlite3_finalize(top);
	sqlite3_finalize(ins);
	ck_buf_free(&q);
	a->rank_dlen = NULL;
	a->rank_ndlen = 0;
	free(dlen);
	return rc == SQLITE_OK ? 0 : ck_archive_sqlerr(a, rc, "champion lists");
}

/* rowids in order, each once (n back) */
static int by_rowid(const void *x, const void *y)
{
	sqlite3_int64 a = *(const sqlite3_int64 *)x, b = *(const sqlite3_int64 *)y;
	return a < b ? -1 : a > b;
}

/* The champion lists of the words the changes touched: each word above
 * the threshold ranks its old list and the changed cables whose new text
 * holds it again (a word new to the threshold ranks every hit); a word at
 * or below it loses its list. */
static int champions_delta(ck_archive *a)
{
	sqlite3_stmt *terms = NULL, *old = NULL, *hit = NULL, *score = NULL, *top = NULL, *ins = NULL, *del = NULL;
	ck_buf q = CK_BUF_INIT, cand = CK_BUF_INIT;
	struct scored *v = NULL;
	size_t cap = 0;
	int rc, n;
	if ((rc = sqlite3_prepare_v2(a->db,
				     "SELECT d.term, coalesce(t.df, 0) FROM temp.ck_dterm d LEFT JOIN termstat t USING(term)",
				     -1, &terms, NULL)) ||
	    (rc = sqlite3_prepare_v2(a->db, "SELECT ids FROM champion WHERE term=?", -1, &old, NULL)) ||
	    (rc = sqlite3_prepare_v2(a->db,
				     "SELECT m.rid FROM temp.ck_dplus p JOIN temp.ck_dmap m ON m.seq=p.rowid"
				     " WHERE ck_dplus MATCH ?",
				     -1, &hit, NULL)) ||
	    /* FTS5's bm25 walks the word's whole doclist on each statement to
	     * count it: ck_rank (rank.c) takes the count, the same order */
	    (rc = sqlite3_prepare_v2(a->db, "SELECT ck_rank(fts, ?3) FROM fts WHERE fts MATCH ?1 AND rowid=?2", -1,
				     &score, NULL)) ||
	    (rc = sqlite3_prepare_v2(a->db, CHAMPION_TOP_SQL, -1, &top, NULL)) ||
	    (rc = sqlite3_prepare_v2(a->db, "INSERT OR REPLACE INTO champion(term, ids) VALUES(?, ?)", -1, &ins, NULL)) ||
	    (rc = sqlite3_prepare_v2(a->db, "DELETE FROM champion WHERE term=?", -1, &del, NULL)))
		goto done;
	long long thr = champion_df();
	while ((rc = sqlite3_step(terms)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(terms, 0);
		long long df = sqlite3_column_int64(terms, 1);
		char dfs[24];
		snprintf(dfs, sizeof dfs, "%lld", df);
		if (df <= thr) {
			sqlite3_reset(del);
			sqlite3_bind_text(del, 1, t, -1, SQLITE_STATIC);
			if ((rc = sqlite3_step(del)) != SQLITE_DONE)
				break;
			continue;
		}
		ck_buf_clear(&q);
		ck_fts_quote(&q, t);
		if (q.failed) {
			rc = SQLITE_NOMEM;
			break;
		}
		sqlite3_reset(old);
		sqlite3_bind_text(old, 1, t, -1, SQLITE_STATIC);
		rc = sqlite3_step(old);
		if (rc == SQLITE_DONE) { /* new to the threshold: every hit */
			if (cap < CK_CHAMPIONS && !(v = realloc(v, (cap = CK_CHAMPIONS) * sizeof *v))) {
				rc = SQLITE_NOMEM;
				break;
			}
			if ((rc = champion_top(top, &q, dfs, v, &n)) || (rc = champion_put(a, ins, t, v, n)))
				break;
			continue;
		}
		if (rc != SQLITE_ROW)
			break;
		/* the candidates: the old list, and the changed cables that hold the word */
		ck_buf_clear(&cand);
		const unsigned char *b = sqlite3_column_blob(old, 0);
		int nb = sqlite3_column_bytes(old, 0) / 8;
		for (int i = 0; i < nb; i++) {
			sqlite3_uint64 r = 0;
			for (int k = 0; k < 8; k++)
				r |= (sqlite3_uint64)b[8 * i + k] << (8 * k);
			sqlite3_int64 x = (sqlite3_int64)r;
			ck_buf_put(&cand, (const char *)&x, sizeof x);
		}
		sqlite3_reset(hit);
		sqlite3_bind_text(hit, 1, q.ptr, (int)q.len, SQLITE_STATIC);
		while ((rc = sqlite3_step(hit)) == SQLITE_ROW) {
			sqlite3_int64 x = sqlite3_column_int64(hit, 0);
			ck_buf_put(&cand, (const char *)&x, sizeof x);
		}
		if (rc != SQLITE_DONE)
			break;
		if (cand.failed) {
			rc = SQLITE_NOMEM;
			break;
		}
		sqlite3_int64 *c = (sqlite3_int64 *)cand.ptr;
		size_t nc = cand.len / sizeof *c;
		if (nc > cap && !(v = realloc(v, (cap = nc) * sizeof *v))) {
			rc = SQLITE_NOMEM;
			break;
		}
		qsort(c, nc, sizeof *c, by_rowid);
		n = 0;
		for (size_t i = 0; i < nc; i++) {
			if (i && c[i] == c[i - 1])
				continue;
			sqlite3_reset(score);
			sqlite3_bind_text(score, 1, q.ptr, (int)q.len, SQLITE_STATIC);
			sqlite3_bind_int64(score, 2, c[i]);
			sqlite3_bind_text(score, 3, dfs, -1, SQLITE_STATIC);
			if ((rc = sqlite3_step(score)) == SQLITE_ROW) /* none: the cable lost the word */
				v[n++] = (struct scored){sqlite3_column_double(score, 0), c[i]};
			else if (rc != SQLITE_DONE)
				break;
		}
		if (rc != SQLITE_DONE && rc != SQLITE_ROW)
			break;
		qsort(v, (size_t)n, sizeof *v, by_rank);
		if ((rc = champion_put(a, ins, t, v, n)))
			break;
	}
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
done:
	free(v);
	sqlite3_finalize(terms);
	sqlite3_finalize(old);
	sqlite3_finalize(hit);
	sqlite3_finalize(score);
	sqlite3_finalize(top);
	sqlite3_finalize(ins);
	sqlite3_finalize(del);
	ck_buf_free(&q);
	ck_buf_free(&cand);
	return rc;
}

/* The counts moved by the changes (plus - minus, per word), then the
 * champion lists of the words they touched; in the caller's transaction. */
static int termstat_delta(ck_archive *a)
{
	int rc = ck_archive_exec(
		a, "CREATE VIRTUAL TABLE temp.ck_vplus USING fts5vocab(temp, ck_dplus, row);"
		   "CREATE VIRTUAL TABLE temp.ck_vminus USING fts5vocab(temp, ck_dminus, row);"
		   "CREATE TABLE temp.ck_dterm(term TEXT PRIMARY KEY, d INTEGER NOT NULL) WITHOUT ROWID;"
		   "INSERT INTO temp.ck_dterm SELECT term, doc FROM temp.ck_vplus;"
		   "INSERT INTO temp.ck_dterm SELECT term, -doc FROM temp.ck_vminus WHERE 1"
		   " ON CONFLICT(term) DO UPDATE SET d = d + excluded.d;"
		   "INSERT INTO termstat(term, df) SELECT term, d FROM temp.ck_dterm WHERE d <> 0"
		   " ON CONFLICT(term) DO UPDATE SET df = df + excluded.df;"
		   "DELETE FROM termstat WHERE df <= 0 AND term IN (SELECT term FROM temp.ck_dterm);");
	if (!rc && (rc = champions_delta(a)))
		rc = ck_archive_sqlerr(a, rc, "champion lists");
	sqlite3_exec(a->db, "DROP TABLE IF EXISTS temp.ck_vplus; DROP TABLE IF EXISTS temp.ck_vminus;"
			    "DROP TABLE IF EXISTS temp.ck_dterm",
		     NULL, NULL, NULL);
	return rc;
}

int ck_termstat_rebuild(ck_archive *a, long changed)
{
	long long n = scalar(a->db, "SELECT count(*) FROM cable");
	/* the merge rewrites the whole index: worth it after a bulk load (a
	 * twentieth of the archive or more), not after a few cables */
	int merge = (long long)changed * 20 >= n;
	long long need = termstat_min();
	/* few changes, each noted since a valid table: the table updated */
	int delta = a->delta_cable && !merge && n >= need;
	int rc;
	a->ts_gen = -2; /* read it again after this */
	/* one segment per level is what every query then walks: a bulk load
	 * leaves many, and each word's doclist is spread over them */
	if (n >= need && merge && (rc = merge_index(a)))
		goto end;
	if ((rc = ck_archive_exec(a, "BEGIN IMMEDIATE")))
		goto end;
	if ((rc = ck_archive_exec(a, "DELETE FROM meta WHERE key IN ('termstat_gen', 'termstat_how')")))
		goto fail;
	if (delta) {
		if ((rc = termstat_delta(a)))
			goto fail;
	} else if ((rc = ck_archive_exec(a, "DELETE FROM termstat; DELETE FROM champion"))) {
		goto fail;
	} else if (n >= need) {
		if ((rc = ck_archive_exec(a, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.ck_vocab USING fts5vocab(main, fts, row);"
					     "INSERT INTO termstat(term, df) SELECT term, doc FROM temp.ck_vocab;"
					     "DROP TABLE temp.ck_vocab")))
			goto fail;
		if ((rc = champions_build(a)))
			goto fail;
	}
	if (n >= need) {
		/* the stamp, and how the table was made (for tests and a reader's
		 * curiosity: 'rebuild' or 'delta') */
		char sql[160];
		snprintf(sql, sizeof sql,
			 "INSERT INTO meta VALUES('termstat_gen', '%lld'), ('termstat_how', '%s')",
			 ck_archive_generation(a), delta ? "delta" : "rebuild");
		if ((rc = ck_archive_exec(a, sql)))
			goto fail;
	}
	rc = ck_archive_exec(a, "COMMIT");
	goto end;
fail:
	sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
end:
	ck_termstat_delta_end(a);
	return rc;
}

/* A valid table stays valid while the generation stands (a rebuild at the
 * same generation stamps it again), so a handle remembers a yes and reads
 * the stamp again only after a no: an ingest stamps the table after it
 * adds the cables, i.e. after the new generation is visible. */
int ck_termstat_valid(ck_archive *a)
{
	long long gen = ck_archive_generation(a);
	if (gen == a->ts_gen && a->ts_valid)
		return 1;
	long long g = ck_archive_scalar(a, CK_ST_TERMSTAT_GEN);
	a->ts_valid = g > 0 && g == gen;
	a->ts_gen = gen;
	return a->ts_valid;
}

/* a word as the index holds it, when it is one: ASCII letters and digits,
 * folded to lower case as unicode61 folds them; 0 otherwise (the caller
 * then leaves the word to FTS5) */
static int index_word(const char *w, size_t n, char *out, size_t cap)
{
	if (!n || n >= cap)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)w[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			return 0;
		out[i] = (char)c;
	}
	out[n] = 0;
	return 1;
}

long long ck_termstat_df(ck_archive *a, const char *word, size_t n)
{
	char w[128];
	sqlite3_stmt *st = NULL;
	long long df = -1;
	if (!index_word(word, n, w, sizeof w))
		return -1;
	if (sqlite3_prepare_v2(a->db, "SELECT df FROM termstat WHERE term=?", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, w, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		df = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : rc == SQLITE_DONE ? 0 : -1;
	}
	sqlite3_finalize(st);
	return df;
}

struct word_df {
	char *w;
	long long df;
};

static int by_df_desc(const void *x, const void *y)
{
	const struct word_df *a = x, *b = y;
	return a->df != b->df ? (a->df < b->df) - (a->df > b->df) : strcmp(a->w, b->w);
}

/* The OR of the words under prefix p[0..n) into out, as an FTS5 group
 * ("election" OR "elections"), in the vocabulary's order; 0 when written,
 * 1 when the prefix is left to FTS5 (not a plain word, no word, or too
 * many words).  keep < 1: only the most frequent words, as many as hold
 * that part of their document counts summed (a sample's query,
 * ck_termstat_expand). */
static int expand_one(ck_archive *a, const char *p, size_t n, double keep, ck_buf *out)
{
	char lo[128], hi[128];
	if (!index_word(p, n, lo, sizeof lo))
		return 1;
	memcpy(hi, lo, n + 1);
	hi[n - 1]++; /* 'z' + 1 and '9' + 1 still sort after every word */
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(a->db, "SELECT term, df FROM termstat WHERE term >= ?1 AND term < ?2 LIMIT ?3", -1,
			       &st, NULL) != SQLITE_OK)
		return 1;
	sqlite3_bind_text(st, 1, lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, CK_PREFIX_WORDS_MAX + 1);
	struct word_df v[CK_PREFIX_WORDS_MAX + 1];
	int k = 0, failed = 0;
	long long sum = 0;
	while (!failed && k <= CK_PREFIX_WORDS_MAX && sqlite3_step(st) == SQLITE_ROW) {
		v[k].df = sqlite3_column_int64(st, 1);
		sum += v[k].df;
		if (!(v[k++].w = strdup((const char *)sqlite3_column_text(st, 0))))
			failed = 1;
	}
	sqlite3_finalize(st);
	int used = k;
	if (keep < 1.0 && k > 1) { /* the most frequent first, until they hold keep of the sum */
		qsort(v, (size_t)k, sizeof *v, by_df_desc);
		long long got = 0;
		for (used = 0; used < k && (used == 0 || (double)got < keep * (double)sum); used++)
			got += v[used].df;
	}
	ck_buf g = CK_BUF_INIT;
	for (int i = 0; i < used; i++) {
		ck_buf_puts(&g, i ? " OR \"" : "(\"");
		ck_buf_puts(&g, v[i].w); /* a token holds no '"' */
		ck_buf_putc(&g, '"');
	}
	for (int i = 0; i < k; i++)
		free(v[i].w);
	if (!k || k > CK_PREFIX_WORDS_MAX || failed || g.failed) { /* no word: FTS5 finds none either, at once */
		ck_buf_free(&g);
		return 1;
	}
	ck_buf_putc(&g, ')');
	ck_buf_put(out, g.ptr, g.len);
	ck_buf_free(&g);
	return 0;
}

int ck_termstat_expand(ck_archive *a, const char *match, double keep, ck_buf *out)
{
	/* the compiler writes a prefix as a quoted string and " *" (query.c,
	 * fts_emit): "elect" *; strings double their quotes */
	int changed = 0;
	for (const char *s = match; *s;) {
		if (*s != '"') {
			ck_buf_putc(out, *s++);
			continue;
		}
		const char *e = s + 1;
		while (*e && !(e[0] == '"' && e[1] != '"'))
			e += e[0] == '"' ? 2 : 1;
		if (!*e) { /* unterminated: cannot come from the compiler */
			ck_buf_puts(out, s);
			break;
		}
		const char *after = e + 1;
		if (!strncmp(after, " *", 2) && !expand_one(a, s + 1, (size_t)(e - s - 1), keep, out)) {
			changed = 1;
			s = after + 2;
		} else {
			ck_buf_put(out, s, (size_t)(after - s));
			s = after;
		}
	}
	return changed;
}

/* the document count of the phrase w[0..n) (its quotes removed, doubled
 * quotes kept): a word's exactly; a phrase of several words, its rarest
 * word's (an upper bound); -1 when a word is not a plain one */
static long long phrase_df(ck_archive *a, const char *w, size_t n)
{
	long long best = -1;
	for (size_t i = 0; i < n;) {
		while (i < n && !isalnum((unsigned char)w[i])) {
			if ((unsigned char)w[i] >= 0x80)
				return -1;
			i++;
		}
		size_t j = i;
		while (j < n && isalnum((unsigned char)w[j]))
			j++;
		if (j < n && (unsigned char)w[j] >= 0x80)
			return -1;
		if (j > i) {
			long long df = ck_termstat_df(a, w + i, j - i);
			if (df < 0)
				return -1;
			if (best < 0 || df < best)
				best = df;
		}
		i = j;
	}
	return best;
}

int ck_termstat_dfs(ck_archive *a, const char *match, ck_buf *out)
{
	int unknown = 0, k = 0;
	for (const char *s = match; *s; s++) {
		if (*s != '"')
			continue;
		const char *e = s + 1;
		while (*e && !(e[0] == '"' && e[1] != '"'))
			e += e[0] == '"' ? 2 : 1;
		long long df = phrase_df(a, s + 1, (size_t)(e - s - 1));
		if (k++)
			ck_buf_putc(out, ',');
		if (df >= 0)
			ck_buf_printf(out, "%lld", df);
		else
			unknown++;
		if (!*e)
			break;
		s = e;
	}
	return unknown;
}

int ck_termstat_champions(ck_archive *a, const char *match, sqlite3_int64 *out, int max)
{
	char w[128];
	size_t ml = strlen(match);
	while (ml > 2 && match[0] == '(' && match[ml - 1] == ')') { /* beside fields: (("word")) */
		match++;
		ml -= 2;
	}
	if (ml <= 2 || match[0] != '"' || match[ml - 1] != '"' || !index_word(match + 1, ml - 2, w, sizeof w))
		return 0;
	sqlite3_stmt *st = NULL;
	int n = 0;
	if (sqlite3_prepare_v2(a->db, "SELECT ids FROM champion WHERE term=?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, w, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *b = sqlite3_column_blob(st, 0);
		int nb = sqlite3_column_bytes(st, 0);
		for (int i = 0; b && i + 8 <= nb && n < max; i += 8) {
			sqlite3_uint64 r = 0;
			for (int k = 7; k >= 0; k--)
				r = r << 8 | b[i + k];
			out[n++] = (sqlite3_int64)r;
		}
	} else if (rc != SQLITE_DONE) {
		n = -1;
	}
	sqlite3_finalize(st);
	return n;
}
