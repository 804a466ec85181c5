/* test_people.c - the people pass (src/parse/people.c): titled mentions,
 * merges into one key, ALL CAPS text, organisations and places, fields,
 * the JSON round trip, hostile input. */
#include "unit.h"
#include "parse/people.h"

#include <stdlib.h>

/* A cable with these paragraphs (and subject, signer, Classified By). */
static ck_cable *cable(const char *subject, const char *classby, const char *paras,
		       const char *signer)
{
	static char buf[16384];
	snprintf(buf, sizeof buf,
		 "C O N F I D E N T I A L ROME 001497\n\nSIPDIS\n\nE.O. 12958: DECL: 07/03/2017\n"
		 "TAGS: PREL, UNSC, IT\nSUBJECT: %s\n\nClassified By: %s, for reasons 1.4 (b) and (d)\n\n"
		 "%s\n\n%s\n",
		 subject, classby, paras, signer);
	ck_cable *c = unit_parse(buf, 2007);
	ck_people_extract_(c);
	return c;
}

static const ck_person *person(const ck_cable *c, const char *key)
{
	for (size_t i = 0; i < c->npeople; i++)
		if (!strcmp(c->people[i].key, key))
			return &c->people[i];
	return NULL;
}

static int has(const ck_strv *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->v[i], s))
			return 1;
	return 0;
}

Test(people, titled_mentions_merge_into_one_key)
{
	ck_cable *c = cable("ITALIANS CAUTIOUS ON UN ENVOY", "Political Minister-Counselor David D. Pearce",
			    "1. (C) PM Prodi told USUN Amb Khalilzad that Italy agreed. Prime Minister "
			    "Romano Prodi then left.\n\n2. (C) PRODI SAID NOTHING MORE. Khalilzad said the "
			    "UNSC and the GOI would meet in Kabul.",
			    "SPOGLI");
	const ck_person *p = person(c, "prodi_romano");
	cr_assert_not_null(p, "one key for PM Prodi, Prime Minister Romano Prodi and PRODI");
	cr_assert_null(person(c, "prodi"));
	cr_assert(has(&p->titles, "Prime Minister"));
	cr_assert(has(&p->roles, "mentioned"));
	cr_assert_str_eq(p->name, "Romano Prodi");
	cr_assert_eq(p->nmentions, 3);
	cr_assert_str_eq(p->mentions[0].text, "PM Prodi");
	cr_assert_eq(p->mentions[0].paragraph, 1);
	cr_assert_eq(p->mentions[0].offset, 0);
	cr_assert_str_eq(p->mentions[2].text, "PRODI");
	cr_assert_eq(p->mentions[2].paragraph, 2);
	const ck_person *k = person(c, "khalilzad");
	cr_assert_not_null(k);
	cr_assert(has(&k->titles, "USUN Ambassador"));
	cr_assert_str_eq(k->mentions[0].text, "USUN Amb Khalilzad");
	cr_assert_eq(k->nmentions, 2);
	const ck_person *s = person(c, "spogli");
	cr_assert_not_null(s);
	cr_assert(has(&s->roles, "signer"));
	const ck_person *d = person(c, "pearce_david");
	cr_assert_not_null(d);
	cr_assert(has(&d->roles, "classified-by"));
	cr_assert(has(&d->titles, "Political Minister-Counselor"));
	/* organisations and places are never people */
	cr_assert_null(person(c, "unsc"));
	cr_assert_null(person(c, "goi"));
	cr_assert_null(person(c, "kabul"));
	cr_assert_null(person(c, "italy"));
	ck_cable_free(c);
}

Test(people, all_caps_text)
{
	ck_cable *c = cable("ASSISTANT SECRETARY MEETS OPPOSITION LEADER", "AMBASSADOR TOM MCDONALD",
			    "1. (C) ASSISTANT SECRETARY SUSAN E. RICE MET MDC PRESIDENT MORGAN TSVANGIRAI "
			    "ON NOVEMBER 16. TSVANGIRAI SAID THE PRESIDENT WILL NOT GO. THE ASSISTANT "
			    "SECRETARY ASKED ABOUT THE MAJOR STAKEHOLDERS. SOUTH AFRICAN PRESIDENT MBEKI "
			    "HAS BEEN FIRM.",
			    "MCDONALD");
	const ck_person *r = person(c, "rice_susan");
	cr_assert_not_null(r);
	cr_assert_str_eq(r->name, "SUSAN E. RICE");
	const ck_person *t = person(c, "tsvangirai_morgan");
	cr_assert_not_null(t);
	cr_assert_eq(t->nmentions, 2);
	cr_assert(has(&t->titles, "MDC President"));
	cr_assert_not_null(person(c, "mbeki"));
	const ck_person *m = person(c, "mcdonald_tom");
	cr_assert_not_null(m, "the signer MCDONALD and the Classified By name are one person");
	cr_assert(has(&m->roles, "signer") && has(&m->roles, "classified-by"));
	/* verbs and common words after a title are not names */
	cr_assert_null(person(c, "asked"));
	cr_assert_null(person(c, "stakeholders"));
	cr_assert_null(person(c, "will"));
	ck_cable_free(c);
}

Test(people, introduced_names_and_bare_mentions)
{
	ck_cable *c = cable("SUBJECT LINE", "DCM Jane Doe",
			    "1. (C) Ignacio Trejos, the Deputy Minister of Trade, met us. Minister of "
			    "Finance Manuel Gonzalez said nothing. Later Trejos said the talks failed; "
			    "Gonzalez agreed. Hamed Al-Ali, Jaber Al-Jalahmah and others were named.",
			    "SMITH");
	cr_assert_not_null(person(c, "trejos_ignacio"));
	cr_assert_eq(person(c, "trejos_ignacio")->nmentions, 2);
	cr_assert_not_null(person(c, "gonzalez_manuel"));
	cr_assert(has(&person(c, "gonzalez_manuel")->titles, "Finance Minister") ||
		  has(&person(c, "gonzalez_manuel")->titles, "Minister"));
	cr_assert_not_null(person(c, "ali_hamed"), "al- prefix dropped from the key");
	cr_assert_not_null(person(c, "doe_jane"));
	cr_assert_null(person(c, "trade"));
	ck_cable_free(c);
}

Test(people, keys)
{
	char buf[64];
	cr_assert_str_eq(ck_people_key_("D'Alema", NULL, buf, sizeof buf), "dalema");
	cr_assert_str_eq(ck_people_key_("Prodi", "Romano", buf, sizeof buf), "prodi_romano");
	cr_assert_str_eq(ck_people_key_("al-Maliki", "Nouri", buf, sizeof buf), "maliki_nouri");
	cr_assert_null(ck_people_key_("--", NULL, buf, sizeof buf));
	cr_assert_null(ck_people_key_("Prodi", "Romano", buf, 8));
}

Test(people, json_round_trip)
{
	ck_cable *c = cable("TEST", "Ambassador Ronald Spogli",
			    "1. (C) FM D'Alema told A/S Boucher that the envoy was welcome. D'Alema left.",
			    "SPOGLI");
	cr_assert_geq(c->npeople, 3);
	ck_buf a = CK_BUF_INIT, b = CK_BUF_INIT;
	cr_assert_eq(ck_cable_write_json(&a, c, 0), 0);
	cr_assert(strstr(a.ptr, "\"people\":[{\"key\":\"spogli_ronald\""));
	ck_cable *r = NULL;
	cr_assert_eq(ck_cable_read_json(&r, a.ptr, a.len), 0, "%s", ck_error_last());
	cr_assert_eq(r->npeople, c->npeople);
	cr_assert_eq(ck_cable_write_json(&b, r, 0), 0);
	cr_assert_str_eq(a.ptr, b.ptr);
	/* a wrong type is an error, not a crash */
	const char *bad = "{\"id\":\"X\",\"people\":[{\"key\":1}]}";
	ck_cable *z = NULL;
	cr_assert_neq(ck_cable_read_json(&z, bad, strlen(bad)), 0);
	ck_buf_free(&a);
	ck_buf_free(&b);
	ck_cable_free(r);
	ck_cable_free(c);
}

Test(people, hostile_input_is_bounded)
{
	/* thousands of titled names, long words, stray UTF-8 and quotes */
	size_t n = 200000;
	char *t = malloc(n + 64);
	cr_assert_not_null(t);
	size_t o = 0;
	const char *unit[] = {"PM Aaaa", "Minister of Trade Bbbb", "\xe2\x80\x9c", "Ccc Ddd said ",
			      "XXXXXXXXXXXX ", "\xff\xfe", "al-", "(protect) ", "A. B. C. ", "Mr. "};
	for (int k = 0; o + 40 < n; k++) {
		const char *u = unit[k % 10];
		memcpy(t + o, u, strlen(u));
		o += strlen(u);
		t[o++] = (char)('a' + k % 26);
		t[o++] = k % 7 ? ' ' : '\n';
	}
	t[o] = '\0';
	ck_cable *c = unit_parse(t, 2007);
	ck_people_extract_(c);
	cr_assert_leq(c->npeople, 256);
	for (size_t i = 0; i < c->npeople; i++)
		cr_assert_leq(c->people[i].nmentions, 512);
	ck_people_extract_(c); /* again: replaces the list */
	ck_cable_free(c);
	free(t);
}
