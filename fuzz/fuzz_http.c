/*
 * fuzz_http.c - libFuzzer target for the request handling of `cablekit
 * serve`, without sockets: the input is split into method, path and query
 * arguments and handed to ck_srv_handle() over an archive built once from
 * examples/ (CK_FUZZ_EXAMPLES names the folder; default "examples").  Then
 * the escaping helpers get the raw input.  Checked on every input: a valid
 * status, a content type, and no live markup from the input in any HTML
 * answer (the only <script is the static one; no "<mark" outside snippets
 * is required, only that input bytes never open a tag).
 *
 * Input layout: lines "METHOD", "PATH", then "key=value" arguments.
 */
#include "fuzz_srv.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static ck_srv *srv; /* over the archive built in LLVMFuzzerInitialize */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("CK_FUZZ_EXAMPLES");
	if (!dir)
		dir = "examples";
	char *paths[64];
	size_t n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)) && n < 64) {
		size_t l = strlen(e->d_name);
		if (l > 4 && !strcmp(e->d_name + l - 4, ".txt")) {
			paths[n] = malloc(strlen(dir) + l + 2);
			sprintf(paths[n], "%s/%s", dir, e->d_name);
			n++;
		}
	}
	if (d)
		closedir(d);
	srv = fuzz_srv_open("http", (const char *const *)paths, n);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	/* the helpers on the raw input */
	ck_buf b = CK_BUF_INIT;
	ck_html_esc(&b, s);
	if (b.ptr && (strchr(b.ptr, '<') || strchr(b.ptr, '>') || strchr(b.ptr, '"')))
		abort();
	ck_buf_clear(&b);
	ck_html_snippet(&b, s);
	ck_buf_clear(&b);
	ck_srv_q_refine(&b, s, "from", "Embassy Rome");
	ck_buf_clear(&b);
	ck_srv_q_refine(&b, s, "date", "2007-07");
	ck_buf_clear(&b);
	ck_srv_search_url(&b, s, s, 3, 40);
	ck_buf_free(&b);

	/* a request */
	struct fuzz_args args = {{0}, {0}, 0};
	char *line = s, *method = "GET", *path = "/";
	for (int i = 0; line; i++) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (i == 0 && *line)
			method = line;
		else if (i == 1)
			path = line;
		else if (i > 1 && args.n < 16) {
			char *eq = strchr(line, '=');
			if (eq) {
				*eq = '\0';
				args.keys[args.n] = line;
				args.vals[args.n] = eq + 1;
				args.n++;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	ck_srv_req r;
	memset(&r, 0, sizeof r);
	r.srv = srv;
	r.method = method;
	r.path = path;
	r.arg = fuzz_get_arg;
	r.arg_ctx = &args;
	r.arena = ck_arena_new();
	ck_srv_handle(&r);
	if (r.status < 200 || r.status > 599 || !r.ctype)
		abort();
	if (r.body.ptr && !strncmp(r.ctype, "text/html", 9)) {
		/* every "<script" is the static one */
		for (const char *p = r.body.ptr; (p = strstr(p, "<script")); p++)
			if (strncmp(p, "<script src=\"/static/app.js\"", 28))
				abort();
		if (strstr(r.body.ptr, "<img") || strstr(r.body.ptr, "<iframe"))
			abort();
	}
	ck_buf_free(&r.body);
	ck_arena_free(r.arena);
	free(s);
	return 0;
}
