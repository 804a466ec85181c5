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

/* The window w of text (its tokens' spans filled) with the matches v[0..n)
 * marked: the tokens found in the window (0: none, out untouched) */
static int emit(const struct walk *w, const struct inst *v, int n, const char *text, ck_buf *out)
{
	int got = (w->idx < w->we ? w->idx : w->we) - w->ws; /* window tokens found */
	if (got <= 0)
		return 0;
	/* per window token: matches that open and close there */
	int opens[WINDOW] = {0}, closes[WINDOW] = {0};
	for (int i = 0; i < n; i++) {
		if (v[i].off < w->ws || v[i].end > w->ws + got)
			continue;
		opens[v[i].off - w->ws]++;
		closes[v[i].end - 1 - w->ws]++;
	}
	if (w->ws > 0)
		ck_buf_puts(out, "\xE2\x80\xA6");
	int depth = 0, pos = w->start[0];
	for (int k = 0; k < got; k++) {
		ck_buf_put(out, text + pos, (size_t)(w->start[k] - pos));
		if (opens[k] && !depth)
			ck_buf_putc(out, '\x01');
		depth += opens[k];
		ck_buf_put(out, text + w->start[k], (size_t)(w->end[k] - w->start[k]));
		depth -= closes[k];
		if (closes[k] && depth <= 0) {
			depth = 0;
			ck_buf_putc(out, '\x02');
		}
		pos = w->end[k];
	}
	if (w->more)
		ck_buf_puts(out, "\xE2\x80\xA6");
	return got;
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
	ck_buf out = CK_BUF_INIT;
	int got = emit(&w, v, n, text, &out);
	free(v);
	if (got <= 0) {
		sqlite3_result_null(cx);
		return;
	}
	if (!out.ptr) {
		sqlite3_result_error_nomem(cx);
		return;
	}
	sqlite3_result_text(cx, out.ptr, (int)out.len, free);
}

/* the connection's FTS5 API, or NULL */
static fts5_api *fts5_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(st);
	}
	sqlite3_finalize(st);
	return api;
}

int ck_snippet_register(ck_archive *a)
{
	fts5_api *api = fts5_of(a->db);
	if (!api)
		return SQLITE_ERROR;
	int rc2 = api->xCreateFunction(api, "ck_snippet", NULL, sql_snippet, NULL);
	return rc2 ? rc2 : api->xCreateFunction(api, "ck_rank", a, ck_rank_fn, NULL);
}

/* ---- the same snippet without FTS5, for queries of many plain phrases ----
 *
 * A prefix becomes the OR of up to 256 words (termstat.c), and
 * ck_snippet's statement (MATCH ?1 AND rowid = ?2) then seeks every one of
 * them in the index for every hit: elect* (32 words) spent 5.3 ms on the
 * snippets of a page at 250,000 cables, 2.1 ms this way.  Tokenizing the
 * texts costs ~1.2-2.5 ms a page whatever the phrases, FTS5 ~0.15-0.45 ms
 * a phrase: even at about 10 phrases (sanct*: 2.2 against 2.7 ms).  For a match expression of quoted
 * phrases joined by AND, OR and parentheses only (no NOT, column filter,
 * prefix or NEAR), every occurrence of every phrase in the row is an
 * instance, as FTS5's xInst reports them; so tokenizing the row's text
 * with the index's tokenizer and looking each token up among the phrases'
 * first tokens finds the same instances, and the same window follows. */

#define PLAIN_MIN 10 /* fewer phrases: FTS5's seeks cost less than tokenizing the text */

struct ck_plain { /* per handle */
	fts5_tokenizer api;
	Fts5Tokenizer *tok;
	sqlite3_stmt *text; /* the indexed text of a row (what xColumnText gives) */
};

struct toks { /* a text's tokens: the folded token i at pool + at[i], its bytes [s[i], e[i]) */
	ck_buf pool;
	int *at, *s, *e;
	int n, cap, failed;
};

static int on_collect(void *ctx, int tflags, const char *tok, int ntok, int s, int e)
{
	struct toks *t = ctx;
	if (tflags & FTS5_TOKEN_COLOCATED)
		return SQLITE_OK;
	if (t->n == t->cap) {
		int cap = t->cap ? t->cap * 2 : 256;
		int *a = realloc(t->at, sizeof *a * (size_t)cap), *b = a ? realloc(t->s, sizeof *b * (size_t)cap) : NULL,
		    *c = b ? realloc(t->e, sizeof *c * (size_t)cap) : NULL;
		if (a)
			t->at = a;
		if (b)
			t->s = b;
		if (c)
			t->e = c;
		if (!c) {
			t->failed = 1;
			return SQLITE_NOMEM;
		}
		t->cap = cap;
	}
	t->at[t->n] = (int)t->pool.len;
	t->s[t->n] = s;
	t->e[t->n++] = e;
	ck_buf_put(&t->pool, tok, (size_t)ntok);
	ck_buf_putc(&t->pool, '\0');
	return t->pool.failed ? SQLITE_NOMEM : SQLITE_OK;
}

static void toks_free(struct toks *t)
{
	ck_buf_free(&t->pool);
	free(t->at);
	free(t->s);
	free(t->e);
	memset(t, 0, sizeof *t);
}

static int tokenize(struct ck_plain *pl, const char *text, int len, struct toks *t)
{
	int rc = pl->api.xTokenize(pl->tok, t, FTS5_TOKENIZE_DOCUMENT, text, len, on_collect);
	return rc != SQLITE_OK || t->failed ? CK_ENOMEM : 0;
}

struct ck_plain_q {
	int nphrase;
	struct toks words;  /* every phrase's tokens, phrase after phrase */
	int *first, *len;   /* phrase p: tokens first[p] .. first[p] + len[p] of words */
	int *slot, nslot;   /* a hash of first tokens -> the first phrase starting with it (-1: empty) */
	int *next;          /* the next phrase with the same first token, or -1 */
	struct inst *v;     /* a row's instances (MAX_INST), reused hit after hit */
};

/* where word w's probe starts in q's hash of first tokens */
static size_t slot_of_word(const struct ck_plain_q *q, const char *w)
{
	return ck_str_hash(w, strlen(w)) & (size_t)(q->nslot - 1);
}

void ck_snippet_plain_free(struct ck_plain_q *q)
{
	if (!q)
		return;
	toks_free(&q->words);
	free(q->first);
	free(q->len);
	free(q->slot);
	free(q->next);
	free(q->v);
	free(q);
}

static struct ck_plain *plain_of(ck_archive *a)
{
	if (a->plain)
		return a->plain;
	fts5_api *api = fts5_of(a->db);
	struct ck_plain *pl = calloc(1, sizeof *pl);
	void *ud = NULL;
	const char *args[] = {"remove_diacritics", "2"}; /* the tokenize= of fts (schema.c) */
	if (!pl || !api || api->xFindTokenizer(api, "unicode61", &ud, &pl->api) != SQLITE_OK ||
	    pl->api.xCreate(ud, args, 2, &pl->tok) != SQLITE_OK ||
	    sqlite3_prepare_v2(a->db, "SELECT subject, body FROM fts_content WHERE rid=?1", -1, &pl->text, NULL) !=
		    SQLITE_OK) {
		ck_snippet_plain_close(pl);
		return NULL;
	}
	return a->plain = pl;
}

void ck_snippet_plain_close(struct ck_plain *pl)
{
	if (!pl)
		return;
	if (pl->tok)
		pl->api.xDelete(pl->tok);
	sqlite3_finalize(pl->text);
	free(pl);
}

struct ck_plain_q *ck_snippet_plain_prepare(ck_archive *a, const char *match)
{
	/* the phrases, or NULL at anything but quotes, blanks, parentheses, AND, OR */
	int n = 0;
	for (const char *s = match; *s;) {
		if (*s == '"') {
			for (s++; *s && !(s[0] == '"' && s[1] != '"'); s += s[0] == '"' ? 2 : 1)
				;
			if (!*s)
				return NULL;
			s++;
			n++;
		} else if (*s == ' ' || *s == '(' || *s == ')') {
			s++;
		} else if (!strncmp(s, "AND", 3) || !strncmp(s, "OR", 2)) {
			s += s[0] == 'A' ? 3 : 2;
			if (*s && *s != ' ' && *s != '(' && *s != '"')
				return NULL;
		} else {
			return NULL;
		}
	}
	struct ck_plain *pl;
	if (n < PLAIN_MIN || !(pl = plain_of(a)))
		return NULL;
	struct ck_plain_q *q = calloc(1, sizeof *q);
	int nslot = 16;
	while (nslot < 2 * n)
		nslot *= 2;
	if (!q || !(q->first = malloc(sizeof *q->first * (size_t)n)) || !(q->len = malloc(sizeof *q->len * (size_t)n)) ||
	    !(q->next = malloc(sizeof *q->next * (size_t)n)) || !(q->slot = malloc(sizeof *q->slot * (size_t)nslot)) ||
	    !(q->v = malloc(sizeof *q->v * MAX_INST)))
		goto fail;
	q->nslot = nslot;
	for (int i = 0; i < nslot; i++)
		q->slot[i] = -1;
	ck_buf text = CK_BUF_INIT;
	for (const char *s = match; *s;) {
		if (*s != '"') {
			s++;
			continue;
		}
		ck_buf_clear(&text);
		for (s++; !(s[0] == '"' && s[1] != '"'); s += s[0] == '"' ? 2 : 1)
			ck_buf_putc(&text, *s);
		s++;
		int p = q->nphrase, before = q->words.n;
		if (text.failed || tokenize(pl, text.ptr ? text.ptr : "", (int)text.len, &q->words) ||
		    q->words.n == before) { /* a phrase of no token: leave it to FTS5 */
			ck_buf_free(&text);
			goto fail;
		}
		q->first[p] = before;
		q->len[p] = q->words.n - before;
		size_t h = slot_of_word(q, q->words.pool.ptr + q->words.at[before]);
		int *link = NULL;
		for (; q->slot[h] >= 0; h = (h + 1) & (size_t)(nslot - 1))
			if (!strcmp(q->words.pool.ptr + q->words.at[q->first[q->slot[h]]],
				    q->words.pool.ptr + q->words.at[before])) {
				for (link = &q->slot[h]; *link >= 0; link = &q->next[*link])
					;
				break;
			}
		q->next[p] = -1;
		*(link ? link : &q->slot[h]) = p;
		q->nphrase++;
	}
	ck_buf_free(&text);
	return q;
fail:
	ck_snippet_plain_free(q);
	return NULL;
}

/* the instances of q's phrases among tokens t, appended to v (at most MAX_INST in all) */
static int plain_insts(const struct ck_plain_q *q, const struct toks *t, int col, struct inst *v, int n)
{
	const char *w = q->words.pool.ptr;
	for (int i = 0; i < t->n && n < MAX_INST; i++) {
		const char *tok = t->pool.ptr + t->at[i];
		size_t h = slot_of_word(q, tok);
		for (; q->slot[h] >= 0; h = (h + 1) & (size_t)(q->nslot - 1))
			if (!strcmp(w + q->words.at[q->first[q->slot[h]]], tok))
				break;
		for (int p = q->slot[h]; p >= 0 && n < MAX_INST; p = q->next[p]) {
			int k = 1;
			while (k < q->len[p] && i + k < t->n &&
			       !strcmp(w + q->words.at[q->first[p] + k], t->pool.ptr + t->at[i + k]))
				k++;
			if (k == q->len[p])
				v[n++] = (struct inst){i, i + k, p, col};
		}
	}
	return n;
}

int ck_snippet_plain(ck_archive *a, const struct ck_plain_q *q, sqlite3_int64 rowid, ck_buf *out)
{
	struct ck_plain *pl = a->plain;
	sqlite3_reset(pl->text);
	sqlite3_bind_int64(pl->text, 1, rowid);
	int rc = sqlite3_step(pl->text);
	if (rc == SQLITE_DONE) /* no such row: no snippet, as ck_snippet's statement gives none */
		return 1;
	if (rc != SQLITE_ROW) /* 0: out of time (the deadline interrupts) */
		return rc == SQLITE_INTERRUPT ? 0 : ck_archive_sqlerr(a, rc, "search");
	struct toks t[2] = {{CK_BUF_INIT, NULL, NULL, NULL, 0, 0, 0}, {CK_BUF_INIT, NULL, NULL, NULL, 0, 0, 0}};
	struct inst *v = q->v;
	const char *text[2];
	int len[2], n = 0, col = 1;
	rc = 0;
	/* the body's matches; the subject's when the body has none */
	for (int c = 1; c >= 0 && !rc && !n; c--) {
		text[c] = (const char *)sqlite3_column_text(pl->text, c);
		len[c] = sqlite3_column_bytes(pl->text, c);
		if (text[c] && len[c] > 0 && !(rc = tokenize(pl, text[c], len[c], &t[c])))
			n = plain_insts(q, &t[c], c, v, 0);
		if (n)
			col = c;
	}
	if (!rc && text[col] && len[col] > 0) {
		qsort(v, (size_t)n, sizeof *v, by_off);
		struct walk w = {0};
		w.ws = n ? pick_window(v, n, q->nphrase) : 0;
		w.we = w.ws + WINDOW;
		w.idx = t[col].n;
		w.more = t[col].n > w.we;
		for (int i = w.ws; i < w.we && i < t[col].n; i++) {
			w.start[i - w.ws] = t[col].s[i];
			w.end[i - w.ws] = t[col].e[i];
		}
		emit(&w, v, n, text[col], out);
		rc = out->failed ? CK_ENOMEM : 0;
	}
	toks_free(&t[0]);
	toks_free(&t[1]);
	sqlite3_reset(pl->text);
	return rc ? ck_error_set(rc, "out of memory") : 1;
}
