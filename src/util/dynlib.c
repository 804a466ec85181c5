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

static void *open_or_die(const char *name)
{
	void *h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		fprintf(stderr, "cablekit: cannot load %s: %s (install it: sh scripts/deps.sh)\n", name, dlerror());
		exit(1);
	}
	return h;
}

static void *sym_or_die(void *h, const char *lib, const char *name)
{
	void *p = dlsym(h, name);
	if (!p) {
		fprintf(stderr, "cablekit: %s has no %s: %s\n", lib, name, dlerror());
		exit(1);
	}
	return p;
}

/* a table T filled from library SONAME on first use, returned by FN */
#define CK_DYN_TABLE(T, FN, SONAME, FUNCS)                                          \
	static struct T FN##_table;                                                  \
	static pthread_once_t FN##_once = PTHREAD_ONCE_INIT;                         \
	static void FN##_load(void)                                                  \
	{                                                                            \
		void *h = open_or_die(SONAME);                                       \
		FUNCS(CK_DYN_LOAD)                                                   \
	}                                                                            \
	const struct T *FN(void)                                                     \
	{                                                                            \
		pthread_once(&FN##_once, FN##_load);                                 \
		return &FN##_table;                                                  \
	}
/* inside FN##_load: table, handle and soname by the names the macro gives */
#define CK_DYN_LOAD(f) *(void **)&CK_DYN_CUR.f = sym_or_die(h, CK_DYN_SONAME, #f);

#define CK_DYN_CUR ck_libarchive_table
#define CK_DYN_SONAME CK_LIBARCHIVE_SONAME
CK_DYN_TABLE(ck_libarchive, ck_libarchive, CK_LIBARCHIVE_SONAME, CK_LIBARCHIVE_FUNCS)
#undef CK_DYN_CUR
#undef CK_DYN_SONAME

#define CK_DYN_CUR ck_libmhd_table
#define CK_DYN_SONAME CK_LIBMHD_SONAME
CK_DYN_TABLE(ck_libmhd, ck_libmhd, CK_LIBMHD_SONAME, CK_LIBMHD_FUNCS)
#undef CK_DYN_CUR
#undef CK_DYN_SONAME
