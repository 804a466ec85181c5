#!/bin/sh
# funclen.sh [FILE...] - function lengths of C files written in this
# project's style (the opening brace of a function alone in column 0, the
# closing one too).  Prints "LINES FILE:LINE NAME" longest first, then the
# largest file, the longest function and how many functions are over 100
# lines.   usage: sh scripts/funclen.sh src/parse/*.c
[ $# -gt 0 ] || set -- src/*/*.c
awk '
FNR == 1 { prev = ""; pstart = 0 }
/^[A-Za-z_]/ { prev = $0; pstart = FNR }
/^\{/ { start = pstart; sig = prev; f = FILENAME }
/^\}/ && start {
	name = sig; sub(/\(.*/, "", name); sub(/.*[ *]/, "", name)
	printf "%d %s:%d %s\n", FNR - start + 1, f, start, name
	start = 0
}
' "$@" | sort -rn >/tmp/funclen.$$
head -n "${TOP:-10}" /tmp/funclen.$$
printf 'largest file: %s\n' "$(wc -l "$@" | grep -v ' total$' | sort -rn | head -1 | awk '{print $1 " lines " $2}')"
printf 'longest function: %s\n' "$(head -1 /tmp/funclen.$$)"
printf 'functions over 100 lines: %d (of %d)\n' "$(awk '$1 > 100' /tmp/funclen.$$ | wc -l)" "$(wc -l </tmp/funclen.$$)"
rm -f /tmp/funclen.$$
