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
	int ninst = 0;
	if (api->xInstCount(fts, &ninst) != SQLITE_OK) {
		sqlite3_result_error(cx, "ck_rank: no instances", -1);
		return;
	}
	memset(d->freq, 0, (size_t)d->nphrase * sizeof *d->freq);
	for (int i = 0; i < ninst; i++) {
		int ip, ic, io;
		if (api->xInst(fts, i, &ip, &ic, &io) == SQLITE_OK && ip >= 0 && ip < d->nphrase && ic >= 0 && ic < 2)
			d->freq[ip] += weight[ic];
	}
	int ntok = 0;
	api->xColumnSize(fts, -1, &ntok);
	double D = (double)ntok, score = 0.0;
	for (int i = 0; i < d->nphrase; i++)
		score += d->idf[i] * (d->freq[i] * (K1 + 1.0)) / (d->freq[i] + K1 * (1 - B + B * D / d->avgdl));
	sqlite3_result_double(cx, -score);
}
