# pages2csv.awk - write viewer pages as rows of a cables.csv (the 2011 dump's
# shape: no header row; "id","date","refid","origin","classification",
# "references","header","content"; quotes as \", fields over many lines).
# Used by tests/read/test.sh and bench/read.sh to build a cables.csv from the
# corpus.  Usage: awk -f pages2csv.awk [-v start=N] page.html... > cables.csv
function field(s) {
	gsub(/&#x000A;/, "\n", s)
	gsub(/<a [^>]*>/, "", s)
	gsub(/<\/a>/, "", s)
	gsub(/&amp;/, "\\&", s)
	gsub(/\\/, "\\\\\\\\", s)
	gsub(/"/, "\\\"", s)
	return "\"" s "\""
}
function flush() {
	if (!npre)
		return
	n++
	printf "\"%d\",%s,%s,%s,%s,\"\",%s,%s\n", n + start, field(date), field(id),
		field(origin), field(cls), field(hdr), field(body)
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
