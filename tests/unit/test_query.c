/* test_query.c - the query language (tokens, precedence, fields, dates,
 * errors with positions, limits) and the archive behind it (store,
 * versions, diff, refs, search), on hand-made cables. */
#include "unit.h"
#include "archive/archive.h"
#include "archive/search.h"
#include "util/worker.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* the parsed tree of q as an S-expression */
static char *tree(const char *q)
{
	ck_query c;
	int rc = ck_query_compile(&c, q);
	cr_assert_eq(rc, 0, "query <%s>: %s", q, ck_error_last());
	char *t = strdup(c.tree);
	ck_query_free(&c);
	return t;
}

#define TREE(q, want) do { char *t_ = tree(q); cr_assert_str_eq(t_, want, "query <%s>", q); free(t_); } while (0)

/* the error message of a bad query */
#define ERR(q, want) do { \
	ck_query c_; \
	int rc_ = ck_query_compile(&c_, q); \
	cr_assert_eq(rc_, CK_EPARSE, "query <%s> should fail", q); \
	cr_assert_str_eq(ck_error_last(), want, "query <%s>", q); \
} while (0)

Test(query, words_and_precedence)
{
	TREE("rome", "rome");
	TREE("rome paris", "(AND rome paris)");
	TREE("rome AND paris", "(AND rome paris)");
	TREE("rome OR paris", "(OR rome paris)");
	TREE("a b OR c", "(OR (AND a b) c)");
	TREE("a OR b c", "(OR a (AND b c))");
	TREE("a OR b OR c", "(OR a b c)");
	TREE("NOT a b", "(AND (NOT a) b)");
	TREE("-a b", "(AND (NOT a) b)");
	TREE("a -b", "(AND a (NOT b))");
	TREE("NOT NOT a", "a");
	TREE("(a OR b) c", "(AND (OR a b) c)");
	TREE("a (b OR (c -d))", "(AND a (OR b (AND c (NOT d))))");
	TREE("\"exact phrase\" x", "(AND \"exact phrase\" x)");
	TREE("nucl*", "nucl*");
	TREE("\"nuclear weap\"*", "\"nuclear weap\"*");
	TREE("  spaced\tout\n", "(AND spaced out)");
	TREE("or and not", "(AND or and not)"); /* lower case: words */
}

Test(query, punctuation_words_are_left_out)
{
	TREE("rome - paris", "(AND rome paris)");
	TREE("rome ; paris", "(AND rome paris)");
	TREE("a -- b", "(AND a b)");
	TREE("", "");
	ERR("-", "query:1:1: nothing to search for (words need letters or digits)");
	ERR("... ;", "query:1:1: nothing to search for (words need letters or digits)");
}

Test(query, fields)
{
	TREE("from:rome", "from:rome");
	TREE("FROM:Rome", "from:Rome");
	TREE("origin:rome", "from:rome");
	TREE("to:\"secstate washdc\"", "to:\"secstate washdc\"");
	TREE("tag:prel tag:it", "(AND tag:prel tag:it)");
	TREE("class:secret", "class:secret");
	TREE("marking:\"SECRET//NOFORN\"", "marking:\"SECRET//NOFORN\"");
	TREE("caveat:noforn", "caveat:noforn");
	TREE("subject:iran", "subject:iran");
	TREE("subject:\"nuclear program\"", "subject:\"nuclear program\"");
	TREE("id:07rome1497", "id:07rome1497");
	TREE("cites:07ROME1497 citedby:08STATE1", "(AND cites:07ROME1497 citedby:08STATE1)");
	TREE("signer:spogli", "signer:spogli");
	TREE("date:2007", "date:2007");
	TREE("date:2007-07", "date:2007-07");
	TREE("date:2007-07-09", "date:2007-07-09");
	TREE("date:2007-01..2008-06", "date:2007-01..2008-06");
	TREE("date:..2008", "date:..2008");
	TREE("date:2007..", "date:2007..");
	TREE("decl:..2026-11-25", "decl:..2026-11-25");
	TREE("from:rome OR tag:prel -class:secret", "(OR from:rome (AND tag:prel (NOT class:secret)))");
	TREE("12958:x", "12958:x"); /* digits before ':' are not a field */
}

Test(query, compiled_sql_binds_every_value)
{
	ck_query c;
	const char *q = "from:rome' tag:prel date:2007 x'; DROP TABLE cable; --";
	cr_assert_eq(ck_query_compile(&c, q), 0, "%s", ck_error_last());
	/* no user text in the SQL */
	cr_assert_null(strstr(c.where.ptr, "rome"));
	cr_assert_null(strstr(c.where.ptr, "DROP"));
	cr_assert_null(strstr(c.where.ptr, "prel"));
	cr_assert_null(strstr(c.where.ptr, "2007"));
	/* words go to FTS5 as quoted strings */
	cr_assert_not_null(c.match);
	cr_assert_not_null(strstr(c.match, "\"x';\""), "%s", c.match);
	cr_assert_not_null(strstr(c.match, "\"DROP\""), "%s", c.match);
	int found = 0;
	for (int i = 0; i < c.nparams; i++)
		found += !strcmp(c.params[i], "% rome %"); /* the quote a word break (ck_words) */
	cr_assert_eq(found, 2);
	ck_query_free(&c);

	/* FTS5 syntax in user words stays text */
	cr_assert_eq(ck_query_compile(&c, "NEAR(a b) col:x ^y \"q\"\"uote\""), CK_EPARSE);
	cr_assert_eq(ck_query_compile(&c, "NEAR(a b) ^y a+b"), 0, "%s", ck_error_last());
	cr_assert_str_eq(c.match, "((\"NEAR\" AND ((\"a\" AND \"b\")) AND \"^y\" AND \"a+b\"))");
	ck_query_free(&c);
}

Test(query, fts_and_sql_split)
{
	ck_query c;
	/* words AND fields: the words rank, the fields filter */
	cr_assert_eq(ck_query_compile(&c, "iran -israel from:paris"), 0);
	cr_assert_str_eq(c.match, "((\"iran\") NOT \"israel\")");
	cr_assert_not_null(strstr(c.where.ptr, "c.origin"));
	ck_query_free(&c);
	/* only a negation: no ranking match, a NOT IN */
	cr_assert_eq(ck_query_compile(&c, "-iran"), 0);
	cr_assert_null(c.match);
	cr_assert_not_null(strstr(c.where.ptr, "NOT coalesce((c.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)), 0)"));
	ck_query_free(&c);
	/* OR across a word and a field */
	cr_assert_eq(ck_query_compile(&c, "iran OR tag:prel"), 0);
	cr_assert_null(c.match);
	cr_assert_eq(c.nparams, 2);
	cr_assert_str_eq(c.params[0], "\"iran\"");
	cr_assert_str_eq(c.params[1], "PREL");
	ck_query_free(&c);
	/* prefix and subject column */
	cr_assert_eq(ck_query_compile(&c, "subject:nucl* weap*"), 0);
	cr_assert_str_eq(c.match, "((subject : \"nucl\" * AND \"weap\" *))");
	ck_query_free(&c);
	/* dates: bounds as ISO prefixes */
	cr_assert_eq(ck_query_compile(&c, "date:2007-01..2008-06"), 0);
	cr_assert_eq(c.nparams, 2);
	cr_assert_str_eq(c.params[0], "2007-01");
	cr_assert_str_eq(c.params[1], "2008-06~");
	ck_query_free(&c);
	cr_assert_eq(ck_query_compile(&c, "decl:..2026-11-25"), 0);
	cr_assert_eq(c.nparams, 1);
	cr_assert_str_eq(c.params[0], "2026-11-25~");
	cr_assert_not_null(strstr(c.where.ptr, "c.decl < ?"));
	ck_query_free(&c);
	/* class abbreviations, id spelling */
	cr_assert_eq(ck_query_compile(&c, "class:lou id:07rome01497"), 0);
	cr_assert_str_eq(c.params[0], "LIMITED OFFICIAL USE");
	cr_assert_str_eq(c.params[1], "07ROME1497");
	ck_query_free(&c);
}

Test(query, errors_point_at_the_token)
{
	ERR("from:rome frm:paris", "query:1:11: unknown field \"frm\" (did you mean \"from\"?)");
	ERR("tagg:prel", "query:1:1: unknown field \"tagg\" (did you mean \"tag\"?)");
	ERR("rome \"open", "query:1:6: unterminated quote");
	ERR("(rome paris", "query:1:1: unclosed \"(\"");
	ERR("rome paris)", "query:1:11: unbalanced \")\"");
	ERR("()", "query:1:1: empty parentheses");
	ERR("rome OR", "query:1:6: OR needs a term after it");
	ERR("OR rome", "query:1:1: OR needs a term before it");
	ERR("AND rome", "query:1:1: AND needs a term before it");
	ERR("rome AND", "query:1:6: AND needs a term after it");
	ERR("rome NOT", "query:1:6: NOT needs a term after it");
	ERR("x date:2007-13", "query:1:3: bad date \"2007-13\" (expected 2007, 2007-07, 2007-07-09 or a range such as 2007-01..2008-06, ..2008, 2007..)");
	ERR("date:2007-02-32", "query:1:1: bad date \"2007-02-32\" (expected 2007, 2007-07, 2007-07-09 or a range such as 2007-01..2008-06, ..2008, 2007..)");
	ERR("date:07", "query:1:1: bad date \"07\" (expected 2007, 2007-07, 2007-07-09 or a range such as 2007-01..2008-06, ..2008, 2007..)");
	ERR("date:..", "query:1:1: bad date \"..\" (expected 2007, 2007-07, 2007-07-09 or a range such as 2007-01..2008-06, ..2008, 2007..)");
	ERR("date:2009..2008", "query:1:1: empty date range \"2009..2008\"");
	ERR("from: rome", "query:1:1: from: needs a value");
	ERR("tag:(a b)", "query:1:5: tag: takes one value (write tag:a OR tag:b)");
	ERR("*", "query:1:1: a prefix search needs at least two letters before \"*\"");
	ERR("rome a*", "query:1:6: a prefix search needs at least two letters before \"*\"");
	ERR("rome\nfrm:x", "query:2:1: unknown field \"frm\" (did you mean \"from\"?)");
	ERR("\xc3\xa9t\xc3\xa9 frm:x", "query:1:5: unknown field \"frm\" (did you mean \"from\"?)");
	ERR("a\x01", "query:1:2: control character in the query");
	/* not the word iran: "--" would silently mean the opposite of a NOT */
	ERR("rome --iran", "query:1:6: \"--iran\": one \"-\" leaves a word out");
	ERR("---x", "query:1:1: \"---x\": one \"-\" leaves a word out");
	ERR("a --\"x y\"", "query:1:3: \"--\": one \"-\" leaves a word out");
	/* the cost of prefixes is bounded: 4 for two letters, 2 for three, 1 for more */
	ERR("th* OR an*", "query:1:8: too many prefix searches (at most four words*, two of three letters or one of two)");
	ERR("elect* nucl* sanct* terror* minist*", "query:1:29: too many prefix searches (at most four words*, two of three letters or one of two)");
	ck_query q;
	cr_assert_eq(ck_query_compile(&q, "elect* nucl* sanct* terror*"), 0, "%s", ck_error_last());
	ck_query_free(&q);
	cr_assert_eq(ck_query_compile(&q, "the* OR and*"), 0, "%s", ck_error_last());
	ck_query_free(&q);
}

Test(query, limits)
{
	ck_buf b = CK_BUF_INIT;
	ck_query c;
	for (int i = 0; i < 10000; i++)
		ck_buf_puts(&b, "w ");
	cr_assert_eq(ck_query_compile(&c, b.ptr), CK_EPARSE);
	cr_assert_not_null(strstr(ck_error_last(), "query too long"));
	ck_buf_clear(&b);
	for (int i = 0; i < 65; i++)
		ck_buf_printf(&b, "w%d ", i);
	cr_assert_eq(ck_query_compile(&c, b.ptr), CK_EPARSE);
	cr_assert_not_null(strstr(ck_error_last(), "too many terms (at most 64)"), "%s", ck_error_last());
	ck_buf_clear(&b);
	for (int i = 0; i < 40; i++)
		ck_buf_putc(&b, '(');
	ck_buf_puts(&b, "x");
	for (int i = 0; i < 40; i++)
		ck_buf_putc(&b, ')');
	cr_assert_eq(ck_query_compile(&c, b.ptr), CK_EPARSE);
	cr_assert_not_null(strstr(ck_error_last(), "nested too deeply"));
	/* "at most 16 levels": 16 parentheses or 16 NOTs deep pass, 17 do not */
	for (int depth = 16; depth <= 17; depth++)
		for (int neg = 0; neg < 2; neg++) {
			ck_buf_clear(&b);
			for (int i = 0; i < depth; i++)
				ck_buf_puts(&b, neg ? "NOT " : "(");
			ck_buf_puts(&b, "x");
			for (int i = 0; !neg && i < depth; i++)
				ck_buf_putc(&b, ')');
			int rc = ck_query_compile(&c, b.ptr);
			cr_assert_eq(rc, depth == 16 ? 0 : CK_EPARSE, "%d %s: %s", depth, neg ? "NOT" : "(", ck_error_last());
			if (!rc)
				ck_query_free(&c);
		}
	/* impossible days are bad dates, February 29 only in leap years */
	static const char *const days[][2] = {{"date:2007-02-30", "bad"}, {"date:2007-04-31", "bad"},
					      {"date:2007-02-29", "bad"}, {"date:2008-02-29", "ok"},
					      {"date:1900-02-29", "bad"}, {"date:2000-02-29", "ok"},
					      {"date:2007-01-31..2007-06-31", "bad"}, {"date:2007-12-31", "ok"}};
	for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
		int rc = ck_query_compile(&c, days[i][0]);
		cr_assert_eq(rc, strcmp(days[i][1], "ok") ? CK_EPARSE : 0, "%s: %s", days[i][0], ck_error_last());
		if (!rc)
			ck_query_free(&c);
	}
	ck_buf_clear(&b);
	for (int i = 0; i < 1000; i++)
		ck_buf_puts(&b, "NOT ");
	ck_buf_puts(&b, "x");
	cr_assert_eq(ck_query_compile(&c, b.ptr), CK_EPARSE);
	ck_buf_free(&b);
}

Test(query, canon_id)
{
	char buf[64];
	cr_assert_str_eq(ck_archive_canon_id("07rome01497", buf, sizeof buf), "07ROME1497");
	cr_assert_str_eq(ck_archive_canon_id("09SECTION01OF03SANJOSE525", buf, sizeof buf), "09SANJOSE525");
	cr_assert_str_eq(ck_archive_canon_id(" 08 state 000123 ", buf, sizeof buf), "08STATE123");
	cr_assert_str_eq(ck_archive_canon_id("07ROME0", buf, sizeof buf), "07ROME0");
	cr_assert_str_eq(ck_archive_canon_id("", buf, sizeof buf), "");
}

Test(diff, lines)
{
	ck_buf b = CK_BUF_INIT;
	cr_assert_eq(ck_diff_lines(&b, "a\nb\nc\nd\n", "a\nb\nC\nd\n", "v1", "v2"), 0);
	cr_assert_str_eq(b.ptr, "--- v1\n+++ v2\n@@ -1,4 +1,4 @@\n a\n b\n-c\n+C\n d\n");
	ck_buf_clear(&b);
	cr_assert_eq(ck_diff_lines(&b, "same\n", "same\n", "v1", "v2"), 0);
	cr_assert_eq(b.len, 0);
	cr_assert_eq(ck_diff_lines(&b, "", "new\n", "v1", "v2"), 0);
	cr_assert_str_eq(b.ptr, "--- v1\n+++ v2\n@@ -0,0 +1,1 @@\n+new\n");
	ck_buf_free(&b);
}

Test(blob, pack_roundtrip_and_hash)
{
	ck_buf text = CK_BUF_INIT, z = CK_BUF_INIT, back = CK_BUF_INIT;
	for (int i = 0; i < 500; i++)
		ck_buf_printf(&text, "PARAGRAPH %d OF THE CABLE TEXT.\n", i);
	cr_assert_eq(ck_blob_pack(&z, text.ptr, text.len), 0);
	cr_assert_eq(z.ptr[0], 'S'); /* zstd */
	cr_assert_lt(z.len, text.len / 3);
	cr_assert_eq(ck_blob_unpack(&back, z.ptr, z.len), 0);
	cr_assert_eq(back.len, text.len);
	cr_assert_eq(memcmp(back.ptr, text.ptr, text.len), 0);
	ck_buf_clear(&z);
	ck_buf_clear(&back);
	cr_assert_eq(ck_blob_pack(&z, "tiny", 4), 0);
	cr_assert_eq(z.ptr[0], 'P');
	cr_assert_eq(ck_blob_unpack(&back, z.ptr, z.len), 0);
	cr_assert_str_eq(back.ptr, "tiny");
	cr_assert_eq(ck_blob_unpack(&back, "Zgarbage", 8), CK_EIO);
	cr_assert_eq(ck_blob_unpack(&back, "Sgarbage", 8), CK_EIO);
	cr_assert_eq(ck_blob_unpack(&back, "S", 1), CK_EIO);
	char h[41], h2[41];
	ck_sha1_hex("abc", 3, h);
	cr_assert_str_eq(h, "a9993e364706816aba3e25717850c26c9cd0d89d");
	ck_text_hash("a b\r\nc\n", 7, h);
	ck_text_hash("  a  b\nc", 8, h2);
	cr_assert_str_eq(h, h2);
	ck_text_hash("a bc", 4, h2);
	cr_assert_str_neq(h, h2);
	ck_buf_free(&text);
	ck_buf_free(&z);
	ck_buf_free(&back);
}

/* 'B' blobs: contract JSON with the body string in a frame of its own */
Test(archive, blob_json_body_first)
{
	ck_buf json = CK_BUF_INIT, z = CK_BUF_INIT, back = CK_BUF_INIT;
	ck_buf_puts(&json, "{\"id\":\"07ROME1497\",\"paragraphs\":[");
	for (int i = 0; i < 40; i++)
		ck_buf_printf(&json, "%s{\"n\":%d,\"text\":\"PARA %d SAYS \\\"QUOTED\\\" THINGS\"}", i ? "," : "", i, i);
	ck_buf_puts(&json, "],\"body\":\"");
	for (int i = 0; i < 40; i++)
		ck_buf_printf(&json, "PARA %d SAYS \\\"QUOTED\\\" THINGS\\n", i);
	ck_buf_puts(&json, "\",\"problems\":[],\"source\":{\"file\":\"x\"}}");
	cr_assert_eq(ck_blob_pack_json(&z, json.ptr, json.len), 0);
	cr_assert_eq(z.ptr[0], 'B');
	cr_assert_lt(z.len, json.len / 4);
	cr_assert_eq(ck_blob_unpack(&back, z.ptr, z.len), 0);
	cr_assert_eq(back.len, json.len);
	cr_assert_eq(memcmp(back.ptr, json.ptr, json.len), 0);
	/* the body alone, escaped as in the JSON */
	ck_buf_clear(&back);
	cr_assert_eq(ck_blob_json_body(&back, z.ptr, z.len), 0);
	const char *head = "PARA 0 SAYS \\\"QUOTED\\\" THINGS\\nPARA 1 ";
	cr_assert_eq(strncmp(back.ptr, head, strlen(head)), 0, "%s", back.ptr);
	cr_assert_eq(back.ptr[back.len - 1], 'n');
	/* the telegram text packed against that body: 'R', read with the JSON */
	ck_buf raw = CK_BUF_INIT, zr = CK_BUF_INIT, other = CK_BUF_INIT;
	ck_buf_puts(&raw, "VZCZCXRO1\nDE RUEHRO #1497\nSUBJECT: THINGS\n\n");
	for (int i = 0; i < 40; i++)
		ck_buf_printf(&raw, "PARA %d SAYS \"QUOTED\" THINGS\n", i);
	cr_assert_eq(ck_blob_pack_raw(&zr, raw.ptr, raw.len, json.ptr, json.len, &z), 0);
	cr_assert_eq(zr.ptr[0], 'R');
	cr_assert_lt(zr.len, raw.len / 4);
	ck_buf_clear(&back);
	cr_assert_eq(ck_blob_unpack_raw(&back, zr.ptr, zr.len, z.ptr, z.len), 0);
	cr_assert_str_eq(back.ptr, raw.ptr);
	/* without its JSON, or with another cable's: an error, not garbage */
	cr_assert_eq(ck_blob_unpack(&back, zr.ptr, zr.len), CK_EIO);
	cr_assert_eq(ck_blob_unpack_raw(&back, zr.ptr, zr.len, NULL, 0), CK_EIO);
	ck_buf_puts(&other, "{\"id\":\"x\",\"body\":\"");
	for (int i = 0; i < 40; i++)
		ck_buf_printf(&other, "PARA %d SAYS OTHER THINGS\\n", i);
	ck_buf_puts(&other, "\"}");
	ck_buf_clear(&raw);
	cr_assert_eq(ck_blob_pack_json(&raw, other.ptr, other.len), 0);
	cr_assert_eq(raw.ptr[0], 'B');
	cr_assert_eq(ck_blob_unpack_raw(&back, zr.ptr, zr.len, raw.ptr, raw.len), CK_EIO);
	/* a JSON blob that is not 'B': the text is packed alone */
	ck_buf_clear(&zr);
	ck_buf_clear(&other);
	ck_buf_puts(&other, "Sxx");
	cr_assert_eq(ck_blob_pack_raw(&zr, back.ptr ? back.ptr : "", back.len, json.ptr, json.len, &other), 0);
	cr_assert_neq(zr.ptr[0], 'R');
	ck_buf_free(&raw);
	ck_buf_free(&zr);
	ck_buf_free(&other);
	/* damaged: a header past the end, a frame cut short */
	cr_assert_eq(ck_blob_unpack(&back, "B\xff\xff", 3), CK_EIO);
	cr_assert_eq(ck_blob_unpack(&back, z.ptr, z.len - 5), CK_EIO);
	/* JSON without a body worth its own frame, and other blobs */
	ck_buf_clear(&z);
	cr_assert_eq(ck_blob_pack_json(&z, "{\"body\":\"short\"}", 16), 0);
	cr_assert_neq(z.ptr[0], 'B');
	cr_assert_eq(ck_blob_json_body(&back, z.ptr, z.len), CK_ENOTFOUND);
	ck_buf_free(&json);
	ck_buf_free(&z);
	ck_buf_free(&back);
}

/* ---- a small archive of hand-made cables ---- */

static char dbpath[64];

static void db_setup(void)
{
	unit_db_name(dbpath, sizeof dbpath, "unit");
}

static void db_teardown(void)
{
	unit_db_remove(dbpath);
}

static const char *S(ck_cable *c, const char *s)
{
	return ck_arena_strdup(c->arena, s);
}

static ck_strv V(ck_cable *c, int n, ...)
{
	ck_strv v = {ck_arena_alloc(c->arena, (size_t)(n ? n : 1) * sizeof(char *)), (size_t)n};
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		v.v[i] = S(c, va_arg(ap, const char *));
	va_end(ap);
	return v;
}

/* a cable with the given fields; the text is raw (it decides versions) */
static void put(ck_archive *a, ck_ingest_stats *st, const char *id, const char *date,
		const char *origin, const char *marking, const char *subject, const char *body,
		const char *ref, const char *raw)
{
	/* made by hand, not by the parser: these tests pin the archive alone */
	ck_arena *ar = ck_arena_new();
	cr_assert_not_null(ar);
	ck_cable *c = ck_arena_alloc(ar, sizeof *c);
	c->arena = ar;
	c->header.ssn = -1;
	c->source.file = "unit";
	c->source.format = "text";
	c->id = S(c, id);
	c->date = S(c, date);
	c->origin = S(c, origin);
	c->marking = S(c, marking);
	c->classification = S(c, strncmp(marking, "SECRET", 6) ? "CONFIDENTIAL" : "SECRET");
	c->subject = S(c, subject);
	c->body = S(c, body);
	c->raw = S(c, raw);
	c->tags = V(c, 2, "PREL", "IT");
	c->caveats = V(c, 1, "SIPDIS");
	c->signers = V(c, 1, "SPOGLI");
	c->has_decl = 1;
	c->decl.date = S(c, "2017-07-03");
	if (ref) {
		c->refs = ck_arena_alloc(c->arena, sizeof *c->refs);
		c->refs[0].label = "A";
		c->refs[0].text = S(c, ref);
		c->refs[0].id = S(c, ref);
		c->nrefs = 1;
	}
	ck_rec r;
	cr_assert_eq(ck_rec_prepare(&r, c), 0);
	cr_assert_eq(ck_archive_store(a, &r, st), 0, "%s", ck_error_last());
	ck_rec_free(&r);
}

static char *search(ck_archive *a, const char *q, const char *sort, int facets)
{
	ck_buf b = CK_BUF_INIT;
	ck_search_opts o = {q, 10, 0, sort, facets};
	int rc = ck_archive_search_json(a, &o, &b);
	cr_assert_eq(rc, 0, "search <%s>: %s", q, ck_error_last());
	return ck_buf_detach(&b);
}

#define HAS(s, sub) cr_assert_not_null(strstr(s, sub), "missing <%s> in %s", sub, s)

Test(archive, store_search_versions_refs, .init = db_setup, .fini = db_teardown)
{
	ck_archive *a = NULL;
	ck_ingest_stats st = {0};
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_WRITE), 0, "%s", ck_error_last());
	put(a, &st, "07ROME1497", "2007-07-09T17:12:00Z", "Embassy Rome", "CONFIDENTIAL",
	    "ITALIANS CAUTIOUS ON UN ENVOY", "The Italians <b>&</b> the envoy. XXXXXXXXXXXX said no.",
	    "07STATE12345", "text one\nline two\n");
	put(a, &st, "08PARIS42", "2008-01-02T10:00:00Z", "Embassy Paris", "SECRET//NOFORN",
	    "FRENCH VIEWS", "Paris thinks about the envoy and Rome.", "07ROME1497", "paris text\n");
	cr_assert_eq(st.added, 2);
	/* same text again (other blanks): unchanged; changed text: version 2 */
	put(a, &st, "07ROME1497", "2007-07-09T17:12:00Z", "Embassy Rome", "CONFIDENTIAL",
	    "ITALIANS CAUTIOUS ON UN ENVOY", "ignored", NULL, "text  one\r\nline two");
	cr_assert_eq(st.unchanged, 1);
	put(a, &st, "07ROME1497", "2007-07-09T17:12:00Z", "Embassy Rome", "CONFIDENTIAL",
	    "ITALIANS CAUTIOUS ON UN ENVOY", "The Italians and the envoy, revised.",
	    "07STATE12345", "text one\nline 2\n");
	cr_assert_eq(st.updated, 1);
	/* the referenced cable arrives later and links up */
	put(a, &st, "07STATE12345", "2007-06-01T00:00:00Z", "Secretary of State", "CONFIDENTIAL",
	    "GUIDANCE", "Guidance text.", NULL, "state text\n");

	char *s = search(a, "envoy", NULL, 1);
	HAS(s, "\"total\":2");
	HAS(s, "\"facets\":{\"origin\":[[\"Embassy Paris\",1],[\"Embassy Rome\",1]]");
	HAS(s, "\"month\":[[\"2007-07\",1],[\"2008-01\",1]]");
	HAS(s, "\"tag\":[[\"IT\",2],[\"PREL\",2]]");
	free(s);
	/* the old text is out of the index, the new one in */
	s = search(a, "revised", NULL, 0);
	HAS(s, "\"total\":1");
	HAS(s, "<mark>revised</mark>");
	free(s);
	s = search(a, "\"italians <b>\"", NULL, 0);
	HAS(s, "\"total\":0");
	free(s);
	/* snippets escape HTML and keep only our marks */
	put(a, &st, "09X1", "2009-01-01T00:00:00Z", "Embassy X", "CONFIDENTIAL", "S",
	    "a <script>alert('x')</script> & keyword here", NULL, "x\n");
	s = search(a, "keyword", NULL, 0);
	HAS(s, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; <mark>keyword</mark> here");
	free(s);
	/* redaction runs are not indexed */
	s = search(a, "XXXXXXXXXXXX", NULL, 0);
	HAS(s, "\"total\":0");
	free(s);
	/* fields */
	s = search(a, "from:rome", NULL, 0);
	HAS(s, "\"total\":1");
	free(s);
	s = search(a, "marking:\"secret//noforn\" date:2008", NULL, 0);
	HAS(s, "\"total\":1");
	HAS(s, "08PARIS42");
	free(s);
	s = search(a, "date:..2007-06", "date", 0);
	HAS(s, "\"total\":1");
	HAS(s, "07STATE12345");
	free(s);
	s = search(a, "cites:07rome01497", NULL, 0);
	HAS(s, "\"total\":1");
	HAS(s, "08PARIS42");
	free(s);
	s = search(a, "citedby:08PARIS42", NULL, 0);
	HAS(s, "\"total\":1");
	HAS(s, "07ROME1497");
	free(s);
	s = search(a, "tag:it -from:paris", "-date", 0);
	HAS(s, "\"total\":3");
	cr_assert_lt(strstr(s, "09X1"), strstr(s, "07ROME1497"));
	free(s);

	ck_buf b = CK_BUF_INIT;
	cr_assert_eq(ck_archive_refs_json(a, "07ROME1497", &b), 0);
	cr_assert_str_eq(b.ptr, "{\"cites\":[{\"label\":\"A\",\"text\":\"07STATE12345\",\"id\":\"07STATE12345\","
				"\"in_archive\":true,\"date\":\"2007-06-01T00:00:00Z\",\"origin\":\"Secretary of State\","
				"\"subject\":\"GUIDANCE\"}],\"cited_by\":[{\"id\":\"08PARIS42\",\"date\":\"2008-01-02T10:00:00Z\","
				"\"origin\":\"Embassy Paris\",\"subject\":\"FRENCH VIEWS\"}]}");
	ck_buf_clear(&b);
	cr_assert_eq(ck_archive_diff_text(a, "07rome01497", &b), 0);
	HAS(b.ptr, "-line two\n+line 2\n");
	ck_buf_clear(&b);
	cr_assert_eq(ck_archive_versions_json(a, "07ROME1497", &b), 0);
	HAS(b.ptr, "[{\"version\":1,");
	HAS(b.ptr, "{\"version\":2,");
	ck_buf_clear(&b);
	cr_assert_eq(ck_archive_stats_json(a, &b), 0);
	HAS(b.ptr, "{\"cables\":4,\"versions\":5,\"edges\":2,");
	HAS(b.ptr, "\"tag\":[[\"IT\",4],[\"PREL\",4]]");
	ck_buf_clear(&b);
	cr_assert_eq(ck_archive_cable_raw(a, "07ROME1497", &b), 0);
	cr_assert_str_eq(b.ptr, "text one\nline 2\n");
	ck_buf_clear(&b);
	cr_assert_eq(ck_archive_cable_json(a, "nosuch", &b), CK_ENOTFOUND);
	char id[64];
	cr_assert_eq(ck_archive_resolve_id(a, "07rome01497", id, sizeof id), 0);
	cr_assert_str_eq(id, "07ROME1497");
	ck_buf_free(&b);
	ck_archive_close(a);

	/* a reader sees it all; a second writer's schema is current */
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_READONLY), 0, "%s", ck_error_last());
	s = search(a, "", "date", 0);
	HAS(s, "\"total\":4");
	free(s);
	ck_search_opts bad = {"frm:x", 10, 0, NULL, 0};
	ck_buf e = CK_BUF_INIT;
	cr_assert_eq(ck_archive_search_json(a, &bad, &e), CK_EPARSE);
	ck_search_opts badsort = {"x", 10, 0, "sideways", 0};
	cr_assert_eq(ck_archive_search_json(a, &badsort, &e), CK_EINVAL);
	ck_buf_free(&e);
	ck_archive_close(a);
}

Test(archive, missing_file_read_only)
{
	ck_archive *a = NULL;
	cr_assert_eq(ck_archive_open(&a, "/nonexistent/dir/x.db", CK_ARCHIVE_READONLY), CK_ENOTFOUND);
	cr_assert_null(a);
}

/* An archive of schema 1 (subject column in its indexed form, redactions
 * folded to U+2588) is upgraded by the next writer: the subject as
 * written comes back from the stored JSON, and the index still agrees
 * with its content (FTS5 integrity-check reads the content view). */
Test(archive, migrate_1_to_2_subject_as_written, .init = db_setup, .fini = db_teardown)
{
	ck_archive *a = NULL;
	ck_ingest_stats st = {0};
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_WRITE), 0, "%s", ck_error_last());
	put(a, &st, "07CAIRO974", "2007-04-04T17:17:00Z", "Embassy Cairo", "SECRET",
	    "XXXXXXXXXXXX MP ON PRESIDENTIAL SUCCESSION", "The MP spoke of succession.", NULL, "cairo\n");
	put(a, &st, "07ROME1497", "2007-07-09T17:12:00Z", "Embassy Rome", "CONFIDENTIAL",
	    "ITALIANS CAUTIOUS", "The Italians.", "07CAIRO974", "rome\n");
	/* back to schema 1, as an older cablekit wrote it */
	cr_assert_eq(ck_archive_exec(a, "BEGIN;"
		"UPDATE cable SET subject=ck_ftstext(subject);"
		"DROP VIEW fts_content;"
		"CREATE VIEW fts_content AS SELECT c.rowid AS rid, c.subject AS subject,"
		" ck_body(v.json, v.raw) AS body FROM cable c"
		" JOIN version v ON v.cable=c.rowid AND v.n=c.version;"
		"PRAGMA user_version=1; COMMIT;"), 0, "%s", ck_error_last());
	ck_archive_close(a);

	/* readers ask for an ingest; a writer upgrades */
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_READONLY), CK_EINVAL);
	cr_assert_not_null(strstr(ck_error_last(), "run cablekit ingest to upgrade it"), "%s", ck_error_last());
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_WRITE), 0, "%s", ck_error_last());
	cr_assert_eq(ck_archive_exec(a, "INSERT INTO fts(fts) VALUES('integrity-check')"), 0, "%s", ck_error_last());
	ck_archive_close(a);

	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_READONLY), 0, "%s", ck_error_last());
	char *s = search(a, "subject:succession", "date", 0);
	HAS(s, "\"total\":1");
	HAS(s, "\"subject\":\"XXXXXXXXXXXX MP ON PRESIDENTIAL SUCCESSION\"");
	free(s);
	ck_buf b = CK_BUF_INIT;
	cr_assert_eq(ck_archive_refs_json(a, "07ROME1497", &b), 0, "%s", ck_error_last());
	HAS(b.ptr, "\"subject\":\"XXXXXXXXXXXX MP ON PRESIDENTIAL SUCCESSION\"");
	ck_buf_free(&b);
	/* the redaction run is not a word of the index */
	s = search(a, "XXXXXXXXXXXX", "date", 0);
	HAS(s, "\"total\":0");
	free(s);
	ck_archive_close(a);
}

/* ck_snippet: a window of 24 tokens where the most query phrases fall,
 * matches marked (a phrase as one mark), "…" where the text was cut; the
 * subject when only it matches; the start of the text when the matches fit
 * there. */
Test(archive, snippet_window, .init = db_setup, .fini = db_teardown)
{
	ck_archive *a = NULL;
	ck_ingest_stats st = {0};
	ck_buf body = CK_BUF_INIT;
	for (int i = 0; i < 60; i++)
		ck_buf_printf(&body, "word%d ", i);
	ck_buf_puts(&body, "oil alone. ");
	for (int i = 60; i < 120; i++)
		ck_buf_printf(&body, "word%d ", i);
	ck_buf_puts(&body, "the oil pipeline from Baku, said the prime minister. ");
	for (int i = 120; i < 200; i++)
		ck_buf_printf(&body, "word%d ", i);
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_WRITE), 0, "%s", ck_error_last());
	put(a, &st, "09BAKU1", "2009-01-01T00:00:00Z", "Embassy Baku", "CONFIDENTIAL",
	    "PIPELINE POLITICS IN BAKU", body.ptr, NULL, "baku\n");
	put(a, &st, "09BAKU2", "2009-01-02T00:00:00Z", "Embassy Baku", "CONFIDENTIAL",
	    "SHORT SUBJECT ABOUT CAVIAR", "nothing to see", NULL, "baku2\n");
	ck_buf_free(&body);
	/* both phrases fall in the second window, not at the lone "oil" */
	char *s = search(a, "oil \"prime minister\"", NULL, 0);
	HAS(s, "\"snippet\":\"…word118 word119 the <mark>oil</mark> pipeline from Baku, said the <mark>prime minister</mark>. word120 ");
	HAS(s, "word131 word132…\"");
	free(s);
	/* only the subject matches: it is shown, from its start */
	s = search(a, "caviar", NULL, 0);
	HAS(s, "\"snippet\":\"SHORT SUBJECT ABOUT <mark>CAVIAR</mark>\"");
	free(s);
	/* early matches: from the start of the text, no leading "…" */
	s = search(a, "word3", "date", 0);
	HAS(s, "\"snippet\":\"word0 word1 word2 <mark>word3</mark> word4 ");
	free(s);
	ck_archive_close(a);
}

/* A prefix is written as the OR of its words in the vocabulary's order;
 * for a sample, only its most frequent words that hold the part asked of
 * their summed document counts (the rarest cost a seek a window each) */
Test(archive, prefix_expansion_for_sample, .init = db_setup, .fini = db_teardown)
{
	ck_archive *a = NULL;
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_WRITE), 0, "%s", ck_error_last());
	cr_assert_eq(ck_archive_exec(a, "INSERT INTO termstat(term, df) VALUES ('elect', 50), ('elected', 300),"
					"('election', 600), ('electorally', 2), ('electric', 45), ('elk', 9)"),
		     0, "%s", ck_error_last());
	static const struct {
		double keep;
		const char *want;
	} t[] = {
		{1.0, "(\"elect\" OR \"elected\" OR \"election\" OR \"electorally\" OR \"electric\") AND x"},
		{0.9, "(\"election\" OR \"elected\") AND x"},          /* 900 of 997 */
		{0.95, "(\"election\" OR \"elected\" OR \"elect\") AND x"}, /* 950 */
		{0.0, "(\"election\") AND x"},                           /* one word at least */
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		ck_buf out = CK_BUF_INIT;
		const char *m = i ? "\"elec\" * AND x" : "\"elect\" * AND x";
		cr_assert_eq(ck_termstat_expand(a, m, t[i].keep, &out), 1, "%s", m);
		cr_assert_str_eq(out.ptr, t[i].want, "keep %.2f", t[i].keep);
		ck_buf_free(&out);
	}
	ck_archive_close(a);
}

/* A match of many plain phrases (a prefix expanded) gets its snippets
 * without FTS5 (snippet.c): the same snippets as ck_snippet's, over long
 * texts, phrases of two words, accents folded, repeated first words, a
 * match in the subject alone; and the path is taken only for such matches */
Test(archive, snippet_plain_equals_fts5, .init = db_setup, .fini = db_teardown)
{
	ck_archive *a = NULL;
	ck_ingest_stats st = {0};
	ck_buf body = CK_BUF_INIT;
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_WRITE), 0, "%s", ck_error_last());
	for (int c = 0; c < 6; c++) {
		char id[32], subject[64];
		ck_buf_clear(&body);
		for (int i = 0; i < 300; i++) {
			ck_buf_printf(&body, "word%d ", (i * 7 + c) % 97);
			if (i % (40 + c * 9) == 5)
				ck_buf_puts(&body, c % 2 ? "the Prime Minister met the " : "P\xC3\xA9trole, ");
			if (i % (55 + c) == 11)
				ck_buf_puts(&body, "prime word3 minister. ");
		}
		snprintf(id, sizeof id, "09ROME%d", c + 1);
		snprintf(subject, sizeof subject, c == 5 ? "ZANZIBAR TALKS %d" : "ROUTINE %d", c);
		put(a, &st, id, "2009-01-01T00:00:00Z", "Embassy Rome", "CONFIDENTIAL", subject,
		    c == 5 ? "nothing here at all" : body.ptr, NULL, "rome\n");
	}
	ck_buf_free(&body);
	static const char *const qs[] = {
		"word1 OR word2 OR word3 OR word4 OR word5 OR word6 OR word7 OR word8 OR word9 OR word10 OR word11 OR word12",
		"\"prime minister\" OR petrole OR word90 OR word91 OR word92 OR word93 OR word94 OR word95 OR word96 OR "
		"word3 OR word3 OR zanzibar",
		"(word1 OR word2 OR word3 OR word4 OR word5 OR word6) (word7 OR word8 OR word9 OR word10 OR word11 OR word12)",
		"zanzibar OR word60 OR word61 OR word62 OR word63 OR word64 OR word65 OR word66 OR word67 OR word68 OR "
		"word69 OR word70"};
	for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
		unsetenv("CK_SNIPPET_FTS5");
		char *plain = search(a, qs[i], NULL, 0);
		setenv("CK_SNIPPET_FTS5", "1", 1);
		char *fts5 = search(a, qs[i], NULL, 0);
		unsetenv("CK_SNIPPET_FTS5");
		cr_assert_str_eq(plain, fts5, "%s", qs[i]);
		HAS(plain, "<mark>");
		free(plain);
		free(fts5);
	}
	char *s = search(a, qs[1], NULL, 0);
	HAS(s, "<mark>Prime Minister</mark>");
	HAS(s, "<mark>P\xC3\xA9trole</mark>");
	HAS(s, "\"snippet\":\"<mark>ZANZIBAR</mark> TALKS 5\"");
	free(s);
	/* the path: ten plain phrases or more; not with NOT, a column or a prefix */
	static const char *const twelve = "(\"a\" OR \"b\" OR \"c\" OR \"d\" OR \"e\" OR \"f\" OR \"g\" OR \"h\""
					  " OR \"i\" OR \"j\" OR \"k\" OR \"l\"";
	char m[256];
	struct ck_plain_q *pq = ck_snippet_plain_prepare(a, (snprintf(m, sizeof m, "%s)", twelve), m));
	cr_assert_not_null(pq);
	ck_snippet_plain_free(pq);
	static const char *const not_plain[] = {"%s) NOT \"z\"", "%s OR subject : \"z\")", "%s OR \"z\" *)",
						 "%s OR NEAR(\"y\" \"z\"))"};
	for (size_t i = 0; i < sizeof not_plain / sizeof not_plain[0]; i++) {
		snprintf(m, sizeof m, not_plain[i], twelve);
		cr_assert_null(ck_snippet_plain_prepare(a, m), "%s", m);
	}
	cr_assert_null(ck_snippet_plain_prepare(a, "(\"a\" OR \"b\" OR \"c\" OR \"d\" OR \"e\" OR \"f\" OR \"g\" OR \"h\""
						   " OR \"i\")"));
	ck_archive_close(a);
}

/* Damaged blobs - every truncation and a byte changed at every position of
 * a 'B' JSON blob and an 'R' telegram blob - give the text back or an
 * error, never a crash or a read out of bounds (this runs under ASan). */
Test(archive, blob_damage_is_an_error)
{
	ck_buf json = CK_BUF_INIT, zj = CK_BUF_INIT, raw = CK_BUF_INIT, zr = CK_BUF_INIT, out = CK_BUF_INIT;
	ck_buf_puts(&json, "{\"id\":\"07ROME1497\",\"body\":\"");
	for (int i = 0; i < 30; i++)
		ck_buf_printf(&json, "LINE %d OF THE BODY, \\\"QUOTED\\\"\\n", i);
	ck_buf_puts(&json, "\",\"source\":{\"file\":\"x\"}}");
	for (int i = 0; i < 30; i++)
		ck_buf_printf(&raw, "LINE %d OF THE BODY, \"QUOTED\"\n", i);
	cr_assert_eq(ck_blob_pack_json(&zj, json.ptr, json.len), 0);
	cr_assert_eq(ck_blob_pack_raw(&zr, raw.ptr, raw.len, json.ptr, json.len, &zj), 0);
	cr_assert_eq(zj.ptr[0], 'B');
	cr_assert_eq(zr.ptr[0], 'R');
	ck_buf *blobs[2] = {&zj, &zr};
	for (int b = 0; b < 2; b++) {
		ck_buf *z = blobs[b];
		char *m = malloc(z->len);
		cr_assert_not_null(m);
		for (size_t cut = 0; cut < z->len; cut++) {
			int rc;
			memcpy(m, z->ptr, cut);
			ck_buf_clear(&out);
			rc = b ? ck_blob_unpack_raw(&out, m, cut, zj.ptr, zj.len) : ck_blob_unpack(&out, m, cut);
			cr_assert(rc == 0 || rc == CK_EIO, "cut at %zu: %d", cut, rc);
		}
		for (size_t i = 0; i < z->len; i++)
			for (int x = 1; x < 256; x <<= 2) {
				memcpy(m, z->ptr, z->len);
				m[i] ^= (char)x;
				ck_buf_clear(&out);
				int rc = b ? ck_blob_unpack_raw(&out, m, z->len, zj.ptr, zj.len)
					   : ck_blob_unpack(&out, m, z->len);
				cr_assert(rc == 0 || rc == CK_EIO || rc == CK_ENOMEM, "byte %zu ^ %d: %d", i, x, rc);
				ck_buf_clear(&out);
				rc = b ? ck_blob_unpack_raw(&out, zr.ptr, zr.len, m, z->len) : ck_blob_json_body(&out, m, z->len);
				cr_assert(rc == 0 || rc == CK_EIO || rc == CK_ENOMEM || rc == CK_ENOTFOUND,
					  "byte %zu ^ %d (as JSON): %d", i, x, rc);
			}
		free(m);
	}
	ck_buf_free(&json);
	ck_buf_free(&zj);
	ck_buf_free(&raw);
	ck_buf_free(&zr);
	ck_buf_free(&out);
}

/* page [offset, offset+limit) of a search as "id,id,..." */
static char *page_ids(ck_archive *a, const char *q, const char *sort, int limit, int offset, char **json)
{
	ck_buf b = CK_BUF_INIT, ids = CK_BUF_INIT;
	ck_search_opts o = {q, limit, offset, sort, 1};
	cr_assert_eq(ck_archive_search_json(a, &o, &b), 0, "search <%s>: %s", q, ck_error_last());
	for (const char *p = b.ptr; (p = strstr(p, "{\"id\":\"")); p += 7)
		ck_buf_printf(&ids, "%.*s,", (int)strcspn(p + 7, "\""), p + 7);
	if (json)
		*json = ck_buf_detach(&b);
	ck_buf_free(&b);
	return ids.ptr ? ck_buf_detach(&ids) : strdup("");
}

/* The archive at dbpath read-only, with its column cache and field index
 * built (two searches start the build) when cached, else as a handle's
 * first search finds it */
static ck_archive *open_read(int cached)
{
	ck_archive *a = NULL;
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_READONLY), 0, "%s", ck_error_last());
	if (cached) {
		free(page_ids(a, "warm", NULL, 20, 0, NULL));
		free(page_ids(a, "warm", NULL, 20, 0, NULL));
		cr_assert(ck_search_cache_wait(a, 10000), "the column cache is built");
	}
	return a;
}

/* Above the exact limit (lowered to 4 here by CK_SEARCH_EXACT_MAX) a
 * search says what it estimated, and paging, the date order and the
 * facets' values stay right; a hostile 30-way prefix OR is refused at once. */
Test(archive, large_results, .init = db_setup, .fini = db_teardown)
{
	ck_archive *a = NULL;
	ck_ingest_stats st = {0};
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_WRITE), 0, "%s", ck_error_last());
	cr_assert_eq(ck_archive_exec(a, "BEGIN"), 0);
	/* dates out of rowid order; one undated */
	for (int i = 0; i < 13; i++) {
		char id[32], date[32], body[128];
		snprintf(id, sizeof id, "0%dROME%d", i % 9 + 1, i + 1);
		snprintf(date, sizeof date, "20%02d-0%d-01T00:00:00Z", (i * 7) % 13, i % 9 + 1);
		snprintf(body, sizeof body, "alpha beta%s text %d", i % 3 ? "" : " gamma", i);
		put(a, &st, id, i == 5 ? "" : date, i % 2 ? "Embassy Rome" : "Embassy Paris", "CONFIDENTIAL",
		    "SUBJECT", body, NULL, body);
	}
	cr_assert_eq(ck_archive_exec(a, "COMMIT"), 0);
	ck_archive_close(a);
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_READONLY), 0, "%s", ck_error_last());
	/* the exact answers first (twice: the first searches start the column
	 * cache's build, the second round uses it) */
	char *want_desc[2], *want_asc[2], *json;
	for (int k = 0; k < 2; k++) {
		want_desc[k] = page_ids(a, "alpha", "-date", 13, 0, NULL);
		want_asc[k] = page_ids(a, "alpha beta", "date", 13, 0, NULL);
		if (!k)
			cr_assert(ck_search_cache_wait(a, 10000), "the column cache is built");
	}
	cr_assert_str_eq(want_desc[0], want_desc[1]);
	cr_assert_str_eq(want_asc[0], want_asc[1]);
	cr_assert(!strncmp(want_desc[0], "03ROME12,", 9), "newest first: %s", want_desc[0]);
	cr_assert(strstr(want_asc[0], "06ROME6,") && !strcmp(strstr(want_asc[0], "06ROME6,"), "06ROME6,"),
		  "undated last: %s", want_asc[0]);
	char *ex = page_ids(a, "alpha", NULL, 13, 0, &json);
	HAS(json, "\"total\":13,\"total_exact\":true,\"facets_sampled\":false");
	HAS(json, "\"origin\":[[\"Embassy Paris\",7],[\"Embassy Rome\",6]]");
	free(json);
	free(ex);

	setenv("CK_SEARCH_EXACT_MAX", "4", 1);
	for (int k = 0; k < 2; k++) { /* without the cache, then with it */
		ck_archive_close(a);
		cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_READONLY), 0, "%s", ck_error_last());
		if (!k)
			setenv("CK_NO_COLUMN_CACHE", "1", 1);
		else /* built above, process-wide */
			unsetenv("CK_NO_COLUMN_CACHE");
		/* one word: its total is counted; facets are sampled */
		char *got = page_ids(a, "alpha", NULL, 13, 0, &json);
		HAS(json, "\"total\":13,\"total_exact\":true,\"facets_sampled\":true");
		HAS(json, "\"Embassy Paris\"");
		free(json);
		free(got);
		/* two words: estimated; the pages still hold every hit once */
		ck_buf all = CK_BUF_INIT;
		for (int off = 0; off < 13; off += 4) {
			char *p = page_ids(a, "alpha beta", NULL, 4, off, off ? NULL : &json);
			ck_buf_puts(&all, p);
			free(p);
		}
		HAS(json, "\"total_exact\":false,\"facets_sampled\":true");
		free(json);
		int n = 0;
		for (const char *p = all.ptr; (p = strchr(p, ',')); p++)
			n++;
		cr_assert_eq(n, 13, "%s", all.ptr);
		for (int i = 1; i <= 13; i++) {
			char needle[32];
			snprintf(needle, sizeof needle, "ROME%d,", i);
			const char *f = strstr(all.ptr, needle);
			cr_assert(f && !strstr(f + 1, needle), "ROME%d once in %s", i, all.ptr);
		}
		ck_buf_free(&all);
		/* the date orders are exact, whole or by pages */
		got = page_ids(a, "alpha", "-date", 13, 0, NULL);
		cr_assert_str_eq(got, want_desc[0]);
		free(got);
		got = page_ids(a, "alpha beta", "date", 13, 0, NULL);
		cr_assert_str_eq(got, want_asc[0]);
		free(got);
		ck_buf pages = CK_BUF_INIT;
		for (int off = 0; off < 13; off += 5) {
			char *p = page_ids(a, "alpha beta", "date", 5, off, NULL);
			ck_buf_puts(&pages, p);
			free(p);
		}
		cr_assert_str_eq(pages.ptr, want_asc[0]);
		ck_buf_free(&pages);
		/* a small result stays exact */
		got = page_ids(a, "\"text 3\" OR \"text 4\"", NULL, 13, 0, &json);
		HAS(json, "\"total\":2,\"total_exact\":true,\"facets_sampled\":false");
		free(json);
		free(got);
	}
	unsetenv("CK_SEARCH_EXACT_MAX");
	unsetenv("CK_NO_COLUMN_CACHE");
	/* a 30-way prefix OR is refused, not run */
	ck_buf q = CK_BUF_INIT;
	for (int i = 0; i < 30; i++)
		ck_buf_printf(&q, "%s%c%c*", i ? " OR " : "", 'a' + i % 26, 'a' + (i * 7) % 26);
	ck_buf b = CK_BUF_INIT;
	ck_search_opts o = {q.ptr, 20, 0, NULL, 1};
	cr_assert_eq(ck_archive_search_json(a, &o, &b), CK_EPARSE);
	cr_assert_not_null(strstr(ck_error_last(), "too many prefix searches"), "%s", ck_error_last());
	ck_buf_free(&b);
	ck_buf_free(&q);
	for (int k = 0; k < 2; k++) {
		free(want_desc[k]);
		free(want_asc[k]);
	}
	ck_archive_close(a);
}

/* Fields alone over more than CK_COLS_SPREAD (10) x the exact limit (2
 * here: 20): no hit is listed; the total stays the bitmap's count, the
 * date order the same as the exact path's, and the facets count an even
 * spread and scale (facets_sampled).  Words with a field set of at most
 * CK_SCORE_BITS (4) x the limit are scored as they are listed: the same
 * relevance order as rank_page's. */
Test(archive, large_field_sets, .init = db_setup, .fini = db_teardown)
{
	ck_archive *a = NULL;
	ck_ingest_stats st = {0};
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_WRITE), 0, "%s", ck_error_last());
	cr_assert_eq(ck_archive_exec(a, "BEGIN"), 0);
	for (int i = 0; i < 60; i++) { /* 40 from Paris, 20 from Rome; dates out of rowid order */
		char id[32], date[32], body[160];
		snprintf(id, sizeof id, "%02dPARIS%d", i % 10, i + 1);
		snprintf(date, sizeof date, "20%02d-%02d-01T00:00:00Z", (i * 7) % 10, i % 12 + 1);
		/* zeta in 5 Paris cables (i = 2, 14, 26, 38, 50), of two lengths */
		snprintf(body, sizeof body, "delta%s epsilon %d%s", i % 8 < 4 ? " delta delta" : "", i,
			 i % 12 == 2 ? " zeta" : "");
		put(a, &st, id, date, i % 3 ? "Embassy Paris" : "Embassy Rome", "CONFIDENTIAL", "SUBJECT", body, NULL,
		    body);
	}
	cr_assert_eq(ck_archive_exec(a, "COMMIT"), 0);
	ck_archive_close(a);
	a = open_read(1);
	static const char *const q[][2] = {
		{"origin:\"embassy paris\"", "-date"}, {"origin:\"embassy paris\"", "date"}, {"zeta origin:\"embassy paris\"", NULL}};
	char *want[3], *json = NULL;
	for (int i = 0; i < 2; i++)
		want[i] = page_ids(a, q[i][0], q[i][1], 100, 0, NULL);
	setenv("CK_SEARCH_EXACT_MAX", "5", 1); /* 40 > 4 x 5: rank_page's order, the one to match */
	want[2] = page_ids(a, q[2][0], NULL, 100, 0, &json);
	HAS(json, "\"total\":5,\"total_exact\":true");
	free(json);
	cr_assert(strlen(want[0]) > 100, "%s", want[0]);
	setenv("CK_SEARCH_EXACT_MAX", "2", 1);
	char *got = page_ids(a, q[0][0], q[0][1], 100, 0, &json);
	cr_assert_str_eq(got, want[0]);
	HAS(json, "\"total\":40,\"total_exact\":true,\"facets_sampled\":true");
	/* every 2nd of the 40 counted (x 2): the origin has no other value */
	HAS(json, "\"origin\":[[\"Embassy Paris\",40]]");
	free(got);
	free(json);
	/* the date order by pages, both ways */
	for (int w = 0; w < 2; w++) {
		ck_buf pages = CK_BUF_INIT;
		for (int off = 0; off < 40; off += 7) {
			char *p = page_ids(a, q[w][0], q[w][1], 7, off, NULL);
			ck_buf_puts(&pages, p);
			free(p);
		}
		cr_assert_str_eq(pages.ptr, want[w]);
		ck_buf_free(&pages);
	}
	/* 40 <= 4 x 10: scored as listed, in the same order, whole and by pages */
	setenv("CK_SEARCH_EXACT_MAX", "10", 1);
	got = page_ids(a, q[2][0], NULL, 100, 0, &json);
	cr_assert_str_eq(got, want[2]);
	HAS(json, "\"total\":5,\"total_exact\":true,\"facets_sampled\":false");
	free(got);
	free(json);
	for (int k = 1; k <= 2; k++) {
		ck_buf pages = CK_BUF_INIT;
		for (int off = 0; off < 5; off += 2 * k) {
			char *p = page_ids(a, q[2][0], NULL, 2 * k, off, NULL);
			ck_buf_puts(&pages, p);
			free(p);
		}
		cr_assert_str_eq(pages.ptr, want[2]);
		ck_buf_free(&pages);
	}
	unsetenv("CK_SEARCH_EXACT_MAX");
	for (int i = 0; i < 3; i++)
		free(want[i]);
	ck_archive_close(a);
}

/* The fields of a query as rowid sets (fieldidx.c) select exactly the rows
 * their SQL selects: without the column cache (each leaf by its SQL) and
 * with it (the field index), field-only, word+field, NOT, OR, prefixes
 * and NULL columns; the total is exact and the first page the same. */
Test(archive, field_sets_match_sql, .init = db_setup, .fini = db_teardown)
{
	ck_archive *a = NULL;
	ck_ingest_stats st = {0};
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_WRITE), 0, "%s", ck_error_last());
	cr_assert_eq(ck_archive_exec(a, "BEGIN"), 0);
	for (int i = 0; i < 14; i++) {
		char id[32], date[32], body[128];
		snprintf(id, sizeof id, "0%dROME%d", i % 9 + 1, i + 1);
		snprintf(date, sizeof date, "20%02d-0%d-01T00:00:00Z", (i * 7) % 13, i % 9 + 1);
		snprintf(body, sizeof body, "alpha%s text %d", i % 3 ? "" : " gamma", i);
		put(a, &st, id, i == 5 ? "" : date, i % 2 ? "Embassy Rome" : "Embassy Paris",
		    i % 4 ? "CONFIDENTIAL" : "SECRET//NOFORN", "SUBJECT", body, i % 5 ? NULL : "07STATE99", body);
	}
	cr_assert_eq(ck_archive_exec(a,
		"UPDATE cable SET origin=NULL WHERE rowid=3;"
		"UPDATE cable SET sender='AMEMBASSY ROME' WHERE rowid%3=0;"
		"UPDATE cable SET decl=NULL WHERE rowid=4;"
		"UPDATE cable SET decl='2009-01-01' WHERE rowid%4=1;"
		"INSERT INTO addressee(cable, kind, route, name) SELECT rowid, 'to', 'RUEHC', 'SECSTATE WASHDC'"
		" FROM cable WHERE rowid%2=0;"
		"INSERT INTO addressee(cable, kind, route, name) SELECT rowid, 'info', NULL, 'AMEMBASSY LONDON'"
		" FROM cable WHERE rowid%3=1;"
		"INSERT INTO addressee(cable, kind, route, name) SELECT rowid, 'to', 'RUEHRO', NULL FROM cable WHERE rowid=7;"
		"DELETE FROM tag WHERE cable%5=2;"
		"INSERT INTO tag SELECT 'ECON', rowid FROM cable WHERE rowid%3=2;"
		"DELETE FROM caveat WHERE cable=6;"
		/* people (store.c writes the keys): "prodis_x" must not match person:prodi */
		"INSERT INTO field(kind, value, cable) SELECT 'person', 'prodi', rowid FROM cable WHERE rowid%3=0;"
		"INSERT INTO field(kind, value, cable) SELECT 'person', 'prodi_romano', rowid FROM cable WHERE rowid%4=1;"
		"INSERT INTO field(kind, value, cable) SELECT 'person', 'dalema', rowid FROM cable WHERE rowid%5=0;"
		"INSERT INTO field(kind, value, cable) VALUES('person', 'prodis_x', 2);"
		/* other ids the cables are known by (an id: prefix finds them too) */
		"INSERT INTO alias(alias, id) SELECT '99EFTO' || id, id FROM cable WHERE rowid IN (2, 3, 9);"
		"INSERT INTO alias(alias, id) SELECT '07ROMA' || rowid, id FROM cable WHERE rowid = 4;"
		"INSERT OR IGNORE INTO pdirty SELECT " CK_SQL_SURNAME("value") " FROM field WHERE kind='person';"),
		     0, "%s", ck_error_last());
	/* ... grouped into persons (persons.c) as an ingest does */
	cr_assert_eq(ck_persons_resolve(a, NULL), 0, "%s", ck_error_last());
	cr_assert_eq(ck_archive_exec(a, "COMMIT"), 0, "%s", ck_error_last());
	ck_archive_close(a);
	static const char *const qs[] = {
		"to:secstate", "to:RUEHC", "to:ruehro", "to:wash*", "to:\"secstate washdc\"", "to:london",
		"from:rome", "from:amembassy", "from:rom*", "from:paris", "origin:\"embassy rome\"",
		"tag:PREL", "tag:econ", "tag:pr*", "-tag:PREL", "NOT from:rome", "-to:secstate",
		"class:s", "class:c*", "marking:\"secret//noforn\"", "marking:sec*", "caveat:sipdis", "-caveat:sipdis",
		"signer:spogli", "id:07*", "id:07ROME7", "id:99efto*", "id:99EFTO02*", "id:07ROM*", "date:2007", "date:..2005", "date:2006-03..",
		"date:2003-04..2008", "decl:..2017", "decl:2009", "cites:07STATE99",
		"alpha tag:PREL", "alpha -from:rome", "gamma to:secstate", "(gamma OR from:rome) tag:ECON",
		"gamma OR to:london", "from:rome OR tag:ECON", "(tag:PREL OR tag:ECON) -from:paris date:2004..",
		"alpha -(gamma OR from:rome)", "tag:PREL -(to:london OR class:s)",
		"person:prodi", "person:PRODI_ROMANO", "person:\"Romano Prodi\"", "person:prod*", "-person:prodi",
		"alpha person:dalema", "person:prodi OR tag:ECON", "person:prodis", "person:nobody",
	};
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_READONLY), 0, "%s", ck_error_last());
	for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
		ck_query q;
		cr_assert_eq(ck_query_compile(&q, qs[i]), 0, "%s: %s", qs[i], ck_error_last());
		ck_buf sql = CK_BUF_INIT;
		if (q.match)
			ck_buf_printf(&sql, "SELECT count(*) FROM fts JOIN cable c ON c.rowid=fts.rowid WHERE fts MATCH ? AND (%s)",
				      q.where.ptr);
		else
			ck_buf_printf(&sql, "SELECT count(*) FROM cable c WHERE (%s)", q.where.ptr);
		sqlite3_stmt *s = NULL;
		cr_assert_eq(sqlite3_prepare_v2(a->db, sql.ptr, -1, &s, NULL), SQLITE_OK, "%s", sql.ptr);
		ck_query_bind(&q, s, 1);
		cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
		char want[64];
		snprintf(want, sizeof want, "\"total\":%lld,\"total_exact\":true,", (long long)sqlite3_column_int64(s, 0));
		sqlite3_finalize(s);
		ck_buf_free(&sql);
		ck_query_free(&q);
		char *first = NULL;
		for (int k = 0; k < 3; k++) { /* without the cache (SQL), then with it */
			if (!k)
				setenv("CK_NO_COLUMN_CACHE", "1", 1);
			else
				unsetenv("CK_NO_COLUMN_CACHE");
			char *json;
			char *ids = page_ids(a, qs[i], "-date", 20, 0, &json);
			cr_assert_not_null(strstr(json, want), "%s (round %d): want %s in %s", qs[i], k, want, json);
			if (!first)
				first = ids;
			else
				cr_assert_str_eq(ids, first, "%s (round %d)", qs[i], k);
			if (ids != first)
				free(ids);
			free(json);
		}
		free(first);
	}
	/* the persons: a surname takes every person of the surname, not
	 * another surname that starts with it; a name takes its person, with
	 * the cables of the surname alone that fit it, and no other */
	static const struct {
		const char *q, *total;
	} people[] = {{"person:prodi", "\"total\":7,"}, {"person:prodis", "\"total\":1,"},
		      /* the surname alone only where it fits him (persons.c) */
		      {"person:\"Romano Prodi\"", "\"total\":5,"}, {"person:dalema_massimo", "\"total\":0,"}};
	for (size_t i = 0; i < sizeof people / sizeof people[0]; i++) {
		char *json;
		free(page_ids(a, people[i].q, "-date", 20, 0, &json));
		cr_assert_not_null(strstr(json, people[i].total), "%s: want %s in %s", people[i].q, people[i].total, json);
		free(json);
	}
	ck_archive_close(a);
}

/* Every value of a facet over the archive: the column cache counts what
 * the SQL groups (the browse pages' lists) */
Test(archive, facet_lists_cache_equal_sql, .init = db_setup, .fini = db_teardown)
{
	ck_archive *a = NULL;
	ck_ingest_stats st = {0};
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_WRITE), 0, "%s", ck_error_last());
	cr_assert_eq(ck_archive_exec(a, "BEGIN"), 0);
	for (int i = 0; i < 17; i++) {
		char id[32], date[32], body[64];
		snprintf(id, sizeof id, "0%dROME%d", i % 9 + 1, i + 1);
		snprintf(date, sizeof date, "20%02d-0%d-01T00:00:00Z", i % 5, i % 9 + 1);
		snprintf(body, sizeof body, "alpha text %d", i);
		put(a, &st, id, i == 5 ? "" : date, i % 3 ? "Embassy Rome" : i % 2 ? "Embassy Paris" : "Consulate Milan",
		    i % 4 ? "CONFIDENTIAL" : "SECRET//NOFORN", "SUBJECT", body, NULL, body);
	}
	cr_assert_eq(ck_archive_exec(a, "COMMIT"), 0);
	ck_archive_close(a);
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_READONLY), 0, "%s", ck_error_last());
	static const char *const facets[] = {"origin", "year", "marking", "tag"};
	for (size_t f = 0; f < 4; f++) {
		ck_buf sql = CK_BUF_INIT, mem = CK_BUF_INIT;
		setenv("CK_NO_COLUMN_CACHE", "1", 1);
		cr_assert_eq(ck_archive_facet_json(a, facets[f], &sql), 0, "%s", ck_error_last());
		unsetenv("CK_NO_COLUMN_CACHE");
		ck_archive_facet_json(a, "origin", &mem); /* starts the cache's build */
		ck_buf_clear(&mem);
		ck_archive_facet_json(a, "origin", &mem);
		cr_assert(ck_search_cache_wait(a, 10000), "the column cache is built");
		ck_buf_clear(&mem);
		cr_assert_eq(ck_archive_facet_json(a, facets[f], &mem), 0, "%s", ck_error_last());
		cr_assert_str_eq(mem.ptr, sql.ptr, "%s", facets[f]);
		cr_assert(strstr(sql.ptr, "[\"") != NULL, "%s: values listed: %s", facets[f], sql.ptr);
		ck_buf_free(&sql);
		ck_buf_free(&mem);
	}
	ck_buf bad = CK_BUF_INIT;
	cr_assert_eq(ck_archive_facet_json(a, "month", &bad), CK_EINVAL);
	ck_buf_free(&bad);
	ck_archive_close(a);
}

/* The field facets (concept, office, people), the paragraph facet and the
 * field queries (concept:, office:, drafter:, current:, person:) give the
 * same answers from the column cache and field index as from SQL, one
 * lookup a hit */
/* "bm25, then newest": cables of the same text score the same, and come
 * newest first (then by id, undated last) whatever their order in the
 * index, with and without the column cache; paging keeps that order */
Test(archive, equal_scores_newest_first, .init = db_setup, .fini = db_teardown)
{
	ck_archive *a = NULL;
	ck_ingest_stats st = {0};
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_WRITE), 0, "%s", ck_error_last());
	/* stored out of date order; 04ROME2 and 04ROME10 share a date */
	static const char *const c[][2] = {{"05ROME5", "2005-03-01T00:00:00Z"}, {"09ROME9", "2009-01-01T00:00:00Z"},
					   {"01ROME1", "2001-01-01T00:00:00Z"}, {"04ROME2", "2004-06-01T00:00:00Z"},
					   {"07ROME7", "2007-02-01T00:00:00Z"}, {"04ROME10", "2004-06-01T00:00:00Z"},
					   {"99ROME0", NULL}};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
		put(a, &st, c[i][0], c[i][1], "Embassy Rome", "CONFIDENTIAL", "SAME SUBJECT", "the same tied words",
		    NULL, c[i][0]);
	put(a, &st, "03ROME3", "2003-01-01T00:00:00Z", "Embassy Rome", "CONFIDENTIAL", "TIED TIED TIED",
	    "tied tied tied words", NULL, "best");
	ck_archive_close(a);
	const char *want = "03ROME3,09ROME9,07ROME7,05ROME5,04ROME2,04ROME10,01ROME1,99ROME0,";
	for (int k = 0; k < 2; k++) {
		a = open_read(k);
		char *ids = page_ids(a, "tied", NULL, 20, 0, NULL);
		cr_assert_str_eq(ids, want, "%s cache", k ? "with the" : "without the");
		free(ids);
		/* pages of 3 give the same order */
		ck_buf all = CK_BUF_INIT;
		for (int off = 0; off < 9; off += 3) {
			char *p = page_ids(a, "tied", NULL, 3, off, NULL);
			ck_buf_puts(&all, p);
			free(p);
		}
		cr_assert_str_eq(all.ptr, want);
		ck_buf_free(&all);
		ck_archive_close(a);
	}
}

/* from: and to: match whole words, punctuation a word break on both
 * sides ("DC//NSC//", "Delegation, Secretary"), in SQL and in the field
 * index alike */
Test(archive, whole_words_punctuation, .init = db_setup, .fini = db_teardown)
{
	ck_buf w = CK_BUF_INIT;
	ck_words(&w, "WHITE HOUSE WASHINGTON DC//NSC//");
	cr_assert_str_eq(w.ptr, " WHITE HOUSE WASHINGTON DC NSC ");
	ck_buf_clear(&w);
	ck_words(&w, ",,");
	cr_assert_str_eq(w.ptr, " ");
	ck_buf_free(&w);
	ck_archive *a = NULL;
	ck_ingest_stats st = {0};
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_WRITE), 0, "%s", ck_error_last());
	put(a, &st, "08AITTAIPEI1", "2008-01-01T00:00:00Z", "American Institute Taiwan, Taipei", "CONFIDENTIAL", "S",
	    "words", NULL, "a");
	put(a, &st, "08SECTO2", "2008-01-02T00:00:00Z", "US Delegation, Secretary", "CONFIDENTIAL", "S", "words", NULL,
	    "b");
	put(a, &st, "08ROME3", "2008-01-03T00:00:00Z", "Embassy Rome", "CONFIDENTIAL", "S", "words", NULL, "c");
	cr_assert_eq(ck_archive_exec(a, "INSERT INTO addressee(cable, kind, route, name) VALUES"
					" (3, 'to', 'RUEHWH', 'WHITE HOUSE WASHINGTON DC//NSC//'),"
					" (2, 'to', NULL, 'SECSTATE WASHDC'), (1, 'info', NULL, 'UEHC/SECSTATE WASHDC')"),
		     0, "%s", ck_error_last());
	ck_archive_close(a);
	static const char *const q[][2] = {{"from:taiwan", "08AITTAIPEI1,"}, {"from:delegation", "08SECTO2,"},
					   {"from:\"us delegation\"", "08SECTO2,"}, {"from:taipei", "08AITTAIPEI1,"},
					   {"to:nsc", "08ROME3,"}, {"to:secstate", "08SECTO2,08AITTAIPEI1,"},
					   {"to:\"dc nsc\"", "08ROME3,"}, {"words -to:nsc", "08SECTO2,08AITTAIPEI1,"},
					   {"from:tai*", "08AITTAIPEI1,"}};
	for (int k = 0; k < 2; k++) {
		a = open_read(k);
		for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
			char *ids = page_ids(a, q[i][0], "-date", 20, 0, NULL);
			cr_assert_str_eq(ids, q[i][1], "%s (%s the column cache)", q[i][0], k ? "with" : "without");
			free(ids);
		}
		ck_archive_close(a);
	}
}

Test(archive, field_facets_cache_equal_sql, .init = db_setup, .fini = db_teardown)
{
	ck_archive *a = NULL;
	ck_ingest_stats st = {0};
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_WRITE), 0, "%s", ck_error_last());
	cr_assert_eq(ck_archive_exec(a, "BEGIN"), 0);
	for (int i = 0; i < 11; i++) {
		char id[32], date[32], body[64];
		snprintf(id, sizeof id, "0%dSTATE%d", i % 9 + 1, i + 1);
		snprintf(date, sizeof date, "19%02d-0%d-01T00:00:00Z", 70 + i % 6, i % 9 + 1);
		snprintf(body, sizeof body, "alpha text %d", i);
		put(a, &st, id, date, "Secretary of State", "CONFIDENTIAL", "SUBJECT", body, NULL, body);
	}
	/* by hand, as the PlusD reader stores them: some cables hold two
	 * concepts, some none; the rowids are 1..11 */
	cr_assert_eq(ck_archive_exec(a,
		"INSERT INTO field(kind, value, cable) SELECT 'concept', 'NUCLEAR ENERGY', rowid FROM cable WHERE rowid % 2;"
		"INSERT INTO field(kind, value, cable) SELECT 'concept', 'NUCLEAR TESTS', rowid FROM cable WHERE rowid % 3 = 0;"
		"INSERT INTO field(kind, value, cable) SELECT 'concept', 'GRAIN', rowid FROM cable WHERE rowid = 4;"
		"INSERT INTO field(kind, value, cable) SELECT 'office', CASE WHEN rowid < 6 THEN 'ACTION EUR' ELSE 'ACTION NEA' END,"
		" rowid FROM cable;"
		"INSERT INTO field(kind, value, cable) SELECT 'drafter', 'NEA/RA:DTMORRISON:BDF', rowid FROM cable WHERE rowid > 7;"
		"INSERT INTO field(kind, value, cable) SELECT 'person', 'prodi_romano', rowid FROM cable WHERE rowid % 2;"
		"INSERT INTO field(kind, value, cable) SELECT 'person', 'prodi', rowid FROM cable WHERE rowid = 4;"
		"INSERT INTO field(kind, value, cable) SELECT 'person', 'prodis_x', rowid FROM cable WHERE rowid = 6;"
		"INSERT INTO field(kind, value, cable) SELECT 'person', 'rice_condoleezza', rowid FROM cable WHERE rowid > 8;"
		"INSERT INTO portion(cable, level, caveat, n) SELECT rowid, 1 + rowid % 3, 0, rowid FROM cable;"
		"INSERT OR IGNORE INTO pdirty SELECT " CK_SQL_SURNAME("value") " FROM field WHERE kind='person';"),
		0, "%s", ck_error_last());
	cr_assert_eq(ck_persons_resolve(a, NULL), 0, "%s", ck_error_last()); /* as an ingest does */
	cr_assert_eq(ck_archive_exec(a, "COMMIT"), 0);
	ck_archive_close(a);
	static const char *const qs[] = {"alpha", "concept:\"nuclear energy\"", "concept:nuclear*", "office:\"action nea\"",
					 "drafter:morrison", "alpha NOT concept:grain", "concept:grain OR office:\"action eur\"",
					 "person:prodi", "person:\"Romano Prodi\"", "alpha NOT person:rice"};
	enum { NQ = sizeof qs / sizeof qs[0] };
	char *sql[NQ], *mem[NQ];
	for (int k = 0; k < 2; k++) {
		if (!k)
			setenv("CK_NO_COLUMN_CACHE", "1", 1);
		else
			unsetenv("CK_NO_COLUMN_CACHE");
		a = open_read(k);
		for (size_t i = 0; i < NQ; i++) {
			char *json = NULL;
			free(page_ids(a, qs[i], NULL, 20, 0, &json));
			(k ? mem : sql)[i] = json;
		}
		ck_archive_close(a);
	}
	for (size_t i = 0; i < NQ; i++) {
		cr_assert_str_eq(mem[i], sql[i], "%s", qs[i]);
		free(mem[i]);
	}
	/* and the answers are right, not only equal */
	HAS(sql[0], "\"total\":11,");
	HAS(sql[0], "\"concept\":[[\"NUCLEAR ENERGY\",6],[\"NUCLEAR TESTS\",3],[\"GRAIN\",1]]");
	HAS(sql[0], "\"office\":[[\"ACTION NEA\",6],[\"ACTION EUR\",5]]");
	HAS(sql[0], "\"portion\":[[\"LOU\",26],[\"SBU\",22],[\"U\",18]]");
	HAS(sql[1], "\"total\":6,");
	HAS(sql[2], "\"total\":7,");
	HAS(sql[3], "\"total\":6,");
	HAS(sql[4], "\"total\":4,");
	HAS(sql[5], "\"total\":10,");
	HAS(sql[6], "\"total\":5,");
	/* the persons (persons.c): the bare prodi of 1973 joins Romano Prodi
	 * (the one full name of its post within his years) */
	HAS(sql[0], "\"people\":[[\"prodi_romano\",7],[\"rice_condoleezza\",3],[\"prodis_x\",1]]");
	HAS(sql[7], "\"total\":7,");   /* prodi_romano and prodi, not prodis_x */
	HAS(sql[8], "\"total\":7,");   /* the full name with the surname alone it took */
	HAS(sql[9], "\"total\":8,");
	HAS(sql[7], "\"people\":[[\"prodi_romano\",7],[\"rice_condoleezza\",2]]");
	for (size_t i = 0; i < NQ; i++)
		free(sql[i]);
	/* more hits than the exact limit (3 here): the field facets count an
	 * even spread of 3 of the 11 and scale (x 11/3), said by
	 * "facets_sampled"; the total and the column facets stay exact.
	 * (Without the cache a fields-only answer above the limit counts every
	 * facet over a sample already.) */
	setenv("CK_SEARCH_EXACT_MAX", "3", 1);
	for (int k = 0; k < 2; k++) {
		cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_READONLY), 0, "%s", ck_error_last());
		if (!k)
			setenv("CK_NO_COLUMN_CACHE", "1", 1);
		else
			unsetenv("CK_NO_COLUMN_CACHE");
		char *json = NULL;
		free(page_ids(a, "office:\"action nea\" OR office:\"action eur\"", NULL, 20, 0, &json));
		HAS(json, "\"total\":11,\"total_exact\":true,\"facets_sampled\":true");
		if (k) {
			HAS(json, "\"office\":[[\"ACTION NEA\",7],[\"ACTION EUR\",4]]"); /* exact: 6, 5 */
			HAS(json, "\"portion\":[[\"LOU\",26],[\"SBU\",22],[\"U\",18]]"); /* counted in full */
			HAS(json, "\"year\":[[\"1970\",2],[\"1971\",2],[\"1972\",2],[\"1973\",2],[\"1974\",2],[\"1975\",1]]");
		}
		free(json);
		ck_archive_close(a);
	}
	unsetenv("CK_NO_COLUMN_CACHE");
	/* the facets counted on the handle's helper thread while the page is
	 * read (all of them; the field facets alone for fields alone) are
	 * the facets counted in line (CK_SEARCH_SERIAL) */
	a = open_read(1);
	for (size_t i = 0; i < NQ; i++) {
		char *js = NULL, *jp = NULL;
		setenv("CK_SEARCH_SERIAL", "1", 1);
		free(page_ids(a, qs[i], NULL, 20, 0, &js));
		unsetenv("CK_SEARCH_SERIAL");
		free(page_ids(a, qs[i], NULL, 20, 0, &jp));
		cr_assert_str_eq(jp, js, "%s", qs[i]);
		HAS(jp, "\"people\":[");
		free(js);
		free(jp);
	}
	if (ck_worker_cpus() > 1)
		cr_assert(a->helper != NULL, "the helper counted");
	ck_archive_close(a);
	unsetenv("CK_SEARCH_EXACT_MAX");
}

/* A facet list keeps the max entries a full sort puts first (count
 * descending, then value), in that order, whatever the input order: the
 * bounded heap of facet.c against qsort, over counts with many ties and
 * lengths below, at and above the bound. */
static int by_count_then_key(const void *x, const void *y)
{
	const struct fent *a = x, *b = y;
	return a->n != b->n ? (a->n > b->n ? -1 : 1) : strcmp(a->key, b->key);
}

Test(query, facet_list_top_equals_full_sort)
{
	char keys[600][8];
	struct fent in[600], ref[600];
	srand(7);
	for (size_t n = 0; n <= 600; n += n < 60 ? 1 : 97)
		for (size_t max = 1; max <= 70; max += 23) {
			for (size_t i = 0; i < n; i++) {
				snprintf(keys[i], sizeof keys[i], "v%zu", (i * 7919) % 600);
				in[i] = ref[i] = (struct fent){keys[i], rand() % (n / 8 + 2)};
			}
			if (n)
				qsort(ref, n, sizeof *ref, by_count_then_key);
			ck_buf want = {0}, got = {0};
			ck_buf_puts(&want, "\"f\":[");
			for (size_t i = 0; i < n && i < max; i++)
				ck_buf_printf(&want, "%s[\"%s\",%ld]", i ? "," : "", ref[i].key, ref[i].n);
			ck_buf_putc(&want, ']');
			ck_facet_list_json(&got, "f", in, n, 0, max);
			cr_assert_str_eq(got.ptr, want.ptr, "n %zu max %zu", n, max);
			ck_buf_free(&want);
			ck_buf_free(&got);
		}
}

/* ck_rank scores a row the same with the lengths of the column cache
 * (ck_rank_doclens, read from the docsize table) as with FTS5's own
 * (xColumnSize), on rows of different lengths, subjects and bodies. */
Test(archive, rank_doclens_equal_fts5, .init = db_setup, .fini = db_teardown)
{
	ck_archive *a = NULL;
	ck_ingest_stats st = {0};
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_WRITE), 0, "%s", ck_error_last());
	cr_assert_eq(ck_archive_exec(a, "BEGIN"), 0);
	for (int i = 0; i < 40; i++) {
		char id[32], date[32], subject[64], body[600];
		snprintf(id, sizeof id, "0%dROME%d", i % 9 + 1, i + 1);
		snprintf(date, sizeof date, "200%d-0%d-01T00:00:00Z", i % 9, i % 9 + 1);
		snprintf(subject, sizeof subject, i % 3 ? "WHEAT EXPORTS %d" : "OIL AND WHEAT %d", i);
		int n = snprintf(body, sizeof body, "wheat");
		for (int w = 0; w < i * 3 && n < 500; w++) /* from 1 to ~100 words */
			n += snprintf(body + n, sizeof body - (size_t)n, w % 7 ? " grain %d" : " oil", w);
		put(a, &st, id, date, "Embassy Rome", "CONFIDENTIAL", subject, body, NULL, body);
	}
	cr_assert_eq(ck_archive_exec(a, "COMMIT"), 0);
	size_t nslot = 64;
	uint32_t *dl = ck_rank_doclens(a, nslot);
	cr_assert_not_null(dl);
	sqlite3_stmt *q = NULL;
	cr_assert_eq(sqlite3_prepare_v2(a->db, "SELECT rowid, ck_rank(fts, '30,12') FROM fts WHERE fts MATCH 'wheat OR oil'"
					   " ORDER BY rowid", -1, &q, NULL), SQLITE_OK, "%s", sqlite3_errmsg(a->db));
	double own[64] = {0};
	int n = 0, lent = 0;
	for (int pass = 0; pass < 2; pass++) { /* FTS5's lengths, then the lent ones */
		a->rank_dlen = pass ? dl : NULL;
		a->rank_ndlen = pass ? nslot : 0;
		sqlite3_reset(q);
		for (int i = 0; sqlite3_step(q) == SQLITE_ROW; i++) {
			sqlite3_int64 r = sqlite3_column_int64(q, 0);
			double s = sqlite3_column_double(q, 1);
			cr_assert(i < 64);
			if (!pass) {
				own[i] = s;
				n++;
			} else {
				cr_assert(r > 0 && (size_t)r < nslot && dl[r] > 0, "row %lld has a length", (long long)r);
				cr_assert_eq(s, own[i], "row %lld: %.17g with the cache's length, %.17g with FTS5's",
					     (long long)r, s, own[i]);
				lent++;
			}
		}
	}
	a->rank_dlen = NULL;
	cr_assert_eq(n, 40);
	cr_assert_eq(lent, 40);
	/* the scores differ between rows: lengths do matter to them */
	cr_assert_neq(own[1], own[2]);
	sqlite3_finalize(q);
	free(dl);
	ck_archive_close(a);
}
