/* unit.h - shared helpers of the Criterion unit tests (the tests/unit files are
 * linked into one binary, build-asan/unit). */
#ifndef CK_TEST_UNIT_H
#define CK_TEST_UNIT_H
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cablekit.h"

/* A scratch archive removed with its WAL files. */
static inline void unit_db_remove(const char *path)
{
	char p[96];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}
/* The scratch archive of a test file: /tmp/ck<stem>-<pid>.db, none yet. */
static inline void unit_db_name(char *buf, size_t n, const char *stem)
{
	snprintf(buf, n, "/tmp/ck%s-%d.db", stem, (int)getpid());
	unit_db_remove(buf);
}

/* Parse a C string as a cable; the test frees it with ck_cable_free. */
static inline ck_cable *unit_parse(const char *text, int year)
{
	ck_cable *c = NULL;
	ck_parse_opts o = {year, "test", "text", 1};
	cr_assert_eq(ck_parse(&c, text, strlen(text), &o), 0);
	cr_assert_not_null(c);
	return c;
}
/* Number of problems of a kind on a cable. */
static inline int unit_nproblems(const ck_cable *c, const char *kind)
{
	int n = 0;
	for (size_t i = 0; i < c->nproblems; i++)
		n += !strcmp(c->problems[i].kind, kind);
	return n;
}
#endif
