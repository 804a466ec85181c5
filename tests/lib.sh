# tests/lib.sh - sourced by every suite script (tests/<suite>/test.sh).
# Each check calls ok/fail/skip; the counts go to $CK_RESULTS (one line per
# check: "pass|fail|skip<TAB>suite<TAB>name"), which tests/run.sh adds up.
# Paths: $CK (the optimized binary), $CK_ASAN (the sanitizer binary),
# $CORPUS (../shared/corpus, may be absent), $TOP, $TMPD (a scratch dir).
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
CK=${CK:-$TOP/build/cablekit}
CK_ASAN=${CK_ASAN:-$TOP/build-asan/cablekit}
CORPUS=${CORPUS:-$(cd "$TOP/.." && pwd)/shared/corpus}
CK_RESULTS=${CK_RESULTS:-/dev/null}
SUITE=${SUITE:-$(basename "$(dirname "$0")")}
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/cktest.XXXXXX")
trap 'rm -rf "$TMPD"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
_fails=0
ok()   { printf 'pass\t%s\t%s\n' "$SUITE" "$1" >>"$CK_RESULTS"; printf '  ok    %s\n' "$1"; }
fail() { printf 'fail\t%s\t%s\n' "$SUITE" "$1" >>"$CK_RESULTS"; printf '  FAIL  %s\n' "$1"; [ $# -gt 1 ] && printf '        %s\n' "$2"; _fails=$((_fails+1)); }
skip() { printf 'skip\t%s\t%s\n' "$SUITE" "$1" >>"$CK_RESULTS"; printf '  skip  %s\n' "$1"; }
# check NAME COMMAND... : ok when the command exits 0
check() { n=$1; shift; if "$@" >"$TMPD/out" 2>&1; then ok "$n"; else fail "$n" "$(head -c 2000 "$TMPD/out")"; fi; }
have_corpus() { [ -d "$CORPUS/html" ]; }
done_suite() { exit 0; }
