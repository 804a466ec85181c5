/*
 * fields.c - single header fields of the body: the date-time group, the
 * E.O./DECL line, TAGS, and the Classified By line.
 */
#include "parse/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *months[12] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
				 "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

static int month_of(const char *s)
{
	for (int m = 0; m < 12; m++)
		if (ck_toupper_((unsigned char)s[0]) == months[m][0] &&
		    ck_toupper_((unsigned char)s[1]) == months[m][1] &&
		    ck_toupper_((unsigned char)s[2]) == months[m][2])
			return m + 1;
	return 0;
}

static int year2(int yy)
{
	return yy >= 60 ? 1900 + yy : 2000 + yy;
}

static int days_in(int y, int m)
{
	static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

int ck_dtg_iso_(const char *s, char *buf, size_t bufsz, int *year)
{
	/* DDHHMMZ MON YY */
	for (int i = 0; i < 6; i++)
		if (!ck_isdigit_((unsigned char)s[i]))
			return -1;
	if (ck_toupper_((unsigned char)s[6]) != 'Z' || s[7] != ' ')
		return -1;
	const char *p = s + 8;
	while (*p == ' ')
		p++;
	int mon = month_of(p);
	if (!mon || !ck_isalpha_((unsigned char)p[2]))
		return -1;
	p += 3;
	while (*p == ' ')
		p++;
	if (!ck_isdigit_((unsigned char)p[0]) || !ck_isdigit_((unsigned char)p[1]))
		return -1;
	int y;
	if (ck_isdigit_((unsigned char)p[2]) && ck_isdigit_((unsigned char)p[3]))
		y = atoi(p) , y = y > 9999 ? -1 : y;
	else
		y = year2((p[0] - '0') * 10 + (p[1] - '0'));
	int dd = (s[0] - '0') * 10 + (s[1] - '0');
	int hh = (s[2] - '0') * 10 + (s[3] - '0');
	int mm = (s[4] - '0') * 10 + (s[5] - '0');
	if (y < 1900 || dd < 1 || dd > days_in(y, mon) || hh > 23 || mm > 59)
		return -1;
	snprintf(buf, bufsz, "%04d-%02d-%02dT%02d:%02d:00Z", y, mon, dd, hh, mm);
	if (year)
		*year = y;
	return 0;
}

/* A date such as 07/03/2017, 6/30/08, 2020/02/26, 11/29/10 at s; writes
 * YYYY-MM-DD.  Returns bytes consumed or 0. */
static size_t scan_date(const char *s, char *buf, size_t bufsz)
{
	int f[3] = {0, 0, 0}, w[3] = {0, 0, 0};
	const char *p = s;
	for (int i = 0; i < 3; i++) {
		while (ck_isdigit_((unsigned char)*p) && w[i] < 5) {
			f[i] = f[i] * 10 + (*p - '0');
			w[i]++;
			p++;
		}
		if (!w[i])
			return 0;
		if (i < 2) {
			if (*p != '/' && *p != '-' && *p != '.')
				return 0;
			p++;
		}
	}
	if (ck_isdigit_((unsigned char)*p))
		return 0;
	int y, m, d;
	if (w[0] == 4) {
		y = f[0], m = f[1], d = f[2];
	} else {
		m = f[0], d = f[1];
		y = w[2] == 4 ? f[2] : w[2] == 2 ? 2000 + f[2] : -1;
		if (w[2] == 2 && f[2] >= 60)
			y = 1900 + f[2];
	}
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days_in(y, m))
		return 0;
	snprintf(buf, bufsz, "%04d-%02d-%02d", y, m, d);
	return (size_t)(p - s);
}

void ck_parse_decl_(ck_cable *c, const char *text, int lineno)
{
	size_t n = strlen(text);
	c->has_decl = 1;
	c->decl.text = ck_collapse_(c->arena, text, n);
	/* the executive order: the first 5-digit number */
	for (size_t i = 0; i + 5 <= n; i++) {
		if (ck_isdigit_((unsigned char)text[i]) && (i == 0 || !ck_isdigit_((unsigned char)text[i - 1]))) {
			size_t j = i;
			while (j < n && ck_isdigit_((unsigned char)text[j]))
				j++;
			if (j - i == 5) {
				c->decl.order = ck_arena_strndup(c->arena, text + i, 5);
				break;
			}
			i = j;
		}
	}
	/* the declassification date: the first date after DECL (or DNG, or
	 * anywhere on the line) */
	const char *from = NULL;
	for (size_t i = 0; i + 4 <= n; i++)
		if (ck_prefix_ci_(text + i, n - i, "DECL") || ck_prefix_ci_(text + i, n - i, "DNG")) {
			from = text + i;
			break;
		}
	if (!from)
		from = text;
	char d[32];
	for (const char *p = from; *p; p++) {
		if (ck_isdigit_((unsigned char)*p) && (p == text || !ck_isdigit_((unsigned char)p[-1]))) {
			if (scan_date(p, d, sizeof d)) {
				c->decl.date = ck_arena_strdup(c->arena, d);
				return;
			}
		}
	}
	(void)lineno;
}

static int is_tag_char(int ch)
{
	return ck_isalpha_(ch) || ck_isdigit_(ch) || ch == '-' || ch == '_';
}

static void parse_tag_words(ck_cable *c, const char *text);

/* Is every word of t[0..n) a TAGS code: a known one, or two capitals
 * (a country code the table lacks: VN, the 1970s code of South Vietnam)? */
static int all_code_words(const char *t, size_t n)
{
	size_t i = 0;
	while (i < n) {
		while (i < n && t[i] == ' ')
			i++;
		size_t s = i;
		while (i < n && t[i] != ' ')
			i++;
		if (i == s)
			break;
		char w[24];
		if (i - s >= sizeof w)
			return 0;
		for (size_t k = s; k < i; k++)
			w[k - s] = (char)ck_toupper_((unsigned char)t[k]);
		w[i - s] = 0;
		if (!ck_tag_meaning(w, NULL) &&
		    !(i - s == 2 && ck_isupper_((unsigned char)t[s]) && ck_isupper_((unsigned char)t[s + 1])))
			return 0;
	}
	return 1;
}

void ck_parse_tags_(ck_cable *c, const char *text)
{
	/* A comma-separated list may hold free words ("HUMAN RIGHTS"): an item
	 * of several words that are not all codes is one tag. */
	int commas = 0, depth = 0, words = 0, inword = 0;
	for (const char *q = text; *q; q++) {
		depth += *q == '(';
		depth -= *q == ')' && depth > 0;
		commas += *q == ',' && !depth;
		int w = !depth && is_tag_char((unsigned char)*q);
		words += w && !inword;
		inword = w;
	}
	/* only a list whose separators are mostly commas */
	if (!commas || commas * 2 < words - 1) {
		parse_tag_words(c, text);
		return;
	}
	const char *p = text;
	while (*p) {
		const char *s = p;
		depth = 0;
		while (*p && !(*p == ',' && !depth)) {
			depth += *p == '(';
			depth -= *p == ')' && depth > 0;
			p++;
		}
		char *item = ck_collapse_(c->arena, s, (size_t)(p - s));
		if (*p)
			p++;
		if (item && (!strncmp(item, "AND ", 4) || !strncmp(item, "OR ", 3))) {
			/* "OVIP, SCHULTZ, DENT, AND CASEY.": a list written as
			 * prose; the connector is no tag (nor the full stop) */
			ck_cable_problem(c, "tags", 0, "\"%s\" in the TAGS list: \"%.*s\" left out", item,
					 item[0] == 'A' ? 3 : 2, item);
			item += item[0] == 'A' ? 4 : 3;
		}
		if (!item || !*item)
			continue;
		size_t n = strlen(item);
		if (strchr(item, ' ') && !strchr(item, '(') && !all_code_words(item, n)) {
			size_t cap = c->tags.n;
			for (char *u = item; *u; u++)
				*u = (char)ck_toupper_((unsigned char)*u);
			ck_strv_add_unique_(c->arena, &c->tags, &cap, item);
		} else {
			parse_tag_words(c, item);
		}
	}
}

static void parse_tag_words(ck_cable *c, const char *text)
{
	size_t cap = c->tags.n;
	const char *p = text;
	while (*p) {
		while (*p && !is_tag_char((unsigned char)*p) && *p != '(')
			p++;
		if (!*p)
			break;
		if (*p == '(') {
			/* a person tag's name: attach to the previous tag */
			const char *q = strchr(p, ')');
			if (!q)
				q = p + strlen(p);
			if (c->tags.n) {
				const char *prev = c->tags.v[c->tags.n - 1];
				char *t = ck_arena_printf(c->arena, "%s %.*s%s", prev, (int)(q - p),
							  p, *q ? ")" : "");
				if (t)
					c->tags.v[c->tags.n - 1] = ck_collapse_(c->arena, t, strlen(t));
			}
			p = *q ? q + 1 : q;
			continue;
		}
		const char *s = p;
		/* "UNGA/C-6": a slash inside a word belongs to it */
		while (*p && (is_tag_char((unsigned char)*p) ||
			      (*p == '/' && p > s && is_tag_char((unsigned char)p[1]))))
			p++;
		char *t = ck_arena_strndup(c->arena, s, (size_t)(p - s));
		if (!t)
			return;
		for (char *u = t; *u; u++)
			*u = (char)ck_toupper_((unsigned char)*u);
		/* "TAGS:" word itself if repeated; SIPDIS is a caption, never a tag */
		if (!strcmp(t, "TAGS") || !strcmp(t, "TAG") || !strcmp(t, "SIPDIS"))
			continue;
		if (strchr(t, '/')) {
			/* "PREL/PGOV": known codes joined by a slash are several tags */
			char *q = t, *sl;
			int known = 1;
			for (char *x = t; known && x;) {
				sl = strchr(x, '/');
				if (sl)
					*sl = 0;
				known = ck_tag_meaning(x, NULL) != NULL;
				if (sl)
					*sl = '/';
				x = sl ? sl + 1 : NULL;
			}
			if (known) {
				while ((sl = strchr(q, '/')) != NULL) {
					*sl = 0;
					ck_strv_add_unique_(c->arena, &c->tags, &cap, q);
					q = sl + 1;
				}
				ck_strv_add_unique_(c->arena, &c->tags, &cap, q);
				continue;
			}
		}
		/* "VEPREL": codes glued by a lost space, split with the tag table */
		const char *parts[8];
		int np;
		if (strlen(t) >= 6 && !ck_tag_meaning(t, NULL) &&
		    (np = ck_tag_split(t, parts, 8)) >= 2) {
			ck_cable_problem(c, "tags", 0, "glued tag codes \"%s\" read as separate codes", t);
			for (int k = 0; k < np; k++)
				ck_strv_add_unique_(c->arena, &c->tags, &cap, parts[k]);
			continue;
		}
		ck_strv_add_unique_(c->arena, &c->tags, &cap, t);
	}
}

/* ---- Classified By ---------------------------------------------------- */

static const char *const title_words[] = {
	"ACTING", "ADMIN", "ADVISER", "ADVISOR", "AFFAIRS", "AMBASSADOR", "AMB", "ASSISTANT",
	"ATTACHE", "A/DCM", "CDA", "CG", "CHARGE", "CHARGE'", "CHIEF", "COMMERCIAL",
	"CONSUL", "CONSULAR", "CONSUL-GENERAL", "COORDINATOR", "COUNSELOR", "COUNSELLOR",
	"DAS", "DATT", "DCM", "DEPUTY", "DIRECTOR", "D'AFFAIRES", "D'AFFAIRES,", "A.I.", "AI",
	"ECON", "ECONOMIC", "ECON/POL", "ECONOFF", "ENVIRONMENT", "EXECUTIVE", "FOR", "GENERAL",
	"HEAD", "INTERIM", "LEGATT", "M/C", "MANAGEMENT", "MINISTER", "MINISTER-COUNSELOR",
	"MINISTER-COUNSELLOR", "MISSION", "OF", "OFFICE", "OFFICER", "PAO", "POL", "POL/ECON",
	"POL-ECON", "POLCHIEF", "POLCOUNS", "POLECON", "POLITICAL", "POLITICAL/ECONOMIC",
	"POLOFF", "POL/MIL", "POLMIL", "POLITICAL-MILITARY", "PRINCIPAL", "PUBLIC",
	"REGIONAL", "RSO", "SECRETARY", "SECTION", "SENIOR", "SPECIAL", "STATE", "THE", "AND",
	"ECONCOUNS", "ECONCOUNSELOR", "CONS", "COUNS", "DEP", "DEPT", "EXEC", "ASST", "ECONOMIC/POLITICAL",
	"MILITARY", "DEFENSE", "AGENCY", "ACTG", "AMBASSADOR,", "CHARGE,", "POLITICAL,", "ON", "BEHALF",
	"EMBASSY", "US", "U.S.", "USUN", "USNATO", "USEU", "CHIEF,", "COUNSELOR,", "DCM,",
	"MINISTER,", "OFFICER,", "DIRECTOR,", "SECTION,", "AFFAIRS,", "A.I.,", "POLITICAL-ECONOMIC",
	"POLITICAL/MILITARY", "COUNSELOR:", "ECONOMIC-POLITICAL", "ECONOMICS", "PROGRAM", "TRADE",
	"ENERGY", "SCIENCE", "TECHNOLOGY", "HEALTH", "ESTH", "NAS", "INL", "USAID", "PAS",
	"MINCOUNS", "MIN-COUNS", "POLMINCOUNS", "POL-MIL", "A.", "I.", "A.I", "AFFAIRES", "D'AFFAIRES",
	"ADCM", "DEPUTY-CHIEF", "CONSUL-GEN", "CONGEN", "PRINCIPAL-OFFICER", "PO", "MGMT", "RAO",
	"INTERIM", "UNDER", "D\xE2\x80\x99" "AFFAIRES", "D\xE2\x80\x99" "AFFAIRES,", "CHARGE'D'AFFAIRES", "CHARGE-D'AFFAIRES", "DCM/", "POLOFF,", "ECONOFF,",
};

static int is_title_word(const char *w, size_t n)
{
	/* "D/Polcouns", "POL/ECON", "M/C": office symbols hold a slash */
	if (memchr(w, '/', n))
		return 1;
	return CK_IN_LIST(w, n, title_words);
}

/* "re ason", "reas on": the word broken by a line wrap */
static int reason_split(const char *t, size_t n)
{
	static const char w[] = "reason";
	for (size_t cut = 1; cut < 6; cut++)
		if (n > 6 && ck_prefix_ci_(t, cut, w) && t[cut] == ' ' &&
		    ck_prefix_ci_(t + cut + 1, n - cut - 1, w + cut))
			return 1;
	return 0;
}

/* Find "reason" (or "for reasons", "REASONS:"), return offset of the
 * start of the phrase, or -1. */
static long find_reason(const char *t, size_t n)
{
	for (size_t i = 0; i + 6 <= n; i++) {
		if ((t[i] | 0x20) == 'r' &&
		    (ck_prefix_ci_(t + i, n - i, "reason") || reason_split(t + i, n - i)) &&
		    (i == 0 || !ck_isalpha_((unsigned char)t[i - 1]))) {
			long s = (long)i;
			/* back over "for " */
			long k = s - 1;
			while (k >= 0 && (t[k] == ' ' || t[k] == ','))
				k--;
			if (k >= 2 && ck_prefix_ci_(t + k - 2, 3, "for") &&
			    (k < 3 || !ck_isalpha_((unsigned char)t[k - 3])))
				s = k - 2;
			/* "Based upon Reason", "based on reasons" */
			else if (k >= 3 && ck_prefix_ci_(t + k - 3, 4, "upon")) {
				long b = k - 4;
				while (b >= 0 && t[b] == ' ')
					b--;
				if (b >= 4 && ck_prefix_ci_(t + b - 4, 5, "based"))
					s = b - 4;
			} else if (k >= 1 && ck_prefix_ci_(t + k - 1, 2, "on")) {
				long b = k - 2;
				while (b >= 0 && t[b] == ' ')
					b--;
				if (b >= 4 && ck_prefix_ci_(t + b - 4, 5, "based"))
					s = b - 4;
			}
			return s;
		}
	}
	/* "1.4 (b) and (d)" without the word "reason" */
	for (size_t i = 0; i + 3 <= n; i++)
		if (t[i] == '1' && t[i + 1] == '.' && (t[i + 2] == '4' || t[i + 2] == '5' || t[i + 2] == '6') &&
		    (i == 0 || t[i - 1] == ' ' || t[i - 1] == '('))
			return (long)i;
	return -1;
}

static void parse_reasons(ck_cable *c, const char *t)
{
	size_t cap = 0;
	const char *p = t;
	char sect[4] = "1.4";
	int found_section = 0;
	while (*p) {
		if (ck_isdigit_((unsigned char)p[0]) && p[1] == '.' && ck_isdigit_((unsigned char)p[2]) &&
		    !ck_isdigit_((unsigned char)p[3])) {
			sect[0] = p[0];
			sect[2] = p[2];
			found_section = 1;
			p += 3;
			continue;
		}
		if (!found_section) {
			p++;
			continue;
		}
		/* a reason letter a-h: "(b)", "b", "B," "b/d" - a single letter
		 * standing alone */
		int ch = (unsigned char)*p;
		int lc = ch | 0x20;
		if (lc >= 'a' && lc <= 'h' && (p == t || !ck_isalpha_((unsigned char)p[-1])) &&
		    !ck_isalpha_((unsigned char)p[1])) {
			/* skip the article "a" in running text: only accept 'a' in parens
			 * or followed by , / ) */
			if (lc == 'a' && !(p > t && (p[-1] == '(' || p[-1] == '/' || p[-1] == ',')) &&
			    p[1] != ')' && p[1] != ',' && p[1] != '/')
				goto next;
			char r[8];
			snprintf(r, sizeof r, "%s(%c)", sect, lc);
			ck_strv_add_unique_(c->arena, &c->classified_by.reasons, &cap,
					    ck_arena_strdup(c->arena, r));
		}
		/* stop at the end of the reasons phrase */
		if (ch == '.' && (p[1] == ' ' || !p[1]) && p > t && ck_isalpha_((unsigned char)p[-1]) &&
		    ck_isalpha_((unsigned char)p[-2]))
			break;
	next:
		p++;
	}
}

/* The person part of a Classified By text without a doubled label, a
 * leading dash, and words the reason phrase left behind. */
static char *clean_who(char *who)
{
	if (!who)
		return NULL;
	size_t who_len = strlen(who);
	/* strip a doubled "Classified by" */
	if (ck_prefix_ci_(who, who_len, "classified by")) {
		who += 13;
		while (*who == ' ' || *who == ':')
			who++;
	} else if (ck_prefix_ci_(who, who_len, "classifed by")) {
		who += 12;
		while (*who == ' ' || *who == ':')
			who++;
	}
	/* a dash before the name ("- Political Counselor ...", "-- Amb X") */
	while (*who == '-' || *who == ' ')
		who++;
	/* words the reason phrase left behind: "X for", "X under Section" */
	for (;;) {
		size_t wl0 = strlen(who);
		static const char *const tail[] = {" under Section", " under section", " UNDER SECTION",
						   " Section", " SECTION", " under", " UNDER", " for", " FOR",
						   " For", " per", " PER", " due to", " DUE TO"};
		int cut = 0;
		for (size_t k = 0; k < sizeof tail / sizeof *tail && !cut; k++) {
			size_t tl = strlen(tail[k]);
			if (wl0 > tl && !strcmp(who + wl0 - tl, tail[k])) {
				who[wl0 - tl] = 0;
				cut = 1;
			}
		}
		wl0 = strlen(who);
		while (wl0 && (who[wl0 - 1] == ' ' || who[wl0 - 1] == ',' || who[wl0 - 1] == ';'))
			who[--wl0] = 0;
		if (!cut)
			break;
	}
	return who;
}

/* How many of the words ws[0..nw) are leading title words. */
static int leading_titles(const char *const *ws, const size_t *wl, int nw)
{
	int first_non_title = 0;
	while (first_non_title < nw && is_title_word(ws[first_non_title], wl[first_non_title])) {
		/* "A." or "I." is the chargé's "a. i." only beside the other
		 * half; else it is an initial of the name ("Ambassador A. Person") */
		const char *w = ws[first_non_title];
		size_t l = wl[first_non_title];
		if (l == 2 && w[1] == '.' && (w[0] == 'A' || w[0] == 'I' || w[0] == 'a' || w[0] == 'i')) {
			int pair = (first_non_title + 1 < nw && wl[first_non_title + 1] >= 2 &&
				    ck_prefix_ci_(ws[first_non_title + 1], 2, (w[0] | 0x20) == 'a' ? "i." : "a.")) ||
				   (first_non_title > 0 && wl[first_non_title - 1] == 2 &&
				    ws[first_non_title - 1][1] == '.');
			if (!pair)
				break;
		}
		first_non_title++;
	}
	return first_non_title;
}

/* " Jr.", " III", " Sr": a name suffix up to the next comma or the end */
static int name_suffix(const char *p)
{
	while (*p == ' ')
		p++;
	static const char *const suf[] = {"Jr.", "Jr", "JR.", "JR", "Sr.", "Sr", "SR.", "SR",
					  "II", "III", "IV"};
	for (size_t k = 0; k < sizeof suf / sizeof *suf; k++) {
		size_t l = strlen(suf[k]);
		if (!strncmp(p, suf[k], l) && (!p[l] || p[l] == ',' || p[l] == ' '))
			return 1;
	}
	return 0;
}

void ck_parse_classified_by_(ck_cable *c, const char *text)
{
	size_t n = strlen(text);
	c->has_classified_by = 1;
	c->classified_by.text = ck_collapse_(c->arena, text, n);
	const char *t = c->classified_by.text;
	n = strlen(t);
	long r = find_reason(t, n);
	size_t who_len = r < 0 ? n : (size_t)r;
	if (r >= 0)
		parse_reasons(c, t + r);
	/* who: "Political Minister-Counselor David D. Pearce," or "Anne W.
	 * Patterson" or "Ambassador Tom McDonald" or "Jane Doe, DCM" */
	while (who_len && (t[who_len - 1] == ' ' || t[who_len - 1] == ',' || t[who_len - 1] == ';' ||
			   t[who_len - 1] == '.' || t[who_len - 1] == ':')) {
		/* the dot of "Jr." stays */
		if (t[who_len - 1] == '.' && who_len >= 3 && (ck_prefix_ci_(t + who_len - 3, 2, "jr") ||
							      ck_prefix_ci_(t + who_len - 3, 2, "sr")) &&
		    (who_len == 3 || t[who_len - 4] == ' '))
			break;
		who_len--;
	}
	if (!who_len)
		return;
	/* "Derived from Multiple Sources" etc.: no name */
	if (ck_prefix_ci_(t, who_len, "derived") || ck_prefix_ci_(t, who_len, "multiple"))
		return;
	char *who = clean_who(ck_arena_strndup(c->arena, t, who_len));
	if (!who)
		return;
	/* split into words; name = run of words after the leading title
	 * words; with a comma, "Name, Title" or "Title, Name" */
	const char *comma = strchr(who, ',');
	/* "Ted Example, Jr.": a suffix after the comma belongs to the name */
	while (comma && name_suffix(comma + 1))
		comma = strchr(comma + 1, ',');
	const char *ws[32];
	size_t wl[32];
	int nw = 0;
	for (const char *p = who; *p && nw < 32;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		const char *s = p;
		while (*p && *p != ' ')
			p++;
		ws[nw] = s;
		wl[nw] = (size_t)(p - s);
		nw++;
	}
	if (!nw)
		return;
	int first_non_title = leading_titles(ws, wl, nw);
	if (comma && first_non_title == 0) {
		/* "Jane Doe, Deputy Chief of Mission": name before the comma */
		size_t nl = (size_t)(comma - who);
		c->classified_by.name = ck_collapse_(c->arena, who, nl);
		const char *tt = comma + 1;
		c->classified_by.title = *tt ? ck_collapse_(c->arena, tt, strlen(tt)) : NULL;
		if (c->classified_by.title && !*c->classified_by.title)
			c->classified_by.title = NULL;
		return;
	}
	if (first_non_title >= nw) {
		c->classified_by.title = ck_collapse_(c->arena, who, strlen(who));
		return;
	}
	/* title = words before first_non_title; name = the rest up to a comma */
	if (first_non_title > 0) {
		size_t tl = (size_t)(ws[first_non_title - 1] + wl[first_non_title - 1] - who);
		char *title = ck_collapse_(c->arena, who, tl);
		size_t l = strlen(title);
		while (l && (title[l - 1] == ',' || title[l - 1] == ':'))
			title[--l] = 0;
		c->classified_by.title = title;
	}
	const char *ns = ws[first_non_title];
	const char *ne = who + strlen(who);
	const char *nc = strchr(ns, ',');
	while (nc && name_suffix(nc + 1))
		nc = strchr(nc + 1, ',');
	if (nc) {
		/* "David Pearce, Political Counselor" after a title */
		const char *rest = nc + 1;
		while (*rest == ' ')
			rest++;
		if (*rest && !c->classified_by.title)
			c->classified_by.title = ck_collapse_(c->arena, rest, strlen(rest));
		ne = nc;
	}
	c->classified_by.name = ck_collapse_(c->arena, ns, (size_t)(ne - ns));
}
