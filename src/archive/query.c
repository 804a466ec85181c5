/*
 * query.c - the query language of DESIGN.md, compiled: the tree that
 * query_parse.c reads (the grammar is in its header comment) becomes SQL
 * over the `cable` table plus an FTS5 MATCH expression, and the filter
 * program (ck_query.prog) that search.c runs over rowid sets.
 *
 * User text never reaches SQL: field values are bound parameters, and
 * words become FTS5 strings ("..." with quotes doubled), so FTS5 syntax
 * typed by the user (NEAR, ^, col:, +) is just text.  Subtrees made only
 * of words and phrases compile into a single FTS5 expression; the top one
 * ranks the hits (bm25) and makes the snippets.
 */
#include "archive/query.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- compiling ---------------------------------------------------------- */

struct comp {
	ck_buf where;
	char **params;
	int nparams, cap;
	int err;
	struct parser *ps;
	ck_qop *prog;       /* the filter program (ck_query.prog) */
	int nprog, progcap;
};

static void add_param(struct comp *c, const char *s, size_t n)
{
	if (c->nparams == c->cap) {
		int cap = c->cap ? c->cap * 2 : 8;
		char **p = realloc(c->params, (size_t)cap * sizeof *p);
		if (!p) {
			c->err = CK_ENOMEM;
			return;
		}
		c->params = p;
		c->cap = cap;
	}
	char *d = strndup(s, n);
	if (!d) {
		c->err = CK_ENOMEM;
		return;
	}
	c->params[c->nparams++] = d;
}

static void add_params(struct comp *c, const char *s)
{
	add_param(c, s, strlen(s));
}

/* an FTS5 string literal (termstat.c quotes words with it too) */
void ck_fts_quote(ck_buf *b, const char *s)
{
	ck_buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			ck_buf_putc(b, '"');
		ck_buf_putc(b, *s);
	}
	ck_buf_putc(b, '"');
}

static void fts_emit(ck_buf *b, const struct node *n);

/* AND of the fts children of n (positives, then NOT negatives) */
static void fts_and(ck_buf *b, const struct node *n, int only_fts)
{
	int first = 1;
	ck_buf_puts(b, "((");
	for (const struct node *k = n->kid; k; k = k->next) {
		if (k->kind == N_NOT || (only_fts && !ck_query_is_fts_(k)))
			continue;
		if (!first)
			ck_buf_puts(b, " AND ");
		first = 0;
		fts_emit(b, k);
	}
	ck_buf_putc(b, ')');
	for (const struct node *k = n->kid; k; k = k->next) {
		if (k->kind != N_NOT || !ck_query_is_fts_(k->kid))
			continue;
		ck_buf_puts(b, " NOT ");
		fts_emit(b, k->kid);
	}
	ck_buf_putc(b, ')');
}

static void fts_emit(ck_buf *b, const struct node *n)
{
	switch (n->kind) {
	case N_TEXT:
		if (n->subject)
			ck_buf_puts(b, "subject : ");
		ck_fts_quote(b, n->text);
		if (n->prefix)
			ck_buf_puts(b, " *");
		break;
	case N_OR:
		ck_buf_putc(b, '(');
		for (const struct node *k = n->kid; k; k = k->next) {
			if (k != n->kid)
				ck_buf_puts(b, " OR ");
			fts_emit(b, k);
		}
		ck_buf_putc(b, ')');
		break;
	case N_AND:
		fts_and(b, n, 0);
		break;
	default:
		break;
	}
}

static void upper(char *s)
{
	for (; *s; s++)
		*s = (char)toupper((unsigned char)*s);
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* a LIKE pattern: pre + value (with % _ \ escaped) + post */
static void like_param(struct comp *c, const char *pre, const char *v, const char *post)
{
	ck_buf b = CK_BUF_INIT;
	ck_buf_puts(&b, pre);
	for (; *v; v++) {
		if (*v == '%' || *v == '_' || *v == '\\')
			ck_buf_putc(&b, '\\');
		ck_buf_putc(&b, *v);
	}
	ck_buf_puts(&b, post);
	add_param(c, b.ptr ? b.ptr : "", b.len);
	ck_buf_free(&b);
}

/* one end of a date range: YYYY, YYYY-MM or YYYY-MM-DD */
static int date_ok(const char *s, size_t n)
{
	if (n != 4 && n != 7 && n != 10)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return 0;
		} else if (!isdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	if (n >= 7) {
		int m = (s[5] - '0') * 10 + (s[6] - '0');
		if (m < 1 || m > 12)
			return 0;
	}
	if (n == 10) { /* a day of the month: 2007-02-30 and 2007-04-31 are no days */
		static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
		int y = atoi(s), m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
		int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		if (d < 1 || d > days[m - 1] || (m == 2 && d == 29 && !leap))
			return 0;
	}
	return 1;
}

static void comp_date(struct comp *c, const struct node *n, const char *col)
{
	const char *v = n->text, *dots = strstr(v, "..");
	const char *lo = v, *hi = v;
	size_t nlo = strlen(v), nhi = nlo;
	if (dots) {
		nlo = (size_t)(dots - v);
		hi = dots + 2;
		nhi = strlen(hi);
	}
	if ((nlo && !date_ok(lo, nlo)) || (nhi && !date_ok(hi, nhi)) || (!nlo && !nhi)) {
		c->err = ck_query_perr_(c->ps, (size_t)n->pos, "bad date \"%.60s\" (expected 2007, 2007-07, 2007-07-09 or a range such as 2007-01..2008-06, ..2008, 2007..)", v);
		return;
	}
	if (nlo && nhi && strncmp(lo, hi, nlo < nhi ? nlo : nhi) > 0) {
		c->err = ck_query_perr_(c->ps, (size_t)n->pos, "empty date range \"%.60s\"", v);
		return;
	}
	ck_buf_putc(&c->where, '(');
	if (nlo) {
		ck_buf_printf(&c->where, "%s >= ?", col);
		add_param(c, lo, nlo);
	}
	if (nhi) {
		char buf[16];
		memcpy(buf, hi, nhi);
		buf[nhi] = '~'; /* after every "YYYY-MM-DDThh..." with that prefix */
		ck_buf_printf(&c->where, "%s%s < ?", nlo ? " AND " : "", col);
		add_param(c, buf, nhi + 1);
	}
	ck_buf_putc(&c->where, ')');
}

static const char *class_name(const char *v)
{
	static const struct { const char *abbr, *name; } t[] = {
		{"U", "UNCLASSIFIED"}, {"LOU", "LIMITED OFFICIAL USE"}, {"LIMITED", "LIMITED OFFICIAL USE"},
		{"C", "CONFIDENTIAL"}, {"S", "SECRET"}, {"TS", "TOP SECRET"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!strcmp(v, t[i].abbr))
			return t[i].name;
	return v;
}

/* portion:S - cables with a paragraph so marked; with words (scoped by
 * scope_portion), cables with such a paragraph holding them: one MATCH
 * over the paragraph index's rowids of that level (portion.c) */
static void comp_portion(struct comp *c, const struct node *n, const char *v)
{
	int level, cav;
	char lv[8], cv[8];
	if (ck_portion_parse(v, &level, &cav) || (cav & CK_PC_OTHER)) {
		c->err = ck_query_perr_(c->ps, (size_t)n->pos, "portion: takes a level (U, SBU, LOU, C, S, TS) and caveats"
				" NF, REL, FGI (portion:S//NF), not \"%.40s\"", v);
		return;
	}
	snprintf(lv, sizeof lv, "%d", level);
	snprintf(cv, sizeof cv, "%d", cav);
	if (!n->kid) {
		ck_buf_puts(&c->where, "c.rowid IN (SELECT cable FROM portion WHERE level = CAST(? AS INTEGER)"
				       " AND (caveat & ?) = CAST(? AS INTEGER))");
		add_params(c, lv);
		add_params(c, cv);
		add_params(c, cv);
		return;
	}
	ck_buf f = CK_BUF_INIT;
	fts_emit(&f, n->kid);
	ck_buf_puts(&c->where, "c.rowid IN (SELECT (rowid >> 14) & 1073741823 FROM pfts WHERE pfts MATCH ?"
			       " AND rowid >= (CAST(? AS INTEGER) << 44) AND rowid < ((CAST(? AS INTEGER) + 1) << 44)"
			       " AND ((rowid >> 10) & 15 & ?) = CAST(? AS INTEGER))");
	add_param(c, f.ptr ? f.ptr : "", f.len);
	ck_buf_free(&f);
	add_params(c, lv);
	add_params(c, lv);
	add_params(c, cv);
	add_params(c, cv);
}

/* id:, cites:, citedby: - an id as typed, canonical or an alias.  The
 * parameters alternate the canonical id and (id: only) the id as typed. */
static void comp_id(struct comp *c, const struct node *n, char *v)
{
	char canon[256];
	const char *sql, *odd = canon;
	int nparams = 4;
	if (n->field == F_ID && n->prefix) { /* the canonical ids, and the other ids a cable is known by */
		upper(v);
		ck_buf_puts(&c->where, "(c.id LIKE ? ESCAPE '\\' OR c.id IN (SELECT id FROM alias WHERE alias LIKE ? ESCAPE '\\'))");
		like_param(c, "", v, "%");
		like_param(c, "", v, "%");
		return;
	}
	ck_archive_canon_id(v, canon, sizeof canon);
	if (n->field == F_ID) {
		sql = "(c.id=? OR c.id=? OR c.id IN (SELECT id FROM alias WHERE alias=? OR alias=?))";
		odd = v;
	} else if (n->field == F_CITES) {
		sql = "c.rowid IN (SELECT src FROM edge WHERE dst=? OR dst=(SELECT id FROM alias WHERE alias=?)"
		      " OR dst IN (SELECT alias FROM alias WHERE id=(SELECT coalesce((SELECT id FROM alias WHERE alias=?), ?))))";
	} else {
		sql = "c.id IN (SELECT coalesce((SELECT id FROM alias WHERE alias=e.dst), e.dst) FROM edge e"
		      " WHERE e.src=(SELECT rowid FROM cable WHERE id=coalesce((SELECT id FROM alias WHERE alias=?), ?)))";
		nparams = 2;
	}
	ck_buf_puts(&c->where, sql);
	for (int i = 0; i < nparams; i++)
		add_params(c, i % 2 ? odd : canon);
}

/* concept:, drafter:, office:, current: - fields of 1970s telegrams and
 * PlusD records (table `field`) */
static void comp_record(struct comp *c, const struct node *n, char *v)
{
	ck_buf *w = &c->where;
	/* a drafter is found anywhere in "NEA/RA:DTMORRISON:BDF" */
	const char *kind = n->field == F_CONCEPT ? "concept" : n->field == F_DRAFTER ? "drafter" :
			   n->field == F_OFFICE ? "office" : "current";
	upper(v);
	ck_buf_printf(w, "c.rowid IN (SELECT cable FROM field WHERE kind='%s' AND ", kind);
	if (n->field == F_DRAFTER) {
		ck_buf_puts(w, "value LIKE ? ESCAPE '\\')");
		like_param(c, "%", v, "%");
	} else if (n->prefix) {
		ck_buf_puts(w, "value LIKE ? ESCAPE '\\')");
		like_param(c, "", v, "%");
	} else {
		ck_buf_puts(w, "value=?)");
		add_params(c, n->field == F_CURRENT ? class_name(v) : v);
	}
}

/* a person or a name (docs/people.md): the persons of persons.c.  A
 * person id with "~" (a period or post apart) is itself; "prodi" is every
 * person of the surname ("prodi", "prodi_romano", "prodi~embassy-rome-2005");
 * "Romano Prodi" is the key "prodi_romano" and its periods apart, with the
 * cables that name the surname alone where they fit him (persons.c) */
static void comp_person(struct comp *c, const struct node *n, const char *v)
{
	char key[256];
	if (strchr(v, '~') || ck_person_key(v, key, sizeof key)) {
		snprintf(key, sizeof key, "%.200s", v);
		lower(key);
	}
	/* ranges of pcable's primary key (person ids are lower case; a LIKE,
	 * blind to case, scanned the whole table: 1.75 million rows at 250,000
	 * cables): "key*" is [key, key\xff); a surname adds its full keys
	 * [key_, key`) and its persons apart [key~, key\x7f); a full key its
	 * persons apart; an id with "~" is itself (fieldidx.c answers the same
	 * params for the server: H_SPAN) */
	char r[4][264];
	int apart = strchr(key, '~') != NULL, full = strchr(key, '_') != NULL;
	snprintf(r[0], sizeof r[0], "%s%s", key, n->prefix ? "" : full || apart ? "" : "_");
	snprintf(r[1], sizeof r[1], "%s%s", key, n->prefix ? "\xff" : full || apart ? "" : "`");
	snprintf(r[2], sizeof r[2], "%s%s", key, n->prefix || apart ? "" : "~");
	snprintf(r[3], sizeof r[3], "%s%s", key, n->prefix || apart ? "" : "\x7f");
	ck_buf_puts(&c->where, "c.rowid IN (SELECT cable FROM pcable WHERE person=?"
			       " OR (person>=? AND person<?) OR (person>=? AND person<?))");
	add_params(c, key);
	for (int i = 0; i < 4; i++)
		add_params(c, r[i]);
}

static void comp_field(struct comp *c, const struct node *n)
{
	char v[512];
	snprintf(v, sizeof v, "%s", n->text);
	ck_buf *w = &c->where;
	switch (n->field) {
	case F_FROM:
	case F_TO: {
		/* whole words, punctuation a blank on both sides (ck_words):
		 * to:nsc finds "WHITE HOUSE WASHINGTON DC//NSC//" */
		ck_buf wv = CK_BUF_INIT;
		ck_words(&wv, v);
		char x[sizeof v]; /* the words without their outer blanks */
		snprintf(x, sizeof x, "%.*s", wv.len > 2 ? (int)wv.len - 2 : 0, wv.len > 2 ? wv.ptr + 1 : "");
		ck_buf_free(&wv);
		const char *post = n->prefix ? "%" : " %";
		if (n->field == F_FROM) {
			ck_buf_puts(w, "(ck_words(c.origin) LIKE ? ESCAPE '\\' OR ck_words(c.sender) LIKE ? ESCAPE '\\')");
			like_param(c, "% ", x, post);
			like_param(c, "% ", x, post);
		} else {
			ck_buf_puts(w, "c.rowid IN (SELECT cable FROM addressee WHERE ck_words(name) LIKE ? ESCAPE '\\' OR route=?)");
			like_param(c, "% ", x, post);
			upper(v);
			add_params(c, v);
		}
		break;
	}
	case F_TAG:
	case F_CAVEAT:
	case F_SIGNER: {
		const char *tn = n->field == F_TAG ? "tag" : n->field == F_CAVEAT ? "caveat" : "signer";
		const char *cn = n->field == F_SIGNER ? "name" : tn;
		upper(v);
		if (n->prefix) {
			ck_buf_printf(w, "c.rowid IN (SELECT cable FROM %s WHERE %s LIKE ? ESCAPE '\\')", tn, cn);
			like_param(c, "", v, "%");
		} else {
			ck_buf_printf(w, "c.rowid IN (SELECT cable FROM %s WHERE %s=?)", tn, cn);
			add_params(c, v);
		}
		break;
	}
	case F_CLASS:
	case F_MARKING: {
		const char *col = n->field == F_CLASS ? "c.classification" : "c.marking";
		upper(v);
		if (n->prefix) {
			ck_buf_printf(w, "%s LIKE ? ESCAPE '\\'", col);
			like_param(c, "", v, "%");
		} else {
			ck_buf_printf(w, "%s=?", col);
			add_params(c, n->field == F_CLASS ? class_name(v) : v);
		}
		break;
	}
	case F_ID:
	case F_CITES:
	case F_CITEDBY:
		comp_id(c, n, v);
		break;
	case F_CONCEPT:
	case F_DRAFTER:
	case F_OFFICE:
	case F_CURRENT:
		comp_record(c, n, v);
		break;
	case F_PERSON:
		comp_person(c, n, v);
		break;
	case F_REVIEW:
		ck_buf_puts(w, "c.rowid IN (SELECT cable FROM field WHERE kind='review' AND ");
		comp_date(c, n, "value");
		ck_buf_putc(w, ')');
		break;
	case F_DATE:
		comp_date(c, n, "c.date");
		break;
	case F_DECL:
		comp_date(c, n, "c.decl");
		break;
	case F_PORTION:
		comp_portion(c, n, v);
		break;
	case F_SUBJECT:
		break;
	}
}

static void comp_sql(struct comp *c, const struct node *n);

/* ---- the filter program: the same conditions as rowid sets ---- */

static void qop_free(ck_qop *op)
{
	free(op->value);
	free(op->sql);
	for (int i = 0; i < op->nparams; i++)
		free(op->params[i]);
	free(op->params);
}

static void prog_push(struct comp *c, ck_qop op)
{
	if (!c->err && c->nprog == c->progcap) {
		int cap = c->progcap ? c->progcap * 2 : 8;
		ck_qop *p = realloc(c->prog, (size_t)cap * sizeof *p);
		if (p) {
			c->prog = p;
			c->progcap = cap;
		} else {
			c->err = CK_ENOMEM;
		}
	}
	if (c->err) {
		qop_free(&op);
		return;
	}
	c->prog[c->nprog++] = op;
}

static void prog_fts(struct comp *c, const struct node *n, int only_fts)
{
	ck_buf f = CK_BUF_INIT;
	if (n->kind == N_AND)
		fts_and(&f, n, only_fts);
	else
		fts_emit(&f, n);
	if (ck_buf_failed(&f))
		c->err = CK_ENOMEM;
	prog_push(c, (ck_qop){.kind = CK_QOP_FTS, .value = f.len ? ck_buf_detach(&f) : NULL});
	ck_buf_free(&f);
}

static void prog_node(struct comp *c, const struct node *n);
static int has_fts_positive(const struct node *n);

/* the AND of n's children; fts: 0 each child, 1 the FTS ones as one set,
 * 2 the FTS ones left out (they are the query's match) */
static void prog_and(struct comp *c, const struct node *n, int fts)
{
	int k = 0;
	if (fts == 1) {
		prog_fts(c, n, 1);
		k++;
	}
	for (const struct node *x = n->kid; x; x = x->next) {
		if (fts && (ck_query_is_fts_(x) || (x->kind == N_NOT && ck_query_is_fts_(x->kid))))
			continue;
		prog_node(c, x);
		k++;
	}
	if (k != 1)
		prog_push(c, (ck_qop){.kind = CK_QOP_AND, .nkids = k});
}

static void prog_node(struct comp *c, const struct node *n)
{
	if (c->err)
		return;
	if (ck_query_is_fts_(n)) {
		prog_fts(c, n, 0);
		return;
	}
	switch (n->kind) {
	case N_FIELD: {
		struct comp s = {.where = CK_BUF_INIT, .ps = c->ps};
		comp_field(&s, n);
		ck_qop op = {.kind = CK_QOP_FIELD, .field = ck_query_field_name_(n->field), .prefix = n->prefix,
			     .value = strdup(n->text), .params = s.params, .nparams = s.nparams};
		op.sql = s.where.len ? ck_buf_detach(&s.where) : NULL;
		if (s.err || !op.value || !op.sql)
			c->err = s.err ? s.err : CK_ENOMEM;
		ck_buf_free(&s.where);
		prog_push(c, op);
		break;
	}
	case N_NOT:
		prog_node(c, n->kid);
		prog_push(c, (ck_qop){.kind = CK_QOP_NOT});
		break;
	case N_OR: {
		int k = 0;
		for (const struct node *x = n->kid; x; x = x->next, k++)
			prog_node(c, x);
		prog_push(c, (ck_qop){.kind = CK_QOP_OR, .nkids = k});
		break;
	}
	case N_AND:
		prog_and(c, n, has_fts_positive(n));
		break;
	default:
		break;
	}
}

/* an FTS expression as an SQL condition */
static void comp_match(struct comp *c, ck_buf *fts)
{
	ck_buf_puts(&c->where, "c.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)");
	add_param(c, fts->ptr ? fts->ptr : "", fts->len);
}

/* the AND of n's children that are not part of its FTS expression */
static void comp_and_rest(struct comp *c, const struct node *n, int skip_fts)
{
	int first = 1;
	for (const struct node *k = n->kid; k; k = k->next) {
		if (skip_fts && (ck_query_is_fts_(k) || (k->kind == N_NOT && ck_query_is_fts_(k->kid))))
			continue;
		ck_buf_puts(&c->where, first ? "(" : " AND ");
		first = 0;
		comp_sql(c, k);
	}
	ck_buf_puts(&c->where, first ? "1" : ")");
}

static int has_fts_positive(const struct node *n)
{
	for (const struct node *k = n->kid; k; k = k->next)
		if (k->kind != N_NOT && ck_query_is_fts_(k))
			return 1;
	return 0;
}

static void comp_sql(struct comp *c, const struct node *n)
{
	if (c->err)
		return;
	if (ck_query_is_fts_(n)) {
		ck_buf f = CK_BUF_INIT;
		fts_emit(&f, n);
		comp_match(c, &f);
		ck_buf_free(&f);
		return;
	}
	switch (n->kind) {
	case N_FIELD:
		comp_field(c, n);
		break;
	case N_NOT: /* NULL columns must not make NOT unknown */
		ck_buf_puts(&c->where, "NOT coalesce((");
		comp_sql(c, n->kid);
		ck_buf_puts(&c->where, "), 0)");
		break;
	case N_OR:
		ck_buf_putc(&c->where, '(');
		for (const struct node *k = n->kid; k; k = k->next) {
			if (k != n->kid)
				ck_buf_puts(&c->where, " OR ");
			comp_sql(c, k);
		}
		ck_buf_putc(&c->where, ')');
		break;
	case N_AND:
		if (has_fts_positive(n)) {
			ck_buf f = CK_BUF_INIT;
			fts_and(&f, n, 1);
			ck_buf_putc(&c->where, '(');
			comp_match(c, &f);
			ck_buf_free(&f);
			ck_buf_puts(&c->where, " AND ");
			comp_and_rest(c, n, 1);
			ck_buf_putc(&c->where, ')');
		} else {
			comp_and_rest(c, n, 0);
		}
		break;
	default:
		break;
	}
}


static void dump(ck_buf *b, const struct node *n)
{
	switch (n->kind) {
	case N_TEXT:
	case N_FIELD:
		if (n->kind == N_FIELD || n->subject)
			ck_buf_printf(b, "%s:", n->kind == N_FIELD ? ck_query_field_name_(n->field) : "subject");
		if (n->phrase)
			ck_buf_printf(b, "\"%s\"", n->text);
		else
			ck_buf_puts(b, n->text);
		if (n->prefix)
			ck_buf_putc(b, '*');
		if (n->kind == N_FIELD && n->kid) { /* the words a portion: restricts */
			ck_buf_putc(b, '[');
			dump(b, n->kid);
			ck_buf_putc(b, ']');
		}
		break;
	default:
		ck_buf_puts(b, n->kind == N_AND ? "(AND" : n->kind == N_OR ? "(OR" : "(NOT");
		for (const struct node *k = n->kid; k; k = k->next) {
			ck_buf_putc(b, ' ');
			dump(b, k);
		}
		ck_buf_putc(b, ')');
	}
}

int ck_query_compile(ck_query *out, const char *q)
{
	struct parser ps = {0};
	struct comp c = {0};
	struct node *root = NULL;
	ck_buf tree = CK_BUF_INIT, fts = CK_BUF_INIT;
	int rc = 0;
	memset(out, 0, sizeof *out);
	if ((rc = ck_query_parse_(&ps, q ? q : "", &root)))
		goto cleanup;
	c.ps = &ps;
	if (!root) {
		ck_buf_puts(&c.where, "1");
	} else if (ck_query_is_fts_(root)) {
		fts_emit(&fts, root);
		ck_buf_puts(&c.where, "1");
	} else if (root->kind == N_AND && has_fts_positive(root)) {
		fts_and(&fts, root, 1);
		comp_and_rest(&c, root, 1);
		prog_and(&c, root, 2);
	} else {
		comp_sql(&c, root);
		prog_node(&c, root);
	}
	if (c.err || ps.err) {
		rc = ps.err ? ps.err : ck_error_set(CK_ENOMEM, "out of memory");
		goto cleanup;
	}
	if (root)
		dump(&tree, root);
	if (ck_buf_failed(&fts) || ck_buf_failed(&tree) || ck_buf_failed(&c.where)) {
		rc = ck_error_set(CK_ENOMEM, "out of memory");
		goto cleanup;
	}
	out->match = fts.len ? ck_buf_detach(&fts) : NULL;
	out->where = c.where;
	c.where = (ck_buf)CK_BUF_INIT;
	out->params = c.params;
	out->nparams = c.nparams;
	c.params = NULL;
	c.nparams = 0;
	out->prog = c.prog;
	out->nprog = c.nprog;
	c.prog = NULL;
	c.nprog = 0;
	out->tree = tree.len ? ck_buf_detach(&tree) : strdup("");
cleanup:
	ck_query_node_free_(root);
	free(ps.val);
	for (int i = 0; i < c.nparams; i++)
		free(c.params[i]);
	free(c.params);
	for (int i = 0; i < c.nprog; i++)
		qop_free(&c.prog[i]);
	free(c.prog);
	ck_buf_free(&c.where);
	ck_buf_free(&tree);
	ck_buf_free(&fts);
	return rc;
}

void ck_query_free(ck_query *q)
{
	if (!q)
		return;
	free(q->match);
	ck_buf_free(&q->where);
	for (int i = 0; i < q->nparams; i++)
		free(q->params[i]);
	free(q->params);
	for (int i = 0; i < q->nprog; i++)
		qop_free(&q->prog[i]);
	free(q->prog);
	free(q->tree);
	memset(q, 0, sizeof *q);
}

int ck_query_bind(const ck_query *q, sqlite3_stmt *st, int first)
{
	if (q->match)
		sqlite3_bind_text(st, first++, q->match, -1, SQLITE_STATIC);
	for (int i = 0; i < q->nparams; i++)
		sqlite3_bind_text(st, first++, q->params[i], -1, SQLITE_STATIC);
	return first;
}
