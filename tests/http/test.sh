#!/bin/sh
# Black-box tests of `cablekit serve`: build an archive from examples/ with
# the optimized `cablekit ingest`, start the sanitizer build of the server on
# a free port (--port 0; the address it prints is read back), and talk HTTP
# to it with curl: every route, every error path, the JSON shapes (jq), every
# page through htmlcheck.py (xmllint --html, XML well-formedness, CSP rules),
# an XSS probe (08PARIS4242 holds <script>alert(1)</script>), limits (long
# URL, request body, query length), headers, concurrency, request framing,
# decoding and idle connections on raw sockets (hardening.py), and a clean
# stop on SIGTERM with no sanitizer report.
. "$(dirname "$0")/../lib.sh"
H=$TOP/tests/http
EX=$TOP/examples
for b in "$CK" "$CK_ASAN"; do
	if [ ! -x "$b" ]; then
		fail "binary $b exists" "run make && make asan first"
		done_suite
	fi
done
for t in curl jq xmllint python3; do
	if ! command -v $t >/dev/null 2>&1; then
		skip "http suite: $t is not installed (sh scripts/deps.sh)"
		done_suite
	fi
done

# ---- the archive ----
DB=$TMPD/demo.db
"$CK" ingest --db "$DB" "$EX"/*.txt >"$TMPD/ingest.out" 2>&1
rc=$?
if grep -q "not implemented" "$TMPD/ingest.out"; then
	skip "http suite: cablekit ingest is not implemented yet"
	done_suite
fi
if [ $rc -ne 0 ] || [ ! -s "$DB" ]; then
	fail "ingest examples/" "$(head -c 1000 "$TMPD/ingest.out")"
	done_suite
fi
ok "ingest examples/"
check "ingest the revised 07ROME1612 (second version)" "$CK" ingest --db "$DB" "$EX"/revised/*.txt

# ---- start the server ----
"$CK_ASAN" serve --db "$DB" --bind 127.0.0.1 --port 0 --threads 2 >"$TMPD/serve.out" 2>"$TMPD/serve.err" &
PID=$!
BASE=""
i=0
while [ $i -lt 100 ]; do
	BASE=$(sed -n 's|^listening on \(http://127\.0\.0\.1:[0-9]*\)/.*|\1|p' "$TMPD/serve.out" 2>/dev/null)
	[ -n "$BASE" ] && break
	kill -0 $PID 2>/dev/null || break
	sleep 0.1
	i=$((i+1))
done
if [ -z "$BASE" ]; then
	fail "server starts and prints its address" "$(head -c 2000 "$TMPD/serve.err")"
	kill $PID 2>/dev/null
	done_suite
fi
ok "server starts and prints its address ($BASE)"
cleanup_server() { kill -9 $PID 2>/dev/null; rm -rf "$TMPD"; }
trap cleanup_server EXIT

B=$TMPD/body
HD=$TMPD/headers
# get PATH [curl options...]: body in $B, headers in $HD, status in $CODE
get() {
	p=$1
	shift
	CODE=$(curl -s -g -o "$B" -D "$HD" -w '%{http_code}' "$@" "$BASE$p")
}
header() { tr -d '\r' <"$HD" | sed -n "s/^$1: //Ip" | head -n 1; }
# expect NAME STATUS CONTENT-TYPE-PREFIX : checks the last get
expect() {
	ct=$(header Content-Type)
	case "$ct" in
	"$3"*) ;;
	*) fail "$1" "content type \"$ct\", expected $3"; return 1 ;;
	esac
	if [ "$CODE" != "$2" ]; then
		fail "$1" "status $CODE, expected $2: $(head -c 300 "$B")"
		return 1
	fi
	return 0
}
# jqok NAME FILTER : the last body is JSON and FILTER is true on it
jqok() {
	if r=$(jq -e "$2" "$B" 2>&1) && [ "$r" = true ]; then ok "$1"; else fail "$1" "jq '$2' -> $r: $(head -c 300 "$B")"; fi
}
PAGES=$TMPD/pages
mkdir -p "$PAGES"
npages=0
# page NAME PATH STATUS : fetch an HTML page and keep it for htmlcheck
page() {
	get "$2"
	if expect "$1" "$3" "text/html"; then
		ok "$1"
	fi
	npages=$((npages+1))
	cp "$B" "$PAGES/$(printf '%03d' $npages).html"
	echo "$2" >"$PAGES/$(printf '%03d' $npages).path"
}

# ---- JSON API ----
get /healthz
expect "GET /healthz" 200 application/json && jqok "GET /healthz says ok" '.status == "ok"' &&
	jqok "GET /healthz: index building or ready" '.index == "building" or .index == "ready"'
# /healthz until its index is "ready", at most 30 s (the examples take well
# under a second; the rest is room for a loaded machine): idx is the last
wait_ready() {
	idx=""
	for i in $(seq 1 300); do
		get /healthz
		idx=$(jq -r .index "$B" 2>/dev/null)
		[ "$idx" = ready ] && break
		sleep 0.1
	done
}
# the server starts the build itself: no search is needed for "ready"
# (searches spread over the workers' handles, which each started one only
# from their second search, so a client could wait for ever)
wait_ready
if [ "$idx" = ready ]; then ok "GET /healthz: index ready with no search sent"; else fail "GET /healthz: index ready with no search sent" "still \"$idx\" after 30 s"; fi

get "/api/search?q=envoy"
if expect "GET /api/search?q=envoy" 200 application/json; then
	jqok "search: total and hits" '.total >= 4 and (.hits | length) == .total'
	jqok "search: hit fields of the contract" \
		'all(.hits[]; has("id") and has("date") and has("origin") and has("marking") and has("subject") and has("snippet"))'
	jqok "search: facets origin/year/tag/marking as [value,count]" \
		'all(.facets.origin, .facets.year, .facets.tag, .facets.marking; type == "array" and all(.[]; (.[0]|type) == "string" and (.[1]|type) == "number"))'
	jqok "search: year facet adds up to the total" '([.facets.year[][1]] | add) == .total'
	jqok "search: tag facet counts single TAGS codes" '(.facets.tag | length) > 1 and all(.facets.tag[]; .[0] | test("^[A-Z0-9]+$"))'
	jqok "search: snippets mark the match" 'any(.hits[]; .snippet | test("<mark>(?i)envoy</mark>"))'
fi
get "/api/search?q=envoy&limit=2&offset=0"
p1=$(jq -r '[.hits[].id] | join(" ")' "$B")
get "/api/search?q=envoy&limit=2&offset=2"
p2=$(jq -r '[.hits[].id] | join(" ")' "$B")
get "/api/search?q=envoy&limit=4"
all4=$(jq -r '[.hits[].id] | join(" ")' "$B")
if [ -n "$p1" ] && [ "$p1 $p2" = "$all4" ]; then ok "search: limit and offset page through the hits"; else fail "search: limit and offset page through the hits" "'$p1' + '$p2' != '$all4'"; fi
get "/api/search?q=envoy&limit=100000"
expect "search: a huge limit is capped, not refused" 200 application/json && jqok "search: capped limit still answers" '(.hits | length) <= 100'
get "/api/search?q=tag:PREL&sort=date&limit=50"
jqok "search: sort=date is oldest first" '[.hits[].date] == ([.hits[].date] | sort)'
get "/api/search?q=tag:PREL&sort=-date&limit=50"
jqok "search: sort=-date is newest first" '[.hits[].date] == ([.hits[].date] | sort | reverse)'
get "/api/search?q=from:%22Embassy%20Rome%22"
jqok "search: from:\"Embassy Rome\"" '.total == 2 and all(.hits[]; .origin == "Embassy Rome")'
get "/api/search?q=cites:07ROME1497"
jqok "search: cites:07ROME1497" '([.hits[].id] | sort) == ["07ROME1612","07STATE98765","09USUNNEWYORK321"]'
get "/api/search?q=citedby:07ROME1612"
jqok "search: citedby:07ROME1612" '([.hits[].id] | sort) == ["07ROME1497","07STATE98765"]'
# people (issue 15): person: by surname or name, the people facet, the person API and page
get "/api/search?q=person:doe"
jqok "search: person:doe finds Jane and John Doe" '([.hits[].id] | sort) == ["07STATE98765","09USUNNEWYORK321"]'
get "/api/search?q=person:%22Jane%20Doe%22"
jqok "search: person:\"Jane Doe\" and the people facet" '([.hits[].id] == ["07STATE98765"]) and (.facets.people == [["doe_jane",1]])'
get "/api/person/khalilzad"
if expect "GET /api/person/khalilzad" 200 application/json; then
	jqok "person: total, years, origins, roles, forms, cables" \
		'.key == "khalilzad" and .total == 1 and .years == [["2007",1]] and .origins == [["Embassy Rome",1]] and .roles == [["mentioned",1]] and (.forms | any(.[0] == "USUN Amb Khalilzad")) and ([.cables[].id] == ["07ROME1497"])'
	jqok "person: the people in the same cables" '(.together | any(. == ["prodi",1])) and (.together | any(. == ["dalema",1]))'
	jqok "person: each merge with its reason, ids and forms; the others of the surname" \
		'(.merges | length) == 1 and .merges[0].key == "khalilzad" and (.merges[0].reason | startswith("surname alone")) and .merges[0].ids == ["07ROME1497"] and (.merges[0].forms | any(.[0] == "USUN Amb Khalilzad")) and .kin == []'
fi
get "/api/person/nobody_here"
expect "GET /api/person/nobody_here is 404 JSON" 404 application/json && jqok "person: unknown key error" '.error == "no such person"'
page "page /person/khalilzad" /person/khalilzad 200
grep -q 'USUN Amb Khalilzad' "$B" && grep -q 'href="/person/prodi"' "$B" && grep -q 'How this person was put together' "$B" && ok "person page: forms, merges and links to the people in the same cables" \
	|| fail "person page: forms and links" "$(head -c 300 "$B")"
page "page /person/<script> is 404" "/person/%3Cscript%3E" 404
get "/api/search?q=date:2007-07"
jqok "search: date:2007-07" '([.hits[].id] | sort) == ["07ROME1497","07STATE98765"]'
# portion markings (issue 15): words in a paragraph of that marking
get "/api/search?q=portion:S%20envoy"
jqok "search: portion:S envoy - the SECRET paragraph of 09USUNNEWYORK321" \
	'.total == 1 and .hits[0].id == "09USUNNEWYORK321" and .hits[0].anchor == "p2"'
jqok "search: portion: snippet from the paragraph, match marked" \
	'.hits[0].snippet | startswith("…of the UN <mark>envoy</mark> first raised in ref C")'
jqok "search: paragraph facet by level" '.facets.portion == [["S",2],["U",1],["C",1]]'
get "/api/search?q=portion:C%20envoy"
jqok "search: portion:C envoy (a caveat matches its level; the first paragraph that matches)" \
	'([.hits[] | .id + "#" + .anchor] | sort) == ["07ROME1497#p1","07ROME1612#p2","07STATE98765#p2"]'
get "/api/search?q=portion:S//NF%20resident"
jqok "search: portion:S//NF resident" '.total == 1 and .hits[0].anchor == "p2"'
get "/api/search?q=portion:C%20consultations"
jqok "search: portion:C consultations - in no CONFIDENTIAL paragraph" '.total == 0'
get "/api/search?q=envoy"
jqok "search: paragraph facet of the hits" '.facets.portion == [["C",16],["U",4],["S",2]] and all(.hits[]; has("anchor") | not)'
get "/api/stats"
jqok "stats: paragraphs by level per classification of the cable" \
	'.portions.by_classification[] | select(.classification == "SECRET") | .paragraphs == 4 and .S == 2 and .C == 1 and .U == 1'

# errors of the search API
get "/api/search?q=portion:Q%20envoy"
expect "search: portion:Q is a bad query" 400 application/json && jqok "search: portion:Q says what portion: takes" '.error | test("portion: takes a level")'
get "/api/search?q=from:"
expect "search: bad query is 400" 400 application/json && jqok "search: 400 carries the parser's message" '.error | test("^query:[0-9]+:[0-9]+: ")'
get "/api/search?q=envoy&sort=sideways"
expect "search: bad sort is 400" 400 application/json && jqok "search: bad sort error JSON" '.error | test("sort")'
get "/api/search?q=envoy&limit=ten"
expect "search: bad limit is 400" 400 application/json && jqok "search: bad limit error JSON" '.error | test("limit")'
get "/api/search?q=envoy&offset=-1"
expect "search: negative offset is 400" 400 application/json && ok "search: negative offset refused"
get "/api/search?q=envoy&offset=999999999"
expect "search: offset too deep is 400" 400 application/json && ok "search: deep offset refused"
longq=$(python3 -c 'print("envoy+" * 200)')
get "/api/search?q=$longq"
expect "search: q over 1000 bytes is 400" 400 application/json && jqok "search: long q error JSON" '.error | test("too long")'
deep=$(python3 -c 'print("(" * 200 + "a" + ")" * 200)')
get "/api/search?q=$deep"
if [ "$CODE" = 400 ]; then ok "search: deeply nested query refused (400)"; else fail "search: deeply nested query refused (400)" "status $CODE"; fi

# cables
get /api/cable/07ROME1497
if expect "GET /api/cable/07ROME1497" 200 application/json; then
	jqok "cable: contract fields" '.id == "07ROME1497" and .origin == "Embassy Rome" and (.paragraphs | length) > 5 and (.tags | index("PREL")) != null'
fi
get /api/cable/07rome01497
expect "cable: a non-canonical spelling resolves" 200 application/json && jqok "cable: resolved to the canonical id" '.id == "07ROME1497"'
get /api/cable/08PARIS4242
jqok "XSS probe: JSON keeps <script> as a string" '(.body // "" | contains("<script>alert(1)</script>")) and (.subject | contains("<SCRIPT>"))'
get /api/cable/99NOWHERE1
expect "cable: unknown id is 404" 404 application/json && jqok "cable: 404 error JSON" '.error | type == "string"'
get "/api/cable/%3Cscript%3Ealert(5)%3C%2Fscript%3E"
expect "cable: hostile id is 404" 404 application/json && ok "cable: hostile id refused"
if grep -q "alert(5)" "$B"; then fail "cable: hostile id not echoed" "$(cat "$B")"; else ok "cable: hostile id not echoed"; fi
get "/api/cable/$(python3 -c 'print("A" * 300)')"
expect "cable: overlong id is 404" 404 application/json && ok "cable: overlong id refused"
get /api/cable/07ROME1497/refs
if expect "GET /api/cable/07ROME1497/refs" 200 application/json; then
	jqok "refs: cited_by lists the citing cables" '([.cited_by[].id] | sort) == ["07ROME1612","07STATE98765","09USUNNEWYORK321"]'
fi
get /api/cable/07ROME1612/refs
jqok "refs: cites in and out of the archive" \
	'([.cites[] | select(.in_archive) | .id] | sort) == ["07ROME1497","07STATE98765"] and any(.cites[]; .id == "07STATE12345" and .in_archive == false)'
get /api/cable/07ROME1497/versions
expect "cable: unknown sub-route is 404" 404 application/json && ok "cable: unknown sub-route refused"
get /api/stats
if expect "GET /api/stats" 200 application/json; then
	jqok "stats: counts" '.cables == 5 and .versions == 6 and (.origin | length) == 4 and ([.year[][1]] | add) == 5'
fi
get /api/nothing
expect "unknown API route is 404 JSON" 404 application/json && jqok "unknown API route error JSON" '.error | type == "string"'

# methods, limits, headers
get /api/search -X POST -d 'q=envoy'
expect "POST is 405" 405 application/json && ok "POST refused"
if [ "$(header Allow)" = "GET, HEAD" ]; then ok "405 names the allowed methods"; else fail "405 names the allowed methods" "Allow: $(header Allow)"; fi
get / -X DELETE
expect "DELETE / is 405" 405 text/html && ok "DELETE refused"
head -c 200000 /dev/zero | tr '\0' a >"$TMPD/big"
get /api/search -X POST --data-binary @"$TMPD/big" -H 'Expect:'
expect "oversized request body is 413" 413 application/json && ok "oversized body refused"
get "/api/search?q=a&pad=$(python3 -c 'print("x" * 5000)')"
expect "URL over 4096 bytes is 414" 414 application/json && jqok "414 error JSON" '.error | test("URL")'
get "/?q=$(python3 -c 'print("x" * 100000)')"
case "$CODE" in 4??) ok "100 KB URL answered $CODE" ;; *) fail "100 KB URL answered 4xx" "status $CODE" ;; esac
get "/" -H "X-Big: $(python3 -c 'print("y" * 40000)')"
case "$CODE" in 4??) ok "40 KB header answered $CODE" ;; *) fail "40 KB header answered 4xx" "status $CODE" ;; esac
conns=$(curl -s -o /dev/null -o /dev/null -w '%{num_connects} ' "$BASE/healthz" "$BASE/api/stats")
[ "$conns" = "1 0 " ] && ok "keep-alive: two requests on one connection" || fail "keep-alive: two requests on one connection" "connects per request: $conns"
get /api/search?q=envoy
csp=$(header Content-Security-Policy)
case "$csp" in *"default-src 'self'"*) ok "Content-Security-Policy default-src 'self'" ;; *) fail "Content-Security-Policy default-src 'self'" "$csp" ;; esac
case "$csp" in *unsafe-inline*|*unsafe-eval*) fail "CSP allows no inline script" "$csp" ;; *) ok "CSP allows no inline script" ;; esac
if [ "$(header X-Content-Type-Options)" = nosniff ]; then ok "X-Content-Type-Options: nosniff"; else fail "X-Content-Type-Options: nosniff"; fi
if grep -qi '^Access-Control-' "$HD"; then fail "no CORS headers by default" "$(grep -i access-control "$HD")"; else ok "no CORS headers by default"; fi
if curl -s -I --max-time 5 "$BASE/" | tr -d '\r' >"$TMPD/head" && head -n 1 "$TMPD/head" | grep -q '^HTTP/1.1 200' &&
	grep -qi '^Content-Type: text/html' "$TMPD/head"; then ok "HEAD / answers headers"; else fail "HEAD / answers headers" "$(head -3 "$TMPD/head")"; fi

# static assets: only from the embedded table
get /static/app.css
expect "GET /static/app.css" 200 text/css && ok "stylesheet served"
cmp -s "$B" "$TOP/src/server/assets/app.css" && ok "stylesheet is the embedded file" || fail "stylesheet is the embedded file"
get /static/app.js
expect "GET /static/app.js" 200 text/javascript && ok "script served"
for p in /static/ /static/nope.css "/static/../server.c" "/static/%2e%2e/%2e%2e/Makefile" /static/assets.h "/static/..%2f..%2fMakefile"; do
	get "$p" --path-as-is
	if [ "$CODE" = 404 ] && ! grep -q 'ck_' "$B"; then ok "no file system: $p is 404"; else fail "no file system: $p is 404" "status $CODE"; fi
done

# after the searches above, /healthz still says ready (bench/scale.sh
# waits for it)
wait_ready
if [ "$idx" = ready ]; then ok "GET /healthz: index ready after the first searches"; else fail "GET /healthz: index ready" "still \"$idx\" after 30 s"; fi

# ---- pages ----
page "GET / (landing)" / 200
grep -q 'from:&quot;Embassy Rome&quot;' "$B" && grep -q 'date:2007-07' "$B" && ok "landing explains the query syntax" || fail "landing explains the query syntax"
# the demo archive is small: the landing page says, open, how to ingest one's own
grep -q '<details class="own" open="open">' "$B" && grep -q 'cablekit ingest --db cables.db PATH' "$B" && grep -q 'PlusD' "$B" &&
	ok "landing says how to ingest your own Cablegate and PlusD files" || fail "landing says how to ingest your own files" "$(grep -o '<details class="own"[^>]*>' "$B")"
# every query-syntax example on the landing page is accepted by the parser
bad=""
nex=0
for u in $(grep -o 'href="/?q=[^"]*"><code>' "$B" | sed 's/href="\(.*\)"><code>/\1/; s/&amp;/\&/g'); do
	c=$(curl -s -o /dev/null -w '%{http_code}' "$BASE$u")
	nex=$((nex+1))
	[ "$c" = 200 ] || bad="$bad $u:$c"
done
[ "$nex" -ge 15 ] && [ -z "$bad" ] && ok "landing: all $nex syntax examples are valid queries" || fail "landing: syntax examples are valid queries" "$nex examples;$bad"
page "GET /?q=envoy" "/?q=envoy" 200
grep -q 'href="/?q=envoy+from%3A%22Embassy+Rome%22"' "$B" && ok "facet links refine the query" || fail "facet links refine the query" "$(grep -o 'href="/?q=envoy+from[^"]*"' "$B" | head -3)"
grep -q '<svg' "$B" && grep -q 'href="/?q=envoy+date%3A2007-07"' "$B" && ok "histogram bars link to date:2007-07" || fail "histogram bars link to date:2007-07"
grep -q '<mark>' "$B" && ok "results show highlighted snippets" || fail "results show highlighted snippets"
nhits=$(grep -c '<li class="hit">' "$B")
[ "$nhits" -ge 4 ] && ok "results list the hits ($nhits)" || fail "results list the hits" "$nhits"
page "GET /?q=envoy page 2 sorted" "/?q=envoy&sort=-date&limit=2&offset=2" 200
grep -q 'rel="prev"' "$B" && grep -q 'aria-current="page">2<' "$B" && ok "pagination marks page 2 with a previous link" || fail "pagination marks page 2 with a previous link"
grep -q '<strong>newest first</strong>' "$B" && ok "sort shown" || fail "sort shown"
page "GET /?q=from: (bad query)" "/?q=from:" 400
grep -q 'query:1:' "$B" && ok "bad query page shows the parser's message" || fail "bad query page shows the parser's message"
page "GET /?q=date:2007-07 (narrowed)" "/?q=envoy+date%3A2007-07" 200
page "GET /cable/07ROME1497" /cable/07ROME1497 200
grep -q 'id="p1"' "$B" && grep -q 'href="#p3"' "$B" && ok "cable: paragraph anchors" || fail "cable: paragraph anchors"
grep -q 'class="pm pm-c"' "$B" && ok "cable: portion markings as badges" || fail "cable: portion markings as badges"
meaning=$(awk -F'\t' '$1 == "PREL" {print $3; exit}' "$TOP/data/tags.tsv" | sed 's/&/\&amp;/g; s/"/\&quot;/g; s/'"'"'/\&#39;/g')
if [ -n "$meaning" ] && grep -qF "$meaning" "$B"; then ok "cable: TAGS decoded ($meaning)"; else fail "cable: TAGS decoded" "meaning '$meaning'"; fi
grep -q '<code>RUEHC</code>' "$B" && grep -q '<code>RUCNDT</code>' "$B" && ok "cable: addressees with routing indicators" || fail "cable: addressees with routing indicators"
grep -q 'class="passed"' "$B" && ok "cable: declassification date passed" || fail "cable: declassification date passed"
grep -q 'href="/cable/07ROME1612"' "$B" && grep -q 'href="/cable/09USUNNEWYORK321"' "$B" && ok "cable: cited by, linked" || fail "cable: cited by, linked"
grep -q 'page-header' "$B" && ok "cable: problems found are listed" || fail "cable: problems found are listed"
page "GET /cable/07ROME1612" /cable/07ROME1612 200
grep -q 'href="/cable/07ROME1497"' "$B" && ok "cable: cites, linked" || fail "cable: cites, linked"
grep -q '<code>07STATE12345</code> not in this archive' "$B" && ok "cable: unresolved reference shown as such" || fail "cable: unresolved reference shown as such"
[ "$(grep -c '^<li>Version ' "$B")" = 2 ] && grep -q '<span class="add">' "$B" && grep -q '<span class="del">' "$B" && ok "cable: versions with a diff" || fail "cable: versions with a diff"
grep -q '^<li>Version 1, stored [0-9T:Z-]* <code class="muted" title="SHA-1 of the text">[0-9a-f]\{12\}</code> from <code>[^<]*/examples/07ROME1612.txt</code>' "$B" &&
	grep -q '^<li>Version 2, .* from <code>[^<]*/examples/revised/07ROME1612.txt</code>' "$B" &&
	ok "cable: each version with its date, hash and source file" || fail "cable: each version with its date, hash and source file" "$(grep '^<li>Version' "$B")"
get /cable/07ROME1497
grep -q '^<li>Version 1, .* from <code>[^<]*/examples/07ROME1497.txt</code>' "$B" && ok "cable: a single version shows its source file" || fail "cable: a single version shows its source file" "$(grep '^<li>Version' "$B")"
page "GET /cable/09USUNNEWYORK321" /cable/09USUNNEWYORK321 200
grep -q 'class="notyet"' "$B" && ok "cable: declassification date not yet passed" || fail "cable: declassification date not yet passed"
grep -q '<div class="para lv-s" id="p2">' "$B" && grep -q '<div class="para lv-s" id="p3">' "$B" && grep -q '<div class="para lv-c" id="p4">' "$B" &&
	grep -q '<div class="para lv-u" id="p1">' "$B" && ok "cable: paragraphs coloured by their marking (classes)" || fail "cable: paragraphs coloured by their marking" "$(grep -o '<div class="para[^>]*>' "$B")"
grep -q '^\.para\.lv-s {' "$TOP/src/server/assets/app.css" && ok "cable: the marking classes are in app.css" || fail "cable: the marking classes are in app.css"
page "GET /?q=portion:S envoy" "/?q=portion%3AS+envoy" 200
grep -q '<a class="pa" href="/cable/09USUNNEWYORK321#p2">&#182;2</a>' "$B" && ok "results: the snippet links to its paragraph" || fail "results: the snippet links to its paragraph" "$(grep -o '<p class="snippet">.\{0,120\}' "$B")"
grep -q '<h3>Paragraphs</h3>' "$B" && grep -q 'href="/?q=envoy+portion%3AU" title="unclassified">U</a>' "$B" && ok "results: the paragraph facet puts its portion: in place of the query's" || fail "results: the paragraph facet puts its portion: in place of the query's" "$(grep -o 'href="/?q=[^"]*portion[^"]*"' "$B" | head -3)"
page "GET /cable/08PARIS4242" /cable/08PARIS4242 200
page "GET /cable/08PARIS4242?raw=1" "/cable/08PARIS4242?raw=1" 200
grep -q '<pre class="rawtext">VZCZCXYZ0042' "$B" && ok "cable: raw telegram text on request" || fail "cable: raw telegram text on request"
get /cable/07rome01612
if [ "$CODE" = 301 ] && [ "$(header Location)" = /cable/07ROME1612 ]; then ok "cable: other spelling redirects to the canonical page"; else fail "cable: other spelling redirects" "$CODE $(header Location)"; fi
page "GET /cable/99NOWHERE1 (404)" /cable/99NOWHERE1 404
page "GET /cable/<script> (404)" "/cable/%3Cscript%3Ealert(6)%3C%2Fscript%3E" 404
page "GET /nowhere<script> (404)" "/nowhere%3Cscript%3Ealert(7)%3C%2Fscript%3E" 404
for w in origin tag year marking; do
	page "GET /browse/$w" /browse/$w 200
done
grep -q 'href="/?q=marking%3A%22CONFIDENTIAL%2F%2FNOFORN%22"' "$B" && ok "browse: entries link to their search" || fail "browse: entries link to their search"
page "GET /browse/nothing (404)" /browse/nothing 404
page "GET /?q=<script> (query echoed)" "/?q=%3Cscript%3Ealert(8)%3C%2Fscript%3E+x%27" 200
grep -q 'value="&lt;script&gt;alert(8)&lt;/script&gt; x&#39;"' "$B" && ok "query echoed escaped in the search box" || fail "query echoed escaped in the search box" "$(grep -o 'value="[^"]*' "$B" | head -2)"
page "GET /?q=<script>\" (bad query echoed)" "/?q=%3Cscript%3Ealert(9)%3C%2Fscript%3E+%22" 400
grep -q 'value="&lt;script&gt;alert(9)&lt;/script&gt; &quot;"' "$B" && ok "bad query echoed escaped in the search box" || fail "bad query echoed escaped in the search box" "$(grep -o 'value="[^"]*' "$B" | head -2)"
page "GET /?q=alert (XSS cable in results)" "/?q=alert" 200

if python3 "$H/htmlcheck.py" "$PAGES"/*.html >"$TMPD/htmlcheck" 2>&1; then
	ok "all $npages pages: valid HTML (xmllint), well-formed, CSP-clean"
else
	fail "all $npages pages: valid HTML (xmllint), well-formed, CSP-clean" "$(head -20 "$TMPD/htmlcheck")"
fi
# XSS probe over every page: no live markup from cable text or input
bad=""
for f in "$PAGES"/*.html; do
	if grep -qiE '<script>|<img|<script[^>]*>alert|<svg onload' "$f"; then bad="$bad $(cat "${f%.html}.path")"; fi
done
[ -z "$bad" ] && ok "XSS probe: no live <script>/<img> on any page" || fail "XSS probe: no live <script>/<img> on any page" "$bad"
get /cable/08PARIS4242
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$B" && grep -q '&lt;img src=x onerror=alert(2)&gt;' "$B" &&
	grep -q 'MARKUP TEST: &lt;SCRIPT&gt; &amp; &quot;QUOTES&quot;' "$B" && ok "XSS probe: cable text shown escaped" || fail "XSS probe: cable text shown escaped"
get "/?q=alert"
grep -q '&lt;script&gt;<mark>alert</mark>\|&lt;script&gt;alert' "$B" && ok "XSS probe: snippet escaped" || fail "XSS probe: snippet escaped" "$(grep -o 'class="snippet">[^<]*' "$B" | head -2)"

# the answer cache: a repeated search is a hit; an ingest beside the server
# (a new cable in the same archive) is seen at once
get /healthz
h0=$(jq '.cache.hits' "$B")
get "/api/search?q=envoy"
get "/api/search?q=envoy"
get /healthz
h1=$(jq '.cache.hits' "$B")
[ "$h1" -gt "$h0" ] && ok "cache: a repeated search is served from the cache" || fail "cache: a repeated search is served from the cache" "hits $h0 -> $h1"
sed -e 's/98765/98766/g; s/#8765 /#8766 /; s/^SUBJECT: \[SYNTHETIC\] GUIDANCE/SUBJECT: [SYNTHETIC] SECOND GUIDANCE/; s/envoy/zeppelin envoy/' \
	"$EX/07STATE98765.txt" >"$TMPD/07STATE98766.txt"
if "$CK" ingest --db "$DB" "$TMPD/07STATE98766.txt" >"$TMPD/o" 2>&1; then
	get "/api/search?q=envoy"
	jqok "cache: an ingest while serving is seen by search" '.total == 5 and any(.hits[]; .id == "07STATE98766")'
	get /api/stats
	jqok "cache: an ingest while serving is seen by stats" '.cables == 6'
else
	fail "ingest while serving" "$(cat "$TMPD/o")"
fi

# concurrency: 60 requests, 8 at a time, all answered
seq 60 | sed "s|.*|$BASE/api/cable/07ROME1497|" >"$TMPD/urls"
codes=$(xargs -P 8 -n 1 curl -s -o /dev/null -w '%{http_code}\n' <"$TMPD/urls" | sort | uniq -c | tr -s ' ')
[ "$codes" = " 60 200" ] && ok "60 concurrent requests all 200" || fail "60 concurrent requests all 200" "$codes"

# the access log: one line per request
grep -qE '^[0-9T:-]+Z GET /healthz 200 [0-9]+ [0-9.]+ms$' "$TMPD/serve.err" && ok "access log line: time method path status bytes ms" || fail "access log line" "$(head -3 "$TMPD/serve.err")"
grep -q 'alert(5)' "$TMPD/serve.err" && ! grep -q '<script>' "$TMPD/serve.err" && ok "access log escapes nothing dangerous raw" || fail "access log escapes nothing dangerous raw"

# the security headers on every kind of answer, errors and redirects too
bad=""
for p in / "/?q=envoy" /cable/07ROME1497 /cable/07rome01612 /browse/tag /static/app.css /healthz \
	/api/cable/99NOWHERE1 "/?q=from:" "/api/search?q=%00x" /nowhere; do
	get "$p"
	case "$(header Content-Security-Policy)" in *"default-src 'self'"*) ;; *) bad="$bad $p:csp" ;; esac
	[ "$(header X-Content-Type-Options)" = nosniff ] || bad="$bad $p:nosniff"
	[ "$(header X-Frame-Options)" = DENY ] || bad="$bad $p:frame"
	[ "$(header Referrer-Policy)" = no-referrer ] || bad="$bad $p:referrer"
done
[ -z "$bad" ] && ok "security headers on every answer (200, 301, 400, 404, static)" || fail "security headers on every answer" "$bad"
# no estimate marks while the archive answers exactly (total_exact absent or true)
get "/?q=envoy"
if grep -q '&#8776;\|≈' "$B"; then fail "exact counts carry no ≈" "$(grep -o '.\{40\}&#8776;.\{20\}' "$B" | head -2)"; else ok "exact counts carry no ≈"; fi

# request smuggling, decoding and idle connections, on raw sockets (#14)
python3 "$H/hardening.py" "${BASE##*:}" "$TMPD/serve.err" >"$TMPD/hardening" 2>&1
while IFS= read -r line; do
	case "$line" in
	"ok "*) ok "${line#ok }" ;;
	"fail "*) fail "${line#fail }" ;;
	esac
done <"$TMPD/hardening"
grep -q '^ok idle: /healthz answers after the storm' "$TMPD/hardening" || fail "hardening.py ran to the end" "$(tail -5 "$TMPD/hardening")"

# ---- stop ----
kill -TERM $PID
i=0
while kill -0 $PID 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
if kill -0 $PID 2>/dev/null; then
	fail "SIGTERM stops the server within 10 s"
else
	wait $PID
	rc=$?
	[ $rc = 0 ] && ok "SIGTERM: clean exit (0)" || fail "SIGTERM: clean exit (0)" "exit $rc"
fi
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' "$TMPD/serve.err"; then
	fail "no sanitizer report from the server" "$(grep -E -A5 'Sanitizer|runtime error' "$TMPD/serve.err" | head -30)"
else
	ok "no sanitizer report from the server"
fi

# ---- a PlusD record and a 1970s telegram (issue 13) ----
# tests/data/plusd-athens-44.html is a made-up record page of 74ATHENS44,
# whose "REF: STATE 4321" has no year; the archive holds only the 1973
# STATE 4321 (tests/data/70s-state-4321.txt), so the reference is
# inferred.  The cable page must show the record's fields and its review
# history by date, and mark the inferred reference; the search page must
# offer the concept and office facets.
PDB=$TMPD/plusd.db
"$CK" ingest --db "$PDB" "$TOP/tests/data/70s-state-4321.txt" "$TOP/tests/data/plusd-athens-44.html" >"$TMPD/pingest" 2>&1 ||
	fail "ingest the PlusD record" "$(cat "$TMPD/pingest")"
"$CK_ASAN" serve --db "$PDB" --port 0 --threads 1 >"$TMPD/po" 2>"$TMPD/pe" &
PP=$!
i=0
BASE=""
while [ $i -lt 100 ] && [ -z "$BASE" ]; do
	sleep 0.1
	BASE=$(sed -n 's|^listening on \(http://127\.0\.0\.1:[0-9]*\)/.*|\1|p' "$TMPD/po")
	i=$((i+1))
done
PAGES=$TMPD/ppages
mkdir -p "$PAGES"
get /cable/1974ATHENS00044_b
[ "$CODE" = 301 ] && [ "$(header Location)" = /cable/74ATHENS44 ] && ok "plusd: the canonical id redirects to the short id" \
	|| fail "plusd: the canonical id redirects" "status $CODE, Location $(header Location)"
page "GET /cable/74ATHENS44 (PlusD record)" /cable/74ATHENS44 200
sed 's/></>\n</g' "$B" >"$TMPD/rec.html"
rev=$(sed -n '/<table class="grid review">/,/<\/table>/p' "$TMPD/rec.html" | sed -n 's|.*review%3A\([0-9-]*\)".*|\1|p' | tr '\n' ' ')
[ "$rev" = "2002-05-15 2003-02-25 2004-05-28 2005-06-30 " ] && ok "plusd page: the review history by date, each date a review: link" \
	|| fail "plusd page: review history" "dates '$rev'"
grep -q '<td>disposition</td>' "$TMPD/rec.html" && grep -q '<td>marking</td><td>DECLASSIFIED/RELEASED</td>' "$B" && grep -q '<td>25 YEAR REVIEW</td>' "$TMPD/rec.html" && grep -q '<td>jonesab</td>' "$TMPD/rec.html" &&
	grep -q 'href="/?q=concept%3A%22PORT+CHARGES%22">PORT CHARGES</a>' "$TMPD/rec.html" &&
	grep -q 'href="/?q=current%3AUNCLASSIFIED">UNCLASSIFIED</a> <span class="muted">(original: CONFIDENTIAL)' "$TMPD/rec.html" &&
	grep -q '<code>D740001-0001</code>' "$TMPD/rec.html" && grep -q '<code>EUR-25</code> <span class="muted">(action)' "$TMPD/rec.html" &&
	ok "plusd page: record fields (step, reviewer, note, concepts, current classification, film number, distribution)" ||
	fail "plusd page: record fields" "$(sed -n '/id="record"/,/<\/section>/p' "$TMPD/rec.html" | head -40)"
grep -q '<span class="inferred" title="the reference does not say its year[^"]*">year inferred</span>' "$TMPD/rec.html" &&
	ok "plusd page: the reference without a year is marked inferred" || fail "plusd page: inferred reference" "$(grep -A3 'class="reflist"' "$TMPD/rec.html" | head)"
page "GET /cable/73STATE4321 (1970s telegram)" /cable/73STATE4321 200
grep -q '<code>EUR/SE:JQPUBLIC:MK</code>' "$B" && ! grep -q 'id="review"' "$B" &&
	ok "1970s page: drafter shown, no review table without a record" || fail "1970s page: drafter, no review table"
page "GET /?q=date:1974 (concept and office facets)" "/?q=date:1974" 200
sed 's/></>\n</g' "$B" | grep -q 'href="/?q=date%3A1974+concept%3AHARBORS">HARBORS</a>' &&
	sed 's/></>\n</g' "$B" | grep -q 'href="/?q=date%3A1974+office%3AEUR">EUR</a>' &&
	ok "search page: concept and office facets refine the query" || fail "search page: concept and office facets" "$(grep -o '<aside.*</aside>' "$B" | head -c 600)"
if python3 "$H/htmlcheck.py" "$PAGES"/*.html >"$TMPD/htmlcheck2" 2>&1; then
	ok "plusd pages: valid HTML, well-formed, CSP-clean"
else
	fail "plusd pages: valid HTML" "$(head -20 "$TMPD/htmlcheck2")"
fi
kill -TERM $PP
wait $PP
grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' "$TMPD/pe" && fail "plusd server: no sanitizer report" "$(grep -E -A5 'Sanitizer|runtime error' "$TMPD/pe" | head -20)" \
	|| ok "plusd server: no sanitizer report"

# ---- the page pool ----
# The workers read through one page pool (the archive's size, at least 16
# MB, at most 512) faulted in at start; --page-cache-mb 0 turns it off and
# each worker maps the file.  Both must give the same answers.
grep -q '^listening on http://127.0.0.1:[0-9]*/ (archive .*, 2 threads, page pool 16 MB; Ctrl-C stops)$' "$TMPD/serve.out" &&
	ok "page pool: on by default, sized by the archive (16 MB at least)" || fail "page pool: on by default" "$(cat "$TMPD/serve.out")"
"$CK" serve --db "$DB" --port 0 --threads 1 --page-cache-mb 0 --cache-mb 0 >"$TMPD/np.out" 2>/dev/null &
NP=$!
"$CK" serve --db "$DB" --port 0 --threads 1 --page-cache-mb 40 --cache-mb 0 >"$TMPD/p40.out" 2>/dev/null &
P40=$!
i=0
while [ $i -lt 100 ] && ! { grep -q '^listening' "$TMPD/np.out" && grep -q '^listening' "$TMPD/p40.out"; }; do
	sleep 0.1
	i=$((i+1))
done
NPB=$(sed -n 's|^listening on \(http://127\.0\.0\.1:[0-9]*\)/.*|\1|p' "$TMPD/np.out")
P40B=$(sed -n 's|^listening on \(http://127\.0\.0\.1:[0-9]*\)/.*|\1|p' "$TMPD/p40.out")
! grep -q 'page pool' "$TMPD/np.out" && grep -q ', 1 threads, page pool 40 MB;' "$TMPD/p40.out" &&
	ok "page pool: --page-cache-mb 0 turns it off, 40 sets it" || fail "page pool: --page-cache-mb" "$(cat "$TMPD/np.out" "$TMPD/p40.out")"
same=0
for q in iran 'rome OR paris' 'tag:PREL' '"prime minister"' 'date:2007 -iran'; do
	e=$(printf '%s' "$q" | jq -sRr @uri)
	a=$(curl -s "$NPB/api/search?q=$e") && b=$(curl -s "$P40B/api/search?q=$e") &&
		[ "$(printf '%s' "$a" | jq -r '.hits | length')" -gt 0 ] && [ "$a" = "$b" ] && same=$((same+1))
done
[ $same = 5 ] && ok "page pool: the same answers with and without it (5 searches)" || fail "page pool: same answers" "$same of 5"
kill -TERM $NP $P40 2>/dev/null
wait $NP $P40 2>/dev/null

# ---- start-up errors ----
if "$CK" serve --db "$TMPD/missing.db" --port 0 >"$TMPD/o" 2>"$TMPD/e"; then
	fail "missing archive: non-zero exit"
else
	grep -q 'missing.db' "$TMPD/e" && ok "missing archive: clear error" || fail "missing archive: clear error" "$(cat "$TMPD/e")"
fi
"$CK" serve --db "$DB" --port 0 --threads 1 >"$TMPD/o1" 2>/dev/null &
P1=$!
sleep 0.5
port=$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$TMPD/o1")
if [ -n "$port" ]; then
	if "$CK" serve --db "$DB" --port "$port" >"$TMPD/o" 2>"$TMPD/e"; then
		fail "port in use: non-zero exit"
	else
		grep -q "cannot listen on 127.0.0.1:$port" "$TMPD/e" && ok "port in use: clear error" || fail "port in use: clear error" "$(cat "$TMPD/e")"
	fi
else
	fail "second server starts"
fi
kill -INT $P1 2>/dev/null
wait $P1 && ok "SIGINT: clean exit (0)" || fail "SIGINT: clean exit (0)"
"$CK" serve --bind nonsense --db "$DB" >/dev/null 2>"$TMPD/e" && fail "bad --bind refused" || ok "bad --bind refused"
"$CK" serve --port 70000 --db "$DB" >/dev/null 2>"$TMPD/e" && fail "bad --port refused" || ok "bad --port refused"
done_suite
