/* tables.h - lookup tables generated from data/ by scripts/gentables.sh. */
#ifndef CK_PARSE_TABLES_H
#define CK_PARSE_TABLES_H
#include <stddef.h>
struct ck_ri_entry {
	const char *ri;   /* routing indicator, "RUEHRO" */
	const char *name; /* address, "AMEMBASSY ROME" */
};
struct ck_tag_entry {
	const char *code;    /* "PREL" */
	const char *kind;    /* "subject", "geographic" ... */
	const char *meaning; /* "External political relations" */
};
extern const struct ck_ri_entry ck_ri_table[];
extern const size_t ck_ri_count;
extern const struct ck_tag_entry ck_tag_table[];
extern const size_t ck_tag_count;
#endif
