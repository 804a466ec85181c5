/*
 * search.c - the search API: a compiled query run over the archive, one
 * page of hits (ranked by bm25 with the subject weighted above the body,
 * or by date), snippets with the matched words in <mark>, and facets
 * (origin, year, month, tag, marking) over the result set.
 *
 * The planner (docs/archive.md, "Search at scale"): the hits are listed
 * newest first (by rowid) up to CK_EXACT_MAX + 1.  When they end before
 * that, everything is exact: the total, the facets (counted in C from a
 * column cache, no join to the wide cable row), the bm25 order over every
 * hit, the date order.  Above it the answer stays within its time: the
 * total is counted in full while that is cheap (one word) or estimated,
 * the facets are counted over evenly spread rowid windows and scaled
 * ("facets_sampled"), relevance is bm25 among the CK_RANK_WINDOW newest
 * hits followed by the older hits newest first, and a date order walks
 * the date index, testing each cable.  The JSON says which parts are
 * estimates: "total_exact", "facets_sampled".  A deadline of
 * CK_SEARCH_MS for the whole request stops any search that runs past it.
 *
 * The column cache and facet counting live in colcache.c and facet.c
 * (search.h); this file plans the search and writes its answer.
 */
#include "archive/search.h"
#include "util/worker.h"

#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CK_EXACT_MAX 5000      /* hits up to which every part is exact */
#define CK_SCORE_BITS 4        /* words with fields of at most this x CK_EXACT_MAX: scored as listed */
#define CK_COLS_SPREAD 10      /* fields alone: column facets over at most this x CK_EXACT_MAX hits */
#define CK_RANK_WINDOW 1000    /* above it: bm25 among this many newest hits */
#define CK_SAMPLE_PREFIX_KEEP 0.99 /* a sample's prefix: its words holding this part of their counts */
#define CK_SAMPLE_WINDOWS 16   /* rowid windows the sampled facets count */
#define CK_SAMPLE_HITS 2000    /* about this many hits in them together */
#define CK_COUNT_MAX 400000    /* a one-word total is counted exactly up to this (doclist) */

/* ---- snippets ---- */

/* HTML-escape s; the delimiters \x01 \x02 (which the indexed text cannot
 * hold, see fts_text in store.c) become <mark> and </mark>. */
static void snippet_html(ck_buf *out, const char *s)
{
	int open = 0;
	for (; s && *s; s++) {
		switch (*s) {
		case '\x01':
			if (!open)
				ck_buf_puts(out, "<mark>");
			open = 1;
			break;
		case '\x02':
			if (open)
				ck_buf_puts(out, "</mark>");
			open = 0;
			break;
		case '&': ck_buf_puts(out, "&amp;"); break;
		case '<': ck_buf_puts(out, "&lt;"); break;
		case '>': ck_buf_puts(out, "&gt;"); break;
		case '"': ck_buf_puts(out, "&quot;"); break;
		case '\'': ck_buf_puts(out, "&#39;"); break;
		case '\n':
		case '\r':
		case '\t': ck_buf_putc(out, ' '); break;
		default:
			if ((unsigned char)*s >= 0x20)
				ck_buf_putc(out, *s);
		}
	}
	if (open)
		ck_buf_puts(out, "</mark>");
}

/* the start of a text, cut at a word boundary, for hits without a match */
static void lead_text(ck_buf *out, const char *s)
{
	ck_buf tmp = CK_BUF_INIT;
	size_t n = s ? strlen(s) : 0, max = 200;
	while (n && (*s == ' ' || *s == '\n'))
		s++, n--;
	size_t cut = n;
	if (n > max) {
		cut = max;
		while (cut > max / 2 && s[cut] != ' ' && s[cut] != '\n')
			cut--;
		while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
			cut--;
	}
	ck_buf_put(&tmp, s ? s : "", cut);
	/* collapse blank runs */
	ck_buf col = CK_BUF_INIT;
	int sp = 0;
	for (size_t i = 0; i < tmp.len; i++) {
		char c = tmp.ptr[i];
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
			sp = 1;
			continue;
		}
		if (sp && col.len)
			ck_buf_putc(&col, ' ');
		sp = 0;
		ck_buf_putc(&col, c);
	}
	if (cut < n)
		ck_buf_puts(&col, "\xE2\x80\xA6");
	snippet_html(out, col.ptr);
	ck_buf_free(&tmp);
	ck_buf_free(&col);
}


/* ---- hits ---- */

/* One search being planned. */
struct plan {
	ck_archive *a;
	ck_query q;
	ck_buf from;       /* " FROM ... WHERE ..." of every hit */
	const char *rid;   /* the hit's rowid column in `from` */
	int words_only;    /* the query is words alone (no field) */
	ck_bits bits;      /* the rowids the fields select (q.prog), when evaluated */
	const char *where; /* the fields as SQL over cable c: q.where, or ck_inset() of bits */
	int fts_seek;      /* `from` is FTS5 with cheap conditions: sample it window by window */
	sqlite3_int64 lo, hi; /* the lowest and highest rowid in bits (0 0: none) */
	int stats;         /* the vocabulary table matches the archive (termstat.c) */
	char *typed;       /* q.match before its prefixes were expanded, or NULL (none expanded) */
};

/* bind the query's parameters to st from index 1: the match, then the
 * fields' parameters or their bitmap; returns the next index */
static int plan_bind(const struct plan *p, sqlite3_stmt *st)
{
	if (!p->bits.w)
		return ck_query_bind(&p->q, st, 1);
	int k = 1;
	if (p->q.match)
		sqlite3_bind_text(st, k++, p->q.match, -1, SQLITE_STATIC);
	sqlite3_bind_pointer(st, k++, (void *)&p->bits, "ck_bits", NULL);
	return k;
}

/* the rowids of b, highest first, at most max, into out */
static int bits_rows(const ck_bits *b, size_t max, struct ids *out)
{
	size_t n = ck_bits_count(b); /* the list sized once, not grown a push at a time */
	if (n > max)
		n = max;
	if (out->cap - out->n < n) {
		sqlite3_int64 *v = realloc(out->v, (out->n + n + 1) * sizeof *v);
		if (!v)
			return CK_ENOMEM;
		out->v = v;
		out->cap = out->n + n + 1;
	}
	for (size_t w = b->nwords; w-- > 0 && n;)
		for (uint64_t x = b->w[w]; x && n; n--) {
			int hi = 63 - __builtin_clzll(x);
			out->v[out->n++] = (sqlite3_int64)(w * 64 + (size_t)hi);
			x &= ~((uint64_t)1 << hi);
		}
	return 0;
}

/* the lowest and highest rowid of b into *lo, *hi (0 0 when b is empty):
 * FTS5 then seeks to the bitmap's range instead of walking a common word's
 * whole doclist (rowids follow the ingest, mostly the date order, so a date
 * range or a post's years are a narrow range of them) */
static void bits_bounds(const ck_bits *b, sqlite3_int64 *lo, sqlite3_int64 *hi)
{
	size_t w = 0, e = b->nwords;
	*lo = *hi = 0;
	while (w < e && !b->w[w])
		w++;
	while (e > w && !b->w[e - 1])
		e--;
	if (w == e)
		return;
	*lo = (sqlite3_int64)(w * 64 + (size_t)__builtin_ctzll(b->w[w]));
	*hi = (sqlite3_int64)((e - 1) * 64 + (size_t)(63 - __builtin_clzll(b->w[e - 1])));
}

/* the page [offset, offset+limit) of the cables in b in date order,
 * walking the cache's order */
static int walk_page(const struct cols *c, const ck_bits *b, int desc, int offset, int limit, struct ids *page)
{
	size_t skip = (size_t)offset;
	for (size_t i = 0; i < c->norder && page->n < (size_t)limit; i++) {
		size_t r = !desc ? i : i < c->ndated ? c->ndated - 1 - i : i;
		if (!ck_bits_has(b, c->order[r]))
			continue;
		if (skip) {
			skip--;
			continue;
		}
		if (ck_ids_push(page, c->order[r]))
			return CK_ENOMEM;
	}
	return 0;
}

/* Run "SELECT <rid> <from> <extra>" with the query bound first and then
 * the integers x[0..nx), appending each rowid to out (at most max). */
static int plan_prepare(struct plan *p, const char *extra, sqlite3_stmt **st)
{
	ck_buf sql = CK_BUF_INIT;
	ck_buf_printf(&sql, "SELECT %s%s %s", p->rid, p->from.ptr, extra);
	int rc = sql.failed ? SQLITE_NOMEM : sqlite3_prepare_v2(p->a->db, sql.ptr, -1, st, NULL);
	ck_buf_free(&sql);
	return rc == SQLITE_OK ? 0 : ck_archive_sqlerr(p->a, rc, "search");
}

/* run st (plan_prepare's) again with the integers x[0..nx) bound after
 * the query, appending each rowid to out (at most max) */
static int plan_run(struct plan *p, sqlite3_stmt *st, const sqlite3_int64 *x, int nx, struct ids *out, size_t max)
{
	int rc;
	sqlite3_reset(st);
	int k = plan_bind(p, st);
	for (int i = 0; i < nx; i++)
		sqlite3_bind_int64(st, k + i, x[i]);
	while (out->n < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
		if (ck_ids_push(out, sqlite3_column_int64(st, 0))) {
			rc = SQLITE_NOMEM;
			break;
		}
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	return rc == SQLITE_DONE ? 0 : ck_archive_sqlerr(p->a, rc, "search");
}

static int plan_rows(struct plan *p, const char *extra, const sqlite3_int64 *x, int nx, struct ids *out, size_t max)
{
	sqlite3_stmt *st = NULL;
	int rc = plan_prepare(p, extra, &st);
	if (!rc)
		rc = plan_run(p, st, x, nx, out, max);
	sqlite3_finalize(st);
	return rc;
}

/* count(*) of every hit; -1 when it could not be done */
static long long plan_count(struct plan *p)
{
	ck_buf sql = CK_BUF_INIT;
	sqlite3_stmt *st = NULL;
	long long n = -1;
	ck_buf_printf(&sql, "SELECT count(*)%s", p->from.ptr);
	if (sqlite3_prepare_v2(p->a->db, sql.ptr, -1, &st, NULL) == SQLITE_OK) {
		plan_bind(p, st);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	ck_buf_free(&sql);
	return n;
}

/* ---- the search ---- */

static void tags_json(ck_buf *out, const char *tags)
{
	ck_buf_putc(out, '[');
	int first = 1;
	while (tags && *tags) {
		const char *e = strchr(tags, '\t');
		size_t n = e ? (size_t)(e - tags) : strlen(tags);
		if (n) {
			char t[256];
			snprintf(t, sizeof t, "%.*s", (int)(n < 255 ? n : 255), tags);
			if (!first)
				ck_buf_putc(out, ',');
			first = 0;
			ck_json_str(out, t);
		}
		tags = e ? e + 1 : NULL;
	}
	ck_buf_putc(out, ']');
}

/* the JSON of the page's cables, with snippets */
static int page_json(struct plan *p, const struct ids *page, ck_buf *out)
{
	sqlite3_stmt *st = NULL, *snip = NULL;
	struct ck_plain_q *plain = NULL;
	int rc = sqlite3_prepare_v2(p->a->db, "SELECT id, date, origin, marking, subject, tags, lead FROM cable WHERE rowid=?",
				    -1, &st, NULL);
	if (rc == SQLITE_OK && p->q.match) {
		rc = sqlite3_prepare_v2(p->a->db, "SELECT ck_snippet(fts) FROM fts WHERE fts MATCH ?1 AND rowid=?2", -1, &snip,
					NULL);
		if (rc == SQLITE_OK)
			sqlite3_bind_text(snip, 1, p->q.match, -1, SQLITE_STATIC);
	}
	if (rc != SQLITE_OK) {
		rc = ck_archive_sqlerr(p->a, rc, "search");
		goto done;
	}
	/* a match of many plain phrases (a prefix expanded): the same snippets
	 * without FTS5 (snippet.c); CK_SNIPPET_FTS5=1 turns that off, for
	 * comparing the two */
	if (snip && !getenv("CK_SNIPPET_FTS5"))
		plain = ck_snippet_plain_prepare(p->a, p->q.match);
	for (size_t i = 0; i < page->n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, page->v[i]);
		if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
			if (rc == SQLITE_DONE)
				continue;
			rc = ck_archive_sqlerr(p->a, rc, "search");
			goto done;
		}
		ck_buf_puts(out, i ? ",{\"id\":" : "{\"id\":");
		static const char *const keys[] = {NULL, ",\"date\":", ",\"origin\":", ",\"marking\":", ",\"subject\":"};
		for (int k = 0; k < 5; k++) {
			if (keys[k])
				ck_buf_puts(out, keys[k]);
			ck_json_str(out, (const char *)sqlite3_column_text(st, k));
		}
		ck_buf_puts(out, ",\"tags\":");
		tags_json(out, (const char *)sqlite3_column_text(st, 5));
		ck_buf s = CK_BUF_INIT, praw = CK_BUF_INIT;
		char anchor[24] = "";
		/* portion:S iran: the snippet of the matching paragraph (portion.c) */
		int pr = ck_portion_snippet(p->a, &p->q, page->v[i], &praw, anchor);
		if (pr < 0) {
			ck_buf_free(&s);
			rc = pr;
			goto done;
		}
		if (pr > 0) {
			snippet_html(&s, praw.ptr);
			ck_buf_free(&praw);
		} else if (plain) {
			ck_buf raw = CK_BUF_INIT;
			int r = ck_snippet_plain(p->a, plain, page->v[i], &raw);
			if (r < 0) {
				ck_buf_free(&raw);
				ck_buf_free(&s);
				rc = r;
				goto done;
			}
			if (r)
				snippet_html(&s, raw.ptr);
			ck_buf_free(&raw);
			if (!r) { /* out of time: this hit and the rest show their lead */
				ck_snippet_plain_free(plain);
				plain = NULL;
				sqlite3_finalize(snip);
				snip = NULL;
				ck_search_late(p->a);
				lead_text(&s, (const char *)sqlite3_column_text(st, 6));
			}
		} else if (snip) {
			sqlite3_reset(snip);
			sqlite3_bind_int64(snip, 2, page->v[i]);
			rc = sqlite3_step(snip);
			if (rc == SQLITE_INTERRUPT) {
				/* out of time: this hit and the rest show their lead */
				sqlite3_finalize(snip);
				snip = NULL;
				ck_search_late(p->a);
				lead_text(&s, (const char *)sqlite3_column_text(st, 6));
				rc = SQLITE_DONE;
			} else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
				ck_buf_free(&s);
				rc = ck_archive_sqlerr(p->a, rc, "search");
				goto done;
			}
			if (snip)
				snippet_html(&s, rc == SQLITE_ROW ? (const char *)sqlite3_column_text(snip, 0) : NULL);
		} else {
			lead_text(&s, (const char *)sqlite3_column_text(st, 6));
		}
		ck_buf_puts(out, ",\"snippet\":");
		ck_json_str(out, s.ptr ? s.ptr : "");
		if (*anchor) {
			ck_buf_puts(out, ",\"anchor\":");
			ck_json_str(out, anchor);
		}
		ck_buf_free(&s);
		ck_buf_putc(out, '}');
	}
	rc = 0;
done:
	sqlite3_finalize(st);
	sqlite3_finalize(snip);
	ck_snippet_plain_free(plain);
	return rc;
}

/* The page of a large result in date order: the date index walked from
 * the end asked for, each cable tested against the query (stops at the
 * page's last row). */
static int large_date_page(struct plan *p, int desc, int offset, int limit, struct ids *page)
{
	int rc = 0;
	/* dated cables first both ways, then the undated ones by id */
	for (int part = 0; part < 2 && (int)page->n < limit && !rc; part++) {
		ck_buf sql = CK_BUF_INIT;
		sqlite3_stmt *st = NULL;
		const char *member = p->words_only ? "EXISTS(SELECT 1 FROM fts WHERE fts MATCH ?1 AND fts.rowid=c.rowid)"
				     : p->q.match ? "EXISTS(SELECT 1 FROM fts WHERE fts MATCH ?1 AND fts.rowid=c.rowid) AND (%s)"
						  : "(%s)";
		ck_buf_puts(&sql, part ? "SELECT c.rowid FROM cable c WHERE c.date IS NULL AND "
				       : "SELECT c.rowid FROM cable c WHERE c.date IS NOT NULL AND ");
		ck_buf_printf(&sql, member, p->where);
		ck_buf_puts(&sql, part ? " ORDER BY c.id" : desc ? " ORDER BY c.date DESC, c.id" : " ORDER BY c.date, c.id");
		ck_buf_puts(&sql, part ? " LIMIT ? OFFSET ?" : " LIMIT ? OFFSET ?");
		long long skip = offset;
		if (part) { /* past the dated hits: how many there are */
			ck_buf cs = CK_BUF_INIT;
			ck_buf_puts(&cs, "SELECT count(*) FROM cable c WHERE c.date IS NOT NULL AND ");
			ck_buf_printf(&cs, member, p->where);
			rc = sqlite3_prepare_v2(p->a->db, cs.ptr, -1, &st, NULL);
			ck_buf_free(&cs);
			if (rc == SQLITE_OK) {
				plan_bind(p, st);
				if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
					skip = offset + (long long)page->n - sqlite3_column_int64(st, 0);
					rc = SQLITE_OK;
				}
			}
			sqlite3_finalize(st);
			st = NULL;
			if (skip < 0)
				skip = 0;
		}
		if (rc == SQLITE_OK)
			rc = sqlite3_prepare_v2(p->a->db, sql.ptr, -1, &st, NULL);
		ck_buf_free(&sql);
		if (rc != SQLITE_OK)
			return ck_archive_sqlerr(p->a, rc, "search");
		int k = plan_bind(p, st);
		sqlite3_bind_int(st, k, limit - (int)page->n);
		sqlite3_bind_int64(st, k + 1, skip);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			if (ck_ids_push(page, sqlite3_column_int64(st, 0))) {
				rc = SQLITE_NOMEM;
				break;
			}
		sqlite3_finalize(st);
		rc = rc == SQLITE_DONE ? 0 : ck_archive_sqlerr(p->a, rc, "search");
	}
	return rc;
}


/* The fields as a set of rowids (fieldidx.c; out of time, the SQL), and
 * the FROM of every hit */
static int plan_from(struct plan *p, const struct cols *gc)
{
	p->where = p->q.where.ptr;
	if (p->q.nprog && !p->words_only) {
		int rc = ck_fidx_eval(gc ? gc->fx : NULL, p->a, &p->q, &p->bits);
		if (rc && rc != CK_ELIMIT)
			return rc;
		if (rc)
			ck_search_late(p->a);
		else
			p->where = "ck_inset(?, c.rowid)";
	}
	p->fts_seek = p->words_only || (p->q.match && p->bits.w);
	if (p->bits.w)
		bits_bounds(&p->bits, &p->lo, &p->hi);
	p->rid = p->q.match ? "fts.rowid" : "c.rowid";
	if (p->words_only)
		ck_buf_puts(&p->from, " FROM fts WHERE fts MATCH ?");
	else if (p->q.match && p->bits.w)
		ck_buf_puts(&p->from, " FROM fts WHERE fts MATCH ? AND ck_inset(?, fts.rowid)");
	else if (p->q.match)
		ck_buf_printf(&p->from, " FROM fts JOIN cable c ON c.rowid=fts.rowid WHERE fts MATCH ? AND (%s)", p->where);
	else
		ck_buf_printf(&p->from, " FROM cable c WHERE (%s)", p->where);
	return 0;
}

/* about max rowids of b (n of them) spread evenly over it, into out */
static int bits_spread(const ck_bits *b, size_t n, size_t max, struct ids *out)
{
	size_t step = n / (max ? max : 1) + 1, i = 0, next = 0; /* every step-th, from the first */
	for (size_t w = 0; w < b->nwords; w++) {
		size_t pc = (size_t)__builtin_popcountll(b->w[w]);
		if (i + pc <= next) { /* a word without the next one: skipped whole */
			i += pc;
			continue;
		}
		for (uint64_t x = b->w[w]; x; x &= x - 1, i++)
			if (i == next) {
				if (ck_ids_push(out, (sqlite3_int64)(w * 64 + (size_t)__builtin_ctzll(x))))
					return CK_ENOMEM;
				next += step;
			}
	}
	return 0;
}

/* The page [offset, offset+limit) in relevance order: bm25 over the newest
 * `win` listed hits (every hit of an exact result), then the listed hits
 * after them newest first, then - for a large result (`more`), deeper than
 * the listed hits - the older ones by rowid.  Out of time, the listed hits
 * newest first. */
static int rank_page(struct plan *p, const struct ids *hits, size_t win, int offset, int limit, int more,
		     struct ids *page)
{
	int rc = 0;
	if (win > hits->n)
		win = hits->n;
	if ((size_t)offset < win) {
		/* the window's rowid range both ways: FTS5 walks the doclist
		 * between them, not up to the word's newest hit */
		sqlite3_int64 x[4] = {hits->v[win - 1], hits->v[0], limit, offset};
		/* ranked by SQLite's sorter after the other conditions, not by
		 * FTS5's ORDER BY rank over every row the words match (a word +
		 * a field scored all of the word's hits); equal scores newest
		 * first (rank.c, ck_newer) */
		ck_buf ex = CK_BUF_INIT, dfs = CK_BUF_INIT;
		if (p->stats && !ck_termstat_dfs(p->a, p->q.match, &dfs) && dfs.ptr && !dfs.failed)
			ck_buf_printf(&ex,
				      "AND %s BETWEEN ? AND ? ORDER BY ck_rank(fts, '%s'), ck_newer(%s) DESC LIMIT ? OFFSET ?",
				      p->rid, dfs.ptr, p->rid);
		else
			ck_buf_printf(&ex, "AND %s BETWEEN ? AND ? ORDER BY +fts.rank, ck_newer(%s) DESC LIMIT ? OFFSET ?",
				      p->rid, p->rid);
		ck_buf_free(&dfs);
		rc = ex.failed ? CK_ENOMEM : plan_rows(p, ex.ptr, x, 4, page, (size_t)limit);
		ck_buf_free(&ex);
		if (rc) {
			if (rc != CK_ELIMIT)
				return rc;
			rc = 0; /* out of time: the listed hits, newest first */
			ck_search_late(p->a);
			page->n = 0;
			win = 0;
		}
	}
	/* then the listed hits after the window, newest first */
	size_t at = (size_t)offset + page->n;
	for (size_t i = at > win ? at : win; page->n < (size_t)limit && i < hits->n; i++)
		if ((rc = ck_ids_push(page, hits->v[i])))
			return rc;
	at = (size_t)offset + page->n;
	if (page->n < (size_t)limit && more && hits->n && at >= hits->n) {
		/* deeper than the listed hits: the older ones by rowid */
		sqlite3_int64 y[3] = {hits->v[hits->n - 1], (sqlite3_int64)limit - (sqlite3_int64)page->n,
				      (sqlite3_int64)(at - hits->n)};
		char ex[128];
		snprintf(ex, sizeof ex, "AND %s < ? ORDER BY %s DESC LIMIT ? OFFSET ?", p->rid, p->rid);
		if ((rc = plan_rows(p, ex, y, 3, page, (size_t)limit)) && rc != CK_ELIMIT)
			return rc;
		rc = 0;
	}
	return rc;
}

/* A hit listed with its score: bm25 (ck_rank, lower is better) and its
 * place in the date order (ck_newer, -1: undated). */
struct scored {
	sqlite3_int64 row, newer;
	double rank;
};

/* rank_page's order: bm25, then newest (undated last, as SQLite's DESC
 * puts NULL), then the higher rowid */
static int by_score(const void *x, const void *y)
{
	const struct scored *a = x, *b = y;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->newer != b->newer)
		return a->newer > b->newer ? -1 : 1;
	return a->row > b->row ? -1 : a->row < b->row;
}

/* The listing of words with fields whose bitmap is small (at most
 * CK_SCORE_BITS x the exact limit: from:vienna, 3,961 of 2.5M cables):
 * the hits newest first, as plan_rows with `extra`, each scored in the
 * same walk of the word's doclist.  rank_page would walk it a second time
 * to score them (14 ms for `nuclear from:vienna` at 2.5M). */
static int list_scored(struct plan *p, const char *extra, sqlite3_int64 cap, struct ids *hits, struct scored **sv)
{
	ck_buf dfs = CK_BUF_INIT, sql = CK_BUF_INIT;
	sqlite3_stmt *st = NULL;
	*sv = NULL;
	/* the score rank_page sorts by: ck_rank with the vocabulary's
	 * counts, else FTS5's rank (the same bm25, counted by FTS5) */
	if (p->stats && !ck_termstat_dfs(p->a, p->q.match, &dfs) && dfs.ptr && !dfs.failed)
		ck_buf_printf(&sql, "SELECT %s, ck_rank(fts, '%s'), ck_newer(%s)%s %s", p->rid, dfs.ptr, p->rid,
			      p->from.ptr, extra);
	else
		ck_buf_printf(&sql, "SELECT %s, fts.rank, ck_newer(%s)%s %s", p->rid, p->rid, p->from.ptr, extra);
	ck_buf_free(&dfs);
	int rc = sql.failed ? SQLITE_NOMEM : sqlite3_prepare_v2(p->a->db, sql.ptr, -1, &st, NULL);
	ck_buf_free(&sql);
	if (rc != SQLITE_OK)
		return ck_archive_sqlerr(p->a, rc, "search");
	sqlite3_bind_int64(st, plan_bind(p, st), cap);
	size_t n = 0, room = 0;
	struct scored *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == room) {
			struct scored *g = realloc(v, (room = room ? room * 2 : 256) * sizeof *g);
			if (!g) {
				rc = SQLITE_NOMEM;
				break;
			}
			v = g;
		}
		v[n] = (struct scored){sqlite3_column_int64(st, 0),
				       sqlite3_column_type(st, 2) == SQLITE_INTEGER ? sqlite3_column_int64(st, 2) : -1,
				       sqlite3_column_double(st, 1)};
		if (ck_ids_push(hits, v[n++].row)) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(v);
		return ck_archive_sqlerr(p->a, rc, "search");
	}
	*sv = v ? v : malloc(sizeof *v);
	return *sv ? 0 : CK_ENOMEM;
}

/* the page [offset, offset+limit) of the scored hits of an exact result */
static int scored_page(struct scored *v, size_t n, int offset, int limit, struct ids *page)
{
	qsort(v, n, sizeof *v, by_score);
	for (size_t i = (size_t)offset; i < n && page->n < (size_t)limit; i++)
		if (ck_ids_push(page, v[i].row))
			return CK_ENOMEM;
	return 0;
}

/* The page [offset, offset+limit) of a large result of one word, alone or
 * with fields given as a rowid set, in relevance order, when the word has
 * a champion list (termstat.c): the word's best hits by bm25 that the
 * fields keep come first - exactly what bm25 over every hit gives, since
 * the fields do not change a hit's score - then the rest in rank_page's
 * order (bm25 over the newest, then newest first) without them, so that
 * paging neither repeats nor skips a hit.  1 when the page was made, 0
 * when the query has no list to use (rank_page makes the page). */
static int champion_page(struct plan *p, const struct ids *hits, size_t win, int offset, int limit,
			 struct ids *page, int *rc)
{
	sqlite3_int64 champ[CK_CHAMPIONS];
	*rc = 0;
	if (!p->stats || (!p->words_only && !p->bits.w))
		return 0;
	int all = ck_termstat_champions(p->a, p->q.match, champ, CK_CHAMPIONS), nc = 0;
	if (all <= 0)
		return 0;
	for (int i = 0; i < all; i++) /* the ones the fields keep, in order */
		if (p->words_only || ck_bits_has(&p->bits, champ[i]))
			champ[nc++] = champ[i];
	for (int i = offset; i < nc && page->n < (size_t)limit; i++)
		if ((*rc = ck_ids_push(page, champ[i])))
			return 1;
	if (page->n == (size_t)limit || all < CK_CHAMPIONS)
		return 1; /* a short list holds every hit of the word */
	/* the rest: rank_page's order from its start, less the champions */
	size_t skip = (size_t)offset > (size_t)nc ? (size_t)offset - (size_t)nc : 0;
	size_t want = skip + (size_t)limit - page->n;
	struct ids rest = {0};
	if ((*rc = rank_page(p, hits, win, 0, (int)(want + (size_t)nc < INT_MAX ? want + (size_t)nc : INT_MAX), 1,
			     &rest)) == 0) {
		for (size_t i = 0, k = 0; i < rest.n && page->n < (size_t)limit; i++) {
			int is_champ = 0;
			for (int j = 0; j < nc && !is_champ; j++)
				is_champ = rest.v[i] == champ[j];
			if (!is_champ && k++ >= skip && (*rc = ck_ids_push(page, rest.v[i])))
				break;
		}
	}
	free(rest.v);
	return 1;
}

/* the lowest rowid a hit can have: the fields' bitmap's lowest, else 1 */
static sqlite3_int64 plan_bottom(const struct plan *p)
{
	return p->bits.w && p->lo > 1 ? p->lo : 1;
}

/* The sample of a large result: the hits in CK_SAMPLE_WINDOWS windows of
 * rowids spread evenly over [bottom, top] (plan_bottom) (top: the newest listed hit), together
 * about CK_SAMPLE_HITS hits by the density of the listed ones.  *covered:
 * the rowids the windows read (in time).  Only errors other than running
 * out of time are returned. */
static int sample_windows(struct plan *p, const struct ids *hits, struct ids *sample, long long *covered)
{
	sqlite3_int64 top = hits->v[0], span = top - hits->v[hits->n - 1] + 1, bottom = plan_bottom(p);
	double part = hits->n > CK_SAMPLE_HITS ? (double)CK_SAMPLE_HITS / (double)hits->n : 1.0;
	sqlite3_int64 w = (sqlite3_int64)((double)span * part) / CK_SAMPLE_WINDOWS + 1;
	sqlite3_int64 x[2 * CK_SAMPLE_WINDOWS];
	int nx = 0, rc = 0, cut = 0;
	for (int i = 0; i < CK_SAMPLE_WINDOWS; i++) {
		sqlite3_int64 room = top - bottom + 1 - w > 0 ? top - bottom + 1 - w : 0;
		sqlite3_int64 lo = bottom + (sqlite3_int64)((double)room * i / (CK_SAMPLE_WINDOWS - 1));
		if (nx && lo <= x[nx - 1]) /* windows overlap only in a small archive */
			lo = x[nx - 1] + 1;
		if (lo > top)
			break;
		x[nx++] = lo;
		x[nx++] = lo + w - 1 < top ? lo + w - 1 : top;
	}
	/* FTS5 seeks to each window; a query with fields runs once over
	 * the windows (its subqueries are then built once) */
	ck_buf ex = CK_BUF_INIT;
	sqlite3_stmt *win = NULL; /* FTS5: one statement, run once a window */
	*covered = 0;
	if (p->fts_seek) {
		ck_buf_printf(&ex, "AND %s BETWEEN ? AND ?", p->rid);
		if ((rc = plan_prepare(p, ex.ptr, &win)))
			nx = 0;
	}
	for (int i = 0; i < nx; i += 2) {
		if (!p->fts_seek)
			ck_buf_printf(&ex, i ? " OR %s BETWEEN ? AND ?" : "AND (%s BETWEEN ? AND ?", p->rid);
		if (!p->fts_seek && i + 2 < nx)
			continue;
		if (!p->fts_seek)
			ck_buf_putc(&ex, ')');
		if ((rc = win ? plan_run(p, win, x + i, 2, sample, (size_t)-1)
			      : plan_rows(p, ex.ptr, x, nx, sample, (size_t)-1))) {
			if (rc != CK_ELIMIT)
				break;
			rc = 0; /* out of time: what was counted stands */
			cut = 1;
			ck_search_late(p->a);
			break;
		}
		if (p->fts_seek)
			*covered += x[i + 1] - x[i] + 1;
	}
	if (!p->fts_seek && !cut && !rc)
		for (int i = 0; i < nx; i += 2)
			*covered += x[i + 1] - x[i] + 1;
	sqlite3_finalize(win);
	ck_buf_free(&ex);
	if (*covered > top - bottom + 1)
		*covered = top - bottom + 1;
	return rc;
}

/* The page in date order: the cache's order walked against the fields'
 * bitmap (`walk`: fields only, over the exact limit; below it the walk
 * would pass most of the archive for a page), the hits sorted by their columns (an exact result;
 * *lc: the columns read for the facets, unless partial, else read here),
 * or the date index walked (a large result, or out of time). */
static int date_order_page(struct plan *p, const struct cols *gc, struct cols **lc, int lc_partial, int walk,
			   int exact, const struct ids *hits, int desc, int offset, int limit, struct ids *page)
{
	int rc = 0;
	if (walk)
		return walk_page(gc, &p->bits, desc, offset, limit, page);
	if (exact) {
		if (lc_partial) { /* its order was not read */
			ck_cols_free(*lc);
			*lc = NULL;
		}
		if (!gc && !*lc && !(*lc = ck_cols_local(p->a, hits->v, hits->n, &rc, NULL))) {
			if (rc != CK_ELIMIT)
				return rc;
			ck_search_late(p->a); /* out of time: the date index walked, as for a large result */
			rc = large_date_page(p, desc, offset, limit, page);
			return rc == CK_ELIMIT ? 0 : rc;
		}
		return ck_cols_date_page(gc ? gc : *lc, gc != NULL, hits->v, hits->n, desc, offset, limit, page);
	}
	if ((rc = large_date_page(p, desc, offset, limit, page))) {
		if (rc != CK_ELIMIT)
			return rc;
		rc = 0; /* out of time: the listed hits, newest first */
		ck_search_late(p->a);
		page->n = 0;
		for (size_t i = (size_t)offset; i < hits->n && page->n < (size_t)limit; i++)
			if ((rc = ck_ids_push(page, hits->v[i])))
				return rc;
	}
	return rc;
}

/* The document count of a query that is one plain word ("minister"),
 * from the vocabulary table; -1 for any other query or without a table */
static long long one_word_df(const struct plan *p)
{
	if (!p->stats || !p->words_only || strchr(p->q.match, ' ') || strchr(p->q.match, '*'))
		return -1;
	size_t ml = strlen(p->q.match);
	if (ml <= 2 || p->q.match[0] != '"' || p->q.match[ml - 1] != '"')
		return -1;
	return ck_termstat_df(p->a, p->q.match + 1, ml - 2);
}

/* A large result's total and sample: the total exact for one word (the
 * vocabulary's count, else its doclist counted), else estimated from the
 * sample's density (from the listed hits' when no window was read); never
 * below the hits listed. */
static int large_total(struct plan *p, const struct ids *hits, long long known, struct ids *sample, long long *total,
		       int *total_exact)
{
	if (p->words_only && !strchr(p->q.match, ' ') && !strchr(p->q.match, '*')) {
		long long t = known;
		if (t < (long long)hits->n)
			t = plan_count(p); /* ~0.3 us a hit */
		if (t >= 0) {
			*total = t;
			*total_exact = 1;
		} else {
			ck_search_late(p->a);
		}
	}
	sqlite3_int64 top = hits->v[0], span = top - hits->v[hits->n - 1] + 1, range = top - plan_bottom(p) + 1;
	long long covered = 0;
	/* a prefix's rarest words hold few hits but cost a seek a window
	 * each: the sample leaves them out (expand_prefixes) */
	char *match = p->q.match, *few = NULL;
	ck_buf sm = CK_BUF_INIT;
	if (p->typed && ck_termstat_expand(p->a, p->typed, CK_SAMPLE_PREFIX_KEEP, &sm) && !sm.failed)
		p->q.match = few = ck_buf_detach(&sm);
	ck_buf_free(&sm);
	int rc = sample_windows(p, hits, sample, &covered);
	p->q.match = match;
	free(few);
	if (rc)
		return rc;
	if (!*total_exact)
		*total = covered > 0 ? (long long)((double)sample->n * (double)range / (double)covered + 0.5)
				     : (long long)((double)hits->n * (double)range / (double)span + 0.5);
	if (*total < (long long)hits->n)
		*total = (long long)hits->n;
	return 0;
}

/* The start of a search on a: one deadline for every statement (the
 * CK_SEARCH_MS environment variable lowers it, for tests of the
 * out-of-time paths), and one snapshot of the archive (a read transaction)
 * so that the total, the page, its snippets and the facets agree while an
 * ingest commits.  1 when it began the transaction (search_end ends it). */
static int search_begin(ck_archive *a)
{
	a->searches++;
	const char *sm = getenv("CK_SEARCH_MS");
	ck_archive_deadline(a, sm && atoi(sm) > 0 && atoi(sm) < CK_SEARCH_MS ? atoi(sm) : CK_SEARCH_MS);
	return ck_archive_snapshot_begin(a);
}

static void search_end(ck_archive *a, int txn)
{
	ck_archive_deadline(a, 0);
	ck_archive_snapshot_end(a, txn);
}

/* "elect*" as the OR of the words under it, when the vocabulary table
 * matches the archive (termstat.c).  The match as typed is kept: the
 * sample of a large result runs the OR of the most frequent words only,
 * those holding CK_SAMPLE_PREFIX_KEEP of their summed counts (elect*: 10
 * of 32 words hold 99%; each word left out saves a seek in each of the 16
 * windows), expanded then (large_total) */
static void expand_prefixes(struct plan *p)
{
	p->stats = ck_termstat_valid(p->a);
	if (p->stats && p->q.match && strchr(p->q.match, '*')) {
		ck_buf m = CK_BUF_INIT;
		if (ck_termstat_expand(p->a, p->q.match, 1.0, &m) && !m.failed) {
			p->typed = p->q.match;
			p->q.match = ck_buf_detach(&m);
		}
		ck_buf_free(&m);
	}
}

/* The facets of a search, counted and written as JSON: the column facets
 * (FACETS_COLS), then concept, office and people and then portion
 * (FACETS_FIELDS).  With the column cache and its field and paragraph
 * indexes this reads memory only, so a part may run on the handle's
 * helper thread while the search reads its page of hits from SQLite. */
enum { FACETS_COLS = 1, FACETS_FIELDS = 2 };
struct facet_job {
	ck_archive *a;
	int parts;                 /* FACETS_* */
	const struct cols *c;      /* the cache, or the hits' own columns */
	const struct cols *gc;     /* the cache, or NULL */
	const ck_bits *most;       /* count every cable less those not in it (ck_cols_count_most), or NULL */
	const struct ids *fs, *fr; /* the rows counted; those of the field facets */
	size_t got;                /* of fs, the rows whose columns were read */
	double scale, fscale;
	long **cnt;                /* the counts by column value (the search frees them) */
	ck_buf out;
	long long us;              /* its time, for CK_SEARCH_TRACE */
	int rc;
	char err[200];
};

/* a part is worth handing over from a tenth of the exact limit's rows
 * counted (500): below, it costs less than waking the helper */
#define CK_FACET_HELPER_DIV 10

static void facet_run(void *arg)
{
	struct facet_job *j = arg;
	long long t0 = ck_mono_us();
	int rc = 0;
	if (j->parts & FACETS_COLS) {
		rc = j->most ? ck_cols_count_most(j->c, j->most, j->cnt)
			     : ck_cols_count(j->c, j->gc != NULL, j->fs->v, j->got, j->cnt);
		if (!rc)
			ck_cols_facets_json(&j->out, j->c, j->cnt, j->scale);
	}
	if (!rc && (j->parts & FACETS_FIELDS) &&
	    !(rc = ck_field_facets(j->a, j->gc ? j->gc->fx : NULL, j->fr->v, j->fr->n, j->fscale, &j->out)))
		rc = ck_portion_facet(j->a, j->gc ? j->gc->pc : NULL, j->fs->v, j->fs->n, j->scale, &j->out);
	if (!rc && j->out.failed)
		rc = ck_error_set(CK_ENOMEM, "out of memory");
	if (rc) /* the error text is the thread's own: carried to the search */
		snprintf(j->err, sizeof j->err, "%s", rc == CK_ENOMEM ? "out of memory" : ck_error_last());
	j->rc = rc;
	j->us = ck_mono_us() - t0;
}

/* The helper takes part of the facets (j's parts): with two processors or
 * more, the cache and its indexes there (memory only), and rows enough. */
static int facet_hand_over(ck_archive *a, struct facet_job *j, size_t exact_max)
{
	if (!j->gc || !j->gc->fx || !j->gc->pc || j->fs->n < exact_max / CK_FACET_HELPER_DIV || ck_worker_cpus() < 2 ||
	    getenv("CK_SEARCH_SERIAL"))
		return 0;
	if (!a->helper && !(a->helper = ck_worker_new()))
		return 0;
	return ck_worker_start(a->helper, facet_run, j) == 0;
}

int ck_archive_search_json(ck_archive *a, const ck_search_opts *o, ck_buf *out)
{
	struct plan p = {.a = a, .from = CK_BUF_INIT};
	struct ids hits = {0}, page = {0}, sample = {0}, spread = {0};
	struct scored *scored = NULL; /* the hits' scores, when listed with them (list_scored) */
	struct cols *gc = NULL, *lc = NULL;
	long *cnt[K_N] = {0};
	ck_buf pj = CK_BUF_INIT;
	struct facet_job fj = {.out = CK_BUF_INIT}, fm = {.out = CK_BUF_INIT}; /* the helper's part, the search's */
	int rc, helped = 0, handed = 0; /* helped: fj runs on the helper (handed: it did, for the trace) */
	int limit = o->limit <= 0 ? 20 : o->limit > 100 ? 100 : o->limit;
	int offset = o->offset < 0 ? 0 : o->offset > 1000000 ? 1000000 : o->offset;
	const char *sort = o->sort && *o->sort ? o->sort : "relevance";
	if (strcmp(sort, "relevance") && strcmp(sort, "date") && strcmp(sort, "-date"))
		return ck_error_set(CK_EINVAL, "sort: expected relevance, date or -date, not \"%.40s\"", sort);
	long long t_entry = ck_mono_us();
	if ((rc = ck_query_compile(&p.q, o->q)))
		return rc;
	int txn = search_begin(a);
	expand_prefixes(&p);
	p.words_only = p.q.match && !strcmp(p.q.where.ptr, "1");
	int by_rank = p.q.match && !strcmp(sort, "relevance");
	gc = o->facets || !by_rank || p.q.nprog ? ck_cols_acquire(a) : NULL;
	if ((rc = plan_from(&p, gc)))
		goto cleanup;
	int desc = !strcmp(sort, "-date") || (!p.q.match && !strcmp(sort, "relevance"));

	/* ck_rank reads the rows' lengths from the cache, ck_newer its date order */
	a->rank_dlen = gc ? gc->dlen : NULL;
	a->rank_ndlen = gc ? gc->nslot : 0;
	a->rank_rows = gc ? gc->v : NULL;
	a->rank_nrows = gc ? gc->nslot : 0;
	a->rank_ndated = gc ? gc->ndated : 0;

	long long t_start = ck_mono_us();
	/* 1. the hits, newest first, up to one more than the exact limit
	 * (CK_SEARCH_EXACT_MAX lowers it, for tests of the large path) */
	const char *em = getenv("CK_SEARCH_EXACT_MAX");
	size_t exact_max = em && atoi(em) > 0 && atoi(em) < CK_EXACT_MAX ? (size_t)atoi(em) : CK_EXACT_MAX;
	size_t rank_window = exact_max * CK_RANK_WINDOW / CK_EXACT_MAX ? exact_max * CK_RANK_WINDOW / CK_EXACT_MAX : 1;
	/* one word whose count the vocabulary has: a large result is known
	 * before listing, and only the newest that are ranked are listed */
	long long known = one_word_df(&p);
	const sqlite3_int64 cap = known > (long long)exact_max ? (sqlite3_int64)rank_window : (sqlite3_int64)exact_max + 1;
	char extra[160];
	if (p.q.match && p.bits.w) /* words and fields: the doclist within the bitmap's range */
		snprintf(extra, sizeof extra, "AND %s BETWEEN %lld AND %lld ORDER BY %s DESC LIMIT ?", p.rid,
			 (long long)p.lo, (long long)p.hi, p.rid);
	else
		snprintf(extra, sizeof extra, "ORDER BY %s DESC LIMIT ?", p.rid);
	int cut = 0; /* out of time while listing: what was listed stands */
	int fields_only = !p.q.match && p.bits.w;
	long long nbits = fields_only ? (long long)ck_bits_count(&p.bits) : 0;
	/* fields alone over more than CK_COLS_SPREAD x the exact limit
	 * (tag:PREL, 1.33M of 2.5M cables): the total is the bitmap's count,
	 * the date order walks the cache against the bitmap, and the facets
	 * count an even spread of the bitmap, so that no hit is listed (at
	 * 2.5M, listing and counting every hit took 20-80 ms) */
	size_t cols_max = exact_max * CK_COLS_SPREAD;
	int big = fields_only && gc && (size_t)nbits > cols_max;
	if (fields_only && !big) {
		/* every hit when the cache counts the facets and walks the date
		 * order, else the newest; the total is exact either way */
		if ((rc = bits_rows(&p.bits, gc ? SIZE_MAX : (size_t)cap, &hits)))
			goto cleanup;
	} else if (fields_only) {
		/* listed only below */
	} else if (by_rank && p.bits.w && gc && ck_bits_count(&p.bits) <= exact_max * CK_SCORE_BITS &&
		   (rc = list_scored(&p, extra, cap, &hits, &scored))) {
		if (rc != CK_ELIMIT)
			goto cleanup;
		rc = 0;
		cut = 1;
		ck_search_late(a);
	} else if (!scored && (rc = plan_rows(&p, extra, &cap, 1, &hits, (size_t)cap))) {
		if (rc != CK_ELIMIT)
			goto cleanup;
		rc = 0;
		cut = 1;
		ck_search_late(a);
	}
	long long t_list = ck_mono_us();
	int exact = (hits.n <= exact_max || (fields_only && gc)) && !big && !cut && known <= (long long)exact_max;
	long long total = fields_only ? nbits : (long long)hits.n;
	int total_exact = exact || fields_only, sampled = 0, lc_partial = 0;
	double scale = 1.0;

	if (!exact && fields_only) {
		/* facets from hits spread evenly over the set: the exact limit's
		 * worth without the cache, CK_COLS_SPREAD x more with it (only
		 * the facets read them) */
		if (o->facets && (rc = bits_spread(&p.bits, (size_t)nbits, big ? cols_max : exact_max, &sample)))
			goto cleanup;
		scale = sample.n ? (double)total / (double)sample.n : 1.0;
		sampled = 1;
	} else if (!exact && !hits.n) {
		sampled = 1; /* nothing listed in time */
	} else if (!exact) {
		if ((rc = large_total(&p, &hits, known, &sample, &total, &total_exact)))
			goto cleanup;
		scale = sample.n ? (double)total / (double)sample.n : 1.0;
		sampled = 1;
	}

	long long t_sample = ck_mono_us();
	/* 4. facets: the hits, or the sample, counted from the columns (fj),
	 * on the helper while the page is read when it can */
	struct ids *fs = exact ? &hits : &sample;
	if (o->facets) {
		size_t got = fs->n;
		if (!gc && !(lc = ck_cols_local(a, fs->v, fs->n, &rc, &got)))
			goto cleanup;
		if (got < fs->n) { /* out of time: the facets of the rows read, scaled */
			lc_partial = 1;
			scale = got ? (double)total / (double)got : 1.0;
			sampled = 1;
		}
		/* the field facets (concept, office, people) of more hits than
		 * the exact limit: counted over an even spread of that many and
		 * scaled.  Their values are many (a person a few cables), so each
		 * hit costs a cache miss or more: at 250,000 cables the people of
		 * 20,000 hits of date:2007 took ~2 ms, of 5,000 ~0.5
		 * (docs/archive.md) */
		const struct ids *fr = fs;
		double fscale = scale;
		if (fs->n > exact_max) {
			for (size_t i = 0; i < exact_max && !rc; i++)
				rc = ck_ids_push(&spread, fs->v[i * fs->n / exact_max]);
			if (rc)
				goto cleanup;
			fscale = scale * (double)fs->n / (double)spread.n;
			fr = &spread;
			sampled = 1;
		}
		fj = (struct facet_job){.a = a, .parts = FACETS_COLS | FACETS_FIELDS, .c = gc ? gc : lc, .gc = gc,
					.fs = fs, .fr = fr, .got = got, .scale = scale, .fscale = fscale, .cnt = cnt,
					.out = CK_BUF_INIT};
		/* most of the archive (to:secstate, 97% at 250,000): every
		 * cable's counts, less those of the few the query leaves out */
		if (gc && fields_only && fs == &hits && got == (size_t)nbits && got > gc->nslot / 2)
			fj.most = &p.bits;
		/* fields alone read a page in little time: the helper takes the
		 * field facets, and the search counts the columns after its page */
		fm = fj;
		if (fields_only) {
			fj.parts = FACETS_FIELDS;
			fm.parts = FACETS_COLS;
		} else {
			fm.parts = 0;
		}
		/* here, or on the helper: before the page either way, whose
		 * date order may rebuild lc */
		if (!(handed = helped = facet_hand_over(a, &fj, exact_max))) {
			fj.parts |= fm.parts;
			fm.parts = 0;
			facet_run(&fj);
			if (fj.rc) {
				rc = ck_error_set(fj.rc, "%s", fj.err);
				goto cleanup;
			}
		}
	}

	long long t_facets = ck_mono_us();
	/* 5. the page */
	if (scored && exact) {
		if ((rc = scored_page(scored, hits.n, offset, limit, &page)))
			goto cleanup;
	} else if (by_rank) {
		int made = !exact && champion_page(&p, &hits, rank_window, offset, limit, &page, &rc);
		if (made && rc)
			goto cleanup;
		if (!made && (rc = rank_page(&p, &hits, exact ? hits.n : rank_window, offset, limit, !exact, &page)))
			goto cleanup;
	} else if ((rc = date_order_page(&p, gc, &lc, lc_partial, fields_only && gc && (big || hits.n > exact_max), exact,
					 &hits, desc, offset, limit, &page))) {
		goto cleanup;
	}
	a->rank_dlen = NULL;
	a->rank_rows = NULL;
	long long t_page = ck_mono_us();
	if (!total_exact && total < (long long)offset + (long long)page.n)
		total = (long long)offset + (long long)page.n; /* an estimate is at least what is shown */
	if ((rc = page_json(&p, &page, &pj)))
		goto cleanup;
	long long t_json = ck_mono_us();
	if (fm.parts)
		facet_run(&fm);
	if (helped) { /* not started yet (a busy machine wakes the helper late): done here */
		if (ck_worker_reclaim(a->helper))
			facet_run(&fj), handed = 0;
		else
			ck_worker_wait(a->helper);
		helped = 0;
	}
	if (fj.rc || fm.rc) {
		rc = fj.rc ? ck_error_set(fj.rc, "%s", fj.err) : ck_error_set(fm.rc, "%s", fm.err);
		goto cleanup;
	}
	ck_buf_printf(out, "{\"total\":%lld,\"total_exact\":%s,\"facets_sampled\":%s,\"hits\":[", total,
		      total_exact ? "true" : "false", o->facets && sampled ? "true" : "false");
	if (pj.len)
		ck_buf_put(out, pj.ptr, pj.len);
	ck_buf_putc(out, ']');
	if (o->facets) { /* the column facets open the object; the fields follow */
		const ck_buf *first = fm.parts ? &fm.out : &fj.out, *then = fm.parts ? &fj.out : NULL;
		ck_buf_put(out, first->ptr, first->len);
		if (then)
			ck_buf_put(out, then->ptr, then->len);
		ck_buf_putc(out, '}');
	}
	ck_buf_putc(out, '}');
	if (getenv("CK_SEARCH_TRACE"))
		fprintf(stderr, "search %s: plan %.2f ms, list %.2f, total+sample %.2f, facets %.2f%s, page %.2f, hits %.2f, wait %.2f\n",
			o->q, (t_start - t_entry) / 1e3, (t_list - t_start) / 1e3, (t_sample - t_list) / 1e3,
			(fj.us + fm.us) / 1e3, handed ? " (helper)" : "", (t_page - t_facets) / 1e3,
			(t_json - t_page) / 1e3, (ck_mono_us() - t_json) / 1e3);
cleanup:
	if (helped && !ck_worker_reclaim(a->helper)) /* the job reads the hits and the cache: it ends first */
		ck_worker_wait(a->helper);
	ck_buf_free(&fj.out);
	ck_buf_free(&fm.out);
	a->rank_dlen = NULL; /* lent from gc, released here */
	a->rank_rows = NULL;
	if (gc)
		ck_cols_release();
	search_end(a, txn);
	for (int k = 0; k < K_N; k++)
		free(cnt[k]);
	ck_cols_free(lc);
	free(hits.v);
	free(page.v);
	free(sample.v);
	free(spread.v);
	free(scored);
	ck_buf_free(&pj);
	ck_buf_free(&p.from);
	ck_bits_free(&p.bits);
	ck_query_free(&p.q);
	free(p.typed);
	return rc;
}

