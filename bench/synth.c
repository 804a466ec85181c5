/*
 * synth.c - a synthetic cable corpus for benchmarks and the demo.
 *
 *   bench/synth --count N [--seed S] [--dist bench/synth-dist.tsv]
 *               [--corpus DIR] [--json FILE.jsonl] --out DIR | FILE.tar.gz
 *
 * Each cable is built as a ck_cable from distributions measured on the dev
 * corpus by cablekit itself (bench/synth-measure.sh -> bench/synth-dist.tsv:
 * origins with their FM address and routing indicator, years, markings,
 * SIPDIS, precedence, sections, references, paragraphs and their lengths,
 * headings, tags, subject length, summaries, signers) and written through
 * the telegram writer (ck_cable_write_telegram), so the text has the form
 * of the 2000s cables: header, classification line, captions, E.O., TAGS,
 * SUBJECT, REF, Classified By, numbered paragraphs, page headers, signer.
 * Every subject starts with "[SYNTHETIC]"; the words come from a fixed
 * list below (no cable text is copied), or, with --corpus DIR, from real
 * cables read at run time: each synthetic cable takes the subject and
 * paragraphs of one real cable, one paragraph in ten swapped for
 * paragraphs of other cables, so that words match as many cables as they
 * do in the real text (the fractions for a few words are printed beside
 * the corpus's own; nothing of the corpus is kept).  References point at earlier
 * synthetic cables.  Dates rise with the cable number through the year
 * distribution, so "earlier" is both.  Cables are made on one thread and
 * written (gzip) on another, in order.
 *
 * --json also writes the contract JSON of each cable as built (before the
 * telegram writer), so a test can check that parsing the telegram gives
 * the fields back.
 *
 * Deterministic: the same count, seed and table give the same bytes (own
 * PRNG, xoshiro256** seeded by splitmix64; tar entries with fixed owners
 * and the cable's date as mtime; gzip without a timestamp).  Memory is
 * flat in the count: one cable at a time and a ring of recent ids.
 */
#include "cablekit.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

ck_cable *ck_cable_new_(void);

/* ---- PRNG ---------------------------------------------------------------- */

static uint64_t rs[4];

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rnd(void)
{
	uint64_t r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;
	rs[2] ^= rs[0];
	rs[3] ^= rs[1];
	rs[1] ^= rs[2];
	rs[0] ^= rs[3];
	rs[2] ^= t;
	rs[3] = rotl(rs[3], 45);
	return r;
}

static uint64_t below(uint64_t n) /* uniform in [0, n) */
{
	return n ? rnd() % n : 0;
}

static double unit(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

/* ---- the distribution table ----------------------------------------------- */

struct dist {
	char **val;
	uint64_t *cum; /* cumulative counts */
	char **extra;  /* origin: "FM\tstation\torigin" */
	size_t n, cap;
	uint64_t total;
};

enum { D_ORIGIN, D_YEAR, D_MARKING, D_SIPDIS, D_PREC, D_SECTIONS, D_REFS,
       D_PARAS, D_PWORDS, D_HEADING, D_TAGS, D_TAG, D_SWORDS, D_SUMMARY,
       D_SIGNERS, D_N };
static const char *kinds[D_N] = {"origin", "year", "marking", "sipdis",
	"precedence", "sections", "refs", "paras", "pwords", "heading", "tags",
	"tag", "swords", "summary", "signers"};
static struct dist D[D_N];

static void dist_add(struct dist *d, const char *v, uint64_t n, const char *extra)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->val = realloc(d->val, d->cap * sizeof *d->val);
		d->cum = realloc(d->cum, d->cap * sizeof *d->cum);
		d->extra = realloc(d->extra, d->cap * sizeof *d->extra);
		if (!d->val || !d->cum || !d->extra) {
			fprintf(stderr, "synth: out of memory\n");
			exit(1);
		}
	}
	d->total += n;
	d->val[d->n] = strdup(v);
	d->extra[d->n] = extra ? strdup(extra) : NULL;
	d->cum[d->n++] = d->total;
}

static size_t dist_pick(const struct dist *d)
{
	uint64_t r = below(d->total);
	size_t lo = 0, hi = d->n - 1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (d->cum[mid] > r)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static int dist_int(int kind)
{
	return atoi(D[kind].val[dist_pick(&D[kind])]);
}

static int dist_yes(int kind)
{
	return !strcmp(D[kind].val[dist_pick(&D[kind])], "yes");
}

static int load_table(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[1024];
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = 0;
		char *kind = line, *val = strchr(kind, '\t');
		if (!val)
			continue;
		*val++ = 0;
		char *cnt = strchr(val, '\t');
		if (!cnt)
			continue;
		*cnt++ = 0;
		char *extra = strchr(cnt, '\t');
		if (extra)
			*extra++ = 0;
		for (int k = 0; k < D_N; k++) {
			if (strcmp(kind, kinds[k]))
				continue;
			/* precedence "-": cables whose text had none (extracts) */
			if (k == D_PREC && !strcmp(val, "-"))
				break;
			dist_add(&D[k], val, strtoull(cnt, NULL, 10), extra);
		}
	}
	fclose(f);
	for (int k = 0; k < D_N; k++)
		if (!D[k].n || !D[k].total) {
			fprintf(stderr, "synth: %s: no rows of kind %s\n", path, kinds[k]);
			return -2;
		}
	return 0;
}

/* ---- words ---------------------------------------------------------------- */

static const char *words[] = {
	"the", "of", "and", "to", "in", "a", "on", "for", "with", "that", "by",
	"as", "from", "at", "would", "said", "will", "government", "minister",
	"officials", "meeting", "agreement", "support", "national", "policy",
	"regional", "council", "program", "security", "economic", "public",
	"development", "cooperation", "process", "reform", "election", "party",
	"parliament", "ministry", "office", "team", "plan", "budget", "report",
	"committee", "advisor", "director", "delegation", "visit", "proposal",
	"framework", "trade", "energy", "water", "health", "education", "border",
	"transport", "law", "court", "press", "media", "statement", "discussion",
	"position", "interest", "concern", "issue", "question", "effort", "step",
	"view", "approach", "strategy", "goal", "result", "change", "progress",
	"level", "time", "year", "month", "week", "day", "period", "number",
	"group", "member", "leader", "partner", "side", "area", "city", "region",
	"country", "capital", "province", "sector", "market", "company", "bank",
	"fund", "project", "system", "service", "network", "agency", "institute",
	"new", "recent", "current", "next", "last", "key", "main", "major",
	"senior", "local", "central", "federal", "joint", "formal", "informal",
	"broad", "clear", "strong", "modest", "careful", "open", "direct",
	"noted", "stressed", "agreed", "asked", "expected", "planned", "reviewed",
	"discussed", "described", "expressed", "confirmed", "suggested",
	"welcomed", "raised", "received", "presented", "considered", "prepared",
	"continued", "remained", "appeared", "seemed", "began", "moved", "held",
	"also", "however", "still", "already", "only", "very", "more", "less",
	"not", "now", "soon", "later", "again", "further", "together", "often",
	"this", "these", "their", "its", "our", "other", "such", "some", "each",
	"both", "many", "several", "all", "any", "most", "few", "which", "who",
	"while", "after", "before", "during", "under", "over", "between", "into",
	"about", "against", "through", "without", "within", "across", "toward",
};
#define NWORDS (sizeof words / sizeof *words)

/* ---- words from real cables (--corpus) ------------------------------------ */

/* The subjects and paragraphs of the corpus's cables, read at run time
 * (kept in memory only: nothing of it is written but recombined). */
static struct cmodel {
	char **subj;        /* per cable */
	size_t *p0, *np;    /* its paragraphs: para[p0 .. p0+np) */
	size_t n, cap;
	char **para;
	size_t npara, pcap;
	long probe_hits[6]; /* corpus cables matching each probe word */
} CM;

/* words whose share of matching cables is printed (the issue's figures) */
static const char *const probe[6] = {"iraq", "election", "minister", "nuclear", "sanctions", "cholera"};

/* set seen[i] when probe word i occurs in s as a whole word (any case) */
static void probe_words(const char *s, int seen[6])
{
	while (s && *s) {
		while (*s && !(((unsigned char)*s >= 0x80) || (*s >= '0' && *s <= '9') ||
			       ((*s | 32) >= 'a' && (*s | 32) <= 'z')))
			s++;
		const char *w = s;
		while (*s && (((unsigned char)*s >= 0x80) || (*s >= '0' && *s <= '9') ||
			      ((*s | 32) >= 'a' && (*s | 32) <= 'z')))
			s++;
		size_t n = (size_t)(s - w);
		if (n < 4 || n > 9)
			continue;
		for (int i = 0; i < 6; i++) {
			size_t k = 0;
			if (strlen(probe[i]) != n)
				continue;
			while (k < n && (w[k] | 32) == probe[i][k])
				k++;
			if (k == n)
				seen[i] = 1;
		}
	}
}

static void *xgrow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	*cap = *cap ? *cap * 2 : 1024;
	if (*cap < need)
		*cap = need;
	if (!(p = realloc(p, *cap * size))) {
		fprintf(stderr, "synth: out of memory\n");
		exit(1);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d) {
		fprintf(stderr, "synth: out of memory\n");
		exit(1);
	}
	return d;
}

/* A paragraph that holds an export row's labels ("id: 159454 date: ...
 * refid: 08MADRID698 ... header:", a page that is a flattened dump) starts
 * a new record wherever it is put, as does a glued routing header ("fm
 * Stapleton VZCZCXRO1423 OO RUEHFL"): the reader rightly splits there, and a
 * recombined cable would come out as two, one of them without an id. */
static int holds_record(const char *t)
{
	return strstr(t, "refid:") || strstr(t, "Cable dated:") || strstr(t, "VZCZC");
}

static int corpus_item(const ck_item *item, void *ctx)
{
	ck_cable *c = NULL;
	(void)ctx;
	if (ck_item_parse(&c, item, 0) || !c)
		return 0;
	size_t first = CM.npara;
	int seen[6] = {0};
	probe_words(c->subject, seen);
	for (size_t k = 0; k < c->nparas; k++) {
		const char *t = c->paras[k].text;
		if (!t || !*t || holds_record(t))
			continue;
		CM.para = xgrow(CM.para, &CM.pcap, CM.npara + 1, sizeof *CM.para);
		CM.para[CM.npara++] = xstrdup(t);
		probe_words(t, seen);
	}
	if (CM.npara == first && c->body && *c->body && !holds_record(c->body)) { /* no numbered paragraphs */
		CM.para = xgrow(CM.para, &CM.pcap, CM.npara + 1, sizeof *CM.para);
		CM.para[CM.npara++] = xstrdup(c->body);
		probe_words(c->body, seen);
	}
	if (CM.npara > first) {
		size_t cap = CM.cap;
		CM.subj = xgrow(CM.subj, &cap, CM.n + 1, sizeof *CM.subj);
		cap = CM.cap;
		CM.p0 = xgrow(CM.p0, &cap, CM.n + 1, sizeof *CM.p0);
		CM.np = xgrow(CM.np, &CM.cap, CM.n + 1, sizeof *CM.np);
		CM.subj[CM.n] = c->subject && *c->subject ? xstrdup(c->subject) : NULL;
		CM.p0[CM.n] = first;
		CM.np[CM.n] = CM.npara - first;
		CM.n++;
		for (int i = 0; i < 6; i++)
			CM.probe_hits[i] += seen[i];
	}
	ck_cable_free(c);
	return 0;
}

static void corpus_error(const char *file, int line, const char *msg, void *ctx)
{
	(void)file, (void)line, (void)msg, (void)ctx;
}

/* Read the corpus at dir; 0 when it gave cables. */
static int corpus_load(const char *dir)
{
	struct stat sb;
	if (stat(dir, &sb)) {
		fprintf(stderr, "synth: no corpus at %s: words from the built-in list instead\n", dir);
		return -1;
	}
	ck_source_walk(dir, corpus_item, corpus_error, NULL);
	if (!CM.n) {
		fprintf(stderr, "synth: no cables in %s: words from the built-in list instead\n", dir);
		return -1;
	}
	return 0;
}

static const char *titles[] = {
	"Ambassador", "Charge d'Affaires", "DCM", "Political Counselor",
	"Economic Counselor", "Pol/Econ Chief", "Political Officer",
	"Deputy Chief of Mission", "Acting DCM", "Principal Officer",
};
static const char *syl[] = {"ka", "ro", "mel", "tan", "vi", "dor", "sa", "len",
			    "bri", "ost", "ga", "nu", "per", "lo", "hal", "mi"};

/* A made-up name of two to three syllables, upper or title case. */
static void name(ck_buf *b, uint64_t h, int upper)
{
	int n = 2 + (int)(h % 2);
	size_t start = b->len;
	for (int i = 0; i < n; i++) {
		h = h * 6364136223846793005ULL + 1442695040888963407ULL;
		ck_buf_puts(b, syl[(h >> 33) % (sizeof syl / sizeof *syl)]);
	}
	for (size_t i = start; i < b->len; i++)
		if (upper || i == start)
			b->ptr[i] = (char)(b->ptr[i] - 32 * (b->ptr[i] >= 'a' && b->ptr[i] <= 'z'));
}

/* Sentences of words from the list, about nwords in all. */
static void sentences(ck_buf *b, int nwords)
{
	int left = nwords < 3 ? 3 : nwords;
	while (left > 0) {
		int n = 6 + (int)below(13);
		if (n > left)
			n = left < 3 ? 3 : left;
		for (int i = 0; i < n; i++) {
			const char *w = words[below(NWORDS)];
			if (i == 0) {
				ck_buf_putc(b, w[0] - 32);
				ck_buf_puts(b, w + 1);
			} else {
				ck_buf_putc(b, ' ');
				ck_buf_puts(b, w);
			}
		}
		ck_buf_putc(b, '.');
		left -= n;
		if (left > 0)
			ck_buf_putc(b, ' ');
	}
}

static void upper_words(ck_buf *b, int n)
{
	for (int i = 0; i < n; i++) {
		const char *w = words[below(NWORDS)];
		if (i)
			ck_buf_putc(b, ' ');
		for (; *w; w++)
			ck_buf_putc(b, *w - 32);
	}
}

/* ---- one cable -------------------------------------------------------------- */

#define RING 4096
struct recent {
	char id[48];
	char post[32];
	long serial;
	int year;
};

struct gen {
	long count;
	struct recent ring[RING];
	long nring;
	long *serials;      /* per origin x year */
	int year_lo, nyears;
	double *ycum;       /* year CDF, ascending years */
	int *years;
	long probe_hits[6]; /* synthetic cables matching each probe word */
};

static const char *mon[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
			    "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

static ck_strv strv1(ck_arena *a, const char *s)
{
	ck_strv v = {ck_arena_alloc(a, sizeof(char *)), 1};
	v.v[0] = ck_arena_strdup(a, s);
	return v;
}

static const char *prec_letter(const char *p)
{
	return !strcmp(p, "IMMEDIATE") ? "O" : !strcmp(p, "FLASH") ? "Z"
	       : !strcmp(p, "ROUTINE") ? "R" : "P";
}

/* Build cable number i (0-based) into c; returns its date. */
static time_t make_cable(struct gen *g, long i, ck_cable *c)
{
	ck_arena *A = c->arena;
	ck_buf b = CK_BUF_INIT;

	/* the date: position i/N through the year distribution */
	double u = ((double)i + 0.5) / (double)g->count;
	int yi = 0;
	while (yi + 1 < g->nyears && u > g->ycum[yi])
		yi++;
	double lo = yi ? g->ycum[yi - 1] : 0.0;
	double frac = (u - lo) / (g->ycum[yi] - lo);
	int year = g->years[yi];
	struct tm tm = {0};
	tm.tm_year = year - 1900;
	tm.tm_mday = 1;
	time_t t0 = timegm(&tm);
	time_t t = t0 + (time_t)(frac * 365.0 * 86400.0);
	struct tm d;
	gmtime_r(&t, &d);
	if (d.tm_year != year - 1900) { /* stay inside the year */
		t = t0 + 364 * 86400;
		gmtime_r(&t, &d);
	}

	/* origin and serial */
	size_t oi = dist_pick(&D[D_ORIGIN]);
	const char *post = D[D_ORIGIN].val[oi];
	char fm[128], station[16], origin[128];
	if (sscanf(D[D_ORIGIN].extra[oi], "%127[^\t]\t%15[^\t]\t%127[^\n]", fm, station,
		   origin) != 3) {
		fprintf(stderr, "synth: bad origin row for %s\n", post);
		exit(1);
	}
	long *ser = &g->serials[oi * (size_t)g->nyears + (size_t)yi];
	*ser += 1 + (long)below(6);
	long serial = *ser;
	c->id = ck_arena_printf(A, "%02d%s%ld", year % 100, post, serial);
	c->date = ck_arena_printf(A, "%04d-%02d-%02dT%02d:%02d:00Z", year, d.tm_mon + 1,
				  d.tm_mday, d.tm_hour, d.tm_min);
	c->from = ck_arena_strdup(A, fm);
	c->origin = ck_arena_strdup(A, origin);

	/* marking, captions */
	const char *marking = D[D_MARKING].val[dist_pick(&D[D_MARKING])];
	c->marking = marking;
	int noforn = strstr(marking, "NOFORN") != NULL;
	int fouo = strstr(marking, "OFFICIAL USE") != NULL;
	const char *cls = !strncmp(marking, "SECRET", 6) ? "SECRET"
			  : !strncmp(marking, "CONFIDENTIAL", 12) ? "CONFIDENTIAL"
			  : !strncmp(marking, "TOP SECRET", 10) ? "TOP SECRET" : "UNCLASSIFIED";
	c->classification = cls;
	int classified = strcmp(cls, "UNCLASSIFIED") != 0;
	int sipdis = dist_yes(D_SIPDIS);
	c->caveats.v = ck_arena_alloc(A, 3 * sizeof(char *));
	if (noforn)
		c->caveats.v[c->caveats.n++] = "NOFORN";
	if (fouo)
		c->caveats.v[c->caveats.n++] = "SENSITIVE";
	if (sipdis)
		c->caveats.v[c->caveats.n++] = "SIPDIS";

	/* header and addressees */
	const char *prec = D[D_PREC].val[dist_pick(&D[D_PREC])];
	const char *pl = prec_letter(prec);
	c->precedence = prec;
	ck_header *h = &c->header;
	h->transmission = ck_arena_printf(A, "VZCZCXYZ%04ld", i % 10000);
	h->relay_prec = ck_arena_printf(A, "%s%s", pl, pl);
	h->relay = strv1(A, "RUEHWEB");
	h->station = ck_arena_strdup(A, station);
	h->ssn = serial % 10000;
	h->section = 1;
	h->julian = ck_arena_printf(A, "%03d%02d%02d", d.tm_yday + 1, d.tm_hour, d.tm_min);
	h->security = !strcmp(cls, "SECRET") ? "ZNY SSSSS ZZH"
		      : !strcmp(cls, "CONFIDENTIAL") ? "ZNY CCCCC ZZH"
		      : "ZNR UUUUU ZZH";
	h->dtg_prec = pl;
	h->dtg = ck_arena_printf(A, "%02d%02d%02dZ %s %02d", d.tm_mday, d.tm_hour,
				 d.tm_min, mon[d.tm_mon], year % 100);
	int from_state = !strcmp(post, "STATE");
	c->nto = 1;
	c->to = ck_arena_alloc(A, sizeof *c->to);
	if (!from_state) {
		c->to[0] = (ck_addr){"RUEHC", "SECSTATE WASHDC", prec,
				     ck_arena_printf(A, "%04d", (int)below(10000))};
	} else {
		size_t k = dist_pick(&D[D_ORIGIN]);
		char f2[128], s2[16];
		sscanf(D[D_ORIGIN].extra[k], "%127[^\t]\t%15[^\t]", f2, s2);
		c->to[0] = (ck_addr){ck_arena_strdup(A, s2), ck_arena_strdup(A, f2), prec,
				     ck_arena_printf(A, "%04d", (int)below(10000))};
	}
	int ninfo = (int)below(5);
	c->info = ck_arena_alloc(A, (size_t)(ninfo + 1) * sizeof *c->info);
	for (int k = 0; k < ninfo; k++) {
		size_t j = dist_pick(&D[D_ORIGIN]);
		char f2[128], s2[16];
		sscanf(D[D_ORIGIN].extra[j], "%127[^\t]\t%15[^\t]", f2, s2);
		if (!strcmp(f2, fm) || !strcmp(f2, c->to[0].name))
			continue;
		int dup = 0;
		for (size_t m = 0; m < c->ninfo; m++)
			dup |= !strcmp(c->info[m].name, f2);
		if (dup)
			continue;
		c->info[c->ninfo++] = (ck_addr){ck_arena_strdup(A, s2), ck_arena_strdup(A, f2),
						below(2) ? "PRIORITY" : "ROUTINE",
						ck_arena_printf(A, "%04d", (int)below(10000))};
	}

	/* banner fields */
	c->sections = dist_int(D_SECTIONS);
	if (c->sections == 1)
		c->sections = 0;
	c->has_decl = 1;
	const char *order = year >= 2010 ? "13526" : "12958";
	c->decl.order = order;
	if (classified) {
		c->decl.text = ck_arena_printf(A, "E.O. %s: DECL: %02d/%02d/%04d", order,
					       d.tm_mon + 1, d.tm_mday, year + 10);
		c->decl.date = ck_arena_printf(A, "%04d-%02d-%02d", year + 10,
					       d.tm_mon + 1, d.tm_mday);
	} else {
		c->decl.text = ck_arena_printf(A, "E.O. %s: N/A", order);
	}
	int ntags = dist_int(D_TAGS);
	if (ntags < 1)
		ntags = 1;
	c->tags.v = ck_arena_alloc(A, (size_t)ntags * sizeof(char *));
	for (int k = 0, tries = 0; k < ntags && tries < 50; tries++) {
		const char *tag = D[D_TAG].val[dist_pick(&D[D_TAG])];
		int dup = 0;
		for (size_t m = 0; m < c->tags.n; m++)
			dup |= !strcmp(c->tags.v[m], tag);
		if (!dup) {
			c->tags.v[c->tags.n++] = tag;
			k++;
		}
	}
	ck_buf_clear(&b);
	ck_buf_puts(&b, "[SYNTHETIC] ");
	size_t base = CM.n ? (size_t)below(CM.n) : 0; /* the real cable it follows */
	if (CM.n && CM.subj[base]) {
		ck_buf_puts(&b, CM.subj[base]);
	} else {
		int sw = dist_int(D_SWORDS);
		upper_words(&b, sw < 2 ? 2 : sw);
	}
	c->subject = ck_arena_strdup(A, b.ptr);

	/* references to earlier synthetic cables */
	int nrefs = dist_int(D_REFS);
	long avail = g->nring < RING ? g->nring : RING;
	if (nrefs > avail)
		nrefs = (int)avail;
	if (nrefs > 26)
		nrefs = 26;
	c->refs = ck_arena_alloc(A, (size_t)(nrefs + 1) * sizeof *c->refs);
	for (int k = 0; k < nrefs; k++) {
		/* mostly recent ones */
		long back = 1 + (long)(below((uint64_t)avail) * unit() * unit());
		const struct recent *r = &g->ring[(g->nring - back) % RING];
		int dupl = 0;
		for (size_t m = 0; m < c->nrefs; m++)
			dupl |= !strcmp(c->refs[m].id, r->id);
		if (dupl)
			continue;
		ck_ref *rf = &c->refs[c->nrefs++];
		rf->label = nrefs > 1 ? ck_arena_printf(A, "%c", 'A' + (int)c->nrefs - 1) : NULL;
		rf->text = r->year == year ? ck_arena_printf(A, "%s %ld", r->post, r->serial)
			   : ck_arena_printf(A, "%02d %s %ld", r->year % 100, r->post, r->serial);
		rf->id = ck_arena_strdup(A, r->id);
	}
	if (c->nrefs == 1)
		c->refs[0].label = NULL;

	if (classified) {
		c->has_classified_by = 1;
		const char *title = titles[below(sizeof titles / sizeof *titles)];
		const char *rn = year >= 2003 ? "1.4" : "1.5";
		ck_buf_clear(&b);
		name(&b, rnd(), 0);
		ck_buf_putc(&b, ' ');
		name(&b, rnd(), 0);
		c->classified_by.name = ck_arena_strdup(A, b.ptr);
		c->classified_by.title = title;
		c->classified_by.reasons.v = ck_arena_alloc(A, 2 * sizeof(char *));
		c->classified_by.reasons.v[0] = ck_arena_printf(A, "%s(b)", rn);
		c->classified_by.reasons.v[1] = ck_arena_printf(A, "%s(d)", rn);
		c->classified_by.reasons.n = 2;
		/* the text after the label, as the parser keeps it */
		c->classified_by.text = ck_arena_printf(A, "%s %s, for reasons %s (b) and (d)",
							title, b.ptr, rn);
	}

	/* paragraphs */
	int np = CM.n ? (int)CM.np[base] : dist_int(D_PARAS);
	if (np < 1)
		np = 1;
	int seen[6] = {0};
	probe_words(c->subject, seen);
	const char *pm = !strcmp(cls, "SECRET") ? "S" : !strcmp(cls, "CONFIDENTIAL") ? "C"
			 : fouo ? "SBU" : "U";
	int summary = dist_yes(D_SUMMARY);
	c->paras = ck_arena_alloc(A, (size_t)np * sizeof *c->paras);
	c->nparas = (size_t)np;
	for (int k = 0; k < np; k++) {
		ck_para *p = &c->paras[k];
		p->n = k + 1;
		p->marking = pm;
		if (CM.n) { /* its own paragraph, or one of another cable */
			size_t pi = unit() < 0.1 ? (size_t)below(CM.npara) : CM.p0[base] + (size_t)k;
			p->text = CM.para[pi];
			probe_words(p->text, seen);
			continue;
		}
		if (k && dist_yes(D_HEADING)) {
			ck_buf_clear(&b);
			upper_words(&b, 2 + (int)below(4));
			p->heading = ck_arena_strdup(A, b.ptr);
		}
		ck_buf_clear(&b);
		int nw = dist_int(D_PWORDS);
		nw = nw - 5 + (int)below(10);
		if (k == 0 && summary) {
			ck_buf_puts(&b, "Summary: ");
			sentences(&b, nw);
			c->summary = ck_arena_strdup(A, b.ptr + 9);
			ck_buf_puts(&b, " End summary.");
		} else {
			sentences(&b, nw);
		}
		p->text = ck_arena_strdup(A, b.ptr);
	}
	for (int w = 0; w < 6; w++)
		g->probe_hits[w] += seen[w];
	if (dist_int(D_SIGNERS) > 0) {
		ck_buf_clear(&b);
		uint64_t hs = 1469598103934665603ULL;
		for (const char *q = post; *q; q++)
			hs = (hs ^ (unsigned char)*q) * 1099511628211ULL;
		name(&b, hs ^ (uint64_t)year, 1);
		c->signers = strv1(A, b.ptr);
	}
	ck_buf_free(&b);

	/* remember it for later references */
	struct recent *r = &g->ring[g->nring % RING];
	snprintf(r->id, sizeof r->id, "%s", c->id);
	snprintf(r->post, sizeof r->post, "%s", post);
	r->serial = serial;
	r->year = year;
	g->nring++;
	return t;
}

/* ---- the making thread --------------------------------------------------------- */

#define SRING 64
struct item {
	ck_buf text, json;
	char id[48];
	time_t t;
};
struct ring {
	struct gen *g;
	int want_json;
	struct item it[SRING];
	long head, tail; /* made, written */
	int stop, err;
	char msg[256];
	pthread_mutex_t mu;
	pthread_cond_t more, room;
};

static void *maker(void *arg)
{
	struct ring *q = arg;
	for (long i = 0; i < q->g->count; i++) {
		pthread_mutex_lock(&q->mu);
		while (i - q->tail >= SRING && !q->stop)
			pthread_cond_wait(&q->room, &q->mu);
		int stop = q->stop;
		pthread_mutex_unlock(&q->mu);
		if (stop)
			break;
		struct item *it = &q->it[i % SRING];
		ck_cable *c = ck_cable_new_();
		int bad = !c;
		if (c) {
			it->t = make_cable(q->g, i, c);
			snprintf(it->id, sizeof it->id, "%s", c->id);
			ck_buf_clear(&it->json);
			if (q->want_json) {
				ck_cable_write_json(&it->json, c, 0);
				ck_buf_putc(&it->json, '\n');
			}
			ck_buf_clear(&it->text);
			bad = ck_cable_write_telegram(&it->text, c) != 0;
			ck_cable_free(c);
		}
		pthread_mutex_lock(&q->mu);
		if (bad) {
			q->err = 1;
			snprintf(q->msg, sizeof q->msg, "%s", c ? ck_error_last() : "out of memory");
		} else {
			q->head = i + 1;
		}
		pthread_cond_signal(&q->more);
		pthread_mutex_unlock(&q->mu);
		if (bad)
			break;
	}
	return NULL;
}

/* ---- output ----------------------------------------------------------------- */

static int ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);
	return n >= k && !strcmp(s + n - k, suf);
}

static int mkdirs(const char *path)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s", path);
	for (char *p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			if (mkdir(tmp, 0755) && errno != EEXIST)
				return -1;
			*p = '/';
		}
	return mkdir(tmp, 0755) && errno != EEXIST ? -1 : 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench/synth --count N [--seed S] [--dist TABLE] "
			"[--corpus DIR] --out DIR|FILE.tar.gz\n");
	exit(2);
}

int main(int argc, char **argv)
{
	long count = -1;
	uint64_t seed = 1;
	const char *out = NULL, *table = NULL, *json = NULL, *corpus = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--count") && i + 1 < argc)
			count = strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--dist") && i + 1 < argc)
			table = argv[++i];
		else if (!strcmp(argv[i], "--json") && i + 1 < argc)
			json = argv[++i];
		else if (!strcmp(argv[i], "--corpus") && i + 1 < argc)
			corpus = argv[++i];
		else
			usage();
	}
	if (count < 0 || !out)
		usage();
	char deflt[4096];
	if (!table) {
		/* beside the program: bench/synth-dist.tsv */
		const char *slash = strrchr(argv[0], '/');
		snprintf(deflt, sizeof deflt, "%.*ssynth-dist.tsv",
			 slash ? (int)(slash - argv[0] + 1) : 0, argv[0]);
		table = deflt;
	}
	int lt = load_table(table);
	if (lt) {
		if (lt == -1)
			fprintf(stderr, "synth: cannot read %s: %s\n", table, strerror(errno));
		return 1;
	}

	if (corpus && corpus_load(corpus) == 0)
		fprintf(stderr, "synth: text from %zu cables of %s (%zu paragraphs), recombined\n", CM.n, corpus,
			CM.npara);

	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		rs[i] = splitmix64(&x);

	struct gen *g = calloc(1, sizeof *g);
	/* years ascending with their CDF */
	struct dist *yd = &D[D_YEAR];
	g->nyears = (int)yd->n;
	g->years = calloc(yd->n, sizeof *g->years);
	g->ycum = calloc(yd->n, sizeof *g->ycum);
	uint64_t *ycount = calloc(yd->n, sizeof *ycount);
	for (size_t i = 0; i < yd->n; i++) {
		g->years[i] = atoi(yd->val[i]);
		ycount[i] = yd->cum[i] - (i ? yd->cum[i - 1] : 0);
	}
	for (size_t i = 1; i < yd->n; i++) /* insertion sort by year */
		for (size_t j = i; j > 0 && g->years[j - 1] > g->years[j]; j--) {
			int ty = g->years[j];
			g->years[j] = g->years[j - 1];
			g->years[j - 1] = ty;
			uint64_t tc = ycount[j];
			ycount[j] = ycount[j - 1];
			ycount[j - 1] = tc;
		}
	double acc = 0;
	for (size_t i = 0; i < yd->n; i++) {
		acc += (double)ycount[i] / (double)yd->total;
		g->ycum[i] = acc;
	}
	g->ycum[yd->n - 1] = 1.0;
	free(ycount);
	g->count = count;
	g->serials = calloc(D[D_ORIGIN].n * yd->n, sizeof *g->serials);

	int tgz = ends_with(out, ".tar.gz") || ends_with(out, ".tgz");
	struct archive *ar = NULL;
	if (tgz) {
		ar = archive_write_new();
		archive_write_add_filter_gzip(ar);
		archive_write_set_format_pax_restricted(ar);
		archive_write_set_options(ar, "gzip:!timestamp,gzip:compression-level=1");
		if (archive_write_open_filename(ar, out) != ARCHIVE_OK) {
			fprintf(stderr, "synth: %s: %s\n", out, archive_error_string(ar));
			return 1;
		}
	} else if (mkdirs(out)) {
		fprintf(stderr, "synth: %s: %s\n", out, strerror(errno));
		return 1;
	}

	FILE *jf = json ? fopen(json, "wb") : NULL;
	if (json && !jf) {
		fprintf(stderr, "synth: %s: %s\n", json, strerror(errno));
		return 1;
	}
	/* cables are made on a second thread, written (and compressed) on
	 * this one; a ring keeps the order, so the bytes do not change */
	struct ring *q = calloc(1, sizeof *q);
	if (!q) {
		fprintf(stderr, "synth: out of memory\n");
		return 1;
	}
	q->g = g;
	q->want_json = jf != NULL;
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->more, NULL);
	pthread_cond_init(&q->room, NULL);
	pthread_t th;
	if (pthread_create(&th, NULL, maker, q)) {
		fprintf(stderr, "synth: cannot start a thread\n");
		return 1;
	}
	char path[4096];
	int status = 0;
	for (long i = 0; i < count && !status; i++) {
		pthread_mutex_lock(&q->mu);
		while (q->head <= i && !q->err)
			pthread_cond_wait(&q->more, &q->mu);
		int err = q->err && q->head <= i;
		pthread_mutex_unlock(&q->mu);
		if (err) {
			fprintf(stderr, "synth: %s\n", q->msg);
			status = 1;
			break;
		}
		struct item *it = &q->it[i % SRING];
		ck_buf *text = &it->text;
		if (jf && fwrite(it->json.ptr, 1, it->json.len, jf) != it->json.len)
			status = 1;
		if (tgz) {
			snprintf(path, sizeof path, "synth/%04ld/%s.txt", i / 1000, it->id);
			struct archive_entry *e = archive_entry_new();
			archive_entry_set_pathname(e, path);
			archive_entry_set_size(e, (la_int64_t)text->len);
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_perm(e, 0644);
			archive_entry_set_mtime(e, it->t, 0);
			archive_entry_set_uname(e, "synth");
			archive_entry_set_gname(e, "synth");
			if (archive_write_header(ar, e) != ARCHIVE_OK ||
			    archive_write_data(ar, text->ptr, text->len) != (la_ssize_t)text->len) {
				fprintf(stderr, "synth: %s: %s\n", out, archive_error_string(ar));
				status = 1;
			}
			archive_entry_free(e);
		} else {
			if (i % 1000 == 0) {
				snprintf(path, sizeof path, "%s/%04ld", out, i / 1000);
				if (mkdirs(path)) {
					fprintf(stderr, "synth: %s: %s\n", path, strerror(errno));
					status = 1;
				}
			}
			snprintf(path, sizeof path, "%s/%04ld/%s.txt", out, i / 1000, it->id);
			FILE *f = fopen(path, "wb");
			if (!f || fwrite(text->ptr, 1, text->len, f) != text->len || fclose(f)) {
				fprintf(stderr, "synth: %s: %s\n", path, strerror(errno));
				status = 1;
			}
		}
		pthread_mutex_lock(&q->mu);
		q->tail = i + 1;
		pthread_cond_signal(&q->room);
		pthread_mutex_unlock(&q->mu);
	}
	pthread_mutex_lock(&q->mu);
	q->stop = 1;
	pthread_cond_signal(&q->room);
	pthread_mutex_unlock(&q->mu);
	pthread_join(th, NULL);
	for (int k = 0; k < SRING; k++) {
		ck_buf_free(&q->it[k].text);
		ck_buf_free(&q->it[k].json);
	}
	free(q);
	if (ar) {
		if (archive_write_close(ar) != ARCHIVE_OK) {
			fprintf(stderr, "synth: %s: %s\n", out, archive_error_string(ar));
			status = 1;
		}
		archive_write_free(ar);
	}
	if (jf && fclose(jf)) {
		fprintf(stderr, "synth: %s: write failed\n", json);
		status = 1;
	}
	if (CM.n && !status) {
		printf("%-10s %10s %10s\n", "word", "synthetic", "corpus");
		for (int w = 0; w < 6; w++)
			printf("%-10s %9.2f%% %9.2f%%\n", probe[w], 100.0 * (double)g->probe_hits[w] / (double)(count ? count : 1),
			       100.0 * (double)CM.probe_hits[w] / (double)CM.n);
	}
	free(g->serials);
	free(g->years);
	free(g->ycum);
	free(g);
	return status;
}
