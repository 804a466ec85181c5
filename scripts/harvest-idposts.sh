#!/bin/sh
# harvest-idposts.sh - the post names that reference ids are built from.
#
# A cable id is YY + post name without spaces + serial (07ROME1497), so the
# id post names of real cables are the ids with the year and serial cut
# off.  This script collects them from the corpus ground truth, adds the
# State posts the routing-indicator table names (AMEMBASSY X / AMCONSUL X /
# AMCONGEN X -> X without spaces; both the table and the pairs harvested
# from the corpus, data/ri-corpus.csv) and the id names of data/posts.tsv, and
# writes one name per line with where it was seen, so the parser can tell
# whether a word of a REF line is a post (ck_post_idname_known).
#
# Malformed archive ids that swallowed words of the classification line
# (09SECTION02OF03QRIPOLI583, 06EFTOLONDON...) are left out: the names
# must hold only letters and must not start with EFTO or SECTION/ECTION.
#
# Usage: harvest-idposts.sh [CORPUS] > data/idposts.tsv   (run from the repo)
set -eu
corpus=${1:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus}
[ -f "$corpus/groundtruth.tsv" ] || { echo "harvest-idposts.sh: no corpus at $corpus" >&2; exit 1; }
export LC_ALL=C
{
	tail -n +2 "$corpus/groundtruth.tsv" | cut -f1 |
		sed -n 's/^[0-9][0-9]\([A-Z][A-Z]*\)[0-9][0-9]*$/\1/p' |
		grep -v -E '^(EFTO|SECTION|ECTION)' | sort | uniq -c |
		awk '{printf "%s\tgroundtruth ids (%d)\n", $2, $1}'
	awk -F, '$2 ~ /^(AMEMBASSY|AMCONSUL|AMCONGEN) [A-Z]/ {
		a = $2; sub(/^[A-Z]+ /, "", a); gsub(/[^A-Z]/, "", a)
		if (a != "") printf "%s\t%s %s\n", a, FILENAME ~ /corpus/ ? "ri-corpus.csv" : "routing-indicators.csv", $1
	}' data/routing-indicators.csv data/ri-corpus.csv
	tail -n +2 data/posts.tsv | awk -F'\t' '$3 != "" {printf "%s\tposts.tsv %s\n", $3, $1}'
	tail -n +2 data/idaliases.tsv | awk -F'\t' '{printf "%s\tidaliases.tsv\n", $2}'
} | sort -t "$(printf '\t')" -k1,1 -s | awk -F'\t' '
BEGIN { print "idname\tsource" }
$1 != last { if (last != "") print last "\t" src; last = $1; src = $2; next }
{ if (index(src, $2) == 0 && length(src) < 120) src = src "; " $2 }
END { if (last != "") print last "\t" src }'
