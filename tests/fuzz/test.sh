#!/bin/sh
# Replay the fuzz corpora (fuzz/seeds/<target>/*: seeds and regression
# inputs of past crashes) through the sanitizer build's `parse` as a normal
# test: each file must exit 0 or 1 (not by a signal or `timeout 10`) with
# no AddressSanitizer / LeakSanitizer / UBSan report, and print JSON Lines
# that are valid UTF-8.  Bytes of any target's corpus are fed to the parser:
# a query or CSV seed must not crash it either.
. "$(dirname "$0")/../lib.sh"
if [ ! -x "$CK_ASAN" ]; then
	fail "binary $CK_ASAN exists" "run make asan first"
	done_suite
fi
# A copy of the binary: others may relink it meanwhile.
cp "$CK_ASAN" "$TMPD/cablekit-asan" && CK_ASAN=$TMPD/cablekit-asan
n=0
for dir in "$TOP"/fuzz/seeds/*/; do
	[ -d "$dir" ] || continue
	target=$(basename "$dir")
	for f in "$dir"*; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		name="$target/$(basename "$f")"
		# the parse command reads files by content; a copy with a .txt name
		# is read as telegram text whatever the seed's name
		cp "$f" "$TMPD/in.txt"
		set --
		if [ "$target" = parse ]; then
			# fuzz_parse reads a first byte below 45 as opts.year 1966 + byte
			b=$(od -An -tu1 -N1 "$f" | tr -d ' ')
			if [ -n "$b" ] && [ "$b" -lt 45 ]; then
				tail -c +2 "$f" >"$TMPD/in.txt"
				set -- --year $((1966 + b))
			fi
		fi
		timeout 10 "$CK_ASAN" parse "$@" "$TMPD/in.txt" >"$TMPD/out" 2>"$TMPD/err"
		rc=$?
		if grep -q -E 'AddressSanitizer|LeakSanitizer|runtime error' "$TMPD/err"; then
			fail "$name" "sanitizer report: $(grep -m1 -A3 -E 'AddressSanitizer|LeakSanitizer|runtime error' "$TMPD/err")"
		elif [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
			fail "$name" "exit status $rc (124 = timed out, >128 = signal): $(head -c 300 "$TMPD/err")"
		elif ! iconv -f UTF-8 -t UTF-8 "$TMPD/out" >/dev/null 2>&1; then
			fail "$name" "output is not valid UTF-8"
		else
			ok "$name"
		fi
	done
done
[ $n -gt 0 ] || fail "fuzz corpus files found under fuzz/seeds/"
done_suite
