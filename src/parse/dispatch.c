/*
 * dispatch.c - ck_parse(): which parser reads a text.  A 1970s telegram
 * printout (ck_70s_detect: a "PAGE 01 POST SERIAL" page header and an
 * office distribution block near the top) goes to seventies.c, which takes
 * its printout lines out and hands the rest to the main parser; anything
 * else goes to the main parser (parse.c) directly.  Last, the people pass
 * reads the finished cable (people.c).  Kept apart from the parsers so
 * that the calls go one way: dispatch -> seventies -> parse, dispatch ->
 * people.
 */
#include "parse/parser.h"
#include "parse/people.h"
#include "parse/seventies.h"

#include <stddef.h>

int ck_parse(ck_cable **out, const char *text, size_t len, const ck_parse_opts *opts)
{
	return ck_parse_ex_(out, text, len, opts, NULL);
}

int ck_parse_ex_(ck_cable **out, const char *text, size_t len, const ck_parse_opts *opts,
		 enum ck_id_source_ *id_source)
{
	int rc;
	if (text && ck_70s_detect(text, len)) /* the 1970s printout (seventies.c) */
		rc = ck_70s_parse(out, text, len, opts, id_source);
	else
		rc = ck_parse_text_(out, text, len, opts, id_source);
	if (!rc && *out)
		ck_note_full_lists_(*out);
	if (!rc && *out && opts && opts->people) /* the people pass reads the finished cable (people.c) */
		ck_people_extract_(*out);
	return rc;
}
