#!/bin/sh
# Browser tests of the web UI: Debian chromium driven by playwright-core
# (tests/browser/node_modules, installed by scripts/deps.sh; pinned to 1.61,
# since later versions need Node.js 20 and Debian 12 ships 18).  Builds an
# archive from examples/, starts the optimized server on a free port, and
# runs ui.js: search, click a facet, sort, open a cable, follow a reference
# and come back, versions, the XSS cable, browse, no-JS use, a bad query.
# Screenshots go to build/screenshots/ (search.png, cable.png ...).
# Skips, saying why, when chromium, node or playwright-core is missing.
. "$(dirname "$0")/../lib.sh"
BR=$TOP/tests/browser
EX=$TOP/examples
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
	skip "browser suite: $CHROMIUM not installed (sh scripts/deps.sh)"
	done_suite
fi
if ! command -v node >/dev/null 2>&1; then
	skip "browser suite: node not installed (sh scripts/deps.sh)"
	done_suite
fi
if [ ! -d "$BR/node_modules/playwright-core" ]; then
	skip "browser suite: playwright-core not installed (sh scripts/deps.sh, or npm install in tests/browser)"
	done_suite
fi
if [ ! -x "$CK" ]; then
	fail "binary $CK exists" "run make first"
	done_suite
fi
DB=$TMPD/demo.db
"$CK" ingest --db "$DB" "$EX"/*.txt >"$TMPD/ingest.out" 2>&1
if grep -q "not implemented" "$TMPD/ingest.out"; then
	skip "browser suite: cablekit ingest is not implemented yet"
	done_suite
fi
"$CK" ingest --db "$DB" "$EX"/revised/*.txt >>"$TMPD/ingest.out" 2>&1 ||
	{ fail "ingest examples/" "$(head -c 1000 "$TMPD/ingest.out")"; done_suite; }

"$CK" serve --db "$DB" --port 0 >"$TMPD/serve.out" 2>"$TMPD/serve.err" &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$TMPD"' EXIT
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
	fail "server starts" "$(head -c 1000 "$TMPD/serve.err")"
	done_suite
fi
SHOTS=$TOP/build/screenshots
mkdir -p "$SHOTS"
(cd "$BR" && CHROMIUM=$CHROMIUM timeout 120 node ui.js "$BASE" "$SHOTS") >"$TMPD/ui.out" 2>&1
rc=$?
while IFS= read -r line; do
	case "$line" in
	"ok "*) ok "${line#ok }" ;;
	"FAIL "*) fail "${line#FAIL }" ;;
	esac
done <"$TMPD/ui.out"
if [ $rc -ne 0 ] && ! grep -q '^FAIL' "$TMPD/ui.out"; then
	fail "ui.js ran" "exit $rc: $(tail -5 "$TMPD/ui.out")"
fi
for s in search cable; do
	[ -s "$SHOTS/$s.png" ] && ok "screenshot build/screenshots/$s.png" || fail "screenshot build/screenshots/$s.png"
done
done_suite
