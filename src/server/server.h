/*
 * server.h - internals of `cablekit serve`: the request record the route
 * handlers fill, the HTML/URL helpers the pages share, and the entry point
 * the CLI calls.  Nothing here is public API; every non-static name starts
 * with ck_srv_ or ck_html_ as `make checksymbols` wants.
 *
 * A request is handled by ck_srv_handle(), which does not know about
 * libmicrohttpd: arguments come through a getter, the answer is left in the
 * record (status, content type, body).  server.c glues it to MHD; the fuzz
 * target and the unit tests call it directly.
 */
#ifndef CK_SERVER_H
#define CK_SERVER_H
#include "cablekit.h"

/* Limits (bytes unless said). */
#define CK_SRV_MAX_URL 4096      /* path + query arguments, else 414 */
#define CK_SRV_MAX_Q 1000        /* q= of a search, else 400 */
#define CK_SRV_MAX_BODY 1024     /* request body, else 413 (we take none) */
#define CK_SRV_MAX_LIMIT 100     /* hits per page, larger values capped */
#define CK_SRV_DEF_LIMIT 20      /* hits per page by default */
#define CK_SRV_MAX_OFFSET 100000 /* deeper pages answered 400 */
#define CK_SRV_MAX_ID 64         /* cable id length, else 404 */

typedef struct ck_srv_opts {
	const char *db;   /* archive path */
	const char *bind; /* address to bind, "127.0.0.1" */
	int port;         /* 0 = any free port (printed on start) */
	int threads;      /* worker threads, 0 = automatic (2-4) */
	int quiet;        /* no access log */
	int cache_mb;     /* answer cache size (MB); 0 = default 64, <0 = off */
} ck_srv_opts;

/* Serve until SIGINT or SIGTERM.  Prints "listening on http://ADDR:PORT/"
 * to stdout once ready.  Returns 0 after a clean stop, or a CK_E* code
 * (message in ck_error_last()) when the archive or the socket fails. */
int ck_srv_run(const ck_srv_opts *o);

typedef const char *(*ck_srv_arg_fn)(void *ctx, const char *name);

/* One request and its answer. */
typedef struct ck_srv_req {
	/* the request */
	const char *method;    /* "GET", "HEAD" ... */
	const char *path;      /* decoded path, "/cable/07ROME1497" */
	ck_srv_arg_fn arg;     /* query argument getter (decoded) */
	void *arg_ctx;
	ck_arena *arena;       /* freed after the request */
	int api;               /* error bodies as JSON (set by routing) */
	/* the answer */
	int status;              /* HTTP status */
	const char *ctype;       /* Content-Type */
	ck_buf body;             /* body (when data is NULL) */
	const unsigned char *data; /* static body (embedded asset) or NULL */
	size_t data_len;
	const char *location;    /* Location header (redirects) or NULL */
	const char *cache;       /* Cache-Control or NULL ("no-store" default) */
	const char *allow;       /* Allow header on 405 */
	const char *retry;       /* Retry-After header on 503 */
} ck_srv_req;

/* Route and answer one request.  Fills status/ctype/body; never fails
 * (errors become 4xx/5xx answers). */
void ck_srv_handle(ck_srv_req *r);

/* The archive connection of the calling thread, opened on first use
 * (read-only, closed when the thread ends).  NULL on failure. */
ck_archive *ck_srv_archive(void);
/* Set the archive path used by ck_srv_archive() (before any request). */
void ck_srv_set_db(const char *path);

/* Answer with an error: JSON {"error":msg} under /api, else an HTML page. */
void ck_srv_error(ck_srv_req *r, int status, const char *msg);
/* Log an unexpected archive failure (code rc, ck_error_last()) on stderr. */
void ck_srv_log_error(ck_srv_req *r, int rc);
/* A query argument or NULL. */
const char *ck_srv_arg(ck_srv_req *r, const char *name);

/* ---- the answer cache (cache.c) ---- */

/* Start (max_bytes > 0) or stop the cache for the archive at db. */
void ck_srv_cache_init(const char *db, size_t max_bytes);
void ck_srv_cache_free(void);
/* Append the cached value of key to out: 0, or -1 when absent. */
int ck_srv_cache_get(const char *key, size_t klen, ck_buf *out);
void ck_srv_cache_put(const char *key, size_t klen, const char *val, size_t vlen);
void ck_srv_cache_stats(long *hits, long *misses, size_t *bytes);
/* ck_archive_search_json / ck_archive_stats_json through the cache. */
int ck_srv_search(ck_archive *a, const ck_search_opts *o, ck_buf *out);
int ck_srv_stats(ck_archive *a, ck_buf *out);

/* ---- handlers (api.c, pages.c) ---- */
void ck_srv_api_search(ck_srv_req *r, const char *tail);
void ck_srv_api_cable(ck_srv_req *r, const char *tail);
void ck_srv_api_stats(ck_srv_req *r, const char *tail);
void ck_srv_healthz(ck_srv_req *r, const char *tail);
void ck_srv_page_search(ck_srv_req *r, const char *tail);
void ck_srv_page_cable(ck_srv_req *r, const char *tail);
void ck_srv_page_browse(ck_srv_req *r, const char *tail);
void ck_srv_static(ck_srv_req *r, const char *tail);

/* Search arguments, checked: fills o (q, limit, offset, sort) from the
 * request; on a bad value answers 400 and returns -1. */
int ck_srv_search_args(ck_srv_req *r, ck_search_opts *o);
/* True when s looks like a cable id we may look up (letters, digits, and
 * . _ - ; 1..CK_SRV_MAX_ID bytes). */
int ck_srv_id_ok(const char *s);

/* ---- HTML and URLs (html.c) ---- */

/* THE escaping function: append s as HTML text or attribute value:
 * & < > " ' escaped, invalid UTF-8 and control characters replaced by
 * U+FFFD, CR dropped.  NULL appends nothing. */
void ck_html_esc(ck_buf *b, const char *s);
void ck_html_escn(ck_buf *b, const char *s, size_t n);
/* Append a search snippet: <mark> and </mark> and the entities &amp; &lt;
 * &gt; &quot; &#39; &#NN; kept, everything else escaped with ck_html_esc;
 * unclosed marks closed. */
void ck_html_snippet(ck_buf *b, const char *s);
/* Percent-encode s for a query-string value (space as +). */
void ck_url_esc(ck_buf *b, const char *s);
/* A search URL "/?q=...&sort=...&offset=N" (not yet HTML-escaped);
 * sort NULL/"relevance" and offset 0 are left out. */
void ck_srv_search_url(ck_buf *b, const char *q, const char *sort, int limit,
		       int offset);
/* q refined by field:value: the value quoted when needed; an existing
 * identical term is not repeated; for "date" the top-level date: terms of
 * a simple query (no parentheses, no OR) are replaced.  Appends to b. */
void ck_srv_q_refine(ck_buf *b, const char *q, const char *field,
		     const char *value);
/* Page frame: <!DOCTYPE html> ... <main>, and </main> ... </html>. */
void ck_html_begin(ck_buf *b, const char *title, const char *q);
void ck_html_end(ck_buf *b);
/* Today's date (UTC) as YYYY-MM-DD into buf[11]. */
void ck_srv_today(char buf[11]);

#endif
