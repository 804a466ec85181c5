/*
 * origins.c - agreement of the post-name lookups with the archive.
 *
 * Reads "FM line<TAB>expected origin<TAB>expected id post<TAB>DE RI" lines
 * on stdin (the last two columns may be empty or missing) and checks
 * ck_post_origin and ck_post_plad_idname on each FM line, and whether
 * ck_ri_name of the DE line's routing indicator names the FM address.
 * Prints every disagreement, then three summary lines:
 *   origin AGREE/TOTAL PERCENT
 *   idname AGREE/TOTAL PERCENT
 *   station AGREE/TOTAL PERCENT   (informative: RI table vs FM lines)
 * With --idname it reads "post as written<TAB>expected id post" lines
 * instead (classification lines, page headers) and checks ck_post_idname,
 * printing disagreements and "idname AGREE/TOTAL PERCENT".
 * Exit status 0; tests/tables/test.sh judges the figures.  Built by the
 * suite against build/libcablekit.a, not part of the library.
 */
#include "cablekit.h"

#include <stdio.h>
#include <string.h>

static int idname_mode(void)
{
	char line[4096], out[256];
	long n = 0, ok = 0;
	while (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\r\n")] = '\0';
		char *exp = strchr(line, '\t');
		if (!exp)
			continue;
		*exp++ = '\0';
		const char *got = ck_post_idname(line, strlen(line), out, sizeof out);
		n++;
		if (got && !strcmp(got, exp))
			ok++;
		else
			printf("idname: %s -> %s, archive id post: %s\n", line,
			       got ? got : "(null)", exp);
	}
	printf("idname %ld/%ld %.2f%%\n", ok, n, n ? 100.0 * ok / n : 0.0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--idname"))
		return idname_mode();
	char line[4096], out[256];
	long n = 0, ok = 0, in = 0, iok = 0, rn = 0, rok = 0;
	while (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\r\n")] = '\0';
		char *exp = strchr(line, '\t');
		if (!exp)
			continue;
		*exp++ = '\0';
		char *id = strchr(exp, '\t'), *ri = NULL;
		if (id) {
			*id++ = '\0';
			ri = strchr(id, '\t');
			if (ri)
				*ri++ = '\0';
		}
		const char *got = ck_post_origin(line, out, sizeof out);
		n++;
		if (got && !strcmp(got, exp))
			ok++;
		else
			printf("origin: %s -> %s, archive: %s\n", line,
			       got ? got : "(null)", exp);
		if (id && *id) {
			got = ck_post_plad_idname(line, out, sizeof out);
			in++;
			if (got && !strcmp(got, id))
				iok++;
			else
				printf("idname: %s -> %s, archive id post: %s\n",
				       line, got ? got : "(null)", id);
		}
		if (ri && *ri) {
			const char *name = ck_ri_name(ri);
			const char *fm = line + (strncmp(line, "FM ", 3) ? 0 : 3);
			rn++;
			if (name && !strcmp(name, fm))
				rok++;
			else
				printf("station: DE %s -> %s, FM %s\n", ri,
				       name ? name : "(null)", fm);
		}
	}
	printf("origin %ld/%ld %.2f%%\n", ok, n, n ? 100.0 * ok / n : 0.0);
	printf("idname %ld/%ld %.2f%%\n", iok, in, in ? 100.0 * iok / in : 0.0);
	printf("station %ld/%ld %.2f%%\n", rok, rn, rn ? 100.0 * rok / rn : 0.0);
	return 0;
}
