/*
 * export.c - many cables out in one format: jsonl, csv, graphml, bulk.
 *
 * ck_archive_export() walks the archive with ck_archive_each() (the
 * contract JSON of each cable, in id order) and hands each to the format's
 * writer, flushing the output buffer to the file every 256 KB: memory is
 * one cable plus the buffer, whatever the archive's size (GraphML also
 * keeps the set of cited ids found outside the archive).
 */
#include "write/write.h"

#include <stdlib.h>
#include <string.h>

enum { FMT_JSONL, FMT_CSV, FMT_GRAPHML, FMT_BULK };

struct ck_export {
	int fmt;
	ck_archive *a;
	ck_graphml *g;
};

static int in_archive(const char *id, char *canon, void *ctx)
{
	return ck_archive_resolve_id(ctx, id, canon, 64) == 0;
}

int ck_export_new(ck_export **out, const char *format, struct ck_archive *a)
{
	static const char *names[] = {"jsonl", "csv", "graphml", "bulk"};
	*out = NULL;
	int fmt = -1;
	for (int i = 0; i < 4; i++)
		if (format && !strcmp(format, names[i]))
			fmt = i;
	if (fmt < 0)
		return ck_error_set(CK_EINVAL, "export: unknown format '%s' "
				    "(jsonl, csv, graphml, bulk)", format ? format : "");
	ck_export *e = calloc(1, sizeof *e);
	if (!e)
		return ck_error_set(CK_ENOMEM, "export: out of memory");
	e->fmt = fmt;
	e->a = a;
	if (fmt == FMT_GRAPHML) {
		e->g = ck_graphml_new(a ? in_archive : NULL, a);
		if (!e->g) {
			free(e);
			return ck_error_set(CK_ENOMEM, "export: out of memory");
		}
	}
	*out = e;
	return 0;
}

void ck_export_free(ck_export *e)
{
	if (!e)
		return;
	ck_graphml_free(e->g);
	free(e);
}

int ck_export_begin(ck_export *e, ck_buf *out)
{
	if (e->fmt == FMT_CSV)
		ck_csv_header(out);
	else if (e->fmt == FMT_GRAPHML)
		ck_graphml_begin(e->g, out);
	return out->ptr || e->fmt == FMT_JSONL || e->fmt == FMT_BULK ? 0 : CK_ENOMEM;
}

int ck_export_cable(ck_export *e, ck_buf *out, const ck_cable *c)
{
	size_t start = out->len;
	switch (e->fmt) {
	case FMT_JSONL:
		ck_cable_write_json(out, c, 0);
		ck_buf_putc(out, '\n');
		break;
	case FMT_CSV: ck_cable_write_csv(out, c); break;
	case FMT_GRAPHML: ck_graphml_cable(e->g, out, c); break;
	case FMT_BULK: ck_cable_write_bulk(out, c); break;
	}
	if (out->len == start && e->fmt != FMT_GRAPHML)
		return ck_error_set(CK_ENOMEM, "export: out of memory");
	return 0;
}

int ck_export_json(ck_export *e, ck_buf *out, const char *json, size_t len)
{
	if (e->fmt == FMT_JSONL) {
		/* the stored contract JSON goes out as it is, one line */
		size_t start = out->len;
		ck_buf_put(out, json, len);
		ck_buf_putc(out, '\n');
		return out->len > start ? 0 : CK_ENOMEM;
	}
	ck_cable *c = NULL;
	int rc = ck_cable_read_json(&c, json, len);
	if (rc)
		return rc;
	rc = ck_export_cable(e, out, c);
	ck_cable_free(c);
	return rc;
}

int ck_export_end(ck_export *e, ck_buf *out)
{
	if (e->fmt == FMT_GRAPHML)
		ck_graphml_end(e->g, out);
	return 0;
}

struct run {
	ck_export *e;
	ck_buf buf;
	FILE *f;
	int rc;
};

static int flush(struct run *r)
{
	if (r->buf.len && fwrite(r->buf.ptr, 1, r->buf.len, r->f) != r->buf.len)
		return r->rc = ck_error_set(CK_EIO, "export: write failed");
	ck_buf_clear(&r->buf);
	return 0;
}

static int each(const char *json, size_t len, void *ctx)
{
	struct run *r = ctx;
	int rc = ck_export_json(r->e, &r->buf, json, len);
	if (rc)
		return r->rc = rc;
	if (r->buf.len >= 256 * 1024)
		return flush(r);
	return 0;
}

int ck_archive_export(struct ck_archive *a, const char *format, const char *q,
		      FILE *f)
{
	struct run r = {NULL, CK_BUF_INIT, f, 0};
	int rc = ck_export_new(&r.e, format, a);
	if (rc)
		return rc;
	if ((rc = ck_export_begin(r.e, &r.buf)))
		goto cleanup;
	rc = ck_archive_each(a, q, each, &r);
	if (r.rc) {
		rc = r.rc;
		goto cleanup;
	}
	if (rc)
		goto cleanup;
	ck_export_end(r.e, &r.buf);
	if ((rc = flush(&r)))
		goto cleanup;
	if (fflush(f))
		rc = ck_error_set(CK_EIO, "export: write failed");
cleanup:
	ck_buf_free(&r.buf);
	ck_export_free(r.e);
	return rc;
}
