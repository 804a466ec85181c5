/*
 * fuzz_parse.c - libFuzzer target for the telegram parser: any bytes must
 * parse (ck_parse returns 0, never crashes, hangs or leaks), the first
 * input byte choosing the fragment year option, and the parsed cable must
 * write as contract JSON that is valid UTF-8 and reads back.
 * Build: make fuzz; run: build-fuzz/fuzz_parse -max_len=65536 fuzz/seeds/parse
 */
#include "cablekit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* 1 if s[0..n) is valid UTF-8 (no overlongs, surrogates or > U+10FFFF). */
static int utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t k;
		unsigned cp, min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			k = 1, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			k = 2, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			k = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return 0;
		}
		if (i + k >= n)
			return 0;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += k + 1;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The first byte picks opts.year (0 = from the cable, or 1966-2010). */
	int year = 0;
	if (size && data[0] < 45) {
		year = 1966 + data[0];
		data++;
		size--;
	}
	ck_parse_opts o = {year, "fuzz", NULL, 1};
	ck_cable *c = NULL;
	if (ck_parse(&c, (const char *)data, size, &o) || !c)
		abort();
	ck_buf j = CK_BUF_INIT;
	if (ck_cable_write_json(&j, c, 0))
		abort();
	if (!utf8_ok((const unsigned char *)j.ptr, j.len))
		abort();
	ck_cable *back = NULL;
	if (ck_cable_read_json(&back, j.ptr, j.len) || !back)
		abort();
	/* the id survives the round trip */
	if ((c->id == NULL) != (back->id == NULL) || (c->id && strcmp(c->id, back->id)))
		abort();
	ck_cable_free(back);
	ck_buf_free(&j);
	ck_cable_free(c);
	return 0;
}
