/* utf8.h - UTF-8 helpers shared by the decoder and the readers. */
#ifndef CK_UTIL_UTF8_H
#define CK_UTIL_UTF8_H
#include <stddef.h>
/* Write code point cp (U+0000..U+10FFFF; others become U+FFFD) as UTF-8
 * at out (room for 4 bytes); returns the bytes written. */
size_t ck_utf8_put(char *out, unsigned long cp);
/* Length of the valid UTF-8 sequence at p (n bytes left; no overlongs,
 * no surrogates), or 0 when it is not one. */
size_t ck_utf8_valid(const unsigned char *p, size_t n);
#endif
