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
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
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

/* Decode the JSON string literal starting after its opening quote at p
 * into out; returns 0, or -1 on a malformed literal. */
int ck_json_unescape(ck_buf *out, const char *p)
{
	for (;;) {
		const char *q = p + strcspn(p, "\"\\"); /* vectorised in libc */
		ck_buf_put(out, p, (size_t)(q - p));
		if (*q == '"')
			return 0;
		if (!*q || !q[1])
			return -1;
		p = q + 2;
		switch (q[1]) {
		case 'n': ck_buf_putc(out, '\n'); break;
		case 't': ck_buf_putc(out, '\t'); break;
		case 'r': ck_buf_putc(out, '\r'); break;
		case 'b': ck_buf_putc(out, '\b'); break;
		case 'f': ck_buf_putc(out, '\f'); break;
		case 'u': {
			unsigned long cp = 0;
			for (int i = 0; i < 4; i++) {
				char h = p[i];
				if (!isxdigit((unsigned char)h))
					return -1;
				cp = cp * 16 + (unsigned long)(isdigit((unsigned char)h) ? h - '0' : (tolower((unsigned char)h) - 'a' + 10));
			}
			p += 4;
			if (cp >= 0xD800 && cp < 0xDC00 && p[0] == '\\' && p[1] == 'u') {
				unsigned long lo = strtoul((char[5]){p[2], p[3], p[4], p[5], 0}, NULL, 16);
				if (lo >= 0xDC00 && lo < 0xE000) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					p += 6;
				}
			}
			if (cp < 0x80) {
				ck_buf_putc(out, (int)cp);
			} else if (cp < 0x800) {
				ck_buf_putc(out, (int)(0xC0 | (cp >> 6)));
				ck_buf_putc(out, (int)(0x80 | (cp & 0x3F)));
			} else if (cp < 0x10000) {
				ck_buf_putc(out, (int)(0xE0 | (cp >> 12)));
				ck_buf_putc(out, (int)(0x80 | ((cp >> 6) & 0x3F)));
				ck_buf_putc(out, (int)(0x80 | (cp & 0x3F)));
			} else {
				ck_buf_putc(out, (int)(0xF0 | (cp >> 18)));
				ck_buf_putc(out, (int)(0x80 | ((cp >> 12) & 0x3F)));
				ck_buf_putc(out, (int)(0x80 | ((cp >> 6) & 0x3F)));
				ck_buf_putc(out, (int)(0x80 | (cp & 0x3F)));
			}
			break;
		}
		default: ck_buf_putc(out, q[1]); break; /* \" \\ \/ */
		}
	}
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
	if (!rc && (ck_buf_putc(&esc, '"') || ck_json_unescape(out, esc.ptr)))
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
	    ck_json_unescape(&body, json + b0) || body.len < 256) {
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

/* ---- SHA-1 (FIPS 180-4), self-contained ----
 *
 * Every ingested cable is hashed, so the block function matters: on x86-64
 * CPUs with the SHA extensions (checked once at run time) blocks go through
 * the sha1rnds4/sha1msg instructions, about ten times the portable code. */

struct sha1 {
	uint32_t h[5];
	uint64_t len;
	unsigned char buf[64];
	size_t nbuf;
};

#define ROL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))

static void sha1_blocks_c(uint32_t h[5], const unsigned char *p, size_t nblocks)
{
	for (; nblocks--; p += 64) {
		uint32_t w[80], a, b, c, d, e, t;
		for (int i = 0; i < 16; i++)
			w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
			       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
		for (int i = 16; i < 80; i++)
			w[i] = ROL(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
		a = h[0]; b = h[1]; c = h[2]; d = h[3]; e = h[4];
#define STEP(f, k, i) do { t = ROL(a, 5) + (f) + e + (k) + w[i]; e = d; d = c; c = ROL(b, 30); b = a; a = t; } while (0)
		for (int i = 0; i < 20; i++)
			STEP((b & c) | (~b & d), 0x5A827999, i);
		for (int i = 20; i < 40; i++)
			STEP(b ^ c ^ d, 0x6ED9EBA1, i);
		for (int i = 40; i < 60; i++)
			STEP((b & c) | (b & d) | (c & d), 0x8F1BBCDC, i);
		for (int i = 60; i < 80; i++)
			STEP(b ^ c ^ d, 0xCA62C1D6, i);
#undef STEP
		h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
	}
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define CK_HAVE_SHA_NI 1
/* Four rounds per instruction; w[g] holds message words 4g..4g+3 (the
 * first in the high lane), abcd holds a..d (a in the high lane), and e
 * rides in the high lane of the value added to each group of rounds. */
__attribute__((target("sha,ssse3,sse4.1")))
static void sha1_blocks_ni(uint32_t h[5], const unsigned char *p, size_t nblocks)
{
	const __m128i bswap = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
	__m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)h), 0x1B);
	__m128i e0 = _mm_set_epi32((int)h[4], 0, 0, 0);
	for (; nblocks--; p += 64) {
		__m128i w[20], e, prev, abcd_save = abcd, e_save = e0;
		for (int g = 0; g < 4; g++)
			w[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * g)), bswap);
		for (int g = 4; g < 20; g++)
			w[g] = _mm_sha1msg2_epu32(_mm_xor_si128(_mm_sha1msg1_epu32(w[g - 4], w[g - 3]), w[g - 2]),
						  w[g - 1]);
		prev = abcd;
		abcd = _mm_sha1rnds4_epu32(abcd, _mm_add_epi32(e0, w[0]), 0);
#define GROUP(g, f) do { e = _mm_sha1nexte_epu32(prev, w[g]); prev = abcd; abcd = _mm_sha1rnds4_epu32(abcd, e, f); } while (0)
		for (int g = 1; g < 5; g++)
			GROUP(g, 0);
		for (int g = 5; g < 10; g++)
			GROUP(g, 1);
		for (int g = 10; g < 15; g++)
			GROUP(g, 2);
		for (int g = 15; g < 20; g++)
			GROUP(g, 3);
#undef GROUP
		e0 = _mm_sha1nexte_epu32(prev, e_save);
		abcd = _mm_add_epi32(abcd, abcd_save);
	}
	_mm_storeu_si128((__m128i *)h, _mm_shuffle_epi32(abcd, 0x1B));
	h[4] = (uint32_t)_mm_extract_epi32(e0, 3);
}
#endif

typedef void (*sha1_blocks_fn)(uint32_t h[5], const unsigned char *p, size_t nblocks);
static sha1_blocks_fn sha1_blocks_impl;
static pthread_once_t sha1_once = PTHREAD_ONCE_INIT;

static void sha1_pick(void)
{
	sha1_blocks_impl = sha1_blocks_c;
#ifdef CK_HAVE_SHA_NI
	__builtin_cpu_init();
	if (__builtin_cpu_supports("sha") && __builtin_cpu_supports("sse4.1") && !getenv("CK_NO_SHA_NI"))
		sha1_blocks_impl = sha1_blocks_ni;
#endif
}

static void sha1_blocks(uint32_t h[5], const unsigned char *p, size_t nblocks)
{
	sha1_blocks_impl(h, p, nblocks); /* picked by sha1_init */
}

static void sha1_init(struct sha1 *s)
{
	pthread_once(&sha1_once, sha1_pick);
	static const uint32_t h0[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
	memcpy(s->h, h0, sizeof h0);
	s->len = 0;
	s->nbuf = 0;
}

static void sha1_update(struct sha1 *s, const void *data, size_t n)
{
	const unsigned char *p = data;
	s->len += n;
	if (s->nbuf) {
		size_t k = 64 - s->nbuf < n ? 64 - s->nbuf : n;
		memcpy(s->buf + s->nbuf, p, k);
		s->nbuf += k;
		p += k;
		n -= k;
		if (s->nbuf < 64)
			return;
		sha1_blocks(s->h, s->buf, 1);
		s->nbuf = 0;
	}
	if (n >= 64) { /* whole blocks straight from the input */
		sha1_blocks(s->h, p, n / 64);
		p += n / 64 * 64;
		n %= 64;
	}
	memcpy(s->buf, p, n);
	s->nbuf = n;
}

static void sha1_final(struct sha1 *s, char out[41])
{
	static const char hex[] = "0123456789abcdef";
	uint64_t bits = s->len * 8;
	unsigned char pad = 0x80, zero = 0, lenb[8];
	sha1_update(s, &pad, 1);
	while (s->nbuf != 56)
		sha1_update(s, &zero, 1);
	for (int i = 0; i < 8; i++)
		lenb[i] = (unsigned char)(bits >> (56 - 8 * i));
	sha1_update(s, lenb, 8);
	for (int i = 0; i < 20; i++) {
		unsigned char b = (unsigned char)(s->h[i / 4] >> (24 - 8 * (i % 4)));
		out[2 * i] = hex[b >> 4];
		out[2 * i + 1] = hex[b & 15];
	}
	out[40] = 0;
}

void ck_sha1_hex(const void *p, size_t n, char out[41])
{
	struct sha1 s;
	sha1_init(&s);
	sha1_update(&s, p, n);
	sha1_final(&s, out);
}

void ck_text_hash(const char *p, size_t n, char out[41])
{
	/* blanks (space, tab, CR, LF, FF, VT; NBSP bytes are left as is)
	 * collapse to one space; leading and trailing blanks are ignored */
	static const unsigned char blank[256] = {[' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1, ['\f'] = 1, ['\v'] = 1};
	const unsigned char *u = (const unsigned char *)p, *end = u + n;
	struct sha1 s;
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
			sha1_update(&s, tmp, k);
			k = 0;
		}
		if (len + 1 > sizeof tmp) {
			sha1_update(&s, u, len);
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
	sha1_update(&s, tmp, k);
	sha1_final(&s, out);
}
