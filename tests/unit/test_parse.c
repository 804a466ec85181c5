/* test_parse.c - the telegram parser (src/parse/): header format lines,
 * addressees, classification line, captions and markings, E.O./DECL, TAGS,
 * SUBJECT, REF, Classified By, paragraphs, page headers, signers, encodings,
 * the page evidence of ck_item_parse and the JSON of a parsed cable.  Every
 * input is a small snippet written here from the facts of FORMAT.md. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>

/* string field equals (a NULL field fails with its name) */
#define S_EQ(field, want)                                                        \
	do {                                                                     \
		const char *s_ = (field);                                        \
		cr_assert_not_null(s_, "%s is NULL, want \"%s\"", #field, want); \
		cr_assert_str_eq(s_, want, "%s", #field);                        \
	} while (0)
#define V_EQ(vec, i, want)                                                              \
	do {                                                                            \
		cr_assert_gt((vec).n, (size_t)(i), "%s has %zu items", #vec, (vec).n); \
		S_EQ((vec).v[i], want);                                                 \
	} while (0)

/* a problem of kind whose note holds sub (sub NULL: any note) */
static int has_problem(const ck_cable *c, const char *kind, const char *sub)
{
	for (size_t i = 0; i < c->nproblems; i++)
		if (!strcmp(c->problems[i].kind, kind) && (!sub || strstr(c->problems[i].note, sub)))
			return 1;
	return 0;
}

static ck_cable *parse_n(const char *text, size_t len, int year)
{
	ck_cable *c = NULL;
	ck_parse_opts o = {year, "test", "text", 1};
	cr_assert_eq(ck_parse(&c, text, len, &o), 0);
	cr_assert_not_null(c);
	return c;
}

/* 1 if s is valid UTF-8 (no overlongs or surrogates) */
static int utf8_ok(const char *p)
{
	const unsigned char *s = (const unsigned char *)p;
	while (*s) {
		unsigned c = *s, cp, min;
		int k;
		if (c < 0x80) {
			s++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			k = 1, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			k = 2, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			k = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return 0;
		}
		for (int j = 1; j <= k; j++) {
			if ((s[j] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[j] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		s += k + 1;
	}
	return 1;
}

/* A complete modern cable (the layout of FORMAT.md section 1-2). */
static const char ROME[] =
	"VZCZCXRO6975\n"
	"OO RUEHDBU RUEHFL RUEHKW RUEHLA RUEHROV RUEHSR\n"
	"DE RUEHRO #1497/01 1901712\n"
	"ZNY CCCCC ZZH\n"
	"O 091712Z JUL 07\n"
	"FM AMEMBASSY ROME\n"
	"TO RUEHC/SECSTATE WASHDC IMMEDIATE 8533\n"
	"INFO RUCNDT/USMISSION USUN NEW YORK IMMEDIATE 0774\n"
	"RUEHZL/EUROPEAN POLITICAL COLLECTIVE PRIORITY\n"
	"BT\n"
	"C O N F I D E N T I A L SECTION 01 OF 03 ROME 001497\n"
	"\n"
	"SIPDIS\n"
	"\n"
	"E.O. 12958: DECL: 07/03/2017\n"
	"TAGS: PREL UNSC IT\n"
	"SUBJECT: ITALIANS CAUTIOUS ON UN ENVOY\n"
	"FOR AFGHANISTAN\n"
	"\n"
	"REF: A. STATE 12345 B. ROME 1234\n"
	"\n"
	"Classified By: Political Minister-Counselor David D. Pearce, for reasons 1.4 (b) and (d)\n"
	"\n"
	"1. (C) Summary: Italy is cautious about the envoy. End Summary.\n"
	"\n"
	"2. (C) The minister said the talks would go on\n"
	"ROME 00001497 002.2 OF 003\n"
	"until the autumn.\n"
	"\n"
	"SPOGLI\n";

/* ---- date-time group and FL1-FL4 --------------------------------------- */

Test(parse, dtg_modern)
{
	ck_cable *c = unit_parse(ROME, 0);
	S_EQ(c->date, "2007-07-09T17:12:00Z");
	S_EQ(c->header.dtg, "091712Z JUL 07");
	S_EQ(c->header.dtg_prec, "O");
	S_EQ(c->precedence, "IMMEDIATE");
	cr_assert_eq(unit_nproblems(c, "missing-field"), 0);
	ck_cable_free(c);
}

Test(parse, dtg_dual_precedence_1966)
{
	ck_cable *c = unit_parse("P R 281848Z DEC 66\nFM AMEMBASSY PARIS\nTO SECSTATE WASHDC 2593\n"
				 "S E C R E T PARIS 7682\n\n1. Text.\n",
				 0);
	S_EQ(c->date, "1966-12-28T18:48:00Z");
	S_EQ(c->header.dtg_prec, "P R");
	S_EQ(c->precedence, "PRIORITY");
	S_EQ(c->id, "66PARIS7682");
	ck_cable_free(c);
}

Test(parse, dtg_invalid_day)
{
	ck_cable *c = unit_parse("O 321712Z JUL 07\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC 1\n"
				 "C O N F I D E N T I A L ROME 001497\n\n1. (C) Text.\n",
				 0);
	cr_assert_null(c->date);
	cr_assert_gt(unit_nproblems(c, "missing-field"), 0);
	ck_cable_free(c);
}

Test(parse, dtg_bare_line)
{
	ck_cable *c = unit_parse("291359Z Nov 00\nC O N F I D E N T I A L ROME 001497\n\n1. (C) Text.\n", 0);
	S_EQ(c->date, "2000-11-29T13:59:00Z");
	S_EQ(c->id, "00ROME1497");
	ck_cable_free(c);
}

Test(parse, dtg_calendar)
{
	static const char *const bad[] = {"301712Z FEB 07", "291712Z FEB 07", "311712Z APR 07",
					  "092512Z JUL 07", "091760Z JUL 07", "091712Z FOO 07"};
	char buf[256];
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		snprintf(buf, sizeof buf, "O %s\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC 1\n"
			 "C O N F I D E N T I A L ROME 001497\n\n1. (C) Text.\n", bad[i]);
		ck_cable *c = unit_parse(buf, 0);
		cr_assert_null(c->date, "%s read as %s", bad[i], c->date);
		cr_assert(has_problem(c, "missing-field", "date-time group"), "%s", bad[i]);
		ck_cable_free(c);
	}
	ck_cable *c = unit_parse("O 291712Z FEB 08\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC 1\n"
				 "C O N F I D E N T I A L ROME 001497\n\n1. (C) Text.\n", 0);
	S_EQ(c->date, "2008-02-29T17:12:00Z");
	ck_cable_free(c);
}

Test(parse, fl1_to_fl4)
{
	ck_cable *c = unit_parse(ROME, 0);
	S_EQ(c->header.transmission, "VZCZCXRO6975");
	S_EQ(c->header.relay_prec, "OO");
	cr_assert_eq(c->header.relay.n, 6);
	V_EQ(c->header.relay, 0, "RUEHDBU");
	V_EQ(c->header.relay, 4, "RUEHROV"); /* a station, not a keyword */
	V_EQ(c->header.relay, 5, "RUEHSR");
	S_EQ(c->header.station, "RUEHRO");
	cr_assert_eq(c->header.ssn, 1497);
	cr_assert_eq(c->header.section, 1);
	S_EQ(c->header.julian, "1901712");
	S_EQ(c->header.security, "ZNY CCCCC ZZH");
	ck_cable_free(c);
}

Test(parse, fl2_wrapped)
{
	ck_cable *c = unit_parse("VZCZCXYZ0001\nRR RUEHWEB RUEHAB RUEHBC\nRUEHDE RUEHKU\n"
				 "DE RUEHC #2345 0651200\nZNR UUUUU ZZH\nR 061200Z MAR 09\n"
				 "FM SECSTATE WASHDC\nTO ALL DIPLOMATIC POSTS\n"
				 "UNCLAS STATE 022345\n\n1. Text.\n",
				 0);
	S_EQ(c->header.transmission, "VZCZCXYZ0001");
	S_EQ(c->header.relay_prec, "RR");
	cr_assert_eq(c->header.relay.n, 5);
	V_EQ(c->header.relay, 3, "RUEHDE");
	V_EQ(c->header.relay, 4, "RUEHKU");
	S_EQ(c->header.station, "RUEHC");
	cr_assert_eq(c->header.ssn, 2345);
	cr_assert_eq(c->header.section, 0);
	S_EQ(c->header.security, "ZNR UUUUU ZZH");
	S_EQ(c->precedence, "ROUTINE");
	S_EQ(c->id, "09STATE22345");
	ck_cable_free(c);
}

/* ---- FM / TO / INFO ----------------------------------------------------- */

Test(parse, addressees)
{
	ck_cable *c = unit_parse(ROME, 0);
	S_EQ(c->from, "AMEMBASSY ROME");
	S_EQ(c->origin, "Embassy Rome");
	cr_assert_eq(c->nto, 1);
	S_EQ(c->to[0].route, "RUEHC");
	S_EQ(c->to[0].name, "SECSTATE WASHDC");
	S_EQ(c->to[0].precedence, "IMMEDIATE");
	S_EQ(c->to[0].mcn, "8533");
	cr_assert_eq(c->ninfo, 2);
	S_EQ(c->info[0].route, "RUCNDT");
	S_EQ(c->info[0].name, "USMISSION USUN NEW YORK");
	S_EQ(c->info[0].mcn, "0774");
	S_EQ(c->info[1].route, "RUEHZL");
	S_EQ(c->info[1].name, "EUROPEAN POLITICAL COLLECTIVE");
	S_EQ(c->info[1].precedence, "PRIORITY");
	cr_assert_null(c->info[1].mcn);
	ck_cable_free(c);
}

Test(parse, addressees_niact_range_continuation_xmt)
{
	ck_cable *c = unit_parse("O 151200Z MAY 08\nFM AMEMBASSY PARIS\n"
				 "TO RUEHC/SECSTATE WASHDC NIACT IMMEDIATE 2593-2599\n"
				 "RUEHLO/AMEMBASSY LONDON PRIORITY 0000\n"
				 "INFO RUEHZL/EUROPEAN POLITICAL COLLECTIVE\n"
				 "RUEHBS/USEU BRUSSELS ROUTINE 0112\n"
				 "XMT AMEMBASSY BERLIN\n"
				 "C O N F I D E N T I A L PARIS 002593\n\n1. (C) Text.\n",
				 0);
	cr_assert_eq(c->nto, 2);
	S_EQ(c->to[0].name, "SECSTATE WASHDC");
	S_EQ(c->to[0].precedence, "NIACT IMMEDIATE");
	S_EQ(c->to[0].mcn, "2593-2599");
	S_EQ(c->to[1].route, "RUEHLO");
	S_EQ(c->to[1].name, "AMEMBASSY LONDON");
	S_EQ(c->to[1].mcn, "0000");
	cr_assert_eq(c->ninfo, 2);
	S_EQ(c->info[0].name, "EUROPEAN POLITICAL COLLECTIVE");
	cr_assert_null(c->info[0].mcn);
	S_EQ(c->info[1].name, "USEU BRUSSELS");
	S_EQ(c->info[1].precedence, "ROUTINE");
	/* the XMT post is excluded, not an addressee */
	for (size_t i = 0; i < c->ninfo; i++)
		cr_assert(!strstr(c->info[i].name, "BERLIN"));
	for (size_t i = 0; i < c->nto; i++)
		cr_assert(!strstr(c->to[i].name, "BERLIN"));
	S_EQ(c->precedence, "IMMEDIATE");
	ck_cable_free(c);
}

/* BUG: an addressee wrapped over two lines is read as two addressees.
 * Input: "INFO RUEHZL/EUROPEAN POLITICAL\nCOLLECTIVE\nRUEHBS/USEU BRUSSELS
 * ROUTINE 0112".  Expected (FORMAT.md: "Addressees may wrap over lines"):
 * 2 info addressees, the first named "EUROPEAN POLITICAL COLLECTIVE".
 * Actual: 3, "EUROPEAN POLITICAL" and a route-less "COLLECTIVE".  A line
 * with no route, no precedence and no MCN after an addressee that has a
 * route but neither precedence nor MCN could be read as its continuation. */
Test(parse, addressee_wrapped)
{
	ck_cable *c = unit_parse("O 151200Z MAY 08\nFM AMEMBASSY PARIS\n"
				 "TO RUEHC/SECSTATE WASHDC IMMEDIATE 2593\n"
				 "INFO RUEHZL/EUROPEAN POLITICAL\nCOLLECTIVE\n"
				 "RUEHBS/USEU BRUSSELS ROUTINE 0112\n"
				 "C O N F I D E N T I A L PARIS 002593\n\n1. (C) Text.\n",
				 0);
	cr_assert_eq(c->ninfo, 2);
	S_EQ(c->info[0].route, "RUEHZL");
	S_EQ(c->info[0].name, "EUROPEAN POLITICAL COLLECTIVE");
	S_EQ(c->info[1].name, "USEU BRUSSELS");
	ck_cable_free(c);
}

Test(parse, addressees_zen_and_page_header)
{
	ck_cable *c = unit_parse("O 131535Z MAR 09\nFM SECSTATE WASHDC\n"
				 "TO ZEN/AMCONSUL MILAN IMMEDIATE 0001\n"
				 "RUEHRO/AMEMBASSY ROME 0002\n"
				 "PAGE 02 STATE 050524 131535Z\n"
				 "RUEHFR/AMEMBASSY PARIS 0003\n"
				 "C O N F I D E N T I A L STATE 050524\n\n1. (C) Text.\n",
				 0);
	cr_assert_eq(c->nto, 3);
	S_EQ(c->to[0].name, "AMCONSUL MILAN");
	S_EQ(c->to[0].mcn, "0001");
	S_EQ(c->to[1].name, "AMEMBASSY ROME");
	S_EQ(c->to[2].route, "RUEHFR");
	S_EQ(c->to[2].name, "AMEMBASSY PARIS");
	S_EQ(c->id, "09STATE50524");
	cr_assert_eq(c->nparas, 1);
	cr_assert(!strstr(c->body, "PAGE 02"));
	ck_cable_free(c);
}

Test(parse, addressees_xmt)
{
	ck_cable *c = unit_parse("O 151200Z MAY 08\nFM AMEMBASSY PARIS\nTO RUEHC/SECSTATE WASHDC 1\n"
				 "INFO RUEHZL/EUROPEAN POLITICAL COLLECTIVE\n"
				 "XMT AMEMBASSY BERLIN\nAMEMBASSY BONN\n"
				 "C O N F I D E N T I A L PARIS 002593\n\n1. (C) Text.\n",
				 0);
	cr_assert_eq(c->ninfo, 1);
	cr_assert_eq(c->nxmt, 2);
	S_EQ(c->xmt[0].name, "AMEMBASSY BERLIN");
	S_EQ(c->xmt[1].name, "AMEMBASSY BONN");
	cr_assert_null(c->xmt[0].route);
	ck_cable_free(c);
}

/* ---- classification line ----------------------------------------------- */

Test(parse, banner_letter_spaced_sections)
{
	ck_cable *c = unit_parse(ROME, 0);
	S_EQ(c->classification, "CONFIDENTIAL");
	cr_assert_eq(c->sections, 3);
	S_EQ(c->id, "07ROME1497");
	cr_assert_eq(c->aliases.n, 0);
	ck_cable_free(c);
}

Test(parse, banner_unclas)
{
	ck_cable *c = unit_parse("R 061200Z MAR 09\nFM SECSTATE WASHDC\nTO AMEMBASSY ROME 0001\n"
				 "UNCLAS SECTION 01 OF 02 STATE 022345\n\n1. Text.\n",
				 0);
	S_EQ(c->classification, "UNCLASSIFIED");
	S_EQ(c->marking, "UNCLASSIFIED");
	cr_assert_eq(c->sections, 2);
	S_EQ(c->id, "09STATE22345");
	ck_cable_free(c);
}

Test(parse, banner_typo_secret)
{
	ck_cable *c = unit_parse("O 091712Z JUL 07\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC 1\n"
				 "SS E C R E T ROME 001497\n\n1. (S) Text.\n",
				 0);
	S_EQ(c->classification, "SECRET");
	S_EQ(c->id, "07ROME1497");
	ck_cable_free(c);
}

Test(parse, banner_state_serial_padded)
{
	ck_cable *c = unit_parse("O 091712Z JUL 07\nFM SECSTATE WASHDC\nTO AMEMBASSY ROME 1\n"
				 "S E C R E T STATE 012345\n\n1. (S) Text.\n",
				 0);
	S_EQ(c->classification, "SECRET");
	S_EQ(c->id, "07STATE12345");
	S_EQ(c->origin, "Secretary of State");
	ck_cable_free(c);
}

Test(parse, banner_usun_new_york)
{
	ck_cable *c = unit_parse("O 091712Z JUL 07\nFM USMISSION USUN NEW YORK\nTO SECSTATE WASHDC 1\n"
				 "C O N F I D E N T I A L USUN NEW YORK 000612\n\n1. (C) Text.\n",
				 0);
	S_EQ(c->id, "07USUNNEWYORK612");
	ck_cable_free(c);
}

Test(parse, banner_other_levels)
{
	ck_cable *c = unit_parse("O 091712Z JUL 07\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC 1\n"
		       "LIMITED OFFICIAL USE ROME 001497\n\n1. Text.\n", 0);
	S_EQ(c->classification, "LIMITED OFFICIAL USE");
	S_EQ(c->id, "07ROME1497");
	ck_cable_free(c);
	c = unit_parse("O 091712Z JUL 07\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC 1\n"
		       "S e c r e t ROME 001497\n\n1. (S) Text.\n", 0);
	S_EQ(c->classification, "SECRET");
	S_EQ(c->id, "07ROME1497");
	ck_cable_free(c);
	c = unit_parse("O 091712Z JUL 07\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC 1\n"
		       "UNCLAS EFTO ROME 001497\n\n1. Text.\n", 0);
	S_EQ(c->classification, "UNCLASSIFIED");
	S_EQ(c->id, "07ROME1497");
	ck_cable_free(c);
}

Test(parse, banner_five_digit_serial_and_section_post)
{
	ck_cable *c = unit_parse("R 291400Z NOV 90\nFM AMEMBASSY HARARE\nTO SECSTATE WASHDC 1234\n"
				 "C O N F I D E N T I A L HARARE 06677\n\n1. (C) Text.\n",
				 0);
	S_EQ(c->id, "90HARARE6677");
	S_EQ(c->origin, "Embassy Harare");
	ck_cable_free(c);
	/* the words of "SECTION 01 OF 03" stay out of the id (FORMAT.md 3) */
	c = unit_parse("O 091712Z JUL 09\nFM AMEMBASSY SAN JOSE\nTO SECSTATE WASHDC 1\n"
		       "C O N F I D E N T I A L SECTION 01 OF 03 SAN JOSE 000525\n\n1. (C) Text.\n", 0);
	S_EQ(c->id, "09SANJOSE525");
	cr_assert_eq(c->sections, 3);
	ck_cable_free(c);
}

/* ---- captions and markings --------------------------------------------- */

Test(parse, marking_noforn)
{
	ck_cable *c = unit_parse("O 091712Z JUL 07\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC 1\n"
				 "S E C R E T ROME 001497\n\nNOFORN\nSIPDIS\n\n1. (S/NF) Text.\n",
				 0);
	S_EQ(c->classification, "SECRET");
	S_EQ(c->marking, "SECRET//NOFORN");
	cr_assert_eq(c->caveats.n, 2);
	V_EQ(c->caveats, 0, "NOFORN");
	V_EQ(c->caveats, 1, "SIPDIS");
	ck_cable_free(c);
}

Test(parse, marking_sensitive_fouo)
{
	ck_cable *c = unit_parse("R 061200Z MAR 09\nFM SECSTATE WASHDC\nTO AMEMBASSY ROME 0001\n"
				 "UNCLAS STATE 022345\n\nSENSITIVE\nSIPDIS\n\n1. (SBU) Text.\n",
				 0);
	S_EQ(c->classification, "UNCLASSIFIED");
	S_EQ(c->marking, "UNCLASSIFIED//FOR OFFICIAL USE ONLY");
	ck_cable_free(c);
}

Test(parse, caveats_dedup_in_order)
{
	ck_cable *c = unit_parse("O 091712Z JUL 07\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC 1\n"
				 "C O N F I D E N T I A L ROME 001497\n\nSIPDIS\nSIPDIS\nNOFORN\nSIPDIS\n\n"
				 "1. (C) Text.\n",
				 0);
	cr_assert_eq(c->caveats.n, 2);
	V_EQ(c->caveats, 0, "SIPDIS");
	V_EQ(c->caveats, 1, "NOFORN");
	S_EQ(c->marking, "CONFIDENTIAL//NOFORN");
	ck_cable_free(c);
}

Test(parse, marking_combined_caption_block)
{
	ck_cable *c = unit_parse("O 091712Z JUL 07\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC 1\n"
				 "S E C R E T ROME 001497\n\nSECRET//FGI//NOFORN//MR\n\n1. (S) Text.\n",
				 0);
	S_EQ(c->classification, "SECRET");
	S_EQ(c->marking, "SECRET//NOFORN");
	cr_assert_eq(c->nparas, 1);
	S_EQ(c->paras[0].text, "Text.");
	ck_cable_free(c);
}

/* ---- E.O. / DECL -------------------------------------------------------- */

static ck_cable *with_line(const char *line)
{
	char buf[1024];
	snprintf(buf, sizeof buf,
		 "O 091712Z JUL 07\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC 1\n"
		 "C O N F I D E N T I A L ROME 001497\n\n%s\n\n1. (C) Text of the cable.\n",
		 line);
	return unit_parse(buf, 0);
}

Test(parse, decl_modern)
{
	ck_cable *c = with_line("E.O. 12958: DECL: 07/03/2017");
	cr_assert(c->has_decl);
	S_EQ(c->decl.order, "12958");
	S_EQ(c->decl.date, "2017-07-03");
	S_EQ(c->decl.text, "E.O. 12958: DECL: 07/03/2017");
	ck_cable_free(c);
}

Test(parse, decl_two_digit_year)
{
	ck_cable *c = with_line("EO 12958 DECL: 11/29/10");
	cr_assert(c->has_decl);
	S_EQ(c->decl.order, "12958");
	S_EQ(c->decl.date, "2010-11-29");
	ck_cable_free(c);
}

Test(parse, decl_iso_order)
{
	ck_cable *c = with_line("EO 12958 DECL: 2020/02/26");
	cr_assert(c->has_decl);
	S_EQ(c->decl.date, "2020-02-26");
	ck_cable_free(c);
}

Test(parse, decl_na)
{
	ck_cable *c = with_line("E.O. 12958: N/A");
	cr_assert(c->has_decl);
	S_EQ(c->decl.order, "12958");
	cr_assert_null(c->decl.date);
	ck_cable_free(c);
}

Test(parse, decl_oadr)
{
	ck_cable *c = with_line("E.O. 12356: DECL: OADR");
	cr_assert(c->has_decl);
	S_EQ(c->decl.order, "12356");
	cr_assert_null(c->decl.date);
	S_EQ(c->decl.text, "E.O. 12356: DECL: OADR");
	ck_cable_free(c);
}

Test(parse, decl_older_orders)
{
	ck_cable *c = with_line("E.O. 12958: DECL: 6/30/08");
	S_EQ(c->decl.date, "2008-06-30");
	ck_cable_free(c);
	c = with_line("E.O. 11652: GDS");
	cr_assert(c->has_decl);
	S_EQ(c->decl.order, "11652");
	cr_assert_null(c->decl.date);
	ck_cable_free(c);
	c = with_line("E.O. 12065: GDS 8/12/85 (SMITH, JOHN) OR-P");
	S_EQ(c->decl.order, "12065");
	S_EQ(c->decl.date, "1985-08-12");
	S_EQ(c->decl.text, "E.O. 12065: GDS 8/12/85 (SMITH, JOHN) OR-P");
	ck_cable_free(c);
}

Test(parse, decl_words_kept)
{
	ck_cable *c = with_line("E.O. 12958: DECL: MR");
	cr_assert_null(c->decl.date);
	S_EQ(c->decl.text, "E.O. 12958: DECL: MR");
	ck_cable_free(c);
	c = with_line("E.O. 12958: DECL: TEN YEARS AFTER KOREAN UNIFICATION");
	cr_assert_null(c->decl.date);
	S_EQ(c->decl.text, "E.O. 12958: DECL: TEN YEARS AFTER KOREAN UNIFICATION");
	ck_cable_free(c);
}

/* ---- TAGS --------------------------------------------------------------- */

Test(parse, tags_space)
{
	ck_cable *c = unit_parse(ROME, 0);
	cr_assert_eq(c->tags.n, 3);
	V_EQ(c->tags, 0, "PREL");
	V_EQ(c->tags, 1, "UNSC");
	V_EQ(c->tags, 2, "IT");
	ck_cable_free(c);
}

Test(parse, tags_comma)
{
	ck_cable *c = with_line("TAGS PGOV, PINS, ZI");
	cr_assert_eq(c->tags.n, 3);
	V_EQ(c->tags, 0, "PGOV");
	V_EQ(c->tags, 1, "PINS");
	V_EQ(c->tags, 2, "ZI");
	ck_cable_free(c);
}

Test(parse, tags_wrapped)
{
	ck_cable *c = with_line("TAGS: PREL PGOV ECON\nKDEM IT\nSUBJECT: TWO LINES OF TAGS");
	cr_assert_eq(c->tags.n, 5);
	V_EQ(c->tags, 3, "KDEM");
	V_EQ(c->tags, 4, "IT");
	S_EQ(c->subject, "TWO LINES OF TAGS");
	ck_cable_free(c);
}

Test(parse, tags_plusd_links)
{
	ck_cable *c = with_line("TAGS: [PREL](#) [UNSC](#) [IT](#)");
	cr_assert_eq(c->tags.n, 3);
	V_EQ(c->tags, 0, "PREL");
	V_EQ(c->tags, 1, "UNSC");
	V_EQ(c->tags, 2, "IT");
	ck_cable_free(c);
}

Test(parse, tags_person)
{
	ck_cable *c = with_line("TAGS: PREL OVIP (STEINBERG, JAMES B.) CH");
	cr_assert_eq(c->tags.n, 3);
	V_EQ(c->tags, 0, "PREL");
	V_EQ(c->tags, 1, "OVIP (STEINBERG, JAMES B.)");
	V_EQ(c->tags, 2, "CH");
	ck_cable_free(c);
}

Test(parse, tag_singular)
{
	ck_cable *c = with_line("TAG: PREL, IT\nSUBJECT: ONE TAG LINE");
	cr_assert_eq(c->tags.n, 2);
	V_EQ(c->tags, 0, "PREL");
	V_EQ(c->tags, 1, "IT");
	S_EQ(c->subject, "ONE TAG LINE");
	ck_cable_free(c);
}

/* BUG: a free-word tag in a comma-separated TAGS list is split at its
 * space.  Input: "TAGS: PREL, HUMAN RIGHTS, IT" (FORMAT.md: TAGS "may
 * hold ... free words (HUMAN RIGHTS)"; commas separate the items).
 * Expected: PREL, "HUMAN RIGHTS", IT.  Actual: PREL, HUMAN, RIGHTS, IT. */
Test(parse, tags_comma_free_words)
{
	ck_cable *c = with_line("TAGS: PREL, HUMAN RIGHTS, IT\nSUBJECT: X");
	cr_assert_eq(c->tags.n, 3);
	V_EQ(c->tags, 1, "HUMAN RIGHTS");
	V_EQ(c->tags, 2, "IT");
	ck_cable_free(c);
}

/* "TAGS: SREF, VN HK": a comma item of two codes (VN, a 1970s country code
 * the table lacks, is two capitals) is two tags; a person tag keeps its
 * name; "AND CASEY." ending a list written as prose is no tag. */
Test(parse, tags_comma_item_of_codes)
{
	ck_cable *c = with_line("TAGS: SREF, VN HK\nSUBJECT: X");
	cr_assert_eq(c->tags.n, 3);
	V_EQ(c->tags, 0, "SREF");
	V_EQ(c->tags, 1, "VN");
	V_EQ(c->tags, 2, "HK");
	ck_cable_free(c);
	c = with_line("TAGS: OVIP (STRAUSS, ROBERT S.), PREL\nSUBJECT: X");
	cr_assert_eq(c->tags.n, 2);
	V_EQ(c->tags, 0, "OVIP (STRAUSS, ROBERT S.)");
	ck_cable_free(c);
	c = with_line("TAGS: OVIP, JONES, AND SMITH.\nSUBJECT: X");
	for (size_t i = 0; i < c->tags.n; i++)
		cr_assert(!strstr(c->tags.v[i], "AND") && !strchr(c->tags.v[i], '.'), "tag %s", c->tags.v[i]);
	V_EQ(c->tags, 2, "SMITH");
	cr_assert(has_problem(c, "tags", "AND"));
	ck_cable_free(c);
}

/* a short 1970s telegram from Lome: its DTG line and classification line */
static ck_cable *lome(const char *dtg, const char *classline)
{
	char t[256];
	snprintf(t, sizeof t, "%s\nFM AMEMBASSY LOME\nTO SECSTATE WASHDC 812\n%s\n\n1. Text.\n", dtg, classline);
	return unit_parse(t, 0);
}

/* "C O N F I D E N TI A L": letter-spacing with two letters run together
 * is still the level, and the repair is reported */
Test(parse, class_letter_spacing_glitch)
{
	ck_cable *c = lome("R 291123Z APR 76", "C O N F I D E N TI A L LOME 1444");
	S_EQ(c->classification, "CONFIDENTIAL");
	S_EQ(c->id, "76LOME1444");
	cr_assert(has_problem(c, "classification", "run together"));
	ck_cable_free(c);
	/* the usual forms are no repair */
	c = lome("R 291123Z APR 76", "SS E C R E T LOME 1444");
	S_EQ(c->classification, "SECRET");
	cr_assert_eq(unit_nproblems(c, "classification"), 0);
	ck_cable_free(c);
}

/* "R 290905 NOV 73": a date-time group without its Z, on a line that is
 * otherwise a whole group, is read and reported */
Test(parse, dtg_without_z)
{
	ck_cable *c = lome("R 290905 NOV 73", "UNCLAS LOME 3641");
	S_EQ(c->date, "1973-11-29T09:05:00Z");
	S_EQ(c->precedence, "ROUTINE");
	S_EQ(c->id, "73LOME3641");
	cr_assert(has_problem(c, "date", "without its Z"));
	ck_cable_free(c);
	/* more after the group: not taken */
	c = lome("R 290905 NOV 73 AND MORE", "UNCLAS LOME 3641");
	cr_assert_null(c->date);
	ck_cable_free(c);
}

/* a 1970s State printout (PAGE 01, ORIGIN/INFO, dashes line, DTG, FM/TO,
 * classification line, E.O., TAGS) with the printout lines after INFO
 * (line 5 on: DRAFTED BY ...) and the text after TAGS (line 14 on when
 * printout holds 2 lines: SUBJECT ...); the caller frees it */
static ck_cable *state70(const char *printout, const char *text)
{
	char t[2048];
	snprintf(t, sizeof t,
		 "LIMITED OFFICIAL USE\nPAGE 01 STATE 061234\nORIGIN EUR-25\nINFO OCT-01 ISO-00 /026 R\n%s"
		 "------------------ 012345\nP 121530Z MAR 73\nFM SECSTATE WASHDC\nTO AMEMBASSY ROME PRIORITY\n"
		 "LIMITED OFFICIAL USE STATE 061234\nE.O. 11652: N/A\nTAGS: PFOR, IT\n%s",
		 printout, text);
	return unit_parse(t, 0);
}

/* a problem of kind at line whose note holds sub */
static int problem_at(const ck_cable *c, const char *kind, int line, const char *sub)
{
	for (size_t i = 0; i < c->nproblems; i++)
		if (!strcmp(c->problems[i].kind, kind) && c->problems[i].line == line &&
		    strstr(c->problems[i].note, sub))
			return 1;
	return 0;
}

/* DRAFTED BY / APPROVED BY / clearances: the drafting date and the
 * extension after the name are cut the same way for all three (reported
 * where they stand), also on a line of their own under DRAFTED BY */
Test(parse, seventies_printout_name_date_ext)
{
	ck_cable *c = state70("DRAFTED BY EUR/WE:JSMITH:LM 3/12/73 EXT 21234\n"
			      "APPROVED BY EUR:RJONES 12/3/73\n"
			      "S/ S-O:TMARLOW X21234\n"
			      "EUR/WE - MR. BROWN, EXT. 2-1234\n",
			      "SUBJECT: TALKS\n\n1. TEXT.\n");
	S_EQ(c->drafter, "EUR/WE:JSMITH:LM");
	S_EQ(c->approver, "EUR:RJONES");
	cr_assert_eq(c->clearances.n, 2);
	V_EQ(c->clearances, 0, "S/S-O:TMARLOW");
	V_EQ(c->clearances, 1, "EUR/WE - MR. BROWN");
	cr_assert(problem_at(c, "printout", 5, "3/12/73 EXT 21234"));
	cr_assert(problem_at(c, "printout", 6, "12/3/73"));
	cr_assert(problem_at(c, "printout", 7, "X21234"));
	cr_assert(problem_at(c, "printout", 8, "EXT. 2-1234"));
	ck_cable_free(c);
	/* a date line of its own under DRAFTED BY is not joined to the name */
	c = state70("DRAFTED BY AF/ W: RKSHERWOOD: RCB\n4/16/73 X-22637\nAPPROVED BY AF/ W: ORAGGREY\n",
		    "SUBJECT: TALKS\n\n1. TEXT.\n");
	S_EQ(c->drafter, "AF/W: RKSHERWOOD: RCB");
	S_EQ(c->approver, "AF/W: ORAGGREY");
	cr_assert_eq(c->clearances.n, 0);
	cr_assert(problem_at(c, "printout", 6, "4/16/73 X-22637"));
	ck_cable_free(c);
}

/* what looks like a date or an extension only as a whole word: names with
 * X or EXT in them, a suffix after a comma, typist initials stay */
Test(parse, seventies_printout_name_kept)
{
	ck_cable *c = state70("DRAFTED BY S/PM: PPCLAXTON, JR.\nAPPROVED BY EUR:XAVIERS\nEB/AN:EXTON\n",
			      "SUBJECT: TALKS\n\n1. TEXT.\n");
	S_EQ(c->drafter, "S/PM: PPCLAXTON, JR.");
	S_EQ(c->approver, "EUR:XAVIERS");
	V_EQ(c->clearances, 0, "EB/AN:EXTON");
	cr_assert_eq(unit_nproblems(c, "printout"), 0);
	ck_cable_free(c);
}

/* Where SUBJECT and REF end in 1970s text without blank lines: the text
 * after TAGS (its first line is line 14), the subject and the number of
 * references expected, and the problem (kind, line) of the end decided,
 * or none (kind NULL: no subject or references problem). */
static const struct {
	const char *text, *subject;
	size_t nrefs;
	const char *kind;
	int line;
} field_ends[] = {
	/* a linking word ends the line: the subject goes on */
	{"SUBJECT: TALKS WITH THE\nMINISTER OF TRADE\nTHE MINISTER SAID HE WOULD WAIT.\n", "TALKS WITH THE MINISTER OF TRADE",
	 0, "subject", 16},
	/* linking punctuation */
	{"SUBJECT: CIVAIR:\nCHARTER RULES\nTHE BOARD WILL DECIDE.\n", "CIVAIR: CHARTER RULES", 0, "subject", 16},
	/* a joining word starts the next line */
	{"SUBJECT: TALKS ON WHEAT\nAND FEED GRAINS\nTHE MINISTER SAID HE WOULD WAIT.\n", "TALKS ON WHEAT AND FEED GRAINS", 0,
	 "subject", 16},
	/* lower case goes on; the text starts with a capital */
	{"SUBJECT: Talks on wheat\nand feed grains\nThe Minister said he would wait.\n", "Talks on wheat and feed grains", 0,
	 "subject", 16},
	/* "MR." ends no sentence; "JONES" alone before a blank line is no text */
	{"SUBJECT: CALL ON MR.\nJONES\n\n1. TEXT.\n", "CALL ON MR. JONES", 0, NULL, 0},
	/* a blank line or a paragraph number ends the subject: nothing decided */
	{"SUBJECT: LUMBER\n\nTHE MINISTER SAID HE WOULD WAIT.\n", "LUMBER", 0, NULL, 0},
	{"SUBJECT: LUMBER\n1. THE MINISTER SAID HE WOULD WAIT.\n", "LUMBER", 0, NULL, 0},
	/* REF: a connector, bare serials, a parenthesis, then the text (no
	 * separator after OTTAWA 3310: the serials stay in its item) */
	{"SUBJECT: LUMBER\nREF: STATE 201144 AND\nOTTAWA 3310\n3312, 3315\n(NOTAL)\nTHE MINISTER SAID HE WOULD WAIT.\n",
	 "LUMBER", 2, "references", 19},
	/* a labelled item after a blank line stays in the list */
	{"SUBJECT: LUMBER\nREF: A. STATE 201144\n\nB. OTTAWA 3310\nTHE MINISTER SAID HE WOULD WAIT.\n", "LUMBER", 2,
	 "references", 18},
	/* "PARA 3" is no post and serial */
	{"SUBJECT: LUMBER\nREF: STATE 201144\nPARA 3 OF REFTEL ASKED FOR A REPLY.\n", "LUMBER", 1, "references", 16},
	/* a nickname and its serials go on with the list (EMBTELS: Rome's two);
	 * a word ending in TEL that is no nickname does not */
	{"SUBJECT: LUMBER\nREF: STATE 201144\nEMBTELS 3310 AND 3312\nTHE MINISTER SAID HE WOULD WAIT.\n", "LUMBER", 3,
	 "references", 17},
	{"SUBJECT: LUMBER\nREF: STATE 201144\nHOTEL 5 WAS BOOKED FOR THE DELEGATION.\n", "LUMBER", 1, "references", 16},
};

Test(parse, seventies_subject_ref_ends)
{
	for (size_t i = 0; i < sizeof field_ends / sizeof *field_ends; i++) {
		ck_cable *c = state70("DRAFTED BY EUR/WE:JSMITH:LM\nAPPROVED BY EUR:RJONES\n", field_ends[i].text);
		S_EQ(c->subject, field_ends[i].subject);
		cr_assert_eq(c->nrefs, field_ends[i].nrefs, "case %zu: %zu references", i, c->nrefs);
		cr_assert_eq(unit_nproblems(c, "subject") + unit_nproblems(c, "references"), field_ends[i].kind ? 1 : 0,
			     "case %zu", i);
		if (field_ends[i].kind)
			cr_assert(problem_at(c, field_ends[i].kind, field_ends[i].line, "the text starts here"), "case %zu",
				  i);
		cr_assert_gt(c->nparas, 0, "case %zu: the text is a paragraph", i);
		ck_cable_free(c);
	}
}

/* PlusD's release stamp inside a paragraph: cut out, the sentence
 * rejoined, the release recorded in review; the stamp is no signer */
Test(parse, release_stamp_in_text)
{
#define STAMP "Jane Q. Reviewer Declassified/Released US Department of State EO Systematic Review 04 May 2012\n"
	ck_cable *c = unit_parse("O 091712Z JUL 07\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC 1\n"
				 "C O N F I D E N T I A L ROME 001497\n\nSUBJECT: X\n\n"
				 "1. THE TALKS WENT ON\n" STAMP "UNTIL LATE.\n\nJONES\n" STAMP, 0);
#undef STAMP
	cr_assert_eq(c->nreview, 1);
	S_EQ(c->review[0].by, "Jane Q. Reviewer");
	S_EQ(c->review[0].date, "2012-05-04");
	S_EQ(c->review[0].kind, "marking");
	cr_assert_null(strstr(c->body, "Declassified"));
	int found = 0;
	for (size_t i = 0; i < c->nparas; i++)
		found |= strstr(c->paras[i].text, "THE TALKS WENT ON UNTIL LATE.") != NULL;
	cr_assert(found);
	V_EQ(c->signers, 0, "JONES");
	cr_assert(has_problem(c, "stamp", NULL));
	ck_cable_free(c);
}

/* ---- SUBJECT ------------------------------------------------------------ */

Test(parse, subject_wrapped)
{
	ck_cable *c = unit_parse(ROME, 0);
	S_EQ(c->subject, "ITALIANS CAUTIOUS ON UN ENVOY FOR AFGHANISTAN");
	ck_cable_free(c);
}

Test(parse, subj_short_form)
{
	ck_cable *c = with_line("SUBJ: TALKS WITH THE\nMINISTER\n\nREF: ROME 1234");
	S_EQ(c->subject, "TALKS WITH THE MINISTER");
	cr_assert_eq(c->nrefs, 1);
	ck_cable_free(c);
}

/* A line-end hyphen in the subject: the hyphen stays and the lines join
 * ("GUINEA-" / "BISSAU"), unless the parts are a word the cable writes
 * whole elsewhere, neither part alone ("AMBASS-" / "ADOR"), reported. */
Test(parse, subject_line_end_hyphen)
{
	ck_cable *c = with_line("SUBJECT: MESSAGE FROM GUINEA-\nBISSAU FOREIGN MINISTER");
	S_EQ(c->subject, "MESSAGE FROM GUINEA-BISSAU FOREIGN MINISTER");
	cr_assert_eq(unit_nproblems(c, "subject"), 0);
	ck_cable_free(c);
	c = with_line("SUBJECT: CREDENTIALS OF AMBASS-\nADOR JONES\n\n2. THE AMBASSADOR ARRIVED.");
	S_EQ(c->subject, "CREDENTIALS OF AMBASSADOR JONES");
	cr_assert(has_problem(c, "subject", "AMBASS-"));
	ck_cable_free(c);
	/* no whole word elsewhere: the hyphen stays */
	c = with_line("SUBJECT: CREDENTIALS OF AMBASS-\nADOR JONES");
	S_EQ(c->subject, "CREDENTIALS OF AMBASS-ADOR JONES");
	ck_cable_free(c);
}

/* ---- REF ---------------------------------------------------------------- */

Test(parse, refs_labels)
{
	ck_cable *c = unit_parse(ROME, 0);
	cr_assert_eq(c->nrefs, 2);
	S_EQ(c->refs[0].label, "A");
	S_EQ(c->refs[0].text, "STATE 12345");
	S_EQ(c->refs[0].id, "07STATE12345");
	S_EQ(c->refs[1].label, "B");
	S_EQ(c->refs[1].text, "ROME 1234");
	S_EQ(c->refs[1].id, "07ROME1234");
	ck_cable_free(c);
}

Test(parse, refs_paren_and_previous)
{
	ck_cable *c = with_line("REF: (A) PARIS 7682 AND PREVIOUS (B) STATE 9876");
	cr_assert_eq(c->nrefs, 2);
	S_EQ(c->refs[0].label, "A");
	S_EQ(c->refs[0].id, "07PARIS7682");
	S_EQ(c->refs[1].label, "B");
	S_EQ(c->refs[1].id, "07STATE9876");
	ck_cable_free(c);
}

Test(parse, refs_half_paren)
{
	ck_cable *c = with_line("REF: A) TALLINN 366 B) RIGA 45");
	cr_assert_eq(c->nrefs, 2);
	S_EQ(c->refs[0].label, "A");
	S_EQ(c->refs[0].id, "07TALLINN366");
	S_EQ(c->refs[1].id, "07RIGA45");
	ck_cable_free(c);
}

Test(parse, refs_years)
{
	ck_cable *c = with_line("REF: A. 06 TBILISI 2601; B. 2005 MANAGUA 2135; C. DOHA 152 (08)");
	cr_assert_eq(c->nrefs, 3);
	S_EQ(c->refs[0].id, "06TBILISI2601");
	S_EQ(c->refs[1].id, "05MANAGUA2135");
	S_EQ(c->refs[2].id, "08DOHA152");
	ck_cable_free(c);
}

Test(parse, refs_secstate_and_non_cable)
{
	ck_cable *c = with_line("REFS: A. SECSTATE 326258 B. E-MAIL FROM POLOFF TO EUR/WE");
	cr_assert_eq(c->nrefs, 2);
	S_EQ(c->refs[0].id, "07STATE326258");
	S_EQ(c->refs[1].label, "B");
	cr_assert_null(c->refs[1].id);
	cr_assert(strstr(c->refs[1].text, "E-MAIL FROM POLOFF"));
	ck_cable_free(c);
}

Test(parse, refs_across_page_header)
{
	ck_cable *c = unit_parse("O 091712Z JUL 07\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC 1\n"
				 "C O N F I D E N T I A L SECTION 01 OF 02 ROME 001497\n\n"
				 "SUBJECT: A LONG REF LIST\n\n"
				 "REF: A. STATE 12345 B. ROME 1234\n"
				 "ROME 00001497 002.2 OF 002\n"
				 "C. PARIS 777\n\n"
				 "1. (C) Text of the cable.\n",
				 0);
	cr_assert_eq(c->nrefs, 3);
	S_EQ(c->refs[2].label, "C");
	S_EQ(c->refs[2].id, "07PARIS777");
	cr_assert(has_problem(c, "page-header", NULL));
	ck_cable_free(c);
}

Test(parse, refs_continuation_lines)
{
	ck_cable *c = with_line("REF: A. STATE 12345\n     B. ROME 1234\n     C. PARIS 55");
	cr_assert_eq(c->nrefs, 3);
	S_EQ(c->refs[1].label, "B");
	S_EQ(c->refs[1].id, "07ROME1234");
	S_EQ(c->refs[2].label, "C");
	S_EQ(c->refs[2].id, "07PARIS55");
	ck_cable_free(c);
}

Test(parse, refs_fragment_with_year)
{
	ck_cable *c = unit_parse("REF: A. STATE 12345 B. ROME 1234\n", 2008);
	cr_assert_eq(c->nrefs, 2);
	S_EQ(c->refs[0].id, "08STATE12345");
	S_EQ(c->refs[1].id, "08ROME1234");
	ck_cable_free(c);
}

Test(parse, refs_fragment_without_year)
{
	ck_cable *c = unit_parse("REF: A. STATE 12345 B. ROME 1234\n", 0);
	cr_assert_eq(c->nrefs, 2);
	S_EQ(c->refs[0].text, "STATE 12345");
	cr_assert_null(c->refs[0].id);
	cr_assert_null(c->refs[1].id);
	cr_assert_gt(unit_nproblems(c, "reference-year"), 0);
	ck_cable_free(c);
}

/* BUG: after a ";" the next reference's label is lost and the previous
 * one repeated.  Input: "REF: A) STATE 4567; B) ROME 99" (also "A. ...;
 * B. ..." and "(A) ...; (B) ...").  Expected labels "A", "B".  Actual:
 * "A", "A" (ids and texts are right; "A) ... B) ..." without ";" works). */
Test(parse, refs_semicolon_labels)
{
	ck_cable *c = with_line("REF: A) STATE 4567; B) ROME 99");
	cr_assert_eq(c->nrefs, 2);
	S_EQ(c->refs[0].label, "A");
	S_EQ(c->refs[1].label, "B");
	S_EQ(c->refs[1].text, "ROME 99");
	S_EQ(c->refs[1].id, "07ROME99");
	ck_cable_free(c);
}

Test(parse, refs_reftel_and_places)
{
	ck_cable *c = with_line("REFTEL: STATE 4567");
	cr_assert_eq(c->nrefs, 1);
	cr_assert_null(c->refs[0].label);
	S_EQ(c->refs[0].text, "STATE 4567");
	S_EQ(c->refs[0].id, "07STATE4567");
	ck_cable_free(c);
	c = with_line("REF: A. RIO DE JANEIRO 123 B. USUN NEW YORK 45");
	cr_assert_eq(c->nrefs, 2);
	S_EQ(c->refs[0].id, "07RIODEJANEIRO123");
	S_EQ(c->refs[1].id, "07USUNNEWYORK45");
	ck_cable_free(c);
}

/* Serial lists after one post: one reference per cable, each with the
 * item's label; the ids (space-separated) and the text of the last. */
static const struct {
	const char *line, *ids, *last_text;
} serial_lists[] = {
	{"REF: OTTAWA 3310, 3312 AND 3315", "07OTTAWA3310 07OTTAWA3312 07OTTAWA3315", "3315"},
	{"REF: STATE 12345, 12367", "07STATE12345 07STATE12367", "12367"},
	{"REF: A. ROME 1234 AND 1240 B. PARIS 55", "07ROME1234 07ROME1240 07PARIS55", "PARIS 55"},
	{"REF: ROME 1234, 1240, AND 1250", "07ROME1234 07ROME1240 07ROME1250", "1250"},
	{"REF: ROME 1234 & 1240", "07ROME1234 07ROME1240", "1240"},
	/* a date after a serial is skipped; a year after one is its own */
	{"REF: ROME 1234 OF MAY 5, 2007 AND 1240 OF MAY 7", "07ROME1234 07ROME1240", "1240 OF MAY 7"},
	{"REF: ROME 1234 AND 1240 (06)", "07ROME1234 06ROME1240", "1240 (06)"},
	/* PREVIOUS is no serial */
	{"REF: PARIS 7682 AND PREVIOUS", "07PARIS7682", "PARIS 7682 AND PREVIOUS"},
	/* numbers that are no serials: paragraphs, dates, years, counts */
	{"REF: ROME 1234, PARA 3", "07ROME1234", "ROME 1234, PARA 3"},
	{"REF: ROME 1234 PARAS 3 AND 4", "07ROME1234", "ROME 1234 PARAS 3 AND 4"},
	{"REF: ROME 1234 OF MAY 5", "07ROME1234", "ROME 1234 OF MAY 5"},
	{"REF: STATE 1234 AND 5 MAY", "07STATE1234", "STATE 1234 AND 5 MAY"},
	{"REF: STATE 1234, 2007", "07STATE1234", "STATE 1234, 2007"},
	{"REF: STATE 1234 AND 3 OTHERS", "07STATE1234", "STATE 1234 AND 3 OTHERS"},
	{"REF: STATE 1234, 300 TONS", "07STATE1234", "STATE 1234, 300 TONS"},
	{"REF: STATE 1234, 56", "07STATE1234", "STATE 1234, 56"},
};

/* The reference ids of c, space-separated ("null" for none), into ids. */
static const char *ref_ids(const ck_cable *c, char *ids, size_t sz)
{
	ids[0] = 0;
	for (size_t k = 0; k < c->nrefs; k++)
		snprintf(ids + strlen(ids), sz - strlen(ids), "%s%s", k ? " " : "", c->refs[k].id ? c->refs[k].id : "null");
	return ids;
}

Test(parse, refs_serial_lists)
{
	for (size_t i = 0; i < sizeof serial_lists / sizeof *serial_lists; i++) {
		ck_cable *c = with_line(serial_lists[i].line);
		char ids[256];
		cr_assert_str_eq(ref_ids(c, ids, sizeof ids), serial_lists[i].ids, "%s", serial_lists[i].line);
		S_EQ(c->refs[c->nrefs - 1].text, serial_lists[i].last_text);
		for (size_t k = 1; k < c->nrefs && i == 2; k++)
			S_EQ(c->refs[k].label, k < 2 ? "A" : "B");
		ck_cable_free(c);
	}
}

/* Telegram nicknames: the citing cable's FM and TO lines and its
 * classification line, the REF line, the ids expected and how many
 * reference-post problems (whose telegram the cable does not say). */
static const struct {
	const char *addr, *banner, *line, *ids;
	int problems;
} nicknames[] = {
	/* an embassy's cable: DEPTEL the Department's, EMBTEL and MYTEL its own, URTEL the addressee's */
	{"FM AMEMBASSY ROME\nTO SECSTATE WASHDC 1", "CONFIDENTIAL ROME 1497",
	 "REF: A. DEPTEL 4471 B. EMBTEL 1234 C. URTEL 55 D. MYTEL 66 E. OURTEL 67 F. Deptel 4472",
	 "74STATE4471 74ROME1234 74STATE55 74ROME66 74ROME67 74STATE4472", 0},
	/* the Department's cable to one embassy: EMBTEL and YOURTEL are that embassy's; years */
	{"FM SECSTATE WASHDC\nTO AMEMBASSY OTTAWA\nINFO AMCONSUL MONTREAL", "CONFIDENTIAL STATE 4001",
	 "REF: A. EMBTELS 3310 AND 3312 B. YOURTEL 12 C. DEPTEL 4471 (1973) D. 73 DEPTEL 4472",
	 "74OTTAWA3310 74OTTAWA3312 74OTTAWA12 73STATE4471 73STATE4472", 0},
	/* two action addressees: EMBTEL and URTEL undecided, MYTEL still the sender's */
	{"FM SECSTATE WASHDC\nTO AMEMBASSY OTTAWA\nAMEMBASSY PARIS", "CONFIDENTIAL STATE 4001",
	 "REF: A. EMBTEL 3310 B. URTEL 12 C. MYTEL 5", "null null 74STATE5", 2},
	/* a mission addressed: no embassy for EMBTEL; URTEL is the mission's */
	{"FM SECSTATE WASHDC\nTO USMISSION USUN NEW YORK", "CONFIDENTIAL STATE 4001", "REF: A. EMBTEL 3310 B. URTEL 12",
	 "null 74USUNNEWYORK12", 1},
	/* a consulate's cable: EMBTEL undecided, MYTEL its own */
	{"FM AMCONSUL MONTREAL\nTO SECSTATE WASHDC", "CONFIDENTIAL MONTREAL 77", "REF: A. EMBTEL 3310 B. MYTEL 5",
	 "null 74MONTREAL5", 1},
	/* no FM line: the classification line's post; no TO line: URTEL undecided */
	{"", "CONFIDENTIAL ROME 1497", "REF: A. EMBTEL 3310 B. MYTEL 5 C. URTEL 6", "74ROME3310 74ROME5 null", 1},
	/* REFTEL is a word, not a post */
	{"FM AMEMBASSY ROME\nTO SECSTATE WASHDC 1", "CONFIDENTIAL ROME 1497", "REF: A. REFTEL B. REFTEL 1234", "null null", 0},
};

Test(parse, refs_nicknames)
{
	for (size_t i = 0; i < sizeof nicknames / sizeof *nicknames; i++) {
		char buf[1024], ids[256];
		snprintf(buf, sizeof buf, "O 091712Z JUL 74\n%s\n%s\n\nSUBJECT: X\n%s\n\n1. (C) TEXT.\n", nicknames[i].addr,
			 nicknames[i].banner, nicknames[i].line);
		ck_cable *c = unit_parse(buf, 0);
		cr_assert_str_eq(ref_ids(c, ids, sizeof ids), nicknames[i].ids, "case %zu", i);
		cr_assert_eq(unit_nproblems(c, "reference-post"), nicknames[i].problems, "case %zu", i);
		cr_assert_eq(unit_nproblems(c, "reference-year"), 0, "case %zu", i);
		ck_cable_free(c);
	}
}

/* ---- Classified By ------------------------------------------------------ */

Test(parse, classified_by_title_name)
{
	ck_cable *c = unit_parse(ROME, 0);
	cr_assert(c->has_classified_by);
	S_EQ(c->classified_by.name, "David D. Pearce");
	S_EQ(c->classified_by.title, "Political Minister-Counselor");
	cr_assert_eq(c->classified_by.reasons.n, 2);
	V_EQ(c->classified_by.reasons, 0, "1.4(b)");
	V_EQ(c->classified_by.reasons, 1, "1.4(d)");
	ck_cable_free(c);
}

static void reasons_are(const char *line, const char *r1, const char *r2)
{
	ck_cable *c = with_line(line);
	cr_assert(c->has_classified_by, "%s", line);
	size_t want = r2 ? 2 : 1;
	cr_assert_eq(c->classified_by.reasons.n, want, "%s: %zu reasons", line,
		     c->classified_by.reasons.n);
	V_EQ(c->classified_by.reasons, 0, r1);
	if (r2)
		V_EQ(c->classified_by.reasons, 1, r2);
	ck_cable_free(c);
}

Test(parse, classified_by_spellings)
{
	reasons_are("CLASSIFIED BY: DCM JANE DOE, REASONS 1.4(B), (D)", "1.4(b)", "1.4(d)");
	reasons_are("Classified By: Ambassador John Smith for reasons 1.4 b/d", "1.4(b)", "1.4(d)");
	reasons_are("CLASSIFIED BY: POLOFF JANE DOE. REASON: 1.4(B)", "1.4(b)", NULL);
	reasons_are("CLASSIFIED BY AMBASSADOR JOHN SMITH. REASONS: 1.5 (B) AND (D)", "1.5(b)", "1.5(d)");
}

Test(parse, classified_by_derived)
{
	ck_cable *c = with_line("Classified By: Derived from Multiple Sources");
	cr_assert(c->has_classified_by);
	cr_assert_null(c->classified_by.name);
	cr_assert(strstr(c->classified_by.text, "Derived from Multiple Sources"));
	ck_cable_free(c);
}

/* BUG: a "Classified By:" line inside paragraph 1 is not read (FORMAT.md:
 * the line is "sometimes inside paragraph 1").  Input: "1. (C) Classified
 * By: Ambassador Ronald P. Spogli for reasons 1.4 (b) and (d)."  Expected:
 * has_classified_by, name "Ronald P. Spogli", reasons 1.4(b), 1.4(d).
 * Actual: has_classified_by 0; the line stays paragraph 1's text. */
Test(parse, classified_by_in_paragraph_one)
{
	ck_cable *c = with_line("SUBJECT: X\n\n1. (C) Classified By: Ambassador Ronald P. Spogli for "
				"reasons 1.4 (b) and (d).\n\n2. (C) More text.");
	cr_assert(c->has_classified_by);
	S_EQ(c->classified_by.name, "Ronald P. Spogli");
	cr_assert_eq(c->classified_by.reasons.n, 2);
	V_EQ(c->classified_by.reasons, 1, "1.4(d)");
	ck_cable_free(c);
}

/* ---- paragraphs --------------------------------------------------------- */

static ck_cable *with_body(const char *body)
{
	char buf[4096];
	snprintf(buf, sizeof buf,
		 "O 091712Z JUL 07\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC 1\n"
		 "S E C R E T ROME 001497\n\nSUBJECT: PARAGRAPHS\n\n%s",
		 body);
	return unit_parse(buf, 0);
}

Test(parse, paragraph_markings)
{
	ck_cable *c = with_body("1. (C) Confidential one.\n\n2. (SBU) Sensitive two.\n\n"
				"3. (S/NF) Secret three.\n\n4. (C - ENTIRE TEXT) Whole four.\n\n"
				"5. No marking five.\n");
	cr_assert_eq(c->nparas, 5);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(c->paras[i].n, i + 1);
	S_EQ(c->paras[0].marking, "C");
	S_EQ(c->paras[0].text, "Confidential one.");
	S_EQ(c->paras[1].marking, "SBU");
	S_EQ(c->paras[2].marking, "S/NF");
	S_EQ(c->paras[2].text, "Secret three.");
	S_EQ(c->paras[3].marking, "C - ENTIRE TEXT");
	S_EQ(c->paras[3].text, "Whole four.");
	cr_assert_null(c->paras[4].marking);
	S_EQ(c->paras[4].text, "No marking five.");
	ck_cable_free(c);
}

Test(parse, paragraph_markings_more)
{
	ck_cable *c = with_body("1. (C/REL AUS) a.\n\n2. (U//FOUO) b.\n\n3. (S//NF) c.\n\n4. (U) d.\n");
	cr_assert_eq(c->nparas, 4);
	S_EQ(c->paras[0].marking, "C/REL AUS");
	S_EQ(c->paras[1].marking, "U//FOUO");
	S_EQ(c->paras[2].marking, "S//NF");
	S_EQ(c->paras[3].marking, "U");
	S_EQ(c->paras[3].text, "d.");
	ck_cable_free(c);
}

Test(parse, summary_upper_case)
{
	ck_cable *c = with_body("1. (S) SUMMARY. The point is made\nhere. END SUMMARY.\n\n2. (S) Next.\n");
	S_EQ(c->summary, "The point is made here.");
	cr_assert_eq(c->nparas, 2);
	ck_cable_free(c);
}

Test(parse, line_separators)
{
	ck_cable *c = with_body("1. (S) One\xe2\x80\xa8two \xe2\x80\x9cquoted\xe2\x80\x9d.\n");
	cr_assert_eq(c->nparas, 1);
	S_EQ(c->paras[0].text, "One two \xe2\x80\x9cquoted\xe2\x80\x9d.");
	ck_cable_free(c);
}

Test(parse, paragraph_unnumbered_and_later_section)
{
	ck_cable *c = with_body("The whole text without numbers.\nSecond line.\n\nSPOGLI\n");
	cr_assert_eq(c->nparas, 1);
	cr_assert_eq(c->paras[0].n, 0);
	S_EQ(c->paras[0].text, "The whole text without numbers. Second line.");
	V_EQ(c->signers, 0, "SPOGLI");
	ck_cable_free(c);
	c = with_body("3. (S) A later section starts at three.\n");
	cr_assert_eq(c->paras[0].n, 3);
	cr_assert(has_problem(c, "paragraph-number", "numbered 3"));
	ck_cable_free(c);
}

Test(parse, paragraph_lines_joined)
{
	ck_cable *c = with_body("1. (S) The first line\nand the second line.\n");
	cr_assert_eq(c->nparas, 1);
	S_EQ(c->paras[0].text, "The first line and the second line.");
	ck_cable_free(c);
}

Test(parse, heading_underlined)
{
	ck_cable *c = with_body("1. (S) Before.\n\nTHE ECONOMY\n-----------\n\n2. (S) After.\n");
	cr_assert_eq(c->nparas, 2);
	cr_assert_null(c->paras[0].heading);
	S_EQ(c->paras[1].heading, "THE ECONOMY");
	S_EQ(c->paras[1].text, "After.");
	ck_cable_free(c);
}

Test(parse, heading_markdown)
{
	ck_cable *c = with_body("#### The Economy\n\n-----\n\n\xc2\xb6" "1. (S) After.\n");
	cr_assert_eq(c->nparas, 1);
	S_EQ(c->paras[0].heading, "The Economy");
	cr_assert_eq(c->paras[0].n, 1);
	S_EQ(c->paras[0].text, "After.");
	ck_cable_free(c);
}

Test(parse, paragraph_number_mangled)
{
	ck_cable *c = with_body("\xc2\xb6" "5. (S) Five.\n\n\xc2\xb6" "6. (S) Six.\n\n"
				"\xc2\xb6" "17. (S) Seven really.\n\n\xc2\xb6" "8. (S) Eight.\n");
	cr_assert_eq(c->nparas, 4);
	cr_assert_eq(c->paras[2].n, 17);
	S_EQ(c->paras[2].text, "Seven really.");
	cr_assert(has_problem(c, "paragraph-number", "where 7 was expected"));
	ck_cable_free(c);
}

Test(parse, paragraph_missing_dot)
{
	ck_cable *c = with_body("5. (C) Five.\n\n6 (C) Six without its dot.\n\n7. (C) Seven.\n");
	cr_assert_eq(c->nparas, 3);
	cr_assert_eq(c->paras[1].n, 6);
	S_EQ(c->paras[1].marking, "C");
	S_EQ(c->paras[1].text, "Six without its dot.");
	cr_assert_gt(unit_nproblems(c, "paragraph-number"), 0);
	ck_cable_free(c);
}

Test(parse, pilcrow_year_not_a_paragraph)
{
	ck_cable *c = with_body("1. (S) The plan was drafted in\n\xc2\xb6" "2001. It failed.\n\n"
				"2. (S) Two.\n");
	cr_assert_eq(c->nparas, 2);
	cr_assert_eq(c->paras[0].n, 1);
	cr_assert(strstr(c->paras[0].text, "2001. It failed."), "%s", c->paras[0].text);
	cr_assert_eq(c->paras[1].n, 2);
	cr_assert_gt(unit_nproblems(c, "pilcrow"), 0);
	ck_cable_free(c);
}

Test(parse, summary)
{
	ck_cable *c = unit_parse(ROME, 0);
	S_EQ(c->summary, "Italy is cautious about the envoy.");
	cr_assert_eq(c->nparas, 2);
	ck_cable_free(c);
}

/* ---- page headers ------------------------------------------------------- */

Test(parse, page_header_modern_rejoined)
{
	ck_cable *c = unit_parse(ROME, 0);
	cr_assert_eq(c->nparas, 2);
	S_EQ(c->paras[1].text, "The minister said the talks would go on until the autumn.");
	cr_assert(!strstr(c->body, "002.2 OF 003"));
	cr_assert(has_problem(c, "page-header", "002.2"));
	ck_cable_free(c);
}

Test(parse, page_header_old_with_text_after)
{
	ck_cable *c = unit_parse("C O N F I D E N T I A L HARARE 06677\n\nSUBJ: OLD PAGES\n\n"
				 "1. (C) The minister said the talks would\n"
				 "PAGE 02 HARARE 06677 01 OF 03 291400Z\tgo on until the autumn.\n\n"
				 "2. (C) Two.\n",
				 1990);
	cr_assert_eq(c->nparas, 2);
	S_EQ(c->paras[0].text, "The minister said the talks would go on until the autumn.");
	S_EQ(c->header.page_dtg, "291400Z");
	cr_assert(!strstr(c->body, "PAGE 02"));
	cr_assert(has_problem(c, "page-header", NULL));
	ck_cable_free(c);
}

/* ---- signers ------------------------------------------------------------ */

Test(parse, page_header_cut_post)
{
	ck_cable *c = unit_parse("C O N F I D E N T I A L CAPE TOWN 01234\n\nSUBJ: CUT POST\n\n"
				 "1. (C) The talks would\nPAGE 02 CAPE T 01234 01 OF 02 291400Z\ngo on.\n",
				 1990);
	S_EQ(c->id, "90CAPETOWN1234");
	cr_assert_eq(c->nparas, 1);
	S_EQ(c->paras[0].text, "The talks would go on.");
	cr_assert(has_problem(c, "page-header", "CAPE T"));
	ck_cable_free(c);
}

Test(parse, signer_alone)
{
	ck_cable *c = unit_parse(ROME, 0);
	cr_assert_eq(c->signers.n, 1);
	V_EQ(c->signers, 0, "SPOGLI");
	ck_cable_free(c);
}

Test(parse, signer_glued)
{
	ck_cable *c = with_body("1. (S) Two.\n\n2. (S) The ministry deserves recognition. BORG\n");
	cr_assert_eq(c->signers.n, 1);
	V_EQ(c->signers, 0, "BORG");
	S_EQ(c->paras[1].text, "The ministry deserves recognition.");
	cr_assert(has_problem(c, "signer", "BORG"));
	ck_cable_free(c);
}

Test(parse, signer_before_footer)
{
	ck_cable *c = with_body("1. (S) Text.\n\nWOLCOTT\nNNNN\n\nS E C R E T\n");
	cr_assert_eq(c->signers.n, 1);
	V_EQ(c->signers, 0, "WOLCOTT");
	ck_cable_free(c);
}

/* ---- encoding ----------------------------------------------------------- */

Test(parse, cp1252_pilcrow_crlf)
{
	static const char t[] = "O 091712Z JUL 07\r\nFM AMEMBASSY ROME\r\nTO SECSTATE WASHDC 1\r\n"
				"CONFIDENTIAL ROME 001497\r\n\r\nSUBJECT: CP1252\r\n\r\n"
				"\xb6" "1. (C) One.\r\n\r\n\xb6" "2. (C) Two.\r\n";
	ck_cable *c = parse_n(t, sizeof t - 1, 0);
	S_EQ(c->id, "07ROME1497");
	S_EQ(c->subject, "CP1252");
	cr_assert_eq(c->nparas, 2);
	cr_assert_eq(c->paras[1].n, 2);
	S_EQ(c->paras[1].text, "Two.");
	cr_assert(!strchr(c->raw, '\r'));
	cr_assert(strstr(c->raw, "\xc2\xb6" "1."));
	ck_cable_free(c);
}

Test(parse, invalid_utf8)
{
	static const char t[] = "O 091712Z JUL 07\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC 1\n"
				"C O N F I D E N T I A L ROME 001497\n\nSUBJECT: BAD \xff\xfe\xc3 BYTES\n\n"
				"1. (C) Over\xed\xa0\x80long \xc0\xaf.\n";
	ck_cable *c = parse_n(t, sizeof t - 1, 0);
	cr_assert(utf8_ok(c->raw));
	cr_assert(utf8_ok(c->body));
	cr_assert_not_null(c->subject);
	cr_assert(utf8_ok(c->subject));
	cr_assert(has_problem(c, "encoding", NULL));
	S_EQ(c->id, "07ROME1497");
	ck_cable_free(c);
}

Test(parse, nul_bytes)
{
	static const char t[] = "O 091712Z JUL 07\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC 1\n"
				"C O N F I D E N T I A L ROME 001497\n\nSUBJECT: NUL\0 BYTES\n\n"
				"1. (C) Text\0.\n";
	ck_cable *c = parse_n(t, sizeof t - 1, 0);
	S_EQ(c->id, "07ROME1497");
	S_EQ(c->subject, "NUL BYTES");
	cr_assert_eq(c->nparas, 1);
	S_EQ(c->paras[0].text, "Text.");
	cr_assert(has_problem(c, "encoding", "NUL"));
	ck_cable_free(c);
}

Test(parse, empty_and_garbage)
{
	ck_cable *c = parse_n("", 0, 0);
	cr_assert_null(c->id);
	cr_assert(has_problem(c, "empty", NULL));
	ck_cable_free(c);
	c = unit_parse("hello world\nnothing here\n", 0);
	cr_assert_null(c->id);
	cr_assert_null(c->date);
	cr_assert(has_problem(c, "missing-field", "date-time group"));
	cr_assert(has_problem(c, "missing-field", "classification line"));
	ck_cable_free(c);
}

/* every problem note is valid UTF-8 */
static void notes_utf8(const ck_cable *c)
{
	for (size_t i = 0; i < c->nproblems; i++)
		cr_assert(utf8_ok(c->problems[i].note), "%s note is not UTF-8: %s", c->problems[i].kind,
			  c->problems[i].note);
}

#define E20 "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9" \
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"

/* BUG: problem notes quote the input cut at a byte count ("%.*s" with 20,
 * 60 or 80 bytes in parse.c and refs.c) and can end inside a UTF-8
 * sequence, so the JSON of the cable is not valid UTF-8 (found by
 * fuzz_parse; regression input fuzz/seeds/parse/crash-refyear-utf8).
 * Input: "REF: A) TALLINN 366" followed by 40 "e-acute" and no date.
 * Expected: the reference-year note is valid UTF-8 (cut before the
 * sequence).  Actual: it ends in a lone 0xC3 byte. */
Test(parse, note_cut_in_utf8_reference_year)
{
	ck_cable *c = unit_parse("REF: A) TALLINN 366" E20 E20 "\n", 0);
	cr_assert(has_problem(c, "reference-year", NULL));
	notes_utf8(c);
	ck_cable_free(c);
}

/* BUG: the same cut in the pilcrow note (20 bytes after the pilcrow).
 * Input: a line "PILCROW 2001. It " + 20 "e-acute" inside paragraph 1.
 * Expected: the pilcrow note is valid UTF-8.  Actual: it ends in 0xC3. */
Test(parse, note_cut_in_utf8_pilcrow)
{
	ck_cable *c = with_body("1. (S) The plan was drafted in\n\xc2\xb6" "2001. It " E20 " failed.\n\n"
				"2. (S) Two.\n");
	cr_assert_gt(unit_nproblems(c, "pilcrow"), 0);
	notes_utf8(c);
	ck_cable_free(c);
}

/* BUG: the same cut at the start of the split-sentence note (the last 20
 * bytes of the line before the blank line start inside a sequence).
 * Input: paragraph line "The minister said x" + 10 "e-acute" + "a", a
 * blank line, "went on until the end.".  Expected: a valid UTF-8 note.
 * Actual: the note's quote starts with a lone continuation byte 0xA9. */
Test(parse, note_cut_in_utf8_split_sentence)
{
	ck_cable *c = with_body("1. (S) The minister said x" E20 "a\n\nwent on until the end.\n");
	cr_assert_gt(unit_nproblems(c, "split-sentence"), 0);
	notes_utf8(c);
	ck_cable_free(c);
}

/* BUG: the same cut in the header-line note (60 bytes).  Input: a line
 * "some junk x" + 40 "e-acute" between the TO line and the classification
 * line.  Expected: a valid UTF-8 note.  Actual: it ends in 0xC3. */
Test(parse, note_cut_in_utf8_header_line)
{
	ck_cable *c = unit_parse("O 091712Z JUL 07\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC 1\n"
				 "some junk x" E20 E20 "\nC O N F I D E N T I A L ROME 001497\n\n1. (C) Text.\n",
				 0);
	cr_assert_gt(unit_nproblems(c, "header-line"), 0);
	notes_utf8(c);
	ck_cable_free(c);
}

/* the notes that quote ASCII input stay whole */
Test(parse, notes_utf8_ascii)
{
	ck_cable *c = unit_parse(ROME, 0);
	notes_utf8(c);
	ck_cable_free(c);
}

/* ---- evidence (ck_item_parse) ------------------------------------------- */

static ck_cable *item_parse(const char *text, const char *id, const char *date,
			    const char *cls, const char *origin)
{
	ck_item it;
	memset(&it, 0, sizeof it);
	it.text = text;
	it.len = strlen(text);
	it.file = "page.html";
	it.format = "html";
	it.line = 1;
	it.meta_id = id;
	it.meta_date = date;
	it.meta_classification = cls;
	it.meta_origin = origin;
	ck_cable *c = NULL;
	cr_assert_eq(ck_item_parse(&c, &it, 0), 0);
	cr_assert_not_null(c);
	return c;
}

Test(parse, evidence_page_id_alias)
{
	ck_cable *c = item_parse(ROME, "07ROME01497", "2007-07-09 17:12", "CONFIDENTIAL",
				 "Embassy Rome");
	S_EQ(c->id, "07ROME1497");
	cr_assert_eq(c->aliases.n, 1);
	V_EQ(c->aliases, 0, "07ROME01497");
	cr_assert(has_problem(c, "page-id", "07ROME01497"));
	S_EQ(c->source.meta_id, "07ROME01497");
	cr_assert_eq(unit_nproblems(c, "page-date"), 0);
	cr_assert_eq(unit_nproblems(c, "page-origin"), 0);
	ck_cable_free(c);
}

Test(parse, evidence_date_from_page)
{
	ck_cable *c = item_parse("C O N F I D E N T I A L ROME 001497\n\nSUBJECT: NO DTG\n\n1. (C) Text.\n",
				 "07ROME1497", "2007-07-09 17:12", "CONFIDENTIAL", "Embassy Rome");
	S_EQ(c->date, "2007-07-09T17:12:00Z");
	S_EQ(c->id, "07ROME1497");
	cr_assert(has_problem(c, "page-date", NULL));
	ck_cable_free(c);
}

Test(parse, evidence_marking_control_from_page)
{
	ck_cable *c = item_parse("O 091712Z JUL 07\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC 1\n"
				 "S E C R E T ROME 001497\n\n1. (S) Text.\n",
				 "07ROME1497", "2007-07-09 17:12", "SECRET//NOFORN", "Embassy Rome");
	S_EQ(c->classification, "SECRET");
	S_EQ(c->marking, "SECRET//NOFORN");
	cr_assert(has_problem(c, "page-marking", NULL));
	ck_cable_free(c);
}

Test(parse, evidence_disagreements)
{
	/* the text wins; each disagreement is a problem named by the field */
	ck_cable *c = item_parse(ROME, "07ROME1497", "2007-07-10 09:00", "SECRET", "Embassy Paris");
	S_EQ(c->date, "2007-07-09T17:12:00Z");
	S_EQ(c->marking, "CONFIDENTIAL");
	S_EQ(c->origin, "Embassy Rome");
	cr_assert_eq(c->aliases.n, 0);
	cr_assert(has_problem(c, "page-date", NULL));
	cr_assert(has_problem(c, "page-marking", "SECRET"));
	cr_assert(has_problem(c, "page-origin", "Embassy Paris"));
	cr_assert_eq(unit_nproblems(c, "page-id"), 0);
	ck_cable_free(c);
}

Test(parse, evidence_viewer_minutes_ignored)
{
	/* viewer pages show the hour in the minutes (FORMAT.md 4): 17:17 for
	 * DTG 091712Z is the same hour, not a disagreement */
	ck_cable *c = item_parse(ROME, "07ROME1497", "2007-07-09 17:17", "CONFIDENTIAL", "Embassy Rome");
	cr_assert_eq(unit_nproblems(c, "page-date"), 0);
	S_EQ(c->date, "2007-07-09T17:12:00Z");
	ck_cable_free(c);
}

Test(parse, evidence_note_and_partial)
{
	ck_item it;
	memset(&it, 0, sizeof it);
	it.text = ROME;
	it.len = strlen(ROME);
	it.format = "html";
	it.partial = 1;
	it.note = "leaked database row removed";
	ck_cable *c = NULL;
	cr_assert_eq(ck_item_parse(&c, &it, 0), 0);
	cr_assert(has_problem(c, "page-repair", "leaked database row removed"));
	cr_assert(has_problem(c, "partial-extract", NULL));
	S_EQ(c->id, "07ROME1497");
	ck_cable_free(c);
}

Test(parse, evidence_fills_a_fragment)
{
	/* a fragment with no classification line or date: the page fills them */
	ck_cable *c = item_parse("1. (C) Only a paragraph survives.\n", "07ROME1497", "2007-07-09 17:12",
				 "CONFIDENTIAL//NOFORN", "Embassy Rome");
	S_EQ(c->id, "07ROME1497");
	S_EQ(c->date, "2007-07-09T17:12:00Z");
	S_EQ(c->marking, "CONFIDENTIAL//NOFORN");
	S_EQ(c->classification, "CONFIDENTIAL");
	S_EQ(c->origin, "Embassy Rome");
	cr_assert(has_problem(c, "page-id", NULL));
	cr_assert(has_problem(c, "page-marking", NULL));
	ck_cable_free(c);
}

/* ---- JSON of a parsed cable --------------------------------------------- */

static void json_roundtrip(ck_cable *c)
{
	ck_buf j = CK_BUF_INIT;
	cr_assert_eq(ck_cable_write_json(&j, c, 0), 0);
	cr_assert(utf8_ok(j.ptr));
	ck_cable *b = NULL;
	cr_assert_eq(ck_cable_read_json(&b, j.ptr, j.len), 0, "%s", ck_error_last());
	if (c->id)
		S_EQ(b->id, c->id);
	else
		cr_assert_null(b->id);
	cr_assert_eq(b->nparas, c->nparas);
	cr_assert_eq(b->nrefs, c->nrefs);
	cr_assert_eq(b->nproblems, c->nproblems);
	cr_assert_eq(b->tags.n, c->tags.n);
	ck_buf j2 = CK_BUF_INIT;
	cr_assert_eq(ck_cable_write_json(&j2, b, 0), 0);
	cr_assert_str_eq(j2.ptr, j.ptr);
	ck_buf_free(&j2);
	ck_buf_free(&j);
	ck_cable_free(b);
}

Test(parse, json_roundtrip)
{
	ck_cable *c = unit_parse(ROME, 0);
	json_roundtrip(c);
	ck_cable_free(c);
	static const char bad[] = "O 091712Z JUL 07\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC 1\n"
				  "C O N F I D E N T I A L ROME 001497\n\nSUBJECT: \"Q\" \\ \xff\x01\t\n\n"
				  "1. (C) Bad\0 \xc0\xaf bytes.\n";
	c = parse_n(bad, sizeof bad - 1, 0);
	json_roundtrip(c);
	ck_cable_free(c);
}
