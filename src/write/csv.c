/*
 * csv.c - one cable as a CSV row (RFC 4180) for spreadsheets and pandas.
 *
 * A header row names the columns; each cable is one row; fields holding a
 * comma, a quote or a line break are quoted with quotes doubled; rows end
 * in CRLF.  Multi-valued fields (caveats, tags, references, addressees,
 * signers) are joined by ';'.  references holds the cited cable ids (a
 * reference that is not a cable has none and is left out).
 */
#include "write/write.h"

#include <string.h>

static const char *const columns =
	"id,date,origin,from,classification,marking,precedence,caveats,tags,"
	"subject,references,classified_by,decl_date,to,info,signers,sections,body";

void ck_csv_header(ck_buf *out)
{
	ck_buf_puts(out, columns);
	ck_buf_put(out, "\r\n", 2);
}

/* Append a field; quoted only when it must be. */
static void csv_field(ck_buf *out, const char *s, size_t n, int first)
{
	if (!first)
		ck_buf_putc(out, ',');
	if (!s)
		return;
	size_t i;
	for (i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			break;
	if (i == n) {
		ck_buf_put(out, s, n);
		return;
	}
	ck_buf_grow(out, n + 8);
	ck_buf_putc(out, '"');
	const char *run = s;
	for (i = 0; i < n; i++)
		if (s[i] == '"') {
			ck_buf_put(out, run, (size_t)(s + i + 1 - run));
			ck_buf_putc(out, '"');
			run = s + i + 1;
		}
	ck_buf_put(out, run, (size_t)(s + n - run));
	ck_buf_putc(out, '"');
}

static void csv_str(ck_buf *out, const char *s)
{
	csv_field(out, s, s ? strlen(s) : 0, 0);
}

/* Join values with ';' into tmp, then write tmp as one field. */
static void csv_join(ck_buf *out, ck_buf *tmp, const char *const *v, size_t n)
{
	ck_buf_clear(tmp);
	for (size_t i = 0; i < n; i++) {
		if (!v[i])
			continue;
		if (tmp->len)
			ck_buf_putc(tmp, ';');
		ck_buf_puts(tmp, v[i]);
	}
	csv_field(out, tmp->ptr, tmp->len, 0);
}

static void csv_addrs(ck_buf *out, ck_buf *tmp, const ck_addr *a, size_t n)
{
	ck_buf_clear(tmp);
	for (size_t i = 0; i < n; i++) {
		if (!a[i].name)
			continue;
		if (tmp->len)
			ck_buf_putc(tmp, ';');
		ck_buf_puts(tmp, a[i].name);
	}
	csv_field(out, tmp->ptr, tmp->len, 0);
}

void ck_cable_write_csv(ck_buf *out, const ck_cable *c)
{
	ck_buf tmp = CK_BUF_INIT;
	csv_field(out, c->id, c->id ? strlen(c->id) : 0, 1);
	csv_str(out, c->date);
	csv_str(out, c->origin);
	csv_str(out, c->from);
	csv_str(out, c->classification);
	csv_str(out, c->marking);
	csv_str(out, c->precedence);
	csv_join(out, &tmp, c->caveats.v, c->caveats.n);
	csv_join(out, &tmp, c->tags.v, c->tags.n);
	csv_str(out, c->subject);
	ck_buf_clear(&tmp);
	for (size_t i = 0; i < c->nrefs; i++) {
		if (!c->refs[i].id)
			continue;
		if (tmp.len)
			ck_buf_putc(&tmp, ';');
		ck_buf_puts(&tmp, c->refs[i].id);
	}
	csv_field(out, tmp.ptr, tmp.len, 0);
	csv_str(out, c->has_classified_by ? c->classified_by.name : NULL);
	csv_str(out, c->has_decl ? c->decl.date : NULL);
	csv_addrs(out, &tmp, c->to, c->nto);
	csv_addrs(out, &tmp, c->info, c->ninfo);
	csv_join(out, &tmp, c->signers.v, c->signers.n);
	ck_buf_putc(out, ',');
	if (c->sections > 0)
		ck_buf_printf(out, "%d", c->sections);
	csv_str(out, c->body);
	ck_buf_put(out, "\r\n", 2);
	ck_buf_free(&tmp);
}
