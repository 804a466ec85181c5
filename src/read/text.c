/*
 * text.c - split a plain text file that holds several telegrams one after
 * another.  ACP 127 marks the start of a transmission with "VZCZC" and its
 * end with "NNNN" (FORMAT.md section 1): a second VZCZC line starts a new
 * telegram, and so does the first non-blank line after an NNNN line.  A
 * text with a single telegram (the usual case) is one part, unchanged.
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

int ck_read_text_split(const char *s, size_t n, ck_text_part_fn fn, void *ctx)
{
	size_t start = 0;      /* start of the current part */
	int start_line = 1, line = 1, parts = 0, seen_vz = 0;
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - s) : n, next = nl ? e + 1 : n;
		if (line_is(s, i, e, "VZCZC", 0)) {
			if (seen_vz && !blank_range(s, start, i)) {
				parts++;
				if (fn(s + start, i - start, start, start_line, ctx))
					return -1;
				start = i;
				start_line = line;
			}
			seen_vz = 1;
		} else if (line_is(s, i, e, "NNNN", 1)) {
			if (!blank_range(s, start, i)) {
				parts++;
				if (fn(s + start, next - start, start, start_line, ctx))
					return -1;
			}
			start = next;
			start_line = line + 1;
			seen_vz = 0;
		}
		i = next;
		line++;
	}
	if (!blank_range(s, start, n) || parts == 0) {
		parts++;
		if (fn(s + start, n - start, start, start_line, ctx))
			return -1;
	}
	return parts;
}
