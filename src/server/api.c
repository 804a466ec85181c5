/*
 * api.c - the JSON API of DESIGN.md: /api/search (facets on),
 * /api/cable/{id}, /api/cable/{id}/refs, /api/stats, /healthz.  The archive
 * writes the JSON; this file checks the arguments, caps the limits and maps
 * archive errors to HTTP statuses ({"error":"..."} with a 4xx).
 */
#include "server/server.h"
#include "server/assets.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Parse a non-negative decimal argument; -1 when malformed. */
static long arg_num(const char *s)
{
	if (!s || !*s)
		return -1;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	errno = 0;
	long v = strtol(s, NULL, 10);
	if (errno || v > 1000000000L)
		return -1;
	return v;
}

int ck_srv_search_args(ck_srv_req *r, ck_search_opts *o)
{
	memset(o, 0, sizeof *o);
	const char *q = ck_srv_arg(r, "q");
	const char *limit = ck_srv_arg(r, "limit");
	const char *offset = ck_srv_arg(r, "offset");
	const char *sort = ck_srv_arg(r, "sort");
	o->q = q ? q : "";
	o->limit = CK_SRV_DEF_LIMIT;
	o->sort = "relevance";
	o->facets = 1;
	if (strlen(o->q) > CK_SRV_MAX_Q) {
		ck_srv_error(r, 400, "query too long (over 1000 bytes)");
		return -1;
	}
	if (!ck_srv_ctl_free(o->q, strlen(o->q))) {
		ck_srv_error(r, 400, "q: a control character in the query");
		return -1;
	}
	if (limit && *limit) {
		long v = arg_num(limit);
		if (v < 0) {
			ck_srv_error(r, 400, "limit: not a number");
			return -1;
		}
		o->limit = v == 0 ? CK_SRV_DEF_LIMIT
			   : v > CK_SRV_MAX_LIMIT ? CK_SRV_MAX_LIMIT
						  : (int)v;
	}
	if (offset && *offset) {
		long v = arg_num(offset);
		if (v < 0) {
			ck_srv_error(r, 400, "offset: not a number");
			return -1;
		}
		if (v > CK_SRV_MAX_OFFSET) {
			ck_srv_error(r, 400, "offset: too deep (at most 100000)");
			return -1;
		}
		o->offset = (int)v;
	}
	if (sort && *sort) {
		if (strcmp(sort, "relevance") && strcmp(sort, "date") &&
		    strcmp(sort, "-date")) {
			ck_srv_error(r, 400, "sort: use relevance, date or -date");
			return -1;
		}
		o->sort = sort;
	}
	return 0;
}

/* Map an archive failure to an answer. */
static void archive_fail(ck_srv_req *r, int rc, const char *notfound)
{
	switch (rc) {
	case CK_ENOTFOUND:
		ck_srv_error(r, 404, notfound);
		break;
	case CK_EPARSE:
		ck_srv_error(r, 400, *ck_error_last() ? ck_error_last() : "bad query");
		break;
	case CK_EINVAL:
		ck_srv_error(r, 400, *ck_error_last() ? ck_error_last()
						      : "query over a limit");
		break;
	case CK_ELIMIT: /* the archive's deadline: a heavy query, or a busy server */
		r->retry = "1";
		ck_srv_error(r, 503, *ck_error_last() ? ck_error_last()
						      : "the search took too long");
		break;
	case CK_EBUSY:
		ck_srv_error(r, 503, "archive busy, try again");
		break;
	default:
		ck_srv_log_error(r, rc);
		ck_srv_error(r, 500, "archive error");
		break;
	}
}

static void json_ok(ck_srv_req *r)
{
	r->status = 200;
	r->ctype = "application/json";
	ck_buf_putc(&r->body, '\n');
}

void ck_srv_api_search(ck_srv_req *r, const char *tail)
{
	ck_search_opts o;
	if (ck_srv_search_args(r, &o) < 0)
		return;
	ck_archive *a = ck_srv_archive(r);
	if (!a)
		return;
	int rc = ck_srv_search(r, a, &o, &r->body);
	if (rc)
		archive_fail(r, rc, "not found");
	else
		json_ok(r);
}

void ck_srv_api_cable(ck_srv_req *r, const char *tail)
{
	char id[CK_SRV_MAX_ID + 1];
	const char *slash = strchr(tail, '/');
	size_t n = slash ? (size_t)(slash - tail) : strlen(tail);
	int refs = 0;
	if (slash) {
		if (strcmp(slash, "/refs")) {
			ck_srv_error(r, 404, "no such API route");
			return;
		}
		refs = 1;
	}
	if (n == 0 || n > CK_SRV_MAX_ID) {
		ck_srv_error(r, 404, "no such cable");
		return;
	}
	memcpy(id, tail, n);
	id[n] = '\0';
	if (!ck_srv_id_ok(id)) {
		ck_srv_error(r, 404, "no such cable");
		return;
	}
	ck_archive *a = ck_srv_archive(r);
	if (!a)
		return;
	int rc = refs ? ck_archive_refs_json(a, id, &r->body)
		      : ck_archive_cable_json(a, id, &r->body);
	if (rc)
		archive_fail(r, rc, "no such cable");
	else
		json_ok(r);
}

/* /api/person/{key}: one person across the archive (archive/person.c) */
void ck_srv_api_person(ck_srv_req *r, const char *tail)
{
	if (!ck_srv_person_ok(tail)) {
		ck_srv_error(r, 404, "no such person");
		return;
	}
	ck_archive *a = ck_srv_archive(r);
	if (!a)
		return;
	int rc = ck_archive_person_json(a, tail, &r->body);
	if (rc)
		archive_fail(r, rc, "no such person");
	else
		json_ok(r);
}

void ck_srv_api_stats(ck_srv_req *r, const char *tail)
{
	ck_archive *a = ck_srv_archive(r);
	if (!a)
		return;
	int rc = ck_srv_stats(r, a, &r->body);
	if (rc)
		archive_fail(r, rc, "not found");
	else
		json_ok(r);
}

void ck_srv_healthz(ck_srv_req *r, const char *tail)
{
	ck_archive *a = ck_srv_archive(r);
	if (!a)
		return;
	long hits, misses;
	size_t bytes;
	ck_srv_cache_stats(r->srv ? r->srv->cache : NULL, &hits, &misses, &bytes);
	r->ctype = "application/json";
	/* "index": the column cache and field index of the archive as it is
	 * now, which searches use once built ("building" until then, and
	 * after an ingest changed the archive): a benchmark waits for it */
	ck_buf_printf(&r->body, "{\"status\":\"ok\",\"version\":\"" CK_VERSION "\",\"index\":\"%s\","
		      "\"cache\":{\"hits\":%ld,\"misses\":%ld,\"bytes\":%zu}}\n",
		      ck_archive_search_ready(a) ? "ready" : "building", hits, misses, bytes);
}

void ck_srv_static(ck_srv_req *r, const char *tail)
{
	for (const struct ck_asset *as = ck_assets; as->name; as++)
		if (!strcmp(as->name, tail)) {
			r->ctype = as->content_type;
			r->data = as->data;
			r->data_len = as->size;
			r->cache = "public, max-age=3600";
			return;
		}
	ck_srv_error(r, 404, "no such file");
}
