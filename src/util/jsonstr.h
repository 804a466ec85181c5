/* jsonstr.h - the one JSON string decoder: the contract-JSON reader
 * (write/json_read.c) and the archive's blob and version readers use it. */
#ifndef CK_UTIL_JSONSTR_H
#define CK_UTIL_JSONSTR_H
#include "cablekit.h"

#include <stddef.h>

/* Decode the JSON string that starts at p, just after its opening quote,
 * and ends at its closing quote (before end), into out, which has room
 * for end - p bytes (no string decodes longer than it is written).
 * Strict (RFC 8259): the eight one-letter escapes and \uXXXX, surrogates
 * only in pairs, no \u0000.  Other bytes are copied as they are: the
 * caller checks UTF-8 and control bytes where its input may hold them.
 * Returns the bytes written and sets *close to the closing quote; -1 with
 * *err set (a message) when the string is malformed. */
long ck_json_str_decode(char *out, const char *p, const char *end, const char **close,
			const char **err);
/* The same, appended to out (NUL-terminated): 0, -1 when malformed, or
 * CK_ENOMEM. */
int ck_json_unescape(ck_buf *out, const char *p, const char *end);
#endif
