/*
 * cablekit.h - the public API of libcablekit.
 *
 * cablekit reads US diplomatic cables (telegram text, viewer pages, PlusD
 * text, cables.csv, archives of those), parses them into `ck_cable`, writes
 * them back (JSON, telegram text, CSV, GraphML, bulk) and keeps them in an
 * embedded SQLite + FTS5 archive.  Every public symbol starts with `ck_` or
 * `CK_`; `make checksymbols` fails the build otherwise.
 *
 * Conventions: functions return 0 on success or a negative CK_E* code.
 * Out-parameters come first and are named `out`.  Every returned pointer
 * says who frees it.
 */
#ifndef CABLEKIT_H
#define CABLEKIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Everything declared here is the library's API and is exported; the rest
 * of the library is built with -fvisibility=hidden (make checksymbols). */
#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

#define CK_VERSION "0.1.0"
#define CK_JSON_VERSION 1

/* ---- errors ------------------------------------------------------------ */

enum {
	CK_OK = 0,
	CK_ERROR = -1,     /* generic failure; see ck_error_last() */
	CK_ENOMEM = -2,    /* out of memory */
	CK_ENOTFOUND = -3, /* no such cable / file / route */
	CK_EPARSE = -4,    /* input could not be parsed (query, JSON ...) */
	CK_EBUSY = -5,     /* archive locked */
	CK_EIO = -6,       /* read or write failed */
	CK_EINVAL = -7,    /* bad argument */
	CK_ELIMIT = -8,    /* input over a limit (size, complexity) */
};

/* The message of the last error on this thread ("" when none).  Owned by
 * the library; valid until the next failing call on this thread. */
const char *ck_error_last(void);
/* Set the thread's last error (printf-style); returns `code`. */
int ck_error_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- growable buffer --------------------------------------------------- */

typedef struct ck_buf {
	char *ptr;   /* NUL-terminated contents (NULL when empty and unused) */
	size_t len;  /* bytes used, not counting the NUL */
	size_t cap;  /* bytes allocated */
	int failed;  /* an allocation failed: appends are no-ops from then on */
} ck_buf;

#define CK_BUF_INIT {NULL, 0, 0, 0}

/* Memory failures are sticky (libgit2's git_str): after one, the buffer
 * keeps what it had, every append returns CK_ENOMEM and does nothing, and
 * ck_buf_detach() returns NULL.  Writers check once, at the end. */
#define ck_buf_failed(b) ((b)->failed)

int ck_buf_grow(ck_buf *b, size_t extra);             /* room for extra+1 */
int ck_buf_put(ck_buf *b, const void *data, size_t n); /* append bytes */
int ck_buf_puts(ck_buf *b, const char *s);             /* append a C string */
int ck_buf_putc(ck_buf *b, int c);                     /* append one byte */
int ck_buf_printf(ck_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ck_buf_clear(ck_buf *b);  /* len = 0, keeps the memory */
void ck_buf_free(ck_buf *b);   /* frees the memory, back to CK_BUF_INIT */
/* Hand the contents to the caller (free() it); the buffer is reset.  NULL
 * (the buffer freed, CK_ENOMEM the last error) when an append had failed. */
char *ck_buf_detach(ck_buf *b);

/* ---- arena ------------------------------------------------------------- */

/* A bump allocator: everything allocated from it is freed at once by
 * ck_arena_free().  With CK_ARENA_MALLOC=1 in the environment (or built
 * with -DCK_ARENA_MALLOC) each allocation is a separate malloc, so that
 * sanitizers see every object. */
typedef struct ck_arena ck_arena;

ck_arena *ck_arena_new(void);
void ck_arena_free(ck_arena *a);
/* Non-zero once an allocation from `a` has failed (sticky, like ck_buf):
 * the parser returns CK_ENOMEM for such a cable instead of a partial one. */
int ck_arena_failed(const ck_arena *a);
void *ck_arena_alloc(ck_arena *a, size_t n);           /* zeroed, aligned 16 */
char *ck_arena_strndup(ck_arena *a, const char *s, size_t n);
char *ck_arena_strdup(ck_arena *a, const char *s);
char *ck_arena_printf(ck_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- the parsed cable -------------------------------------------------- */

typedef struct ck_strv {
	const char **v;  /* n strings, arena-owned */
	size_t n;
} ck_strv;

typedef struct ck_ref {
	const char *label;  /* "A", "B" ... or NULL */
	const char *text;   /* the reference as written, "STATE 12345" */
	const char *id;     /* "07STATE12345", NULL when not a cable */
} ck_ref;

typedef struct ck_addr {
	const char *route;      /* routing indicator "RUEHC" or NULL */
	const char *name;       /* PLAD as written, "SECSTATE WASHDC" */
	const char *precedence; /* "IMMEDIATE", "NIACT IMMEDIATE" or NULL */
	const char *mcn;        /* message continuity number "8533" or NULL */
} ck_addr;

typedef struct ck_para {
	int n;               /* paragraph number as written; 0 when none */
	const char *marking; /* portion marking "C", "S//NF" or NULL */
	const char *heading; /* heading just before the paragraph or NULL */
	const char *text;    /* paragraph text, lines joined */
} ck_para;

typedef struct ck_problem {
	const char *kind; /* "page-header", "paragraph-number", ... */
	int line;         /* 1-based line of the input text; 0 when none */
	const char *note; /* what was found and what was done */
} ck_problem;

/* An office of a 1970s distribution block ("ACTION EUR-25", "INFO OCT-01"). */
typedef struct ck_office {
	const char *code;  /* "EUR", "OCT", "S/S" */
	int copies;        /* copy count as written; -1 when none */
	const char *role;  /* "action", "origin" or "info" */
} ck_office;

/* One step of a record's disposition and review history (PlusD metadata). */
typedef struct ck_review {
	const char *kind;   /* "review", "disposition" or "marking" (the release the
	                     * record's Markings state) */
	const char *action; /* "RELEASED", "APPROVED", "DECLASSIFIED" ... */
	const char *date;   /* "2002-05-15", or NULL when not written */
	const char *by;     /* reviewer or authority "elyme", or NULL */
	const char *note;   /* comment ("25 YEAR REVIEW"), or NULL */
} ck_review;

/* A field of a record page as written ("Type" -> "TE"). */
typedef struct ck_kv {
	const char *key;
	const char *value;
} ck_kv;
/* One mention of a person in the text (people.c, docs/people.md). */
typedef struct ck_mention {
	int paragraph;    /* 1-based position in paras[]; 0 = the subject */
	int offset;       /* byte offset of the mention in that text */
	const char *text; /* as written, title included ("PM Prodi", "KHALILZAD") */
} ck_mention;

/* A person named in a cable: by a field (signer, Classified By, person
 * TAGS, drafter ...) or in the text. */
typedef struct ck_person {
	const char *key;      /* "prodi_romano": surname, then "_" and the first
	                       * given name when the cable has it (docs/people.md) */
	const char *name;     /* the fullest form seen, "Romano Prodi" */
	ck_strv titles;       /* "Prime Minister", "USUN Ambassador" */
	ck_strv roles;        /* "signer", "classified-by", "drafter", "approver",
	                       * "clearance", "tagged", "mentioned" */
	ck_mention *mentions; /* in text order */
	size_t nmentions;
} ck_person;

/* The person key of a name (docs/people.md): "Romano Prodi", "PRODI,
 * Romano" -> "prodi_romano"; "D'Alema" -> "dalema"; a key ("prodi_romano")
 * is lower-cased.  Writes into buf (NUL-terminated).  Returns 0, or -1
 * when the name has no letter or the key does not fit. */
int ck_person_key(const char *name, char *buf, size_t bufsz);

typedef struct ck_header {
	const char *transmission; /* FL1 "VZCZCXRO6975" */
	ck_strv relay;            /* FL2 routing indicators */
	const char *relay_prec;   /* FL2 precedence pair "OO" */
	const char *station;      /* FL3 originating RI "RUEHRO" */
	long ssn;                 /* FL3 station serial number, -1 when none */
	int section;              /* FL3 /NN, 0 when none */
	const char *julian;       /* FL3 DDDHHMM */
	const char *security;     /* FL4 "ZNY CCCCC ZZH" */
	const char *dtg;          /* FL5 "091712Z JUL 07" */
	const char *dtg_prec;     /* FL5 precedence prosign(s) "O", "O R" */
	const char *page_dtg;     /* DDHHMMZ of old page headers ("PAGE 02 HARARE
	                           * 05461 01 OF 02 271458Z"), when there is no FL5 */
	/* the 1970s printout (all NULL otherwise) */
	const char *page_post;    /* post as the page headers write it ("ADDIS") */
	const char *line_count;   /* line count under PAGE 01 ("11", "42/12") */
	const char *dist_total;   /* end of the distribution block ("/096 W") */
	const char *control;      /* what follows the dashes line ("094285 190651Z /15") */
} ck_header;

typedef struct ck_source {
	const char *file;   /* path (and "!member" inside an archive) */
	const char *format; /* "html", "plusd", "text", "csv", "jsonl" */
	long long offset;   /* byte offset of the cable in the file */
	int line;           /* first line of the cable in the file (1-based) */
	/* Page metadata (viewer pages, csv), kept as evidence; may be NULL. */
	const char *meta_id;
	const char *meta_date;
	const char *meta_classification;
	const char *meta_origin;
	/* csv only: the references column as written ("72MOSCOW1603|72TEHRAN263",
	 * "" when empty), and the line of the text where the content column
	 * starts (lines before it come from the header column); NULL / 0
	 * elsewhere. */
	const char *meta_references;
	int body_line;
	/* Every field of a PlusD record page as written (synopsis, then the
	 * Metadata block), kept as evidence; NULL/0 for other sources. */
	ck_kv *record;
	size_t nrecord;
} ck_source;

typedef struct ck_cable {
	ck_arena *arena;            /* owns every string below */
	const char *id;             /* canonical reference id "07ROME1497" */
	ck_strv aliases;            /* other ids seen */
	const char *date;           /* "2007-07-09T17:12:00Z" */
	const char *origin;         /* "Embassy Rome" */
	const char *from;           /* "AMEMBASSY ROME" */
	const char *classification; /* "CONFIDENTIAL" ... */
	ck_strv caveats;            /* "SIPDIS", "NOFORN" ... */
	const char *marking;        /* "CONFIDENTIAL//NOFORN" ... */
	const char *precedence;     /* "IMMEDIATE" ... */
	ck_strv tags;               /* "PREL", "UNSC", "IT" */
	const char *subject;
	ck_ref *refs;
	size_t nrefs;
	struct {
		const char *name, *title, *text;
		ck_strv reasons; /* "1.4(b)" ... */
	} classified_by;
	int has_classified_by;
	struct {
		const char *order; /* "12958" */
		const char *date;  /* "2017-07-03" or NULL */
		const char *text;  /* the line as written */
	} decl;
	int has_decl;
	ck_header header;
	ck_addr *to;
	size_t nto;
	ck_addr *info;
	size_t ninfo;
	ck_addr *xmt;               /* posts excluded from a collective (XMT lines) */
	size_t nxmt;
	int sections;        /* "SECTION 01 OF 03" -> 3; 0 when not said */
	const char *summary;
	ck_para *paras;
	size_t nparas;
	ck_strv signers;
	ck_person *people;   /* people named, by first appearance (fields first) */
	size_t npeople;
	const char *body;    /* clean body */
	ck_problem *problems;
	size_t nproblems;
	ck_source source;
	const char *raw;     /* the telegram text as read (UTF-8), for --telegram */
	/* 1970s telegrams and PlusD records (NULL/empty when absent) */
	const char *classification_current; /* the record's current level; `classification`
	                                     * is the original */
	ck_strv person_tags;        /* person TAGS "KALOUDIS, NICK" (text or record) */
	const char *drafter;        /* "NEA/RA:DTMORRISON:BDF" (DRAFTED BY, as written
	                             * but for a date or extension after the name) */
	const char *approver;       /* "NEA:SSOBER" (APPROVED BY, the same cut) */
	ck_strv clearances;         /* clearance lines under APPROVED BY (the same cut) */
	const char *office_action;  /* action office "EUR" (ACTION EUR-25) */
	const char *office_origin;  /* originating office "SS" (ORIGIN SS-25) */
	ck_office *distribution;    /* every office of the block, in order */
	size_t ndistribution;
	const char *series;         /* special series "TOSEC 290096", "SECTO 12" */
	ck_strv concepts;           /* the record's Concepts */
	const char *legacy_key;     /* "link1974/newtext/t19740540/aaaabjhr.tel" */
	const char *film_number;    /* "D740123-0751" */
	ck_review *review;          /* disposition and review history, by date */
	size_t nreview;
} ck_cable;

typedef struct ck_parse_opts {
	int year;            /* year for references of a fragment; 0 = from the cable */
	const char *file;    /* copied into source.file */
	const char *format;  /* copied into source.format; NULL = detect */
	int people;          /* 1: also find the people it names (c->people; docs/people.md).
	                      * The pass costs about as much CPU as the rest of the parse, so
	                      * it is asked for: the readers (cablekit parse, check, ingest)
	                      * ask; NULL options or 0 leave c->people empty. */
} ck_parse_opts;

/* Parse one cable's telegram text (UTF-8 or cp1252, LF or CRLF, PlusD page
 * text too).  Never fails on bad input: problems are recorded on the cable.
 * On success *out is a new cable; free it with ck_cable_free().
 * Returns 0, or CK_ENOMEM. */
int ck_parse(ck_cable **out, const char *text, size_t len,
	     const ck_parse_opts *opts);
void ck_cable_free(ck_cable *c);

/* Record a problem on a cable (the note is copied). */
void ck_cable_problem(ck_cable *c, const char *kind, int line,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* ---- lookups (tables compiled from data/) ------------------------------- */

/* Address of a routing indicator ("RUEHRO" -> "AMEMBASSY ROME"), or NULL. */
const char *ck_ri_name(const char *ri);
/* TAGS code meaning; kind gets "subject", "geographic" ... ; NULL if unknown.
 * Where a code has two rows (AU, EU, AL) the first is returned. */
const char *ck_tag_meaning(const char *code, const char **kind);
/* Split TAGS words run together ("IZPREL" -> "IZ", "PREL") into known 2- and
 * 4-letter codes, fewest parts first. parts gets pointers to static strings
 * (nothing to free). Returns the number of parts (1 for a known code), or 0
 * (parts untouched) when any part would be unknown, 4-letter codes hold less
 * than half the letters (POLITICS is not PO LI TI CS), the word is not upper
 * case or over 64 letters, or more than max parts are needed. */
int ck_tag_split(const char *word, const char **parts, int max);
/* Archive-style origin for a FM address ("AMEMBASSY ROME" -> "Embassy
 * Rome", "SECSTATE WASHDC" -> "Secretary of State"); accepts the whole FM
 * line ("FM ", an "RI/" prefix, trailing precedence and "//..." dropped).
 * Writes into buf; returns buf, or NULL when unknown or buf is too small. */
const char *ck_post_origin(const char *plad, char *buf, size_t bufsz);
/* Reference-id post name of a FM address ("AMEMBASSY ROME" -> "ROME",
 * "SECSTATE WASHDC" -> "STATE", "USMISSION USUN NEW YORK" -> "USUNNEWYORK").
 * Writes into buf; returns buf, or NULL when unknown or buf is too small. */
const char *ck_post_plad_idname(const char *plad, char *buf, size_t bufsz);
/* Reference-id post name for a post as written in a REF, classification
 * line or id ("SECSTATE" -> "STATE", "USUN NEW YORK" -> "USUNNEWYORK",
 * page-header cuts of 6 or 10 characters: "CAPE T" -> "CAPETOWN", "PORT AU PR"
 * -> "PORTAUPRINCE"). Writes into buf; returns buf
 * (letters only, upper case; unknown names unchanged otherwise), or NULL
 * when post holds no letters or the name does not fit buf. */
const char *ck_post_idname(const char *post, size_t len, char *buf,
			   size_t bufsz);
/* 1 if idname is a known reference-id post name ("ROME", "USUNNEWYORK",
 * "STATE"; canonical forms only, map with ck_post_idname first), else 0. */
int ck_post_idname_known(const char *idname);
/* The archive-style origin of an id post name ("SANJOSE" -> "Embassy San
 * Jose", "STATE" -> "Secretary of State") into buf, from the addresses of
 * the routing-indicator table; a known post that no address names is taken
 * for an embassy of the name as written (written/wlen, may be NULL).
 * Returns buf, or NULL when unknown. */
const char *ck_post_idname_origin(const char *idname, const char *written, size_t wlen,
				  char *buf, size_t bufsz);

/* ---- writers ----------------------------------------------------------- */

enum { CK_JSON_PRETTY = 1 };
/* Append the contract JSON of a cable (one line unless CK_JSON_PRETTY). */
int ck_cable_write_json(ck_buf *out, const ck_cable *c, int flags);
/* Read back contract JSON (as written by ck_cable_write_json). */
int ck_cable_read_json(ck_cable **out, const char *json, size_t len);
/* Append the telegram text of a cable (FL1-FL5, FM/TO/INFO, body). */
int ck_cable_write_telegram(ck_buf *out, const ck_cable *c);
/* Append a JSON string literal with escapes. */
void ck_json_str(ck_buf *out, const char *s);

/* Exports of many cables (csv, graphml, bulk need the cable parsed; jsonl
 * passes the contract JSON through).  format: "jsonl", "csv", "graphml",
 * "bulk", "graphml-people" (person and cable nodes, person -> cable edges
 * with the roles; docs/people.md).  With an archive `a` (may be NULL) GraphML tells cited cables
 * of the archive from outside ones.  Free with ck_export_free(). */
struct ck_archive;
typedef struct ck_export ck_export;
int ck_export_new(ck_export **out, const char *format, struct ck_archive *a);
void ck_export_free(ck_export *e);
/* Append what comes before the first cable (CSV header row, XML prolog). */
int ck_export_begin(ck_export *e, ck_buf *out);
/* Append one cable, given as contract JSON or as a parsed cable. */
int ck_export_json(ck_export *e, ck_buf *out, const char *json, size_t len);
int ck_export_cable(ck_export *e, ck_buf *out, const ck_cable *c);
/* Append what comes after the last cable (closing tags). */
int ck_export_end(ck_export *e, ck_buf *out);
/* The OpenSearch/Elasticsearch index mapping of the bulk documents. */
int ck_export_mapping(ck_buf *out);
/* Export the cables matching q (NULL = all) to f, streaming. */
int ck_archive_export(struct ck_archive *a, const char *format, const char *q,
		      FILE *f);

/* ---- readers ----------------------------------------------------------- */

/* One cable's text as found in a source, before parsing. */
typedef struct ck_item {
	const char *text;     /* telegram text (UTF-8 or cp1252) */
	size_t len;
	const char *file;     /* path, "path!member" inside archives, "-" */
	const char *format;   /* "html", "plusd", "plusd-record", "text", "csv", "jsonl" */
	long long offset;     /* byte offset in the file */
	int line;             /* 1-based line in the file */
	const char *meta_id;  /* page metadata (html table, csv columns) or NULL */
	const char *meta_date;
	const char *meta_classification;
	const char *meta_origin;
	const ck_cable *parsed; /* jsonl items arrive parsed; else NULL */
	int partial;          /* page says "partial extract of the original
	                       * cable" (the sentence is kept out of text) */
	const char *note;     /* what the reader repaired ("leaked database row
	                       * removed ..."), "; "-separated, or NULL; the parse
	                       * step records it as a problem */
	const char *meta_references; /* csv: the references column, else NULL */
	int body_line;        /* csv: line of text where the content column
	                       * starts (header column before it); else 0 */
	long long dropped;    /* the cable was over the size cap: text holds its
	                       * first part, these bytes after it were dropped
	                       * (the parse step records a too-large problem) */
	const ck_kv *record;  /* PlusD record page: its fields as written, or NULL */
	size_t nrecord;
} ck_item;

/* Called for each cable found; return non-zero to stop the walk. */
typedef int (*ck_item_fn)(const ck_item *item, void *ctx);
/* Called for each error in a source (unreadable file, corrupt archive,
 * broken CSV row): file, line (0 if none) and message. */
typedef void (*ck_error_fn)(const char *file, int line, const char *msg,
			    void *ctx);

/* Walk a source: a file, a folder (recursive), an archive (.zip, .7z,
 * .tar, .tar.gz, .tar.bz2, .gz) or "-" for standard input; the format of
 * each file is told by its content.  Returns 0 when everything was read,
 * CK_EIO when some part could not be (each reported to on_error). */
int ck_source_walk(const char *path, ck_item_fn on_item, ck_error_fn on_error,
		   void *ctx);

/* Parse an item into a cable (applies the page metadata as evidence). */
int ck_item_parse(ck_cable **out, const ck_item *item, int year);

/* ---- archive ----------------------------------------------------------- */

typedef struct ck_archive ck_archive;

enum { CK_ARCHIVE_READONLY = 0, CK_ARCHIVE_WRITE = 1 };

/* Open (with CK_ARCHIVE_WRITE: create or migrate) an archive file.
 * Free with ck_archive_close(). */
int ck_archive_open(ck_archive **out, const char *path, int flags);
void ck_archive_close(ck_archive *a);

typedef struct ck_ingest_stats {
	long added, updated, unchanged, failed;
	long long bytes;
} ck_ingest_stats;

typedef struct ck_search_opts {
	const char *q;     /* query in the language of DESIGN.md */
	int limit;         /* hits on this page (capped) */
	int offset;
	const char *sort;  /* "relevance" (default), "date", "-date" */
	int facets;        /* compute facets over the whole result set */
} ck_search_opts;

/* Search; appends the API JSON ({"total","hits","facets"}) to out.
 * Returns CK_EPARSE for a bad query (message in ck_error_last(), of the
 * form "query:1:14: unknown field ..."). */
int ck_archive_search_json(ck_archive *a, const ck_search_opts *o, ck_buf *out);
/* 1 when this process's column cache and field index for the archive's
 * current state are built (a handle's second search starts the build, on
 * a thread; searches answer meanwhile, more slowly), else 0 */
int ck_archive_search_ready(ck_archive *a);
/* A long-lived reader (a server's worker) reads through a page cache of
 * `bytes` instead of mapping the file (with ck_archive_page_pool). */
void ck_archive_cache(ck_archive *a, size_t bytes);
/* The process's SQLite page caches take their pages from one pool of
 * about `bytes`, faulted in now, which stays for the life of the process.
 * Only before SQLite is first used in the process: CK_EINVAL after. */
int ck_archive_page_pool(size_t bytes);
/* The stored contract JSON of a cable (id may be an alias or a
 * non-canonical spelling).  CK_ENOTFOUND when absent. */
int ck_archive_cable_json(ck_archive *a, const char *id, ck_buf *out);
/* {"cites":[...],"cited_by":[...]} */
int ck_archive_refs_json(ck_archive *a, const char *id, ck_buf *out);
/* Several reads from one state of the archive (a read transaction: an
 * ingest committing meanwhile is not seen, and the read lock is taken
 * once).  begin returns 1 when it began one, 0 when one was open already;
 * pass that to end. */
int ck_archive_snapshot_begin(ck_archive *a);
void ck_archive_snapshot_end(ck_archive *a, int began);
/* One person across the archive (docs/people.md), as /api/person/{key}
 * returns it: {"key","total","detail_cables","names","forms","titles",
 * "roles","years","origins","together","cables"}.  name is a key or a name
 * ("prodi_romano", "Romano Prodi").  CK_ENOTFOUND when no cable names it. */
int ck_archive_person_json(ck_archive *a, const char *name, ck_buf *out);
/* Counts by year, origin, marking, tag:
 * {"cables":N,"versions":N,"edges":N,"year":[["2007",N],...],"origin":[...],
 *  "marking":[...],"tag":[...]} (each list sorted by count, then value). */
int ck_archive_stats_json(ck_archive *a, ck_buf *out);
/* Every value of one facet ("origin", "year", "marking" or "tag") over the
 * whole archive with its count, as stats gives it: {"origin":[["Embassy
 * Rome",12],...]}, sorted by count, then value.  From the process's column
 * cache when it is ready (milliseconds at 250,000 cables; asking counts as
 * a search, so it starts the cache's build); else grouped in SQL. */
int ck_archive_facet_json(ck_archive *a, const char *facet, ck_buf *out);
/* Stored versions of a cable, oldest first:
 * [{"version":1,"ingested":"2026-11-26T01:00:00Z","sha1":"...","cable":{...}}] */
int ck_archive_versions_json(ck_archive *a, const char *id, ck_buf *out);
/* One stored version, as a version list shows it. */
typedef struct ck_version_info {
	int n;              /* version number, 1 = the first stored */
	char ingested[32];  /* when it was stored, "2026-11-26T01:00:00Z" */
	char sha1[41];      /* hash of its telegram text, 40 hex digits */
	char *source;       /* file it was read from, or NULL */
} ck_version_info;
/* The stored versions of a cable, oldest first, without their cable JSON
 * (cheaper than ck_archive_versions_json); source is filled only when
 * `sources` is set (it unpacks each version).  *out holds *n entries; free
 * it with ck_archive_versions_free().  CK_ENOTFOUND for an unknown id. */
int ck_archive_versions(ck_archive *a, const char *id, int sources, ck_version_info **out,
			size_t *n);
void ck_archive_versions_free(ck_version_info *v, size_t n);
/* Line-by-line differences between consecutive versions of a cable
 * (unified-diff style text; empty when there is a single version). */
int ck_archive_diff_text(ck_archive *a, const char *id, ck_buf *out);
/* Call fn with the contract JSON of every cable (latest version) matching
 * query q (NULL or "" = all), in id order, streaming (memory flat).
 * fn returns non-zero to stop.  CK_EPARSE for a bad query. */
typedef int (*ck_json_fn)(const char *json, size_t len, void *ctx);
int ck_archive_each(ck_archive *a, const char *q, ck_json_fn fn, void *ctx);
/* The citation graph of the cables matching q, from the archive's columns
 * and edges (no stored JSON is read): in the order the cables were stored
 * (not id order: the table is read front to back), one row per reference
 * that names a cable id, or one row without an edge for a cable that has
 * none.  Targets are resolved as ck_archive_refs_json() does (the id, then
 * aliases). */
typedef struct ck_graph_row {
	int new_node;           /* the first row of this cable */
	const char *id, *date, *origin, *marking, *subject; /* the cable, as written */
	const char *target;     /* cited id (the archive's id when it is there), or NULL */
	const char *label, *text; /* the reference */
	int inside;             /* 0 not in the archive, 1 matches q, 2 in the archive, not matching q */
} ck_graph_row;
typedef int (*ck_graph_fn)(const ck_graph_row *row, void *ctx);
int ck_archive_each_graph(ck_archive *a, const char *q, ck_graph_fn fn, void *ctx);
/* Resolve an id, alias or non-canonical spelling ("07rome01497") to the
 * stored canonical id; writes into buf.  CK_ENOTFOUND when absent. */
int ck_archive_resolve_id(ck_archive *a, const char *id, char *buf, size_t bufsz);
/* The stored telegram text (as read) of the latest version of a cable. */
int ck_archive_cable_raw(ck_archive *a, const char *id, ck_buf *out);

/* Ingest: sources are walked and parsed on a worker thread, one writer
 * (the caller's thread) stores them in transactions of `batch` cables
 * (or of a quarter second, whichever ends first).
 * progress (may be NULL) is called about 10 times a second with the counts
 * so far and the source bytes done of total (total 0 when unknown);
 * on_error (may be NULL) gets each unreadable source and each cable that
 * could not be stored.  Archive must be open with CK_ARCHIVE_WRITE.
 * Returns 0, CK_EIO when some source or cable failed (counts in *out),
 * or another CK_E* when the archive itself failed. */
typedef struct ck_ingest_opts {
	int year;   /* year for references of a fragment; 0 = from the cable */
	int batch;  /* cables per transaction; 0 = 1000 */
	void (*progress)(const ck_ingest_stats *s, long long done,
			 long long total, void *ctx);
	ck_error_fn on_error;
	void *ctx;
} ck_ingest_opts;
int ck_archive_ingest(ck_archive *a, const char *const *sources, size_t nsources,
		      const ck_ingest_opts *o, ck_ingest_stats *out);

/*
 * Shapes the HTTP API and the pages rely on (besides DESIGN.md):
 * - search JSON, with facets on, also has "facets":{"month":[["2007-07",N],...]}
 *   (sorted by month) for the date histogram;  each hit also has "marking",
 *   "tags" and "snippet" with matches wrapped in <mark>...</mark> and all
 *   other text HTML-escaped.
 * - refs JSON: {"cites":[{"label","text","id","in_archive":bool,"date",
 *   "origin","subject"}],"cited_by":[{"id","date","origin","subject"}]}.
 */

/* ---- web server -------------------------------------------------------- */

typedef struct ck_serve_opts {
	const char *db;   /* archive path (opened read-only) */
	const char *bind; /* IPv4 address to listen on; NULL = "127.0.0.1" */
	int port;         /* 0 = any free port (printed on start) */
	int threads;      /* worker threads, 0 = automatic (2-4) */
	int quiet;        /* no access log */
	int cache_mb;     /* answer cache size (MB); 0 = default 64, < 0 = off */
	int page_cache_mb; /* the workers' page pool (MB); 0 = default (the archive's size, 16-256), < 0 = off: each maps the file */
} ck_serve_opts;

/* Serve the web pages and the JSON API (docs/server.md) until SIGINT or
 * SIGTERM.  Prints "listening on http://ADDR:PORT/ (...)" on stdout once
 * ready.  Returns 0 after a clean stop, or a CK_E* code (message in
 * ck_error_last()) when the archive or the socket fails. */
int ck_serve(const ck_serve_opts *o);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif
#endif
