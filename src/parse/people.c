/*
 * people.c - the people a cable names, found after parsing (people.h).
 *
 * Sources, in this order (a person keeps the order of first appearance):
 *   - fields: signers, the Classified By name, person TAGS ("RICE,
 *     CONDOLEEZZA", "(KALOUDIS, NICK)"), and the drafter, approver and
 *     clearances of 1970s telegrams and PlusD records;
 *   - the text (subject, then paragraphs), tokenized once:
 *       titled mentions     [modifiers] TITLE Name    "USUN Amb Khalilzad",
 *                           "Political Minister-Counselor David D. Pearce"
 *       introduced names    Given Surname + a speech verb ("said"), an
 *                           apposition (", the Minister of ...") or
 *                           "(protect)"
 *       bare mentions       a surname already known in the cable
 *                           ("Khalilzad said", "KHALILZAD'S VIEW").
 * Titles are data/titles.tsv; words that are never part of a name
 * (organisations, places, nationalities, months, common words, speech
 * verbs) are data/notnames.tsv, the one-word country names of tags.tsv and
 * the post names of idposts.tsv.  ALL-CAPS paragraphs are read with the
 * stop words alone; mixed-case ones also by capitals.
 *
 * One person per surname within a cable, unless two different given names
 * are seen for it; keys are "surname" or "surname_given", letters only,
 * lower case (docs/people.md).  Every mention keeps the text as written,
 * so that each merge can be explained.
 */
#include "parse/internal.h"
#include "parse/people.h"
#include "parse/tables.h"

#include <limits.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the lexicon: one hash of upper-case words ------------------------- */

enum {
	W_ORG = 1 << 0,
	W_PLACE = 1 << 1,
	W_NAT = 1 << 2,
	W_WORD = 1 << 3,
	W_VERB = 1 << 4,
	W_PART = 1 << 5,   /* name particle: bin, al, de, van */
	W_MONTH = 1 << 6,
	W_TWORD = 1 << 7,  /* a word of some title */
	W_TLAST = 1 << 8,  /* the last word of some title */
	W_PROTECT = 1 << 9, /* "protect" of "(protect)" */
	W_DEPT = 1 << 10,  /* a department: Minister of Trade X */
	W_OFFICE = 1 << 11, /* (token) an office symbol "S/CT": acts as a title */
	W_SEEN = 1 << 15,  /* (token cache) looked up */
};
#define W_NOTNAME (W_ORG | W_PLACE | W_NAT | W_WORD | W_VERB | W_MONTH | W_TWORD | W_DEPT)

#define LEX_BITS 13
#define LEX_SIZE (1u << LEX_BITS)
#define WORD_MAX 40

struct lex_entry {
	const char *w;   /* upper case, NUL-terminated; NULL = empty slot */
	uint32_t h;
	unsigned flags;
	int tfirst, tcount; /* W_TLAST: titles ending in this word, in tl[] */
};

struct title {
	const struct ck_title_entry *e;
	int nw;                 /* words */
	const char *w[6];       /* word starts in e->title */
	int wl[6];              /* word lengths */
};

static struct {
	uint32_t slot[LEX_SIZE];  /* 0 empty, else hash's top 16 bits | entry + 1 (32 KB) */
	struct lex_entry ent[LEX_SIZE / 2];
	size_t nent;
	struct title *titles;
	int ntitles;
	int *tl;                /* title indices grouped by last word */
	int part_max;           /* the longest particle (W_PART) */
	char *pool;             /* words of tags and posts, upper case */
	size_t pool_len, pool_cap;
	int ok;
} L;
static pthread_once_t lex_once = PTHREAD_ONCE_INIT;

static unsigned char upcase[256]; /* ASCII letters to upper case, other bytes kept */

static uint32_t hash_upper(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ upcase[p[i]]) * 16777619u;
	return h;
}

/* Case-insensitive equality of s[0..n) with upper-case NUL-terminated w. */
static int eq_upper(const char *s, size_t n, const char *w)
{
	const unsigned char *p = (const unsigned char *)s, *q = (const unsigned char *)w;
	for (size_t i = 0; i < n; i++)
		if (upcase[p[i]] != q[i]) /* w's NUL differs from every byte of s */
			return 0;
	return q[n] == '\0';
}

static struct lex_entry *lex_find(const char *s, size_t n, uint32_t h)
{
	for (uint32_t i = h & (LEX_SIZE - 1);; i = (i + 1) & (LEX_SIZE - 1)) {
		uint32_t k = L.slot[i];
		if (!k)
			return NULL;
		if (!((k ^ h) >> 16)) {
			struct lex_entry *e = &L.ent[(k & 0xFFFF) - 1];
			if (e->h == h && eq_upper(s, n, e->w))
				return e;
		}
	}
}

/* Add flags to word w (upper case, lives as long as the program). */
static struct lex_entry *lex_add(const char *w, size_t n, unsigned flags)
{
	uint32_t h = hash_upper(w, n);
	if ((flags & W_PART) && (int)n > L.part_max)
		L.part_max = (int)n; /* parse_name looks up no longer lower-case word */
	struct lex_entry *e = lex_find(w, n, h);
	if (e) {
		e->flags |= flags;
		return e;
	}
	if (L.nent >= LEX_SIZE / 2)
		return NULL;        /* keep the table sparse: a word less */
	uint32_t slot = h & (LEX_SIZE - 1);
	while (L.slot[slot])
		slot = (slot + 1) & (LEX_SIZE - 1);
	e = &L.ent[L.nent];
	int lower = 0;
	for (size_t i = 0; i < n; i++)
		lower |= ck_islower_((unsigned char)w[i]);
	if (w[n] != '\0' || lower) {  /* copy into the pool, upper case */
		if (L.pool_len + n + 1 > L.pool_cap)
			return NULL;
		char *p = L.pool + L.pool_len;
		for (size_t i = 0; i < n; i++)
			p[i] = (char)ck_toupper_((unsigned char)w[i]);
		p[n] = '\0';
		L.pool_len += n + 1;
		w = p;
	}
	e->w = w;
	e->h = h;
	e->flags = flags;
	L.nent++;
	L.slot[slot] = (h & 0xFFFF0000u) | (uint32_t)L.nent;
	return e;
}

static unsigned kind_flags(const char *k)
{
	static const struct { const char *k; unsigned f; } map[] = {
		{"org", W_ORG}, {"place", W_PLACE}, {"nationality", W_NAT}, {"word", W_WORD},
		{"verb", W_VERB}, {"particle", W_PART}, {"month", W_MONTH}, {"dept", W_DEPT},
	};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (!strcmp(k, map[i].k))
			return map[i].f;
	return W_WORD;
}

static int cmp_tl(const void *a, const void *b)
{
	const struct title *x = &L.titles[*(const int *)a], *y = &L.titles[*(const int *)b];
	int n = x->wl[x->nw - 1] < y->wl[y->nw - 1] ? x->wl[x->nw - 1] : y->wl[y->nw - 1];
	int c = memcmp(x->w[x->nw - 1], y->w[y->nw - 1], (size_t)n);
	if (c)
		return c;
	if (x->wl[x->nw - 1] != y->wl[y->nw - 1])
		return x->wl[x->nw - 1] - y->wl[y->nw - 1];
	return y->nw - x->nw; /* longest title first */
}

static void bclass_build(void);

static void lex_build(void)
{
	bclass_build();
	L.pool_cap = 64 * 1024;
	L.pool = malloc(L.pool_cap);
	L.titles = calloc(ck_title_count + 1, sizeof *L.titles);
	L.tl = calloc(ck_title_count + 1, sizeof *L.tl);
	if (!L.pool || !L.titles || !L.tl)
		return;
	for (size_t i = 0; i < ck_notname_count; i++) {
		const char *w = ck_notname_table[i].word;
		if (!strchr(w, ' '))
			lex_add(w, strlen(w), kind_flags(ck_notname_table[i].kind));
	}
	/* one-word country names of the TAGS table; post names */
	for (size_t i = 0; i < ck_tag_count; i++) {
		const char *m = ck_tag_table[i].meaning;
		if (strcmp(ck_tag_table[i].kind, "geographic"))
			continue;
		size_t n = 0;
		while (ck_isalpha_((unsigned char)m[n]))
			n++;
		if (n >= 3 && m[n] == '\0')
			lex_add(m, n, W_PLACE);
	}
	for (size_t i = 0; i < ck_idpost_count; i++)
		lex_add(ck_idpost_table[i], strlen(ck_idpost_table[i]), W_PLACE);
	/* titles: every word is a title word; grouped by their last word */
	int nt = 0;
	for (size_t i = 0; i < ck_title_count; i++) {
		struct title *t = &L.titles[nt];
		const char *s = ck_title_table[i].title;
		t->e = &ck_title_table[i];
		t->nw = 0;
		while (*s && t->nw < 6) {
			const char *b = s;
			while (*s && *s != ' ')
				s++;
			t->w[t->nw] = b;
			t->wl[t->nw] = (int)(s - b);
			t->nw++;
			while (*s == ' ')
				s++;
		}
		if (*s || !t->nw)
			continue;
		for (int k = 0; k < t->nw; k++)
			lex_add(t->w[k], (size_t)t->wl[k], W_TWORD);
		L.tl[nt] = nt;
		nt++;
	}
	L.ntitles = nt;
	qsort(L.tl, (size_t)nt, sizeof *L.tl, cmp_tl);
	for (int i = 0; i < nt;) {
		const struct title *t = &L.titles[L.tl[i]];
		int j = i + 1;
		while (j < nt) {
			const struct title *u = &L.titles[L.tl[j]];
			if (u->wl[u->nw - 1] != t->wl[t->nw - 1] ||
			    memcmp(u->w[u->nw - 1], t->w[t->nw - 1], (size_t)t->wl[t->nw - 1]))
				break;
			j++;
		}
		struct lex_entry *e = lex_add(t->w[t->nw - 1], (size_t)t->wl[t->nw - 1], W_TLAST);
		if (e) {
			e->tfirst = i;
			e->tcount = j - i;
		}
		i = j;
	}
	lex_add("PROTECT", 7, W_PROTECT | W_WORD);
	lex_add("PROTECTED", 9, W_PROTECT | W_WORD);
	lex_add("STRICTLY", 8, W_PROTECT | W_WORD);
	L.ok = 1;
}

/* ---- tokens ------------------------------------------------------------- */

enum { G_START, G_SP, G_DOT, G_COMMA, G_PAREN, G_OTHER, G_QUOTE, G_NONE };
enum { S_OTHER, S_LOWER, S_CAP, S_UPPER, S_INITIAL };

/* 16 bytes a word: the tokenizer's cost is mostly writing these */
struct tok {
	int off;             /* in the text */
	uint16_t len;        /* without a possessive 's (words over 64 KB are cut) */
	uint16_t flags;      /* lexicon flags once W_SEEN */
	uint16_t lex;        /* entry + 1 in L.ent, or 0 */
	unsigned char gap;   /* what separates it from the token before */
	unsigned char shape;
	unsigned char poss;  /* a possessive 's was cut */
	unsigned char used;  /* part of a mention already */
	unsigned char pre;   /* bytes of an "ex-" / "then-" prefix (looked up without) */
};

struct text {
	const char *s;       /* subject or paragraph text */
	int para;            /* 0 subject, 1.. paragraph */
	int caps;            /* read as ALL CAPS */
	int t0, nt;          /* its tokens in x->tok */
	int c0, nc;          /* its capitalised tokens (the scans' candidates) in x->ci */
};

struct pers {
	char sur[WORD_MAX];  /* normalized surname */
	char given[WORD_MAX];/* normalized first given name, or "" */
	uint32_t surh;       /* hash of sur (find_person, scan_bare) */
	const char *name;    /* fullest form */
	int name_score;
	ck_strv titles;
	size_t tcap;
	unsigned roles;
	struct vec mentions; /* ck_mention */
};

#define MAX_PEOPLE 256
#define MAX_TEXT (1 << 20) /* bytes of subject and paragraphs read (real cables: < 200 KB) */
#define MAX_MENTIONS 512

struct ctx {
	ck_cable *c;
	struct tok *tok;
	int nt, cap;
	int *ci;             /* indices in tok of the words with a capital: most are lower case */
	int nci, cicap;
	struct text *tx;
	int ntx;
	struct pers *p;
	int np;
	int oom;
};

static inline int wordch(const unsigned char *s, size_t i, size_t n)
{
	unsigned char ch = s[i];
	if (ch < 0x80)
		return ck_isalnum_(ch);
	if (ch != 0xE2 && ch != 0xC2)
		return 1;
	/* U+2000..U+206F punctuation (E2 80/81 xx) and NBSP (C2 A0) are not */
	if (ch == 0xE2 && i + 1 < n && (s[i + 1] == 0x80 || s[i + 1] == 0x81))
		return 0;
	if (ch == 0xC2 && i + 1 < n && s[i + 1] == 0xA0)
		return 0;
	if (ch == 0xC2 && i + 1 < n && s[i + 1] < 0xC0)
		return 0; /* Latin-1 punctuation */
	return 1;
}

/* Length of a joiner at s[i] (' - / or the right single quote), else 0. */
static int joiner(const unsigned char *s, size_t i, size_t n)
{
	if (s[i] == '\'' || s[i] == '-' || s[i] == '/')
		return 1;
	if (s[i] == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && s[i + 2] == 0x99)
		return 3;
	return 0;
}

/* Skip a continuation of a UTF-8 sequence started before. */
static size_t utf8_len(unsigned char ch)
{
	return ch < 0x80 ? 1 : ch < 0xE0 ? 2 : ch < 0xF0 ? 3 : 4;
}

/* byte classes of the tokenizer: letters and digits, what else may be in
 * a word, and the gap an ASCII separator makes (high nibble) */
enum { B_LO = 1, B_UP = 2, B_DI = 4, B_HI = 8 /* >= 0x80: see wordch */, B_ALNUM = 7 };
static unsigned char bclass[256];

static void bclass_build(void)
{
	for (int c = 0; c < 256; c++) {
		upcase[c] = (unsigned char)ck_toupper_(c);
		unsigned char g = c == ' ' || c == '\n' || c == '\t' ? G_SP
				  : c == '.' || c == '?' || c == '!' ? G_DOT
				  : c == ',' ? G_COMMA
				  : c == '(' ? G_PAREN
				  : c == '"' ? G_QUOTE
				  : G_OTHER;
		bclass[c] = (unsigned char)(ck_islower_(c) ? B_LO : ck_isupper_(c) ? B_UP : ck_isdigit_(c) ? B_DI
					    : c >= 0x80 ? B_HI : g << 4);
	}
}

static void tok_shape(const char *s, struct tok *t)
{
	const unsigned char *p = (const unsigned char *)s + t->off;
	int n = t->len, lower = 0, upper = 0, digit = 0;
	int b = 0;
	/* "al-Maliki", "el-Baradei": the shape of what follows the prefix */
	if (n > 3 && (p[0] == 'a' || p[0] == 'e') && p[1] == 'l' && p[2] == '-')
		b = 3;
	for (int i = b; i < n; i++) {
		if (ck_islower_(p[i]))
			lower++;
		else if (ck_isupper_(p[i]))
			upper++;
		else if (ck_isdigit_(p[i]))
			digit++;
	}
	unsigned char f = p[b];
	if (digit)
		t->shape = S_OTHER;
	else if (ck_islower_(f))
		t->shape = S_LOWER;
	else if (ck_isupper_(f) || f >= 0xC0)
		t->shape = lower ? S_CAP : S_UPPER;
	else
		t->shape = S_OTHER;
}

/* The end of the word starting at p[i]: letters, digits, UTF-8 letters,
 * joined by ' - / or the right single quote.  *acc gets the B_ classes
 * seen (B_HI also for a joiner). */
static size_t word_end(const unsigned char *p, size_t i, size_t n, unsigned *acc)
{
	unsigned a = 0, c;
	for (;;) {
		while ((c = bclass[p[i]]) & B_ALNUM) { /* p[n] is the NUL: it stops */
			a |= c;
			i++;
		}
		if ((c & B_HI) && wordch(p, i, n)) {
			a |= B_HI;
			for (size_t e = i + utf8_len(p[i]); i < e && i < n; i++)
				;
			continue;
		}
		if (!(c & B_HI) && c != G_OTHER << 4)
			break; /* a blank, . , ( " or the NUL: no joiner */
		int j = i < n ? joiner(p, i, n) : 0;
		if (!j || i + (size_t)j >= n || !wordch(p, i + (size_t)j, n))
			break;
		a |= B_HI;
		i += (size_t)j;
	}
	*acc = a;
	return i;
}

/* The letters of p[b..e) by case, into *lower and *upper. */
static void count_case(const unsigned char *p, size_t b, size_t e, unsigned acc, long *lower, long *upper)
{
	if (!(acc & ~(unsigned)B_LO)) {
		*lower += (long)(e - b);
	} else if (!(acc & ~(unsigned)B_UP)) {
		*upper += (long)(e - b);
	} else {
		for (size_t i = b; i < e; i++) {
			*lower += ck_islower_(p[i]);
			*upper += ck_isupper_(p[i]);
		}
	}
}

/* The gap of the separator bytes p[i..): advances *i past them. */
static unsigned char gap_of(const unsigned char *p, size_t *ip, size_t n, unsigned char gap)
{
	size_t i = *ip;
	while (i < n) {
		unsigned char ch = p[i], c = bclass[ch], g;
		if (c & B_ALNUM)
			break;
		if (c & B_HI) {
			if (wordch(p, i, n))
				break;
			g = ch == 0xC2 && i + 1 < n && p[i + 1] == 0xA0 ? G_SP
			    : ch == 0xE2 && i + 2 < n && p[i + 1] == 0x80 && (p[i + 2] == 0x9C || p[i + 2] == 0x9D) ? G_QUOTE
			    : G_OTHER;
			i += utf8_len(ch);
		} else {
			g = c >> 4;
			i++;
		}
		if (gap == G_NONE || g > gap)
			gap = g;
	}
	*ip = i < n ? i : n;
	return gap;
}

/* The end of the run of a-z starting at p[i] (p[n] is the NUL). */
static size_t lower_run(const unsigned char *p, size_t i, size_t n)
{
#ifdef __SSE2__
	/* 16 bytes at a time: 'a'..'z' moved to -128..-103, then one
	 * signed compare */
	const __m128i shift = _mm_set1_epi8((char)(0x80 - 'a')), top = _mm_set1_epi8((char)(-128 + 26));
	while (i + 16 <= n) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		unsigned m = ~(unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(_mm_add_epi8(v, shift), top)) & 0xFFFFu;
		if (m)
			return i + (size_t)__builtin_ctz(m);
		i += 16;
	}
#endif
	while (bclass[p[i]] == B_LO)
		i++;
	return i;
}

#ifdef __SSE2__
static inline size_t pop16(unsigned v)
{
	v = v - ((v >> 1) & 0x5555u);
	v = (v & 0x3333u) + ((v >> 2) & 0x3333u);
	v = (v + (v >> 4)) & 0x0F0Fu;
	return (v + (v >> 8)) & 0x1Fu;
}
#endif

/* The end of the run of ASCII letters starting at p[i] (p[n] is the
 * NUL), and how many of them are capitals into *up. */
static size_t alpha_run(const unsigned char *p, size_t i, size_t n, size_t *up)
{
	size_t u = 0;
#ifdef __SSE2__
	const __m128i shift = _mm_set1_epi8((char)(0x80 - 'A')), top = _mm_set1_epi8((char)(-128 + 26)),
		      fold = _mm_set1_epi8(0x20);
	while (i + 16 <= n) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		/* capitals: 'A'..'Z'; letters: the same after folding in 0x20
		 * ('a'..'z'; '@'..'Z' and '`'..'z' differ only at @ [ \ ] ^ _ ` { | } ~) */
		unsigned cap = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(_mm_add_epi8(v, shift), top));
		__m128i lo = _mm_sub_epi8(_mm_or_si128(v, fold), _mm_set1_epi8('a' - 'A'));
		unsigned let = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(_mm_add_epi8(lo, shift), top));
		unsigned m = ~let & 0xFFFFu;
		if (m) {
			unsigned z = (unsigned)__builtin_ctz(m), cm = cap & ((1u << z) - 1);
			*up = u + (cm == 1 ? 1 : pop16(cm)); /* mostly "Capitalised" */
			return i + z;
		}
		u += pop16(cap);
		i += 16;
	}
#endif
	for (;; i++) {
		unsigned c = bclass[p[i]];
		if (!(c & (B_LO | B_UP)))
			break;
		u += c == B_UP;
	}
	*up = u;
	return i;
}

/* Room for the tokens of n more bytes (a token is a byte or more, and
 * one separator byte or more parts two): 0, or -1 out of memory. */
static int tok_reserve(struct ctx *x, size_t n)
{
	size_t need = (size_t)x->nt + n / 2 + 2, needc = (size_t)x->nci + n / 2 + 2;
	if (need <= (size_t)x->cap && needc <= (size_t)x->cicap)
		return 0;
	if (need > INT_MAX / 2 || needc > INT_MAX / 2) {
		x->oom = 1;
		return -1;
	}
	if (need > (size_t)x->cap) {
		int nc = x->cap ? x->cap : 256;
		while ((size_t)nc < need)
			nc *= 2;
		struct tok *t = realloc(x->tok, (size_t)nc * sizeof *t);
		if (!t) {
			x->oom = 1;
			return -1;
		}
		x->tok = t;
		x->cap = nc;
	}
	if (needc > (size_t)x->cicap) {
		int nc = x->cicap ? x->cicap : 256;
		while ((size_t)nc < needc)
			nc *= 2;
		int *c = realloc(x->ci, (size_t)nc * sizeof *c);
		if (!c) {
			x->oom = 1;
			return -1;
		}
		x->ci = c;
		x->cicap = nc;
	}
	return 0;
}

/* Tokenize text s into x->tok; returns the paragraph's caps mode.  One
 * pass over the bytes; words are not looked up here (tflags does, for the
 * few the scans ask about).  A lower-case word ended by a blank or
 * punctuation (most words) takes the short way. */
static int tokenize(struct ctx *x, const char *s, int *t0, int *nt)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;
	long lower = 0, upper = 0;
	*t0 = x->nt;
	*nt = 0;
	if (tok_reserve(x, n))
		return 0;
	struct tok *tk = x->tok;
	int *ci = x->ci, nci = x->nci;
	int k = x->nt;
	const int k0 = k;
	unsigned char gap = G_NONE;
	while (i < n) {
		unsigned c = bclass[p[i]];
		if (!(c & B_ALNUM) && !((c & B_HI) && wordch(p, i, n))) {
			gap = gap_of(p, &i, n, gap);
			if (i >= n)
				break;
			c = bclass[p[i]];
		}
		size_t b = i;
		unsigned char g = k == k0 ? G_START : gap == G_NONE ? G_OTHER : gap;
		gap = G_NONE;
		if (c == B_LO) {
			/* lower-case words, one blank apart: most of the text */
			for (;;) {
				i = lower_run(p, i + 1, n);
				unsigned e = bclass[p[i]];
				if ((e & (B_UP | B_DI | B_HI)) || e == G_OTHER << 4)
					break; /* more word, or maybe a joiner */
				size_t len = i - b;
				tk[k++] = (struct tok){.off = (int)b, .len = (uint16_t)(len > 0xFFFF ? 0xFFFF : len),
						       .gap = g, .shape = S_LOWER};
				lower += (long)len;
				if (p[i] != ' ' || bclass[p[i + 1]] != B_LO) {
					b = SIZE_MAX;
					break;
				}
				b = ++i;
				g = G_SP;
			}
			if (b == SIZE_MAX) {
				if (p[i] == ' ' && (bclass[p[i + 1]] & B_ALNUM)) {
					gap = G_SP; /* one blank: the common gap */
					i++;
				}
				continue;
			}
			i = b;
		}
		if (c & (B_LO | B_UP)) {
			/* a word of ASCII letters ended by a blank or punctuation */
			size_t nup, e = alpha_run(p, i, n, &nup);
			unsigned ec = bclass[p[e]];
			if (!(ec & (B_DI | B_HI)) && ec != G_OTHER << 4) {
				size_t len = e - b;
				upper += (long)nup;
				lower += (long)(len - nup);
				unsigned char shape = c == B_LO ? S_LOWER : nup < len ? S_CAP
						      : len == 1 && p[e] == '.' ? S_INITIAL : S_UPPER;
				if (shape != S_LOWER)
					ci[nci++] = k;
				tk[k++] = (struct tok){.off = (int)b, .len = (uint16_t)(len > 0xFFFF ? 0xFFFF : len),
						       .gap = g, .shape = shape};
				i = e;
				if (p[i] == ' ' && (bclass[p[i + 1]] & B_ALNUM)) {
					gap = G_SP;
					i++;
				}
				continue;
			}
		}
		unsigned acc;
		i = word_end(p, i, n, &acc);
		if (i > n)
			i = n;
		count_case(p, b, i, acc, &lower, &upper);
		size_t len = i - b > 0xFFFF ? 0xFFFF : i - b;
		struct tok *t = &tk[k++];
		*t = (struct tok){.off = (int)b, .gap = g, .shape = S_LOWER};
		if (acc == B_LO) {
			t->len = (uint16_t)len;
			continue;
		}
		/* possessive 's / ’s */
		if (len > 2 && (p[i - 1] == 's' || p[i - 1] == 'S')) {
			if (p[i - 2] == '\'') {
				len -= 2;
				t->poss = 1;
			} else if (len > 4 && p[i - 2] == 0x99 && p[i - 3] == 0x80 && p[i - 4] == 0xE2) {
				len -= 4;
				t->poss = 1;
			}
		}
		t->len = (uint16_t)len;
		if (len > 4 && p[b + 2] == '-' && !strncasecmp(s + b, "ex-", 3))
			t->pre = 3;
		else if (len > 6 && p[b + 4] == '-' && !strncasecmp(s + b, "then-", 5))
			t->pre = 5;
		if (len > 3 && p[b + 2] == '-') {
			tok_shape(s, t); /* "al-Maliki": the shape after the prefix */
		} else {
			unsigned char f = p[b];
			t->shape = (acc & B_DI) ? S_OTHER
				  : ck_islower_(f) ? S_LOWER
				  : (ck_isupper_(f) || f >= 0xC0) ? ((acc & B_LO) ? S_CAP : S_UPPER)
				  : S_OTHER;
		}
		if (len == 1 && t->shape == S_UPPER && i < n && p[i] == '.')
			t->shape = S_INITIAL;
		if (t->shape != S_LOWER && t->shape != S_OTHER)
			ci[nci++] = k - 1;
	}
	x->nt = k;
	x->nci = nci;
	*nt = k - k0;
	return upper > 0 && lower * 10 < upper;
}

static unsigned tflags(struct tok *t, const char *s)
{
	if (!(t->flags & W_SEEN)) {
		t->flags = W_SEEN;
		if (t->len < WORD_MAX && t->shape != S_OTHER) {
			const char *w = s + t->off + t->pre;
			size_t wl = (size_t)(t->len - t->pre);
			struct lex_entry *e = lex_find(w, wl, hash_upper(w, wl));
			if (e) {
				t->flags |= (uint16_t)e->flags;
				t->lex = (uint16_t)(e - L.ent + 1);
			}
		}
	}
	return t->flags;
}

/* ---- names -------------------------------------------------------------- */

/* Normalized form of s[0..n): letters (and UTF-8) upper case, without ' ’ -
 * . and without an al-/el- prefix; returns the length, 0 when empty or
 * too long. */
static size_t norm(const char *s, size_t n, char *out, size_t outsz)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, i = 0;
	if (n > 3 && (p[0] == 'a' || p[0] == 'A' || p[0] == 'e' || p[0] == 'E') &&
	    (p[1] == 'l' || p[1] == 'L') && (p[2] == '-' || p[2] == ' '))
		i = 3;
	for (; i < n; i++) {
		if (p[i] == 0xE2 && i + 2 < n && p[i + 1] == 0x80) {
			i += 2;
			continue;
		}
		if (ck_isalpha_(p[i]) || p[i] >= 0x80) {
			if (o + 1 >= outsz) {
				out[0] = '\0'; /* callers that ignore the 0 must not see a part (fuzz: a cut UTF-8 key) */
				return 0;
			}
			out[o++] = (char)ck_toupper_(p[i]);
		}
	}
	out[o] = '\0';
	return o;
}

const char *ck_people_key_(const char *surname, const char *given, char *buf, size_t bufsz)
{
	char a[WORD_MAX], b[WORD_MAX];
	size_t na = norm(surname, strlen(surname), a, sizeof a);
	size_t nb = given ? norm(given, strlen(given), b, sizeof b) : 0;
	if (!na || na + nb + 2 > bufsz)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < na; i++)
		buf[o++] = (char)(ck_isupper_((unsigned char)a[i]) ? a[i] + 32 : a[i]);
	if (nb) {
		buf[o++] = '_';
		for (size_t i = 0; i < nb; i++)
			buf[o++] = (char)(ck_isupper_((unsigned char)b[i]) ? b[i] + 32 : b[i]);
	}
	buf[o] = '\0';
	return buf;
}

int ck_person_key(const char *name, char *buf, size_t bufsz)
{
	char w[2][WORD_MAX];
	if (!name || !bufsz)
		return -1;
	const char *comma = strchr(name, ',');
	if (strchr(name, '_') && !strchr(name, ' ')) {
		/* a key already: "prodi_romano" */
		size_t n = strlen(name);
		if (n + 1 > bufsz)
			return -1;
		for (size_t i = 0; i <= n; i++)
			buf[i] = (char)(ck_isupper_((unsigned char)name[i]) ? name[i] + 32 : name[i]);
		return 0;
	}
	/* "Romano Prodi": the last word and the first; "PRODI, Romano": the
	 * part before the comma and the first word after it */
	const char *sur_b, *sur_e, *giv_b = NULL, *giv_e = NULL;
	const char *e = name + strlen(name);
	while (e > name && e[-1] == ' ')
		e--;
	const char *b = name;
	while (*b == ' ')
		b++;
	if (comma) {
		sur_b = b;
		sur_e = comma;
		giv_b = comma + 1;
		while (*giv_b == ' ')
			giv_b++;
		for (giv_e = giv_b; giv_e < e && *giv_e != ' '; giv_e++)
			;
	} else {
		sur_e = e;
		sur_b = e;
		while (sur_b > b && sur_b[-1] != ' ')
			sur_b--;
		if (sur_b > b) {
			giv_b = b;
			for (giv_e = b; giv_e < sur_b && *giv_e != ' '; giv_e++)
				;
		}
	}
	if (sur_e <= sur_b || (size_t)(sur_e - sur_b) >= WORD_MAX)
		return -1;
	memcpy(w[0], sur_b, (size_t)(sur_e - sur_b));
	w[0][sur_e - sur_b] = '\0';
	int given = giv_b && giv_e > giv_b && (size_t)(giv_e - giv_b) < WORD_MAX;
	if (given) {
		memcpy(w[1], giv_b, (size_t)(giv_e - giv_b));
		w[1][giv_e - giv_b] = '\0';
	}
	return ck_people_key_(w[0], given ? w[1] : NULL, buf, bufsz) ? 0 : -1;
}

static int redacted(const char *s, const struct tok *t)
{
	if (t->len < 4)
		return 0;
	for (int i = 0; i < t->len; i++)
		if (s[t->off + i] != 'X' && s[t->off + i] != 'x')
			return 0;
	return 1;
}

/* Can token k of text tx be a word of a name? */
static int name_tok(struct ctx *x, const struct text *tx, int k, int after_title)
{
	struct tok *t = &x->tok[tx->t0 + k];
	if (t->shape == S_OTHER || t->shape == S_LOWER)
		return 0;
	if (t->shape == S_UPPER && t->len < 2)
		return 0;
	if (!tx->caps && t->shape == S_UPPER && !after_title)
		return 0;  /* acronyms in mixed text: only right after a title */
	if (tflags(t, tx->s) & W_NOTNAME)
		return 0;
	if (redacted(tx->s, t))
		return 0;
	return 1;
}

static int ends_with(const char *s, const struct tok *t, const char *suf)
{
	int n = (int)strlen(suf);
	return t->len >= n + 3 && eq_upper(s + t->off + t->len - n, (size_t)n, suf);
}

/* A name starting at token k: up to 6 words; particles inside; an initial
 * may be followed by its period.  *first and *last get the token range
 * (relative to the text); returns the number of words, 0 for none. */
static int parse_name(struct ctx *x, const struct text *tx, int k, int after_title, int *first,
		      int *last)
{
	int n = 0, e = -1;
	int i = k;
	for (; i < tx->nt && n < 6; i++) {
		struct tok *t = &x->tok[tx->t0 + i];
		if (i > k) {
			const struct tok *pv = &x->tok[tx->t0 + i - 1];
			if (pv->poss)
				break;
			if (!(t->gap == G_SP || (t->gap == G_DOT && pv->shape == S_INITIAL)))
				break;
		}
		/* a lower-case word goes on a name only as a particle ("bin",
		 * "de"): the longer ones need no lookup */
		if (t->shape == S_LOWER && (i == k || t->len - t->pre > L.part_max))
			break;
		unsigned f = tflags(t, tx->s);
		if ((f & W_PART) && i > k && i + 1 < tx->nt) {
			n++;
			continue; /* kept only if a name word follows */
		}
		/* a place name inside a name ("Santiago Mourao", "Ricardo Lagos
		 * Weber"): kept only if a name word follows */
		if ((f & W_NOTNAME) == W_PLACE && (t->shape == S_CAP || (tx->caps && t->shape == S_UPPER)) &&
		    i + 1 < tx->nt && x->tok[tx->t0 + i + 1].gap == G_SP && !t->poss &&
		    name_tok(x, tx, i + 1, after_title || n > 0)) {
			n++;
			continue;
		}
		/* a surname in capitals after a given name: "Hamed AL-ALI" */
		if (!name_tok(x, tx, i, after_title || n > 0))
			break;
		/* ALL CAPS: "ASKED", "CONTINUING", "REPORTEDLY" end a name unless a
		 * name word follows ("MOHAMMED KHATAMI") */
		if (tx->caps && (ends_with(tx->s, t, "ED") || ends_with(tx->s, t, "ING") ||
				 ends_with(tx->s, t, "LY"))) {
			if (n > 0 || ends_with(tx->s, t, "LY") || i + 1 >= tx->nt || x->tok[tx->t0 + i + 1].gap != G_SP || t->poss ||
			    !name_tok(x, tx, i + 1, after_title))
				break;
		}
		n++;
		e = i;
	}
	if (e < 0)
		return 0;
	/* no trailing particle or initial */
	while (e >= k) {
		struct tok *t = &x->tok[tx->t0 + e];
		if (t->shape == S_INITIAL || (tflags(t, tx->s) & (W_PART | W_PLACE)))
			e--;
		else
			break;
	}
	while (k <= e && (tflags(&x->tok[tx->t0 + k], tx->s) & W_PART))
		k++;
	if (e < k)
		return 0;
	*first = k;
	*last = e;
	return e - k + 1;
}

/* ---- people ------------------------------------------------------------- */

static const char *const role_names[] = {"signer", "classified-by", "drafter", "approver",
					 "clearance", "tagged", "addressee", "mentioned"};
enum { R_SIGNER = 1, R_CLASSBY = 2, R_DRAFTER = 4, R_APPROVER = 8, R_CLEARANCE = 16,
       R_TAGGED = 32, R_ADDRESSEE = 64, R_MENTIONED = 128 };

/* A normalized surname's hash: people are compared by it before strcmp. */
static uint32_t sur_hash(const char *s)
{
	return hash_upper(s, strlen(s)); /* upper case already */
}

static void copy_word(char *dst, const char *src)
{
	size_t n = strlen(src); /* a normalized word: under WORD_MAX */
	if (n >= WORD_MAX) { /* cut where a character starts, never inside one (fuzz) */
		n = WORD_MAX - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static struct pers *find_person(struct ctx *x, const char *sur, const char *given, int create)
{
	struct pers *same_sur = NULL;
	uint32_t h = sur_hash(sur);
	for (int i = 0; i < x->np; i++) {
		struct pers *p = &x->p[i];
		if (p->surh != h || strcmp(p->sur, sur))
			continue;
		if (!given || !*given)
			return p;           /* a bare surname: the first with it */
		if (!strcmp(p->given, given))
			return p;
		if (!p->given[0] && !same_sur)
			same_sur = p;
	}
	if (same_sur) {
		/* the surname alone was seen before: it gets this given name,
		 * unless another person of that surname already has one */
		copy_word(same_sur->given, given);
		return same_sur;
	}
	if (!create || x->np >= MAX_PEOPLE)
		return NULL;
	if (x->np % 16 == 0) {
		struct pers *np2 = realloc(x->p, (size_t)(x->np + 16) * sizeof *np2);
		if (!np2) {
			x->oom = 1;
			return NULL;
		}
		x->p = np2;
	}
	struct pers *p = &x->p[x->np++];
	memset(p, 0, sizeof *p);
	copy_word(p->sur, sur);
	copy_word(p->given, given ? given : "");
	p->surh = h;
	p->mentions.size = sizeof(ck_mention);
	return p;
}

/* The fuller form wins: more words, then mixed case over capitals. */
static void set_name(struct pers *p, ck_arena *a, const char *s, size_t n, int words, int mixed)
{
	int score = words * 2 + mixed;
	if (p->name && score <= p->name_score)
		return;
	p->name = ck_collapse_(a, s, n);
	p->name_score = score;
}

static void add_title(struct ctx *x, struct pers *p, const char *title)
{
	if (!title || !*title)
		return;
	ck_strv_add_unique_(x->c->arena, &p->titles, &p->tcap, title);
}

/* "Ban Ki-Moon", "Kim Jong-Il", "Roh Moo-Hyun": a short first word and a
 * last word of two short capitalised parts joined by a hyphen is a Korean
 * name, surname first. */
static int east_asian(const char *s, const struct tok *ft, const struct tok *lt)
{
	const char *w = s + lt->off;
	const char *h = memchr(w, '-', (size_t)lt->len);
	if (ft->len < 2 || ft->len > 4 || !h || lt->poss)
		return 0;
	int a = (int)(h - w), b = lt->len - a - 1;
	/* not an Arabic article or particle: "Asma Al-Asad", "Abu-Bakr" */
	static const char *const arabic[] = {"AL", "EL", "AD", "AS", "AR", "AN", "AZ", "ASH", "AT",
					     "BIN", "IBN", "ABU", "BEN", "BOU", "ABD"};
	for (size_t i = 0; i < sizeof arabic / sizeof *arabic; i++)
		if ((int)strlen(arabic[i]) == a && !strncasecmp(w, arabic[i], (size_t)a))
			return 0;
	return a >= 2 && a <= 4 && b >= 2 && b <= 4 && ck_isupper_((unsigned char)w[0]) &&
	       ck_isupper_((unsigned char)h[1]) && !memchr(h + 1, '-', (size_t)b);
}

/* Record a person named by tokens [first..last] of a text, with the
 * mention spanning [from..last]. */
static struct pers *add_from_tokens(struct ctx *x, const struct text *tx, int first, int last,
				    int from, const char *title)
{
	const char *s = tx->s;
	struct tok *ft = &x->tok[tx->t0 + first], *lt = &x->tok[tx->t0 + last];
	char sur[WORD_MAX], given[WORD_MAX] = "";
	int swap = first + 1 == last && east_asian(s, ft, lt); /* "Ban Ki-Moon": surname first */
	struct tok *surt = swap ? ft : lt, *gt = swap ? lt : ft;
	if (!norm(s + surt->off, (size_t)surt->len, sur, sizeof sur))
		return NULL;
	if (first < last && gt->shape != S_INITIAL && !(tflags(gt, s) & W_PART))
		norm(s + gt->off, (size_t)gt->len, given, sizeof given);
	if (!strcmp(given, sur))
		given[0] = '\0';
	struct pers *p = NULL;
	if (first == last) {
		/* "Sheikh Ahmed" after "Sheikh Ahmed bin Hamad Al Khalifa": the
		 * given name of one person, and nobody's surname */
		int n = 0, bysur = 0;
		uint32_t h = sur_hash(sur);
		for (int k = 0; k < x->np; k++) {
			if (x->p[k].surh == h && !strcmp(x->p[k].sur, sur))
				bysur = 1;
			else if (!strcmp(x->p[k].given, sur) && n++ == 0)
				p = &x->p[k];
		}
		if (bysur || n != 1)
			p = NULL;
	}
	if (!p)
		p = find_person(x, sur, given, 1);
	if (!p)
		return NULL;
	set_name(p, x->c->arena, s + ft->off, (size_t)(lt->off + lt->len - ft->off), last - first + 1,
		 !tx->caps);
	add_title(x, p, title);
	p->roles |= R_MENTIONED;
	for (int i = from; i <= last; i++)
		x->tok[tx->t0 + i].used = 1;
	size_t nm = p->mentions.n;
	if (nm < MAX_MENTIONS) {
		ck_mention *m = ck_vec_push_(x->c->arena, &p->mentions);
		if (m) {
			struct tok *st = &x->tok[tx->t0 + from];
			m->paragraph = tx->para;
			m->offset = st->off;
			m->text = ck_collapse_(x->c->arena, s + st->off,
					       (size_t)(lt->off + lt->len - st->off));
		}
	}
	return p;
}

/* A title ending at token k (relative): the longest one of the table whose
 * words match tokens k-nw+1..k.  Returns the title or NULL; *start gets
 * its first token. */
static const struct title *title_at(struct ctx *x, const struct text *tx, int k, int *start)
{
	struct tok *t = &x->tok[tx->t0 + k];
	if (t->poss || !(tflags(t, tx->s) & W_TLAST) || !t->lex)
		return NULL;
	const struct lex_entry *e = &L.ent[t->lex - 1];
	for (int j = 0; j < e->tcount; j++) {
		const struct title *ti = &L.titles[L.tl[e->tfirst + j]];
		if (ti->nw > k + 1)
			continue;
		int ok = 1;
		for (int w = 0; w < ti->nw && ok; w++) {
			const struct tok *u = &x->tok[tx->t0 + k - ti->nw + 1 + w];
			if (u->len - u->pre != ti->wl[w])
				ok = 0;
			else if (w > 0 && (u->pre || (u->gap != G_SP && u->gap != G_DOT)))
				ok = 0;
			else
				for (int b = 0; b < ti->wl[w]; b++)
					if (ck_toupper_((unsigned char)tx->s[u->off + u->pre + b]) !=
					    (unsigned char)ti->w[w][b])
						ok = 0;
		}
		if (ok) {
			*start = k - ti->nw + 1;
			return ti; /* the longest first (cmp_tl) */
		}
	}
	return NULL;
}

static const struct ck_title_entry office_entry = {"", "office", ""};
static const struct title office_title = {&office_entry, 0, {NULL}, {0}};

static int is_word(const struct tok *t, const char *s, const char *w)
{
	return eq_upper(s + t->off, (size_t)t->len, w);
}

/* A title that ends right before token i: "PM Prodi", "Minister of Trade
 * Rachid" (of/for and department words between), "S/CT Dailey" (an
 * office symbol). */
static const struct title *title_before(struct ctx *x, const struct text *tx, int i, int *start,
					  int comma)
{
	struct tok *t = &x->tok[tx->t0 + i];
	if (i < 1 || (t->gap != G_SP && t->gap != G_DOT && !(comma && t->gap == G_COMMA)))
		return NULL;
	struct tok *pv = &x->tok[tx->t0 + i - 1];
	if (t->gap == G_DOT && pv->len > 4)
		return NULL;
	const struct title *ti = title_at(x, tx, i - 1, start);
	if (ti || t->gap == G_DOT)
		return ti;
	if (!tx->caps && pv->shape == S_UPPER && pv->len >= 3 && memchr(tx->s + pv->off, '/', (size_t)pv->len)) {
		*start = i - 1;
		return &office_title;
	}
	if (tflags(t, tx->s) & (W_DEPT | W_ORG | W_NAT))
		return NULL;
	if (t->flags & W_PLACE)
		return NULL;
	int j = i - 1, n = 0, real = 0;
	while (j > 0 && n < 5) {
		struct tok *u = &x->tok[tx->t0 + j];
		unsigned f = tflags(u, tx->s);
		if ((u->gap != G_SP && !(j == i - 1 && comma && u->gap == G_COMMA)) || u->poss)
			return NULL;
		if ((f & (W_DEPT | W_ORG | W_PLACE | W_NAT)) || is_word(u, tx->s, "THE") || is_word(u, tx->s, "AND")) {
			real += (f & (W_DEPT | W_ORG | W_PLACE | W_NAT)) != 0;
			j--;
			n++;
			continue;
		}
		break;
	}
	if (!real || j < 1 || t->poss)
		return NULL;
	struct tok *of = &x->tok[tx->t0 + j];
	if (of->gap != G_SP ||
	    !(is_word(of, tx->s, "OF") || is_word(of, tx->s, "FOR") || is_word(of, tx->s, "TO")))
		return NULL;
	return title_at(x, tx, j - 1, start);
}

/* "USUN Amb", "Afghan President": a title with the acronyms and
 * nationalities written before it. */
static const char *title_text(struct ctx *x, const struct text *tx, int start,
			      const struct title *ti, int *from)
{
	*from = start;
	if (strcmp(ti->e->kind, "title") && strcmp(ti->e->kind, "weak"))
		return NULL;
	char buf[160];
	size_t o = 0;
	int mods[2], nm = 0;
	for (int k = start; k > 0 && nm < 2; k--) {
		struct tok *t = &x->tok[tx->t0 + k - 1];
		const struct tok *after = &x->tok[tx->t0 + k];
		if (after->gap != G_SP || t->poss)
			break;
		unsigned f = tflags(t, tx->s);
		int acronym = !tx->caps && t->shape == S_UPPER && t->len >= 2 && t->len <= 8 &&
			      !(f & (W_WORD | W_VERB | W_MONTH | W_TWORD));
		if ((f & W_NAT) || ((f & W_ORG) && t->shape == S_UPPER) || acronym)
			mods[nm++] = k - 1;
		else
			break;
	}
	if (nm)
		*from = mods[nm - 1];
	for (int m = nm - 1; m >= 0; m--) {
		struct tok *t = &x->tok[tx->t0 + mods[m]];
		if (o + (size_t)t->len + 2 >= sizeof buf)
			break;
		int title_case = (t->flags & W_NAT) && t->shape == S_UPPER;
		for (int b = 0; b < t->len; b++) {
			char ch = tx->s[t->off + b];
			if (title_case && b > 0 && ck_isupper_((unsigned char)ch))
				ch = (char)(ch + 32);
			buf[o++] = ch;
		}
		buf[o++] = ' ';
	}
	if (!o)
		return ti->e->meaning; /* the table's string: lives as long as the program */
	size_t ml = strlen(ti->e->meaning);
	if (o + ml >= sizeof buf)
		ml = sizeof buf - o - 1;
	memcpy(buf + o, ti->e->meaning, ml);
	buf[o + ml] = '\0';
	return ck_arena_strdup(x->c->arena, buf);
}

/* Does the run ending at token e introduce a person: a speech verb after
 * it, an apposition with a title (", the Minister of ..."), "(protect)"? */
static int introduced(struct ctx *x, const struct text *tx, int e)
{
	if (e + 1 >= tx->nt)
		return 0;
	struct tok *nx = &x->tok[tx->t0 + e + 1];
	const char *s = tx->s;
	if (x->tok[tx->t0 + e].poss)
		return 0;
	if (nx->gap == G_SP)
		return (tflags(nx, s) & W_VERB) != 0;
	if (nx->gap == G_PAREN)
		return (tflags(nx, s) & W_PROTECT) != 0;
	if (nx->gap == G_COMMA) {
		if (tflags(nx, s) & W_VERB)
			return 1;
		for (int k = e + 1; k < tx->nt && k <= e + 8; k++) {
			struct tok *t = &x->tok[tx->t0 + k];
			if (k > e + 1 && t->gap != G_SP)
				break;
			if (tflags(t, s) & W_TLAST)
				return 1;
		}
	}
	return 0;
}

static int caps_introduced(struct ctx *x, const struct text *tx, int e)
{
	if (e + 1 >= tx->nt || x->tok[tx->t0 + e].poss)
		return 0;
	struct tok *nx = &x->tok[tx->t0 + e + 1];
	if (nx->gap == G_SP)
		return (tflags(nx, tx->s) & W_VERB) != 0;
	if (nx->gap == G_PAREN)
		return (tflags(nx, tx->s) & W_PROTECT) != 0;
	return 0;
}

/* "Hamed Al-Ali", "Abdul Rahman Mohammed AL-MARZOUQ": a given name and
 * an al- surname, in mixed case */
static int arabic(struct ctx *x, const struct text *tx, int last)
{
	const struct tok *t = &x->tok[tx->t0 + last];
	const unsigned char *p = (const unsigned char *)tx->s + t->off;
	return !tx->caps && t->len > 4 && (p[0] == 'A' || p[0] == 'E') && (p[1] == 'l' || p[1] == 'L') &&
	       p[2] == '-' && ck_isupper_(p[3]);
}

/* "Ibrahim Eissa of Al-Dostour", "Negad Al-Borai of the ... NGO": a full
 * name, then "of" (mixed case; the run holds no organisation word) */
static int of_after(struct ctx *x, const struct text *tx, int first, int last)
{
	if (tx->caps || last + 1 >= tx->nt)
		return 0;
	const struct tok *nx = &x->tok[tx->t0 + last + 1];
	if (nx->gap != G_SP || nx->shape != S_LOWER || !is_word(nx, tx->s, "OF"))
		return 0;
	return x->tok[tx->t0 + first].gap != G_SP || first == 0 ||
	       x->tok[tx->t0 + first - 1].shape == S_LOWER;
}

/* "said Ignacio Trejos": a speech verb right before a mixed-case name */
static int after_verb(struct ctx *x, const struct text *tx, int first)
{
	if (tx->caps || first < 1)
		return 0;
	struct tok *t = &x->tok[tx->t0 + first], *pv = &x->tok[tx->t0 + first - 1];
	return t->gap == G_SP && pv->shape == S_LOWER && (tflags(pv, tx->s) & W_VERB);
}

/* "his deputy, Rene Mesa.", "Minister of Health, Maria Luisa Avila,": a
 * title, a comma, the name, then a comma or the end of the sentence */
static int apposed(struct ctx *x, const struct text *tx, int first, int last)
{
	struct tok *t = &x->tok[tx->t0 + first];
	if (t->gap != G_COMMA)
		return 0;
	int start;
	if (!title_before(x, tx, first, &start, 1))
		return 0;
	if (last + 1 >= tx->nt)
		return 1;
	unsigned char g = x->tok[tx->t0 + last + 1].gap;
	return g == G_COMMA || g == G_DOT;
}

/* Is token k's word written with a capital in a mixed-case paragraph? */
static int cap_elsewhere(struct ctx *x, const struct text *tx, int k)
{
	const struct tok *t = &x->tok[tx->t0 + k];
	for (int i = 0; i < x->ntx; i++) {
		const struct text *o = &x->tx[i];
		if (o == tx || o->caps)
			continue;
		for (int j = 0; j < o->nt; j++) {
			const struct tok *u = &x->tok[o->t0 + j];
			if (u->shape == S_CAP && u->len == t->len && j > 0 && u->gap == G_SP &&
			    !strncasecmp(o->s + u->off, tx->s + t->off, (size_t)t->len))
				return 1;
		}
	}
	return 0;
}

static int known_surname(struct ctx *x, const struct text *tx, int k)
{
	const struct tok *t = &x->tok[tx->t0 + k];
	char w[WORD_MAX];
	if (t->len >= WORD_MAX || !norm(tx->s + t->off, (size_t)t->len, w, sizeof w))
		return 0;
	uint32_t h = sur_hash(w);
	for (int i = 0; i < x->np; i++)
		if (x->p[i].surh == h && !strcmp(x->p[i].sur, w))
			return 1;
	return 0;
}

static void scan_text(struct ctx *x, const struct text *tx)
{
	int next = 0; /* the first token not yet part of a mention */
	for (int c = tx->c0; c < tx->c0 + tx->nc; c++) {
		int i = x->ci[c] - tx->t0;
		if (i < next)
			continue;
		struct tok *t = &x->tok[tx->t0 + i];
		/* a word that is never part of a name starts nothing (a place
		 * may: "Santiago Mourao") - most capitals of mixed text */
		unsigned wf = tflags(t, tx->s) & W_NOTNAME;
		if (wf && wf != W_PLACE)
			continue;
		int first, last, start;
		const struct title *ti = title_before(x, tx, i, &start, 0);
		if (ti && t->gap == G_COMMA)
			ti = NULL;
		if (ti) {
			int nw = parse_name(x, tx, i, 1, &first, &last);
			/* ALL CAPS: "THE MAJOR STAKEHOLDERS", "LEADER SEES": a title
			 * that is also a common word needs two name words */
			if (nw == 1 && tx->caps && !strcmp(ti->e->kind, "weak"))
				nw = 0;
			/* a headline in capitals ("MINISTER REVIEWS OPTIONS"): only a
			 * surname the cable names elsewhere */
			if (nw && tx->para == 0 && tx->caps && !known_surname(x, tx, last) &&
			    !cap_elsewhere(x, tx, last))
				nw = 0;
			if (nw) {
				int from;
				const char *tt = title_text(x, tx, start, ti, &from);
				add_from_tokens(x, tx, first, last, from, tt);
				next = last + 1;
			}
			continue;
		}
		/* an introduced full name: two words or more */
		if (i > 0 && x->tok[tx->t0 + i - 1].gap == G_SP && t->gap == G_SP &&
		    name_tok(x, tx, i - 1, 0))
			continue; /* not the start of a run */
		/* two words or more need a next word parse_name may take; one
		 * word counts only as `one` below: else no need to read a name */
		const struct tok *nx = i + 1 < tx->nt ? &x->tok[tx->t0 + i + 1] : NULL;
		int more = nx && !t->poss && nx->shape != S_OTHER &&
			   (nx->gap == G_SP || (nx->gap == G_DOT && t->shape == S_INITIAL)) &&
			   !(nx->shape == S_LOWER && nx->len - nx->pre > L.part_max);
		if (!more && (tx->caps || t->shape != S_CAP || t->gap == G_SP || t->poss || !nx || nx->gap != G_SP))
			continue;
		int n = parse_name(x, tx, i, 0, &first, &last);
		for (int k = first; k <= last && n >= 2; k++)
			if (x->tok[tx->t0 + k].shape == S_INITIAL)
				n--;
		/* "Uribe said": one word and a speech verb, in mixed case */
		int one = n == 1 && !tx->caps && t->shape == S_CAP && t->gap != G_SP && last + 1 < tx->nt &&
			  x->tok[tx->t0 + last + 1].gap == G_SP && !x->tok[tx->t0 + last].poss &&
			  (tflags(&x->tok[tx->t0 + last + 1], tx->s) & W_VERB);
		if (t->gap == G_QUOTE)
			continue; /* a quoted name is a newspaper or a nickname */
		if (one || (n >= 2 && (introduced(x, tx, last) || after_verb(x, tx, first) ||
				       apposed(x, tx, first, last) || arabic(x, tx, last) ||
				       of_after(x, tx, first, last)))) {
			/* ALL CAPS: a speech verb or "(PROTECT)" only, and not in
			 * a headline */
			if (tx->caps && (tx->para == 0 || !caps_introduced(x, tx, last)))
				continue;
			add_from_tokens(x, tx, first, last, first, NULL);
			next = last + 1;
		}
	}
}

/* Later mentions of a surname the cable has named. */
static void scan_bare(struct ctx *x, const struct text *tx, uint32_t firsts, uint32_t lasts, int minlen)
{
	const char *s = tx->s;
	for (int c = tx->c0; c < tx->c0 + tx->nc; c++) {
		int i = x->ci[c] - tx->t0;
		struct tok *t = &x->tok[tx->t0 + i];
		if (t->used || t->shape == S_OTHER || t->shape == S_LOWER || t->shape == S_INITIAL ||
		    t->len < minlen)
			continue;
		/* a quick test on the first letter (after al-) before normalizing */
		unsigned char f = (unsigned char)s[t->off];
		if (t->len > 3 && s[t->off + 2] == '-')
			f = (unsigned char)s[t->off + 3];
		f = (unsigned char)ck_toupper_(f);
		if (ck_isupper_(f) && !(firsts & (1u << (f - 'A'))))
			continue;
		/* and on the last: an ASCII letter there ends the normalized word */
		unsigned char l = (unsigned char)ck_toupper_((unsigned char)s[t->off + t->len - 1]);
		if (ck_isupper_(l) && !(lasts & (1u << (l - 'A'))))
			continue;
		char w[WORD_MAX];
		if (t->len >= WORD_MAX || !norm(s + t->off, (size_t)t->len, w, sizeof w))
			continue;
		uint32_t h = sur_hash(w);
		for (int k = 0; k < x->np; k++) {
			struct pers *p = &x->p[k];
			if (p->surh != h || strcmp(p->sur, w))
				continue;
			/* "Romano Prodi" again: the given name with it */
			int from = i;
			for (int j = k; j < x->np; j++) {
				struct pers *q = &x->p[j];
				if (i > 0 && q->given[0] && q->surh == h && !strcmp(q->sur, w) && t->gap == G_SP) {
					struct tok *pv = &x->tok[tx->t0 + i - 1];
					char g[WORD_MAX];
					if (!pv->used && pv->len < WORD_MAX &&
					    norm(s + pv->off, (size_t)pv->len, g, sizeof g) && !strcmp(g, q->given)) {
						p = q;
						from = i - 1;
						break;
					}
				}
			}
			p->roles |= R_MENTIONED;
			if (p->mentions.n < MAX_MENTIONS) {
				ck_mention *m = ck_vec_push_(x->c->arena, &p->mentions);
				if (m) {
					struct tok *st = &x->tok[tx->t0 + from];
					m->paragraph = tx->para;
					m->offset = st->off;
					m->text = ck_arena_strndup(x->c->arena, s + st->off,
								   (size_t)(t->off + t->len - st->off));
				}
			}
			break;
		}
	}
}

/* A name given by a field ("SPOGLI", "David D. Pearce", "TOM MCDONALD"). */
static struct pers *add_field_name(struct ctx *x, const char *name, unsigned role,
				   const char *title)
{
	if (!name)
		return NULL;
	int t0, nt;
	int save = x->nt, savec = x->nci;
	int caps = tokenize(x, name, &t0, &nt);
	struct pers *p = NULL;
	/* the words of the name: from the last letter word back */
	int last = -1, first = -1;
	for (int i = nt - 1; i >= 0; i--) {
		struct tok *t = &x->tok[t0 + i];
		if (t->shape == S_CAP || t->shape == S_UPPER) {
			last = i;
			break;
		}
	}
	if (last >= 0 && !redacted(name, &x->tok[t0 + last])) {
		first = last;
		while (first > 0 && last - first < 5) {
			struct tok *t = &x->tok[t0 + first - 1], *n2 = &x->tok[t0 + first];
			if (n2->gap != G_SP && !(n2->gap == G_DOT && t->shape == S_INITIAL))
				break;
			if (t->shape == S_OTHER || (t->shape == S_LOWER && !(tflags(t, name) & W_PART)))
				break;
			if (tflags(t, name) & W_NOTNAME)
				break;
			first--;
		}
		char sur[WORD_MAX], given[WORD_MAX] = "";
		struct tok *ft = &x->tok[t0 + first], *lt = &x->tok[t0 + last];
		if (norm(name + lt->off, (size_t)lt->len, sur, sizeof sur)) {
			if (first < last && ft->shape != S_INITIAL)
				norm(name + ft->off, (size_t)ft->len, given, sizeof given);
			p = find_person(x, sur, given, 1);
			if (p) {
				set_name(p, x->c->arena, name + ft->off,
					 (size_t)(lt->off + lt->len - ft->off), last - first + 1, !caps);
				p->roles |= role;
				add_title(x, p, title);
			}
		}
	}
	x->nt = save;
	x->nci = savec;
	return p;
}

/* A person TAGS entry: "RICE, CONDOLEEZZA", "(KALOUDIS, NICK)". */
static void add_person_tag(struct ctx *x, const char *tag)
{
	const char *comma = strchr(tag, ',');
	if (!comma)
		return;
	const char *b = tag;
	for (const char *o = tag; o < comma; o++)
		if (*o == '(') /* "OVIP (KISSINGER, HENRY A.)" */
			b = o + 1;
	while (*b == '(' || *b == ' ')
		b++;
	char sur[WORD_MAX], given[WORD_MAX] = "";
	if (!norm(b, (size_t)(comma - b), sur, sizeof sur))
		return;
	const char *g = comma + 1;
	while (*g == ' ')
		g++;
	size_t gl = 0;
	while (g[gl] && g[gl] != ' ' && g[gl] != ')' && g[gl] != '.')
		gl++;
	if (gl > 1)
		norm(g, gl, given, sizeof given);
	struct pers *p = find_person(x, sur, given, 1);
	if (!p)
		return;
	p->roles |= R_TAGGED;
	const char *e = tag + strlen(tag);
	while (e > g && (e[-1] == ')' || e[-1] == ' '))
		e--;
	/* "CONDOLEEZZA RICE" from "RICE, CONDOLEEZZA" */
	char *nm = ck_arena_printf(x->c->arena, "%.*s %.*s", (int)(e - g), g, (int)(comma - b), b);
	if (nm)
		set_name(p, x->c->arena, nm, strlen(nm), 2, 0);
}

/* Does an upper-case surname start like an English word ("GRANT",
 * "WELLS", "ANDERSON"), rather than with a State initial left glued
 * ("RGRANT", "KWELLS")?  A vowel, or consonants that open English words
 * followed by a vowel. */
static int word_onset(const char *s)
{
	static const char *const open[] = {"BL", "BR", "CH", "CL", "CR", "DR", "FL", "FR", "GL", "GR",
					   "KL", "KN", "KR", "PH", "PL", "PR", "SC", "SH", "SK", "SL",
					   "SM", "SN", "SP", "ST", "SW", "TH", "TR", "TW", "WH", "WR",
					   "SCH", "SCR", "SHR", "SPR", "STR", "THR", "CHR"};
	const char *v = "AEIOUY";
	if (!s[0] || !s[1])
		return 0;
	if (strchr(v, s[0]) || strchr(v, s[1]))
		return 1;
	for (size_t i = 0; i < sizeof open / sizeof *open; i++) {
		size_t l = strlen(open[i]);
		if (!strncmp(s, open[i], l) && s[l] && strchr(v, s[l]))
			return 1;
	}
	return 0;
}

/* A State symbol's glued name "TKWELLS", "RAGREEN", "MKELLER": the
 * surname after one to three initials.  A surname of the cable that ends
 * the word wins; else the first cut that leaves an English onset, one
 * more when that leaves a vowel-initial rest and the next cut also fits
 * ("RAGREEN" -> GREEN, "JANDERSON" -> ANDERSON).  Returns the offset of
 * the surname in s (0: not glued). */
static size_t glued_initials(struct ctx *x, const char *s, size_t n)
{
	if (n < 5 || n >= WORD_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!ck_isupper_((unsigned char)s[i]))
			return 0;
	char w[WORD_MAX];
	memcpy(w, s, n);
	w[n] = '\0';
	if (lex_find(w, n, hash_upper(w, n)))
		return 0; /* a word of the lexicon ("STATE"): no name */
	for (int i = 0; i < x->np; i++) {
		size_t l = strlen(x->p[i].sur);
		if (l + 1 <= n && l + 3 >= n && !strcasecmp(w + n - l, x->p[i].sur))
			return n - l;
	}
	for (size_t k = 1; k <= 3 && n - k >= 3; k++) {
		if (!word_onset(w + k))
			continue;
		if (strchr("AEIOUY", w[k]) && k < 3 && n - k - 1 >= 3 && !strchr("AEIOUY", w[k + 1]) &&
		    word_onset(w + k + 1))
			return k + 1;
		return k;
	}
	return 0;
}

/* A State drafter, approver or clearance: "NEA/RA:DTMORRISON:BDF",
 * "EUR/SE - MR. SMITH", "S/S -TRGRANT", "S/S-O: G. PARRISH", "EA/J -
 * D.STONE", "S/PM: PPCLAXTON, JR.": the name part (after the office, before
 * the typist's initials), its glued initials cut off. */
static void add_office_name(struct ctx *x, const char *s, unsigned role)
{
	if (!s)
		return;
	const char *b = strchr(s, ':'), *e;
	if (b) {
		b++;
		e = strchr(b, ':');
	} else {
		b = strstr(s, " -");
		if (!b)
			return; /* an office alone ("NEA") */
		b += 2;
		e = NULL;
	}
	if (!e)
		e = b + strlen(b);
	while (b < e && (*b == ' ' || *b == '-'))
		b++;
	for (const char *c = b; c < e; c++)
		if (*c == ',' || ck_isdigit_((unsigned char)*c)) { /* ", JR.", "05/29/73 EXT 20455" */
			e = c;
			break;
		}
	while (e > b && (e[-1] == ' ' || e[-1] == '.'))
		e--;
	if (e <= b)
		return;
	size_t n = (size_t)(e - b);
	if (!memchr(b, ' ', n) && !memchr(b, '.', n)) {
		size_t k = glued_initials(x, b, n);
		if (!k)
			return;
		char sur[WORD_MAX];
		if (!norm(b + k, n - k, sur, sizeof sur))
			return;
		struct pers *p = find_person(x, sur, NULL, 1);
		if (p) {
			set_name(p, x->c->arena, b + k, n - k, 1, 0);
			p->roles |= role;
		}
		return;
	}
	char *name = ck_arena_strndup(x->c->arena, b, n);
	if (name)
		add_field_name(x, name, role, NULL);
}

/* Attention lines before the subject: "NSC FOR SENIOR AFRICA DIRECTOR GAYLE
 * SMITH", "PASS USTR FOR ROSA WHITAKER": a name of two words or more
 * ending the line after FOR (and titles). */
static void add_addressees(struct ctx *x, const char *body)
{
	const char *l = body;
	for (int nl = 0; l && *l && nl < 60; nl++) {
		const char *e = strchr(l, '\n');
		size_t n = e ? (size_t)(e - l) : strlen(l);
		if (ck_prefix_ci_(l, n, "SUBJECT") || ck_prefix_ci_(l, n, "1.") || ck_prefix_ci_(l, n, "SUMMARY"))
			break;
		const char *f = NULL;
		/* the last " FOR " that leaves under 120 bytes: only the line's
		 * end is read (a hostile 10 MB line is no attention line) */
		for (size_t i = n > 125 ? n - 125 : 0; i + 5 <= n; i++)
			if (!memcmp(l + i, " FOR ", 5))
				f = l + i + 5;
		if (f && l + n - f < 120) {
			char *tail = ck_arena_strndup(x->c->arena, f, (size_t)(l + n - f));
			int save = x->nt, savec = x->nci, t0, nt;
			int caps = tail ? tokenize(x, tail, &t0, &nt) : 0;
			struct text tx = {.s = tail, .para = -1, .caps = caps, .t0 = t0, .nt = tail ? nt : 0};
			int j = tx.nt - 1, words = 0;
			while (j >= 0 && name_tok(x, &tx, j, 1) && (j == tx.nt - 1 || x->tok[t0 + j + 1].gap == G_SP ||
								   (x->tok[t0 + j + 1].gap == G_DOT &&
								    x->tok[t0 + j].shape == S_INITIAL))) {
				words += x->tok[t0 + j].shape != S_INITIAL;
				j--;
			}
			if (tail && words >= 2 && words <= 4 && (j < 0 || (tflags(&x->tok[t0 + j], tail) & W_TWORD))) {
				const struct tok *a = &x->tok[t0 + j + 1], *b = &x->tok[t0 + tx.nt - 1];
				char *name = ck_arena_strndup(x->c->arena, tail + a->off, (size_t)(b->off + b->len - a->off));
				x->nt = save;
				x->nci = savec;
				if (name)
					add_field_name(x, name, R_ADDRESSEE, NULL);
			}
			x->nt = save;
			x->nci = savec;
		}
		l = e ? e + 1 : NULL;
	}
}

static const char *field_title(ck_arena *a, const char *t)
{
	if (!t || !*t)
		return NULL;
	char up[96];
	size_t n = ck_collapse_into_(up, t, strlen(t) < sizeof up - 1 ? strlen(t) : sizeof up - 1);
	up[n] = '\0';
	for (size_t i = 0; i < n; i++)
		up[i] = (char)ck_toupper_((unsigned char)up[i]);
	for (size_t i = 0; i < ck_title_count; i++)
		if (!strcmp(ck_title_table[i].title, up))
			return strcmp(ck_title_table[i].kind, "title") ? NULL : ck_title_table[i].meaning;
	return ck_collapse_(a, t, strlen(t));
}

static int cmp_mention(const void *a, const void *b)
{
	const ck_mention *x = a, *y = b;
	if (x->paragraph != y->paragraph)
		return x->paragraph - y->paragraph;
	return x->offset - y->offset;
}

/* The token array is kept per thread between cables (most of the pass's
 * cost was growing it again for every cable); freed at thread exit. */
static pthread_key_t tok_key;
static pthread_once_t tok_once = PTHREAD_ONCE_INIT;
struct tokbuf {
	struct tok *tok;
	int cap;
};
static void tokbuf_free(void *p)
{
	struct tokbuf *b = p;
	if (b) {
		free(b->tok);
		free(b);
	}
}
static void tok_key_make(void)
{
	if (pthread_key_create(&tok_key, tokbuf_free))
		tok_key = 0;
}

/* The fields: signers, Classified By, person TAGS, attention lines, and
 * the 1970s / PlusD drafter, approver and clearances. */
static void read_fields(struct ctx *x, ck_cable *c)
{
	for (size_t i = 0; i < c->signers.n; i++)
		add_field_name(x, c->signers.v[i], R_SIGNER, NULL);
	if (c->has_classified_by && c->classified_by.name)
		add_field_name(x, c->classified_by.name, R_CLASSBY,
			       field_title(c->arena, c->classified_by.title));
	for (size_t i = 0; i < c->tags.n; i++)
		if (strchr(c->tags.v[i], ','))
			add_person_tag(x, c->tags.v[i]);
	if (c->body)
		add_addressees(x, c->body);
	/* 1970s telegrams and PlusD records (seventies.c, plusd.c) */
	for (size_t i = 0; i < c->person_tags.n; i++)
		add_person_tag(x, c->person_tags.v[i]);
	add_office_name(x, c->drafter, R_DRAFTER);
	add_office_name(x, c->approver, R_APPROVER);
	for (size_t i = 0; i < c->clearances.n; i++)
		add_office_name(x, c->clearances.v[i], R_CLEARANCE);
}

/* Tokenize the subject, then the paragraphs (the first MAX_TEXT bytes,
 * a problem beyond); 0, or -1 out of memory. */
static int read_texts(struct ctx *x, ck_cable *c)
{
	x->tx = calloc(c->nparas + 1, sizeof *x->tx);
	if (!x->tx)
		return -1;
	if (c->subject && strlen(c->subject) <= MAX_TEXT) {
		struct text *tx = &x->tx[x->ntx++];
		tx->s = c->subject;
		tx->para = 0;
		tx->c0 = x->nci;
		tx->caps = tokenize(x, c->subject, &tx->t0, &tx->nt);
		tx->nc = x->nci - tx->c0;
	}
	size_t read = c->subject ? strlen(c->subject) : 0;
	for (size_t i = 0; i < c->nparas && !x->oom; i++) {
		if (!c->paras[i].text)
			continue;
		read += strlen(c->paras[i].text);
		if (read > MAX_TEXT) {
			ck_cable_problem(c, "people", 0,
					 "text over %d bytes: people are read from paragraphs 1-%zu only",
					 MAX_TEXT, i);
			break;
		}
		struct text *tx = &x->tx[x->ntx++];
		tx->s = c->paras[i].text;
		tx->para = (int)i + 1;
		tx->c0 = x->nci;
		tx->caps = tokenize(x, tx->s, &tx->t0, &tx->nt);
		tx->nc = x->nci - tx->c0;
	}
	return x->oom ? -1 : 0;
}

/* Titled and introduced names, then bare mentions of known surnames. */
static void scan_texts(struct ctx *x)
{
	/* a subject in capitals is read like an ALL CAPS paragraph only when
	 * the paragraphs are too: subjects are upper case in most cables */
	for (int i = 0; i < x->ntx; i++)
		if (x->tx[i].para > 0)
			scan_text(x, &x->tx[i]);
	if (x->ntx && x->tx[0].para == 0)
		scan_text(x, &x->tx[0]); /* the subject last: see scan_text */
	if (!x->np)
		return;
	uint32_t firsts = 0, lasts = 0;
	int minlen = WORD_MAX;
	for (int i = 0; i < x->np; i++) {
		unsigned char f = (unsigned char)x->p[i].sur[0];
		firsts |= ck_isupper_(f) ? 1u << (f - 'A') : 0;
		int l = (int)strlen(x->p[i].sur);
		if (l < minlen)
			minlen = l;
		unsigned char e = l ? (unsigned char)x->p[i].sur[l - 1] : 0;
		lasts |= ck_isupper_(e) ? 1u << (e - 'A') : ~0u; /* a UTF-8 end: no test */
	}
	for (int i = 0; i < x->ntx; i++)
		scan_bare(x, &x->tx[i], firsts, lasts, minlen);
}

/* The people found, into c->people (arena memory). */
static void to_cable(struct ctx *x, ck_cable *c)
{
	ck_person *out = x->np ? ck_arena_alloc(c->arena, (size_t)x->np * sizeof *out) : NULL;
	if (!out)
		return;
	for (int i = 0; i < x->np; i++) {
		struct pers *p = &x->p[i];
		ck_person *o = &out[i];
		size_t ns = strlen(p->sur), ng = strlen(p->given);
		char *key = ck_arena_alloc(c->arena, ns + ng + 2);
		if (!key)
			return;
		memcpy(key, p->sur, ns);
		key[ns] = '_';
		memcpy(key + ns + 1, p->given, ng + 1);
		if (!ng)
			key[ns] = '\0';
		for (char *k = key; *k; k++)
			if (ck_isupper_((unsigned char)*k))
				*k = (char)(*k + 32);
		o->key = key;
		o->name = p->name ? p->name : o->key;
		o->titles = p->titles;
		size_t cap = 0;
		for (size_t r = 0; r < sizeof role_names / sizeof *role_names; r++)
			if (p->roles & (1u << r))
				ck_strv_push_(c->arena, &o->roles, &cap, role_names[r]);
		o->mentions = p->mentions.v;
		o->nmentions = p->mentions.n;
		if (o->nmentions > 1)
			qsort(o->mentions, o->nmentions, sizeof *o->mentions, cmp_mention);
	}
	c->people = out;
	c->npeople = (size_t)x->np;
}

void ck_people_extract_(ck_cable *c)
{
	c->people = NULL;
	c->npeople = 0;
	pthread_once(&lex_once, lex_build);
	if (!L.ok)
		return;
	struct ctx x;
	memset(&x, 0, sizeof x);
	x.c = c;
	pthread_once(&tok_once, tok_key_make);
	struct tokbuf *tb = pthread_getspecific(tok_key);
	if (!tb && (tb = calloc(1, sizeof *tb)) && pthread_setspecific(tok_key, tb)) {
		free(tb);
		tb = NULL;
	}
	if (tb) {
		x.tok = tb->tok;
		x.cap = tb->cap;
	}
	read_fields(&x, c);
	if (read_texts(&x, c) == 0) {
		scan_texts(&x);
		to_cable(&x, c);
	}
	if (tb && x.cap <= (1 << 20)) { /* keep up to 1M tokens (24 MB) */
		tb->tok = x.tok;
		tb->cap = x.cap;
	} else {
		free(x.tok);
		if (tb)
			tb->tok = NULL, tb->cap = 0;
	}
	free(x.tx);
	free(x.p);
	free(x.ci);
}
