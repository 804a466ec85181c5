/*
 * seventies.h - the 1970s telegram layout (seventies.c) and the fields of
 * PlusD record pages (plusd.c), kept apart from the passes of the main
 * parser, which they call.
 */
#ifndef CK_PARSE_SEVENTIES_H
#define CK_PARSE_SEVENTIES_H

#include "parse/internal.h" /* enum ck_id_source_ */

/* 1 when text (UTF-8, LF) is a 1970s telegram printout: a "PAGE 01 POST
 * SERIAL" page header near the top, with an office distribution block,
 * a DRAFTED BY line or the dashes line before a date-time group whose
 * year is 66-89 (later printouts are left to the main parser). */
int ck_70s_detect(const char *text, size_t len);

/* Parse a 1970s telegram: the printout lines (banners, page headers,
 * line count, distribution, DRAFTED/APPROVED BY, clearances, the dashes
 * line, trailers) are read into their fields and taken out, spaced forms
 * ("P R 221828 Z MAY 73", "E. O. 11652", "STADIS//////", a series after
 * the serial) are normalized, and the rest goes through the main parser
 * (ck_parse_text_); problem lines refer to the input.  Same contract as
 * ck_parse_ex_. */
int ck_70s_parse(ck_cable **out, const char *text, size_t len, const ck_parse_opts *opts,
		 enum ck_id_source_ *id_source);

/* Weigh the fields of a PlusD record page (ck_item.record) against the
 * parsed telegram: fill what the text lacks, record a "record-*" problem
 * where they disagree, and keep every field in c->source.record. */
void ck_plusd_page_apply_(ck_cable *c, const ck_kv *kv, size_t n);

/* "15 MAY 2002", "18-Sep-2001", "2002-05-15" -> "2002-05-15"; 0 on success. */
int ck_70s_date_iso(const char *s, size_t n, char out[11]);

#endif
