/*
 * parser.h - what the passes of the telegram parser share.
 *
 * ck_parse() (parse.c) runs the passes in order over one struct parser:
 *   lines.c     split the text into lines, undo rendering damage that breaks
 *               lines (doubled quotes, header fields run together, long lines)
 *   header.c    the transmission header: FL1-FL8, FM/TO/INFO/XMT, printouts
 *   repair.c    page headers and footers, joins across page breaks
 *   signer.c    the signer at the end, trailer lines
 *   body.c      the body state machine: captions, E.O., TAGS, SUBJECT, REF,
 *               Classified By, headings, paragraphs
 *   paras.c     paragraph assembly and the numbering check
 *   finish.c    classification, marking, precedence, origin, id, summary, body
 * and the line classifiers they call:
 *   scan.c      pure predicates and readers on a span (page headers, links)
 *   banner.c    classification levels and the classification line
 *   classify.c  paragraph starts, field labels, caption lines, headings
 * Every helper named ck_*_ here is internal to the library (not in
 * include/cablekit.h).
 */
#ifndef CK_PARSE_PARSER_H
#define CK_PARSE_PARSER_H
#include "parse/internal.h"

#include <string.h>

/* Limits that keep hostile input bounded. */
#define MAX_ADDRS 20000
#define MAX_FIELD 65536 /* bytes of one header field (subject, ref ...) */

struct parser {
	ck_cable *c;
	struct line *L;
	int n;          /* lines */
	const char *text; /* the decoded buffer the lines were split from */
	size_t text_len;
	int body;       /* first body line (the banner, when there is one) */
	int banner;     /* index of the banner line or -1 */
	int year;       /* the cable's year (for references), 0 unknown */
	int year_hint;  /* year given by the caller (--year, page metadata) */
	enum ck_id_source_ id_source; /* where the id came from (finish.c) */
	int text_from;  /* first line after the banner (or the body) */
	/* banner */
	char post[64];       /* id post name from the banner */
	const char *post_written; /* the banner's post as written */
	int post_wlen;
	long serial;
	size_t caveat_cap, relay_cap, signer_cap, refs_cap;
	struct vec to, info, xmt, paras;
	const char *pending_heading;
	int paras_numbered_seen; /* a numbered paragraph has begun */
	int bs_lines;   /* lines ending in a backslash */
};

struct para_b {
	ck_buf text;
	int active;
	int n;
	const char *mark;
	const char *heading;
};

struct banner {
	const char *level;
	int section, nsections;
	const char *post; /* start of the post words */
	int post_len;
	long serial;
	char caveats[4][16];
	int ncaveats;
	int year; /* a year written before the post, or 0 */
	int folded; /* letter-spacing read through a glitch ("N TI A L") */
};



enum field { F_NONE, F_SUBJECT, F_REF, F_CLASSBY, F_TAGS, F_DECL };


/* ---- small scanners (inline: the classifiers call them per byte) ---- */

/* left-trimmed view of a line */
static inline const char *ltrim(const struct line *l, int *len)
{
	const char *p = l->s;
	int n = l->len;
	while (n && ck_isspace_((unsigned char)*p))
		p++, n--;
	if (len)
		*len = n;
	return p;
}

static inline int starts(const char *s, int n, const char *w)
{
	int i = 0;
	for (; w[i]; i++)
		if (i >= n || s[i] != w[i])
			return 0;
	return 1;
}

/* t[0..n) is exactly the word w (no strlen: stops at the first mismatch) */
static inline int eq_word(const char *t, int n, const char *w)
{
	for (int i = 0; i < n; i++)
		if (t[i] != w[i])
			return 0;
	return w[n] == '\0';
}

static inline int starts_ci(const char *s, int n, const char *w)
{
	return ck_prefix_ci_(s, (size_t)n, w);
}

static inline int all_upper_word(const char *s, int n)
{
	if (n <= 0)
		return 0;
	for (int i = 0; i < n; i++)
		if (!ck_isupper_((unsigned char)s[i]))
			return 0;
	return 1;
}

static inline int has_lower(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (ck_islower_((unsigned char)s[i]))
			return 1;
	return 0;
}

static inline int read_int(const char *s, int n, int *i, long *v)
{
	int k = *i;
	long x = 0;
	int d = 0;
	while (k < n && ck_isdigit_((unsigned char)s[k]) && d < 9) {
		x = x * 10 + (s[k] - '0');
		k++, d++;
	}
	if (!d || (k < n && ck_isdigit_((unsigned char)s[k])))
		return 0;
	*i = k;
	*v = x;
	return d;
}

static inline void skip_sp(const char *s, int n, int *i)
{
	while (*i < n && s[*i] == ' ')
		(*i)++;
}


/* a line of dashes, '=' or '_' (an underline, a box edge); inline: the
 * body pass asks it of every line and of the line after */
static inline int ck_is_dashes_(const char *t, int n)
{
	if (n < 3)
		return 0;
	for (int i = 0; i < n; i++)
		if (t[i] != '-' && t[i] != '=' && t[i] != '_' && t[i] != ' ')
			return 0;
	return t[0] == '-' || t[0] == '=' || t[0] == '_';
}

/* a SUBJECT label at the start of t */
static inline int ck_is_subject_line_(const char *t, int n)
{
	return starts(t, n, "SUBJECT") || starts(t, n, "SUBJ:") || starts(t, n, "Subject:");
}

/* Is line l a paragraph start (ck_para_start_ with its own blank_before)?
 * From what ck_classify_ stored; ps (may be NULL) gets number and marking. */
static inline int line_para_start(const struct line *l, struct pstart *ps)
{
	if (ps)
		*ps = l->ps;
	/* ck_para_start_ needs the blank line only for a number with neither
	 * pilcrow nor marking */
	if (l->pst == 1 && !l->ps.pilcrow && !l->ps.mark && !l->blank_before)
		return 0;
	return l->pst;
}

/* ---- scan.c --------------------------------------------------------- */
int ck_page_header_len_(const char *s, int n);
int ck_truncated_page_header_(const char *t, int n);
char *ck_strip_md_links_(ck_arena *a, const char *t, int n);

/* ---- banner.c ------------------------------------------------------- */
int ck_read_level_(const char *s, int n, const char **level);
int ck_is_banner_(const char *s, int n, struct banner *b);
int ck_is_level_only_(const char *s, int n);
int ck_glued_banner_at_(const char *t, int n);

/* ---- classify.c ----------------------------------------------------- */
int ck_read_marking_(const char *t, int n, const char **start, int *len);
int ck_para_start_(const char *t, int n, int blank_before, struct pstart *ps);
int ck_field_label_(const char *t, int n, int *off);
int ck_caption_line_(const char *t, int n);
void ck_caption_add_(struct parser *s, const char *t, int n);
int ck_heading_at_(struct parser *s, int i, const char **text, int *tlen);

/* ---- header.c ------------------------------------------------------- */
const char *ck_prec_word_(char c);
int ck_is_printout_(const char *t, int n);
int ck_looks_fl5_(const char *t, int n);
int ck_looks_like_addr_(const char *t, int n);
void ck_year_fallbacks_(struct parser *s);
void ck_printout_fields_(struct parser *s, const char *t, int n);

/* ---- paras.c -------------------------------------------------------- */
void ck_para_flush_(struct parser *s, struct para_b *pb);
void ck_para_add_(struct para_b *pb, const char *t, int n, int sep_blank);
void ck_check_numbers_(struct parser *s, const int *lines);

/* ---- signer.c ------------------------------------------------------- */
int ck_is_trailer_(const char *t, int n);

/* ---- the passes, in the order ck_parse() runs them ------------------ */
int ck_split_lines_(struct parser *s, char *buf, size_t len);
void ck_undo_backslash_ends_(struct parser *s);
void ck_undo_doubled_quotes_(struct parser *s);
void ck_split_inline_fields_(struct parser *s);
void ck_split_long_lines_(struct parser *s);
void ck_parse_header_(struct parser *s);
void ck_second_copy_(struct parser *s);
void ck_repair_(struct parser *s);
void ck_rejoin_split_sentences_(struct parser *s);
void ck_find_signer_(struct parser *s, int from);
void ck_classify_(struct parser *s);
void ck_parse_body_(struct parser *s);
void ck_finish_(struct parser *s);
#endif
