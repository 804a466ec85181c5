/*
 * text.c - turning input bytes into clean UTF-8 text, and the small
 * helpers (arena vectors, collapsing spaces) the parser uses everywhere.
 *
 * Cables arrive as UTF-8, as cp1252 (PDF-derived text: byte 0xB6 is the
 * pilcrow), or as a mix; each byte sequence that is not valid UTF-8 is read
 * as cp1252, so nothing is lost and the output is always valid UTF-8.
 */
#include "parse/internal.h"
#include "util/utf8.h"

#include <stdint.h>
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
	if (v->n >= CK_MAX_UNIQUE)
		return;
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->v[i], s))
			return;
	ck_strv_push_(a, v, cap, s);
}

void ck_note_full_lists_(ck_cable *c)
{
	const struct {
		const ck_strv *v;
		const char *what;
	} lists[] = {{&c->tags, "tags"}, {&c->caveats, "caveats"}, {&c->person_tags, "person tags"},
		     {&c->concepts, "concepts"}};
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
		if (lists[i].v->n >= CK_MAX_UNIQUE)
			ck_cable_problem(c, "too-many-items", 0, "more than %d distinct %s; the rest were not read",
					 CK_MAX_UNIQUE, lists[i].what);
}

int ck_word_in_list_(const char *w, size_t n, const char *const *list, size_t count)
{
	char up[48];
	if (n >= sizeof up)
		return 0;
	for (size_t i = 0; i < n; i++)
		up[i] = (char)ck_toupper_((unsigned char)w[i]);
	up[n] = 0;
	for (size_t i = 0; i < count; i++)
		if (up[0] == list[i][0] && !strcmp(up, list[i]))
			return 1;
	return 0;
}

int ck_prefix_ci_(const char *s, size_t n, const char *w)
{
	size_t i = 0;
	for (; w[i]; i++)
		if (i >= n || ck_toupper_((unsigned char)s[i]) != ck_toupper_((unsigned char)w[i]))
			return 0;
	return 1;
}

/* byte classes for ck_collapse_: 0 ordinary, 1 white space, 2 maybe the
 * first byte of U+00A0 */
static const unsigned char collapse_class[256] = {
	['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1, [0xC2] = 2,
};

size_t ck_collapse_into_(char *out, const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	char *o = out;
	/* leading white space */
	while (p < e && collapse_class[*p] == 1)
		p++;
	/* trailing white space and no-break spaces: a run at the end adds no
	 * space, so it goes first, and a space copied by the fast path below
	 * is always followed by more text */
	while (e > p && (collapse_class[e[-1]] == 1 || (e - p >= 2 && e[-2] == 0xC2 && e[-1] == 0xA0)))
		e -= collapse_class[e[-1]] == 1 ? 1 : 2;
	while (p < e) {
		/* fast path: 8 bytes at a time (little-endian words: byte 0 is
		 * the low byte) are copied as they are up to the first control
		 * byte, 0xC2, space of two in a row, or space after a space
		 * already written; single spaces are the common case and stay.
		 * The bit tricks may flag a byte above a true one, never below. */
		while (e - p >= 8) {
			uint64_t w, x, y;
			memcpy(&w, p, 8);
			x = w ^ 0x2020202020202020ull;
			y = w ^ 0xC2C2C2C2C2C2C2C2ull;
			uint64_t ctl = (w - 0x2020202020202020ull) & ~w & highs;
			uint64_t sp = (x - ones) & ~x & highs;
			uint64_t c2 = (y - ones) & ~y & highs;
			uint64_t stop = ctl | c2 | (sp & (sp >> 8));
			if ((sp & 0x80) && o > out && o[-1] == ' ')
				stop |= 0x80;
			if (stop) {
				size_t k = (size_t)__builtin_ctzll(stop) / 8;
				memcpy(o, p, k);
				o += k;
				p += k;
				break;
			}
			memcpy(o, p, 8);
			o += 8;
			p += 8;
		}
		if (p >= e)
			break;
		if (!collapse_class[*p]) {
			*o++ = (char)*p++;
			continue;
		}
		if (collapse_class[*p] == 2 && !(p + 1 < e && p[1] == 0xA0)) {
			*o++ = (char)*p++;
			continue;
		}
		/* a run of white space (and no-break spaces) becomes one space */
		while (p < e && (collapse_class[*p] == 1 || (*p == 0xC2 && p + 1 < e && p[1] == 0xA0)))
			p += *p == 0xC2 ? 2 : 1;
		if (p < e && o > out && o[-1] != ' ')
			*o++ = ' ';
	}
	return (size_t)(o - out);
}

char *ck_collapse_(ck_arena *a, const char *s, size_t n)
{
	char *out = ck_arena_alloc_raw(a, n + 1);
	if (!out)
		return NULL;
	out[ck_collapse_into_(out, s, n)] = '\0';
	return out;
}

/* cp1252 0x80-0x9F; 0 = undefined (read as U+FFFD) */
static const unsigned short cp1252_hi[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

/* No byte >= 0x80, no CR, no NUL: eight bytes at a time. */
static int is_plain_ascii(const char *in, size_t len)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	const uint64_t cr = 0x0d0d0d0d0d0d0d0dull;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, in + i, 8);
		uint64_t x = w ^ cr;
		if ((w & highs) || ((w - ones) & ~w & highs) || ((x - ones) & ~x & highs))
			return 0;
	}
	for (; i < len; i++) {
		unsigned char ch = (unsigned char)in[i];
		if (ch >= 0x80 || ch == '\r' || ch == 0)
			return 0;
	}
	return 1;
}

char *ck_text_normalize_(ck_arena *a, const char *in, size_t len, size_t *outlen,
			 size_t *ncp1252, size_t *nnul)
{
	/* worst case: every byte becomes a 3-byte sequence; plain ASCII
	 * without CR or NUL stays as it is */
	int plain = is_plain_ascii(in, len);
	char *out = ck_arena_alloc_raw(a, plain ? len + 1 : len * 3 + 1);
	if (!out)
		return NULL;
	*ncp1252 = *nnul = 0;
	if (plain) {
		memcpy(out, in, len);
		out[len] = '\0';
		*outlen = len;
		return out;
	}
	const unsigned char *p = (const unsigned char *)in, *end = p + len;
	size_t o = 0;
	*ncp1252 = *nnul = 0;
	/* skip a UTF-8 byte order mark */
	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		p += 3;
	while (p < end) {
		/* fast path: a run of ASCII without CR or NUL, 8 bytes at a time */
		const unsigned char *r = p;
		while (end - r >= 8) {
			uint64_t w, x;
			memcpy(&w, r, 8);
			x = w ^ 0x0d0d0d0d0d0d0d0dull;
			if ((w & 0x8080808080808080ull) ||
			    ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull) ||
			    ((x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull))
				break;
			r += 8;
		}
		while (r < end && *r < 0x80 && *r != '\r' && *r != 0)
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
		size_t k = ck_utf8_valid(p, (size_t)(end - p));
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
		o += ck_utf8_put(out + o, cp ? cp : 0xFFFD);
		p++;
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}
