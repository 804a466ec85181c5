/* test_util.c - buffers, arena, JSON string escaping. */
#include "unit.h"

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
