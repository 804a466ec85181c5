/* assets.h - static files of the web UI, embedded at build time by
 * scripts/genassets.sh (build/gen/assets.c). */
#ifndef CK_SERVER_ASSETS_H
#define CK_SERVER_ASSETS_H
#include <stddef.h>
struct ck_asset {
	const char *name;          /* file name, "app.css" */
	const char *content_type;  /* "text/css; charset=utf-8" */
	const unsigned char *data; /* bytes (NUL after the last) */
	size_t size;               /* bytes, without the NUL */
};
extern const struct ck_asset ck_assets[]; /* ends with a NULL name */
#endif
