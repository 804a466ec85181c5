/*
 * fuzz_csv.c - libFuzzer target for the streaming cables.csv parser: the
 * input is parsed whole, then again fed in small chunks (sizes taken from
 * the first byte); both must give the same rows and errors, never crash,
 * never read outside the input, never leak.  The row limit is lowered so
 * that the too-long path is reached.  Build with `make fuzz`.
 */
#include "read/read.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct tally {
	long rows, errors;
	unsigned long sum; /* a hash of what the rows hold */
};

static int on_row(const ck_csv_row *r, void *ctx)
{
	struct tally *t = ctx;
	t->rows++;
	for (int i = 0; i < CK_CSV_FIELDS; i++) {
		if (strlen(r->field[i]) > r->len[i])
			abort();
		for (size_t k = 0; k < r->len[i]; k++)
			t->sum = t->sum * 31 + (unsigned char)r->field[i][k];
	}
	t->sum += (unsigned long)r->line * 7 + (unsigned long)r->offset;
	return 0;
}

static void on_error(int line, const char *msg, void *ctx)
{
	struct tally *t = ctx;
	t->errors++;
	t->sum += (unsigned long)line;
	(void)msg;
}

static void run(const char *buf, size_t size, size_t step, struct tally *t)
{
	ck_csv p;
	ck_csv_init(&p, on_row, on_error, t);
	p.max_row = 512;
	int rc = 0;
	for (size_t i = 0; i < size && !rc; i += step)
		rc = ck_csv_feed(&p, buf + i, size - i < step ? size - i : step);
	if (!rc)
		ck_csv_finish(&p);
	ck_csv_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	struct tally whole = {0}, chunked = {0};
	run(buf, size, size ? size : 1, &whole);
	size_t step = size ? (size_t)(data[0] % 13) + 1 : 1;
	run(buf, size, step, &chunked);
	if (whole.rows != chunked.rows || whole.errors != chunked.errors ||
	    whole.sum != chunked.sum)
		abort();
	free(buf);
	return 0;
}
