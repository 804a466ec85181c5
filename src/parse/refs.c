/*
 * refs.c - the REF line: split the list into items (labels A. (A) A) A:,
 * semicolons), find the cable references in each (post + serial, with the
 * year before, after in parentheses, or the citing cable's year), and
 * give each its reference id (FORMAT.md sections 2 and 3).  Items that
 * are not cables (e-mails, phone calls, reports) are kept with id null.
 * A telegram nickname (DEPTEL, EMBTEL, YOURTEL, MYTEL) stands for the post
 * it names, read from the citing cable's FM and TO lines (ck_ref_ctx_init_);
 * a list of serials after one post is one reference per cable.
 */
#include "parse/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Month names: a number next to one is a day, not a serial ("OF MAY 5"). */
static const char *const month_words[] = {
	"JAN", "JANUARY", "FEB", "FEBRUARY", "MAR", "MARCH", "APR", "APRIL", "MAY", "JUN", "JUNE",
	"JUL", "JULY", "AUG", "AUGUST", "SEP", "SEPT", "SEPTEMBER", "OCT", "OCTOBER", "NOV",
	"NOVEMBER", "DEC", "DECEMBER",
};

/* Words that are never a post (with month_words). */
static const char *const stop_words[] = {
	"AND", "OR", "OF", "REF", "REFS", "REFTEL", "REFTELS", "DATED", "NO", "NOTAL", "PARA",
	"PARAS", "TELCON", "EMAIL", "MAIL", "FAX", "LETTER", "MEMO", "SEPTEL", "CABLE", "TEL",
	"SECTION", "PAGE", "IIR", "AS", "AT", "ON", "IN", "TO", "FROM",
	"BY", "THE", "FOR", "AND", "ALSO", "SEE", "PREVIOUS", "PREV", "AMONG", "OTHERS", "PL",
	"PUBLIC", "LAW", "RES", "RESOLUTION", "UNSCR", "USC", "CFR", "FY", "TIP", "DTG", "TAGS",
	"SUBJECT", "EO", "DECL", "ET", "AL", "ETC", "NUMBER", "NUM", "NR", "MSG", "MESSAGE",
	"DOC", "DOCUMENT", "REPORT", "DIA", "HOUSE", "BILL", "ARTICLE", "CHAPTER", "STATUTE",
	"VOL", "VOLUME", "ITEM", "FILE", "CASE", "ANNEX", "TABLE",
};

static int t_is_semi(int ch)
{
	return ch == ';';
}

static int is_stop(const char *w, size_t n)
{
	return CK_IN_LIST(w, n, stop_words) || CK_IN_LIST(w, n, month_words);
}

/* The letters of the word at t[k] (0 when none). */
static size_t word_len(const char *t, size_t n, size_t k)
{
	size_t e = k;
	while (e < n && ck_isalpha_((unsigned char)t[e]))
		e++;
	return e - k;
}

static size_t skip_spaces(const char *t, size_t n, size_t k)
{
	while (k < n && t[k] == ' ')
		k++;
	return k;
}

/* word of letters (a capitalised or upper-case word) at [s, e) */
static int post_word(const char *s, size_t n)
{
	if (n < 2 || n > 16)
		return 0;
	if (!ck_isupper_((unsigned char)s[0]))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!ck_isalpha_((unsigned char)s[i]) &&
		    !((s[i] == '-' || s[i] == '\'') && i + 1 < n && ck_isalpha_((unsigned char)s[i + 1])))
			return 0;
	return !is_stop(s, n);
}

struct found {
	size_t start, end; /* of the matched text */
	int year;          /* 4-digit or 0 */
	char post[48];     /* id post name ("OTTAWA") */
	char id[64];
	const char *why;   /* a nickname whose post the cable does not give: why, else NULL */
};

/* Telegram nicknames of 1960s-1970s REF lists, and whose telegram each
 * names; a plural (DEPTELS, EMBTELS) names the same.  REFTEL and SEPTEL
 * are no nicknames of a post (stop words). */
enum whose { W_STATE, W_SELF, W_ADDRESSEE, W_EMBASSY };
static const struct {
	const char *word;
	enum whose whose;
} nicknames[] = {
	{"DEPTEL", W_STATE},      /* the Department's: STATE */
	{"EMBTEL", W_EMBASSY},    /* the embassy's (FM, or the TO of a Department cable) */
	{"YOURTEL", W_ADDRESSEE}, /* the action addressee's */
	{"URTEL", W_ADDRESSEE},
	{"MYTEL", W_SELF},        /* the sender's own */
	{"OURTEL", W_SELF},
};

static int nickname(const char *w, size_t n)
{
	if (n > 4 && (w[n - 1] == 'S' || w[n - 1] == 's'))
		n--;
	for (size_t k = 0; k < sizeof nicknames / sizeof *nicknames; k++)
		if (strlen(nicknames[k].word) == n && ck_prefix_ci_(w, n, nicknames[k].word))
			return (int)k;
	return -1;
}

int ck_ref_nickname_(const char *w, size_t n)
{
	return nickname(w, n) >= 0;
}

/* Does an archive-style origin (ck_post_origin) name an embassy? */
static int embassy_origin(const char *origin)
{
	return origin && !strncmp(origin, "Embassy ", 8);
}

/* The id post name of a PLAD into buf, as the cable's own id takes it
 * (posts closed before the 2000s, BONN or SAIGON, are no known id posts
 * but read by the AMEMBASSY rule); 1 when it is an embassy's. */
static int plad_post(const char *plad, char *buf, size_t bufsz)
{
	char origin[128];
	if (!ck_post_plad_idname(plad, buf, bufsz))
		buf[0] = 0;
	return buf[0] && embassy_origin(ck_post_origin(plad, origin, sizeof origin));
}

void ck_ref_ctx_init_(struct ck_ref_ctx *x, const ck_cable *c, int year, const char *post, size_t post_len)
{
	memset(x, 0, sizeof *x);
	x->year = year;
	x->nto = c->nto;
	if (c->from)
		x->self_embassy = plad_post(c->from, x->self, sizeof x->self);
	if (!x->self[0] && post && post_len) {
		/* the classification line's post, as the cable's id takes it;
		 * an embassy only when the post table says so */
		char origin[128];
		if (!ck_post_idname(post, post_len, x->self, sizeof x->self))
			x->self[0] = 0;
		x->self_embassy =
			x->self[0] && embassy_origin(ck_post_idname_origin(x->self, post, post_len, origin, sizeof origin));
	}
	if (c->nto == 1 && c->to[0].name)
		x->to_embassy = plad_post(c->to[0].name, x->to, sizeof x->to);
}

/* The post nickname k names in the cable x into buf; "" and *why when
 * the cable does not say. */
static void nickname_post(int k, const struct ck_ref_ctx *x, char *buf, size_t bufsz, const char **why)
{
	const char *p = "";
	*why = NULL;
	switch (nicknames[k].whose) {
	case W_STATE:
		p = "STATE";
		break;
	case W_SELF:
		p = x->self;
		if (!*p)
			*why = "the cable's own post is not known (no FM line or classification line)";
		break;
	case W_ADDRESSEE:
		p = x->to;
		if (!*p)
			*why = x->nto > 1 ? "the cable has several action addressees"
			       : x->nto ? "the cable's action addressee names no post"
			       : "the cable has no action addressee (TO line)";
		break;
	case W_EMBASSY:
		if (x->self_embassy)
			p = x->self;
		else if (!strcmp(x->self, "STATE") && x->to_embassy)
			p = x->to;
		if (!*p)
			*why = !x->self[0] ? "the cable's own post is not known"
			       : strcmp(x->self, "STATE") ? "the cable is not from an embassy or the Department"
			       : x->nto > 1 ? "the Department's cable has several action addressees"
			       : "the Department's cable is not addressed to one embassy";
		break;
	}
	snprintf(buf, bufsz, "%s", p);
}

/* f's post, year and id ("%02d" year + post + serial; no id without a
 * year or a post).  post may be f->post. */
static void found_id(struct found *f, int year, const char *post, const char *t, size_t ds, size_t de)
{
	long serial = 0;
	for (size_t d = ds; d < de; d++)
		serial = serial * 10 + (t[d] - '0');
	char p[sizeof f->post];
	snprintf(p, sizeof p, "%.40s", post);
	memcpy(f->post, p, sizeof p);
	f->year = year;
	if (year && f->post[0])
		snprintf(f->id, sizeof f->id, "%02d%s%ld", year % 100, f->post, serial);
	else
		f->id[0] = 0;
}

/* The words before the serial at ds that may name a post ("SAN JOSE",
 * "THE HAGUE" stops at THE), nearest first, at most 4, into ws/we.
 * Returns how many. */
static int words_before(const char *t, size_t ds, size_t ws[4], size_t we[4])
{
	int nw = 0;
	long p = (long)ds - 1;
	while (nw < 4) {
		while (p >= 0 && t[p] == ' ')
			p--;
		if (p < 0)
			break;
		long e = p + 1;
		while (p >= 0 && (ck_isalpha_((unsigned char)t[p]) ||
				  (p > 0 && (t[p] == '-' || t[p] == '\'') && ck_isalpha_((unsigned char)t[p - 1]) &&
				   ck_isalpha_((unsigned char)t[p + 1]))))
			p--;
		long s = p + 1;
		if (s == e || !post_word(t + s, (size_t)(e - s)))
			break;
		ws[nw] = (size_t)s;
		we[nw] = (size_t)e;
		nw++;
		if (p >= 0 && t[p] != ' ')
			break;
	}
	return nw;
}

/* How many of the nw words form the post: the longest run that
 * ck_post_idname knows (at most 3); else the nearest word alone.  Its id
 * form goes into buf; returns where the post starts. */
static size_t choose_post(const char *t, const size_t *ws, const size_t *we, int nw, char *buf, size_t bufsz)
{
	int take = 0;
	for (int k = nw > 3 ? 3 : nw; k >= 1; k--) {
		size_t s = ws[k - 1];
		ck_post_idname(t + s, we[0] - s, buf, bufsz);
		if (ck_post_idname_known(buf)) {
			take = k;
			break;
		}
	}
	if (!take)
		take = 1;
	size_t ps = ws[take - 1];
	ck_post_idname(t + ps, we[0] - ps, buf, bufsz);
	return ps;
}

/* A year before the post at ps: "06 TBILISI", "2007 MANAGUA", "09 THE
 * HAGUE" (THE is a stop word but part of the post).  Returns the year,
 * *start moved to it; 0 when none. */
static int year_before(const char *t, size_t ps, size_t *start)
{
	int year = 0;
	long q = (long)ps - 1;
	while (q >= 0 && t[q] == ' ')
		q--;
	if (q >= 3 && !memcmp(t + q - 2, "THE", 3) && (q == 3 || t[q - 3] == ' ')) {
		q -= 3;
		while (q >= 0 && t[q] == ' ')
			q--;
	}
	if (q < 1)
		return 0;
	long e = q + 1;
	while (q >= 0 && ck_isdigit_((unsigned char)t[q]))
		q--;
	long s = q + 1;
	if ((q < 0 || !ck_isalnum_((unsigned char)t[q])) && (e - s == 2 || e - s == 4)) {
		int v = ck_digits_(t + s, (size_t)(e - s));
		if (e - s == 2)
			year = v >= 60 ? 1900 + v : 2000 + v;
		else if (v >= 1960 && v <= 2030)
			year = v;
		if (year)
			*start = (size_t)s;
	}
	return year;
}

/* A year after the serial that ends at de: "DOHA 152 (08)".  Returns the
 * year, *end moved past it; 0 when none. */
static int year_after(const char *t, size_t n, size_t de, size_t *end)
{
	size_t r = de;
	while (r < n && t[r] == ' ')
		r++;
	if (r + 3 < n && t[r] == '(' && ck_isdigit_((unsigned char)t[r + 1]) &&
	    ck_isdigit_((unsigned char)t[r + 2])) {
		size_t k = r + 1;
		while (k < n && ck_isdigit_((unsigned char)t[k]))
			k++;
		if (k < n && t[k] == ')' && (k - r - 1 == 2 || k - r - 1 == 4)) {
			int v = ck_digits_(t + r + 1, k - r - 1);
			*end = k + 1;
			return k - r - 1 == 2 ? (v >= 60 ? 1900 + v : 2000 + v) : v;
		}
	}
	return 0;
}

/* Look for "[YY|YYYY] POST [POST..] SERIAL [(YY)]" with the serial at
 * [ds, de), the post maybe a nickname ("DEPTEL 4471", "74 EMBTEL 12");
 * fill f.  Returns 1 when it is a cable reference. */
static int match_at(const char *t, size_t n, size_t ds, size_t de, const struct ck_ref_ctx *x,
		    struct found *f)
{
	size_t ws[4], we[4], ps;
	char buf[64];
	int nw = words_before(t, ds, ws, we), k;
	if (!nw)
		return 0;
	f->why = NULL;
	if ((k = nickname(t + ws[0], we[0] - ws[0])) >= 0) {
		ps = ws[0];
		nickname_post(k, x, buf, sizeof buf, &f->why);
	} else {
		ps = choose_post(t, ws, we, nw, buf, sizeof buf);
		if (strlen(buf) < 3)
			return 0;
	}
	size_t start = ps, end = de;
	int year = year_before(t, ps, &start);
	if (!year)
		year = year_after(t, n, de, &end);
	if (!year)
		year = x->year;
	f->start = start;
	f->end = end;
	found_id(f, year, buf, t, ds, de);
	return 1;
}

/* Is t[i] the start of a label ("A.", "(A)", "A)", "A:") ?  Returns its
 * length (including trailing spaces) and the letter in *letter. */
static size_t label_at(const char *t, size_t n, size_t i, char *letter)
{
	if (i > 0 && !(t[i - 1] == ' ' || t[i - 1] == ';' || t[i - 1] == ','))
		return 0;
	size_t k = i;
	if (t[k] == '(') {
		if (k + 2 < n && ck_isalpha_((unsigned char)t[k + 1]) && t[k + 2] == ')') {
			*letter = (char)ck_toupper_((unsigned char)t[k + 1]);
			k += 3;
		} else {
			return 0;
		}
	} else if (ck_isalpha_((unsigned char)t[k]) && k + 1 < n &&
		   (t[k + 1] == '.' || t[k + 1] == ')' || t[k + 1] == ':')) {
		/* "U.S." is not a label */
		if (t[k + 1] == '.' && k + 2 < n && ck_isalpha_((unsigned char)t[k + 2]))
			return 0;
		if (k + 2 < n && t[k + 2] != ' ' && t[k + 1] != ')' && !ck_isalnum_((unsigned char)t[k + 2]))
			return 0;
		*letter = (char)ck_toupper_((unsigned char)t[k]);
		k += 2;
	} else {
		return 0;
	}
	while (k < n && t[k] == ' ')
		k++;
	return k - i;
}

static void add_ref(ck_cable *c, struct vec *v, const char *label, const char *text,
		    size_t len, const char *id)
{
	ck_ref *r = ck_vec_push_(c->arena, v);
	if (!r)
		return;
	r->label = label;
	char *tx = ck_collapse_(c->arena, text, len);
	/* trim trailing separators */
	size_t l = strlen(tx);
	for (;;) {
		while (l && (tx[l - 1] == ',' || tx[l - 1] == ';' || tx[l - 1] == ' ' || tx[l - 1] == '.' ||
			     (tx[l - 1] == '&' && id) ||
			     (tx[l - 1] == ':' && id)))
			tx[--l] = 0;
		/* "BRASILIA 2799 AND" before a second serial */
		if (id && l > 4 && (!strcmp(tx + l - 4, " AND") || !strcmp(tx + l - 4, " and")))
			tx[l -= 4] = 0;
		else
			break;
	}
	r->text = tx;
	r->id = id && *id ? ck_arena_strdup(c->arena, id) : NULL;
}

/* A reference written as one token: "2005PANAMA2342", "05PANAMA2342",
 * "10-OTTAWA-57" at t[i] (a word start).  Fills f; returns 1. */
static int match_token(const char *t, size_t n, size_t i, struct found *f)
{
	size_t k = i;
	while (k < n && ck_isdigit_((unsigned char)t[k]))
		k++;
	size_t yd = k - i;
	if (yd != 2 && yd != 4)
		return 0;
	int y = ck_digits_(t + i, yd);
	if (yd == 2)
		y = y >= 60 ? 1900 + y : 2000 + y;
	else if (y < 1960 || y > 2030)
		return 0;
	int dash = k < n && t[k] == '-';
	k += (size_t)dash;
	size_t ps = k;
	while (k < n && (ck_isupper_((unsigned char)t[k]) || t[k] == '\''))
		k++;
	size_t pe = k;
	if (pe - ps < 3 || (dash && (k >= n || t[k] != '-')))
		return 0;
	k += (size_t)dash;
	size_t ds = k;
	while (k < n && ck_isdigit_((unsigned char)t[k]))
		k++;
	if (k == ds || k - ds > 7 || (k < n && ck_isalnum_((unsigned char)t[k])))
		return 0;
	char buf[64];
	ck_post_idname(t + ps, pe - ps, buf, sizeof buf);
	if (!ck_post_idname_known(buf))
		return 0;
	f->start = i;
	f->end = k;
	f->why = NULL;
	found_id(f, y, buf, t, ds, k);
	return 1;
}

/* "OF MAY 5", "DATED 5 MAY 1974", "OF 5/12/74": the date of a reference
 * that ends at k.  Returns where the date ends, or k when none follows. */
static size_t date_after(const char *t, size_t n, size_t k)
{
	size_t r = skip_spaces(t, n, k), w = word_len(t, n, r);
	if (!(w == 2 && ck_prefix_ci_(t + r, 2, "OF")) && !(w == 5 && ck_prefix_ci_(t + r, 5, "DATED")))
		return k;
	size_t e = skip_spaces(t, n, r + w), d = e, slashes = 0;
	while (d < n && (ck_isdigit_((unsigned char)t[d]) || t[d] == '/'))
		slashes += t[d++] == '/';
	size_t mw = word_len(t, n, e);
	if (slashes && d - e >= 3)
		return d; /* 5/12/74 */
	if (mw && CK_IN_LIST(t + e, mw, month_words)) { /* MAY 5 */
		d = e = skip_spaces(t, n, e + mw);
		while (d < n && ck_isdigit_((unsigned char)t[d]))
			d++;
	} else if (d > e && d - e <= 2) { /* 5 MAY */
		size_t m = skip_spaces(t, n, d);
		mw = word_len(t, n, m);
		if (!mw || !CK_IN_LIST(t + m, mw, month_words))
			return k;
		e = d;
		d = m + mw;
	}
	if (d == e || d - e > 2)
		return k;
	/* ", 1974" or " 1974" */
	size_t y = d < n && t[d] == ',' ? d + 1 : d, ye;
	y = skip_spaces(t, n, y);
	for (ye = y; ye < n && ck_isdigit_((unsigned char)t[ye]);)
		ye++;
	return ye - y == 4 && !(ye < n && ck_isalnum_((unsigned char)t[ye])) ? ye : d;
}

/* Words that may follow a serial of a list ("3312 AND 3315", "1240 NOTAL"). */
static const char *const list_words[] = {"AND", "OR", "NOTAL"};

/* "OTTAWA 3310, 3312 AND 3315", "STATE 12345, 12367": a further serial of
 * the post and year of prev after ",", "AND", ", AND" or "&" (and a date
 * of prev, "ROME 1234 OF MAY 5 AND 1240").  A number that is not a serial
 * ends the list: after a comma one of under 3 digits; one followed by a
 * word other than AND, OR, NOTAL or a date ("AND 3 OTHERS", "AND 5 MAY");
 * the reference's year or the one before ("STATE 1234, 1974"). ("PARA 3"
 * never gets here: PARA is no separator.)  A year after the serial,
 * "1240 (73)", is that cable's.  Fills f from prev and returns 1. */
static int match_and_serial(const char *t, size_t n, const struct found *prev, struct found *f)
{
	size_t k = skip_spaces(t, n, date_after(t, n, prev->end));
	int comma = 0, sep = 0;
	if (k < n && (t[k] == ',' || t[k] == '&')) {
		comma = t[k] == ',';
		sep = 1;
		k = skip_spaces(t, n, k + 1);
	}
	if (word_len(t, n, k) == 3 && ck_prefix_ci_(t + k, 3, "AND")) {
		comma = 0;
		sep = 1;
		k = skip_spaces(t, n, k + 3);
	}
	size_t ds = k;
	while (k < n && ck_isdigit_((unsigned char)t[k]))
		k++;
	size_t nd = k - ds;
	if (!sep || !prev->id[0] || !nd || nd > 7 || (comma && nd < 3) ||
	    (k < n && (ck_isalnum_((unsigned char)t[k]) || t[k] == '/' || t[k] == ':' || t[k] == '-' ||
		       (t[k] == '.' && k + 1 < n && ck_isdigit_((unsigned char)t[k + 1])))))
		return 0;
	int v = ck_digits_(t + ds, nd);
	if (nd == 4 && (v == prev->year || v == prev->year - 1))
		return 0; /* a year */
	size_t end = k;
	int year = year_after(t, n, k, &end);
	size_t r = skip_spaces(t, n, date_after(t, n, end)), w = word_len(t, n, r);
	if (r < n && !strchr(",;().", t[r]) && !(w && CK_IN_LIST(t + r, w, list_words)))
		return 0; /* "3 OTHERS", "5 MAY" */
	*f = *prev;
	f->start = ds;
	f->end = end;
	found_id(f, year ? year : prev->year, prev->post, t, ds, k);
	return 1;
}

static void parse_item(ck_cable *c, struct vec *v, const char *label, const char *t, size_t n,
		       const struct ck_ref_ctx *x, int lineno)
{
	while (n && (t[n - 1] == ' ' || t[n - 1] == ';' || t[n - 1] == ','))
		n--;
	while (n && (*t == ' ' || *t == ';' || *t == ','))
		t++, n--;
	if (!n)
		return;
	struct found fs[64];
	int nf = 0;
	for (size_t i = 0; i < n && nf < 64; i++) {
		if (!ck_isdigit_((unsigned char)t[i]) || (i && ck_isalnum_((unsigned char)t[i - 1])))
			continue;
		if (match_token(t, n, i, &fs[nf])) {
			i = fs[nf++].end;
			continue;
		}
		size_t j = i;
		while (j < n && ck_isdigit_((unsigned char)t[j]))
			j++;
		if (j - i > 7 || (j < n && (ck_isalpha_((unsigned char)t[j]) || t[j] == '/' ||
					      (t[j] == '.' && j + 1 < n && ck_isdigit_((unsigned char)t[j + 1]))))) {
			i = j;
			continue;
		}
		if (i && (t[i - 1] == '/' || t[i - 1] == '-' || t[i - 1] == '.')) {
			i = j;
			continue;
		}
		struct found f;
		if (match_at(t, n, i, j, x, &f)) {
			if (nf && f.start < fs[nf - 1].end)
				f.start = fs[nf - 1].end;
			fs[nf++] = f;
			i = f.end > j ? f.end : j;
			while (nf < 64 && match_and_serial(t, n, &fs[nf - 1], &fs[nf])) {
				i = fs[nf].end;
				nf++;
			}
		} else {
			i = j;
		}
	}
	for (int k = 0; k < nf; k++)
		if (fs[k].why)
			ck_cable_problem(c, "reference-post", lineno, "reference \"%.*s\": %s; id left null",
					 (int)(fs[k].end - fs[k].start), t + fs[k].start, fs[k].why);
	if (nf <= 1) {
		add_ref(c, v, label, t, n, nf ? fs[0].id : NULL);
		if (nf && !fs[0].year)
			ck_cable_problem(c, "reference-year", lineno,
					 "reference \"%.*s\" has no year and the cable has no date",
					 (int)(n > 80 ? 80 : n), t);
		return;
	}
	for (int k = 0; k < nf; k++) {
		size_t s = fs[k].start, e = k + 1 < nf ? fs[k + 1].start : n;
		/* keep "(NOTAL)" and the like with their reference */
		add_ref(c, v, label, t + s, e - s, fs[k].id);
	}
}

void ck_parse_refs_(ck_cable *c, size_t *cap, const char *text, const struct ck_ref_ctx *x, int lineno)
{
	size_t n = strlen(text);
	/* refs set elsewhere than through *cap: full, the first push copies them */
	if (*cap < c->nrefs)
		*cap = c->nrefs;
	struct vec v = {c->refs, c->nrefs, *cap, sizeof(ck_ref)};
	/* item boundaries: labels and semicolons */
	size_t start = 0;
	const char *label = NULL;
	char letter = 0;
	int last_was_label = 0;
	for (size_t i = 0; i <= n; i++) {
		size_t ll = 0;
		int semi = i < n && t_is_semi(text[i]);
		if (i < n && !semi)
			ll = label_at(text, n, i, &letter);
		/* "REF A:" inside the list */
		if (i == n || semi || ll) {
			if (ll && i + ll <= n && i > start && last_was_label) {
				/* a label right after another label ("A. A. 02 NEW DELHI"): skip */
				size_t k = start;
				while (k < i && text[k] == ' ')
					k++;
				if (k == i) {
					start = i + ll;
					i = start - 1;
					continue;
				}
			}
			if (i > start) {
				size_t e = i;
				/* drop a trailing "REF" before a "REF B:" label */
				size_t k = e;
				while (k > start && text[k - 1] == ' ')
					k--;
				if (k >= start + 3 && ck_prefix_ci_(text + k - 3, 3, "REF") &&
				    (k == start + 3 || text[k - 4] == ' ' || text[k - 4] == ';'))
					e = k - 3;
				parse_item(c, &v, label, text + start, e - start, x, lineno);
			}
			if (ll) {
				char lb[2] = {letter, 0};
				label = ck_arena_strdup(c->arena, lb);
				start = i + ll;
				i = start - 1;
				last_was_label = 1;
			} else {
				start = i + 1;
				last_was_label = 0;
			}
		}
	}
	c->refs = v.v;
	c->nrefs = v.n;
	*cap = v.cap;
}
