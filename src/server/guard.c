/*
 * guard.c - who may hold a connection to the server, and for how long.
 *
 * libmicrohttpd drops a connection only after it has been silent for its
 * timeout, so a client that sends one header line every 5 s keeps its
 * connection forever, and 512 of them used to lock everyone out (#14).  The
 * guard keeps a table of the open connections and enforces three rules:
 *   - a deadline for a whole request: line, headers and body must arrive
 *     within CK_SRV_REQUEST_SECS of the connection's start (or of the end
 *     of its previous answer, for keep-alive); ck_srv_guard_sweep() shuts
 *     the late ones;
 *   - at most CK_SRV_PER_CLIENT connections per client address: a new one
 *     beyond that pushes out the same client's oldest idle connection (one
 *     still waiting for its request), or is refused when all are busy;
 *   - room for new clients: above max - room connections, a new client
 *     pushes out the oldest idle connection of anyone.
 * So idle sockets, however many, cost a newcomer nothing: it takes the
 * place of the oldest idle one.  A connection whose request has been read
 * (busy) is never pushed out.
 *
 * The table does not know libmicrohttpd: server.c feeds it from MHD's
 * callbacks and gives it shutdown(2) to end a connection; the unit tests
 * give it a recorder.  One mutex; a linear scan of at most max slots per
 * new connection (about a microsecond at 1,000).
 */
#include "server/server.h"

#include <stdlib.h>
#include <string.h>

struct ck_srv_guard {
	pthread_mutex_t lock;
	int max, room, per_client;
	double secs;
	void (*shut)(int fd);
	ck_srv_conn *slot; /* max slots; fd -1 when free */
};

ck_srv_guard *ck_srv_guard_new(int max, int room, int per_client, double secs,
			       void (*shut)(int fd))
{
	ck_srv_guard *g = calloc(1, sizeof *g);
	if (!g || max < 1 || !(g->slot = calloc((size_t)max, sizeof *g->slot))) {
		free(g);
		return NULL;
	}
	pthread_mutex_init(&g->lock, NULL);
	g->max = max;
	g->room = room < max ? room : max - 1;
	g->per_client = per_client > 0 ? per_client : max;
	g->secs = secs;
	g->shut = shut;
	for (int i = 0; i < max; i++)
		g->slot[i].fd = -1;
	return g;
}

void ck_srv_guard_free(ck_srv_guard *g)
{
	if (!g)
		return;
	pthread_mutex_destroy(&g->lock);
	free(g->slot);
	free(g);
}

static int same_addr(const ck_srv_conn *c, const void *addr, size_t alen)
{
	return c->alen == alen && !memcmp(c->addr, addr, alen);
}

/* Live connections (from addr when addr is not NULL), and the oldest idle
 * one among them (NULL when none).  Locked. */
static int scan(ck_srv_guard *g, const void *addr, size_t alen, ck_srv_conn **oldest)
{
	int n = 0;
	*oldest = NULL;
	for (int i = 0; i < g->max; i++) {
		ck_srv_conn *c = &g->slot[i];
		if (c->fd < 0 || c->evicted || (addr && !same_addr(c, addr, alen)))
			continue;
		n++;
		if (!c->busy && (!*oldest || c->since < (*oldest)->since))
			*oldest = c;
	}
	return n;
}

static void evict(ck_srv_guard *g, ck_srv_conn *c)
{
	c->evicted = 1;
	if (g->shut)
		g->shut(c->fd);
}

int ck_srv_guard_admit(ck_srv_guard *g, const void *addr, size_t alen, double now)
{
	ck_srv_conn *old;
	int ok = 1;
	if (alen > sizeof old->addr)
		alen = sizeof old->addr;
	pthread_mutex_lock(&g->lock);
	if (scan(g, addr, alen, &old) >= g->per_client) {
		if (old)
			evict(g, old);
		else
			ok = 0; /* every connection of this client is busy */
	} else if (scan(g, NULL, 0, &old) >= g->max - g->room) {
		if (old)
			evict(g, old);
		else
			ok = scan(g, NULL, 0, &old) < g->max;
	}
	pthread_mutex_unlock(&g->lock);
	(void)now;
	return ok;
}

ck_srv_conn *ck_srv_guard_add(ck_srv_guard *g, int fd, const void *addr,
			      size_t alen, double now)
{
	ck_srv_conn *c = NULL;
	if (alen > sizeof c->addr)
		alen = sizeof c->addr;
	pthread_mutex_lock(&g->lock);
	for (int i = 0; i < g->max && !c; i++)
		if (g->slot[i].fd < 0)
			c = &g->slot[i];
	if (c) {
		memset(c, 0, sizeof *c);
		c->fd = fd;
		memcpy(c->addr, addr, alen);
		c->alen = (unsigned char)alen;
		c->since = now;
	}
	pthread_mutex_unlock(&g->lock);
	return c;
}

void ck_srv_guard_remove(ck_srv_guard *g, ck_srv_conn *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&g->lock);
	c->fd = -1;
	pthread_mutex_unlock(&g->lock);
}

void ck_srv_guard_busy(ck_srv_guard *g, ck_srv_conn *c, int busy, double now)
{
	if (!c)
		return;
	pthread_mutex_lock(&g->lock);
	c->busy = busy != 0;
	if (!busy)
		c->since = now;
	pthread_mutex_unlock(&g->lock);
}

int ck_srv_guard_sweep(ck_srv_guard *g, double now)
{
	int n = 0;
	pthread_mutex_lock(&g->lock);
	for (int i = 0; i < g->max; i++) {
		ck_srv_conn *c = &g->slot[i];
		if (c->fd >= 0 && !c->evicted && !c->busy && now - c->since > g->secs) {
			evict(g, c);
			n++;
		}
	}
	pthread_mutex_unlock(&g->lock);
	return n;
}

int ck_srv_guard_count(ck_srv_guard *g, const void *addr, size_t alen)
{
	ck_srv_conn *old;
	pthread_mutex_lock(&g->lock);
	int n = scan(g, addr, alen, &old);
	pthread_mutex_unlock(&g->lock);
	return n;
}
