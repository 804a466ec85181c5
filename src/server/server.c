/*
 * server.c - `cablekit serve` on libmicrohttpd: the only file that knows
 * MHD.  A pool of worker threads (each with its own read-only archive
 * connection, see route.c); the request head checked before any handler
 * runs; security headers on every answer; an access log line per request
 * on stderr; a clean stop on SIGINT/SIGTERM.
 *
 * What the head must pass (RFC 7230; #14), else 400 and the connection is
 * closed so that nothing after it is read as another request:
 *   - one Content-Length, digits only (two different ones are the
 *     smuggling of 3.3.3); no header name with a blank ("Content-Length :");
 *   - HTTP/1.1 with exactly one Host (5.4);
 *   - no NUL or other control byte in the path or an argument, once
 *     decoded: the decoding is libmicrohttpd's own (MHD_http_unescape;
 *     MHD turns '+' into a space in arguments only, never in the path), and
 *     the callback below flags what a C string would hide ("%00").
 * Connections are admitted and timed by guard.c (per-client limit, a
 * deadline for each whole request, room for new clients); MHD's callbacks
 * feed it, and a sweeper thread shuts the late ones.
 *
 * The handlers never see MHD: ck_srv_handle() routes a ck_srv_req and the
 * answer is turned into an MHD response here.
 */
#include "server/server.h"

#include <errno.h>
#include <malloc.h>
#include <microhttpd.h>

#include "util/dynlib.h" /* loaded on first use */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* What MHD's callbacks share (their cls). */
struct glue {
	ck_srv *srv;
	ck_srv_guard *guard;
	volatile int stop;  /* tells the sweeper to end */
};

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- connections: fed to the guard ---- */

static void shut(int fd)
{
	shutdown(fd, SHUT_RDWR); /* MHD sees the end and closes the connection */
}

/* The client address bytes of a socket address (IPv4 or IPv6). */
static const void *addr_bytes(const struct sockaddr *sa, size_t *n)
{
	if (sa && sa->sa_family == AF_INET6) {
		*n = 16;
		return &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
	}
	*n = 4;
	return sa ? (const void *)&((const struct sockaddr_in *)(const void *)sa)->sin_addr
		  : (const void *)"\0\0\0";
}

static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t len)
{
	struct glue *g = cls;
	size_t n;
	const void *a = addr_bytes(addr, &n);
	return ck_srv_guard_admit(g->guard, a, n, now_s()) ? MHD_YES : MHD_NO;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	struct glue *g = cls;
	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		ck_srv_guard_remove(g->guard, *socket_context);
		*socket_context = NULL;
		return;
	}
	const union MHD_ConnectionInfo *fd = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	const union MHD_ConnectionInfo *ad = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!fd)
		return;
	size_t n;
	const void *a = addr_bytes(ad ? ad->client_addr : NULL, &n);
	*socket_context = ck_srv_guard_add(g->guard, fd->connect_fd, a, n, now_s());
	if (!*socket_context)
		shut(fd->connect_fd); /* the table is full */
}

static ck_srv_conn *conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *i = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return i ? i->socket_context : NULL;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct glue *g = cls;
	ck_srv_guard_busy(g->guard, conn_of(c), 0, now_s());
}

static void *sweeper(void *cls)
{
	struct glue *g = cls;
	while (!g->stop) {
		struct timespec t = {0, 200 * 1000 * 1000};
		nanosleep(&t, NULL);
		ck_srv_guard_sweep(g->guard, now_s());
	}
	return NULL;
}

/* libmicrohttpd's decoding of the path and of each argument (after MHD
 * has turned '+' into ' ' in arguments); a decoded control byte marks the
 * request for a 400, since the C string the handler gets would hide a NUL. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
	size_t n = MHD_http_unescape(s);
	if (!ck_srv_ctl_free(s, n)) {
		ck_srv_conn *k = conn_of(c);
		if (k)
			k->bad_url = 1; /* only this connection's thread touches it now */
	}
	return n;
}

/* ---- the request head ---- */

struct head {
	int nclen, clen_differ, clen_bad; /* Content-Length headers */
	const char *clen;
	int nhost;                        /* Host headers */
	int bad_name;                     /* a header name with a blank */
	int ctl;                          /* a control byte in an argument */
	size_t url;                       /* bytes of the arguments */
};

static enum MHD_Result head_header(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	struct head *h = cls;
	if (!key)
		return MHD_YES;
	if (strpbrk(key, " \t"))
		h->bad_name = 1;
	if (!strcasecmp(key, MHD_HTTP_HEADER_HOST))
		h->nhost++;
	if (!strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH)) {
		const char *v = value ? value : "";
		if (h->nclen++ && strcmp(v, h->clen))
			h->clen_differ = 1;
		h->clen = v;
		if (!*v || v[strspn(v, "0123456789")])
			h->clen_bad = 1;
	}
	return MHD_YES;
}

static enum MHD_Result head_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				const char *value)
{
	struct head *h = cls;
	size_t k = key ? strlen(key) : 0, v = value ? strlen(value) : 0;
	h->url += k + v + 2;
	if (!ck_srv_ctl_free(key ? key : "", k) || !ck_srv_ctl_free(value ? value : "", v))
		h->ctl = 1;
	return MHD_YES;
}

/* Check the head of a request; answers r (and returns -1) when refused. */
static int check_head(struct MHD_Connection *conn, ck_srv_conn *k, const char *url,
		      const char *version, ck_srv_req *r)
{
	struct head h;
	memset(&h, 0, sizeof h);
	h.url = strlen(url);
	MHD_get_connection_values(conn, MHD_HEADER_KIND, head_header, &h);
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, head_arg, &h);
	const char *te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_TRANSFER_ENCODING);
	int bad_url = k && k->bad_url;
	if (k)
		k->bad_url = 0;
	r->close = 1;
	if (bad_url || h.ctl || !ck_srv_ctl_free(url, strlen(url)))
		ck_srv_error(r, 400, "a control character in the URL");
	else if (h.bad_name)
		ck_srv_error(r, 400, "a header name with a blank in it");
	else if (h.clen_differ)
		ck_srv_error(r, 400, "two different Content-Length headers");
	else if (h.clen_bad)
		ck_srv_error(r, 400, "Content-Length: not a number");
	else if (!strcmp(version, MHD_HTTP_VERSION_1_1) && h.nhost != 1)
		ck_srv_error(r, 400, h.nhost ? "more than one Host header"
					     : "HTTP/1.1 request without a Host header");
	else if (h.url > CK_SRV_MAX_URL)
		ck_srv_error(r, 414, "URL too long");
	else if ((h.clen && strtoull(h.clen, NULL, 10) > CK_SRV_MAX_BODY) ||
		 (te && strcasecmp(te, "identity")))
		ck_srv_error(r, 413, "request body too large");
	else
		return r->close = 0;
	return -1;
}

/* ---- the answer ---- */

static const char *mhd_arg(void *ctx, const char *name)
{
	return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, name);
}

/* One access log line, written at once: time method path status bytes ms. */
static void access_log(const char *method, const char *path, int status,
		       size_t bytes, double ms)
{
	char line[512], ts[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	int n = snprintf(line, sizeof line, "%s %.10s ", ts, method);
	/* the path with control bytes, spaces, quotes and <>& hex-escaped */
	for (const unsigned char *p = (const unsigned char *)path;
	     *p && n < (int)sizeof line - 80; p++) {
		if (*p <= 0x20 || *p >= 0x7F || *p == '"' || *p == '\\' || *p == '<' ||
		    *p == '>' || *p == '&' || *p == '\'')
			n += snprintf(line + n, sizeof line - (size_t)n, "\\x%02X", *p);
		else
			line[n++] = (char)*p;
	}
	n += snprintf(line + n, sizeof line - (size_t)n, " %d %zu %.1fms\n",
		      status, bytes, ms);
	if (n > (int)sizeof line)
		n = (int)sizeof line;
	ssize_t w = write(STDERR_FILENO, line, (size_t)n);
	(void)w;
}

static void add_headers(struct MHD_Response *resp, const ck_srv_req *r)
{
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->ctype);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'self'; script-src 'self'; style-src 'self'; "
				"img-src 'self' data:; object-src 'none'; base-uri 'none'; "
				"form-action 'self'; frame-ancestors 'none'");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
				r->cache ? r->cache : "no-store");
	if (r->location)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->location);
	if (r->allow)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
	if (r->retry)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, r->retry);
	if (r->close)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
}

/* Queue the answer in r; returns MHD's verdict, *bytes the body size. */
static enum MHD_Result answer(struct MHD_Connection *conn, ck_srv_req *r, size_t *bytes)
{
	struct MHD_Response *resp;
	if (!r->ctype)
		r->ctype = "application/octet-stream";
	if (r->data) {
		*bytes = r->data_len;
		resp = MHD_create_response_from_buffer(r->data_len, (void *)r->data,
						       MHD_RESPMEM_PERSISTENT);
	} else {
		*bytes = r->body.len;
		char *p = ck_buf_detach(&r->body);
		resp = MHD_create_response_from_buffer(*bytes, p ? p : (char *)"",
						       p ? MHD_RESPMEM_MUST_FREE
							 : MHD_RESPMEM_PERSISTENT);
		if (!resp)
			free(p);
	}
	enum MHD_Result ret = MHD_NO;
	if (resp) {
		add_headers(resp, r);
		ret = MHD_queue_response(conn, (unsigned)r->status, resp);
		MHD_destroy_response(resp);
	}
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	/* MHD calls this once when the head is in, then with any body in
	 * pieces, then once more with none.  Answering on the first call would
	 * make MHD close the connection (no keep-alive), so a good request is
	 * answered on the last call; a refused one at once, closing. */
	static int started; /* *con_cls marker: the head was checked */
	struct glue *g = cls;
	double t0 = now_s();
	if (*con_cls == &started && *upload_data_size) {
		*upload_data_size = 0; /* a small body we do not use */
		return MHD_YES;
	}
	ck_srv_conn *k = conn_of(conn);
	ck_srv_req r;
	memset(&r, 0, sizeof r);
	r.srv = g->srv;
	r.method = method;
	r.path = url;
	r.arg = mhd_arg;
	r.arg_ctx = conn;
	r.status = 200;
	r.api = !strncmp(url, "/api", 4) || !strcmp(url, "/healthz");
	if (*con_cls != &started) {
		if (check_head(conn, k, url, version, &r) == 0) {
			*con_cls = &started;
			return MHD_YES;
		}
	} else if (!(r.arena = ck_arena_new())) {
		ck_srv_error(&r, 503, "out of memory");
	} else {
		ck_srv_handle(&r);
	}
	ck_srv_guard_busy(g->guard, k, 1, t0);
	size_t bytes = 0;
	enum MHD_Result ret = answer(conn, &r, &bytes);
	ck_buf_free(&r.body);
	if (r.arena)
		ck_arena_free(r.arena);
	if (g->srv->log_on)
		access_log(method, url, r.status, bytes, (now_s() - t0) * 1e3);
	return ret;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct glue *g = cls;
	if (!g->srv->log_on)
		return;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	fprintf(stderr, "cablekit: serve: %s\n", msg);
}

/* ---- start and stop ---- */

/* Connections we can hold: raise the soft file limit to the hard one (at
 * most 4096) and leave 64 descriptors for the archive and the rest. */
static int conn_budget(int threads)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 256;
	rlim_t want = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > 4096 ? 4096 : rl.rlim_max;
	if (rl.rlim_cur < want) {
		rl.rlim_cur = want;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	long n = (long)rl.rlim_cur - 64 - 4L * threads;
	return n > CK_SRV_MAX_CONNS ? CK_SRV_MAX_CONNS : n < 64 ? 64 : (int)n;
}

static int auto_threads(int threads)
{
	if (threads > 0)
		return threads;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	return cpus < 2 ? 2 : cpus > 2 ? 4 : (int)cpus * 2;
}

/* Run the daemon of g on sa until SIGINT/SIGTERM; 0 or a CK_E* code. */
static int run(struct glue *g, const struct sockaddr_in *sa, const ck_serve_opts *o,
	       int threads)
{
	int conns = conn_budget(threads);
	g->guard = ck_srv_guard_new(conns, CK_SRV_ROOM, CK_SRV_PER_CLIENT,
				    CK_SRV_REQUEST_SECS, shut);
	if (!g->guard)
		return ck_error_set(CK_ENOMEM, "out of memory");
	/* Workers inherit this mask: signals go to the sigwait below. */
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	signal(SIGPIPE, SIG_IGN);
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG,
		(uint16_t)o->port, on_accept, g, on_request, g,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, g,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)threads,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)conns,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)CK_SRV_IDLE_SECS,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, g,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, g,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape, g,
		MHD_OPTION_END);
	if (!d) {
		int e = errno;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		return ck_error_set(CK_EIO, "cannot listen on %s:%d: %s", inet_ntoa(sa->sin_addr),
				    o->port, e ? strerror(e) : "libmicrohttpd failed to start");
	}
	pthread_t sw;
	int have_sw = pthread_create(&sw, NULL, sweeper, g) == 0;
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char pool[48] = "";
	if (g->srv->page_bytes)
		snprintf(pool, sizeof pool, ", page pool %zu MB", (g->srv->page_bytes * (size_t)threads) >> 20);
	printf("listening on http://%s:%d/ (archive %s, %d threads%s; Ctrl-C stops)\n",
	       inet_ntoa(sa->sin_addr), info && info->port ? info->port : o->port, o->db, threads, pool);
	fflush(stdout);
	int sig = 0;
	sigwait(&set, &sig);
	if (g->srv->log_on)
		fprintf(stderr, "cablekit: serve: %s, stopping\n",
			sig == SIGINT ? "SIGINT" : "SIGTERM");
	g->stop = 1;
	if (have_sw)
		pthread_join(sw, NULL);
	MHD_stop_daemon(d); /* joins the workers; their archives close */
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return 0;
}

/* The page pool: --page-cache-mb, by default the archive's size (file and
 * WAL) up to 256 MB, at least 16 MB; 0 when off */
static size_t page_pool_bytes(const ck_serve_opts *o)
{
	if (o->page_cache_mb < 0)
		return 0;
	if (o->page_cache_mb > 0)
		return (size_t)o->page_cache_mb << 20;
	size_t size = 0;
	struct stat st;
	char wal[4096];
	if (stat(o->db, &st) == 0)
		size += (size_t)st.st_size;
	if (snprintf(wal, sizeof wal, "%s-wal", o->db) < (int)sizeof wal && stat(wal, &st) == 0)
		size += (size_t)st.st_size;
	size_t lo = (size_t)16 << 20, hi = (size_t)256 << 20;
	return size < lo ? lo : size > hi ? hi : size;
}

int ck_serve(const ck_serve_opts *o)
{
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)o->port);
	const char *bind = o->bind && *o->bind ? o->bind : "127.0.0.1";
	if (inet_pton(AF_INET, bind, &sa.sin_addr) != 1)
		return ck_error_set(CK_EINVAL, "--bind %s: not an IPv4 address", bind);
	if (o->port < 0 || o->port > 65535)
		return ck_error_set(CK_EINVAL, "--port %d: out of range", o->port);
	if (!ck_libmhd())
		return CK_EIO; /* libmicrohttpd cannot be loaded: the message says so */
	size_t cache = o->cache_mb < 0 ? 0 : (size_t)(o->cache_mb ? o->cache_mb : 64) << 20;
	struct glue g = {ck_srv_new(o->db, cache, !o->quiet), NULL, 0};
	if (!g.srv)
		return ck_error_set(CK_ENOMEM, "out of memory");
	int threads = auto_threads(o->threads);
	/* the workers read through one page pool, faulted in now, instead of
	 * each mapping the file (ck_archive_page_pool): a new server's first
	 * searches no longer fault page by page.  Not when SQLite was used
	 * before in this process: the workers then map the file as before. */
	size_t pool = page_pool_bytes(o);
	if (pool && ck_archive_page_pool(pool) == 0)
		g.srv->page_bytes = pool / (size_t)threads;
	/* Open the archive once up front so that a bad path fails now, and
	 * start building the column cache and field index (a thread of their
	 * own; searches answer meanwhile) rather than wait for searches. */
	ck_archive *a0 = ck_srv_archive_of(g.srv);
	if (!a0) {
		const char *m = ck_error_last();
		int rc = ck_error_set(CK_EIO, "%s: cannot open the archive%s%s", o->db,
				      *m ? ": " : "", m);
		ck_srv_free(g.srv);
		return rc;
	}
	ck_archive_search_ready(a0);
	ck_srv_release(g.srv);
	/* A search's scratch (hit lists, count arrays: megabytes at 250k
	 * cables) is freed at its end.  glibc hands blocks over 128 KB back to
	 * the kernel and trims the heaps, so the next search faulted in and
	 * zeroed fresh pages: a third of a 130,000-hit search was page faults.
	 * The workers keep that memory in their heaps instead. */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	int rc = run(&g, &sa, o, threads);
	ck_srv_guard_free(g.guard);
	ck_srv_free(g.srv);
	return rc;
}
