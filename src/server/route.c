/*
 * route.c - the route table: ck_srv_handle() picks a handler by path,
 * refuses methods other than GET and HEAD and paths with control
 * characters, and answers 404 for the rest.  The handlers (api.c,
 * page_*.c) and this file share the request helpers of request.c; none of
 * them calls back here.  No libmicrohttpd here.
 */
#include "server/server.h"

#include <string.h>

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
	{"/api/person/", 1, ck_srv_api_person},
	{"/cable/", 0, ck_srv_page_cable},
	{"/browse/", 0, ck_srv_page_browse},
	{"/person/", 0, ck_srv_page_person},
	{"/static/", 0, ck_srv_static},
};
#define NROUTES (sizeof routes / sizeof routes[0])

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
	if (!ck_srv_ctl_free(path, strlen(path))) {
		ck_srv_error(r, 400, "a control character in the path");
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
