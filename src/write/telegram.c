/*
 * telegram.c - write a cable back as telegram text, in the form of the
 * 2000s cables (FORMAT.md sections 1-2), or, for a cable read from the
 * 1970s printout (it has a drafter, a distribution, a line count ...), in
 * that layout (tg70_write below).
 *
 * The transmission header (FL1-FL5, FM, TO, INFO, XMT) comes from
 * `header`, `from`, `to`, `info` and `xmt`.  The body is the cable's clean body when it has
 * one (the parser's body is the text from the classification line on,
 * page headers removed: written line for line, it loses nothing the
 * fields would not).  A cable without a body (a synthetic one, JSON
 * written by hand) gets its body made from the fields: the classification
 * line with SECTION 01 OF mm and the padded serial, captions, E.O./DECL,
 * TAGS, SUBJECT, REF, Classified By, the numbered paragraphs with their
 * portion markings and headings, the signers; text wrapped at 70 columns.
 * Either way a page header ("ROME 00001497 002 OF 003") is put every
 * CK_TG_PAGE body lines, as the printed cables have them.  A field the
 * cable does not have is left out: nothing is invented (no DTG made up
 * from `date`, no serial without an id).
 */
#include "cablekit.h"
#include "parse/posts.h"

#include <ctype.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#define CK_TG_WIDTH 70 /* wrap column */
#define CK_TG_PAGE 60  /* body lines per page */

/* The body is built as lines first (page headers need the page count). */
struct tg {
	ck_buf body;      /* body lines, each ending in '\n' */
	size_t nlines;
	char post[64];    /* post of the classification line, "" if unknown */
	long serial;      /* cable serial, -1 if unknown */
	int year;         /* four-digit year of the id, 0 if unknown */
};

static void tg_line(struct tg *t, const char *s, size_t n)
{
	while (n && s[n - 1] == ' ')
		n--;
	ck_buf_put(&t->body, s, n);
	ck_buf_putc(&t->body, '\n');
	t->nlines++;
}

static void tg_blank(struct tg *t)
{
	/* never two blank lines in a row, never one at the top */
	if (!t->body.len || (t->body.len >= 2 && t->body.ptr[t->body.len - 2] == '\n'))
		return;
	tg_line(t, "", 0);
}

/* Would a line starting at s be read as something other than running
 * text (a paragraph number, a list letter, a portion marking, a field)? */
static int bad_start(const char *s)
{
	const char *p = s;
	while (isdigit((unsigned char)*p))
		p++;
	if (p > s && (*p == '.' || *p == ')'))
		return 1;
	if (isupper((unsigned char)s[0]) && (s[1] == '.' || s[1] == ')') &&
	    (s[2] == ' ' || !s[2]))
		return 1;
	if (s[0] == '(' || s[0] == '-' || s[0] == '#')
		return 1;
	static const char *fields[] = {"SUBJECT", "SUBJ", "TAGS", "TAG", "REF",
				       "E.O.", "EO ", "CLASSIFIED BY", "END ",
				       "SIPDIS", "NOFORN", "SENSITIVE", "PAGE "};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		if (!strncasecmp(s, fields[i], strlen(fields[i])))
			return 1;
	return 0;
}

/* May a line break replace the space at q? */
static int wrap_ok(const char *q)
{
	return *q == ' ' && q[-1] != ' ' && q[1] != ' ' && !bad_start(q + 1);
}

/* Append `first` + text wrapped at CK_TG_WIDTH; continuation lines start
 * with `indent`.  Breaks only at a single space (so joining the lines
 * with one space gives the text back) and never where the next line would
 * start like a field or a paragraph number.  Newlines in the text are
 * kept as line breaks. */
static void tg_wrap(struct tg *t, const char *first, const char *text,
		    const char *indent)
{
	ck_buf line = CK_BUF_INIT;
	const char *lead = first ? first : "";
	const char *s = text;
	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		const char *p = s, *end = s + len;
		do {
			size_t room = strlen(lead) < CK_TG_WIDTH - 10
					      ? CK_TG_WIDTH - strlen(lead) : 10;
			const char *cut = NULL;
			if ((size_t)(end - p) > room) {
				/* the last good single space within room, else the
				 * first one after it */
				for (const char *q = p + room; q > p && !cut; q--)
					if (q < end - 1 && wrap_ok(q))
						cut = q;
				for (const char *q = p + room + 1; q < end - 1 && !cut; q++)
					if (wrap_ok(q))
						cut = q;
			}
			const char *stop = cut ? cut : end;
			ck_buf_clear(&line);
			ck_buf_puts(&line, lead);
			ck_buf_put(&line, p, (size_t)(stop - p));
			tg_line(t, line.ptr, line.len);
			lead = indent ? indent : "";
			p = cut ? cut + 1 : end;
		} while (p < end);
		if (!nl)
			break;
		s = nl + 1;
	}
	ck_buf_free(&line);
}

/* Split the id into post and serial ("07ROME1497" -> ROME, 1497, 2007);
 * the post is written as the FM address has it when that address names
 * the same post ("AMEMBASSY THE HAGUE" for 07THEHAGUE12). */
static void tg_ident(struct tg *t, const ck_cable *c)
{
	t->post[0] = 0;
	t->serial = -1;
	t->year = 0;
	const char *id = c->id;
	if (!id)
		return;
	const char *p = id;
	while (isdigit((unsigned char)*p))
		p++;
	if (p - id == 2) {
		int yy = (id[0] - '0') * 10 + (id[1] - '0');
		t->year = yy > 50 ? 1900 + yy : 2000 + yy;
	} else if (p - id == 4) {
		t->year = atoi(id) > 1900 ? (int)strtol(id, NULL, 10) : 0;
	}
	const char *ps = p;
	while (isupper((unsigned char)*p))
		p++;
	const char *pe = p;
	if (pe == ps || !isdigit((unsigned char)*p))
		return;
	long serial = strtol(p, NULL, 10);
	size_t plen = (size_t)(pe - ps);
	if (plen >= sizeof t->post)
		return;
	memcpy(t->post, ps, plen);
	t->post[plen] = 0;
	t->serial = serial;
	if (c->from) {
		/* the FM address without its kind: "AMEMBASSY THE HAGUE" -> "THE HAGUE" */
		const char *f = ck_post_place_(c->from);
		char buf[64];
		if (strlen(f) < sizeof t->post &&
		    ck_post_idname(f, strlen(f), buf, sizeof buf) &&
		    !strcmp(buf, t->post))
			strcpy(t->post, f);
	}
}

static void tg_serial(ck_buf *b, const struct tg *t, int width)
{
	ck_buf_printf(b, "%s %0*ld", t->post, width, t->serial);
}

static void tg_addr(ck_buf *out, const char *lead, const ck_addr *a)
{
	if (lead)
		ck_buf_puts(out, lead);
	if (a->route)
		ck_buf_printf(out, "%s/", a->route);
	if (a->name)
		ck_buf_puts(out, a->name);
	if (a->precedence)
		ck_buf_printf(out, " %s", a->precedence);
	if (a->mcn)
		ck_buf_printf(out, " %s", a->mcn);
	ck_buf_putc(out, '\n');
}

static void tg_header(ck_buf *out, const ck_cable *c)
{
	const ck_header *h = &c->header;
	if (h->transmission)
		ck_buf_printf(out, "%s\n", h->transmission);
	if (h->relay_prec || h->relay.n) {
		const char *sep = "";
		if (h->relay_prec) {
			ck_buf_puts(out, h->relay_prec);
			sep = " ";
		}
		for (size_t i = 0; i < h->relay.n; i++) {
			ck_buf_printf(out, "%s%s", sep, h->relay.v[i]);
			sep = " ";
		}
		ck_buf_putc(out, '\n');
	}
	if (h->station) {
		ck_buf_printf(out, "DE %s", h->station);
		if (h->ssn >= 0) {
			ck_buf_printf(out, " #%04ld", h->ssn);
			if (h->section > 0)
				ck_buf_printf(out, "/%02d", h->section);
		}
		if (h->julian)
			ck_buf_printf(out, " %s", h->julian);
		ck_buf_putc(out, '\n');
	}
	if (h->security)
		ck_buf_printf(out, "%s\n", h->security);
	if (h->dtg) {
		if (h->dtg_prec)
			ck_buf_printf(out, "%s ", h->dtg_prec);
		ck_buf_printf(out, "%s\n", h->dtg);
	}
	if (c->from)
		ck_buf_printf(out, "FM %s\n", c->from);
	for (size_t i = 0; i < c->nto; i++)
		tg_addr(out, i ? NULL : "TO ", &c->to[i]);
	for (size_t i = 0; i < c->ninfo; i++)
		tg_addr(out, i ? NULL : "INFO ", &c->info[i]);
	for (size_t i = 0; i < c->nxmt; i++)
		tg_addr(out, i ? NULL : "XMT ", &c->xmt[i]);
}

/* "C O N F I D E N T I A L SECTION 01 OF 03 ROME 001497" */
static void tg_classline(struct tg *t, const ck_cable *c)
{
	ck_buf b = CK_BUF_INIT;
	const char *cl = c->classification;
	if (cl) {
		if (!strcmp(cl, "UNCLASSIFIED")) {
			ck_buf_puts(&b, "UNCLAS");
		} else if (!strcmp(cl, "CONFIDENTIAL") || !strcmp(cl, "SECRET") ||
			   !strcmp(cl, "TOP SECRET")) {
			for (const char *p = cl; *p; p++) {
				if (*p == ' ')
					continue;
				if (p != cl)
					ck_buf_putc(&b, ' ');
				ck_buf_putc(&b, *p);
			}
		} else {
			ck_buf_puts(&b, cl);
		}
	}
	if (c->sections > 0)
		ck_buf_printf(&b, "%sSECTION 01 OF %02d", b.len ? " " : "", c->sections);
	if (t->serial >= 0) {
		int width = t->year >= 2000 ? 6 : t->year >= 1979 ? 5 : 0;
		if (b.len)
			ck_buf_putc(&b, ' ');
		tg_serial(&b, t, width);
	}
	if (b.len) {
		tg_line(t, b.ptr, b.len);
		tg_blank(t);
	}
	ck_buf_free(&b);
}

static void tg_banner(struct tg *t, const ck_cable *c)
{
	ck_buf b = CK_BUF_INIT;

	/* captions, each once, in order */
	int any = 0;
	for (size_t i = 0; i < c->caveats.n; i++) {
		int dup = 0;
		for (size_t j = 0; j < i; j++)
			dup |= !strcmp(c->caveats.v[i], c->caveats.v[j]);
		if (!dup) {
			tg_line(t, c->caveats.v[i], strlen(c->caveats.v[i]));
			any = 1;
		}
	}
	if (any)
		tg_blank(t);

	if (c->has_decl) {
		if (c->decl.text) {
			tg_wrap(t, NULL, c->decl.text, NULL);
		} else if (c->decl.order) {
			ck_buf_printf(&b, "E.O. %s: ", c->decl.order);
			const char *d = c->decl.date;
			if (d && strlen(d) == 10 && d[4] == '-' && d[7] == '-')
				ck_buf_printf(&b, "DECL: %.2s/%.2s/%.4s", d + 5, d + 8, d);
			else
				ck_buf_puts(&b, "N/A");
			tg_line(t, b.ptr, b.len);
			ck_buf_clear(&b);
		}
	}
	if (c->tags.n) {
		for (size_t i = 0; i < c->tags.n; i++)
			ck_buf_printf(&b, "%s%s", i ? " " : "", c->tags.v[i]);
		tg_wrap(t, "TAGS: ", b.ptr, "");
		ck_buf_clear(&b);
	}
	if (c->subject)
		tg_wrap(t, "SUBJECT: ", c->subject, "");
	tg_blank(t);

	if (c->nrefs) {
		/* labelled references one a line, as "REF: A. STATE 12345" */
		for (size_t i = 0; i < c->nrefs; i++) {
			const ck_ref *r = &c->refs[i];
			ck_buf_clear(&b);
			ck_buf_puts(&b, i ? "     " : "REF: ");
			if (r->label)
				ck_buf_printf(&b, "%s. ", r->label);
			ck_buf_puts(&b, r->text ? r->text : r->id ? r->id : "");
			if (!r->label && i + 1 < c->nrefs)
				ck_buf_putc(&b, ';');
			tg_line(t, b.ptr, b.len);
		}
		ck_buf_clear(&b);
		tg_blank(t);
	}

	if (c->has_classified_by) {
		const char *txt = c->classified_by.text;
		if (txt) {
			/* the parser keeps the text after the label */
			int labelled = !strncasecmp(txt, "CLASSIFIED BY", 13);
			tg_wrap(t, labelled ? NULL : "Classified By: ", txt, NULL);
		} else if (c->classified_by.name || c->classified_by.title) {
			ck_buf_puts(&b, "Classified By:");
			if (c->classified_by.title)
				ck_buf_printf(&b, " %s", c->classified_by.title);
			if (c->classified_by.name)
				ck_buf_printf(&b, " %s", c->classified_by.name);
			const ck_strv *rs = &c->classified_by.reasons;
			for (size_t i = 0; i < rs->n; i++)
				ck_buf_printf(&b, "%s%s", i == 0 ? ", for reasons " :
					      i + 1 == rs->n ? " and " : ", ", rs->v[i]);
			tg_wrap(t, NULL, b.ptr, NULL);
			ck_buf_clear(&b);
		}
		tg_blank(t);
	}
	ck_buf_free(&b);
}

static void tg_paras(struct tg *t, const ck_cable *c)
{
	ck_buf b = CK_BUF_INIT;
	for (size_t i = 0; i < c->nparas; i++) {
		const ck_para *p = &c->paras[i];
		if (p->heading) {
			tg_blank(t);
			tg_line(t, p->heading, strlen(p->heading));
			size_t n = strlen(p->heading);
			ck_buf_clear(&b);
			for (size_t k = 0; k < n && k < CK_TG_WIDTH; k++)
				ck_buf_putc(&b, '-');
			tg_line(t, b.ptr, b.len);
		}
		ck_buf_clear(&b);
		if (p->n > 0)
			ck_buf_printf(&b, "%d. ", p->n);
		if (p->marking)
			ck_buf_printf(&b, "(%s) ", p->marking);
		tg_wrap(t, b.ptr, p->text ? p->text : "", NULL);
		tg_blank(t);
	}
	ck_buf_free(&b);
}

/* Where a page header may split a line: the single space nearest the
 * middle inside a sentence (a lower-case word after it, no full stop
 * before it: the parser takes the halves for one line); NULL when none. */
static const char *split_point(const char *s, size_t n)
{
	const char *best = NULL;
	size_t mid = n / 2, bestd = (size_t)-1;
	for (size_t i = 1; i + 1 < n; i++) {
		if (s[i] != ' ' || s[i - 1] == ' ' || !islower((unsigned char)s[i + 1]) ||
		    s[i - 1] == '.' || s[i - 1] == ':')
			continue;
		size_t d = i > mid ? i - mid : mid - i;
		if (d < bestd) {
			bestd = d;
			best = s + i;
		}
	}
	return best;
}

/* Is the line at s (n bytes with its newline) inside a paragraph: long,
 * not starting like a field, followed by another line of text? */
static int in_running_text(const char *s, size_t n, const char *end)
{
	if (n < 50 || s[n - 1] != '\n' || bad_start(s) || s[0] == ' ')
		return 0;
	const char *next = s + n;
	return next < end && *next != '\n' && *next != '-' && *next != ' ' &&
	       !bad_start(next);
}

static void tg_signers(struct tg *t, const ck_cable *c)
{
	if (!c->signers.n)
		return;
	tg_blank(t);
	for (size_t i = 0; i < c->signers.n; i++)
		tg_line(t, c->signers.v[i], strlen(c->signers.v[i]));
}

/* The release stamps the text held (review entries of kind "marking",
 * parse/repair.c), written back after the text as PlusD prints them:
 * "Sheryl P. Walter Declassified/Released US Department of State EO
 * Systematic Review 20 Mar 2014". */
static void tg_stamps(struct tg *t, const ck_cable *c)
{
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	for (size_t i = 0; i < c->nreview; i++) {
		const ck_review *r = &c->review[i];
		int y, m, d;
		if (!r->kind || strcmp(r->kind, "marking") || !r->date ||
		    sscanf(r->date, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12)
			continue;
		char line[256];
		int n = snprintf(line, sizeof line, "%s%sDeclassified/Released %s%s%02d %s %04d",
				 r->by ? r->by : "", r->by ? " " : "", r->note ? r->note : "",
				 r->note ? " " : "", d, mon[m - 1], y);
		if (n > 0 && (size_t)n < sizeof line) {
			tg_blank(t);
			tg_line(t, line, (size_t)n);
		}
	}
}

/* Does the body already end with the signers' lines? */
static int body_has_signers(const ck_cable *c)
{
	const char *last = c->signers.v[c->signers.n - 1];
	const char *b = c->body;
	size_t n = strlen(b), k = strlen(last);
	while (n && (b[n - 1] == '\n' || b[n - 1] == ' '))
		n--;
	return (n >= k && !memcmp(b + n - k, last, k)) || strstr(b, last) != NULL;
}

/* ---- the 1970s printout (FORMAT.md section 5, docs/writers.md) ---------- */

#define CK_TG70_PAGE 50 /* text lines per page of the printout */

static int is_seventies(const ck_cable *c)
{
	const ck_header *h = &c->header;
	return h->page_post || h->line_count || h->dist_total || h->control || c->ndistribution ||
	       c->drafter || c->approver;
}

/* "PAGE 01  ATHENS 02959  171944Z" */
static void tg70_page(ck_buf *out, const ck_cable *c, const struct tg *t, int page)
{
	const char *post = c->header.page_post ? c->header.page_post : t->post;
	ck_buf_printf(out, "PAGE %02d  %s %05ld", page, post, t->serial < 0 ? 0 : t->serial);
	if (c->header.page_dtg)
		ck_buf_printf(out, "  %s", c->header.page_dtg);
	ck_buf_putc(out, '\n');
}

/* ACTION EUR-25 / INFO OCT-01 EA-11 ... /096 W */
static void tg70_distribution(ck_buf *out, const ck_cable *c)
{
	int col = 0;
	for (size_t i = 0; i < c->ndistribution; i++) {
		const ck_office *o = &c->distribution[i];
		int info = !o->role || !strcmp(o->role, "info");
		if (!info) {
			if (col)
				ck_buf_putc(out, '\n');
			ck_buf_printf(out, "%s %s", !strcmp(o->role, "origin") ? "ORIGIN" : "ACTION", o->code);
			col = -1; /* the next info office starts an INFO line */
		} else if (col <= 0 || col >= 7) {
			if (col)
				ck_buf_putc(out, '\n');
			ck_buf_printf(out, "%s%s", col < 0 || (col == 0 && !i) ? "INFO  " : "", o->code);
			col = 1;
			if (o->copies >= 0)
				ck_buf_printf(out, "-%02d", o->copies);
			continue;
		} else {
			ck_buf_printf(out, "  %s", o->code);
			col++;
		}
		if (o->copies >= 0)
			ck_buf_printf(out, "-%02d", o->copies);
	}
	if (c->header.dist_total)
		ck_buf_printf(out, "%s%s", c->ndistribution ? "  " : "", c->header.dist_total);
	if (c->ndistribution || c->header.dist_total)
		ck_buf_putc(out, '\n');
}

/* The printout: banner, PAGE 01, line count, distribution, DRAFTED BY,
 * APPROVED BY, clearances, the dashes line, the DTG and addresses, then
 * the body with a page break (banner, banner, PAGE nn) between two lines
 * of running text every CK_TG70_PAGE lines, the banner and NNN. */
static void tg70_write(ck_buf *out, const ck_cable *c, struct tg *t)
{
	const char *banner = c->classification;
	const ck_header *h = &c->header;
	if (banner)
		ck_buf_printf(out, "%s\n", banner);
	tg70_page(out, c, t, 1);
	if (h->line_count)
		ck_buf_printf(out, "%s\n", h->line_count);
	tg70_distribution(out, c);
	if (c->drafter)
		ck_buf_printf(out, "DRAFTED BY %s\n", c->drafter);
	if (c->approver)
		ck_buf_printf(out, "APPROVED BY %s\n", c->approver);
	for (size_t i = 0; i < c->clearances.n; i++)
		ck_buf_printf(out, "%s\n", c->clearances.v[i]);
	ck_buf_printf(out, "------------------%s\n", h->control ? h->control : "");
	tg_header(out, c);
	/* the body, line for line; the series goes back after the serial */
	const char *p = t->body.ptr, *end = p + t->body.len;
	int page = 1, since = 0, first = 1;
	while (p && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *next = nl ? nl + 1 : end;
		int text = n > 0, next_text = next < end && *next != '\n';
		if (since >= CK_TG70_PAGE && text && next_text && banner) {
			ck_buf_put(out, p, n);
			ck_buf_printf(out, "\n%s\n%s\n", banner, banner);
			tg70_page(out, c, t, ++page);
			since = 0;
		} else {
			ck_buf_put(out, p, n);
			if (first && c->series && n)
				ck_buf_printf(out, " %s", c->series);
			ck_buf_putc(out, '\n');
			since++;
		}
		if (n)
			first = 0;
		p = next;
	}
	if (banner)
		ck_buf_printf(out, "%s\n", banner);
	ck_buf_puts(out, "NNN\n");
}

int ck_cable_write_telegram(ck_buf *out, const ck_cable *c)
{
	struct tg t = {CK_BUF_INIT, 0, "", -1, 0};
	size_t start = out->len;
	int rc = 0;

	if (!c)
		return ck_error_set(CK_EINVAL, "telegram: no cable");
	tg_ident(&t, c);
	int seventies = is_seventies(c);
	if (!seventies) {
		tg_header(out, c);
		if (out->len > start)
			ck_buf_putc(out, '\n');
	}

	if (c->body) {
		/* the clean body is the text as the cable has it, banner and
		 * all: written line for line (only page headers are added) */
		const char *p = c->body;
		while (*p == '\n')
			p++;
		for (;;) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			tg_line(&t, p, n);
			if (!nl)
				break;
			p = nl + 1;
		}
		if (c->signers.n && !body_has_signers(c))
			tg_signers(&t, c);
		tg_stamps(&t, c);
	} else {
		tg_classline(&t, c);
		tg_banner(&t, c);
		if (c->nparas)
			tg_paras(&t, c);
		else if (c->summary)
			tg_wrap(&t, "SUMMARY: ", c->summary, NULL);
		tg_signers(&t, c);
		tg_stamps(&t, c);
	}
	/* drop a trailing blank line */
	while (t.body.len >= 2 && t.body.ptr[t.body.len - 1] == '\n' &&
	       t.body.ptr[t.body.len - 2] == '\n') {
		t.body.len--;
		t.body.ptr[t.body.len] = 0;
		t.nlines--;
	}

	if (seventies) {
		tg70_write(out, c, &t);
		goto done;
	}
	/* The body, with a page header after every CK_TG_PAGE lines.  As in
	 * the printed cables a header splits a line of running text in two
	 * (at a single space, so that a reader rejoining the halves with one
	 * space gets the line back); a page runs on until such a line comes. */
	size_t nbreaks = 0, since = 0;
	const char *p = t.body.ptr, *end = t.body.ptr + t.body.len;
	for (int pass = 0; pass < 2; pass++) {
		size_t page = 1;
		since = 0;
		p = t.body.ptr;
		while (p && p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
			const char *cut = NULL;
			if (t.serial >= 0 && since >= CK_TG_PAGE && in_running_text(p, n, end))
				cut = split_point(p, n - 1);
			if (cut) {
				page++;
				if (pass) {
					ck_buf_put(out, p, (size_t)(cut - p));
					ck_buf_putc(out, '\n');
					tg_serial(out, &t, 8);
					ck_buf_printf(out, " %03zu OF %03zu\n", page, nbreaks + 1);
					ck_buf_put(out, cut + 1, n - (size_t)(cut + 1 - p));
				}
				since = 1;
			} else {
				if (pass)
					ck_buf_put(out, p, n);
				since++;
			}
			p += n;
		}
		nbreaks = page - 1;
	}
done:
	if (out->len > start && out->ptr[out->len - 1] != '\n')
		ck_buf_putc(out, '\n');
	if ((t.nlines && out->len == start) || (out->len > start && !out->ptr))
		rc = ck_error_set(CK_ENOMEM, "telegram: out of memory");
	ck_buf_free(&t.body);
	return rc;
}
