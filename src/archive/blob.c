/*
 * blob.c - packing of the stored texts (contract JSON, telegram text) and
 * the hashes that tell versions apart.
 *
 * Stored texts are zstd-compressed at level 1 (fast both ways: ingest
 * packs every cable, and search unpacks one per snippet); the first byte
 * of a blob says how it is stored: 'S' zstd, 'B' contract JSON with its
 * body in a frame of its own (see ck_blob_pack_json), 'R' telegram text
 * packed against that body (ck_blob_pack_raw), 'Z' gzip (archives
 * written before the switch to zstd, read through libarchive), 'P' plain.  Compression
 * keeps the archive under 2.5x the raw telegram text (see docs/archive.md).
 */
#include "archive/archive.h"

#include <archive.h>
#include <archive_entry.h>

#include "util/dynlib.h" /* loaded on first use */
#include "util/jsonstr.h"
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <nettle/sha1.h>
#include <zstd.h>

/* One zstd context of each kind per thread, freed when the thread ends. */
static pthread_key_t cctx_key, dctx_key;
static pthread_once_t keys_once = PTHREAD_ONCE_INIT;

static void free_cctx(void *p)
{
	ZSTD_freeCCtx(p);
}

static void free_dctx(void *p)
{
	ZSTD_freeDCtx(p);
}

static void make_keys(void)
{
	pthread_key_create(&cctx_key, free_cctx);
	pthread_key_create(&dctx_key, free_dctx);
}

static ZSTD_CCtx *thread_cctx(void)
{
	pthread_once(&keys_once, make_keys);
	ZSTD_CCtx *c = pthread_getspecific(cctx_key);
	if (!c && (c = ZSTD_createCCtx()) != NULL)
		pthread_setspecific(cctx_key, c);
	return c;
}

static ZSTD_DCtx *thread_dctx(void)
{
	pthread_once(&keys_once, make_keys);
	ZSTD_DCtx *d = pthread_getspecific(dctx_key);
	if (!d && (d = ZSTD_createDCtx()) != NULL)
		pthread_setspecific(dctx_key, d);
	return d;
}

int ck_blob_pack(ck_buf *out, const void *p, size_t n)
{
	size_t start = out->len;
	/* zstd level 1: 'S' + frame.  (Archives written before also hold 'Z'
	 * gzip blobs, which ck_blob_unpack still reads.) */
	ZSTD_CCtx *cc = n >= 64 ? thread_cctx() : NULL;
	if (cc) {
		size_t cap = ZSTD_compressBound(n);
		if (ck_buf_grow(out, cap + 2))
			return CK_ENOMEM;
		size_t used = ZSTD_compressCCtx(cc, out->ptr + start + 1, cap, p, n, 1);
		if (!ZSTD_isError(used) && used + 1 < n) {
			out->ptr[start] = 'S';
			out->len = start + 1 + used;
			out->ptr[out->len] = 0;
			return 0;
		}
	}
	/* no zstd context (out of memory) or nothing gained: kept plain */
	if (ck_buf_putc(out, 'P') || ck_buf_put(out, p, n))
		return CK_ENOMEM;
	return 0;
}

/* Append the content of one zstd frame src[0..n) to out (with prefix pre
 * as its dictionary when pre_n > 0). */
static int zstd_frame(ck_buf *out, const char *src, size_t n, const char *pre, size_t pre_n)
{
	unsigned long long size = ZSTD_getFrameContentSize(src, n);
	ZSTD_DCtx *dc = thread_dctx();
	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (1ull << 31) || !dc)
		return ck_error_set(CK_EIO, "stored text: a damaged zstd frame");
	if (ck_buf_grow(out, (size_t)size + 1))
		return CK_ENOMEM;
	if (pre_n && ZSTD_isError(ZSTD_DCtx_refPrefix(dc, pre, pre_n)))
		return ck_error_set(CK_EIO, "stored text: a damaged zstd frame");
	size_t got = ZSTD_decompressDCtx(dc, out->ptr + out->len, (size_t)size + 1, src, n);
	if (ZSTD_isError(got) || got != size) {
		ZSTD_DCtx_reset(dc, ZSTD_reset_session_only);
		return ck_error_set(CK_EIO, "stored text: %s",
				    ZSTD_isError(got) ? ZSTD_getErrorName(got) : "size differs");
	}
	out->len += got;
	out->ptr[out->len] = 0;
	return 0;
}

/* ---- 'B': contract JSON, body first ----
 *
 * The JSON of a cable is P + B + Q, B the body string's content (between
 * its quotes, escaped as in the JSON), P ending in `,"body":"`.  Stored as
 *   'B' varint(len P) varint(size of frame 1) frame1 frame2
 * frame 1 = zstd(B), frame 2 = zstd(P + Q) with B as its prefix (the
 * paragraphs repeat the body, so they cost little).  Search reads the body
 * from frame 1 alone, half the bytes of the whole JSON. */

static size_t put_varint(unsigned char *o, size_t v)
{
	size_t k = 0;
	do {
		o[k++] = (unsigned char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	return k;
}

static int get_varint(const unsigned char **p, const unsigned char *end, size_t *v)
{
	size_t x = 0;
	for (int shift = 0; *p < end && shift < 63; shift += 7) {
		unsigned char b = *(*p)++;
		x |= (size_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			return 0;
		}
	}
	return -1;
}

/* where the body string's content is in json: [*b0, *b1) */
static int find_body(const char *json, size_t n, size_t *b0, size_t *b1)
{
	const char *k = memmem(json, n, ",\"body\":\"", 9);
	if (!k)
		return -1;
	size_t i = (size_t)(k - json) + 9;
	*b0 = i;
	for (;;) { /* the closing quote: the first one not escaped */
		const char *q = memchr(json + i, '"', n - i);
		if (!q)
			return -1;
		size_t j = (size_t)(q - json), bs = 0;
		while (j - bs > *b0 && json[j - bs - 1] == '\\')
			bs++;
		i = j;
		if (bs % 2 == 0)
			break;
		i++;
	}
	if (i >= n)
		return -1;
	*b1 = i;
	return 0;
}

int ck_blob_pack_json(ck_buf *out, const char *json, size_t n)
{
	size_t b0, b1;
	ZSTD_CCtx *cc = thread_cctx();
	if (!cc || find_body(json, n, &b0, &b1) || b1 - b0 < 256)
		return ck_blob_pack(out, json, n);
	size_t start = out->len, nb = b1 - b0, nrest = n - nb;
	size_t cap1 = ZSTD_compressBound(nb), cap2 = ZSTD_compressBound(nrest);
	char *rest = malloc(nrest);
	if (!rest || ck_buf_grow(out, 1 + 20 + cap1 + cap2 + 1)) {
		free(rest);
		return CK_ENOMEM;
	}
	memcpy(rest, json, b0);
	memcpy(rest + b0, json + b1, n - b1);
	unsigned char *o = (unsigned char *)out->ptr + start;
	/* frame 1 goes after the header, whose length is known once it is
	 * compressed: compress into place past the largest header */
	char *f1 = out->ptr + start + 21;
	size_t n1 = ZSTD_compressCCtx(cc, f1, cap1, json + b0, nb, 1);
	size_t n2 = 0;
	int ok = !ZSTD_isError(n1);
	if (ok) {
		ZSTD_CCtx_reset(cc, ZSTD_reset_session_and_parameters);
		ok = !ZSTD_isError(ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, 1)) &&
		     !ZSTD_isError(ZSTD_CCtx_refPrefix(cc, json + b0, nb));
		if (ok)
			n2 = ZSTD_compress2(cc, f1 + n1, cap2, rest, nrest);
		ok = ok && !ZSTD_isError(n2);
		ZSTD_CCtx_reset(cc, ZSTD_reset_session_and_parameters);
	}
	free(rest);
	if (!ok)
		return ck_blob_pack(out, json, n);
	unsigned char hdr[21];
	size_t h = 0;
	hdr[h++] = 'B';
	h += put_varint(hdr + h, b0);
	h += put_varint(hdr + h, n1);
	memmove(o + h, f1, n1 + n2);
	memcpy(o, hdr, h);
	out->len = start + h + n1 + n2;
	out->ptr[out->len] = 0;
	return 0;
}

/* the parts of a 'B' blob */
static int b_parts(const char *s, size_t n, size_t *split, const char **f1, size_t *n1,
		   const char **f2, size_t *n2)
{
	const unsigned char *p = (const unsigned char *)s + 1, *end = (const unsigned char *)s + n;
	if (get_varint(&p, end, split) || get_varint(&p, end, n1) || *n1 > (size_t)(end - p))
		return ck_error_set(CK_EIO, "stored text: a damaged blob");
	*f1 = (const char *)p;
	*f2 = *f1 + *n1;
	*n2 = (size_t)(end - p) - *n1;
	return 0;
}

static int unpack_b(ck_buf *out, const char *s, size_t n)
{
	size_t split, n1, n2;
	const char *f1, *f2;
	ck_buf body = CK_BUF_INIT, rest = CK_BUF_INIT;
	int rc = b_parts(s, n, &split, &f1, &n1, &f2, &n2);
	if (!rc && !(rc = zstd_frame(&body, f1, n1, NULL, 0)))
		rc = zstd_frame(&rest, f2, n2, body.ptr ? body.ptr : "", body.len);
	if (!rc && split > rest.len)
		rc = ck_error_set(CK_EIO, "stored text: a damaged blob");
	if (!rc && (ck_buf_put(out, rest.ptr, split) || ck_buf_put(out, body.ptr, body.len) ||
		    ck_buf_put(out, rest.ptr + split, rest.len - split)))
		rc = CK_ENOMEM;
	ck_buf_free(&body);
	ck_buf_free(&rest);
	return rc;
}

/* ---- 'R': telegram text against the body ----
 *
 * The telegram text holds the body nearly line for line, so it is packed
 * as one zstd frame with the body (as the JSON's 'B' blob holds it, then
 * unescaped) for its prefix: a tenth of the size, and faster to write.
 * Reading it needs the version's JSON blob (ck_blob_unpack_raw); the
 * frame carries a checksum, so a wrong prefix is an error, not garbage. */

/* the body of a 'B' JSON blob, unescaped */
static int body_text(ck_buf *out, const void *json, size_t jn)
{
	ck_buf esc = CK_BUF_INIT;
	int rc = ck_blob_json_body(&esc, json, jn);
	if (!rc && (ck_buf_putc(&esc, '"') || ck_json_unescape(out, esc.ptr, esc.ptr + esc.len)))
		rc = ck_error_set(CK_EIO, "stored text: a damaged body");
	ck_buf_free(&esc);
	return rc;
}

int ck_blob_pack_raw(ck_buf *out, const char *raw, size_t n, const char *json, size_t jn,
		     const ck_buf *packed)
{
	/* the prefix is the body as a reader gets it back from the 'B' blob:
	 * the JSON's body string, unescaped */
	ck_buf body = CK_BUF_INIT;
	ZSTD_CCtx *cc = thread_cctx();
	size_t b0, b1;
	if (!cc || n < 64 || !packed->len || packed->ptr[0] != 'B' || find_body(json, jn, &b0, &b1) ||
	    ck_json_unescape(&body, json + b0, json + b1 + 1) || body.len < 256) {
		ck_buf_free(&body);
		return ck_blob_pack(out, raw, n);
	}
	size_t start = out->len, cap = ZSTD_compressBound(n), used = 0;
	int ok = ck_buf_grow(out, cap + 2) == 0;
	if (ok) {
		ZSTD_CCtx_reset(cc, ZSTD_reset_session_and_parameters);
		ok = !ZSTD_isError(ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, 1)) &&
		     !ZSTD_isError(ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1)) &&
		     !ZSTD_isError(ZSTD_CCtx_refPrefix(cc, body.ptr, body.len));
		if (ok)
			used = ZSTD_compress2(cc, out->ptr + start + 1, cap, raw, n);
		ok = ok && !ZSTD_isError(used) && used + 1 < n;
		ZSTD_CCtx_reset(cc, ZSTD_reset_session_and_parameters);
	}
	ck_buf_free(&body);
	if (!ok)
		return ck_blob_pack(out, raw, n);
	out->ptr[start] = 'R';
	out->len = start + 1 + used;
	out->ptr[out->len] = 0;
	return 0;
}

int ck_blob_unpack_raw(ck_buf *out, const void *p, size_t n, const void *json, size_t jn)
{
	const char *s = p;
	if (!n || s[0] != 'R')
		return ck_blob_unpack(out, p, n);
	ck_buf body = CK_BUF_INIT;
	int rc = json && jn ? body_text(&body, json, jn)
			    : ck_error_set(CK_EIO, "stored text: the telegram text needs its JSON");
	if (!rc)
		rc = zstd_frame(out, s + 1, n - 1, body.ptr ? body.ptr : "", body.len);
	ck_buf_free(&body);
	return rc;
}

int ck_blob_json_body(ck_buf *out, const void *p, size_t n)
{
	const char *s = p;
	if (n == 0 || s[0] != 'B')
		return CK_ENOTFOUND;
	size_t split, n1, n2;
	const char *f1, *f2;
	int rc = b_parts(s, n, &split, &f1, &n1, &f2, &n2);
	return rc ? rc : zstd_frame(out, f1, n1, NULL, 0);
}

int ck_blob_unpack(ck_buf *out, const void *p, size_t n)
{
	const char *s = p;
	if (n == 0)
		return 0;
	if (s[0] == 'P')
		return ck_buf_put(out, s + 1, n - 1) ? CK_ENOMEM : 0;
	if (s[0] == 'S')
		return zstd_frame(out, s + 1, n - 1, NULL, 0);
	if (s[0] == 'B')
		return unpack_b(out, s, n);
	if (s[0] == 'R')
		return ck_error_set(CK_EIO, "stored text: the telegram text needs its JSON");
	if (s[0] != 'Z')
		return ck_error_set(CK_EIO, "stored text: unknown packing '%c'", s[0]);
	if (!ck_libarchive())
		return CK_EIO; /* the message says what is missing */
	struct archive *r = archive_read_new();
	struct archive_entry *e;
	int rc = 0;
	if (!r)
		return CK_ENOMEM;
	archive_read_support_filter_gzip(r);
	archive_read_support_format_raw(r);
	if (archive_read_open_memory(r, s + 1, n - 1) != ARCHIVE_OK ||
	    archive_read_next_header(r, &e) != ARCHIVE_OK ||
	    archive_filter_code(r, 0) != ARCHIVE_FILTER_GZIP) {
		rc = ck_error_set(CK_EIO, "stored text: %s", archive_error_string(r));
		goto cleanup;
	}
	for (;;) {
		if (ck_buf_grow(out, 65536)) {
			rc = CK_ENOMEM;
			goto cleanup;
		}
		la_ssize_t got = archive_read_data(r, out->ptr + out->len, out->cap - out->len - 1);
		if (got < 0) {
			rc = ck_error_set(CK_EIO, "stored text: %s", archive_error_string(r));
			goto cleanup;
		}
		if (got == 0)
			break;
		out->len += (size_t)got;
		out->ptr[out->len] = 0;
	}
cleanup:
	archive_read_free(r);
	return rc;
}

/* ---- SHA-1 ----
 *
 * Every ingested cable is hashed.  nettle's SHA-1 picks its block function
 * at load time (its "fat" build uses the x86-64 SHA extensions where the CPU
 * has them), so there is no CPU-feature check of our own to get wrong. */

static void sha1_hex(struct sha1_ctx *s, char out[41])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t d[SHA1_DIGEST_SIZE];
	sha1_digest(s, sizeof d, d);
	for (int i = 0; i < SHA1_DIGEST_SIZE; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[40] = 0;
}

void ck_sha1_hex(const void *p, size_t n, char out[41])
{
	struct sha1_ctx s;
	sha1_init(&s);
	sha1_update(&s, n, p);
	sha1_hex(&s, out);
}

void ck_text_hash(const char *p, size_t n, char out[41])
{
	/* blanks (space, tab, CR, LF, FF, VT; NBSP bytes are left as is)
	 * collapse to one space; leading and trailing blanks are ignored */
	static const unsigned char blank[256] = {[' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1, ['\f'] = 1, ['\v'] = 1};
	const unsigned char *u = (const unsigned char *)p, *end = u + n;
	struct sha1_ctx s;
	char tmp[4096];
	size_t k = 0;
	sha1_init(&s);
	while (u < end && blank[*u])
		u++;
	while (u < end) {
		const unsigned char *w = u;
		while (w < end && !blank[*w])
			w++;
		/* the word u..w, then one space if more words follow */
		size_t len = (size_t)(w - u);
		if (k + len + 1 > sizeof tmp) {
			sha1_update(&s, k, (const uint8_t *)tmp);
			k = 0;
		}
		if (len + 1 > sizeof tmp) {
			sha1_update(&s, len, u);
		} else {
			memcpy(tmp + k, u, len);
			k += len;
		}
		while (w < end && blank[*w])
			w++;
		if (w < end)
			tmp[k++] = ' ';
		u = w;
	}
	sha1_update(&s, k, (const uint8_t *)tmp);
	sha1_hex(&s, out);
}
