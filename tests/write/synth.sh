# tests/write/synth.sh - sourced by tests/write/test.sh: bench/synth.
#  - same seed, same bytes (.tar.gz, two runs of --count 200); another seed differs
#  - the telegrams parse back to the fields they were built from (--json),
#    every subject [SYNTHETIC], references to earlier cables
#  - `cablekit check`: no problems but the page-header repairs of the
#    page headers the writer put in (as many as there are in the text)
#  - distributions within the tolerances of tests/write/distcheck.py of the
#    corpus table bench/synth-dist.tsv (3,000 cables, measured by
#    bench/synth-measure.sh, the same code that made the table)
SYNTH=$TOP/bench/synth
if ! make -s -C "$TOP" bench/synth >"$TMPD/make.out" 2>&1; then
	fail "synth: make bench/synth" "$(tail -5 "$TMPD/make.out")"
elif [ -z "$PY" ]; then
	skip "synth: python3 not found"
else
	"$SYNTH" --count 200 --seed 5 --out "$TMPD/s1.tar.gz" &&
		"$SYNTH" --count 200 --seed 5 --out "$TMPD/s2.tar.gz" &&
		"$SYNTH" --count 200 --seed 6 --out "$TMPD/s3.tar.gz"
	if cmp -s "$TMPD/s1.tar.gz" "$TMPD/s2.tar.gz" && ! cmp -s "$TMPD/s1.tar.gz" "$TMPD/s3.tar.gz" &&
	   [ "$(tar tzf "$TMPD/s1.tar.gz" | wc -l)" = 200 ]; then
		ok "synth: same seed same bytes, 200 cables; another seed differs"
	else
		fail "synth: same seed same bytes, 200 cables; another seed differs"
	fi
	"$SYNTH" --count 400 --seed 11 --json "$TMPD/built.jsonl" --out "$TMPD/sdir" 2>"$TMPD/err"
	"$CK" parse "$TMPD/sdir" >"$TMPD/parsed.jsonl" 2>>"$TMPD/err"
	if "$PY" "$HERE/synthcheck.py" "$TMPD/built.jsonl" "$TMPD/parsed.jsonl" >"$TMPD/out" 2>&1; then
		ok "synth: telegrams parse back to their fields ($(tail -1 "$TMPD/out"))"
	else
		fail "synth: telegrams parse back to their fields" "$(head -30 "$TMPD/out" "$TMPD/err")"
	fi
	"$CK" check "$TMPD/sdir" >"$TMPD/check.out" 2>&1
	others=$(grep -vc ': page-header: ' "$TMPD/check.out")
	repairs=$(grep -c ': page-header: ' "$TMPD/check.out")
	headers=$(cat "$TMPD"/sdir/*/*.txt | grep -cE '^[A-Z][A-Z ]* [0-9]{8} [0-9]{3} OF [0-9]{3}$')
	if [ "$others" = 0 ] && [ "$repairs" = "$headers" ] && [ "$headers" -gt 0 ]; then
		ok "synth: check finds no problem but the $headers page headers written"
	else
		fail "synth: check finds no problem but the $headers page headers written" \
			"$others other problems, $repairs page-header repairs: $(grep -v ': page-header: ' "$TMPD/check.out" | head -5)"
	fi
	"$SYNTH" --count 3000 --seed 3 --out "$TMPD/d.tar.gz"
	"$CK" parse "$TMPD/d.tar.gz" >"$TMPD/d.jsonl" 2>/dev/null
	sh "$TOP/bench/synth-measure.sh" "$TMPD/d.jsonl" >"$TMPD/d.tsv"
	if "$PY" "$HERE/distcheck.py" "$TOP/bench/synth-dist.tsv" "$TMPD/d.tsv" >"$TMPD/out"; then
		ok "synth: distributions of 3000 cables within tolerance of the corpus"
	else
		fail "synth: distributions of 3000 cables within tolerance of the corpus" "$(grep -v '^ok' "$TMPD/out")"
	fi
	if [ -x "$CK" ] && "$CK" ingest --db "$TMPD/s.db" --quiet "$TMPD/s1.tar.gz" >"$TMPD/ing.out" 2>&1; then
		n=$("$CK" export --db "$TMPD/s.db" --format jsonl | wc -l)
		if [ "$n" = 200 ]; then
			ok "synth: output ingests cleanly (200 of 200)"
		else
			fail "synth: output ingests cleanly ($n of 200)" "$(head -5 "$TMPD/ing.out")"
		fi
	else
		skip "synth: ingest not working yet ($(head -c 200 "$TMPD/ing.out"))"
	fi
fi
