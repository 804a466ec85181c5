/*
 * worker.h - a helper thread that runs one job at a time beside its
 * owner, so that a search can count its facets (memory only) while it
 * reads its page of hits from SQLite (archive/search.c).
 *
 *   ck_worker *w = ck_worker_new();      NULL when no thread could start
 *   if (ck_worker_start(w, fn, arg))     0: fn(arg) now runs on the helper
 *       fn(arg);                         else the caller runs it itself
 *   ...                                  the owner's own work
 *   ck_worker_wait(w);                   fn(arg) has returned
 *   (or: if (ck_worker_reclaim(w)) fn(arg); else ck_worker_wait(w);)
 *   ck_worker_free(w);                   stops and joins the thread
 *
 * One owner thread uses a worker; a job started must be waited for before
 * the next starts, or before the worker is freed.
 */
#ifndef CK_WORKER_H
#define CK_WORKER_H

typedef struct ck_worker ck_worker;

ck_worker *ck_worker_new(void);
int ck_worker_start(ck_worker *w, void (*fn)(void *), void *arg);
void ck_worker_wait(ck_worker *w);
/* the job given, taken back when the helper has not started it yet (1:
 * the caller runs it itself); 0 when it has started or none was given
 * (ck_worker_wait then waits for it).  When the machine is busy, a
 * helper may be woken late: the owner then does the job sooner itself. */
int ck_worker_reclaim(ck_worker *w);
void ck_worker_free(ck_worker *w);

/* the processors online: a helper is worth starting only with two or more */
int ck_worker_cpus(void);

#endif
