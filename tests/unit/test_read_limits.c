/*
 * test_read_limits.c - the streamed telegram splitter under a size cap:
 * chunking does not change the split, a telegram over the cap keeps its
 * first bytes (cut after a newline, or before a UTF-8 sequence) and says
 * how many it dropped, and the next telegram is read whole; a part without
 * a body joins its telegram, streamed, while both fit under the cap.
 */
#include "unit.h"
#include "read/read.h"

#include <stdio.h>
#include <string.h>

struct cut_parts {
	int n;
	char text[4][128];
	long long off[4], dropped[4];
	int line[4];
};

static int on_cut(const char *s, size_t n, long long off, int line, long long dropped, void *ctx)
{
	struct cut_parts *p = ctx;
	if (p->n < 4) {
		snprintf(p->text[p->n], sizeof p->text[0], "%.*s", (int)n, s);
		p->off[p->n] = off;
		p->line[p->n] = line;
		p->dropped[p->n] = dropped;
	}
	p->n++;
	return 0;
}

static void split(const char *s, size_t max, size_t step, struct cut_parts *p)
{
	ck_text_stream t;
	memset(p, 0, sizeof *p);
	ck_text_stream_init(&t, max, on_cut, p);
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i += step)
		cr_assert_eq(ck_text_stream_feed(&t, s + i, n - i < step ? n - i : step), 0);
	cr_assert_eq(ck_text_stream_finish(&t), 0);
	ck_text_stream_free(&t);
}

Test(read_limits, telegram_over_cap_is_cut_and_counted)
{
	const char *in = "VZCZC1\n1. A\nBBBBBBBBBBBBBBBBBBBB\nNNNN\nVZCZC2\n1. x\n";
	for (size_t step = 1; step <= 7; step++) {
		struct cut_parts p;
		split(in, 16, step, &p);
		cr_assert_eq(p.n, 2);
		/* cut after the last newline before 16 bytes */
		cr_assert_str_eq(p.text[0], "VZCZC1\n1. A\n");
		cr_assert_eq(p.dropped[0], (long long)strlen("BBBBBBBBBBBBBBBBBBBB\nNNNN\n"));
		cr_assert_str_eq(p.text[1], "VZCZC2\n1. x\n");
		cr_assert_eq(p.off[1], (long long)strlen("VZCZC1\n1. A\nBBBBBBBBBBBBBBBBBBBB\nNNNN\n"));
		cr_assert_eq(p.line[1], 5);
		cr_assert_eq(p.dropped[1], 0);
	}
}

Test(read_limits, one_long_line_cut_before_utf8_sequence)
{
	/* 9 ASCII bytes then "é" (2 bytes) across the 10-byte cap */
	struct cut_parts p;
	split("123456789\xc3\xa9xxxxxxxxxxxxxxxx", 10, 3, &p);
	cr_assert_eq(p.n, 1);
	cr_assert_str_eq(p.text[0], "123456789");
	cr_assert_eq(p.dropped[0], 2 + 16);
	cr_assert_eq(ck_read_cut("abc", 3, 10), 3);
}

Test(read_limits, vzczc_after_an_overflow_starts_a_whole_telegram)
{
	struct cut_parts p;
	for (size_t step = 1; step <= 7; step++) {
		split("VZCZC1\n1. xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n   VZCZC2\n2. body\n", 12, step, &p);
		cr_assert_eq(p.n, 2);
		cr_assert_str_eq(p.text[0], "VZCZC1\n");
		/* its first bytes came after the cap of the telegram before */
		cr_assert_str_eq(p.text[1], "   VZCZC2\n");
		cr_assert_eq(p.dropped[1], 8);
		cr_assert_eq(p.line[1], 3);
	}
}

Test(read_limits, bodiless_parts_join_their_telegram_streamed)
{
	/* a header before the body, a trailer after NNNN, a repeated header */
	const char *in = "VZCZC1\nFM A\nNNNN\nVZCZC1\nFM A\nSUBJECT: X\nNNNN\nEnd Cable Text\n"
			 "VZCZC1\nFM A\n";
	for (size_t step = 1; step <= 9; step++) {
		struct cut_parts p;
		split(in, 1 << 20, step, &p);
		cr_assert_eq(p.n, 1);
		cr_assert_eq(p.off[0], 0);
		cr_assert_eq(p.dropped[0], 0);
		cr_assert_str_eq(p.text[0], in);
	}
}

Test(read_limits, pending_part_with_a_body_starts_the_next_telegram)
{
	/* the part after the first telegram is pending until "2. C": the same
	 * split whether both fit under the cap (40) or not (24) */
	const char *in = "VZCZC1\n1. A\nNNNN\nVZCZC2\nFM B\n2. C\n";
	for (size_t max = 24; max <= 40; max += 16)
		for (size_t step = 1; step <= 7; step++) {
			struct cut_parts p;
			split(in, max, step, &p);
			cr_assert_eq(p.n, 2);
			cr_assert_str_eq(p.text[0], "VZCZC1\n1. A\nNNNN\n");
			cr_assert_str_eq(p.text[1], "VZCZC2\nFM B\n2. C\n");
			cr_assert_eq(p.off[1], 17);
			cr_assert_eq(p.line[1], 4);
			cr_assert_eq(p.dropped[0] + p.dropped[1], 0);
		}
}

Test(read_limits, trailer_over_the_cap_is_handed_over_alone)
{
	/* a trailer joins only while it fits with its telegram under the cap:
	 * memory stays at the cap */
	const char *in = "VZCZC1\n1. A\nNNNN\nEnd Cable Text\n";
	for (size_t step = 1; step <= 7; step++) {
		struct cut_parts p;
		split(in, 40, step, &p);
		cr_assert_eq(p.n, 1);
		cr_assert_str_eq(p.text[0], in);
		split(in, 20, step, &p);
		cr_assert_eq(p.n, 2);
		cr_assert_str_eq(p.text[0], "VZCZC1\n1. A\nNNNN\n");
		cr_assert_str_eq(p.text[1], "End Cable Text\n");
		cr_assert_eq(p.dropped[0] + p.dropped[1], 0);
	}
}
