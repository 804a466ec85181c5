/*
 * error.c - the per-thread last error message.
 *
 * Library functions return a negative CK_E* code and leave a readable
 * message here (libgit2 style), so callers can print it or pass it on.
 */
#include "cablekit.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char last_error[1024];

const char *ck_error_last(void)
{
	return last_error;
}

int ck_error_set(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_error, sizeof last_error, fmt, ap);
	va_end(ap);
	return code;
}
