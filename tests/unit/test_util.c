/* test_util.c - buffers, arena, JSON string escaping and decoding. */
#include "unit.h"
#include "parse/internal.h"
#include "util/jsonstr.h"
#include "util/worker.h"

#include <pthread.h>
#include <unistd.h>

Test(buf, append_and_detach)
{
	ck_buf b = CK_BUF_INIT;
	ck_buf_puts(&b, "abc");
	ck_buf_putc(&b, '-');
	ck_buf_printf(&b, "%d", 42);
	for (int i = 0; i < 1000; i++)
		ck_buf_putc(&b, 'x');
	cr_assert_eq(b.len, 1006);
	cr_assert_eq(strncmp(b.ptr, "abc-42x", 7), 0);
	char *p = ck_buf_detach(&b);
	cr_assert_null(b.ptr);
	cr_assert_eq(strlen(p), 1006);
	free(p);
}

Test(arena, many_allocations)
{
	ck_arena *a = ck_arena_new();
	char *last = NULL;
	for (int i = 0; i < 10000; i++) {
		last = ck_arena_printf(a, "item %d", i);
		cr_assert_not_null(last);
	}
	cr_assert_str_eq(last, "item 9999");
	char *big = ck_arena_alloc(a, 1 << 20);
	big[(1 << 20) - 1] = 1;
	cr_assert_str_eq(ck_arena_strndup(a, "hello world", 5), "hello");
	ck_arena_free(a);
}

Test(json, string_escapes)
{
	ck_buf b = CK_BUF_INIT;
	ck_json_str(&b, "a\"b\\c\nd\x01" "e\xe2\x80\xa8");
	cr_assert_str_eq(b.ptr, "\"a\\\"b\\\\c\\nd\\u0001e\\u2028\"");
	ck_buf_clear(&b);
	ck_json_str(&b, NULL);
	cr_assert_str_eq(b.ptr, "null");
	ck_buf_free(&b);
}

/* The archive's decoder (ck_json_unescape, blob bodies) and the contract
 * reader (ck_cable_read_json) are one decoder: they take and refuse the
 * same strings.  Before, the archive's took a lone surrogate (writing a
 * surrogate's bytes, not UTF-8) and "\q" (as "q"), which the reader refused. */
Test(json, one_string_decoder)
{
	static const struct {
		const char *lit;  /* the literal after its opening quote */
		const char *want; /* decoded, or NULL: refused */
	} cases[] = {
		{"plain\"", "plain"},
		{"a\\n\\t\\\"\\/\\\\b\"", "a\n\t\"/\\b"},
		{"\\u00e9\\u2028\"", "\xc3\xa9\xe2\x80\xa8"},
		{"\\ud83d\\ude00!\"", "\xf0\x9f\x98\x80!"},
		{"\\ud83d alone\"", NULL},
		{"\\ude00\"", NULL},
		{"\\q\"", NULL},
		{"\\u0000\"", NULL},
		{"\\u12\"", NULL},
		{"no end", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *lit = cases[i].lit;
		ck_buf b = CK_BUF_INIT;
		int rc = ck_json_unescape(&b, lit, lit + strlen(lit));
		if (cases[i].want) {
			cr_assert_eq(rc, 0, "%s", lit);
			cr_assert_str_eq(b.ptr, cases[i].want, "%s", lit);
		} else {
			cr_assert_neq(rc, 0, "%s", lit);
		}
		ck_buf_free(&b);
		/* the same string as a member the reader reads back */
		ck_buf j = CK_BUF_INIT;
		ck_buf_printf(&j, "{\"version\":1,\"subject\":\"%s}", lit);
		ck_cable *c = NULL;
		rc = ck_cable_read_json(&c, j.ptr, j.len);
		if (cases[i].want) {
			cr_assert_eq(rc, 0, "%s: %s", j.ptr, ck_error_last());
			cr_assert_str_eq(c->subject, cases[i].want, "%s", lit);
		} else {
			cr_assert_neq(rc, 0, "%s", j.ptr);
		}
		ck_cable_free(c);
		ck_buf_free(&j);
	}
}

/* ck_collapse_into_ byte by byte, as its comment says: leading white space
 * dropped, each run of white space and no-break spaces (C2 A0) one space,
 * none at the end. */
static size_t collapse_slow(char *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	char *o = out;
#define WS(c) ((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\v' || (c) == '\f' || (c) == '\r')
	while (p < e && WS(*p))
		p++;
	while (p < e) {
		if (!WS(*p) && !(*p == 0xC2 && p + 1 < e && p[1] == 0xA0)) {
			*o++ = (char)*p++;
			continue;
		}
		while (p < e && (WS(*p) || (*p == 0xC2 && p + 1 < e && p[1] == 0xA0)))
			p += *p == 0xC2 ? 2 : 1;
		if (p < e && o > out && o[-1] != ' ')
			*o++ = ' ';
	}
#undef WS
	return (size_t)(o - out);
}

/* the 8-byte fast path (bit tricks that may flag a byte above a true one:
 * "! ", "!!") gives what the byte loop gives */
Test(text, collapse_fast_path_same_as_bytes)
{
	static const unsigned char alphabet[] = {'a', 'b', ' ', ' ', ' ', '\t', '\n', 0xC2, 0xA0,
						 '!', '"', 0x01, 0x00, 0x1F, 0xC3, '.'};
	unsigned seed = 12345;
	char in[64], fast[64], slow[64];
	for (int round = 0; round < 200000; round++) {
		size_t n = (size_t)(round % 41);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (char)alphabet[(seed >> 16) % sizeof alphabet];
		}
		size_t fl = ck_collapse_into_(fast, in, n);
		size_t sl = collapse_slow(slow, in, n);
		cr_assert_eq(fl, sl, "round %d: %zu bytes, slow %zu", round, fl, sl);
		cr_assert_eq(memcmp(fast, slow, fl), 0, "round %d", round);
	}
}

/* a job that waits until released, so that the test sees it running */
struct held {
	pthread_mutex_t mu;
	int release, ran;
	pthread_t on;
};

static void held_job(void *arg)
{
	struct held *h = arg;
	h->on = pthread_self();
	for (;;) {
		pthread_mutex_lock(&h->mu);
		int r = h->release;
		pthread_mutex_unlock(&h->mu);
		if (r)
			break;
		usleep(1000);
	}
	h->ran++;
}

/* the helper runs a job on its own thread, refuses a second one while the
 * first runs, and after a wait runs the next; freeing waits for a job */
Test(worker, one_job_at_a_time)
{
	ck_worker *w = ck_worker_new();
	cr_assert_not_null(w);
	struct held h = {PTHREAD_MUTEX_INITIALIZER, 0, 0, pthread_self()};
	cr_assert_eq(ck_worker_start(w, held_job, &h), 0);
	cr_assert_eq(ck_worker_start(w, held_job, &h), -1, "a second job while the first runs");
	pthread_mutex_lock(&h.mu);
	h.release = 1;
	pthread_mutex_unlock(&h.mu);
	ck_worker_wait(w);
	cr_assert_eq(h.ran, 1);
	cr_assert(!pthread_equal(h.on, pthread_self()), "the job ran on the helper");
	cr_assert_eq(ck_worker_start(w, held_job, &h), 0, "the next job after a wait");
	ck_worker_free(w); /* waits for it */
	cr_assert_eq(h.ran, 2);
	ck_worker_wait(NULL);
	cr_assert_eq(ck_worker_start(NULL, held_job, &h), -1);
	ck_worker_free(NULL);
	cr_assert(ck_worker_cpus() >= 1);
}

static void count_job(void *arg)
{
	__atomic_add_fetch((int *)arg, 1, __ATOMIC_RELAXED);
}

/* a job given is run once: by the helper, or by its owner when taken back
 * before the helper started it (both happen over many tries) */
Test(worker, reclaim_runs_a_job_once)
{
	ck_worker *w = ck_worker_new();
	cr_assert_not_null(w);
	int ran = 0, took = 0;
	for (int i = 0; i < 2000; i++) {
		cr_assert_eq(ck_worker_start(w, count_job, &ran), 0, "try %d", i);
		if (ck_worker_reclaim(w)) {
			took++;
			count_job(&ran);
		} else {
			ck_worker_wait(w);
		}
		cr_assert_eq(__atomic_load_n(&ran, __ATOMIC_RELAXED), i + 1, "try %d", i);
	}
	cr_assert_eq(ck_worker_reclaim(w), 0, "nothing given");
	ck_worker_free(w);
	cr_log_info("taken back %d of 2000", took);
}
