/*
 * finish.c - fields made from what the passes found: classification and
 * caveats (banner, else the security line), marking, precedence, origin,
 * id (YY + post + serial), summary and the clean body text.
 */
#include "parse/parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- summary and body ------------------------------------------------- */

/* needle (two bytes or more) in h, any case */
static const char *find_ci(const char *h, const char *needle)
{
	size_t nl = strlen(needle);
	int c0 = ck_toupper_((unsigned char)needle[0]), c1 = ck_toupper_((unsigned char)needle[1]);
	for (const char *p = h; *p; p++)
		if (ck_toupper_((unsigned char)p[0]) == c0 && ck_toupper_((unsigned char)p[1]) == c1 &&
		    ck_prefix_ci_(p, nl, needle))
			return p;
	return NULL;
}

/* The rest of a summary label: "Summary and Comment:", "SUMMARY AND
 * ACTION REQUEST:" - words up to a colon, no sentence.  sm is after
 * "Summary"; returns after the colon, or sm. */
static const char *summary_label_end(const char *sm)
{
	const char *colon = NULL;
	for (const char *q = sm; *q && q - sm < 40; q++) {
		if (*q == ':') {
			colon = q;
			break;
		}
		if (*q == '.' || *q == ',' || *q == '(' || ck_isdigit_((unsigned char)*q))
			break;
	}
	return colon && colon > sm && sm[0] == ' ' ? colon + 1 : sm;
}

static void make_summary(struct parser *s)
{
	ck_cable *c = s->c;
	ck_buf b = CK_BUF_INIT;
	int on = 0;
	for (size_t i = 0; i < c->nparas; i++) {
		const char *t = c->paras[i].text;
		const char *start = t;
		if (!on) {
			const char *h = c->paras[i].heading;
			const char *sm = NULL;
			if (h && (ck_prefix_ci_(h, (size_t)-1, "summary") ||
				  ck_prefix_ci_(h, (size_t)-1, "begin summary")))
				sm = t;
			else if (ck_prefix_ci_(t, (size_t)-1, "summary") && (t[7] == ':' || t[7] == '.' ||
									  t[7] == ' ' || t[7] == '-'))
				sm = t + 7;
			else if (ck_prefix_ci_(t, (size_t)-1, "begin summary"))
				sm = t + 13;
			else if (ck_prefix_ci_(t, (size_t)-1, "executive summary"))
				sm = t + 17;
			if (!sm)
				continue;
			sm = summary_label_end(sm);
			while (*sm == ':' || *sm == '.' || *sm == ' ' || *sm == '-')
				sm++;
			start = sm;
			on = 1;
		} else if (c->paras[i].heading) {
			break; /* a heading starts the text after an unfinished summary */
		}
		const char *end = find_ci(start, "end summary");
		size_t len = end ? (size_t)(end - start) : strlen(start);
		while (len && start[len - 1] == ' ')
			len--;
		if (b.len && len)
			ck_buf_puts(&b, "\n\n");
		ck_buf_put(&b, start, len);
		if (end)
			break;
		if (i > 8)
			break; /* no end in sight: not a summary block */
	}
	if (on && b.len)
		c->summary = ck_arena_strndup(c->arena, b.ptr, b.len);
	ck_buf_free(&b);
}

static void make_body(struct parser *s)
{
	ck_cable *c = s->c;
	ck_buf b = CK_BUF_INIT;
	int start = s->banner >= 0 ? s->banner : s->body;
	int pending_blank = 0;
	/* room for every line and its line breaks at once: one allocation,
	 * not a realloc every few lines */
	size_t room = 0;
	for (int i = start; i < s->n; i++)
		room += (size_t)s->L[i].len + 2;
	ck_buf_grow(&b, room);
	for (int i = start; i < s->n; i++) {
		struct line *l = &s->L[i];
		if (l->kind == L_DROPPED)
			continue;
		if (l->kind == L_BLANK) {
			pending_blank = b.len > 0;
			continue;
		}
		int n;
		const char *t = l->s;
		n = l->len;
		if (l->join && b.len) {
			int tn;
			const char *tt = ltrim(l, &tn);
			ck_buf_putc(&b, ' ');
			ck_buf_put(&b, tt, (size_t)tn);
			continue;
		}
		if (b.len)
			ck_buf_put(&b, "\n\n", pending_blank ? 2 : 1);
		pending_blank = 0;
		/* the renderer's pilcrow before a paragraph number goes */
		int tn;
		const char *tt = ltrim(l, &tn);
		if (tn >= 2 && (unsigned char)tt[0] == 0xC2 && (unsigned char)tt[1] == 0xB6) {
			tt += 2, tn -= 2;
			t = tt, n = tn;
		}
		/* PlusD: "TAGS: [PREL](#)" */
		if (memchr(t, '[', (size_t)n) && strstr(t, "](")) {
			char *x = ck_strip_md_links_(c->arena, t, n);
			ck_buf_puts(&b, x);
		} else {
			ck_buf_put(&b, t, (size_t)n);
		}
	}
	/* trailing footer / junk */
	while (b.len) {
		size_t e = b.len;
		while (e && (b.ptr[e - 1] == ' ' || b.ptr[e - 1] == '>' || b.ptr[e - 1] == '\n'))
			e--;
		size_t w = e;
		while (w && b.ptr[w - 1] != '\n')
			w--;
		int n;
		const char *t = b.ptr + w;
		n = (int)(e - w);
		while (n && *t == ' ')
			t++, n--;
		const char *lv;
		if (n && w && (ck_read_level_(t, n, &lv) == n || (n == 4 && starts(t, n, "NNNN")) ||
			       (n == 2 && starts(t, n, "BT")))) {
			b.len = w ? w - 1 : 0;
			b.ptr[b.len] = 0;
			continue;
		}
		b.len = e;
		if (b.ptr)
			b.ptr[e] = 0;
		break;
	}
	/* a signer glued to the last sentence was cut from its line */
	if (c->signers.n && b.len) {
		const char *sg = c->signers.v[c->signers.n - 1];
		size_t sl = strlen(sg);
		if (b.len < sl || strcmp(b.ptr + b.len - sl, sg)) {
			ck_buf_puts(&b, "\n");
			ck_buf_puts(&b, sg);
		}
	}
	if (b.len)
		c->body = ck_arena_strndup(c->arena, b.ptr, b.len);
	ck_buf_free(&b);
}

/* ---- putting it together ---------------------------------------------- */

/* Is c a boundary around a glued caption ("000333NOFORNSIPDIS",
 * "SENSITIVEE.O.", "... MMITTELHAUSER SENSITIVE SIPDIS")? */
static int caption_edge(int c)
{
	return !c || c == ' ' || c == '/' || c == '"' || c == '\'' || c == ',' || c == '.' || c == ';' ||
	       ck_isdigit_(c);
}

static const char *const glued_cap[] = {"NOFORN", "SENSITIVE", "SIPDIS"};
static const size_t glued_capn[] = {6, 9, 6};

/* Is the caption k at q (in t[0..n)) one: between edges, other captions,
 * or the E.O. label? */
static int glued_caption_at(const char *t, int n, const char *q, int k)
{
	int before = q > t ? (unsigned char)q[-1] : 0;
	const char *e = q + glued_capn[k];
	int after = e < t + n ? (unsigned char)*e : 0;
	int glued_before = 0, glued_after = 0;
	for (int j = 0; j < 3; j++) {
		if (q - t >= (long)glued_capn[j] && !memcmp(q - glued_capn[j], glued_cap[j], glued_capn[j]))
			glued_before = 1;
		if ((size_t)(t + n - e) >= glued_capn[j] && !memcmp(e, glued_cap[j], glued_capn[j]))
			glued_after = 1;
	}
	return (caption_edge(before) || glued_before) &&
	       (caption_edge(after) || glued_after || !memcmp(e, "E.O", 3 <= t + n - e ? 3 : 0));
}

/* NOFORN and SENSITIVE glued to the classification line or to other text
 * between it and the SUBJECT: scraped text loses the line breaks around
 * captions.  Each occurrence is a caption when it stands between edges,
 * other captions, or the E.O. label. */
static void glued_captions(struct parser *s)
{
	ck_cable *c = s->c;
	int from = s->banner >= 0 ? s->banner : 0;
	for (int i = from; i < s->n && i < from + 40; i++) {
		if (s->L[i].kind == L_BLANK || s->L[i].kind == L_DROPPED)
			continue;
		int n;
		const char *t = ltrim(&s->L[i], &n);
		if (i > from && (ck_is_subject_line_(t, n) || starts(t, n, "TAGS")))
			break;
		for (int k = 0; k < 2; k++) {
			const char *q = t;
			while ((q = memmem(q, (size_t)(t + n - q), glued_cap[k], glued_capn[k])) != NULL) {
				if (glued_caption_at(t, n, q, k)) {
					size_t h = 0;
					while (h < c->caveats.n && strcmp(c->caveats.v[h], glued_cap[k]))
						h++;
					if (h == c->caveats.n)
						ck_cable_problem(c, "caption", s->L[i].no,
								 "caption %s read from the text it is glued to", glued_cap[k]);
					ck_strv_add_unique_(c->arena, &c->caveats, &s->caveat_cap, glued_cap[k]);
				}
				q += glued_capn[k];
			}
		}
	}
}

/* Classification, caveats, sections, post and serial from the banner. */
static void banner_fields(struct parser *s)
{
	ck_cable *c = s->c;
	if (s->banner >= 0) {
		struct banner b;
		int n;
		const char *t = ltrim(&s->L[s->banner], &n);
		if (ck_is_banner_(t, n, &b)) {
			c->classification = b.level;
			if (b.folded)
				ck_cable_problem(c, "classification", s->L[s->banner].no,
						 "letter-spaced level with letters run together (\"%.*s\"): read as %s",
						 n > 40 ? 40 : n, t, b.level);
			for (int k = 0; k < b.ncaveats; k++)
				ck_strv_add_unique_(c->arena, &c->caveats, &s->caveat_cap,
						    ck_arena_strdup(c->arena, b.caveats[k]));
			if (b.nsections)
				c->sections = b.nsections;
			ck_post_idname(b.post, (size_t)b.post_len, s->post, sizeof s->post);
			s->post_written = b.post;
			s->post_wlen = b.post_len;
			s->serial = b.serial;
			/* the FM line's post, when the banner's is not a known post
			 * ("QRIPOLI") or is redacted ("XXXXXXXXXXXX 000004") */
			char fp[64];
			int redacted = s->post[0] == 'X' && strspn(s->post, "X") == strlen(s->post);
			if (c->from && !ck_post_idname_known(s->post) &&
			    ck_post_plad_idname(c->from, fp, sizeof fp) && ck_post_idname_known(fp) &&
			    (strlen(fp) == strlen(s->post) || redacted)) {
				ck_cable_problem(c, "id", s->L[s->banner].no,
						 "post \"%s\" of the classification line is not a known post; "
						 "the FM line's %s is used", s->post, fp);
				snprintf(s->post, sizeof s->post, "%s", fp);
			}
			/* a serial cut short ("TRIPOLI 00011" for #0112) */
			if (c->header.ssn > 0 && s->serial % 10000 != c->header.ssn) {
				int digits = 0;
				for (const char *q = b.post + b.post_len; *q; q++)
					if (ck_isdigit_((unsigned char)*q))
						digits++;
				char ss[24], bs[24];
				snprintf(ss, sizeof ss, "%ld", c->header.ssn);
				snprintf(bs, sizeof bs, "%ld", s->serial);
				if (digits < 6 && s->year >= 1995 && !strncmp(ss, bs, strlen(bs))) {
					ck_cable_problem(c, "id", s->L[s->banner].no,
							 "serial %ld of the classification line is cut short; the "
							 "DE line's #%ld is used", s->serial, c->header.ssn);
					s->serial = c->header.ssn;
				} else {
					ck_cable_problem(c, "serial", s->L[s->banner].no,
							 "serial %ld of the classification line disagrees with the "
							 "DE line's #%ld", s->serial, c->header.ssn);
				}
			}
		}
	}
}

/* Origin and id: the FM line's post; without one (partial extracts), the
 * classification line's.  Id: YY + post + serial. */
static void origin_and_id(struct parser *s)
{
	ck_cable *c = s->c;
	if (c->from) {
		char buf[128];
		if (ck_post_origin(c->from, buf, sizeof buf))
			c->origin = ck_arena_strdup(c->arena, buf);
	}
	if (!c->origin && s->post[0] && s->serial > 0) {
		char buf[128];
		if (ck_post_idname_origin(s->post, s->post_written, (size_t)s->post_wlen, buf, sizeof buf)) {
			c->origin = ck_arena_strdup(c->arena, buf);
			if (!c->from)
				ck_cable_problem(c, "origin", s->L[s->banner].no,
						 "no FM line: origin %s from the classification line's post", buf);
		}
	}
	int yy = s->year ? s->year : s->year_hint;
	if (!c->header.dtg && s->year_hint && s->post[0] && s->serial > 0)
		ck_cable_problem(c, "id", 0, "no date-time group: the id's year %d comes from outside the text",
				 s->year_hint);
	if (s->post[0] && s->serial > 0) {
		if (yy) {
			c->id = ck_arena_printf(c->arena, "%02d%s%ld", yy % 100, s->post, s->serial);
			s->id_source = CK_ID_BANNER;
		} else {
			ck_cable_problem(c, "id", s->banner >= 0 ? s->L[s->banner].no : 0,
					 "nothing in the text gives the year (no date-time group, "
					 "no --year): id left null; post %s, serial %ld", s->post, s->serial);
		}
	} else if (c->from && c->header.ssn > 0 && yy) {
		/* the FM post: AMEMBASSY ROME -> ROME */
		char buf[64];
		if (ck_post_plad_idname(c->from, buf, sizeof buf) && buf[0]) {
			s->id_source = CK_ID_FM_SSN;
			c->id = ck_arena_printf(c->arena, "%02d%s%ld", yy % 100, buf, c->header.ssn);
			ck_cable_problem(c, "id", 0,
					 "no classification line with post and serial; id made from the "
					 "FM line and the station serial number (modulo 10000)");
		}
	}
}

void ck_finish_(struct parser *s)
{
	ck_cable *c = s->c;
	banner_fields(s);
	if (!c->classification && c->header.security) {
		const char *sec = c->header.security;
		if (strstr(sec, "UUUUU") || strstr(sec, "EEEEE"))
			c->classification = "UNCLASSIFIED";
		else if (strstr(sec, "CCCCC"))
			c->classification = "CONFIDENTIAL";
		else if (strstr(sec, "SSSSS"))
			c->classification = "SECRET";
		else if (strstr(sec, "TTTTT"))
			c->classification = "TOP SECRET";
	}
	glued_captions(s);
	/* caveats from the security line: EFTO */
	if (c->header.security && strstr(c->header.security, "EEEEE"))
		ck_strv_add_unique_(c->arena, &c->caveats, &s->caveat_cap, "EFTO");
	/* marking */
	if (c->classification) {
		int noforn = 0, sensitive = 0;
		for (size_t i = 0; i < c->caveats.n; i++) {
			if (strstr(c->caveats.v[i], "NOFORN"))
				noforn = 1;
			if (strstr(c->caveats.v[i], "SENSITIVE"))
				sensitive = 1;
		}
		if (!strcmp(c->classification, "UNCLASSIFIED"))
			c->marking = sensitive || noforn ? "UNCLASSIFIED//FOR OFFICIAL USE ONLY" : "UNCLASSIFIED";
		else if (noforn)
			c->marking = ck_arena_printf(c->arena, "%s//NOFORN", c->classification);
		else
			c->marking = c->classification;
	}
	/* precedence */
	if (c->header.dtg_prec)
		c->precedence = ck_prec_word_(c->header.dtg_prec[0]);
	else if (c->nto && c->to[0].precedence)
		c->precedence = c->to[0].precedence;
	origin_and_id(s);
	if (!c->date && !c->header.dtg)
		ck_cable_problem(c, "missing-field", 0, "no date-time group");
	if (s->banner < 0 && s->body < s->n)
		ck_cable_problem(c, "missing-field", 0, "no classification line");
	make_summary(s);
	make_body(s);
}
