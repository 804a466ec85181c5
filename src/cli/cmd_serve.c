/* cmd_serve.c - `cablekit serve`: the web pages and the JSON API over an
 * archive (src/server/).  Runs until SIGINT or SIGTERM. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

static int num(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 0 || v > 65535)
		return -1;
	*out = (int)v;
	return 0;
}

CK_CMD(serve)
{
	ck_serve_opts o = {NULL, "127.0.0.1", 8080, 0, 0, 0, 0};
	const char *db = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--db") && v) {
			db = v;
			i++;
		} else if (!strcmp(a, "--bind") && v) {
			o.bind = v;
			i++;
		} else if (!strcmp(a, "--port") && v) {
			if (num(v, &o.port) < 0)
				return ck_cli_error("--port %s: not a port number", v);
			i++;
		} else if (!strcmp(a, "--threads") && v) {
			if (num(v, &o.threads) < 0 || o.threads > 64)
				return ck_cli_error("--threads %s: not a thread count", v);
			i++;
		} else if ((!strcmp(a, "--cache-mb") || !strcmp(a, "--page-cache-mb")) && v) {
			/* a size in MB; 0 turns it off (-1 in ck_serve_opts) */
			int *mb = a[2] == 'c' ? &o.cache_mb : &o.page_cache_mb;
			if (num(v, mb) < 0)
				return ck_cli_error("%s %s: not a size in MB", a, v);
			if (*mb == 0)
				*mb = -1;
			i++;
		} else if (!strcmp(a, "--quiet")) {
			o.quiet = 1;
		} else {
			ck_cli_error("serve: unexpected argument \"%s\"", a);
			return ck_cli_usage(cmd, 0);
		}
	}
	o.db = ck_cli_db_path(db);
	if (ck_serve(&o) != 0)
		return ck_cli_error("serve: %s", ck_error_last());
	return 0;
}
