/* test_read.c - the readers: detection, viewer pages, cables.csv, text
 * splitting, and ck_source_walk over a folder of small inputs. */
#include "unit.h"
#include "read/read.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- html fragments ------------------------------------------------------ */

static void expect_text(const char *html, const char *want)
{
	ck_buf b = CK_BUF_INIT;
	cr_assert_eq(ck_read_html_text(&b, html, strlen(html)), 0);
	cr_assert_str_eq(b.ptr ? b.ptr : "", want, "decoding %s", html);
	ck_buf_free(&b);
}

Test(read_html, entities)
{
	expect_text("a&amp;b&lt;c&gt;d&quot;e&#39;f&apos;", "a&b<c>d\"e'f'");
	expect_text("one&#x000A;two&#10;three", "one\ntwo\nthree");
	expect_text("&#xE9;&#233;&#x20AC;&#x1F600;", "\xC3\xA9\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
	expect_text("a&nbsp;b", "a\xC2\xA0" "b");
	/* unknown or invalid ones stay as written */
	expect_text("R&D; S&ED; &bogus; & alone", "R&D; S&ED; &bogus; & alone");
	expect_text("&#0;&#x110000;&#xD800;&#;&#x;&#12", "&#0;&#x110000;&#xD800;&#;&#x;&#12");
	expect_text("&", "&");
	expect_text("&#x00000000041;", "&#x00000000041;"); /* too many digits */
}

Test(read_html, tags)
{
	expect_text("<a id='par1' href='#par1'>\xC2\xB6</a>1. (C) text",
		    "\xC2\xB6" "1. (C) text");
	expect_text("TAGS: <a href='/tag/PREL_0.html'>PREL</a> <a href='/tag/IT_0.html'>IT</a>",
		    "TAGS: PREL IT");
	expect_text("SIPDIS <br>\nX <br/>Y<BR />", "SIPDIS \nX Y");
	/* not html elements: text of the cable */
	expect_text("<<Israel>> destroyed", "<<Israel>> destroyed");
	expect_text("<_protect>0 07/13", "<_protect>0 07/13");
	expect_text("a < b and c > d", "a < b and c > d");
	expect_text("<a href='x'", "<a href='x'"); /* unclosed tag at the end */
	expect_text("END </td></tr>\n</table>", "END \n");
}

/* ---- viewer pages -------------------------------------------------------- */

static const char page_head[] =
	"<?xml version='1.0' encoding='utf-8' ?>\n<html><head><title>Cable Viewer</title></head><body>\n"
	"<table class='cable'>\n<tr>\n<th>Reference ID</th>\n<th>Created</th>\n<th>Released</th>\n"
	"<th>Classification</th>\n<th>Origin</th>\n</tr>\n<tr>\n"
	"<td>\n<a href='/cable/2007/07/07ROME1497.html'>07ROME1497</a>\n</td>\n"
	"<td>\n<a href='/date/2007-07_0.html'>2007-07-09 17:05</a>\n</td>\n"
	"<td>\n<a href='/reldate/2010-12-18_0.html'>2010-12-18 21:09</a>\n</td>\n"
	"<td>\n<a href='/classification/1_0.html' title='secret'>CONFIDENTIAL</a>\n</td>\n"
	"<td>\n<a href='/origin/98_0.html'>Embassy Rome</a>\n</td>\n</tr>\n</table>\n";

static void page(ck_html_page *p, const char *pre1, const char *pre2)
{
	ck_buf b = CK_BUF_INIT;
	ck_buf_puts(&b, page_head);
	ck_buf_printf(&b, "<code><pre>%s</pre></code>\n<code><pre>%s</pre></code>\n</body></html>\n",
		      pre1, pre2);
	ck_html_page_init(p);
	cr_assert_eq(ck_read_html(p, b.ptr, b.len), 0);
	ck_buf_free(&b);
}

Test(read_html, page_meta_and_text)
{
	ck_html_page p;
	page(&p, "VZCZCXRO6975&#x000A;FM AMEMBASSY ROME",
	     "Monday, 09 July 2007, 17:12&#x000A;C O N F I D E N T I A L ROME 001497&#x000A;"
	     "<a id='par1' href='#par1'>\xC2\xB6</a>1. (C) Text &amp; more.");
	cr_assert_str_eq(p.meta_id, "07ROME1497");
	cr_assert_str_eq(p.meta_date, "2007-07-09 17:05");
	cr_assert_str_eq(p.meta_classification, "CONFIDENTIAL"); /* the text, not the title */
	cr_assert_str_eq(p.meta_origin, "Embassy Rome");
	cr_assert_eq(p.partial, 0);
	cr_assert_str_eq(p.text.ptr,
			 "VZCZCXRO6975\nFM AMEMBASSY ROME\n"
			 "C O N F I D E N T I A L ROME 001497\n\xC2\xB6" "1. (C) Text & more.");
	cr_assert_eq(p.note.len, 0);
	ck_html_page_free(&p);
}

Test(read_html, partial_extract)
{
	ck_html_page p;
	page(&p, "This record is a partial extract of the original cable. The full text of the "
		 "original cable is not available.&#x000A;",
	     "C O N F I D E N T I A L ROME 001497&#x000A;SIPDIS");
	cr_assert_eq(p.partial, 1);
	cr_assert_str_eq(p.text.ptr, "C O N F I D E N T I A L ROME 001497\nSIPDIS");
	ck_html_page_free(&p);
}

Test(read_html, leaked_tab_row)
{
	ck_html_page p;
	page(&p, "This record is a partial extract of the original cable. The full text of the original cable is not available.",
	     "22350\t2004-11-02 18:31:00\t04BOGOTA11339\tEmbassy Bogota\tCONFIDENTIAL\t04BOGOTA10728|04BOGOTA11205\t"
	     "This record is a partial extract of the original cable. The full text of the original cable is not available.\\&#x000A;\\&#x000A;"
	     "\tC O N F I D E N T I A L BOGOTA 011339 \\&#x000A; \\&#x000A;SIPDIS \\&#x000A;WOOD \\");
	cr_assert_eq(p.partial, 1);
	cr_assert_str_eq(p.text.ptr, "C O N F I D E N T I A L BOGOTA 011339 \n \nSIPDIS \nWOOD ");
	cr_assert_not_null(strstr(p.note.ptr, "leaked database row"));
	ck_html_page_free(&p);
}

Test(read_html, leaked_record_lines_with_header_copy)
{
	ck_html_page p;
	page(&p, "VZCZCXRO8282&#x000A;DE RUEHME #1581/01 0872331&#x000A;FM AMEMBASSY MEXICO",
	     "102374&#x000A;2007-03-28 23:31:00&#x000A;07MEXICO1581&#x000A;Embassy Mexico&#x000A;"
	     "CONFIDENTIAL&#x000A;07MEXICO6569&#x000A;VZCZCXRO8282&#x000A;DE RUEHME #1581/01 0872331&#x000A;"
	     "FM AMEMBASSY MEXICO&#x000A;TAGS: <a href='/tag/PGOV_0.html'>PGOV</a>&#x000A;"
	     "C O N F I D E N T I A L MEXICO 001581&#x000A;TAGS: PGOV&#x000A;SUBJECT: X");
	cr_assert_str_eq(p.text.ptr,
			 "VZCZCXRO8282\nDE RUEHME #1581/01 0872331\nFM AMEMBASSY MEXICO\n"
			 "C O N F I D E N T I A L MEXICO 001581\nTAGS: PGOV\nSUBJECT: X");
	cr_assert_not_null(strstr(p.note.ptr, "copy of the header"));
	ck_html_page_free(&p);
}

Test(read_html, leaked_keyed_record)
{
	ck_html_page p;
	page(&p, "VZCZCXYZ0002",
	     "id: 101791&#x000A;date: 3/23/2007 18:32&#x000A;refid: 07BOGOTA1903&#x000A;header:&#x000A;"
	     "VZCZCXYZ0002&#x000A;&#x000A;----------------- header ends ----------------&#x000A;&#x000A;"
	     "S E C R E T BOGOTA 001903");
	cr_assert_str_eq(p.text.ptr, "VZCZCXYZ0002\n\nS E C R E T BOGOTA 001903");
	ck_html_page_free(&p);
}

Test(read_html, not_a_viewer_page_and_truncated)
{
	ck_html_page p;
	ck_html_page_init(&p);
	const char *s = "<html><body><p>hello</p></body></html>";
	cr_assert_eq(ck_read_html(&p, s, strlen(s)), CK_EPARSE);
	const char *t = "<html><pre>VZCZC&#x000A;FM X</pre><pre>UNCLAS ROME 000001&#x000A;1. cut he";
	cr_assert_eq(ck_read_html(&p, t, strlen(t)), 0);
	cr_assert_eq(p.truncated, 1);
	cr_assert_str_eq(p.text.ptr, "VZCZC\nFM X\nUNCLAS ROME 000001\n1. cut he");
	ck_html_page_free(&p);
}

Test(read_html, hostile_bytes)
{
	/* NUL bytes, invalid UTF-8, a huge line: no crash, no overread (ASan) */
	size_t n = 3u << 20;
	char *s = malloc(n);
	cr_assert_not_null(s);
	for (size_t i = 0; i < n; i++)
		s[i] = "<pre>&#x\xff\0<a ;&\t\\"[i % 17];
	ck_html_page p;
	ck_html_page_init(&p);
	int rc = ck_read_html(&p, s, n);
	cr_assert(rc == 0 || rc == CK_EPARSE);
	for (size_t cut = 0; cut < 64; cut++)
		ck_read_html(&p, s, cut);
	ck_html_page_free(&p);
	free(s);
}

/* ---- cables.csv ---------------------------------------------------------- */

struct rows {
	int n;
	char ids[16][32];
	char content[16][256];
	char header[16][256];
	int line[16];
	long long offset[16];
	int errors;
	int errline[16];
};

static int on_row(const ck_csv_row *r, void *ctx)
{
	struct rows *x = ctx;
	if (x->n < 16) {
		snprintf(x->ids[x->n], sizeof x->ids[0], "%s", r->field[2]);
		snprintf(x->content[x->n], sizeof x->content[0], "%s", r->field[7]);
		snprintf(x->header[x->n], sizeof x->header[0], "%s", r->field[6]);
		x->line[x->n] = r->line;
		x->offset[x->n] = r->offset;
	}
	x->n++;
	return 0;
}

static void on_err(int line, const char *msg, void *ctx)
{
	struct rows *x = ctx;
	if (x->errors < 16)
		x->errline[x->errors] = line;
	x->errors++;
}

static const char csv3[] =
	"\"1\",\"12/28/1966 18:48\",\"66BUENOSAIRES2481\",\"Embassy Buenos Aires\",\"UNCLASSIFIED\",\"\","
	"\"R 281848Z DEC 66\nFM AMEMBASSY BUENOS AIRES\",\"UNCLAS BUENOS AIRES 2481\n\nSUBJ: \\\"QUOTED\\\" a\\\\b\"\n"
	"\"2\",\"1/1/1967 10:00\",\"67STATE1\",\"Secretary of State\",\"SECRET\",\"66BUENOSAIRES2481|66STATE9\","
	"\"HDR\",\"line one\nline two\"\n"
	"\"3\",\"1/2/1967 10:00\",\"67STATE2\",\"Secretary of State\",\"SECRET\",\"\",\"H\",\"C\"\n";

Test(read_csv, rows_escapes_multiline)
{
	struct rows x = {0};
	cr_assert_eq(ck_read_csv_buf(csv3, strlen(csv3), on_row, on_err, &x), 0);
	cr_assert_eq(x.n, 3);
	cr_assert_eq(x.errors, 0);
	cr_assert_str_eq(x.ids[0], "66BUENOSAIRES2481");
	cr_assert_str_eq(x.header[0], "R 281848Z DEC 66\nFM AMEMBASSY BUENOS AIRES");
	cr_assert_str_eq(x.content[0], "UNCLAS BUENOS AIRES 2481\n\nSUBJ: \"QUOTED\" a\\b");
	cr_assert_str_eq(x.content[1], "line one\nline two");
	cr_assert_eq(x.line[0], 1);
	cr_assert_eq(x.line[1], 5);
	cr_assert_eq(x.line[2], 7);
	cr_assert_eq(x.offset[0], 0);
	cr_assert_eq(csv3[x.offset[2]], '"');
	cr_assert_eq(csv3[x.offset[2] + 1], '3');
}

/* Parse s fed in chunks of step bytes. */
static void feed_chunked(const char *s, size_t step, ck_csv_row_fn row, ck_csv_err_fn err, void *ctx)
{
	ck_csv p;
	ck_csv_init(&p, row, err, ctx);
	for (size_t i = 0; i < strlen(s); i += step) {
		size_t k = strlen(s) - i < step ? strlen(s) - i : step;
		cr_assert_eq(ck_csv_feed(&p, s + i, k), 0);
	}
	cr_assert_eq(ck_csv_finish(&p), 0);
	ck_csv_free(&p);
}

Test(read_csv, any_chunking_same_rows)
{
	for (size_t step = 1; step < 40; step += 3) {
		struct rows x = {0};
		feed_chunked(csv3, step, on_row, on_err, &x);
		cr_assert_eq(x.n, 3, "step %zu", step);
		cr_assert_str_eq(x.content[0], "UNCLAS BUENOS AIRES 2481\n\nSUBJ: \"QUOTED\" a\\b");
		cr_assert_eq(x.line[2], 7);
	}
}

/* Every MySQL escape, in every column, decoded however the input is
 * chunked; \0 is dropped and counted. */
static const char csv_esc[] =
	"\"1\",\"2/25/1972 9:30\",\"72TEHRAN1164\",\"Embassy O\\'Hare \\\"X\\\"\",\"UNCLASSIFIED\","
	"\"72MOSCOW1603|72TEHRAN1091\",\"R 250930Z FEB 72\\nFM \\\\AMEMBASSY\\tTEHRAN\","
	"\"SHAH\\'S \\\"F-4E\\\" a\\\\b\\r\\n\\Z\\0\\%\\_\\q\\\n end\"\n";

struct esc_row {
	int n, nuls, errors;
	char f[8][128];
};

static void on_esc_err(int line, const char *msg, void *ctx)
{
	((struct esc_row *)ctx)->errors++;
}

static int on_esc_row(const ck_csv_row *r, void *ctx)
{
	struct esc_row *x = ctx;
	for (int k = 0; k < 8; k++) {
		cr_assert_eq(strlen(r->field[k]), r->len[k], "field %d", k);
		snprintf(x->f[k], sizeof x->f[k], "%s", r->field[k]);
	}
	x->nuls = r->nuls;
	x->n++;
	return 0;
}

Test(read_csv, mysql_escapes_every_column_any_chunking)
{
	for (size_t step = 1; step <= sizeof csv_esc; step++) {
		struct esc_row x = {0};
		feed_chunked(csv_esc, step, on_esc_row, on_esc_err, &x);
		cr_assert_eq(x.n, 1, "step %zu", step);
		cr_assert_eq(x.errors, 0);
		cr_assert_str_eq(x.f[3], "Embassy O'Hare \"X\"");
		cr_assert_str_eq(x.f[5], "72MOSCOW1603|72TEHRAN1091");
		cr_assert_str_eq(x.f[6], "R 250930Z FEB 72\nFM \\AMEMBASSY\tTEHRAN");
		/* \r \n \Z decoded, \0 dropped, \% \_ \q and backslash-newline
		 * are the byte itself */
		cr_assert_str_eq(x.f[7], "SHAH'S \"F-4E\" a\\b\r\n\032%_q\n end");
		cr_assert_eq(x.nuls, 1);
	}
}

Test(read_csv, date_column_normalized)
{
	char b[32];
	cr_assert_str_eq(ck_csv_date("12/28/1966 18:48", b, sizeof b), "1966-12-28 18:48");
	cr_assert_str_eq(ck_csv_date("2/25/1972 9:30", b, sizeof b), "1972-02-25 09:30");
	cr_assert_str_eq(ck_csv_date("2/25/1972 9:30:07", b, sizeof b), "1972-02-25 09:30");
	cr_assert_str_eq(ck_csv_date("2/25/1972", b, sizeof b), "1972-02-25 00:00");
	/* anything else is passed on as it is */
	const char *bad[] = {"1972-02-25 09:30", "13/1/1972 9:30", "2/25/72 9:30", "2/25/1972 24:00",
			     "2/25/1972 9:3", "2/25/1972 9:30x", "", "/", "2/0/1972 1:00"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		cr_assert_eq(ck_csv_date(bad[i], b, sizeof b), bad[i], "%s", bad[i]);
}

Test(read_csv, broken_quote_resync)
{
	const char *s =
		"\"1\",\"d\",\"66X1\",\"o\",\"C\",\"\",\"h\",\"ok\"\n"
		"\"2\",\"d\",\"66X2\",\"o\",\"C\",\"\",\"h\",\"a \"bad\" quote\nmore\n"
		"\"3\",\"d\",\"66X3\",\"o\",\"C\",\"\",\"h\",\"fine\"\n"
		"\"4\",\"d\",\"66X4\",\"o\",\"C\",\"\",\"h\",\"ends in backslash \\\"\n"
		"\"5\",\"d\",\"66X5\",\"o\",\"C\",\"\",\"h\",\"five\"\n"
		"\"6\",\"d\",\"66X6\",\"o\",\"C\"\n"                      /* too few fields */
		"\"7\",\"d\",\"66X7\",\"o\",\"C\",\"\",\"h\",\"last, no newline\"";
	struct rows x = {0};
	cr_assert_eq(ck_read_csv_buf(s, strlen(s), on_row, on_err, &x), 0);
	cr_assert_eq(x.n, 4, "rows %d", x.n);
	cr_assert_str_eq(x.ids[0], "66X1");
	cr_assert_str_eq(x.ids[1], "66X3");
	cr_assert_str_eq(x.ids[2], "66X5");
	cr_assert_str_eq(x.ids[3], "66X7");
	cr_assert_eq(x.line[1], 4);
	cr_assert_eq(x.errors, 3);
	cr_assert_eq(x.errline[0], 2); /* the broken row's first line */
	cr_assert_eq(x.errline[1], 5);
	cr_assert_eq(x.errline[2], 7);
}

Test(read_csv, unterminated_at_eof_and_garbage)
{
	struct rows x = {0};
	const char *s = "\"1\",\"d\",\"66X1\",\"o\",\"C\",\"\",\"h\",\"never closed\nstill";
	ck_read_csv_buf(s, strlen(s), on_row, on_err, &x);
	cr_assert_eq(x.n, 0);
	cr_assert_eq(x.errors, 1);
	struct rows y = {0};
	const char *g = "garbage\x01\xff\"\"\"\n\n\\\n\"1\",\"d\",\"66X1\",\"o\",\"C\",\"\",\"h\",\"c\"\n";
	ck_read_csv_buf(g, strlen(g), on_row, on_err, &y);
	cr_assert_eq(y.n, 1);
	cr_assert_str_eq(y.ids[0], "66X1");
	cr_assert_geq(y.errors, 1);
}

Test(read_csv, row_limit_keeps_memory_bounded)
{
	ck_csv p;
	struct rows x = {0};
	ck_csv_init(&p, on_row, on_err, &x);
	p.max_row = 4096;
	const char *head = "\"1\",\"d\",\"66X1\",\"o\",\"C\",\"\",\"h\",\"";
	ck_csv_feed(&p, head, strlen(head));
	char chunk[1000];
	memset(chunk, 'x', sizeof chunk);
	for (int i = 0; i < 200; i++)
		ck_csv_feed(&p, chunk, sizeof chunk);
	cr_assert_lt(p.raw.cap, 64 * 1024, "raw buffer grew to %zu", p.raw.cap);
	const char *tail = "\"\n\"2\",\"d\",\"66X2\",\"o\",\"C\",\"\",\"h\",\"c\"\n";
	ck_csv_feed(&p, tail, strlen(tail));
	ck_csv_finish(&p);
	ck_csv_free(&p);
	cr_assert_eq(x.errors, 1);
	cr_assert_eq(x.n, 1);
	cr_assert_str_eq(x.ids[0], "66X2");
}

/* ---- detection and text -------------------------------------------------- */

Test(read_detect, formats)
{
#define D(s) ck_read_detect(s, sizeof(s) - 1)
	cr_assert_eq(D(""), CK_FMT_EMPTY);
	cr_assert_eq(D(" \n\r\n"), CK_FMT_EMPTY);
	cr_assert_eq(D("<?xml version='1.0' ?>\n<html>"), CK_FMT_HTML);
	cr_assert_eq(D("\"1\",\"12/28/1966 18:48\",\"66X\""), CK_FMT_CSV);
	cr_assert_eq(D("{\"id\":\"07ROME1497\"}"), CK_FMT_JSONL);
	cr_assert_eq(D("{\n  \"id\": \"07ROME1497\""), CK_FMT_JSONL); /* --pretty */
	cr_assert_eq(D("{ not json"), CK_FMT_TEXT);
	cr_assert_eq(D("VZCZCXRO6975\r\nOO RUEHDBU\r\n"), CK_FMT_TEXT);
	cr_assert_eq(D("\xEF\xBB\xBFUNCLAS ROME 000001\n"), CK_FMT_TEXT);
	cr_assert_eq(D("C O N F I D E N T I A L\n\nTAGS: [PREL](#) [IT](#)\n"), CK_FMT_PLUSD);
	cr_assert_eq(D("PK\3\4rest"), CK_FMT_ARCHIVE);
	cr_assert_eq(D("7z\xBC\xAF\x27\x1C"), CK_FMT_ARCHIVE);
	cr_assert_eq(D("\x1F\x8B\x08"), CK_FMT_ARCHIVE);
	cr_assert_eq(D("BZh91AY"), CK_FMT_ARCHIVE);
	cr_assert_eq(D("\x89PNG\r\n\x1A\n"), CK_FMT_UNKNOWN);
	cr_assert_eq(D("text with a \0 NUL"), CK_FMT_UNKNOWN);
	cr_assert_eq(D("\xff\xfe\x01\x02\x03\x04\x05\x06\x07\x08"), CK_FMT_UNKNOWN);
	cr_assert_eq(D("BZh is not bzip2"), CK_FMT_TEXT);
	cr_assert_eq(D("MMMM text"), CK_FMT_TEXT);
	/* cp1252 text (0xB6 is the pilcrow) is text */
	cr_assert_eq(D("\xB6" "1. (C) cp1252 text\r\n"), CK_FMT_TEXT);
#undef D
}

struct parts {
	int n;
	size_t off[8];
	int line[8];
	char first[8][16];
};

static int on_part(const char *s, size_t n, size_t off, int line, void *ctx)
{
	struct parts *p = ctx;
	if (p->n < 8) {
		p->off[p->n] = off;
		p->line[p->n] = line;
		snprintf(p->first[p->n], sizeof p->first[0], "%.*s", (int)(n < 12 ? n : 12), s);
	}
	p->n++;
	return 0;
}

Test(read_text, split_telegrams)
{
	struct parts p = {0};
	const char *one = "VZCZCXRO1\nFM A\nUNCLAS X 000001\nBODY\n";
	cr_assert_eq(ck_read_text_split(one, strlen(one), on_part, &p), 1);
	cr_assert_eq(p.off[0], 0);
	struct parts q = {0};
	const char *three = "VZCZCXRO1\nFM A\nSUBJECT: A\nNNNN\n\nVZCZCXRO2\nFM B\n1. BODY\n"
			    "VZCZCXRO3\nFM C\nTAGS: PREL\n";
	cr_assert_eq(ck_read_text_split(three, strlen(three), on_part, &q), 3);
	cr_assert_str_eq(q.first[0], "VZCZCXRO1\nFM");
	cr_assert_str_eq(q.first[1], "\nVZCZCXRO2\nF");
	cr_assert_eq(q.line[1], 5);
	cr_assert_str_eq(q.first[2], "VZCZCXRO3\nFM");
	cr_assert_eq(q.line[2], 9);
	/* parts without a body stay with their telegram: trailers after NNNN,
	 * a header repeated after the body, a header printed before an export
	 * record and the copy of it that starts the body's part */
	struct parts t = {0};
	const char *trail = "VZCZCXRO1\nFM A\nSUBJECT: A\nNNNN\nEnd Cable Text\n051200Z DEC 04\n"
			    "VZCZCXRO1\nFM A\n";
	cr_assert_eq(ck_read_text_split(trail, strlen(trail), on_part, &t), 1);
	cr_assert_eq(t.off[0], 0);
	struct parts u = {0};
	const char *rec = "VZCZCXRO4\nFM A\n1...\nid: 57696\nheader:\nVZCZCXRO4\nFM A\n"
			  "--- header ends ---\nSUBJECT: A\n";
	cr_assert_eq(ck_read_text_split(rec, strlen(rec), on_part, &u), 1);
	/* the record's group ends with the body: a telegram after it is apart */
	struct parts v = {0};
	const char *rec2 = "VZCZCXRO4\nFM A\n1...\nid: 57696\nheader:\nVZCZCXRO4\nFM A\n"
			   "--- header ends ---\nSUBJECT: A\nNNNN\nVZCZCXRO5\nFM B\nSUBJECT: B\n";
	cr_assert_eq(ck_read_text_split(rec2, strlen(rec2), on_part, &v), 2);
	cr_assert_str_eq(v.first[1], "VZCZCXRO5\nFM");
	struct parts r = {0};
	const char *plain = "UNCLAS ROME 000001\nSUBJECT: X\n";
	cr_assert_eq(ck_read_text_split(plain, strlen(plain), on_part, &r), 1);
}

/* ---- ck_source_walk ------------------------------------------------------ */

struct walk {
	int items;
	int errors;
	char files[16][256];
	char formats[16][8];
	char errs[16][512];
	int partial;
	int notes;
};

static int walk_item(const ck_item *it, void *ctx)
{
	struct walk *w = ctx;
	if (w->items < 16) {
		snprintf(w->files[w->items], sizeof w->files[0], "%s", it->file);
		snprintf(w->formats[w->items], sizeof w->formats[0], "%s", it->format);
	}
	w->partial += it->partial;
	w->notes += it->note != NULL;
	w->items++;
	return 0;
}

static void walk_err(const char *file, int line, const char *msg, void *ctx)
{
	struct walk *w = ctx;
	if (w->errors < 16)
		snprintf(w->errs[w->errors], sizeof w->errs[0], "%s:%d: %s", file, line, msg);
	w->errors++;
}

static void put_file(const char *dir, const char *name, const void *data, size_t n)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	fwrite(data, 1, n, f);
	fclose(f);
}

Test(read_walk, folder_sorted_with_bad_files)
{
	char dir[] = "/tmp/ckreadXXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char sub[600];
	snprintf(sub, sizeof sub, "%s/sub", dir);
	mkdir(sub, 0700);
	const char *tel = "VZCZCXRO1\nFM AMEMBASSY ROME\nUNCLAS ROME 000001\n";
	put_file(dir, "b.txt", tel, strlen(tel));
	put_file(sub, "a.txt", tel, strlen(tel));
	put_file(dir, "a.csv", csv3, strlen(csv3));
	put_file(dir, "c.png", "\x89PNG\r\n\x1A\n\0\0\0", 11);
	put_file(dir, "d.bin", "\0\1\2\3", 4);
	const char broken[] = "\"1\",\"d\",\"66X1\",\"o\",\"C\",\"\",\"h\",\"a \"b\" c\"\n"
			      "\"2\",\"d\",\"66X2\",\"o\",\"C\",\"\",\"h\",\"c\"\n";
	put_file(dir, "e.csv", broken, sizeof broken - 1);
	put_file(dir, ".hidden", tel, strlen(tel));
	struct walk w = {0};
	cr_assert_eq(ck_source_walk(dir, walk_item, walk_err, &w), CK_EIO);
	/* a.csv: 3 rows; b.txt; e.csv: 1 good row; sub/a.txt */
	cr_assert_eq(w.items, 6, "items %d", w.items);
	cr_assert(strstr(w.files[0], "/a.csv"));
	cr_assert_str_eq(w.formats[0], "csv");
	cr_assert(strstr(w.files[3], "/b.txt"));
	cr_assert_str_eq(w.formats[3], "text");
	cr_assert(strstr(w.files[4], "/e.csv"));
	cr_assert(strstr(w.files[5], "/sub/a.txt"));
	cr_assert_eq(w.errors, 3);
	cr_assert(strstr(w.errs[0], "c.png:0: not a cable (format unknown)"), "%s", w.errs[0]);
	cr_assert(strstr(w.errs[1], "d.bin:0: not a cable"), "%s", w.errs[1]);
	cr_assert(strstr(w.errs[2], "e.csv:1: csv row broken"), "%s", w.errs[2]);
	struct walk v = {0};
	char missing[700];
	snprintf(missing, sizeof missing, "%s/no-such-file", dir);
	cr_assert_eq(ck_source_walk(missing, walk_item, walk_err, &v), CK_EIO);
	cr_assert_eq(v.errors, 1);
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

/* fuzz_csv found it: a row found too long right after a newline skipped
 * the next line, though that line began the next row */
Test(read_csv, too_long_row_then_row_on_next_line)
{
	ck_csv p;
	struct rows x = {0};
	ck_csv_init(&p, on_row, on_err, &x);
	p.max_row = 64;
	char s[512];
	snprintf(s, sizeof s, "\"1\",\"d\",\"66X1\",\"o\",\"C\",\"\",\"h\",\"%s\n"
		 "\"2\",\"d\",\"66X2\",\"o\",\"C\",\"\",\"h\",\"c\"\n",
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	ck_csv_feed(&p, s, strlen(s));
	ck_csv_finish(&p);
	ck_csv_free(&p);
	cr_assert_eq(x.errors, 1);
	cr_assert_eq(x.n, 1);
	cr_assert_str_eq(x.ids[0], "66X2");
}

Test(read_html, leaked_comma_record)
{
	ck_html_page p;
	page(&p, "This record is a partial extract of the original cable. The full text of the original cable is not available.",
	     "34552,6/13/2005 15:12,05BOGOTA5616,\"Embassy Bogota\",CONFIDENTIAL,05BOGOTA3726,"
	     "\"This record is a partial extract of the original cable. The full text of the original cable is not available.&#x000A; \","
	     "\"C O N F I D E N T I A L BOGOTA 005616&#x000A;SIPDIS");
	cr_assert_eq(p.partial, 1);
	cr_assert_str_eq(p.text.ptr, "C O N F I D E N T I A L BOGOTA 005616\nSIPDIS");
	cr_assert_not_null(strstr(p.note.ptr, "comma-separated"));
	ck_html_page_free(&p);
	/* the record's own UNCLASSIFIED column is not the classification line */
	page(&p, "VZCZC", "1,2/2/2009 10:00,09X1,Embassy X,UNCLASSIFIED,,\"VZCZC\",UNCLAS X 000001&#x000A;SIPDIS");
	cr_assert_str_eq(p.text.ptr, "VZCZC\nUNCLAS X 000001\nSIPDIS");
	ck_html_page_free(&p);
	/* a body that merely starts with a number and commas is left alone */
	page(&p, "VZCZC", "1, 2, 3, and 4 are the points.&#x000A;No classification line here.");
	cr_assert_str_eq(p.text.ptr, "VZCZC\n1, 2, 3, and 4 are the points.\nNo classification line here.");
	ck_html_page_free(&p);
	page(&p, "VZCZC", "2001, 2002, 2003 and 2004 were years, then&#x000A;UNCLAS ROME 000001");
	cr_assert_str_eq(p.text.ptr, "VZCZC\n2001, 2002, 2003 and 2004 were years, then\nUNCLAS ROME 000001");
	ck_html_page_free(&p);
	/* the id may be written with spaces: "10 BUENOSAIRES 91, ..." */
	page(&p, "VZCZC", "10 BUENOSAIRES 91, \"Embassy Buenos Airres ,CONFIDENTIAL , 08X1,\"VZCZC\"C O N F I D E N T I A L  BUENOS AIRES 000091");
	cr_assert_str_eq(p.text.ptr, "VZCZC\nC O N F I D E N T I A L  BUENOS AIRES 000091");
	ck_html_page_free(&p);
}

/* ---- export records inside plain text (record.c) ------------------------- */

Test(read_text, export_records)
{
	ck_text_record r;
	const char *keyed = "This record is a partial extract.\n070028Z Apr 04\nid: 15777\n"
			    "date: 4/7/2004 0:28\nrefid: 04BOGOTA3619\norigin: Embassy Bogota\n"
			    "classification: SECRET//NOFORN\ndestination: \nheader:\nCOPY\n"
			    "----- header ends -----\nS E C R E T BOGOTA 003619\nSUBJECT: X\n";
	cr_assert_eq(ck_read_text_record(keyed, strlen(keyed), &r), 1);
	cr_assert_str_eq(r.id, "04BOGOTA3619");
	cr_assert_str_eq(r.date, "2004-04-07 00:28");
	cr_assert_str_eq(r.origin, "Embassy Bogota");
	cr_assert_str_eq(r.classification, "SECRET//NOFORN");
	/* the record's lines up to its copy of the header, and "header ends" */
	cr_assert_eq(r.cut_from, 0);
	cr_assert(!strncmp(keyed + r.cut_to, "COPY\n", 5));
	cr_assert(!strncmp(keyed + r.end_to, "S E C R E T", 11));
	const char *lines = "FM AMEMBASSY MEXICO\n55988\n2006-03-09 22:28:00\n06MEXICO1311\n"
			    "Embassy Mexico\nUNCLASSIFIED//FOR OFFICIAL USE ONLY\n\nSUBJECT: X\n";
	cr_assert_eq(ck_read_text_record(lines, strlen(lines), &r), 1);
	cr_assert_str_eq(r.id, "06MEXICO1311");
	cr_assert_str_eq(r.date, "2006-03-09 22:28");
	cr_assert_str_eq(r.classification, "UNCLASSIFIED//FOR OFFICIAL USE ONLY");
	const char *tsv = "22350\t2004-11-02 18:31:00\t04BOGOTA11339\tEmbassy Bogota\tCONFIDENTIAL\tx\\\n";
	cr_assert_eq(ck_read_text_record(tsv, strlen(tsv), &r), 1);
	cr_assert_str_eq(r.origin, "Embassy Bogota");
	cr_assert_str_eq(r.date, "2004-11-02 18:31");
	const char *csv = "34552,6/13/2005 15:12,05BOGOTA5616,\"Embassy Bogota\",CONFIDENTIAL,x\n";
	cr_assert_eq(ck_read_text_record(csv, strlen(csv), &r), 1);
	cr_assert_str_eq(r.id, "05BOGOTA5616");
	cr_assert_str_eq(r.date, "2005-06-13 15:12");
	const char *dated = "Cable dated:2005-09-17T12:29:00S E C R E T SANAA 002766\n";
	cr_assert_eq(ck_read_text_record(dated, strlen(dated), &r), 1);
	cr_assert_str_eq(r.date, "2005-09-17 12:29");
	cr_assert(!strncmp(dated + r.cut_to, "S E C R E T", 11));
	/* none before the body, none in it */
	const char *none = "UNCLAS ROME 000001\nSUBJECT: X\nid: 12 is not a record here\n";
	cr_assert_eq(ck_read_text_record(none, strlen(none), &r), 0);
	cr_assert_eq(ck_read_text_record("", 0, &r), 0);
}

/* ---- PlusD record pages (src/read/plusd_page.c) ----------------------------- */

static const char *pd_field(const ck_plusd_page *p, const char *key)
{
	ck_kv kv[64];
	size_t n = ck_plusd_page_fields(p, kv, 64);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(kv[i].key, key))
			return kv[i].value;
	return NULL;
}

Test(read_plusd, fields_first_value_wins_and_panes_in_any_order)
{
	/* the Metadata pane before the raw content, a key twice in a block, the
	 * same key in both blocks (made-up values) */
	static const char page[] =
		"<!DOCTYPE html><html><head><script src=\"/plusd/js/x.js\"></script></head><body>\n"
		"<table id=\"synopsis\"><tr><td colspan=\"2\">A SUBJECT</td></tr><tr>"
		"<td><div class=\"s_key\"><a title=\"Date\">Date:</a></div><div class=\"s_val\">1974 May 17, 16:00 (Friday)</div></td>"
		"<td><div class=\"s_key\"><a title=\"Date\">Date:</a></div><div class=\"s_val\">1999 Jan 01</div></td>"
		"<td><div class=\"s_key\">Concepts:</div><div class=\"s_val\">PRISONERS | YIAROS</div></td>"
		"</tr></table>\n"
		"<div class=\"pane-tab\"><div class=\"pane-header\">Metadata</div><div class=\"pane-content\">"
		"<div class=\"text-content\">---\nDrafter: FIRST\nDrafter: SECOND\nConcepts: PRISONERS, YIAROS\n"
		"Review History: RELEASED &lt;15 MAY 2002 by elyme&gt;\n</div></div></div>\n"
		"<div class=\"pane-tab\"><div class=\"pane-header\">Raw content</div><div class=\"pane-content\">"
		"<div class=\"text-content\">CONFIDENTIAL\nPAGE 01  ATHENS 02959  171944Z\n</div></div></div>\n"
		"</body></html>\n";
	ck_plusd_page p;
	ck_plusd_page_init(&p);
	cr_assert_eq(ck_read_is_plusd_page(page, sizeof page - 1), 1);
	cr_assert_eq(ck_read_plusd_page(&p, page, sizeof page - 1), 0);
	cr_assert(p.has_synopsis && p.has_text && p.has_metadata);
	cr_assert_str_eq(pd_field(&p, "synopsis.Subject"), "A SUBJECT");
	cr_assert_str_eq(pd_field(&p, "synopsis.Date"), "1974 May 17, 16:00 (Friday)");
	cr_assert_str_eq(pd_field(&p, "synopsis.Concepts"), "PRISONERS | YIAROS");
	cr_assert_str_eq(pd_field(&p, "metadata.Drafter"), "FIRST");
	cr_assert_str_eq(pd_field(&p, "metadata.Concepts"), "PRISONERS, YIAROS");
	cr_assert_str_eq(pd_field(&p, "metadata.Review History"), "RELEASED <15 MAY 2002 by elyme>");
	cr_assert_eq(p.nfields, 6);
	cr_assert_str_eq(p.text.ptr, "CONFIDENTIAL\nPAGE 01  ATHENS 02959  171944Z\n");
	/* the same object reads a second page from scratch */
	cr_assert_eq(ck_read_plusd_page(&p, page, sizeof page - 1), 0);
	cr_assert_eq(p.nfields, 6);
	ck_plusd_page_free(&p);
}
