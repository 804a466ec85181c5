/*
 * ingest.c - the ingest pipeline, three stages joined by bounded FIFOs (so
 * cables are stored in the order they are read): a thread walks the
 * sources and parses each cable; a second prepares its record (contract
 * JSON, packing, hash, index text); the caller's thread is the one writer
 * that owns the connection and stores records in transactions of `batch`
 * cables.  Parsing, packing and indexing run side by side.
 *
 * A transaction is all or nothing, so a kill at any moment leaves the
 * archive as of the last commit; since storing is idempotent (a text
 * already stored is "unchanged"), a re-run completes it.
 *
 * A fourth thread, on a connection of its own, copies committed pages from
 * the WAL into the database file while the writer goes on (passive
 * checkpoints, which never block the writer or readers); the writer's own
 * automatic checkpoints are off meanwhile.  Without it the whole archive
 * was copied and synced at the end, one sixth of the time of an ingest.
 */
#include "archive/archive.h"

#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <time.h>
#include <stdio.h>

#define QCAP 512
/* ... and at most this many bytes of source text: 512 cables of the 4 MB
 * a cable may hold (CK_MAX_CABLE), parsed (~7x their text), would be 14 GB
 * in one queue; a cable larger than this waits for an empty queue */
#define QBYTES (4u << 20)
/* the checkpointer runs after each commit, and at least this often */
#define CKPT_MS 250
/* Passive checkpoints copy frames but never restart the WAL while the
 * writer keeps appending: at 250k cables it grew to 6.4 GB beside a
 * 2.5 GB archive.  Past this many bytes of WAL the checkpointer asks the
 * writer, which restarts the log from its start after its next commit (the
 * passive runs have already copied nearly all of it, so the pause is
 * short).  The checkpointer did the restart itself before, waiting for the
 * write lock; but the writer takes it again at once after each commit, so
 * the wait nearly always failed and the WAL still reached 2.3 GB at 40,000
 * cables. */
#define CKPT_WAL_MAX (256LL << 20)
/* how long the restarting checkpoint waits for the writer and readers */
#define CKPT_BUSY_MS 2000
/* a transaction ends after `batch` cables or this long, whichever comes
 * first: readers see progress, a kill loses little, and the last batch -
 * which the final checkpoint copies and syncs while nothing else runs -
 * stays small */
#define TX_MS 1000
/* hand-offs in bunches: each wake-up of a thread costs a trip through the
 * scheduler, which on a busy machine is milliseconds */
#define QWAKE 64

struct msg {
	ck_cable *cable;     /* parsed, waiting for ck_rec_prepare */
	ck_rec rec;          /* a prepared cable, when !err */
	char *err;           /* an error message (source or parse) */
	char *file;          /* where */
	int line;
	long long done;      /* source bytes done when this was queued */
	size_t weight;       /* bytes of source text it stands for (QBYTES) */
};

/* a bounded FIFO between two stages */
struct queue {
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full;
	struct msg *q[QCAP];
	size_t head, count;
	size_t bytes;        /* the weights of the messages queued */
	int finished;        /* the stage before is done */
	int *stop;           /* the writer asks everyone to stop */
};

struct pipe {
	struct queue parsed, prepared;
	int stop;
	/* producer state */
	const char *const *sources;
	size_t nsources;
	int year;
	long long done;      /* bytes of finished files */
	char *cur_file;      /* file being read */
	long long cur_size;
	int walk_failed;
};

static void msg_free(struct msg *m)
{
	ck_cable_free(m->cable);
	ck_rec_free(&m->rec);
	free(m->err);
	free(m->file);
	free(m);
}

static void queue_init(struct queue *q, int *stop)
{
	memset(q, 0, sizeof *q);
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->not_empty, NULL);
	pthread_cond_init(&q->not_full, NULL);
	q->stop = stop;
}

static void queue_destroy(struct queue *q)
{
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->not_empty);
	pthread_cond_destroy(&q->not_full);
}

static void push(struct queue *p, struct msg *m)
{
	pthread_mutex_lock(&p->mu);
	while ((p->count == QCAP || (p->count && p->bytes + m->weight > QBYTES)) &&
	       !__atomic_load_n(p->stop, __ATOMIC_RELAXED)) {
		pthread_cond_signal(&p->not_empty); /* a full queue wakes its reader, however few it holds */
		pthread_cond_wait(&p->not_full, &p->mu);
	}
	if (__atomic_load_n(p->stop, __ATOMIC_RELAXED)) {
		pthread_mutex_unlock(&p->mu);
		msg_free(m);
		return;
	}
	p->q[(p->head + p->count) % QCAP] = m;
	p->count++;
	p->bytes += m->weight;
	if (p->count >= QWAKE || p->count == 4 || p->bytes >= QBYTES / 2) /* 4: no long wait at the start */
		pthread_cond_signal(&p->not_empty);
	pthread_mutex_unlock(&p->mu);
}

static struct msg *pop(struct queue *p)
{
	struct msg *m = NULL;
	pthread_mutex_lock(&p->mu);
	while (p->count == 0 && !p->finished)
		pthread_cond_wait(&p->not_empty, &p->mu);
	if (p->count) {
		m = p->q[p->head];
		p->head = (p->head + 1) % QCAP;
		p->count--;
		p->bytes -= m->weight;
		if (p->count <= QCAP - QWAKE || p->bytes <= QBYTES / 2)
			pthread_cond_signal(&p->not_full);
	}
	pthread_mutex_unlock(&p->mu);
	return m;
}

static void finish(struct queue *p)
{
	pthread_mutex_lock(&p->mu);
	p->finished = 1;
	pthread_cond_broadcast(&p->not_empty);
	pthread_mutex_unlock(&p->mu);
}

static void stop_all(struct pipe *p)
{
	__atomic_store_n(&p->stop, 1, __ATOMIC_RELAXED);
	struct queue *qs[2] = {&p->parsed, &p->prepared};
	for (int i = 0; i < 2; i++) {
		pthread_mutex_lock(&qs[i]->mu);
		pthread_cond_broadcast(&qs[i]->not_full);
		pthread_mutex_unlock(&qs[i]->mu);
	}
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
	m->weight = it->len;
	m->line = it->line;
	m->file = strdup(it->file ? it->file : "-");
	if (ck_item_parse(&c, it, p->year) || !c)
		m->err = strdup(ck_error_last()[0] ? ck_error_last() : "could not parse");
	else
		m->cable = c;
	push(&p->parsed, m);
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
	push(&p->parsed, m);
}

/* The writer is the stage that bounds an ingest (SQLite and FTS5 on one
 * connection); the stages before it have slack.  On a machine with fewer
 * cores than stages, they step back (a higher nice value, for this thread
 * only) so that the writer keeps a core to itself. */
static void yield_to_writer(void)
{
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 5);
}

/* stage 1: read and parse */
static void *producer(void *arg)
{
	struct pipe *p = arg;
	pthread_setname_np(pthread_self(), "ck-parse");
	yield_to_writer();
	for (size_t i = 0; i < p->nsources && !__atomic_load_n(&p->stop, __ATOMIC_RELAXED); i++)
		if (ck_source_walk(p->sources[i], on_item, on_walk_error, p))
			p->walk_failed = 1;
	finish(&p->parsed);
	return NULL;
}

/* stage 2: contract JSON, packing, hashes, index text */
static void *preparer(void *arg)
{
	struct pipe *p = arg;
	struct msg *m;
	pthread_setname_np(pthread_self(), "ck-prepare");
	yield_to_writer();
	while ((m = pop(&p->parsed))) {
		if (!m->err && m->cable) {
			ck_cable *c = m->cable;
			m->cable = NULL;
			long long bytes = m->rec.bytes;
			if (ck_rec_prepare(&m->rec, c))
				m->err = strdup("out of memory");
			else if (bytes < 0)
				m->rec.bytes = bytes;
		}
		push(&p->prepared, m);
	}
	finish(&p->prepared);
	return NULL;
}

/* the background checkpointer */
struct ckpt {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	sqlite3 *db;
	long long page_size;
	int kick, done;
	int restart; /* the WAL is past wal_max: the writer restarts it */
	long long wal_max; /* CKPT_WAL_MAX, or $CK_WAL_MAX bytes (tests) */
};

static void *checkpointer(void *arg)
{
	struct ckpt *k = arg;
	pthread_setname_np(pthread_self(), "ck-checkpoint");
	pthread_mutex_lock(&k->mu);
	while (!k->done) {
		if (!k->kick) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += CKPT_MS * 1000000L;
			ts.tv_sec += ts.tv_nsec / 1000000000L;
			ts.tv_nsec %= 1000000000L;
			pthread_cond_timedwait(&k->cv, &k->mu, &ts);
		}
		if (k->done)
			break;
		k->kick = 0;
		pthread_mutex_unlock(&k->mu);
		/* errors (busy, I/O) only leave more for the final checkpoint */
		int nlog = 0, ndone = 0;
		sqlite3_wal_checkpoint_v2(k->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &nlog, &ndone);
		pthread_mutex_lock(&k->mu);
		if ((long long)nlog * k->page_size > k->wal_max)
			k->restart = 1;
	}
	pthread_mutex_unlock(&k->mu);
	return NULL;
}

static void ckpt_signal(struct ckpt *k, int done)
{
	pthread_mutex_lock(&k->mu);
	k->kick = 1;
	k->done |= done;
	pthread_cond_signal(&k->cv);
	pthread_mutex_unlock(&k->mu);
}

/* 1 once if the checkpointer asked for a restart of the WAL */
static int ckpt_restart_wanted(struct ckpt *k)
{
	pthread_mutex_lock(&k->mu);
	int r = k->restart;
	k->restart = 0;
	pthread_mutex_unlock(&k->mu);
	return r;
}

/* Start the checkpointer; 0 when it could not (the writer then checkpoints
 * as usual). */
static int ckpt_start(ck_archive *a, struct ckpt *k, pthread_t *th)
{
	memset(k, 0, sizeof *k);
	if (sqlite3_open_v2(a->path, &k->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		sqlite3_close(k->db);
		return 0;
	}
	/* a connection knows the file is in WAL mode once it has read it */
	sqlite3_stmt *st = NULL;
	if (sqlite3_exec(k->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(k->db, "PRAGMA page_size", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		sqlite3_close(k->db);
		return 0;
	}
	k->page_size = sqlite3_column_int64(st, 0);
	const char *e = getenv("CK_WAL_MAX");
	k->wal_max = e && atoll(e) > 0 ? atoll(e) : CKPT_WAL_MAX;
	sqlite3_finalize(st);
	sqlite3_busy_timeout(k->db, CKPT_BUSY_MS);
	pthread_mutex_init(&k->mu, NULL);
	pthread_cond_init(&k->cv, NULL);
	if (pthread_create(th, NULL, checkpointer, k)) {
		pthread_mutex_destroy(&k->mu);
		pthread_cond_destroy(&k->cv);
		sqlite3_close(k->db);
		return 0;
	}
	ck_archive_exec(a, "PRAGMA wal_autocheckpoint=0");
	return 1;
}

static void ckpt_stop(ck_archive *a, struct ckpt *k, pthread_t th)
{
	ckpt_signal(k, 1);
	pthread_join(th, NULL);
	pthread_mutex_destroy(&k->mu);
	pthread_cond_destroy(&k->cv);
	sqlite3_close(k->db);
	ck_archive_exec(a, "PRAGMA wal_autocheckpoint=" CK_WAL_AUTOCHECKPOINT);
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

/* The writer (the caller's thread, which owns the connection): the open
 * transaction and how much it holds. */
struct writer {
	ck_archive *a;
	const ck_ingest_opts *o;
	ck_ingest_stats *out;
	struct ckpt *k;
	int ckpt_on, in_tx, failed_any;
	long batch, pending;
	long long tx_start;
};

/* One message off the prepared queue: a failure reported and counted, or
 * the record stored in the open transaction (begun when none is), which
 * commits after `batch` records or TX_MS, whichever comes first.  Returns
 * 0, or the archive's error: the ingest stops. */
static int write_one(struct writer *w, struct msg *m)
{
	const ck_ingest_opts *o = w->o;
	int rc;
	if (m->err) {
		w->failed_any = 1;
		if (m->rec.bytes >= 0)
			w->out->failed++;
		if (o->on_error)
			o->on_error(m->file, m->line, m->err, o->ctx);
		return 0;
	}
	if (!w->in_tx) {
		if ((rc = ck_archive_exec(w->a, "BEGIN IMMEDIATE")))
			return rc;
		w->in_tx = 1;
		w->tx_start = mono_ms();
	}
	w->out->bytes += m->rec.bytes;
	rc = ck_archive_store(w->a, &m->rec, w->out);
	if (rc == CK_EINVAL) { /* the cable has no usable id: it fails alone */
		w->failed_any = 1;
		w->out->failed++;
		if (o->on_error)
			o->on_error(m->file, m->line, ck_error_last(), o->ctx);
	} else if (rc) {
		return rc;
	}
	if (++w->pending >= w->batch || ((w->pending & 15) == 0 && mono_ms() - w->tx_start >= TX_MS)) {
		if ((rc = ck_portions_flush(w->a)) || (rc = ck_archive_exec(w->a, "COMMIT")))
			return rc;
		w->in_tx = 0;
		w->pending = 0;
		if (w->ckpt_on && ckpt_restart_wanted(w->k))
			sqlite3_wal_checkpoint_v2(w->a->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
		else if (w->ckpt_on)
			ckpt_signal(w->k, 0);
	}
	return 0;
}

int ck_archive_ingest(ck_archive *a, const char *const *sources, size_t nsources,
		      const ck_ingest_opts *o, ck_ingest_stats *out)
{
	static const ck_ingest_opts none = {0};
	struct pipe p;
	struct ckpt k;
	pthread_t th, th2, th3;
	int rc = 0;
	long long total = 0, done = 0, last_report = 0;
	if (!o)
		o = &none;
	memset(out, 0, sizeof *out);
	if (!a->writable)
		return ck_error_set(CK_EINVAL, "ingest: archive opened read-only");
	struct writer w = {a, o, out, &k, 0, 0, 0, o->batch > 0 ? o->batch : 1000, 0, 0};
	/* FTS5 writes its pending terms as a new segment when they pass
	 * hashsize (1 MB by default), and merges segments again and again as
	 * they pile up: larger first segments are fewer merges, fewer bytes
	 * written.  It merges a level once it holds `automerge` segments (4
	 * by default): 16 rewrites each term about half as often (log 16
	 * against log 4 of the segments).  The values are kept in fts_config
	 * (hashsize costs memory only to writers, up to that size). */
	if ((rc = ck_archive_exec(a, "INSERT INTO fts(fts, rank) VALUES('hashsize', " CK_FTS_HASHSIZE ");"
				     "INSERT INTO pfts(pfts, rank) VALUES('hashsize', " CK_FTS_HASHSIZE ");"
				     "INSERT INTO fts(fts, rank) VALUES('automerge', " CK_FTS_AUTOMERGE ");"
				     "INSERT INTO pfts(pfts, rank) VALUES('automerge', " CK_FTS_AUTOMERGE ")")))
		return rc;
	memset(&p, 0, sizeof p);
	queue_init(&p.parsed, &p.stop);
	queue_init(&p.prepared, &p.stop);
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
	if (pthread_create(&th2, NULL, preparer, &p)) {
		stop_all(&p);
		pthread_join(th, NULL);
		rc = ck_error_set(CK_ENOMEM, "ingest: cannot start a thread");
		goto destroy;
	}
	/* an archive with a vocabulary table notes the changes, so that a few
	 * cables update it instead of rebuilding it (termstat.c) */
	ck_termstat_delta_begin(a);
	w.ckpt_on = ckpt_start(a, &k, &th3);
	struct msg *m;
	while ((m = pop(&p.prepared))) {
		if (!rc) {
			done = m->done;
			if ((rc = write_one(&w, m))) {
				/* the archive failed: drain the queues, stop the other stages */
				stop_all(&p);
			} else if (o->progress) {
				long long now = mono_ms();
				if (now - last_report >= 100) {
					last_report = now;
					o->progress(out, done, total, o->ctx);
				}
			}
		}
		msg_free(m);
	}
	pthread_join(th, NULL);
	pthread_join(th2, NULL);
	if (w.in_tx && !rc)
		rc = ck_portions_flush(a);
	if (w.in_tx) {
		if (rc)
			sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
		else
			rc = ck_archive_exec(a, "COMMIT");
	}
	ck_portions_drop(a); /* after a ROLLBACK, the rows it held are gone */
	if (w.ckpt_on)
		ckpt_stop(a, &k, th3);
	/* the surnames the cables touched, grouped into persons again
	 * (persons.c); a killed ingest left them in pdirty for this one.
	 * Before the vocabulary: it is stamped with the generation, which
	 * this moves */
	if (!rc && !(rc = ck_archive_exec(a, "BEGIN IMMEDIATE"))) {
		if ((rc = ck_persons_resolve(a, NULL)))
			sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
		else
			rc = ck_archive_exec(a, "COMMIT");
	}
	/* the vocabulary's counts follow the archive (termstat.c); an archive
	 * from before them gets them on its next ingest */
	if (!rc && (out->added + out->updated > 0 || !ck_termstat_valid(a)))
		rc = ck_termstat_rebuild(a, out->added + out->updated);
	ck_termstat_delta_end(a);
	if (!rc && o->progress)
		o->progress(out, total ? total : done, total, o->ctx);
	if (!rc && (w.failed_any || p.walk_failed))
		rc = ck_error_set(CK_EIO, "ingest: some sources or cables failed");
destroy:
	free(p.cur_file);
	queue_destroy(&p.parsed);
	queue_destroy(&p.prepared);
	return rc;
}
