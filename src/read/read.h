/*
 * read.h - internals of the readers (src/read/): format detection, the
 * viewer-page extractor, the streaming cables.csv parser and the splitter
 * of plain telegram text.  Each works on a buffer the caller owns, so the
 * fuzz targets (fuzz/fuzz_html.c, fuzz/fuzz_csv.c) and the unit tests call
 * them directly; source.c feeds them from files, folders, stdin and
 * archives.
 */
#ifndef CK_READ_H
#define CK_READ_H

#include "cablekit.h"

/* ---- detection (detect.c) ---------------------------------------------- */

enum ck_fmt {
	CK_FMT_EMPTY,   /* no bytes, or only white space */
	CK_FMT_UNKNOWN, /* binary, image, anything that is not a cable */
	CK_FMT_ARCHIVE, /* zip, 7z, tar, gzip, bzip2, xz: open with libarchive */
	CK_FMT_HTML,    /* cablegate viewer page (or another html page) */
	CK_FMT_CSV,     /* cables.csv: rows starting "<digits>"," */
	CK_FMT_JSONL,   /* JSON Lines written by `cablekit parse` */
	CK_FMT_PLUSD,   /* PlusD page text (markdown-like) */
	CK_FMT_TEXT,    /* plain telegram text */
	CK_FMT_PLUSD_PAGE,  /* PlusD record page (plusd/cables/<ID>.html) */
};

/* Tell the format of a file from its first bytes (up to 64 KB are enough;
 * fewer when the file is shorter).  Never reads past buf+len. */
int ck_read_detect(const char *buf, size_t len);
/* "html", "csv", ... for an enum ck_fmt value ("unknown" otherwise). */
const char *ck_read_fmt_name(int fmt);

/* The sentence viewer pages and csv rows put in place of a missing header. */
#define CK_PARTIAL_EXTRACT "This record is a partial extract of the original cable."

/* Bytes to drop at the start of s when it opens (after white space) with
 * the partial-extract sentence (and its "The full text ... is not
 * available." and the blank lines after); 0 when it does not. */
size_t ck_read_partial_prefix(const char *s, size_t n);

/* ---- viewer pages (html.c) ---------------------------------------------- */

typedef struct ck_html_page {
	ck_buf text;                   /* telegram text: header "\n" body */
	char meta_id[64];              /* metadata table ("" when absent) */
	char meta_date[64];
	char meta_classification[96];  /* the link text, not its title */
	char meta_origin[128];
	int partial;                   /* "partial extract" page */
	int truncated;                 /* a <pre> block was not closed */
	ck_buf note;                   /* repairs, "; "-separated ("" if none) */
	long long pre_offset;          /* byte offset of the first <pre> */
	ck_buf scratch;                /* the body while it is cleaned */
} ck_html_page;

void ck_html_page_init(ck_html_page *p);
void ck_html_page_free(ck_html_page *p);
/* Extract the cable of a viewer page held in buf[0..len) (need not be
 * NUL-terminated).  Returns 0; CK_EPARSE when the page has no <pre> block
 * (not a viewer page); CK_ENOMEM.  The page is reset first. */
int ck_read_html(ck_html_page *p, const char *buf, size_t len);
/* Append the text of an html fragment to out: entities decoded (&amp; &lt;
 * &gt; &quot; &apos; &#39; &nbsp; &#xNNNN; &#NNN;; unknown ones kept as
 * written), tags of html elements stripped (their content kept), any other
 * "<...>" kept as text.  Returns 0 or CK_ENOMEM. */
int ck_read_html_text(ck_buf *out, const char *s, size_t n);

/* ---- PlusD record pages (plusd_page.c) -------------------------------------- */

#define CK_PLUSD_FIELDS 256      /* fields kept per page */
#define CK_PLUSD_VALUE 8192      /* bytes kept per value */
#define CK_PLUSD_VALUE_S "8192"

typedef struct ck_plusd_page {
	ck_buf text;      /* telegram text (pane "Raw content", else "Content") */
	ck_buf store;     /* "prefix.key" NUL value NUL ... */
	size_t *off;      /* offset of each field's key in store */
	uint32_t *khash;  /* hash of each field's "prefix.key" (duplicate check) */
	size_t nfields, cap;
	int has_synopsis, has_text, has_metadata;
	int capped;       /* a value was cut at CK_PLUSD_VALUE */
	ck_buf note;      /* repairs and missing blocks, "; "-separated */
	ck_buf scratch;
} ck_plusd_page;

void ck_plusd_page_init(ck_plusd_page *p);
void ck_plusd_page_free(ck_plusd_page *p);
/* Read a PlusD record page held in buf[0..len).  Returns 0; CK_EPARSE
 * when it has none of the three blocks (not a record page); CK_ENOMEM. */
int ck_read_plusd_page(ck_plusd_page *p, const char *buf, size_t len);
/* The fields read ("synopsis.Date", "metadata.Film Number", "text.Current
 * Classification"), pointing into p (valid until the next read); at most
 * max.  Returns how many. */
size_t ck_plusd_page_fields(const ck_plusd_page *p, ck_kv *out, size_t max);
/* 1 when an html page is a PlusD record page (looked for in buf[0..n)). */
int ck_read_is_plusd_page(const char *buf, size_t n);

/* ---- cables.csv (csv.c) ------------------------------------------------- */

#define CK_CSV_FIELDS 8
#define CK_CSV_MAX_ROW (64u << 20) /* a row longer than this is an error */

typedef struct ck_csv_row {
	const char *field[CK_CSV_FIELDS]; /* decoded, NUL-terminated */
	size_t len[CK_CSV_FIELDS];
	long long offset;                 /* byte offset of the row */
	int line;                         /* first line of the row (1-based) */
	int nuls;                         /* \0 escapes dropped from the row */
} ck_csv_row;

/* Row callback: return non-zero to stop.  Error callback: line of the row
 * (or of the damage) and a message. */
typedef int (*ck_csv_row_fn)(const ck_csv_row *row, void *ctx);
typedef void (*ck_csv_err_fn)(int line, const char *msg, void *ctx);

typedef struct ck_csv {
	ck_buf raw;          /* bytes of the current row and what follows */
	ck_buf dec;          /* decoded fields of the row being emitted */
	size_t rs;           /* start of the current row in raw */
	size_t pos;          /* next byte of raw to scan */
	size_t ls;           /* start of the current line in raw */
	int state;
	int nfields;
	int line;            /* line number at raw[pos] */
	int row_line;        /* line of raw[rs] */
	int ls_line;         /* line of raw[ls] */
	long long base;      /* file offset of raw[0] */
	int stopped;         /* the row callback asked to stop */
	int errors;          /* rows reported broken */
	long rows;           /* rows emitted */
	int nuls;            /* \0 escapes dropped from the row being emitted */
	size_t max_row;      /* CK_CSV_MAX_ROW unless changed (tests) */
	ck_csv_row_fn on_row;
	ck_csv_err_fn on_error;
	void *ctx;
} ck_csv;

void ck_csv_init(ck_csv *p, ck_csv_row_fn on_row, ck_csv_err_fn on_error,
		 void *ctx);
/* Feed the next bytes of the file (any chunk size, rows may span chunks).
 * Returns 0, 1 when the row callback stopped the parse, or CK_ENOMEM. */
int ck_csv_feed(ck_csv *p, const char *data, size_t n);
/* End of file: emit or report the last row.  Returns like ck_csv_feed. */
int ck_csv_finish(ck_csv *p);
void ck_csv_free(ck_csv *p);
/* Parse a whole buffer (init, feed, finish, free). */
int ck_read_csv_buf(const char *buf, size_t len, ck_csv_row_fn on_row,
		    ck_csv_err_fn on_error, void *ctx);

/* The date column "12/28/1966 18:48" (M/D/YYYY H:MM) as the viewer pages
 * write it, "1966-12-28 18:48", in out; any other value is returned as it
 * is (out unused). */
const char *ck_csv_date(const char *s, char *out, size_t outsz);
/* ---- size caps ----------------------------------------------------------- */

/* The largest cable kept: a telegram (or page text, or csv row text) over
 * this keeps its first CK_MAX_CABLE bytes (ck_read_cut) and the item says
 * how many it lost (item->dropped: the parse step records a `too-large`
 * problem).  The largest cable of the dev corpus is 55 KB of text and real
 * Cablegate cables reach a few hundred KB, so only junk reaches 4 MB; the
 * readers hold at most about this much of any one cable. */
#define CK_MAX_CABLE (4u << 20)
/* a viewer page is read up to this much (its markup around the text);
 * the rest of a longer file is counted, not kept */
#define CK_MAX_PAGE (4 * CK_MAX_CABLE)
/* a JSON Lines record (a cable at the cap written by `cablekit parse`
 * holds its text twice, body and paragraphs, escaped); a longer line is
 * reported and skipped */
#define CK_MAX_RECORD (4 * CK_MAX_CABLE)

/* Where to cut s[0..n) so that at most max bytes stay: n when n <= max;
 * else after the last newline in the last 64 KB before max, else at max
 * moved back so as not to split a UTF-8 sequence. */
size_t ck_read_cut(const char *s, size_t n, size_t max);

/* ---- plain telegram text (text.c) --------------------------------------- */

/* Called for each telegram of a text: its bytes, byte offset and first
 * line in the file; return non-zero to stop. */
typedef int (*ck_text_part_fn)(const char *s, size_t n, size_t offset,
			       int line, void *ctx);
/* Split a text holding one or more telegrams (a new one starts at a second
 * "VZCZC" line, or after an "NNNN" line); a text with one telegram gives
 * one part, the whole text.  Returns the number of parts, or -1 if fn
 * stopped the split. */
int ck_read_text_split(const char *s, size_t n, ck_text_part_fn fn, void *ctx);

/* The same split, streamed: fed the text in chunks of any size, it keeps
 * only the telegram being gathered and of it at most max bytes (a part
 * without a body joins its neighbour, text.c says how).  fn gets each
 * telegram's kept bytes (cut by ck_read_cut), its offset and first line in
 * the file, and how many bytes of it were dropped (0 under the cap);
 * return non-zero to stop. */
typedef int (*ck_text_cut_fn)(const char *s, size_t n, long long offset, int line,
			      long long dropped, void *ctx);

typedef struct ck_text_stream {
	ck_buf part;         /* kept bytes of the telegram being gathered */
	ck_buf head;         /* first bytes of the line in progress */
	size_t max;
	long long pos;       /* file offset of the next byte fed */
	long long start;     /* file offset of the telegram being gathered */
	long long gend;      /* end of the parts gathered in it (when held) */
	long long pstart;    /* file offset of the part being read */
	long long ls;        /* file offset of the line in progress */
	int line, start_line, pstart_line;
	int at_bol;          /* the next byte starts a line */
	int state, k;        /* what the line in progress is, so far */
	int nonblank;        /* the part being read has a non-blank byte */
	int nonblank_before; /* ... before the line in progress */
	int seen_vz;
	int held;            /* parts were gathered, [start, gend) */
	int gbody, pbody;    /* body of those parts, of the part being read */
	char lead[32];       /* first bytes of the line in progress after its indent */
	size_t leadn;
	int parts;
	int stopped;
	ck_text_cut_fn fn;
	void *ctx;
} ck_text_stream;

void ck_text_stream_init(ck_text_stream *t, size_t max, ck_text_cut_fn fn, void *ctx);
/* Returns 0, 1 when fn stopped the split, or CK_ENOMEM. */
int ck_text_stream_feed(ck_text_stream *t, const char *s, size_t n);
/* End of the text: hand over the last telegram.  Returns like feed. */
int ck_text_stream_finish(ck_text_stream *t);
void ck_text_stream_free(ck_text_stream *t);

/* ---- an export record inside plain text (record.c) ----------------------- */

typedef struct ck_text_record {
	char id[48];             /* refid, "06BOGOTA2554" */
	char date[24];           /* "YYYY-MM-DD HH:MM" */
	char origin[64];         /* "Embassy Bogota" */
	char classification[64]; /* the archive marking, "SECRET//NOFORN" */
	size_t cut_from, cut_to; /* bytes to cut (the keyed record's lines), or equal */
	size_t end_from, end_to; /* its "header ends" line, or equal */
	const char *note;        /* what was found (static text) */
} ck_text_record;

/* Find an export record before the body of a telegram text (the forms are
 * listed in record.c).  Returns 1 and fills r when there is one, else 0. */
int ck_read_text_record(const char *s, size_t n, ck_text_record *r);

#endif
