/*
 * dynlib.h - libarchive and libmicrohttpd, loaded when first used.
 *
 * Most commands touch neither library, yet linked in they cost every run
 * of cablekit ~6 ms before main(): they pull in ICU, libxml2, GnuTLS and
 * more, all bound at load time (cablekit --version: 9.4 ms with them,
 * 1.5 ms without).  The files that call them include this header after
 * <archive.h> / <microhttpd.h>: each function name becomes a call through
 * a table that dlopen() fills on first use.  ck_libarchive() and ck_libmhd()
 * return NULL, with the thread's last error set, when the library cannot be
 * loaded: each entry point (opening an archive, starting the server) asks
 * first and returns that error, so no call goes through an empty table.
 */
#ifndef CK_DYNLIB_H
#define CK_DYNLIB_H

#define CK_LIBARCHIVE_FUNCS(X) \
	X(archive_entry_filetype) X(archive_entry_pathname) X(archive_error_string) \
	X(archive_filter_code) X(archive_format) X(archive_read_data) X(archive_read_free) \
	X(archive_read_new) X(archive_read_next_header) X(archive_read_open_fd) \
	X(archive_read_open_memory) X(archive_read_support_filter_all) \
	X(archive_read_support_filter_gzip) X(archive_read_support_format_all) \
	X(archive_read_support_format_raw)

#define CK_LIBMHD_FUNCS(X) \
	X(MHD_add_response_header) X(MHD_create_response_from_buffer) X(MHD_destroy_response) \
	X(MHD_get_connection_info) X(MHD_get_connection_values) X(MHD_get_daemon_info) \
	X(MHD_http_unescape) X(MHD_lookup_connection_value) \
	X(MHD_queue_response) X(MHD_start_daemon) X(MHD_stop_daemon)

#define CK_DYN_MEMBER(f) __typeof__(f) *f;

#ifdef ARCHIVE_VERSION_NUMBER
struct ck_libarchive {
	CK_LIBARCHIVE_FUNCS(CK_DYN_MEMBER)
};
const struct ck_libarchive *ck_libarchive(void);
#ifndef CK_DYNLIB_IMPL
#define CK_LA (ck_libarchive())
#define archive_entry_filetype CK_LA->archive_entry_filetype
#define archive_entry_pathname CK_LA->archive_entry_pathname
#define archive_error_string CK_LA->archive_error_string
#define archive_filter_code CK_LA->archive_filter_code
#define archive_format CK_LA->archive_format
#define archive_read_data CK_LA->archive_read_data
#define archive_read_free CK_LA->archive_read_free
#define archive_read_new CK_LA->archive_read_new
#define archive_read_next_header CK_LA->archive_read_next_header
#define archive_read_open_fd CK_LA->archive_read_open_fd
#define archive_read_open_memory CK_LA->archive_read_open_memory
#define archive_read_support_filter_all CK_LA->archive_read_support_filter_all
#define archive_read_support_filter_gzip CK_LA->archive_read_support_filter_gzip
#define archive_read_support_format_all CK_LA->archive_read_support_format_all
#define archive_read_support_format_raw CK_LA->archive_read_support_format_raw
#endif
#endif

#ifdef MHD_VERSION
struct ck_libmhd {
	CK_LIBMHD_FUNCS(CK_DYN_MEMBER)
};
const struct ck_libmhd *ck_libmhd(void);
#ifndef CK_DYNLIB_IMPL
#define CK_MHD (ck_libmhd())
#define MHD_add_response_header CK_MHD->MHD_add_response_header
#define MHD_create_response_from_buffer CK_MHD->MHD_create_response_from_buffer
#define MHD_destroy_response CK_MHD->MHD_destroy_response
#define MHD_get_connection_info CK_MHD->MHD_get_connection_info
#define MHD_get_connection_values CK_MHD->MHD_get_connection_values
#define MHD_get_daemon_info CK_MHD->MHD_get_daemon_info
#define MHD_http_unescape CK_MHD->MHD_http_unescape
#define MHD_lookup_connection_value CK_MHD->MHD_lookup_connection_value
#define MHD_queue_response CK_MHD->MHD_queue_response
#define MHD_start_daemon CK_MHD->MHD_start_daemon
#define MHD_stop_daemon CK_MHD->MHD_stop_daemon
#endif
#endif

#endif
