/*
 * portion.c - portion markings in the archive: what level and caveats a
 * paragraph's marking says ("(S//NF)" is SECRET, NOFORN; "(C/REL NATO)"
 * CONFIDENTIAL, REL), the paragraph index behind `portion:S iran`, the
 * paragraph facet of a search and the paragraph tables of `stats`.
 *
 * Every marked paragraph is one row of the FTS5 table `pfts`, whose rowid
 * says where it is: level << 44 | cable << 14 | caveats << 10 | index (the
 * paragraph's place in the contract JSON, below 1024).  The level is the
 * top field, so `portion:S iran` is one MATCH over the rowid range of the
 * SECRET paragraphs, and a cable's paragraphs of one level are one range
 * too (the snippet of a hit).  The text is not stored again: the view
 * `pfts_content` reads paragraph `index` out of the stored JSON
 * (ck_para()), as `fts_content` reads the body.  `para` holds the rowids
 * and the paragraph's anchor on the cable page ("p7", "p7-2", "u3");
 * `portion` counts a cable's paragraphs by (level, caveats), level 0 for
 * paragraphs without a marking (`portion:S` alone, the facet, stats).
 */
#include "archive/archive.h"
#include "util/jsonstr.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const ck_portion_levels[CK_PL_N] = {"none", "U", "SBU", "LOU", "C", "S", "TS"};

/* ---- markings ---------------------------------------------------------- */

static int word_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && !strncasecmp(w, s, n);
}

int ck_portion_parse(const char *m, int *level, int *caveats)
{
	static const struct { const char *w; int level, caveats; } first[] = {
		{"U", CK_PL_U, 0}, {"UNCLAS", CK_PL_U, 0}, {"UNCLASSIFIED", CK_PL_U, 0}, {"FOUO", CK_PL_U, 0},
		{"SBU", CK_PL_SBU, 0}, {"LOU", CK_PL_LOU, 0}, {"C", CK_PL_C, 0}, {"CONFIDENTIAL", CK_PL_C, 0},
		{"CNF", CK_PL_C, CK_PC_NF}, {"S", CK_PL_S, 0}, {"SECRET", CK_PL_S, 0}, {"SNF", CK_PL_S, CK_PC_NF},
		{"TS", CK_PL_TS, 0},
	};
	*level = CK_PL_NONE;
	*caveats = 0;
	if (!m)
		return -1;
	const char *p = m;
	while (*p == ' ')
		p++;
	size_t n = 0;
	while (isalpha((unsigned char)p[n]))
		n++;
	/* "U.S." is text, not a marking: the level ends at a separator */
	if (!n || (p[n] && !strchr("/ -,", p[n])))
		return -1;
	if (word_is(p, n, "TOP")) { /* "TOP SECRET" */
		const char *q = p + n;
		while (*q == ' ')
			q++;
		if (strncasecmp(q, "SECRET", 6) || isalpha((unsigned char)q[6]))
			return -1;
		*level = CK_PL_TS;
		p = q + 6;
	} else {
		for (size_t i = 0; i < sizeof first / sizeof first[0]; i++)
			if (word_is(p, n, first[i].w)) {
				*level = first[i].level;
				*caveats = first[i].caveats;
			}
		if (!*level)
			return -1;
		p += n;
	}
	/* the caveats: NF (NOFORN), REL (the countries after it are its
	 * own), FGI; any other word is "another caveat" */
	for (int rel = 0; *p;) {
		while (*p && !isalpha((unsigned char)*p))
			p++;
		for (n = 0; isalpha((unsigned char)p[n]);)
			n++;
		if (!n)
			break;
		if (word_is(p, n, "NF") || word_is(p, n, "NOFORN"))
			*caveats |= CK_PC_NF;
		else if (word_is(p, n, "REL"))
			*caveats |= CK_PC_REL, rel = 1;
		else if (word_is(p, n, "FGI"))
			*caveats |= CK_PC_FGI;
		else if (!rel)
			*caveats |= CK_PC_OTHER;
		p += n;
	}
	return 0;
}

/* ---- the paragraphs of contract JSON ----------------------------------- */

/* the end of the JSON string whose opening quote is at p[-1]: its closing
 * quote, or NULL */
static const char *str_end(const char *p, const char *end)
{
	for (; p < end; p++) {
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p;
	}
	return NULL;
}

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
		p++;
	return p;
}

/* One flat paragraph object at p ('{'): its n, marking and text (as
 * escaped, without quotes; NULL when null).  Returns the byte after it. */
static const char *para_obj(const char *p, const char *end, int *num, const char **mark, size_t *ml,
			    const char **text, size_t *tl)
{
	*num = 0;
	*mark = *text = NULL;
	*ml = *tl = 0;
	if (p >= end || *p != '{')
		return NULL;
	for (p = skip_ws(p + 1, end); p < end && *p != '}';) {
		if (*p != '"')
			return NULL;
		const char *k = p + 1, *ke = str_end(k, end);
		if (!ke || (p = skip_ws(ke + 1, end)) >= end || *p != ':')
			return NULL;
		p = skip_ws(p + 1, end);
		const char *v = p, *ve;
		if (p < end && *p == '"') {
			if (!(ve = str_end(p + 1, end)))
				return NULL;
			p = ve + 1;
			v++;
		} else {
			while (p < end && (isalnum((unsigned char)*p) || *p == '-' || *p == '.'))
				p++;
			ve = p;
			if (ve == v)
				return NULL; /* an object or an array: not a paragraph */
		}
		int isstr = v > k && v[-1] == '"';
		if (ke - k == 1 && *k == 'n')
			*num = atoi(v);
		else if (ke - k == 7 && !memcmp(k, "marking", 7) && isstr)
			*mark = v, *ml = (size_t)(ve - v);
		else if (ke - k == 4 && !memcmp(k, "text", 4) && isstr)
			*text = v, *tl = (size_t)(ve - v);
		p = skip_ws(p, end);
		if (p < end && *p == ',')
			p = skip_ws(p + 1, end);
	}
	return p < end ? p + 1 : NULL;
}

/* The anchor of a paragraph on the cable page (page_cable.c): p<N>, then
 * p<N>-2 for a number seen again, u<i> without a number. */
static void anchor_of(char out[24], int num, size_t idx, unsigned short seen[1000])
{
	if (num > 0 && num < 1000) {
		int k = ++seen[num];
		if (k == 1)
			snprintf(out, 24, "p%d", num);
		else
			snprintf(out, 24, "p%d-%d", num, k);
	} else {
		snprintf(out, 24, "u%zu", idx + 1);
	}
}

typedef int (*para_fn)(void *ctx, size_t idx, const char *anchor, const char *mark, const char *text);

/* Call fn for each paragraph of the JSON json[0..len) in order, with its
 * marking and text decoded (mark NULL when none).  0, or CK_EPARSE when the
 * paragraphs are not as the writer makes them, or fn's non-zero return. */
static int each_para(const char *json, size_t len, para_fn fn, void *ctx)
{
	const char *end = json + len, *p = memmem(json, len, ",\"paragraphs\":[", 15);
	unsigned short seen[1000] = {0};
	ck_buf mark = CK_BUF_INIT, text = CK_BUF_INIT;
	int rc = 0;
	if (!p)
		return 0;
	p = skip_ws(p + 15, end);
	for (size_t idx = 0; !rc && p < end && *p != ']'; idx++) {
		const char *m, *t;
		size_t ml, tl;
		int num;
		char anchor[24];
		if (!(p = para_obj(p, end, &num, &m, &ml, &t, &tl))) {
			rc = CK_EPARSE;
			break;
		}
		anchor_of(anchor, num, idx, seen);
		ck_buf_clear(&mark);
		ck_buf_clear(&text);
		/* ck_json_unescape reads up to the closing quote */
		if ((m && ck_json_unescape(&mark, m, end)) || (t && ck_json_unescape(&text, t, end))) {
			rc = CK_EPARSE;
			break;
		}
		rc = fn(ctx, idx, anchor, m ? (mark.ptr ? mark.ptr : "") : NULL, text.ptr ? text.ptr : "");
		p = skip_ws(p, end);
		if (p < end && *p == ',')
			p = skip_ws(p + 1, end);
	}
	ck_buf_free(&mark);
	ck_buf_free(&text);
	return rc;
}

/* ---- ingest: what a cable adds --------------------------------------- */

struct pent {
	sqlite3_int64 key;  /* level << 44 | caveats << 10 | index (the cable added when stored) */
	char anchor[24];
	size_t off, len;    /* its indexed text in ck_portions.text */
};

struct ck_portions {
	struct pent *v;
	size_t n, cap;
	ck_buf text;                          /* the indexed texts, one after another */
	int count[CK_PL_N][CK_PC_ALL + 1];    /* paragraphs by level and caveats */
};

static int collect(void *ctx, size_t idx, const char *anchor, const char *mark, const char *text)
{
	struct ck_portions *ps = ctx;
	int level = 0, cav = 0;
	if (ck_portion_parse(mark, &level, &cav))
		level = cav = 0;
	ps->count[level][cav]++;
	if (!level || idx >= 1024)
		return 0;
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 16;
		struct pent *v = realloc(ps->v, cap * sizeof *v);
		if (!v)
			return CK_ENOMEM;
		ps->v = v;
		ps->cap = cap;
	}
	struct pent *e = &ps->v[ps->n++];
	e->key = (sqlite3_int64)level << 44 | (sqlite3_int64)cav << 10 | (sqlite3_int64)idx;
	snprintf(e->anchor, sizeof e->anchor, "%s", anchor);
	e->off = ps->text.len;
	if (ck_fts_text(&ps->text, text))
		return CK_ENOMEM;
	e->len = ps->text.len - e->off;
	return 0;
}

int ck_portions_prepare(struct ck_portions **out, const char *json, size_t len)
{
	struct ck_portions *ps = calloc(1, sizeof *ps);
	*out = NULL;
	if (!ps)
		return CK_ENOMEM;
	int rc = each_para(json, len, collect, ps);
	if (rc == CK_EPARSE) { /* not the writer's paragraphs: none indexed */
		memset(ps->count, 0, sizeof ps->count);
		ps->n = 0;
		rc = 0;
	}
	if (rc || ck_buf_failed(&ps->text)) {
		ck_portions_free(ps);
		return CK_ENOMEM;
	}
	*out = ps;
	return 0;
}

void ck_portions_free(struct ck_portions *ps)
{
	if (!ps)
		return;
	free(ps->v);
	ck_buf_free(&ps->text);
	free(ps);
}

/* statements of this file: slots CK_STMT_PORTION.. of ck_archive.cache */
static sqlite3_stmt *pstmt(ck_archive *a, int i, const char *sql)
{
	sqlite3_stmt **st = &a->cache[CK_STMT_PORTION + i];
	if (*st) {
		sqlite3_reset(*st);
		sqlite3_clear_bindings(*st);
		return *st;
	}
	int rc = sqlite3_prepare_v3(a->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
	if (rc != SQLITE_OK) {
		ck_archive_sqlerr(a, rc, "prepare");
		*st = NULL;
	}
	return *st;
}

static int run(ck_archive *a, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : ck_archive_sqlerr(a, rc, what);
}

#define CABLE_MASK 1073741823LL /* 30 bits of cable rowid */

int ck_portions_unstore(ck_archive *a, sqlite3_int64 rowid)
{
	/* the rows held are in para already: the index must have them too
	 * before it takes them back */
	int rc = ck_portions_flush(a);
	/* the index takes the old text back (external content), level by level */
	for (int level = 1; level < CK_PL_N && !rc; level++) {
		sqlite3_int64 lo = (sqlite3_int64)level << 44 | rowid << 14, hi = lo + (1 << 14);
		sqlite3_stmt *st = pstmt(a, 0, "INSERT INTO pfts(pfts, rowid, text) SELECT 'delete', rid, text"
					       " FROM pfts_content WHERE rid >= ?1 AND rid < ?2");
		sqlite3_stmt *del = st ? pstmt(a, 1, "DELETE FROM para WHERE rid >= ?1 AND rid < ?2") : NULL;
		if (!del)
			return CK_EIO;
		sqlite3_bind_int64(st, 1, lo);
		sqlite3_bind_int64(st, 2, hi);
		sqlite3_bind_int64(del, 1, lo);
		sqlite3_bind_int64(del, 2, hi);
		if (!(rc = run(a, st, "updating the paragraph index")))
			rc = run(a, del, "updating the paragraph index");
	}
	sqlite3_stmt *st = rc ? NULL : pstmt(a, 2, "DELETE FROM portion WHERE cable=?1");
	if (!rc && !st)
		return CK_EIO;
	if (!rc) {
		sqlite3_bind_int64(st, 1, rowid);
		rc = run(a, st, "updating the paragraph counts");
	}
	return rc;
}

/* The paragraph index's rows of the open transaction.  FTS5 writes the
 * terms it holds as a new segment whenever a rowid comes lower than the
 * one before, and the level is the rowid's top field: inserted cable by
 * cable, nearly every cable started a segment (tiny ones, merged again
 * and again: a third of an ingest's CPU at 20,000 cables).  Held and
 * written in rowid order before the commit, a transaction is one
 * segment, or a few when they pass the hash size or PPEND_MAX. */
#define PPEND_MAX (32u << 20) /* bytes of text held at most */

struct ck_ppend {
	struct prow {
		sqlite3_int64 rid;
		size_t off, len; /* in text */
	} *v;
	size_t n, cap;
	ck_buf text;
};

static int prow_cmp(const void *x, const void *y)
{
	sqlite3_int64 a = ((const struct prow *)x)->rid, b = ((const struct prow *)y)->rid;
	return a < b ? -1 : a > b;
}

static int ppend_add(ck_archive *a, sqlite3_int64 rid, const char *text, size_t len)
{
	struct ck_ppend *q = a->ppend;
	if (!q && !(q = a->ppend = calloc(1, sizeof *q)))
		return ck_error_set(CK_ENOMEM, "out of memory");
	if (q->n == q->cap) {
		size_t cap = q->cap ? 2 * q->cap : 1024;
		struct prow *v = realloc(q->v, cap * sizeof *v);
		if (!v)
			return ck_error_set(CK_ENOMEM, "out of memory");
		q->v = v;
		q->cap = cap;
	}
	q->v[q->n++] = (struct prow){rid, q->text.len, len};
	ck_buf_put(&q->text, text, len);
	return q->text.failed ? ck_error_set(CK_ENOMEM, "out of memory") : 0;
}

int ck_portions_flush(ck_archive *a)
{
	struct ck_ppend *q = a->ppend;
	int rc = 0;
	if (!q || !q->n)
		return 0;
	qsort(q->v, q->n, sizeof *q->v, prow_cmp);
	for (size_t i = 0; i < q->n && !rc; i++) {
		sqlite3_stmt *f = pstmt(a, 4, "INSERT INTO pfts(rowid, text) VALUES(?1, ?2)");
		if (!f)
			return CK_EIO;
		sqlite3_bind_int64(f, 1, q->v[i].rid);
		sqlite3_bind_text(f, 2, q->text.ptr ? q->text.ptr + q->v[i].off : "", (int)q->v[i].len,
				  SQLITE_STATIC);
		rc = run(a, f, "indexing a paragraph");
	}
	q->n = 0;
	ck_buf_clear(&q->text);
	return rc;
}

void ck_portions_drop(ck_archive *a)
{
	if (!a->ppend)
		return;
	free(a->ppend->v);
	ck_buf_free(&a->ppend->text);
	free(a->ppend);
	a->ppend = NULL;
}

int ck_portions_store(ck_archive *a, sqlite3_int64 rowid, const struct ck_portions *ps)
{
	int rc = 0;
	if (!ps || rowid < 0 || rowid > CABLE_MASK)
		return 0;
	for (size_t i = 0; i < ps->n && !rc; i++) {
		const struct pent *e = &ps->v[i];
		sqlite3_int64 rid = e->key | rowid << 14;
		sqlite3_stmt *p = pstmt(a, 3, "INSERT INTO para(rid, anchor) VALUES(?1, ?2)");
		if (!p)
			return CK_EIO;
		sqlite3_bind_int64(p, 1, rid);
		sqlite3_bind_text(p, 2, e->anchor, -1, SQLITE_STATIC);
		if (!(rc = run(a, p, "storing a paragraph")))
			rc = ppend_add(a, rid, ps->text.ptr ? ps->text.ptr + e->off : "", e->len);
	}
	/* no transaction to hold them for, or enough held (a migration's
	 * backfill is one transaction over the whole archive) */
	if (!rc && (sqlite3_get_autocommit(a->db) || (a->ppend && a->ppend->text.len >= PPEND_MAX)))
		rc = ck_portions_flush(a);
	for (int l = 0; l < CK_PL_N && !rc; l++)
		for (int c = 0; c <= CK_PC_ALL && !rc; c++) {
			if (!ps->count[l][c])
				continue;
			sqlite3_stmt *st = pstmt(a, 5, "INSERT INTO portion(cable, level, caveat, n) VALUES(?1, ?2, ?3, ?4)");
			if (!st)
				return CK_EIO;
			sqlite3_bind_int64(st, 1, rowid);
			sqlite3_bind_int(st, 2, l);
			sqlite3_bind_int(st, 3, c);
			sqlite3_bind_int(st, 4, ps->count[l][c]);
			rc = run(a, st, "storing paragraph counts");
		}
	return rc;
}

/* Schema 4: the paragraphs of the cables stored before, from their JSON. */
int ck_portions_backfill(ck_archive *a)
{
	sqlite3_stmt *st = NULL;
	ck_buf json = CK_BUF_INIT;
	int rc = sqlite3_prepare_v2(a->db, "SELECT c.rowid, v.json FROM cable c JOIN version v"
					   " ON v.cable=c.rowid AND v.n=c.version ORDER BY c.rowid", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return ck_archive_sqlerr(a, rc, "reading cables");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ck_portions *ps = NULL;
		const void *p = sqlite3_column_blob(st, 1);
		int n = sqlite3_column_bytes(st, 1);
		ck_buf_clear(&json);
		if (p && n > 0 && (rc = ck_blob_unpack(&json, p, (size_t)n)))
			break;
		if ((rc = ck_portions_prepare(&ps, json.ptr ? json.ptr : "", json.len)))
			break;
		rc = ck_portions_store(a, sqlite3_column_int64(st, 0), ps);
		ck_portions_free(ps);
		if (rc)
			break;
	}
	if (rc == SQLITE_DONE)
		rc = ck_portions_flush(a) ? CK_EIO : SQLITE_DONE;
	rc = rc == SQLITE_DONE ? 0 : rc > 0 ? ck_archive_sqlerr(a, rc, "indexing paragraphs") : rc;
	sqlite3_finalize(st);
	ck_buf_free(&json);
	return rc;
}

/* SQL ck_para(json, index): the text of paragraph `index` of a version's
 * stored JSON as the paragraph index holds it (the view pfts_content) */
struct pick {
	size_t idx;
	ck_buf *out;
	int found;
};

static int pick_one(void *ctx, size_t idx, const char *anchor, const char *mark, const char *text)
{
	struct pick *k = ctx;
	(void)anchor;
	(void)mark;
	if (idx != k->idx)
		return 0;
	k->found = 1;
	return ck_fts_text(k->out, text) ? CK_ENOMEM : 1; /* 1: stop */
}

static void sql_para(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	ck_buf json = CK_BUF_INIT, out = CK_BUF_INIT;
	const void *p = sqlite3_value_blob(argv[0]);
	int n = sqlite3_value_bytes(argv[0]);
	struct pick k = {(size_t)sqlite3_value_int64(argv[1]), &out, 0};
	(void)argc;
	if (p && n > 0 && ck_blob_unpack(&json, p, (size_t)n) == 0 && json.ptr)
		each_para(json.ptr, json.len, pick_one, &k);
	ck_buf_free(&json);
	if (k.found && out.ptr && !ck_buf_failed(&out)) {
		sqlite3_result_text(cx, out.ptr, (int)out.len, free);
		return;
	}
	ck_buf_free(&out);
	sqlite3_result_null(cx);
}

int ck_portion_register(sqlite3 *db)
{
	return sqlite3_create_function(db, "ck_para", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
				       NULL, sql_para, NULL, NULL);
}

/* ---- search: the snippet of a hit, the paragraph facet --------------- */

/* is op a portion: leaf with words (query.c gives it the params match,
 * level, level, caveats, caveats)? */
static int words_leaf(const ck_qop *op)
{
	return op->kind == CK_QOP_FIELD && !strcmp(op->field, "portion") && op->nparams == 5;
}

/* the snippet of cable rowid from its first paragraph (in the text) that
 * leaf op matches, and that paragraph's anchor.  Not the best by bm25:
 * bm25 reads the whole doclist of every word to weigh it, per hit. */
static int leaf_snippet(ck_archive *a, const ck_qop *op, sqlite3_int64 rowid, ck_buf *raw, char anchor[24])
{
	sqlite3_stmt *st = pstmt(a, 6, "SELECT rowid FROM pfts WHERE pfts MATCH ?1 AND rowid >= ?2 AND rowid < ?3"
				       " AND ((rowid >> 10) & 15 & ?4) = ?4");
	if (!st)
		return CK_EIO;
	sqlite3_int64 lo = (sqlite3_int64)atoi(op->params[1]) << 44 | rowid << 14, best = -1;
	sqlite3_bind_text(st, 1, op->params[0], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, lo);
	sqlite3_bind_int64(st, 3, lo + (1 << 14));
	sqlite3_bind_int(st, 4, atoi(op->params[3]));
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) { /* the lowest paragraph index */
		sqlite3_int64 r = sqlite3_column_int64(st, 0);
		if (best < 0 || (r & 1023) < (best & 1023))
			best = r;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ck_archive_sqlerr(a, rc, "search");
	if (best < 0)
		return 0;
	if (!(st = pstmt(a, 8, "SELECT ck_snippet(pfts), (SELECT anchor FROM para WHERE rid=pfts.rowid)"
			       " FROM pfts WHERE pfts MATCH ?1 AND rowid = ?2")))
		return CK_EIO;
	sqlite3_bind_text(st, 1, op->params[0], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, best);
	int found = 0;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0), *an = (const char *)sqlite3_column_text(st, 1);
		ck_buf_puts(raw, s ? s : "");
		snprintf(anchor, 24, "%s", an ? an : "");
		found = 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ck_archive_sqlerr(a, rc, "search");
	return found;
}

int ck_portion_snippet(ck_archive *a, const ck_query *q, sqlite3_int64 rowid, ck_buf *raw, char anchor[24])
{
	*anchor = 0;
	if (rowid < 0 || rowid > CABLE_MASK)
		return 0;
	/* the first portion: leaf with words that this hit matches */
	for (int i = 0; i < q->nprog; i++) {
		int rc = words_leaf(&q->prog[i]) ? leaf_snippet(a, &q->prog[i], rowid, raw, anchor) : 0;
		if (rc)
			return rc;
	}
	return 0;
}

/* Paragraphs by level of every cable, by rowid: built with the process's
 * column cache (search.c, on its thread), so the facet costs a few adds a
 * hit instead of a lookup. */
struct ck_pcounts {
	size_t nslot;
	unsigned short (*n)[CK_PL_N]; /* saturating at 65535 */
};

void ck_portion_counts_free(ck_pcounts *c)
{
	if (c) {
		free(c->n);
		free(c);
	}
}

ck_pcounts *ck_portion_counts(ck_archive *a, size_t nslot)
{
	sqlite3_stmt *st = NULL;
	ck_pcounts *c = calloc(1, sizeof *c);
	if (!c || !(c->n = calloc(nslot ? nslot : 1, sizeof *c->n)))
		goto fail;
	c->nslot = nslot;
	int rc = sqlite3_prepare_v2(a->db, "SELECT cable, level, n FROM portion WHERE level > 0", -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 r = sqlite3_column_int64(st, 0);
		int l = sqlite3_column_int(st, 1), n = sqlite3_column_int(st, 2);
		if (r >= 0 && (size_t)r < c->nslot && l > 0 && l < CK_PL_N) {
			int v = c->n[r][l] + n;
			c->n[r][l] = (unsigned short)(v > 65535 ? 65535 : v);
		}
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE || rc == SQLITE_OK)
		return c;
fail:
	ck_portion_counts_free(c);
	return NULL;
}

int ck_portion_facet(ck_archive *a, const ck_pcounts *c, const sqlite3_int64 *rows, size_t n, double scale,
		     ck_buf *out)
{
	long cnt[CK_PL_N] = {0};
	sqlite3_stmt *st = c ? NULL : pstmt(a, 9, "SELECT level, n FROM portion WHERE cable=?1 AND level > 0");
	for (size_t i = 0; c && i < n; i++) {
		if (i + 16 < n && rows[i + 16] >= 0 && (size_t)rows[i + 16] < c->nslot)
			__builtin_prefetch(c->n[rows[i + 16]]); /* a spread of hits: a cache miss each */
		if (rows[i] >= 0 && (size_t)rows[i] < c->nslot)
			for (int l = 1; l < CK_PL_N; l++)
				cnt[l] += c->n[rows[i]][l];
	}
	for (size_t i = 0; st && i < n; i++) { /* out of time: what was counted stands */
		int rc;
		sqlite3_bind_int64(st, 1, rows[i]);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			if (sqlite3_column_int(st, 0) < CK_PL_N)
				cnt[sqlite3_column_int(st, 0)] += sqlite3_column_int(st, 1);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			break;
	}
	/* by count, then from the lowest level */
	int ord[CK_PL_N - 1];
	for (int l = 1; l < CK_PL_N; l++) {
		int k = l - 1;
		while (k > 0 && cnt[ord[k - 1]] < cnt[l]) {
			ord[k] = ord[k - 1];
			k--;
		}
		ord[k] = l;
	}
	ck_buf_puts(out, ",\"portion\":[");
	for (int i = 0, first = 1; i < CK_PL_N - 1; i++) {
		long v = cnt[ord[i]];
		if (!v)
			continue;
		if (scale != 1.0 && (v = (long)((double)v * scale + 0.5)) < 1)
			v = 1;
		ck_buf_printf(out, "%s[\"%s\",%ld]", first ? "" : ",", ck_portion_levels[ord[i]], v);
		first = 0;
	}
	ck_buf_putc(out, ']');
	return 0;
}

/* ---- stats ---------------------------------------------------------- */

/* ,"<key>":[{"<col>":v,"paragraphs":N,"none":n,"U":n,...},...] */
static int stats_table(ck_archive *a, ck_buf *out, const char *key, const char *col)
{
	sqlite3_stmt *st = NULL;
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT c.%s, p.level, sum(p.n) FROM portion p JOIN cable c ON c.rowid=p.cable"
				  " WHERE c.%s IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2", col, col);
	int rc = sqlite3_prepare_v2(a->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return ck_archive_sqlerr(a, rc, "counting paragraphs");
	ck_buf_printf(out, ",\"%s\":[", key);
	ck_buf prev = CK_BUF_INIT;
	long long n[CK_PL_N] = {0};
	int have = 0, emitted = 0; /* a row in progress; rows written */
	for (;;) {
		rc = sqlite3_step(st);
		const char *v = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
		if (have && (!v || strcmp(v, prev.ptr ? prev.ptr : ""))) {
			long long total = 0;
			for (int l = 0; l < CK_PL_N; l++)
				total += n[l];
			ck_buf_printf(out, "%s{\"%s\":", emitted++ ? "," : "", col);
			ck_json_str(out, prev.ptr ? prev.ptr : "");
			ck_buf_printf(out, ",\"paragraphs\":%lld", total);
			for (int l = 0; l < CK_PL_N; l++)
				ck_buf_printf(out, ",\"%s\":%lld", ck_portion_levels[l], n[l]);
			ck_buf_putc(out, '}');
			memset(n, 0, sizeof n);
			have = 0;
		}
		if (rc != SQLITE_ROW)
			break;
		if (!have) {
			ck_buf_clear(&prev);
			ck_buf_puts(&prev, v ? v : "");
			have = 1;
		}
		int l = sqlite3_column_int(st, 1);
		if (l >= 0 && l < CK_PL_N)
			n[l] += sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	ck_buf_free(&prev);
	ck_buf_putc(out, ']');
	return rc == SQLITE_DONE ? 0 : ck_archive_sqlerr(a, rc, "counting paragraphs");
}

int ck_portion_stats_json(ck_archive *a, ck_buf *out)
{
	int rc;
	ck_buf_puts(out, ",\"portions\":{\"levels\":[");
	for (int l = 0; l < CK_PL_N; l++)
		ck_buf_printf(out, "%s\"%s\"", l ? "," : "", ck_portion_levels[l]);
	ck_buf_putc(out, ']');
	if ((rc = stats_table(a, out, "by_year", "year")) ||
	    (rc = stats_table(a, out, "by_classification", "classification")))
		return rc;
	ck_buf_putc(out, '}');
	return 0;
}
