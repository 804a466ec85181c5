/*
 * text.c - split plain text that holds several telegrams one after
 * another, streamed.  ACP 127 marks the start of a transmission with
 * "VZCZC" and its end with "NNNN" (FORMAT.md section 1): a second VZCZC
 * line starts a new part, and so does the first non-blank line after an
 * NNNN line.  A text with a single telegram (the usual case) is one part,
 * unchanged.
 *
 * A part is a telegram only when it has a body (a TAGS, SUBJECT or E.O.
 * line, or a numbered paragraph): a header block alone - repeated after
 * the body, or printed before an export record and a copy of itself - and
 * trailers after NNNN ("End Cable Text", "2004VATICA03196 - Classification:
 * CONFIDENTIAL", a repeated DTG) belong to the telegram next to them.  So
 * parts are gathered: a part without a body joins the telegram before it
 * (or, first in the text, the one after it), a part holding an export
 * record ("id: ", "header:") takes the next part in, and the telegram
 * gathered is handed over when a part with a body follows one with a body.
 *
 * The splitter is fed the file in chunks of any size and keeps only the
 * telegram being gathered, and of it at most `max` bytes: the rest of a
 * telegram over the cap is counted, not kept, so memory does not grow with
 * the file (a 200 MB file on one line costs `max` bytes).  A part read
 * after a telegram with a body is pending until it shows a body line (it
 * starts the next telegram) or ends without one (it joins): it is kept in
 * the same capped buffer, and when it would not fit there the telegram
 * before it is handed over and the pending part starts the next one - so
 * a trailer joins its telegram only while both fit under the cap.
 *
 * Each line is told apart by its first bytes (a few, fed one at a time),
 * then the rest of it is skipped with memchr; the first bytes after its
 * indent (`lead`) say whether it is a body line.
 */
#include "read/read.h"

#include <stdint.h>
#include <string.h>

/* leading blanks of a VZCZC/NNNN line beyond this: an ordinary line */
#define MAX_INDENT 1024

enum { L_INDENT, L_VZ, L_NN, L_NN_REST, L_PLAIN, L_VZ_LINE };

/* what a part holds (the largest of its lines') */
enum { B_NONE, B_BODY, B_RECORD };

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

size_t ck_read_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	/* at the end of a line when one ends in the last 64 KB kept */
	size_t back = max < (64u << 10) ? max : (64u << 10);
	for (size_t i = max; i > max - back; i--)
		if (s[i - 1] == '\n')
			return i;
	/* else before a UTF-8 sequence the cut would split */
	size_t cut = max;
	while (cut > 0 && cut > max - 3 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	return cut;
}

static int starts(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);
	return n >= m && !memcmp(s, lit, m);
}

/* What the line whose first bytes after its indent are s[0..n) is: a body
 * field or a numbered paragraph, a line of an export record (record.c), or
 * neither.  whole: s holds the whole line. */
static int line_kind(const char *s, size_t n, int whole)
{
	if (starts(s, n, "id: ") || starts(s, n, "...id: "))
		return B_RECORD;
	if (whole && starts(s, n, "header:")) {
		size_t i = 7;
		while (i < n && is_blank(s[i]))
			i++;
		if (i == n)
			return B_RECORD;
	}
	static const char *const labels[] = {"SUBJECT", "SUBJ:", "SUBJ ", "Subject", "TAGS",
					     "Tags:", "E.O.", "E. O.", "EO 1", NULL};
	for (int k = 0; labels[k]; k++)
		if (starts(s, n, labels[k]))
			return B_BODY;
	size_t i = 0;
	if (n >= 3 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xB6)
		i = 2; /* "¶1." */
	size_t d = i;
	while (d < n && d - i < 2 && s[d] >= '0' && s[d] <= '9')
		d++;
	return d > i && d + 1 < n && s[d] == '.' && (s[d + 1] == ' ' || s[d + 1] == '\t') ? B_BODY
											  : B_NONE;
}

void ck_text_stream_init(ck_text_stream *t, size_t max, ck_text_cut_fn fn, void *ctx)
{
	memset(t, 0, sizeof *t);
	t->max = max;
	t->fn = fn;
	t->ctx = ctx;
	t->line = 1;
	t->start_line = 1;
	t->pstart_line = 1;
	t->at_bol = 1;
}

void ck_text_stream_free(ck_text_stream *t)
{
	ck_buf_free(&t->part);
	ck_buf_free(&t->head);
}

/* Hand over the telegram of the bytes [start, end) of the file. */
static int emit(ck_text_stream *t, long long end)
{
	size_t len = (size_t)(end - t->start);
	size_t n = len <= t->part.len ? len : t->part.len;
	size_t cut = ck_read_cut(t->part.ptr ? t->part.ptr : "", n, t->max);
	t->parts++;
	if (t->fn(t->part.ptr ? t->part.ptr : "", cut, t->start, t->start_line,
		  (long long)(len - cut), t->ctx)) {
		t->stopped = 1;
		return 1;
	}
	return 0;
}

/* The part being read waits to know whether it joins the telegram before. */
static int pending(const ck_text_stream *t)
{
	return t->held && t->gbody == B_BODY && t->pbody == B_NONE;
}

/* Every byte fed since the telegram started is kept. */
static int kept_all(const ck_text_stream *t)
{
	return t->start + (long long)t->part.len == t->pos;
}

/* The part being read starts the next telegram: hand over the one
 * gathered before it, [start, gend), and keep the part's bytes. */
static int split(ck_text_stream *t)
{
	size_t off = (size_t)(t->pstart - t->start), n = (size_t)(t->pos - t->pstart);
	int from_head = !kept_all(t) && t->pstart == t->ls && t->head.len == n;
	if (emit(t, t->gend))
		return 1;
	if (from_head) {
		/* a VZCZC line after bytes over the cap: its first bytes */
		ck_buf_clear(&t->part);
		if (ck_buf_put(&t->part, t->head.ptr, n))
			return CK_ENOMEM;
	} else if (off + n == t->part.len) {
		memmove(t->part.ptr, t->part.ptr + off, n);
		t->part.len = n;
	} else {
		t->part.len = 0; /* nothing of it kept (it has no bytes yet) */
	}
	t->start = t->pstart;
	t->start_line = t->pstart_line;
	t->held = 0;
	t->gbody = B_NONE;
	return 0;
}

/* The part being read, [pstart, end), is read to its end: gather it. */
static void gather(ck_text_stream *t, long long end)
{
	if (!t->held)
		t->gbody = t->pbody;
	else if (t->gbody == B_RECORD && t->pbody == B_BODY)
		t->gbody = B_BODY; /* the record's copy of the header and the body */
	else if (t->pbody > t->gbody)
		t->gbody = t->pbody;
	t->held = 1;
	t->gend = end;
}

/* A new part starts at the file offset at, on line `line`. */
static void new_part(ck_text_stream *t, long long at, int line, int nonblank)
{
	t->pstart = at;
	t->pstart_line = line;
	t->pbody = B_NONE;
	t->nonblank = nonblank;
}

/* Note the first bytes of the line in progress after its indent. */
static void lead(ck_text_stream *t, const char *s, size_t n)
{
	for (size_t i = 0; i < n && t->leadn < sizeof t->lead; i++) {
		if (s[i] == '\n')
			break;
		if (!t->leadn && (s[i] == ' ' || s[i] == '\t'))
			continue;
		t->lead[t->leadn++] = s[i];
	}
}

/* Bytes the buffer takes before the cap: up to max + 1, the one past the
 * cap tells where to cut. */
static size_t room(const ck_text_stream *t)
{
	if (t->part.len > t->max)
		return 0;
	size_t r = t->max - t->part.len;
	return r < SIZE_MAX ? r + 1 : r;
}

/* Keep the next bytes of the current telegram (up to the cap). */
static int keep(ck_text_stream *t, const char *s, size_t n)
{
	lead(t, s, n);
	if (!t->nonblank)
		for (size_t i = 0; i < n; i++)
			if (!is_blank(s[i])) {
				t->nonblank = 1;
				break;
			}
	/* a pending part that does not fit starts the next telegram */
	if (pending(t) && (n > room(t) || !kept_all(t))) {
		int rc = split(t);
		if (rc)
			return rc;
	}
	t->pos += (long long)n;
	if (n > room(t))
		n = room(t);
	return n ? ck_buf_put(&t->part, s, n) : 0;
}

/* The line in progress turned out to be a VZCZC line: the part read
 * before it ends where it starts. */
static int on_vzczc(ck_text_stream *t)
{
	if (t->seen_vz && t->nonblank_before) {
		gather(t, t->ls);
		new_part(t, t->ls, t->line, 1);
		if (pending(t) && !kept_all(t)) {
			int rc = split(t);
			if (rc)
				return rc;
		}
	}
	t->seen_vz = 1;
	return 0;
}

/* The end of a line (after its newline, or at the end of the file). */
static int on_eol(ck_text_stream *t)
{
	int kind = line_kind(t->lead, t->leadn, t->leadn < sizeof t->lead);
	if (kind > t->pbody)
		t->pbody = kind;
	if (t->held && t->gbody == B_BODY && t->pbody != B_NONE) {
		int rc = split(t);
		if (rc)
			return rc;
	}
	if (t->state == L_NN_REST) { /* an NNNN line: the part ends here */
		if (t->nonblank_before) {
			gather(t, t->pos);
		} else if (!t->held) {
			ck_buf_clear(&t->part); /* blank: not kept */
			t->start = t->pos;
			t->start_line = t->line + 1;
		}
		new_part(t, t->pos, t->line + 1, 0);
		t->seen_vz = 0;
	}
	t->at_bol = 1;
	return 0;
}

/* After the first bytes of a line: the rest of it, to its newline. */
static int rest_of_line(ck_text_stream *t, const char *s, size_t n, size_t *i)
{
	const char *nl = memchr(s + *i, '\n', n - *i);
	size_t e = nl ? (size_t)(nl - s) + 1 : n;
	int rc = keep(t, s + *i, e - *i);
	*i = e;
	if (rc || !nl)
		return rc;
	rc = on_eol(t);
	t->line++;
	return rc;
}

int ck_text_stream_feed(ck_text_stream *t, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (t->stopped)
			return 1;
		if (t->at_bol) {
			t->at_bol = 0;
			t->state = L_INDENT;
			t->k = 0;
			t->ls = t->pos;
			t->nonblank_before = t->nonblank;
			t->leadn = 0;
			ck_buf_clear(&t->head);
		}
		if (t->state == L_PLAIN || t->state == L_VZ_LINE) {
			/* told apart: skip to the end of the line */
			int rc = rest_of_line(t, s, n, &i);
			if (rc)
				return rc;
			continue;
		}
		/* the first bytes of a line, one at a time */
		size_t b = i;
		int vz = 0;
		while (i < n && t->state != L_PLAIN && t->state != L_VZ_LINE && s[i] != '\n') {
			char c = s[i++];
			switch (t->state) {
			case L_INDENT:
				if (c == ' ' || c == '\t') {
					if (++t->k > MAX_INDENT)
						t->state = L_PLAIN;
					break;
				}
				t->k = 0;
				t->state = c == 'V' ? L_VZ : c == 'N' ? L_NN : L_PLAIN;
				t->k = t->state == L_PLAIN ? 0 : 1;
				break;
			case L_VZ:
				if (c != "VZCZC"[t->k])
					t->state = L_PLAIN;
				else if (++t->k == 5) {
					t->state = L_VZ_LINE;
					vz = 1;
				}
				break;
			case L_NN:
				if (c != 'N')
					t->state = L_PLAIN;
				else if (++t->k == 4)
					t->state = L_NN_REST;
				break;
			case L_NN_REST:
				if (!is_blank(c))
					t->state = L_PLAIN;
				break;
			}
		}
		/* a VZCZC line may start the next part: keep its first bytes */
		if ((t->state == L_INDENT || t->state == L_VZ || vz) &&
		    ck_buf_put(&t->head, s + b, i - b))
			return CK_ENOMEM;
		int rc = keep(t, s + b, i - b);
		if (!rc && vz)
			rc = on_vzczc(t);
		if (!rc && i < n && s[i] == '\n')
			rc = rest_of_line(t, s, n, &i);
		if (rc)
			return rc;
	}
	return t->stopped ? 1 : 0;
}

int ck_text_stream_finish(ck_text_stream *t)
{
	if (t->stopped)
		return 1;
	if (!t->at_bol) {
		int rc = on_eol(t);
		if (rc)
			return rc;
	}
	if (t->nonblank || (!t->held && t->parts == 0))
		gather(t, t->pos);
	return t->held ? emit(t, t->gend) : 0;
}

struct split_ctx {
	ck_text_part_fn fn;
	void *ctx;
};

static int split_part(const char *s, size_t n, long long offset, int line,
		      long long dropped, void *ctx)
{
	struct split_ctx *c = ctx;
	(void)dropped; /* never: no cap */
	return c->fn(s, n, (size_t)offset, line, c->ctx);
}

int ck_read_text_split(const char *s, size_t n, ck_text_part_fn fn, void *ctx)
{
	struct split_ctx c = {fn, ctx};
	ck_text_stream t;
	ck_text_stream_init(&t, SIZE_MAX, split_part, &c);
	int rc = ck_text_stream_feed(&t, s, n);
	if (!rc)
		rc = ck_text_stream_finish(&t);
	int parts = t.parts;
	ck_text_stream_free(&t);
	return rc ? -1 : parts;
}
