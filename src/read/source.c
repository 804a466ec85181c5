/*
 * source.c - walking a source: a file, a folder (recursive, names in byte
 * order so the output is deterministic), "-" for standard input, and
 * archives read in place with libarchive (zip, 7z, tar, tar.gz, tar.bz2,
 * tar.xz, a lone .gz; archives inside archives too).  The format of every
 * file is told by its content (detect.c), then:
 *
 *   html  (viewer page)      -> html.c, one item
 *   plusd-record (PlusD page) -> plusd_page.c, one item with its fields
 *   plusd / text             -> text.c, one item per telegram
 *   csv   (cables.csv)       -> csv.c, streamed: one item per row
 *   jsonl (`cablekit parse`) -> ck_cable_read_json, streamed: one per line
 *   anything else            -> "not a cable (format unknown)"
 *
 * Errors (unreadable file, corrupt or truncated archive, broken csv row,
 * a file that is not a cable) go to on_error with the file ("path!member"
 * inside an archive) and line; the walk goes on, and returns CK_EIO at the
 * end when anything failed.  Html and text files are read whole (capped);
 * csv and jsonl stream in chunks, so memory does not grow with the file.
 */
#include "read/read.h"

#include <archive.h>
#include <archive_entry.h>

#include "util/dynlib.h" /* loaded on first use */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PEEK (64u << 10)
#define CHUNK (256u << 10)
#define MAX_MEMBER (64u << 20)  /* archive inside an archive (spooled) */
#define MAX_DEPTH 64            /* folders */
#define MAX_NEST 4              /* archives inside archives */

/* A folder already walked: its device and inode, and the path it was
 * first read under (for the message when a link leads back to it). */
struct seen_dir {
	dev_t dev;
	ino_t ino;
	char *path;
};

struct walker {
	ck_item_fn on_item;
	ck_error_fn on_error;
	void *ctx;
	int failed;
	int stop;
	ck_html_page page;
	ck_plusd_page record;
	struct seen_dir *seen; /* open-addressing hash set of folders walked */
	size_t nseen, capseen;
	struct stat chain[MAX_DEPTH + 2]; /* the folders being walked, outermost first */
	int nchain;
};

/* Where the bytes of one file come from. */
struct stream {
	const char *name;    /* for items and errors */
	int fd;              /* file or stdin; -1 for an archive member */
	int seekable;        /* fd is a regular file */
	struct archive *ar;  /* the archive of a member */
	int nest;            /* archive nesting level */
	int err;             /* a read failed (reported) */
	int fatal;           /* ... and the archive cannot go on */
};

static void fail(struct walker *w, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void fail(struct walker *w, const char *file, int line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	w->failed = 1;
	if (w->on_error)
		w->on_error(file, line, msg, w->ctx);
}

/* Read up to n bytes (fewer only at the end); -1 on error (reported). */
static ssize_t st_read(struct walker *w, struct stream *st, char *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r;
		if (st->ar) {
			r = archive_read_data(st->ar, buf + got, n - got);
			if (r < 0) {
				st->err = 1;
				st->fatal = r == ARCHIVE_FATAL;
				fail(w, st->name, 0, "corrupt or truncated archive member: %s",
				     archive_error_string(st->ar) ? archive_error_string(st->ar) : "read error");
				return -1;
			}
		} else {
			r = read(st->fd, buf + got, n - got);
			if (r < 0) {
				if (errno == EINTR)
					continue;
				st->err = 1;
				fail(w, st->name, 0, "read error: %s", strerror(errno));
				return -1;
			}
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static int emit(struct walker *w, ck_item *it)
{
	if (w->stop)
		return 1;
	if (w->on_item(it, w->ctx))
		w->stop = 1;
	return w->stop;
}

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

static int line_of(const char *s, size_t off)
{
	int line = 1;
	for (const char *p = s, *e = s + off; (p = memchr(p, '\n', (size_t)(e - p))); p++)
		line++;
	return line;
}

/* Read what is left of the stream and count it (a file over a cap). */
static long long skip_rest(struct walker *w, struct stream *st, char *buf, size_t n)
{
	long long skipped = 0;
	ssize_t r;
	while ((r = st_read(w, st, buf, n)) > 0)
		skipped += r;
	return skipped;
}

/* ---- viewer and PlusD record pages: read whole, up to CK_MAX_PAGE ----- */

/* The rest of a page into b (which holds its first bytes), up to
 * CK_MAX_PAGE; *unread counts the bytes skipped after it.  0, or -1 when
 * the stream failed (reported). */
static int load_page(struct walker *w, struct stream *st, ck_buf *b, long long *unread)
{
	*unread = 0;
	for (int eof = b->len < PEEK; !eof;) {
		if (b->len >= CK_MAX_PAGE) {
			if (ck_buf_grow(b, CHUNK)) {
				fail(w, st->name, 0, "out of memory");
				return -1;
			}
			*unread = skip_rest(w, st, b->ptr + b->len, CHUNK);
			break;
		}
		size_t want = CK_MAX_PAGE - b->len < CHUNK ? CK_MAX_PAGE - b->len : CHUNK;
		if (ck_buf_grow(b, want)) {
			fail(w, st->name, 0, "out of memory");
			return -1;
		}
		ssize_t r = st_read(w, st, b->ptr + b->len, want);
		if (r < 0)
			return -1;
		b->len += (size_t)r;
		eof = (size_t)r < want;
	}
	if (st->err)
		return -1;
	b->ptr[b->len] = '\0';
	return 0;
}

/* One item of a page's text, cut at CK_MAX_CABLE. */
static void page_item(ck_item *it, struct stream *st, const ck_buf *text, long long unread, const char *format)
{
	it->text = text->ptr ? text->ptr : "";
	it->len = ck_read_cut(it->text, text->len, CK_MAX_CABLE);
	it->dropped = (long long)(text->len - it->len) + unread;
	it->file = st->name;
	it->format = format;
	it->offset = 0;
	it->line = 1;
}

static void read_html(struct walker *w, struct stream *st, ck_buf *b)
{
	long long unread;
	if (load_page(w, st, b, &unread))
		return;
	ck_html_page *p = &w->page;
	int rc = ck_read_html(p, b->ptr, b->len);
	if (rc == CK_EPARSE) {
		fail(w, st->name, 0, "not a cable (an html page without <pre> blocks)");
		return;
	}
	if (rc) {
		fail(w, st->name, 0, "%s", ck_error_last());
		return;
	}
	if (p->truncated)
		fail(w, st->name, line_of(b->ptr, (size_t)p->pre_offset),
		     "page truncated: a <pre> block is not closed (the text there is kept)");
	ck_item it = {0};
	page_item(&it, st, &p->text, unread, "html");
	it.meta_id = nz(p->meta_id);
	it.meta_date = nz(p->meta_date);
	it.meta_classification = nz(p->meta_classification);
	it.meta_origin = nz(p->meta_origin);
	it.partial = p->partial;
	it.note = p->note.len ? p->note.ptr : NULL;
	emit(w, &it);
}

/* A PlusD record page: one item, its telegram text and its fields. */
static void read_record(struct walker *w, struct stream *st, ck_buf *b)
{
	long long unread;
	if (load_page(w, st, b, &unread))
		return;
	ck_plusd_page *p = &w->record;
	int rc = ck_read_plusd_page(p, b->ptr, b->len);
	if (rc == CK_EPARSE) {
		fail(w, st->name, 0, "not a cable (a PlusD page without synopsis, content or metadata)");
		return;
	}
	if (rc) {
		fail(w, st->name, 0, "%s", ck_error_last());
		return;
	}
	ck_kv kv[CK_PLUSD_FIELDS];
	ck_item it = {0};
	page_item(&it, st, &p->text, unread, "plusd-record");
	it.note = p->note.len ? p->note.ptr : NULL;
	it.record = kv;
	it.nrecord = ck_plusd_page_fields(p, kv, CK_PLUSD_FIELDS);
	emit(w, &it);
}

/* ---- plusd and plain text: streamed, one item per telegram -------------- */

struct textctx {
	struct walker *w;
	const char *name;
	const char *format;
	ck_buf cut; /* the text with an export record cut out */
};

static int on_part(const char *s, size_t n, long long offset, int line,
		   long long dropped, void *ctx)
{
	struct textctx *t = ctx;
	ck_item it = {0};
	ck_text_record r;
	it.text = s;
	it.len = n;
	it.file = t->name;
	it.format = t->format;
	it.offset = offset;
	it.line = line;
	it.dropped = dropped;
	if (ck_read_text_record(s, n, &r)) {
		it.meta_id = nz(r.id);
		it.meta_date = nz(r.date);
		it.meta_classification = nz(r.classification);
		it.meta_origin = nz(r.origin);
		it.note = r.note;
		if (r.cut_to > r.cut_from) {
			size_t ef = r.end_to > r.end_from ? r.end_from : r.cut_to;
			size_t et = r.end_to > r.end_from ? r.end_to : r.cut_to;
			ck_buf_clear(&t->cut);
			if (ck_buf_put(&t->cut, s, r.cut_from) ||
			    ck_buf_put(&t->cut, s + r.cut_to, ef - r.cut_to) ||
			    ck_buf_put(&t->cut, s + et, n - et))
				return emit(t->w, &it);
			it.text = t->cut.ptr;
			it.len = t->cut.len;
		}
	}
	return emit(t->w, &it);
}

static void read_text(struct walker *w, struct stream *st, int fmt, ck_buf *peek)
{
	struct textctx t = {w, st->name, ck_read_fmt_name(fmt), CK_BUF_INIT};
	ck_text_stream ts;
	ck_text_stream_init(&ts, CK_MAX_CABLE, on_part, &t);
	int rc = ck_text_stream_feed(&ts, peek->ptr, peek->len);
	char *chunk = NULL;
	if (!rc && peek->len == PEEK && !(chunk = malloc(CHUNK)))
		rc = CK_ENOMEM;
	for (int eof = peek->len < PEEK; !rc && !eof;) {
		ssize_t r = st_read(w, st, chunk, CHUNK);
		if (r < 0)
			break;
		eof = (size_t)r < CHUNK;
		rc = ck_text_stream_feed(&ts, chunk, (size_t)r);
	}
	/* after a read error (reported) the telegram cut short is not handed over */
	if (!rc && !st->err)
		rc = ck_text_stream_finish(&ts);
	if (rc == CK_ENOMEM)
		fail(w, st->name, 0, "out of memory");
	free(chunk);
	ck_text_stream_free(&ts);
	ck_buf_free(&t.cut);
}

/* ---- cables.csv ---------------------------------------------------------- */

struct csvctx {
	struct walker *w;
	const char *name;
	ck_buf text;
};

static int on_row(const ck_csv_row *r, void *ctx)
{
	struct csvctx *c = ctx;
	/* fields: id, date, refid, origin, classification, refs, header, content */
	const char *h = r->field[6];
	size_t hn = r->len[6];
	size_t k = ck_read_partial_prefix(h, hn);
	int partial = k > 0;
	h += k;
	hn -= k;
	/* the telegram as sent: the header's lines, then the content's */
	ck_buf_clear(&c->text);
	int body_line = 1;
	if (hn) {
		ck_buf_put(&c->text, h, hn);
		if (h[hn - 1] != '\n')
			ck_buf_putc(&c->text, '\n');
		for (const char *q = c->text.ptr, *e = q + c->text.len; (q = memchr(q, '\n', (size_t)(e - q))); q++)
			body_line++;
	}
	if (ck_buf_put(&c->text, r->field[7], r->len[7]))
		return 1;
	char date[32];
	char note[64] = "";
	if (r->nuls)
		snprintf(note, sizeof note, "%d NUL byte%s (\\0 escapes) dropped", r->nuls,
			 r->nuls > 1 ? "s" : "");
	ck_item it = {0};
	it.text = c->text.ptr;
	it.len = ck_read_cut(c->text.ptr, c->text.len, CK_MAX_CABLE);
	it.dropped = (long long)(c->text.len - it.len);
	it.file = c->name;
	it.format = "csv";
	it.offset = r->offset;
	it.line = r->line;
	it.meta_id = nz(r->field[2]);
	it.meta_date = nz(ck_csv_date(r->field[1], date, sizeof date));
	it.meta_classification = nz(r->field[4]);
	it.meta_origin = nz(r->field[3]);
	it.meta_references = r->field[5];
	it.body_line = body_line;
	it.partial = partial;
	it.note = nz(note);
	return emit(c->w, &it);
}

static void on_csv_error(int line, const char *msg, void *ctx)
{
	struct csvctx *c = ctx;
	fail(c->w, c->name, line, "%s", msg);
}

static void read_csv(struct walker *w, struct stream *st, ck_buf *peek)
{
	struct csvctx c = {w, st->name, CK_BUF_INIT};
	ck_csv p;
	ck_csv_init(&p, on_row, on_csv_error, &c);
	/* a row holds a cable's text once, with \" and \\ escapes; a longer
	 * row is reported broken (the csv parser keeps about twice the row) */
	p.max_row = 2 * CK_MAX_CABLE;
	size_t skip = peek->len >= 3 && !memcmp(peek->ptr, "\xEF\xBB\xBF", 3) ? 3 : 0;
	int rc = ck_csv_feed(&p, peek->ptr + skip, peek->len - skip);
	char *chunk = malloc(CHUNK);
	if (!chunk)
		rc = CK_ENOMEM;
	int eof = peek->len < PEEK;
	while (!rc && !eof && !w->stop) {
		ssize_t r = st_read(w, st, chunk, CHUNK);
		if (r < 0)
			break;
		eof = (size_t)r < CHUNK;
		rc = ck_csv_feed(&p, chunk, (size_t)r);
	}
	if (!rc && !st->err && !w->stop)
		rc = ck_csv_finish(&p);
	if (rc == CK_ENOMEM)
		fail(w, st->name, 0, "out of memory");
	free(chunk);
	ck_csv_free(&p);
	ck_buf_free(&c.text);
}

/* ---- JSON Lines (and the --pretty form: objects over many lines) -------- */

struct jsonctx {
	ck_buf obj;       /* a pretty object being gathered, from its "{" line */
	int in;           /* inside one */
	int line;         /* its first line */
	long long off;    /* its offset */
};

static void json_record(struct walker *w, struct stream *st, const char *s, size_t n,
			long long off, int line)
{
	ck_cable *c = NULL;
	if (ck_cable_read_json(&c, s, n)) {
		fail(w, st->name, line, "not a cable (a record that is not contract JSON: %s)",
		     ck_error_last());
		return;
	}
	ck_item it = {0};
	it.text = s;
	it.len = n;
	it.file = st->name;
	it.format = "jsonl";
	it.offset = off;
	it.line = line;
	it.parsed = c;
	emit(w, &it);
	ck_cable_free(c);
}

static void jsonl_line(struct walker *w, struct stream *st, struct jsonctx *j,
		       const char *s, size_t n, long long off, int line)
{
	while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (j->in) {
		if (j->obj.len + n > CK_MAX_RECORD) {
			fail(w, st->name, j->line, "JSON object over %u MB; skipped",
			     (unsigned)(CK_MAX_RECORD >> 20));
			j->in = 0;
			ck_buf_clear(&j->obj);
			return;
		}
		ck_buf_put(&j->obj, s, n);
		ck_buf_putc(&j->obj, '\n');
		if (n == 1 && s[0] == '}') {
			j->in = 0;
			json_record(w, st, j->obj.ptr, j->obj.len, j->off, j->line);
			ck_buf_clear(&j->obj);
		}
		return;
	}
	if (!n)
		return;
	if (n == 1 && s[0] == '{') { /* cablekit parse --pretty */
		j->in = 1;
		j->line = line;
		j->off = off;
		ck_buf_clear(&j->obj);
		ck_buf_puts(&j->obj, "{\n");
		return;
	}
	json_record(w, st, s, n, off, line);
}

static void read_jsonl(struct walker *w, struct stream *st, ck_buf *b)
{
	struct jsonctx j = {CK_BUF_INIT, 0, 0, 0};
	long long base = 0;  /* file offset of b->ptr[0] */
	int line = 1;
	int eof = b->len < PEEK;
	int skipping = 0;    /* in a line over CK_MAX_RECORD (reported) */
	for (;;) {
		size_t i = 0;
		for (;;) {
			const char *nl = i < b->len ? memchr(b->ptr + i, '\n', b->len - i) : NULL;
			if (!nl)
				break;
			size_t e = (size_t)(nl - b->ptr);
			if (!skipping)
				jsonl_line(w, st, &j, b->ptr + i, e - i, base + (long long)i, line);
			skipping = 0;
			line++;
			i = e + 1;
			if (w->stop)
				goto done;
		}
		if (b->len - i > CK_MAX_RECORD || (skipping && i < b->len)) {
			if (!skipping)
				fail(w, st->name, line, "line over %u MB (not a cable record); skipped",
				     (unsigned)(CK_MAX_RECORD >> 20));
			skipping = 1;
			i = b->len;
		}
		if (eof) {
			if (i < b->len && !skipping)
				jsonl_line(w, st, &j, b->ptr + i, b->len - i, base + (long long)i, line);
			if (j.in)
				fail(w, st->name, j.line, "JSON object not closed at the end of the file");
			goto done;
		}
		memmove(b->ptr, b->ptr + i, b->len - i);
		b->len -= i;
		base += (long long)i;
		if (ck_buf_grow(b, CHUNK)) {
			fail(w, st->name, 0, "out of memory");
			goto done;
		}
		ssize_t r = st_read(w, st, b->ptr + b->len, CHUNK);
		if (r < 0)
			goto done;
		b->len += (size_t)r;
		b->ptr[b->len] = '\0';
		eof = (size_t)r < CHUNK;
	}
done:
	ck_buf_free(&j.obj);
}

/* ---- archives ------------------------------------------------------------ */

static void read_stream(struct walker *w, struct stream *st);

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static void walk_archive(struct walker *w, struct archive *a, const char *name, int nest)
{
	struct archive_entry *e;
	ck_buf member = CK_BUF_INIT;
	for (;;) {
		if (w->stop)
			break;
		int r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			fail(w, name, 0, "corrupt or truncated archive: %s",
			     archive_error_string(a) ? archive_error_string(a) : "unreadable");
			break;
		}
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		const char *path = archive_entry_pathname(e);
		char raw[256];
		if (archive_format(a) == ARCHIVE_FORMAT_RAW || !path || !*path) {
			/* a lone compressed file: its own name without .gz/.bz2/.xz */
			snprintf(raw, sizeof raw, "%s", base_name(name));
			char *dot = strrchr(raw, '.');
			if (dot && dot != raw && (!strcmp(dot, ".gz") || !strcmp(dot, ".bz2") ||
					   !strcmp(dot, ".xz") || !strcmp(dot, ".zst")))
				*dot = '\0';
			else
				snprintf(raw, sizeof raw, "data");
			path = raw;
		}
		while (path[0] == '.' && path[1] == '/')
			path += 2;
		ck_buf_clear(&member);
		ck_buf_printf(&member, "%s!%s", name, path);
		struct stream st = {0};
		st.name = member.ptr;
		st.fd = -1;
		st.ar = a;
		st.nest = nest;
		read_stream(w, &st);
		if (st.fatal)
			break;
	}
	ck_buf_free(&member);
}

static struct archive *archive_new(void)
{
	if (!ck_libarchive()) /* not installed: the caller reports the error */
		return NULL;
	struct archive *a = archive_read_new();
	if (!a)
		return NULL;
	archive_read_support_filter_all(a);
	archive_read_support_format_all(a);
	archive_read_support_format_raw(a);
	return a;
}

static void read_archive(struct walker *w, struct stream *st, ck_buf *b)
{
	if (st->nest >= MAX_NEST) {
		fail(w, st->name, 0, "archives nested over %d deep; not read", MAX_NEST);
		return;
	}
	struct archive *a = archive_new();
	FILE *spool = NULL;
	int r;
	if (!a) {
		fail(w, st->name, 0, "%s", *ck_error_last() ? ck_error_last() : "out of memory");
		return;
	}
	if (st->fd >= 0 && st->seekable && lseek(st->fd, 0, SEEK_SET) == 0) {
		r = archive_read_open_fd(a, st->fd, CHUNK);
	} else {
		/* a pipe or an archive inside an archive: spool to a temporary
		 * file (7z and zip need to seek; memory stays flat) */
		spool = tmpfile();
		if (!spool || fwrite(b->ptr, 1, b->len, spool) != b->len) {
			fail(w, st->name, 0, "cannot spool the archive: %s", strerror(errno));
			goto cleanup;
		}
		char *chunk = malloc(CHUNK);
		ssize_t n = 0;
		long long total = (long long)b->len;
		while (chunk && (n = st_read(w, st, chunk, CHUNK)) > 0) {
			total += n;
			if (st->ar && total > MAX_MEMBER) {
				fail(w, st->name, 0, "archive member over %u MB, not read",
				     (unsigned)(MAX_MEMBER >> 20));
				n = -1;
				break;
			}
			if (fwrite(chunk, 1, (size_t)n, spool) != (size_t)n)
				break;
		}
		free(chunk);
		if (n < 0)
			goto cleanup;
		if (fflush(spool) || lseek(fileno(spool), 0, SEEK_SET) != 0) {
			fail(w, st->name, 0, "cannot spool the archive: %s", strerror(errno));
			goto cleanup;
		}
		r = archive_read_open_fd(a, fileno(spool), CHUNK);
	}
	if (r != ARCHIVE_OK) {
		fail(w, st->name, 0, "corrupt archive: %s",
		     archive_error_string(a) ? archive_error_string(a) : "cannot open");
		goto cleanup;
	}
	walk_archive(w, a, st->name, st->nest + 1);
cleanup:
	archive_read_free(a);
	if (spool)
		fclose(spool);
}

/* ---- dispatch ------------------------------------------------------------ */

static void read_stream(struct walker *w, struct stream *st)
{
	ck_buf b = CK_BUF_INIT;
	if (ck_buf_grow(&b, PEEK)) {
		fail(w, st->name, 0, "out of memory");
		return;
	}
	ssize_t r = st_read(w, st, b.ptr, PEEK);
	if (r < 0)
		goto cleanup;
	b.len = (size_t)r;
	b.ptr[b.len] = '\0';
	int fmt = ck_read_detect(b.ptr, b.len);
	switch (fmt) {
	case CK_FMT_EMPTY:
		fail(w, st->name, 0, "not a cable (empty file)");
		break;
	case CK_FMT_UNKNOWN:
		fail(w, st->name, 0, "not a cable (format unknown)");
		break;
	case CK_FMT_ARCHIVE:
		read_archive(w, st, &b);
		break;
	case CK_FMT_CSV:
		read_csv(w, st, &b);
		break;
	case CK_FMT_JSONL:
		read_jsonl(w, st, &b);
		break;
	case CK_FMT_HTML:
		read_html(w, st, &b);
		break;
	case CK_FMT_PLUSD_PAGE:
		read_record(w, st, &b);
		break;
	default:
		read_text(w, st, fmt, &b);
		break;
	}
cleanup:
	ck_buf_free(&b);
}

static void walk_path(struct walker *w, const char *path, int depth);

static size_t seen_slot(const struct walker *w, dev_t dev, ino_t ino)
{
	unsigned long long h = ((unsigned long long)dev * 0x9E3779B97F4A7C15ull) ^ (unsigned long long)ino;
	h *= 0xBF58476D1CE4E5B9ull;
	size_t i = (size_t)(h >> 17) & (w->capseen - 1);
	while (w->seen[i].path && (w->seen[i].dev != dev || w->seen[i].ino != ino))
		i = (i + 1) & (w->capseen - 1);
	return i;
}

/* Mark the folder (dev, ino) as walked under path.  Returns NULL when it
 * is new (or memory ran out: then it is walked again, which the depth
 * limit still bounds), else the path it was first walked under. */
static const char *seen_add(struct walker *w, const struct stat *sb, const char *path)
{
	if (w->nseen * 2 >= w->capseen) {
		size_t cap = w->capseen ? w->capseen * 2 : 64;
		struct seen_dir *old = w->seen, *nw = calloc(cap, sizeof *nw);
		if (!nw)
			return NULL;
		size_t oldcap = w->capseen;
		w->seen = nw;
		w->capseen = cap;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].path)
				w->seen[seen_slot(w, old[i].dev, old[i].ino)] = old[i];
		free(old);
	}
	size_t i = seen_slot(w, sb->st_dev, sb->st_ino);
	if (w->seen[i].path)
		return w->seen[i].path;
	char *p = strdup(path);
	if (!p)
		return NULL;
	w->seen[i] = (struct seen_dir){sb->st_dev, sb->st_ino, p};
	w->nseen++;
	return NULL;
}

static void seen_free(struct walker *w)
{
	for (size_t i = 0; i < w->capseen; i++)
		free(w->seen[i].path);
	free(w->seen);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Walk a folder once: a symbolic link (or bind mount) that leads to a
 * folder already walked - one that holds it (a loop) or any other - is
 * reported once, at that link, and not followed. */
static void walk_dir(struct walker *w, const char *path, const struct stat *sb, int depth)
{
	if (depth > MAX_DEPTH) {
		fail(w, path, 0, "folders nested over %d deep; not read", MAX_DEPTH);
		return;
	}
	const char *first = seen_add(w, sb, path);
	if (first) {
		int loop = 0;
		for (int i = 0; i < w->nchain; i++)
			if (w->chain[i].st_dev == sb->st_dev && w->chain[i].st_ino == sb->st_ino)
				loop = 1;
		if (loop)
			fail(w, path, 0, "a link loop: this is the folder %s, which holds it; not followed", first);
		else
			fail(w, path, 0, "the same folder as %s, already read; skipped", first);
		return;
	}
	DIR *d = opendir(path);
	if (!d) {
		fail(w, path, 0, "cannot open folder: %s", strerror(errno));
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.') /* ".", "..", hidden files */
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = realloc(names, cap * sizeof *names);
			if (!nn)
				break;
			names = nn;
		}
		names[n] = strdup(de->d_name);
		if (names[n])
			n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_names);
	size_t pl = strlen(path);
	int slash = pl && path[pl - 1] == '/';
	ck_buf child = CK_BUF_INIT;
	w->chain[w->nchain++] = *sb;
	for (size_t i = 0; i < n; i++) {
		if (!w->stop) {
			ck_buf_clear(&child);
			ck_buf_printf(&child, "%s%s%s", path, slash ? "" : "/", names[i]);
			walk_path(w, child.ptr, depth + 1);
		}
		free(names[i]);
	}
	w->nchain--;
	free(names);
	ck_buf_free(&child);
}

static void walk_path(struct walker *w, const char *path, int depth)
{
	struct stream st = {0};
	st.name = path;
	if (!strcmp(path, "-")) {
		st.fd = 0;
		struct stat sb;
		st.seekable = !fstat(0, &sb) && S_ISREG(sb.st_mode);
		read_stream(w, &st);
		return;
	}
	struct stat sb;
	if (stat(path, &sb)) {
		fail(w, path, 0, "cannot read: %s", strerror(errno));
		return;
	}
	if (S_ISDIR(sb.st_mode)) {
		walk_dir(w, path, &sb, depth);
		return;
	}
	if (depth > 0 && !S_ISREG(sb.st_mode)) {
		/* a fifo or a device inside a folder: opening it could block */
		fail(w, path, 0, "not a regular file; skipped");
		return;
	}
	st.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (st.fd < 0) {
		fail(w, path, 0, "cannot read: %s", strerror(errno));
		return;
	}
	st.seekable = S_ISREG(sb.st_mode);
	read_stream(w, &st);
	close(st.fd);
}

int ck_source_walk(const char *path, ck_item_fn on_item, ck_error_fn on_error,
		   void *ctx)
{
	if (!path || !on_item)
		return ck_error_set(CK_EINVAL, "ck_source_walk: no path or no callback");
	struct walker w = {0};
	w.on_item = on_item;
	w.on_error = on_error;
	w.ctx = ctx;
	ck_html_page_init(&w.page);
	ck_plusd_page_init(&w.record);
	walk_path(&w, path, 0);
	ck_html_page_free(&w.page);
	ck_plusd_page_free(&w.record);
	seen_free(&w);
	if (w.failed)
		return ck_error_set(CK_EIO, "%s: some input could not be read", path);
	return 0;
}
