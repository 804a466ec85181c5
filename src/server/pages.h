/*
 * pages.h - what the page files (page_search.c, page_cable.c,
 * page_browse.c) share: reading the archive's JSON answers with jansson.
 * Every string taken from them goes through ck_html_esc() on the way out.
 */
#ifndef CK_SERVER_PAGES_H
#define CK_SERVER_PAGES_H
#include "server/server.h"

#include <jansson.h>

/* The string member k of object o, or NULL. */
static inline const char *ck_js(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* The JSON in b, or NULL (free with json_decref). */
static inline json_t *ck_json_load(const ck_buf *b)
{
	if (!b->ptr || !b->len)
		return NULL;
	return json_loadb(b->ptr, b->len, 0, NULL);
}

/* An estimate flag of an answer: 1 (exact) unless member k is false
 * ("total_exact": false); an absent member means exact. */
static inline int ck_json_exact(json_t *o, const char *k)
{
	return !json_is_false(json_object_get(o, k));
}

/* 1 unless member k is true ("facets_sampled": true). */
static inline int ck_json_unsampled(json_t *o, const char *k)
{
	return !json_is_true(json_object_get(o, k));
}

/* The 1970s and PlusD record part of a cable page (page_record.c): a
 * "Record" section with the office lines, distribution, series, concepts,
 * keys and the review history by date; nothing when the cable has none of
 * these (ck_srv_cable_has_record() is 0). */
int ck_srv_cable_has_record(const ck_cable *c);
void ck_srv_cable_record(ck_buf *b, const ck_cable *c);
#endif
