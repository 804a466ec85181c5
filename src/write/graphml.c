/*
 * graphml.c - the citation graph as GraphML (Gephi, yEd, networkx).
 *
 * A node per cable (id, date, origin, marking, subject), a directed edge
 * per reference that names a cable id (label and text of the reference on
 * the edge).  A cited cable outside the archive becomes a node marked
 * external=true, and (when a query chose the cables) a cited archive cable
 * the query left out a node marked selected=false, each written once: the
 * set of such ids is the only state kept, so memory grows with the
 * distinct outside citations, not with the archive.
 */
#include "write/write.h"

#include <stdlib.h>
#include <string.h>

struct ck_graphml {
	ck_in_archive_fn in_archive;
	void *ctx;
	ck_arena *arena;     /* the external ids */
	const char **slots;  /* open addressing set */
	size_t cap, n;
};

void ck_xml_str(ck_buf *out, const char *s)
{
	if (!s)
		return;
	const unsigned char *p = (const unsigned char *)s, *run = p;
	for (; *p; p++) {
		const char *esc;
		unsigned char c = *p;
		if (c >= 0x20 && c != '&' && c != '<' && c != '>' && c != '"' &&
		    c != '\'') {
			/* U+FFFE and U+FFFF are not XML characters */
			if (c == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
				ck_buf_put(out, run, (size_t)(p - run));
				p += 2;
				run = p + 1;
			}
			continue;
		}
		switch (c) {
		case '&': esc = "&amp;"; break;
		case '<': esc = "&lt;"; break;
		case '>': esc = "&gt;"; break;
		case '"': esc = "&quot;"; break;
		case '\'': esc = "&apos;"; break;
		case '\t': esc = "&#9;"; break;
		case '\n': esc = "&#10;"; break;
		case '\r': esc = "&#13;"; break;
		default: esc = ""; /* other control characters: not XML 1.0 */
		}
		ck_buf_put(out, run, (size_t)(p - run));
		ck_buf_puts(out, esc);
		run = p + 1;
	}
	ck_buf_put(out, run, (size_t)(p - run));
}

ck_graphml *ck_graphml_new(ck_in_archive_fn fn, void *ctx)
{
	ck_graphml *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->in_archive = fn;
	g->ctx = ctx;
	g->arena = ck_arena_new();
	g->cap = 1024;
	g->slots = calloc(g->cap, sizeof *g->slots);
	if (!g->arena || !g->slots) {
		ck_graphml_free(g);
		return NULL;
	}
	return g;
}

void ck_graphml_free(ck_graphml *g)
{
	if (!g)
		return;
	ck_arena_free(g->arena);
	free(g->slots);
	free(g);
}

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Add id to the set; returns 1 when it was new (0 when present or out of
 * memory: then the node is not written twice, at worst not at all). */
static int set_add(ck_graphml *g, const char *id)
{
	if ((g->n + 1) * 2 > g->cap) {
		size_t cap = g->cap * 2;
		const char **s = calloc(cap, sizeof *s);
		if (!s)
			return 0;
		for (size_t i = 0; i < g->cap; i++)
			if (g->slots[i]) {
				size_t j = hash(g->slots[i]) & (cap - 1);
				while (s[j])
					j = (j + 1) & (cap - 1);
				s[j] = g->slots[i];
			}
		free(g->slots);
		g->slots = s;
		g->cap = cap;
	}
	size_t j = hash(id) & (g->cap - 1);
	while (g->slots[j]) {
		if (!strcmp(g->slots[j], id))
			return 0;
		j = (j + 1) & (g->cap - 1);
	}
	const char *copy = ck_arena_strdup(g->arena, id);
	if (!copy)
		return 0;
	g->slots[j] = copy;
	g->n++;
	return 1;
}

static const char prolog[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"\n"
	"    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
	"    xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
	"http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n";

void ck_graphml_begin(ck_graphml *g, ck_buf *out)
{
	ck_buf_puts(out, prolog);
	ck_buf_puts(out,
		"  <key id=\"date\" for=\"node\" attr.name=\"date\" attr.type=\"string\"/>\n"
		"  <key id=\"origin\" for=\"node\" attr.name=\"origin\" attr.type=\"string\"/>\n"
		"  <key id=\"marking\" for=\"node\" attr.name=\"marking\" attr.type=\"string\"/>\n"
		"  <key id=\"subject\" for=\"node\" attr.name=\"subject\" attr.type=\"string\"/>\n"
		"  <key id=\"external\" for=\"node\" attr.name=\"external\" attr.type=\"boolean\">"
		"<default>false</default></key>\n"
		"  <key id=\"selected\" for=\"node\" attr.name=\"selected\" attr.type=\"boolean\">"
		"<default>true</default></key>\n"
		"  <key id=\"label\" for=\"edge\" attr.name=\"label\" attr.type=\"string\"/>\n"
		"  <key id=\"text\" for=\"edge\" attr.name=\"text\" attr.type=\"string\"/>\n"
		"  <graph id=\"cites\" edgedefault=\"directed\">\n");
}

static void data(ck_buf *out, const char *key, const char *v)
{
	if (!v)
		return;
	ck_buf_puts(out, "<data key=\"");
	ck_buf_puts(out, key);
	ck_buf_puts(out, "\">");
	ck_xml_str(out, v);
	ck_buf_puts(out, "</data>");
}

void ck_graphml_node(ck_graphml *g, ck_buf *out, const char *id, const char *date,
		     const char *origin, const char *marking, const char *subject)
{
	(void)g;
	ck_buf_puts(out, "    <node id=\"");
	ck_xml_str(out, id);
	ck_buf_puts(out, "\">");
	data(out, "date", date);
	data(out, "origin", origin);
	data(out, "marking", marking);
	data(out, "subject", subject);
	ck_buf_puts(out, "</node>\n");
}

void ck_graphml_edge(ck_graphml *g, ck_buf *out, const char *source, const char *target,
		     int inside, const char *label, const char *text)
{
	if (inside != 1 && set_add(g, target)) {
		/* declared once: outside the archive, or outside the export */
		ck_buf_puts(out, "    <node id=\"");
		ck_xml_str(out, target);
		ck_buf_puts(out, inside ? "\"><data key=\"selected\">false</data></node>\n"
				 : "\"><data key=\"external\">true</data></node>\n");
	}
	ck_buf_puts(out, "    <edge source=\"");
	ck_xml_str(out, source);
	ck_buf_puts(out, "\" target=\"");
	ck_xml_str(out, target);
	ck_buf_puts(out, "\">");
	data(out, "label", label);
	data(out, "text", text);
	ck_buf_puts(out, "</edge>\n");
}

void ck_graphml_cable(ck_graphml *g, ck_buf *out, const ck_cable *c)
{
	if (!c->id)
		return; /* a graph node needs an id */
	ck_graphml_node(g, out, c->id, c->date, c->origin, c->marking, c->subject);
	for (size_t i = 0; i < c->nrefs; i++) {
		const ck_ref *r = &c->refs[i];
		char canon[64];
		const char *target = r->id;
		if (!target)
			continue;
		int inside = g->in_archive && strlen(target) < sizeof canon
				     ? g->in_archive(target, canon, g->ctx) : 0;
		ck_graphml_edge(g, out, c->id, inside ? canon : target, inside, r->label, r->text);
	}
}

void ck_graphml_people_begin(ck_graphml *g, ck_buf *out)
{
	(void)g;
	ck_buf_puts(out, prolog);
	ck_buf_puts(out,
		"  <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n"
		"  <key id=\"name\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>\n"
		"  <key id=\"date\" for=\"node\" attr.name=\"date\" attr.type=\"string\"/>\n"
		"  <key id=\"origin\" for=\"node\" attr.name=\"origin\" attr.type=\"string\"/>\n"
		"  <key id=\"marking\" for=\"node\" attr.name=\"marking\" attr.type=\"string\"/>\n"
		"  <key id=\"subject\" for=\"node\" attr.name=\"subject\" attr.type=\"string\"/>\n"
		"  <key id=\"role\" for=\"edge\" attr.name=\"role\" attr.type=\"string\"/>\n"
		"  <graph id=\"people\" edgedefault=\"directed\">\n");
}

void ck_graphml_people_cable(ck_graphml *g, ck_buf *out, const ck_cable *c)
{
	if (!c->id)
		return;
	ck_buf_puts(out, "    <node id=\"");
	ck_xml_str(out, c->id);
	ck_buf_puts(out, "\"><data key=\"kind\">cable</data>");
	data(out, "date", c->date);
	data(out, "origin", c->origin);
	data(out, "marking", c->marking);
	data(out, "subject", c->subject);
	ck_buf_puts(out, "</node>\n");
	ck_buf pid = CK_BUF_INIT;
	for (size_t i = 0; i < c->npeople; i++) {
		const ck_person *p = &c->people[i];
		if (!p->key)
			continue;
		ck_buf_clear(&pid);
		ck_buf_puts(&pid, "person:");
		ck_buf_puts(&pid, p->key);
		if (!pid.ptr)
			break;
		if (set_add(g, pid.ptr)) {
			ck_buf_puts(out, "    <node id=\"");
			ck_xml_str(out, pid.ptr);
			ck_buf_puts(out, "\"><data key=\"kind\">person</data>");
			data(out, "name", p->name);
			ck_buf_puts(out, "</node>\n");
		}
		ck_buf_puts(out, "    <edge source=\"");
		ck_xml_str(out, pid.ptr);
		ck_buf_puts(out, "\" target=\"");
		ck_xml_str(out, c->id);
		ck_buf_puts(out, "\"><data key=\"role\">");
		for (size_t k = 0; k < p->roles.n; k++) {
			if (k)
				ck_buf_putc(out, ',');
			ck_xml_str(out, p->roles.v[k]);
		}
		ck_buf_puts(out, "</data></edge>\n");
	}
	ck_buf_free(&pid);
}

void ck_graphml_end(ck_graphml *g, ck_buf *out)
{
	ck_buf_puts(out, "  </graph>\n</graphml>\n");
}
