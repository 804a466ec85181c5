/* unit_archive.h - helpers of the unit tests that store cables in an
 * archive through its internal API (src/archive/archive.h). */
#ifndef CK_TEST_UNIT_ARCHIVE_H
#define CK_TEST_UNIT_ARCHIVE_H
#include "unit.h"
#include "archive/archive.h"

/* Parse a telegram text (year for ids without one) and store it in the
 * caller's transaction. */
static inline void unit_store(ck_archive *a, const char *text, int year)
{
	ck_cable *c = unit_parse(text, year);
	ck_rec r;
	ck_ingest_stats st = {0};
	cr_assert_eq(ck_rec_prepare(&r, c), 0);
	cr_assert_eq(ck_archive_store(a, &r, &st), 0, "%s", ck_error_last());
	ck_rec_free(&r);
}
#endif
