/*
 * text.c - turning input bytes into clean UTF-8 text, and the small
 * helpers (arena vectors, collapsing spaces) the parser uses everywhere.
 *
 * Cables arrive as UTF-8, as cp1252 (PDF-derived text: byte 0xB6 is the
 * pilcrow), or as a mix; each byte sequence that is not valid UTF-8 is read
 * as cp1252, so nothing is lost and the output is always valid UTF-8.
 */
#include "parse/internal.h"

#include <string.h>

void *ck_vec_push_(ck_arena *a, struct vec *x)
{
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 8;
		void *nv = ck_arena_alloc(a, cap * x->size);
		if (!nv)
			return NULL;
		if (x->n)
			memcpy(nv, x->v, x->n * x->size);
		x->v = nv;
		x->cap = cap;
	}
	return (char *)x->v + x->size * x->n++;
}

void ck_strv_push_(ck_arena *a, ck_strv *v, size_t *cap, const char *s)
{
	if (v->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 4;
		const char **nv = ck_arena_alloc(a, nc * sizeof *nv);
		if (!nv)
			return;
		if (v->n)
			memcpy(nv, v->v, v->n * sizeof *nv);
		v->v = nv;
		*cap = nc;
	}
	v->v[v->n++] = s;
}

void ck_strv_add_unique_(ck_arena *a, ck_strv *v, size_t *cap, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->v[i], s))
			return;
	ck_strv_push_(a, v, cap, s);
}

int ck_prefix_ci_(const char *s, size_t n, const char *w)
{
	size_t i = 0;
	for (; w[i]; i++)
		if (i >= n || ck_toupper_((unsigned char)s[i]) != ck_toupper_((unsigned char)w[i]))
			return 0;
	return 1;
}

char *ck_collapse_(ck_arena *a, const char *s, size_t n)
{
	char *out = ck_arena_alloc(a, n + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	int sp = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (ck_isspace_(c) || c == '\n' || c == '\r') {
			sp = 1;
			continue;
		}
		/* U+00A0 no-break space counts as space */
		if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
			i++;
			sp = 1;
			continue;
		}
		if (sp && o)
			out[o++] = ' ';
		sp = 0;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return out;
}

/* cp1252 0x80-0x9F; 0 = undefined (read as U+FFFD) */
static const unsigned short cp1252_hi[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	o[0] = (char)(0xE0 | (cp >> 12));
	o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[2] = (char)(0x80 | (cp & 0x3F));
	return 3;
}

/* Length of a valid UTF-8 sequence at p (n bytes left), or 0. */
static size_t utf8_valid(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	if (c < 0xC2)
		return 0;
	if (c < 0xE0)
		return n >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c < 0xF0) {
		if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && p[1] < 0xA0)
			return 0; /* overlong */
		if (c == 0xED && p[1] >= 0xA0)
			return 0; /* surrogate */
		return 3;
	}
	if (c < 0xF5) {
		if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
		    (p[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && p[1] < 0x90)
			return 0;
		if (c == 0xF4 && p[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

char *ck_text_normalize_(ck_arena *a, const char *in, size_t len, size_t *outlen,
			 size_t *ncp1252, size_t *nnul)
{
	/* worst case: every byte becomes a 3-byte sequence */
	char *out = ck_arena_alloc(a, len * 3 + 1);
	if (!out)
		return NULL;
	const unsigned char *p = (const unsigned char *)in, *end = p + len;
	size_t o = 0;
	*ncp1252 = *nnul = 0;
	/* skip a UTF-8 byte order mark */
	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		p += 3;
	while (p < end) {
		/* fast path: a run of plain ASCII */
		const unsigned char *r = p;
		while (r < end && *r >= 0x20 && *r < 0x80)
			r++;
		if (r > p) {
			memcpy(out + o, p, (size_t)(r - p));
			o += (size_t)(r - p);
			p = r;
			if (p >= end)
				break;
		}
		unsigned char c = *p;
		if (c < 0x80) {
			if (c == '\r') {
				out[o++] = '\n';
				p += (p + 1 < end && p[1] == '\n') ? 2 : 1;
			} else if (c == 0) {
				(*nnul)++;
				p++;
			} else {
				out[o++] = (char)c;
				p++;
			}
			continue;
		}
		size_t k = utf8_valid(p, (size_t)(end - p));
		if (k) {
			if (k == 3 && c == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
				out[o++] = '\n';
			} else {
				memcpy(out + o, p, k);
				o += k;
			}
			p += k;
			continue;
		}
		(*ncp1252)++;
		unsigned cp = c >= 0xA0 ? c : cp1252_hi[c - 0x80];
		o += put_utf8(out + o, cp ? cp : 0xFFFD);
		p++;
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}
