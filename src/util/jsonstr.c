/*
 * jsonstr.c - decoding a JSON string literal, for every reader of JSON in
 * the library: the contract-JSON reader (write/json_read.c, strings into
 * a cable's arena), the archive's 'B' and 'R' blobs (a body string such as
 * "1. (C) SUMMARY: ...\nEND SUMMARY.") and the source file of a stored
 * version (archive/versions.c).  One decoder, so that what one accepts the
 * other does too: escapes are RFC 8259's, a \uD83D must be followed by its
 * low half (\uDE00), and \u0000 is refused (the strings are C strings).
 *
 * The runs between escapes are found with memchr and copied whole: a body
 * of 10 KB has a few hundred "\n" and nothing else to decode.
 */
#include "util/jsonstr.h"
#include "util/utf8.h"

#include <assert.h>
#include <string.h>

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* four hex digits at p (the caller checked they are before the end) */
static long hex4(const char *p)
{
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int h = hexval((unsigned char)p[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* The code point of a \u escape whose hex digits start at *pp (advanced
 * past it, and past the low half of a pair); -1 with *err when bad. */
static long u_escape(const char **pp, const char *end, const char **err)
{
	const char *p = *pp;
	long cp = end - p >= 4 ? hex4(p) : -1;
	if (cp < 0) {
		*err = "bad \\u escape";
		return -1;
	}
	p += 4;
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		long lo = end - p >= 6 && p[0] == '\\' && p[1] == 'u' ? hex4(p + 2) : -1;
		if (lo < 0xDC00 || lo > 0xDFFF) {
			*err = "unpaired surrogate in \\u escape";
			return -1;
		}
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		p += 6;
	} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
		*err = "unpaired surrogate in \\u escape";
		return -1;
	}
	if (cp == 0) {
		*err = "\\u0000 in a string";
		return -1;
	}
	*pp = p;
	return cp;
}

long ck_json_str_decode(char *out, const char *p, const char *end, const char **close,
			const char **err)
{
	char *o = out;
	const char *start = p;
	/* the first quote not yet known to be escaped */
	const char *q = memchr(p, '"', (size_t)(end - p));
	for (;;) {
		if (!q) {
			*err = "unterminated string";
			return -1;
		}
		const char *b = memchr(p, '\\', (size_t)(q - p));
		size_t k = (size_t)((b ? b : q) - p);
		memcpy(o, p, k);
		o += k;
		if (!b) {
			*close = q;
			return (long)(o - out);
		}
		p = b + 1; /* the escape's letter: b < q, so p < end */
		switch (*p++) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			long cp = u_escape(&p, end, err);
			if (cp < 0)
				return -1;
			/* every UTF-8 form is no longer than its escape: out has room */
			o += ck_utf8_put(o, (unsigned long)cp);
			assert(o - out <= p - start);
			break;
		}
		default:
			*err = "bad escape in a string";
			return -1;
		}
		if (q < p)
			q = memchr(p, '"', (size_t)(end - p));
	}
}

int ck_json_unescape(ck_buf *out, const char *p, const char *end)
{
	const char *close, *err;
	if (ck_buf_grow(out, (size_t)(end - p)))
		return CK_ENOMEM;
	long n = ck_json_str_decode(out->ptr + out->len, p, end, &close, &err);
	if (n < 0) {
		out->ptr[out->len] = 0;
		return -1;
	}
	out->len += (size_t)n;
	out->ptr[out->len] = 0;
	return 0;
}
