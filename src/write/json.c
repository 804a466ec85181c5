/*
 * json.c - the contract JSON of one cable (DESIGN.md, version 1).
 *
 * Field names and order are fixed by the contract; decoded forms
 * (tag_names, route_name) sit beside the codes, never instead of them.
 * Strings in a cable are valid UTF-8 (the parser guarantees it), so this
 * writer only escapes.
 */
#include "cablekit.h"

#include <string.h>

void ck_json_str(ck_buf *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	if (!s) {
		ck_buf_put(out, "null", 4);
		return;
	}
	size_t n = strlen(s);
	if (ck_buf_grow(out, n + 2))
		return;
	ck_buf_putc(out, '"');
	/* bytes to look at: controls, quote, backslash, and 0xE2 (which may
	 * start U+2028/U+2029); the rest is copied in runs */
	static const unsigned char look[256] = {
		[0 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, [0xE2] = 1,
	};
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *run = p;
	for (;; p++) {
		while (!look[*p])
			p++;
		unsigned char c = *p;
		if (!c)
			break;
		const char *esc = NULL;
		char u[7];
		if (c >= 0x20 && c != '"' && c != '\\') {
			/* U+2028 / U+2029 break JavaScript string literals */
			if (c == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
				ck_buf_put(out, run, (size_t)(p - run));
				ck_buf_puts(out, p[2] == 0xA8 ? "\\u2028" : "\\u2029");
				p += 2;
				run = p + 1;
			}
			continue;
		}
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
			u[4] = hex[c >> 4]; u[5] = hex[c & 15]; u[6] = 0;
			esc = u;
		}
		ck_buf_put(out, run, (size_t)(p - run));
		ck_buf_puts(out, esc);
		run = p + 1;
	}
	ck_buf_put(out, run, (size_t)(p - run));
	ck_buf_putc(out, '"');
}

/* A small writer that knows where commas and (for pretty output)
 * newlines and indentation go. */
struct jw {
	ck_buf *b;
	int pretty;
	int depth;
	int first; /* nothing written yet at this level */
};

static void jw_nl(struct jw *w)
{
	if (!w->pretty)
		return;
	ck_buf_putc(w->b, '\n');
	for (int i = 0; i < w->depth; i++)
		ck_buf_put(w->b, "  ", 2);
}

static void jw_sep(struct jw *w)
{
	if (!w->first)
		ck_buf_putc(w->b, ',');
	w->first = 0;
	jw_nl(w);
}

static void jw_key(struct jw *w, const char *k)
{
	jw_sep(w);
	ck_buf_putc(w->b, '"');
	ck_buf_puts(w->b, k);
	ck_buf_put(w->b, w->pretty ? "\": " : "\":", w->pretty ? 3 : 2);
}

static void jw_open(struct jw *w, char c)
{
	ck_buf_putc(w->b, c);
	w->depth++;
	w->first = 1;
}

static void jw_close(struct jw *w, char c)
{
	w->depth--;
	if (!w->first)
		jw_nl(w);
	ck_buf_putc(w->b, c);
	w->first = 0;
}

static void jw_kstr(struct jw *w, const char *k, const char *v)
{
	jw_key(w, k);
	ck_json_str(w->b, v);
}

static void jw_kint(struct jw *w, const char *k, long long v, int null_if_neg)
{
	jw_key(w, k);
	if (null_if_neg && v < 0)
		ck_buf_puts(w->b, "null");
	else
		ck_buf_printf(w->b, "%lld", v);
}

static void jw_strv(struct jw *w, const ck_strv *v)
{
	jw_open(w, '[');
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			ck_buf_putc(w->b, ',');
		if (w->pretty && i)
			ck_buf_putc(w->b, ' ');
		ck_json_str(w->b, v->v[i]);
	}
	w->depth--;
	ck_buf_putc(w->b, ']');
	w->first = 0;
}

static void jw_kstrv(struct jw *w, const char *k, const ck_strv *v)
{
	jw_key(w, k);
	jw_strv(w, v);
}

static void jw_addrs(struct jw *w, const char *k, const ck_addr *a, size_t n)
{
	jw_key(w, k);
	jw_open(w, '[');
	for (size_t i = 0; i < n; i++) {
		jw_sep(w);
		jw_open(w, '{');
		jw_kstr(w, "route", a[i].route);
		jw_kstr(w, "name", a[i].name);
		jw_kstr(w, "precedence", a[i].precedence);
		jw_kstr(w, "mcn", a[i].mcn);
		jw_kstr(w, "route_name", a[i].route ? ck_ri_name(a[i].route) : NULL);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

/* The fields of 1970s telegrams and PlusD records (DESIGN.md): who
 * drafted and approved, the office distribution, the special series, and
 * the record's concepts, keys and review history. */
static void write_seventies(struct jw *w, const ck_cable *c)
{
	jw_kstr(w, "drafter", c->drafter);
	jw_kstr(w, "approver", c->approver);
	jw_kstrv(w, "clearances", &c->clearances);
	jw_key(w, "office");
	if (c->office_action || c->office_origin) {
		jw_open(w, '{');
		jw_kstr(w, "action", c->office_action);
		jw_kstr(w, "origin", c->office_origin);
		jw_close(w, '}');
	} else {
		ck_buf_puts(w->b, "null");
	}
	jw_key(w, "distribution");
	jw_open(w, '[');
	for (size_t i = 0; i < c->ndistribution; i++) {
		const ck_office *o = &c->distribution[i];
		jw_sep(w);
		jw_open(w, '{');
		jw_kstr(w, "office", o->code);
		jw_kint(w, "copies", o->copies, 1);
		jw_kstr(w, "role", o->role);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_kstr(w, "series", c->series);
	jw_kstrv(w, "concepts", &c->concepts);
	jw_kstr(w, "legacy_key", c->legacy_key);
	jw_kstr(w, "film_number", c->film_number);
	jw_key(w, "review");
	jw_open(w, '[');
	for (size_t i = 0; i < c->nreview; i++) {
		const ck_review *r = &c->review[i];
		jw_sep(w);
		jw_open(w, '{');
		jw_kstr(w, "kind", r->kind);
		jw_kstr(w, "action", r->action);
		jw_kstr(w, "date", r->date);
		jw_kstr(w, "by", r->by);
		jw_kstr(w, "note", r->note);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

/* people: [{"key","name","titles","roles","mentions":[{"paragraph",
 * "offset","text"}]}] (people.c) */
static void write_people(struct jw *w, const ck_cable *c)
{
	jw_key(w, "people");
	jw_open(w, '[');
	for (size_t i = 0; i < c->npeople; i++) {
		const ck_person *p = &c->people[i];
		jw_sep(w);
		jw_open(w, '{');
		jw_kstr(w, "key", p->key);
		jw_kstr(w, "name", p->name);
		jw_kstrv(w, "titles", &p->titles);
		jw_kstrv(w, "roles", &p->roles);
		jw_key(w, "mentions");
		jw_open(w, '[');
		for (size_t k = 0; k < p->nmentions; k++) {
			const ck_mention *m = &p->mentions[k];
			jw_sep(w);
			jw_open(w, '{');
			jw_kint(w, "paragraph", m->paragraph, 0);
			jw_kint(w, "offset", m->offset, 0);
			jw_kstr(w, "text", m->text);
			jw_close(w, '}');
		}
		jw_close(w, ']');
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

/* the meaning of each TAGS code, null for an unknown one */
static void write_tag_names(struct jw *w, const ck_strv *tags)
{
	jw_key(w, "tag_names");
	jw_open(w, '[');
	for (size_t i = 0; i < tags->n; i++) {
		if (i)
			ck_buf_putc(w->b, ',');
		ck_json_str(w->b, ck_tag_meaning(tags->v[i], NULL));
	}
	w->depth--;
	ck_buf_putc(w->b, ']');
	w->first = 0;
}

/* the REF entries: label, text as written, the id read from it */
static void write_refs(struct jw *w, const ck_cable *c)
{
	jw_key(w, "references");
	jw_open(w, '[');
	for (size_t i = 0; i < c->nrefs; i++) {
		jw_sep(w);
		jw_open(w, '{');
		jw_kstr(w, "label", c->refs[i].label);
		jw_kstr(w, "text", c->refs[i].text);
		jw_kstr(w, "id", c->refs[i].id);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

/* who classified it and why, and when it is declassified ("Classified By:"
 * and "DECL:" lines); null for each the text lacks */
static void write_authority(struct jw *w, const ck_cable *c)
{
	jw_key(w, "classified_by");
	if (c->has_classified_by) {
		jw_open(w, '{');
		jw_kstr(w, "name", c->classified_by.name);
		jw_kstr(w, "title", c->classified_by.title);
		jw_kstrv(w, "reasons", &c->classified_by.reasons);
		jw_kstr(w, "text", c->classified_by.text);
		jw_close(w, '}');
	} else {
		ck_buf_puts(w->b, "null");
	}
	jw_key(w, "decl");
	if (c->has_decl) {
		jw_open(w, '{');
		jw_kstr(w, "order", c->decl.order);
		jw_kstr(w, "date", c->decl.date);
		jw_kstr(w, "text", c->decl.text);
		jw_close(w, '}');
	} else {
		ck_buf_puts(w->b, "null");
	}
}

/* the transmission header (FL1-FL8, DTG, the page printout); null when
 * the text has none */
static void write_header(struct jw *w, const ck_header *h)
{
	jw_key(w, "header");
	if (h->transmission || h->relay.n || h->station || h->security || h->dtg || h->page_dtg ||
	    h->page_post || h->line_count || h->dist_total || h->control) {
		jw_open(w, '{');
		jw_kstr(w, "transmission", h->transmission);
		jw_kstr(w, "relay_precedence", h->relay_prec);
		jw_kstrv(w, "relay", &h->relay);
		jw_kstr(w, "station", h->station);
		jw_kstr(w, "station_name", h->station ? ck_ri_name(h->station) : NULL);
		jw_kint(w, "ssn", h->ssn, 1);
		jw_kint(w, "section", h->section ? h->section : -1, 1);
		jw_kstr(w, "julian", h->julian);
		jw_kstr(w, "security", h->security);
		jw_kstr(w, "precedence", h->dtg_prec);
		jw_kstr(w, "dtg", h->dtg);
		if (h->page_dtg)
			jw_kstr(w, "page_dtg", h->page_dtg);
		if (h->page_post)
			jw_kstr(w, "page_post", h->page_post);
		if (h->line_count)
			jw_kstr(w, "line_count", h->line_count);
		if (h->dist_total)
			jw_kstr(w, "distribution_total", h->dist_total);
		if (h->control)
			jw_kstr(w, "control", h->control);
		jw_close(w, '}');
	} else {
		ck_buf_puts(w->b, "null");
	}
}

/* the numbered paragraphs with marking and heading */
static void write_paragraphs(struct jw *w, const ck_cable *c)
{
	jw_key(w, "paragraphs");
	jw_open(w, '[');
	for (size_t i = 0; i < c->nparas; i++) {
		jw_sep(w);
		jw_open(w, '{');
		jw_kint(w, "n", c->paras[i].n ? c->paras[i].n : -1, 1);
		jw_kstr(w, "marking", c->paras[i].marking);
		jw_kstr(w, "heading", c->paras[i].heading);
		jw_kstr(w, "text", c->paras[i].text);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

/* every repair and doubt, with the line it concerns */
static void write_problems(struct jw *w, const ck_cable *c)
{
	jw_key(w, "problems");
	jw_open(w, '[');
	for (size_t i = 0; i < c->nproblems; i++) {
		jw_sep(w);
		jw_open(w, '{');
		jw_kstr(w, "kind", c->problems[i].kind);
		jw_kint(w, "line", c->problems[i].line, 0);
		jw_kstr(w, "note", c->problems[i].note);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

/* where the cable was read: file, format, position, the page's own
 * metadata and a record's fields */
static void write_source(struct jw *w, const ck_source *s)
{
	jw_key(w, "source");
	jw_open(w, '{');
	jw_kstr(w, "file", s->file);
	jw_kstr(w, "format", s->format);
	jw_kint(w, "offset", s->offset, 0);
	if (s->line)
		jw_kint(w, "line", s->line, 0);
	if (s->body_line)
		jw_kint(w, "body_line", s->body_line, 0);
	if (s->meta_id || s->meta_date || s->meta_classification || s->meta_origin ||
	    s->meta_references) {
		jw_key(w, "page");
		jw_open(w, '{');
		jw_kstr(w, "id", s->meta_id);
		jw_kstr(w, "created", s->meta_date);
		jw_kstr(w, "classification", s->meta_classification);
		jw_kstr(w, "origin", s->meta_origin);
		if (s->meta_references)
			jw_kstr(w, "references", s->meta_references);
		jw_close(w, '}');
	}
	if (s->nrecord) {
		jw_key(w, "record");
		jw_open(w, '{');
		for (size_t i = 0; i < s->nrecord; i++)
			jw_kstr(w, s->record[i].key, s->record[i].value);
		jw_close(w, '}');
	}
	jw_close(w, '}');
}

int ck_cable_write_json(ck_buf *out, const ck_cable *c, int flags)
{
	struct jw w = {out, flags & CK_JSON_PRETTY, 0, 1};
	size_t start = out->len;

	jw_open(&w, '{');
	jw_kstr(&w, "id", c->id);
	jw_kstrv(&w, "aliases", &c->aliases);
	jw_kstr(&w, "date", c->date);
	jw_kstr(&w, "origin", c->origin);
	jw_kstr(&w, "from", c->from);
	jw_kstr(&w, "classification", c->classification);
	jw_kstr(&w, "classification_current", c->classification_current);
	jw_kstrv(&w, "caveats", &c->caveats);
	jw_kstr(&w, "marking", c->marking);
	jw_kstr(&w, "precedence", c->precedence);
	jw_kstrv(&w, "tags", &c->tags);
	write_tag_names(&w, &c->tags);
	jw_kstrv(&w, "person_tags", &c->person_tags);
	jw_kstr(&w, "subject", c->subject);
	write_refs(&w, c);
	write_authority(&w, c);
	write_seventies(&w, c);
	write_header(&w, &c->header);
	jw_addrs(&w, "to", c->to, c->nto);
	jw_addrs(&w, "info", c->info, c->ninfo);
	if (c->nxmt)
		jw_addrs(&w, "xmt", c->xmt, c->nxmt);
	jw_kint(&w, "sections", c->sections ? c->sections : -1, 1);
	jw_kstr(&w, "summary", c->summary);
	write_paragraphs(&w, c);
	jw_kstrv(&w, "signers", &c->signers);
	write_people(&w, c);
	jw_kstr(&w, "body", c->body);
	write_problems(&w, c);
	write_source(&w, &c->source);
	jw_close(&w, '}');
	if (!out->ptr || out->len < start)
		return CK_ENOMEM;
	return 0;
}
