/*
 * snippet.c - ck_snippet(fts): the text around the best run of matches of
 * a full-text hit, the matches between \x01 and \x02, "…" where it was cut.
 *
 * FTS5's own snippet() tokenizes every column of a hit twice, whole (once
 * to find sentences, once to write), and a cable body is thousands of
 * tokens: on a page of 20 hits that was three quarters of a search.  This
 * one picks its window from the match positions the index already has
 * (xInst, no text needed), then tokenizes the column only up to the end of
 * that window, and stops.
 *
 * The window: WINDOW tokens, starting a few tokens before a match, where
 * the most distinct phrases of the query fall (then the most matches; the
 * earliest on a tie).  The body is preferred; the subject is used when only
 * it matches; a hit with no position (a NOT or filter-only match) shows the
 * start of the body.
 */
#include "archive/archive.h"

#include <stdlib.h>
#include <string.h>

#define WINDOW 24       /* tokens shown */
#define LEAD 3          /* tokens of context before the first match */
#define MAX_INST 4096   /* matches looked at */

struct inst {
	int off, end, phrase; /* tokens [off, end) */
	int col;
};

static int by_off(const void *x, const void *y)
{
	const struct inst *a = x, *b = y;
	return a->off != b->off ? (a->off > b->off) - (a->off < b->off) : a->phrase - b->phrase;
}

/* what the tokenizer callback fills: byte spans of the window's tokens */
struct walk {
	int idx;              /* tokens seen */
	int ws, we;           /* the window */
	int start[WINDOW], end[WINDOW];
	int more;             /* a token after the window exists */
};

static int on_token(void *ctx, int tflags, const char *tok, int ntok, int s, int e)
{
	struct walk *w = ctx;
	(void)tok;
	(void)ntok;
	if (tflags & FTS5_TOKEN_COLOCATED)
		return SQLITE_OK;
	if (w->idx >= w->we) {
		w->more = 1;
		return SQLITE_DONE; /* stop: the rest of the text is not needed */
	}
	if (w->idx >= w->ws) {
		w->start[w->idx - w->ws] = s;
		w->end[w->idx - w->ws] = e;
	}
	w->idx++;
	return SQLITE_OK;
}

/* the best window start for instances v[0..n) (sorted by offset) */
static int pick_window(const struct inst *v, int n, int nphrase)
{
	int best = 0, best_score = -1;
	unsigned char *seen = calloc((size_t)(nphrase > 0 ? nphrase : 1), 1);
	if (!seen)
		return n ? (v[0].off > LEAD ? v[0].off - LEAD : 0) : 0;
	for (int i = 0; i < n; i++) {
		if (i && v[i].off == v[i - 1].off)
			continue;
		int ws = v[i].off > LEAD ? v[i].off - LEAD : 0, distinct = 0, count = 0, last = 0;
		memset(seen, 0, (size_t)(nphrase > 0 ? nphrase : 1));
		for (int j = i; j < n && v[j].off < ws + WINDOW; j++) {
			if (v[j].end > ws + WINDOW)
				continue; /* a phrase cut by the window's end */
			count++;
			last = v[j].end > last ? v[j].end : last;
			if (v[j].phrase >= 0 && v[j].phrase < nphrase && !seen[v[j].phrase]) {
				seen[v[j].phrase] = 1;
				distinct++;
			}
		}
		int score = distinct * 1000 + count;
		if (score > best_score) {
			best_score = score;
			/* the same matches seen from the start of the text */
			best = last <= WINDOW ? 0 : ws;
		}
	}
	free(seen);
	return best;
}

static void sql_snippet(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *cx,
			int nval, sqlite3_value **val)
{
	(void)nval;
	(void)val;
	int ninst = 0, col = -1, n = 0, rc;
	struct inst *v = NULL;
	if (api->xInstCount(fts, &ninst) != SQLITE_OK)
		ninst = 0;
	if (ninst > MAX_INST)
		ninst = MAX_INST;
	if (ninst && !(v = malloc(sizeof *v * (size_t)ninst))) {
		sqlite3_result_error_nomem(cx);
		return;
	}
	/* the matches, one pass over xInst; then those of the body (column 1)
	 * when it has any, else those of the subject */
	int has[2] = {0, 0};
	for (int i = 0; i < ninst; i++) {
		int p, c, o;
		if (api->xInst(fts, i, &p, &c, &o) != SQLITE_OK || c < 0 || c > 1)
			continue;
		int size = api->xPhraseSize(fts, p);
		v[n].off = o;
		v[n].end = o + (size > 0 ? size : 1);
		v[n].phrase = p;
		v[n++].col = c;
		has[c] = 1;
	}
	col = has[1] || !has[0] ? 1 : 0;
	int kept = 0;
	for (int i = 0; i < n; i++)
		if (v[i].col == col)
			v[kept++] = v[i];
	n = kept;
	qsort(v, (size_t)n, sizeof *v, by_off);
	struct walk w = {0};
	w.ws = n ? pick_window(v, n, api->xPhraseCount(fts)) : 0;
	w.we = w.ws + WINDOW;

	const char *text = NULL;
	int len = 0;
	if (api->xColumnText(fts, col, &text, &len) != SQLITE_OK || !text || len <= 0) {
		free(v);
		sqlite3_result_null(cx);
		return;
	}
	rc = api->xTokenize(fts, text, len, &w, on_token);
	if (rc != SQLITE_OK && rc != SQLITE_DONE) {
		free(v);
		sqlite3_result_error_code(cx, rc);
		return;
	}
	int got = (w.idx < w.we ? w.idx : w.we) - w.ws; /* window tokens found */
	if (got <= 0) {
		free(v);
		sqlite3_result_null(cx);
		return;
	}
	/* per window token: matches that open and close there */
	int opens[WINDOW] = {0}, closes[WINDOW] = {0};
	for (int i = 0; i < n; i++) {
		if (v[i].off < w.ws || v[i].end > w.ws + got)
			continue;
		opens[v[i].off - w.ws]++;
		closes[v[i].end - 1 - w.ws]++;
	}
	free(v);
	ck_buf out = CK_BUF_INIT;
	if (w.ws > 0)
		ck_buf_puts(&out, "\xE2\x80\xA6");
	int depth = 0, pos = w.start[0];
	for (int k = 0; k < got; k++) {
		ck_buf_put(&out, text + pos, (size_t)(w.start[k] - pos));
		if (opens[k] && !depth)
			ck_buf_putc(&out, '\x01');
		depth += opens[k];
		ck_buf_put(&out, text + w.start[k], (size_t)(w.end[k] - w.start[k]));
		depth -= closes[k];
		if (closes[k] && depth <= 0) {
			depth = 0;
			ck_buf_putc(&out, '\x02');
		}
		pos = w.end[k];
	}
	if (w.more)
		ck_buf_puts(&out, "\xE2\x80\xA6");
	if (!out.ptr) {
		sqlite3_result_error_nomem(cx);
		return;
	}
	sqlite3_result_text(cx, out.ptr, (int)out.len, free);
}

int ck_snippet_register(ck_archive *a)
{
	sqlite3 *db = a->db;
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (!api)
		return SQLITE_ERROR;
	int rc2 = api->xCreateFunction(api, "ck_snippet", NULL, sql_snippet, NULL);
	return rc2 ? rc2 : api->xCreateFunction(api, "ck_rank", a, ck_rank_fn, NULL);
}
