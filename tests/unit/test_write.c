/* test_write.c - the writers of src/write/: JSON read back, telegram text,
 * CSV, GraphML and bulk exports. */
#include "unit.h"

#include <stdarg.h>
#include <stdlib.h>

ck_cable *ck_cable_new_(void);

static ck_strv sv(ck_arena *a, int n, ...)
{
	ck_strv v = {ck_arena_alloc(a, (size_t)n * sizeof(char *)), (size_t)n};
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		v.v[i] = ck_arena_strdup(a, va_arg(ap, const char *));
	va_end(ap);
	return v;
}

/* A cable with every field of the contract set, built by hand. */
static ck_cable *full_cable(void)
{
	ck_cable *c = ck_cable_new_();
	cr_assert_not_null(c);
	ck_arena *a = c->arena;
	c->id = "07ROME1497";
	c->aliases = sv(a, 2, "07ROME01497", "07Rome1497");
	c->date = "2007-07-09T17:12:00Z";
	c->origin = "Embassy Rome";
	c->from = "AMEMBASSY ROME";
	c->classification = "CONFIDENTIAL";
	c->caveats = sv(a, 2, "SIPDIS", "NOFORN");
	c->marking = "CONFIDENTIAL//NOFORN";
	c->precedence = "IMMEDIATE";
	c->tags = sv(a, 3, "PREL", "UNSC", "IT");
	c->subject = "ITALY: \"QUOTES\" \\ AND UNICODE \xc3\xa9 \xe2\x80\xa8 ON THE UNSC";
	c->nrefs = 2;
	c->refs = ck_arena_alloc(a, 2 * sizeof *c->refs);
	c->refs[0] = (ck_ref){"A", "STATE 12345", "07STATE12345"};
	c->refs[1] = (ck_ref){"B", "ROME 1234 (NOTAL)", NULL};
	c->has_classified_by = 1;
	c->classified_by.name = "ELIZABETH DIBBLE";
	c->classified_by.title = "DCM";
	c->classified_by.text = "CLASSIFIED BY: DCM ELIZABETH DIBBLE FOR REASONS 1.4(B) AND (D)";
	c->classified_by.reasons = sv(a, 2, "1.4(b)", "1.4(d)");
	c->has_decl = 1;
	c->decl.order = "12958";
	c->decl.date = "2017-07-03";
	c->decl.text = "E.O. 12958: DECL: 07/03/2017";
	c->header.transmission = "VZCZCXRO6975";
	c->header.relay = sv(a, 2, "RUEHFL", "RUEHKUK");
	c->header.relay_prec = "OO";
	c->header.station = "RUEHRO";
	c->header.ssn = 1497;
	c->header.section = 2;
	c->header.julian = "1901712";
	c->header.security = "ZNY CCCCC ZZH";
	c->header.dtg = "091712Z JUL 07";
	c->header.dtg_prec = "O";
	c->nto = 1;
	c->to = ck_arena_alloc(a, sizeof *c->to);
	c->to[0] = (ck_addr){"RUEHC", "SECSTATE WASHDC", "IMMEDIATE", "8533"};
	c->ninfo = 2;
	c->info = ck_arena_alloc(a, 2 * sizeof *c->info);
	c->info[0] = (ck_addr){"RUEHZL", "EUROPEAN POLITICAL COLLECTIVE", "PRIORITY", NULL};
	c->info[1] = (ck_addr){NULL, "USMISSION USUN NEW YORK", NULL, "0042"};
	c->sections = 3;
	c->summary = "ITALY WILL VOTE.\tTAB\x01";
	c->nparas = 2;
	c->paras = ck_arena_alloc(a, 2 * sizeof *c->paras);
	c->paras[0] = (ck_para){1, "C", "SUMMARY", "ITALY WILL VOTE."};
	c->paras[1] = (ck_para){2, "C//NF", NULL, "LINE ONE.\nLINE TWO."};
	c->signers = sv(a, 1, "SPOGLI");
	c->body = "1. (C) SUMMARY: ITALY WILL VOTE.\n\n2. (C//NF) LINE ONE.";
	c->nproblems = 1;
	c->problems = ck_arena_alloc(a, sizeof *c->problems);
	c->problems[0] = (ck_problem){"page-header", 42, "removed a page header"};
	c->source.file = "corpus/html/x.html";
	c->source.format = "html";
	c->source.offset = 1234567890123LL;
	c->source.line = 17;
	c->source.meta_id = "07ROME1497";
	c->source.meta_date = "2007-07-09 17:12";
	c->source.meta_classification = "CONFIDENTIAL//NOFORN";
	c->source.meta_origin = "Embassy Rome";
	return c;
}

static void roundtrip(ck_cable *c, int flags)
{
	ck_buf a = CK_BUF_INIT, b = CK_BUF_INIT;
	ck_cable *back = NULL;
	cr_assert_eq(ck_cable_write_json(&a, c, flags), 0);
	cr_assert_eq(ck_cable_read_json(&back, a.ptr, a.len), 0, "%s", ck_error_last());
	cr_assert_eq(ck_cable_write_json(&b, back, flags), 0);
	cr_assert_str_eq(b.ptr, a.ptr);
	ck_cable_free(back);
	ck_buf_free(&a);
	ck_buf_free(&b);
}

Test(json_read, roundtrip_every_field)
{
	ck_cable *c = full_cable();
	roundtrip(c, 0);
	roundtrip(c, CK_JSON_PRETTY);
	/* the fields themselves came back, not just the bytes */
	ck_buf a = CK_BUF_INIT;
	ck_cable *back = NULL;
	ck_cable_write_json(&a, c, 0);
	cr_assert_eq(ck_cable_read_json(&back, a.ptr, a.len), 0);
	cr_assert_str_eq(back->subject, c->subject);
	cr_assert_eq(back->header.ssn, 1497);
	cr_assert_eq(back->header.section, 2);
	cr_assert_eq(back->sections, 3);
	cr_assert_eq(back->source.offset, 1234567890123LL);
	cr_assert_str_eq(back->info[1].mcn, "0042");
	cr_assert_null(back->info[1].route);
	cr_assert_null(back->refs[1].id);
	cr_assert_str_eq(back->paras[1].text, "LINE ONE.\nLINE TWO.");
	cr_assert_str_eq(back->classified_by.reasons.v[1], "1.4(d)");
	cr_assert_neq(back->arena, c->arena);
	ck_cable_free(back);
	ck_buf_free(&a);
	ck_cable_free(c);
}

Test(json_read, roundtrip_empty_cable)
{
	ck_cable *c = ck_cable_new_();
	roundtrip(c, 0);
	ck_cable_free(c);
}

Test(json_read, unknown_fields_ignored)
{
	const char *j = "{\"id\":\"07ROME1497\",\"future\":{\"x\":[1,2]},"
			"\"paragraphs\":[{\"n\":1,\"text\":\"A\",\"extra\":true}],"
			"\"header\":{\"station\":\"RUEHRO\",\"ssn\":5,\"new\":1}}";
	ck_cable *c = NULL;
	cr_assert_eq(ck_cable_read_json(&c, j, strlen(j)), 0, "%s", ck_error_last());
	cr_assert_str_eq(c->id, "07ROME1497");
	cr_assert_eq(c->nparas, 1);
	cr_assert_str_eq(c->paras[0].text, "A");
	cr_assert_eq(c->header.ssn, 5);
	cr_assert_eq(c->header.section, 0);
	cr_assert_eq(c->nto, 0);
	ck_cable_free(c);
}

Test(json_read, wrong_types_fail)
{
	static const char *bad[] = {
		"{\"id\":5}",
		"{\"tags\":\"PREL\"}",
		"{\"tags\":[\"PREL\",3]}",
		"{\"references\":[\"STATE 1\"]}",
		"{\"header\":[]}",
		"{\"header\":{\"ssn\":\"12\"}}",
		"{\"header\":{\"ssn\":-4}}",
		"{\"sections\":1.5}",
		"{\"to\":[{\"name\":[]}]}",
		"{\"source\":{\"page\":{\"id\":1}}}",
		"{\"classified_by\":{\"reasons\":{}}}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_cable *c = (ck_cable *)1;
		cr_assert_eq(ck_cable_read_json(&c, bad[i], strlen(bad[i])), CK_EPARSE,
			     "%s", bad[i]);
		cr_assert_null(c);
		cr_assert_neq(ck_error_last()[0], 0);
	}
	ck_cable *c = NULL;
	cr_assert_eq(ck_cable_read_json(&c, "{\"id\":", 6), CK_EPARSE);
	cr_assert_eq(ck_cable_read_json(&c, "[1]", 3), CK_EPARSE);
	cr_assert_eq(ck_cable_read_json(&c, "{\"a\":1,\"a\":2}", 13), CK_EPARSE);
	cr_assert_eq(ck_cable_read_json(&c, "", 0), CK_EPARSE);
	const char *j = "{\"header\":{\"ssn\":\"x\"}}";
	ck_cable_read_json(&c, j, strlen(j));
	cr_assert(strstr(ck_error_last(), "header.ssn"), "%s", ck_error_last());
}
