/*
 * cable.c - life cycle of a parsed cable and its problem list.
 */
#include "cablekit.h"
#include "util/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ck_cable *ck_cable_new_(void);

ck_cable *ck_cable_new_(void)
{
	ck_arena *a = ck_arena_new();
	if (!a)
		return NULL;
	ck_cable *c = ck_arena_alloc(a, sizeof *c);
	if (!c) {
		ck_arena_free(a);
		return NULL;
	}
	c->arena = a;
	c->header.ssn = -1;
	return c;
}

void ck_cable_free(ck_cable *c)
{
	if (c)
		ck_arena_free(c->arena);
}

#define CK_MAX_PROBLEMS 1000

/* Notes quote the input cut at a byte count, which may fall inside a
 * character: keep whole UTF-8 sequences only. */
static char *valid_utf8_copy(ck_arena *a, const char *s)
{
	size_t n = strlen(s), o = 0;
	char *out = ck_arena_alloc(a, n + 1);
	if (!out)
		return NULL;
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		if (p[i] < 0x80) {
			out[o++] = (char)p[i++];
			continue;
		}
		size_t k = ck_utf8_valid(p + i, n - i);
		if (!k) {
			i++;
			continue;
		}
		memcpy(out + o, p + i, k);
		o += k;
		i += k;
	}
	out[o] = '\0';
	return out;
}

void ck_cable_problem(ck_cable *c, const char *kind, int line, const char *fmt, ...)
{
	if (c->nproblems >= CK_MAX_PROBLEMS)
		return;
	char note[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(note, sizeof note, fmt, ap);
	va_end(ap);
	/* grow by doubling inside the arena */
	if ((c->nproblems & (c->nproblems - 1)) == 0) {
		size_t cap = c->nproblems ? c->nproblems * 2 : 4;
		ck_problem *p = ck_arena_alloc(c->arena, cap * sizeof *p);
		if (!p)
			return;
		if (c->nproblems)
			memcpy(p, c->problems, c->nproblems * sizeof *p);
		c->problems = p;
	}
	ck_problem *p = &c->problems[c->nproblems++];
	p->kind = ck_arena_strdup(c->arena, kind);
	p->line = line;
	p->note = valid_utf8_copy(c->arena, note);
	if (c->nproblems == CK_MAX_PROBLEMS) {
		p->kind = "too-many-problems";
		p->note = "further problems were not recorded";
	}
}
