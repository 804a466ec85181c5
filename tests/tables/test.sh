#!/bin/sh
# tests/tables/test.sh - the lookup tables against the corpus.
#
# With the corpus present: every html page's FM line (first <pre> block)
# paired with the page's archive origin and the post part of its id goes
# through ck_post_origin / ck_post_plad_idname (tests/tables/origins.c,
# built here against build/libcablekit.a); fails below 99.5% agreement and
# prints the figures.  Also checks that data/ri-corpus.csv and
# data/idposts.tsv are what the harvest scripts make of the corpus today.
. "$(dirname "$0")/../lib.sh"
cd "$TOP"
if ! have_corpus; then
	skip "tables: corpus not found at $CORPUS"
	done_suite
fi
if [ ! -f build/libcablekit.a ]; then
	fail "tables: build/libcablekit.a missing (run make first)"
	done_suite
fi
# shellcheck disable=SC2046
if ! cc -std=c11 -D_GNU_SOURCE -O1 -Iinclude -o "$TMPD/origins" tests/tables/origins.c \
	build/libcablekit.a $(pkg-config --libs sqlite3 libarchive libmicrohttpd jansson libxml-2.0) \
	-lpthread -lm >"$TMPD/cc.out" 2>&1; then
	fail "tables: build origins.c" "$(head -c 2000 "$TMPD/cc.out")"
	done_suite
fi

# "FM line<TAB>origin<TAB>id post<TAB>DE RI" for every page with a FM line
LC_ALL=C awk -F'\t' '
FNR == 1 && NR == FNR { next }
NR == FNR { org[$1] = $4; next }
FNR == 1 { done = 0; id = FILENAME; sub(/.*\//, "", id); sub(/\.html$/, "", id) }
!done && index($0, "<pre") {
	done = 1
	s = $0; sub(/^.*<pre[^>]*>/, "", s)
	e = index(s, "</pre>"); if (e) s = substr(s, 1, e - 1)
	n = split(s, L, /&#x000A;/); fm = ""; de = ""
	for (i = 1; i <= n; i++) {
		if (de == "" && L[i] ~ /^DE R[A-Z0-9]+ /) { split(L[i], w, " "); de = w[2] }
		if (L[i] ~ /^FM /) { fm = L[i]; break }
	}
	if (fm == "") next
	gsub(/&amp;/, "\\&", fm); sub(/[ \t]+$/, "", fm)
	post = id; sub(/^[0-9][0-9]/, "", post); sub(/[0-9]+$/, "", post)
	print fm "\t" org[id] "\t" post "\t" de
}' "$CORPUS/groundtruth.tsv" "$CORPUS"/html/*.html >"$TMPD/pairs"
npairs=$(wc -l <"$TMPD/pairs")
"$TMPD/origins" <"$TMPD/pairs" >"$TMPD/res"; [ -n "${CK_TABLES_KEEP:-}" ] && cp "$TMPD/pairs" "$TMPD/res" "$CK_TABLES_KEEP"/
printf '  pages with a FM line: %s of %s\n' "$npairs" "$(ls "$CORPUS"/html | wc -l)"
grep -E '^(origin|idname|station) ' "$TMPD/res" | sed 's/^/  /'
grep -E '^(origin|idname):' "$TMPD/res" | sort | uniq -c | sort -rn | head -20 | sed 's/^/  /'

pct() { awk -v k="$1" '$1 == k { split($2, a, "/"); if (a[2] > 0) print int(a[1] * 1000 / a[2]); else print 0 }' "$TMPD/res"; }
if [ "$npairs" -ge 2000 ] && [ "$(pct origin)" -ge 995 ]; then
	ok "tables: ck_post_origin(FM line) = archive origin on >= 99.5% of pages"
else
	fail "tables: ck_post_origin(FM line) = archive origin on >= 99.5% of pages" "$(grep '^origin' "$TMPD/res" | head -20)"
fi
if [ "$(pct idname)" -ge 995 ]; then
	ok "tables: ck_post_plad_idname(FM line) = post of the archive id on >= 99.5% of pages"
else
	fail "tables: ck_post_plad_idname(FM line) = post of the archive id on >= 99.5% of pages" "$(grep '^idname' "$TMPD/res" | head -20)"
fi

# the harvested data files are reproducible from the corpus
if sh scripts/harvest-ri.sh "$CORPUS" >"$TMPD/ri.csv" 2>"$TMPD/ri.err" &&
	cmp -s "$TMPD/ri.csv" data/ri-corpus.csv; then
	ok "tables: data/ri-corpus.csv = scripts/harvest-ri.sh of the corpus"
else
	fail "tables: data/ri-corpus.csv = scripts/harvest-ri.sh of the corpus" \
		"$(cat "$TMPD/ri.err"; diff data/ri-corpus.csv "$TMPD/ri.csv" | head -20)"
fi
if sh scripts/harvest-idposts.sh "$CORPUS" >"$TMPD/idposts.tsv" 2>"$TMPD/id.err" &&
	cmp -s "$TMPD/idposts.tsv" data/idposts.tsv; then
	ok "tables: data/idposts.tsv = scripts/harvest-idposts.sh of the corpus"
else
	fail "tables: data/idposts.tsv = scripts/harvest-idposts.sh of the corpus" \
		"$(cat "$TMPD/id.err"; diff data/idposts.tsv "$TMPD/idposts.tsv" | head -20)"
fi
done_suite
