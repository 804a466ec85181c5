/*
 * worker.c - a helper thread that runs one job at a time (worker.h).
 */
#include "util/worker.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

struct ck_worker {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;       /* a job given, a job done, or stop */
	void (*fn)(void *);      /* the job, NULL when none is pending */
	void *arg;
	int busy;                /* a job given and not yet done */
	int stop;
};

static void *loop(void *p)
{
	ck_worker *w = p;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->fn && !w->stop)
			pthread_cond_wait(&w->cv, &w->mu);
		if (!w->fn) /* stop, with no job pending */
			break;
		void (*fn)(void *) = w->fn;
		void *arg = w->arg;
		w->fn = NULL;
		pthread_mutex_unlock(&w->mu);
		fn(arg);
		pthread_mutex_lock(&w->mu);
		w->busy = 0;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

ck_worker *ck_worker_new(void)
{
	ck_worker *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->thread, NULL, loop, w)) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		free(w);
		return NULL;
	}
	return w;
}

int ck_worker_start(ck_worker *w, void (*fn)(void *), void *arg)
{
	if (!w)
		return -1;
	pthread_mutex_lock(&w->mu);
	int ok = !w->busy && !w->stop;
	if (ok) {
		w->fn = fn;
		w->arg = arg;
		w->busy = 1;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return ok ? 0 : -1;
}

void ck_worker_wait(ck_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	while (w->busy)
		pthread_cond_wait(&w->cv, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

int ck_worker_reclaim(ck_worker *w)
{
	if (!w)
		return 0;
	pthread_mutex_lock(&w->mu);
	int took = w->fn != NULL; /* given, and not taken by the helper */
	if (took) {
		w->fn = NULL;
		w->busy = 0;
	}
	pthread_mutex_unlock(&w->mu);
	return took;
}

void ck_worker_free(ck_worker *w)
{
	if (!w)
		return;
	ck_worker_wait(w);
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w);
}

int ck_worker_cpus(void)
{
	static int cached; /* sysconf reads /sys: asked once */
	int n = __atomic_load_n(&cached, __ATOMIC_RELAXED);
	if (!n) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		n = c > 0 && c < 4096 ? (int)c : 1;
		__atomic_store_n(&cached, n, __ATOMIC_RELAXED);
	}
	return n;
}
