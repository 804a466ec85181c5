#!/bin/sh
# calls.sh [-v] [OBJDIR | OBJ...] - pairs of object files that call each
# other.  For each object given, or under OBJDIR (default build/obj: the
# library, the CLI and the generated tables), nm lists the functions it
# defines (T) and the symbols it leaves undefined (U); A calls B when A
# needs a function B defines (a call, or a function's address in a table).
# `make calls` (part of `make test`) passes the objects of the current
# sources, so a stale object of a deleted file does not count.
# Prints every pair A <-> B where each calls the other and exits 1 if there
# is any; with -v also prints every edge "A -> B (symbol)" and the layer
# check (util -> parse -> read/write -> archive -> server -> cli: a call
# that goes up a layer is listed, not failed).
verbose=0
[ "${1:-}" = -v ] && { verbose=1; shift; }
[ $# -gt 0 ] || set -- build/obj
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.edges"' EXIT
dir=
[ $# = 1 ] && [ -d "$1" ] && dir=${1%/}
if [ -n "$dir" ]; then
	find "$dir" -name '*.o' | LC_ALL=C sort
else
	printf '%s\n' "$@"
fi | while read -r o; do
	[ -f "$o" ] || { echo "calls.sh: no $o (build first)" >&2; exit 2; }
	f=${o#"$dir"/}
	f=${f#build/obj/}
	nm -P "$o" | awk -v f="${f%.o}" '$2 == "T" {print "D", f, $1} $2 == "U" {print "U", f, $1}'
done >"$tmp" || exit 2
# edges: caller callee symbol, one line per (caller, callee) pair
awk '$1 == "D" {def[$3] = $2; next} {use[NR] = $2 " " $3} END {
	for (i in use) { split(use[i], a, " "); if (a[2] in def && def[a[2]] != a[1]) print a[1], def[a[2]], a[2] }
}' "$tmp" | LC_ALL=C sort -u -k1,2 >"$tmp.edges"
if [ "$verbose" = 1 ]; then
	awk '{print $1 " -> " $2 " (" $3 ")"}' "$tmp.edges"
	echo "layer check (a call upward):"
	awk 'function layer(f) {
		if (f ~ /^src\/util\//) return 0; if (f ~ /^src\/parse\//) return 1
		if (f ~ /^src\/(read|write)\//) return 2; if (f ~ /^src\/archive\//) return 3
		if (f ~ /^src\/server\//) return 4; if (f ~ /^src\/cli\//) return 5; return -1 }
	{ a = layer($1); b = layer($2); if (a >= 0 && b > a) print "  up: " $1 " -> " $2 " (" $3 ")" }' "$tmp.edges"
fi
pairs=$(awk '{e[$1 " " $2] = 1} END { for (k in e) { split(k, a, " "); if (a[1] < a[2] && ((a[2] " " a[1]) in e)) print a[1] " <-> " a[2] } }' "$tmp.edges" | LC_ALL=C sort)
if [ -n "$pairs" ]; then
	echo "calls.sh: object files that call each other:"
	printf '%s\n' "$pairs" | sed 's/^/  /'
	exit 1
fi
echo "calls.sh: ok (no two object files call each other; $(wc -l <"$tmp.edges") caller -> callee pairs)"
