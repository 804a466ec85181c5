/*
 * csv.c - a streaming parser for cables.csv, the 2011 dump (1.7 GB).
 *
 * No header row; 8 columns id, date, refid, origin, classification,
 * references ('|'-separated), header, content; fields in double quotes,
 * fields span lines.  The dump is MySQL's: inside quotes a backslash
 * escapes the next byte, \' \" \\ and \n \r \t \b \Z \0 (newline, CR, tab,
 * backspace, ^Z, NUL) decoded as MySQL does, and a backslash before any
 * other byte stands for that byte; a decoded NUL is dropped (and counted).
 * Bytes are fed in chunks of any size; only the current row is kept, so
 * memory is bounded by the longest row (at most CK_CSV_MAX_ROW), never by
 * the file.  A broken row (a quote followed by something else than a comma
 * or the end of the line, a wrong number of fields, a row over the limit)
 * is reported with its line, and the parser resynchronises on the next
 * line that starts like a row: "<digits>",".
 */
#include "read/read.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

enum {
	S_ROW,      /* at the start of a row */
	S_FIELD,    /* at the start of a field (after a comma) */
	S_QUOTED,   /* inside "..." */
	S_ESC,      /* after a backslash inside "..." */
	S_AFTERQ,   /* after the closing quote */
	S_BARE,     /* inside an unquoted field */
	S_RESYNC,   /* at a line start, looking for a row start */
	S_SKIPLINE, /* skipping to the end of the line, then S_RESYNC */
};

void ck_csv_init(ck_csv *p, ck_csv_row_fn on_row, ck_csv_err_fn on_error,
		 void *ctx)
{
	memset(p, 0, sizeof *p);
	p->state = S_ROW;
	p->line = p->row_line = p->ls_line = 1;
	p->max_row = CK_CSV_MAX_ROW;
	p->on_row = on_row;
	p->on_error = on_error;
	p->ctx = ctx;
}

void ck_csv_free(ck_csv *p)
{
	ck_buf_free(&p->raw);
	ck_buf_free(&p->dec);
}

static void report(ck_csv *p, int line, const char *fmt, const char *a, int b)
{
	char msg[256];
	snprintf(msg, sizeof msg, fmt, a, b);
	p->errors++;
	if (p->on_error)
		p->on_error(line, msg, p->ctx);
}

/* The byte a MySQL escape "\\c" stands for, written at o; returns the
 * next o.  \0 (a NUL byte) is dropped and counted: cable text is a C
 * string. */
static char *unescape(ck_csv *p, char *o, char c)
{
	switch (c) {
	case 'n': *o++ = '\n'; break;
	case 'r': *o++ = '\r'; break;
	case 't': *o++ = '\t'; break;
	case 'b': *o++ = '\b'; break;
	case 'Z': *o++ = '\032'; break;
	case '0': p->nuls++; break;
	default: *o++ = c; break; /* \' \" \\ and any other: the byte itself */
	}
	return o;
}

/* Decode the row raw[rs..end) into fields and hand it over. */
static int emit(ck_csv *p, size_t end)
{
	const char *s = p->raw.ptr + p->rs;
	size_t n = end - p->rs;
	ck_buf_clear(&p->dec);
	/* a decoded field is never longer than its raw bytes: room for the
	 * row and one NUL per field */
	if (ck_buf_grow(&p->dec, n + CK_CSV_FIELDS))
		return CK_ENOMEM;
	char *o = p->dec.ptr;
	p->nuls = 0;
	size_t start[CK_CSV_FIELDS] = {0}, len[CK_CSV_FIELDS] = {0};
	int f = 0;
	size_t i = 0;
	while (f < CK_CSV_FIELDS) {
		start[f] = (size_t)(o - p->dec.ptr);
		if (i < n && s[i] == '"') {
			i++;
			for (;;) {
				/* copy the run up to the next quote or backslash */
				const char *q = memchr(s + i, '"', n - i);
				size_t e = q ? (size_t)(q - s) : n;
				const char *bs = memchr(s + i, '\\', e - i);
				size_t k = bs ? (size_t)(bs - s) : e;
				memcpy(o, s + i, k - i);
				o += k - i;
				i = k;
				if (!bs)
					break;
				if (i + 1 >= n) /* not left by the scanner; be safe */
					break;
				o = unescape(p, o, s[i + 1]);
				i += 2;
			}
			i++; /* the closing quote */
			while (i < n && s[i] != ',' && s[i] != '\n')
				i++; /* '\r' of CRLF */
		} else {
			while (i < n && s[i] != ',' && s[i] != '\n')
				*o++ = s[i++];
			if (o > p->dec.ptr + start[f] && o[-1] == '\r')
				o--;
		}
		len[f] = (size_t)(o - p->dec.ptr) - start[f];
		*o++ = '\0';
		f++;
		if (i >= n || s[i] == '\n')
			break;
		i++; /* the comma */
	}
	assert((size_t)(o - p->dec.ptr) <= n + CK_CSV_FIELDS);
	ck_csv_row row;
	for (int k = 0; k < CK_CSV_FIELDS; k++) {
		row.field[k] = p->dec.ptr + start[k];
		row.len[k] = len[k];
	}
	row.offset = p->base + (long long)p->rs;
	row.line = p->row_line;
	row.nuls = p->nuls;
	p->rows++;
	if (p->on_row && p->on_row(&row, p->ctx)) {
		p->stopped = 1;
		return 1;
	}
	return 0;
}

/* A row ends at raw[end] (its newline, or the end of the file). */
static int row_done(ck_csv *p, size_t end)
{
	int rc = 0;
	if (p->nfields != CK_CSV_FIELDS) {
		report(p, p->row_line, "csv row has %s%d fields, expected 8; skipped", "",
		       p->nfields);
	} else {
		rc = emit(p, end);
	}
	p->nfields = 0;
	p->state = S_ROW;
	return rc;
}

/* Does the line at raw[i] start like a row, "<digits>","?  -1 when more
 * bytes are needed to tell. */
static int row_start_at(const ck_csv *p, size_t i)
{
	const char *s = p->raw.ptr;
	size_t n = p->raw.len;
	if (i >= n)
		return -1;
	if (s[i] != '"')
		return 0;
	size_t j = i + 1;
	while (j < n && j - i <= 13 && s[j] >= '0' && s[j] <= '9')
		j++;
	if (j - i > 13 || (j < n && j == i + 1))
		return 0;
	if (n - j < 3)
		return -1;
	return !memcmp(s + j, "\",\"", 3);
}

static void broken(ck_csv *p, const char *what)
{
	report(p, p->row_line, "csv row broken (%s at line %d); skipped to the next row",
	       what, p->line);
	p->nfields = 0;
	/* the damaged line may itself start the next row */
	if (p->ls > p->rs) {
		p->pos = p->ls;
		p->line = p->ls_line;
		p->state = S_RESYNC;
	} else {
		p->state = S_SKIPLINE;
	}
	p->rs = p->pos;
	p->row_line = p->line;
}

/* A line starts at raw[pos], and the next row with it. */
static void at_line_start(ck_csv *p)
{
	p->rs = p->ls = p->pos;
	p->row_line = p->ls_line = p->line;
}

/* The newline at raw[pos] ends a row: hand the row over, go past it.
 * Returns 0 to go on, else what scan() returns (1: the callback stopped
 * it, CK_ENOMEM). */
static int newline_ends_row(ck_csv *p)
{
	p->pos++;
	p->line++;
	if (row_done(p, p->pos - 1))
		return p->stopped ? 1 : CK_ENOMEM;
	at_line_start(p);
	return 0;
}

/* Over the row limit at raw[pos]: reported, the row skipped from here (at
 * a line start that line may begin the next row). */
static void over_limit(ck_csv *p)
{
	report(p, p->row_line, "csv row too long (over %s%d MB); skipped", "", (int)(p->max_row >> 20));
	p->nfields = 0;
	p->state = p->pos == p->ls ? S_RESYNC : S_SKIPLINE;
	p->rs = p->pos;
}

/* Inside "...": jump to the next quote or backslash, counting the
 * newlines on the way, never past the row limit (so that the limit is hit
 * at the same byte however the input is chunked).  Returns 0 when more
 * bytes are needed, else 1: past the quote (S_AFTERQ) or the backslash
 * (S_ESC), or at the row limit. */
static int quoted_run(ck_csv *p)
{
	char *s = p->raw.ptr;
	size_t n = p->raw.len;
	size_t lim = p->rs + p->max_row + 1;
	const char *q = s + p->pos, *end = s + (n < lim ? n : lim);
	const char *qq = memchr(q, '"', (size_t)(end - q));
	if (!qq)
		qq = end;
	const char *bs = memchr(q, '\\', (size_t)(qq - q));
	if (bs)
		qq = bs;
	for (const char *nl = q; (nl = memchr(nl, '\n', (size_t)(qq - nl))); nl++) {
		p->line++;
		p->ls = (size_t)(nl - s) + 1;
		p->ls_line = p->line;
	}
	p->pos = (size_t)(qq - s);
	if (p->pos >= n)
		return 0;
	if (qq == end)
		return 1; /* at the row limit: scan() reports it */
	p->state = *qq == '"' ? S_AFTERQ : S_ESC;
	p->pos++;
	return 1;
}

/* Skip to the next line and look there for a row start.  Returns 0 when
 * more bytes are needed, else 1. */
static int skip_line(ck_csv *p)
{
	const char *s = p->raw.ptr;
	size_t n = p->raw.len;
	const char *q = memchr(s + p->pos, '\n', n - p->pos);
	if (!q) {
		p->pos = n;
		p->rs = n;
		return 0;
	}
	p->pos = (size_t)(q - s) + 1;
	p->line++;
	at_line_start(p);
	p->state = S_RESYNC;
	return 1;
}

/* The state machine over raw[pos..len): 0 when it needs more bytes, 1
 * when the callback stopped it, CK_ENOMEM. */
static int scan(ck_csv *p)
{
	const char *s = p->raw.ptr;
	size_t n = p->raw.len;
	int rc;
	while (p->pos < n) {
		if (p->state != S_RESYNC && p->state != S_SKIPLINE && p->pos - p->rs > p->max_row) {
			over_limit(p);
			continue;
		}
		char c = s[p->pos];
		switch (p->state) {
		case S_ROW:
			if (c == '\n' || c == '\r') { /* blank line between rows */
				if (c == '\n')
					p->line++;
				p->pos++;
				at_line_start(p);
				continue;
			}
			at_line_start(p);
			p->nfields = 0;
			p->state = S_FIELD;
			continue;
		case S_FIELD:
			p->nfields++;
			if (c == '"') {
				p->state = S_QUOTED;
			} else if (c == '\n') {
				if ((rc = newline_ends_row(p)))
					return rc;
				continue;
			} else if (c != ',') { /* a comma: an empty field, still at a field start */
				p->state = S_BARE;
			}
			break;
		case S_QUOTED:
			if (!quoted_run(p))
				return 0;
			continue;
		case S_ESC:
			if (c == '\n') {
				p->line++;
				p->ls = p->pos + 1;
				p->ls_line = p->line;
			}
			p->state = S_QUOTED;
			break;
		case S_AFTERQ:
			if (c == ',') {
				p->state = S_FIELD;
			} else if (c == '\n') {
				if ((rc = newline_ends_row(p)))
					return rc;
				continue;
			} else if (c != '\r') {
				broken(p, "a quote not followed by a comma");
				continue;
			}
			break;
		case S_BARE:
			if (c == ',') {
				p->state = S_FIELD;
			} else if (c == '\n') {
				if ((rc = newline_ends_row(p)))
					return rc;
				continue;
			}
			break;
		case S_SKIPLINE:
			if (!skip_line(p))
				return 0;
			continue;
		case S_RESYNC: {
			int r = row_start_at(p, p->pos);
			if (r < 0)
				return 0; /* need more bytes */
			p->state = r ? S_ROW : S_SKIPLINE;
			continue;
		}
		}
		p->pos++;
	}
	return 0;
}

int ck_csv_feed(ck_csv *p, const char *data, size_t n)
{
	if (p->stopped)
		return 1;
	/* drop what is behind the current row */
	if (p->rs > 0 && (p->rs > p->raw.len / 2 || p->rs > (1u << 20))) {
		size_t k = p->rs;
		memmove(p->raw.ptr, p->raw.ptr + k, p->raw.len - k);
		p->raw.len -= k;
		p->base += (long long)k;
		p->rs = 0;
		p->pos -= k;
		p->ls = p->ls >= k ? p->ls - k : 0;
	}
	if (ck_buf_put(&p->raw, data, n))
		return CK_ENOMEM;
	return scan(p);
}

int ck_csv_finish(ck_csv *p)
{
	if (p->stopped)
		return 1;
	int rc = 0;
	switch (p->state) {
	case S_AFTERQ:
	case S_BARE:
		rc = row_done(p, p->raw.len);
		break;
	case S_FIELD:
		p->nfields++;
		rc = row_done(p, p->raw.len);
		break;
	case S_QUOTED:
	case S_ESC:
		report(p, p->row_line, "csv row broken (%sunterminated quote at the end of the file, line %d)",
		       "", p->line);
		break;
	default:
		break;
	}
	p->state = S_ROW;
	return rc;
}

int ck_read_csv_buf(const char *buf, size_t len, ck_csv_row_fn on_row,
		    ck_csv_err_fn on_error, void *ctx)
{
	ck_csv p;
	ck_csv_init(&p, on_row, on_error, ctx);
	int rc = ck_csv_feed(&p, buf, len);
	if (!rc)
		rc = ck_csv_finish(&p);
	ck_csv_free(&p);
	return rc;
}

/* Digits at s (at least 1, at most max): their value, or -1. */
static int digits(const char **s, int max)
{
	int v = 0, k = 0;
	while (k < max && **s >= '0' && **s <= '9') {
		v = v * 10 + (**s - '0');
		(*s)++;
		k++;
	}
	return k ? v : -1;
}

const char *ck_csv_date(const char *s, char *out, size_t outsz)
{
	const char *p = s;
	int mo = digits(&p, 2);
	if (mo < 1 || mo > 12 || *p++ != '/')
		return s;
	int d = digits(&p, 2);
	if (d < 1 || d > 31 || *p++ != '/')
		return s;
	const char *y0 = p;
	int y = digits(&p, 4);
	if (p - y0 != 4)
		return s;
	int hh = 0, mm = 0;
	if (*p == ' ') {
		p++;
		hh = digits(&p, 2);
		if (hh < 0 || hh > 23 || *p++ != ':')
			return s;
		const char *m0 = p;
		mm = digits(&p, 2);
		if (p - m0 != 2 || mm > 59)
			return s;
		if (*p == ':') { /* seconds, if ever written */
			const char *s0 = ++p;
			if (digits(&p, 2) < 0 || p - s0 != 2)
				return s;
		}
	}
	if (*p)
		return s;
	snprintf(out, outsz, "%04d-%02d-%02d %02d:%02d", y, mo, d, hh, mm);
	return out;
}
