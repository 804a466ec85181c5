#!/bin/sh
# harvest-ri.sh - collect routing indicator -> address pairs from real cables.
#
# A telegram header names stations two ways: the DE line gives the
# originating station's routing indicator (RI) and the FM line its plain
# language address (PLAD); TO/INFO/XMT addressees are written RI/PLAD
# ("TO RUEHC/SECSTATE WASHDC IMMEDIATE 7212").  This script reads the
# header of every cable in the corpus, pairs them up, and keeps an RI only
# when one address clearly dominates its sightings (after dropping
# precedence words and channel numbers; see step 3).  RIs left out are
# written as "# left out" comment lines so the reason stays visible.
#
# Sources: CORPUS/html/*.html (the first <pre> block holds the header, with
# "&#x000A;" for newlines) and CORPUS/text/*.txt (cp1252, CRLF).
# Usage: harvest-ri.sh [CORPUS] > data/ri-corpus.csv
# Output: "RI,address,agree,sightings,de,example" sorted by RI: agree is
# how many sightings name this address, sightings all of them for the RI,
# de how many of the agreeing ones are DE+FM pairs (the rest are RI/PLAD
# addressees), example one cable id that shows the pair.  gentables.sh
# reads RI and address and skips "#" lines.
set -eu
corpus=${1:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus}
[ -d "$corpus/html" ] || { echo "harvest-ri.sh: no corpus at $corpus" >&2; exit 1; }
export LC_ALL=C

# 1. one header line per output line, prefixed by the cable id
{
	for f in "$corpus"/html/*.html; do
		id=${f##*/}; id=${id%.html}
		awk -v id="$id" '
		index($0, "<pre") {
			s = $0; sub(/^.*<pre[^>]*>/, "", s)
			e = index(s, "</pre>"); if (e) s = substr(s, 1, e - 1)
			n = split(s, L, /&#x000A;/)
			for (i = 1; i <= n; i++) print id "\t" L[i]
			exit
		}' "$f"
	done
	for f in "$corpus"/text/*.txt; do
		[ -e "$f" ] || continue
		id=${f##*/}; id=${id%.txt}
		tr -d '\r' <"$f" | awk -v id="$id" '{print id "\t" $0}'
	done
} |
# 2. pairs: "RI<TAB>address<TAB>kind<TAB>id"
awk -F'\t' '
function clean(a) {
	gsub(/&amp;/, "\\&", a); gsub(/&quot;/, "\"", a); gsub(/&#39;|&#x27;/, "\047", a)
	gsub(/&lt;/, "<", a); gsub(/&gt;/, ">", a)
	sub(/\/\/.*$/, "", a)                 # USDEL SECRETARY//EUROPE//
	gsub(/[ \t]+/, " ", a); sub(/^ /, "", a); sub(/ $/, "", a)
	# trailing channel number, then precedence words
	sub(/ [0-9]+(-[0-9]+)?$/, "", a)
	while (a ~ / (FLASH|IMMEDIATE|PRIORITY|ROUTINE|NIACT)$/) sub(/ [A-Z]+$/, "", a)
	sub(/ [0-9]+(-[0-9]+)?$/, "", a)
	if (a ~ /[A-Z][0-9]+$/) sub(/[0-9]+$/, "", a)   # VIENNA0162
	return a
}
$1 != cur { cur = $1; de = ""; fm = ""; inaddr = 0; done = 0 }
done { next }
{
	l = $2; sub(/^[ \t]+/, "", l)
	if (l ~ /^DE R[A-Z0-9]+ /) { split(l, w, " "); de = w[2]; next }
	if (l ~ /^FM /) {
		fm = clean(substr(l, 4))
		if (de != "" && fm != "") print de "\t" fm "\tde\t" cur
		inaddr = 1; next
	}
	if (!inaddr) next
	if (l ~ /^(TO|INFO|XMT|BCC) /) sub(/^[A-Z]+ /, "", l)
	if (l ~ /^R[A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9]*\/[A-Z]/) {
		ri = l; sub(/\/.*/, "", ri); a = l; sub(/^[^\/]*\//, "", a)
		a = clean(a)
		if (a != "" && a !~ /[a-z]/) print ri "\t" a "\taddressee\t" cur
		next
	}
	if (l ~ /^(BT|ZEN|ZFR)?$/ || l ~ /^(UNCLAS|SECRET|CONFIDENTIAL|C O N|S E C|LIMITED)/) done = 1
}' |
# 3. keep an RI when one address dominates its sightings.  Spellings that
# differ only in spaces or WASHDC / WASHINGTON DC / WASH DC count as one
# address (the commonest spelling is written); the dominant address must
# make up at least 80% of the sightings and be seen at least twice.  Several
# offices at one post share its RI (USDAO ANKARA TU, TSR ANKARA TU on
# RUEHAK), and collective RIs carry many addresses: those below the bar are
# written as "# conflict" lines.
sort -t "$(printf '\t')" -k1,1 -k2,2 -k4,4 |
awk -F'\t' '
function key(a) {
	sub(/ WASHINGTON DC$| WASH DC$| WASHINGTON D C$/, " WASHDC", a)
	gsub(/ /, "", a)
	return a
}
function q(s) { return s ~ /[,"]/ ? "\"" s "\"" : s }
function flush(   k, a, best, bestn, total, spell, spn, msg) {
	if (ri == "") return
	total = 0; best = ""; bestn = 0; msg = ""
	for (k in kc) {
		total += kc[k]
		if (kc[k] > bestn || (kc[k] == bestn && k < best)) { best = k; bestn = kc[k] }
	}
	spell = ""; spn = 0
	for (a in cnt)
		if (key(a) == best && (cnt[a] > spn || (cnt[a] == spn && a < spell))) { spell = a; spn = cnt[a] }
	if (bestn >= 2 && bestn * 5 >= total * 4)
		printf "%s,%s,%d,%d,%d,%s\n", ri, q(spell), bestn, total, d[best] + 0, ex[spell]
	else {
		for (a in cnt) msg = msg (msg == "" ? "" : " / ") a " (" cnt[a] ")"
		printf "# left out %s: %s\n", ri, msg
	}
	for (a in cnt) delete cnt[a]
	for (k in kc) { delete kc[k]; delete d[k] }
	for (a in ex) delete ex[a]
}
BEGIN { print "RI,address,agree,sightings,de,example" }
$1 != ri { flush(); ri = $1 }
{
	cnt[$2]++; k = key($2); kc[k]++
	if ($3 == "de") d[k]++
	if (!($2 in ex)) ex[$2] = $4
}
END { flush() }'
