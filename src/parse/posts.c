/*
 * posts.c - decoding codes and names: routing indicators, TAGS, post names.
 *
 * The tables are generated from data/ by scripts/gentables.sh (see
 * tables.h) and searched by bisection; the rules that turn a plain-language
 * address (PLAD) into the archive-style origin ("AMEMBASSY THE HAGUE" ->
 * "Embassy The Hague") and a post name into its reference-id form
 * ("USUN NEW YORK" -> "USUNNEWYORK") live here, with the irregular names in
 * data/posts.tsv and data/idaliases.tsv.  These functions run for every
 * cable: they never allocate, work in small stack buffers, and refuse
 * (NULL) input too long for them instead of truncating it.
 */
#include "cablekit.h"
#include "parse/posts.h"
#include "parse/tables.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	PLAD_MAX = 96,  /* longest normalized PLAD we look up */
	IDNAME_MAX = 48 /* longest id post name (letters) */
};

static int is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(int c) { return c >= 'a' && c <= 'z'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	       c == '\v';
}
static int to_upper(int c) { return is_lower(c) ? c - 'a' + 'A' : c; }
static int to_lower(int c) { return is_upper(c) ? c - 'A' + 'a' : c; }

/* Copy src into buf; NULL (buf emptied) when it does not fit. */
static const char *put(char *buf, size_t bufsz, const char *src)
{
	size_t n = strlen(src);
	if (!buf || !bufsz)
		return NULL;
	if (n >= bufsz) {
		buf[0] = '\0';
		return NULL;
	}
	memcpy(buf, src, n + 1);
	return buf;
}

/* ---- routing indicators and TAGS --------------------------------------- */

/* First index of a sorted string array whose entry is >= key. */
static size_t lower_bound(const char *const *v, size_t stride, size_t count,
			  const char *key)
{
	size_t lo = 0, hi = count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *s = *(const char *const *)((const char *)v + mid * stride);
		if (strcmp(s, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The row of a table sorted on its first field (a string) whose key is
 * key, or NULL: every lookup table here is searched by this one bisection. */
static const void *exact_find(const void *table, size_t stride, size_t count, const char *key)
{
	if (!key)
		return NULL;
	size_t i = lower_bound(table, stride, count, key);
	if (i < count) {
		const void *row = (const char *)table + i * stride;
		if (!strcmp(*(const char *const *)row, key))
			return row;
	}
	return NULL;
}

static const struct ck_ri_entry *ri_find(const char *ri)
{
	return exact_find(ck_ri_table, sizeof *ck_ri_table, ck_ri_count, ri);
}

const char *ck_ri_name(const char *ri)
{
	const struct ck_ri_entry *e = ri_find(ri);
	return e ? e->name : NULL;
}

const char *ck_ri_source(const char *ri)
{
	const struct ck_ri_entry *e = ri_find(ri);
	return e ? e->source : NULL;
}

/* First row of a TAGS code (of length len), or NULL. */
static const struct ck_tag_entry *tag_find(const char *code, size_t len)
{
	size_t lo = 0, hi = ck_tag_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *k = ck_tag_table[mid].code;
		int c = strncmp(code, k, len);
		if (c == 0 && k[len] != '\0')
			c = -1; /* code is a proper prefix of k: sorts before */
		if (c == 0) {
			while (mid > 0 && !strcmp(k, ck_tag_table[mid - 1].code))
				mid--;
			return &ck_tag_table[mid];
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *ck_tag_meaning(const char *code, const char **kind)
{
	const struct ck_tag_entry *e = code ? tag_find(code, strlen(code)) : NULL;
	if (!e)
		return NULL;
	if (kind)
		*kind = e->kind;
	return e->meaning;
}

/* A known 2- or 4-letter code at word[0..len), or NULL. */
static const char *tag_part(const char *word, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!is_upper((unsigned char)word[i]))
			return NULL;
	const struct ck_tag_entry *e = tag_find(word, len);
	return e ? e->code : NULL;
}

int ck_tag_split(const char *word, const char **parts, int max)
{
	enum { SPLIT_MAX = 64 };
	/* best[i]: fewest parts that split word[i..n) (0 = impossible); at
	 * equal counts 4-letter codes come first */
	unsigned char best[SPLIT_MAX + 1], step[SPLIT_MAX + 1];
	size_t n = word ? strnlen(word, SPLIT_MAX + 1) : 0;
	if (n < 2 || n > SPLIT_MAX || !parts || max < 1)
		return 0;
	const struct ck_tag_entry *whole = tag_find(word, n);
	if (whole) { /* a known code is not split (PREL, not PR EL) */
		parts[0] = whole->code;
		return 1;
	}
	best[n] = 0;
	for (size_t i = n; i-- > 0;) {
		best[i] = 0;
		step[i] = 0;
		/* 4 first: at equal counts the subject code wins (IZPREL, not
		 * IZ PR EL) */
		static const unsigned char lens[2] = {4, 2};
		for (int k = 0; k < 2; k++) {
			size_t l = lens[k];
			if (i + l > n || (i + l < n && !best[i + l]))
				continue;
			if (!tag_part(word + i, l))
				continue;
			unsigned char cnt = (unsigned char)(best[i + l] + 1);
			if (!best[i] || cnt < best[i]) {
				best[i] = cnt;
				step[i] = (unsigned char)l;
			}
		}
	}
	if (!best[0] || best[0] > max)
		return 0;
	/* Words of 2-letter codes alone are mostly English (POLITICS = PO LI
	 * TI CS, NATIONAL = NA TI ON AL): the 4-letter codes must hold at
	 * least half the letters (IZPREL, ETRDEINVECINPGOVCS). */
	size_t four = 0;
	for (size_t i = 0; i < n; i += step[i])
		four += step[i] == 4 ? 4 : 0;
	if (four * 2 < n)
		return 0;
	int np = 0;
	for (size_t i = 0; i < n; i += step[i])
		parts[np++] = tag_part(word + i, step[i]);
	return np;
}

/* ---- plain-language addresses -> origin and id post name -------------- */

/* Precedence words that may trail an addressee ("... IMMEDIATE 8533"). */
static int is_precedence(const char *w, size_t n)
{
	static const char *const words[] = {"FLASH", "IMMEDIATE", "NIACT",
					    "PRIORITY", "ROUTINE"};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strlen(words[i]) == n && !memcmp(w, words[i], n))
			return 1;
	return 0;
}

/*
 * Normalize an address as written on a FM/TO/INFO line into out: an
 * optional "FM " and "RI/" prefix dropped, anything from "//" on dropped
 * (USDEL SECRETARY//EUROPE//), trailing precedence words and channel
 * numbers dropped, upper case, single spaces.  Returns the length, or 0
 * when nothing is left, the text is too long, or it holds control bytes.
 */
static size_t plad_norm(const char *in, char *out, size_t outsz)
{
	size_t n = 0;
	const char *p = in, *end;
	if (!in)
		return 0;
	while (is_space((unsigned char)*p))
		p++;
	if (to_upper((unsigned char)p[0]) == 'F' &&
	    to_upper((unsigned char)p[1]) == 'M' && is_space((unsigned char)p[2])) {
		p += 3;
		while (is_space((unsigned char)*p))
			p++;
	}
	/* "RUEHC/SECSTATE WASHDC": a routing indicator before a slash */
	const char *q = p;
	while (is_upper((unsigned char)*q) || is_digit((unsigned char)*q))
		q++;
	if (*q == '/' && q[1] != '/' && q - p >= 4 && q - p <= 8 && *p == 'R')
		p = q + 1;
	end = strstr(p, "//");
	if (!end)
		end = p + strlen(p);
	for (; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		if (is_space(c)) {
			if (n && out[n - 1] != ' ') {
				if (n + 1 >= outsz)
					return 0;
				out[n++] = ' ';
			}
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			return 0;
		if (n + 1 >= outsz)
			return 0;
		out[n++] = (char)to_upper(c);
	}
	for (;;) {
		while (n && out[n - 1] == ' ')
			n--;
		/* last word: a channel number ("8533", "9388-9389") or a
		 * precedence word; keep at least one word */
		size_t w = n;
		while (w && out[w - 1] != ' ')
			w--;
		if (!w)
			break;
		int num = 1;
		for (size_t i = w; i < n; i++)
			if (!is_digit((unsigned char)out[i]) && out[i] != '-')
				num = 0;
		if (!num && !is_precedence(out + w, n - w))
			break;
		n = w;
	}
	out[n] = '\0';
	return n;
}

static const struct ck_post_entry *post_find(const char *plad)
{
	return exact_find(ck_post_table, sizeof *ck_post_table, ck_post_count, plad);
}

/* The office words a PLAD starts with: the one list of them (telegram.c
 * asks ck_post_place_ rather than keep its own).  For a regular PLAD,
 * office word + place, the archive writes "Embassy X" and "Consulate X"
 * with every word capitalised ("Embassy Dar Es Salaam", "Consulate Rio De
 * Janeiro"); USMISSION names are acronyms it keeps ("Mission USNATO"); REO
 * X as REO Basrah.  Offices without an origin rule are named by
 * data/posts.tsv alone, as are irregular names of the others.  rank: the
 * order in which addresses that name the same id post are preferred
 * (idorigin_build; 0: not used there). */
struct plad_rule {
	const char *prefix; /* office word of the PLAD, with the space */
	const char *origin; /* origin words before the place, or NULL: no rule */
	int title;          /* title-case the place ("NEW DELHI" -> "New Delhi") */
	int rank;
};

static const struct plad_rule plad_rules[] = {
	{"AMEMBASSY ", "Embassy ", 1, 1},
	{"AMCONSUL ", "Consulate ", 1, 3},
	{"AMCONGEN ", "Consulate ", 1, 3},
	{"USMISSION ", "Mission ", 0, 4},
	{"REO ", "REO ", 1, 0}, /* Regional Embassy Offices in Iraq, as REO Basrah */
	{"USOFFICE ", NULL, 0, 0},
	{"USDEL ", NULL, 0, 0},
	{"SECSTATE ", NULL, 0, 0},
};
enum { NPLAD_RULES = sizeof plad_rules / sizeof *plad_rules };

const char *ck_post_place_(const char *plad)
{
	for (size_t i = 0; i < NPLAD_RULES; i++) {
		size_t pl = strlen(plad_rules[i].prefix);
		if (!strncmp(plad, plad_rules[i].prefix, pl))
			return plad + pl;
	}
	return plad;
}

/* The rule for a normalized PLAD and where its place starts, or NULL.  A
 * place is letters, spaces, '-', '\'', '.'; "AMEMBASSYBRASILIA" (space
 * lost) is read as "AMEMBASSY BRASILIA". */
static const struct plad_rule *plad_rule(const char *plad, const char **place)
{
	for (size_t i = 0; i < NPLAD_RULES; i++) {
		const struct plad_rule *r = &plad_rules[i];
		size_t pl = strlen(r->prefix);
		if (!r->origin)
			continue;
		const char *rest;
		if (!strncmp(plad, r->prefix, pl))
			rest = plad + pl;
		else if (!strncmp(plad, r->prefix, pl - 1) && is_upper((unsigned char)plad[pl - 1]))
			rest = plad + pl - 1;
		else
			continue;
		if (!is_upper((unsigned char)*rest))
			return NULL;
		for (const char *s = rest; *s; s++)
			if (!is_upper((unsigned char)*s) && *s != ' ' && *s != '-' &&
			    *s != '\'' && *s != '.')
				return NULL;
		*place = rest;
		return r;
	}
	return NULL;
}

/* A mission or delegation written otherwise than its row of posts.tsv
 * ("USMISSION USUN NY", "USMISSION NATO"): the row with the same office
 * word whose id post name is the place's (idaliases.tsv turns USUNNY into
 * USUNNEWYORK, NATO into USNATO), or NULL.  Embassies and consulates are
 * named by their rule, never here. */
static const struct ck_post_entry *post_by_place(const char *plad)
{
	static const char *const offices[] = {"USMISSION ", "USDEL "};
	for (size_t i = 0; i < sizeof offices / sizeof *offices; i++) {
		size_t ol = strlen(offices[i]);
		char id[IDNAME_MAX];
		if (strncmp(plad, offices[i], ol) ||
		    !ck_post_idname(plad + ol, strlen(plad + ol), id, sizeof id) || !id[0])
			continue;
		for (size_t k = 0; k < ck_post_count; k++)
			if (!strncmp(ck_post_table[k].plad, offices[i], ol) && ck_post_table[k].idname &&
			    !strcmp(ck_post_table[k].idname, id))
				return &ck_post_table[k];
	}
	return NULL;
}

const char *ck_post_origin(const char *plad, char *buf, size_t bufsz)
{
	char tmp[PLAD_MAX];
	const char *place;
	if (buf && bufsz)
		buf[0] = '\0';
	if (!buf || !bufsz || !plad_norm(plad, tmp, sizeof tmp))
		return NULL;
	const struct ck_post_entry *e = post_find(tmp);
	if (!e)
		e = post_by_place(tmp);
	if (e)
		return put(buf, bufsz, e->origin);
	const struct plad_rule *r = plad_rule(tmp, &place);
	if (!r)
		return NULL;
	size_t ol = strlen(r->origin), pl = strlen(place);
	if (ol + pl >= bufsz)
		return NULL;
	memcpy(buf, r->origin, ol);
	int start = 1;
	for (size_t i = 0; i <= pl; i++) {
		int c = (unsigned char)place[i];
		if (r->title && is_upper(c)) {
			buf[ol + i] = (char)(start ? c : to_lower(c));
			start = 0;
		} else {
			buf[ol + i] = (char)c;
			start = 1;
		}
	}
	return buf;
}

const char *ck_post_plad_idname(const char *plad, char *buf, size_t bufsz)
{
	char tmp[PLAD_MAX];
	const char *place;
	if (buf && bufsz)
		buf[0] = '\0';
	if (!buf || !bufsz || !plad_norm(plad, tmp, sizeof tmp))
		return NULL;
	const struct ck_post_entry *e = post_find(tmp);
	if (e)
		return put(buf, bufsz, e->idname);
	if (!plad_rule(tmp, &place))
		return NULL;
	size_t n = 0;
	for (; *place; place++) {
		if (!is_upper((unsigned char)*place))
			continue;
		if (n + 1 >= bufsz) {
			buf[0] = '\0';
			return NULL;
		}
		buf[n++] = *place;
	}
	buf[n] = '\0';
	return buf;
}

/* ---- reference-id post names ------------------------------------------ */

int ck_post_idname_known(const char *idname)
{
	return exact_find(ck_idpost_table, sizeof *ck_idpost_table, ck_idpost_count, idname) != NULL;
}

static const char *idalias_find(const char *written)
{
	const struct ck_idalias_entry *e =
		exact_find(ck_idalias_table, sizeof *ck_idalias_table, ck_idalias_count, written);
	return e ? e->idname : NULL;
}

/*
 * Page headers cut the post: to 6 characters in the older "PAGE 02 CAPE T
 * 01234 01 OF 03" form ("VATICA", "BUENOS"), to 10 in the later "BUENOS AIR
 * 00000123 002 OF 003" form ("PORT AU PR", "TEGUCIGALP"); one less when the
 * cut ends on a space.  The answer is the id post name the letters begin.  Candidates are
 * known names and aliases starting with the letters; the answer is the
 * shortest candidate when every other one starts with it (GUATEMALA before
 * GUATEMALACITY), NULL when they disagree or there is none.
 */
static const char *idname_expand(const char *letters)
{
	enum { CAND_MAX = 16 };
	const char *cand[CAND_MAX];
	size_t nc = 0, ll = strlen(letters);
	size_t i = lower_bound(ck_idpost_table, sizeof *ck_idpost_table,
			       ck_idpost_count, letters);
	for (; i < ck_idpost_count && !strncmp(ck_idpost_table[i], letters, ll); i++) {
		if (nc == CAND_MAX)
			return NULL;
		cand[nc++] = ck_idpost_table[i];
	}
	i = lower_bound(&ck_idalias_table[0].written, sizeof *ck_idalias_table,
			ck_idalias_count, letters);
	for (; i < ck_idalias_count && !strncmp(ck_idalias_table[i].written, letters, ll); i++) {
		if (nc == CAND_MAX)
			return NULL;
		cand[nc++] = ck_idalias_table[i].idname;
	}
	if (!nc)
		return NULL;
	const char *best = cand[0];
	for (size_t k = 1; k < nc; k++)
		if (strlen(cand[k]) < strlen(best))
			best = cand[k];
	for (size_t k = 0; k < nc; k++)
		if (strncmp(cand[k], best, strlen(best)))
			return NULL;
	return best;
}

const char *ck_post_idname(const char *post, size_t len, char *buf, size_t bufsz)
{
	char letters[IDNAME_MAX];
	size_t n = 0, first = 0, last = 0;
	int seen = 0;
	if (!buf || !bufsz)
		return NULL;
	buf[0] = '\0';
	if (!post)
		return NULL;
	for (size_t i = 0; i < len && post[i]; i++) {
		int c = (unsigned char)post[i];
		if (!is_space(c)) {
			if (!seen)
				first = i;
			seen = 1;
			last = i;
		}
		if (!is_upper(c) && !is_lower(c))
			continue;
		if (n + 1 >= sizeof letters)
			return NULL;
		letters[n++] = (char)to_upper(c);
	}
	letters[n] = '\0';
	if (!n)
		return NULL;
	const char *canon = idalias_find(letters);
	if (!canon && n >= 4 && !ck_post_idname_known(letters)) {
		size_t written = seen ? last - first + 1 : 0;
		if (written == 5 || written == 6 || written == 9 || written == 10)
			canon = idname_expand(letters);
	}
	return put(buf, bufsz, canon ? canon : letters);
}

/* ---- id post name -> origin --------------------------------------------- */

/* The origin of an id post name ("SANJOSE" -> "Embassy San Jose"), for a
 * cable whose classification line names its post but whose FM line is
 * missing (partial extracts).  The addresses of the routing-indicator table
 * are indexed once by their id post name; an embassy comes before a
 * consulate or mission of the same name, the irregular names of
 * data/posts.tsv before both. */
struct idorigin {
	char idname[IDNAME_MAX];
	const char *plad;
	int rank;
};

static struct idorigin *idorigin_index;
static size_t idorigin_count;
static pthread_once_t idorigin_once = PTHREAD_ONCE_INIT;

static int idorigin_cmp(const void *a, const void *b)
{
	const struct idorigin *x = a, *y = b;
	int c = strcmp(x->idname, y->idname);
	return c ? c : x->rank - y->rank;
}

static void idorigin_build(void)
{
	size_t cap = ck_ri_count + ck_post_count, n = 0;
	struct idorigin *v = malloc(cap * sizeof *v);
	if (!v)
		return;
	for (size_t i = 0; i < ck_post_count; i++) {
		if (!ck_post_table[i].idname || !*ck_post_table[i].idname)
			continue;
		snprintf(v[n].idname, sizeof v[n].idname, "%s", ck_post_table[i].idname);
		v[n].plad = ck_post_table[i].plad;
		v[n++].rank = 2;
	}
	for (size_t i = 0; i < ck_ri_count; i++) {
		const char *name = ck_ri_table[i].name;
		int rank = 0;
		for (size_t k = 0; k < NPLAD_RULES && !rank; k++)
			if (!strncmp(name, plad_rules[k].prefix, strlen(plad_rules[k].prefix)))
				rank = plad_rules[k].rank;
		if (!rank || !ck_post_plad_idname(name, v[n].idname, sizeof v[n].idname) ||
		    !v[n].idname[0])
			continue;
		v[n].plad = name;
		v[n++].rank = rank;
	}
	qsort(v, n, sizeof *v, idorigin_cmp);
	idorigin_index = v;
	idorigin_count = n;
}

const char *ck_post_idname_origin(const char *idname, const char *written, size_t wlen,
				  char *buf, size_t bufsz)
{
	if (buf && bufsz)
		buf[0] = '\0';
	if (!idname || !*idname || !buf || !bufsz)
		return NULL;
	pthread_once(&idorigin_once, idorigin_build);
	size_t lo = 0, hi = idorigin_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(idorigin_index[mid].idname, idname) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < idorigin_count && !strcmp(idorigin_index[lo].idname, idname))
		return ck_post_origin(idorigin_index[lo].plad, buf, bufsz);
	/* a known post the table names otherwise ("AMEMBASSY PANAMA CITY"
	 * for PANAMA): an embassy of the name as written */
	char plad[PLAD_MAX];
	if (!written || !ck_post_idname_known(idname) || wlen + 11 > sizeof plad)
		return NULL;
	snprintf(plad, sizeof plad, "AMEMBASSY %.*s", (int)wlen, written);
	return ck_post_origin(plad, buf, bufsz);
}
