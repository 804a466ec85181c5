/*
 * paras.c - paragraphs: lines appended with white space collapsed, flushed
 * into c->paras, and the numbering check (a number out of sequence, "17"
 * where 7 belongs).
 */
#include "parse/parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ck_para_flush_(struct parser *s, struct para_b *pb)
{
	if (!pb->active)
		return;
	ck_cable *c = s->c;
	ck_para *p = ck_vec_push_(c->arena, &s->paras);
	if (p) {
		p->n = pb->n;
		p->marking = pb->mark;
		p->heading = pb->heading;
		/* para_add collapsed the white space already */
		p->text = ck_arena_strndup(c->arena, pb->text.ptr ? pb->text.ptr : "", pb->text.len);
	}
	pb->active = 0;
	ck_buf_clear(&pb->text);
}

/* Append a line to the paragraph, white space collapsed on the way (the
 * text of a paragraph is its lines joined by single spaces). */
void ck_para_add_(struct para_b *pb, const char *t, int n, int sep_blank)
{
	(void)sep_blank;
	if (ck_buf_grow(&pb->text, (size_t)n + 1))
		return;
	char *o = pb->text.ptr + pb->text.len;
	if (pb->text.len && o[-1] != ' ')
		*o++ = ' ';
	o += ck_collapse_into_(o, t, (size_t)n);
	while (o > pb->text.ptr && o[-1] == ' ')
		o--;
	pb->text.len = (size_t)(o - pb->text.ptr);
	*o = '\0';
}

/* Paragraph numbering check over the paragraphs found: renumbering damage
 * ("¶17." where 7 belongs) is reported with the expected number. */
void ck_check_numbers_(struct parser *s, const int *lines)
{
	ck_cable *c = s->c;
	ck_para *p = s->paras.v;
	int expected = 0;
	for (size_t i = 0; i < s->paras.n; i++) {
		if (!p[i].n)
			continue;
		if (!expected) {
			expected = p[i].n + 1;
			if (p[i].n != 1)
				ck_cable_problem(c, "paragraph-number", lines[i],
						 "first paragraph is numbered %d, expected 1", p[i].n);
			continue;
		}
		if (p[i].n == expected) {
			expected++;
			continue;
		}
		char w[16], e[16];
		snprintf(w, sizeof w, "%d", p[i].n);
		snprintf(e, sizeof e, "1%d", expected);
		int damage = !strcmp(w, e);
		ck_cable_problem(c, "paragraph-number", lines[i],
				 "paragraph numbered %d where %d was expected%s", p[i].n, expected,
				 damage ? " (a stray 1 from rendering damage?)" : "");
		if (damage)
			expected++;
		else
			expected = p[i].n + 1;
	}
}
