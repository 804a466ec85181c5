/*
 * fuzz_json.c - libFuzzer target for the JSON Lines reader
 * (ck_cable_read_json) on arbitrary bytes: it returns a cable or an error,
 * never crashes, reads outside the input or leaks; a cable it accepts
 * writes back as contract JSON that reads again into the same JSON (the
 * round trip is stable after one pass).
 */
#include "cablekit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy without a terminating NUL: reads past size are caught */
	char *s = malloc(size ? size : 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	ck_cable *c = NULL;
	if (ck_cable_read_json(&c, s, size) || !c) {
		free(s);
		return 0;
	}
	ck_buf j1 = CK_BUF_INIT, j2 = CK_BUF_INIT;
	if (ck_cable_write_json(&j1, c, 0))
		abort();
	ck_cable *back = NULL;
	if (ck_cable_read_json(&back, j1.ptr, j1.len) || !back)
		abort(); /* what it writes, it reads */
	if (ck_cable_write_json(&j2, back, 0))
		abort();
	if (j1.len != j2.len || memcmp(j1.ptr, j2.ptr, j1.len))
		abort(); /* stable after one pass */
	ck_cable_free(back);
	ck_cable_free(c);
	ck_buf_free(&j1);
	ck_buf_free(&j2);
	free(s);
	return 0;
}
