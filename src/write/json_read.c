/*
 * json_read.c - read the contract JSON (DESIGN.md, version 1) back into a
 * ck_cable.
 *
 * The inverse of json.c: every field ck_cable_write_json() writes is read
 * back, strings copied into the cable's arena.  Decoded companions
 * (tag_names, route_name, station_name) are derived from the codes and
 * are skipped; unknown fields are ignored, so newer writers stay
 * readable.  A field of the wrong type is an error (CK_EPARSE, with the
 * field named in ck_error_last()), never a guess.
 */
#include "cablekit.h"

#include <jansson.h>
#include <limits.h>
#include <string.h>

ck_cable *ck_cable_new_(void);

struct rd {
	ck_cable *c;
	int err;           /* first error code, 0 when none */
	const char *where; /* path prefix for messages, "" at top */
};

static int rd_fail(struct rd *r, const char *field, const char *want)
{
	if (!r->err)
		r->err = ck_error_set(CK_EPARSE, "json: field %s%s%s: expected %s",
				      r->where, *r->where ? "." : "", field, want);
	return r->err;
}

static void rd_nomem(struct rd *r)
{
	if (!r->err)
		r->err = ck_error_set(CK_ENOMEM, "json: out of memory");
}

/* A string or null member; absent = NULL. */
static const char *rd_str(struct rd *r, json_t *obj, const char *k)
{
	json_t *v = json_object_get(obj, k);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		rd_fail(r, k, "a string or null");
		return NULL;
	}
	const char *s = ck_arena_strndup(r->c->arena, json_string_value(v),
					 json_string_length(v));
	if (!s)
		rd_nomem(r);
	return s;
}

/* An integer or null member; absent/null = dflt. */
static long long rd_int(struct rd *r, json_t *obj, const char *k, long long dflt,
			long long min, long long max)
{
	json_t *v = json_object_get(obj, k);
	if (!v || json_is_null(v))
		return dflt;
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max) {
		rd_fail(r, k, "an integer in range or null");
		return dflt;
	}
	return json_integer_value(v);
}

/* An array of strings (null or absent = empty). */
static void rd_strv(struct rd *r, json_t *obj, const char *k, ck_strv *out)
{
	json_t *v = json_object_get(obj, k);
	out->v = NULL;
	out->n = 0;
	if (!v || json_is_null(v))
		return;
	if (!json_is_array(v)) {
		rd_fail(r, k, "an array of strings");
		return;
	}
	size_t n = json_array_size(v);
	if (!n)
		return;
	const char **a = ck_arena_alloc(r->c->arena, n * sizeof *a);
	if (!a) {
		rd_nomem(r);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(v, i);
		if (!json_is_string(e)) {
			rd_fail(r, k, "an array of strings");
			return;
		}
		a[i] = ck_arena_strndup(r->c->arena, json_string_value(e),
					json_string_length(e));
		if (!a[i]) {
			rd_nomem(r);
			return;
		}
	}
	out->v = a;
	out->n = n;
}

/* An array of objects: returns it (NULL when absent/null/empty), n set.
 * Every element must be an object. */
static json_t *rd_objarr(struct rd *r, json_t *obj, const char *k, size_t *n)
{
	json_t *v = json_object_get(obj, k);
	*n = 0;
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_array(v)) {
		rd_fail(r, k, "an array of objects");
		return NULL;
	}
	for (size_t i = 0; i < json_array_size(v); i++)
		if (!json_is_object(json_array_get(v, i))) {
			rd_fail(r, k, "an array of objects");
			return NULL;
		}
	*n = json_array_size(v);
	return v;
}

/* An object member or NULL (absent/null); wrong type = error. */
static json_t *rd_obj(struct rd *r, json_t *obj, const char *k)
{
	json_t *v = json_object_get(obj, k);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_object(v)) {
		rd_fail(r, k, "an object or null");
		return NULL;
	}
	return v;
}

static void *rd_alloc(struct rd *r, size_t n, size_t size)
{
	if (!n)
		return NULL;
	void *p = ck_arena_alloc(r->c->arena, n * size);
	if (!p)
		rd_nomem(r);
	return p;
}

static void rd_addrs(struct rd *r, json_t *obj, const char *k, ck_addr **out,
		     size_t *nout)
{
	size_t n;
	json_t *arr = rd_objarr(r, obj, k, &n);
	ck_addr *a = rd_alloc(r, n, sizeof *a);
	if (!a)
		return;
	const char *saved = r->where;
	r->where = k;
	for (size_t i = 0; i < n && !r->err; i++) {
		json_t *e = json_array_get(arr, i);
		a[i].route = rd_str(r, e, "route");
		a[i].name = rd_str(r, e, "name");
		a[i].precedence = rd_str(r, e, "precedence");
		a[i].mcn = rd_str(r, e, "mcn");
	}
	r->where = saved;
	*out = a;
	*nout = n;
}

static void rd_cable(struct rd *r, json_t *root)
{
	ck_cable *c = r->c;
	json_t *o, *arr;
	size_t n;

	c->id = rd_str(r, root, "id");
	rd_strv(r, root, "aliases", &c->aliases);
	c->date = rd_str(r, root, "date");
	c->origin = rd_str(r, root, "origin");
	c->from = rd_str(r, root, "from");
	c->classification = rd_str(r, root, "classification");
	rd_strv(r, root, "caveats", &c->caveats);
	c->marking = rd_str(r, root, "marking");
	c->precedence = rd_str(r, root, "precedence");
	rd_strv(r, root, "tags", &c->tags);
	c->subject = rd_str(r, root, "subject");

	arr = rd_objarr(r, root, "references", &n);
	c->refs = rd_alloc(r, n, sizeof *c->refs);
	if (c->refs) {
		r->where = "references";
		for (size_t i = 0; i < n && !r->err; i++) {
			json_t *e = json_array_get(arr, i);
			c->refs[i].label = rd_str(r, e, "label");
			c->refs[i].text = rd_str(r, e, "text");
			c->refs[i].id = rd_str(r, e, "id");
		}
		r->where = "";
		c->nrefs = n;
	}

	if ((o = rd_obj(r, root, "classified_by"))) {
		r->where = "classified_by";
		c->has_classified_by = 1;
		c->classified_by.name = rd_str(r, o, "name");
		c->classified_by.title = rd_str(r, o, "title");
		rd_strv(r, o, "reasons", &c->classified_by.reasons);
		c->classified_by.text = rd_str(r, o, "text");
		r->where = "";
	}
	if ((o = rd_obj(r, root, "decl"))) {
		r->where = "decl";
		c->has_decl = 1;
		c->decl.order = rd_str(r, o, "order");
		c->decl.date = rd_str(r, o, "date");
		c->decl.text = rd_str(r, o, "text");
		r->where = "";
	}
	if ((o = rd_obj(r, root, "header"))) {
		ck_header *h = &c->header;
		r->where = "header";
		h->transmission = rd_str(r, o, "transmission");
		h->relay_prec = rd_str(r, o, "relay_precedence");
		rd_strv(r, o, "relay", &h->relay);
		h->station = rd_str(r, o, "station");
		h->ssn = (long)rd_int(r, o, "ssn", -1, 0, LONG_MAX);
		h->section = (int)rd_int(r, o, "section", 0, 0, INT_MAX);
		h->julian = rd_str(r, o, "julian");
		h->security = rd_str(r, o, "security");
		h->dtg_prec = rd_str(r, o, "precedence");
		h->dtg = rd_str(r, o, "dtg");
		r->where = "";
	}
	rd_addrs(r, root, "to", &c->to, &c->nto);
	rd_addrs(r, root, "info", &c->info, &c->ninfo);
	c->sections = (int)rd_int(r, root, "sections", 0, 0, INT_MAX);
	c->summary = rd_str(r, root, "summary");

	arr = rd_objarr(r, root, "paragraphs", &n);
	c->paras = rd_alloc(r, n, sizeof *c->paras);
	if (c->paras) {
		r->where = "paragraphs";
		for (size_t i = 0; i < n && !r->err; i++) {
			json_t *e = json_array_get(arr, i);
			c->paras[i].n = (int)rd_int(r, e, "n", 0, 0, INT_MAX);
			c->paras[i].marking = rd_str(r, e, "marking");
			c->paras[i].heading = rd_str(r, e, "heading");
			c->paras[i].text = rd_str(r, e, "text");
		}
		r->where = "";
		c->nparas = n;
	}

	rd_strv(r, root, "signers", &c->signers);
	c->body = rd_str(r, root, "body");

	arr = rd_objarr(r, root, "problems", &n);
	c->problems = rd_alloc(r, n, sizeof *c->problems);
	if (c->problems) {
		r->where = "problems";
		for (size_t i = 0; i < n && !r->err; i++) {
			json_t *e = json_array_get(arr, i);
			c->problems[i].kind = rd_str(r, e, "kind");
			c->problems[i].line = (int)rd_int(r, e, "line", 0, 0, INT_MAX);
			c->problems[i].note = rd_str(r, e, "note");
		}
		r->where = "";
		c->nproblems = n;
	}

	if ((o = rd_obj(r, root, "source"))) {
		ck_source *s = &c->source;
		r->where = "source";
		s->file = rd_str(r, o, "file");
		s->format = rd_str(r, o, "format");
		s->offset = rd_int(r, o, "offset", 0, 0, LLONG_MAX);
		s->line = (int)rd_int(r, o, "line", 0, 0, INT_MAX);
		json_t *p = rd_obj(r, o, "page");
		if (p) {
			r->where = "source.page";
			s->meta_id = rd_str(r, p, "id");
			s->meta_date = rd_str(r, p, "created");
			s->meta_classification = rd_str(r, p, "classification");
			s->meta_origin = rd_str(r, p, "origin");
		}
		r->where = "";
	}
}

int ck_cable_read_json(ck_cable **out, const char *json, size_t len)
{
	json_error_t jerr;
	json_t *root = NULL;
	struct rd r = {NULL, 0, ""};
	int rc = 0;

	*out = NULL;
	if (!json)
		return ck_error_set(CK_EINVAL, "json: no input");
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		rc = ck_error_set(CK_EPARSE, "json:%d:%d: %s", jerr.line,
				  jerr.column, jerr.text);
		goto cleanup;
	}
	if (!json_is_object(root)) {
		rc = ck_error_set(CK_EPARSE, "json: expected an object (a cable)");
		goto cleanup;
	}
	r.c = ck_cable_new_();
	if (!r.c) {
		rc = ck_error_set(CK_ENOMEM, "json: out of memory");
		goto cleanup;
	}
	rd_cable(&r, root);
	if (r.err) {
		rc = r.err;
		goto cleanup;
	}
	*out = r.c;
	r.c = NULL;
cleanup:
	ck_cable_free(r.c);
	json_decref(root);
	return rc;
}
