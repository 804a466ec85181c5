/*
 * fuzz_blob.c - libFuzzer target for the archive's blob decoder
 * (src/archive/blob.c): ck_blob_unpack and ck_blob_unpack_raw on damaged
 * blobs (a blob read from a damaged database is untrusted) give the text
 * or an error, never a crash, an overread or a leak; ck_json_unescape on
 * any string literal; and what ck_blob_pack / ck_blob_pack_json pack
 * unpacks to the same bytes.
 */
#include "archive/archive.h"
#include "util/jsonstr.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ck_buf out = CK_BUF_INIT, packed = CK_BUF_INIT;
	/* the input as a blob */
	ck_blob_unpack(&out, data, size);
	ck_buf_clear(&out);
	/* as an 'R' blob and its JSON: split at the first byte's share */
	size_t k = size ? data[0] * size / 256 : 0;
	ck_blob_unpack_raw(&out, data, k, data + k, size - k);
	ck_buf_clear(&out);
	ck_blob_json_body(&out, data, size);
	ck_buf_clear(&out);
	/* as a JSON string literal (after its opening quote), NUL-terminated */
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	ck_json_unescape(&out, s, s + size);
	ck_buf_clear(&out);
	/* packing round trip */
	if (ck_blob_pack(&packed, data, size))
		abort();
	if (ck_blob_unpack(&out, packed.ptr, packed.len) || out.len != size ||
	    (size && memcmp(out.ptr, data, size)))
		abort();
	ck_buf_clear(&out);
	ck_buf_clear(&packed);
	if (!ck_blob_pack_json(&packed, s, size)) {
		if (ck_blob_unpack(&out, packed.ptr, packed.len) || out.len != size ||
		    (size && memcmp(out.ptr, data, size)))
			abort();
	}
	free(s);
	ck_buf_free(&out);
	ck_buf_free(&packed);
	return 0;
}
