/*
 * plusd_page.c - the cable inside a PlusD record page (plusd/cables/<ID>.html).
 *
 * A record page (FORMAT.md section 4, docs/readers.md) holds three blocks:
 *  - the synopsis table: a title row (the subject), then cells of
 *    <div class="s_key">Key:</div><div class="s_val" title="...">value</div>
 *    (Date, Canonical ID, Original/Current Classification, Handling
 *    Restrictions, Executive Order, Locator, TAGS, Concepts, Type, Office
 *    Origin/Action, Archive Status, From, To, Markings ...); the value is
 *    the element's text (its title attribute adds document counts);
 *  - the telegram: pane "Raw content" (or, when absent, pane "Content":
 *    a hidden header div and the tagged body);
 *  - pane "Metadata": YAML-like "Key: value" lines, continuation lines
 *    indented, multi-line values quoted ("! '...'"), numbers quoted ('71').
 * Every field is kept as written, under "synopsis.KEY" or "metadata.KEY"
 * (the parse step weighs them against the telegram: src/parse/plusd.c).
 * The "*** Current Classification ***" lines PlusD appends to the raw
 * text are record fields, not telegram: they become "text.KEY".
 *
 * A hand-written scanner like html.c: no DOM, bounded work per byte, any
 * block may be missing or broken; values are capped at CK_PLUSD_VALUE.
 */
#include "read/read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ck_plusd_page_init(ck_plusd_page *p)
{
	memset(p, 0, sizeof *p);
}

void ck_plusd_page_free(ck_plusd_page *p)
{
	ck_buf_free(&p->text);
	ck_buf_free(&p->store);
	ck_buf_free(&p->note);
	ck_buf_free(&p->scratch);
	free(p->off);
	free(p->khash);
	memset(p, 0, sizeof *p);
}

static void note(ck_plusd_page *p, const char *msg)
{
	if (p->note.len)
		ck_buf_puts(&p->note, "; ");
	ck_buf_puts(&p->note, msg);
}

static int is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

/* Append "prefix.key" NUL value NUL to the store; s/n is the value after
 * decoding, trimmed and with runs of white space collapsed (keep_lines:
 * newlines kept, one blank line at most).  Keys are unique per page: a
 * key seen before keeps its first value. */
static int add_field(ck_plusd_page *p, const char *prefix, const char *k, size_t kn,
		     const char *v, size_t vn, int keep_lines)
{
	while (kn && (is_ws((unsigned char)k[kn - 1]) || k[kn - 1] == ':'))
		kn--;
	while (kn && is_ws((unsigned char)*k)) {
		k++;
		kn--;
	}
	if (!kn || kn > 64 || p->nfields >= CK_PLUSD_FIELDS)
		return 0;
	/* "prefix.key" and its hash (FNV-1a): a key is compared in full only
	 * with keys of the same hash (the full compare of every earlier key
	 * took 15% of reading a page) */
	char full[96];
	size_t pl = strlen(prefix), fl = pl + 1 + kn;
	if (fl >= sizeof full)
		return 0;
	memcpy(full, prefix, pl);
	full[pl] = '.';
	memcpy(full + pl + 1, k, kn);
	full[fl] = 0;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < fl; i++)
		h = (h ^ (unsigned char)full[i]) * 16777619u;
	for (size_t i = 0; i < p->nfields; i++)
		if (p->khash[i] == h && !strcmp(p->store.ptr + p->off[i], full))
			return 0;
	if (p->nfields == p->cap) {
		size_t nc = p->cap ? p->cap * 2 : 32;
		size_t *no = realloc(p->off, nc * sizeof *no);
		if (!no)
			return CK_ENOMEM;
		p->off = no;
		uint32_t *nh = realloc(p->khash, nc * sizeof *nh);
		if (!nh)
			return CK_ENOMEM;
		p->khash = nh;
		p->cap = nc;
	}
	size_t start = p->store.len;
	if (ck_buf_put(&p->store, full, fl + 1))
		return CK_ENOMEM;
	/* the value: trimmed, white space collapsed, capped */
	size_t vstart = p->store.len;
	int sp = 0, nl = 0;
	for (size_t i = 0; i < vn; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c == '\n' && keep_lines) {
			nl++;
			sp = 0;
			continue;
		}
		if (is_ws(c) || c == 0) {
			sp = 1;
			continue;
		}
		if (p->store.len > vstart) {
			if (nl)
				ck_buf_putc(&p->store, '\n');
			else if (sp)
				ck_buf_putc(&p->store, ' ');
		}
		nl = sp = 0;
		if (p->store.len - vstart >= CK_PLUSD_VALUE) {
			p->capped = 1;
			break;
		}
		if (ck_buf_putc(&p->store, (char)c))
			return CK_ENOMEM;
	}
	if (ck_buf_putc(&p->store, 0))
		return CK_ENOMEM;
	p->off[p->nfields] = start;
	p->khash[p->nfields++] = h;
	return 0;
}

/* Decode html s/n (entities, tags) into scratch and add it as a field. */
static int add_html_field(ck_plusd_page *p, const char *prefix, const char *k, size_t kn,
			  const char *s, size_t n)
{
	ck_buf_clear(&p->scratch);
	if (ck_read_html_text(&p->scratch, s, n))
		return CK_ENOMEM;
	return add_field(p, prefix, k, kn, p->scratch.ptr ? p->scratch.ptr : "", p->scratch.len, 0);
}

static const char *find(const char *s, const char *end, const char *lit)
{
	size_t m = strlen(lit);
	if (!s || s >= end)
		return NULL;
	return memmem(s, (size_t)(end - s), lit, m);
}

/* The content of the element whose opening tag starts at or after s:
 * [*cs, *ce) between the end of the opening tag and the first "</div>".
 * Returns 0 when there is none before end. */
static int div_content(const char *s, const char *end, const char **cs, const char **ce)
{
	/* the opening tag ends at the first '>' outside quotes (a tag over
	 * 64 KB is broken html: no content) */
	int q = 0;
	const char *p = s;
	const char *lim = end - s > 65536 ? s + 65536 : end;
	for (; p < lim; p++) {
		if (*p == '"')
			q = !q;
		else if (*p == '>' && !q)
			break;
	}
	if (p >= lim)
		return 0;
	p++;
	const char *e = find(p, end, "</div>");
	if (!e)
		return 0;
	*cs = p;
	*ce = e;
	return 1;
}

static int read_synopsis(ck_plusd_page *p, const char *s, const char *end)
{
	const char *t = find(s, end, "<table id=\"synopsis\"");
	if (!t)
		return 0;
	const char *te = find(t, end, "</table>");
	if (!te) {
		te = end;
		note(p, "the synopsis table is not closed");
	}
	p->has_synopsis = 1;
	/* the title row: the subject */
	const char *td = find(t, te, "<td colspan=\"2\"");
	if (td) {
		const char *tde = find(td, te, "</td>");
		const char *gt = tde ? memchr(td, '>', (size_t)(tde - td)) : NULL;
		if (gt && add_html_field(p, "synopsis", "Subject", 7, gt + 1, (size_t)(tde - gt - 1)))
			return CK_ENOMEM;
	}
	/* each key's value lies between it and the next key: every byte is
	 * looked at a bounded number of times, whatever the html */
	const char *q = find(t, te, "class=\"s_key\"");
	while (q) {
		const char *ks, *ke, *vs, *ve;
		const char *nextkey = find(q + 13, te, "class=\"s_key\"");
		const char *lim = nextkey ? nextkey : te;
		const char *v = NULL;
		if (div_content(q, lim, &ks, &ke))
			v = find(ke, lim, "class=\"s_val\"");
		q = nextkey;
		if (!v || !div_content(v, lim, &vs, &ve))
			continue;
		ck_buf_clear(&p->scratch);
		if (ck_read_html_text(&p->scratch, ks, (size_t)(ke - ks)))
			return CK_ENOMEM;
		char key[80];
		size_t kn = p->scratch.len < sizeof key - 1 ? p->scratch.len : sizeof key - 1;
		memcpy(key, p->scratch.ptr ? p->scratch.ptr : "", kn);
		if (add_html_field(p, "synopsis", key, kn, vs, (size_t)(ve - vs)))
			return CK_ENOMEM;
	}
	return 0;
}

/* The text-content div of the pane headed `name` ("Raw content"). */
static int pane(const char *s, const char *end, const char *name, const char **cs,
		const char **ce)
{
	char h[64];
	snprintf(h, sizeof h, "class=\"pane-header\">%s</div>", name);
	const char *ph = find(s, end, h);
	if (!ph)
		return 0;
	const char *lim = find(ph + strlen(h), end, "class=\"pane-header");
	if (!lim)
		lim = end;
	const char *tc = find(ph, lim, "class=\"text-content\"");
	if (!tc)
		return 0;
	const char *gt = memchr(tc, '>', (size_t)(lim - tc));
	if (!gt)
		return 0;
	*cs = gt + 1;
	const char *e = find(*cs, lim, "</div>");
	*ce = e ? e : lim;
	return e ? 1 : 2; /* 2: not closed */
}

/* "*** Current Classification ***   LIMITED OFFICIAL USE": PlusD's own
 * lines after the telegram; taken out of the text into fields. */
static int strip_star_lines(ck_plusd_page *p)
{
	ck_buf *t = &p->text;
	size_t i = 0, o = 0;
	int found = 0;
	while (i < t->len) {
		char *nl = memchr(t->ptr + i, '\n', t->len - i);
		size_t e = nl ? (size_t)(nl - t->ptr) : t->len;
		size_t next = nl ? e + 1 : e;
		const char *l = t->ptr + i;
		size_t n = e - i;
		if (n > 6 && !memcmp(l, "***", 3)) {
			const char *k = l + 3;
			const char *ke = memmem(k, n - 3, "***", 3);
			if (ke) {
				const char *v = ke + 3;
				if (add_field(p, "text", k, (size_t)(ke - k), v, (size_t)(l + n - v), 0))
					return CK_ENOMEM;
				found = 1;
				i = next;
				continue;
			}
		}
		memmove(t->ptr + o, l, next - i);
		o += next - i;
		i = next;
	}
	t->len = o;
	if (t->ptr)
		t->ptr[o] = '\0';
	if (found)
		note(p, "PlusD's \"*** Current Classification ***\" lines after the telegram kept out of the text");
	return 0;
}

static int read_text(ck_plusd_page *p, const char *s, const char *end)
{
	const char *cs, *ce;
	int r = pane(s, end, "Raw content", &cs, &ce);
	if (r) {
		if (r == 2)
			note(p, "the raw content block is not closed");
		if (ck_read_html_text(&p->text, cs, (size_t)(ce - cs)))
			return CK_ENOMEM;
		p->has_text = 1;
		return strip_star_lines(p);
	}
	/* the rendered pane: header div, then the tagged body */
	const char *ph = find(s, end, "class=\"pane-header\">Content</div>");
	if (!ph)
		return 0;
	const char *lim = find(ph + 10, end, "class=\"pane-header");
	if (!lim)
		lim = end;
	const char *hd = find(ph, lim, "class=\"text-header");
	const char *bd = find(ph, lim, "id=\"tagged-text\"");
	if (hd && div_content(hd, lim, &cs, &ce)) {
		if (ck_read_html_text(&p->text, cs, (size_t)(ce - cs)) || ck_buf_putc(&p->text, '\n'))
			return CK_ENOMEM;
		p->has_text = 1;
	}
	if (bd && div_content(bd, lim, &cs, &ce)) {
		if (ck_read_html_text(&p->text, cs, (size_t)(ce - cs)))
			return CK_ENOMEM;
		p->has_text = 1;
	}
	if (p->has_text)
		note(p, "no raw content block; the telegram is taken from the rendered content");
	return strip_star_lines(p);
}

/* Add the metadata value read so far (quotes "! '...'" and '...' taken
 * off; a quoted multi-line value keeps its lines). */
static int flush_meta(ck_plusd_page *p, const char *key, size_t kn, const ck_buf *val)
{
	const char *v = val->ptr ? val->ptr : "";
	size_t vn = val->len;
	while (vn && is_ws((unsigned char)*v)) {
		v++;
		vn--;
	}
	int ml = 0;
	if (vn >= 3 && !memcmp(v, "! '", 3)) {
		v += 3;
		vn -= 3;
		ml = 1;
	} else if (vn && *v == '\'') {
		v++;
		vn--;
		ml = 1;
	}
	while (vn && is_ws((unsigned char)v[vn - 1]))
		vn--;
	if (ml && vn && v[vn - 1] == '\'')
		vn--;
	return add_field(p, "metadata", key, kn, v, vn, ml);
}

/* The Metadata pane: "Key: value" lines; indented lines continue a
 * value; "! '...'" and '...' quote a value, which may then hold newlines
 * and blank lines until the closing quote. */
static int read_metadata(ck_plusd_page *p, const char *s, const char *end)
{
	const char *cs, *ce;
	int r = pane(s, end, "Metadata", &cs, &ce);
	if (!r)
		return 0;
	if (r == 2)
		note(p, "the metadata block is not closed");
	p->has_metadata = 1;
	ck_buf dec = CK_BUF_INIT, val = CK_BUF_INIT;
	int rc = ck_read_html_text(&dec, cs, (size_t)(ce - cs));
	const char *d = dec.ptr ? dec.ptr : "", *de = d + dec.len;
	const char *key = NULL;
	size_t kn = 0;
	int quoted = 0;
	while (!rc && d < de) {
		const char *nl = memchr(d, '\n', (size_t)(de - d));
		const char *le = nl ? nl : de;
		const char *t = le; /* end of the line without trailing white space */
		while (t > d && is_ws((unsigned char)t[-1]))
			t--;
		const char *colon = memchr(d, ':', (size_t)(le - d));
		if (quoted && key) {
			rc = ck_buf_putc(&val, '\n') || ck_buf_put(&val, d, (size_t)(le - d));
			if (t > d && t[-1] == '\'')
				quoted = 0;
		} else if (d == t || *d == ' ' || *d == '\t') {
			if (key)
				rc = ck_buf_putc(&val, '\n') || ck_buf_put(&val, d, (size_t)(le - d));
		} else if (colon && colon - d <= 64 && (colon + 1 >= t || colon[1] == ' ')) {
			if (key)
				rc = flush_meta(p, key, kn, &val);
			key = d;
			kn = (size_t)(colon - d);
			ck_buf_clear(&val);
			const char *v = colon + 1;
			while (v < t && *v == ' ')
				v++;
			rc = rc ? rc : ck_buf_put(&val, v, (size_t)(t - v));
			size_t vl = (size_t)(t - v);
			quoted = (vl >= 3 && !memcmp(v, "! '", 3) && (vl == 3 || v[vl - 1] != '\'')) ||
				 (vl == 1 && *v == '\'');
		} else {
			/* "---" and other lines that are not fields */
			if (key)
				rc = flush_meta(p, key, kn, &val);
			key = NULL;
		}
		d = nl ? nl + 1 : de;
	}
	if (!rc && key)
		rc = flush_meta(p, key, kn, &val);
	ck_buf_free(&dec);
	ck_buf_free(&val);
	return rc ? CK_ENOMEM : 0;
}

int ck_read_plusd_page(ck_plusd_page *p, const char *buf, size_t len)
{
	ck_buf_clear(&p->text);
	ck_buf_clear(&p->store);
	ck_buf_clear(&p->note);
	p->nfields = 0;
	p->has_synopsis = p->has_text = p->has_metadata = p->capped = 0;
	const char *end = buf + len;
	int rc = read_synopsis(p, buf, end);
	/* every pane is looked for from the first pane header on (the panes
	 * follow the synopsis: each search used to start at the top) */
	const char *panes = find(buf, end, "class=\"pane-header");
	if (!panes)
		panes = end;
	if (!rc)
		rc = read_text(p, panes, end);
	if (!rc)
		rc = read_metadata(p, panes, end);
	if (rc)
		return ck_error_set(CK_ENOMEM, "out of memory");
	if (!p->has_synopsis && !p->has_text && !p->has_metadata)
		return CK_EPARSE;
	if (!p->has_text)
		note(p, "the record page holds no telegram text");
	if (!p->has_synopsis)
		note(p, "the record page has no synopsis table");
	if (!p->has_metadata)
		note(p, "the record page has no metadata block");
	if (p->capped)
		note(p, "a record field over " CK_PLUSD_VALUE_S " bytes was cut");
	if (!p->text.ptr && ck_buf_puts(&p->text, ""))
		return ck_error_set(CK_ENOMEM, "out of memory");
	return 0;
}

size_t ck_plusd_page_fields(const ck_plusd_page *p, ck_kv *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < p->nfields && n < max; i++, n++) {
		out[n].key = p->store.ptr + p->off[i];
		out[n].value = out[n].key + strlen(out[n].key) + 1;
	}
	return n;
}
