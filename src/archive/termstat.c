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
 * (one pass over fts5vocab; ~5 s of CPU at 250,000 cables) and is stamped
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

/* the word count above which a word gets a champion list (tests lower it) */
static long long champion_df(void)
{
	const char *e = getenv("CK_CHAMPION_DF");
	return e && atoll(e) > 0 ? atoll(e) : CK_CHAMPION_DF;
}

/* the champion list of every word of more than champion_df() cables: its
 * best CK_CHAMPIONS hits by the index's rank (bm25, subject x10), each
 * rowid as 8 bytes little-endian, best first */
static int champions_build(ck_archive *a)
{
	sqlite3_stmt *terms = NULL, *top = NULL, *ins = NULL;
	ck_buf q = CK_BUF_INIT, ids = CK_BUF_INIT;
	int rc = SQLITE_OK;
	if ((rc = sqlite3_prepare_v2(a->db, "SELECT term FROM termstat WHERE df > ?", -1, &terms, NULL)) ||
	    (rc = sqlite3_prepare_v2(a->db, "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT ?", -1, &top,
				     NULL)) ||
	    (rc = sqlite3_prepare_v2(a->db, "INSERT INTO champion(term, ids) VALUES(?, ?)", -1, &ins, NULL)))
		goto done;
	sqlite3_bind_int64(terms, 1, champion_df());
	while ((rc = sqlite3_step(terms)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(terms, 0);
		ck_buf_clear(&q);
		ck_buf_putc(&q, '"');
		for (; t && *t; t++) { /* a '"' doubled, as FTS5 strings take it */
			if (*t == '"')
				ck_buf_putc(&q, '"');
			ck_buf_putc(&q, *t);
		}
		ck_buf_putc(&q, '"');
		if (q.failed) {
			rc = SQLITE_NOMEM;
			break;
		}
		sqlite3_reset(top);
		sqlite3_bind_text(top, 1, q.ptr, (int)q.len, SQLITE_STATIC);
		sqlite3_bind_int(top, 2, CK_CHAMPIONS);
		ck_buf_clear(&ids);
		while ((rc = sqlite3_step(top)) == SQLITE_ROW) {
			unsigned char le[8];
			sqlite3_uint64 r = (sqlite3_uint64)sqlite3_column_int64(top, 0);
			for (int i = 0; i < 8; i++)
				le[i] = (unsigned char)(r >> (8 * i));
			ck_buf_put(&ids, (const char *)le, 8);
		}
		if (rc != SQLITE_DONE || ids.failed) {
			rc = ids.failed ? SQLITE_NOMEM : rc;
			break;
		}
		sqlite3_reset(ins);
		sqlite3_bind_value(ins, 1, sqlite3_column_value(terms, 0));
		sqlite3_bind_blob(ins, 2, ids.ptr, (int)ids.len, SQLITE_STATIC);
		if ((rc = sqlite3_step(ins)) != SQLITE_DONE)
			break;
	}
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
done:
	sqlite3_finalize(terms);
	sqlite3_finalize(top);
	sqlite3_finalize(ins);
	ck_buf_free(&q);
	ck_buf_free(&ids);
	return rc == SQLITE_OK ? 0 : ck_archive_sqlerr(a, rc, "champion lists");
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

int ck_termstat_rebuild(ck_archive *a, long changed)
{
	long long n = scalar(a->db, "SELECT count(*) FROM cable");
	/* the merge rewrites the whole index: worth it after a bulk load (a
	 * twentieth of the archive or more), not after a few cables */
	int merge = (long long)changed * 20 >= n;
	const char *min = getenv("CK_TERMSTAT_MIN"); /* tests lower it */
	long long need = min && atoll(min) >= 0 ? atoll(min) : CK_TERMSTAT_MIN;
	int rc;
	a->ts_gen = -2; /* read it again after this */
	/* one segment per level is what every query then walks: a bulk load
	 * leaves many, and each word's doclist is spread over them */
	if (n >= need && merge && (rc = merge_index(a)))
		return rc;
	if ((rc = ck_archive_exec(a, "BEGIN IMMEDIATE")))
		return rc;
	if ((rc = ck_archive_exec(a, "DELETE FROM termstat; DELETE FROM champion; DELETE FROM meta WHERE key='termstat_gen'")))
		goto fail;
	if (n >= need) {
		if ((rc = ck_archive_exec(a, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.ck_vocab USING fts5vocab(main, fts, row);"
					     "INSERT INTO termstat(term, df) SELECT term, doc FROM temp.ck_vocab;"
					     "DROP TABLE temp.ck_vocab")))
			goto fail;
		if ((rc = champions_build(a)))
			goto fail;
		char sql[96];
		snprintf(sql, sizeof sql, "INSERT INTO meta VALUES('termstat_gen', '%lld')", ck_archive_generation(a));
		if ((rc = ck_archive_exec(a, sql)))
			goto fail;
	}
	return ck_archive_exec(a, "COMMIT");
fail:
	sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
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

/* The OR of the words under prefix p[0..n) into out, as an FTS5 group
 * ("election" OR "elections"); 0 when written, 1 when the prefix is left
 * to FTS5 (not a plain word, no word, or too many words). */
static int expand_one(ck_archive *a, const char *p, size_t n, ck_buf *out)
{
	char lo[128], hi[128];
	if (!index_word(p, n, lo, sizeof lo))
		return 1;
	memcpy(hi, lo, n + 1);
	hi[n - 1]++; /* 'z' + 1 and '9' + 1 still sort after every word */
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(a->db, "SELECT term FROM termstat WHERE term >= ?1 AND term < ?2 LIMIT ?3", -1, &st,
			       NULL) != SQLITE_OK)
		return 1;
	sqlite3_bind_text(st, 1, lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, CK_PREFIX_WORDS_MAX + 1);
	ck_buf g = CK_BUF_INIT;
	int k = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		ck_buf_puts(&g, k++ ? " OR \"" : "(\"");
		ck_buf_puts(&g, (const char *)sqlite3_column_text(st, 0)); /* a token holds no '"' */
		ck_buf_putc(&g, '"');
	}
	sqlite3_finalize(st);
	if (!k || k > CK_PREFIX_WORDS_MAX || g.failed) { /* no word: FTS5 finds none either, at once */
		ck_buf_free(&g);
		return 1;
	}
	ck_buf_putc(&g, ')');
	ck_buf_put(out, g.ptr, g.len);
	ck_buf_free(&g);
	return 0;
}

int ck_termstat_expand(ck_archive *a, const char *match, ck_buf *out)
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
		if (!strncmp(after, " *", 2) && !expand_one(a, s + 1, (size_t)(e - s - 1), out)) {
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
