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
 *
 * The JSON is read by a small strict parser of its own (RFC 8259: UTF-8
 * checked, no NUL in strings, nesting limited) into a tree in a scratch
 * arena, the strings unescaped straight into the cable's arena: exports
 * read every cable of an archive through here, and this is several times
 * faster than building a jansson tree and copying out of it.
 */
#include "cablekit.h"
#include "util/jsonstr.h"
#include "util/utf8.h"

#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* ---- the JSON tree ------------------------------------------------------ */

enum { J_NULL, J_FALSE, J_TRUE, J_INT, J_NUM, J_STR, J_ARR, J_OBJ };

typedef struct json_t json_t;
struct json_t {
	int type;
	const char *s;      /* J_STR: the string (cable arena), len bytes */
	size_t len;
	long long i;        /* J_INT */
	json_t **kids;      /* J_ARR, J_OBJ: n values */
	const char **keys;  /* J_OBJ: n keys (scratch arena) */
	size_t n;
};

#define CK_JSON_DEPTH 64

struct jp {
	const char *p, *end, *start;
	ck_arena *tmp;      /* tree nodes and keys */
	ck_arena *out;      /* string values */
	json_t **stack;     /* children of the open containers */
	const char **kstack;
	size_t sp, cap;
	const char *err;
	int depth;
};

static int jp_fail(struct jp *j, const char *msg)
{
	if (!j->err)
		j->err = msg;
	return -1;
}

static void jp_ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' ||
				 *j->p == '\t'))
		j->p++;
}

static int jp_push(struct jp *j, json_t *v, const char *key)
{
	if (j->sp == j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 256;
		json_t **s = realloc(j->stack, cap * sizeof *s);
		if (!s)
			return jp_fail(j, "out of memory");
		j->stack = s;
		const char **k = realloc(j->kstack, cap * sizeof *k);
		if (!k)
			return jp_fail(j, "out of memory");
		j->kstack = k;
		j->cap = cap;
	}
	j->stack[j->sp] = v;
	j->kstack[j->sp++] = key;
	return 0;
}

/* Bytes that need no look in a string: printable ASCII but '"' and '\\'. */
static const unsigned char plain[256] = {
#define P8 1, 1, 1, 1, 1, 1, 1, 1
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x00 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x10 */
	1, 1, 0, 1, 1, 1, 1, 1, P8,                     /* 0x20: '"' */
	P8, P8,                                         /* 0x30 */
	P8, P8,                                         /* 0x40 */
	P8, 1, 1, 1, 1, 0, 1, 1, 1,                     /* 0x50: '\\' */
	P8, P8,                                         /* 0x60 */
	P8, P8,                                         /* 0x70 */
#undef P8
};

/* A string at j->p (after the quote) into arena a; NUL-terminated. */
static const char *jp_string(struct jp *j, ck_arena *a, size_t *len)
{
	const unsigned char *p = (const unsigned char *)j->p, *e = (const unsigned char *)j->end;
	const unsigned char *q = p;
	int esc = 0;
	while (q < e && *q != '"') {
		/* the common case first: plain printable ASCII */
		while (q + 8 <= e && plain[q[0]] & plain[q[1]] & plain[q[2]] & plain[q[3]] &
				      plain[q[4]] & plain[q[5]] & plain[q[6]] & plain[q[7]])
			q += 8;
		while (q < e && plain[*q])
			q++;
		if (q >= e || *q == '"')
			break;
		if (*q == '\\') {
			esc = 1;
			q += 2;
			continue;
		}
		if (*q < 0x20) {
			jp_fail(j, "control character in a string");
			return NULL;
		}
		if (*q >= 0x80) {
			size_t k = ck_utf8_valid(q, (size_t)(e - q));
			if (!k) {
				jp_fail(j, "invalid UTF-8 in a string");
				return NULL;
			}
			q += k;
			continue;
		}
		q++;
	}
	if (q >= e) {
		jp_fail(j, "unterminated string");
		return NULL;
	}
	size_t n = (size_t)(q - p);
	char *s = ck_arena_alloc(a, n + 1);
	if (!s) {
		jp_fail(j, "out of memory");
		return NULL;
	}
	if (!esc) {
		memcpy(s, p, n);
		s[n] = 0;
		*len = n;
		j->p = (const char *)q + 1;
		return s;
	}
	/* the escapes: the one decoder of the library (util/jsonstr.c) */
	const char *close, *err;
	long k = ck_json_str_decode(s, (const char *)p, (const char *)q + 1, &close, &err);
	if (k < 0) {
		jp_fail(j, err);
		return NULL;
	}
	assert(close == (const char *)q); /* the scan above found the same closing quote */
	s[k] = 0;
	*len = (size_t)k;
	j->p = (const char *)q + 1;
	return s;
}

static json_t *jp_value(struct jp *j);

static json_t *jp_node(struct jp *j, int type)
{
	json_t *v = ck_arena_alloc(j->tmp, sizeof *v);
	if (!v)
		jp_fail(j, "out of memory");
	else
		v->type = type;
	return v;
}

/* Close a container: its children are stack[base..sp). */
static int jp_close(struct jp *j, json_t *v, size_t base)
{
	v->n = j->sp - base;
	if (v->n) {
		v->kids = ck_arena_alloc(j->tmp, v->n * sizeof *v->kids);
		if (!v->kids)
			return jp_fail(j, "out of memory");
		memcpy(v->kids, j->stack + base, v->n * sizeof *v->kids);
		if (v->type == J_OBJ) {
			v->keys = ck_arena_alloc(j->tmp, v->n * sizeof *v->keys);
			if (!v->keys)
				return jp_fail(j, "out of memory");
			memcpy(v->keys, j->kstack + base, v->n * sizeof *v->keys);
		}
	}
	j->sp = base;
	return 0;
}

static json_t *jp_container(struct jp *j, int type)
{
	if (++j->depth > CK_JSON_DEPTH) {
		jp_fail(j, "nested too deep");
		return NULL;
	}
	json_t *v = jp_node(j, type);
	size_t base = j->sp;
	char close = type == J_OBJ ? '}' : ']';
	j->p++;
	jp_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return v;
	}
	for (;;) {
		const char *key = NULL;
		size_t klen;
		if (type == J_OBJ) {
			jp_ws(j);
			if (j->p >= j->end || *j->p != '"') {
				jp_fail(j, "expected a string key");
				return NULL;
			}
			j->p++;
			if (!(key = jp_string(j, j->tmp, &klen)))
				return NULL;
			jp_ws(j);
			if (j->p >= j->end || *j->p != ':') {
				jp_fail(j, "expected ':'");
				return NULL;
			}
			j->p++;
		}
		json_t *kid = jp_value(j);
		if (!kid || jp_push(j, kid, key))
			return NULL;
		jp_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == close) {
			j->p++;
			break;
		}
		jp_fail(j, type == J_OBJ ? "expected ',' or '}'" : "expected ',' or ']'");
		return NULL;
	}
	j->depth--;
	if (!v || jp_close(j, v, base))
		return NULL;
	return v;
}

static json_t *jp_value(struct jp *j)
{
	jp_ws(j);
	if (j->p >= j->end) {
		jp_fail(j, "unexpected end of input");
		return NULL;
	}
	const char *p = j->p;
	size_t left = (size_t)(j->end - p);
	switch (*p) {
	case '{': return jp_container(j, J_OBJ);
	case '[': return jp_container(j, J_ARR);
	case '"': {
		json_t *v = jp_node(j, J_STR);
		j->p++;
		if (v && !(v->s = jp_string(j, j->out, &v->len)))
			return NULL;
		return v;
	}
	case 'n':
		if (left >= 4 && !memcmp(p, "null", 4)) {
			j->p += 4;
			return jp_node(j, J_NULL);
		}
		break;
	case 't':
		if (left >= 4 && !memcmp(p, "true", 4)) {
			j->p += 4;
			return jp_node(j, J_TRUE);
		}
		break;
	case 'f':
		if (left >= 5 && !memcmp(p, "false", 5)) {
			j->p += 5;
			return jp_node(j, J_FALSE);
		}
		break;
	default:
		if (*p == '-' || (*p >= '0' && *p <= '9')) {
			const char *q = p + (*p == '-');
			int isint = 1;
			if (q >= j->end || *q < '0' || *q > '9')
				break;
			if (*q == '0')
				q++;
			else
				while (q < j->end && *q >= '0' && *q <= '9')
					q++;
			if (q < j->end && *q == '.') {
				isint = 0;
				q++;
				if (q >= j->end || *q < '0' || *q > '9')
					break;
				while (q < j->end && *q >= '0' && *q <= '9')
					q++;
			}
			if (q < j->end && (*q == 'e' || *q == 'E')) {
				isint = 0;
				q++;
				if (q < j->end && (*q == '+' || *q == '-'))
					q++;
				if (q >= j->end || *q < '0' || *q > '9')
					break;
				while (q < j->end && *q >= '0' && *q <= '9')
					q++;
			}
			json_t *v = jp_node(j, J_NUM);
			if (!v)
				return NULL;
			if (isint && q - p <= 18) {
				/* [p, q) in place: the input need not end after the number */
				const char *d = p + (*p == '-');
				long long x = 0;
				for (; d < q; d++)
					x = x * 10 + (*d - '0');
				v->type = J_INT;
				v->i = *p == '-' ? -x : x;
			}
			j->p = q;
			return v;
		}
	}
	jp_fail(j, "invalid JSON value");
	return NULL;
}

/* The member k of an object; NULL when absent.  A key given twice is an
 * error (the reader would not know which to trust). */
static json_t *json_object_get(json_t *o, const char *k)
{
	json_t *v = NULL;
	if (!o || o->type != J_OBJ)
		return NULL;
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], k)) {
			if (v)
				return (json_t *)-1;
			v = o->kids[i];
		}
	return v;
}

#define json_is_null(v) ((v)->type == J_NULL)
#define json_is_string(v) ((v)->type == J_STR)
#define json_is_integer(v) ((v)->type == J_INT)
#define json_is_array(v) ((v)->type == J_ARR)
#define json_is_object(v) ((v)->type == J_OBJ)
#define json_string_value(v) ((v)->s)
#define json_string_length(v) ((v)->len)
#define json_integer_value(v) ((v)->i)
#define json_array_size(v) ((v)->n)
#define json_array_get(v, i) ((v)->kids[i])

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

/* The member k of obj; NULL when absent, or given twice (an error). */
static json_t *rd_get(struct rd *r, json_t *obj, const char *k)
{
	json_t *v = json_object_get(obj, k);
	if (v == (json_t *)-1) {
		rd_fail(r, k, "one value (the key is given twice)");
		return NULL;
	}
	return v;
}

/* A string or null member; absent = NULL.  The string already lives in
 * the cable's arena. */
static const char *rd_str(struct rd *r, json_t *obj, const char *k)
{
	json_t *v = rd_get(r, obj, k);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		rd_fail(r, k, "a string or null");
		return NULL;
	}
	return json_string_value(v);
}

/* An integer or null member; absent/null = dflt. */
static long long rd_int(struct rd *r, json_t *obj, const char *k, long long dflt,
			long long min, long long max)
{
	json_t *v = rd_get(r, obj, k);
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
	json_t *v = rd_get(r, obj, k);
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
		a[i] = json_string_value(e);
	}
	out->v = a;
	out->n = n;
}

/* An array of objects: returns it (NULL when absent/null/empty), n set.
 * Every element must be an object. */
static json_t *rd_objarr(struct rd *r, json_t *obj, const char *k, size_t *n)
{
	json_t *v = rd_get(r, obj, k);
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
	json_t *v = rd_get(r, obj, k);
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

/* The fields of 1970s telegrams and PlusD records (see json.c). */
static void rd_seventies(struct rd *r, json_t *root)
{
	ck_cable *c = r->c;
	json_t *o, *arr;
	size_t n;

	c->drafter = rd_str(r, root, "drafter");
	c->approver = rd_str(r, root, "approver");
	rd_strv(r, root, "clearances", &c->clearances);
	if ((o = rd_obj(r, root, "office"))) {
		r->where = "office";
		c->office_action = rd_str(r, o, "action");
		c->office_origin = rd_str(r, o, "origin");
		r->where = "";
	}
	arr = rd_objarr(r, root, "distribution", &n);
	c->distribution = rd_alloc(r, n, sizeof *c->distribution);
	if (c->distribution) {
		r->where = "distribution";
		for (size_t i = 0; i < n && !r->err; i++) {
			json_t *e = json_array_get(arr, i);
			c->distribution[i].code = rd_str(r, e, "office");
			c->distribution[i].copies = (int)rd_int(r, e, "copies", -1, 0, INT_MAX);
			c->distribution[i].role = rd_str(r, e, "role");
		}
		r->where = "";
		c->ndistribution = n;
	}
	c->series = rd_str(r, root, "series");
	rd_strv(r, root, "concepts", &c->concepts);
	c->legacy_key = rd_str(r, root, "legacy_key");
	c->film_number = rd_str(r, root, "film_number");
	arr = rd_objarr(r, root, "review", &n);
	c->review = rd_alloc(r, n, sizeof *c->review);
	if (c->review) {
		r->where = "review";
		for (size_t i = 0; i < n && !r->err; i++) {
			json_t *e = json_array_get(arr, i);
			c->review[i].kind = rd_str(r, e, "kind");
			c->review[i].action = rd_str(r, e, "action");
			c->review[i].date = rd_str(r, e, "date");
			c->review[i].by = rd_str(r, e, "by");
			c->review[i].note = rd_str(r, e, "note");
		}
		r->where = "";
		c->nreview = n;
	}
}

/* source.record: an object of strings, kept in order. */
static void rd_record(struct rd *r, json_t *src, ck_source *s)
{
	json_t *o = rd_obj(r, src, "record");
	if (!o)
		return;
	size_t n = o->n;
	ck_kv *kv = rd_alloc(r, n, sizeof *kv);
	if (!kv)
		return;
	for (size_t i = 0; i < n && !r->err; i++) {
		json_t *v = o->kids[i];
		kv[i].key = ck_arena_strdup(r->c->arena, o->keys[i]); /* keys live in the scratch arena */
		if (!kv[i].key) {
			rd_nomem(r);
			return;
		}
		if (!json_is_string(v) && !json_is_null(v)) {
			rd_fail(r, "record", "an object of strings");
			return;
		}
		kv[i].value = json_is_null(v) ? NULL : json_string_value(v);
	}
	s->record = kv;
	s->nrecord = n;
}

/* references: label, text, id (json.c write_refs) */
static void rd_refs(struct rd *r, json_t *root)
{
	ck_cable *c = r->c;
	size_t n;
	json_t *arr = rd_objarr(r, root, "references", &n);
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
}

/* classified_by and decl, each an object or null */
static void rd_authority(struct rd *r, json_t *root)
{
	ck_cable *c = r->c;
	json_t *o;
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
}

/* the transmission header, an object or null */
static void rd_header(struct rd *r, json_t *root)
{
	ck_cable *c = r->c;
	json_t *o = rd_obj(r, root, "header");
	if (!o)
		return;
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
	h->page_dtg = rd_str(r, o, "page_dtg");
	h->page_post = rd_str(r, o, "page_post");
	h->line_count = rd_str(r, o, "line_count");
	h->dist_total = rd_str(r, o, "distribution_total");
	h->control = rd_str(r, o, "control");
	r->where = "";
}

/* the numbered paragraphs */
static void rd_paragraphs(struct rd *r, json_t *root)
{
	ck_cable *c = r->c;
	size_t n;
	json_t *arr = rd_objarr(r, root, "paragraphs", &n);
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
}

/* the problems: kind, line, note */
static void rd_problems(struct rd *r, json_t *root)
{
	ck_cable *c = r->c;
	size_t n;
	json_t *arr = rd_objarr(r, root, "problems", &n);
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
}

/* where the cable was read, with the page's metadata and a record's fields */
static void rd_source(struct rd *r, json_t *root)
{
	ck_cable *c = r->c;
	json_t *o = rd_obj(r, root, "source");
	if (!o)
		return;
	ck_source *s = &c->source;
	r->where = "source";
	s->file = rd_str(r, o, "file");
	s->format = rd_str(r, o, "format");
	s->offset = rd_int(r, o, "offset", 0, 0, LLONG_MAX);
	s->line = (int)rd_int(r, o, "line", 0, 0, INT_MAX);
	s->body_line = (int)rd_int(r, o, "body_line", 0, 0, INT_MAX);
	json_t *p = rd_obj(r, o, "page");
	if (p) {
		r->where = "source.page";
		s->meta_id = rd_str(r, p, "id");
		s->meta_date = rd_str(r, p, "created");
		s->meta_classification = rd_str(r, p, "classification");
		s->meta_origin = rd_str(r, p, "origin");
		s->meta_references = rd_str(r, p, "references");
	}
	r->where = "source";
	rd_record(r, o, s);
	r->where = "";
}

/* people (json.c write_people) */
static void rd_people(struct rd *r, json_t *root)
{
	ck_cable *c = r->c;
	size_t n;
	json_t *arr = rd_objarr(r, root, "people", &n);
	ck_person *p = rd_alloc(r, n, sizeof *p);
	if (!p)
		return;
	r->where = "people";
	for (size_t i = 0; i < n && !r->err; i++) {
		json_t *e = json_array_get(arr, i);
		p[i].key = rd_str(r, e, "key");
		p[i].name = rd_str(r, e, "name");
		rd_strv(r, e, "titles", &p[i].titles);
		rd_strv(r, e, "roles", &p[i].roles);
		size_t nm;
		json_t *ma = rd_objarr(r, e, "mentions", &nm);
		ck_mention *m = rd_alloc(r, nm, sizeof *m);
		for (size_t k = 0; m && k < nm && !r->err; k++) {
			json_t *me = json_array_get(ma, k);
			m[k].paragraph = (int)rd_int(r, me, "paragraph", 0, 0, INT_MAX);
			m[k].offset = (int)rd_int(r, me, "offset", 0, 0, INT_MAX);
			m[k].text = rd_str(r, me, "text");
		}
		p[i].mentions = m;
		p[i].nmentions = m ? nm : 0;
	}
	r->where = "";
	c->people = p;
	c->npeople = n;
}

static void rd_cable(struct rd *r, json_t *root)
{
	ck_cable *c = r->c;

	c->id = rd_str(r, root, "id");
	rd_strv(r, root, "aliases", &c->aliases);
	c->date = rd_str(r, root, "date");
	c->origin = rd_str(r, root, "origin");
	c->from = rd_str(r, root, "from");
	c->classification = rd_str(r, root, "classification");
	c->classification_current = rd_str(r, root, "classification_current");
	rd_strv(r, root, "caveats", &c->caveats);
	c->marking = rd_str(r, root, "marking");
	c->precedence = rd_str(r, root, "precedence");
	rd_strv(r, root, "tags", &c->tags);
	rd_strv(r, root, "person_tags", &c->person_tags);
	c->subject = rd_str(r, root, "subject");

	rd_refs(r, root);
	rd_authority(r, root);
	rd_header(r, root);
	rd_seventies(r, root);
	rd_addrs(r, root, "to", &c->to, &c->nto);
	rd_addrs(r, root, "info", &c->info, &c->ninfo);
	rd_addrs(r, root, "xmt", &c->xmt, &c->nxmt);
	c->sections = (int)rd_int(r, root, "sections", 0, 0, INT_MAX);
	c->summary = rd_str(r, root, "summary");

	rd_paragraphs(r, root);
	rd_strv(r, root, "signers", &c->signers);
	rd_people(r, root);
	c->body = rd_str(r, root, "body");

	rd_problems(r, root);
	rd_source(r, root);
}

/* Line and column of a byte offset, for messages. */
static void where(const char *start, const char *at, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (const char *p = start; p < at; p++) {
		if (*p == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

int ck_cable_read_json(ck_cable **out, const char *json, size_t len)
{
	struct jp j = {0};
	struct rd r = {NULL, 0, ""};
	json_t *root = NULL;
	int rc = 0;

	*out = NULL;
	if (!json)
		return ck_error_set(CK_EINVAL, "json: no input");
	r.c = ck_cable_new_();
	j.tmp = ck_arena_new();
	if (!r.c || !j.tmp) {
		rc = ck_error_set(CK_ENOMEM, "json: out of memory");
		goto cleanup;
	}
	j.p = j.start = json;
	j.end = json + len;
	j.out = r.c->arena;
	root = jp_value(&j);
	if (root) {
		jp_ws(&j);
		if (j.p < j.end)
			jp_fail(&j, "end of input expected");
	}
	if (j.err) {
		int line, col;
		where(j.start, j.p, &line, &col);
		rc = ck_error_set(CK_EPARSE, "json:%d:%d: %s", line, col, j.err);
		goto cleanup;
	}
	if (!json_is_object(root)) {
		rc = ck_error_set(CK_EPARSE, "json: expected an object (a cable)");
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
	ck_arena_free(j.tmp);
	free(j.stack);
	free(j.kstack);
	return rc;
}
