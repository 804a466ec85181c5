/*
 * ingest.c - the ingest pipeline: a worker thread walks the sources, parses
 * each cable and prepares its record (contract JSON, packing, hash, index
 * text); the caller's thread is the one writer that owns the connection
 * and stores records in transactions of `batch` cables.  The two cores of
 * the machine both work: one parses while the other indexes.
 *
 * A transaction is all or nothing, so a kill at any moment leaves the
 * archive as of the last commit; since storing is idempotent (a text
 * already stored is "unchanged"), a re-run completes it.
 */
#include "archive/archive.h"

#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define QCAP 512
/* hand-offs in bunches: each wake-up of a thread costs a trip through the
 * scheduler, which on a busy machine is milliseconds */
#define QWAKE 64

struct msg {
	ck_rec rec;          /* a prepared cable, when !err */
	char *err;           /* an error message (source or parse) */
	char *file;          /* where */
	int line;
	long long done;      /* source bytes done when this was queued */
};

struct pipe {
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full;
	struct msg *q[QCAP];
	size_t head, count;
	int finished;        /* producer is done */
	int stop;            /* writer asks the producer to stop */
	/* producer state */
	const char *const *sources;
	size_t nsources;
	int year;
	long long done;      /* bytes of finished files */
	char *cur_file;      /* file being read */
	long long cur_size;
	int walk_failed;
};

static void push(struct pipe *p, struct msg *m)
{
	pthread_mutex_lock(&p->mu);
	while (p->count == QCAP && !p->stop)
		pthread_cond_wait(&p->not_full, &p->mu);
	if (p->stop) {
		pthread_mutex_unlock(&p->mu);
		ck_rec_free(&m->rec);
		free(m->err);
		free(m->file);
		free(m);
		return;
	}
	p->q[(p->head + p->count) % QCAP] = m;
	p->count++;
	if (p->count >= QWAKE)
		pthread_cond_signal(&p->not_empty);
	pthread_mutex_unlock(&p->mu);
}

static struct msg *pop(struct pipe *p)
{
	struct msg *m = NULL;
	pthread_mutex_lock(&p->mu);
	while (p->count == 0 && !p->finished)
		pthread_cond_wait(&p->not_empty, &p->mu);
	if (p->count) {
		m = p->q[p->head];
		p->head = (p->head + 1) % QCAP;
		p->count--;
		if (p->count <= QCAP - QWAKE)
			pthread_cond_signal(&p->not_full);
	}
	pthread_mutex_unlock(&p->mu);
	return m;
}

static long long file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) ? (long long)sb.st_size : 0;
}

/* track the source bytes done: a new file means the last one is done */
static long long progress_at(struct pipe *p, const char *file, long long offset)
{
	if (file && (!p->cur_file || strcmp(p->cur_file, file))) {
		p->done += p->cur_size;
		free(p->cur_file);
		p->cur_file = strdup(file);
		char *bang = p->cur_file ? strchr(p->cur_file, '!') : NULL;
		if (bang) { /* a member of an archive: count the archive once */
			*bang = 0;
			p->cur_size = 0;
		} else {
			p->cur_size = p->cur_file ? file_size(p->cur_file) : 0;
		}
	}
	return p->done + (offset > 0 && offset < p->cur_size ? offset : 0);
}

static int on_item(const ck_item *it, void *ctx)
{
	struct pipe *p = ctx;
	struct msg *m;
	ck_cable *c = NULL;
	if (__atomic_load_n(&p->stop, __ATOMIC_RELAXED))
		return 1;
	if (!(m = calloc(1, sizeof *m)))
		return 1;
	m->done = progress_at(p, it->file, it->offset);
	m->line = it->line;
	m->file = strdup(it->file ? it->file : "-");
	if (ck_item_parse(&c, it, p->year) || !c)
		m->err = strdup(ck_error_last()[0] ? ck_error_last() : "could not parse");
	else if (ck_rec_prepare(&m->rec, c))
		m->err = strdup("out of memory");
	push(p, m);
	return __atomic_load_n(&p->stop, __ATOMIC_RELAXED);
}

static void on_walk_error(const char *file, int line, const char *msg, void *ctx)
{
	struct pipe *p = ctx;
	struct msg *m = calloc(1, sizeof *m);
	if (!m)
		return;
	m->file = strdup(file ? file : "-");
	m->line = line;
	m->err = strdup(msg ? msg : "unreadable");
	m->done = p->done;
	m->rec.bytes = -1; /* a source error, not a cable */
	push(p, m);
}

static void *producer(void *arg)
{
	struct pipe *p = arg;
	for (size_t i = 0; i < p->nsources && !__atomic_load_n(&p->stop, __ATOMIC_RELAXED); i++)
		if (ck_source_walk(p->sources[i], on_item, on_walk_error, p))
			p->walk_failed = 1;
	pthread_mutex_lock(&p->mu);
	p->finished = 1;
	pthread_cond_broadcast(&p->not_empty);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* total bytes of the sources (files under folders, recursively) */
static long long tree_size(const char *path, int depth)
{
	struct stat sb;
	if (depth > 32 || lstat(path, &sb))
		return 0;
	if (S_ISREG(sb.st_mode))
		return (long long)sb.st_size;
	if (!S_ISDIR(sb.st_mode))
		return 0;
	DIR *d = opendir(path);
	long long sum = 0;
	struct dirent *e;
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		size_t n = strlen(path) + strlen(e->d_name) + 2;
		char *sub = malloc(n);
		if (!sub)
			break;
		snprintf(sub, n, "%s/%s", path, e->d_name);
		sum += tree_size(sub, depth + 1);
		free(sub);
	}
	closedir(d);
	return sum;
}

static long long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int ck_archive_ingest(ck_archive *a, const char *const *sources, size_t nsources,
		      const ck_ingest_opts *o, ck_ingest_stats *out)
{
	static const ck_ingest_opts none = {0};
	struct pipe p;
	pthread_t th;
	int rc = 0, in_tx = 0, batch, failed_any = 0;
	long pending = 0;
	long long total = 0, done = 0, last_report = 0;
	if (!o)
		o = &none;
	memset(out, 0, sizeof *out);
	if (!a->writable)
		return ck_error_set(CK_EINVAL, "ingest: archive opened read-only");
	batch = o->batch > 0 ? o->batch : 1000;
	memset(&p, 0, sizeof p);
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.not_empty, NULL);
	pthread_cond_init(&p.not_full, NULL);
	p.sources = sources;
	p.nsources = nsources;
	p.year = o->year;
	if (o->progress)
		for (size_t i = 0; i < nsources; i++)
			if (strcmp(sources[i], "-"))
				total += tree_size(sources[i], 0);
	if (pthread_create(&th, NULL, producer, &p)) {
		rc = ck_error_set(CK_ENOMEM, "ingest: cannot start a thread");
		goto destroy;
	}
	struct msg *m;
	while ((m = pop(&p))) {
		if (!rc) {
			done = m->done;
			if (m->err) {
				failed_any = 1;
				if (m->rec.bytes >= 0)
					out->failed++;
				if (o->on_error)
					o->on_error(m->file, m->line, m->err, o->ctx);
			} else {
				if (!in_tx) {
					if ((rc = ck_archive_exec(a, "BEGIN IMMEDIATE")))
						goto stop;
					in_tx = 1;
				}
				out->bytes += m->rec.bytes;
				int src = ck_archive_store(a, &m->rec, out);
				if (src == CK_EINVAL) {
					failed_any = 1;
					out->failed++;
					if (o->on_error)
						o->on_error(m->file, m->line, ck_error_last(), o->ctx);
				} else if (src) {
					rc = src;
					goto stop;
				}
				if (++pending >= batch) {
					if ((rc = ck_archive_exec(a, "COMMIT")))
						goto stop;
					in_tx = 0;
					pending = 0;
				}
			}
			if (o->progress) {
				long long now = mono_ms();
				if (now - last_report >= 100) {
					last_report = now;
					o->progress(out, done, total, o->ctx);
				}
			}
		}
		goto next;
	stop:
		/* the archive failed: drain the queue, tell the producer */
		pthread_mutex_lock(&p.mu);
		p.stop = 1;
		pthread_cond_broadcast(&p.not_full);
		pthread_mutex_unlock(&p.mu);
	next:
		ck_rec_free(&m->rec);
		free(m->err);
		free(m->file);
		free(m);
	}
	pthread_join(th, NULL);
	if (in_tx) {
		if (rc)
			sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
		else
			rc = ck_archive_exec(a, "COMMIT");
	}
	if (!rc && o->progress)
		o->progress(out, total ? total : done, total, o->ctx);
	if (!rc && (failed_any || p.walk_failed))
		rc = ck_error_set(CK_EIO, "ingest: some sources or cables failed");
destroy:
	free(p.cur_file);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.not_empty);
	pthread_cond_destroy(&p.not_full);
	return rc;
}
