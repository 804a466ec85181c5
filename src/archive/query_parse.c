/*
 * query_parse.c - the query language of DESIGN.md, read: a lexer (next:
 * words, "phrases", prefix*, field:value, parentheses, OR/AND/NOT, -word)
 * and a recursive-descent parser into a tree of nodes (query.h), then
 * portion: scoping (the words a portion: field restricts).  query.c
 * compiles the tree into SQL; nothing here knows SQL.
 *
 *   query   := or
 *   or      := and ("OR" and)*
 *   and     := unary (["AND"] unary)*          (AND is implicit)
 *   unary   := ("NOT" | "-") unary | primary
 *   primary := "(" or ")" | word | word* | "phrase" | field:value
 *
 * Precedence: NOT > AND > OR.  Limits (length, terms, nesting, prefix
 * cost) keep hostile input cheap; an error names its line and column.
 */
#include "archive/query.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	enum field f;
} fields[] = {
	{"from", F_FROM}, {"to", F_TO}, {"tag", F_TAG}, {"class", F_CLASS},
	{"marking", F_MARKING}, {"caveat", F_CAVEAT}, {"subject", F_SUBJECT},
	{"id", F_ID}, {"cites", F_CITES}, {"citedby", F_CITEDBY},
	{"signer", F_SIGNER}, {"date", F_DATE}, {"decl", F_DECL},
	{"origin", F_FROM}, {"classification", F_CLASS},
	{"concept", F_CONCEPT}, {"drafter", F_DRAFTER}, {"office", F_OFFICE},
	{"current", F_CURRENT}, {"review", F_REVIEW}, {"person", F_PERSON},
	{"portion", F_PORTION},
};
#define NFIELDS (sizeof fields / sizeof fields[0])

int ck_query_perr_(struct parser *ps, size_t pos, const char *fmt, ...)
{
	char msg[600];
	int line = 1, col = 1;
	va_list ap;
	if (ps->err)
		return ps->err;
	for (size_t i = 0; i < pos && i < ps->len; i++) {
		unsigned char c = (unsigned char)ps->q[i];
		if (c == '\n') {
			line++;
			col = 1;
		} else if ((c & 0xC0) != 0x80) {
			col++;
		}
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ps->err = ck_error_set(CK_EPARSE, "query:%d:%d: %s", line, col, msg);
	return ps->err;
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* true when s holds something the tokenizer indexes (letters, digits,
 * anything non-ASCII) */
static int has_token_chars(const char *s)
{
	for (; *s; s++)
		if (isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), d[32];
	if (la > 30 || lb > 30)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		d[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t prev = d[0];
		d[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cur = d[j];
			size_t best = prev + (tolower((unsigned char)a[i - 1]) != b[j - 1]);
			if (d[j] + 1 < best)
				best = d[j] + 1;
			if (d[j - 1] + 1 < best)
				best = d[j - 1] + 1;
			d[j] = best;
			prev = cur;
		}
	}
	return d[lb];
}

static char *dupn(const char *s, size_t n)
{
	char *r = malloc(n + 1);
	if (r) {
		memcpy(r, s, n);
		r[n] = 0;
	}
	return r;
}

/* Read a quoted string starting at ps->p (on the quote) into ps->val. */
static int lex_quoted(struct parser *ps)
{
	size_t start = ps->p;
	const char *end = memchr(ps->q + start + 1, '"', ps->len - start - 1);
	if (!end)
		return ck_query_perr_(ps, start, "unterminated quote");
	size_t n = (size_t)(end - (ps->q + start + 1));
	free(ps->val);
	if (!(ps->val = dupn(ps->q + start + 1, n)))
		return ps->err = ck_error_set(CK_ENOMEM, "out of memory");
	for (char *s = ps->val; *s; s++)
		if (is_space((unsigned char)*s))
			*s = ' ';
	ps->p = (size_t)(end - ps->q) + 1;
	ps->vphrase = 1;
	ps->vprefix = 0;
	if (ps->p < ps->len && ps->q[ps->p] == '*') {
		ps->vprefix = 1;
		ps->p++;
	}
	return 0;
}

static int word_end(int c)
{
	return !c || is_space(c) || c == '(' || c == ')' || c == '"';
}

/* The field whose name is the k letters at q[s] (any case): its index in
 * fields[], or -1 with the error recorded (naming the nearest field when
 * one is within two edits). */
static int field_index(struct parser *ps, size_t s, size_t k)
{
	const char *q = ps->q;
	char name[32];
	if (k < sizeof name) {
		for (size_t i = 0; i < k; i++)
			name[i] = (char)tolower((unsigned char)q[s + i]);
		name[k] = 0;
		for (size_t i = NFIELDS; i-- > 0;) /* the last match, as before */
			if (!strcmp(fields[i].name, name))
				return (int)i;
	}
	const char *best = NULL;
	size_t bd = k < 3 ? k : 3; /* at most 2 edits, fewer than the name has */
	for (size_t i = 0; i < NFIELDS && k < sizeof name; i++) {
		size_t d = edit_distance(name, fields[i].name);
		if (d < bd) {
			bd = d;
			best = fields[i].name;
		}
	}
	if (best)
		ck_query_perr_(ps, s, "unknown field \"%.*s\" (did you mean \"%s\"?)", (int)(k > 40 ? 40 : k), q + s, best);
	else
		ck_query_perr_(ps, s, "unknown field \"%.*s\" (fields: from to tag class marking caveat subject id cites citedby signer date decl concept drafter office current review person portion)",
			       (int)(k > 40 ? 40 : k), q + s);
	return -1;
}

static int next(struct parser *ps)
{
	const char *q = ps->q;
	if (ps->err)
		return ps->err;
	while (ps->p < ps->len && is_space((unsigned char)q[ps->p]))
		ps->p++;
	ps->tpos = ps->p;
	free(ps->val);
	ps->val = NULL;
	ps->vphrase = ps->vprefix = 0;
	if (ps->p >= ps->len) {
		ps->t = T_EOF;
		return 0;
	}
	char c = q[ps->p];
	if (c == '(' || c == ')') {
		ps->t = c == '(' ? T_LP : T_RP;
		ps->p++;
		return 0;
	}
	if (c == '-' && ps->p + 1 < ps->len && !is_space((unsigned char)q[ps->p + 1]) && q[ps->p + 1] != ')' && q[ps->p + 1] != '-') {
		ps->t = T_MINUS;
		ps->p++;
		return 0;
	}
	if (c == '-' && ps->p + 1 < ps->len && q[ps->p + 1] == '-') {
		/* "--iran" would be read as the word iran: the opposite of what
		 * its writer likely meant.  A run of dashes alone ("a -- b") is
		 * punctuation, left out below. */
		size_t e = ps->p;
		while (e < ps->len && q[e] == '-')
			e++;
		if (e < ps->len && !is_space((unsigned char)q[e]) && q[e] != ')') {
			size_t w = e;
			while (w < ps->len && !word_end((unsigned char)q[w]))
				w++;
			int n = (int)(w - ps->p > 40 ? 40 : w - ps->p);
			return ck_query_perr_(ps, ps->p, "\"%.*s\": one \"-\" leaves a word out", n, q + ps->p);
		}
	}
	if (c == '"') {
		ps->t = T_PHRASE;
		if (++ps->terms > CK_Q_LIMIT_TERMS)
			return ck_query_perr_(ps, ps->tpos, "too many terms (at most %d)", CK_Q_LIMIT_TERMS);
		return lex_quoted(ps);
	}
	size_t s = ps->p;
	while (ps->p < ps->len && !word_end((unsigned char)q[ps->p]))
		ps->p++;
	size_t n = ps->p - s;
	if ((n == 2 && !memcmp(q + s, "OR", 2)) || (n == 2 && !memcmp(q + s, "||", 2))) {
		ps->t = T_OR;
		return 0;
	}
	if (n == 3 && !memcmp(q + s, "AND", 3)) {
		ps->t = T_AND;
		return 0;
	}
	if (n == 3 && !memcmp(q + s, "NOT", 3)) {
		ps->t = T_NOT;
		return 0;
	}
	if (++ps->terms > CK_Q_LIMIT_TERMS)
		return ck_query_perr_(ps, s, "too many terms (at most %d)", CK_Q_LIMIT_TERMS);
	/* field:value - the name is letters only */
	size_t k = 0;
	while (k < n && isalpha((unsigned char)q[s + k]))
		k++;
	if (k > 0 && k < n && q[s + k] == ':') {
		int found = field_index(ps, s, k);
		if (found < 0)
			return ps->err;
		ps->t = T_FIELD;
		ps->vfield = fields[found].f;
		size_t vstart = s + k + 1;
		if (vstart >= ps->len || is_space((unsigned char)q[vstart]) || q[vstart] == ')' || q[vstart] == '(') {
			if (vstart < ps->len && q[vstart] == '(')
				return ck_query_perr_(ps, vstart, "%s: takes one value (write %s:a OR %s:b)", fields[found].name,
					    fields[found].name, fields[found].name);
			return ck_query_perr_(ps, s, "%s: needs a value", fields[found].name);
		}
		if (q[vstart] == '"') {
			if (vstart != ps->p)
				return ck_query_perr_(ps, vstart + 1, "unexpected text after the quoted value");
			ps->p = vstart;
			return lex_quoted(ps);
		}
		n = ps->p - vstart;
		s = vstart;
	} else {
		ps->t = T_WORD;
	}
	while (n > 0 && q[s + n - 1] == '*') {
		ps->vprefix = 1;
		n--;
	}
	if (!(ps->val = dupn(q + s, n)))
		return ps->err = ck_error_set(CK_ENOMEM, "out of memory");
	return 0;
}

static struct node *node_new(struct parser *ps, enum kind k, int pos)
{
	struct node *n = calloc(1, sizeof *n);
	if (!n) {
		ps->err = ck_error_set(CK_ENOMEM, "out of memory");
		return NULL;
	}
	n->kind = k;
	n->pos = pos;
	return n;
}

void ck_query_node_free_(struct node *n)
{
	while (n) {
		struct node *nx = n->next;
		ck_query_node_free_(n->kid);
		free(n->text);
		free(n);
		n = nx;
	}
}

static struct node *parse_or(struct parser *ps);

/* A leaf from the current token, or NULL for a word with nothing to
 * index (punctuation alone): such words are left out. */
static struct node *leaf(struct parser *ps)
{
	struct node *n;
	int pos = (int)ps->tpos;
	if (ps->t == T_FIELD && ps->vfield != F_SUBJECT) {
		if (!(n = node_new(ps, N_FIELD, pos)))
			return NULL;
		n->field = ps->vfield;
		n->phrase = ps->vphrase;
		n->prefix = ps->vprefix;
		n->text = ps->val;
		ps->val = NULL;
		if (!*n->text) {
			ck_query_perr_(ps, ps->tpos, "empty value");
			ck_query_node_free_(n);
			return NULL;
		}
		return n;
	}
	if (ps->vprefix) {
		size_t alnum = 0;
		for (const char *s = ps->val; *s; s++)
			alnum += isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80;
		if (alnum < 2) {
			ck_query_perr_(ps, ps->tpos, "a prefix search needs at least two letters before \"*\"");
			return NULL;
		}
		/* FTS5 merges the doclists of every word a prefix stands for
		 * before the first hit, in one step the deadline cannot stop:
		 * shorter prefixes stand for more words and cost more */
		ps->prefix_cost += alnum == 2 ? 4 : alnum == 3 ? 2 : 1;
		if (ps->prefix_cost > CK_Q_LIMIT_PREFIX) {
			ck_query_perr_(ps, ps->tpos, "too many prefix searches (at most four words*, two of three letters or one of two)");
			return NULL;
		}
	}
	if (!has_token_chars(ps->val))
		return NULL;
	if (!(n = node_new(ps, N_TEXT, pos)))
		return NULL;
	n->subject = ps->t == T_FIELD;
	n->phrase = ps->vphrase;
	n->prefix = ps->vprefix;
	n->text = ps->val;
	ps->val = NULL;
	return n;
}

/* parse one unary; *consumed tells whether a term was there at all */
static struct node *parse_unary(struct parser *ps, int *consumed)
{
	struct node *n = NULL;
	*consumed = 0;
	if (ps->err)
		return NULL;
	/* the outermost term is level 0: "((x))" nests 2 levels */
	if (++ps->depth > CK_Q_LIMIT_DEPTH + 1) {
		ck_query_perr_(ps, ps->tpos, "query nested too deeply (at most %d levels)", CK_Q_LIMIT_DEPTH);
		return NULL;
	}
	switch (ps->t) {
	case T_NOT:
	case T_MINUS: {
		size_t pos = ps->tpos;
		const char *what = ps->t == T_NOT ? "NOT" : "\"-\"";
		int c2;
		next(ps);
		struct node *k = parse_unary(ps, &c2);
		if (ps->err)
			break;
		if (!c2) {
			ck_query_perr_(ps, pos, "%s needs a term after it", what);
			break;
		}
		*consumed = 1;
		if (!k)
			break;
		if (k->kind == N_NOT) { /* NOT NOT x = x */
			n = k->kid;
			k->kid = NULL;
			ck_query_node_free_(k);
			break;
		}
		if (!(n = node_new(ps, N_NOT, (int)pos))) {
			ck_query_node_free_(k);
			break;
		}
		n->kid = k;
		break;
	}
	case T_LP: {
		size_t pos = ps->tpos;
		next(ps);
		if (ps->t == T_RP) {
			ck_query_perr_(ps, pos, "empty parentheses");
			break;
		}
		n = parse_or(ps);
		if (ps->err)
			break;
		if (ps->t != T_RP) {
			ck_query_perr_(ps, pos, "unclosed \"(\"");
			break;
		}
		*consumed = 1;
		next(ps);
		break;
	}
	case T_WORD:
	case T_PHRASE:
	case T_FIELD:
		n = leaf(ps);
		if (!ps->err) {
			*consumed = 1;
			next(ps);
		}
		break;
	default:
		break;
	}
	ps->depth--;
	if (ps->err) {
		ck_query_node_free_(n);
		return NULL;
	}
	return n;
}

/* join children under a new AND/OR node; one child is returned as is */
static struct node *join(struct parser *ps, enum kind k, struct node *list, int pos)
{
	if (!list || !list->next)
		return list;
	struct node *n = node_new(ps, k, pos);
	if (!n) {
		ck_query_node_free_(list);
		return NULL;
	}
	n->kid = list;
	return n;
}

static struct node *parse_and(struct parser *ps, int *consumed)
{
	struct node *head = NULL, **tail = &head;
	int pos = (int)ps->tpos;
	*consumed = 0;
	for (;;) {
		if (ps->err)
			break;
		if (ps->t == T_AND) {
			if (!*consumed) {
				ck_query_perr_(ps, ps->tpos, "AND needs a term before it");
				break;
			}
			size_t apos = ps->tpos;
			next(ps);
			if (ps->t == T_EOF || ps->t == T_OR || ps->t == T_RP || ps->t == T_AND) {
				ck_query_perr_(ps, apos, "AND needs a term after it");
				break;
			}
			continue;
		}
		if (ps->t == T_EOF || ps->t == T_OR || ps->t == T_RP)
			break;
		int c;
		struct node *n = parse_unary(ps, &c);
		if (ps->err)
			break;
		*consumed |= c;
		if (n) {
			*tail = n;
			tail = &n->next;
		}
	}
	if (ps->err) {
		ck_query_node_free_(head);
		return NULL;
	}
	return join(ps, N_AND, head, pos);
}

static struct node *parse_or(struct parser *ps)
{
	struct node *head = NULL, **tail = &head;
	int pos = (int)ps->tpos;
	for (;;) {
		int c;
		struct node *n = parse_and(ps, &c);
		if (ps->err)
			break;
		if (!c) {
			if (ps->t == T_OR)
				ck_query_perr_(ps, ps->tpos, "OR needs a term before it");
			break;
		}
		if (n) {
			*tail = n;
			tail = &n->next;
		}
		if (ps->t != T_OR)
			break;
		size_t opos = ps->tpos;
		next(ps);
		if (ps->t == T_EOF || ps->t == T_RP || ps->t == T_OR) {
			ck_query_perr_(ps, opos, "OR needs a term after it");
			break;
		}
	}
	if (ps->err) {
		ck_query_node_free_(head);
		return NULL;
	}
	return join(ps, N_OR, head, pos);
}

int ck_query_is_fts_(const struct node *n){
	int pos = 0;
	switch (n->kind) {
	case N_TEXT:
		return 1;
	case N_OR:
		for (const struct node *k = n->kid; k; k = k->next)
			if (!ck_query_is_fts_(k))
				return 0;
		return 1;
	case N_AND:
		for (const struct node *k = n->kid; k; k = k->next) {
			if (k->kind == N_NOT && ck_query_is_fts_(k->kid))
				continue;
			if (!ck_query_is_fts_(k))
				return 0;
			pos = 1;
		}
		return pos;
	default:
		return 0;
	}
}

/* ---- portion: scopes -------------------------------------------------- */

/* A portion: field restricts the words and phrases ANDed with it, at any
 * depth ("portion:S (iran OR iraq) -israel": an S paragraph mentioning
 * Iran or Iraq and not Israel), the innermost one applying.  Each group
 * of such words ANDed together becomes one portion: node holding them
 * (kid): one paragraph holds them all.  At the top, the positive words
 * also stay outside, unrestricted: they rank the hits (bm25) and are
 * implied.  Words only negated, and subject: words, are not restricted. */

static int is_portion(const struct node *n)
{
	return n->kind == N_FIELD && n->field == F_PORTION && !n->kid;
}

static int has_subject(const struct node *n)
{
	if (n->kind == N_TEXT)
		return n->subject;
	for (const struct node *k = n->kid; k; k = k->next)
		if (has_subject(k))
			return 1;
	return 0;
}

/* words a paragraph can hold */
static int para_words(const struct node *n)
{
	return ck_query_is_fts_(n) && !has_subject(n);
}

static struct node *node_copy(struct parser *ps, const struct node *n)
{
	struct node *c = node_new(ps, n->kind, n->pos), **t;
	if (!c)
		return NULL;
	c->field = n->field;
	c->subject = n->subject;
	c->phrase = n->phrase;
	c->prefix = n->prefix;
	if (n->text && !(c->text = dupn(n->text, strlen(n->text))))
		ps->err = ck_error_set(CK_ENOMEM, "out of memory");
	t = &c->kid;
	for (const struct node *k = n->kid; k && !ps->err; k = k->next)
		if ((*t = node_copy(ps, k)))
			t = &(*t)->next;
	if (ps->err) {
		ck_query_node_free_(c);
		return NULL;
	}
	return c;
}

/* a portion: node with the value of pf restricting the words w (taken) */
static struct node *portion_node(struct parser *ps, const struct node *pf, struct node *w)
{
	struct node *n = node_new(ps, N_FIELD, pf->pos);
	if (n && !(n->text = dupn(pf->text, strlen(pf->text))))
		ps->err = ck_error_set(CK_ENOMEM, "out of memory");
	if (ps->err) {
		ck_query_node_free_(n);
		ck_query_node_free_(w);
		return NULL;
	}
	n->field = F_PORTION;
	n->kid = w;
	return n;
}

static void scope_portion(struct parser *ps, struct node **slot, const struct node *pf, int top);

/* one operand of an OR or NOT: words under pf become a portion: node */
static void scope_one(struct parser *ps, struct node **k, const struct node *pf)
{
	struct node *x = *k;
	if (!pf || !para_words(x)) {
		scope_portion(ps, k, pf, 0);
		return;
	}
	struct node *nx = x->next;
	x->next = NULL;
	struct node *p = portion_node(ps, pf, x);
	if (p)
		p->next = nx;
	*k = p ? p : nx;
}

/* the words of AND node n under `use`, gathered into one portion: node
 * that takes the place of n's own portion: field (own) or is added */
static void gather_words(struct parser *ps, struct node *n, const struct node *use, struct node *own, int top)
{
	struct node *g = NULL, **gt = &g, *neg = NULL, **nt = &neg;
	for (struct node **k = &n->kid; *k && !ps->err;) {
		struct node *x = *k;
		int word = para_words(x);
		if (!word && !(x->kind == N_NOT && para_words(x->kid))) {
			k = &x->next;
			continue;
		}
		if (word && top) { /* stays, for the ranking; a copy is restricted */
			if ((*gt = node_copy(ps, x)))
				gt = &(*gt)->next;
			k = &x->next;
			continue;
		}
		*k = x->next;
		x->next = NULL;
		if (word) {
			*gt = x;
			gt = &x->next;
		} else {
			*nt = x;
			nt = &x->next;
		}
	}
	struct node **end = &n->kid;
	while (*end)
		end = &(*end)->next;
	if (!g || ps->err) { /* negated words alone: not restricted */
		*end = neg;
		ck_query_node_free_(g);
		return;
	}
	*gt = neg;
	struct node *w = g;
	if (g->next && (w = node_new(ps, N_AND, g->pos)))
		w->kid = g;
	struct node *p = w ? portion_node(ps, use, w) : NULL;
	if (!w)
		ck_query_node_free_(g);
	if (!p)
		return;
	if (!own) {
		*end = p;
		return;
	}
	for (struct node **k = &n->kid; *k; k = &(*k)->next)
		if (*k == own) {
			p->next = own->next;
			own->next = NULL;
			ck_query_node_free_(own);
			*k = p;
			break;
		}
}

static void scope_and(struct parser *ps, struct node **slot, const struct node *pf, int top)
{
	struct node *n = *slot, *own = NULL;
	for (struct node *k = n->kid; k; k = k->next)
		if (is_portion(k)) {
			if (own) {
				ck_query_perr_(ps, (size_t)k->pos, "one portion: per group (a paragraph has one marking)");
				return;
			}
			own = k;
		}
	const struct node *use = own ? own : pf;
	/* the groups below first (gathering may take own's place) */
	for (struct node **k = &n->kid; *k && !ps->err; k = &(*k)->next) {
		struct node *x = *k;
		if (x->kind == N_FIELD || (use && (para_words(x) || (x->kind == N_NOT && para_words(x->kid)))))
			continue;
		scope_portion(ps, k, use, 0);
	}
	if (use && !ps->err)
		gather_words(ps, n, use, own, top);
	if (n->kid && !n->kid->next) { /* one operand left: the AND goes */
		struct node *only = n->kid;
		only->next = n->next;
		n->kid = n->next = NULL;
		ck_query_node_free_(n);
		*slot = only;
	}
}

static void scope_portion(struct parser *ps, struct node **slot, const struct node *pf, int top)
{
	struct node *n = *slot;
	if (ps->err || !n)
		return;
	if (n->kind == N_AND)
		scope_and(ps, slot, pf, top);
	else if (n->kind == N_OR)
		for (struct node **k = &n->kid; *k && !ps->err; k = *k ? &(*k)->next : k)
			scope_one(ps, k, pf);
	else if (n->kind == N_NOT)
		scope_one(ps, &n->kid, pf);
}

const char *ck_query_field_name_(enum field f){
	for (size_t i = 0; i < NFIELDS; i++)
		if (fields[i].f == f)
			return fields[i].name;
	return "?";
}

/* ---- the whole query ---------------------------------------------------- */

int ck_query_parse_(struct parser *ps, const char *q, struct node **root)
{
	*root = NULL;
	ps->q = q;
	ps->len = strlen(q);
	if (ps->len > CK_Q_LIMIT_LEN)
		return ck_error_set(CK_EPARSE, "query:1:%d: query too long (at most %d bytes)",
				    CK_Q_LIMIT_LEN + 1, CK_Q_LIMIT_LEN);
	for (size_t i = 0; i < ps->len; i++)
		if ((unsigned char)q[i] < 0x20 && !is_space((unsigned char)q[i])) {
			ps->err = 0;
			return ck_query_perr_(ps, i, "control character in the query");
		}
	next(ps);
	if (!ps->err && ps->t != T_EOF) {
		*root = parse_or(ps);
		if (!ps->err && ps->t == T_RP)
			ck_query_perr_(ps, ps->tpos, "unbalanced \")\"");
		else if (!ps->err && ps->t != T_EOF)
			ck_query_perr_(ps, ps->tpos, "unexpected text");
		if (!ps->err && !*root)
			ck_query_perr_(ps, 0, "nothing to search for (words need letters or digits)");
		scope_portion(ps, root, NULL, 1);
	}
	return ps->err;
}
