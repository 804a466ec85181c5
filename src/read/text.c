/*
 * text.c - split plain text that holds several telegrams one after
 * another, streamed.  ACP 127 marks the start of a transmission with
 * "VZCZC" and its end with "NNNN" (FORMAT.md section 1): a second VZCZC
 * line starts a new telegram, and so does the first non-blank line after
 * an NNNN line.  A text with a single telegram (the usual case) is one
 * part, unchanged.
 *
 * The splitter is fed the file in chunks of any size and keeps only the
 * telegram being read, and of it at most `max` bytes: the rest of a
 * telegram over the cap is counted, not kept, so memory does not grow
 * with the file (a 200 MB file on one line costs `max` bytes).  Each line
 * is told apart by its first bytes (a few, fed one at a time), then the
 * rest of it is skipped with memchr.
 */
#include "read/read.h"

#include <stdint.h>
#include <string.h>

/* leading blanks of a VZCZC/NNNN line beyond this: an ordinary line */
#define MAX_INDENT 1024

enum { L_INDENT, L_VZ, L_NN, L_NN_REST, L_PLAIN, L_VZ_LINE };

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

void ck_text_stream_init(ck_text_stream *t, size_t max, ck_text_cut_fn fn, void *ctx)
{
	memset(t, 0, sizeof *t);
	t->max = max;
	t->fn = fn;
	t->ctx = ctx;
	t->line = 1;
	t->start_line = 1;
	t->at_bol = 1;
}

void ck_text_stream_free(ck_text_stream *t)
{
	ck_buf_free(&t->part);
	ck_buf_free(&t->head);
}

/* Keep the next bytes of the current telegram (up to the cap). */
static int keep(ck_text_stream *t, const char *s, size_t n)
{
	if (!t->nonblank)
		for (size_t i = 0; i < n; i++)
			if (!is_blank(s[i])) {
				t->nonblank = 1;
				break;
			}
	t->pos += (long long)n;
	/* up to max + 1 bytes: the one past the cap tells where to cut */
	size_t room = t->part.len <= t->max ? t->max - t->part.len : 0;
	if (t->part.len <= t->max && room < SIZE_MAX)
		room++;
	if (n > room)
		n = room;
	return n ? ck_buf_put(&t->part, s, n) : 0;
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

/* The line in progress turned out to be a VZCZC line: a telegram read
 * before it ends where it starts. */
static int on_vzczc(ck_text_stream *t)
{
	if (t->seen_vz && t->nonblank_before) {
		if (emit(t, t->ls))
			return 1;
		/* the new telegram starts with the bytes of this line so far */
		ck_buf_clear(&t->part);
		if (ck_buf_put(&t->part, t->head.ptr, t->head.len))
			return CK_ENOMEM;
		t->start = t->ls;
		t->start_line = t->line;
		t->nonblank = 1;
	}
	t->seen_vz = 1;
	return 0;
}

/* The end of a line (after its newline, or at the end of the file). */
static int on_eol(ck_text_stream *t)
{
	if (t->state == L_NN_REST) {  /* an NNNN line: the telegram ends here */
		if (t->nonblank_before && emit(t, t->pos))
			return 1;
		ck_buf_clear(&t->part);
		t->start = t->pos;
		t->start_line = t->line + 1;
		t->nonblank = 0;
		t->seen_vz = 0;
	}
	t->at_bol = 1;
	return 0;
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
			ck_buf_clear(&t->head);
		}
		if (t->state == L_PLAIN || t->state == L_VZ_LINE) {
			/* told apart: skip to the end of the line */
			const char *nl = memchr(s + i, '\n', n - i);
			size_t e = nl ? (size_t)(nl - s) + 1 : n;
			if (keep(t, s + i, e - i))
				return CK_ENOMEM;
			i = e;
			if (nl) {
				int rc = on_eol(t);
				t->line++;
				if (rc)
					return rc;
			}
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
		/* a VZCZC line may start the next telegram: keep its first bytes */
		if ((t->state == L_INDENT || t->state == L_VZ || vz) &&
		    ck_buf_put(&t->head, s + b, i - b))
			return CK_ENOMEM;
		if (keep(t, s + b, i - b))
			return CK_ENOMEM;
		if (vz) {
			int rc = on_vzczc(t);
			if (rc)
				return rc;
		}
		if (i < n && s[i] == '\n') {
			if (keep(t, s + i, 1))
				return CK_ENOMEM;
			i++;
			int rc = on_eol(t);
			t->line++;
			if (rc)
				return rc;
		}
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
	if (t->nonblank || t->parts == 0)
		return emit(t, t->pos);
	return 0;
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
