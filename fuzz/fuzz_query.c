/*
 * fuzz_query.c - libFuzzer target for the query language: any bytes as a
 * query must compile or fail with CK_EPARSE, and a compiled query must run
 * against a small archive without an SQL error other than the deadline.
 * Build: make fuzz; run: build-fuzz/fuzz_query [corpus dir].
 */
#include "archive/archive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static ck_archive *archive;

static void setup(void)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/fuzz_query-%d.db", (int)getpid());
	unlink(path);
	if (ck_archive_open(&archive, path, CK_ARCHIVE_WRITE))
		abort();
	static const char *const texts[] = {
		"VZCZCXRO0001\nDE RUEHRO #0101 1901712\nO 091712Z JUL 07\nFM AMEMBASSY ROME\n"
		"TO RUEHC/SECSTATE WASHDC IMMEDIATE 0001\nC O N F I D E N T I A L ROME 000101\n\n"
		"TAGS: PREL IT\nSUBJECT: NUCLEAR TALKS\n\nREF: STATE 12345\n\n1. (C) Iran and the envoy. XXXXXXXXXXXX\n",
		"VZCZCXRO0002\nDE RUEHFR #0202 1901712\nO 101200Z AUG 08\nFM AMEMBASSY PARIS\n"
		"TO RUEHC/SECSTATE WASHDC IMMEDIATE 0002\nS E C R E T PARIS 000202\n\nNOFORN\n\n"
		"TAGS: PREL FR\nSUBJECT: FRENCH VIEWS\n\nREF: ROME 101\n\n1. (S) Paris agrees on human rights.\n",
	};
	ck_ingest_stats st = {0};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		ck_cable *c = NULL;
		ck_rec r;
		if (ck_parse(&c, texts[i], strlen(texts[i]), NULL) || ck_rec_prepare(&r, c))
			abort();
		ck_archive_store(archive, &r, &st);
		ck_rec_free(&r);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!archive)
		setup();
	char *q = malloc(size + 1);
	if (!q)
		return 0;
	memcpy(q, data, size);
	q[size] = 0;
	ck_query cq;
	int rc = ck_query_compile(&cq, q);
	if (rc == 0)
		ck_query_free(&cq);
	else if (rc != CK_EPARSE || strncmp(ck_error_last(), "query:", 6))
		abort(); /* every failure is a parse error with a position */
	ck_buf out = CK_BUF_INIT;
	ck_search_opts o = {q, 5, 0, size % 2 ? "-date" : NULL, 1};
	rc = ck_archive_search_json(archive, &o, &out);
	if (rc && rc != CK_EPARSE && rc != CK_ELIMIT)
		abort(); /* an SQL error means the compiler made bad SQL */
	ck_buf_free(&out);
	free(q);
	return 0;
}
