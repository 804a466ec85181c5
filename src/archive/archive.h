/*
 * archive.h - what the files of src/archive/ share (not installed).
 *
 * The archive is one SQLite file (WAL).  schema.c owns the tables, their
 * migrations and the cached statements, open.c the handle, id.c canonical
 * ids and their resolution, store.c the write side and read.c the read
 * side of the API, ingest.c the pipeline that fills it, query_parse.c
 * (tokens -> tree) and query.c (tree -> SQL + FTS5 MATCH) the query
 * language, search.c the search API
 * (hits, snippets, facets), blob.c compression and hashing, diff.c the
 * line diff of versions.  Calls go one way: schema.c <- id.c <- query.c,
 * store.c, read.c; open.c over schema.c, id.c and fieldidx.c.
 */
#ifndef CK_ARCHIVE_INTERNAL_H
#define CK_ARCHIVE_INTERNAL_H

#include "cablekit.h"

#include <sqlite3.h>

#define CK_SCHEMA_VERSION 7
/* pages of WAL after which a writer checkpoints (as SQL text) */
#define CK_WAL_AUTOCHECKPOINT "8192"
/* first slot of ck_archive.cache that portion.c uses (10 of them) */
#define CK_STMT_PORTION 44
/* bytes of pending terms FTS5 keeps in memory before writing a segment
 * (ingest.c; as SQL text) */
#define CK_FTS_HASHSIZE "16777216"
#define CK_FTS_AUTOMERGE "16"     /* FTS5 merges a level at this many segments (ingest.c) */

struct ck_archive {
	sqlite3 *db;
	int writable;
	char *path;
	long long deadline_ms; /* progress handler aborts after this (0 = none) */
	sqlite3_stmt *cache[54]; /* prepared statements: enum ck_stmt_slot (schema.c), then portion.c's from CK_STMT_PORTION */
	long searches;           /* searches run on this handle (search.c) */
	long long ts_gen;        /* termstat.c: the generation ts_valid was read at (-2: not read) */
	int ts_valid;
	/* termstat.c: an ingest's changes to the index, kept aside while they
	 * are few, for an update of the vocabulary instead of a rebuild */
	sqlite3_stmt *delta_plus, *delta_minus, *delta_cable;
	long delta_n, delta_max;
	/* rank.c: the token count of each row by rowid (the column cache's),
	 * set by a search while it ranks, else NULL: read from FTS5 */
	const uint32_t *rank_dlen;
	size_t rank_ndlen;
	/* rank.c: the column cache's rows (search.h, CK_ROW), lent likewise
	 * for ck_newer's place of a row in the date order, else NULL */
	const uint32_t *rank_rows;
	size_t rank_nrows;
	uint32_t rank_ndated;
	/* fieldidx.c: a facet's counters by value id, all zero between
	 * searches (each count clears what it counted), and its list of the
	 * ids seen: kept so that a search neither allocates nor zeroes an
	 * array as long as the facet's values (221,027 people at 250k) */
	struct ck_fcount {
		uint32_t *cnt, *seen;
		size_t n;
	} fcount;
	struct ck_plain *plain; /* snippet.c: the tokenizer of snippets made without FTS5, or NULL */
	long cache_kb; /* open.c: a reader's page cache in KB when it maps nothing (ck_archive_cache), else 0 */
	struct ck_ppend *ppend; /* portion.c: paragraph index rows held for the open transaction, or NULL */
	struct ck_worker *helper; /* search.c: counts a search's facets while it reads its page, or NULL */
};

/* The archive id a citation edge `e` points at, or NULL when the target
 * is not in the archive: its id, else the cable an alias names (SQL). */
#define CK_SQL_EDGE_TARGET \
	"CASE WHEN EXISTS(SELECT 1 FROM cable x WHERE x.id=e.dst) THEN e.dst" \
	" ELSE (SELECT id FROM alias WHERE alias=e.dst) END"

/* ---- schema.c ---- */

/* The cached statements of ck_archive.cache, one slot per SQL text
 * (schema.c holds the text of each). */
enum ck_stmt_slot {
	CK_ST_CABLE_ROW,          /* rowid, version of a cable id */
	CK_ST_VERSION_SAME,       /* a version of a cable with this text hash */
	CK_ST_VERSION_JSON,       /* the JSON blob of a version */
	CK_ST_ID_OF_CABLE,        /* the id as stored ... */
	CK_ST_ID_OF_ALIAS,        /* ... or the id an alias names */
	CK_ST_ID_STORED,          /* is the id stored */
	CK_ST_ID_OR_ALIAS_STORED, /* is it stored, or an alias */
	CK_ST_FTS_DELETE, CK_ST_FTS_INSERT,
	CK_ST_DEL_TAG, CK_ST_DEL_CAVEAT, CK_ST_DEL_SIGNER, CK_ST_DEL_ADDRESSEE, CK_ST_DEL_EDGE, CK_ST_DEL_FIELD,
	CK_ST_CABLE_UPDATE, CK_ST_CABLE_INSERT, CK_ST_VERSION_INSERT,
	CK_ST_TAG_INSERT, CK_ST_CAVEAT_INSERT, CK_ST_SIGNER_INSERT, CK_ST_ADDRESSEE_INSERT,
	CK_ST_EDGE_INSERT, CK_ST_ALIAS_INSERT, CK_ST_FIELD_INSERT,
	CK_ST_RELINK_FIND, CK_ST_RELINK_MOVE, /* references without a year (id.c) */
	CK_ST_GENERATION,         /* the archive's generation (read.c) */
	CK_ST_TERMSTAT_GEN,       /* the generation the vocabulary table was built at (termstat.c) */
	/* the read side (read.c, versions.c): a cable page runs each of these */
	CK_ST_VERSION_RAW,        /* the telegram text of a version, with its JSON */
	CK_ST_REFS_CITES,         /* what a cable cites, with the targets in the archive */
	CK_ST_REFS_CITED_BY,      /* the cables that cite it */
	CK_ST_VERSIONS,           /* a cable's versions */
	CK_ST_VERSIONS_SOURCES,   /* ... with the JSON of each (its source file) */
	CK_ST_VERSIONS_JSON,      /* every version's JSON (the versions API) */
	CK_ST_VERSIONS_RAW,       /* every version's telegram text (diff) */
	CK_ST_BEGIN, CK_ST_COMMIT, /* a read snapshot (ck_archive_snapshot) */
	CK_ST_PDIRTY_ADD,         /* a surname to resolve again (persons.c) */
	CK_ST_PDIRTY_CABLE,       /* ... every surname of a cable's people */
	CK_ST_NEWER,              /* a cable's date and id (rank.c's ck_newer without the column cache) */
	CK_ST_COUNT
};
/* The statement of a slot, prepared once per handle, reset and ready to
 * bind; NULL (error set) when it does not prepare. */
sqlite3_stmt *ck_archive_stmt(ck_archive *a, enum ck_stmt_slot slot);
/* The integer a slot's statement (no parameters) answers; -1 for none,
 * NULL or an error. */
long long ck_archive_scalar(ck_archive *a, enum ck_stmt_slot slot);
/* Step a statement that returns no rows we read, and reset it. */
int ck_archive_step(ck_archive *a, sqlite3_stmt *st, const char *what);
/* Bind text, or NULL for an empty or absent string. */
void ck_archive_bind_text(sqlite3_stmt *st, int i, const char *s);
int ck_archive_exec(ck_archive *a, const char *sql);
/* sqlite error -> CK_E* with message */
int ck_archive_sqlerr(ck_archive *a, int rc, const char *what);
/* A writer: migrate the file to this schema.  A reader: CK_EINVAL unless
 * the file has this schema. */
int ck_schema_upgrade(ck_archive *a);
int ck_schema_check(ck_archive *a);
/* Register the SQL functions the index view reads through (ck_unpack,
 * ck_body, ck_ftstext) and ck_words. */
int ck_schema_register(sqlite3 *db);
/* s as words for the whole-word fields (from:, to:): each run of bytes
 * other than ASCII letters and digits (and UTF-8) one blank, with a blank
 * before and after - "WHITE HOUSE WASHINGTON DC//NSC//" is
 * " WHITE HOUSE WASHINGTON DC NSC " - appended to out.  SQL ck_words(s). */
void ck_words(ck_buf *out, const char *s);
/* The text the full-text index holds for s, appended to out: control
 * bytes as blanks, runs of five or more X as one U+2588, invalid UTF-8
 * as U+FFFD. */
int ck_fts_text(ck_buf *out, const char *s);

/* ---- read.c ---- */

/* The archive's generation: max(version.rowid), which grows with every
 * cable added or changed (nothing is deleted), plus the number of times
 * the persons were grouped again (meta persons_gen, persons.c); -1 when
 * empty.  What the
 * process's caches (the column cache, the vocabulary table) are stamped
 * with.  One cached statement. */
long long ck_archive_generation(ck_archive *a);

/* ---- id.c ---- */

/* Canonical spelling of an id: upper case, no blanks, leading zeros of
 * the serial dropped, "SECTIONnnOFnn" taken out.  Returns buf. */
char *ck_archive_canon_id(const char *id, char *buf, size_t bufsz);
/* The canonical id, rowid and latest version of an id as typed. */
int ck_archive_find_cable(ck_archive *a, const char *id, char *canon, size_t csz,
			  sqlite3_int64 *rowid, int *version);
/* A reference without a year to dst (canonical, rewritten in place): the
 * same serial a year earlier when only that is stored. */
int ck_archive_edge_year(ck_archive *a, const char *text, char *dst, size_t dstsz);
/* After storing cable id: references without a year taken elsewhere
 * because it was missing point to it now. */
int ck_archive_relink_year(ck_archive *a, const char *id);

/* search.c: wait up to ms for the process's column cache and field index
 * of a's file at its current generation (built on a thread after a
 * handle's second search); 1 when they are ready (tests) */
int ck_search_cache_wait(ck_archive *a, int ms);

/* termstat.c: the vocabulary with document counts.  The archive's
 * generation (max version rowid; -1 when empty); rebuild the table (after
 * an ingest that changed `changed` cables; after a bulk load it first merges
 * the FTS5 index into one segment); whether
 * it matches the archive; the document count of one word (-1: not a plain
 * word, or no table); the match with each "prefix" * written as the OR of
 * the words under it (1 when anything was rewritten). */
int ck_termstat_rebuild(ck_archive *a, long changed);
/* query.c: s as an FTS5 string literal ("..." with '"' doubled) */
void ck_fts_quote(ck_buf *b, const char *s);
/* Delta tracking for ck_termstat_rebuild: begun before an ingest's writes
 * when the archive has a valid table (else a no-op); each stored cable
 * notes its new text (plus) and, before an update, its old (minus).  After
 * more than a twentieth of the archive the tracking stops (the rebuild is
 * then whole).  ck_termstat_rebuild ends it. */
int ck_termstat_delta_begin(ck_archive *a);
int ck_termstat_delta_plus(ck_archive *a, sqlite3_int64 rowid, const char *subject, size_t ns, const char *body,
			   size_t nb);
int ck_termstat_delta_minus(ck_archive *a, sqlite3_int64 rowid);
void ck_termstat_delta_end(ck_archive *a);
int ck_termstat_valid(ck_archive *a);
long long ck_termstat_df(ck_archive *a, const char *word, size_t n);
/* match with each prefix ("elect" *) written as the OR of its words: all
 * of them (keep 1), or the most frequent that hold keep of their summed
 * document counts (a sample's cheaper query); 1 when something changed */
int ck_termstat_expand(ck_archive *a, const char *match, double keep, ck_buf *out);
/* the document count of each phrase of a match, in FTS5's order, as
 * "DF,DF,..." for ck_rank (an empty entry where it is unknown); returns
 * the number unknown */
int ck_termstat_dfs(ck_archive *a, const char *match, ck_buf *out);
/* The champion list of a one-word match (the compiler's form, "word"):
 * the rowids of its CK_CHAMPIONS best hits by bm25, best first, built with
 * the vocabulary table for the words of more than CK_CHAMPION_DF cables.
 * Returns how many were put into out (at most max), 0 when the word has
 * none, or -1 on error.  Only valid while ck_termstat_valid(). */
#define CK_CHAMPIONS 200
#define CK_CHAMPION_DF 5000
int ck_termstat_champions(ck_archive *a, const char *match, sqlite3_int64 *out, int max);

/* rank.c: ck_rank(fts, 'DF,...'), bm25 with the counts given; its user
 * data is the ck_archive (NULL: lengths from FTS5) */
void ck_rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *cx, int nval, sqlite3_value **val);
/* the token count of every row of fts (its docsize table, all columns)
 * by rowid below nslot, 0 where none; NULL on error */
uint32_t *ck_rank_doclens(ck_archive *a, size_t nslot);
/* SQL ck_newer(rowid) on the handle's connection: a value that orders the
 * cables by date, then id (larger: newer; NULL: no date), for "bm25, then
 * newest" (search.c) */
int ck_rank_register(ck_archive *a);
/* 1 when a reference written as text (no year) was taken to target, of
 * another year than the citing cable's. */
int ck_archive_ref_inferred(const char *text, const char *citing, const char *target);

/* ---- persons.c ---- */

/* The surname of a person key in SQL (the part before "_"), of `value`. */
#define CK_SQL_SURNAME(value) \
	"CASE WHEN instr(" value ", '_') > 0 THEN substr(" value ", 1, instr(" value ", '_') - 1) ELSE " value " END"
/* Why a cable's key is in its person (`pcable.why`, docs/people.md). */
enum ck_pwhy {
	CK_PWHY_KEY,       /* the full key, one person */
	CK_PWHY_KEY_SPLIT, /* the full key, one of its periods apart (no post in common) */
	CK_PWHY_POST,      /* a bare surname, the one full name of its post and years */
	CK_PWHY_TAGS,      /* a bare surname, the one full name of its country TAGS and years */
	CK_PWHY_ALONE,     /* a bare surname no full name fits: a person by post and period */
	CK_PWHY_AMBIGUOUS, /* a bare surname several full names fit: a person by post and period */
	CK_PWHY_ALONE_TAGS, /* as CK_PWHY_ALONE, joined across posts by a country TAG and years */
};
/* Group again the people of the surnames in `pdirty` into `pcable`, then
 * empty it (in the caller's transaction); *nsurnames how many. */
int ck_persons_resolve(ck_archive *a, long *nsurnames);
/* The sentence of a ck_pwhy, for the person page. */
const char *ck_persons_why(int why);

/* ---- snippet.c ---- */

/* Register the FTS5 function ck_snippet(fts) on a connection. */
int ck_snippet_register(ck_archive *a);
/* The snippet ck_snippet would give, made without FTS5 for a match of
 * 10 plain phrases or more (a prefix expanded): prepare returns NULL when the
 * match is not one (then use ck_snippet); ck_snippet_plain writes hit
 * `rowid`'s snippet to out (nothing where ck_snippet gives NULL or no
 * row) and returns 1; 0 when the row could not be read in time; or an
 * error code. */
struct ck_plain;
struct ck_plain_q;
struct ck_plain_q *ck_snippet_plain_prepare(ck_archive *a, const char *match);
int ck_snippet_plain(ck_archive *a, const struct ck_plain_q *q, sqlite3_int64 rowid, ck_buf *out);
void ck_snippet_plain_free(struct ck_plain_q *q);
void ck_snippet_plain_close(struct ck_plain *pl);

/* ---- blob.c ---- */

/* Append p[0..n) to out, compressed when that helps; the first byte says
 * how ('Z' gzip, 'P' plain).  Returns 0 or CK_ENOMEM. */
int ck_blob_pack(ck_buf *out, const void *p, size_t n);
/* Pack contract JSON: its body string in a frame of its own ('B'), so that
 * ck_blob_json_body reads it without the rest; other JSON as ck_blob_pack. */
int ck_blob_pack_json(ck_buf *out, const char *json, size_t n);
/* The body string of a 'B' blob, as escaped in the JSON (no quotes);
 * CK_ENOTFOUND for other blobs. */
int ck_blob_json_body(ck_buf *out, const void *p, size_t n);
/* Pack a telegram text against the body of its version's JSON (text
 * json[0..jn), packed as `packed`) when that was packed 'B': 'R'; else as
 * ck_blob_pack. */
int ck_blob_pack_raw(ck_buf *out, const char *raw, size_t n, const char *json, size_t jn,
		     const ck_buf *packed);
/* Unpack a telegram-text blob; an 'R' blob needs its version's JSON blob. */
int ck_blob_unpack_raw(ck_buf *out, const void *p, size_t n, const void *json, size_t jn);
/* Append the unpacked contents of a packed blob to out. */
int ck_blob_unpack(ck_buf *out, const void *p, size_t n);
/* SHA-1 of p[0..n) as 40 hex digits + NUL. */
void ck_sha1_hex(const void *p, size_t n, char out[41]);
/* Hash of a telegram text that ignores line endings and runs of blanks
 * (the same cable read from a viewer page and from cables.csv differs
 * only there).  Writes 40 hex digits + NUL. */
void ck_text_hash(const char *p, size_t n, char out[41]);

/* ---- store.c ---- */

/* A cable ready for the writer (built by ck_rec_prepare on any thread). */
typedef struct ck_rec {
	ck_cable *cable;   /* owned; freed by ck_rec_free */
	char sha1[41];     /* ck_text_hash of the telegram text */
	ck_buf json;       /* packed contract JSON */
	ck_buf raw;        /* packed telegram text */
	ck_buf subject;    /* FTS text of the subject */
	ck_buf body;       /* FTS text of the body (redaction runs folded) */
	struct ck_portions *portions; /* marked paragraphs, for the paragraph index (portion.c) */
	long long bytes;   /* telegram text bytes */
} ck_rec;

/* Fill r from a parsed cable (takes ownership of c). */
int ck_rec_prepare(ck_rec *r, ck_cable *c);
void ck_rec_free(ck_rec *r);
/* Store one prepared cable (inside the caller's transaction); counts it
 * as added, updated or unchanged in st.  CK_EINVAL when it has no id. */
int ck_archive_store(ck_archive *a, ck_rec *r, ck_ingest_stats *st);

/* ---- open.c ---- */

/* A reader about to walk the whole archive (1) or done (0): the walk reads
 * through the page cache instead of mapping the file, so its memory stays
 * flat whatever the archive's size. */
void ck_archive_walking(ck_archive *a, int on);
/* Start/stop the per-statement time limit (ms; 0 = off). */
void ck_archive_deadline(ck_archive *a, int ms);

/* ---- query.c ---- */

/* CK_Q_LIMIT_PREFIX: the cost of a query's word prefixes, 4 for a prefix
 * of two letters, 2 for three, 1 for more (query.c) */
enum { CK_Q_LIMIT_LEN = 4096, CK_Q_LIMIT_TERMS = 64, CK_Q_LIMIT_DEPTH = 16, CK_Q_LIMIT_PREFIX = 4 };

/* One step of a query's filter program (ck_query.prog, postfix): the
 * part of the query outside its ranked FTS5 expression, for search.c to
 * evaluate into a set of rowids (fieldidx.c) instead of SQL on the wide
 * cable row. */
enum { CK_QOP_FIELD, CK_QOP_FTS, CK_QOP_AND, CK_QOP_OR, CK_QOP_NOT };
typedef struct ck_qop {
	int kind;
	int nkids;          /* AND, OR: operands (the last nkids results) */
	const char *field;  /* FIELD: its name in the language ("from", "to", "tag" ...) */
	char *value;        /* FIELD: the value as typed; FTS: the MATCH expression */
	int prefix;         /* FIELD: value ended in "*" */
	char *sql;          /* FIELD: the SQL condition over cable c (as in `where`) */
	char **params;      /* its text parameters, in order */
	int nparams;
} ck_qop;

typedef struct ck_query {
	char *match;     /* FTS5 MATCH of the ranked part, or NULL */
	ck_qop *prog;    /* the rest of the query as a program over rowid sets */
	int nprog;       /* 0: nothing but `match` */
	ck_buf where;    /* SQL boolean over cable c ("1" when none) */
	char **params;   /* text parameters of `where`, in order (?1..?n) */
	int nparams;
	char *tree;      /* the parsed query as an S-expression (for tests) */
} ck_query;

/* Parse and compile query text.  On error: CK_EPARSE (or CK_ELIMIT) with
 * a message "query:LINE:COL: ..." in ck_error_last(). */
int ck_query_compile(ck_query *out, const char *q);
void ck_query_free(ck_query *q);
/* Bind the parameters of a compiled query: match (if any) at index
 * `first`, the where parameters after it.  Returns the next index. */
int ck_query_bind(const ck_query *q, sqlite3_stmt *st, int first);

/* ---- fieldidx.c ---- */

#include <stdint.h>

/* a set of rowids [0, nslot) */
typedef struct ck_bits {
	uint64_t *w;
	size_t nslot, nwords;
} ck_bits;

static inline int ck_bits_has(const ck_bits *b, sqlite3_int64 r)
{
	return r >= 0 && (size_t)r < b->nslot && (b->w[r >> 6] >> (r & 63)) & 1;
}
size_t ck_bits_count(const ck_bits *b);
void ck_bits_free(ck_bits *b);

/* The field index: distinct values of the filter columns with their
 * rowids (rowids below nslot), built once per column cache. */
typedef struct ck_fidx ck_fidx;
ck_fidx *ck_fidx_build(ck_archive *a, size_t nslot);
void ck_fidx_free(ck_fidx *x);
/* facet.c's string hash (djb2), for the hash tables of the archive */
unsigned long ck_str_hash(const char *s, size_t n);
/* A facet value and its count. */
struct fent {
	char *key;
	long n;
};
/* The facet `name` ("concept", "office", "people") over the hits
 * rows[0..n): each value some hit holds with the number of hits holding
 * it, in no order, into *out (*nout of them, NULL for none; the caller
 * frees the array, the values belong to the index).  -1 when the index
 * counts no such facet. */
int ck_fidx_facet(const ck_fidx *x, const char *name, const sqlite3_int64 *rows, size_t n,
		  struct ck_fcount *fc, struct fent **out, size_t *nout);
void ck_fcount_free(struct ck_fcount *fc);
/* The rowids q->prog selects, into out (freed with ck_bits_free); from the
 * field index x, or (x NULL, or a field it does not hold) from SQL. */
int ck_fidx_eval(const ck_fidx *x, ck_archive *a, const ck_query *q, ck_bits *out);
/* Register the SQL function ck_inset(bits, rowid) on a connection. */
int ck_fidx_register(sqlite3 *db);

/* ---- portion.c ---- */

/* levels of portion markings, lowest first (0: a paragraph without one) */
enum { CK_PL_NONE, CK_PL_U, CK_PL_SBU, CK_PL_LOU, CK_PL_C, CK_PL_S, CK_PL_TS, CK_PL_N };
/* caveats of a portion marking, as bits */
enum { CK_PC_NF = 1, CK_PC_REL = 2, CK_PC_FGI = 4, CK_PC_OTHER = 8, CK_PC_ALL = 15 };
/* "none", "U", "SBU", "LOU", "C", "S", "TS" */
extern const char *const ck_portion_levels[CK_PL_N];
/* The level and caveats of a portion marking ("S//NF", "C/REL NATO",
 * "SECRET"); 0, or -1 when it names no level ("U.S.", "NF"). */
int ck_portion_parse(const char *marking, int *level, int *caveats);
struct ck_portions;
/* The marked paragraphs of a cable's contract JSON, ready to store
 * (freed with ck_portions_free).  0 or CK_ENOMEM. */
int ck_portions_prepare(struct ck_portions **out, const char *json, size_t len);
void ck_portions_free(struct ck_portions *ps);
/* Index cable rowid's paragraphs; take them out again (before its
 * version changes: the index reads the old text through the view). */
int ck_portions_store(ck_archive *a, sqlite3_int64 rowid, const struct ck_portions *ps);
int ck_portions_unstore(ck_archive *a, sqlite3_int64 rowid);
/* ck_portions_store holds the paragraph index's rows until this writes
 * them in rowid order: call it before COMMIT.  ck_portions_drop forgets
 * them (before ROLLBACK, and at close). */
int ck_portions_flush(ck_archive *a);
void ck_portions_drop(ck_archive *a);
/* Schema 4's migration: index the paragraphs of the cables stored. */
int ck_portions_backfill(ck_archive *a);
/* Register ck_para(json, index) on a connection. */
int ck_portion_register(sqlite3 *db);
/* The snippet of hit `rowid` from its best paragraph matching the query's
 * first portion: leaf with words (raw, matches between \x01 \x02) and
 * that paragraph's anchor; 1 found, 0 none (no such leaf or paragraph),
 * or an error. */
int ck_portion_snippet(ck_archive *a, const ck_query *q, sqlite3_int64 rowid, ck_buf *raw, char anchor[24]);
/* Paragraphs by level of every cable with rowid < nslot (built with the
 * column cache, search.c), or NULL. */
typedef struct ck_pcounts ck_pcounts;
ck_pcounts *ck_portion_counts(ck_archive *a, size_t nslot);
void ck_portion_counts_free(ck_pcounts *c);
/* ,"portion":[["C",n],...]: the paragraphs of the hits rows[0..n) by
 * level, times scale (sampled facets); from c, or without it one lookup a
 * hit (out of time: what was counted). */
int ck_portion_facet(ck_archive *a, const ck_pcounts *c, const sqlite3_int64 *rows, size_t n, double scale,
		     ck_buf *out);
/* ,"portions":{...}: paragraphs by level per year and per classification
 * (stats). */
int ck_portion_stats_json(ck_archive *a, ck_buf *out);
/* ---- diff.c ---- */

/* Unified-style line diff of a and b into out, with labels. */
int ck_diff_lines(ck_buf *out, const char *a, const char *b,
		  const char *label_a, const char *label_b);

#endif
