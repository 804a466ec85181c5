/*
 * server.c - `cablekit serve`: libmicrohttpd with a pool of worker
 * threads, each with its own read-only archive connection (opened on first
 * use, closed when the thread ends); one table of routes; request limits;
 * security headers on every answer; an access log line per request on
 * stderr; a clean stop on SIGINT/SIGTERM.
 *
 * The handlers never see MHD: ck_srv_handle() routes a ck_srv_req and the
 * answer is turned into an MHD response here.
 */
#include "server/server.h"

#include <errno.h>
#include <microhttpd.h>

#include "util/dynlib.h" /* loaded on first use */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

/* ---- the archive of each thread ---- */

static const char *srv_db = "cables.db";
static int log_on = 1; /* access log and error lines on stderr */
static pthread_key_t archive_key;
static pthread_once_t archive_once = PTHREAD_ONCE_INIT;

static void archive_destroy(void *p)
{
	ck_archive_close(p);
}

static void archive_key_init(void)
{
	pthread_key_create(&archive_key, archive_destroy);
}

void ck_srv_set_db(const char *path)
{
	srv_db = path;
}

ck_archive *ck_srv_archive(void)
{
	pthread_once(&archive_once, archive_key_init);
	ck_archive *a = pthread_getspecific(archive_key);
	if (a)
		return a;
	if (ck_archive_open(&a, srv_db, CK_ARCHIVE_READONLY) != 0)
		return NULL;
	pthread_setspecific(archive_key, a);
	return a;
}

/* Close the calling thread's archive now (the main thread, at exit). */
static void archive_release(void)
{
	pthread_once(&archive_once, archive_key_init);
	ck_archive *a = pthread_getspecific(archive_key);
	if (a) {
		pthread_setspecific(archive_key, NULL);
		ck_archive_close(a);
	}
}

/* ---- routing ---- */

typedef void (*handler_fn)(ck_srv_req *r, const char *tail);

static const struct route {
	const char *path; /* exact path, or a prefix when it ends in '/' */
	int api;          /* errors as JSON */
	handler_fn fn;
} routes[] = {
	{"/", 0, ck_srv_page_search},
	{"/healthz", 1, ck_srv_healthz},
	{"/api/search", 1, ck_srv_api_search},
	{"/api/stats", 1, ck_srv_api_stats},
	{"/api/cable/", 1, ck_srv_api_cable},
	{"/cable/", 0, ck_srv_page_cable},
	{"/browse/", 0, ck_srv_page_browse},
	{"/static/", 0, ck_srv_static},
};
#define NROUTES (sizeof routes / sizeof routes[0])

const char *ck_srv_arg(ck_srv_req *r, const char *name)
{
	return r->arg ? r->arg(r->arg_ctx, name) : NULL;
}

int ck_srv_id_ok(const char *s)
{
	size_t n = 0;
	if (!s)
		return 0;
	for (; s[n]; n++) {
		unsigned char c = (unsigned char)s[n];
		if (n >= CK_SRV_MAX_ID)
			return 0;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return n > 0;
}

void ck_srv_error(ck_srv_req *r, int status, const char *msg)
{
	ck_buf_clear(&r->body);
	r->data = NULL;
	r->status = status;
	r->location = NULL;
	if (r->api) {
		r->ctype = "application/json";
		ck_buf_puts(&r->body, "{\"error\":");
		ck_json_str(&r->body, msg);
		ck_buf_puts(&r->body, "}\n");
		return;
	}
	r->ctype = "text/html; charset=utf-8";
	const char *title = status == 404 ? "Not found"
			    : status == 400 ? "Bad request"
			    : status == 405 ? "Method not allowed"
			    : status >= 500 ? "Server error"
					    : "Request refused";
	ck_html_begin(&r->body, title, NULL);
	ck_buf_printf(&r->body, "<h1>%s</h1>\n<p class=\"error\">", title);
	ck_html_esc(&r->body, msg);
	ck_buf_puts(&r->body, "</p>\n<p><a href=\"/\">Back to the search</a></p>\n");
	ck_html_end(&r->body);
}

void ck_srv_log_error(ck_srv_req *r, int rc)
{
	if (log_on)
		fprintf(stderr, "cablekit: serve: %s: archive error %d: %s\n",
			r->path ? r->path : "?", rc, ck_error_last());
}

void ck_srv_handle(ck_srv_req *r)
{
	const char *path = r->path ? r->path : "";
	r->status = 200;
	r->api = !strncmp(path, "/api/", 5) || !strcmp(path, "/api") ||
		 !strcmp(path, "/healthz");
	if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
		r->allow = "GET, HEAD";
		ck_srv_error(r, 405, "method not allowed (GET and HEAD only)");
		return;
	}
	for (size_t i = 0; i < NROUTES; i++) {
		const struct route *rt = &routes[i];
		size_t n = strlen(rt->path);
		int prefix = n > 1 && rt->path[n - 1] == '/';
		if (prefix ? strncmp(path, rt->path, n) : strcmp(path, rt->path))
			continue;
		r->api = rt->api;
		rt->fn(r, path + (prefix ? n : strlen(path)));
		return;
	}
	ck_srv_error(r, 404, r->api ? "no such API route" : "no such page");
}

/* ---- MHD glue ---- */

/* Decode %HH and '+' (forms send spaces as '+'); never lengthens. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
	char *w = s;
	for (char *p = s; *p; p++) {
		if (*p == '+') {
			*w++ = ' ';
		} else if (*p == '%' && p[1] && p[2] &&
			   strchr("0123456789abcdefABCDEF", p[1]) &&
			   strchr("0123456789abcdefABCDEF", p[2])) {
			char hex[3] = {p[1], p[2], 0};
			*w++ = (char)strtol(hex, NULL, 16);
			p += 2;
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

static const char *mhd_arg(void *ctx, const char *name)
{
	return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result count_arg(void *cls, enum MHD_ValueKind kind,
				 const char *key, const char *value)
{
	size_t *n = cls;
	*n += (key ? strlen(key) : 0) + (value ? strlen(value) : 0) + 2;
	return MHD_YES;
}

/* One access log line, written at once: time method path status bytes ms. */
static void access_log(const char *method, const char *path, int status,
		       size_t bytes, double ms)
{
	if (!log_on)
		return;
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
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	/* MHD calls this once when the headers are in, then with any body in
	 * pieces, then once more with none.  Answering on the first call would
	 * make MHD close the connection (no keep-alive), so a good request is
	 * answered on the last call; a refused one (too long, too big) at once. */
	static int started; /* *con_cls marker: the headers were seen */
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (*con_cls == &started && *upload_data_size) {
		*upload_data_size = 0; /* a small body we do not use */
		return MHD_YES;
	}
	ck_srv_req r;
	memset(&r, 0, sizeof r);
	r.method = method;
	r.path = url;
	r.arg = mhd_arg;
	r.arg_ctx = conn;
	r.status = 200;
	r.api = !strncmp(url, "/api", 4) || !strcmp(url, "/healthz");

	/* limits first: URL length, then any request body */
	size_t ulen = strlen(url);
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, count_arg, &ulen);
	const char *clen = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						       MHD_HTTP_HEADER_CONTENT_LENGTH);
	const char *te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_TRANSFER_ENCODING);
	unsigned long long body = clen ? strtoull(clen, NULL, 10) : 0;
	if (ulen > CK_SRV_MAX_URL) {
		ck_srv_error(&r, 414, "URL too long");
	} else if (body > CK_SRV_MAX_BODY || (te && strcasecmp(te, "identity"))) {
		ck_srv_error(&r, 413, "request body too large");
	} else if (*con_cls != &started) {
		*con_cls = &started;
		return MHD_YES;
	} else {
		r.arena = ck_arena_new();
		if (!r.arena)
			ck_srv_error(&r, 503, "out of memory");
		else
			ck_srv_handle(&r);
	}
	if (!r.ctype)
		r.ctype = "application/octet-stream";

	struct MHD_Response *resp;
	size_t bytes;
	if (r.data) {
		bytes = r.data_len;
		resp = MHD_create_response_from_buffer(r.data_len, (void *)r.data,
						       MHD_RESPMEM_PERSISTENT);
	} else {
		bytes = r.body.len;
		char *p = ck_buf_detach(&r.body);
		resp = MHD_create_response_from_buffer(bytes, p ? p : (char *)"",
						       p ? MHD_RESPMEM_MUST_FREE
							 : MHD_RESPMEM_PERSISTENT);
		if (!resp)
			free(p);
	}
	enum MHD_Result ret = MHD_NO;
	if (resp) {
		add_headers(resp, &r);
		ret = MHD_queue_response(conn, (unsigned)r.status, resp);
		MHD_destroy_response(resp);
	}
	ck_buf_free(&r.body);
	if (r.arena)
		ck_arena_free(r.arena);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	access_log(method, url, r.status, bytes,
		   (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
			   (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	return ret;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	if (!log_on)
		return;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	fprintf(stderr, "cablekit: serve: %s\n", msg);
}

int ck_srv_run(const ck_srv_opts *o)
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
	log_on = !o->quiet;
	ck_srv_set_db(o->db);

	/* Open the archive once up front so that a bad path fails now. */
	ck_archive *probe = ck_srv_archive();
	if (!probe) {
		const char *m = ck_error_last();
		return ck_error_set(CK_EIO, "%s: cannot open the archive%s%s", o->db,
				    *m ? ": " : "", m);
	}
	archive_release();

	ck_srv_cache_init(o->db, o->cache_mb < 0 ? 0
				 : (size_t)(o->cache_mb ? o->cache_mb : 64) << 20);

	int threads = o->threads;
	if (threads <= 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		threads = cpus < 2 ? 2 : cpus > 2 ? 4 : (int)cpus * 2;
	}

	/* Workers inherit this mask: signals go to the sigwait below. */
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	signal(SIGPIPE, SIG_IGN);

	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG,
		(uint16_t)o->port, NULL, NULL, on_request, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)threads,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)512,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
		MHD_OPTION_END);
	if (!d) {
		int e = errno;
		ck_srv_cache_free();
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		return ck_error_set(CK_EIO, "cannot listen on %s:%d: %s", bind, o->port,
				    e ? strerror(e) : "libmicrohttpd failed to start");
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	int port = info && info->port ? info->port : o->port;
	printf("listening on http://%s:%d/ (archive %s, %d threads; Ctrl-C stops)\n",
	       bind, port, o->db, threads);
	fflush(stdout);

	int sig = 0;
	sigwait(&set, &sig);
	if (log_on)
		fprintf(stderr, "cablekit: serve: %s, stopping\n",
			sig == SIGINT ? "SIGINT" : "SIGTERM");
	MHD_stop_daemon(d); /* joins the workers; their archives close */
	ck_srv_cache_free();
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return 0;
}
