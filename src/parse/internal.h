/*
 * internal.h - what the parser's files share: the line model, the string
 * vectors and arrays grown inside the cable's arena, and small scanners.
 */
#ifndef CK_PARSE_INTERNAL_H
#define CK_PARSE_INTERNAL_H
#include "cablekit.h"

#include <stddef.h>

/* Line kinds, decided once by the classifier (the hot path). */
enum line_kind {
	L_BLANK,
	L_TEXT,
	L_PAGE_HEADER,   /* "ROME 00001497 002.2 OF 003", "PAGE 02 HARARE 06677 ..." */
	L_BANNER,        /* classification line with post + serial */
	L_DROPPED,       /* removed by a repair */
	L_SIGNER,        /* the signer (kept in the body, not in a paragraph) */
};

/* A paragraph start read by ck_para_start_ (classify.c). */
struct pstart {
	int n;            /* number */
	int pilcrow;      /* began with the pilcrow */
	int nodot;        /* "6 (C)" */
	const char *mark; /* marking */
	int mlen;
	int text;         /* offset of the text after number and marking */
};

struct line {
	char *s;     /* start (mutable, inside the normalized buffer) */
	int len;     /* bytes, trailing spaces trimmed */
	int no;      /* 1-based line number in the input */
	int kind;    /* enum line_kind */
	int join;    /* this line continues the previous kept line */
	int blank_before; /* a blank line preceded it in the input */
	/* set once by ck_classify_ (classify.c) for the text lines after the
	 * banner, and read by the body pass: */
	signed char pst;  /* ck_para_start_ as if a blank line preceded it */
	signed char field; /* enum field of its label, F_NONE for none */
	unsigned char caption; /* a line of captions only */
	int field_off;    /* where the label's text starts */
	struct pstart ps; /* its paragraph number, marking, text offset */
};

/* Where ck_parse took the cable's id from. */
enum ck_id_source_ {
	CK_ID_NONE,   /* no id */
	CK_ID_BANNER, /* YY + post + serial of the classification line */
	CK_ID_FM_SSN, /* no such line: the FM line's post + the DE line's serial (modulo 10000) */
};
/* ck_parse that also says where the id came from (*id_source may be NULL). */
int ck_parse_ex_(ck_cable **out, const char *text, size_t len, const ck_parse_opts *opts,
		 enum ck_id_source_ *id_source);
/* The main parser alone, without routing the 1970s printout to
 * seventies.c (which calls it on the text it prepared). */
int ck_parse_text_(ck_cable **out, const char *text, size_t len, const ck_parse_opts *opts,
		   enum ck_id_source_ *id_source);

/* ck_arena_alloc without zeroing (util/arena.c). */
void *ck_arena_alloc_raw(ck_arena *a, size_t n);

/* A growable array in the cable's arena. */
struct vec {
	void *v;
	size_t n, cap, size;
};
void *ck_vec_push_(ck_arena *a, struct vec *x);

/* A release stamp "[reviewer] Declassified/Released <note> DD MON YYYY"
 * into *out (plusd.c); 0, or -1 when s[0..n) is not one. */
int ck_release_stamp_(ck_arena *a, const char *s, size_t n, ck_review *out);

/* ck_strv builder */
void ck_strv_push_(ck_arena *a, ck_strv *v, size_t *cap, const char *s);
/* add s unless already there (exact), or the list has CK_MAX_UNIQUE items:
 * the check is linear, and a hostile field of distinct words made it
 * quadratic (a 64 KB TAGS line: 2.8 G instructions).  Real cables have at
 * most 27 tags and 4 caveats. */
#define CK_MAX_UNIQUE 256
void ck_strv_add_unique_(ck_arena *a, ck_strv *v, size_t *cap, const char *s);
/* a problem for each list of the cable cut at CK_MAX_UNIQUE */
void ck_note_full_lists_(ck_cable *c);

/* Decode bytes to UTF-8 (invalid sequences read as cp1252), CRLF and CR
 * to LF, U+2028/2029 to LF, NUL dropped.  Returns an arena buffer and its
 * length in *outlen; *ncp1252 / *nnul count what was changed. */
char *ck_text_normalize_(ck_arena *a, const char *in, size_t len, size_t *outlen,
			 size_t *ncp1252, size_t *nnul);

/* What a REF list needs of the citing cable (refs.c): its year, and the
 * posts whose telegrams DEPTEL, EMBTEL, YOURTEL and MYTEL name. */
struct ck_ref_ctx {
	int year;         /* the citing cable's year, 0 unknown */
	char self[48];    /* its post's id name ("ROME", "STATE"): the FM line's, else the
			   * classification line's; "" unknown */
	int self_embassy; /* that post is an embassy */
	char to[48];      /* the post of its action addressee when there is exactly one, else "" */
	int to_embassy;   /* that addressee is an embassy */
	size_t nto;       /* action addressees (TO) */
};
/* Fill x from c's FM and TO lines (read with the header), the year, and
 * the classification line's post as written (post NULL: none), used when
 * there is no FM line. */
void ck_ref_ctx_init_(struct ck_ref_ctx *x, const ck_cable *c, int year, const char *post, size_t post_len);
/* Reference list text appended to c->refs, for the citing cable x.  *cap
 * is the room allocated for c->refs, kept by the caller between calls (0
 * at first): a cable may have many REF fields. */
void ck_parse_refs_(ck_cable *c, size_t *cap, const char *text, const struct ck_ref_ctx *x, int lineno);
/* Is w[0..n) a telegram nickname that stands for a post (DEPTEL, EMBTELS,
 * URTEL ...; not REFTEL)? */
int ck_ref_nickname_(const char *w, size_t n);
/* "Classified By:" text -> c->classified_by */
void ck_parse_classified_by_(ck_cable *c, const char *text);
/* E.O. / DECL line -> c->decl */
void ck_parse_decl_(ck_cable *c, const char *text, int lineno);
/* TAGS text -> c->tags */
void ck_parse_tags_(ck_cable *c, const char *text);
/* "091712Z JUL 07" -> "2007-07-09T17:12:00Z"; 0 on success. */
int ck_dtg_iso_(const char *dtg, char *buf, size_t bufsz, int *year);

/* small helpers */
static inline int ck_isupper_(int c) { return c >= 'A' && c <= 'Z'; }
static inline int ck_islower_(int c) { return c >= 'a' && c <= 'z'; }
static inline int ck_isdigit_(int c) { return c >= '0' && c <= '9'; }
static inline int ck_isalpha_(int c) { return ck_isupper_(c) || ck_islower_(c); }
static inline int ck_isspace_(int c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }
static inline int ck_isalnum_(int c) { return ck_isalpha_(c) || ck_isdigit_(c); }
static inline int ck_toupper_(int c) { return ck_islower_(c) ? c - 32 : c; }
/* The value of the digits that start s[0..n) (at most 9 read): atoi for a
 * span that need not be NUL-terminated. */
static inline int ck_digits_(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n && i < 9 && ck_isdigit_((unsigned char)s[i]); i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* Case-insensitive prefix test of ASCII word w on s[0..n). */
int ck_prefix_ci_(const char *s, size_t n, const char *w);
/* Collapse s[0..n) like ck_collapse_ into out (room for n bytes); returns
 * the bytes written (no NUL). */
size_t ck_collapse_into_(char *out, const char *s, size_t n);
/* Is the word w[0..n) (any case) one of the n upper-case words of list? */
int ck_word_in_list_(const char *w, size_t n, const char *const *list, size_t count);
/* Is w[0..n) in the static array `list`? */
#define CK_IN_LIST(w, n, list) ck_word_in_list_((w), (size_t)(n), (list), sizeof(list) / sizeof *(list))
/* Copy s[0..n) into the arena with runs of white space collapsed and the
 * ends trimmed. */
char *ck_collapse_(ck_arena *a, const char *s, size_t n);
/* The evidence of a cables.csv row (evidence_csv.c): references column,
 * minutes of the date column; source.meta_references and body_line. */
void ck_item_csv_evidence_(ck_cable *c, const ck_item *item);
#endif
