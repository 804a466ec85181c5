/*
 * scan.c - pure predicates and readers on a span of text: page headers
 * ("ROME 00001497 002.2 OF 003", "PAGE 02 HARARE 06677 01 OF 03 291400Z")
 * and PlusD links.  Nothing here reads or changes the parser's state.
 */
#include "parse/parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- page headers ----------------------------------------------------- */

/* "ROME 00001497 002.2 OF 003" (optionally followed by text), or
 * "PAGE 02 HARARE 06677 01 OF 03 291400Z" (optionally followed by text).
 * Returns the length of the page header prefix, or 0. */
int ck_page_header_len_(const char *s, int n)
{
	int i = 0;
	if (starts(s, n, "PAGE ") && n > 8) {
		i = 5;
		skip_sp(s, n, &i);
		long page;
		if (!read_int(s, n, &i, &page) || page > 999)
			return 0;
		skip_sp(s, n, &i);
		/* post: letters and spaces, cut to 6-8 letters, then the serial */
		int ps = i;
		while (i < n && (ck_isupper_((unsigned char)s[i]) || s[i] == ' '))
			i++;
		if (i == ps)
			return 0;
		long serial;
		if (!read_int(s, n, &i, &serial))
			return 0;
		int save = i;
		skip_sp(s, n, &i);
		long a, b;
		int k = i;
		if (read_int(s, n, &k, &a)) {
			skip_sp(s, n, &k);
			if (starts(s + k, n - k, "OF ")) {
				k += 3;
				skip_sp(s, n, &k);
				if (read_int(s, n, &k, &b))
					i = k;
			}
		}
		skip_sp(s, n, &i);
		/* DDHHMMZ */
		int d = 0;
		while (i + d < n && ck_isdigit_((unsigned char)s[i + d]))
			d++;
		if (d == 6 && i + 6 < n + 1 && (i + 6 == n || s[i + 6] == 'Z')) {
			i += 6;
			if (i < n && s[i] == 'Z')
				i++;
		} else if (i < n) {
			/* no DTG: only accept when nothing follows */
			if (save != n)
				return i == n ? n : (d ? 0 : 0);
		}
		skip_sp(s, n, &i);
		return i;
	}
	/* modern: POST 0*SERIAL(8 digits) PPP.N OF TTT */
	int ps = 0;
	while (i < n && (ck_isupper_((unsigned char)s[i]) || s[i] == ' ' || s[i] == '-'))
		i++;
	if (i == ps || i >= n || s[i - 1] != ' ')
		return 0;
	int ds = i;
	while (i < n && ck_isdigit_((unsigned char)s[i]))
		i++;
	if (i - ds != 8 || i >= n || s[i] != ' ')
		return 0;
	skip_sp(s, n, &i);
	int d = 0;
	while (i < n && ck_isdigit_((unsigned char)s[i]))
		i++, d++;
	if (d != 3)
		return 0;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && ck_isdigit_((unsigned char)s[i]))
			i++;
	}
	skip_sp(s, n, &i);
	if (!starts(s + i, n - i, "OF "))
		return 0;
	i += 3;
	skip_sp(s, n, &i);
	d = 0;
	while (i < n && ck_isdigit_((unsigned char)s[i]))
		i++, d++;
	if (d != 3)
		return 0;
	if (i < n && s[i] != ' ')
		return 0;
	skip_sp(s, n, &i);
	return i;
}

/* "DUSHANBE 00000575  001.2 OF 0..." : a page header the viewer cut */
int ck_truncated_page_header_(const char *t, int n)
{
	if (n < 12 || t[n - 1] != '.' || t[n - 2] != '.' || t[n - 3] != '.')
		return 0;
	int i = 0;
	while (i < n && (ck_isupper_((unsigned char)t[i]) || t[i] == ' '))
		i++;
	int d = 0;
	while (i + d < n && ck_isdigit_((unsigned char)t[i + d]))
		d++;
	if (!i || d != 8)
		return 0;
	for (int k = i + d; k < n - 3; k++)
		if (!(ck_isdigit_((unsigned char)t[k]) || t[k] == ' ' || t[k] == '.' || t[k] == 'O' || t[k] == 'F'))
			return 0;
	return 1;
}

/* text of a line with PlusD links "[PREL](#)" reduced to "PREL" */
char *ck_strip_md_links_(ck_arena *a, const char *t, int n)
{
	char *o = ck_arena_alloc(a, (size_t)n + 1);
	int k = 0;
	for (int i = 0; i < n; i++) {
		if (t[i] == '[') {
			const char *close = memchr(t + i, ']', (size_t)(n - i));
			if (close && close + 1 < t + n && close[1] == '(') {
				const char *pe = memchr(close, ')', (size_t)(t + n - close));
				if (pe) {
					int wl = (int)(close - t - i - 1);
					memcpy(o + k, t + i + 1, (size_t)wl);
					k += wl;
					i = (int)(pe - t);
					continue;
				}
			}
		}
		o[k++] = t[i];
	}
	o[k] = 0;
	return o;
}
