/*
 * source.c - walking sources (placeholder: a file or "-" read whole as one
 * telegram text).  Replaced by the readers of src/read/.
 */
#include "cablekit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ck_source_walk(const char *path, ck_item_fn on_item, ck_error_fn on_error,
		   void *ctx)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f) {
		if (on_error)
			on_error(path, 0, strerror(errno), ctx);
		return CK_EIO;
	}
	ck_buf b = CK_BUF_INIT;
	char tmp[65536];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		ck_buf_put(&b, tmp, n);
	if (f != stdin)
		fclose(f);
	ck_item it = {0};
	it.text = b.ptr ? b.ptr : "";
	it.len = b.len;
	it.file = path;
	it.format = "text";
	it.line = 1;
	on_item(&it, ctx);
	ck_buf_free(&b);
	return 0;
}
