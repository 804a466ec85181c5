/*
 * diff.c - line differences between two versions of a cable, printed in
 * the unified-diff style (---/+++ labels, @@ hunks with 3 lines of context).
 *
 * Common leading and trailing lines are taken off first; the middle is an
 * LCS table (a cable is a few hundred lines); when the middle is too big
 * for the table (over 16M cells) it is shown as replaced whole.
 */
#include "archive/archive.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct lines {
	const char **p;
	size_t *n;
	size_t count;
};

static int split(struct lines *l, const char *s)
{
	size_t cap = 16;
	l->count = 0;
	l->p = malloc(cap * sizeof *l->p);
	l->n = malloc(cap * sizeof *l->n);
	if (!l->p || !l->n)
		return CK_ENOMEM;
	while (*s) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (l->count == cap) {
			cap *= 2;
			const char **p = realloc(l->p, cap * sizeof *p);
			if (!p)
				return CK_ENOMEM;
			l->p = p;
			size_t *n = realloc(l->n, cap * sizeof *n);
			if (!n)
				return CK_ENOMEM;
			l->n = n;
		}
		l->p[l->count] = s;
		l->n[l->count] = len > 0 && s[len - 1] == '\r' ? len - 1 : len;
		l->count++;
		s += len + (e ? 1 : 0);
	}
	return 0;
}

static int same(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->n[i] == b->n[j] && !memcmp(a->p[i], b->p[j], a->n[i]);
}

/* ops: '=' both, '-' a only, '+' b only */
static int script(char **out, size_t *nout, const struct lines *a, const struct lines *b)
{
	size_t na = a->count, nb = b->count, pre = 0, suf = 0, k = 0;
	while (pre < na && pre < nb && same(a, pre, b, pre))
		pre++;
	while (suf < na - pre && suf < nb - pre && same(a, na - 1 - suf, b, nb - 1 - suf))
		suf++;
	size_t ma = na - pre - suf, mb = nb - pre - suf;
	char *ops = malloc(na + nb + 1);
	if (!ops)
		return CK_ENOMEM;
	for (size_t i = 0; i < pre; i++)
		ops[k++] = '=';
	if (ma && mb && (ma + 1) * (mb + 1) <= (size_t)16 << 20) {
		uint32_t *t = calloc((ma + 1) * (mb + 1), sizeof *t);
		if (!t) {
			free(ops);
			return CK_ENOMEM;
		}
#define T(i, j) t[(i) * (mb + 1) + (j)]
		for (size_t i = ma; i-- > 0;)
			for (size_t j = mb; j-- > 0;)
				T(i, j) = same(a, pre + i, b, pre + j) ? T(i + 1, j + 1) + 1
					  : T(i + 1, j) > T(i, j + 1) ? T(i + 1, j) : T(i, j + 1);
		size_t i = 0, j = 0;
		while (i < ma && j < mb) {
			if (same(a, pre + i, b, pre + j)) {
				ops[k++] = '=';
				i++;
				j++;
			} else if (T(i + 1, j) >= T(i, j + 1)) {
				ops[k++] = '-';
				i++;
			} else {
				ops[k++] = '+';
				j++;
			}
		}
		for (; i < ma; i++)
			ops[k++] = '-';
		for (; j < mb; j++)
			ops[k++] = '+';
#undef T
		free(t);
	} else {
		for (size_t i = 0; i < ma; i++)
			ops[k++] = '-';
		for (size_t j = 0; j < mb; j++)
			ops[k++] = '+';
	}
	for (size_t i = 0; i < suf; i++)
		ops[k++] = '=';
	*out = ops;
	*nout = k;
	return 0;
}

int ck_diff_lines(ck_buf *out, const char *sa, const char *sb, const char *label_a,
		  const char *label_b)
{
	struct lines a = {0}, b = {0};
	char *ops = NULL;
	size_t nops = 0;
	int rc;
	const size_t ctx = 3;
	if ((rc = split(&a, sa)) || (rc = split(&b, sb)) || (rc = script(&ops, &nops, &a, &b)))
		goto cleanup;
	int header = 0;
	size_t k = 0;
	while (k < nops) {
		/* find the next change */
		size_t c = k;
		while (c < nops && ops[c] == '=')
			c++;
		if (c == nops)
			break;
		/* the hunk: from ctx lines before c to ctx lines after the last
		 * change that is closer than 2*ctx to the previous one */
		size_t start = c > k + ctx ? c - ctx : k, end = c;
		for (;;) {
			while (end < nops && ops[end] != '=')
				end++;
			size_t eq = end;
			while (eq < nops && ops[eq] == '=')
				eq++;
			if (eq < nops && eq - end <= 2 * ctx)
				end = eq;
			else
				break;
		}
		size_t stop = end + ctx < nops ? end + ctx : nops;
		/* line numbers at start */
		size_t ia = 0, ib = 0;
		for (size_t i = 0; i < start; i++) {
			ia += ops[i] != '+';
			ib += ops[i] != '-';
		}
		size_t la = 0, lb = 0;
		for (size_t i = start; i < stop; i++) {
			la += ops[i] != '+';
			lb += ops[i] != '-';
		}
		if (!header) {
			ck_buf_printf(out, "--- %s\n+++ %s\n", label_a, label_b);
			header = 1;
		}
		ck_buf_printf(out, "@@ -%zu,%zu +%zu,%zu @@\n", la ? ia + 1 : ia, la, lb ? ib + 1 : ib, lb);
		for (size_t i = start; i < stop; i++) {
			if (ops[i] == '+') {
				ck_buf_putc(out, '+');
				ck_buf_put(out, b.p[ib], b.n[ib]);
				ib++;
			} else {
				ck_buf_putc(out, ops[i] == '-' ? '-' : ' ');
				ck_buf_put(out, a.p[ia], a.n[ia]);
				ia++;
				ib += ops[i] == '=';
			}
			ck_buf_putc(out, '\n');
		}
		k = stop;
	}
cleanup:
	free(a.p);
	free(a.n);
	free(b.p);
	free(b.n);
	free(ops);
	return rc;
}
