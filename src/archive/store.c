/*
 * store.c - the write side of the archive: a parsed cable made ready for
 * the writer (ck_rec_prepare: contract JSON and telegram text packed, the
 * index text made, on any thread) and stored (ck_archive_store, in the
 * caller's transaction): a new version when its text changed, the filter
 * and facet rows, citation edges, aliases, the full-text index.
 *
 * Each version keeps the contract JSON and the telegram text whole
 * (packed, see blob.c); the `cable` row holds the latest version's filter
 * and facet columns and the text the FTS5 index is built from (external
 * content, so the text is stored once).  Citation edges keep the target
 * id as text, so a reference to a cable not yet in the archive links up,
 * at query time, when it arrives.
 *
 * Calls schema.c, id.c, blob.c and the JSON writer; ingest.c calls it.
 */
#include "archive/archive.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int ck_rec_prepare(ck_rec *r, ck_cable *c)
{
	ck_buf json = CK_BUF_INIT;
	int rc = 0;
	memset(r, 0, sizeof *r);
	r->cable = c;
	const char *raw = c->raw ? c->raw : "";
	size_t rawlen = strlen(raw);
	r->bytes = (long long)rawlen;
	ck_text_hash(raw, rawlen, r->sha1);
	if ((rc = ck_cable_write_json(&json, c, 0)))
		goto cleanup;
	if ((rc = ck_blob_pack_json(&r->json, json.ptr ? json.ptr : "{}", json.ptr ? json.len : 2)) ||
	    (rc = ck_blob_pack_raw(&r->raw, raw, rawlen, json.ptr ? json.ptr : "{}", json.ptr ? json.len : 2,
				   &r->json)))
		goto cleanup;
	/* the body the parser found; the whole text while it finds none */
	if ((rc = ck_fts_text(&r->subject, c->subject)) ||
	    (rc = ck_fts_text(&r->body, c->body && *c->body ? c->body : raw)))
		goto cleanup;
	/* the paragraphs as the JSON has them: the paragraph index reads them
	 * back from there (pfts_content, portion.c) */
	rc = ck_portions_prepare(&r->portions, json.ptr ? json.ptr : "", json.len);
cleanup:
	ck_buf_free(&json);
	return rc;
}

void ck_rec_free(ck_rec *r)
{
	if (!r)
		return;
	ck_cable_free(r->cable);
	ck_buf_free(&r->json);
	ck_buf_free(&r->raw);
	ck_buf_free(&r->subject);
	ck_buf_free(&r->body);
	ck_portions_free(r->portions);
	memset(r, 0, sizeof *r);
}

static void iso_now(char buf[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* bind the filter columns of the cable row (?2..?13) */
static void bind_columns(sqlite3_stmt *st, const ck_rec *r, const char *tags)
{
	const ck_cable *c = r->cable;
	char year[5] = "", month[8] = "";
	if (c->date && strlen(c->date) >= 7 && isdigit((unsigned char)c->date[0])) {
		memcpy(year, c->date, 4);
		year[4] = 0;
		memcpy(month, c->date, 7);
		month[7] = 0;
	}
	ck_archive_bind_text(st, 2, c->date);
	ck_archive_bind_text(st, 3, year);
	ck_archive_bind_text(st, 4, month);
	ck_archive_bind_text(st, 5, c->origin);
	ck_archive_bind_text(st, 6, c->from);
	ck_archive_bind_text(st, 7, c->classification);
	ck_archive_bind_text(st, 8, c->marking);
	ck_archive_bind_text(st, 9, c->precedence);
	ck_archive_bind_text(st, 10, c->has_decl ? c->decl.date : NULL);
	ck_archive_bind_text(st, 11, tags);
	ck_archive_bind_text(st, 12, c->subject); /* as written; the index has r->subject */
	/* the first 300 bytes of the indexed body, cut on a UTF-8 boundary */
	size_t n = r->body.len < 300 ? r->body.len : 300;
	while (n > 0 && n < r->body.len && ((unsigned char)r->body.ptr[n] & 0xC0) == 0x80)
		n--;
	if (n)
		sqlite3_bind_text(st, 13, r->body.ptr, (int)n, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 13);
}

static int put_list(ck_archive *a, enum ck_stmt_slot slot, sqlite3_int64 rowid,
		    const ck_strv *v, int upper)
{
	for (size_t i = 0; i < v->n; i++) {
		char val[256];
		const char *s = v->v[i];
		if (!s || !*s)
			continue;
		snprintf(val, sizeof val, "%s", s);
		if (upper)
			for (char *p = val; *p; p++)
				*p = (char)toupper((unsigned char)*p);
		sqlite3_stmt *st = ck_archive_stmt(a, slot);
		if (!st)
			return CK_EIO;
		sqlite3_bind_text(st, 1, val, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, rowid);
		int rc = ck_archive_step(a, st, "storing a facet");
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- 1970s telegrams and PlusD records ---------------------------------- */

/* One row of `field` (kind, value upper-cased, cable). */
static int put_field(ck_archive *a, sqlite3_int64 rowid, const char *kind, const char *v)
{
	char val[256];
	if (!v || !*v)
		return 0;
	snprintf(val, sizeof val, "%s", v);
	for (char *p = val; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	sqlite3_stmt *st = ck_archive_stmt(a, CK_ST_FIELD_INSERT);
	if (!st)
		return CK_EIO;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, val, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, rowid);
	return ck_archive_step(a, st, "storing a field");
}

/* concept:, drafter:, office:, current:, review:, person: (DESIGN.md) */
static int put_fields(ck_archive *a, sqlite3_int64 rowid, const ck_cable *c)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < c->concepts.n; i++)
		rc = put_field(a, rowid, "concept", c->concepts.v[i]);
	if (!rc)
		rc = put_field(a, rowid, "drafter", c->drafter);
	if (!rc)
		rc = put_field(a, rowid, "office", c->office_action);
	if (!rc)
		rc = put_field(a, rowid, "office", c->office_origin);
	if (!rc)
		rc = put_field(a, rowid, "current", c->classification_current);
	for (size_t i = 0; !rc && i < c->nreview; i++)
		rc = put_field(a, rowid, "review", c->review[i].date);
	/* the people (docs/people.md): the key as the parser wrote it, lower
	 * case ("prodi_romano"), and its surname to be grouped into persons
	 * at the end of the ingest (persons.c; unstore_rows adds the old
	 * version's) */
	for (size_t i = 0; !rc && i < c->npeople; i++) {
		const char *k = c->people[i].key;
		if (!k || !*k || strlen(k) > 200)
			continue;
		sqlite3_stmt *st = ck_archive_stmt(a, CK_ST_FIELD_INSERT);
		if (!st)
			return CK_EIO;
		sqlite3_bind_text(st, 1, "person", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, k, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, rowid);
		if ((rc = ck_archive_step(a, st, "storing a person")))
			break;
		if (!(st = ck_archive_stmt(a, CK_ST_PDIRTY_ADD)))
			return CK_EIO;
		const char *us = strchr(k, '_');
		sqlite3_bind_text(st, 1, k, us ? (int)(us - k) : -1, SQLITE_STATIC);
		rc = ck_archive_step(a, st, "storing a person");
	}
	return rc;
}

static int put_alias(ck_archive *a, const char *alias, const char *id)
{
	char canon[256];
	if (!alias || !*alias || strlen(alias) > 200)
		return 0;
	const char *forms[2] = {alias, ck_archive_canon_id(alias, canon, sizeof canon)};
	for (int i = 0; i < 2; i++) {
		if (!strcmp(forms[i], id) || (i == 1 && !strcmp(forms[1], forms[0])))
			continue;
		sqlite3_stmt *st = ck_archive_stmt(a, CK_ST_ALIAS_INSERT);
		if (!st)
			return CK_EIO;
		sqlite3_bind_text(st, 1, forms[i], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
		int rc = ck_archive_step(a, st, "storing an alias");
		if (rc)
			return rc;
	}
	return 0;
}

static int put_aliases(ck_archive *a, const ck_cable *c, const char *id)
{
	int rc;
	for (size_t i = 0; i < c->aliases.n; i++)
		if ((rc = put_alias(a, c->aliases.v[i], id)))
			return rc;
	if (c->id && strcmp(c->id, id) && (rc = put_alias(a, c->id, id)))
		return rc;
	return put_alias(a, c->source.meta_id, id);
}

static int put_addrs(ck_archive *a, sqlite3_int64 rowid, const char *kind,
		     const ck_addr *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *st = ck_archive_stmt(a, CK_ST_ADDRESSEE_INSERT);
		if (!st)
			return CK_EIO;
		sqlite3_bind_int64(st, 1, rowid);
		sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
		ck_archive_bind_text(st, 3, v[i].route);
		ck_archive_bind_text(st, 4, v[i].name);
		int rc = ck_archive_step(a, st, "storing an addressee");
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- storing one cable -------------------------------------------------- */

/* The stored row of an id: *exists, and its rowid and latest version. */
static int find_row(ck_archive *a, const char *id, int *exists, sqlite3_int64 *rowid, int *version)
{
	sqlite3_stmt *st = ck_archive_stmt(a, CK_ST_CABLE_ROW);
	if (!st)
		return CK_EIO;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*exists = 1;
		*rowid = sqlite3_column_int64(st, 0);
		*version = sqlite3_column_int(st, 1);
	} else if (rc != SQLITE_DONE) {
		sqlite3_reset(st);
		return ck_archive_sqlerr(a, rc, "looking up a cable");
	}
	sqlite3_reset(st);
	return 0;
}

/* 1 when a stored version of the cable has this text hash, 0 when none
 * has, else a CK_E* code (those are negative) */
static int text_stored(ck_archive *a, sqlite3_int64 rowid, const char *sha1)
{
	sqlite3_stmt *st = ck_archive_stmt(a, CK_ST_VERSION_SAME);
	if (!st)
		return CK_EIO;
	sqlite3_bind_int64(st, 1, rowid);
	sqlite3_bind_text(st, 2, sha1, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : ck_archive_sqlerr(a, rc, "looking up a version");
}

/* Before a new version: the old text out of the index (external content:
 * the old values must be given back exactly), the facet rows, edges and
 * fields of the old version deleted. */
static int unstore_rows(ck_archive *a, sqlite3_int64 rowid)
{
	static const enum ck_stmt_slot del[] = {
		CK_ST_FTS_DELETE, CK_ST_DEL_TAG, CK_ST_DEL_CAVEAT, CK_ST_DEL_SIGNER,
		CK_ST_DEL_ADDRESSEE, CK_ST_DEL_EDGE, CK_ST_PDIRTY_CABLE, CK_ST_DEL_FIELD};
	int rc = ck_termstat_delta_minus(a, rowid); /* the old text, for the vocabulary */
	if (rc)
		return rc;
	for (size_t i = 0; i < sizeof del / sizeof del[0]; i++) {
		sqlite3_stmt *st = ck_archive_stmt(a, del[i]);
		if (!st)
			return CK_EIO;
		sqlite3_bind_int64(st, 1, rowid);
		if ((rc = ck_archive_step(a, st, i == 0 ? "updating the index" : "updating a cable")))
			return rc;
	}
	return ck_portions_unstore(a, rowid); /* the paragraph index (portion.c) */
}

/* The cable row, inserted (*rowid set) or updated to `version`. */
static int put_cable_row(ck_archive *a, const ck_rec *r, const char *id, int exists,
			 sqlite3_int64 *rowid, int version)
{
	const ck_cable *c = r->cable;
	ck_buf tags = CK_BUF_INIT; /* the tags column: upper case, tab-separated */
	for (size_t i = 0; i < c->tags.n; i++) {
		if (!c->tags.v[i] || !*c->tags.v[i] || strchr(c->tags.v[i], '\t'))
			continue;
		if (tags.len)
			ck_buf_putc(&tags, '\t');
		for (const char *p = c->tags.v[i]; *p; p++)
			ck_buf_putc(&tags, toupper((unsigned char)*p));
	}
	sqlite3_stmt *st = ck_archive_stmt(a, exists ? CK_ST_CABLE_UPDATE : CK_ST_CABLE_INSERT);
	int rc = CK_EIO;
	if (st) {
		if (exists)
			sqlite3_bind_int64(st, 1, *rowid);
		bind_columns(st, r, tags.ptr);
		sqlite3_bind_int(st, 14, version);
		if (!exists)
			sqlite3_bind_text(st, 15, id, -1, SQLITE_STATIC);
		rc = ck_archive_step(a, st, "storing a cable");
		if (!rc && !exists)
			*rowid = sqlite3_last_insert_rowid(a->db);
	}
	ck_buf_free(&tags);
	return rc;
}

/* The version row (packed JSON and telegram text) and the index entry;
 * the record outlives each statement's step: no copies. */
static int put_version(ck_archive *a, const ck_rec *r, sqlite3_int64 rowid, int version)
{
	char when[32];
	int rc;
	iso_now(when);
	sqlite3_stmt *st = ck_archive_stmt(a, CK_ST_VERSION_INSERT);
	if (!st)
		return CK_EIO;
	sqlite3_bind_int64(st, 1, rowid);
	sqlite3_bind_int(st, 2, version);
	sqlite3_bind_text(st, 3, when, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->sha1, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 5, r->json.ptr, (int)r->json.len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 6, r->raw.ptr, (int)r->raw.len, SQLITE_STATIC);
	if ((rc = ck_archive_step(a, st, "storing a version")))
		return rc;
	if (!(st = ck_archive_stmt(a, CK_ST_FTS_INSERT)))
		return CK_EIO;
	sqlite3_bind_int64(st, 1, rowid);
	if (r->subject.len)
		sqlite3_bind_text(st, 2, r->subject.ptr, (int)r->subject.len, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	if (r->body.len)
		sqlite3_bind_text(st, 3, r->body.ptr, (int)r->body.len, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	if ((rc = ck_archive_step(a, st, "indexing a cable")) ||
	    (rc = ck_termstat_delta_plus(a, rowid, r->subject.ptr, r->subject.len, r->body.ptr, r->body.len)))
		return rc;
	return ck_portions_store(a, rowid, r->portions); /* the paragraph index (portion.c) */
}

/* One edge per reference, in order; the target id canonical, or taken a
 * year back (id.c). */
static int put_edges(ck_archive *a, sqlite3_int64 rowid, const ck_cable *c)
{
	int rc;
	for (size_t i = 0; i < c->nrefs; i++) {
		char dst[256];
		const ck_ref *ref = &c->refs[i];
		sqlite3_stmt *st = ck_archive_stmt(a, CK_ST_EDGE_INSERT);
		if (!st)
			return CK_EIO;
		sqlite3_bind_int64(st, 1, rowid);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		const char *d = ref->id && *ref->id && strlen(ref->id) < 200
				     ? ck_archive_canon_id(ref->id, dst, sizeof dst) : NULL;
		if (d && (rc = ck_archive_edge_year(a, ref->text, dst, sizeof dst)))
			return rc;
		ck_archive_bind_text(st, 3, d);
		ck_archive_bind_text(st, 4, ref->label);
		ck_archive_bind_text(st, 5, ref->text);
		if ((rc = ck_archive_step(a, st, "storing a reference")))
			return rc;
	}
	return 0;
}

int ck_archive_store(ck_archive *a, ck_rec *r, ck_ingest_stats *st_out)
{
	const ck_cable *c = r->cable;
	char id[256];
	sqlite3_int64 rowid = 0;
	int version = 0, rc = 0, exists = 0;
	const char *rawid = c->id && *c->id ? c->id : c->source.meta_id;
	if (!rawid || !*rawid)
		return ck_error_set(CK_EINVAL, "no reference id found");
	if (strlen(rawid) > 200)
		return ck_error_set(CK_EINVAL, "reference id too long");
	snprintf(id, sizeof id, "%s", rawid);
	if ((rc = find_row(a, id, &exists, &rowid, &version)))
		return rc;
	if (exists) {
		/* the same text as any stored version: nothing to do */
		if ((rc = text_stored(a, rowid, r->sha1)) == 1) {
			st_out->unchanged++;
			return put_aliases(a, c, id);
		}
		if (rc || (rc = unstore_rows(a, rowid)))
			return rc;
	}
	version++;
	if ((rc = put_cable_row(a, r, id, exists, &rowid, version)) ||
	    (rc = put_version(a, r, rowid, version)) ||
	    (rc = put_list(a, CK_ST_TAG_INSERT, rowid, &c->tags, 1)) ||
	    (rc = put_list(a, CK_ST_CAVEAT_INSERT, rowid, &c->caveats, 1)) ||
	    (rc = put_list(a, CK_ST_SIGNER_INSERT, rowid, &c->signers, 1)) ||
	    (rc = put_addrs(a, rowid, "to", c->to, c->nto)) ||
	    (rc = put_addrs(a, rowid, "info", c->info, c->ninfo)) ||
	    (rc = put_edges(a, rowid, c)) ||
	    (rc = put_aliases(a, c, id)) || (rc = put_fields(a, rowid, c)) ||
	    (rc = ck_archive_relink_year(a, id)))
		return rc;
	if (exists)
		st_out->updated++;
	else
		st_out->added++;
	return 0;
}
