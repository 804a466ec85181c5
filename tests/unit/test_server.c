/* test_server.c - the web UI's escaping and query helpers (src/server/html.c),
 * the answer cache (cache.c), and routing without an archive (server.c). */
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

static ck_srv_req req(const char *method, const char *path)
{
	ck_srv_req r;
	memset(&r, 0, sizeof r);
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
	ck_srv_set_db("/nonexistent/dir/none.db");
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
}

Test(cache, put_get_evict_and_invalidate)
{
	char path[] = "/tmp/ck_cache_test.XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "a", 1), 1);
	ck_srv_cache_init(path, 64 * 1024);
	ck_buf b = CK_BUF_INIT;
	cr_assert_eq(ck_srv_cache_get("k1", 2, &b), -1);
	ck_srv_cache_put("k1", 2, "value one", 9);
	cr_assert_eq(ck_srv_cache_get("k1", 2, &b), 0);
	cr_assert_str_eq(b.ptr, "value one");
	/* fill beyond the size: the oldest entries go */
	char big[4000];
	memset(big, 'x', sizeof big);
	for (int i = 0; i < 40; i++) {
		char k[16];
		snprintf(k, sizeof k, "big%d", i);
		ck_srv_cache_put(k, strlen(k), big, sizeof big);
	}
	long hits, misses;
	size_t bytes;
	ck_srv_cache_stats(&hits, &misses, &bytes);
	cr_assert_leq(bytes, 64 * 1024);
	ck_buf_clear(&b);
	cr_assert_eq(ck_srv_cache_get("big39", 5, &b), 0);
	cr_assert_eq(ck_srv_cache_get("k1", 2, &b), -1);
	/* a change of the archive file empties it */
	cr_assert_eq(write(fd, "bb", 2), 2);
	ck_buf_clear(&b);
	cr_assert_eq(ck_srv_cache_get("big39", 5, &b), -1);
	ck_srv_cache_free();
	cr_assert_eq(ck_srv_cache_get("big39", 5, &b), -1); /* off */
	ck_buf_free(&b);
	close(fd);
	unlink(path);
}
