/*
 * fuzz_source.c - libFuzzer target for the source walker
 * (src/read/source.c): the input is written to a file in memory
 * (memfd) and walked with ck_source_walk, so detection, archives of any
 * kind through libarchive (members, nested archives), JSON Lines
 * streaming, viewer pages, PlusD pages and the splitting of plain text
 * into telegrams all see it; every item must be sound (text within its
 * length, valid format name).  Then the telegram splitter is fed the input
 * in chunks (sizes from the first byte) under a small cap: it must give
 * the same telegrams as one feed, each at most the cap.
 */
#include "read/read.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd = -1;
static char path[64];

static int on_item(const ck_item *it, void *ctx)
{
	unsigned long *sum = ctx;
	if (!it->text || !it->file || !it->format || it->dropped < 0)
		abort();
	for (size_t i = 0; i < it->len; i++)
		*sum = *sum * 31 + (unsigned char)it->text[i];
	if (strcmp(it->format, "html") && strcmp(it->format, "csv") && strcmp(it->format, "jsonl") &&
	    strcmp(it->format, "plusd") && strcmp(it->format, "plusd-record") && strcmp(it->format, "text"))
		abort();
	return 0;
}

static void on_error(const char *file, int line, const char *msg, void *ctx)
{
	if (!file || !msg || line < 0)
		abort();
}

#define CAP 64
struct parts {
	unsigned long sum;
	int n;
};

static int on_part(const char *s, size_t n, long long off, int line, long long dropped, void *ctx)
{
	struct parts *p = ctx;
	if (n > CAP + 0u || dropped < 0 || line < 1 || off < 0)
		abort();
	p->n++;
	p->sum = p->sum * 1000003 + (unsigned long)off * 31 + (unsigned long)line * 7 + (unsigned long)dropped;
	for (size_t i = 0; i < n; i++)
		p->sum = p->sum * 31 + (unsigned char)s[i];
	return 0;
}

static void split(const uint8_t *data, size_t size, size_t step, struct parts *p)
{
	ck_text_stream t;
	ck_text_stream_init(&t, CAP, on_part, p);
	int rc = 0;
	for (size_t i = 0; i < size && !rc; i += step)
		rc = ck_text_stream_feed(&t, (const char *)data + i, size - i < step ? size - i : step);
	if (!rc)
		rc = ck_text_stream_finish(&t);
	if (rc)
		abort();
	ck_text_stream_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fd < 0) {
		fd = memfd_create("ck_fuzz_source", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	unsigned long sum = 0;
	ck_source_walk(path, on_item, on_error, &sum);

	struct parts whole = {0, 0}, chunked = {0, 0};
	split(data, size, size ? size : 1, &whole);
	split(data, size, size ? (size_t)(data[0] % 17) + 1 : 1, &chunked);
	if (whole.n != chunked.n || whole.sum != chunked.sum || whole.n < 1)
		abort();
	return 0;
}
