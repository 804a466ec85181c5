/*
 * fuzz_html.c - libFuzzer target for the viewer-page reader: any bytes go
 * through format detection, the page extractor (entities, tags, metadata
 * table, leaked-row repairs) and the html fragment decoder.  The contract:
 * no crash, no read outside the input, no leak; the text never grows past
 * the input.  Build with `make fuzz`; run build-fuzz/fuzz_html [corpus dir].
 */
#include "read/read.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy so that ASan sees any read past the end */
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	(void)ck_read_detect(buf, size);
	ck_html_page p;
	ck_html_page_init(&p);
	if (ck_read_html(&p, buf, size) == 0) {
		/* header + "\n" + body, each no longer than its html */
		if (p.text.len > size + 1)
			abort();
		if (p.text.ptr && strlen(p.text.ptr) > p.text.len)
			abort();
	}
	ck_buf b = CK_BUF_INIT;
	if (ck_read_html_text(&b, buf, size) == 0 && b.len > size)
		abort();
	(void)ck_read_partial_prefix(buf, size);
	ck_buf_free(&b);
	ck_html_page_free(&p);
	free(buf);
	return 0;
}
