/* parse.c - placeholder */
#include "cablekit.h"
ck_cable *ck_cable_new_(void);
int ck_parse(ck_cable **out, const char *text, size_t len, const ck_parse_opts *opts)
{
	ck_cable *c = ck_cable_new_();
	if (!c)
		return CK_ENOMEM;
	c->raw = ck_arena_strndup(c->arena, text, len);
	if (opts) {
		c->source.file = ck_arena_strdup(c->arena, opts->file);
		c->source.format = ck_arena_strdup(c->arena, opts->format);
	}
	*out = c;
	return 0;
}
