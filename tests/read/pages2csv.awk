# pages2csv.awk - write viewer pages as rows of a cables.csv (the 2011 dump's
# shape: no header row; "id","date","refid","origin","classification",
# "references","header","content"; MySQL escapes \' \" \\, fields over many
# lines).  As in the dump the date is M/D/YYYY H:MM with the minutes of the
# DTG (the page's Created minutes are the 12-hour hour; they stay only when
# the header has no DTG on the page's day and hour), and the references
# column is a naive resolution of the body's REF lines ("POST 123" -> YY
# POST 123 with the cable's year, SECSTATE -> STATE), standing in for
# WikiLeaks' own.
# Used by tests/read/test.sh and bench/read.sh to build a cables.csv from the
# corpus.  Usage: awk -f pages2csv.awk [-v start=N] page.html... > cables.csv
function field(s) {
	gsub(/&#x000A;/, "\n", s)
	gsub(/<a [^>]*>/, "", s)
	gsub(/<\/a>/, "", s)
	gsub(/&amp;/, "\\&", s)
	gsub(/\\/, "\\\\\\\\", s)
	gsub(/"/, "\\\"", s)
	gsub(/'/, "\\\\'", s)
	return "\"" s "\""
}
# "1966-12-28 18:06" -> "12/28/1966 18:48" (minutes from the header's DTG)
function csvdate(d, h,   y, mo, dd, hh, mi, g) {
	if (d !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]/)
		return d
	y = substr(d, 1, 4); mo = substr(d, 6, 2) + 0; dd = substr(d, 9, 2)
	hh = substr(d, 12, 2); mi = substr(d, 15, 2)
	if (match(h, /[0-9][0-9][0-9][0-9][0-9][0-9]Z/)) {
		g = substr(h, RSTART, 6)
		if (substr(g, 1, 2) == dd && substr(g, 3, 2) == hh)
			mi = substr(g, 5, 2)
	}
	return mo "/" (dd + 0) "/" y " " (hh + 0) ":" mi
}
# the references column: ids of "POST 123" on the REF lines (to a blank line)
function refcol(b, id,   yy, n, L, k, s, on, t, post, num, out, seen) {
	gsub(/&#x000A;/, "\n", b)
	gsub(/<[^>]*>/, "", b)
	yy = substr(id, 1, 2)
	n = split(b, L, "\n")
	s = ""; on = 0
	for (k = 1; k <= n; k++) {
		if (!on) {
			if (L[k] !~ /^[ \t]*REF(S|TEL|TELS)?[:.]/)
				continue
			on = 1
			sub(/^[ \t]*REF(S|TEL|TELS)?[:.]/, "", L[k])
		} else if (L[k] ~ /^[ \t]*$/ || L[k] ~ /^[ \t]*(¶?[0-9]+\.|Classified|CLASSIFIED|SUBJECT|[A-Z ]+ [0-9]+ +[0-9]+ OF [0-9]+)/ || ++on > 4)
			break
		s = s " " L[k]
	}
	out = ""
	while (match(s, /[A-Z][A-Z]+( [A-Z][A-Z]+)?( [A-Z][A-Z]+)? [0-9]+/)) {
		t = substr(s, RSTART, RLENGTH)
		s = substr(s, RSTART + RLENGTH)
		num = t; sub(/.* /, "", num); sub(/^0+/, "", num)
		post = t; sub(/ [0-9]+$/, "", post); gsub(/ /, "", post)
		if (post == "SECSTATE") post = "STATE"
		sub(/^(AND|NOTAL|REF|REFTEL|DATED|SEE)/, "", post)
		if (post ~ /^(FROM|OF|ON|TO|NO|PARA|PARAS|SECTION|CA|PAGE|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|SEPT|OCT|NOV|DEC|[A-Z]+(JANUARY|FEBRUARY|MARCH|APRIL|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER))?$/ || num == "")
			continue
		if ((yy post num) in seen)
			continue
		seen[yy post num] = 1
		out = out (out == "" ? "" : "|") yy post num
	}
	return out
}
function flush() {
	if (!npre)
		return
	n++
	printf "\"%d\",%s,%s,%s,%s,%s,%s,%s\n", n + start, field(csvdate(date, hdr)), field(id),
		field(origin), field(cls), field(refcol(body, id)), field(hdr), field(body)
}
BEGIN { n = 0; start = start + 0 }
FNR == 1 { flush(); id = date = cls = origin = hdr = body = ""; npre = 0; col = 0; intable = 0 }
/<table class='cable'>/ { intable = 1 }
intable && /^<td>/ {
	col++
	getline v
	gsub(/<[^>]*>/, "", v)
	if (col == 1) id = v
	else if (col == 2) date = v
	else if (col == 4) cls = v
	else if (col == 5) origin = v
}
intable && /<\/table>/ { intable = 0 }
/<pre>/ {
	s = $0
	sub(/.*<pre>/, "", s)
	sub(/<\/pre>.*/, "", s)
	npre++
	if (npre == 1) hdr = s
	else if (npre == 2) body = s
}
END { flush() }
