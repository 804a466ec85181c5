/*
 * meanings.c - what the codes on a cable page mean, looked up in tables
 * generated from data/ (scripts/gentables.sh --server):
 *   E.O. reasons     "1.4(b)", "1.5 (D)" -> the category of information
 *                    (data/eo-reasons.tsv, by the letter in parentheses)
 *   portion markings "C", "SBU", "TS" ... -> meaning and badge class
 *                    (data/portion-markings.tsv, longest matching prefix,
 *                    case folded: "SBU" wins over "S")
 */
#include "server/server.h"

#include <string.h>
#include <strings.h>

const char *ck_srv_reason_meaning(const char *r)
{
	const char *p = r ? strchr(r, '(') : NULL;
	if (!p || !p[1])
		return NULL;
	char c = (char)(p[1] | 0x20);
	for (const struct ck_srv_reason *e = ck_srv_reason_table; e->letter; e++)
		if (e->letter[0] == c)
			return e->meaning;
	return NULL;
}

/* The entry whose marking is the longest prefix of m, or NULL. */
static const struct ck_srv_portion *portion(const char *m)
{
	const struct ck_srv_portion *best = NULL;
	if (!m)
		return NULL;
	for (const struct ck_srv_portion *e = ck_srv_portion_table; e->marking; e++) {
		size_t n = strlen(e->marking);
		if (!strncasecmp(m, e->marking, n) && (!best || n > strlen(best->marking)))
			best = e;
	}
	return best;
}

const char *ck_srv_portion_meaning(const char *m)
{
	const struct ck_srv_portion *e = portion(m);
	return e ? e->meaning : NULL;
}

const char *ck_srv_portion_class(const char *m)
{
	const struct ck_srv_portion *e = portion(m);
	return e ? e->cls : "pm";
}
