#!/bin/sh
# The hostile-input catalogue: every case of tests/hostile/*.cases runs the
# binary once and compares its exit status and its whole stderr with what
# the case expects, and checks that a run refused with exit 2 wrote nothing.
#
# A .cases file is a list of cases:
#
#   === NAME                 starts a case
#   BODY LINES               the input (\xff is a byte, \r \n \t \0 as in C,
#                            \\ a backslash, \c ends the file without newline)
#   --- exit N               the expected exit status; the lines after it,
#                            up to the next ===, are the expected stderr,
#                            except "--- report TEXT" lines: TEXT must be in
#                            the written text report
#   --- no valgrind: WHY     the case runs without PARKSTAT_VALGRIND's
#                            prefix: its fault is a wild read memcheck
#                            would rightly report (the exit and stderr
#                            are still checked)
#   ## …                     a comment, anywhere
#
# What the body is depends on the file:
#   ledger.cases   a whole ledger, read by the investment plugin's source
#   config.cases   a whole parkstat.ini (@SAMPLE@ is the sample's ledger
#                  directory, @TESTPLUGINS@ the test plugins' directory)
#   plugin.cases   lines added to a small healthy configuration, which then
#                  runs them beside the investment section (@DIR@ is the
#                  case's own directory)
# In the expected stderr, @DIR@ stands for the case's own directory, and
# @SAMPLE@, @TESTPLUGINS@ and @PLUGINS@ for the sample's ledgers and the
# test and bundled plugins' directories; @LATEST@ for the latest month a
# ledger row may be about, which moves with the clock; @MINOR@ and @NEXT@ for
# this core's minor ABI and the one after, which every minor bump moves.
# HOSTILE_ONLY=PATTERN runs only the cases whose name matches it (grep -E).
# HOSTILE_RECORD=FILE appends each case as the binary answers it to FILE,
# for a new case's expectation, which is then read and pasted by hand.
. "${PARKSTAT_SRCDIR:?run through make check}/tests/testlib.sh"

cases=$srcdir/tests/hostile
test_plugins=${PARKSTAT_TEST_PLUGIN_DIR:-$builddir/tests/plugins}

# split FILE: one directory per case under $tmp/FILE-BASENAME/NNN, holding
# name, body, exit, err (expected stderr) and report (texts to find).
split() {
    awk -v out="$2" '
        /^##/ { next }
        /^=== / { n++; dir = sprintf("%s/%03d", out, n); part = "body"
                  system("mkdir -p " dir)
                  printf "%s\n", substr($0, 5) > (dir "/name"); close(dir "/name")
                  printf "" > (dir "/body"); printf "" > (dir "/err"); printf "" > (dir "/report")
                  next }
        !n { next }
        /^--- exit / { printf "%s\n", $3 > (dir "/exit"); close(dir "/exit"); part = "err"; next }
        /^--- report / { printf "%s\n", substr($0, 12) > (dir "/report"); next }
        /^--- no valgrind:/ { printf "%s\n", substr($0, 18) > (dir "/no-valgrind"); next }
        { printf "%s\n", $0 > (dir "/" part) }
    ' "$1"
}

# The body with its escapes read, as the file the case gives: \xHH, \r, \n,
# \t, \0 and \\ as printf %b reads them, and \c ending the file there, without
# the line's newline (dash's printf knows no \x, hence Python).
unescape() {
    python3 -c '
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
codes = {"r": b"\r", "n": b"\n", "t": b"\t", "0": b"\0", "\\": b"\\"}
out = bytearray()
for piece in re.split(r"(\\x[0-9a-fA-F]{2}|\\[rnt0\\c])", text):
    if piece == "\\c":
        break
    if piece.startswith("\\x") and len(piece) == 4:
        out.append(int(piece[2:], 16))
    elif len(piece) == 2 and piece[0] == "\\" and piece[1] in codes:
        out += codes[piece[1]]
    else:
        out += piece.encode()
sys.stdout.buffer.write(bytes(out))' "$1"
}

base_ini() { # LEDGER: one source, one plugin
    cat <<EOF
[parkstat]
zone = 测试开发区
period = 2023-10

[source.investment]
path = $1
department = 经济发展局

[indicator.fai]
label = 固定资产投资
unit = 万元

[plugin.investment]
module = investment
target.2023 = 55亿
EOF
}

# prepare KIND DIR: writes DIR/parkstat.ini (and DIR/ledger.csv).
prepare() {
    case $1 in
    ledger)
        unescape "$2/body" >"$2/ledger.csv"
        base_ini ledger.csv >"$2/parkstat.ini" ;;
    config)
        unescape "$2/body" | sed -e "s|@SAMPLE@|$srcdir/conf/ledgers|g" \
            -e "s|@TESTPLUGINS@|$test_plugins|g" >"$2/parkstat.ini" ;;
    plugin)
        base_ini "$srcdir/conf/ledgers/investment.csv" >"$2/parkstat.ini"
        unescape "$2/body" | sed -e "s|@TESTPLUGINS@|$test_plugins|g" \
            -e "s|@DIR@|$2|g" >>"$2/parkstat.ini" ;;
    esac
    chmod 600 "$2/parkstat.ini"
}

# Twelve months after the clock's month (core/num/period.c).
latest="$(( $(date +%Y) + 1 ))-$(date +%m)"
minor=$(sed -n 's/^#define PS_ABI_MINOR //p' "$builddir/include/parkstat/version.h")
next=$((minor + 1))
# check_case KIND DIR
check_case() {
    name="$1: $(cat "$2/name")"
    want=$(cat "$2/exit")
    mkdir -p "$2/out"
    memcheck=${PARKSTAT_VALGRIND:-}
    [ -f "$2/no-valgrind" ] && memcheck=
    timeout 120 $memcheck "$bin" -c "$2/parkstat.ini" -f text -o "$2/out" \
        >"$2/stdout" 2>"$2/stderr.raw"
    got=$?
    sed -e "s|$2/|@DIR@/|g" -e "s|$srcdir/conf/ledgers|@SAMPLE@|g" -e "s|than $latest,|than @LATEST@,|g" \
        -e "s|$test_plugins|@TESTPLUGINS@|g" -e "s|${PARKSTAT_PLUGIN_DIR:-//}|@PLUGINS@|g" \
        -e "s/ABI \([12]\)\.$minor\([ ):]\)/ABI \1.@MINOR@\2/g" \
        -e "s/ABI 1\.$next /ABI 1.@NEXT@ /g" -e "s/provides 1\.$minor:/provides 1.@MINOR@:/g" \
        "$2/stderr.raw" >"$2/stderr"
    if [ -n "${HOSTILE_RECORD:-}" ]; then
        { printf '=== %s\n' "$(cat "$2/name")"; cat "$2/body"
          [ -f "$2/no-valgrind" ] && sed 's/^/--- no valgrind:/' "$2/no-valgrind"
          printf -- '--- exit %s\n' "$got"; sed 's/^/--- report /' "$2/report"
          cat "$2/stderr"; } >>"$HOSTILE_RECORD"
    fi
    if [ "$got" -ne "$want" ]; then
        fail "$name: exit $got, expected $want" "$(cat "$2/stderr")"
        return
    fi
    if ! cmp -s "$2/err" "$2/stderr"; then
        fail "$name: stderr" "$(diff -u "$2/err" "$2/stderr" | tail -n +3 | head -20)"
        return
    fi
    if [ "$want" -eq 2 ] && [ -n "$(ls -A "$2/out")" ]; then
        fail "$name: refused, yet wrote $(ls -A "$2/out" | head -3)"
        return
    fi
    while IFS= read -r text; do
        # shellcheck disable=SC2046
        if ! grep -qF -- "$text" $(ls "$2"/out/report-*.txt 2>/dev/null || echo /dev/null); then
            fail "$name: '$text' not in the report"
            return
        fi
    done <"$2/report"
    pass "$name (exit $want)"
}

for file in "$cases"/*.cases; do
    kind=$(basename "$file" .cases)
    split "$file" "$tmp/$kind"
    for dir in "$tmp/$kind"/*/; do
        dir=${dir%/}
        [ -z "${HOSTILE_ONLY:-}" ] || grep -qE -- "$HOSTILE_ONLY" "$dir/name" || continue
        [ -f "$dir/exit" ] || { fail "$kind: $(cat "$dir/name"): no '--- exit N' line"; continue; }
        prepare "$kind" "$dir"
        check_case "$kind" "$dir"
    done
done
finish
