/*
 * dynlib.c - loading libarchive and libmicrohttpd on first use (see
 * dynlib.h).  The library names are the sonames the build found
 * (Makefile: CK_LIBARCHIVE_SONAME, CK_LIBMHD_SONAME).
 */
#include <archive.h>
#include <archive_entry.h>
#include <microhttpd.h>

#define CK_DYNLIB_IMPL /* the tables, without the renaming macros */
#include "util/dynlib.h"

#include "cablekit.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef CK_LIBARCHIVE_SONAME
#define CK_LIBARCHIVE_SONAME "libarchive.so.13"
#endif
#ifndef CK_LIBMHD_SONAME
#define CK_LIBMHD_SONAME "libmicrohttpd.so.12"
#endif

/* A library or symbol that cannot be had leaves the table NULL and says why
 * in the thread's last error; the caller returns that error. */
static void *open_lib(const char *name, char *why, size_t n)
{
	void *h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		snprintf(why, n, "cannot load %s: %s (install it: sh scripts/deps.sh)", name, dlerror());
	return h;
}

static int load_sym(void *h, const char *lib, const char *name, void **out, char *why, size_t n)
{
	if (!h)
		return -1;
	*out = dlsym(h, name);
	if (!*out) {
		snprintf(why, n, "%s has no %s", lib, name);
		return -1;
	}
	return 0;
}

/* a table T filled from library SONAME on first use, returned by FN (NULL,
 * with the thread's last error set, when the library cannot be loaded) */
#define CK_DYN_TABLE(T, FN, SONAME, FUNCS)                                          \
	static struct T FN##_table;                                                  \
	static int FN##_ok;                                                          \
	static char FN##_why[512];                                                   \
	static pthread_once_t FN##_once = PTHREAD_ONCE_INIT;                         \
	static void FN##_load(void)                                                  \
	{                                                                            \
		void *h = open_lib(SONAME, FN##_why, sizeof FN##_why);               \
		int bad = !h;                                                        \
		FUNCS(CK_DYN_LOAD)                                                   \
		FN##_ok = !bad;                                                      \
	}                                                                            \
	const struct T *FN(void)                                                     \
	{                                                                            \
		pthread_once(&FN##_once, FN##_load);                                 \
		if (!FN##_ok) {                                                      \
			ck_error_set(CK_EIO, "%s", FN##_why);                        \
			return NULL;                                                 \
		}                                                                    \
		return &FN##_table;                                                  \
	}
/* inside FN##_load: table, handle and soname by the names the macro gives */
#define CK_DYN_LOAD(f) \
	bad |= !bad && load_sym(h, CK_DYN_SONAME, #f, (void **)&CK_DYN_CUR.f, CK_DYN_WHY, sizeof CK_DYN_WHY);

#define CK_DYN_CUR ck_libarchive_table
#define CK_DYN_SONAME CK_LIBARCHIVE_SONAME
#define CK_DYN_WHY ck_libarchive_why
CK_DYN_TABLE(ck_libarchive, ck_libarchive, CK_LIBARCHIVE_SONAME, CK_LIBARCHIVE_FUNCS)
#undef CK_DYN_CUR
#undef CK_DYN_SONAME
#undef CK_DYN_WHY

#define CK_DYN_CUR ck_libmhd_table
#define CK_DYN_SONAME CK_LIBMHD_SONAME
#define CK_DYN_WHY ck_libmhd_why
CK_DYN_TABLE(ck_libmhd, ck_libmhd, CK_LIBMHD_SONAME, CK_LIBMHD_FUNCS)
#undef CK_DYN_CUR
#undef CK_DYN_SONAME
#undef CK_DYN_WHY
