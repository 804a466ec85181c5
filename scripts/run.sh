#!/bin/sh
# `make run`: build a demo archive from examples/ (the seed cable 07ROME1497
# and a few hand-written cables marked [SYNTHETIC]; revised/ holds a changed
# copy of one of them, ingested second so that it has two versions), and,
# when ../shared/corpus is there and you say yes, its real cables; then
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
# The real cables beside the repo (../shared/corpus) show what the tool is
# for: offer them.  On a terminal the answer is asked (Enter = yes);
# otherwise CK_CORPUS=1 takes them and CK_CORPUS=0 (the default) does not.
CORPUS=${CK_CORPUS_DIR:-../shared/corpus}
with_corpus=${CK_CORPUS:-}
if [ -d "$CORPUS/html" ] && [ -z "$with_corpus" ]; then
	with_corpus=0
	if [ -t 0 ] && [ -t 1 ]; then
		n=$(ls "$CORPUS/html" | wc -l)
		printf 'run: %s holds %s real cables (viewer pages%s). Ingest them into the demo? [Y/n] ' \
			"$CORPUS" "$n" "$( [ -d "$CORPUS/plusd" ] && echo ", PlusD pages" )"
		read -r answer || answer=n
		case "$answer" in [nN]*) ;; *) with_corpus=1 ;; esac
	fi
fi
if [ "$with_corpus" = 1 ] && [ -d "$CORPUS" ]; then
	# the cables only (each folder also holds a SOURCES.tsv of provenance):
	# viewer pages, cables.csv rows and the PlusD record pages
	for f in "$CORPUS"/html/*.html "$CORPUS"/csv/*.csv "$CORPUS"/plusd/*.html; do
		[ -f "$f" ] && printf '%s\n' "$f"
	done | xargs -d '\n' "$CK" ingest --db "$DB" ||
		echo "run: some of $CORPUS could not be read (see above)" >&2
fi
# is something already answering on the port? (curl exit 7 = refused)
if command -v curl >/dev/null 2>&1; then
	rc=0
	curl -s -o /dev/null --max-time 1 "http://$BIND:$PORT/" || rc=$?
	if [ "$rc" != 7 ]; then
		echo "run: port $PORT is taken; using a free port" >&2
		PORT=0
	fi
fi
if [ "$with_corpus" = 1 ]; then
	echo "run: demo archive $DB: the real cables of $CORPUS, the seed 07ROME1497 and sample cables marked [SYNTHETIC]"
else
	echo "run: demo archive $DB: the seed cable 07ROME1497 and sample cables marked [SYNTHETIC]"
	[ -d "$CORPUS/html" ] && echo "run: CK_CORPUS=1 make run also ingests the real cables of $CORPUS"
fi
echo "run: to serve your own cables: $CK ingest --db cables.db cablegate.7z && $CK serve --db cables.db"
exec "$CK" serve --db "$DB" --bind "$BIND" --port "$PORT"
