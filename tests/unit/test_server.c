/* test_server.c - the web UI's escaping and query helpers (src/server/html.c),
 * the answer cache (cache.c), routing without an archive (route.c), the
 * connection guard (guard.c), the date histogram (histogram.c) and the
 * meanings of reasons and portion markings (meanings.c, data/). */
#include "unit.h"
#include "server/server.h"

#include <stdio.h>
#include <unistd.h>

static char *esc(const char *s)
{
	ck_buf b = CK_BUF_INIT;
	ck_html_esc(&b, s);
	return b.ptr ? ck_buf_detach(&b) : strdup("");
}

Test(html, escapes_markup_and_quotes)
{
	char *s = esc("<script>alert('x') & \"y\"</script>");
	cr_assert_str_eq(s, "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
	free(s);
}

Test(html, keeps_utf8_and_replaces_bad_bytes)
{
	char *s = esc("caf\xC3\xA9 \xB6" "1 \x01 a\r\nb \xED\xA0\x80 \xC2\x85");
	/* é kept; 0xB6 (cp1252 pilcrow), ^A, a surrogate and C1 NEL replaced; CR dropped */
	cr_assert_str_eq(s, "caf\xC3\xA9 \xEF\xBF\xBD" "1 \xEF\xBF\xBD a\nb \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD");
	free(s);
}

Test(html, truncated_sequence_at_end)
{
	char *s = esc("ab\xE2\x82");
	cr_assert_str_eq(s, "ab\xEF\xBF\xBD\xEF\xBF\xBD");
	free(s);
}

Test(html, snippet_keeps_only_mark)
{
	ck_buf b = CK_BUF_INIT;
	ck_html_snippet(&b, "x <mark>IRAN</mark> &amp; &lt;b&gt; <b>bold</b> &nbsp; &#0; &#39; </mark> <mark>open");
	cr_assert_str_eq(b.ptr, "x <mark>IRAN</mark> &amp; &lt;b&gt; &lt;b&gt;bold&lt;/b&gt; "
				"&amp;nbsp; &amp;#0; &#39;  <mark>open</mark>");
	ck_buf_free(&b);
}

Test(html, url_encoding)
{
	ck_buf b = CK_BUF_INIT;
	ck_url_esc(&b, "from:\"Embassy Rome\" a&b=c/é");
	cr_assert_str_eq(b.ptr, "from%3A%22Embassy+Rome%22+a%26b%3Dc%2F%C3%A9");
	ck_buf_clear(&b);
	ck_srv_search_url(&b, "iran", "-date", 50, 100);
	cr_assert_str_eq(b.ptr, "/?q=iran&sort=-date&limit=50&offset=100");
	ck_buf_clear(&b);
	ck_srv_search_url(&b, "iran", "relevance", 20, 0);
	cr_assert_str_eq(b.ptr, "/?q=iran");
	ck_buf_free(&b);
}

static void refine(const char *q, const char *field, const char *value, const char *want)
{
	ck_buf b = CK_BUF_INIT;
	ck_srv_q_refine(&b, q, field, value);
	cr_assert_str_eq(b.ptr ? b.ptr : "", want, "refine(%s, %s:%s)", q, field, value);
	ck_buf_free(&b);
}

Test(query, refine_adds_terms)
{
	refine("iran", "from", "Embassy Rome", "iran from:\"Embassy Rome\"");
	refine("", "tag", "PREL", "tag:PREL");
	refine("  iran   sanctions ", "tag", "PREL", "iran sanctions tag:PREL");
	refine("iran tag:PREL", "tag", "PREL", "iran tag:PREL"); /* not twice */
	refine("iran", "marking", "CONFIDENTIAL//NOFORN", "iran marking:\"CONFIDENTIAL//NOFORN\"");
	refine("x", "from", "say \"hi\"", "x from:\"say hi\""); /* quotes dropped from values */
}

Test(query, refine_replaces_dates_in_simple_queries)
{
	refine("iran date:2007", "date", "2007-07", "iran date:2007-07");
	refine("date:2007-01..2008-06 iran", "date", "2008", "iran date:2008");
	refine("\"date:2007 x\" iran", "date", "2008", "\"date:2007 x\" iran date:2008");
	/* with OR or parentheses the query is kept as typed */
	refine("(iran OR iraq) date:2007", "date", "2007-07", "(iran OR iraq) date:2007 date:2007-07");
	refine("iran OR iraq", "date", "2007", "iran OR iraq date:2007");
}

Test(server, ids)
{
	cr_assert(ck_srv_id_ok("07ROME1497"));
	cr_assert(ck_srv_id_ok("1975DACCA00292_b"));
	cr_assert_not(ck_srv_id_ok(""));
	cr_assert_not(ck_srv_id_ok("07ROME1497/refs"));
	cr_assert_not(ck_srv_id_ok("<script>"));
	cr_assert_not(ck_srv_id_ok("07 ROME"));
	char big[100];
	memset(big, 'A', 99);
	big[99] = 0;
	cr_assert_not(ck_srv_id_ok(big));
}

static ck_srv *no_archive;

static ck_srv_req req(const char *method, const char *path)
{
	ck_srv_req r;
	memset(&r, 0, sizeof r);
	r.srv = no_archive;
	r.method = method;
	r.path = path;
	r.arena = ck_arena_new();
	return r;
}

static void req_free(ck_srv_req *r)
{
	ck_buf_free(&r->body);
	ck_arena_free(r->arena);
}

Test(server, routes_without_archive)
{
	no_archive = ck_srv_new("/nonexistent/dir/none.db", 0, 0);
	cr_assert_not_null(no_archive);
	ck_srv_req r = req("GET", "/nope");
	ck_srv_handle(&r);
	cr_assert_eq(r.status, 404);
	cr_assert_str_eq(r.ctype, "text/html; charset=utf-8");
	req_free(&r);

	r = req("GET", "/api/nope");
	ck_srv_handle(&r);
	cr_assert_eq(r.status, 404);
	cr_assert_str_eq(r.ctype, "application/json");
	cr_assert_str_eq(r.body.ptr, "{\"error\":\"no such API route\"}\n");
	req_free(&r);

	r = req("POST", "/api/search");
	ck_srv_handle(&r);
	cr_assert_eq(r.status, 405);
	cr_assert_str_eq(r.allow, "GET, HEAD");
	req_free(&r);

	r = req("GET", "/healthz");
	ck_srv_handle(&r);
	cr_assert_eq(r.status, 503);
	req_free(&r);

	r = req("GET", "/static/app.css");
	ck_srv_handle(&r);
	cr_assert_eq(r.status, 200);
	cr_assert_not_null(r.data);
	cr_assert_gt(r.data_len, 100);
	req_free(&r);

	r = req("GET", "/static/../Makefile");
	ck_srv_handle(&r);
	cr_assert_eq(r.status, 404);
	req_free(&r);

	/* a control byte in the path (the glue flags a decoded NUL itself) */
	r = req("GET", "/healthz\x01");
	ck_srv_handle(&r);
	cr_assert_eq(r.status, 400);
	req_free(&r);
	ck_srv_free(no_archive);
	no_archive = NULL;
}

Test(server, control_bytes)
{
	cr_assert(ck_srv_ctl_free("iran nuclear \xC3\xA9", 15));
	cr_assert_not(ck_srv_ctl_free("iran\0x", 6));
	cr_assert_not(ck_srv_ctl_free("a\tb", 3));
	cr_assert_not(ck_srv_ctl_free("a\x7F", 2));
}

Test(cache, put_get_evict_and_invalidate)
{
	char path[] = "/tmp/ck_cache_test.XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "a", 1), 1);
	ck_srv_cache *c = ck_srv_cache_new(path, 64 * 1024);
	cr_assert_not_null(c);
	ck_buf b = CK_BUF_INIT;
	cr_assert_eq(ck_srv_cache_get(c, "k1", 2, &b), -1);
	ck_srv_cache_put(c, "k1", 2, "value one", 9);
	cr_assert_eq(ck_srv_cache_get(c, "k1", 2, &b), 0);
	cr_assert_str_eq(b.ptr, "value one");
	/* fill beyond the size: the oldest entries go */
	char big[4000];
	memset(big, 'x', sizeof big);
	for (int i = 0; i < 40; i++) {
		char k[16];
		snprintf(k, sizeof k, "big%d", i);
		ck_srv_cache_put(c, k, strlen(k), big, sizeof big);
	}
	long hits, misses;
	size_t bytes;
	ck_srv_cache_stats(c, &hits, &misses, &bytes);
	cr_assert_leq(bytes, 64 * 1024);
	ck_buf_clear(&b);
	cr_assert_eq(ck_srv_cache_get(c, "big39", 5, &b), 0);
	cr_assert_eq(ck_srv_cache_get(c, "k1", 2, &b), -1);
	/* a change of the archive file empties it */
	cr_assert_eq(write(fd, "bb", 2), 2);
	ck_buf_clear(&b);
	cr_assert_eq(ck_srv_cache_get(c, "big39", 5, &b), -1);
	ck_srv_cache_free(c);
	cr_assert_null(ck_srv_cache_new(path, 0));
	cr_assert_eq(ck_srv_cache_get(NULL, "big39", 5, &b), -1); /* off */
	ck_buf_free(&b);
	close(fd);
	unlink(path);
}

/* ---- the connection guard ---- */

static int shut_fds[64], nshut;
static void record_shut(int fd)
{
	if (nshut < 64)
		shut_fds[nshut++] = fd;
}

Test(guard, per_client_limit_pushes_out_the_oldest_idle)
{
	nshut = 0;
	ck_srv_guard *g = ck_srv_guard_new(100, 10, 3, 10.0, record_shut);
	const unsigned char a[4] = {127, 0, 0, 1}, b[4] = {127, 0, 0, 2};
	for (int i = 0; i < 3; i++) {
		cr_assert(ck_srv_guard_admit(g, a, 4, i));
		cr_assert_not_null(ck_srv_guard_add(g, 10 + i, a, 4, i));
	}
	cr_assert_eq(ck_srv_guard_count(g, a, 4), 3);
	/* a fourth from the same address: the oldest idle one (fd 10) goes */
	cr_assert(ck_srv_guard_admit(g, a, 4, 5));
	cr_assert_eq(nshut, 1);
	cr_assert_eq(shut_fds[0], 10);
	cr_assert_eq(ck_srv_guard_count(g, a, 4), 2);
	/* another address is not affected */
	cr_assert(ck_srv_guard_admit(g, b, 4, 5));
	cr_assert_eq(nshut, 1);
	ck_srv_guard_free(g);
}

Test(guard, busy_connections_stay_and_a_full_client_is_refused)
{
	nshut = 0;
	ck_srv_guard *g = ck_srv_guard_new(100, 10, 2, 10.0, record_shut);
	const unsigned char a[4] = {10, 0, 0, 7};
	ck_srv_conn *c1 = ck_srv_guard_add(g, 20, a, 4, 0);
	ck_srv_conn *c2 = ck_srv_guard_add(g, 21, a, 4, 1);
	ck_srv_guard_busy(g, c1, 1, 2);
	ck_srv_guard_busy(g, c2, 1, 2);
	cr_assert_not(ck_srv_guard_admit(g, a, 4, 3)); /* both answering */
	cr_assert_eq(nshut, 0);
	cr_assert_eq(ck_srv_guard_sweep(g, 100), 0); /* busy: no deadline */
	ck_srv_guard_busy(g, c2, 0, 50);             /* answered at t=50 */
	cr_assert_eq(ck_srv_guard_sweep(g, 59), 0);
	cr_assert_eq(ck_srv_guard_sweep(g, 61), 1); /* its next request is late */
	cr_assert_eq(shut_fds[0], 21);
	ck_srv_guard_remove(g, c2);
	cr_assert_eq(ck_srv_guard_count(g, NULL, 0), 1);
	ck_srv_guard_free(g);
}

Test(guard, room_for_new_clients)
{
	nshut = 0;
	ck_srv_guard *g = ck_srv_guard_new(8, 2, 100, 10.0, record_shut);
	unsigned char a[4] = {192, 168, 0, 0};
	for (int i = 0; i < 6; i++) {
		a[3] = (unsigned char)i;
		cr_assert(ck_srv_guard_admit(g, a, 4, i));
		cr_assert_not_null(ck_srv_guard_add(g, 30 + i, a, 4, i));
	}
	/* at max - room: a newcomer pushes out the oldest idle connection */
	a[3] = 99;
	cr_assert(ck_srv_guard_admit(g, a, 4, 7));
	cr_assert_eq(nshut, 1);
	cr_assert_eq(shut_fds[0], 30);
	ck_srv_guard_free(g);
}

/* ---- the histogram ---- */

Test(histogram, months_bins_links_and_labels)
{
	const ck_srv_count m[] = {{"2007-07", 3}, {"2007-09", 1}, {"bogus", 5}, {"2008-01", 2}};
	ck_buf b = CK_BUF_INIT;
	ck_srv_histogram(&b, m, 4, NULL, 0, "envoy", "-date", 1);
	cr_assert_not_null(b.ptr);
	/* two whole years of months: 24 bins, 3 with cables, a link each */
	cr_assert_not_null(strstr(b.ptr, "aria-label=\"Cables by month\""));
	cr_assert_not_null(strstr(b.ptr, "href=\"/?q=envoy+date%3A2007-07&amp;sort=-date\""));
	cr_assert_not_null(strstr(b.ptr, "2008-01: 2 cables"));
	cr_assert_not_null(strstr(b.ptr, "2007-09: 1 cable<"));
	cr_assert_null(strstr(b.ptr, "bogus"));
	size_t bars = 0;
	for (const char *p = b.ptr; (p = strstr(p, "class=\"bar\"")); p++)
		bars++;
	cr_assert_eq(bars, 3);
	cr_assert_not_null(strstr(b.ptr, ">2007</text>"));
	cr_assert_not_null(strstr(b.ptr, ">2008</text>"));
	cr_assert_not_null(strstr(b.ptr, "6 cables by month"));
	cr_assert_null(strstr(b.ptr, "&#8776;"));
	/* the tallest bar is full height (84 units), the others in proportion */
	cr_assert_not_null(strstr(b.ptr, "height=\"84.00\""));
	cr_assert_not_null(strstr(b.ptr, "height=\"28.00\""));
	ck_buf_free(&b);
}

Test(histogram, years_when_the_span_is_long_and_estimates_marked)
{
	const ck_srv_count m[] = {{"1990-01", 1}, {"2005-06", 4}};
	const ck_srv_count y[] = {{"1990", 1}, {"2005", 4}};
	ck_buf b = CK_BUF_INIT;
	ck_srv_histogram(&b, m, 2, y, 2, "", NULL, 0);
	cr_assert_not_null(strstr(b.ptr, "aria-label=\"Cables by year\""));
	cr_assert_not_null(strstr(b.ptr, "href=\"/?q=date%3A2005\""));
	cr_assert_not_null(strstr(b.ptr, "2005: about 4 cables"));
	cr_assert_not_null(strstr(b.ptr, "&#8776;</span>5 cables by year"));
	ck_buf_free(&b);
	ck_srv_histogram(&b, NULL, 0, NULL, 0, "x", NULL, 1);
	cr_assert_null(b.ptr); /* nothing without data */
}

/* ---- meanings (data/eo-reasons.tsv, data/portion-markings.tsv) ---- */

Test(meanings, reasons_and_portion_markings)
{
	cr_assert_str_eq(ck_srv_reason_meaning("1.4(b)"), "foreign government information");
	cr_assert_str_eq(ck_srv_reason_meaning("1.4 (D)"), "foreign relations or activities, confidential sources");
	cr_assert_null(ck_srv_reason_meaning("1.4"));
	cr_assert_null(ck_srv_reason_meaning("1.4(z)"));
	cr_assert_str_eq(ck_srv_portion_meaning("SBU"), "sensitive but unclassified");
	cr_assert_str_eq(ck_srv_portion_class("SBU"), "pm pm-u");
	cr_assert_str_eq(ck_srv_portion_meaning("s"), "secret");
	cr_assert_str_eq(ck_srv_portion_class("S//NF"), "pm pm-s");
	cr_assert_str_eq(ck_srv_portion_class("TS"), "pm pm-ts");
	cr_assert_str_eq(ck_srv_portion_class("C"), "pm pm-c");
	cr_assert_str_eq(ck_srv_portion_meaning("LOU"), "limited official use");
	cr_assert_null(ck_srv_portion_meaning("X"));
	cr_assert_str_eq(ck_srv_portion_class("X"), "pm");
	cr_assert_str_eq(ck_srv_portion_class(NULL), "pm");
}

/* ---- estimates on the results page (#10: "total_exact", "facets_sampled") ---- */

static size_t count_of(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, what)); p++)
		n++;
	return n;
}

static char *results(const char *extra)
{
	char json[1024];
	snprintf(json, sizeof json,
		 "{\"total\":1234,%s\"hits\":[{\"id\":\"07ROME1497\",\"date\":\"2007-07-09T17:12:00Z\","
		 "\"origin\":\"Embassy Rome\",\"marking\":\"CONFIDENTIAL\",\"subject\":\"S\","
		 "\"snippet\":\"an <mark>envoy</mark>\"}],\"facets\":{\"origin\":[[\"Embassy Rome\",700]],"
		 "\"year\":[[\"2007\",1234]],\"tag\":[[\"PREL\",3]],\"marking\":[],"
		 "\"month\":[[\"2007-07\",1234]]}}", extra);
	ck_search_opts o = {"envoy", 20, 0, "relevance", 1};
	ck_buf b = CK_BUF_INIT;
	cr_assert_eq(ck_srv_results_html(&b, json, strlen(json), &o), 0);
	return ck_buf_detach(&b);
}

Test(estimates, absent_fields_mean_exact)
{
	char *p = results("");
	cr_assert_not_null(strstr(p, "<strong class=\"total\">1234</strong> cables match"));
	cr_assert_eq(count_of(p, "&#8776;"), 0);
	free(p);
	p = results("\"total_exact\":true,\"facets_sampled\":false,");
	cr_assert_eq(count_of(p, "&#8776;"), 0);
	free(p);
}

Test(estimates, total_and_facets_marked)
{
	char *p = results("\"total_exact\":false,");
	cr_assert_not_null(strstr(p, "<strong class=\"total\"><span class=\"approx\" "
				     "title=\"an estimate\">&#8776;</span>1234</strong>"));
	cr_assert_eq(count_of(p, "&#8776;"), 1); /* facets exact */
	free(p);
	p = results("\"facets_sampled\":true,");
	/* three facet counts and the histogram caption; the total is exact */
	cr_assert_eq(count_of(p, "&#8776;"), 4);
	cr_assert_not_null(strstr(p, "2007-07: about 1234 cables"));
	cr_assert_not_null(strstr(p, "<strong class=\"total\">1234</strong>"));
	free(p);
	ck_buf b = CK_BUF_INIT;
	ck_search_opts o = {"x", 20, 0, "relevance", 1};
	cr_assert_eq(ck_srv_results_html(&b, "{not json", 9, &o), -1);
	ck_buf_free(&b);
}
