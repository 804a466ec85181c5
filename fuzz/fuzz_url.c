/*
 * fuzz_url.c - libFuzzer target for what `cablekit serve` does with a
 * request's URL before it is handled: libmicrohttpd's MHD_http_unescape on
 * the raw path and on each query parameter (what the daemon does with a
 * real request), then the project's routing and parameter handling
 * (ck_srv_handle) over the decoded strings, as fuzz_http does over
 * decoded input.  Checked: unescaping never lengthens (a %00 gives a NUL
 * inside the returned length: the handler sees the string up to it, as
 * with a real request); every answer has a valid status and a content type.
 * Input: "PATH?key=value&key=value" on the first line (raw, %-escaped).
 */
#include "fuzz_srv.h"

#include <microhttpd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static ck_srv *srv; /* over the archive built in LLVMFuzzerInitialize */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* an archive with one small cable, so that /cable/ID routes have one */
	char src[64];
	snprintf(src, sizeof src, "/tmp/ck_fuzz_url.%d.txt", (int)getpid());
	FILE *f = fopen(src, "w");
	if (f) {
		fputs("VZCZCXRO0001\nDE RUEHRO #0101/01 1901712\nO 091712Z JUL 08\n"
		      "FM AMEMBASSY ROME\nTO RUEHC/SECSTATE WASHDC IMMEDIATE 0001\nBT\n"
		      "UNCLAS ROME 000101\n\nTAGS: PREL IT\nSUBJECT: ZEBRAFISH\n\n1. Zebrafish.\n", f);
		fclose(f);
	}
	const char *paths[1] = {src};
	srv = fuzz_srv_open("url", paths, 1);
	unlink(src);
	return 0;
}

/* MHD_http_unescape in place, with the checks on what it gives */
static void unescape(char *s)
{
	size_t before = strlen(s);
	size_t n = MHD_http_unescape(s);
	if (n > before || strlen(s) > n)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	char *nl = strchr(s, '\n');
	if (nl)
		*nl = '\0';
	struct fuzz_args args = {{0}, {0}, 0};
	char *q = strchr(s, '?');
	if (q) {
		*q++ = '\0';
		for (char *kv = q; kv && args.n < 16;) {
			char *amp = strchr(kv, '&');
			if (amp)
				*amp++ = '\0';
			char *eq = strchr(kv, '=');
			if (eq) {
				*eq = '\0';
				unescape(kv);
				unescape(eq + 1);
				args.keys[args.n] = kv;
				args.vals[args.n] = eq + 1;
				args.n++;
			}
			kv = amp;
		}
	}
	unescape(s);
	ck_srv_req r;
	memset(&r, 0, sizeof r);
	r.srv = srv;
	r.method = "GET";
	r.path = *s ? s : "/";
	r.arg = fuzz_get_arg;
	r.arg_ctx = &args;
	r.arena = ck_arena_new();
	ck_srv_handle(&r);
	if (r.status < 200 || r.status > 599 || !r.ctype)
		abort();
	ck_buf_free(&r.body);
	ck_arena_free(r.arena);
	free(s);
	return 0;
}
