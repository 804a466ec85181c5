/*
 * tables.h - lookup tables generated from data/ by scripts/gentables.sh.
 *
 * Every array is sorted by its first field in byte order (strcmp), so
 * posts.c finds keys by binary search; nothing here is allocated.
 */
#ifndef CK_PARSE_TABLES_H
#define CK_PARSE_TABLES_H
#include <stddef.h>
struct ck_ri_entry {
	const char *ri;     /* routing indicator, "RUEHRO" */
	const char *name;   /* address, "AMEMBASSY ROME" */
	const char *source; /* "fix", "acp117" or "corpus" (see gentables.sh) */
};
struct ck_tag_entry {
	const char *code;    /* "PREL" */
	const char *kind;    /* "subject", "geographic" ... */
	const char *meaning; /* "External political relations" */
};
struct ck_post_entry {
	const char *plad;   /* FM address, upper case, single spaces */
	const char *origin; /* archive-style origin, "Secretary of State" */
	const char *idname; /* reference-id post name, "STATE" */
};
struct ck_idalias_entry {
	const char *written; /* post as written, letters only, "SECSTATE" */
	const char *idname;  /* canonical id post name, "STATE" */
};
struct ck_title_entry {
	const char *title;   /* "PRIME MINISTER", "A/S" (upper case, single spaces) */
	const char *kind;    /* "title", or "honorific" (Mr, Dr: not reported) */
	const char *meaning; /* "Prime Minister" */
};
struct ck_notname_entry {
	const char *word;   /* "UNSC", "KABUL", "SAID" (upper case) */
	const char *kind;   /* "org", "place", "nationality", "particle",
	                     * "month", "verb", "word" */
};
extern const struct ck_ri_entry ck_ri_table[];
extern const size_t ck_ri_count;
extern const struct ck_tag_entry ck_tag_table[];
extern const size_t ck_tag_count;
extern const struct ck_post_entry ck_post_table[];
extern const size_t ck_post_count;
extern const char *const ck_idpost_table[]; /* known id post names */
extern const size_t ck_idpost_count;
extern const struct ck_idalias_entry ck_idalias_table[];
extern const size_t ck_idalias_count;
extern const struct ck_title_entry ck_title_table[];
extern const size_t ck_title_count;
extern const struct ck_notname_entry ck_notname_table[];
extern const size_t ck_notname_count;

/* Source of a routing indicator's row ("fix", "acp117", "corpus"), or NULL. */
const char *ck_ri_source(const char *ri);
#endif
