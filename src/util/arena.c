/*
 * arena.c - one bump allocator per parsed cable (or per HTTP request).
 *
 * Memory comes in chunks that grow geometrically; ck_arena_free() releases
 * them all.  For sanitizer runs, CK_ARENA_MALLOC=1 in the environment (or
 * -DCK_ARENA_MALLOC) turns every allocation into its own malloc, kept on a
 * list, so ASan sees overruns of single objects.
 */
#include "cablekit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct chunk {
	struct chunk *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

struct ck_arena {
	struct chunk *head;
	int plain;      /* one malloc per allocation */
	size_t next_sz; /* size of the next chunk */
	int failed;     /* an allocation failed (sticky: see ck_arena_failed) */
};

static int arena_plain_default(void)
{
#ifdef CK_ARENA_MALLOC
	return 1;
#else
	static int v = -1;
	if (v < 0) {
		const char *e = getenv("CK_ARENA_MALLOC");
		v = e && *e && *e != '0';
	}
	return v;
#endif
}

ck_arena *ck_arena_new(void)
{
	ck_arena *a = calloc(1, sizeof *a);
	if (!a)
		return NULL;
	a->plain = arena_plain_default();
	a->next_sz = 16384;
	return a;
}

void ck_arena_free(ck_arena *a)
{
	if (!a)
		return;
	struct chunk *c = a->head;
	while (c) {
		struct chunk *n = c->next;
		free(c);
		c = n;
	}
	free(a);
}

/* Allocate n bytes (rounded up to 16), zeroed when zero is set. */
static void *arena_take(ck_arena *a, size_t n, int zero)
{
	n = (n + 15) & ~(size_t)15;
	if (n == 0)
		n = 16;
	if (a->plain) {
		struct chunk *c = calloc(1, sizeof *c + n);
		if (!c) {
			a->failed = 1;
			return NULL;
		}
		c->size = c->used = n;
		c->next = a->head;
		a->head = c;
		return c->data;
	}
	struct chunk *h = a->head;
	if (!h || h->size - h->used < n) {
		size_t sz = a->next_sz;
		if (sz < n)
			sz = n;
		if (a->next_sz < (1u << 22))
			a->next_sz *= 2;
		struct chunk *c = malloc(sizeof *c + sz);
		if (!c) {
			a->failed = 1;
			return NULL;
		}
		c->size = sz;
		c->used = 0;
		/* keep a partly used head in front when the new chunk is a one-off */
		if (h && sz == n && h->size - h->used > 256) {
			c->next = h->next;
			h->next = c;
			c->used = n;
			if (zero)
				memset(c->data, 0, n);
			return c->data;
		}
		c->next = h;
		a->head = h = c;
	}
	void *p = h->data + h->used;
	h->used += n;
	if (zero)
		memset(p, 0, n);
	return p;
}

void *ck_arena_alloc(ck_arena *a, size_t n)
{
	return arena_take(a, n, 1);
}

void *ck_arena_alloc_raw(ck_arena *a, size_t n);

int ck_arena_failed(const ck_arena *a)
{
	return a->failed;
}

/* ck_arena_alloc without zeroing, for buffers about to be filled. */
void *ck_arena_alloc_raw(ck_arena *a, size_t n)
{
	return arena_take(a, n, 0);
}

char *ck_arena_strndup(ck_arena *a, const char *s, size_t n)
{
	char *p = ck_arena_alloc_raw(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *ck_arena_strdup(ck_arena *a, const char *s)
{
	return s ? ck_arena_strndup(a, s, strlen(s)) : NULL;
}

char *ck_arena_printf(ck_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = ck_arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
