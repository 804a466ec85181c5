#!/bin/sh
# samecheck.sh OLD_CABLEKIT [NEW_CABLEKIT] - is `cablekit parse` output
# byte-identical between two binaries?  Written for the parser restructure
# (issue #11): build the binary before a change, keep a copy outside the
# repo, then run this after every step.  Not part of `make test` (it needs
# a binary from before the change).
#
# Inputs: every file of ../shared/corpus (html/, text/, seed/, csv/,
# plusd/; skipped, saying so, when absent), the golden inputs and fragments
# (with their arguments), examples/, the fuzz seeds (read as fuzz_parse
# reads them), the hostile inputs of tests/hostile/gen.py, and 300
# synthetic cables of bench/synth when it is built.  Each file is parsed
# alone; stdout, stderr and the exit status are compared.
# Prints one line per difference and a closing count; exits 1 on any.
set -u
[ $# -ge 1 ] || { echo "usage: $0 OLD_CABLEKIT [NEW_CABLEKIT]" >&2; exit 2; }
top=$(cd "$(dirname "$0")/../.." && pwd)
old=$1
new=${2:-$top/build/cablekit}
corpus=$(cd "$top/.." && pwd)/shared/corpus
for b in "$old" "$new"; do
	[ -x "$b" ] || { echo "samecheck: $b is not an executable" >&2; exit 2; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# copies with one name (messages may show argv[0]): a make in another shell may relink build/cablekit meanwhile
mkdir -p "$tmp/old" "$tmp/new" && cp "$old" "$tmp/old/cablekit" && cp "$new" "$tmp/new/cablekit"
list=$tmp/list   # lines: path<TAB>args
: >"$list"
add_dir() { # every file under a folder, no arguments
	[ -d "$1" ] || { echo "samecheck: $1 absent, skipped"; return; }
	find "$1" -type f ! -name '*.tsv' ! -name '*.md' | LC_ALL=C sort | sed 's/$/\t/' >>"$list"
}
for d in html text seed csv plusd; do add_dir "$corpus/$d"; done
add_dir "$top/examples"
add_dir "$top/tests/golden/fragments"
# golden inputs with their arguments (corpus ones are listed above anyway)
python3 "$top/tests/golden/compare.py" --meta-all "$top"/tests/golden/*.expected.json |
while IFS="$(printf '\t')" read -r name input args; do
	case $input in
	corpus/*) p=$corpus/${input#corpus/} ;;
	*) p=$top/$input ;;
	esac
	[ -f "$p" ] && printf '%s\t%s\n' "$p" "$args" >>"$list"
done
# fuzz seeds: a first byte below 45 is --year 1966+byte (fuzz/fuzz_parse.c)
mkdir -p "$tmp/seeds"
for f in "$top"/fuzz/seeds/*/*; do
	[ -f "$f" ] || continue
	t=$(basename "$(dirname "$f")")
	out=$tmp/seeds/$t-$(basename "$f").txt
	args=""
	b=$(od -An -tu1 -N1 "$f" | tr -d ' ')
	if [ "$t" = parse ] && [ -n "$b" ] && [ "$b" -lt 45 ]; then
		tail -c +2 "$f" >"$out"
		args="--year $((1966 + b))"
	else
		cp "$f" "$out"
	fi
	printf '%s\t%s\n' "$out" "$args" >>"$list"
done
mkdir -p "$tmp/hostile"
if python3 "$top/tests/hostile/gen.py" "$tmp/hostile" 2>/dev/null; then
	add_dir "$tmp/hostile"
	sed -i '/\.expect\t$/d' "$list"
fi
if [ -x "$top/bench/synth" ]; then
	"$top/bench/synth" --count 300 --seed 11 --out "$tmp/synth" >/dev/null 2>&1 && add_dir "$tmp/synth"
else
	echo "samecheck: bench/synth not built (make bench/synth), synthetic cables skipped"
fi
# One run per set of arguments over all its files (fast); only when a set
# differs is each of its files run alone to name them.
run() { # run BIN ARGS FILELIST OUTPREFIX
	# shellcheck disable=SC2086 # args are single words
	tr '\n' '\0' <"$3" | xargs -0 -s 1000000 timeout 300 "$1" parse $2 >"$4.out" 2>"$4.err"
	echo $? >"$4.rc"
}
same() { cmp -s "$1.out" "$2.out" && cmp -s "$1.err" "$2.err" && cmp -s "$1.rc" "$2.rc"; }
n=$(wc -l <"$list") bad=0 bytes=0
cut -f2 "$list" | LC_ALL=C sort -u >"$tmp/argsets"
while IFS= read -r args; do
	awk -F '\t' -v a="$args" '$2 == a {print $1}' "$list" >"$tmp/files"
	run "$tmp/old/cablekit" "$args" "$tmp/files" "$tmp/o"
	run "$tmp/new/cablekit" "$args" "$tmp/files" "$tmp/n"
	bytes=$((bytes + $(wc -c <"$tmp/o.out")))
	same "$tmp/o" "$tmp/n" && continue
	while IFS= read -r path; do
		echo "$path" >"$tmp/one"
		run "$tmp/old/cablekit" "$args" "$tmp/one" "$tmp/o1"
		run "$tmp/new/cablekit" "$args" "$tmp/one" "$tmp/n1"
		same "$tmp/o1" "$tmp/n1" && continue
		bad=$((bad + 1))
		echo "DIFFERS: $path $args (exit $(cat "$tmp/o1.rc") -> $(cat "$tmp/n1.rc"))"
		[ "$bad" -le 5 ] && diff "$tmp/o1.out" "$tmp/n1.out" | head -n 6
	done <"$tmp/files"
	[ "$bad" -gt 0 ] || { bad=1; echo "DIFFERS: the run over all files with '$args' (each file alone is the same)"; }
done <"$tmp/argsets"
echo "samecheck: $n inputs, $bytes bytes of old output, $bad differ"
[ "$bad" -eq 0 ]
