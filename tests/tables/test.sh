#!/bin/sh
# tests/tables/test.sh - the lookup tables against the corpus.
#
# With the corpus present: every html page's FM line (first <pre> block)
# paired with the page's archive origin and the post part of its id goes
# through ck_post_origin / ck_post_plad_idname (tests/tables/origins.c,
# built here against build/libcablekit.a); fails below 99.5% agreement and
# prints the figures.  The posts of classification lines and page headers
# go through ck_post_idname and must give the id's post.  Also checks that data/ri-corpus.csv and
# data/idposts.tsv are what the harvest scripts make of the corpus today.
. "$(dirname "$0")/../lib.sh"
cd "$TOP"

# gentables.sh refuses tables the lookups could not search (no corpus needed)
check "tables: gentables.sh builds data/" sh scripts/gentables.sh data "$TMPD/ok.c"
gen_refuses() { # NAME FILE LINE: append LINE to a copy of data/FILE, expect failure
	rm -rf "$TMPD/data" && cp -r data "$TMPD/data" && printf '%s\n' "$3" >>"$TMPD/data/$2"
	if sh scripts/gentables.sh "$TMPD/data" "$TMPD/bad.c" >"$TMPD/gen.out" 2>&1 || [ -e "$TMPD/bad.c" ]; then
		fail "tables: gentables.sh refuses $1"
	else
		ok "tables: gentables.sh refuses $1"
	fi
}
tab=$(printf '\t')
gen_refuses "a duplicate PLAD" posts.tsv "SECSTATE WASHDC${tab}Other${tab}STATE${tab}test"
gen_refuses "a PLAD with two spaces" posts.tsv "AMEMBASSY  ROME${tab}Embassy Rome${tab}ROME${tab}test"
gen_refuses "a lower-case id name" idposts.tsv "rome${tab}test"
gen_refuses "an alias with a space" idaliases.tsv "RIO DE${tab}RIODEJANEIRO${tab}test"

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
	build/libcablekit.a $(pkg-config --libs sqlite3 libarchive libmicrohttpd jansson libzstd nettle) \
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

# pct KEY [FILE]: the KEY line's agreement in tenths of a percent
pct() { awk -v k="$1" '$1 == k { split($2, a, "/"); if (a[2] > 0) print int(a[1] * 1000 / a[2]); else print 0 }' "${2:-$TMPD/res}"; }
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

# posts as the classification line and the page headers write them ->
# ck_post_idname -> the post of the page's id; only lines carrying the
# page's own serial (quoted cables and subject lines that end in a post
# name are not the page's).  "kind<TAB>written<TAB>id post"
LC_ALL=C awk '
FNR == 1 {
	id = FILENAME; sub(/.*\//, "", id); sub(/\.html$/, "", id)
	post = id; sub(/^[0-9][0-9]/, "", post); sub(/[0-9]+$/, "", post)
	serial = id; sub(/^.*[^0-9]/, "", serial); serial += 0
}
index($0, "<pre") {
	s = $0; sub(/^.*<pre[^>]*>/, "", s); sub(/<\/pre>.*$/, "", s)
	n = split(s, L, /&#x000A;/)
	for (i = 1; i <= n; i++) {
		l = L[i]; gsub(/<[^>]*>/, "", l); gsub(/&amp;/, "\\&", l)
		sub(/^[ \t]+/, "", l); sub(/[ \t\r]+$/, "", l)
		if (l ~ /^PAGE [0-9][0-9] +[A-Z]/) {
			w = l; sub(/^PAGE [0-9][0-9] +/, "", w)
			rest = substr(w, 7); split(rest, f, " ")
			if (f[1] ~ /^[0-9]+$/ && f[1] + 0 == serial)
				print "page6\t" substr(w, 1, 6) "\t" post
		} else if (l ~ /^[A-Z][A-Z ]*[A-Z] +[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9] +[0-9][0-9][0-9](\.[0-9])? +OF +[0-9][0-9][0-9]/) {
			w = l; sub(/ +[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9] .*$/, "", w)
			num = l; sub(/^[A-Z][A-Z ]*[A-Z] +/, "", num); sub(/ .*/, "", num)
			if (num + 0 == serial)
				print "page10\t" w "\t" post
		} else if (l ~ /^(UNCLAS|C O N F I D E N T I A L|S E C R E T|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE) /) {
			w = l
			sub(/^(UNCLAS|C O N F I D E N T I A L|S E C R E T|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE) +/, "", w)
			sub(/^(EFTO|SENSITIVE) +/, "", w)
			sub(/^SECTION [0-9]+ OF [0-9]+ +/, "", w)
			num = w; sub(/^.* /, "", num)
			sub(/ +[0-9]+$/, "", w)
			if (num ~ /^[0-9]+$/ && num + 0 == serial && w ~ /^[A-Z][A-Z ]*$/)
				print "class\t" w "\t" post
		}
	}
}' "$CORPUS"/html/*.html >"$TMPD/written"
for kind in class page6 page10; do
	awk -F'\t' -v k="$kind" '$1 == k {print $2 "\t" $3}' "$TMPD/written" |
		"$TMPD/origins" --idname >"$TMPD/res.$kind"
	printf '  %s: %s\n' "$kind" "$(tail -1 "$TMPD/res.$kind")"
	grep '^idname:' "$TMPD/res.$kind" | sort | uniq -c | sort -rn | head -5 | sed 's/^/    /'
done
# classification lines: every one; page headers (cut posts): >= 99%
# (the RPO DUBAI cables' page headers say DUBAI)
nclass=$(awk -F'\t' '$1 == "class"' "$TMPD/written" | wc -l)
if [ "$(pct idname "$TMPD/res.class")" -ge 1000 ] && [ "$nclass" -gt 2000 ]; then
	ok "tables: ck_post_idname(classification-line post) = post of the archive id"
else
	fail "tables: ck_post_idname(classification-line post) = post of the archive id" "$(head -20 "$TMPD/res.class")"
fi
cat "$TMPD/res.page6" "$TMPD/res.page10" | grep '^idname:' >"$TMPD/res.pagebad" || true
npages=$(grep -c '^page' "$TMPD/written")
nbad=$(wc -l <"$TMPD/res.pagebad")
if [ "$npages" -gt 1000 ] && [ $((nbad * 100)) -le "$npages" ]; then
	ok "tables: ck_post_idname(page-header post, cut to 6 or 10) = post of the archive id ($((npages - nbad))/$npages)"
else
	fail "tables: ck_post_idname(page-header post, cut to 6 or 10) = post of the archive id ($((npages - nbad))/$npages)" "$(head -20 "$TMPD/res.pagebad")"
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
