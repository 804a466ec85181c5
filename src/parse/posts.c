/*
 * posts.c - decoding codes and names: routing indicators, TAGS, post names.
 *
 * The big tables are generated from data/ (see tables.h); the rules that
 * turn a plain-language address into the archive-style origin, and a post
 * name into its reference-id form, live here.
 */
#include "cablekit.h"
#include "parse/tables.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

const char *ck_ri_name(const char *ri)
{
	size_t lo = 0, hi = ck_ri_count;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(ri, ck_ri_table[mid].ri);
		if (c == 0)
			return ck_ri_table[mid].name;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *ck_tag_meaning(const char *code, const char **kind)
{
	size_t lo = 0, hi = ck_tag_count;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(code, ck_tag_table[mid].code);
		if (c == 0) {
			while (mid > 0 && !strcmp(code, ck_tag_table[mid - 1].code))
				mid--;
			if (kind)
				*kind = ck_tag_table[mid].kind;
			return ck_tag_table[mid].meaning;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* "NEW DELHI" -> "New Delhi" */
static void title_case(char *s)
{
	int start = 1;
	for (; *s; s++) {
		if (isalpha((unsigned char)*s)) {
			*s = start ? (char)toupper((unsigned char)*s)
				   : (char)tolower((unsigned char)*s);
			start = 0;
		} else {
			start = 1;
		}
	}
}

struct origin_rule {
	const char *prefix; /* PLAD start */
	const char *origin; /* archive-style origin, "%s" = rest, title-cased */
};

static const struct origin_rule origin_exact[] = {
	{"SECSTATE WASHDC", "Secretary of State"},
	{"SECSTATE", "Secretary of State"},
	{"USMISSION USNATO", "Mission USNATO"},
	{"USMISSION USUN NEW YORK", "USUN New York"},
	{"USMISSION UNVIE VIENNA", "UNVIE"},
	{"UNVIE VIENNA", "UNVIE"},
	{"USMISSION GENEVA", "US Mission Geneva"},
	{"USEU BRUSSELS", "USEU Brussels"},
	{"USINT HAVANA", "US Interests Section Havana"},
	{"AIT TAIPEI", "American Institute Taiwan, Taipei"},
	{"REO BASRAH", "REO Basrah"},
	{"IRAN RPO DUBAI", "Iran RPO Dubai"},
	{"USDEL SECRETARY", "US Delegation, Secretary"},
};

static const struct origin_rule origin_prefix[] = {
	{"AMEMBASSY ", "Embassy %s"},
	{"AMCONSUL ", "Consulate %s"},
	{"AMCONGEN ", "Consulate %s"},
	{"USMISSION ", "Mission %s"},
};

const char *ck_post_origin(const char *plad, char *buf, size_t bufsz)
{
	char tmp[128];
	size_t n = 0;
	/* collapse spaces, upper-case */
	for (const char *p = plad; *p && n + 1 < sizeof tmp; p++) {
		if (isspace((unsigned char)*p)) {
			if (n && tmp[n - 1] != ' ')
				tmp[n++] = ' ';
		} else {
			tmp[n++] = (char)toupper((unsigned char)*p);
		}
	}
	while (n && tmp[n - 1] == ' ')
		n--;
	tmp[n] = '\0';
	if (!n)
		return NULL;
	for (size_t i = 0; i < sizeof origin_exact / sizeof *origin_exact; i++)
		if (!strcmp(tmp, origin_exact[i].prefix)) {
			snprintf(buf, bufsz, "%s", origin_exact[i].origin);
			return buf;
		}
	for (size_t i = 0; i < sizeof origin_prefix / sizeof *origin_prefix; i++) {
		size_t pl = strlen(origin_prefix[i].prefix);
		if (!strncmp(tmp, origin_prefix[i].prefix, pl)) {
			char rest[128];
			snprintf(rest, sizeof rest, "%s", tmp + pl);
			title_case(rest);
			snprintf(buf, bufsz, origin_prefix[i].origin, rest);
			return buf;
		}
	}
	return NULL;
}

struct idname_alias {
	const char *written; /* post as written, spaces removed */
	const char *idname;  /* reference-id form */
};

static const struct idname_alias idname_aliases[] = {
	{"SECSTATE", "STATE"},
	{"SECSTATEWASHDC", "STATE"},
	{"USUN", "USUNNEWYORK"},
	{"USUNNY", "USUNNEWYORK"},
	{"RIODEJAN", "RIODEJANEIRO"},
	{"RIO", "RIODEJANEIRO"},
	{"USNATO", "USNATO"},
	{"UNVIE", "UNVIEVIENNA"},
	{"USEU", "USEUBRUSSELS"},
};

const char *ck_post_idname(const char *post, size_t len, char *buf, size_t bufsz)
{
	size_t n = 0;
	if (!bufsz)
		return NULL;
	for (size_t i = 0; i < len && n + 1 < bufsz; i++) {
		unsigned char ch = (unsigned char)post[i];
		if (isalpha(ch))
			buf[n++] = (char)toupper(ch);
	}
	buf[n] = '\0';
	for (size_t i = 0; i < sizeof idname_aliases / sizeof *idname_aliases; i++)
		if (!strcmp(buf, idname_aliases[i].written)) {
			snprintf(buf, bufsz, "%s", idname_aliases[i].idname);
			break;
		}
	return buf;
}
