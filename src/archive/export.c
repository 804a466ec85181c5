/*
 * export.c - many cables out in one format: jsonl, csv, graphml, bulk,
 * graphml-people (the person-cable graph, `export --format graphml --people`).
 *
 * ck_archive_export() walks the archive with ck_archive_each() (the
 * contract JSON of each cable, in id order) and hands each to the format's
 * writer, flushing the output buffer to the file every 256 KB: memory is
 * a ring of cables plus the buffer, whatever the archive's size (GraphML
 * also keeps the set of cited ids found outside the archive).  GraphML of
 * an archive reads no JSON at all: ck_archive_each_graph() gives the node
 * fields and edges from the archive's columns.  CSV and
 * bulk run the writer on a second thread beside the walk; graphml-people
 * asks the archive for the person of each key of a cable (persons.c), so it
 * runs on one thread.
 *
 * It lives in src/archive/ because it walks the archive: calls go down to
 * the writers of src/write/, which know no archive.
 */
#include "archive/archive.h"
#include "write/write.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { FMT_JSONL, FMT_CSV, FMT_GRAPHML, FMT_BULK, FMT_PEOPLE };

struct ck_export {
	int fmt;
	ck_archive *a;
	ck_graphml *g;
	const char *q; /* the query of ck_archive_export(), or NULL */
	sqlite3_stmt *pst; /* graphml-people: a key of a cable to its person */
};

static int found(const char *json, size_t len, void *ctx)
{
	(void)json;
	(void)len;
	*(int *)ctx = 1;
	return 1;
}

/* 0: not in the archive; 1: in the export; 2: in the archive, but the
 * query leaves it out (asked with "id:X (query)"). */
static int in_archive(const char *id, char *canon, void *ctx)
{
	ck_export *e = ctx;
	if (ck_archive_resolve_id(e->a, id, canon, 64))
		return 0;
	if (!e->q || !*e->q)
		return 1;
	ck_buf q = CK_BUF_INIT;
	int hit = 0;
	ck_buf_printf(&q, "id:%s (%s)", canon, e->q);
	if (q.ptr && ck_archive_each(e->a, q.ptr, found, &hit) == 0 && !hit) {
		ck_buf_free(&q);
		return 2;
	}
	ck_buf_free(&q);
	return 1;
}

int ck_export_new(ck_export **out, const char *format, struct ck_archive *a)
{
	static const char *names[] = {"jsonl", "csv", "graphml", "bulk", "graphml-people"};
	*out = NULL;
	int fmt = -1;
	for (int i = 0; i < 5; i++)
		if (format && !strcmp(format, names[i]))
			fmt = i;
	if (fmt < 0)
		return ck_error_set(CK_EINVAL, "export: unknown format '%s' "
				    "(jsonl, csv, graphml, bulk, graphml-people)", format ? format : "");
	ck_export *e = calloc(1, sizeof *e);
	if (!e)
		return ck_error_set(CK_ENOMEM, "export: out of memory");
	e->fmt = fmt;
	e->a = a;
	if (fmt == FMT_GRAPHML || fmt == FMT_PEOPLE) {
		e->g = ck_graphml_new(a && fmt == FMT_GRAPHML ? in_archive : NULL, e);
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
	sqlite3_finalize(e->pst);
	free(e);
}

int ck_export_begin(ck_export *e, ck_buf *out)
{
	if (e->fmt == FMT_CSV)
		ck_csv_header(out);
	else if (e->fmt == FMT_GRAPHML)
		ck_graphml_begin(e->g, out);
	else if (e->fmt == FMT_PEOPLE)
		ck_graphml_people_begin(e->g, out);
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
	case FMT_PEOPLE: ck_graphml_people_cable(e->g, out, c); break;
	}
	if (out->len == start && e->fmt != FMT_GRAPHML && e->fmt != FMT_PEOPLE)
		return ck_error_set(CK_ENOMEM, "export: out of memory");
	return 0;
}

/* graphml-people of an archive: each key of the cable as the person it is
 * in across the archive (persons.c), so that a node is a person */
static int to_persons(ck_export *e, ck_cable *c)
{
	if (!e->pst && sqlite3_prepare_v2(e->a->db,
					  "SELECT p.person FROM pcable p WHERE p.cable = (SELECT rowid FROM cable WHERE id = ?1)"
					  " AND p.key = ?2", -1, &e->pst, NULL) != SQLITE_OK)
		return ck_archive_sqlerr(e->a, sqlite3_errcode(e->a->db), "export");
	for (size_t i = 0; c->id && i < c->npeople; i++) {
		if (!c->people[i].key)
			continue;
		sqlite3_reset(e->pst);
		sqlite3_bind_text(e->pst, 1, c->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(e->pst, 2, c->people[i].key, -1, SQLITE_STATIC);
		int s = sqlite3_step(e->pst);
		if (s == SQLITE_ROW) {
			char *v = ck_arena_strdup(c->arena, (const char *)sqlite3_column_text(e->pst, 0));
			if (!v)
				return ck_error_set(CK_ENOMEM, "export: out of memory");
			c->people[i].key = v;
		} else if (s != SQLITE_DONE) {
			return ck_archive_sqlerr(e->a, s, "export");
		}
	}
	sqlite3_reset(e->pst);
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
	if (e->fmt == FMT_PEOPLE && e->a)
		rc = to_persons(e, c);
	if (!rc)
		rc = ck_export_cable(e, out, c);
	ck_cable_free(c);
	return rc;
}

int ck_export_end(ck_export *e, ck_buf *out)
{
	if (e->fmt == FMT_GRAPHML || e->fmt == FMT_PEOPLE)
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

/* GraphML of an archive: from its columns and edges (ck_archive_each_graph) */
static int each_graph(const ck_graph_row *row, void *ctx)
{
	struct run *r = ctx;
	if (row->new_node)
		ck_graphml_node(r->e->g, &r->buf, row->id, row->date, row->origin, row->marking, row->subject);
	if (row->target)
		ck_graphml_edge(r->e->g, &r->buf, row->id, row->target, row->inside, row->label, row->text);
	if (!r->buf.ptr)
		return r->rc = ck_error_set(CK_ENOMEM, "export: out of memory");
	if (r->buf.len >= 256 * 1024)
		return flush(r);
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

/*
 * Two cores: the archive walk (SQLite, inflating the stored JSON) on the
 * calling thread, reading the JSON and writing the format on a second
 * one.  A ring of CK_EXPORT_RING copies of the JSON sits between them, so
 * memory stays flat; order is kept.  GraphML asks the archive about cited
 * ids, so it runs on one thread.
 */
#define CK_EXPORT_RING 64

struct pipe {
	struct run *r;
	pthread_mutex_t mu;
	pthread_cond_t more, room;
	ck_buf slot[CK_EXPORT_RING];
	size_t head, tail; /* produced, consumed */
	int done, failed;
};

static void *consumer(void *arg)
{
	struct pipe *p = arg;
	ck_buf json = CK_BUF_INIT;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (p->tail == p->head && !p->done)
			pthread_cond_wait(&p->more, &p->mu);
		if (p->tail == p->head) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		/* take the slot's buffer, leave an empty one */
		ck_buf *s = &p->slot[p->tail % CK_EXPORT_RING];
		ck_buf t = json;
		json = *s;
		*s = t;
		ck_buf_clear(s);
		p->tail++;
		pthread_cond_signal(&p->room);
		pthread_mutex_unlock(&p->mu);
		if (each(json.ptr, json.len, p->r)) {
			pthread_mutex_lock(&p->mu);
			p->failed = 1;
			pthread_cond_signal(&p->room);
			pthread_mutex_unlock(&p->mu);
			break;
		}
	}
	ck_buf_free(&json);
	return NULL;
}

static int produce(const char *json, size_t len, void *ctx)
{
	struct pipe *p = ctx;
	pthread_mutex_lock(&p->mu);
	while (p->head - p->tail == CK_EXPORT_RING && !p->failed)
		pthread_cond_wait(&p->room, &p->mu);
	int failed = p->failed;
	pthread_mutex_unlock(&p->mu);
	if (failed)
		return 1;
	/* the slot at head is the producer's until head moves */
	ck_buf *s = &p->slot[p->head % CK_EXPORT_RING];
	ck_buf_clear(s);
	if (ck_buf_put(s, json, len)) {
		p->r->rc = ck_error_set(CK_ENOMEM, "export: out of memory");
		return 1;
	}
	pthread_mutex_lock(&p->mu);
	p->head++;
	pthread_cond_signal(&p->more);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

static int walk_threaded(struct run *r, ck_archive *a, const char *q)
{
	struct pipe *p = calloc(1, sizeof *p);
	if (!p)
		return ck_error_set(CK_ENOMEM, "export: out of memory");
	p->r = r;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->more, NULL);
	pthread_cond_init(&p->room, NULL);
	pthread_t th;
	int rc;
	if (pthread_create(&th, NULL, consumer, p)) {
		rc = ck_archive_each(a, q, each, r); /* no thread: do it here */
	} else {
		rc = ck_archive_each(a, q, produce, p);
		pthread_mutex_lock(&p->mu);
		p->done = 1;
		pthread_cond_signal(&p->more);
		pthread_mutex_unlock(&p->mu);
		pthread_join(th, NULL);
	}
	for (int i = 0; i < CK_EXPORT_RING; i++)
		ck_buf_free(&p->slot[i]);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->more);
	pthread_cond_destroy(&p->room);
	free(p);
	return rc;
}

int ck_archive_export(struct ck_archive *a, const char *format, const char *q,
		      FILE *f)
{
	struct run r = {NULL, CK_BUF_INIT, f, 0};
	int rc = ck_export_new(&r.e, format, a);
	if (rc)
		return rc;
	r.e->q = q;
	if ((rc = ck_export_begin(r.e, &r.buf)))
		goto cleanup;
	/* graphml-people asks the archive for each cable's persons: one thread */
	if (r.e->fmt == FMT_CSV || r.e->fmt == FMT_BULK)
		rc = walk_threaded(&r, a, q);
	else if (r.e->fmt == FMT_GRAPHML)
		rc = ck_archive_each_graph(a, q, each_graph, &r);
	else
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
