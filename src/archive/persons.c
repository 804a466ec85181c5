/*
 * persons.c - one person across cables (issue 15, docs/people.md "Cross-cable
 * people"): the per-cable keys that store.c keeps as `field` rows of kind
 * 'person' ("prodi_romano", or the bare surname "prodi") are grouped into
 * persons, and each (cable, key) is written to `pcable` with the person it
 * was put in and why (enum ck_pwhy in archive.h), so that every merge can be
 * shown and undone.
 *
 * Only one surname is read at a time, and only the surnames an ingest
 * touched: store.c writes them to `pdirty` (in the cable's transaction, so a
 * killed ingest leaves them for the next), and ck_persons_resolve() groups
 * each again from its rows and empties the table.  A surname's rows are
 * sorted once; a bare surname is tested against the surname's full names
 * only, through their sorted posts and tags: no pass over all keys.
 *
 * The rules, per surname:
 *  1. a full key ("jones_deborah") is one person, unless its cables fall
 *     into periods more than SPLIT_MONTHS apart that share no post (origin):
 *     then each period is a person; the largest keeps the key, the others
 *     are "KEY~POST-YEAR" ("smith_john~embassy-moscow-1972");
 *  2. a cable that names the surname alone ("jones") joins a full name's
 *     person when exactly one fits: its cables within WINDOW_MONTHS of the
 *     full name's first and last, from the same post (and sharing a
 *     geographic TAG when both have one) - else, when none fits by post,
 *     exactly one sharing a geographic TAG;
 *  3. the other bare cables are persons by post and period (gaps of at most
 *     BARE_MONTHS), joined across posts when they share a geographic TAG
 *     within WINDOW_MONTHS (not those several full names fitted): the
 *     largest keeps the surname, the others are "SURNAME~POST-YEAR"
 *     ("jones~embassy-cairo-2005").
 * Undated cables fit no window: they stay with their key (rule 1) or alone.
 */
#include "archive/archive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SPLIT_MONTHS (10 * 12)
#define WINDOW_MONTHS (2 * 12)
#define BARE_MONTHS (3 * 12)
#define NGEO 8

struct prow {
	const char *key, *origin; /* origin "" when none */
	sqlite3_int64 cable;
	int t;                    /* months (year * 12 + month - 1), -1 undated */
	int ngeo;
	char geo[NGEO][8];        /* the cable's geographic TAGS */
	int part;                 /* the full name's person it is in, or -1 */
	int why;
	const char *person;
};

struct part {
	size_t from, to;          /* rows of one key, sorted by date */
	int tmin, tmax;           /* dated rows only; tmin -1 when none */
	const char **orig;        /* sorted distinct posts */
	size_t norig;
	char (*geo)[8];           /* sorted distinct geographic TAGS */
	size_t ngeo;
};

struct group {
	ck_arena *ar;
	struct prow *r;
	size_t n, cap;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_geo(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* strings s and t, then dates, then cables */
static int cmp_then_date(const char *s, const char *t, const struct prow *x, const struct prow *y)
{
	int c = strcmp(s, t);
	if (c || x->t != y->t)
		return c ? c : x->t < y->t ? -1 : 1;
	return x->cable < y->cable ? -1 : x->cable > y->cable;
}

/* rows by key, then date */
static int cmp_key_t(const void *a, const void *b)
{
	const struct prow *x = a, *y = b;
	return cmp_then_date(x->key, y->key, x, y);
}

/* pointers to rows by post, then date */
static int cmp_origin_t(const void *a, const void *b)
{
	const struct prow *x = *(const struct prow *const *)a, *y = *(const struct prow *const *)b;
	return cmp_then_date(x->origin, y->origin, x, y);
}

static int months(const char *date)
{
	if (!date || strlen(date) < 7 || date[4] != '-')
		return -1;
	int y = atoi(date), m = atoi(date + 5);
	return y > 0 && m >= 1 && m <= 12 ? y * 12 + m - 1 : -1;
}

/* "SURNAME~embassy-cairo-2005": a person apart, named by its post and
 * first year */
static const char *scoped_id(ck_arena *ar, const char *key, const char *origin, int t)
{
	char slug[64];
	size_t n = 0;
	for (const char *p = *origin ? origin : "unknown"; *p && n < sizeof slug - 1; p++) {
		char ch = *p >= 'A' && *p <= 'Z' ? (char)(*p + 32) : *p;
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
			slug[n++] = ch;
		else if (n && slug[n - 1] != '-')
			slug[n++] = '-';
	}
	while (n && slug[n - 1] == '-')
		n--;
	slug[n] = 0;
	if (t < 0)
		return ck_arena_printf(ar, "%s~%s-undated", key, slug);
	return ck_arena_printf(ar, "%s~%s-%d", key, slug, t / 12);
}

static int has_geo(const struct part *p, const char *g)
{
	return bsearch(g, p->geo, p->ngeo, sizeof *p->geo, cmp_geo) != NULL;
}

/* the posts and TAGS of a full name's period, sorted for bsearch */
static int part_sets(ck_arena *ar, const struct group *g, struct part *p)
{
	size_t n = p->to - p->from, ng = 0;
	p->orig = ck_arena_alloc(ar, n * sizeof *p->orig + 1);
	for (size_t i = 0; i < n; i++)
		ng += (size_t)g->r[p->from + i].ngeo;
	p->geo = ck_arena_alloc(ar, ng * sizeof *p->geo + 1);
	if (!p->orig || !p->geo)
		return CK_ENOMEM;
	p->tmin = p->tmax = -1;
	ng = 0;
	for (size_t i = 0; i < n; i++) {
		const struct prow *r = &g->r[p->from + i];
		p->orig[i] = r->origin;
		for (int k = 0; k < r->ngeo; k++)
			memcpy(p->geo[ng++], r->geo[k], 8);
		if (r->t >= 0) {
			if (p->tmin < 0 || r->t < p->tmin)
				p->tmin = r->t;
			if (r->t > p->tmax)
				p->tmax = r->t;
		}
	}
	qsort(p->orig, n, sizeof *p->orig, cmp_str);
	qsort(p->geo, ng, sizeof *p->geo, cmp_geo);
	p->norig = p->ngeo = 0;
	for (size_t i = 0; i < n; i++)
		if (!p->norig || strcmp(p->orig[p->norig - 1], p->orig[i]))
			p->orig[p->norig++] = p->orig[i];
	for (size_t i = 0; i < ng; i++)
		if (!p->ngeo || strcmp(p->geo[p->ngeo - 1], p->geo[i]))
			memcpy(p->geo[p->ngeo++], p->geo[i], 8);
	return 0;
}

/* rows [a, b) and [b, c) of one key share a post */
static int share_post(const struct group *g, size_t a, size_t b, size_t c)
{
	for (size_t i = b; i < c; i++)
		for (size_t j = a; j < b; j++)
			if (!strcmp(g->r[i].origin, g->r[j].origin))
				return 1;
	return 0;
}

/* Rule 1: the periods of the full key of rows [from, to) as parts */
static int split_key(struct group *g, size_t from, size_t to, struct part **parts, size_t *np, size_t *cap)
{
	size_t first = *np, start = from;
	for (size_t i = from + 1; i <= to; i++) {
		int gap = i < to && g->r[i].t >= 0 && g->r[i - 1].t >= 0 && g->r[i].t - g->r[i - 1].t > SPLIT_MONTHS;
		if (i < to && !gap)
			continue;
		if (i < to) {
			/* the next period: up to the next such gap */
			size_t e = i + 1;
			while (e < to && !(g->r[e].t - g->r[e - 1].t > SPLIT_MONTHS))
				e++;
			if (share_post(g, start, i, e))
				continue;
		}
		if (*np == *cap) {
			size_t nc = *cap ? *cap * 2 : 16;
			struct part *t = realloc(*parts, nc * sizeof *t);
			if (!t)
				return CK_ENOMEM;
			*parts = t;
			*cap = nc;
		}
		(*parts)[(*np)++] = (struct part){.from = start, .to = i};
		start = i;
	}
	/* the largest period keeps the key (the first of equals) */
	size_t big = first;
	for (size_t p = first; p < *np; p++)
		if ((*parts)[p].to - (*parts)[p].from > (*parts)[big].to - (*parts)[big].from)
			big = p;
	for (size_t p = first; p < *np; p++) {
		struct part *pt = &(*parts)[p];
		const struct prow *r0 = &g->r[pt->from];
		const char *id = p == big ? r0->key : scoped_id(g->ar, r0->key, r0->origin, r0->t);
		if (!id || part_sets(g->ar, g, pt))
			return CK_ENOMEM;
		for (size_t i = pt->from; i < pt->to; i++) {
			g->r[i].part = (int)p;
			g->r[i].why = *np - first > 1 ? CK_PWHY_KEY_SPLIT : CK_PWHY_KEY;
			g->r[i].person = id;
		}
	}
	return 0;
}

/* Rule 2: a bare surname's cable into the one full name that fits */
static void attach(struct prow *r, const struct part *parts, size_t np, struct group *g)
{
	int npost = 0, ntag = 0;
	size_t post = 0, tag = 0;
	for (size_t p = 0; r->t >= 0 && p < np; p++) {
		const struct part *pt = &parts[p];
		if (pt->tmin < 0 || r->t < pt->tmin - WINDOW_MONTHS || r->t > pt->tmax + WINDOW_MONTHS)
			continue;
		int geo = 0;
		for (int k = 0; k < r->ngeo && !geo; k++)
			geo = has_geo(pt, r->geo[k]);
		int same = *r->origin && bsearch(&r->origin, pt->orig, pt->norig, sizeof *pt->orig, cmp_str);
		if (same && (geo || !r->ngeo || !pt->ngeo)) {
			npost++;
			post = p;
		} else if (geo) {
			ntag++;
			tag = p;
		}
	}
	size_t to = npost == 1 ? post : tag;
	if (npost == 1 || (!npost && ntag == 1)) {
		r->part = (int)to;
		r->why = npost == 1 ? CK_PWHY_POST : CK_PWHY_TAGS;
		r->person = g->r[parts[to].from].person;
	} else {
		r->why = npost + ntag ? CK_PWHY_AMBIGUOUS : CK_PWHY_ALONE;
	}
}

/* a bare cluster's geographic TAG with its period, for rule 3's sweep */
struct gent {
	const char *geo;
	int tmin, tmax;
	size_t cl;
};

static int cmp_gent(const void *a, const void *b)
{
	const struct gent *x = a, *y = b;
	int c = strcmp(x->geo, y->geo);
	if (c)
		return c;
	if (x->tmin != y->tmin)
		return x->tmin < y->tmin ? -1 : 1;
	return x->cl < y->cl ? -1 : x->cl > y->cl;
}

static size_t uf_find(size_t *up, size_t x)
{
	while (up[x] != x)
		x = up[x] = up[up[x]];
	return x;
}

/* Rule 3: the bare cables no full name took, by post and period; clusters
 * of other posts that share a geographic TAG within WINDOW_MONTHS join
 * (one sweep a TAG over the clusters sorted by date), unless several full
 * names fitted one of them */
static int bare_persons(struct group *g, const char *surname)
{
	size_t n = 0, ng = 0;
	for (size_t i = 0; i < g->n; i++)
		if (!g->r[i].person) {
			n++;
			ng += (size_t)g->r[i].ngeo;
		}
	if (!n)
		return 0;
	struct prow **v = malloc(n * sizeof *v);
	size_t *start = malloc((n + 1) * sizeof *start), ns = 0;
	size_t *up = malloc(n * sizeof *up), *size = calloc(n, sizeof *size);
	struct gent *ge = malloc((ng + 1) * sizeof *ge);
	int rc = 0;
	if (!v || !start || !up || !size || !ge) {
		rc = CK_ENOMEM;
		goto done;
	}
	n = 0;
	for (size_t i = 0; i < g->n; i++)
		if (!g->r[i].person)
			v[n++] = &g->r[i];
	qsort(v, n, sizeof *v, cmp_origin_t);
	for (size_t i = 0; i < n; i++)
		if (!i || strcmp(v[i]->origin, v[i - 1]->origin) || v[i - 1]->t < 0 ||
		    v[i]->t - v[i - 1]->t > BARE_MONTHS)
			start[ns++] = i;
	start[ns] = n;
	/* the clusters' TAGS with their periods (a cluster's rows are in date
	 * order; an undated cluster takes no part) */
	ng = 0;
	for (size_t s = 0; s < ns; s++) {
		up[s] = s;
		int amb = 0;
		for (size_t i = start[s]; i < start[s + 1]; i++)
			amb |= v[i]->why == CK_PWHY_AMBIGUOUS;
		int tmin = v[start[s]]->t, tmax = v[start[s + 1] - 1]->t;
		if (amb || tmin < 0)
			continue;
		size_t first = ng;
		for (size_t i = start[s]; i < start[s + 1]; i++)
			for (int k = 0; k < v[i]->ngeo; k++) {
				size_t j = first;
				while (j < ng && strcmp(ge[j].geo, v[i]->geo[k]))
					j++;
				if (j == ng)
					ge[ng++] = (struct gent){v[i]->geo[k], tmin, tmax, s};
			}
	}
	qsort(ge, ng, sizeof *ge, cmp_gent);
	for (size_t i = 0, run = 0; i < ng; i++) {
		if (i && !strcmp(ge[i].geo, ge[run].geo) && ge[i].tmin <= ge[run].tmax + WINDOW_MONTHS) {
			size_t x = uf_find(up, ge[run].cl), y = uf_find(up, ge[i].cl);
			if (x != y)
				up[x > y ? x : y] = x > y ? y : x; /* the root is the first cluster */
			if (ge[i].tmax > ge[run].tmax)
				ge[run].tmax = ge[i].tmax;
		} else {
			run = i;
		}
	}
	/* each person: its clusters' rows; the largest keeps the surname, the
	 * others are named by their largest cluster */
	size_t big = 0;
	for (size_t s = 0; s < ns; s++)
		size[uf_find(up, s)] += start[s + 1] - start[s];
	for (size_t s = 0; s < ns; s++)
		if (size[s] > size[big])
			big = s;
	for (size_t s = 0; s < ns && !rc; s++) {
		if (uf_find(up, s) != s)
			continue;
		size_t named = s, parts = 0;
		for (size_t t = s; t < ns; t++)
			if (uf_find(up, t) == s) {
				parts++;
				if (start[t + 1] - start[t] > start[named + 1] - start[named])
					named = t;
			}
		const struct prow *r0 = v[start[named]];
		const char *id = s == big ? surname : scoped_id(g->ar, surname, r0->origin, r0->t);
		if (!id)
			rc = CK_ENOMEM;
		for (size_t t = s; t < ns && id; t++)
			if (uf_find(up, t) == s)
				for (size_t i = start[t]; i < start[t + 1]; i++) {
					v[i]->person = id;
					if (parts > 1)
						v[i]->why = CK_PWHY_ALONE_TAGS;
				}
	}
done:
	free(v);
	free(start);
	free(up);
	free(size);
	free(ge);
	return rc;
}

/* one surname's rows into persons (the rules above) */
static int resolve_group(struct group *g, const char *surname)
{
	struct part *parts = NULL;
	size_t np = 0, cap = 0;
	int rc = 0;
	if (g->n)
		qsort(g->r, g->n, sizeof *g->r, cmp_key_t);
	for (size_t i = 0; i < g->n && !rc;) {
		size_t j = i + 1;
		while (j < g->n && !strcmp(g->r[j].key, g->r[i].key))
			j++;
		if (strcmp(g->r[i].key, surname))
			rc = split_key(g, i, j, &parts, &np, &cap);
		i = j;
	}
	for (size_t i = 0; i < g->n && !rc; i++)
		if (!strcmp(g->r[i].key, surname))
			attach(&g->r[i], parts, np, g);
	if (!rc)
		rc = bare_persons(g, surname);
	free(parts);
	return rc;
}

/* the geographic codes of a cable's tags column (tab-separated) */
static void geo_tags(struct prow *r, const char *tags)
{
	r->ngeo = 0;
	for (const char *p = tags ? tags : ""; *p && r->ngeo < NGEO;) {
		const char *e = strchr(p, '\t');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const char *kind = NULL;
		if (n && n < 8) {
			memcpy(r->geo[r->ngeo], p, n);
			r->geo[r->ngeo][n] = 0;
			if (ck_tag_meaning(r->geo[r->ngeo], &kind) && kind && !strcmp(kind, "geographic"))
				r->ngeo++;
		}
		p += n + (e != NULL);
	}
}

static int load_group(ck_archive *a, sqlite3_stmt *rows, struct group *g, const char *surname)
{
	char hi[256];
	snprintf(hi, sizeof hi, "%s`", surname); /* "S" and "S_*": keys are letters */
	sqlite3_reset(rows);
	sqlite3_bind_text(rows, 1, surname, -1, SQLITE_STATIC);
	sqlite3_bind_text(rows, 2, hi, -1, SQLITE_STATIC);
	int rc;
	g->n = 0;
	while ((rc = sqlite3_step(rows)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(rows, 0);
		size_t sl = strlen(surname);
		if (!key || strncmp(key, surname, sl) || (key[sl] && key[sl] != '_'))
			continue;
		if (g->n == g->cap) {
			size_t nc = g->cap ? g->cap * 2 : 256;
			struct prow *t = realloc(g->r, nc * sizeof *t);
			if (!t)
				return CK_ENOMEM;
			g->r = t;
			g->cap = nc;
		}
		struct prow *r = &g->r[g->n++];
		memset(r, 0, sizeof *r);
		const char *o = (const char *)sqlite3_column_text(rows, 2);
		r->key = ck_arena_strdup(g->ar, key);
		r->origin = ck_arena_strdup(g->ar, o ? o : "");
		r->cable = sqlite3_column_int64(rows, 1);
		r->t = months((const char *)sqlite3_column_text(rows, 3));
		r->part = -1;
		geo_tags(r, (const char *)sqlite3_column_text(rows, 4));
		if (!r->key || !r->origin)
			return CK_ENOMEM;
	}
	return rc == SQLITE_DONE ? 0 : ck_archive_sqlerr(a, rc, "reading people");
}

/* one write (ck_archive_step is schema.c's, which calls this file) */
static int step(ck_archive *a, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : ck_archive_sqlerr(a, rc, "resolving people");
}

/* the statements of a regrouping */
struct stmts {
	sqlite3_stmt *names, *rows, *old, *del, *ins;
};

/* by cable, then key (the rows of one surname are unique so) */
static int cmp_cable_key(const void *a, const void *b)
{
	const struct prow *x = a, *y = b;
	if (x->cable != y->cable)
		return x->cable < y->cable ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* The surname's rows of pcable made what the group says, writing only
 * what changed: a few cables added to a surname of thousands move few of
 * its rows, and writes into pcable's two b-trees are the dear part. */
static int write_group(ck_archive *a, struct stmts *q, struct group *g, const char *surname)
{
	char b[4][256];
	struct group old = {g->ar, NULL, 0, 0};
	int rc = 0, s;
	snprintf(b[0], sizeof b[0], "%s", surname);
	snprintf(b[1], sizeof b[1], "%s`", surname);
	snprintf(b[2], sizeof b[2], "%s~", surname);
	snprintf(b[3], sizeof b[3], "%s\x7f", surname);
	sqlite3_reset(q->old);
	for (int i = 0; i < 4; i++)
		sqlite3_bind_text(q->old, i + 1, b[i], -1, SQLITE_STATIC);
	while ((s = sqlite3_step(q->old)) == SQLITE_ROW) {
		if (old.n == old.cap) {
			size_t nc = old.cap ? old.cap * 2 : 64;
			struct prow *t = realloc(old.r, nc * sizeof *t);
			if (!t) {
				free(old.r);
				return CK_ENOMEM;
			}
			old.r = t;
			old.cap = nc;
		}
		struct prow *r = &old.r[old.n++];
		memset(r, 0, sizeof *r);
		r->person = ck_arena_strdup(g->ar, (const char *)sqlite3_column_text(q->old, 0));
		r->cable = sqlite3_column_int64(q->old, 1);
		r->key = ck_arena_strdup(g->ar, (const char *)sqlite3_column_text(q->old, 2));
		r->why = sqlite3_column_int(q->old, 3);
		if (!r->person || !r->key) {
			free(old.r);
			return CK_ENOMEM;
		}
	}
	sqlite3_reset(q->old);
	if (s != SQLITE_DONE) {
		free(old.r);
		return ck_archive_sqlerr(a, s, "resolving people");
	}
	if (old.n)
		qsort(old.r, old.n, sizeof *old.r, cmp_cable_key);
	if (g->n)
		qsort(g->r, g->n, sizeof *g->r, cmp_cable_key);
	for (size_t i = 0, j = 0; !rc && (i < old.n || j < g->n);) {
		int c = i == old.n ? 1 : j == g->n ? -1 : cmp_cable_key(&old.r[i], &g->r[j]);
		const struct prow *o = c <= 0 ? &old.r[i] : NULL, *n = c >= 0 ? &g->r[j] : NULL;
		i += c <= 0;
		j += c >= 0;
		if (o && n && o->why == n->why && !strcmp(o->person, n->person))
			continue; /* unchanged */
		if (o) {
			sqlite3_reset(q->del);
			sqlite3_bind_text(q->del, 1, o->person, -1, SQLITE_STATIC);
			sqlite3_bind_int64(q->del, 2, o->cable);
			sqlite3_bind_text(q->del, 3, o->key, -1, SQLITE_STATIC);
			rc = step(a, q->del);
		}
		if (n && !rc) {
			sqlite3_reset(q->ins);
			sqlite3_bind_text(q->ins, 1, n->person, -1, SQLITE_STATIC);
			sqlite3_bind_int64(q->ins, 2, n->cable);
			sqlite3_bind_text(q->ins, 3, n->key, -1, SQLITE_STATIC);
			sqlite3_bind_int(q->ins, 4, n->why);
			rc = step(a, q->ins);
		}
	}
	free(old.r);
	return rc;
}

int ck_persons_resolve(ck_archive *a, long *nsurnames)
{
	static const char *const sql[] = {
		"SELECT surname FROM pdirty ORDER BY 1",
		"SELECT f.value, f.cable, c.origin, c.date, c.tags FROM field f JOIN cable c ON c.rowid = f.cable"
		" WHERE f.kind = 'person' AND f.value >= ?1 AND f.value < ?2",
		"SELECT person, cable, key, why FROM pcable WHERE (person >= ?1 AND person < ?2)"
		" OR (person >= ?3 AND person < ?4)",
		"DELETE FROM pcable WHERE person = ?1 AND cable = ?2 AND key = ?3",
		"INSERT OR IGNORE INTO pcable(person, cable, key, why) VALUES(?1, ?2, ?3, ?4)",
	};
	struct stmts q = {0};
	sqlite3_stmt **st[] = {&q.names, &q.rows, &q.old, &q.del, &q.ins};
	struct group g = {0};
	long done = 0;
	int rc = 0, s = SQLITE_DONE;
	for (size_t i = 0; !rc && i < sizeof st / sizeof st[0]; i++)
		if ((s = sqlite3_prepare_v2(a->db, sql[i], -1, st[i], NULL)) != SQLITE_OK)
			rc = ck_archive_sqlerr(a, s, "resolving people");
	while (!rc && (s = sqlite3_step(q.names)) == SQLITE_ROW) {
		const char *surname = (const char *)sqlite3_column_text(q.names, 0);
		if (!surname || !*surname || strlen(surname) > 200)
			continue;
		if (!(g.ar = ck_arena_new())) {
			rc = CK_ENOMEM;
			break;
		}
		if (!(rc = load_group(a, q.rows, &g, surname)) && !(rc = resolve_group(&g, surname)))
			rc = write_group(a, &q, &g, surname);
		if (!rc && ck_arena_failed(g.ar))
			rc = CK_ENOMEM;
		ck_arena_free(g.ar);
		g.ar = NULL;
		done++;
	}
	if (!rc && s != SQLITE_DONE)
		rc = ck_archive_sqlerr(a, s, "resolving people");
	if (!rc)
		rc = ck_archive_exec(a, "DELETE FROM pdirty");
	/* a new generation: caches of the field index are rebuilt (read.c) */
	if (!rc && done)
		rc = ck_archive_exec(a, "INSERT INTO meta VALUES('persons_gen', '1') ON CONFLICT(key)"
				     " DO UPDATE SET value = CAST(value AS INTEGER) + 1");
	if (rc == CK_ENOMEM)
		ck_error_set(CK_ENOMEM, "out of memory");
	for (size_t i = 0; i < sizeof st / sizeof st[0]; i++)
		sqlite3_finalize(*st[i]);
	free(g.r);
	if (nsurnames)
		*nsurnames = done;
	return rc;
}

const char *ck_persons_why(int why)
{
	static const char *const text[] = {
		[CK_PWHY_KEY] = "same key",
		[CK_PWHY_KEY_SPLIT] = "same key, one period: the key's other cables are over 10 years away"
				      " with no post in common, another person",
		[CK_PWHY_POST] = "surname + post + years: the only full name of this surname named by this post"
				 " (with a common country TAG) within 2 years",
		[CK_PWHY_TAGS] = "surname + tags + years: no full name by post, the only one with a common"
				 " country TAG within 2 years",
		[CK_PWHY_ALONE] = "surname alone: no full name fits; one post, cables at most 3 years apart",
		[CK_PWHY_AMBIGUOUS] = "surname alone: more than one full name fits, none taken; one post,"
				      " cables at most 3 years apart",
		[CK_PWHY_ALONE_TAGS] = "surname alone: no full name fits; cables of one post at most 3 years"
				       " apart, and of other posts with a common country TAG within 2 years",
	};
	return why >= 0 && why < (int)(sizeof text / sizeof text[0]) ? text[why] : "?";
}
