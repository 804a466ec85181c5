/*
 * parse.c - the telegram parser: text -> struct ck_cable.
 *
 * The parser reads lines, then fields (DESIGN.md).  ck_parse_text_()
 * (called by ck_parse() in dispatch.c, and by the 1970s layout in
 * seventies.c for what is left once its printout lines are out) decodes
 * the text, splits it into lines once and runs the passes in order (parser.h
 * lists the files): undo line-level rendering damage (lines.c); read the
 * transmission header up to the classification line (header.c); drop a
 * second printout; repair page breaks (repair.c); read the body fields,
 * paragraphs and signer (body.c, paras.c, signer.c); and make the derived
 * fields (finish.c).  Nothing is silently changed: every repair is a
 * `problems` entry.
 */
#include "parse/parser.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ck_cable *ck_cable_new_(void);

int ck_parse_text_(ck_cable **out, const char *text, size_t len, const ck_parse_opts *opts,
		   enum ck_id_source_ *id_source)
{
	*out = NULL;
	ck_cable *c = ck_cable_new_();
	if (!c)
		return ck_error_set(CK_ENOMEM, "out of memory");
	struct parser s;
	memset(&s, 0, sizeof s);
	s.c = c;
	s.banner = -1;
	s.to.size = s.info.size = s.xmt.size = sizeof(ck_addr);
	s.paras.size = sizeof(ck_para);
	if (opts) {
		c->source.file = ck_arena_strdup(c->arena, opts->file);
		c->source.format = ck_arena_strdup(c->arena, opts->format);
		s.year = opts->year;
	}
	size_t nlen, ncp, nnul;
	char *buf = ck_text_normalize_(c->arena, text ? text : "", text ? len : 0, &nlen, &ncp, &nnul);
	if (!buf) {
		ck_cable_free(c);
		return ck_error_set(CK_ENOMEM, "out of memory");
	}
	c->raw = ck_arena_strndup(c->arena, buf, nlen);
	if (ncp)
		ck_cable_problem(c, "encoding", 0, "%zu byte%s not valid UTF-8, read as cp1252", ncp,
				 ncp == 1 ? "" : "s");
	if (nnul)
		ck_cable_problem(c, "encoding", 0, "%zu NUL byte%s removed", nnul, nnul == 1 ? "" : "s");
	if (ck_split_lines_(&s, buf, nlen)) {
		ck_cable_free(c);
		return ck_error_set(CK_ENOMEM, "out of memory");
	}
	s.year_hint = s.year;
	s.year = 0;
	ck_undo_backslash_ends_(&s);
	ck_undo_doubled_quotes_(&s);
	ck_split_inline_fields_(&s);
	ck_split_long_lines_(&s);
	ck_parse_header_(&s);
	/* parser.h: body is the first body line, the banner when there is one */
	assert(s.body >= 0 && s.body <= s.n && (s.banner < 0 || s.banner == s.body));
	ck_year_fallbacks_(&s);
	if (!s.year)
		s.year = s.year_hint;
	ck_second_copy_(&s);
	ck_repair_(&s);
	ck_rejoin_split_sentences_(&s);
	s.text_from = s.banner >= 0 ? s.banner + 1 : s.body;
	ck_find_signer_(&s, s.text_from);
	ck_classify_(&s);
	ck_parse_body_(&s);
	ck_finish_(&s);
	if (!c->source.format) {
		int plusd = 0;
		for (int i = 0; i < s.n && i < 400 && !plusd; i++) {
			plusd = starts(s.L[i].s, s.L[i].len, "####");
			/* "](#)": a PlusD link (strchr finds the rare ']' fast) */
			for (const char *q = s.L[i].s; !plusd && (q = strchr(q, ']')) != NULL; q++)
				plusd = q[1] == '(' && q[2] == '#' && q[3] == ')';
		}
		c->source.format = plusd ? "plusd" : "text";
	}
	if (!c->id && !c->date && !c->nparas && !c->subject && !c->nrefs && !c->header.dtg && nlen)
		ck_cable_problem(c, "not-a-cable", 0, "no field of a cable found in the text");
	if (!nlen)
		ck_cable_problem(c, "empty", 0, "the input is empty");
	if (id_source)
		*id_source = s.id_source;
	if (ck_arena_failed(c->arena)) { /* a field may be missing: no partial cable */
		ck_cable_free(c);
		return ck_error_set(CK_ENOMEM, "out of memory");
	}
	*out = c;
	return 0;
}
