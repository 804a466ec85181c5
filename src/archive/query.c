/*
 * query.c - the query language of DESIGN.md: tokens, a recursive-descent
 * parser, and a compiler to SQL over the `cable` table plus FTS5 MATCH
 * expressions.
 *
 *   query   := or
 *   or      := and ("OR" and)*
 *   and     := unary (["AND"] unary)*          (AND is implicit)
 *   unary   := ("NOT" | "-") unary | primary
 *   primary := "(" or ")" | word | word* | "phrase" | field:value
 *
 * Precedence: NOT > AND > OR.  User text never reaches SQL: field values
 * are bound parameters, and words become FTS5 strings ("..." with quotes
 * doubled), so FTS5 syntax typed by the user (NEAR, ^, col:, +) is just
 * text.  Subtrees made only of words and phrases compile into a single
 * FTS5 expression; the top one ranks the hits (bm25) and makes the
 * snippets.  Limits (length, terms, nesting) keep hostile input cheap.
 */
#include "archive/archive.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tok { T_EOF, T_WORD, T_PHRASE, T_FIELD, T_LP, T_RP, T_OR, T_AND, T_NOT, T_MINUS };

enum field {
	F_FROM, F_TO, F_TAG, F_CLASS, F_MARKING, F_CAVEAT, F_SUBJECT, F_ID,
	F_CITES, F_CITEDBY, F_SIGNER, F_DATE, F_DECL,
	F_CONCEPT, F_DRAFTER, F_OFFICE, F_CURRENT, F_REVIEW, F_PERSON, /* table `field` */
	F_PORTION /* paragraphs with that marking (portion.c) */
};

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

enum kind { N_TEXT, N_FIELD, N_AND, N_OR, N_NOT };

struct node {
	enum kind kind;
	enum field field;   /* N_FIELD */
	int subject;        /* N_TEXT: subject column only */
	int phrase, prefix; /* N_TEXT / N_FIELD value forms */
	char *text;         /* word, phrase or field value (malloc) */
	/* kid: the operands of AND/OR/NOT; of a portion: field, the words
	 * and phrases it restricts (scope_portion) */
	int pos;            /* byte offset in the query */
	struct node *kid, *next;
};

struct parser {
	const char *q;
	size_t len;
	size_t p;           /* lexer position */
	/* current token */
	enum tok t;
	size_t tpos, tlen;  /* token span */
	char *val;          /* word/phrase/field value (malloc) */
	int vphrase, vprefix;
	enum field vfield;
	int terms, depth;
	int prefix_cost;    /* sum over the word prefixes (CK_Q_LIMIT_PREFIX) */
	int err;
};

static int perr(struct parser *ps, size_t pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int perr(struct parser *ps, size_t pos, const char *fmt, ...)
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
		return perr(ps, start, "unterminated quote");
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
	if (c == '"') {
		ps->t = T_PHRASE;
		if (++ps->terms > CK_Q_LIMIT_TERMS)
			return perr(ps, ps->tpos, "too many terms (at most %d)", CK_Q_LIMIT_TERMS);
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
		return perr(ps, s, "too many terms (at most %d)", CK_Q_LIMIT_TERMS);
	/* field:value - the name is letters only */
	size_t k = 0;
	while (k < n && isalpha((unsigned char)q[s + k]))
		k++;
	if (k > 0 && k < n && q[s + k] == ':') {
		char name[32];
		int found = -1;
		if (k < sizeof name) {
			for (size_t i = 0; i < k; i++)
				name[i] = (char)tolower((unsigned char)q[s + i]);
			name[k] = 0;
			for (size_t i = 0; i < NFIELDS; i++)
				if (!strcmp(fields[i].name, name))
					found = (int)i;
		}
		if (found < 0) {
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
				return perr(ps, s, "unknown field \"%.*s\" (did you mean \"%s\"?)", (int)(k > 40 ? 40 : k), q + s, best);
			return perr(ps, s, "unknown field \"%.*s\" (fields: from to tag class marking caveat subject id cites citedby signer date decl concept drafter office current review person portion)",
				    (int)(k > 40 ? 40 : k), q + s);
		}
		ps->t = T_FIELD;
		ps->vfield = fields[found].f;
		size_t vstart = s + k + 1;
		if (vstart >= ps->len || is_space((unsigned char)q[vstart]) || q[vstart] == ')' || q[vstart] == '(') {
			if (vstart < ps->len && q[vstart] == '(')
				return perr(ps, vstart, "%s: takes one value (write %s:a OR %s:b)", fields[found].name,
					    fields[found].name, fields[found].name);
			return perr(ps, s, "%s: needs a value", fields[found].name);
		}
		if (q[vstart] == '"') {
			if (vstart != ps->p)
				return perr(ps, vstart + 1, "unexpected text after the quoted value");
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

static void node_free(struct node *n)
{
	while (n) {
		struct node *nx = n->next;
		node_free(n->kid);
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
			perr(ps, ps->tpos, "empty value");
			node_free(n);
			return NULL;
		}
		return n;
	}
	if (ps->vprefix) {
		size_t alnum = 0;
		for (const char *s = ps->val; *s; s++)
			alnum += isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80;
		if (alnum < 2) {
			perr(ps, ps->tpos, "a prefix search needs at least two letters before \"*\"");
			return NULL;
		}
		/* FTS5 merges the doclists of every word a prefix stands for
		 * before the first hit, in one step the deadline cannot stop:
		 * shorter prefixes stand for more words and cost more */
		ps->prefix_cost += alnum == 2 ? 4 : alnum == 3 ? 2 : 1;
		if (ps->prefix_cost > CK_Q_LIMIT_PREFIX) {
			perr(ps, ps->tpos, "too many prefix searches (at most four words*, two of three letters or one of two)");
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
	if (++ps->depth > CK_Q_LIMIT_DEPTH) {
		perr(ps, ps->tpos, "query nested too deeply (at most %d levels)", CK_Q_LIMIT_DEPTH);
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
			perr(ps, pos, "%s needs a term after it", what);
			break;
		}
		*consumed = 1;
		if (!k)
			break;
		if (k->kind == N_NOT) { /* NOT NOT x = x */
			n = k->kid;
			k->kid = NULL;
			node_free(k);
			break;
		}
		if (!(n = node_new(ps, N_NOT, (int)pos))) {
			node_free(k);
			break;
		}
		n->kid = k;
		break;
	}
	case T_LP: {
		size_t pos = ps->tpos;
		next(ps);
		if (ps->t == T_RP) {
			perr(ps, pos, "empty parentheses");
			break;
		}
		n = parse_or(ps);
		if (ps->err)
			break;
		if (ps->t != T_RP) {
			perr(ps, pos, "unclosed \"(\"");
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
		node_free(n);
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
		node_free(list);
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
				perr(ps, ps->tpos, "AND needs a term before it");
				break;
			}
			size_t apos = ps->tpos;
			next(ps);
			if (ps->t == T_EOF || ps->t == T_OR || ps->t == T_RP || ps->t == T_AND) {
				perr(ps, apos, "AND needs a term after it");
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
		node_free(head);
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
				perr(ps, ps->tpos, "OR needs a term before it");
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
			perr(ps, opos, "OR needs a term after it");
			break;
		}
	}
	if (ps->err) {
		node_free(head);
		return NULL;
	}
	return join(ps, N_OR, head, pos);
}

/* ---- portion: scopes -------------------------------------------------- */

/* A portion: field restricts the words and phrases ANDed with it, at any
 * depth ("portion:S (iran OR iraq) -israel": an S paragraph mentioning
 * Iran or Iraq and not Israel), the innermost one applying.  Each group
 * of such words ANDed together becomes one portion: node holding them
 * (kid): one paragraph holds them all.  At the top, the positive words
 * also stay outside, unrestricted: they rank the hits (bm25) and are
 * implied.  Words only negated, and subject: words, are not restricted. */

static int is_fts(const struct node *n);

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
	return is_fts(n) && !has_subject(n);
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
		node_free(c);
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
		node_free(n);
		node_free(w);
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
		node_free(g);
		return;
	}
	*gt = neg;
	struct node *w = g;
	if (g->next && (w = node_new(ps, N_AND, g->pos)))
		w->kid = g;
	struct node *p = w ? portion_node(ps, use, w) : NULL;
	if (!w)
		node_free(g);
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
			node_free(own);
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
				perr(ps, (size_t)k->pos, "one portion: per group (a paragraph has one marking)");
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
		node_free(n);
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
	char *d = dupn(s, n);
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

/* an FTS5 string literal */
static void fts_str(ck_buf *b, const char *s)
{
	ck_buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			ck_buf_putc(b, '"');
		ck_buf_putc(b, *s);
	}
	ck_buf_putc(b, '"');
}

static int is_fts(const struct node *n)
{
	int pos = 0;
	switch (n->kind) {
	case N_TEXT:
		return 1;
	case N_OR:
		for (const struct node *k = n->kid; k; k = k->next)
			if (!is_fts(k))
				return 0;
		return 1;
	case N_AND:
		for (const struct node *k = n->kid; k; k = k->next) {
			if (k->kind == N_NOT && is_fts(k->kid))
				continue;
			if (!is_fts(k))
				return 0;
			pos = 1;
		}
		return pos;
	default:
		return 0;
	}
}

static void fts_emit(ck_buf *b, const struct node *n);

/* AND of the fts children of n (positives, then NOT negatives) */
static void fts_and(ck_buf *b, const struct node *n, int only_fts)
{
	int first = 1;
	ck_buf_puts(b, "((");
	for (const struct node *k = n->kid; k; k = k->next) {
		if (k->kind == N_NOT || (only_fts && !is_fts(k)))
			continue;
		if (!first)
			ck_buf_puts(b, " AND ");
		first = 0;
		fts_emit(b, k);
	}
	ck_buf_putc(b, ')');
	for (const struct node *k = n->kid; k; k = k->next) {
		if (k->kind != N_NOT || !is_fts(k->kid))
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
		fts_str(b, n->text);
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
	if (n == 10) {
		int d = (s[8] - '0') * 10 + (s[9] - '0');
		if (d < 1 || d > 31)
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
		c->err = perr(c->ps, (size_t)n->pos, "bad date \"%.60s\" (expected 2007, 2007-07, 2007-07-09 or a range such as 2007-01..2008-06, ..2008, 2007..)", v);
		return;
	}
	if (nlo && nhi && strncmp(lo, hi, nlo < nhi ? nlo : nhi) > 0) {
		c->err = perr(c->ps, (size_t)n->pos, "empty date range \"%.60s\"", v);
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
		c->err = perr(c->ps, (size_t)n->pos, "portion: takes a level (U, SBU, LOU, C, S, TS) and caveats"
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

static void comp_field(struct comp *c, const struct node *n)
{
	char v[512], canon[256];
	snprintf(v, sizeof v, "%s", n->text);
	ck_buf *w = &c->where;
	switch (n->field) {
	case F_FROM:
		lower(v);
		ck_buf_puts(w, "(' '||c.origin||' ' LIKE ? ESCAPE '\\' OR ' '||c.sender||' ' LIKE ? ESCAPE '\\')");
		like_param(c, "% ", v, n->prefix ? "%" : " %");
		like_param(c, "% ", v, n->prefix ? "%" : " %");
		break;
	case F_TO:
		ck_buf_puts(w, "c.rowid IN (SELECT cable FROM addressee WHERE ' '||name||' ' LIKE ? ESCAPE '\\' OR route=?)");
		like_param(c, "% ", v, n->prefix ? "%" : " %");
		upper(v);
		add_params(c, v);
		break;
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
		if (n->prefix) {
			upper(v);
			ck_buf_puts(w, "c.id LIKE ? ESCAPE '\\'");
			like_param(c, "", v, "%");
			break;
		}
		ck_archive_canon_id(v, canon, sizeof canon);
		ck_buf_puts(w, "(c.id=? OR c.id=? OR c.id IN (SELECT id FROM alias WHERE alias=? OR alias=?))");
		add_params(c, canon);
		add_params(c, v);
		add_params(c, canon);
		add_params(c, v);
		break;
	case F_CITES:
		ck_archive_canon_id(v, canon, sizeof canon);
		ck_buf_puts(w, "c.rowid IN (SELECT src FROM edge WHERE dst=? OR dst=(SELECT id FROM alias WHERE alias=?)"
			       " OR dst IN (SELECT alias FROM alias WHERE id=(SELECT coalesce((SELECT id FROM alias WHERE alias=?), ?))))");
		add_params(c, canon);
		add_params(c, canon);
		add_params(c, canon);
		add_params(c, canon);
		break;
	case F_CITEDBY:
		ck_archive_canon_id(v, canon, sizeof canon);
		ck_buf_puts(w, "c.id IN (SELECT coalesce((SELECT id FROM alias WHERE alias=e.dst), e.dst) FROM edge e"
			       " WHERE e.src=(SELECT rowid FROM cable WHERE id=coalesce((SELECT id FROM alias WHERE alias=?), ?)))");
		add_params(c, canon);
		add_params(c, canon);
		break;
	case F_CONCEPT:
	case F_DRAFTER:
	case F_OFFICE:
	case F_CURRENT: {
		/* fields of 1970s telegrams and PlusD records; a drafter is
		 * found anywhere in "NEA/RA:DTMORRISON:BDF" */
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
		break;
	}
	case F_PERSON: {
		/* a person key or a name (docs/people.md): "prodi" also matches
		 * "prodi_romano"; "Romano Prodi" is the key "prodi_romano", which
		 * also matches the cables that name him by surname alone */
		char key[256];
		if (ck_person_key(v, key, sizeof key)) {
			snprintf(key, sizeof key, "%.200s", v);
			lower(key);
		}
		ck_buf_puts(w, "c.rowid IN (SELECT cable FROM field WHERE kind='person' AND (value=? OR value LIKE ? ESCAPE '\\'))");
		add_params(c, key);
		char *us = strchr(key, '_');
		if (us && !n->prefix)
			*us = '\0'; /* the surname alone, as a LIKE without wildcard */
		like_param(c, "", key, n->prefix ? "%" : us ? "" : "\\_%");
		break;
	}
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

static const char *field_name(enum field f)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (fields[i].f == f)
			return fields[i].name;
	return "?";
}

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
		if (fts && (is_fts(x) || (x->kind == N_NOT && is_fts(x->kid))))
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
	if (is_fts(n)) {
		prog_fts(c, n, 0);
		return;
	}
	switch (n->kind) {
	case N_FIELD: {
		struct comp s = {.where = CK_BUF_INIT, .ps = c->ps};
		comp_field(&s, n);
		ck_qop op = {.kind = CK_QOP_FIELD, .field = field_name(n->field), .prefix = n->prefix,
			     .value = dupn(n->text, strlen(n->text)), .params = s.params, .nparams = s.nparams};
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
		if (skip_fts && (is_fts(k) || (k->kind == N_NOT && is_fts(k->kid))))
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
		if (k->kind != N_NOT && is_fts(k))
			return 1;
	return 0;
}

static void comp_sql(struct comp *c, const struct node *n)
{
	if (c->err)
		return;
	if (is_fts(n)) {
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
			ck_buf_printf(b, "%s:", n->kind == N_FIELD ? field_name(n->field) : "subject");
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
	if (!q)
		q = "";
	ps.q = q;
	ps.len = strlen(q);
	if (ps.len > CK_Q_LIMIT_LEN)
		return ck_error_set(CK_EPARSE, "query:1:%d: query too long (at most %d bytes)",
				    CK_Q_LIMIT_LEN + 1, CK_Q_LIMIT_LEN);
	for (size_t i = 0; i < ps.len; i++)
		if ((unsigned char)q[i] < 0x20 && !is_space((unsigned char)q[i])) {
			ps.err = 0;
			return perr(&ps, i, "control character in the query");
		}
	next(&ps);
	int had_terms = ps.t != T_EOF;
	if (!ps.err && had_terms) {
		root = parse_or(&ps);
		if (!ps.err && ps.t == T_RP)
			perr(&ps, ps.tpos, "unbalanced \")\"");
		else if (!ps.err && ps.t != T_EOF)
			perr(&ps, ps.tpos, "unexpected text");
		if (!ps.err && !root)
			perr(&ps, 0, "nothing to search for (words need letters or digits)");
		scope_portion(&ps, &root, NULL, 1);
	}
	if (ps.err) {
		rc = ps.err;
		goto cleanup;
	}
	c.ps = &ps;
	if (!root) {
		ck_buf_puts(&c.where, "1");
	} else if (is_fts(root)) {
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
	node_free(root);
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
