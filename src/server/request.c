/*
 * request.c - the server object and what a handler may ask of a request.
 * ck_srv holds what the requests share (archive path, a per-thread archive
 * connection, the answer cache); a handler reads query arguments, checks
 * an id, gets the archive, and turns an error into an answer (JSON under
 * /api, an HTML page elsewhere).  The route table (route.c), the handlers
 * (api.c, page_*.c) and the libmicrohttpd glue (server.c) call down here.
 */
#include "server/server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void archive_destroy(void *p)
{
	ck_archive_close(p);
}

ck_srv *ck_srv_new(const char *db, size_t cache_bytes, int log_on)
{
	ck_srv *s = calloc(1, sizeof *s);
	if (!s || !(s->db = strdup(db ? db : "cables.db")) ||
	    pthread_key_create(&s->archive_key, archive_destroy) != 0) {
		if (s)
			free(s->db);
		free(s);
		return NULL;
	}
	s->log_on = log_on;
	s->cache = ck_srv_cache_new(db, cache_bytes);
	return s;
}

void ck_srv_free(ck_srv *s)
{
	if (!s)
		return;
	ck_srv_release(s);
	pthread_key_delete(s->archive_key);
	ck_srv_cache_free(s->cache);
	free(s->db);
	free(s);
}

ck_archive *ck_srv_archive_of(ck_srv *s)
{
	ck_archive *a = pthread_getspecific(s->archive_key);
	if (a)
		return a;
	if (ck_archive_open(&a, s->db, CK_ARCHIVE_READONLY) != 0)
		return NULL;
	if (s->page_bytes)
		ck_archive_cache(a, s->page_bytes);
	pthread_setspecific(s->archive_key, a);
	return a;
}

void ck_srv_release(ck_srv *s)
{
	ck_archive *a = pthread_getspecific(s->archive_key);
	if (a) {
		pthread_setspecific(s->archive_key, NULL);
		ck_archive_close(a);
	}
}

ck_archive *ck_srv_archive(ck_srv_req *r)
{
	ck_archive *a = r->srv ? ck_srv_archive_of(r->srv) : NULL;
	if (!a)
		ck_srv_error(r, 503, "archive unavailable");
	return a;
}

/* ---- a request ---- */

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

int ck_srv_person_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	return n > 0 && n <= CK_SRV_MAX_ID && !strchr(s, '/') && ck_srv_ctl_free(s, n);
}

int ck_srv_ctl_free(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
			return 0;
	return 1;
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
	r->ctype = CK_HTML_TYPE;
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
	if (!r->srv || r->srv->log_on)
		fprintf(stderr, "cablekit: serve: %s: archive error %d: %s\n",
			r->path ? r->path : "?", rc, ck_error_last());
}
