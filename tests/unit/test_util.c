/* test_util.c - buffers, arena, JSON string escaping and decoding. */
#include "unit.h"
#include "util/jsonstr.h"

Test(buf, append_and_detach)
{
	ck_buf b = CK_BUF_INIT;
	ck_buf_puts(&b, "abc");
	ck_buf_putc(&b, '-');
	ck_buf_printf(&b, "%d", 42);
	for (int i = 0; i < 1000; i++)
		ck_buf_putc(&b, 'x');
	cr_assert_eq(b.len, 1006);
	cr_assert_eq(strncmp(b.ptr, "abc-42x", 7), 0);
	char *p = ck_buf_detach(&b);
	cr_assert_null(b.ptr);
	cr_assert_eq(strlen(p), 1006);
	free(p);
}

Test(arena, many_allocations)
{
	ck_arena *a = ck_arena_new();
	char *last = NULL;
	for (int i = 0; i < 10000; i++) {
		last = ck_arena_printf(a, "item %d", i);
		cr_assert_not_null(last);
	}
	cr_assert_str_eq(last, "item 9999");
	char *big = ck_arena_alloc(a, 1 << 20);
	big[(1 << 20) - 1] = 1;
	cr_assert_str_eq(ck_arena_strndup(a, "hello world", 5), "hello");
	ck_arena_free(a);
}

Test(json, string_escapes)
{
	ck_buf b = CK_BUF_INIT;
	ck_json_str(&b, "a\"b\\c\nd\x01" "e\xe2\x80\xa8");
	cr_assert_str_eq(b.ptr, "\"a\\\"b\\\\c\\nd\\u0001e\\u2028\"");
	ck_buf_clear(&b);
	ck_json_str(&b, NULL);
	cr_assert_str_eq(b.ptr, "null");
	ck_buf_free(&b);
}

/* The archive's decoder (ck_json_unescape, blob bodies) and the contract
 * reader (ck_cable_read_json) are one decoder: they take and refuse the
 * same strings.  Before, the archive's took a lone surrogate (writing a
 * surrogate's bytes, not UTF-8) and "\q" (as "q"), which the reader refused. */
Test(json, one_string_decoder)
{
	static const struct {
		const char *lit;  /* the literal after its opening quote */
		const char *want; /* decoded, or NULL: refused */
	} cases[] = {
		{"plain\"", "plain"},
		{"a\\n\\t\\\"\\/\\\\b\"", "a\n\t\"/\\b"},
		{"\\u00e9\\u2028\"", "\xc3\xa9\xe2\x80\xa8"},
		{"\\ud83d\\ude00!\"", "\xf0\x9f\x98\x80!"},
		{"\\ud83d alone\"", NULL},
		{"\\ude00\"", NULL},
		{"\\q\"", NULL},
		{"\\u0000\"", NULL},
		{"\\u12\"", NULL},
		{"no end", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *lit = cases[i].lit;
		ck_buf b = CK_BUF_INIT;
		int rc = ck_json_unescape(&b, lit, lit + strlen(lit));
		if (cases[i].want) {
			cr_assert_eq(rc, 0, "%s", lit);
			cr_assert_str_eq(b.ptr, cases[i].want, "%s", lit);
		} else {
			cr_assert_neq(rc, 0, "%s", lit);
		}
		ck_buf_free(&b);
		/* the same string as a member the reader reads back */
		ck_buf j = CK_BUF_INIT;
		ck_buf_printf(&j, "{\"version\":1,\"subject\":\"%s}", lit);
		ck_cable *c = NULL;
		rc = ck_cable_read_json(&c, j.ptr, j.len);
		if (cases[i].want) {
			cr_assert_eq(rc, 0, "%s: %s", j.ptr, ck_error_last());
			cr_assert_str_eq(c->subject, cases[i].want, "%s", lit);
		} else {
			cr_assert_neq(rc, 0, "%s", j.ptr);
		}
		ck_cable_free(c);
		ck_buf_free(&j);
	}
}
