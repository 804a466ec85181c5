/*
 * server.h - internals of `cablekit serve` (the public entry point is
 * ck_serve() in cablekit.h).  Nothing here is public API; every non-static
 * name starts with ck_srv_ or ck_html_ as `make checksymbols` wants.
 *
 * The layers, each in its own file:
 *   server.c      libmicrohttpd glue: daemon, request head checks, answers
 *   guard.c       the connection table: per-client limit, request deadline,
 *                 room for new clients (no libmicrohttpd, unit-tested)
 *   route.c       the route table, ck_srv_handle(), error answers
 *   api.c         the JSON routes and their argument checks
 *   cache.c       the answer cache
 *   html.c        THE escaping function, URLs, shared page pieces
 *   histogram.c   the date histogram (pure, unit-tested)
 *   page_search.c page_cable.c page_browse.c page_person.c   the pages
 *
 * A request is handled by ck_srv_handle(), which does not know about
 * libmicrohttpd: arguments come through a getter, the answer is left in the
 * record (status, content type, body).  server.c glues it to MHD; the fuzz
 * target and the unit tests call it directly.  All state lives in a ck_srv
 * (no process-global state).
 */
#ifndef CK_SERVER_H
#define CK_SERVER_H
#include "cablekit.h"

#include <pthread.h>

/* Limits (bytes unless said). */
#define CK_SRV_MAX_URL 4096      /* path + query arguments, else 414 */
#define CK_SRV_MAX_Q 1000        /* q= of a search, else 400 */
#define CK_SRV_MAX_BODY 1024     /* request body, else 413 (we take none) */
#define CK_SRV_MAX_LIMIT 100     /* hits per page, larger values capped */
#define CK_SRV_DEF_LIMIT 20      /* hits per page by default */
#define CK_SRV_MAX_OFFSET 100000 /* deeper pages answered 400 */
#define CK_SRV_MAX_ID 64         /* cable id length, else 404 */
/* Connections (guard.c). */
#define CK_SRV_MAX_CONNS 1000    /* at once (fewer when the fd limit is low) */
#define CK_SRV_ROOM 64           /* above MAX_CONNS - ROOM, new clients push out idle ones */
#define CK_SRV_PER_CLIENT 32     /* per client address; a browser opens ~6 */
#define CK_SRV_REQUEST_SECS 10   /* a whole request (line, headers, body) within this */
#define CK_SRV_IDLE_SECS 10      /* no progress in either direction closes */

typedef struct ck_srv_cache ck_srv_cache;
typedef struct ck_srv_guard ck_srv_guard;

/* The server: what every request shares. */
typedef struct ck_srv {
	char *db;                  /* archive path (owned) */
	int log_on;                /* access log and error lines on stderr */
	pthread_key_t archive_key; /* each worker thread's archive */
	ck_srv_cache *cache;       /* answer cache, NULL when off */
	size_t page_bytes;         /* each worker's page cache (ck_archive_cache); 0: it maps the file */
} ck_srv;

/* A server over the archive at db (not opened yet) with an answer cache of
 * cache_bytes (0: none).  NULL when out of memory.  Free with ck_srv_free()
 * after every thread that used it has ended or called ck_srv_release(). */
ck_srv *ck_srv_new(const char *db, size_t cache_bytes, int log_on);
void ck_srv_free(ck_srv *s);
/* The archive connection of the calling thread, opened on first use
 * (read-only, closed when the thread ends).  NULL on failure. */
ck_archive *ck_srv_archive_of(ck_srv *s);
/* Close the calling thread's archive now. */
void ck_srv_release(ck_srv *s);

typedef const char *(*ck_srv_arg_fn)(void *ctx, const char *name);

/* One request and its answer. */
typedef struct ck_srv_req {
	/* the request */
	ck_srv *srv;           /* the server */
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
	int close;               /* close the connection after the answer */
} ck_srv_req;

/* ---- routing (route.c) ---- */

/* Route and answer one request.  Fills status/ctype/body; never fails
 * (errors become 4xx/5xx answers). */
void ck_srv_handle(ck_srv_req *r);
/* The archive of this request's thread; NULL after answering 503. */
ck_archive *ck_srv_archive(ck_srv_req *r);
/* Answer with an error: JSON {"error":msg} under /api, else an HTML page. */
void ck_srv_error(ck_srv_req *r, int status, const char *msg);
/* Log an unexpected archive failure (code rc, ck_error_last()) on stderr. */
void ck_srv_log_error(ck_srv_req *r, int rc);
/* A query argument or NULL. */
const char *ck_srv_arg(ck_srv_req *r, const char *name);
/* True when s looks like a cable id we may look up (letters, digits, and
 * . _ - ; 1..CK_SRV_MAX_ID bytes). */
int ck_srv_id_ok(const char *s);
/* True when the n bytes at s hold no control byte (C0, DEL): a NUL would
 * cut a path or argument short, the others have no business in one. */
int ck_srv_ctl_free(const char *s, size_t n);
/* A person key or name as /person/ and /api/person/ take it: 1 to
 * CK_SRV_MAX_ID bytes, no '/', no control byte (keys keep UTF-8 letters). */
int ck_srv_person_ok(const char *s);

/* ---- the answer cache (cache.c) ---- */

/* A cache of max_bytes for the archive at db (emptied when the file or its
 * -wal changes).  NULL when max_bytes is 0 or memory is short: every
 * function below takes NULL as "no cache".  Free with ck_srv_cache_free. */
ck_srv_cache *ck_srv_cache_new(const char *db, size_t max_bytes);
void ck_srv_cache_free(ck_srv_cache *c);
/* Append the cached value of key to out: 0, or -1 when absent. */
int ck_srv_cache_get(ck_srv_cache *c, const char *key, size_t klen, ck_buf *out);
void ck_srv_cache_put(ck_srv_cache *c, const char *key, size_t klen,
		      const char *val, size_t vlen);
void ck_srv_cache_stats(ck_srv_cache *c, long *hits, long *misses, size_t *bytes);
/* ck_archive_search_json / ck_archive_stats_json through the cache. */
int ck_srv_search(ck_srv_req *r, ck_archive *a, const ck_search_opts *o, ck_buf *out);
int ck_srv_stats(ck_srv_req *r, ck_archive *a, ck_buf *out);

/* ---- the connection table (guard.c) ---- */

/* One client connection as the guard sees it. */
typedef struct ck_srv_conn {
	int fd;                    /* socket, -1 when the slot is free */
	unsigned char addr[16];    /* client address (4 bytes for IPv4) */
	unsigned char alen;
	unsigned char busy;        /* request read: answer being made or sent */
	unsigned char evicted;     /* shut down by the guard, closing */
	unsigned char bad_url;     /* a control byte decoded in the URL */
	double since;              /* when the request now read began (s) */
} ck_srv_conn;

/* A table of up to max connections, at most per_client from one address,
 * each request to be read within secs.  shut(fd) ends a connection (server:
 * shutdown(2); tests: a recorder); it is called with the table locked, so
 * the fd is still open.  NULL when out of memory. */
ck_srv_guard *ck_srv_guard_new(int max, int room, int per_client, double secs,
			       void (*shut)(int fd));
void ck_srv_guard_free(ck_srv_guard *g);
/* A client at addr connects at time now: 1 to accept (an older idle
 * connection may have been shut to make room), 0 to refuse. */
int ck_srv_guard_admit(ck_srv_guard *g, const void *addr, size_t alen, double now);
/* Track an accepted connection; NULL when the table is full. */
ck_srv_conn *ck_srv_guard_add(ck_srv_guard *g, int fd, const void *addr,
			      size_t alen, double now);
/* The connection closed (before its fd is). */
void ck_srv_guard_remove(ck_srv_guard *g, ck_srv_conn *c);
/* A request was read (busy 1), or its answer sent (busy 0: the next
 * request's clock starts at now). */
void ck_srv_guard_busy(ck_srv_guard *g, ck_srv_conn *c, int busy, double now);
/* Shut every connection whose request is not read by its deadline;
 * returns how many. */
int ck_srv_guard_sweep(ck_srv_guard *g, double now);
/* Live (not shut) connections: all of them, or from addr. */
int ck_srv_guard_count(ck_srv_guard *g, const void *addr, size_t alen);

/* ---- handlers (api.c, page_*.c) ---- */
void ck_srv_api_search(ck_srv_req *r, const char *tail);
void ck_srv_api_cable(ck_srv_req *r, const char *tail);
void ck_srv_api_stats(ck_srv_req *r, const char *tail);
void ck_srv_api_person(ck_srv_req *r, const char *tail);
void ck_srv_page_person(ck_srv_req *r, const char *tail);
void ck_srv_healthz(ck_srv_req *r, const char *tail);
void ck_srv_static(ck_srv_req *r, const char *tail);
void ck_srv_page_search(ck_srv_req *r, const char *tail);
void ck_srv_page_cable(ck_srv_req *r, const char *tail);
void ck_srv_page_browse(ck_srv_req *r, const char *tail);

/* The results page of a search answer (the JSON of /api/search) for the
 * search o; 0, or -1 when json is not JSON.  Counts marked estimated
 * ("total_exact": false, "facets_sampled": true) get "≈" (&#8776;). */
int ck_srv_results_html(ck_buf *b, const char *json, size_t n, const ck_search_opts *o);
/* Search arguments, checked: fills o (q, limit, offset, sort) from the
 * request; on a bad value answers 400 and returns -1. */
int ck_srv_search_args(ck_srv_req *r, ck_search_opts *o);

/* ---- HTML and URLs (html.c) ---- */

#define CK_HTML_TYPE "text/html; charset=utf-8"

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
/* Shared pieces: href="url" (escaped); href to a cable page (+ fragment);
 * <a> to the search for q refined by field:value (title optional); a
 * marking badge; the day of an ISO date in <time>; "≈" when !exact. */
void ck_html_href(ck_buf *b, const char *url);
void ck_html_cable_href(ck_buf *b, const char *id, const char *frag);
void ck_html_refine_link(ck_buf *b, const char *q, const char *field,
			 const char *value, const char *text, const char *sort,
			 const char *title);
void ck_html_badge(ck_buf *b, const char *marking);
void ck_html_day(ck_buf *b, const char *iso);
void ck_html_approx(ck_buf *b, int exact);

/* The facets of a search and the browse lists, in page order. */
typedef struct ck_srv_facet {
	const char *key;    /* in the JSON: "origin" */
	const char *title;  /* on the page: "Origin" */
	const char *field;  /* query field: "from" */
	const char *browse; /* /browse/{origin|year|tag|marking}; NULL: no such list
	                     * (concept, office: not in /api/stats) */
} ck_srv_facet;
#define CK_SRV_NFACETS 6
extern const ck_srv_facet ck_srv_facets[CK_SRV_NFACETS];

/* ---- the date histogram (histogram.c) ---- */

/* One facet value and its count ("2007-07", 12). */
typedef struct ck_srv_count {
	const char *key;
	long long n;
} ck_srv_count;

/* Append the histogram of a result set as an inline SVG figure: by month
 * from months[] (keys YYYY-MM), or by year from years[] (keys YYYY) when
 * months are absent or span more than eight years.  Each bar links to q
 * refined by date:KEY (sort kept).  exact 0 marks the counts as estimates.
 * Keys that are not dates are skipped; nothing is appended without data. */
void ck_srv_histogram(ck_buf *b, const ck_srv_count *months, size_t nmonths,
		      const ck_srv_count *years, size_t nyears, const char *q,
		      const char *sort, int exact);

/* ---- meanings (meanings.c, tables generated from data/) ---- */

/* data/eo-reasons.tsv and data/portion-markings.tsv, sorted by key, each
 * ending with a NULL key (build/gen/srvtables.c, scripts/gentables.sh). */
struct ck_srv_reason {
	const char *letter;  /* "b" */
	const char *meaning; /* "foreign government information" */
};
struct ck_srv_portion {
	const char *marking; /* "SBU" */
	const char *meaning; /* "sensitive but unclassified" */
	const char *cls;     /* CSS class of the badge, "pm pm-u" */
};
extern const struct ck_srv_reason ck_srv_reason_table[];
extern const struct ck_srv_portion ck_srv_portion_table[];

/* The category of an E.O. 12958 classification reason ("1.4(b)" -> "foreign
 * government information"), or NULL. */
const char *ck_srv_reason_meaning(const char *reason);
/* A paragraph's portion marking: its meaning ("C" -> "confidential") or
 * NULL, and the CSS class of its badge ("pm pm-c"; "pm" when unknown). */
const char *ck_srv_portion_meaning(const char *marking);
const char *ck_srv_portion_class(const char *marking);

#endif
