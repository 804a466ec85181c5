/* test_portion.c - portion markings (issue 15): what a marking says
 * (level, caveats), how portion: scopes the words of a query, and the
 * paragraph index behind it on a small archive of parsed telegrams
 * (search, snippet from the paragraph with its anchor, the paragraph
 * facet, a new version, stats, the migration from schema 4). */
#include "unit_archive.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

Test(portion, markings)
{
	static const struct { const char *m; int level, caveats, ok; } t[] = {
		{"C", CK_PL_C, 0, 0},
		{"S//NF", CK_PL_S, CK_PC_NF, 0},
		{"S/NOFORN", CK_PL_S, CK_PC_NF, 0},
		{"SBU/NF", CK_PL_SBU, CK_PC_NF, 0},
		{"C/REL NATO", CK_PL_C, CK_PC_REL, 0},
		{"C//REL TO USA, KEN, GBR//", CK_PL_C, CK_PC_REL, 0},
		{"S//FGI//NF", CK_PL_S, CK_PC_FGI | CK_PC_NF, 0},
		{"SECRET/REL FRANCE", CK_PL_S, CK_PC_REL, 0},
		{"TOP SECRET", CK_PL_TS, 0, 0},
		{"TS", CK_PL_TS, 0, 0},
		{"SNF", CK_PL_S, CK_PC_NF, 0},
		{"U//FOUO", CK_PL_U, CK_PC_OTHER, 0},
		{"LOU", CK_PL_LOU, 0, 0},
		{"C - ENTIRE TEXT", CK_PL_C, CK_PC_OTHER, 0},
		{"s//nf", CK_PL_S, CK_PC_NF, 0},
		{"U.S.", 0, 0, -1},  /* text in parentheses, not a marking */
		{"NF", 0, 0, -1},    /* a caveat without a level */
		{"TOP", 0, 0, -1},
		{"", 0, 0, -1},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int level = -1, cav = -1;
		int rc = ck_portion_parse(t[i].m, &level, &cav);
		cr_assert_eq(rc, t[i].ok, "<%s>", t[i].m);
		if (!rc) {
			cr_assert_eq(level, t[i].level, "<%s> level %d", t[i].m, level);
			cr_assert_eq(cav, t[i].caveats, "<%s> caveats %d", t[i].m, cav);
		}
	}
	cr_assert_eq(ck_portion_parse(NULL, &(int){0}, &(int){0}), -1);
}

/* the parsed tree of q, after portion: scoping */
static void tree_is(const char *q, const char *want)
{
	ck_query c;
	cr_assert_eq(ck_query_compile(&c, q), 0, "query <%s>: %s", q, ck_error_last());
	cr_assert_str_eq(c.tree, want, "query <%s>", q);
	ck_query_free(&c);
}

static void err_is(const char *q, const char *want)
{
	ck_query c;
	cr_assert_eq(ck_query_compile(&c, q), CK_EPARSE, "query <%s> should fail", q);
	cr_assert_str_eq(ck_error_last(), want, "query <%s>", q);
}

Test(portion, query_scopes)
{
	/* alone: a field (cables with such a paragraph) */
	tree_is("portion:S", "portion:S");
	/* the words ANDed with it, in one paragraph; at the top they also rank */
	tree_is("portion:S iran", "(AND portion:S[iran] iran)");
	tree_is("portion:S iran nuclear", "(AND portion:S[(AND iran nuclear)] iran nuclear)");
	tree_is("portion:S//NF \"nuclear program\"", "(AND portion:S//NF[\"nuclear program\"] \"nuclear program\")");
	/* groups and negations go in whole; a negation does not rank */
	tree_is("portion:S (iran OR iraq) -israel",
		"(AND portion:S[(AND (OR iran iraq) (NOT israel))] (OR iran iraq))");
	/* AND binds tighter than OR: iraq is not restricted */
	tree_is("portion:S iran OR iraq", "(OR portion:S[iran] iraq)");
	tree_is("(portion:S iran) OR (portion:C iraq)", "(OR portion:S[iran] portion:C[iraq])");
	/* at any depth, the innermost portion: applying */
	tree_is("portion:S (iran from:baghdad)", "(AND portion:S (AND from:baghdad portion:S[iran]))");
	tree_is("portion:S (iran OR (iraq from:baghdad))",
		"(AND portion:S (OR portion:S[iran] (AND from:baghdad portion:S[iraq])))");
	tree_is("portion:S (portion:C iran) iraq", "(AND portion:S[iraq] portion:C[iran] iraq)");
	/* not restricted: the subject, and negated words alone */
	tree_is("portion:S subject:iran nuclear", "(AND portion:S[nuclear] subject:iran nuclear)");
	tree_is("portion:S -iran", "(AND portion:S (NOT iran))");
	/* a NOT portion: is a field */
	tree_is("-portion:S iran", "(AND (NOT portion:S) iran)");
	err_is("portion:X iran", "query:1:1: portion: takes a level (U, SBU, LOU, C, S, TS) and caveats NF, REL, FGI"
				 " (portion:S//NF), not \"X\"");
	err_is("iran portion:S//ORCON", "query:1:6: portion: takes a level (U, SBU, LOU, C, S, TS) and caveats NF, REL,"
					" FGI (portion:S//NF), not \"S//ORCON\"");
	err_is("portion:S portion:C iran", "query:1:11: one portion: per group (a paragraph has one marking)");
	err_is("portoin:S", "query:1:1: unknown field \"portoin\" (did you mean \"portion\"?)");

	/* the SQL: one MATCH on the paragraph index, every value bound */
	ck_query c;
	cr_assert_eq(ck_query_compile(&c, "portion:S//NF iran -israel"), 0, "%s", ck_error_last());
	cr_assert_str_eq(c.match, "((\"iran\"))");
	cr_assert_not_null(strstr(c.where.ptr, "FROM pfts WHERE pfts MATCH ?"), "%s", c.where.ptr);
	cr_assert_eq(c.nparams, 5);
	cr_assert_str_eq(c.params[0], "((\"iran\") NOT \"israel\")");
	cr_assert_str_eq(c.params[1], "5");
	cr_assert_str_eq(c.params[3], "1");
	ck_query_free(&c);
}

/* ---- a small archive of parsed telegrams ---- */

static char dbpath[64];

static void db_setup(void)
{
	unit_db_name(dbpath, sizeof dbpath, "portion");
}

static void db_teardown(void)
{
	unit_db_remove(dbpath);
}

/* a telegram of the given serial whose paragraphs are "N. (MARK) TEXT" */
static void put(ck_archive *a, int serial, const char *cls, const char *paras)
{
	char text[4096];
	snprintf(text, sizeof text,
		 "VZCZCXRO6975\nOO RUEHDBU\nDE RUEHRO #%04d 1901712\nZNY CCCCC ZZH\nO 091712Z JUL 07\n"
		 "FM AMEMBASSY ROME\nTO RUEHC/SECSTATE WASHDC IMMEDIATE 8533\nBT\n%s ROME %06d\n\nSIPDIS\n\n"
		 "E.O. 12958: DECL: 07/03/2017\nTAGS: PREL, IR, IT\nSUBJECT: ITALIANS ON IRAN\n\n"
		 "Classified By: Political Minister-Counselor David D. Pearce for reasons 1.4(b) and (d)\n\n"
		 "%s\nSPOGLI\n",
		 serial, cls, serial, paras);
	unit_store(a, text, 2007);
}

static char *search(ck_archive *a, const char *q)
{
	ck_buf b = CK_BUF_INIT;
	ck_search_opts o = {q, 10, 0, "date", 1};
	cr_assert_eq(ck_archive_search_json(a, &o, &b), 0, "search <%s>: %s", q, ck_error_last());
	return ck_buf_detach(&b);
}

#define HAS(s, sub) cr_assert_not_null(strstr(s, sub), "missing <%s> in %s", sub, s)
#define HASNT(s, sub) cr_assert_null(strstr(s, sub), "unexpected <%s> in %s", sub, s)

static void fill(ck_archive *a)
{
	put(a, 1497, "C O N F I D E N T I A L",
	    "1. (C) Summary: Italy doubts the envoy. End summary.\n\n"
	    "2. (S//NF) The Foreign Minister said Iran would never give up enrichment.\n\n"
	    "3. (C) Iran was also discussed at lunch.\n\n"
	    "4. (SBU) The press reported nothing.\n");
	put(a, 1498, "S E C R E T",
	    "1. (S) Iran and Iraq came up at the meeting.\n\n"
	    "2. (U) Weather was fine.\n\n"
	    "2. (S/REL NATO) Again Iran, in a paragraph numbered twice.\n");
	put(a, 1499, "C O N F I D E N T I A L",
	    "1. (C) Nothing about the neighbours here, Iran aside.\n\n"
	    "2. (U) Israel was not discussed.\n");
}

Test(portion, search_snippet_facet, .init = db_setup, .fini = db_teardown)
{
	ck_archive *a = NULL;
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_WRITE), 0, "%s", ck_error_last());
	fill(a);
	/* Iran is in every cable; in a SECRET paragraph of two */
	char *s = search(a, "iran");
	HAS(s, "\"total\":3");
	free(s);
	s = search(a, "portion:S iran");
	HAS(s, "\"total\":2,");
	HAS(s, "\"id\":\"07ROME1497\"");
	HAS(s, "\"id\":\"07ROME1498\"");
	/* the snippet is the paragraph's, with its anchor on the cable page;
	 * of two matching paragraphs, the first in the text */
	HAS(s, "\"snippet\":\"The Foreign Minister said <mark>Iran</mark> would never give up enrichment\",\"anchor\":\"p2\"");
	HAS(s, "\"snippet\":\"<mark>Iran</mark> and Iraq came up at the meeting\",\"anchor\":\"p1\"");
	/* paragraphs of the hits by level: 1497 has C C S SBU, 1498 S U S */
	HAS(s, "\"portion\":[[\"S\",3],[\"C\",2],[\"U\",1],[\"SBU\",1]]");
	free(s);
	static const struct { const char *q, *total, *has; int anchored; } t[] = {
		/* the caveat narrows; a paragraph numbered again has its own anchor */
		{"portion:S//REL iran", "\"total\":1,", "\"anchor\":\"p2-2\"", 1},
		{"portion:S//NF iran", "\"total\":1,", "\"id\":\"07ROME1497\"", 1},
		/* one paragraph holds every word: Iran and Iraq only in 1498's first */
		{"portion:S iran iraq", "\"total\":1,", "\"anchor\":\"p1\"", 1},
		{"portion:C iran -lunch", "\"total\":1,", "\"id\":\"07ROME1499\"", 1},
		/* without words: cables with such a paragraph; the start of the body */
		{"portion:U", "\"total\":2,", "\"snippet\":\"C O N F I D E N T I A L", 0},
		{"portion:TS", "\"total\":0,", "\"hits\":[]", 0},
		/* words that are nowhere in an S paragraph */
		{"portion:S lunch", "\"total\":0,", "\"hits\":[]", 0},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		s = search(a, t[i].q);
		HAS(s, t[i].total);
		HAS(s, t[i].has);
		if (t[i].anchored)
			HAS(s, "\"anchor\":\"p");
		else
			HASNT(s, "\"anchor\"");
		free(s);
	}
	ck_archive_close(a);
}

Test(portion, new_version_stats_migration, .init = db_setup, .fini = db_teardown)
{
	ck_archive *a = NULL;
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_WRITE), 0, "%s", ck_error_last());
	fill(a);
	/* a new text of 1497: its SECRET paragraph is about Libya now */
	put(a, 1497, "C O N F I D E N T I A L",
	    "1. (C) Summary: Italy doubts the envoy. End summary.\n\n"
	    "2. (S//NF) The Foreign Minister said Libya would never give up anything.\n");
	char *s = search(a, "portion:S iran");
	HAS(s, "\"total\":1,");
	HAS(s, "\"id\":\"07ROME1498\"");
	free(s);
	s = search(a, "portion:S libya");
	HAS(s, "\"total\":1,");
	HAS(s, "\"anchor\":\"p2\"");
	free(s);
	/* the index agrees with the text it reads back from the JSON */
	cr_assert_eq(ck_archive_exec(a, "INSERT INTO pfts(pfts, rank) VALUES('integrity-check', 1)"), 0, "%s",
		     ck_error_last());
	ck_buf b = CK_BUF_INIT;
	cr_assert_eq(ck_archive_stats_json(a, &b), 0, "%s", ck_error_last());
	/* 1497: C S; 1498: S U S; 1499: C U */
	HAS(b.ptr, "\"portions\":{\"levels\":[\"none\",\"U\",\"SBU\",\"LOU\",\"C\",\"S\",\"TS\"],\"by_year\":[{\"year\":\"2007\","
		   "\"paragraphs\":7,\"none\":0,\"U\":2,\"SBU\":0,\"LOU\":0,\"C\":2,\"S\":3,\"TS\":0}]");
	HAS(b.ptr, "\"by_classification\":[{\"classification\":\"CONFIDENTIAL\",\"paragraphs\":4,\"none\":0,\"U\":1,"
		   "\"SBU\":0,\"LOU\":0,\"C\":2,\"S\":1,\"TS\":0},{\"classification\":\"SECRET\",\"paragraphs\":3,\"none\":0,"
		   "\"U\":1,\"SBU\":0,\"LOU\":0,\"C\":0,\"S\":2,\"TS\":0}]}");
	/* back to schema 4, as an older cablekit wrote it: no paragraph index */
	cr_assert_eq(ck_archive_exec(a, "BEGIN; DROP TABLE pfts; DROP VIEW pfts_content; DROP TABLE para;"
					"DROP TABLE portion; PRAGMA user_version=4; COMMIT;"), 0, "%s", ck_error_last());
	ck_archive_close(a);
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_READONLY), CK_EINVAL);
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_WRITE), 0, "%s", ck_error_last());
	ck_archive_close(a);
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_READONLY), 0, "%s", ck_error_last());
	s = search(a, "portion:S iran");
	HAS(s, "\"total\":1,");
	HAS(s, "\"anchor\":\"p1\"");
	free(s);
	ck_buf_clear(&b);
	cr_assert_eq(ck_archive_stats_json(a, &b), 0, "%s", ck_error_last());
	HAS(b.ptr, "\"paragraphs\":7,\"none\":0,\"U\":2,\"SBU\":0,\"LOU\":0,\"C\":2,\"S\":3,\"TS\":0}");
	ck_buf_free(&b);
	ck_archive_close(a);
}
