/*
 * ftstext.c - the text the full-text index reads: fts_text (ck_fts_text:
 * the text as the index holds it, redactions and control bytes blanked)
 * and the SQL functions the index view reads through (ck_unpack, ck_body,
 * ck_ftstext; registered on every connection by ck_schema_register).  Below
 * schema.c, store.c and portion.c, which all call it; it calls only blob.c
 * and util/.
 */
#include "archive/archive.h"
#include "util/jsonstr.h"
#include "util/utf8.h"

#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* SQL ck_unpack(blob[, json]): the text of a packed blob; a telegram text
 * packed against its body ('R') needs the version's JSON blob too */
static void sql_unpack(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	ck_buf b = CK_BUF_INIT;
	const void *p = sqlite3_value_blob(argv[0]);
	int n = sqlite3_value_bytes(argv[0]);
	(void)argc;
	if (!p || n <= 0) {
		sqlite3_result_null(cx);
		return;
	}
	const void *j = argc > 1 ? sqlite3_value_blob(argv[1]) : NULL;
	int jn = argc > 1 ? sqlite3_value_bytes(argv[1]) : 0;
	if (ck_blob_unpack_raw(&b, p, (size_t)n, j, (size_t)(jn > 0 ? jn : 0))) {
		ck_buf_free(&b);
		sqlite3_result_error(cx, ck_error_last(), -1);
		return;
	}
	sqlite3_result_text(cx, b.ptr ? b.ptr : "", (int)b.len, b.ptr ? free : SQLITE_STATIC);
}

/* The text given to the full-text index: control bytes become spaces (so
 * the snippet delimiters \x01 \x02 cannot occur in it), and runs of five or
 * more X (redactions, "XXXXXXXXXXXX") become one U+2588 block, which the
 * unicode61 tokenizer treats as a separator: redactions are not indexed. */
int ck_fts_text(ck_buf *out, const char *s)
{
	/* bytes that may need a change: non-ASCII (checked as UTF-8), X (the
	 * start of a redaction run), control bytes but newline and tab */
	static const unsigned char special[256] = {
		[0 ... 8] = 1, [0x0b ... 0x1f] = 1, ['X'] = 1, [0x7f ... 0xff] = 1, /* not \t \n */
	};
	if (!s)
		return 0;
	size_t n = strlen(s), run = 0, start = out->len;
	if (ck_buf_grow(out, n + 1))
		return CK_ENOMEM;
	/* bytes that stay as they are are copied in runs */
#define FLUSH(i) do { ck_buf_put(out, s + run, (i) - run); } while (0)
	for (size_t i = 0; i < n;) {
		while (i < n && !special[(unsigned char)s[i]])
			i++;
		if (i == n)
			break;
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80) { /* invalid UTF-8 becomes U+FFFD: the JSON stays valid */
			size_t k = ck_utf8_valid((const unsigned char *)s + i, n - i);
			if (k) {
				i += k;
				continue;
			}
			FLUSH(i);
			ck_buf_puts(out, "\xEF\xBF\xBD");
			run = ++i;
			continue;
		}
		if (c == 'X') {
			size_t j = i;
			while (j < n && s[j] == 'X')
				j++;
			if (j - i >= 5 && (i == 0 || !isalnum((unsigned char)s[i - 1])) &&
			    (j == n || !isalnum((unsigned char)s[j]))) {
				FLUSH(i);
				ck_buf_puts(out, "\xE2\x96\x88");
				run = j;
			}
			i = j;
			continue;
		}
		FLUSH(i); /* a control byte */
		ck_buf_putc(out, ' ');
		run = ++i;
	}
	FLUSH(n);
#undef FLUSH
	/* the snippet delimiters cannot occur in indexed text */
	assert(!memchr(out->ptr + start, '\x01', out->len - start) &&
	       !memchr(out->ptr + start, '\x02', out->len - start));
	return 0;
}


/* SQL ck_body(json): the body of a version's stored contract JSON as the
 * index holds it (fts_text), or NULL when it has none (the view then
 * indexes the telegram text: what ck_rec_prepare did). */
static void sql_body(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	ck_buf json = CK_BUF_INIT, text = CK_BUF_INIT, out = CK_BUF_INIT;
	const void *p = sqlite3_value_blob(argv[0]);
	int n = sqlite3_value_bytes(argv[0]);
	(void)argc;
	if (p && n > 0 && ck_blob_json_body(&json, p, (size_t)n) == 0) {
		/* a 'B' blob: the body's frame alone */
		if (ck_buf_putc(&json, '"') || ck_json_unescape(&text, json.ptr, json.ptr + json.len))
			ck_buf_clear(&text);
	} else if (p && n > 0 && ck_blob_unpack(&json, p, (size_t)n) == 0 && json.ptr) {
		const char *k = memmem(json.ptr, json.len, ",\"body\":\"", 9);
		if (k && ck_json_unescape(&text, k + 9, json.ptr + json.len))
			ck_buf_clear(&text);
	}
	if (text.len)
		ck_fts_text(&out, text.ptr);
	ck_buf_free(&json);
	ck_buf_free(&text);
	if (out.len)
		sqlite3_result_text(cx, out.ptr, (int)out.len, free);
	else {
		ck_buf_free(&out);
		sqlite3_result_null(cx);
	}
}

/* SQL ck_ftstext(text): the text as the index holds it (fts_text) */
static void sql_ftstext(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	ck_buf out = CK_BUF_INIT;
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	(void)argc;
	if (s && ck_fts_text(&out, s) == 0 && out.len) {
		sqlite3_result_text(cx, out.ptr, (int)out.len, free);
		return;
	}
	ck_buf_free(&out);
	sqlite3_result_null(cx);
}

void ck_words(ck_buf *out, const char *s)
{
	int gap = 1;
	ck_buf_putc(out, ' ');
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || c >= 0x80) {
			ck_buf_putc(out, (char)c);
			gap = 0;
		} else if (!gap) {
			ck_buf_putc(out, ' ');
			gap = 1;
		}
	}
	if (!gap)
		ck_buf_putc(out, ' ');
}

static void sql_words(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	ck_buf out = CK_BUF_INIT;
	(void)argc;
	ck_words(&out, (const char *)sqlite3_value_text(argv[0]));
	if (out.failed) {
		ck_buf_free(&out);
		sqlite3_result_error_nomem(cx);
		return;
	}
	sqlite3_result_text(cx, out.ptr, (int)out.len, free);
}

int ck_schema_register(sqlite3 *db)
{
	int f = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, rc;
	/* ck_body: any arity (schema 1's view, which the migration drops,
	 * passed the telegram text too) */
	if ((rc = sqlite3_create_function(db, "ck_unpack", -1, f, NULL, sql_unpack, NULL, NULL)) ||
	    (rc = sqlite3_create_function(db, "ck_body", -1, f, NULL, sql_body, NULL, NULL)))
		return rc;
	if ((rc = sqlite3_create_function(db, "ck_words", 1, f, NULL, sql_words, NULL, NULL)))
		return rc;
	return sqlite3_create_function(db, "ck_ftstext", 1, f, NULL, sql_ftstext, NULL, NULL);
}
