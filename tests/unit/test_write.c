/* test_write.c - the writers of src/write/: JSON read back, telegram text,
 * CSV, GraphML and bulk exports. */
#include "unit.h"

#include <stdarg.h>
#include <stdlib.h>

ck_cable *ck_cable_new_(void);

static ck_strv sv(ck_arena *a, int n, ...)
{
	ck_strv v = {ck_arena_alloc(a, (size_t)n * sizeof(char *)), (size_t)n};
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		v.v[i] = ck_arena_strdup(a, va_arg(ap, const char *));
	va_end(ap);
	return v;
}

/* A cable with every field of the contract set, built by hand. */
static ck_cable *full_cable(void)
{
	ck_cable *c = ck_cable_new_();
	cr_assert_not_null(c);
	ck_arena *a = c->arena;
	c->id = "07ROME1497";
	c->aliases = sv(a, 2, "07ROME01497", "07Rome1497");
	c->date = "2007-07-09T17:12:00Z";
	c->origin = "Embassy Rome";
	c->from = "AMEMBASSY ROME";
	c->classification = "CONFIDENTIAL";
	c->caveats = sv(a, 2, "SIPDIS", "NOFORN");
	c->marking = "CONFIDENTIAL//NOFORN";
	c->precedence = "IMMEDIATE";
	c->tags = sv(a, 3, "PREL", "UNSC", "IT");
	c->subject = "ITALY: \"QUOTES\" \\ AND UNICODE \xc3\xa9 \xe2\x80\xa8 ON THE UNSC";
	c->nrefs = 2;
	c->refs = ck_arena_alloc(a, 2 * sizeof *c->refs);
	c->refs[0] = (ck_ref){"A", "STATE 12345", "07STATE12345"};
	c->refs[1] = (ck_ref){"B", "ROME 1234 (NOTAL)", NULL};
	c->has_classified_by = 1;
	c->classified_by.name = "ELIZABETH DIBBLE";
	c->classified_by.title = "DCM";
	c->classified_by.text = "CLASSIFIED BY: DCM ELIZABETH DIBBLE FOR REASONS 1.4(B) AND (D)";
	c->classified_by.reasons = sv(a, 2, "1.4(b)", "1.4(d)");
	c->has_decl = 1;
	c->decl.order = "12958";
	c->decl.date = "2017-07-03";
	c->decl.text = "E.O. 12958: DECL: 07/03/2017";
	c->header.transmission = "VZCZCXRO6975";
	c->header.relay = sv(a, 2, "RUEHFL", "RUEHKUK");
	c->header.relay_prec = "OO";
	c->header.station = "RUEHRO";
	c->header.ssn = 1497;
	c->header.section = 2;
	c->header.julian = "1901712";
	c->header.security = "ZNY CCCCC ZZH";
	c->header.dtg = "091712Z JUL 07";
	c->header.dtg_prec = "O";
	c->nto = 1;
	c->to = ck_arena_alloc(a, sizeof *c->to);
	c->to[0] = (ck_addr){"RUEHC", "SECSTATE WASHDC", "IMMEDIATE", "8533"};
	c->ninfo = 2;
	c->info = ck_arena_alloc(a, 2 * sizeof *c->info);
	c->info[0] = (ck_addr){"RUEHZL", "EUROPEAN POLITICAL COLLECTIVE", "PRIORITY", NULL};
	c->info[1] = (ck_addr){NULL, "USMISSION USUN NEW YORK", NULL, "0042"};
	c->nxmt = 1;
	c->xmt = ck_arena_alloc(a, sizeof *c->xmt);
	c->xmt[0] = (ck_addr){NULL, "AMCONSUL FLORENCE", NULL, NULL};
	c->sections = 3;
	c->summary = "ITALY WILL VOTE.\tTAB\x01";
	c->nparas = 2;
	c->paras = ck_arena_alloc(a, 2 * sizeof *c->paras);
	c->paras[0] = (ck_para){1, "C", "SUMMARY", "ITALY WILL VOTE."};
	c->paras[1] = (ck_para){2, "C//NF", NULL, "LINE ONE.\nLINE TWO."};
	c->signers = sv(a, 1, "SPOGLI");
	c->body = "1. (C) SUMMARY: ITALY WILL VOTE.\n\n2. (C//NF) LINE ONE.";
	c->nproblems = 1;
	c->problems = ck_arena_alloc(a, sizeof *c->problems);
	c->problems[0] = (ck_problem){"page-header", 42, "removed a page header"};
	c->source.file = "corpus/html/x.html";
	c->source.format = "html";
	c->source.offset = 1234567890123LL;
	c->source.line = 17;
	c->source.meta_id = "07ROME1497";
	c->source.meta_date = "2007-07-09 17:12";
	c->source.meta_classification = "CONFIDENTIAL//NOFORN";
	c->source.meta_origin = "Embassy Rome";
	return c;
}

static void roundtrip(ck_cable *c, int flags)
{
	ck_buf a = CK_BUF_INIT, b = CK_BUF_INIT;
	ck_cable *back = NULL;
	cr_assert_eq(ck_cable_write_json(&a, c, flags), 0);
	cr_assert_eq(ck_cable_read_json(&back, a.ptr, a.len), 0, "%s", ck_error_last());
	cr_assert_eq(ck_cable_write_json(&b, back, flags), 0);
	cr_assert_str_eq(b.ptr, a.ptr);
	ck_cable_free(back);
	ck_buf_free(&a);
	ck_buf_free(&b);
}

Test(json_read, roundtrip_every_field)
{
	ck_cable *c = full_cable();
	roundtrip(c, 0);
	roundtrip(c, CK_JSON_PRETTY);
	/* the fields themselves came back, not just the bytes */
	ck_buf a = CK_BUF_INIT;
	ck_cable *back = NULL;
	ck_cable_write_json(&a, c, 0);
	cr_assert_eq(ck_cable_read_json(&back, a.ptr, a.len), 0);
	cr_assert_str_eq(back->subject, c->subject);
	cr_assert_eq(back->header.ssn, 1497);
	cr_assert_eq(back->header.section, 2);
	cr_assert_eq(back->sections, 3);
	cr_assert_eq(back->source.offset, 1234567890123LL);
	cr_assert_str_eq(back->info[1].mcn, "0042");
	cr_assert_null(back->info[1].route);
	cr_assert_null(back->refs[1].id);
	cr_assert_str_eq(back->paras[1].text, "LINE ONE.\nLINE TWO.");
	cr_assert_str_eq(back->classified_by.reasons.v[1], "1.4(d)");
	cr_assert_neq(back->arena, c->arena);
	ck_cable_free(back);
	ck_buf_free(&a);
	ck_cable_free(c);
}

Test(json_read, roundtrip_empty_cable)
{
	ck_cable *c = ck_cable_new_();
	roundtrip(c, 0);
	ck_cable_free(c);
}

Test(json_read, unknown_fields_ignored)
{
	const char *j = "{\"id\":\"07ROME1497\",\"future\":{\"x\":[1,2]},"
			"\"paragraphs\":[{\"n\":1,\"text\":\"A\",\"extra\":true}],"
			"\"header\":{\"station\":\"RUEHRO\",\"ssn\":5,\"new\":1}}";
	ck_cable *c = NULL;
	cr_assert_eq(ck_cable_read_json(&c, j, strlen(j)), 0, "%s", ck_error_last());
	cr_assert_str_eq(c->id, "07ROME1497");
	cr_assert_eq(c->nparas, 1);
	cr_assert_str_eq(c->paras[0].text, "A");
	cr_assert_eq(c->header.ssn, 5);
	cr_assert_eq(c->header.section, 0);
	cr_assert_eq(c->nto, 0);
	ck_cable_free(c);
}

Test(json_read, wrong_types_fail)
{
	static const char *bad[] = {
		"{\"id\":5}",
		"{\"tags\":\"PREL\"}",
		"{\"tags\":[\"PREL\",3]}",
		"{\"references\":[\"STATE 1\"]}",
		"{\"header\":[]}",
		"{\"header\":{\"ssn\":\"12\"}}",
		"{\"header\":{\"ssn\":-4}}",
		"{\"sections\":1.5}",
		"{\"to\":[{\"name\":[]}]}",
		"{\"source\":{\"page\":{\"id\":1}}}",
		"{\"classified_by\":{\"reasons\":{}}}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_cable *c = (ck_cable *)1;
		cr_assert_eq(ck_cable_read_json(&c, bad[i], strlen(bad[i])), CK_EPARSE,
			     "%s", bad[i]);
		cr_assert_null(c);
		cr_assert_neq(ck_error_last()[0], 0);
	}
	ck_cable *c = NULL;
	cr_assert_eq(ck_cable_read_json(&c, "{\"id\":", 6), CK_EPARSE);
	cr_assert_eq(ck_cable_read_json(&c, "[1]", 3), CK_EPARSE);
	cr_assert_eq(ck_cable_read_json(&c, "{\"id\":\"a\",\"id\":\"b\"}", 21), CK_EPARSE);
	cr_assert_eq(ck_cable_read_json(&c, "", 0), CK_EPARSE);
	const char *j = "{\"header\":{\"ssn\":\"x\"}}";
	ck_cable_read_json(&c, j, strlen(j));
	cr_assert(strstr(ck_error_last(), "header.ssn"), "%s", ck_error_last());
}

/* ---- telegram -------------------------------------------------------- */

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "write/write.h"

static char *telegram(const ck_cable *c)
{
	ck_buf b = CK_BUF_INIT;
	cr_assert_eq(ck_cable_write_telegram(&b, c), 0);
	return b.ptr ? ck_buf_detach(&b) : strdup("");
}

static int has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = text; p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (!strncmp(p, line, n) && (p[n] == '\n' || !p[n]))
			return 1;
	}
	return 0;
}

Test(telegram, every_part_in_order)
{
	ck_cable *c = full_cable();
	c->body = NULL; /* the body made from the fields */
	char *t = telegram(c);
	static const char *lines[] = {
		"VZCZCXRO6975",
		"OO RUEHFL RUEHKUK",
		"DE RUEHRO #1497/02 1901712",
		"ZNY CCCCC ZZH",
		"O 091712Z JUL 07",
		"FM AMEMBASSY ROME",
		"TO RUEHC/SECSTATE WASHDC IMMEDIATE 8533",
		"INFO RUEHZL/EUROPEAN POLITICAL COLLECTIVE PRIORITY",
		"USMISSION USUN NEW YORK 0042",
		"XMT AMCONSUL FLORENCE",
		"C O N F I D E N T I A L SECTION 01 OF 03 ROME 001497",
		"SIPDIS",
		"NOFORN",
		"E.O. 12958: DECL: 07/03/2017",
		"TAGS: PREL UNSC IT",
		"REF: A. STATE 12345",
		"     B. ROME 1234 (NOTAL)",
		"SUMMARY",
		"-------",
		"1. (C) ITALY WILL VOTE.",
		"2. (C//NF) LINE ONE.",
		"LINE TWO.",
		"SPOGLI",
	};
	const char *at = t;
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
		cr_assert(has_line(at, lines[i]), "missing or out of order: %s\n%s",
			  lines[i], t);
		at = strstr(at, lines[i]) + strlen(lines[i]);
	}
	cr_assert(strstr(t, "SUBJECT: ITALY: \"QUOTES\""));
	cr_assert(strstr(t, "CLASSIFIED BY: DCM ELIZABETH DIBBLE"));
	/* the signer closes the telegram */
	size_t n = strlen(t);
	cr_assert(n > 8 && !strcmp(t + n - 7, "SPOGLI\n"), "%s", t);
	free(t);
	ck_cable_free(c);
}

Test(telegram, nothing_invented)
{
	ck_cable *c = ck_cable_new_();
	char *t = telegram(c);
	cr_assert_str_eq(t, "");
	free(t);
	c->subject = "ONLY A SUBJECT";
	c->date = "2007-07-09T17:12:00Z"; /* no DTG is made up from it */
	t = telegram(c);
	cr_assert_str_eq(t, "SUBJECT: ONLY A SUBJECT\n");
	free(t);
	c->classification = "UNCLASSIFIED";
	c->id = "09STATE30049";
	t = telegram(c);
	cr_assert_str_eq(t, "UNCLAS STATE 030049\n\nSUBJECT: ONLY A SUBJECT\n");
	free(t);
	ck_cable_free(c);
}

/* With a body, the body is written line for line after the header, page
 * headers put in; signers already at its end are not repeated. */
Test(telegram, body_line_for_line)
{
	ck_cable *c = full_cable();
	ck_buf body = CK_BUF_INIT;
	ck_buf_puts(&body, "C O N F I D E N T I A L ROME 001497\n\nSUBJECT: X\n");
	for (int i = 0; i < 150; i++)
		ck_buf_printf(&body, "line %d of a text that is longer than seventy columns, kept as it is\n", i);
	ck_buf_puts(&body, "\nSPOGLI");
	c->body = body.ptr;
	char *t = telegram(c);
	cr_assert(strstr(t, "XMT AMCONSUL FLORENCE\n\n"
			    "C O N F I D E N T I A L ROME 001497\n\nSUBJECT: X\nline 0 of"), "%s", t);
	cr_assert(has_line(t, "line 149 of a text that is longer than seventy columns, kept as it is"));
	cr_assert(has_line(t, "ROME 00001497 002 OF 003"));
	cr_assert(has_line(t, "ROME 00001497 003 OF 003"));
	cr_assert_null(strstr(t, "004 OF"));
	cr_assert_null(strstr(t, "TAGS:"), "no banner made from fields");
	cr_assert_eq(strstr(t, "SPOGLI"), t + strlen(t) - 7, "one signer line, at the end");
	free(t);
	ck_buf_free(&body);
	ck_cable_free(c);
}

/* A long cable: lines wrapped at 70, page headers every 60 lines with the
 * right count, and the wrapped lines join back into the text. */
Test(telegram, wrap_and_pages)
{
	ck_cable *c = ck_cable_new_();
	c->id = "07THEHAGUE12";
	c->from = "AMEMBASSY THE HAGUE";
	c->classification = "SECRET";
	c->nparas = 20;
	c->paras = ck_arena_alloc(c->arena, 20 * sizeof *c->paras);
	ck_buf text = CK_BUF_INIT;
	for (int i = 0; i < 60; i++)
		ck_buf_printf(&text, "%sword%d 1. x", i ? " " : "", i);
	for (int i = 0; i < 20; i++)
		c->paras[i] = (ck_para){i + 1, "S", NULL, text.ptr};
	char *t = telegram(c);
	cr_assert(has_line(t, "S E C R E T THE HAGUE 000012"), "%s", t);
	size_t lines = 0, headers = 0;
	for (char *p = t; *p;) {
		char *nl = strchr(p, '\n');
		size_t n = (size_t)(nl - p);
		cr_assert_leq(n, 70, "%.*s", (int)n, p);
		if (!strncmp(p, "THE HAGUE 00000012 0", 20))
			headers++;
		lines++;
		p = nl + 1;
	}
	size_t pages = headers + 1;
	char last[64];
	snprintf(last, sizeof last, "THE HAGUE 00000012 %03zu OF %03zu", pages, pages);
	cr_assert_geq(headers, 3);
	cr_assert(has_line(t, last), "%s", last);
	cr_assert(has_line(t, "THE HAGUE 00000012 002 OF 0") ||
		  strstr(t, "THE HAGUE 00000012 002 OF "));
	/* paragraph 3 joins back (the page headers fall elsewhere) */
	char *p3 = strstr(t, "\n3. (S) ");
	cr_assert_not_null(p3);
	char *p4 = strstr(p3, "\n4. (S) ");
	cr_assert_not_null(p4);
	ck_buf joined = CK_BUF_INIT;
	for (char *p = p3 + 8; p < p4;) {
		char *nl = strchr(p, '\n');
		if (nl > p && strncmp(p, "THE HAGUE 00000012 ", 19)) {
			if (joined.len)
				ck_buf_putc(&joined, ' ');
			ck_buf_put(&joined, p, (size_t)(nl - p));
		}
		p = nl + 1;
	}
	cr_assert_str_eq(joined.ptr, text.ptr);
	ck_buf_free(&joined);
	/* "1." never starts a wrapped line */
	cr_assert_null(strstr(t, "\n1. x"));
	free(t);
	ck_buf_free(&text);
	ck_cable_free(c);
}

/* ---- csv ------------------------------------------------------------- */

/* A small RFC 4180 reader: splits one record starting at *p into fields
 * (fields[i] malloc'd); returns the count and advances *p. */
static int csv_record(const char **p, char **fields, int max)
{
	int n = 0;
	const char *s = *p;
	for (;;) {
		ck_buf f = CK_BUF_INIT;
		ck_buf_puts(&f, "");
		if (*s == '"') {
			s++;
			for (;;) {
				cr_assert(*s, "unterminated quote");
				if (*s == '"' && s[1] == '"') {
					ck_buf_putc(&f, '"');
					s += 2;
				} else if (*s == '"') {
					s++;
					break;
				} else {
					ck_buf_putc(&f, *s++);
				}
			}
		} else {
			while (*s && *s != ',' && *s != '\r' && *s != '\n') {
				cr_assert_neq(*s, '"', "quote in an unquoted field");
				ck_buf_putc(&f, *s++);
			}
		}
		cr_assert_lt(n, max);
		fields[n++] = ck_buf_detach(&f);
		if (*s == ',') {
			s++;
			continue;
		}
		cr_assert(s[0] == '\r' && s[1] == '\n', "record must end in CRLF");
		*p = s + 2;
		return n;
	}
}

Test(csv, header_and_row_read_back)
{
	ck_cable *c = full_cable();
	c->body = "LINE, WITH COMMA\r\nAND \"QUOTES\"\nEND";
	ck_buf b = CK_BUF_INIT;
	ck_csv_header(&b);
	ck_cable_write_csv(&b, c);
	const char *p = b.ptr;
	char *h[32], *r[32];
	int nh = csv_record(&p, h, 32), nr = csv_record(&p, r, 32);
	cr_assert_eq(*p, 0);
	cr_assert_eq(nh, 18);
	cr_assert_eq(nr, nh);
	const char *want[][2] = {
		{"id", "07ROME1497"}, {"date", "2007-07-09T17:12:00Z"},
		{"origin", "Embassy Rome"}, {"from", "AMEMBASSY ROME"},
		{"classification", "CONFIDENTIAL"}, {"marking", "CONFIDENTIAL//NOFORN"},
		{"precedence", "IMMEDIATE"}, {"caveats", "SIPDIS;NOFORN"},
		{"tags", "PREL;UNSC;IT"}, {"subject", c->subject},
		{"references", "07STATE12345"}, {"classified_by", "ELIZABETH DIBBLE"},
		{"decl_date", "2017-07-03"}, {"to", "SECSTATE WASHDC"},
		{"info", "EUROPEAN POLITICAL COLLECTIVE;USMISSION USUN NEW YORK"},
		{"signers", "SPOGLI"}, {"sections", "3"}, {"body", c->body},
	};
	for (int i = 0; i < nh; i++) {
		cr_assert_str_eq(h[i], want[i][0]);
		cr_assert_str_eq(r[i], want[i][1], "column %s", h[i]);
		free(h[i]);
		free(r[i]);
	}
	ck_buf_free(&b);
	ck_cable_free(c);
}

/* ---- bulk and mapping -------------------------------------------------- */

Test(bulk, action_and_document)
{
	ck_cable *c = full_cable();
	ck_buf b = CK_BUF_INIT;
	ck_cable_write_bulk(&b, c);
	char *nl = strchr(b.ptr, '\n');
	cr_assert_not_null(nl);
	json_error_t e;
	json_t *act = json_loadb(b.ptr, (size_t)(nl - b.ptr), 0, &e);
	cr_assert_not_null(act, "%s", e.text);
	cr_assert_str_eq(json_string_value(json_object_get(
		json_object_get(act, "index"), "_id")), "07ROME1497");
	char *end = strchr(nl + 1, '\n');
	cr_assert(end && !end[1], "two lines, each ending in a newline");
	json_t *doc = json_loadb(nl + 1, (size_t)(end - nl - 1), 0, &e);
	cr_assert_not_null(doc, "%s", e.text);
	cr_assert_str_eq(json_string_value(json_object_get(doc, "decl")), "2017-07-03");
	cr_assert_str_eq(json_string_value(json_object_get(doc, "subject")), c->subject);
	cr_assert_eq(json_array_size(json_object_get(doc, "tags")), 3);
	cr_assert_eq(json_array_size(json_object_get(doc, "references")), 1);

	/* every document field has a mapping, and the types asked for */
	ck_buf m = CK_BUF_INIT;
	cr_assert_eq(ck_export_mapping(&m), 0);
	json_t *map = json_loadb(m.ptr, m.len, 0, &e);
	cr_assert_not_null(map, "%s", e.text);
	json_t *props = json_object_get(json_object_get(map, "mappings"), "properties");
	const char *key;
	json_t *v;
	json_object_foreach(doc, key, v)
		cr_assert_not_null(json_object_get(props, key), "no mapping for %s", key);
	const char *types[][2] = {{"id", "keyword"}, {"origin", "keyword"},
				  {"marking", "keyword"}, {"tags", "keyword"},
				  {"classification", "keyword"}, {"caveats", "keyword"},
				  {"date", "date"}, {"decl", "date"},
				  {"subject", "text"}, {"body", "text"}};
	for (size_t i = 0; i < sizeof types / sizeof *types; i++)
		cr_assert_str_eq(json_string_value(json_object_get(
			json_object_get(props, types[i][0]), "type")), types[i][1]);
	json_decref(map);
	json_decref(act);
	json_decref(doc);
	ck_buf_free(&m);
	ck_buf_free(&b);
	ck_cable_free(c);
}

/* ---- graphml ------------------------------------------------------------ */

static int fake_archive(const char *id, char *canon, void *ctx)
{
	(void)ctx;
	if (strcmp(id, "07STATE12345"))
		return 0;
	strcpy(canon, "07STATE12345");
	return 1;
}

static int count_nodes(xmlNode *n, const char *name, const char *attr,
		       const char *val)
{
	int k = 0;
	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name)) {
			xmlChar *a = attr ? xmlGetProp(n, (const xmlChar *)attr) : NULL;
			if (!attr || (a && !strcmp((const char *)a, val)))
				k++;
			xmlFree(a);
		}
		k += count_nodes(n->children, name, attr, val);
	}
	return k;
}

Test(graphml, well_formed_with_external_nodes)
{
	ck_cable *c = full_cable();
	c->subject = "A <B> & \"C\" 'D' \x01 \xef\xbf\xbf end";
	/* a second reference to a cable outside, and a third to the same */
	ck_ref *refs = ck_arena_alloc(c->arena, 4 * sizeof *refs);
	refs[0] = c->refs[0];
	refs[1] = c->refs[1];
	refs[2] = (ck_ref){"C", "PARIS 1 & 2", "06PARIS1"};
	refs[3] = (ck_ref){"D", "PARIS 1", "06PARIS1"};
	c->refs = refs;
	c->nrefs = 4;
	ck_graphml *g = ck_graphml_new(fake_archive, NULL);
	ck_buf b = CK_BUF_INIT;
	ck_graphml_begin(g, &b);
	ck_graphml_cable(g, &b, c);
	c->id = "07ROME1498"; /* a second cable citing the same outside one */
	ck_graphml_cable(g, &b, c);
	ck_graphml_end(g, &b);
	xmlDoc *doc = xmlReadMemory(b.ptr, (int)b.len, "t.graphml", NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR);
	cr_assert_not_null(doc, "not well-formed:\n%s", b.ptr);
	xmlNode *root = xmlDocGetRootElement(doc);
	cr_assert_eq(count_nodes(root, "node", NULL, NULL), 3);
	cr_assert_eq(count_nodes(root, "node", "id", "06PARIS1"), 1);
	cr_assert_eq(count_nodes(root, "edge", NULL, NULL), 6);
	cr_assert_eq(count_nodes(root, "edge", "target", "07STATE12345"), 2);
	cr_assert_eq(count_nodes(root, "node", "id", "07STATE12345"), 0);
	/* the subject comes back escaped and unescaped */
	xmlChar *all = xmlNodeGetContent(root);
	cr_assert(strstr((const char *)all, "A <B> & \"C\" 'D'   end"), "%s", all);
	xmlFree(all);
	xmlFreeDoc(doc);
	ck_graphml_free(g);
	ck_buf_free(&b);
	ck_cable_free(c);
}

Test(export, json_in_each_format)
{
	ck_cable *c = full_cable();
	ck_buf j = CK_BUF_INIT;
	ck_cable_write_json(&j, c, 0);
	static const char *fmts[] = {"jsonl", "csv", "graphml", "bulk"};
	for (int i = 0; i < 4; i++) {
		ck_export *e = NULL;
		ck_buf b = CK_BUF_INIT;
		cr_assert_eq(ck_export_new(&e, fmts[i], NULL), 0);
		cr_assert_eq(ck_export_begin(e, &b), 0);
		cr_assert_eq(ck_export_json(e, &b, j.ptr, j.len), 0);
		cr_assert_eq(ck_export_end(e, &b), 0);
		cr_assert(b.len > 100 && strstr(b.ptr, "07ROME1497"), "%s", fmts[i]);
		if (i == 0)
			cr_assert(b.len == j.len + 1 && !memcmp(b.ptr, j.ptr, j.len));
		if (i) /* jsonl passes the stored JSON through unread */
			cr_assert_eq(ck_export_json(e, &b, "{\"id\":3}", 8), CK_EPARSE);
		ck_export_free(e);
		ck_buf_free(&b);
	}
	ck_export *e = (ck_export *)1;
	cr_assert_eq(ck_export_new(&e, "xls", NULL), CK_EINVAL);
	cr_assert_null(e);
	ck_buf_free(&j);
	ck_cable_free(c);
}

/* The reader's own JSON parser: escapes, UTF-8, numbers, hostile input. */
Test(json_read, strict_json)
{
	static const char *good[] = {
		"{\"subject\":\"a\\u00e9\\ud83d\\ude00\\n\\\"\\\\\\/\\b\\f\\r\\t\"}",
		" \n{ \"tags\" : [ \"A\" , \"B\" ] , \"x\" : [1, -2.5e3, true, false, null, {}] }\r\n",
		"{\"sections\":0,\"header\":{\"ssn\":123456789012}}",
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		ck_cable *c = NULL;
		cr_assert_eq(ck_cable_read_json(&c, good[i], strlen(good[i])), 0, "%s: %s",
			     good[i], ck_error_last());
		if (i == 0)
			cr_assert_str_eq(c->subject, "a\xc3\xa9\xf0\x9f\x98\x80\n\"\\/\b\f\r\t");
		if (i == 1)
			cr_assert_eq(c->tags.n, 2);
		if (i == 2)
			cr_assert_eq(c->header.ssn, 123456789012L);
		ck_cable_free(c);
	}
	static const char *bad[] = {
		"{\"subject\":\"\\u0000\"}", "{\"subject\":\"\\ud800\"}",
		"{\"subject\":\"\\udc00x\"}", "{\"subject\":\"a\x01\"}",
		"{\"subject\":\"\xc3\"}", "{\"subject\":\"\xe0\x80\x80\"}",
		"{\"subject\":\"\xed\xa0\x80\"}", "{\"subject\":\"\\x\"}",
		"{\"sections\":01}", "{\"sections\":1.}", "{\"sections\":-}",
		"{\"a\":tru}", "{\"a\" 1}", "{\"a\":1,}", "{,}", "{\"a\":[1,]}",
		"{} {}", "{\"a\":\"b", "nul", "{'a':1}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_cable *c = NULL;
		cr_assert_eq(ck_cable_read_json(&c, bad[i], strlen(bad[i])), CK_EPARSE,
			     "%s", bad[i]);
		cr_assert_null(c);
	}
	/* deep nesting is refused, not a stack overflow */
	ck_buf deep = CK_BUF_INIT;
	ck_buf_puts(&deep, "{\"x\":");
	for (int i = 0; i < 100000; i++)
		ck_buf_putc(&deep, '[');
	ck_cable *c = NULL;
	cr_assert_eq(ck_cable_read_json(&c, deep.ptr, deep.len), CK_EPARSE);
	cr_assert(strstr(ck_error_last(), "deep"), "%s", ck_error_last());
	ck_buf_free(&deep);
	/* a long flat array is fine */
	ck_buf wide = CK_BUF_INIT;
	ck_buf_puts(&wide, "{\"tags\":[");
	for (int i = 0; i < 100000; i++)
		ck_buf_printf(&wide, "%s\"T%d\"", i ? "," : "", i);
	ck_buf_puts(&wide, "]}");
	cr_assert_eq(ck_cable_read_json(&c, wide.ptr, wide.len), 0);
	cr_assert_eq(c->tags.n, 100000);
	cr_assert_str_eq(c->tags.v[99999], "T99999");
	ck_cable_free(c);
	ck_buf_free(&wide);
}
