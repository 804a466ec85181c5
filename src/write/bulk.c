/*
 * bulk.c - OpenSearch / Elasticsearch `_bulk` NDJSON: for each cable an
 * action line {"index":{"_index":"cables","_id":ID}} and a flat document
 * whose fields match the index mapping of ck_export_mapping() (keyword
 * for codes and names, date for date and decl, text for subject, summary
 * and body).  The document is flat so that every field is searchable as
 * is: decl is the declassification date, references the cited ids,
 * to/info the addressee names.
 */
#include "write/write.h"

#include <string.h>

static void b_key(ck_buf *out, const char *k)
{
	ck_buf_printf(out, ",\"%s\":", k);
}

static void b_strv(ck_buf *out, const char *k, const char *const *v, size_t n)
{
	b_key(out, k);
	ck_buf_putc(out, '[');
	int first = 1;
	for (size_t i = 0; i < n; i++) {
		if (!v[i])
			continue;
		if (!first)
			ck_buf_putc(out, ',');
		first = 0;
		ck_json_str(out, v[i]);
	}
	ck_buf_putc(out, ']');
}

static void b_addrs(ck_buf *out, const char *k, const ck_addr *a, size_t n)
{
	b_key(out, k);
	ck_buf_putc(out, '[');
	int first = 1;
	for (size_t i = 0; i < n; i++) {
		if (!a[i].name)
			continue;
		if (!first)
			ck_buf_putc(out, ',');
		first = 0;
		ck_json_str(out, a[i].name);
	}
	ck_buf_putc(out, ']');
}

static void b_str(ck_buf *out, const char *k, const char *v)
{
	b_key(out, k);
	ck_json_str(out, v);
}

void ck_cable_write_bulk(ck_buf *out, const ck_cable *c)
{
	ck_buf_puts(out, "{\"index\":{\"_index\":\"cables\",\"_id\":");
	ck_json_str(out, c->id);
	ck_buf_puts(out, "}}\n{\"id\":");
	ck_json_str(out, c->id);
	b_strv(out, "aliases", c->aliases.v, c->aliases.n);
	b_str(out, "date", c->date);
	b_str(out, "origin", c->origin);
	b_str(out, "from", c->from);
	b_str(out, "classification", c->classification);
	b_str(out, "marking", c->marking);
	b_strv(out, "caveats", c->caveats.v, c->caveats.n);
	b_str(out, "precedence", c->precedence);
	b_strv(out, "tags", c->tags.v, c->tags.n);
	b_str(out, "subject", c->subject);
	b_key(out, "references");
	ck_buf_putc(out, '[');
	int first = 1;
	for (size_t i = 0; i < c->nrefs; i++) {
		if (!c->refs[i].id)
			continue;
		if (!first)
			ck_buf_putc(out, ',');
		first = 0;
		ck_json_str(out, c->refs[i].id);
	}
	ck_buf_putc(out, ']');
	b_str(out, "classified_by", c->has_classified_by ? c->classified_by.name : NULL);
	b_str(out, "decl", c->has_decl ? c->decl.date : NULL);
	b_addrs(out, "to", c->to, c->nto);
	b_addrs(out, "info", c->info, c->ninfo);
	b_strv(out, "signers", c->signers.v, c->signers.n);
	b_key(out, "sections");
	if (c->sections > 0)
		ck_buf_printf(out, "%d", c->sections);
	else
		ck_buf_puts(out, "null");
	b_str(out, "summary", c->summary);
	b_str(out, "body", c->body);
	ck_buf_puts(out, "}\n");
}

int ck_export_mapping(ck_buf *out)
{
	static const struct { const char *field, *type; } m[] = {
		{"id", "keyword"},      {"aliases", "keyword"},
		{"date", "date"},       {"origin", "keyword"},
		{"from", "keyword"},    {"classification", "keyword"},
		{"marking", "keyword"}, {"caveats", "keyword"},
		{"precedence", "keyword"}, {"tags", "keyword"},
		{"subject", "text"},    {"references", "keyword"},
		{"classified_by", "keyword"}, {"decl", "date"},
		{"to", "keyword"},      {"info", "keyword"},
		{"signers", "keyword"}, {"sections", "integer"},
		{"summary", "text"},    {"body", "text"},
	};
	size_t start = out->len;
	ck_buf_puts(out, "{\n  \"mappings\": {\n    \"properties\": {\n");
	for (size_t i = 0; i < sizeof m / sizeof *m; i++)
		ck_buf_printf(out, "      \"%s\": {\"type\": \"%s\"}%s\n", m[i].field,
			      m[i].type, i + 1 < sizeof m / sizeof *m ? "," : "");
	ck_buf_puts(out, "    }\n  }\n}\n");
	return out->ptr && out->len > start ? 0 : CK_ENOMEM;
}
