/* test_persons.c - people across cables (issue 15, docs/people.md
 * "Cross-cable people", src/archive/persons.c): telegrams written here
 * name two Joneses at two posts and a Jones by surname alone at each, and
 * one John Smith eleven years and two posts apart.  The keys are grouped
 * into persons (a bare surname joins the one full name of its post and
 * years; the same key at posts and decades apart is two people), person:
 * and the people facet use the persons, the person JSON gives each merge
 * with its reason, and a later ingest groups the surnames it touched
 * again. */
#include "unit_archive.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char dbpath[64];

static void db_setup(void)
{
	unit_db_name(dbpath, sizeof dbpath, "persons");
}

static void db_teardown(void)
{
	unit_db_remove(dbpath);
}

/* a telegram from AMEMBASSY `city` with the date-time group `dtg`, TAGS
 * and one paragraph */
static void put(ck_archive *a, const char *city, int serial, const char *dtg, const char *tags, const char *para)
{
	char text[2048];
	snprintf(text, sizeof text,
		 "VZCZCXRO0001\nOO RUEHWEB\nDE RUEHXX #%04d/01 1901712\nZNY CCCCC ZZH\n%s\nFM AMEMBASSY %s\n"
		 "TO RUEHC/SECSTATE WASHDC IMMEDIATE 0001\nBT\nC O N F I D E N T I A L %s 000%04d\n\nSIPDIS\n\n"
		 "E.O. 12958: DECL: 07/03/2018\nTAGS: %s\nSUBJECT: MEETING\n\n1. (C) %s\n\n2. (C) Nothing else.\nBT\n",
		 serial, dtg, city, city, serial, tags, para);
	unit_store(a, text, 0);
}

static void resolve(ck_archive *a)
{
	long n = 0;
	cr_assert_eq(ck_archive_exec(a, "BEGIN"), 0);
	cr_assert_eq(ck_persons_resolve(a, &n), 0, "%s", ck_error_last());
	cr_assert_eq(ck_archive_exec(a, "COMMIT"), 0);
	cr_assert_gt(n, 0);
}

#define HAS(s, sub) cr_assert_not_null(strstr(s, sub), "missing <%s> in %s", sub, s)
#define HASNT(s, sub) cr_assert_null(strstr(s, sub), "unexpected <%s> in %s", sub, s)

/* the search JSON of q (person: JSON of a name when person is set) has
 * every string of has[] (up to a NULL) and not hasnt */
static void expect(ck_archive *a, int person, const char *q, const char *const *has, const char *hasnt)
{
	ck_buf b = CK_BUF_INIT;
	ck_search_opts o = {q, 10, 0, "date", 1};
	if (person)
		cr_assert_eq(ck_archive_person_json(a, q, &b), 0, "person <%s>: %s", q, ck_error_last());
	else
		cr_assert_eq(ck_archive_search_json(a, &o, &b), 0, "search <%s>: %s", q, ck_error_last());
	for (size_t i = 0; has[i]; i++)
		HAS(b.ptr, has[i]);
	if (hasnt)
		HASNT(b.ptr, hasnt);
	ck_buf_free(&b);
}
#define SEARCH(q, hasnt, ...) expect(a, 0, q, (const char *const[]){__VA_ARGS__, NULL}, hasnt)
#define PERSON(q, ...) expect(a, 1, q, (const char *const[]){__VA_ARGS__, NULL}, NULL)

static void fill(ck_archive *a)
{
	cr_assert_eq(ck_archive_exec(a, "BEGIN"), 0);
	put(a, "CAIRO", 101, "O 091712Z JUL 05", "PREL, EG", "Charge Stuart Jones met the Foreign Minister on July 8.");
	put(a, "CAIRO", 102, "O 091712Z MAR 06", "PREL, EG", "Charge Jones raised the case with the Foreign Minister.");
	put(a, "KUWAIT", 103, "O 091712Z MAY 08", "PREL, KU", "Ambassador Deborah Jones met the Emir on May 8.");
	put(a, "TUNIS", 104, "O 091712Z FEB 05", "PREL, TS", "Ambassador Jones told the Foreign Minister that the visit would go ahead.");
	put(a, "MOSCOW", 105, "O 091712Z JUL 98", "PREL, RS", "Political Counselor John Smith met the Duma speaker.");
	put(a, "KABUL", 106, "O 091712Z JUL 09", "PREL, AF", "Colonel John Smith briefed the Ambassador on the operation.");
	put(a, "KABUL", 107, "O 091712Z SEP 09", "PREL, AF", "Colonel Smith briefed the Ambassador again.");
	cr_assert_eq(ck_archive_exec(a, "COMMIT"), 0);
	resolve(a);
}

Test(persons, bare_surname_joins_the_one_fitting_full_name, .init = db_setup, .fini = db_teardown)
{
	ck_archive *a = NULL;
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_WRITE), 0, "%s", ck_error_last());
	fill(a);
	/* Charge Jones in Cairo 2006 is Charge Stuart Jones of Cairo 2005; the
	 * Ambassador Jones of Tunis 2005 fits neither Jones: a person alone */
	SEARCH("person:\"Stuart Jones\"", "05TUNIS104", "\"total\":2,", "\"id\":\"06CAIRO102\"");
	SEARCH("person:jones_deborah", NULL, "\"total\":1,", "\"id\":\"08KUWAIT103\"");
	/* the surname is every Jones; the facet counts persons, not keys */
	SEARCH("person:jones", NULL, "\"total\":4,",
	       "\"people\":[[\"jones_stuart\",2],[\"jones\",1],[\"jones_deborah\",1]]");
	/* the merge and its reason, the forms of each key, the Joneses apart */
	PERSON("Stuart Jones", "\"key\":\"jones_stuart\",\"total\":2,",
	       "{\"key\":\"jones\",\"why\":2,\"reason\":\"surname + post + years",
	       "\"first\":\"2006-03-09\",\"last\":\"2006-03-09\",\"ids\":[\"06CAIRO102\"],\"forms\":[[\"Charge Jones\",1]]",
	       "{\"key\":\"jones_stuart\",\"why\":0,\"reason\":\"same key\"",
	       "\"kin\":[[\"jones\",1],[\"jones_deborah\",1]]");
	PERSON("jones", "\"key\":\"jones\",\"total\":1,", "\"why\":4,\"reason\":\"surname alone: no full name fits",
	       "\"ids\":[\"05TUNIS104\"]");
	ck_archive_close(a);
}

Test(persons, one_key_two_posts_and_decades_apart, .init = db_setup, .fini = db_teardown)
{
	ck_archive *a = NULL;
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_WRITE), 0, "%s", ck_error_last());
	fill(a);
	/* John Smith of Moscow 1998 and of Kabul 2009 (with Colonel Smith of
	 * Kabul 2009) are two people; his name still finds both */
	SEARCH("person:\"John Smith\"", NULL, "\"total\":3,",
	       "\"people\":[[\"smith_john~embassy-kabul-2009\",2],[\"smith_john\",1]]");
	SEARCH("person:smith_john~embassy-kabul-2009", "98MOSCOW105", "\"total\":2,");
	PERSON("smith_john~embassy-kabul-2009", "\"why\":1,\"reason\":\"same key, one period",
	       "{\"key\":\"smith\",\"why\":2,", "\"kin\":[[\"smith_john\",1]]");
	PERSON("John Smith", "\"key\":\"smith_john\",\"total\":1,");
	ck_archive_close(a);
}

Test(persons, a_later_ingest_groups_its_surnames_again, .init = db_setup, .fini = db_teardown)
{
	ck_archive *a = NULL;
	cr_assert_eq(ck_archive_open(&a, dbpath, CK_ARCHIVE_WRITE), 0, "%s", ck_error_last());
	fill(a);
	/* Ambassador Jones in Kuwait, 2009: Deborah Jones of Kuwait 2008 */
	cr_assert_eq(ck_archive_exec(a, "BEGIN"), 0);
	put(a, "KUWAIT", 108, "O 091712Z JAN 09", "PREL, KU", "Ambassador Jones met the Emir again.");
	cr_assert_eq(ck_archive_exec(a, "COMMIT"), 0);
	resolve(a);
	SEARCH("person:jones_deborah", NULL, "\"total\":2,", "\"id\":\"09KUWAIT108\"");
	/* a new text of the Cairo cable names nobody: Stuart Jones alone */
	cr_assert_eq(ck_archive_exec(a, "BEGIN"), 0);
	put(a, "CAIRO", 102, "O 091712Z MAR 06", "PREL, EG", "The case was raised with the ministry.");
	cr_assert_eq(ck_archive_exec(a, "COMMIT"), 0);
	resolve(a);
	SEARCH("person:jones_stuart", NULL, "\"total\":1,");
	ck_archive_close(a);
}
