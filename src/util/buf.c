/*
 * buf.c - a growable, always NUL-terminated byte buffer (cmark's buffer.h
 * idea): writers append to it, callers detach or free it.
 */
#include "cablekit.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Memory failure policy (libgit2's git_str): a failed allocation leaves the
 * buffer as it was and marks it failed; every later append is a no-op that
 * returns CK_ENOMEM, so a writer may ignore the result of each append and
 * check once, at the end, with ck_buf_failed() (ck_buf_detach returns NULL). */
int ck_buf_grow(ck_buf *b, size_t extra)
{
	if (b->failed)
		return CK_ENOMEM;
	size_t need = b->len + extra + 1;
	if (need < extra) { /* overflow */
		b->failed = 1;
		return ck_error_set(CK_ENOMEM, "out of memory");
	}
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap += cap / 2 + 64;
	char *p = realloc(b->ptr, cap);
	if (!p) {
		b->failed = 1;
		return ck_error_set(CK_ENOMEM, "out of memory");
	}
	b->ptr = p;
	b->cap = cap;
	return 0;
}

int ck_buf_put(ck_buf *b, const void *data, size_t n)
{
	if (ck_buf_grow(b, n))
		return CK_ENOMEM;
	if (n)
		memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return 0;
}

int ck_buf_puts(ck_buf *b, const char *s)
{
	return ck_buf_put(b, s, strlen(s));
}

int ck_buf_putc(ck_buf *b, int c)
{
	if ((b->len + 1 >= b->cap || b->failed) && ck_buf_grow(b, 1))
		return CK_ENOMEM;
	b->ptr[b->len++] = (char)c;
	b->ptr[b->len] = '\0';
	return 0;
}

int ck_buf_printf(ck_buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return CK_ERROR;
	if ((size_t)n < sizeof small)
		return ck_buf_put(b, small, (size_t)n);
	if (ck_buf_grow(b, (size_t)n))
		return CK_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void ck_buf_clear(ck_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

void ck_buf_free(ck_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

char *ck_buf_detach(ck_buf *b)
{
	if (b->failed) {
		ck_buf_free(b);
		ck_error_set(CK_ENOMEM, "out of memory");
		return NULL;
	}
	char *p = b->ptr;
	if (!p)
		p = calloc(1, 1);
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}
