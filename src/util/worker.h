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
void ck_worker_free(ck_worker *w);

/* the processors online: a helper is worth starting only with two or more */
int ck_worker_cpus(void);

#endif
