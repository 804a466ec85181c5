/*
 * id.c - reference ids in the archive: the canonical spelling
 * ("09SECTION01OF03SANJOSE525" -> "09SANJOSE525"), resolving an id as
 * typed to the stored one (the cable's id, else an alias), and the rule
 * for references without a year ("STATE 97844" in a 1974 cable): when the
 * archive has no such cable of the citing cable's year but has the same
 * serial a year earlier, the edge points there, and the refs API marks it
 * "inferred" (DESIGN.md).
 *
 * Calls schema.c only; query.c, store.c and read.c call it.
 */
#include "archive/archive.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *ck_archive_canon_id(const char *id, char *buf, size_t bufsz)
{
	size_t k = 0;
	if (!bufsz)
		return buf;
	for (const char *p = id; p && *p && k + 1 < bufsz; p++)
		if (!isspace((unsigned char)*p))
			buf[k++] = (char)toupper((unsigned char)*p);
	buf[k] = 0;
	/* "09SECTION01OF03SANJOSE525" -> "09SANJOSE525" */
	char *s = strstr(buf, "SECTION");
	if (s && s > buf) {
		char *q = s + 7;
		while (isdigit((unsigned char)*q))
			q++;
		if (q > s + 7 && !strncmp(q, "OF", 2)) {
			q += 2;
			char *r = q;
			while (isdigit((unsigned char)*q))
				q++;
			if (q > r)
				memmove(s, q, strlen(q) + 1);
		}
	}
	/* leading zeros of the serial: 07ROME01497 -> 07ROME1497 */
	size_t n = strlen(buf), d = n;
	while (d > 0 && isdigit((unsigned char)buf[d - 1]))
		d--;
	if (d > 2 && d < n && isalpha((unsigned char)buf[d - 1])) {
		size_t z = d;
		while (z + 1 < n && buf[z] == '0')
			z++;
		if (z > d)
			memmove(buf + d, buf + z, n - z + 1);
	}
	return buf;
}

static int lookup_id(ck_archive *a, const char *id, char *buf, size_t bufsz)
{
	static const enum ck_stmt_slot slot[2] = {CK_ST_ID_OF_CABLE, CK_ST_ID_OF_ALIAS};
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *st = ck_archive_stmt(a, slot[i]);
		if (!st)
			return CK_EIO;
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			snprintf(buf, bufsz, "%s", (const char *)sqlite3_column_text(st, 0));
			sqlite3_reset(st);
			return 0;
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return ck_archive_sqlerr(a, rc, "resolving an id");
	}
	return CK_ENOTFOUND;
}

int ck_archive_resolve_id(ck_archive *a, const char *id, char *buf, size_t bufsz)
{
	char canon[256];
	int rc;
	if (!id || !*id || strlen(id) > 200)
		return ck_error_set(CK_ENOTFOUND, "no cable \"%.200s\"", id ? id : "");
	if ((rc = lookup_id(a, id, buf, bufsz)) != CK_ENOTFOUND)
		return rc;
	ck_archive_canon_id(id, canon, sizeof canon);
	if (strcmp(canon, id) && (rc = lookup_id(a, canon, buf, bufsz)) != CK_ENOTFOUND)
		return rc;
	return ck_error_set(CK_ENOTFOUND, "no cable \"%s\" in the archive", id);
}

int ck_archive_find_cable(ck_archive *a, const char *id, char *canon, size_t csz,
		      sqlite3_int64 *rowid, int *version)
{
	int rc = ck_archive_resolve_id(a, id, canon, csz);
	if (rc)
		return rc;
	sqlite3_stmt *st = ck_archive_stmt(a, CK_ST_CABLE_ROW);
	if (!st)
		return CK_EIO;
	sqlite3_bind_text(st, 1, canon, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? ck_error_set(CK_ENOTFOUND, "no cable \"%s\"", id)
					 : ck_archive_sqlerr(a, rc, "finding a cable");
	}
	*rowid = sqlite3_column_int64(st, 0);
	*version = sqlite3_column_int(st, 1);
	sqlite3_reset(st);
	return 0;
}

/* ---- references without a year ------------------------------------------ */

/* The id a year earlier: "74STATE97844" -> "73STATE97844" (0 on success). */
static int year_before(const char *id, char *out, size_t outsz)
{
	if (strlen(id) >= outsz || !isdigit((unsigned char)id[0]) || !isdigit((unsigned char)id[1]) ||
	    isdigit((unsigned char)id[2]))
		return -1;
	int yy = (id[0] - '0') * 10 + (id[1] - '0');
	yy = (yy + 99) % 100;
	snprintf(out, outsz, "%02d%s", yy, id + 2);
	return 0;
}

/* Does the reference as written state its year (the id's "YY" as a word,
 * "(74)", or "1974")?  A reference without it took the citing cable's year. */
static int ref_says_year(const char *text, const char *id)
{
	if (!text)
		return 1;
	for (const char *p = text; *p;) {
		while (*p && !isdigit((unsigned char)*p))
			p++;
		const char *s = p;
		while (isdigit((unsigned char)*p))
			p++;
		size_t n = (size_t)(p - s);
		if ((n == 2 && !memcmp(s, id, 2)) ||
		    (n == 4 && (!memcmp(s, "19", 2) || !memcmp(s, "20", 2)) && !memcmp(s + 2, id, 2)))
			return 1;
	}
	return 0;
}

static int id_stored(ck_archive *a, const char *id, int alias_too)
{
	sqlite3_stmt *st = ck_archive_stmt(a, alias_too ? CK_ST_ID_OR_ALIAS_STORED : CK_ST_ID_STORED);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* A reference without a year ("STATE 97844" in a 1974 cable) names the
 * citing cable's year; when the archive has no such cable but has the
 * same serial a year earlier, the edge points there (DESIGN.md: the refs
 * API marks it "inferred").  dst is rewritten in place. */
int ck_archive_edge_year(ck_archive *a, const char *text, char *dst, size_t dstsz)
{
	char prev[256];
	if (ref_says_year(text, dst) || year_before(dst, prev, sizeof prev))
		return 0;
	int here = id_stored(a, dst, 1), there = here ? 0 : id_stored(a, prev, 0);
	if (here < 0 || there < 0)
		return CK_EIO;
	if (there)
		snprintf(dst, dstsz, "%s", prev);
	return 0;
}

/* Move the edges to `from` whose text does not state the year over to
 * `to`; with `same_year`, only those cited by a cable of to's year.  The
 * edges are read first and each is moved by its key: one UPDATE over
 * "dst = ?" may change many rows, so SQLite opens a statement savepoint
 * for it, and a savepoint makes FTS5 write out the index entries it holds
 * for the open transaction.  Run after each cable, that wrote one FTS5
 * segment per cable and merged them again and again: 44% of an ingest's
 * CPU at 20,000 cables.  A read opens none, nor does an UPDATE of one row
 * by its primary key. */
static int relink(ck_archive *a, const char *from, const char *to, int same_year)
{
	struct key {
		sqlite3_int64 src, seq;
	} *v = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	sqlite3_stmt *st = ck_archive_stmt(a, CK_ST_RELINK_FIND);
	if (!st)
		return CK_EIO;
	sqlite3_bind_text(st, 1, from, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(st, 2);
		const char *citer = (const char *)sqlite3_column_text(st, 3);
		if (ref_says_year(text, from) || (same_year && (!citer || strncmp(citer, to, 2))))
			continue;
		if (n == cap) {
			size_t nc = cap ? 2 * cap : 8;
			struct key *nv = realloc(v, nc * sizeof *v);
			if (!nv) {
				rc = SQLITE_NOMEM;
				break;
			}
			v = nv;
			cap = nc;
		}
		v[n].src = sqlite3_column_int64(st, 0);
		v[n++].seq = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	rc = rc == SQLITE_DONE ? 0 : ck_archive_sqlerr(a, rc, "linking references without a year");
	for (size_t i = 0; i < n && !rc; i++) {
		if (!(st = ck_archive_stmt(a, CK_ST_RELINK_MOVE))) {
			rc = CK_EIO;
			break;
		}
		sqlite3_bind_int64(st, 1, v[i].src);
		sqlite3_bind_int64(st, 2, v[i].seq);
		sqlite3_bind_text(st, 3, to, -1, SQLITE_TRANSIENT);
		rc = ck_archive_step(a, st, "linking references without a year");
	}
	free(v);
	return rc;
}

/* After storing cable `id`: references without a year that name the year
 * after (and found nothing) now point here; references that were taken
 * to the year before because `id` was missing come back to it. */
int ck_archive_relink_year(ck_archive *a, const char *id)
{
	char next[256], prev[256];
	if (strlen(id) >= sizeof next || year_before(id, prev, sizeof prev))
		return 0;
	int yy = ((id[0] - '0') * 10 + (id[1] - '0') + 1) % 100;
	snprintf(next, sizeof next, "%02d%.250s", yy, id + 2);
	int rc = id_stored(a, next, 1);
	if (rc < 0)
		return CK_EIO;
	/* from the year after, when that cable is not stored */
	if (!rc && (rc = relink(a, next, id, 0)))
		return rc;
	return relink(a, prev, id, 1);
}

int ck_archive_ref_inferred(const char *text, const char *citing, const char *target)
{
	return citing && target && strlen(citing) > 2 && strlen(target) > 2 && !ref_says_year(text, target) &&
	       memcmp(citing, target, 2) != 0;
}
