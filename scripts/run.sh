#!/bin/sh
# `make run`: build a demo archive from examples/ (the seed cable 07ROME1497
# and a few hand-written cables marked [SYNTHETIC]; revised/ holds a changed
# copy of one of them, ingested second so that it has two versions), then
# serve it.  Prints the address; Ctrl-C stops.
#   PORT=8080 BIND=127.0.0.1 DEMO_DB=build/demo.db sh scripts/run.sh
# The port falls back to any free one when 8080 is taken.
set -e
cd "$(dirname "$0")/.."
CK=build/cablekit
DB=${DEMO_DB:-build/demo.db}
PORT=${PORT:-8080}
BIND=${BIND:-127.0.0.1}
[ -x "$CK" ] || { echo "run: $CK is missing; run 'make' first" >&2; exit 1; }
mkdir -p "$(dirname "$DB")"
rm -f "$DB" "$DB-wal" "$DB-shm"
"$CK" ingest --db "$DB" examples/*.txt
"$CK" ingest --db "$DB" examples/revised/*.txt
# is something already answering on the port? (curl exit 7 = refused)
if command -v curl >/dev/null 2>&1; then
	rc=0
	curl -s -o /dev/null --max-time 1 "http://$BIND:$PORT/" || rc=$?
	if [ "$rc" != 7 ]; then
		echo "run: port $PORT is taken; using a free port" >&2
		PORT=0
	fi
fi
echo "run: demo archive $DB: the seed cable 07ROME1497 and sample cables marked [SYNTHETIC]"
echo "run: to serve your own cables: $CK ingest --db cables.db cablegate.7z && $CK serve --db cables.db"
exec "$CK" serve --db "$DB" --bind "$BIND" --port "$PORT"
