# Shared by the end-to-end test scripts (sourced, not run): the paths make
# check hands over, a private temporary directory, and checks that count
# what passed and failed. A script ends with `finish`, which also checks
# every JSON report the script's runs wrote against the installed schema
# (tests/schemalib.sh).
#
# PARKSTAT_VALGRIND, when set, prefixes every run of the binary.

srcdir=${PARKSTAT_SRCDIR:?run through make check}
builddir=${PARKSTAT_BUILDDIR:?run through make check}
golden=$srcdir/tests/golden
bin="$builddir/parkstat"
run_bin() { ${PARKSTAT_VALGRIND:-} "$bin" "$@"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The default lock file lives in $TMPDIR: keep the tests' runs apart from
# any real run on this machine.
TMPDIR=$tmp
export TMPDIR
passed=0
failed=0
. "$srcdir/tests/schemalib.sh"

skipped=0

pass() { passed=$((passed + 1)); echo "ok - $1"; }
# skip NAME WHY: a check this machine cannot make; CI lists every skip and
# fails on one it did not expect (scripts/check-skips).
skip() { skipped=$((skipped + 1)); echo "ok - $1 # SKIP $2"; }
fail() { failed=$((failed + 1)); echo "not ok - $1"; [ $# -lt 2 ] || printf '%s\n' "$2" | sed 's/^/#   /'; }

# expect NAME STATUS CMD...: runs CMD, keeps stdout/stderr in $tmp/out, $tmp/err
# (and the JSON reports it wrote, for check_reports).
expect() {
    name=$1 want=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    keep_run_reports "$@"
    if [ "$got" -eq "$want" ]; then pass "$name (exit $want)"; else fail "$name: exit $got, expected $want" "$(cat "$tmp/err")"; fi
}
same_file() { # NAME EXPECTED ACTUAL
    if cmp -s "$2" "$3"; then pass "$1"; else fail "$1" "$(diff -u "$2" "$3" | head -40)"; fi
}
contains() { # NAME FILE TEXT (a text of several lines must be there whole)
    case $3 in
    *"
"*) # grep -F would take each line for a pattern of its own
        case $(cat "$2") in *"$3"*) found=1 ;; *) found= ;; esac ;;
    *) found=$(grep -qF -- "$3" "$2" && echo 1) ;;
    esac
    if [ -n "$found" ]; then pass "$1"; else fail "$1: '$3' not in" "$(head -c 2000 "$2")"; fi
}
lacks() { # NAME FILE REGEX (extended, case-insensitive)
    if grep -qiE -- "$3" "$2"; then fail "$1" "$(grep -iE -- "$3" "$2" | head -5)"; else pass "$1"; fi
}
equals() { # NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$3', expected '$2'"; fi
}

# A writable copy of the sample, for tests that change it: writable by its
# owner only, whatever the umask, as parkstat requires of its configuration.
sample_copy() {
    rm -rf "$tmp/conf"
    cp -R "$srcdir/conf" "$tmp/conf"
    chmod -R u+w,go-w "$tmp/conf"
}

# skip_unless_required VAR WHY: exit 77 (skipped) when a tool is missing,
# unless VAR=1 asks for the test to fail instead, as CI does.
skip_unless_required() {
    if [ "$(eval echo "\${$1:-}")" = 1 ]; then
        echo "not ok - $2, and $1=1 requires it"
        echo "0 passed, 1 failed"
        exit 1
    fi
    echo "skipped: $2 (set $1=1 to make this a failure)"
    exit 77
}

# One check, made where a script's runs wrote a JSON report: the files
# they left in $tmp and the standard outputs `expect` kept.
check_reports() {
    schema_check "$tmp"
    case $schema_result in
        pass) pass "every JSON report matches the schema: $(printf '%s\n' "$schema_says" | tail -1)" ;;
        fail) fail "every JSON report matches the schema" "$schema_says" ;;
        skip) skip "every JSON report matches the schema" "$schema_says" ;;
    esac
}

finish() {
    check_reports
    echo "$passed passed, $failed failed"
    [ "$skipped" -eq 0 ] || echo "# $skipped skipped"
    [ "$failed" -eq 0 ]
}
