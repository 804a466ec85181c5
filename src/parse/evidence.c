/*
 * evidence.c - parse an item found by a reader, and weigh the page's own
 * metadata (viewer page table, csv columns) against the telegram text:
 * the text wins, the page only fills what the text lacks, and every
 * disagreement becomes a problem.
 */
#include "cablekit.h"

#include <string.h>

int ck_item_parse(ck_cable **out, const ck_item *item, int year)
{
	ck_parse_opts o = {year, item->file, item->format};
	int rc = ck_parse(out, item->text, item->len, &o);
	if (rc)
		return rc;
	ck_cable *c = *out;
	c->source.offset = item->offset;
	c->source.line = item->line;
	c->source.meta_id = ck_arena_strdup(c->arena, item->meta_id);
	c->source.meta_date = ck_arena_strdup(c->arena, item->meta_date);
	c->source.meta_classification = ck_arena_strdup(c->arena, item->meta_classification);
	c->source.meta_origin = ck_arena_strdup(c->arena, item->meta_origin);
	return 0;
}
