/*
 * people.h - the people pass (people.c): who a parsed cable names, from its
 * fields and its text, into c->people.  Called once, after everything else
 * has filled the cable (ck_item_parse), so that every field is there.
 */
#ifndef CK_PARSE_PEOPLE_H
#define CK_PARSE_PEOPLE_H

#include "cablekit.h"

/* Find the people of a finished cable and set c->people / c->npeople
 * (arena memory; any earlier list is replaced).  Never fails on bad
 * input; out of memory leaves c->people empty. */
void ck_people_extract_(ck_cable *c);

/* The key of a name (docs/people.md): surname and given name as written
 * ("D'Alema", "Romano"; given may be NULL) -> "dalema", "prodi_romano".
 * Writes into buf (NUL-terminated); returns buf, or NULL when the surname
 * holds no letter or the key does not fit. */
const char *ck_people_key_(const char *surname, const char *given, char *buf, size_t bufsz);

#endif
