/*
 * query.h - what the two halves of the query language share: the tree
 * that query_parse.c reads a query into and query.c compiles into SQL.
 * Internal to src/archive/ (the API is ck_query_* in archive.h).
 */
#ifndef CK_ARCHIVE_QUERY_H
#define CK_ARCHIVE_QUERY_H
#include "archive/archive.h"

enum tok { T_EOF, T_WORD, T_PHRASE, T_FIELD, T_LP, T_RP, T_OR, T_AND, T_NOT, T_MINUS };

enum field {
	F_FROM, F_TO, F_TAG, F_CLASS, F_MARKING, F_CAVEAT, F_SUBJECT, F_ID,
	F_CITES, F_CITEDBY, F_SIGNER, F_DATE, F_DECL,
	F_CONCEPT, F_DRAFTER, F_OFFICE, F_CURRENT, F_REVIEW, F_PERSON, /* table `field` */
	F_PORTION /* paragraphs with that marking (portion.c) */
};

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

/* Record a parse error at byte pos of the query (once: the first error
 * wins): CK_EPARSE with "query:LINE:COL: message" in ck_error_last().
 * Returns the error code. */
int ck_query_perr_(struct parser *ps, size_t pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Read query q (NUL-terminated) into *root (NULL for a query of no
 * terms), portion: scopes applied.  Returns 0 or the error (CK_EPARSE,
 * CK_ELIMIT, CK_ENOMEM); *root is then whatever was built, to free. */
int ck_query_parse_(struct parser *ps, const char *q, struct node **root);
/* Free a node, its kids and the nodes after it. */
void ck_query_node_free_(struct node *n);
/* True when n compiles into one FTS5 expression. */
int ck_query_is_fts_(const struct node *n);
/* The name of a field as typed (from:, tag: ...). */
const char *ck_query_field_name_(enum field f);
#endif
