/*
 * rank.c - ck_rank(fts, 'DF,DF,...'): FTS5's bm25 (weights: subject 10,
 * body 1; k1 1.2, b 0.75, the same formula, so the same order) with the
 * document frequency of each phrase given by the caller instead of
 * counted.
 *
 * FTS5's bm25() learns each phrase's document count on its first call by
 * running the phrase over the whole index: for "minister" at 250,000
 * cables that is a walk over 138,000 doclist entries before the first row
 * is scored, on every statement that ranks.  search.c has the counts from
 * the vocabulary table (termstat.c) and passes them as one text argument,
 * in the order FTS5 numbers the phrases (their order in the MATCH text).
 * A missing or unparsable count scores that phrase as FTS5 scores a word
 * that every row holds (idf 1e-6).
 */
#include "archive/archive.h"
#include "archive/search.h" /* the column cache's rows (ck_newer) */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define K1 1.2
#define B 0.75
static const double weight[2] = {10.0, 1.0}; /* subject, body: the table's 'rank' (store.c) */

struct rankdata {
	int nphrase;
	double avgdl;
	double *idf;
	double *freq;
};

static void rankdata_free(void *p)
{
	struct rankdata *d = p;
	if (d) {
		free(d->idf);
		free(d->freq);
		free(d);
	}
}

static struct rankdata *rankdata_new(const Fts5ExtensionApi *api, Fts5Context *fts, const char *dfs)
{
	struct rankdata *d = calloc(1, sizeof *d);
	sqlite3_int64 nrow = 0, ntok = 0;
	if (!d)
		return NULL;
	d->nphrase = api->xPhraseCount(fts);
	d->idf = calloc((size_t)d->nphrase + 1, sizeof *d->idf);
	d->freq = calloc((size_t)d->nphrase + 1, sizeof *d->freq);
	if (!d->idf || !d->freq || api->xRowCount(fts, &nrow) || api->xColumnTotalSize(fts, -1, &ntok)) {
		rankdata_free(d);
		return NULL;
	}
	d->avgdl = nrow > 0 ? (double)ntok / (double)nrow : 1.0;
	const char *s = dfs ? dfs : "";
	for (int i = 0; i < d->nphrase; i++) {
		char *end = NULL;
		double n = strtod(s, &end);
		if (end == s || n < 0 || (*end && *end != ','))
			n = (double)nrow; /* unknown: as common as can be */
		double idf = log((0.5 + (double)nrow - n) / (n + 0.5));
		d->idf[i] = idf <= 0.0 ? 1e-6 : idf;
		const char *comma = strchr(s, ',');
		s = comma ? comma + 1 : s + strlen(s);
	}
	return d;
}

void ck_rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *cx, int nval, sqlite3_value **val)
{
	struct rankdata *d = api->xGetAuxdata(fts, 0);
	if (!d) {
		const char *dfs = nval > 0 ? (const char *)sqlite3_value_text(val[0]) : NULL;
		if (!(d = rankdata_new(api, fts, dfs)) || api->xSetAuxdata(fts, d, rankdata_free)) {
			sqlite3_result_error_nomem(cx);
			return;
		}
	}
	/* each phrase's instances read off its own position list: xInstCount
	 * would first merge every phrase's list into one array in document
	 * order (~3,700 instructions a row at 40k cables, three quarters of
	 * this function), an order the sums here do not need */
	for (int i = 0; i < d->nphrase; i++) {
		Fts5PhraseIter it;
		int ic = -1, io = 0;
		d->freq[i] = 0.0;
		if (api->xPhraseFirst(fts, i, &it, &ic, &io) != SQLITE_OK) {
			sqlite3_result_error(cx, "ck_rank: no instances", -1);
			return;
		}
		for (; ic >= 0; api->xPhraseNext(fts, &it, &ic, &io))
			if (ic < 2)
				d->freq[i] += weight[ic];
	}
	/* the row's length from the column cache when the search lent it:
	 * xColumnSize runs a statement on the docsize table for each row
	 * (~3,700 instructions, a third of a ranked search at 40k cables) */
	const ck_archive *a = api->xUserData(fts);
	sqlite3_int64 r = api->xRowid(fts);
	int ntok = a && a->rank_dlen && r >= 0 && (size_t)r < a->rank_ndlen ? (int)a->rank_dlen[r] : 0;
	if (!ntok)
		api->xColumnSize(fts, -1, &ntok);
	double D = (double)ntok, score = 0.0;
	for (int i = 0; i < d->nphrase; i++)
		score += d->idf[i] * (d->freq[i] * (K1 + 1.0)) / (d->freq[i] + K1 * (1 - B + B * D / d->avgdl));
	sqlite3_result_double(cx, -score);
}

uint32_t *ck_rank_doclens(ck_archive *a, size_t nslot)
{
	sqlite3_stmt *st = NULL;
	uint32_t *d = calloc(nslot ? nslot : 1, sizeof *d);
	if (!d || sqlite3_prepare_v2(a->db, "SELECT id, sz FROM fts_docsize", -1, &st, NULL) != SQLITE_OK) {
		free(d);
		return NULL;
	}
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(st, 0);
		const unsigned char *p = sqlite3_column_blob(st, 1);
		int n = sqlite3_column_bytes(st, 1);
		if (id < 0 || (size_t)id >= nslot)
			continue;
		/* one SQLite varint a column: 7 bits a byte, high bit set
		 * while more follow (a ninth byte would carry 8: no real
		 * length reaches it) */
		uint64_t sum = 0, v = 0;
		for (int i = 0; i < n; i++) {
			v = v << 7 | (p[i] & 0x7f);
			if (!(p[i] & 0x80)) {
				sum += v;
				v = 0;
			}
		}
		d[id] = sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(d);
		return NULL;
	}
	return d;
}

/* SQL ck_newer(rowid): the row's place in the order (date, id) - the
 * column cache's (search.h, CK_RANK) when the search lent it, else
 * "DATE ID" read from the row (the same order) - NULL without a date.
 * ORDER BY rank, ck_newer(rowid) DESC is "bm25, then newest": FTS5's
 * order among equal scores was the index's, not the date's (85 pairs of
 * equal scores out of order for `minister` in the dev corpus). */
static void newer_fn(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	ck_archive *a = sqlite3_user_data(cx);
	sqlite3_int64 r = sqlite3_value_int64(argv[0]);
	if (a->rank_rows) {
		uint32_t k = r >= 0 && (size_t)r < a->rank_nrows ? a->rank_rows[(size_t)r * CK_CW + CK_RANK] : UINT32_MAX;
		if (k < a->rank_ndated)
			sqlite3_result_int64(cx, k);
		else
			sqlite3_result_null(cx);
		return;
	}
	sqlite3_stmt *st = ck_archive_stmt(a, CK_ST_NEWER);
	if (!st) {
		sqlite3_result_error(cx, "ck_newer: no statement", -1);
		return;
	}
	sqlite3_bind_int64(st, 1, r);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		char *v = sqlite3_mprintf("%s %s", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1));
		if (v)
			sqlite3_result_text(cx, v, -1, sqlite3_free);
		else
			sqlite3_result_error_nomem(cx);
	} else {
		sqlite3_result_null(cx);
	}
	sqlite3_reset(st);
}

int ck_rank_register(ck_archive *a)
{
	return sqlite3_create_function(a->db, "ck_newer", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY, a, newer_fn, NULL, NULL);
}
