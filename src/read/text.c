/*
 * text.c - split a plain text file that holds several telegrams one after
 * another.  ACP 127 marks the start of a transmission with "VZCZC" and its
 * end with "NNNN" (FORMAT.md section 1): a second VZCZC line starts a new
 * telegram, and so does the first non-blank line after an NNNN line.  A
 * text with a single telegram (the usual case) is one part, unchanged.
 *
 * A part is a telegram only when it has a body (a TAGS, SUBJECT or E.O.
 * line, or a numbered paragraph): a header block alone - repeated after
 * the body, or printed before an export record and a copy of itself - and
 * trailers after NNNN ("End Cable Text", "2004VATICA03196 - Classification:
 * CONFIDENTIAL", a repeated DTG) belong to the telegram next to them.
 */
#include "read/read.h"

#include <string.h>

static int blank_range(const char *s, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n' &&
		    s[i] != '\f')
			return 0;
	return 1;
}

/* The line at s[i..e) after leading blanks starts with lit. */
static int line_is(const char *s, size_t i, size_t e, const char *lit, int whole)
{
	while (i < e && (s[i] == ' ' || s[i] == '\t'))
		i++;
	size_t m = strlen(lit);
	if (e - i < m || memcmp(s + i, lit, m))
		return 0;
	if (!whole)
		return 1;
	return blank_range(s, i + m, e);
}

/* Does the line at s[i..e) start a body field or a numbered paragraph? */
static int body_line(const char *s, size_t i, size_t e)
{
	while (i < e && (s[i] == ' ' || s[i] == '\t'))
		i++;
	static const char *const labels[] = {"SUBJECT", "SUBJ:", "SUBJ ", "Subject", "TAGS",
					     "Tags:", "E.O.", "E. O.", "EO 1", NULL};
	for (int k = 0; labels[k]; k++)
		if (line_is(s, i, e, labels[k], 0))
			return 1;
	if (e - i >= 3 && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xB6)
		i += 2; /* "¶1." */
	size_t d = i;
	while (d < e && d - i < 2 && s[d] >= '0' && s[d] <= '9')
		d++;
	return d > i && d + 1 < e && s[d] == '.' && (s[d + 1] == ' ' || s[d + 1] == '\t');
}

/* 1 when s[a..b) has a body line, 2 when it holds an export record whose
 * copy of the header starts the next part (record.c), else 0. */
static int has_body(const char *s, size_t a, size_t b)
{
	int body = 0;
	for (size_t i = a; i < b;) {
		const char *nl = memchr(s + i, '\n', b - i);
		size_t e = nl ? (size_t)(nl - s) : b;
		if (line_is(s, i, e, "id: ", 0) || line_is(s, i, e, "...id: ", 0) ||
		    line_is(s, i, e, "header:", 1))
			return 2;
		if (!body && body_line(s, i, e))
			body = 1;
		i = nl ? e + 1 : b;
	}
	return body;
}

/* Parts are gathered here and handed on once the next one shows whether
 * they are telegrams of their own (see the top of the file). */
struct acc {
	ck_text_part_fn fn;
	void *ctx;
	const char *s;
	size_t start, end; /* the part held back, [start, end) */
	int line, body, held, parts;
};

static int acc_add(struct acc *a, size_t start, size_t end, int line)
{
	int body = has_body(a->s, start, end);
	if (a->held && a->body == 1 && body) {
		a->parts++;
		if (a->fn(a->s + a->start, a->end - a->start, a->start, a->line, a->ctx))
			return -1;
		a->held = 0;
	}
	if (!a->held) {
		a->start = start;
		a->line = line;
		a->body = 0;
		a->held = 1;
	}
	a->end = end;
	a->body = a->body > body ? a->body : body;
	return 0;
}

int ck_read_text_split(const char *s, size_t n, ck_text_part_fn fn, void *ctx)
{
	struct acc a = {fn, ctx, s, 0, 0, 1, 0, 0, 0};
	size_t start = 0;      /* start of the current part */
	int start_line = 1, line = 1, seen_vz = 0;
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - s) : n, next = nl ? e + 1 : n;
		if (line_is(s, i, e, "VZCZC", 0)) {
			if (seen_vz && !blank_range(s, start, i)) {
				if (acc_add(&a, start, i, start_line))
					return -1;
				start = i;
				start_line = line;
			}
			seen_vz = 1;
		} else if (line_is(s, i, e, "NNNN", 1)) {
			if (!blank_range(s, start, i) && acc_add(&a, start, next, start_line))
				return -1;
			start = next;
			start_line = line + 1;
			seen_vz = 0;
		}
		i = next;
		line++;
	}
	if ((!blank_range(s, start, n) || (!a.held && a.parts == 0)) &&
	    acc_add(&a, start, n, start_line))
		return -1;
	if (a.held) {
		a.parts++;
		if (fn(s + a.start, a.end - a.start, a.start, a.line, ctx))
			return -1;
	}
	return a.parts;
}
